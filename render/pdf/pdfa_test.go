package pdf_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/render"
)

// TestPDFA checks, one rule of ISO 19005-2 (PDF/A-2, level u) at a time, the
// rules a file of ours could break; veraPDF is not available here, so the file
// is read back with pdfcpu's object model and each rule is tested directly.
// The rules that cannot apply (no images, annotations, forms, actions,
// encryption or optional content are ever written) are checked as absences.
func TestPDFA(t *testing.T) {
	for _, path := range pdfcheck.ValidReports(t, "../..") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := render.Render(context.Background(), data, render.Options{Format: render.PDF, ChecksWarn: true})
			if err != nil {
				t.Fatal(err)
			}
			checkPDFA(t, res.Bytes)
		})
	}
}

// doc is a file read back with pdfcpu.
type doc struct {
	raw []byte
	x   *model.XRefTable
}

func readDoc(t *testing.T, pdf []byte) *doc {
	t.Helper()
	model.ConfigPath = "disable"
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	ctx, err := api.ReadContext(bytes.NewReader(pdf), conf)
	if err != nil {
		t.Fatalf("pdfcpu: %v", err)
	}
	return &doc{raw: pdf, x: ctx.XRefTable}
}

func (d *doc) dict(t *testing.T, o types.Object) types.Dict {
	t.Helper()
	v, err := d.x.DereferenceDict(o)
	if err != nil || v == nil {
		t.Fatalf("not a dictionary: %v (%v)", o, err)
	}
	return v
}

func (d *doc) stream(t *testing.T, o types.Object) (*types.StreamDict, []byte) {
	t.Helper()
	sd, _, err := d.x.DereferenceStreamDict(o)
	if err != nil || sd == nil {
		t.Fatalf("not a stream: %v (%v)", o, err)
	}
	if err := sd.Decode(); err != nil {
		t.Fatalf("decoding stream %v: %v", o, err)
	}
	return sd, sd.Content
}

// objects returns every object of the file, streams as their dictionaries.
func (d *doc) objects(t *testing.T) map[int]types.Object {
	t.Helper()
	out := map[int]types.Object{}
	for n, e := range d.x.Table {
		if e == nil || e.Free || n == 0 {
			continue
		}
		o, err := d.x.Dereference(*types.NewIndirectRef(n, 0))
		if err != nil {
			t.Fatalf("object %d: %v", n, err)
		}
		if o != nil {
			out[n] = o
		}
	}
	return out
}

// walk calls fn for every dictionary (stream dictionaries included) nested
// anywhere in o, and every direct value.
func walk(o types.Object, fn func(types.Object)) {
	fn(o)
	switch v := o.(type) {
	case types.Dict:
		for _, e := range v {
			walk(e, fn)
		}
	case types.StreamDict:
		walk(v.Dict, fn)
	case *types.StreamDict:
		walk(v.Dict, fn)
	case types.Array:
		for _, e := range v {
			walk(e, fn)
		}
	}
}

func checkPDFA(t *testing.T, pdf []byte) {
	d := readDoc(t, pdf)
	objs := d.objects(t)
	root := d.x.RootDict

	t.Run("6.1.2 header", func(t *testing.T) {
		ok := regexp.MustCompile(`^%PDF-1\.[0-7]\r?\n%`).Match(pdf)
		if i := bytes.IndexByte(pdf, '\n') + 2; !ok || i+4 > len(pdf) || pdf[i] < 128 || pdf[i+1] < 128 || pdf[i+2] < 128 || pdf[i+3] < 128 {
			t.Errorf("header %q: want %%PDF-1.n and a comment of four bytes above 127", pdf[:min(20, len(pdf))])
		}
	})
	t.Run("6.1.3 trailer", func(t *testing.T) {
		if len(d.x.ID) != 2 {
			t.Errorf("trailer ID %v: want two strings", d.x.ID)
		}
		if d.x.Encrypt != nil {
			t.Error("trailer has Encrypt")
		}
		if !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
			t.Errorf("file ends %q, want %%%%EOF and an end of line", pdf[max(0, len(pdf)-12):])
		}
	})
	t.Run("6.1.7 streams", func(t *testing.T) {
		for n, o := range objs {
			sd, ok := o.(types.StreamDict)
			if !ok {
				continue
			}
			for _, k := range []string{"F", "FFilter", "FDecodeParms"} {
				if _, has := sd.Dict[k]; has {
					t.Errorf("stream %d has /%s", n, k)
				}
			}
			if f, has := sd.Dict["Filter"]; has && f.String() != "FlateDecode" {
				t.Errorf("stream %d: filter %v, want FlateDecode only", n, f)
			}
		}
	})
	t.Run("6.1.13 implementation limits", func(t *testing.T) {
		for n, o := range objs {
			walk(o, func(v types.Object) {
				switch v := v.(type) {
				case types.Name:
					if len(v) > 127 {
						t.Errorf("object %d: name of %d bytes", n, len(v))
					}
				case types.StringLiteral:
					if len(v) > 32767 {
						t.Errorf("object %d: string of %d bytes", n, len(v))
					}
				case types.Integer:
					if int64(v) > math.MaxInt32 || int64(v) < math.MinInt32 {
						t.Errorf("object %d: integer %d", n, v)
					}
				case types.Dict:
					for k := range v {
						if len(k) > 127 {
							t.Errorf("object %d: key of %d bytes", n, len(k))
						}
					}
				}
			})
		}
	})
	t.Run("6.1.9-6.1.12, 6.3-6.9 nothing forbidden", func(t *testing.T) {
		// No actions or JavaScript (6.5, 6.6.1), annotations or forms (6.3,
		// 6.4), embedded files (6.8), optional content (6.9), alternate images
		// or PostScript (6.2.8, 6.2.5), nor encryption (6.1.3).
		// (/A is forbidden as an action, a dictionary with /S; a structure
		// element's /A holds its attributes.)
		forbidden := map[string]bool{"AA": true, "JS": true, "JavaScript": true, "Annots": true,
			"AcroForm": true, "EmbeddedFiles": true, "OCProperties": true, "Alternates": true, "PS": true,
			"Encrypt": true, "Names": true}
		for n, o := range objs {
			walk(o, func(v types.Object) {
				if dv, ok := v.(types.Dict); ok {
					for k := range dv {
						if forbidden[k] {
							t.Errorf("object %d has /%s", n, k)
						}
					}
					if a, ok := dv["A"].(types.Dict); ok && a["S"] != nil {
						t.Errorf("object %d has an action /A", n)
					}
				}
			})
		}
	})
	t.Run("6.2.3 output intent", func(t *testing.T) {
		arr, err := d.x.DereferenceArray(root["OutputIntents"])
		if err != nil || len(arr) != 1 {
			t.Fatalf("OutputIntents %v (%v): want one", root["OutputIntents"], err)
		}
		oi := d.dict(t, arr[0])
		if s := oi["S"]; s == nil || s.String() != "GTS_PDFA1" {
			t.Errorf("output intent /S %v, want GTS_PDFA1", s)
		}
		if oi["OutputConditionIdentifier"] == nil {
			t.Error("output intent lacks OutputConditionIdentifier")
		}
		sd, icc := d.stream(t, oi["DestOutputProfile"])
		if n := sd.Dict["N"]; n == nil || n.String() != "3" {
			t.Errorf("profile /N %v, want 3", n)
		}
		if len(icc) < 132 || int(binary.BigEndian.Uint32(icc)) != len(icc) || icc[8] != 2 ||
			string(icc[12:24]) != "mntrRGB XYZ " || string(icc[36:40]) != "acsp" {
			t.Errorf("ICC header % x: want a v2 RGB display profile of its own length", icc[:min(len(icc), 40)])
		}
	})
	fontsUsed := map[int]map[uint16]bool{} // font object → CIDs drawn
	t.Run("6.2.4.3 colour and 6.2.9-6.2.10 transparency", func(t *testing.T) {
		for n, o := range objs {
			walk(o, func(v types.Object) {
				if dv, ok := v.(types.Dict); ok {
					for _, k := range []string{"SMask", "Group", "CA", "ca", "BM", "ExtGState", "ColorSpace"} {
						if _, has := dv[k]; has {
							t.Errorf("object %d has /%s", n, k)
						}
					}
				}
			})
		}
		pages, err := d.x.DereferenceDict(root["Pages"])
		if err != nil {
			t.Fatal(err)
		}
		kids, _ := d.x.DereferenceArray(pages["Kids"])
		for i, k := range kids {
			pg := d.dict(t, k)
			res := d.dict(t, pg["Resources"])
			fontRes := d.dict(t, res["Font"])
			_, content := d.stream(t, pg["Contents"])
			var font int
			toks := tokens(content)
			for j, tok := range toks {
				switch tok {
				case "rg", "RG", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN", "gs", "Do", "sh", "BI":
					t.Errorf("page %d: operator %s (only DeviceGray g/G, no images or graphics states)", i+1, tok)
				case "Tf":
					ref, ok := fontRes[strings.TrimPrefix(toks[j-2], "/")].(types.IndirectRef)
					if !ok {
						t.Fatalf("page %d: font %s not in resources", i+1, toks[j-2])
					}
					font = ref.ObjectNumber.Value()
				case "Tj":
					s := toks[j-1]
					if !strings.HasPrefix(s, "<") {
						t.Fatalf("page %d: Tj of %q, want a hex string", i+1, s)
					}
					b, err := hex.DecodeString(strings.Trim(s, "<>"))
					if err != nil || len(b)%2 != 0 {
						t.Fatalf("page %d: string %s: not two bytes per code", i+1, s)
					}
					if fontsUsed[font] == nil {
						fontsUsed[font] = map[uint16]bool{}
					}
					for k := 0; k < len(b); k += 2 {
						fontsUsed[font][binary.BigEndian.Uint16(b[k:])] = true
					}
				}
			}
		}
	})
	t.Run("6.2.11 fonts", func(t *testing.T) {
		if len(fontsUsed) == 0 {
			t.Fatal("no text drawn")
		}
		for ref, cids := range fontsUsed {
			f := d.dict(t, *types.NewIndirectRef(ref, 0))
			if f["Subtype"].String() != "Type0" || f["Encoding"].String() != "Identity-H" {
				t.Errorf("font %d: %v %v, want Type0 Identity-H", ref, f["Subtype"], f["Encoding"])
				continue
			}
			desc, _ := d.x.DereferenceArray(f["DescendantFonts"])
			cf := d.dict(t, desc[0])
			// 6.2.11.3.2: a CIDFontType2 names its CIDToGIDMap.
			if cf["Subtype"].String() != "CIDFontType2" || cf["CIDToGIDMap"] == nil || cf["CIDSystemInfo"] == nil {
				t.Errorf("font %d: descendant %v lacks CIDToGIDMap or CIDSystemInfo", ref, cf)
			}
			fd := d.dict(t, cf["FontDescriptor"])
			// 6.2.11.4.1: the font program is embedded.
			_, prog := d.stream(t, fd["FontFile2"])
			ttf, err := sfnt.Parse(prog)
			if err != nil {
				t.Fatalf("font %d: embedded program: %v", ref, err)
			}
			// The glyph of each CID: the CID itself (/Identity) or, where
			// characters share a glyph, from the map stream.
			gidOf := func(cid uint16) uint16 { return cid }
			if cf["CIDToGIDMap"] != nil && cf["CIDToGIDMap"].String() != "Identity" {
				_, m := d.stream(t, cf["CIDToGIDMap"])
				gidOf = func(cid uint16) uint16 {
					if 2*int(cid)+2 > len(m) {
						return 0
					}
					return binary.BigEndian.Uint16(m[2*int(cid):])
				}
			}
			// 6.2.11.5: the widths in W (or DW) agree with the program's.
			widths := cidWidths(t, d, cf)
			var buf sfnt.Buffer
			upm := float64(ttf.UnitsPerEm())
			for cid := range cids {
				// 6.2.11.8: .notdef is never drawn.
				if cid == 0 {
					t.Errorf("font %d: CID 0 (.notdef) drawn", ref)
					continue
				}
				gid := gidOf(cid)
				if gid == 0 || int(gid) >= ttf.NumGlyphs() {
					t.Errorf("font %d: CID %d is glyph %d, not one of the program's %d glyphs", ref, cid, gid, ttf.NumGlyphs())
					continue
				}
				adv, err := ttf.GlyphAdvance(&buf, sfnt.GlyphIndex(gid), fixed.Int26_6(upm*64), 0)
				if err != nil {
					t.Fatal(err)
				}
				want := float64(adv) / 64 * 1000 / upm
				if math.Abs(widths(cid)-want) > 1 {
					t.Errorf("font %d: CID %d is %g wide in W, %g in the program", ref, cid, widths(cid), want)
				}
			}
			// 6.2.11.7.2 (level u): every drawn code maps to Unicode, never to
			// U+0000, U+FEFF or U+FFFE.
			_, cmap := d.stream(t, f["ToUnicode"])
			uni := parseToUnicode(t, cmap)
			for cid := range cids {
				switch u, ok := uni[cid]; {
				case !ok:
					t.Errorf("font %d: CID %d has no Unicode value", ref, cid)
				case u == 0 || u == 0xFEFF || u == 0xFFFE:
					t.Errorf("font %d: CID %d maps to U+%04X", ref, cid, u)
				}
			}
		}
	})
	t.Run("6.6 metadata", func(t *testing.T) {
		sd, xmpData := d.stream(t, root["Metadata"])
		if sd.Dict["Type"].String() != "Metadata" || sd.Dict["Subtype"].String() != "XML" {
			t.Errorf("metadata stream %v", sd.Dict)
		}
		if _, has := sd.Dict["Filter"]; has {
			t.Error("metadata stream is filtered; kept plain so that it can be read without PDF tools")
		}
		x := parseXMP(t, xmpData)
		if x["pdfaid:part"] != "2" || x["pdfaid:conformance"] != "U" {
			t.Errorf("XMP declares part %q conformance %q, want 2 U", x["pdfaid:part"], x["pdfaid:conformance"])
		}
		// 6.6.2.3.1: each Info entry equals its XMP counterpart.
		info := d.dict(t, *d.x.Info)
		for key, prop := range map[string]string{"Title": "dc:title", "Author": "dc:creator", "Subject": "dc:description",
			"Keywords": "pdf:Keywords", "Creator": "xmp:CreatorTool", "Producer": "pdf:Producer",
			"CreationDate": "xmp:CreateDate", "ModDate": "xmp:ModifyDate"} {
			v, ok := info[key]
			if !ok {
				if x[prop] != "" {
					t.Errorf("XMP %s %q without Info /%s", prop, x[prop], key)
				}
				continue
			}
			s := textOf(t, v)
			if strings.HasSuffix(key, "Date") {
				pd, ok := types.DateTime(s, false)
				xd, err := time.Parse(time.RFC3339, x[prop])
				if !ok || err != nil || !pd.Equal(xd) {
					t.Errorf("Info /%s %q and XMP %s %q differ", key, s, prop, x[prop])
				}
				continue
			}
			if s != x[prop] {
				t.Errorf("Info /%s %q and XMP %s %q differ", key, s, prop, x[prop])
			}
		}
		if x["dc:title"] == "" {
			t.Error("no dc:title")
		}
	})
}

// tokens splits a content stream into its tokens; a dictionary or array
// operand is one token.
func tokens(b []byte) []string {
	var out []string
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '[':
			open, close := "<<", ">>"
			if c == '[' {
				open, close = "[", "]"
			}
			depth, j := 0, i
			for j < len(b) {
				if bytes.HasPrefix(b[j:], []byte(open)) {
					depth++
					j += len(open)
				} else if bytes.HasPrefix(b[j:], []byte(close)) {
					depth--
					j += len(close)
					if depth == 0 {
						break
					}
				} else {
					j++
				}
			}
			out = append(out, string(b[i:j]))
			i = j
		case c == '<':
			j := bytes.IndexByte(b[i:], '>')
			out = append(out, string(b[i:i+j+1]))
			i += j + 1
		default:
			j := i + 1
			for j < len(b) && !strings.ContainsRune(" \n\r\t<[/", rune(b[j])) {
				j++
			}
			out = append(out, string(b[i:j]))
			i = j
		}
	}
	return out
}

// cidWidths returns the width of each CID from a CIDFont's DW and W.
func cidWidths(t *testing.T, d *doc, cf types.Dict) func(uint16) float64 {
	dw := 1000.0
	if v, ok := cf["DW"]; ok {
		dw = number(t, v)
	}
	w := map[uint16]float64{}
	arr, _ := d.x.DereferenceArray(cf["W"])
	for i := 0; i < len(arr); {
		first := int(number(t, arr[i]))
		if ws, ok := arr[i+1].(types.Array); ok {
			for k, v := range ws {
				w[uint16(first+k)] = number(t, v)
			}
			i += 2
			continue
		}
		last := int(number(t, arr[i+1]))
		for c := first; c <= last; c++ {
			w[uint16(c)] = number(t, arr[i+2])
		}
		i += 3
	}
	return func(c uint16) float64 {
		if v, ok := w[c]; ok {
			return v
		}
		return dw
	}
}

func number(t *testing.T, o types.Object) float64 {
	switch v := o.(type) {
	case types.Integer:
		return float64(v)
	case types.Float:
		return float64(v)
	}
	t.Fatalf("%v is not a number", o)
	return 0
}

var (
	bfcharRE  = regexp.MustCompile(`<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,8})>`)
	bfrangeRE = regexp.MustCompile(`<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,8})>`)
	sectionRE = regexp.MustCompile(`(?s)begin(bfchar|bfrange)(.*?)end(bfchar|bfrange)`)
)

// parseToUnicode reads the bfchar and bfrange entries of a ToUnicode CMap
// (single UTF-16 units are enough for the BMP characters the writer allows).
func parseToUnicode(t *testing.T, cmap []byte) map[uint16]rune {
	out := map[uint16]rune{}
	hex16 := func(s string) uint16 {
		v, err := strconv.ParseUint(s[:4], 16, 16)
		if err != nil {
			t.Fatal(err)
		}
		return uint16(v)
	}
	for _, sec := range sectionRE.FindAllSubmatch(cmap, -1) {
		if string(sec[1]) == "bfchar" {
			for _, m := range bfcharRE.FindAllSubmatch(sec[2], -1) {
				out[hex16(string(m[1]))] = rune(hex16(string(m[2])))
			}
			continue
		}
		for _, m := range bfrangeRE.FindAllSubmatch(sec[2], -1) {
			lo, hi, u := hex16(string(m[1])), hex16(string(m[2])), rune(hex16(string(m[3])))
			for c := int(lo); c <= int(hi); c++ {
				out[uint16(c)] = u + rune(c-int(lo))
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("ToUnicode CMap maps nothing:\n%s", cmap)
	}
	return out
}

func textOf(t *testing.T, o types.Object) string {
	var s string
	var err error
	switch v := o.(type) {
	case types.StringLiteral:
		s, err = types.StringLiteralToString(v)
	case types.HexLiteral:
		s, err = types.HexLiteralToString(v)
	default:
		err = fmt.Errorf("not a string: %v", o)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parseXMP returns the text of each property of the packet's rdf:Description
// (the first rdf:li of an Alt or Seq) by prefixed name.
func parseXMP(t *testing.T, b []byte) map[string]string {
	prefixes := map[string]string{
		"http://www.aiim.org/pdfa/ns/id/": "pdfaid", "http://purl.org/dc/elements/1.1/": "dc",
		"http://ns.adobe.com/xap/1.0/": "xmp", "http://ns.adobe.com/pdf/1.3/": "pdf",
		"http://www.aiim.org/pdfua/ns/id/": "pdfuaid",
	}
	out := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var prop string
	var depth int
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			if p, ok := prefixes[e.Name.Space]; ok && depth == 4 {
				prop = p + ":" + e.Name.Local
			}
		case xml.EndElement:
			depth--
			if depth < 4 {
				prop = ""
			}
		case xml.CharData:
			if prop != "" && out[prop] == "" && strings.TrimSpace(string(e)) != "" {
				out[prop] = string(e)
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("XMP packet has no properties:\n%s", b)
	}
	return out
}
