package main

// End-to-end tests of issue 20 (hardening, second round): the README's 表四 digit limit.

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTable4DigitLimit pins the README's claim about 表四's counts to the
// layout: with a count of N digits in every one of its 15 columns, the
// table is set on a landscape page at its smallest size (六号) and no
// count wraps for N up to the figure the README gives; one digit more
// wraps (issue 22: a table too wide for 小五 turns landscape).
func TestTable4DigitLimit(t *testing.T) {
	const limit = 9
	readme := string(readFile(t, "../../README.md"))
	if !strings.Contains(readme, fmt.Sprintf("up to %d digits in all 15 columns of 表四 never wrap", limit)) {
		t.Errorf("the README does not state the measured limit (%d digits)", limit)
	}
	dir := t.TempDir()
	for _, n := range []int{limit, limit + 1} {
		var r map[string]any
		json.Unmarshal(readFile(t, seed), &r)
		v := int64(math.Pow10(n)) - 1 // 99…9
		for _, g := range r["reviews_and_litigation"].(map[string]any) {
			for k := range g.(map[string]any) {
				g.(map[string]any)[k] = v
			}
		}
		b, _ := json.Marshal(r)
		os.WriteFile(filepath.Join(dir, "r.json"), b, 0o644)
		stdout, stderr, code := runBin(t, dir, false, "render", "r.json", "--format", "layout", "--checks", "warn")
		if code != 0 {
			t.Fatalf("%d digits: exit %d\n%s", n, code, stderr)
		}
		var dump struct {
			Pages []struct {
				Width, Height float64
				Items         []struct {
					Kind, Box, Text string
					Size            float64
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &dump); err != nil {
			t.Fatal(err)
		}
		cell := regexp.MustCompile(`^表四 r4c\d+$`) // the row of counts
		texts := map[string][]string{}
		for _, p := range dump.Pages {
			for _, it := range p.Items {
				if it.Kind == "text" && cell.MatchString(it.Box) && p.Width <= p.Height {
					t.Errorf("%d digits: %s on a portrait page", n, it.Box)
				}
				if it.Kind == "text" && cell.MatchString(it.Box) {
					texts[it.Box] = append(texts[it.Box], it.Text)
					if it.Size != 7.5 {
						t.Errorf("%d digits: %s set at %v pt, want 7.5 (六号)", n, it.Box, it.Size)
					}
				}
			}
		}
		wrapped := 0
		for _, ts := range texts {
			if len(ts) > 1 {
				wrapped++
			}
		}
		if len(texts) != 15 {
			t.Fatalf("%d digits: %d count cells in 表四, want 15", n, len(texts))
		}
		if n == limit && wrapped != 0 || n > limit && wrapped != 15 {
			t.Errorf("%d digits: %d of 15 counts wrap", n, wrapped)
		}
	}
}
