package report

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// The decoder's memory is bounded by design: values the format does not
// expect are skipped, not built, and arrays are counted against the
// format's limits before they are read. These tests and the benchmark
// measure it over the shapes an attacker would send.

// maxAllocPerByte bounds what decoding may allocate in all, per byte of
// the body: the peak heap is at most that.
const maxAllocPerByte = 16

// hostileBody is the size of each hostile shape: the server's default body
// limit.
const hostileBody = 2 << 20

// repeatTo writes head, then unit as many times as fits in size bytes
// (unit given the index, for distinct keys), joined by sep, then tail.
func repeatTo(size int, head, sep, tail string, unit func(i int) string) []byte {
	var b bytes.Buffer
	b.Grow(size + 64)
	b.WriteString(head)
	for i := 0; b.Len()+len(tail)+64 < size; i++ {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(unit(i))
	}
	b.WriteString(tail)
	return b.Bytes()
}

const fmt2021 = `{"format":"gov-info-disclosure/2021",`

// hostileShapes are bodies of about size bytes that cost a naive decoder
// far more than their size.
func hostileShapes(size int) []struct {
	name string
	data []byte
} {
	same := func(s string) func(int) string { return func(int) string { return s } }
	deep := strings.Repeat("[", maxDepth-2) + strings.Repeat("]", maxDepth-2)
	heading := `{"heading":"h","paragraphs":[` + strings.TrimSuffix(strings.Repeat(`"a",`, MaxBlocks), ",") + `]}`
	wrong := `{"heading":"h","paragraphs":[` + strings.TrimSuffix(strings.Repeat(`1,`, MaxBlocks), ",") + `]}`
	gb := "\"agency\": \"\xd3\xc0\xd0\xcb\xb4\xf6\xd7\xe5\xcf\xe7\"}"
	return []struct {
		name string
		data []byte
	}{
		{"long array", repeatTo(size, fmt2021+`"overview":[`, ",", "]}", same("0"))},
		{"long unknown array", repeatTo(size, fmt2021+`"x":[`, ",", "]}", same("0"))},
		{"objects at the root", repeatTo(size, "[", ",", "]", same("{}"))},
		{"objects in a section", repeatTo(size, fmt2021+`"overview":[`, ",", "]}", same("{}"))},
		{"distinct keys", repeatTo(size, "{", ",", "}", func(i int) string { return fmt.Sprintf(`"%x":0`, i) })},
		{"distinct keys in a table", repeatTo(size, fmt2021+`"applications":{`, ",", "}}", func(i int) string { return fmt.Sprintf(`"%x":0`, i) })},
		{"distinct keys in a heading", repeatTo(size, fmt2021+`"overview":[{`, ",", "}]}", func(i int) string { return fmt.Sprintf(`"%x":0`, i) })},
		{"duplicate keys", repeatTo(size, "{", ",", "}", same(`"year":1`))},
		{"deep nesting", repeatTo(size, fmt2021+`"x":[`, ",", "]}", same(deep))},
		{"deep nesting in a section", repeatTo(size, fmt2021+`"overview":[`, ",", "]}", same(deep))},
		{"long string", repeatTo(size, fmt2021+`"agency":"`, "", `"}`, same("永兴"))},
		{"long escaped string", repeatTo(size, fmt2021+`"agency":"`, "", `"}`, same(`\u00e9`))},
		{"long string for a count", repeatTo(size, fmt2021+`"year":"`, "", `"}`, same(`\u00e9`))},
		{"long key", repeatTo(size, `{"`, "", `":0}`, same("永兴"))},
		{"long number", repeatTo(size, fmt2021+`"year":`, "", `}`, same("1"))},
		{"many paragraphs", repeatTo(size, fmt2021+`"overview":[`, ",", "]}", same(heading))},
		{"many problems", repeatTo(size, fmt2021+`"overview":[`, ",", "]}", same(wrong))},
		{"paragraphs within the limits", sections(size, `{"heading":"h","paragraphs":[`+strings.TrimSuffix(strings.Repeat(`"ab",`, MaxBlocks), ",")+`]}`)},
		{"paragraphs with problems", sections(size, `{"heading":"h","paragraphs":[`+strings.TrimSuffix(strings.Repeat(`"a\u0001\n",`, MaxBlocks), ",")+`]}`)},
		{"GB18030 after many lines", repeatTo(size, "{", "", gb, same("\n"))},
	}
}

// sections fills the 2021 format's text sections with blocks, each at
// most MaxBlocks long, up to size bytes.
func sections(size int, block string) []byte {
	var b bytes.Buffer
	b.WriteString(fmt2021[:len(fmt2021)-1])
	for _, key := range []string{"preamble", "overview", "problems", "other_matters"} {
		if b.Len()+len(block)+64 > size {
			break
		}
		fmt.Fprintf(&b, `,%q:[`, key)
		for i := 0; i < MaxBlocks && b.Len()+len(block)+64 < size; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(block)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.Bytes()
}

// decodeAlloc decodes data and returns the bytes allocated meanwhile.
func decodeAlloc(data []byte) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	Decode(data, Options{Now: now, Formats: testFormats})
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecodeMemory: decoding any hostile shape allocates at most
// maxAllocPerByte bytes per byte of the body, so the peak heap a request
// adds is bounded by its size whatever it holds.
func TestDecodeMemory(t *testing.T) {
	for _, s := range hostileShapes(hostileBody) {
		t.Run(s.name, func(t *testing.T) {
			got := decodeAlloc(s.data)
			if per := float64(got) / float64(len(s.data)); per > maxAllocPerByte {
				t.Errorf("%d bytes allocated for %d bytes: %.1f per byte; at most %d", got, len(s.data), per, maxAllocPerByte)
			}
		})
	}
}

// BenchmarkDecodeHostile measures each hostile shape: alloc-B/body-B is
// what decoding allocates per byte of the body (an upper bound of its
// peak heap).
func BenchmarkDecodeHostile(b *testing.B) {
	for _, s := range hostileShapes(hostileBody) {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.data)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			n := 0
			for b.Loop() {
				Decode(s.data, Options{Now: now, Formats: testFormats})
				n++
			}
			runtime.ReadMemStats(&after)
			per := float64(after.TotalAlloc-before.TotalAlloc) / float64(n) / float64(len(s.data))
			b.ReportMetric(per, "alloc-B/body-B")
		})
	}
}
