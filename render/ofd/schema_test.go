package ofd_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/internal/pdfcheck"
)

// The schemas under testdata/schema are GB/T 33190-2016's Annex A (OFD,
// Document, Res, Page, CustomTags and their Definitions) as govreport wrote
// them from the structure the standard describes, and the schema of
// govreport's 公文 tag file (Gongwen, with ObjectRef): the only public copy
// of the standard's own XSD files states no licence. See
// testdata/schema/README.md.
const schemaDir = "testdata/schema"

// schemaOf is the schema of a part, by its root element.
var schemaOf = map[string]string{
	"OFD":        "OFD.xsd",
	"Document":   "Document.xsd",
	"Res":        "Res.xsd",
	"Page":       "Page.xsd",
	"CustomTags": "CustomTags.xsd",
	"公文":         "Gongwen.xsd",
}

// schemaFaults validates every XML part of the package with xmllint
// (libxml2) against the schema of its root element; it returns each
// fault, naming the part. A part whose root has no schema is a fault.
func schemaFaults(t *testing.T, pkg []byte) []string {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint is missing: apt-get install -y libxml2-utils (scripts/test.sh installs it)")
	}
	files, _, err := unzip(pkg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bySchema := map[string][]string{}
	var faults []string
	for name, b := range files {
		if !strings.HasSuffix(name, ".xml") {
			continue
		}
		n, err := parse(b)
		if err != nil {
			faults = append(faults, name+": "+err.Error())
			continue
		}
		xsd, ok := schemaOf[n.name.Local]
		if !ok {
			faults = append(faults, name+": root element "+n.name.Local+" has no schema")
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		bySchema[xsd] = append(bySchema[xsd], p)
	}
	schemas := make([]string, 0, len(bySchema))
	for xsd := range bySchema {
		schemas = append(schemas, xsd)
	}
	sort.Strings(schemas)
	for _, xsd := range schemas {
		parts := bySchema[xsd]
		sort.Strings(parts)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		args := append([]string{"--noout", "--nonet", "--schema", filepath.Join(schemaDir, xsd)}, parts...)
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, xmllint, args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		cancel()
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			if line == "" || strings.HasSuffix(line, " validates") {
				continue
			}
			faults = append(faults, strings.ReplaceAll(line, dir+string(filepath.Separator), ""))
		}
		if err != nil && len(faults) == 0 {
			faults = append(faults, xsd+": xmllint: "+err.Error())
		}
	}
	return faults
}

// TestSchema: every XML part of every test report's OFD validates against
// the GB/T 33190-2016 schemas.
func TestSchema(t *testing.T) {
	for _, file := range pdfcheck.ValidReports(t, "../..") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			pkg := write(t, prepare(t, file))
			for _, f := range schemaFaults(t, pkg) {
				t.Error(f)
			}
		})
	}
}

// TestSchemaBrokenOnPurpose shows the schemas refusing what the standard
// does not allow, each fault named with its part.
func TestSchemaBrokenOnPurpose(t *testing.T) {
	good := write(t, prepare(t, "../../testdata/reports/yongxing-2024.json"))
	if f := schemaFaults(t, good); len(f) > 0 {
		t.Fatalf("the good package fails: %v", f)
	}
	replace := func(part, re, with string) func(string, []byte) []byte {
		rx := regexp.MustCompile(re)
		return func(n string, b []byte) []byte {
			if n != part {
				return b
			}
			done := false
			return rx.ReplaceAllFunc(b, func(m []byte) []byte {
				if done {
					return m
				}
				done = true
				return rx.ReplaceAll(m, []byte(with))
			})
		}
	}
	for _, tc := range []struct {
		name string
		edit func(string, []byte) []byte
		want string
	}{
		{"DocType OFD-X", replace("OFD.xml", `DocType="OFD"`, `DocType="OFD-X"`), "OFD.xml:"},
		{"CreationDate not a date", replace("OFD.xml", `<ofd:CreationDate>[^<]*<`, `<ofd:CreationDate>2025年1月20日<`), "OFD.xml:"},
		{"MaxUnitID missing", replace("Doc_0/Document.xml", `<ofd:MaxUnitID>\d+</ofd:MaxUnitID>`, ``), "Document.xml:"},
		{"outline entry without a title", replace("Doc_0/Document.xml", `<ofd:OutlineElem Title="[^"]*"`, `<ofd:OutlineElem`), "Document.xml:"},
		{"font without a name", replace("Doc_0/PublicRes.xml", ` FontName="[^"]*"`, ``), "PublicRes.xml:"},
		{"weight not a weight", replace("Doc_0/Pages/Page_0/Content.xml", `Weight="700"`, `Weight="650"`), "Page_0/Content.xml:"},
		{"boundary of three numbers", replace("Doc_0/Pages/Page_0/Content.xml", `Boundary="(\S+) (\S+) (\S+) (\S+)"`, `Boundary="$1 $2 $3"`), "Page_0/Content.xml:"},
		{"object ID 0", replace("Doc_0/Pages/Page_1/Content.xml", `<ofd:TextObject ID="\d+"`, `<ofd:TextObject ID="0"`), "Page_1/Content.xml:"},
		{"text without TextCode", replace("Doc_0/Pages/Page_1/Content.xml", `<ofd:TextCode [^>]*>[^<]*</ofd:TextCode>`, ``), "Page_1/Content.xml:"},
		{"custom tag without a namespace", replace("Doc_0/Tags/CustomTags.xml", ` NameSpace="[^"]*"`, ``), "CustomTags.xml:"},
		{"tag without its page", replace("Doc_0/Tags/CustomTag.xml", ` PageRef="\d+"`, ``), "CustomTag.xml:"},
		{"tags out of order", replace("Doc_0/Tags/CustomTag.xml", `(<标题>.*?</标题>)(<正文>.*?</正文>)`, `$2$1`), "CustomTag.xml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			faults := schemaFaults(t, rezip(t, good, tc.edit))
			t.Log(faults)
			if !slices.ContainsFunc(faults, func(s string) bool { return strings.Contains(s, tc.want) }) {
				t.Errorf("faults %q, want one naming %q", faults, tc.want)
			}
		})
	}
}
