package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/render"
)

// sources renders every report to the given kind once.
func sources(b *testing.B, kind string) [][]byte {
	b.Helper()
	ctx := context.Background()
	var out [][]byte
	for _, path := range validReports(b) {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		p, err := render.Prepare(ctx, data, render.PrepareOptions{})
		if err != nil {
			b.Fatal(err)
		}
		switch kind {
		case "docx":
			var buf bytes.Buffer
			if err := p.WriteTo(ctx, &buf, render.WriteOptions{Format: render.DOCX}); err != nil {
				b.Fatal(err)
			}
			out = append(out, buf.Bytes())
		case "html":
			out = append(out, []byte(portalPage(b, p.Report)))
		case "pdf":
			var buf bytes.Buffer
			if err := p.WriteTo(ctx, &buf, render.WriteOptions{Format: render.PDF}); err != nil {
				b.Fatal(err)
			}
			out = append(out, buf.Bytes())
		}
	}
	return out
}

func benchImport(b *testing.B, kind string) {
	docs := sources(b, kind)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	// two at a time, as on the project's 2-core machine
	var wg sync.WaitGroup
	var failed atomic.Value
	next := atomic.Int64{}
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				res, err := importer.Import(ctx, docs[i%len(docs)], importer.Options{})
				if err != nil || res.Report == nil {
					failed.Store(fmt.Sprint(err, res))
					return
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		b.Fatal(f)
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
	// The machine is shared: the CPU time the imports took says what 2
	// cores of their own would do.
	if cpu > 0 {
		b.ReportMetric(2*float64(b.N)/cpu.Seconds(), "reports/s/2cores-cpu")
	}
}

// BenchmarkImportHTML imports the reports as portal pages (issue 19:
// at least 50 reports/s on 2 cores).
func BenchmarkImportHTML(b *testing.B) { benchImport(b, "html") }

// BenchmarkImportDOCX imports the reports as govreport's DOCX.
func BenchmarkImportDOCX(b *testing.B) { benchImport(b, "docx") }

// BenchmarkImportPDF imports the reports as govreport's PDF (issue 19:
// at least 10 reports/s on 2 cores).
func BenchmarkImportPDF(b *testing.B) { benchImport(b, "pdf") }
