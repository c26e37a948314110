package importer

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestTry(t *testing.T) {
	data, err := os.ReadFile(os.Getenv("F"))
	if err != nil {
		t.Skip()
	}
	res, err := Import(context.Background(), data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("J") != "" {
		fmt.Println(string(res.JSON))
	}
	if os.Getenv("D") != "" {
		fmt.Println(res.Doc.Text())
	}
	for _, p := range res.Problems {
		fmt.Println(p.Severity, p.Pointer, p.Code, p.MessageZh, "@", p.Where)
	}
}
