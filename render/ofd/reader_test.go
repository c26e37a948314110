package ofd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	stdpng "image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/png"
)

// The independent reader: ofd.js 0.2.6 (npm, Apache-2.0), a reader written
// by others from the standard, parses each package and draws it in headless
// Chromium. What it reads back must be what the layout set: the text of
// each page, each glyph within 0.1 mm of where the layout put it, and a
// screenshot of each page that agrees with our own PNG of it.
//
// ofd.js draws text in the fonts its CSS names (FamilyName, else FontName,
// through its table of Chinese font names) and ignores FontFile, so the
// harness registers each embedded subset as a web font under the family and
// weight ofd.js asks for: the screenshot then also shows that each subset is
// a font Chromium can load and draw.

// ofdjsDir is where scripts/test.sh installs ofd.js.
const ofdjsDir = "../../.cache/ofdjs/node_modules/ofd.js/lib"

// readerPxPerMM is ofd.js's scale: it fits the page to the width asked for
// and caps the scale at 5 px/mm (127 DPI).
const readerPxPerMM = 5

// glyphTolerance is how far (mm) a glyph Chromium draws may sit from where
// the layout put it.
const glyphTolerance = 0.1

// inkAgreementMin is the share of ink pixels that must have ink near them
// in both the screenshot and our PNG.
const inkAgreementMin = 0.95

// chromium starts headless Chromium for one test and returns a browser
// context; the browser is killed when the test ends. It has no network but
// the test's own server, a fresh profile, and none of the background
// services that hang on a machine without network.
func chromium(t *testing.T) context.Context {
	t.Helper()
	exe, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is missing: apt-get install -y chromium (scripts/test.sh installs it)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 1600),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel(); cancel() })
	// Start the browser now, so that a failure to start is its own error.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	return bctx
}

// ofdjs returns ofd.js's bundle, or fails naming the install.
func ofdjs(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ofdjsDir, "ofd.umd.min.js"))
	if err != nil {
		t.Fatalf("ofd.js is missing (%v): npm install --prefix .cache/ofdjs ofd.js@0.2.6 (scripts/test.sh installs it)", err)
	}
	return b
}

// drawnGlyph is one text element ofd.js drew (reader.html's drawn).
type drawnGlyph struct {
	Object string  `json:"object"`
	Text   string  `json:"text"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Family string  `json:"family"`
	Weight string  `json:"weight"`
}

type drawnPage struct {
	Width  float64      `json:"width"`
	Height float64      `json:"height"`
	Glyphs []drawnGlyph `json:"glyphs"`
}

// webFace is a font the harness registers (reader.html's loadFonts).
type webFace struct {
	Family string `json:"family"`
	Weight int    `json:"weight"`
	URL    string `json:"url"`
}

// readerResult is what ofd.js made of one package.
type readerResult struct {
	pages []drawnPage
	shots []*image.Gray // a screenshot of each page
}

// readWithOFDJS serves the package and ofd.js from a local server, has
// Chromium draw it, registers the embedded fonts, and returns what was
// drawn and a screenshot of each page.
func readWithOFDJS(t *testing.T, bctx context.Context, pkg []byte) (*readerResult, error) {
	t.Helper()
	files, _, err := unzip(pkg)
	if err != nil {
		return nil, err
	}
	harness, err := os.ReadFile("testdata/reader.html")
	if err != nil {
		return nil, err
	}
	lib := ofdjs(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(harness)
		case r.URL.Path == "/ofd.umd.min.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(lib)
		case r.URL.Path == "/doc.ofd":
			w.Header().Set("Content-Type", "application/ofd")
			w.Write(pkg)
		case strings.HasPrefix(r.URL.Path, "/pkg/"):
			b, ok := files[strings.TrimPrefix(r.URL.Path, "/pkg/")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "font/ttf")
			w.Write(b)
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	tctx, cancel2 := context.WithTimeout(tctx, 3*time.Minute)
	defer cancel2()

	type readInfo struct {
		Scale float64 `json:"scale"`
		Pages int     `json:"pages"`
	}
	// ofd.js fits a page to the width less 10 px: 210 mm at 5 px/mm.
	width := 10 + 210*readerPxPerMM
	if err := chromedp.Do(tctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitReady("#pages"),
	); err != nil {
		return nil, fmt.Errorf("loading the harness: %w", err)
	}
	info, err := chromedp.Run(tctx, chromedp.Evaluate[readInfo](fmt.Sprintf("readOFD(%d)", width), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("ofd.js did not read the package: %w", err)
	}
	if info.Scale != readerPxPerMM {
		return nil, fmt.Errorf("ofd.js drew at %g px/mm, want %d", info.Scale, readerPxPerMM)
	}
	res := &readerResult{}
	if res.pages, err = chromedp.Run(tctx, chromedp.Evaluate[[]drawnPage]("drawn()")); err != nil {
		return nil, err
	}
	faces, err := embeddedFaces(files, res.pages, srv.URL)
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(tctx, chromedp.Evaluate[int](mustJSON("loadFonts(", faces, ")"), chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("registering the embedded fonts: %w", err)
	}
	for i := range res.pages {
		shot, err := chromedp.Run(tctx, chromedp.Screenshot("#page-"+strconv.Itoa(i)))
		if err != nil {
			return nil, fmt.Errorf("page %d: screenshot: %w", i+1, err)
		}
		img, err := stdpng.Decode(bytes.NewReader(shot))
		if err != nil {
			return nil, fmt.Errorf("page %d: screenshot: %w", i+1, err)
		}
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
		res.shots = append(res.shots, g)
	}
	return res, nil
}

func mustJSON(prefix string, v any, suffix string) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return prefix + string(b) + suffix
}

// embeddedFaces maps the fonts ofd.js asked for to the subsets the package
// embeds: each TextObject's font (its Font attribute, through PublicRes)
// under the first family of the CSS ofd.js wrote and the object's weight.
// Two subsets asked for under one family and weight would make the
// screenshot depend on which one Chromium picks: that is an error.
func embeddedFaces(files map[string][]byte, pages []drawnPage, base string) ([]webFace, error) {
	fontFile := map[string]string{} // font ID → path in the package
	objFont := map[string]string{}  // TextObject ID → font ID
	for name, b := range files {
		if !strings.HasSuffix(name, ".xml") {
			continue
		}
		n, err := parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if n.name.Local == "Res" {
			dir := path.Join(path.Dir(name), n.attrs["BaseLoc"])
			n.all("Font", func(f *node) {
				if ff := f.child("FontFile"); ff != nil {
					fontFile[f.attrs["ID"]] = path.Join(dir, ff.text)
				}
			})
		}
		n.all("TextObject", func(o *node) { objFont[o.attrs["ID"]] = o.attrs["Font"] })
	}
	type key struct {
		family string
		weight int
	}
	chosen := map[key]string{}
	var faces []webFace
	for _, p := range pages {
		for _, g := range p.Glyphs {
			file, ok := fontFile[objFont[g.Object]]
			if !ok {
				return nil, fmt.Errorf("ofd.js drew object %q, whose font %q the package does not embed", g.Object, objFont[g.Object])
			}
			fam := strings.Trim(strings.TrimSpace(strings.Split(g.Family, ",")[0]), `"'`)
			w, err := strconv.Atoi(g.Weight)
			if err != nil {
				w = 400 // ofd.js writes "undefined" for an object without Weight
			}
			k := key{fam, w}
			if prev, ok := chosen[k]; ok {
				if prev != file {
					return nil, fmt.Errorf("ofd.js asks for %s %d for both %s and %s", fam, w, prev, file)
				}
				continue
			}
			chosen[k] = file
			faces = append(faces, webFace{fam, w, base + "/pkg/" + file})
		}
	}
	return faces, nil
}

// readerFaults compares what ofd.js drew with the layout's pages; it also
// returns, per page, the farthest a glyph sat from its place and the ink
// agreement, for the log.
func readerFaults(res *readerResult, pages []layout.Page, dpi float64) (errs []error, stats []string) {
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(res.pages) != len(pages) {
		fail("ofd.js drew %d pages, the layout has %d", len(res.pages), len(pages))
	}
	for i := range min(len(res.pages), len(pages)) {
		dp := &res.pages[i]
		// ofd.js fits every page to the width asked for, a landscape
		// page (issue 22) at less than its scale: the page's own, from
		// the width it drew the page at.
		pxPerMM, pageDPI := float64(readerPxPerMM), dpi
		if pages[i].Landscape() && dp.Width > 0 {
			pxPerMM = dp.Width / (pages[i].Width * mmPerPt)
			pageDPI = pxPerMM * 25.4
		}
		// Text: every glyph in drawing order.
		var got, want strings.Builder
		var items []*layout.Item
		for j := range pages[i].Items {
			if it := &pages[i].Items[j]; it.Kind == layout.ItemText && it.Text != "" {
				want.WriteString(it.Text)
				items = append(items, it)
			}
		}
		for _, g := range dp.Glyphs {
			got.WriteString(g.Text)
		}
		if got.String() != want.String() {
			fail("page %d: ofd.js reads otherwise than the layout: %s", i+1, firstDiff(got.String(), want.String()))
		}
		// Positions: the objects in order, each the layout's item in order.
		objOrder := []string{}
		byObj := map[string][]drawnGlyph{}
		for _, g := range dp.Glyphs {
			if _, ok := byObj[g.Object]; !ok {
				objOrder = append(objOrder, g.Object)
			}
			byObj[g.Object] = append(byObj[g.Object], g)
		}
		if len(objOrder) != len(items) {
			fail("page %d: ofd.js drew %d text objects, the layout has %d runs", i+1, len(objOrder), len(items))
			objOrder = objOrder[:min(len(objOrder), len(items))]
		}
		worst, bad := 0.0, 0
		for k, id := range objOrder {
			it := items[k]
			x, y := it.X, it.Y
			gs := byObj[id]
			for n, r := range []rune(it.Text) {
				if n >= len(gs) {
					break
				}
				gx, gy := gs[n].X/pxPerMM, gs[n].Y/pxPerMM
				d := math.Max(math.Abs(gx-x*mmPerPt), math.Abs(gy-y*mmPerPt))
				if math.IsNaN(d) {
					d = math.Inf(1)
				}
				worst = max(worst, d)
				if d > glyphTolerance {
					bad++
					if bad <= 3 {
						fail("page %d: %q character %d (%q) drawn at (%.3f, %.3f) mm, the layout's at (%.3f, %.3f)",
							i+1, it.Text, n, r, gx, gy, x*mmPerPt, y*mmPerPt)
					}
				}
				if it.Rotate == 90 {
					y += it.Face.Advance(r)*it.Size + it.Spacing // turned: down the page
				} else {
					x += it.Face.Advance(r)*it.Size + it.Spacing
				}
			}
		}
		if bad > 3 {
			fail("page %d: %d glyphs more than %.1f mm from the layout's places (worst %.3f mm)", i+1, bad, glyphTolerance, worst)
		}
		// Ink: the screenshot against our PNG of the page at ofd.js's scale.
		ours, err := png.Paint(context.Background(), pages[i], png.Options{DPI: pageDPI})
		if err != nil {
			fail("page %d: our PNG: %v", i+1, err)
			continue
		}
		if i >= len(res.shots) {
			continue
		}
		agree, inkOurs, inkTheirs := inkAgreement(ours, res.shots[i])
		stats = append(stats, fmt.Sprintf("page %d: %d glyphs, worst %.3f mm off; ink agreement %.2f%% (%d dark pixels ours, %d Chromium's)",
			i+1, len([]rune(want.String())), worst, 100*agree, inkOurs, inkTheirs))
		if agree < inkAgreementMin || inkOurs == 0 {
			fail("page %d: %.2f%% of the ink agrees with our PNG (%d dark pixels ours, %d Chromium's), want ≥ %.0f%%",
				i+1, 100*agree, inkOurs, inkTheirs, 100*inkAgreementMin)
		}
	}
	return errs, stats
}

// inkAgreement returns the share of ink pixels (darker than mid-gray in
// either image, over the area both cover) that have ink within one pixel in
// both, and each image's ink count: antialiasing of two rasterizers may
// differ by a pixel.
func inkAgreement(a, b *image.Gray) (float64, int, int) {
	w, h := min(a.Rect.Dx(), b.Rect.Dx()), min(a.Rect.Dy(), b.Rect.Dy())
	const dark = 128
	at := func(g *image.Gray, x, y int) bool {
		return g.Pix[(y)*g.Stride+x] < dark
	}
	near := func(g *image.Gray, x, y int) bool {
		for yy := max(y-1, 0); yy <= min(y+1, h-1); yy++ {
			for xx := max(x-1, 0); xx <= min(x+1, w-1); xx++ {
				if at(g, xx, yy) {
					return true
				}
			}
		}
		return false
	}
	var both, any, inkA, inkB int
	for y := range h {
		for x := range w {
			da, db := at(a, x, y), at(b, x, y)
			if da {
				inkA++
			}
			if db {
				inkB++
			}
			if da || db {
				any++
				if near(a, x, y) && near(b, x, y) {
					both++
				}
			}
		}
	}
	if any == 0 {
		return 0, inkA, inkB
	}
	return float64(both) / float64(any), inkA, inkB
}

// TestIndependentReader reads every test report's OFD with ofd.js in
// Chromium.
func TestIndependentReader(t *testing.T) {
	ofdjs(t)
	bctx := chromium(t)
	for _, file := range pdfcheck.ValidReports(t, "../..") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			p := prepare(t, file)
			pkg := write(t, p)
			res, err := readWithOFDJS(t, bctx, pkg)
			if err != nil {
				t.Fatal(err)
			}
			errs, stats := readerFaults(res, p.Layout.Pages, readerPxPerMM*25.4)
			for _, s := range stats {
				t.Log(s)
			}
			for _, err := range errs {
				t.Error(err)
			}
		})
	}
}

// TestIndependentReaderBrokenOnPurpose shows that each of the reader's
// checks can fail: a package with one fault, read by ofd.js, is refused
// with it.
func TestIndependentReaderBrokenOnPurpose(t *testing.T) {
	ofdjs(t)
	bctx := chromium(t)
	p := prepare(t, "../../testdata/reports/yongxing-2024.json")
	good := write(t, p)
	deltaX := regexp.MustCompile(`DeltaX="([^"]*) [^" ]+"`)
	for _, tc := range []struct {
		name string
		edit func(name string, b []byte) []byte
		want string
	}{
		{"page dropped", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_1/Content.xml" {
				return nil
			}
			return b
		}, "ofd.js"},
		{"DeltaX value dropped", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_0/Content.xml" {
				return deltaX.ReplaceAll(b, []byte(`DeltaX="$1"`))
			}
			return b
		}, "page 1: ofd.js reads otherwise"},
		{"glyph moved", func(n string, b []byte) []byte {
			if n == "Doc_0/Pages/Page_0/Content.xml" {
				return bytes.Replace(b, []byte(`<ofd:TextCode X="0"`), []byte(`<ofd:TextCode X="0.2"`), 1)
			}
			return b
		}, "character 0 ('永') drawn at"},
		{"fonts swapped", func(n string, b []byte) []byte {
			switch n {
			case "Doc_0/Res/font_1.ttf":
				f, _, _ := unzip(good)
				return f["Doc_0/Res/font_3.ttf"]
			case "Doc_0/Res/font_3.ttf":
				f, _, _ := unzip(good)
				return f["Doc_0/Res/font_1.ttf"]
			}
			return b
		}, "of the ink agrees"},
		{"font cut short", func(n string, b []byte) []byte {
			if n == "Doc_0/Res/font_0.ttf" {
				return b[:len(b)/3]
			}
			return b
		}, "Chromium cannot load it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var faults []string
			res, err := readWithOFDJS(t, bctx, rezip(t, good, tc.edit))
			if err != nil {
				faults = append(faults, err.Error())
			} else {
				errs, _ := readerFaults(res, p.Layout.Pages, readerPxPerMM*25.4)
				for _, e := range errs {
					faults = append(faults, e.Error())
				}
			}
			t.Log(faults)
			if !slices.ContainsFunc(faults, func(s string) bool { return strings.Contains(s, tc.want) }) {
				t.Errorf("faults %q, want one with %q", faults, tc.want)
			}
		})
	}
}
