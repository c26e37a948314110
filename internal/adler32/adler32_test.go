package adler32

import (
	"bytes"
	stdadler "hash/adler32"
	"math/rand/v2"
	"testing"
)

// TestChecksum compares Checksum and Update with hash/adler32 on data of
// every length up to a few blocks, the bytes random, all 0xFF (the lanes'
// and the sums' largest values) and all zero, and on a long stream
// checked in pieces of odd sizes.
func TestChecksum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 1<<20)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	inputs := map[string][]byte{
		"random": random,
		"ff":     bytes.Repeat([]byte{0xFF}, 1<<20),
		"zero":   make([]byte, 1<<20),
	}
	for name, data := range inputs {
		for n := 0; n <= 5000; n++ {
			if got, want := Checksum(data[:n]), stdadler.Checksum(data[:n]); got != want {
				t.Fatalf("%s, %d bytes: %08x, want %08x", name, n, got, want)
			}
		}
		if got, want := Checksum(data), stdadler.Checksum(data); got != want {
			t.Fatalf("%s, %d bytes: %08x, want %08x", name, len(data), got, want)
		}
		a, rest := uint32(1), data
		for k := 1; len(rest) > 0; k += 997 {
			n := min(len(rest), k)
			a, rest = Update(a, rest[:n]), rest[n:]
		}
		if want := stdadler.Checksum(data); a != want {
			t.Fatalf("%s in pieces: %08x, want %08x", name, a, want)
		}
	}
}

func BenchmarkChecksum(b *testing.B) {
	data := make([]byte, 256<<10)
	for i := range data {
		data[i] = byte(i * 7)
	}
	b.Run("ours", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			Checksum(data)
		}
	})
	b.Run("hash-adler32", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			stdadler.Checksum(data)
		}
	})
}
