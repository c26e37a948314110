package fonts_test

import (
	"fmt"
	"log"

	"github.com/govreport/govreport/fonts"
)

// A program that sets reports in its own faces builds a Set from them and
// passes it to package render (Options.Fonts); without importing package
// fonts/faces it links none of the shipped faces.
func ExampleNewSet() {
	face, err := fonts.LoadFile("fontstest/small.ttf") // an agency's own file
	if err != nil {
		log.Fatal(err)
	}
	stacks := make(map[fonts.Role][]*fonts.Face)
	for _, role := range fonts.Roles() {
		stacks[role] = []*fonts.Face{face}
	}
	set, err := fonts.NewSet(stacks)
	if err != nil {
		log.Fatal(err)
	}
	fallback, missing := set.Report(fonts.RoleTitle, "年度报告永")
	fmt.Println(set.Face(fonts.RoleTitle).Name(), len(fallback), string(missing))
	// Output: NotoSerifCJKsc-Regular 0 永
}
