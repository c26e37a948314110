package decimal

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendMilli compares AppendMilli with strconv's float formatting of
// n/1000 on the edges and on random values of a page's magnitudes.
func TestAppendMilli(t *testing.T) {
	ns := []int64{0, 1, -1, 10, 100, 999, -999, 1000, -1000, 1001, 1010, 1100, 123456789, -123456789}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		ns = append(ns, r.Int64N(2e9)-1e9)
	}
	for _, n := range ns {
		want := strconv.AppendFloat(nil, float64(n)/1000, 'f', -1, 64)
		if got := AppendMilli(nil, n); string(got) != string(want) {
			t.Fatalf("AppendMilli(%d) = %s, want %s", n, got, want)
		}
	}
}
