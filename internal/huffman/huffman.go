// Package huffman writes zlib streams (RFC 1950) of one Deflate block
// (RFC 1951) coded with Huffman codes alone, no search for repeats, from a
// code made in advance.
//
// The PDF writer compresses each font program this way. A general
// compressor counts each stream's bytes and builds a code for every 64 KB of
// it. The cuts of one face share the face's statistics, so a code made once
// per face from its glyph data (see fonts.Face.DeflateCode) serves all of
// them, and writing a stream is a table look-up per byte: 30–40 % less CPU
// than klauspost/compress at HuffmanOnly on the seed report's font programs
// (docs/pdf-writer.md).
package huffman

import (
	"encoding/binary"
	"math/bits"
	"slices"

	"github.com/govreport/govreport/internal/adler32"
)

// endBlock is the literal/length symbol that ends a block.
const endBlock = 256

// maxBits is the longest code made (Deflate allows 15): four codes of
// maxBits fit a 64-bit accumulator beside 7 pending bits.
const maxBits = 12

// A Code is a Huffman code for every byte value and the end of a block, with
// the Deflate block header that describes it. It is safe for concurrent use.
type Code struct {
	// code is each symbol's code, bit-reversed for Deflate's
	// least-significant-bit-first order, and bits its length: apart, so
	// that encode takes each with a load and no unpacking.
	code [endBlock + 1]uint64
	bits [endBlock + 1]uint8
	// header is the dynamic block's header (BFINAL, BTYPE, the code's
	// description) as a bit string, least significant bit first: hbits bits.
	header []byte
	hbits  uint
}

// NewCode returns the code that best compresses bytes occurring as often as
// freq says, with a code for every byte value, so that it can write any
// data, also bytes freq never saw.
func NewCode(freq *[256]uint64) *Code {
	var f [endBlock + 1]uint64
	for i, n := range freq {
		// At least 1, so that every byte gets a code; at most 2⁴⁰, so that
		// sums of all of them cannot overflow.
		f[i] = min(n, 1<<40) + 1
	}
	f[endBlock] = 1
	var lens [endBlock + 1]uint8
	lengths(f[:], lens[:], maxBits)

	c := new(Code)
	codes := canonical(lens[:])
	for s, l := range lens {
		c.code[s], c.bits[s] = uint64(reverse(codes[s], l)), l
	}
	c.header, c.hbits = header(lens[:])
	return c
}

// Histogram adds the number of times each byte value occurs in data to freq.
func Histogram(data []byte, freq *[256]uint64) {
	// Four tables, so that runs of one byte value do not wait on one counter.
	var h [4][256]uint32
	for len(data) >= 4 {
		h[0][data[0]]++
		h[1][data[1]]++
		h[2][data[2]]++
		h[3][data[3]]++
		data = data[4:]
	}
	for _, b := range data {
		h[0][b]++
	}
	for i := range freq {
		freq[i] += uint64(h[0][i]) + uint64(h[1][i]) + uint64(h[2][i]) + uint64(h[3][i])
	}
}

// maxStored is the most bytes one stored block holds.
const maxStored = 65535

// AppendZlib appends to dst a zlib stream of data, one Deflate block coded
// with c, or stored blocks where those are shorter (data unlike the bytes
// the code was made for), and returns the extended slice. The output is a
// function of c and data alone.
func (c *Code) AppendZlib(dst, data []byte) []byte {
	// CMF: Deflate, 32 KB window; FLG: the fastest level, no dictionary,
	// and the check bits that make CMF·256+FLG a multiple of 31.
	dst = append(dst, 0x78, 0x01)
	start := len(dst)
	dst = c.appendBlock(dst, data)
	stored := len(data) + 5*max(1, (len(data)+maxStored-1)/maxStored)
	if len(dst)-start > stored {
		dst = appendStored(dst[:start], data)
	}
	return binary.BigEndian.AppendUint32(dst, adler32.Checksum(data))
}

// appendBlock appends data as a final dynamic Huffman block coded with c.
func (c *Code) appendBlock(dst, data []byte) []byte {
	// The header, whole bytes first, its last bits into the accumulator.
	whole := c.hbits / 8
	dst = append(dst, c.header[:whole]...)
	var acc uint64
	n := c.hbits % 8
	if n > 0 {
		acc = uint64(c.header[whole])
	}
	// In pieces, so that dst grows with what is written, not at once by
	// the most a byte may take (a fresh page costs more than its bytes).
	const piece = 32 << 10
	for len(data) > 0 {
		p := data[:min(len(data), piece)]
		data = data[len(p):]
		dst, acc, n = c.encode(dst, p, acc, n)
	}
	acc |= c.code[endBlock] << n
	n += uint(c.bits[endBlock])
	// At most 7+maxBits bits pending.
	for ; n > 0; n -= min(n, 8) {
		dst = append(dst, byte(acc))
		acc >>= 8
	}
	return dst
}

// encode appends the codes of data's bytes to dst, after the n bits
// pending in acc (n < 8), and returns dst and the bits still pending.
func (c *Code) encode(dst, data []byte, acc uint64, n uint) ([]byte, uint64, uint) {
	// Room for at most maxBits bits a byte and the 8 bytes the writer
	// below stores at a time.
	need := len(data)*maxBits/8 + 8
	dst = slices.Grow(dst, need)
	out := dst[len(dst) : len(dst)+need]
	o := 0
	code, bits := &c.code, &c.bits
	// Eight bytes a round, their codes joined in two groups of four (at
	// most 4·maxBits bits each) that do not wait on each other nor on the
	// accumulator; each group then goes on the at most 7 bits pending and
	// the accumulator's whole bytes are stored. The shift counts are
	// masked to 63, which they never reach, so that none is tested.
	for len(data) >= 8 {
		d := data[:8]
		a0, a1, a2, a3 := uint(bits[d[0]]), uint(bits[d[1]]), uint(bits[d[2]]), uint(bits[d[3]])
		b0, b1, b2, b3 := uint(bits[d[4]]), uint(bits[d[5]]), uint(bits[d[6]]), uint(bits[d[7]])
		a01, b01 := a0+a1, b0+b1
		g := code[d[0]] | code[d[1]]<<(a0&63) | code[d[2]]<<(a01&63) | code[d[3]]<<((a01+a2)&63)
		h := code[d[4]] | code[d[5]]<<(b0&63) | code[d[6]]<<(b01&63) | code[d[7]]<<((b01+b2)&63)
		acc |= g << (n & 63)
		n += a01 + a2 + a3
		binary.LittleEndian.PutUint64(out[o:o+8], acc)
		o += int(n >> 3)
		acc >>= (n &^ 7) & 63
		n &= 7
		acc |= h << (n & 63)
		n += b01 + b2 + b3
		binary.LittleEndian.PutUint64(out[o:o+8], acc)
		o += int(n >> 3)
		acc >>= (n &^ 7) & 63
		n &= 7
		data = data[8:]
	}
	for _, v := range data {
		acc |= code[v] << (n & 63)
		n += uint(bits[v])
	}
	binary.LittleEndian.PutUint64(out[o:o+8], acc)
	k := n >> 3
	o += int(k)
	acc >>= k * 8
	n &= 7
	return dst[:len(dst)+o], acc, n
}

// appendStored appends data as stored blocks, the last one final.
func appendStored(dst, data []byte) []byte {
	for {
		n := min(len(data), maxStored)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		dst = append(dst, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		dst = append(dst, data[:n]...)
		data = data[n:]
		if final == 1 {
			return dst
		}
	}
}

// header returns the bits of a final dynamic block's header for literal
// lengths lens (257 of them, every one at least 1) and one distance code of
// length 1, which no symbol uses (RFC 1951 3.2.7 allows that one code), and
// their number.
func header(lens []uint8) ([]byte, uint) {
	// The code lengths, literals' then the distance's, as symbols of the
	// code length alphabet: a length (0–15) or 16, which repeats the previous
	// length 3–6 times (its 2 extra bits say how many).
	all := append(slices.Clone(lens), 1)
	type sym struct{ s, extra uint8 }
	var syms []sym
	for i := 0; i < len(all); {
		l := all[i]
		syms = append(syms, sym{l, 0})
		j := i + 1
		for j < len(all) && all[j] == l {
			j++
		}
		for rep := j - i - 1; rep > 0; {
			if rep < 3 {
				for range rep {
					syms = append(syms, sym{l, 0})
				}
				break
			}
			r := min(rep, 6)
			syms = append(syms, sym{16, uint8(r - 3)})
			rep -= r
		}
		i = j
	}
	var freq [19]uint64
	for _, s := range syms {
		freq[s.s]++
	}
	// zlib refuses an incomplete code for the code lengths: with a single
	// symbol in use, a second one gets a code too.
	used := 0
	for _, n := range freq {
		if n > 0 {
			used++
		}
	}
	if used < 2 {
		if freq[0] == 0 {
			freq[0] = 1
		} else {
			freq[1] = 1
		}
	}
	var clLens [19]uint8
	lengths(freq[:], clLens[:], 7)
	clCodes := canonical(clLens[:])

	var w bitWriter
	w.write(1, 1) // BFINAL
	w.write(2, 2) // BTYPE: dynamic Huffman codes
	w.write(0, 5) // HLIT: 257 literal/length codes
	w.write(0, 5) // HDIST: 1 distance code
	order := [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	ncl := 19
	for ncl > 4 && clLens[order[ncl-1]] == 0 {
		ncl--
	}
	w.write(uint64(ncl-4), 4) // HCLEN
	for _, s := range order[:ncl] {
		w.write(uint64(clLens[s]), 3)
	}
	for _, s := range syms {
		l := clLens[s.s]
		w.write(uint64(reverse(clCodes[s.s], l)), uint(l))
		if s.s == 16 {
			w.write(uint64(s.extra), 2)
		}
	}
	return w.b, w.n
}

// bitWriter collects bits least significant first.
type bitWriter struct {
	b []byte
	n uint // bits written
}

func (w *bitWriter) write(v uint64, n uint) {
	for i := range n {
		if w.n%8 == 0 {
			w.b = append(w.b, 0)
		}
		w.b[len(w.b)-1] |= byte(v>>i&1) << (w.n % 8)
		w.n++
	}
}

// lengths sets lens[i] to the length of symbol i's code in a Huffman code of
// at most limit bits for the frequencies freq; symbols of frequency 0 get
// none. Where the best code has longer codes, the frequencies are flattened
// (halved, rounded up) until it has not, which ends at the latest when all
// are 1 if no more than 2^limit symbols are used. Ties are broken by symbol,
// so the lengths are a function of freq alone.
func lengths(freq []uint64, lens []uint8, limit uint8) {
	f := slices.Clone(freq)
	for {
		type sf struct {
			f uint64
			s int
		}
		var used []sf
		for s, n := range f {
			lens[s] = 0
			if n > 0 {
				used = append(used, sf{n, s})
			}
		}
		if limit < 64 && uint64(len(used)) > 1<<limit {
			panic("huffman: more symbols than codes of the limit")
		}
		switch len(used) {
		case 0:
			return
		case 1:
			lens[used[0].s] = 1
			return
		}
		slices.SortFunc(used, func(a, b sf) int {
			if a.f != b.f {
				if a.f < b.f {
					return -1
				}
				return 1
			}
			return a.s - b.s
		})
		a := make([]uint64, len(used))
		for i, u := range used {
			a[i] = u.f
		}
		minRedundancy(a)
		longest := uint64(0)
		for i, u := range used {
			lens[u.s] = uint8(a[i])
			longest = max(longest, a[i])
		}
		if longest <= uint64(limit) {
			return
		}
		for s := range f {
			if f[s] > 0 {
				f[s] = (f[s] + 1) / 2
			}
		}
	}
}

// minRedundancy replaces the frequencies a, ascending, with the lengths of
// a minimum-redundancy (Huffman) code for them, in place (Moffat and
// Katajainen, "In-place calculation of minimum-redundancy codes", 1995).
func minRedundancy(a []uint64) {
	n := len(a)
	// Phase 1: internal nodes' weights, and then their parents' indexes.
	a[0] += a[1]
	root, leaf := 0, 2
	for next := 1; next < n-1; next++ {
		if leaf >= n || a[root] < a[leaf] {
			a[next] = a[root]
			a[root] = uint64(next)
			root++
		} else {
			a[next] = a[leaf]
			leaf++
		}
		if leaf >= n || (root < next && a[root] < a[leaf]) {
			a[next] += a[root]
			a[root] = uint64(next)
			root++
		} else {
			a[next] += a[leaf]
			leaf++
		}
	}
	// Phase 2: internal nodes' depths.
	a[n-2] = 0
	for next := n - 3; next >= 0; next-- {
		a[next] = a[a[next]] + 1
	}
	// Phase 3: leaves' depths.
	avail, used, depth := 1, 0, uint64(0)
	root, next := n-2, n-1
	for avail > 0 {
		for root >= 0 && a[root] == depth {
			used++
			root--
		}
		for avail > used {
			a[next] = depth
			next--
			avail--
		}
		avail, depth, used = 2*used, depth+1, 0
	}
}

// canonical returns the canonical Huffman codes (RFC 1951 3.2.2) for the
// code lengths lens.
func canonical(lens []uint8) []uint16 {
	var count [16]uint16
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	var next [16]uint16
	code := uint16(0)
	for b := 1; b < 16; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	codes := make([]uint16, len(lens))
	for s, l := range lens {
		if l > 0 {
			codes[s] = next[l]
			next[l]++
		}
	}
	return codes
}

// reverse returns the low n bits of v in reverse order: Deflate sends a
// Huffman code's most significant bit first into a stream packed least
// significant bit first.
func reverse(v uint16, n uint8) uint16 {
	return bits.Reverse16(v) >> (16 - n)
}
