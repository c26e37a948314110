package layout

import (
	"reflect"
	"testing"

	"github.com/govreport/govreport/fonts"
)

func TestTexts(t *testing.T) {
	doc := &Document{Blocks: []Block{
		&Title{Text: "某县人民政府2024年政府信息公开工作年度报告"},
		&Heading{Level: 1, Text: "一、总体情况"},
		&Paragraph{Runs: []Run{{Text: "（一）主动公开情况。", Role: fonts.RoleKai}, {Text: "本年", Role: fonts.RoleBody}}},
		&Heading{Level: 2, Text: "（二）依申请公开情况"},
		&Table{Cells: []Cell{{Text: "第二十条第（一）项", Kind: CellSection}, {Text: "信息内容"}, {Text: "12"}}},
		&Signature{Agency: "某县人民政府办公室", Date: "2025年1月20日"},
	}}
	var got []Text
	for tx := range doc.Texts() {
		tx.Block = nil // compared below by text and index
		got = append(got, tx)
	}
	want := []Text{
		{Text: "某县人民政府2024年政府信息公开工作年度报告", Role: fonts.RoleTitle},
		{Text: "一、总体情况", Role: fonts.RoleHei},
		{Text: "（一）主动公开情况。", Role: fonts.RoleKai},
		{Text: "本年", Role: fonts.RoleBody, Index: 1},
		{Text: "（二）依申请公开情况", Role: fonts.RoleKai},
		{Text: "第二十条第（一）项", Role: fonts.RoleHei},
		{Text: "信息内容", Role: fonts.RoleBody, Index: 1},
		{Text: "12", Role: fonts.RoleBody, Index: 2},
		{Text: "某县人民政府办公室", Role: fonts.RoleBody},
		{Text: "2025年1月20日", Role: fonts.RoleBody, Index: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Texts:\n got %v\nwant %v", got, want)
	}
	n := 0
	for range doc.Texts() {
		n++
		if n == 3 {
			break // stopping early must not panic
		}
	}
}
