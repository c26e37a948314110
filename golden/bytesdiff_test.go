package golden

import (
	"context"
	"os"
	"testing"

	"github.com/govreport/govreport/render"
)

// FuzzWhere: naming a difference reads the user's golden files, so it must
// never fail on any bytes: seeded with a real PDF and DOCX and cut or
// changed copies of them.
func FuzzWhere(f *testing.F) {
	data, err := os.ReadFile("../testdata/reports/xinhe-district-2023.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, format := range []render.Format{render.PDF, render.DOCX} {
		o := opts
		o.Format = format
		res, err := render.Render(context.Background(), data, o)
		if err != nil {
			f.Fatal(err)
		}
		b := res.Bytes
		f.Add(b[:min(len(b), 4096)], b[:min(len(b), 3000)])
		f.Add([]byte("1 0 obj <</Type/ObjStm/First 9>> stream\n1 0 2 5 x endstream"), []byte("1 0 obj <</First 99999>>stream"))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		wherePDF(a, b)
		whereDOCX(a, b)
		textDiff(a, b)
	})
}
