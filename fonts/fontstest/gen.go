//go:build ignore

// gen writes small.ttf, a cut of the embedded song face (Noto Serif CJK SC
// Regular, SIL OFL 1.1: see ../faces/LICENSE-OFL.txt) made by the
// project's own subsetter. Run: go run gen.go (from this folder).
package main

import (
	"log"
	"os"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/fonts/faces"
)

// runes are the characters of the cut: ASCII letters and digits, the
// punctuation and the hanzi of a report's title and headings.
const runes = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,:;()-—、。，：；（）《》" +
	"一二三四五六七八九十年度政府信息公开工作报告人民乡总体情况主动申请"

func main() {
	set, err := faces.Set()
	if err != nil {
		log.Fatal(err)
	}
	b, err := set.Face(fonts.RoleSong).Subset([]rune(runes))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("small.ttf", b, 0o644); err != nil {
		log.Fatal(err)
	}
}
