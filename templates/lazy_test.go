package templates

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/report"
)

// TestDecodeParsesOnlyItsFormat: decoding a valid report parses its own
// format's file and no other (a process starts without the other file's
// 5 ms), and a report that fails is told of every format. It runs in a
// child process, whose formats nothing has loaded yet.
func TestDecodeParsesOnlyItsFormat(t *testing.T) {
	if os.Getenv("GOVREPORT_TEST_LAZY") == "1" {
		data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		_, f, err := Decode(data, report.Options{})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		index, _ := indexOnce()
		var parsed []string
		for _, e := range index {
			if e.f != nil {
				parsed = append(parsed, e.id)
			}
		}
		fmt.Printf("format %s; parsed %s\n", f.ID, strings.Join(parsed, ","))
		// A report that fails is decoded with every format: its problem
		// lists them all.
		_, _, err = Decode([]byte(`{"format":"nope"}`), report.Options{})
		var re *report.Error
		if !errors.As(err, &re) {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println(re.Problems[0].Message)
		os.Exit(0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDecodeParsesOnlyItsFormat$")
	cmd.Env = append(os.Environ(), "GOVREPORT_TEST_LAZY=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	const want = "format gov-info-disclosure/2021; parsed gov-info-disclosure/2021\n" +
		`unknown format "nope"; formats: gov-info-disclosure/2019, gov-info-disclosure/2021` + "\n"
	if string(out) != want {
		t.Errorf("child said %q, want %q", out, want)
	}
}

// TestIndex: the id and years read from each file's head are those of the
// parsed file, and Lookup and Latest give Formats' own values.
func TestIndex(t *testing.T) {
	all, err := Formats()
	if err != nil {
		t.Fatal(err)
	}
	index, err := indexOnce()
	if err != nil {
		t.Fatal(err)
	}
	if len(index) != len(all) {
		t.Fatalf("%d files in the index, %d formats", len(index), len(all))
	}
	for i, e := range index {
		if e.id != all[i].ID || e.years != all[i].Years {
			t.Errorf("file %s: head %q %v, parsed %q %v", e.name, e.id, e.years, all[i].ID, all[i].Years)
		}
		if f, err := Lookup(e.id); err != nil || f != all[i] {
			t.Errorf("Lookup(%q) = %p, %v; want %p", e.id, f, err, all[i])
		}
	}
	if f, err := Latest(); err != nil || f.Format != report.Latest(contract) {
		t.Errorf("Latest() = %v, %v", f, err)
	}
}

// TestDecodeProblemsNameEveryFormat: a report that fails names the other
// formats as it would if all were parsed before — an unknown format lists
// every id, another format's key names its format.
func TestDecodeProblemsNameEveryFormat(t *testing.T) {
	for _, in := range []string{
		`{"format":"nope"}`,
		`{"format":"gov-info-disclosure/2021","year":2024,"applications":{"carried_forward":1,"new_applications":{}}}`,
	} {
		_, _, err := Decode([]byte(in), report.Options{})
		var re *report.Error
		if !errors.As(err, &re) {
			t.Fatalf("%s: %v, want a *report.Error", in, err)
		}
		want, err2 := report.Decode([]byte(in), report.Options{Formats: contract})
		var we *report.Error
		if want != nil || !errors.As(err2, &we) {
			t.Fatalf("%s: report.Decode: %v", in, err2)
		}
		if !reflect.DeepEqual(re.Problems, we.Problems) {
			t.Errorf("%s: problems\n%v\nwant\n%v", in, re.Problems, we.Problems)
		}
	}
}
