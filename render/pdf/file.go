package pdf

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"strconv"
	"sync"

	"github.com/klauspost/compress/flate"

	"github.com/govreport/govreport/internal/adler32"
	"github.com/govreport/govreport/internal/huffman"
)

// compressLevel is the Flate level of every compressed stream. Level 1 (the
// fastest) was measured against the default on the seed report: see
// BenchmarkCompressLevels and the README's performance notes.
const compressLevel = flate.BestSpeed

// A compression is how a stream is written. The font programs (FontFile2),
// most of a file's bytes, are not written by stream but by fontStream:
// Huffman coding alone, no search for repeats, with their face's code.
// Glyph outlines repeat little, so level 1's search bought 7 % of their size
// for most of the deflate's time (docs/pdf-writer.md, "Compression level").
type compression int

const (
	raw  compression = iota // as is
	fast                    // Flate at compressLevel
)

// flatePool holds the compressors: a Flate writer keeps about 300 KB of
// tables, and allocating one per stream was most of what the old writer
// allocated. deflate wraps its output in zlib's header and checksum
// itself, as klauspost's zlib.Writer did, with a faster Adler-32.
var flatePool = sync.Pool{New: func() any {
	w, err := flate.NewWriter(nil, compressLevel)
	if err != nil {
		panic(err) // compressLevel is a valid constant
	}
	return w
}}

// zlibHeader starts a zlib stream (RFC 1950) of Flate with a 32 KB window
// at the fastest level (compressLevel), without a dictionary: CMF, and FLG
// with the check bits that make CMF·256+FLG a multiple of 31.
var zlibHeader = [2]byte{0x78, 0x01}

// file assembles a PDF 1.7 file: stream objects are written in place as they
// come, every other object is collected into one object stream, and the file
// ends with a cross-reference stream. Object numbers are handed out by alloc
// before the objects are written, so that objects can refer to each other in
// any order.
type file struct {
	out  *bytes.Buffer // from outPool
	zw   *flate.Writer // from flatePool
	next int           // the next object number to hand out

	// Where each object is: for a direct object its byte offset; for an object
	// inside the object stream its index there (inStm set).
	offset []int
	inStm  []bool

	stm     *bytes.Buffer // the object stream's objects, concatenated; from stmPool
	stmNums []int         // their numbers, in order
	stmOffs []int         // their offsets in stm

	scratch *bytes.Buffer // deflate's output
	hdr     []byte        // a stream object's header, reused

	// digest makes the file ID: the caller adds the content streams and
	// metadata, finish the objects. Font programs and the ICC profile are not
	// hashed (a third of a render's hashing time otherwise): a font program is
	// a function of its face and characters, which the subset tag and widths
	// in the hashed objects already name.
	digest hash.Hash
}

func newFile() *file {
	f := &file{next: 1, offset: []int{0}, inStm: []bool{false}, digest: md5.New()}
	f.out = outPool.Get().(*bytes.Buffer)
	f.out.Reset()
	f.stm = stmPool.Get().(*bytes.Buffer)
	f.stm.Reset()
	// The comment of four bytes above 127 marks the file as binary (ISO 32000-1
	// 7.5.2; required by PDF/A-2, 6.1.2).
	f.out.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	return f
}

// alloc returns a new object number.
func (f *file) alloc() int {
	n := f.next
	f.next++
	f.offset = append(f.offset, 0)
	f.inStm = append(f.inStm, false)
	return n
}

// object stores a non-stream object's body (a dictionary, array, …) in the
// object stream.
func (f *file) object(num int, body []byte) {
	f.inStm[num] = true
	f.offset[num] = len(f.stmNums)
	f.stmNums = append(f.stmNums, num)
	f.stmOffs = append(f.stmOffs, f.stm.Len())
	f.stm.Write(body)
	f.stm.WriteByte('\n')
}

// stream writes a stream object directly. dict holds the dictionary's entries
// other than /Length and /Filter; data is compressed with Flate when compress is
// set.
func (f *file) stream(num int, dict []byte, data []byte, c compression) {
	if c == raw {
		f.streamBody(num, dict, data, false)
		return
	}
	f.streamBody(num, dict, f.deflate(data), true)
}

// fontStream writes a font program as a stream object, Huffman-coded with
// its face's code (fonts.Face.DeflateCode). The code is written straight
// into the file's spare room, where the stream's bytes end up, and the
// header, whose /Length is known only then, is put in front of it: a
// scratch buffer as large as the program would be fresh pages in every
// `govreport render` (170 page faults for the seed).
func (f *file) fontStream(num int, dict []byte, data []byte, code *huffman.Code) {
	spare := f.out.AvailableBuffer()
	b := code.AppendZlib(spare, data)
	f.hdr = appendStreamHeader(f.hdr[:0], num, dict, len(b), true)
	if h := len(f.hdr); cap(b) == cap(spare) && h+len(b) <= cap(spare) {
		// Still in f.out's array: move the code up to make room for the
		// header; Write then copies the bytes onto themselves.
		all := b[:h+len(b)]
		copy(all[h:], b)
		copy(all, f.hdr)
		f.offset[num] = f.out.Len()
		f.out.Write(all)
		f.out.WriteString("\nendstream\nendobj\n")
		return
	}
	f.streamBody(num, dict, b, true)
}

// streamBody writes a stream object of body, Flate-compressed if deflated.
func (f *file) streamBody(num int, dict []byte, body []byte, deflated bool) {
	f.offset[num] = f.out.Len()
	f.hdr = appendStreamHeader(f.hdr[:0], num, dict, len(body), deflated)
	f.out.Write(f.hdr)
	f.out.Write(body)
	f.out.WriteString("\nendstream\nendobj\n")
}

// appendStreamHeader appends a stream object's start, up to the stream
// keyword's end of line, for a body of n bytes.
func appendStreamHeader(b []byte, num int, dict []byte, n int, deflated bool) []byte {
	b = strconv.AppendInt(b, int64(num), 10)
	b = append(b, " 0 obj\n<<"...)
	b = append(b, dict...)
	if deflated {
		b = append(b, "/Filter/FlateDecode"...)
	}
	b = append(b, "/Length "...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, ">>\nstream\n"...)
}

// scratchPool holds the reusable output buffers of deflate.
var scratchPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// deflate compresses data with the file's compressor at compressLevel. The
// result is valid until the next call.
func (f *file) deflate(data []byte) []byte {
	if f.zw == nil {
		f.zw = flatePool.Get().(*flate.Writer)
	}
	f.scratchBuf()
	f.scratch.Write(zlibHeader[:])
	f.zw.Reset(f.scratch)
	f.zw.Write(data) // writes to a bytes.Buffer cannot fail
	f.zw.Close()
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], adler32.Checksum(data))
	f.scratch.Write(sum[:])
	return f.scratch.Bytes()
}

// scratchBuf readies f.scratch, empty, for a stream's compressed bytes.
func (f *file) scratchBuf() {
	if f.scratch == nil {
		f.scratch = scratchPool.Get().(*bytes.Buffer)
	}
	f.scratch.Reset()
}

// outPool holds the buffers files are assembled in: a seed report is 300 KB,
// and growing a fresh buffer to that size was a fifth of what a render
// allocated. The bytes are copied to the caller's writer before release.
var outPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 512<<10)) }}

// stmPool holds the buffers of the object streams' objects (finish copies
// them once more behind their index): grown afresh for every file, they
// were 2 % of a render's CPU in zeroed memory.
var stmPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// release returns the pooled compressor and buffers; the file's bytes are
// invalid afterwards.
func (f *file) release() {
	if f.out != nil {
		if f.out.Cap() <= 16<<20 {
			outPool.Put(f.out)
		}
		f.out = nil
	}
	if f.zw != nil {
		f.zw.Reset(nil)
		flatePool.Put(f.zw)
		f.zw = nil
	}
	if f.scratch != nil {
		if f.scratch.Cap() <= 4<<20 {
			scratchPool.Put(f.scratch)
		}
		f.scratch = nil
	}
	if f.stm != nil {
		if f.stm.Cap() <= 4<<20 {
			stmPool.Put(f.stm)
		}
		f.stm = nil
	}
}

// finish writes the object stream and the cross-reference stream whose trailer
// names root and info, and returns the whole file. The file identifier is an
// MD5 digest of the document (see digest), so that identical documents get
// identical IDs and different ones different IDs.
func (f *file) finish(root, info int) []byte {
	// Object streams of at most stmMax objects, so that an index always fits
	// the cross-reference stream's two bytes and readers never parse one huge
	// header.
	const stmMax = 1000
	hdr := stmPool.Get().(*bytes.Buffer)
	defer stmPool.Put(hdr)
	for lo := 0; lo < len(f.stmNums); lo += stmMax {
		hi := min(lo+stmMax, len(f.stmNums))
		num := f.alloc()
		hdr.Reset()
		base := f.stmOffs[lo]
		end := f.stm.Len()
		if hi < len(f.stmNums) {
			end = f.stmOffs[hi]
		}
		for i := lo; i < hi; i++ {
			hdr.WriteString(strconv.Itoa(f.stmNums[i]))
			hdr.WriteByte(' ')
			hdr.WriteString(strconv.Itoa(f.stmOffs[i] - base))
			hdr.WriteByte(' ')
			// Entries of type 2 name the object stream and the index in it.
			f.offset[f.stmNums[i]] = (i-lo)<<32 | num
		}
		first := hdr.Len()
		hdr.Write(f.stm.Bytes()[base:end])
		f.stream(num, fmt.Appendf(nil, "/Type/ObjStm/N %d/First %d", hi-lo, first), hdr.Bytes(), fast)
	}
	f.digest.Write(f.stm.Bytes())
	var id [md5.Size]byte
	f.digest.Sum(id[:0])

	// The cross-reference stream: W [1 4 2]; type 0 for the free object 0,
	// type 1 (offset) for direct objects, type 2 (stream, index) for the others.
	xref := f.alloc()
	f.offset[xref] = f.out.Len()
	rows := make([]byte, 7*f.next)
	rows[0], rows[5], rows[6] = 0, 0xFF, 0xFF
	for i := 1; i < f.next; i++ {
		r := rows[7*i:]
		if f.inStm[i] {
			r[0] = 2
			binary.BigEndian.PutUint32(r[1:], uint32(f.offset[i]&math.MaxUint32))
			binary.BigEndian.PutUint16(r[5:], uint16(f.offset[i]>>32))
			continue
		}
		r[0] = 1
		binary.BigEndian.PutUint32(r[1:], uint32(f.offset[i]))
	}
	start := f.out.Len()
	f.stream(xref, fmt.Appendf(nil, "/Type/XRef/Size %d/W[1 4 2]/Root %d 0 R/Info %d 0 R/ID[<%x><%x>]",
		f.next, root, info, id, id), rows, fast)
	f.out.WriteString("startxref\n")
	f.out.WriteString(strconv.Itoa(start))
	f.out.WriteString("\n%%EOF\n")
	return f.out.Bytes()
}
