package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"strings"

	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/internal/safefile"
)

// maxImportFile bounds a published report read by import: a portal page
// or a Word file with its pictures is a few MB; the readers bound what
// they inflate further.
const maxImportFile = 64 << 20

// cmdImport reads a published report (a portal's HTML page, a Word/WPS
// file, a text PDF when the binary has its reader, or report JSON) back
// into report JSON, printing each problem with the place in the document
// it was found.
func cmdImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("import")
	out := fs.String("o", "", "`file` to write the report JSON to (default: standard output); an existing file is kept unless --force")
	format := fs.String("format", "auto", "`format` to map onto: auto (told apart by the tables' structure) or a format ID (govreport schema --list)")
	asJSON := fs.Bool("json", false, "print {format, valid, report, problems} as JSON on standard output instead of the report")
	force := fs.Bool("force", false, "overwrite the -o file if it exists")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(fs, stderr, "name one published report: an HTML, DOCX or PDF file (- for standard input)")
	}
	in := fs.Arg(0)
	if *out != "" && *out != "-" && in != "-" && safefile.Same(in, *out) {
		return usageError(fs, stderr, "-o %s is the input; choose another output name", *out)
	}
	if *out != "" && *out != "-" && !*force {
		if err := safefile.CheckRegular(*out); err == nil {
			return usageError(fs, stderr, "%s exists; use --force to overwrite it", *out)
		}
	}
	var data []byte
	var err error
	if in == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, maxImportFile+1))
		if err == nil && len(data) > maxImportFile {
			err = fmt.Errorf("larger than %d bytes", maxImportFile)
		}
		if err != nil {
			err = fmt.Errorf("reading standard input: %w", err)
		}
	} else {
		data, err = safefile.Read(in, maxImportFile)
	}
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", escapeText(err.Error()))
		return 2
	}
	name := quoteName(displayName(in))
	res, err := importer.Import(ctx, data, importer.Options{Format: *format})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", name, escapeText(err.Error()))
		if strings.Contains(err.Error(), "unknown format") {
			return 2
		}
		return 1
	}
	printImport(stderr, name, res)
	code := 0
	if res.HasErrors() || res.Report == nil {
		code = 1
	}
	output := res.JSON
	if *asJSON {
		b, err := json.MarshalIndent(res.Answer(), "", "  ")
		if err != nil {
			fmt.Fprintln(stderr, "govreport:", err)
			return 1
		}
		output = append(b, '\n')
	}
	if *out == "" || *out == "-" {
		if _, err := stdout.Write(output); err != nil {
			return 1 // run says why (stdout is a checkedWriter)
		}
		return code
	}
	write := safefile.WriteNew
	if *force {
		write = safefile.WriteAtomic
	}
	if err := write(*out, output); err != nil {
		if errors.Is(err, iofs.ErrExist) {
			fmt.Fprintf(stderr, "govreport import: %s exists; use --force to overwrite it\n", *out)
			return 2
		}
		fmt.Fprintln(stderr, "govreport:", escapeText(err.Error()))
		return 1
	}
	fmt.Fprintf(stderr, "%s: %s, %s → %s\n", name, res.Format, plural(len(res.Problems), "problem", "problems"), quoteName(*out))
	return code
}

// printImport prints the problems as check does, each with the place in
// the document it was found.
func printImport(w io.Writer, name string, res *importer.Result) {
	for _, p := range res.Problems {
		sev := ""
		if p.Severity == importer.SeverityWarning {
			sev = "warning: "
		}
		where := ""
		if p.Where != "" {
			where = " — " + p.Where
		}
		fmt.Fprintf(w, "%s: %s%s%s\n", name, sev, escapeText(p.String()), escapeText(where))
	}
}
