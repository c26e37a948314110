package layout

import (
	"math"
	"testing"
)

// TestColumnWidthsTolerance: content that needs a hair more than the
// page (within columnWidths' rounding tolerance) gets its minimum widths,
// never NaN from a division by the spare room that is not there.
func TestColumnWidthsTolerance(t *testing.T) {
	for _, tc := range []struct {
		name  string
		total float64
		minW  []float64
	}{
		{"over by a hair", 100, []float64{60, 40.005}},
		{"exact", 100, []float64{60, 40}},
		{"room to spare", 100, []float64{30, 20}},
		{"one column", 100, []float64{100.004}},
	} {
		tab := &Table{Name: "表", Columns: len(tc.minW)}
		w, err := columnWidths(tab, tc.total, tc.minW)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		sum := 0.0
		for i, x := range w {
			if math.IsNaN(x) || x < tc.minW[i]-1e-9 {
				t.Errorf("%s: column %d is %g, needs %g", tc.name, i, x, tc.minW[i])
			}
			sum += x
		}
		if sum > tc.total+0.01 {
			t.Errorf("%s: columns sum to %g, the page gives %g", tc.name, sum, tc.total)
		}
	}
}
