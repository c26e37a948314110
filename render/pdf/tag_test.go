package pdf_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render"
)

// TestTagged reads the structure tree back as a screen reader's tools do
// (poppler's pdfinfo -struct-text) and checks it against the document tree:
// every heading and paragraph in order under Document, each table one Table
// whose every cell appears exactly once as TH (with /Scope) or TD, page numbers
// nowhere; and the catalog's declarations for PDF/UA-1.
func TestTagged(t *testing.T) {
	for _, path := range pdfcheck.ValidReports(t, "../..") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := render.Prepare(context.Background(), data, render.PrepareOptions{ChecksWarn: true})
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Write(context.Background(), render.WriteOptions{Format: render.PDF})
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "out.pdf")
			if err := os.WriteFile(file, res.Bytes, 0o644); err != nil {
				t.Fatal(err)
			}
			if info := pdfcheck.Tool(t, "pdfinfo", file); !regexp.MustCompile(`(?m)^Tagged:\s+yes$`).MatchString(info) {
				t.Errorf("pdfinfo does not say Tagged: yes:\n%s", info)
			}
			// poppler's -struct-text takes seconds of CPU on a long report, so
			// the listing is read for the seed and the long report; the
			// structure of every report is checked below.
			if b := filepath.Base(path); b == "yongxing-2024.json" || b == "long-county-2022.json" {
				tree := parseStructText(t, pdfcheck.Tool(t, "pdfinfo", "-struct-text", file))
				checkTree(t, tree, p.Doc)
			}
			checkMCIDs(t, res.Bytes)
			checkUA(t, res.Bytes)
		})
	}
}

// TestEveryItemHasAPart checks, for every valid test report, that the layout
// gives every item it emits a part that names an element of the document (a
// block of the right kind, a cell of that table), so that the tagger never
// has to guess; and that the PDF does not depend on the boxes' names: with
// every Box blanked the file is byte for byte the same.
func TestEveryItemHasAPart(t *testing.T) {
	for _, path := range pdfcheck.ValidReports(t, "../..") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := render.Prepare(context.Background(), data, render.PrepareOptions{ChecksWarn: true})
			if err != nil {
				t.Fatal(err)
			}
			counts := map[layout.PartKind]int{}
			for _, pg := range p.Layout.Pages {
				for j, it := range pg.Items {
					if err := partMatches(p.Doc, it); err != nil {
						t.Errorf("page %d, item %d (box %q, text %q): %v", pg.Number, j, it.Box, it.Text, err)
					}
					counts[it.Part.Kind]++
				}
			}
			for _, k := range []layout.PartKind{layout.PartTitle, layout.PartHeading, layout.PartParagraph,
				layout.PartCell, layout.PartSignature, layout.PartPageNumber, layout.PartRule} {
				if counts[k] == 0 {
					t.Errorf("no item is a %s", k)
				}
			}

			want, err := p.Write(context.Background(), render.WriteOptions{Format: render.PDF})
			if err != nil {
				t.Fatal(err)
			}
			blank := *p.Layout
			blank.Pages = make([]layout.Page, len(p.Layout.Pages))
			for i, pg := range p.Layout.Pages {
				pg.Items = slices.Clone(pg.Items)
				for j := range pg.Items {
					pg.Items[j].Box = ""
				}
				blank.Pages[i] = pg
			}
			q := *p
			q.Layout = &blank
			got, err := q.Write(context.Background(), render.WriteOptions{Format: render.PDF})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes, want.Bytes) {
				t.Error("the PDF changes when the items' boxes lose their names")
			}
		})
	}
}

// partMatches reports what is wrong with an item's part: unset, or naming a
// block, line, run or cell the document does not have.
func partMatches(doc *layout.Document, it layout.Item) error {
	pt := it.Part
	switch pt.Kind {
	case layout.PartNone:
		return fmt.Errorf("no part")
	case layout.PartRule:
		if it.Kind != layout.ItemLine {
			return fmt.Errorf("a rule that is not a line")
		}
		return nil
	case layout.PartPageNumber:
		if it.Kind != layout.ItemText {
			return fmt.Errorf("a page number that is not text")
		}
		return nil
	}
	if it.Kind != layout.ItemText {
		return fmt.Errorf("a %s line", pt.Kind)
	}
	if pt.Block < 0 || int(pt.Block) >= len(doc.Blocks) {
		return fmt.Errorf("block %d of %d", pt.Block, len(doc.Blocks))
	}
	b := doc.Blocks[pt.Block]
	ok := false
	switch b := b.(type) {
	case *layout.Title:
		ok = pt.Kind == layout.PartTitle && strings.Contains(b.Text, it.Text)
	case *layout.Heading:
		ok = pt.Kind == layout.PartHeading && int(pt.Level) == b.Level && strings.Contains(b.Text, it.Text)
	case *layout.Paragraph:
		ok = pt.Kind == layout.PartParagraph && pt.Run >= 0 && int(pt.Run) < len(b.Runs) && strings.Contains(b.Runs[pt.Run].Text, it.Text)
	case *layout.Signature:
		ok = pt.Kind == layout.PartSignature && (strings.Contains(b.Agency, it.Text) || strings.Contains(b.Date, it.Text))
	case *layout.Table:
		if pt.Kind != layout.PartCell || pt.Cell < 0 || int(pt.Cell) >= len(b.Cells) {
			return fmt.Errorf("%s %d of %T with %d cells", pt.Kind, pt.Cell, b, len(b.Cells))
		}
		c := b.Cells[pt.Cell]
		ok = c.Row == int(pt.Row) && c.Col == int(pt.Col) && strings.Contains(c.Text, it.Text) &&
			(pt.Scope == layout.ScopeNone) == (c.Kind == layout.CellData)
	}
	if !ok {
		return fmt.Errorf("%+v does not match block %d (%T)", pt, pt.Block, b)
	}
	return nil
}

// node is an element of pdfinfo -struct-text's listing.
type node struct {
	typ   string
	attrs []string // "/Scope /Column", …
	text  string   // the element's own text, concatenated
	kids  []*node
}

// parseStructText reads pdfinfo -struct-text's indented listing: an element
// per line ("TH:" when attributes follow, one per line), quoted text.
func parseStructText(t *testing.T, out string) *node {
	root := &node{typ: "(root)"}
	type open struct {
		n      *node
		indent int
	}
	stack := []open{{root, -1}}
	for _, line := range strings.Split(out, "\n") {
		trim := strings.TrimLeft(line, " ")
		if trim == "" {
			continue
		}
		indent := len(line) - len(trim)
		for len(stack) > 1 && stack[len(stack)-1].indent >= indent && !(strings.HasPrefix(trim, "/") || strings.HasPrefix(trim, "\"")) {
			stack = stack[:len(stack)-1]
		}
		top := stack[len(stack)-1].n
		switch {
		case strings.HasPrefix(trim, "\""):
			s, err := strconv.Unquote(trim)
			if err != nil {
				s = strings.Trim(trim, "\"")
			}
			top.text += s
		case strings.HasPrefix(trim, "/"):
			top.attrs = append(top.attrs, strings.Join(strings.Fields(trim), " "))
		default:
			typ := strings.Fields(strings.TrimSuffix(trim, ":"))[0]
			n := &node{typ: strings.TrimSuffix(typ, ":")}
			top.kids = append(top.kids, n)
			stack = append(stack, open{n, indent})
		}
	}
	if len(root.kids) != 1 || root.kids[0].typ != "Document" {
		t.Fatalf("structure does not start with one Document:\n%s", out)
	}
	return root.kids[0]
}

func (n *node) all(fn func(*node)) {
	fn(n)
	for _, k := range n.kids {
		k.all(fn)
	}
}

func (n *node) fullText() string {
	var b strings.Builder
	n.all(func(m *node) { b.WriteString(m.text) })
	return b.String()
}

func checkTree(t *testing.T, doc *node, d *layout.Document) {
	// The document's blocks, in order, as element types and texts.
	type want struct{ typ, text string }
	var wants []want
	var tables []*layout.Table
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case *layout.Title:
			wants = append(wants, want{"H1", b.Text})
		case *layout.Heading:
			typ := "H2"
			if b.Level >= 2 {
				typ = "H3"
			}
			wants = append(wants, want{typ, b.Text})
		case *layout.Paragraph:
			if len(b.Runs) > 1 {
				wants = append(wants, want{"H3", b.Runs[0].Text})
				var rest strings.Builder
				for _, r := range b.Runs[1:] {
					rest.WriteString(r.Text)
				}
				wants = append(wants, want{"P", rest.String()})
				continue
			}
			wants = append(wants, want{"P", b.Runs[0].Text})
		case *layout.Table:
			wants = append(wants, want{"Table", b.Name})
			tables = append(tables, b)
		case *layout.Signature:
			wants = append(wants, want{"P", b.Agency + b.Date})
		}
	}
	if len(doc.kids) != len(wants) {
		var got []string
		for _, k := range doc.kids {
			got = append(got, k.typ)
		}
		t.Fatalf("Document has %d elements (%s), the document tree %d blocks", len(doc.kids), strings.Join(got, " "), len(wants))
	}
	squash := pdfcheck.Squash
	ti := 0
	for i, w := range wants {
		k := doc.kids[i]
		if k.typ != w.typ {
			t.Errorf("element %d is %s, want %s (%q)", i, k.typ, w.typ, w.text)
			continue
		}
		if w.typ == "Table" {
			checkTable(t, k, tables[ti])
			ti++
			continue
		}
		if squash(k.fullText()) != squash(w.text) {
			t.Errorf("%s %d reads %q, want %q", k.typ, i, k.fullText(), w.text)
		}
	}
	doc.all(func(n *node) {
		if regexp.MustCompile(`—\s*\d+\s*—`).MatchString(n.text) {
			t.Errorf("a page number is in the structure: %s %q", n.typ, n.text)
		}
	})
}

// checkTable checks that every cell of the table is one TH or TD of the
// Table, in its row, with its text, spans, and /Scope on every TH.
func checkTable(t *testing.T, te *node, tb *layout.Table) {
	var cells []*node
	for _, tr := range te.kids {
		if tr.typ != "TR" {
			t.Errorf("%s: %s in a Table, want TR", tb.Name, tr.typ)
			continue
		}
		cells = append(cells, tr.kids...)
	}
	if len(cells) != len(tb.Cells) {
		t.Fatalf("%s: %d TH/TD elements, %d cells", tb.Name, len(cells), len(tb.Cells))
	}
	// The cells in row order, as the tagger lists them.
	byRow := make([][]layout.Cell, tb.Rows)
	for _, c := range tb.Cells {
		byRow[c.Row] = append(byRow[c.Row], c)
	}
	i := 0
	for _, row := range byRow {
		for _, c := range row {
			n := cells[i]
			i++
			wantTyp := "TH"
			if c.Kind == layout.CellData {
				wantTyp = "TD"
			}
			if n.typ != wantTyp {
				t.Errorf("%s r%dc%d %q is %s, want %s", tb.Name, c.Row+1, c.Col+1, c.Text, n.typ, wantTyp)
			}
			if pdfcheck.Squash(n.fullText()) != pdfcheck.Squash(c.Text) {
				t.Errorf("%s r%dc%d reads %q, want %q (each cell once: no repeated header)", tb.Name, c.Row+1, c.Col+1, n.fullText(), c.Text)
			}
			attrs := strings.Join(n.attrs, " ")
			if n.typ == "TH" && !regexp.MustCompile(`/Scope /(Row|Column|Both)`).MatchString(attrs) {
				t.Errorf("%s r%dc%d TH without /Scope: %q", tb.Name, c.Row+1, c.Col+1, attrs)
			}
			if c.RowSpan > 1 && !strings.Contains(attrs, "/RowSpan "+strconv.Itoa(c.RowSpan)) {
				t.Errorf("%s r%dc%d lacks /RowSpan %d: %q", tb.Name, c.Row+1, c.Col+1, c.RowSpan, attrs)
			}
			if c.ColSpan > 1 && !strings.Contains(attrs, "/ColSpan "+strconv.Itoa(c.ColSpan)) {
				t.Errorf("%s r%dc%d lacks /ColSpan %d: %q", tb.Name, c.Row+1, c.Col+1, c.ColSpan, attrs)
			}
		}
	}
}

var mcidRE = regexp.MustCompile(`<</MCID (\d+)>>\s*BDC`)

// checkMCIDs is a small checker of the marked content against the structure
// tree: every MCID of every content stream is in the page's parent-tree array
// and referenced by exactly the element the parent tree names, and every
// element's marked content exists.
func checkMCIDs(t *testing.T, pdf []byte) {
	d := readDoc(t, pdf)
	root := d.x.RootDict
	str := d.dict(t, root["StructTreeRoot"])
	pt := d.dict(t, str["ParentTree"])
	nums, _ := d.x.DereferenceArray(pt["Nums"])
	parents := map[int]types.Array{} // StructParents → elements by MCID
	for i := 0; i+1 < len(nums); i += 2 {
		a, _ := d.x.DereferenceArray(nums[i+1])
		parents[int(nums[i].(types.Integer))] = a
	}
	// Content: (page object, MCID) pairs.
	type mc struct{ page, mcid int }
	inContent := map[mc]bool{}
	pageParents := map[int]int{}
	pages, _ := d.x.DereferenceDict(root["Pages"])
	kids, _ := d.x.DereferenceArray(pages["Kids"])
	for _, k := range kids {
		ref := k.(types.IndirectRef)
		pg := d.dict(t, ref)
		sp, ok := pg["StructParents"].(types.Integer)
		if !ok {
			t.Fatalf("page %v has no StructParents", ref)
		}
		pageParents[ref.ObjectNumber.Value()] = int(sp)
		_, content := d.stream(t, pg["Contents"])
		for _, m := range mcidRE.FindAllSubmatch(content, -1) {
			id, _ := strconv.Atoi(string(m[1]))
			key := mc{ref.ObjectNumber.Value(), id}
			if inContent[key] {
				t.Errorf("page %v: MCID %d used twice", ref, id)
			}
			inContent[key] = true
			if arr := parents[int(sp)]; id >= len(arr) || arr[id] == nil {
				t.Errorf("page %v: MCID %d not in the parent tree", ref, id)
			}
		}
	}
	// Structure: walk the elements and collect their marked content.
	inTree := map[mc]int{} // → element object
	var walkElem func(o types.Object, depth int)
	walkElem = func(o types.Object, depth int) {
		ref, ok := o.(types.IndirectRef)
		if !ok || depth > 64 {
			t.Fatalf("structure element %v is not an indirect reference", o)
		}
		e := d.dict(t, ref)
		pg := 0
		if p, ok := e["Pg"].(types.IndirectRef); ok {
			pg = p.ObjectNumber.Value()
		}
		var ks types.Array
		switch k := e["K"].(type) {
		case types.Array:
			ks = k
		case nil:
		default:
			ks = types.Array{k}
		}
		for _, k := range ks {
			switch k := k.(type) {
			case types.Integer:
				inTree[mc{pg, int(k)}] = ref.ObjectNumber.Value()
			case types.Dict: // MCR
				p := k["Pg"].(types.IndirectRef)
				inTree[mc{p.ObjectNumber.Value(), int(k["MCID"].(types.Integer))}] = ref.ObjectNumber.Value()
			case types.IndirectRef:
				walkElem(k, depth+1)
			}
		}
	}
	walkElem(str["K"], 0)
	for key, elem := range inTree {
		if !inContent[key] {
			t.Errorf("element %d refers to MCID %d on page object %d, which no content stream marks", elem, key.mcid, key.page)
			continue
		}
		arr := parents[pageParents[key.page]]
		if ref, ok := arr[key.mcid].(types.IndirectRef); !ok || ref.ObjectNumber.Value() != elem {
			t.Errorf("parent tree names %v for MCID %d on page object %d, the tree element %d", arr[key.mcid], key.mcid, key.page, elem)
		}
	}
	for key := range inContent {
		if _, ok := inTree[key]; !ok {
			t.Errorf("MCID %d on page object %d belongs to no element", key.mcid, key.page)
		}
	}
	if len(inContent) == 0 {
		t.Error("no marked content")
	}
}

// checkUA checks the catalog and metadata declarations of PDF/UA-1.
func checkUA(t *testing.T, pdf []byte) {
	d := readDoc(t, pdf)
	root := d.x.RootDict
	if lang, _ := root["Lang"].(types.StringLiteral); string(lang) != "zh-CN" {
		t.Errorf("catalog /Lang %v, want (zh-CN)", root["Lang"])
	}
	mi := d.dict(t, root["MarkInfo"])
	if b, _ := mi["Marked"].(types.Boolean); !bool(b) {
		t.Errorf("MarkInfo %v, want Marked true", mi)
	}
	vp := d.dict(t, root["ViewerPreferences"])
	if b, _ := vp["DisplayDocTitle"].(types.Boolean); !bool(b) {
		t.Errorf("ViewerPreferences %v, want DisplayDocTitle true", vp)
	}
	_, xmpData := d.stream(t, root["Metadata"])
	x := parseXMP(t, xmpData)
	if x["pdfuaid:part"] != "1" || x["dc:title"] == "" {
		t.Errorf("XMP pdfuaid:part %q, dc:title %q: want 1 and a title", x["pdfuaid:part"], x["dc:title"])
	}
}
