package ofd

import (
	"strconv"

	"github.com/govreport/govreport/layout"
)

// The 公文 semantics (GB/T 33476, 党政机关电子公文格式规范): an electronic
// official document names its elements (公文要素, the names of GB/T 9704)
// so that a document system can read the title, the body, the issuing
// agency's signature and the date of writing without guessing them from
// the page. OFD carries such names as a custom tag file (GB/T 33190 §16,
// 自定义标引): Document.xml's CustomTags points to an index, the index to a
// tag file in a namespace of its own, and each element of the tag file
// lists the objects that draw it as ObjectRefs (the object's ID, with
// PageRef the page's ID), as e-invoices (GB/T 36639's OFD form) tag their
// fields. The elements come from the layout's roles (layout.Part), never
// from the text:
//
//	标题          the title's lines
//	正文          headings, paragraphs and table cells (a header row
//	              repeated on a later page is not tagged twice)
//	发文机关署名  the signature's agency lines
//	成文日期      the signature's date line
//
// The document's metadata (公文元数据) is DocInfo (Title, Author = the
// agency, CreationDate) and, in CustomDatas, the same four names' values
// where they are single strings: 标题, 发文机关署名 and 成文日期.
const (
	// TagNamespace is the namespace of the tag file's elements. GB/T
	// 33476's own namespace URI was not available to us to check, so the
	// file says plainly whose vocabulary it is: the element names are the
	// standard's, the namespace is govreport's.
	TagNamespace = "urn:govreport:gbt33476:gongwen"
	tagsLoc      = "Tags/CustomTags.xml" // from Doc_0
	tagFile      = "CustomTag.xml"       // beside the index
)

// Tag names, in the order the tag file lists them.
const (
	TagTitle  = "标题"
	TagBody   = "正文"
	TagAgency = "发文机关署名"
	TagDate   = "成文日期"
	tagRoot   = "公文"
)

var tagOrder = [...]string{TagTitle, TagBody, TagAgency, TagDate}

// objectRef is one object a tag names.
type objectRef struct{ page, id int }

// tagger gathers, while the pages are written, the objects of each tag.
type tagger struct {
	doc *layout.Document
	// dateLine is, per signature block, the line of the date: the
	// signature's last line (its agency's lines come before it).
	dateLine map[int32]int32
	refs     [len(tagOrder)][]objectRef
}

func newTagger(pages []layout.Page, doc *layout.Document) *tagger {
	t := &tagger{doc: doc, dateLine: map[int32]int32{}}
	for i := range pages {
		for j := range pages[i].Items {
			p := &pages[i].Items[j].Part
			if p.Kind == layout.PartSignature {
				if l, ok := t.dateLine[p.Block]; !ok || p.Line > l {
					t.dateLine[p.Block] = p.Line
				}
			}
		}
	}
	return t
}

// role returns the tag of an item, or "" for one no tag names (page
// numbers, the draft mark, rules, repeated header cells).
func (t *tagger) role(it *layout.Item) string {
	switch it.Part.Kind {
	case layout.PartTitle:
		return TagTitle
	case layout.PartHeading, layout.PartParagraph:
		return TagBody
	case layout.PartCell:
		if !it.Part.Repeat {
			return TagBody
		}
	case layout.PartSignature:
		if it.Part.Line == t.dateLine[it.Part.Block] {
			return TagDate
		}
		return TagAgency
	}
	return ""
}

// add records the object id on page that draws it.
func (t *tagger) add(it *layout.Item, page, id int) {
	r := t.role(it)
	for k, name := range tagOrder {
		if name == r {
			t.refs[k] = append(t.refs[k], objectRef{page, id})
		}
	}
}

func (t *tagger) any() bool {
	for _, r := range t.refs {
		if len(r) > 0 {
			return true
		}
	}
	return false
}

// index is CustomTags.xml: one CustomTag, the 公文 tag file.
func (t *tagger) index() []byte {
	w := newXML("CustomTags")
	w.end()
	w.start("CustomTag")
	w.attr("NameSpace", TagNamespace)
	w.end()
	w.leaf("FileLoc", tagFile)
	w.close("CustomTag")
	w.close("CustomTags")
	return w.b
}

// file is the tag file: the root 公文 in TagNamespace, an element per tag
// with its objects in drawing order. ObjectRef is OFD's element.
func (t *tagger) file() []byte {
	b := []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b = append(b, "<"+tagRoot+` xmlns="`+TagNamespace+`" xmlns:ofd="`+Namespace+`">`...)
	for k, name := range tagOrder {
		if len(t.refs[k]) == 0 {
			continue
		}
		b = append(b, "<"+name+">"...)
		for _, r := range t.refs[k] {
			b = append(b, `<ofd:ObjectRef PageRef="`...)
			b = strconv.AppendInt(b, int64(r.page), 10)
			b = append(b, `">`...)
			b = strconv.AppendInt(b, int64(r.id), 10)
			b = append(b, "</ofd:ObjectRef>"...)
		}
		b = append(b, "</"+name+">"...)
	}
	return append(b, "</"+tagRoot+">"...)
}

type customData struct{ name, value string }

// metadata is DocInfo's CustomDatas: the title, the signing agency and the
// date of writing as the document states them.
func (t *tagger) metadata(m layout.Meta) []customData {
	var out []customData
	if m.Title != "" {
		out = append(out, customData{TagTitle, m.Title})
	}
	if t.doc == nil {
		return out
	}
	for _, b := range t.doc.Blocks {
		if s, ok := b.(*layout.Signature); ok {
			if s.Agency != "" {
				out = append(out, customData{TagAgency, s.Agency})
			}
			if s.Date != "" {
				out = append(out, customData{TagDate, s.Date})
			}
			break
		}
	}
	return out
}
