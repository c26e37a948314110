package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
)

// TestConcurrent does at once what the server and batch do: reports
// prepared and rendered in parallel with the shared embedded faces, and one
// Prepared written in every format at once, as Write's documentation
// promises. Each output must equal the one written alone. scripts/test.sh
// runs it under the race detector, where the faces' lazy parse, the
// writers' pools and Write's reading of a shared Prepared are checked.
func TestConcurrent(t *testing.T) {
	var reports [][]byte
	for _, name := range []string{"yongxing-2024", "horgos-2024"} {
		data, err := os.ReadFile("../testdata/reports/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, data)
	}
	ctx := context.Background()
	formats := []Options{{Format: PDF}, {Format: DOCX}, {Format: PNG, Page: 2, DPI: 48}, {Format: Layout}}
	for i := range formats {
		formats[i].Now = now
	}

	// Alone, first: the outputs to compare with.
	preps := make([]*Prepared, len(reports))
	want := make([][][]byte, len(reports))
	for i, data := range reports {
		p, err := Prepare(ctx, data, PrepareOptions{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		preps[i] = p
		for _, opt := range formats {
			res, err := p.Write(ctx, opt.Write())
			if err != nil {
				t.Fatal(err)
			}
			want[i] = append(want[i], res.Bytes)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, 2*len(reports)*len(formats))
	for i := range reports {
		for j, opt := range formats {
			// The whole pipeline, from the JSON.
			wg.Go(func() {
				res, err := Render(ctx, reports[i], opt)
				if err == nil && !bytes.Equal(res.Bytes, want[i][j]) {
					err = fmt.Errorf("report %d, %s: Render at once with others gave other bytes", i, opt.Format)
				}
				errs <- err
			})
			// One shared Prepared, every format at once.
			wg.Go(func() {
				res, err := preps[i].Write(ctx, opt.Write())
				if err == nil && !bytes.Equal(res.Bytes, want[i][j]) {
					err = fmt.Errorf("report %d, %s: Write of a shared Prepared gave other bytes", i, opt.Format)
				}
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
