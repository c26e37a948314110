package templates

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
)

// BuildOptions adjust the document's metadata.
type BuildOptions struct {
	// Creator names the program, e.g. "govreport v1.2.0".
	Creator string
	// Date overrides the creation date (SOURCE_DATE_EPOCH); zero means
	// the signature date, so that output never depends on the clock.
	Date time.Time
	// Draft prints 草稿 on every page: a report that may still hold
	// placeholders, printed for review.
	Draft bool
}

// chinaTime is UTC+8, the zone the signature date is written in.
var chinaTime = time.FixedZone("CST", 8*3600)

// Build turns a validated report into the document tree of this format:
// title, preamble, the six numbered sections (prose or table, as the
// format's data says), signature. No table structure lives here: the grids
// come from the format file.
func (f *Format) Build(r *report.Report, opt BuildOptions) (*layout.Document, error) {
	doc := &layout.Document{Meta: layout.Meta{
		Title:    r.Title,
		Author:   r.Signature.Agency,
		Subject:  f.Name(f.Names.Subject, r.Agency, r.Year),
		Keywords: f.Name(f.Names.Keywords, r.Agency, r.Year),
		Creator:  opt.Creator,
		Date:     opt.Date,
	}}
	if opt.Draft {
		doc.Draft = "草稿"
	}
	if doc.Meta.Date.IsZero() {
		d := r.Signature.Date
		doc.Meta.Date = time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, chinaTime)
	}
	// A two-line title breaks before the year (永兴傣族乡 / 2024年…报告),
	// else after the agency's name, so each line keeps its words whole.
	title := &layout.Title{Text: r.Title, Pointer: r.TitleFrom}
	for _, w := range f.Names.TitleWords {
		title.Words = append(title.Words, layout.TitleWord{Word: w.Word, Inside: w.Inside})
	}
	var units []layout.TitleWord
	for _, u := range f.Names.Units {
		units = append(units, layout.TitleWord{Word: u.Word, Unit: true, Suffix: u.Suffix})
	}
	title.Words = append(title.Words, units...)
	if i := strings.Index(r.Title, fmt.Sprint(r.Year)); i > 0 {
		title.Break = utf8.RuneCountInString(r.Title[:i])
	} else if strings.HasPrefix(r.Title, r.Agency) {
		title.Break = utf8.RuneCountInString(r.Agency)
	}
	doc.Blocks = append(doc.Blocks, title)
	if f.Preamble != "" {
		doc.Blocks = append(doc.Blocks, prose(r.Section(f.Preamble))...)
	}
	for _, s := range f.Sections {
		doc.Blocks = append(doc.Blocks, &layout.Heading{Level: 1, Text: s.Heading})
		if s.Blocks != "" {
			doc.Blocks = append(doc.Blocks, prose(r.Section(s.Blocks))...)
			continue
		}
		if s.Notes != "" {
			doc.Blocks = append(doc.Blocks, prose(r.Blocks(s.Notes))...)
		}
		t, err := f.table(f.Table(s.Table), r)
		if err != nil {
			return nil, err
		}
		doc.Blocks = append(doc.Blocks, t)
	}
	doc.Blocks = append(doc.Blocks, &layout.Signature{Agency: r.Signature.Agency, Date: r.Signature.Date.Chinese(), Words: units,
		AgencyPointer: r.Signature.AgencyFrom, DatePointer: r.Signature.DateFrom})
	return doc, nil
}

// prose turns a section's blocks into paragraphs and （一） headings,
// numbered in order unless a heading brings its own number.
func prose(blocks []report.Block) []layout.Block {
	var out []layout.Block
	n := 0
	for _, b := range blocks {
		if b.Heading == "" {
			out = append(out, &layout.Paragraph{Runs: []layout.Run{{Text: b.Paragraphs[0], Role: fonts.RoleBody}}, Pointer: b.Pointer})
			continue
		}
		n++
		heading := b.Heading
		if !hasOwnNumber(heading) {
			heading = "（" + chineseNumber(n) + "）" + heading
		}
		paras := b.Paragraphs
		if b.RunIn {
			if !strings.ContainsAny(lastRune(heading), "。：；！？.:") {
				heading += "。"
			}
			out = append(out, &layout.Paragraph{Runs: []layout.Run{
				{Text: heading, Role: fonts.RoleKai},
				{Text: paras[0], Role: fonts.RoleBody},
			}, Pointer: b.ParagraphPointer(0)})
			paras = paras[1:]
			for i, p := range paras {
				out = append(out, &layout.Paragraph{Runs: []layout.Run{{Text: p, Role: fonts.RoleBody}}, Pointer: b.ParagraphPointer(i + 1)})
			}
			continue
		}
		out = append(out, &layout.Heading{Level: 2, Text: heading, Pointer: b.Pointer + "/heading"})
		for i, p := range paras {
			out = append(out, &layout.Paragraph{Runs: []layout.Run{{Text: p, Role: fonts.RoleBody}}, Pointer: b.ParagraphPointer(i)})
		}
	}
	return out
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	return string(r)
}

// ownNumber matches a heading that starts with a （一）-style number.
var ownNumber = regexp.MustCompile(`^[（(][一二三四五六七八九十]+[）)]`)

func hasOwnNumber(h string) bool { return ownNumber.MatchString(h) }

// chineseNumber writes 1…99 as Chinese numerals: 一, 十, 十一, 二十一.
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n-10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// table fills a template grid with the report's values.
func (f *Format) table(t *report.Table, r *report.Report) (*layout.Table, error) {
	lt := &layout.Table{
		Name:       f.Names.TablePrefix + t.Number,
		Columns:    t.Columns,
		Rows:       len(t.Rows),
		HeaderRows: t.HeaderRows,
		Widths:     t.Widths,
	}
	for _, row := range t.Rows {
		for _, c := range row.Cells {
			cs, rs := c.Span()
			cell := layout.Cell{Row: c.Row, Col: c.Col, RowSpan: rs, ColSpan: cs, Text: c.Text, Breaks: c.Breaks}
			switch {
			case c.IsData():
				v, ok := r.Cell(c.Bind)
				if !ok {
					return nil, fmt.Errorf("table %s: no value for %s", t.Number, c.Bind)
				}
				cell.Text, cell.Kind, cell.Pointer = v.Text, layout.CellData, c.Bind
			case c.Role == "section":
				cell.Kind = layout.CellSection
			}
			lt.Cells = append(lt.Cells, cell)
		}
	}
	return lt, nil
}
