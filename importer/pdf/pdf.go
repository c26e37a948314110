// Package pdf reads a text PDF back into the flow of a report (package
// flow): paragraphs and tables in reading order, rebuilt from the glyphs'
// positions and the tables' ruling lines.
//
// It is written for the PDFs reports are published as — made by WPS,
// Word, LibreOffice or govreport — and for hostile ones: every count the
// input drives (objects, pages, decoded bytes, operators, glyphs, nesting)
// has a limit, and the context is checked as it goes.
//
// Why our own content-stream reader: pdfcpu, already a dependency for the
// tests, reads the file's structure well (xref tables and streams, object
// streams, incremental updates, filters with decode limits, encryption
// with an empty user password) but does not interpret content streams or
// decode text. rsc.io/pdf v0.1.1 and its fork github.com/ledongthuc/pdf
// do: the first gives no Chinese at all (its Type0 fonts ignore
// ToUnicode), the second reads our PDFs but inserts wrong characters into
// LibreOffice's (56 of 98 texts right), and both take 0.14–1.3 s a file (ours
// 22–40 ms) and panic on bad input. The measurement is in
// docs/import-pdf.md. So pdfcpu reads the objects and this package the
// content streams, fonts and CMaps.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/govreport/govreport/importer/flow"
)

// ErrNoText says that the PDF has no text layer: its pages are images
// (a scan). Guessing its text would be OCR, which the importer does not do.
var ErrNoText = errors.New("the PDF has no text layer (a scanned document?)")

// ErrEncrypted says that the PDF needs a password to be read.
var ErrEncrypted = errors.New("the PDF is encrypted with a password")

// ErrLimit says that the PDF exceeds one of the reader's limits.
var ErrLimit = errors.New("the PDF exceeds a limit of the reader")

// Limits on what a file may make the reader do. A report is under 50
// pages, a few hundred objects and a few MB; these are far above.
const (
	maxPages       = 500
	maxObjects     = 200_000
	maxStreamBytes = 32 << 20  // decoded bytes of one stream
	maxTotalBytes  = 256 << 20 // decoded bytes of all streams
	maxOps         = 4_000_000 // content operators and CMap tokens
	maxGlyphs      = 1_000_000
	maxNesting     = 32 // q, arrays and dictionaries
	maxFormDepth   = 8  // form XObjects inside form XObjects
	maxCodes       = 1 << 16
	maxFonts       = 2000
	maxRules       = 200_000
	maxRulePairs   = 4_000_000 // work on one page's ruling lines
)

var pdfcpuConfig = sync.OnceValue(func() *model.Configuration {
	model.ConfigPath = "disable" // no config file written to the user's directory
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Limits.MaxStreamBytes = maxStreamBytes
	conf.Limits.MaxDecodeBytes = maxStreamBytes
	conf.Limits.MaxObjectCount = maxObjects
	conf.Limits.MaxObjectStreamCount = maxObjects
	conf.Limits.MaxXRefEntries = maxObjects
	conf.Limits.MaxObjectStreamFirst = 1 << 20
	conf.Limits.MaxRecursionDepth = 64
	return conf
})

// Read reads the text and tables of a PDF in reading order. A PDF whose
// pages have no text gives an error wrapping ErrNoText; one that exceeds
// a limit, ErrLimit; one that needs a password, ErrEncrypted.
func Read(ctx context.Context, data []byte) (*flow.Doc, error) {
	pages, err := readPages(ctx, data)
	if err != nil {
		return nil, err
	}
	glyphs, images := 0, 0
	for _, p := range pages {
		glyphs += len(p.glyphs)
		images += p.images
	}
	if glyphs == 0 {
		if images > 0 {
			return nil, fmt.Errorf("pdf: %d pages of images: %w", len(pages), ErrNoText)
		}
		return nil, fmt.Errorf("pdf: %d pages without text: %w", len(pages), ErrNoText)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return buildFlow(ctx, pages)
}

// reader is one reading of one file.
type reader struct {
	ctx   context.Context
	x     *model.XRefTable
	fonts map[int]*font // by object number
	ops   int
	bytes int64
	glyph int
	err   error // the first limit or cancellation met
}

// step counts an operation and says whether to stop.
func (r *reader) step() error {
	if r.err != nil {
		return r.err
	}
	r.ops++
	if r.ops > maxOps {
		r.err = fmt.Errorf("pdf: more than %d content operators: %w", maxOps, ErrLimit)
	} else if r.ops&0xffff == 0 {
		r.err = r.ctx.Err()
	}
	return r.err
}

// readContext reads the file's structure with pdfcpu. Not through its api
// package, which does the same but links pdfcpu's form filling and with it
// go-runewidth, whose init costs every command of the binary 50 ms on
// the project's machine (GODEBUG=inittrace=1). fault.Catch turns pdfcpu's
// own internal panics (its fault.Panic, which it uses as exceptions) into
// errors, as api.ReadContext does; any other panic is a bug and stays one.
func readContext(data []byte, conf *model.Configuration) (pc *model.Context, err error) {
	defer fault.Catch(&err)
	return pdfcpu.Read(bytes.NewReader(data), conf)
}

func readPages(ctx context.Context, data []byte) (pages []*page, err error) {
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return nil, errors.New("pdf: not a PDF file (no %PDF- header)")
	}
	conf := *pdfcpuConfig() // a copy: pdfcpu may write to it as it reads
	pc, err := readContext(data, &conf)
	if err != nil {
		if errors.Is(err, pdfcpu.ErrWrongPassword) {
			return nil, fmt.Errorf("pdf: %w", ErrEncrypted)
		}
		return nil, fmt.Errorf("pdf: reading the file's structure: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &reader{ctx: ctx, x: pc.XRefTable, fonts: map[int]*font{}}
	var root types.Dict
	if pc.XRefTable.Root != nil {
		root = r.dict(*pc.XRefTable.Root)
	}
	if root == nil {
		return nil, errors.New("pdf: the file has no catalog")
	}
	var refs []pageRef
	if err := r.walk(root["Pages"], pageRef{}, 0, map[int]bool{}, &refs); err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, errors.New("pdf: the file has no pages")
	}
	for i, ref := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := r.page(i+1, ref)
		if err != nil {
			return nil, err
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// pageRef is a page of the page tree with what it inherits.
type pageRef struct {
	d      types.Dict
	res    types.Dict
	media  types.Array
	rotate int
}

// walk collects the pages of the page tree under o, in order. The tree is
// walked here rather than by pdfcpu so that a broken tree is an error, not
// a panic: cycles, depth and the number of pages are bounded.
func (r *reader) walk(o types.Object, inh pageRef, depth int, seen map[int]bool, out *[]pageRef) error {
	if depth > maxNesting {
		return fmt.Errorf("pdf: the page tree is more than %d deep: %w", maxNesting, ErrLimit)
	}
	if ref, ok := o.(types.IndirectRef); ok {
		n := ref.ObjectNumber.Value()
		if seen[n] {
			return errors.New("pdf: the page tree has a cycle")
		}
		seen[n] = true
	}
	d := r.dict(o)
	if d == nil {
		return nil
	}
	if res := r.dict(d["Resources"]); res != nil {
		inh.res = res
	}
	if mb := r.array(d["MediaBox"]); len(mb) == 4 {
		inh.media = mb
	}
	if rot, ok := r.num(d["Rotate"]); ok {
		inh.rotate = ((int(rot)/90)%4 + 4) % 4 * 90
	}
	kids, isTree := d["Kids"]
	if !isTree || r.name(d["Type"]) == "Page" {
		if len(*out) >= maxPages {
			return fmt.Errorf("pdf: more than %d pages: %w", maxPages, ErrLimit)
		}
		inh.d = d
		*out = append(*out, inh)
		return nil
	}
	for _, k := range r.array(kids) {
		if err := r.walk(k, inh, depth+1, seen, out); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) page(n int, ref pageRef) (*page, error) {
	p := &page{num: n, w: 595.28, h: 841.89}
	if mb := ref.media; len(mb) == 4 {
		var v [4]float64
		for i := range v {
			v[i], _ = r.num(mb[i])
		}
		x0, y0 := math.Min(v[0], v[2]), math.Min(v[1], v[3])
		w, h := math.Abs(v[2]-v[0]), math.Abs(v[3]-v[1])
		if w > 0 && h > 0 && w < 1e5 && h < 1e5 {
			p.w, p.h, p.x0, p.y0 = w, h, x0, y0
		}
	}
	d := ref.d
	res := ref.res

	var content []byte
	switch c := r.resolve(d["Contents"]).(type) {
	case types.StreamDict:
		content = r.decode(&c)
	case types.Array:
		for _, o := range c {
			if sd := r.stream(o); sd != nil {
				content = append(content, sd...)
				content = append(content, '\n')
			}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	in := &interp{r: r, p: p}
	in.run(content, res, p.display(ref.rotate), 0)
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}

// resolve follows an indirect reference.
func (r *reader) resolve(o types.Object) types.Object {
	for i := 0; i < 8; i++ {
		ref, ok := o.(types.IndirectRef)
		if !ok {
			return o
		}
		v, err := r.x.Dereference(ref)
		if err != nil {
			return nil
		}
		o = v
	}
	return nil
}

func (r *reader) dict(o types.Object) types.Dict {
	switch v := r.resolve(o).(type) {
	case types.Dict:
		return v
	case types.StreamDict:
		return v.Dict
	}
	return nil
}

func (r *reader) array(o types.Object) types.Array {
	a, _ := r.resolve(o).(types.Array)
	return a
}

func (r *reader) name(o types.Object) string {
	n, _ := r.resolve(o).(types.Name)
	return string(n)
}

func (r *reader) num(o types.Object) (float64, bool) {
	var f float64
	switch v := r.resolve(o).(type) {
	case types.Integer:
		f = float64(v)
	case types.Float:
		f = float64(v)
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// stream returns the decoded bytes of a stream object, nil if it is not
// one or cannot be decoded.
func (r *reader) stream(o types.Object) []byte {
	sd, ok := r.resolve(o).(types.StreamDict)
	if !ok {
		return nil
	}
	return r.decode(&sd)
}

func (r *reader) decode(sd *types.StreamDict) []byte {
	if r.err != nil {
		return nil
	}
	// A copy: pdfcpu's Decode keeps the content in the dictionary.
	c := *sd
	c.Content = nil
	b, err := c.DecodeLengthWithLimit(-1, maxStreamBytes)
	if errors.Is(err, filter.ErrDecodeLimitExceeded) {
		r.err = fmt.Errorf("pdf: a stream decodes to more than %d MiB: %w", maxStreamBytes>>20, ErrLimit)
		return nil
	}
	if err != nil {
		return nil // a stream that does not decode is skipped, as readers do
	}
	r.bytes += int64(len(b))
	if r.bytes > maxTotalBytes {
		r.err = fmt.Errorf("pdf: more than %d MiB of decoded streams: %w", maxTotalBytes>>20, ErrLimit)
		return nil
	}
	return b
}

// fontOf returns the font of a resource entry, read once per object.
func (r *reader) fontOf(o types.Object) *font {
	ref, isRef := o.(types.IndirectRef)
	if isRef {
		if f, ok := r.fonts[ref.ObjectNumber.Value()]; ok {
			return f
		}
	}
	d := r.dict(o)
	if d == nil {
		return nil
	}
	if len(r.fonts) >= maxFonts {
		r.err = fmt.Errorf("pdf: more than %d fonts: %w", maxFonts, ErrLimit)
		return nil
	}
	f := r.loadFont(d)
	if isRef {
		r.fonts[ref.ObjectNumber.Value()] = f
	}
	return f
}
