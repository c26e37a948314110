package pdf

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAppendNum checks appendNum's integer formatting against strconv's
// shortest float formatting (appendNumFloat) on coordinates, sizes and
// the edges: halves of a thousandth, negative zero, the largest
// magnitudes it writes itself, and beyond.
func TestAppendNum(t *testing.T) {
	vs := []float64{0, math.Copysign(0, -1), 0.0004, -0.0004, 0.0005, -0.0005, 0.0015, 1, -1, 0.1, 0.25, 12.5,
		595.276, 841.89, 1e-9, 999999999.9994, -999999999.9994, 999999999.9996, 1e9, 1e12, 1e15, 1e20, -1e20,
		math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(), 28.346456692913385, 0.3 - 0.1, 1.0005, 2.0005}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200_000 {
		vs = append(vs, (rng.Float64()-0.5)*2000, float64(rng.IntN(2_000_000)-1_000_000)/1000, (rng.Float64()-0.5)*2e9,
			float64(rng.IntN(4_000_000)-2_000_000)/2000)
	}
	for _, v := range vs {
		if got, want := string(appendNum(nil, v)), string(appendNumFloat(nil, v)); got != want {
			t.Errorf("appendNum(%v) = %s, want %s", v, got, want)
		}
	}
}
