package ofd_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/render/ofd"
)

const mmPerPt = 25.4 / 72

// node is an XML element of a part, read with encoding/xml.
type node struct {
	name  xml.Name
	attrs map[string]string
	kids  []*node
	text  string
}

func (n *node) all(name string, fn func(*node)) {
	if n.name.Local == name {
		fn(n)
	}
	for _, k := range n.kids {
		k.all(name, fn)
	}
}

func (n *node) child(name string) *node {
	for _, k := range n.kids {
		if k.name.Local == name {
			return k
		}
	}
	return nil
}

// parse reads a part with encoding/xml: it must be well-formed, and every
// element must be in the OFD namespace, but for the 公文 tag file, whose
// own elements are in ofd.TagNamespace.
func parse(b []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			tagFile := t.Name.Space == ofd.TagNamespace && (root == nil || root.name.Space == ofd.TagNamespace)
			if t.Name.Space != ofd.Namespace && !tagFile {
				return nil, fmt.Errorf("element %s in namespace %q", t.Name.Local, t.Name.Space)
			}
			n := &node{name: t.Name, attrs: map[string]string{}}
			for _, a := range t.Attr {
				if a.Name.Space == "" {
					n.attrs[a.Name.Local] = a.Value
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if root != nil {
				return nil, errors.New("two root elements")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// resolve reads an ST_Loc: absolute from the package's root when it starts
// with /, else relative to dir.
func resolve(files map[string][]byte, dir, loc string) (string, error) {
	p := path.Clean(path.Join(dir, loc))
	if strings.HasPrefix(loc, "/") {
		p = path.Clean(strings.TrimPrefix(loc, "/"))
	}
	if _, ok := files[p]; !ok || loc == "" {
		return "", fmt.Errorf("ST_Loc %q (from %s/) does not resolve inside the package", loc, dir)
	}
	return p, nil
}

func unzip(b []byte) (map[string][]byte, []string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, nil, err
	}
	files := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		files[f.Name] = data
		order = append(order, f.Name)
	}
	return files, order, nil
}

// check reads an OFD package as a reader would and compares it with the
// pages it was made from; it returns every fault it finds.
func check(pkg []byte, pages []layout.Page, layoutDoc *layout.Document) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	files, _, err := unzip(pkg)
	if err != nil {
		return []error{err}
	}
	parts := map[string]*node{}
	for name, b := range files {
		if strings.HasSuffix(name, ".xml") {
			n, err := parse(b)
			if err != nil {
				fail("%s is not well-formed OFD XML: %v", name, err)
				continue
			}
			parts[name] = n
		}
	}
	if len(errs) > 0 {
		return errs
	}
	entry := parts["OFD.xml"]
	if entry == nil || entry.name.Local != "OFD" || entry.attrs["Version"] != "1.0" || entry.attrs["DocType"] != "OFD" {
		return append(errs, errors.New("no OFD.xml entry with Version 1.0, DocType OFD"))
	}
	body := entry.child("DocBody")
	if body == nil || body.child("DocInfo") == nil || body.child("DocRoot") == nil {
		return append(errs, errors.New("OFD.xml: no DocBody with DocInfo and DocRoot"))
	}
	if id := body.child("DocInfo").child("DocID"); id == nil || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id.text) {
		fail("DocInfo has no DocID of 32 hex digits")
	}
	docPath, err := resolve(files, ".", body.child("DocRoot").text)
	if err != nil {
		return append(errs, fmt.Errorf("DocRoot: %w", err))
	}
	doc := parts[docPath]
	docDir := path.Dir(docPath)
	cd := doc.child("CommonData")
	if cd == nil || cd.child("MaxUnitID") == nil || cd.child("PageArea") == nil {
		return append(errs, errors.New("Document.xml: CommonData lacks MaxUnitID or PageArea"))
	}
	maxID, err := strconv.Atoi(cd.child("MaxUnitID").text)
	if err != nil {
		fail("MaxUnitID %q: %v", cd.child("MaxUnitID").text, err)
	}
	if pb := cd.child("PageArea").child("PhysicalBox"); pb == nil || !isA4(pb.text) {
		fail("PageArea's PhysicalBox is not A4 in mm")
	}

	// Every ID, in every part, once and at most MaxUnitID.
	ids := map[string]string{}
	for name, n := range parts {
		var walk func(*node)
		walk = func(e *node) {
			if v, ok := e.attrs["ID"]; ok {
				if prev, dup := ids[v]; dup {
					fail("ID %s in %s is also in %s", v, name, prev)
				}
				ids[v] = name
				if id, err := strconv.Atoi(v); err != nil || id < 1 || id > maxID {
					fail("ID %s in %s is not in 1…MaxUnitID %d", v, name, maxID)
				}
			}
			for _, k := range e.kids {
				walk(k)
			}
		}
		walk(n)
	}

	// Fonts: each resolves, parses, and is kept by ID.
	fontsByID := map[string]*sfnt.Font{}
	for _, pr := range cd.kids {
		if pr.name.Local != "PublicRes" && pr.name.Local != "DocumentRes" {
			continue
		}
		resPath, err := resolve(files, docDir, pr.text)
		if err != nil {
			fail("%s: %v", pr.name.Local, err)
			continue
		}
		res := parts[resPath]
		base := path.Join(path.Dir(resPath), res.attrs["BaseLoc"])
		res.all("Font", func(f *node) {
			ff := f.child("FontFile")
			if ff == nil {
				fail("font %s has no FontFile", f.attrs["ID"])
				return
			}
			p, err := resolve(files, base, ff.text)
			if err != nil {
				fail("font %s: FontFile: %v", f.attrs["ID"], err)
				return
			}
			font, err := sfnt.Parse(files[p])
			if err != nil {
				fail("font %s (%s) does not parse: %v", f.attrs["ID"], p, err)
				return
			}
			fontsByID[f.attrs["ID"]] = font
		})
	}

	// Pages, in order, each from its layout page.
	var pageNodes []*node
	pageIDs := map[string]bool{}
	doc.child("Pages").all("Page", func(p *node) { pageNodes = append(pageNodes, p) })
	if len(pageNodes) != len(pages) {
		fail("%d pages, the layout has %d", len(pageNodes), len(pages))
	}
	var buf sfnt.Buffer
	for i, pn := range pageNodes {
		pageIDs[pn.attrs["ID"]] = true
		p, err := resolve(files, docDir, pn.attrs["BaseLoc"])
		if err != nil {
			fail("page %d: %v", i+1, err)
			continue
		}
		if i >= len(pages) {
			continue
		}
		var want []*layout.Item
		for j := range pages[i].Items {
			if it := &pages[i].Items[j]; it.Kind == layout.ItemText && it.Text != "" {
				want = append(want, it)
			}
		}
		var got []*node
		var gotText, wantText strings.Builder
		parts[p].all("TextObject", func(t *node) { got = append(got, t) })
		for _, it := range want {
			wantText.WriteString(it.Text)
		}
		for k, t := range got {
			tc := t.child("TextCode")
			if tc == nil {
				fail("page %d: TextObject %s has no TextCode", i+1, t.attrs["ID"])
				continue
			}
			gotText.WriteString(tc.text)
			runes := []rune(tc.text)
			var dx []float64
			if s := tc.attrs["DeltaX"]; s != "" {
				for _, f := range strings.Fields(s) {
					v, err := strconv.ParseFloat(f, 64)
					if err != nil {
						fail("page %d: DeltaX %q: %v", i+1, s, err)
					}
					dx = append(dx, v)
				}
			}
			if len(dx) != len(runes)-1 {
				fail("page %d: TextObject %s: %d DeltaX values for %d characters %q", i+1, t.attrs["ID"], len(dx), len(runes), tc.text)
			}
			font := fontsByID[t.attrs["Font"]]
			if font == nil {
				fail("page %d: TextObject %s: font %q is not in the resources", i+1, t.attrs["ID"], t.attrs["Font"])
			} else {
				for _, r := range runes {
					if g, err := font.GlyphIndex(&buf, r); err != nil || g == 0 {
						fail("page %d: font %s has no glyph for %q", i+1, t.attrs["Font"], r)
					}
				}
			}
			// Each glyph where the layout put it, to 0.01 mm.
			if k < len(want) && len(dx) == len(runes)-1 {
				it := want[k]
				bx := strings.Fields(t.attrs["Boundary"])
				x0, _ := strconv.ParseFloat(bx[0], 64)
				y0, _ := strconv.ParseFloat(bx[1], 64)
				tx, _ := strconv.ParseFloat(tc.attrs["X"], 64)
				ty, _ := strconv.ParseFloat(tc.attrs["Y"], 64)
				// The object's (u, v) on the page: through its CTM (a
				// landscape page's number is turned), from its Boundary.
				m := [6]float64{1, 0, 0, 1, 0, 0}
				if ctm := strings.Fields(t.attrs["CTM"]); len(ctm) == 6 {
					for j, f := range ctm {
						m[j], _ = strconv.ParseFloat(f, 64)
					}
				}
				at := func(u, v float64) (float64, float64) {
					return x0 + m[0]*u + m[2]*v + m[4], y0 + m[1]*u + m[3]*v + m[5]
				}
				u, adv := tx, 0.0
				for n, r := range []rune(it.Text) {
					wx, wy := it.X+adv, it.Y
					if it.Rotate == 90 {
						wx, wy = it.X, it.Y+adv
					}
					if x, y := at(u, ty); n < len(runes) && (math.Abs(x-wx*mmPerPt) > 0.01 || math.Abs(y-wy*mmPerPt) > 0.01) {
						fail("page %d: %q character %d at (%.3f, %.3f) mm, layout (%.3f, %.3f)", i+1, it.Text, n, x, y, wx*mmPerPt, wy*mmPerPt)
						break
					}
					if n < len(dx) {
						u += dx[n]
					}
					adv += it.Face.Advance(r)*it.Size + it.Spacing
				}
			}
		}
		if gotText.String() != wantText.String() {
			fail("page %d text %q, layout %q", i+1, gotText.String(), wantText.String())
		}
		lines := 0
		for j := range pages[i].Items {
			if pages[i].Items[j].Kind == layout.ItemLine {
				lines++
			}
		}
		n := 0
		parts[p].all("PathObject", func(o *node) {
			if d := o.child("AbbreviatedData"); d != nil {
				n += strings.Count(d.text, "M ")
			}
		})
		if n != lines {
			fail("page %d: %d rules drawn by PathObjects, the layout has %d", i+1, n, lines)
		}
	}
	if o := doc.child("Outlines"); o != nil {
		o.all("Dest", func(d *node) {
			if !pageIDs[d.attrs["PageID"]] {
				fail("outline goes to page ID %s, not a page", d.attrs["PageID"])
			}
		})
	}
	// The 公文 metadata: title, agency and date as CustomDatas.
	roles := layoutRoles(pages, layoutDoc)
	custom := map[string]string{}
	if cds := body.child("DocInfo").child("CustomDatas"); cds != nil {
		cds.all("CustomData", func(c *node) { custom[c.attrs["Name"]] = c.text })
	}
	for _, name := range []string{ofd.TagTitle, ofd.TagAgency, ofd.TagDate} {
		if custom[name] == "" || custom[name] != roles[name] {
			fail("DocInfo CustomData %s = %q, the layout's is %q", name, custom[name], roles[name])
		}
	}
	errs = append(errs, checkLocations(files, parts)...)
	errs = append(errs, checkTags(files, parts, docPath, pageNodes, pages, layoutDoc)...)
	return errs
}

// firstDiff shows where got and want part, with a little of each.
func firstDiff(got, want string) string {
	g, w := []rune(got), []rune(want)
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	clip := func(r []rune) string { return string(r[i:min(len(r), i+20)]) }
	return fmt.Sprintf("character %d: %q, want %q (%d and %d characters)", i, clip(g), clip(w), len(g), len(w))
}

// locElements are the elements whose text is an ST_Loc, and locAttrs the
// attributes (GB/T 33190 Annex A).
var (
	locElements = map[string]bool{"DocRoot": true, "PublicRes": true, "DocumentRes": true, "FontFile": true,
		"FileLoc": true, "SchemaLoc": true, "CustomTags": true, "Annotations": true, "Attachments": true,
		"Extensions": true, "Signatures": true, "Cover": true, "MediaFile": true}
	locAttrs = map[string]bool{"BaseLoc": true}
)

// checkLocations: every location in every part is inside the package (OFD-A,
// GB/T 42133: no external references): no URI scheme, no network path, and
// each resolves to a file of the package from the part's folder (a Res
// part's FontFiles from its BaseLoc). A Res part's BaseLoc is a folder.
func checkLocations(files map[string][]byte, parts map[string]*node) []error {
	var errs []error
	for name, root := range parts {
		dir := path.Dir(name)
		var walk func(e *node, dir string)
		walk = func(e *node, dir string) {
			var locs []string
			if locElements[e.name.Local] && e.name.Space == ofd.Namespace && len(e.kids) == 0 {
				locs = append(locs, e.text)
			}
			for a := range locAttrs {
				if v, ok := e.attrs[a]; ok {
					locs = append(locs, v)
				}
			}
			for _, loc := range locs {
				if strings.Contains(loc, ":") || strings.HasPrefix(loc, "//") {
					errs = append(errs, fmt.Errorf("%s: %s location %q is outside the package", name, e.name.Local, loc))
					continue
				}
				if e.name.Local == "Res" {
					continue // a folder
				}
				if _, err := resolve(files, dir, loc); err != nil {
					errs = append(errs, fmt.Errorf("%s: %s: %v", name, e.name.Local, err))
				}
			}
			if e.name.Local == "Res" {
				dir = path.Join(dir, e.attrs["BaseLoc"])
			}
			for _, k := range e.kids {
				walk(k, dir)
			}
		}
		walk(root, dir)
	}
	return errs
}

// layoutRoles gives, from the layout alone, the text each 公文 tag must
// name: the Title block's text, the body's items (headings, paragraphs and
// cells drawn for the first time) in drawing order, the Signature block's
// agency and date.
func layoutRoles(pages []layout.Page, doc *layout.Document) map[string]string {
	roles := map[string]string{}
	var body strings.Builder
	for i := range pages {
		for j := range pages[i].Items {
			it := &pages[i].Items[j]
			if it.Kind != layout.ItemText || it.Text == "" {
				continue
			}
			switch it.Part.Kind {
			case layout.PartHeading, layout.PartParagraph:
				body.WriteString(it.Text)
			case layout.PartCell:
				if !it.Part.Repeat {
					body.WriteString(it.Text)
				}
			}
		}
	}
	roles[ofd.TagBody] = body.String()
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *layout.Title:
			roles[ofd.TagTitle] += b.Text
		case *layout.Signature:
			roles[ofd.TagAgency] += b.Agency
			roles[ofd.TagDate] += b.Date
		}
	}
	return roles
}

// checkTags reads the 公文 tags (GB/T 33476): Document.xml's CustomTags
// index names a tag file in ofd.TagNamespace; each of its four elements
// lists ObjectRefs whose PageRef is a page and whose ID is a TextObject on
// that page, and the objects' text, in order, is the role's text in the
// layout. Every role the layout has is tagged.
func checkTags(files map[string][]byte, parts map[string]*node, docPath string, pageNodes []*node, pages []layout.Page, doc *layout.Document) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	ct := parts[docPath].child("CustomTags")
	if ct == nil {
		return []error{errors.New("Document.xml has no CustomTags")}
	}
	idx, err := resolve(files, path.Dir(docPath), ct.text)
	if err != nil {
		return []error{fmt.Errorf("CustomTags: %v", err)}
	}
	var tagPath string
	parts[idx].all("CustomTag", func(c *node) {
		if c.attrs["NameSpace"] != ofd.TagNamespace {
			return
		}
		if fl := c.child("FileLoc"); fl != nil {
			if tagPath, err = resolve(files, path.Dir(idx), fl.text); err != nil {
				fail("CustomTag FileLoc: %v", err)
			}
		}
	})
	tags := parts[tagPath]
	if tags == nil || tags.name.Local != "公文" || tags.name.Space != ofd.TagNamespace {
		return append(errs, fmt.Errorf("no 公文 tag file in %s", ofd.TagNamespace))
	}
	// The text of each object, by page ID and object ID.
	objects := map[[2]string]string{}
	for _, pn := range pageNodes {
		p, err := resolve(files, path.Dir(docPath), pn.attrs["BaseLoc"])
		if err != nil {
			continue
		}
		parts[p].all("TextObject", func(t *node) {
			if tc := t.child("TextCode"); tc != nil {
				objects[[2]string{pn.attrs["ID"], t.attrs["ID"]}] += tc.text
			}
		})
	}
	want := layoutRoles(pages, doc)
	got := map[string]string{}
	missing := 0
	for _, e := range tags.kids {
		if _, ok := want[e.name.Local]; !ok {
			fail("tag %s is not one of the 公文 elements", e.name.Local)
			continue
		}
		var text strings.Builder
		for _, r := range e.kids {
			if r.name.Local != "ObjectRef" || r.name.Space != ofd.Namespace {
				fail("tag %s holds %s, not ObjectRef", e.name.Local, r.name.Local)
				continue
			}
			s, ok := objects[[2]string{r.attrs["PageRef"], strings.TrimSpace(r.text)}]
			if !ok {
				missing++
				if missing <= 3 {
					fail("tag %s: object %s on page %s is no TextObject", e.name.Local, r.text, r.attrs["PageRef"])
				}
			}
			text.WriteString(s)
		}
		got[e.name.Local] = text.String()
	}
	for _, name := range []string{ofd.TagTitle, ofd.TagBody, ofd.TagAgency, ofd.TagDate} {
		if want[name] == "" {
			fail("the layout has no %s to tag", name)
		}
		if got[name] != want[name] {
			fail("tag %s reads otherwise than the layout's %s: %s", name, name, firstDiff(got[name], want[name]))
		}
	}
	return errs
}

// isA4 is a box of 210 × 297 mm at the origin, to 0.01 mm.
func isA4(box string) bool {
	f := strings.Fields(box)
	if len(f) != 4 {
		return false
	}
	want := []float64{0, 0, 210, 297}
	for i, s := range f {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(v-want[i]) > 0.01 {
			return false
		}
	}
	return true
}

func prepare(t testing.TB, file string) *render.Prepared {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p, err := render.Prepare(context.Background(), data, render.PrepareOptions{ChecksWarn: true, Creator: "govreport 1.0"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func write(t testing.TB, p *render.Prepared) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := p.WriteTo(context.Background(), &buf, render.WriteOptions{Format: render.OFD}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReports writes every valid test report as OFD and reads it back.
func TestReports(t *testing.T) {
	for _, file := range pdfcheck.ValidReports(t, "../..") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			p := prepare(t, file)
			b := write(t, p)
			for _, err := range check(b, p.Layout.Pages, p.Doc) {
				t.Error(err)
			}
			if again := write(t, p); !bytes.Equal(b, again) {
				t.Error("two writes of the same report differ")
			}
			files, _, err := unzip(b)
			if err != nil {
				t.Fatal(err)
			}
			outlines := 0
			for _, pg := range p.Layout.Pages {
				outlines += len(pg.Outline)
			}
			doc, _ := parse(files["Doc_0/Document.xml"])
			n := 0
			doc.all("OutlineElem", func(*node) { n++ })
			if n != outlines || n == 0 {
				t.Errorf("%d outline entries, the layout has %d", n, outlines)
			}
			entry, _ := parse(files["OFD.xml"])
			info := entry.child("DocBody").child("DocInfo")
			m := p.Doc.Meta
			for name, want := range map[string]string{"Title": m.Title, "Author": m.Author, "Creator": "govreport", "CreatorVersion": "1.0"} {
				if got := info.child(name); got == nil || got.text != want {
					t.Errorf("DocInfo %s = %v, want %q", name, got, want)
				}
			}

		})
	}
}

// TestDeterministic: the same report written from two preparations gives
// the same bytes, and a changed report another DocID.
func TestDeterministic(t *testing.T) {
	a := write(t, prepare(t, "../../testdata/reports/yongxing-2024.json"))
	b := write(t, prepare(t, "../../testdata/reports/yongxing-2024.json"))
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of one report differ")
	}
	c := write(t, prepare(t, "../../testdata/reports/horgos-2024.json"))
	docID := func(pkg []byte) string {
		files, _, _ := unzip(pkg)
		n, _ := parse(files["OFD.xml"])
		return n.child("DocBody").child("DocInfo").child("DocID").text
	}
	if docID(a) == docID(c) {
		t.Error("two reports share a DocID")
	}
}

// rezip rebuilds a package with edit applied to its files (nil drops one).
func rezip(t *testing.T, pkg []byte, edit func(name string, b []byte) []byte) []byte {
	t.Helper()
	files, order, err := unzip(pkg)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		b := edit(name, files[name])
		if b == nil {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBrokenOnPurpose shows that each check can fail: a package with one
// fault is refused with it.
func TestBrokenOnPurpose(t *testing.T) {
	p := prepare(t, "../../testdata/reports/yongxing-2024.json")
	good := write(t, p)
	if errs := check(good, p.Layout.Pages, p.Doc); len(errs) > 0 {
		t.Fatalf("the good package fails: %v", errs)
	}
	deltaX := regexp.MustCompile(`DeltaX="([^"]*) [^" ]+"`)
	for _, tc := range []struct {
		name string
		edit func(name string, b []byte) []byte
		want string
	}{
		{"page dropped", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_1/Content.xml" {
				return nil
			}
			return b
		}, "does not resolve"},
		{"font file dropped", func(n string, b []byte) []byte {
			if n == "Doc_0/Res/font_0.ttf" {
				return nil
			}
			return b
		}, "FontFile"},
		{"font not embedded", func(n string, b []byte) []byte {
			if n == "Doc_0/PublicRes.xml" {
				return regexp.MustCompile(`<ofd:FontFile>[^<]*</ofd:FontFile>`).ReplaceAllLiteral(b, nil)
			}
			return b
		}, "has no FontFile"},
		{"font cut short", func(n string, b []byte) []byte {
			if n == "Doc_0/Res/font_0.ttf" {
				return b[:len(b)/3]
			}
			return b
		}, "does not parse"},
		{"DeltaX value dropped", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_0/Content.xml" {
				done := false
				return deltaX.ReplaceAllFunc(b, func(m []byte) []byte {
					if done {
						return m
					}
					done = true
					return deltaX.ReplaceAll(m, []byte(`DeltaX="$1"`))
				})
			}
			return b
		}, "DeltaX values for"},
		{"glyph moved", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_0/Content.xml" {
				return bytes.Replace(b, []byte(`<ofd:TextCode X="0"`), []byte(`<ofd:TextCode X="0.2"`), 1)
			}
			return b
		}, "character 0 at"},
		{"text changed", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_2/Content.xml" {
				return bytes.Replace(b, []byte("政府"), []byte("政付"), 1)
			}
			return b
		}, "page 3 text"},
		{"ID repeated", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_1/Content.xml" {
				return regexp.MustCompile(`<ofd:TextObject ID="\d+"`).ReplaceAll(b, []byte(`<ofd:TextObject ID="1"`))
			}
			return b
		}, "is also in"},
		{"MaxUnitID too small", func(n string, b []byte) []byte {
			if n == "Doc_0/Document.xml" {
				return regexp.MustCompile(`<ofd:MaxUnitID>\d+<`).ReplaceAll(b, []byte(`<ofd:MaxUnitID>10<`))
			}
			return b
		}, "MaxUnitID"},
		{"not well-formed", func(n string, b []byte) []byte {
			if n == "Doc_0/PublicRes.xml" {
				return b[:len(b)-4]
			}
			return b
		}, "well-formed"},
		{"DocType changed", func(n string, b []byte) []byte {
			if n == "OFD.xml" {
				return bytes.Replace(b, []byte(`DocType="OFD"`), []byte(`DocType="OFD-X"`), 1)
			}
			return b
		}, "DocType OFD"},
		{"font file outside the package", func(n string, b []byte) []byte {
			if n == "Doc_0/PublicRes.xml" {
				return bytes.Replace(b, []byte(`<ofd:FontFile>font_0.ttf<`), []byte(`<ofd:FontFile>file:///usr/share/fonts/font_0.ttf<`), 1)
			}
			return b
		}, "outside the package"},
		{"tag names a missing object", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, "Tags/CustomTag.xml") {
				return regexp.MustCompile(`(<标题><ofd:ObjectRef PageRef="\d+">)\d+<`).ReplaceAll(b, []byte(`${1}99999<`))
			}
			return b
		}, "is no TextObject"},
		{"date tagged as the agency", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, "Tags/CustomTag.xml") {
				b = bytes.Replace(b, []byte("发文机关署名>"), []byte("X>"), 2)
				b = bytes.Replace(b, []byte("成文日期>"), []byte("发文机关署名>"), 2)
				return bytes.Replace(b, []byte("X>"), []byte("成文日期>"), 2)
			}
			return b
		}, "tag 成文日期 reads"},
		{"body object left untagged", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, "Tags/CustomTag.xml") {
				return regexp.MustCompile(`(<正文>)<ofd:ObjectRef [^>]*>\d+</ofd:ObjectRef>`).ReplaceAll(b, []byte(`$1`))
			}
			return b
		}, "tag 正文 reads"},
		{"metadata date changed", func(n string, b []byte) []byte {
			if n == "OFD.xml" {
				return regexp.MustCompile(`(<ofd:CustomData Name="成文日期">)[^<]*`).ReplaceAll(b, []byte(`${1}2025年1月21日`))
			}
			return b
		}, "CustomData 成文日期"},
		{"tag index dropped", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, "Tags/CustomTags.xml") {
				return nil
			}
			return b
		}, "CustomTags"},
		{"rule dropped", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_3/Content.xml" {
				return regexp.MustCompile(`<ofd:PathObject .*?</ofd:PathObject>`).ReplaceAllLiteral(b, nil)
			}
			return b
		}, "rules drawn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := check(rezip(t, good, tc.edit), p.Layout.Pages, p.Doc)
			t.Log(errs)
			if !slices.ContainsFunc(errs, func(e error) bool { return strings.Contains(e.Error(), tc.want) }) {
				t.Errorf("faults %v, want one with %q", errs, tc.want)
			}
		})
	}
}

// TestErrors: input no file can hold is an error naming it, and nothing is
// written.
func TestErrors(t *testing.T) {
	p := prepare(t, "../../testdata/reports/yongxing-2024.json")
	pages := slices.Clone(p.Layout.Pages)
	pages[1].Items = slices.Clone(pages[1].Items)
	for j := range pages[1].Items {
		if it := &pages[1].Items[j]; it.Kind == layout.ItemText && it.Text != "" {
			it.Text = "a\x01b"
			break
		}
	}
	var buf bytes.Buffer
	err := ofd.Render(context.Background(), &buf, pages, p.Doc)
	if err == nil || !strings.Contains(err.Error(), "page 2") || buf.Len() != 0 {
		t.Errorf("control character: err %v, %d bytes written", err, buf.Len())
	}
	if err := ofd.Render(context.Background(), &buf, nil, p.Doc); err == nil {
		t.Error("no pages: no error")
	}
}

// BenchmarkOFD and BenchmarkPDF write the seed report from one preparation:
// the cost of the writer alone, in CPU time per file.
func BenchmarkWrite(b *testing.B) {
	p := prepare(b, "../../testdata/reports/yongxing-2024.json")
	for _, f := range []render.Format{render.OFD, render.PDF} {
		b.Run(string(f), func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			cpu0, ok := processCPU()
			for b.Loop() {
				buf.Reset()
				if err := p.WriteTo(context.Background(), &buf, render.WriteOptions{Format: f}); err != nil {
					b.Fatal(err)
				}
			}
			if cpu1, ok1 := processCPU(); ok && ok1 {
				b.ReportMetric(float64(cpu1-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}

// TestConcurrent: documents written at once, sharing the pooled
// compressors, are each the document written alone.
func TestConcurrent(t *testing.T) {
	a := prepare(t, "../../testdata/reports/yongxing-2024.json")
	b := prepare(t, "../../testdata/reports/long-county-2022.json")
	wantA, wantB := write(t, a), write(t, b)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			p, want := a, wantA
			if i%2 == 1 {
				p, want = b, wantB
			}
			var buf bytes.Buffer
			if err := ofd.Render(context.Background(), &buf, p.Layout.Pages, p.Doc); err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(buf.Bytes(), want) {
				errs <- fmt.Errorf("writer %d: the bytes differ from a lone write", i)
				return
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestCanceled: a canceled render writes nothing.
func TestCanceled(t *testing.T) {
	p := prepare(t, "../../testdata/reports/yongxing-2024.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := ofd.Render(ctx, &buf, p.Layout.Pages, p.Doc); !errors.Is(err, context.Canceled) || buf.Len() != 0 {
		t.Errorf("err %v, %d bytes written", err, buf.Len())
	}
}
