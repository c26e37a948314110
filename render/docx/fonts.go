package docx

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// FontMode says which fonts a DOCX names, and whether it carries them.
type FontMode string

const (
	// FontsOfficial names the fonts of a Chinese government office:
	// 方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体 — or, for a role whose
	// text has characters outside GB2312 (a traditional-character report),
	// the GBK faces every Chinese Windows has (仿宋, 楷体), which have them,
	// and for such a title the GBK edition of 小标宋 (方正小标宋_GBK); digits
	// and Latin letters in Times New Roman (latinFont). Body paragraphs
	// flow, for editing: Word breaks them with the fonts it has.
	FontsOfficial FontMode = "official"
	// FontsEmbed names the faces the PDF embeds (FandolFang, cwTeX
	// FangSong, Noto Serif CJK SC …), each stretch of text in the face the
	// layout set it in, and embeds their subsets in the file (ECMA-376
	// obfuscated fonts), so that it looks like the PDF on a PC that has
	// none of them; for print, it keeps the layout's line and page breaks
	// (a manual break at each of a paragraph's lines, a page break where
	// the layout broke the page).
	FontsEmbed FontMode = "embed"
)

// ParseFontMode reads a --docx-fonts or docx_fonts= value; empty is official.
func ParseFontMode(s string) (FontMode, error) {
	switch m := FontMode(s); m {
	case "":
		return FontsOfficial, nil
	case FontsOfficial, FontsEmbed:
		return m, nil
	}
	return "", fmt.Errorf("docx fonts %q: want official or embed", s)
}

// fontInfo is a font table entry's description of a font: what Word
// matches a missing font by (panose, character set, Unicode and code page
// coverage).
type fontInfo struct {
	alt     string // the font's other names and the faces to try in its place, comma-separated (w:altName)
	panose  string // 10 bytes in hex
	charset string // 86 GB2312, 88 Big5
	family  string // auto, roman, swiss, modern …
	pitch   string // fixed, variable, default
	sig     [6]uint32
}

// The official fonts as Word describes them (values of fontTable.xml parts
// Word writes on Chinese Windows). The _GB2312 faces declare GB2312 only
// (code page bit 18); the GBK faces also Latin 1 (bit 0) and the Unicode
// ranges of GBK.
var (
	sigGB2312 = [6]uint32{0x00000001, 0x080E0000, 0, 0, 0x00040000, 0}
	sigGBK    = [6]uint32{0x800002BF, 0x38CF7CFA, 0x00000016, 0, 0x00040001, 0}

	// The 小标宋 faces are Founder's, installed on a government PC but
	// not with Windows or Office: each names, after its English name,
	// 华文中宋 (STZhongsong), the heavy 宋 face Office installs on a Chinese
	// Windows, which has the GBK repertoire (a traditional-character
	// title too), so that Word sets the title in a title face rather than
	// in the default 宋体. Their panose is unknown (Founder's fonts leave
	// it zero); 华文中宋's is its OS/2 panose.
	officialFonts = map[string]fontInfo{
		"方正小标宋简体":   {"FZXiaoBiaoSong-B05S,华文中宋", "02000000000000000000", "86", "auto", "variable", sigGB2312},
		"方正小标宋_GBK": {"FZXiaoBiaoSong-B05,华文中宋", "02000000000000000000", "86", "auto", "variable", [6]uint32{0x00000003, 0x080E0000, 0x00000016, 0, 0x00040001, 0}},
		"华文中宋":      {"STZhongsong", "02010600040101010101", "86", "auto", "variable", [6]uint32{0x00000287, 0x080F0000, 0, 0, 0x0004009F, 0}},
		"仿宋_GB2312": {"仿宋", "02010609030101010101", "86", "modern", "fixed", sigGB2312},
		"楷体_GB2312": {"楷体", "02010609030101010101", "86", "modern", "fixed", sigGB2312},
		"仿宋":        {"FangSong", "02010609060101010101", "86", "modern", "fixed", sigGBK},
		"楷体":        {"KaiTi", "02010609060101010101", "86", "modern", "fixed", sigGBK},
		"黑体":        {"SimHei", "02010609060101010101", "86", "modern", "fixed", sigGBK},
		"宋体":        {"SimSun", "02010600030101010101", "86", "auto", "variable", [6]uint32{0x00000003, 0x288F0000, 0x00000016, 0, 0x00040001, 0}},
		latinFont:   {"", "02020603050405020304", "00", "roman", "variable", [6]uint32{0xE0002EFF, 0xC000785B, 0x00000009, 0, 0x000001FF, 0}},
	}
)

// latinFont is the font official mode sets digits and Latin letters of
// the body, headings and tables in (w:ascii, w:hAnsi), beside the
// role's Chinese font (w:eastAsia). It is what Chinese offices set them
// in (GB/T 9704 leaves it to practice), every Windows and Mac has it, and
// Linux has its metric twin, Liberation Serif, which fontconfig puts in
// its place. Its digits are half an em wide, as 仿宋_GB2312's and the
// PDF's are; with the Chinese font named for them too, LibreOffice sets
// the digits in a sans-serif substitute 27 % wider (DejaVu Sans), and
// long-county-2022 gains a page (issue 23).
const latinFont = "Times New Roman"

// latinName is the font official mode names for role's digits and Latin
// letters: latinFont for the body, headings and tables; the title keeps
// its face's own figures, and the page number is 宋体's (GB/T 9704 7.5).
func latinName(role fonts.Role, name string) string {
	switch role {
	case fonts.RoleBody, fonts.RoleKai, fonts.RoleHei:
		return latinFont
	}
	return name
}

// officialName is the font a government PC sets role in, given whether the
// role's text stays within GB2312.
func officialName(role fonts.Role, gb2312 bool) string {
	switch role {
	case fonts.RoleTitle:
		if gb2312 {
			return "方正小标宋简体"
		}
		return "方正小标宋_GBK"
	case fonts.RoleBody:
		if gb2312 {
			return "仿宋_GB2312"
		}
		return "仿宋"
	case fonts.RoleKai:
		if gb2312 {
			return "楷体_GB2312"
		}
		return "楷体"
	case fonts.RoleHei:
		return "黑体"
	}
	return "宋体"
}

// faceInfo describes an embedded face from its OS/2 table.
func faceInfo(f *fonts.Face) fontInfo {
	info := fontInfo{panose: "00000000000000000000", charset: "00", family: "auto", pitch: "variable"}
	o, ok := f.OS2()
	if !ok {
		return info
	}
	info.panose = strings.ToUpper(hex.EncodeToString(o.Panose[:]))
	switch {
	case o.CodePageRange[0]&(1<<18) != 0:
		info.charset = "86"
	case o.CodePageRange[0]&(1<<20) != 0:
		info.charset = "88"
	}
	if o.Panose[0] == 2 { // Latin text
		switch s := o.Panose[1]; {
		case s >= 11 && s <= 13:
			info.family = "swiss"
		case s >= 2:
			info.family = "roman"
		}
		if o.Panose[3] == 9 {
			info.pitch = "fixed"
		}
	}
	copy(info.sig[:4], o.UnicodeRange[:])
	copy(info.sig[4:], o.CodePageRange[:])
	return info
}

// gb2312 is the set of characters GB2312 encodes, as a bitmap of the BMP:
// its rows read with the GBK decoder, less what GBK added inside them
// (gbkAddition), which a _GB2312 face does not have.
var gb2312 = sync.OnceValue(func() *[65536 / 64]uint64 {
	var set [65536 / 64]uint64
	dec := simplifiedchinese.GBK.NewDecoder()
	for a := 0xA1; a <= 0xF7; a++ {
		for b := 0xA1; b <= 0xFE; b++ {
			if gbkAddition(a, b) {
				continue
			}
			s, err := dec.Bytes([]byte{byte(a), byte(b)})
			if err != nil {
				continue
			}
			for _, r := range string(s) {
				if r != 0xFFFD && r < 0x10000 {
					set[r/64] |= 1 << (r % 64)
				}
			}
		}
	}
	return &set
})

// gbkAddition reports whether the two bytes a, b are a code GBK (as
// GB18030) assigned in GB2312's rows where GB2312 has none: ⅰ–ⅹ (A2A1–A2AA),
// € (A2E3), the vertical forms (A6E0–A6F5), ɑḿńňǹɡ (A8BB–A8C0), and the
// rows GB2312 leaves empty (AA–AF).
func gbkAddition(a, b int) bool {
	switch {
	case a >= 0xAA && a <= 0xAF:
		return true
	case a == 0xA2:
		return b <= 0xAA || b == 0xE3 || b == 0xE4
	case a == 0xA6:
		return b >= 0xE0
	case a == 0xA8:
		return b >= 0xBB && b <= 0xC4
	}
	return false
}

// inGB2312 reports whether a font of the GB2312 repertoire has r: ASCII,
// and every character GB2312 encodes (with the other Unicode readings of
// its dash, double bar, middle dot and wave dash).
func inGB2312(r rune) bool {
	switch {
	case r < 0x80:
		return true
	case r > 0xFFFF:
		return false
	case r == 0x2015 || r == 0x2016 || r == 0x2225 || r == 0x30FB || r == 0x301C:
		return true
	}
	return gb2312()[r/64]&(1<<(r%64)) != 0
}

// roleTexts gathers the document's text by the role the layout sets it in
// (layout.Document.Texts).
func roleTexts(doc *layout.Document) map[fonts.Role]*strings.Builder {
	b := map[fonts.Role]*strings.Builder{}
	for t := range doc.Texts() {
		if b[t.Role] == nil {
			b[t.Role] = &strings.Builder{}
		}
		b[t.Role].WriteString(t.Text)
	}
	return b
}

// officialNames chooses the official font of every role by the
// characters the document sets in it.
func officialNames(doc *layout.Document) names {
	texts := roleTexts(doc)
	n := names{}
	for _, role := range fonts.Roles() {
		within := true
		if b := texts[role]; b != nil {
			for _, r := range b.String() {
				if !inGB2312(r) {
					within = false
					break
				}
			}
		}
		n[role] = officialName(role, within)
	}
	return n
}

// embedded is one face the DOCX carries: the characters it sets, in order
// of first use, and whether it is the bold member of its family.
type embedded struct {
	face  *fonts.Face
	runes []rune
	seen  map[rune]bool
	bold  bool
}

// use records that face sets r.
func (g *gen) use(face *fonts.Face, r rune) {
	e := g.usedBy[face]
	if e == nil {
		o, _ := face.OS2()
		e = &embedded{face: face, seen: map[rune]bool{}, bold: o.Bold}
		g.usedBy[face] = e
		g.used = append(g.used, e)
	}
	if !e.seen[r] {
		e.seen[r] = true
		e.runes = append(e.runes, r)
	}
}

// subsetTag is the six letters an embedded subset's names start with
// (ABCDEF+FandolFang, as in a PDF): a hash of the faces and of the text, so
// that the same report gives the same names and two reports different ones.
// LibreOffice keeps the first embedded font of a name for the rest of its
// session; under a shared name, a second report would borrow the first's
// subset and miss characters.
func subsetTag(doc *layout.Document, set *fonts.Set) string {
	h := sha256.New()
	for _, r := range fonts.Roles() {
		for _, f := range set.Stack(r) {
			fmt.Fprintf(h, "%s\x00%s\x00", f.Source(), f.Name())
		}
	}
	texts := roleTexts(doc)
	for _, r := range fonts.Roles() {
		if b := texts[r]; b != nil {
			fmt.Fprintf(h, "%s\x00%s\x00", r, b.String())
		}
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// faceName is the name a face has in the DOCX: its family, tagged with
// FontsEmbed.
func (g *gen) faceName(f *fonts.Face) string {
	if g.tag == "" {
		return f.Family()
	}
	return g.tag + "+" + f.Family()
}

// fontKey is the obfuscation key of an embedded font, a GUID made from a
// hash of the font's bytes, so that the same document gives the same file.
func fontKey(data []byte) string {
	h := sha256.Sum256(data)
	s := strings.ToUpper(hex.EncodeToString(h[:16]))
	return "{" + s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32] + "}"
}

// obfuscate applies ECMA-376 Part 1 §17.8.1's font obfuscation: the first
// 32 bytes of the font XORed with the key's 16 bytes, taken from the GUID's
// hex digits last byte first. The same operation undoes it.
func obfuscate(data []byte, key string) ([]byte, error) {
	digits := strings.NewReplacer("{", "", "}", "", "-", "").Replace(key)
	k, err := hex.DecodeString(digits)
	if err != nil || len(k) != 16 {
		return nil, fmt.Errorf("docx: bad font key %q", key)
	}
	if len(data) < 32 {
		return nil, fmt.Errorf("docx: font of %d bytes cannot be obfuscated", len(data))
	}
	out := make([]byte, len(data))
	copy(out, data)
	for i := range 32 {
		out[i] ^= k[15-i%16]
	}
	return out, nil
}

// licenseEscaper escapes a licence text as XML character data and keeps
// its lines readable.
var licenseEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// licensesNS is the namespace of the custom XML part that carries the
// embedded fonts' licences.
const licensesNS = "urn:govreport:font-licenses"

// licenses is customXml/item1.xml of a file with embedded fonts: for each
// embedded face its name in the file, its own name, licence and copyright,
// and the full text of each licence (the OFL asks that every copy of the
// font carry it; the GPL, for Fandol and cwTeX, that it go with the font
// program), so that whoever receives the file has them. A user's face
// (--font-dir) is listed without a text: its licence is the user's.
func (g *gen) licenses() []byte {
	var x xw
	x.raw(xmlHeader)
	x.raw(`<fontLicenses xmlns="` + licensesNS + `">`)
	var files []string
	for _, e := range g.used {
		f := e.face
		x.raw(`<font`)
		x.attr("name", g.faceName(f))
		x.attr("postscriptName", f.Name())
		x.attr("license", f.License())
		file := fonts.LicenseFile(f.License())
		if file != "" {
			x.attr("licenseText", file)
			if !slices.Contains(files, file) {
				files = append(files, file)
			}
		}
		if src, ok := strings.CutPrefix(f.Source(), "embedded:"); ok {
			x.attr("source", "govreport fonts/faces/"+src) // a user's path stays private
		}
		x.raw(`/>`)
	}
	for _, file := range files {
		text, err := fs.ReadFile(fonts.Files(), file)
		if err != nil {
			continue // the embedded files are fixed; a test reads each
		}
		x.raw(`<licenseText`)
		x.attr("name", file)
		x.raw(`>`)
		x.raw(licenseEscaper.Replace(strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\n' && r != '\t' {
				return -1 // a form feed between the GPL's sections is no XML character
			}
			return r
		}, string(text))))
		x.raw(`</licenseText>`)
	}
	x.raw(`</fontLicenses>`)
	return x.b.Bytes()
}
