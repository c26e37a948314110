package ofd

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendNum: appendNum writes what strconv.AppendFloat writes for the
// value rounded to 1/1000, for values of every size an OFD holds and the
// edges of rounding.
func TestAppendNum(t *testing.T) {
	old := func(v float64) string {
		v = round(v)
		if v == 0 {
			return "0"
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	vals := []float64{0, -0.0, 0.0004, -0.0004, 0.0005, -0.0005, 0.001, -0.001, 0.1, 0.12, 0.123, 1, 7.761,
		7.7615, 210.002, 297, -1.5, 1e6 + 0.001, 123456789.987, 1e14 + 0.5, 1e16, math.Inf(1), math.Inf(-1), math.NaN()}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		vals = append(vals, (r.Float64()-0.5)*1000, (r.Float64()-0.5)*10, float64(r.IntN(1000000))/1000)
	}
	for _, v := range vals {
		if got, want := string(appendNum(nil, v)), old(v); got != want {
			t.Errorf("appendNum(%v) = %q, strconv writes %q", v, got, want)
		}
	}
}
