package pdf

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	p := os.Getenv("PDFDUMP")
	if p == "" {
		return
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	for _, bl := range d.Blocks {
		if bl.Para != nil {
			q := bl.Para
			fmt.Printf("P p%d a%d s%.1f b%v i%.1f %s\n", q.Page, q.Align, q.Size, q.Bold, q.Indent, q.Text)
		} else {
			fmt.Printf("T p%d\n", bl.Table.Page)
			for _, r := range bl.Table.Rows {
				fmt.Printf("  p%d", r.Page)
				for _, c := range r.Cells {
					v := ""
					if c.Vertical {
						v = "V"
					}
					fmt.Printf(" [%d+%dx%d%s %s]", c.Col, c.ColSpan, c.RowSpan, v, c.Text)
				}
				fmt.Println()
			}
		}
	}
}
