package huffman

import (
	"bytes"
	"compress/zlib"
	"container/heap"
	"io"
	"math/rand/v2"
	"os"
	"syscall"
	"testing"

	kzlib "github.com/klauspost/compress/zlib"
)

// inputs are data of the kinds a code meets: empty, tiny, one byte value,
// text, random bytes (stored blocks are shorter), more than a stored
// block holds, and a real font.
func inputs(t testing.TB) map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 200_000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	skewed := make([]byte, 100_000)
	for i := range skewed {
		// Geometric: byte k about twice as rare as byte k−1, so that the
		// best code is longer than 15 bits.
		k := 0
		for k < 40 && rng.IntN(2) == 0 {
			k++
		}
		skewed[i] = byte(k)
	}
	font, err := os.ReadFile("../../fonts/faces/hei.ttf")
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"empty":  nil,
		"one":    {'a'},
		"two":    {'a', 'b'},
		"zeros":  make([]byte, 70_000),
		"text":   bytes.Repeat([]byte("政府信息公开 annual report 2024\n"), 3000),
		"random": random,
		"skewed": skewed,
		"font":   font[:300_000],
	}
}

// TestRoundTrip: every stream, with its own code and with codes made for
// other data, is a zlib stream that the standard library's reader (and so
// RFC 1950/1951) reads back as the data, and the same data and code give
// the same bytes.
func TestRoundTrip(t *testing.T) {
	in := inputs(t)
	codes := map[string]*Code{"none": NewCode(new([256]uint64))}
	for name, data := range in {
		var f [256]uint64
		Histogram(data, &f)
		codes[name] = NewCode(&f)
	}
	for cname, c := range codes {
		for name, data := range in {
			z := c.AppendZlib([]byte("prefix"), data)
			if string(z[:6]) != "prefix" {
				t.Fatalf("%s with %s's code: dst's bytes changed", name, cname)
			}
			z = z[6:]
			got := inflate(t, z)
			if !bytes.Equal(got, data) {
				t.Errorf("%s with %s's code: read back %d bytes, want %d", name, cname, len(got), len(data))
			}
			if again := c.AppendZlib(nil, data); !bytes.Equal(again, z) {
				t.Errorf("%s with %s's code: two streams of the same data differ", name, cname)
			}
			if bound := len(data) + 5*max(1, (len(data)+maxStored-1)/maxStored) + 6; len(z) > bound {
				t.Errorf("%s with %s's code: %d bytes, more than stored blocks' %d", name, cname, len(z), bound)
			}
		}
	}
}

// TestCompresses: a code made for the data compresses it as well as the
// sizes its lengths promise, and random data falls back to stored blocks.
func TestCompresses(t *testing.T) {
	in := inputs(t)
	for name, want := range map[string]float64{"text": 0.65, "zeros": 0.2, "font": 0.95} {
		data := in[name]
		var f [256]uint64
		Histogram(data, &f)
		z := NewCode(&f).AppendZlib(nil, data)
		if r := float64(len(z)) / float64(len(data)); r > want {
			t.Errorf("%s: %d → %d bytes (%.3f), want at most %.2f", name, len(data), len(z), r, want)
		}
	}
	var f [256]uint64
	Histogram(in["text"], &f)
	z := NewCode(&f).AppendZlib(nil, in["random"])
	if z[2]&6 != 0 {
		t.Errorf("random data with a text's code: block type %d, want 0 (stored)", z[2]>>1&3)
	}
}

// TestLengths: the code lengths form a complete prefix code (Kraft's sum is
// 1) within the limit, and without the limit cost no more bits than a
// Huffman code built with a heap.
func TestLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		n := 2 + rng.IntN(300)
		freq := make([]uint64, n)
		for s := range freq {
			switch rng.IntN(4) {
			case 0:
				freq[s] = 0
			case 1:
				freq[s] = 1 << rng.IntN(30)
			default:
				freq[s] = uint64(rng.IntN(1000))
			}
		}
		freq[0], freq[1] = 1+freq[0], 1+freq[1]
		for _, limit := range []uint8{7, 15, 63} {
			if n > 1<<limit {
				continue // more symbols than codes of limit bits
			}
			lens := make([]uint8, n)
			lengths(freq, lens, limit)
			kraft, cost := 0.0, uint64(0)
			for s, l := range lens {
				if (l == 0) != (freq[s] == 0) || l > limit {
					t.Fatalf("case %d, limit %d: symbol %d of frequency %d has length %d", i, limit, s, freq[s], l)
				}
				if l > 0 {
					kraft += 1 / float64(uint64(1)<<l)
					cost += freq[s] * uint64(l)
				}
			}
			if kraft != 1 {
				t.Fatalf("case %d, limit %d: Kraft sum %v", i, limit, kraft)
			}
			if limit == 63 {
				if want := heapCost(freq); cost != want {
					t.Fatalf("case %d: %d bits, a Huffman code's %d", i, cost, want)
				}
			}
		}
	}
}

// heapCost is the bits of a Huffman code for freq: the sum of its merges.
func heapCost(freq []uint64) uint64 {
	h := &u64Heap{}
	for _, f := range freq {
		if f > 0 {
			*h = append(*h, f)
		}
	}
	heap.Init(h)
	cost := uint64(0)
	for h.Len() > 1 {
		a, b := heap.Pop(h).(uint64), heap.Pop(h).(uint64)
		cost += a + b
		heap.Push(h, a+b)
	}
	return cost
}

type u64Heap []uint64

func (h u64Heap) Len() int           { return len(h) }
func (h u64Heap) Less(i, j int) bool { return h[i] < h[j] }
func (h u64Heap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *u64Heap) Push(x any)        { *h = append(*h, x.(uint64)) }
func (h *u64Heap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func inflate(t testing.TB, z []byte) []byte {
	t.Helper()
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("zlib header: %v", err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return got
}

// FuzzAppendZlib: any code (from any statistics) writes any data as a zlib
// stream that reads back as the data.
func FuzzAppendZlib(f *testing.F) {
	f.Add([]byte("abc"), []byte("hello, hello"))
	f.Add([]byte{}, []byte{0, 0, 0, 255})
	f.Fuzz(func(t *testing.T, stats, data []byte) {
		var freq [256]uint64
		Histogram(stats, &freq)
		// Skew the statistics further: a byte's count squared.
		for i := range freq {
			freq[i] *= freq[i]
		}
		z := NewCode(&freq).AppendZlib(nil, data)
		if got := inflate(t, z); !bytes.Equal(got, data) {
			t.Fatalf("read back %q, want %q", got, data)
		}
	})
}

func BenchmarkAppendZlib(b *testing.B) {
	data := inputs(b)["font"]
	var f [256]uint64
	Histogram(data, &f)
	c := NewCode(&f)
	dst := make([]byte, 0, len(data)+1024)
	b.SetBytes(int64(len(data)))
	c0 := cpu()
	for b.Loop() {
		dst = c.AppendZlib(dst[:0], data)
	}
	b.ReportMetric(float64(cpu()-c0)/float64(b.N), "cpu-ns/op")
}

func BenchmarkNewCode(b *testing.B) {
	data := inputs(b)["font"]
	var f [256]uint64
	Histogram(data, &f)
	c0 := cpu()
	for b.Loop() {
		NewCode(&f)
	}
	b.ReportMetric(float64(cpu()-c0)/float64(b.N), "cpu-ns/op")
}

func BenchmarkHistogram(b *testing.B) {
	data := inputs(b)["font"]
	b.SetBytes(int64(len(data)))
	c0 := cpu()
	for b.Loop() {
		var f [256]uint64
		Histogram(data, &f)
	}
	b.ReportMetric(float64(cpu()-c0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkKlauspostHuffmanOnly is what AppendZlib replaced in the PDF
// writer, on the same data: klauspost/compress's zlib at HuffmanOnly, which
// counts the data and builds a code for every 64 KB.
func BenchmarkKlauspostHuffmanOnly(b *testing.B) {
	data := inputs(b)["font"]
	zw, _ := kzlib.NewWriterLevel(nil, -2)
	var buf bytes.Buffer
	b.SetBytes(int64(len(data)))
	c0 := cpu()
	defer func() { b.ReportMetric(float64(cpu()-c0)/float64(b.N), "cpu-ns/op") }()
	for b.Loop() {
		buf.Reset()
		zw.Reset(&buf)
		zw.Write(data)
		zw.Close()
	}
}

// cpu is the process's CPU time in nanoseconds: benchmarks report it beside
// wall time, which is noisy on a shared machine.
func cpu() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
