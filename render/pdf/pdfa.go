package pdf

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"math"
	"sync"
	"time"
)

// PDF/A-2u asks for an output intent with an ICC profile (ISO 19005-2 6.2.3)
// and XMP metadata that declares the conformance and repeats the document
// information (6.6). Both are written here.

// srgbICC returns an ICC v2 display profile of sRGB (IEC 61966-2-1): the D50
// white point, the Bradford-adapted primaries and the sRGB tone curve sampled at
// 1024 points. It is computed from the standard's published parameters, not
// copied from a file, so it carries no licence of its own. Built once, on first
// use.
var srgbICC = sync.OnceValue(func() []byte {
	s15 := func(b []byte, vs ...float64) []byte {
		for _, v := range vs {
			b = binary.BigEndian.AppendUint32(b, uint32(int32(math.Round(v*65536))))
		}
		return b
	}
	xyz := func(x, y, z float64) []byte { return s15([]byte("XYZ \x00\x00\x00\x00"), x, y, z) }
	desc := func(s string) []byte {
		b := []byte("desc\x00\x00\x00\x00")
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)+1))
		b = append(b, s...)
		b = append(b, 0)
		b = append(b, make([]byte, 4+4+2+1+67)...) // no Unicode or ScriptCode description
		return b
	}
	text := func(s string) []byte { return append(append([]byte("text\x00\x00\x00\x00"), s...), 0) }
	curve := []byte("curv\x00\x00\x00\x00")
	const n = 1024
	curve = binary.BigEndian.AppendUint32(curve, n)
	for i := range n {
		x := float64(i) / (n - 1)
		y := x / 12.92
		if x > 0.04045 {
			y = math.Pow((x+0.055)/1.055, 2.4)
		}
		curve = binary.BigEndian.AppendUint16(curve, uint16(math.Round(y*65535)))
	}
	type tag struct {
		sig  string
		data []byte
	}
	tags := []tag{
		{"desc", desc("sRGB IEC61966-2.1")},
		{"cprt", text("No copyright: computed from the parameters of IEC 61966-2-1 by govreport")},
		{"wtpt", xyz(0.9642, 1, 0.8249)},
		{"rXYZ", xyz(0.4360747, 0.2225045, 0.0139322)},
		{"gXYZ", xyz(0.3850649, 0.7168786, 0.0971045)},
		{"bXYZ", xyz(0.1430804, 0.0606169, 0.7141733)},
		{"rTRC", curve}, {"gTRC", curve}, {"bTRC", curve},
	}
	hdr := make([]byte, 128)
	copy(hdr[8:], "\x02\x10\x00\x00mntrRGB XYZ ")
	binary.BigEndian.PutUint16(hdr[24:], 2000) // creation date 2000-01-01
	binary.BigEndian.PutUint16(hdr[26:], 1)
	binary.BigEndian.PutUint16(hdr[28:], 1)
	copy(hdr[36:], "acsp")
	s15(hdr[68:68], 0.9642, 1, 0.8249) // PCS illuminant D50
	out := binary.BigEndian.AppendUint32(hdr, uint32(len(tags)))
	table := len(out)
	out = append(out, make([]byte, 12*len(tags))...)
	var trc int // the three TRC tags share one curve
	for i, t := range tags {
		off := len(out)
		if t.sig[1:] == "TRC" && trc != 0 {
			off = trc
		} else {
			out = append(out, t.data...)
			for len(out)%4 != 0 {
				out = append(out, 0)
			}
			if t.sig[1:] == "TRC" {
				trc = off
			}
		}
		e := out[table+12*i:]
		copy(e, t.sig)
		binary.BigEndian.PutUint32(e[4:], uint32(off))
		binary.BigEndian.PutUint32(e[8:], uint32(len(t.data)))
	}
	binary.BigEndian.PutUint32(out, uint32(len(out)))
	return out
})

// pdfDate formats t as a PDF date with its offset from UTC.
func pdfDate(t time.Time) string {
	s := t.Format("D:20060102150405")
	_, off := t.Zone()
	if off == 0 {
		return s + "Z"
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	return s + string(sign) + twoDigits(off/3600) + "'" + twoDigits(off%3600/60) + "'"
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10%10), byte('0' + n%10)}) }

// xmpDate formats t as an XMP (ISO 8601) date naming the same instant and
// offset as pdfDate.
func xmpDate(t time.Time) string {
	if _, off := t.Zone(); off == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05-07:00")
}

// xmp writes the metadata packet: the PDF/A identification and the document
// information, each value equal to its Info dictionary counterpart (ISO 19005-2
// 6.6.2.3). Empty fields are left out of both.
func xmp(m meta) []byte {
	var b bytes.Buffer
	esc := func(s string) { xml.EscapeText(&b, []byte(s)) }
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n" +
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n" +
		"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n" +
		"<rdf:Description rdf:about=\"\"" +
		" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"" +
		" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"" +
		" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"" +
		" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"" +
		" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n" +
		"<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>U</pdfaid:conformance>\n" +
		"<pdfuaid:part>1</pdfuaid:part>\n" +
		"<dc:format>application/pdf</dc:format>\n")
	if m.title != "" {
		b.WriteString("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">")
		esc(m.title)
		b.WriteString("</rdf:li></rdf:Alt></dc:title>\n")
	}
	if m.author != "" {
		b.WriteString("<dc:creator><rdf:Seq><rdf:li>")
		esc(m.author)
		b.WriteString("</rdf:li></rdf:Seq></dc:creator>\n")
	}
	if m.subject != "" {
		b.WriteString("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">")
		esc(m.subject)
		b.WriteString("</rdf:li></rdf:Alt></dc:description>\n")
	}
	if m.keywords != "" {
		b.WriteString("<pdf:Keywords>")
		esc(m.keywords)
		b.WriteString("</pdf:Keywords>\n")
	}
	if m.creator != "" {
		b.WriteString("<xmp:CreatorTool>")
		esc(m.creator)
		b.WriteString("</xmp:CreatorTool>\n")
	}
	b.WriteString("<pdf:Producer>" + Producer + "</pdf:Producer>\n")
	b.WriteString("<xmp:CreateDate>" + xmpDate(m.date) + "</xmp:CreateDate>\n")
	b.WriteString("<xmp:ModifyDate>" + xmpDate(m.date) + "</xmp:ModifyDate>\n")
	b.WriteString("</rdf:Description>\n")
	// PDF/A-2 (6.6.2.3.2) accepts properties outside its predefined schemas
	// only with a description of their schema: pdfuaid is one of those.
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
`)
	b.WriteString("</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>")
	return b.Bytes()
}
