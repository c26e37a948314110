package layout

import (
	"fmt"
	"testing"
)

// TestBookmarks: entries in page order, a level deeper than one below the
// entry before raised to it, so every entry has a parent.
func TestBookmarks(t *testing.T) {
	pages := []Page{
		{Outline: []Outline{{Level: 1, Title: "（一）"}, {Level: 0, Title: "一、"}}},
		{},
		{Outline: []Outline{{Level: 1, Title: "（一）"}, {Level: 3, Title: "deep"}, {Level: 0, Title: "二、"}}},
	}
	var got string
	for _, b := range Bookmarks(pages) {
		got += fmt.Sprintf("%s@%d:%d ", b.Title, b.Page, b.Depth)
	}
	if want := "（一）@0:0 一、@0:0 （一）@2:1 deep@2:2 二、@2:0 "; got != want {
		t.Errorf("bookmarks %q, want %q", got, want)
	}
}
