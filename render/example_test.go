package render_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/report"
)

// A report's JSON in, a PDF out: decode, check, lay out and write in one
// call. A report that fails validation is a *report.Error listing every
// problem with its JSON pointer.
func ExampleRender() {
	data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		panic(err)
	}
	res, err := render.Render(context.Background(), data, render.Options{Format: render.PDF})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Pages, "pages,", string(res.Bytes[:8]))
	// Output: 7 pages, %PDF-1.7
}

// Problems name the value to fix.
func ExampleRender_problems() {
	_, err := render.Render(context.Background(), []byte(`{"format": "gov-info-disclosure/2021", "agency": "某县人民政府"}`),
		render.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	var perr *report.Error
	if errors.As(err, &perr) {
		fmt.Println(perr.Problems[0].Pointer, perr.Problems[0].Code)
	}
	// Output: /year required
}

// Prepare once, write several formats: the layout's decisions are made
// once and every writer reads them, so a PDF, a DOCX and an OFD of one
// Prepared have the same pages.
func ExamplePrepared_WriteTo() {
	data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		panic(err)
	}
	p, err := render.Prepare(context.Background(), data, render.PrepareOptions{})
	if err != nil {
		panic(err)
	}
	for _, f := range []render.Format{render.PDF, render.DOCX, render.OFD} {
		var buf bytes.Buffer
		if err := p.WriteTo(context.Background(), &buf, render.WriteOptions{Format: f}); err != nil {
			panic(err)
		}
		fmt.Println(f, f.MediaType(), buf.Len() > 0)
	}
	// Output:
	// pdf application/pdf true
	// docx application/vnd.openxmlformats-officedocument.wordprocessingml.document true
	// ofd application/ofd true
}

// A format is named by its file's extension.
func ExampleFormatOfFile() {
	for _, name := range []string{"r.pdf", "r.DOCX", "p.png", "r.layout.json", "r.OFD", "r.txt"} {
		f, ok := render.FormatOfFile(name)
		fmt.Println(name, f, ok, f.Ext())
	}
	// Output:
	// r.pdf pdf true .pdf
	// r.DOCX docx true .docx
	// p.png png true .png
	// r.layout.json layout true .layout.json
	// r.OFD ofd true .ofd
	// r.txt  false
}
