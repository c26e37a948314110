package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const seed = "../../testdata/reports/yongxing-2024.json"

func runCLIStdin(t *testing.T, stdin []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, bytes.NewReader(stdin), &o, &e)
	return o.String(), e.String(), code
}

// TestHelp: the usage is generated from the command table, and every
// command's -h prints its usage to standard output and exits 0.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		out, errOut, code := runCLI(t, args...)
		if code != 0 || errOut != "" {
			t.Errorf("govreport %s: exit %d, stderr %q", args[0], code, errOut)
		}
		for _, c := range commands {
			if !strings.Contains(out, "  "+c.synopsis()+"\n") {
				t.Errorf("govreport %s does not list %s:\n%s", args[0], c.name, out)
			}
		}
	}
	if _, errOut, code := runCLI(t); code != 2 || !strings.Contains(errOut, "Usage:") {
		t.Errorf("no command: exit %d, want 2 and the usage", code)
	}
	for _, c := range commands {
		for _, h := range []string{"-h", "--help"} {
			out, errOut, code := runCLI(t, c.name, h)
			want := "usage: govreport " + c.name
			if c.name == "help" {
				want = "govreport: "
			}
			if code != 0 || errOut != "" || !strings.HasPrefix(out, want) {
				t.Errorf("govreport %s %s: exit %d, stdout %.60q, stderr %q", c.name, h, code, out, errOut)
			}
			// A flag says its default once: "default 4 × max-renders"
			// in the text is not followed by "(default 0)".
			for _, flagHelp := range strings.Split(out, "\n  -")[1:] {
				if strings.Count(flagHelp, "default") > 1 {
					t.Errorf("govreport %s %s: a flag gives its default twice:\n  -%s", c.name, h, flagHelp)
				}
			}
		}
		if c.name == "help" {
			continue
		}
		// A bad flag: exit 2 and the usage once, on standard error.
		out, errOut, code := runCLI(t, c.name, "--no-such-flag")
		if code != 2 || out != "" || strings.Count(errOut, "usage: govreport") != 1 {
			t.Errorf("govreport %s --no-such-flag: exit %d, usage %d times:\n%s", c.name, code, strings.Count(errOut, "usage: govreport"), errOut)
		}
	}
	out, _, code := runCLI(t, "help", "render")
	if code != 0 {
		t.Fatalf("help render: exit %d", code)
	}
	for _, want := range []string{"docx", "png", "layout", "--page page", "(default 1)", "--dpi float", "(default 96)", "--checks mode", "(default strict)", "--encoding name", "-o file", "--docx-fonts fonts", `(default "official")`} {
		if !strings.Contains(out, want) {
			t.Errorf("render -h lacks %q:\n%s", want, out)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, code := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "govreport ") || !strings.Contains(out, "go: go1.") {
		t.Errorf("version: exit %d:\n%s", code, out)
	}
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "b864d3814500892993f119889616825c1505b4d6"},
		{Key: "vcs.time", Value: "2026-11-29T12:21:05Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	want := buildInfo{Version: "v1.2.0", Revision: "b864d3814500892993f119889616825c1505b4d6", Time: "2026-11-29T12:21:05Z", Modified: true, Go: "go1.26.8"}
	if got := parseBuildInfo(bi, ""); got != want {
		t.Errorf("parseBuildInfo = %+v, want %+v", got, want)
	}
	if got := parseBuildInfo(bi, "v9").Version; got != "v9" {
		t.Errorf("-X main.version did not win: %q", got)
	}
	bi.Main.Version = "(devel)"
	if got := parseBuildInfo(bi, "").Version; got != "dev" {
		t.Errorf("(devel): %q, want dev", got)
	}
	if got := parseBuildInfo(nil, ""); got.Version != "dev" || got.Revision != "" {
		t.Errorf("no build info: %+v", got)
	}
}

// TestStdin: - reads the report from standard input.
func TestStdin(t *testing.T) {
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "x.pdf")
	if _, errOut, code := runCLIStdin(t, data, "render", "-", "-o", out); code != 0 || !strings.Contains(errOut, "<stdin>: 7 pages → ") {
		t.Fatalf("render - -o x.pdf: exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("no PDF from standard input: %v", err)
	}
	if stdout, _, code := runCLIStdin(t, data, "render", "--format", "docx", "-o", "-", "-"); code != 0 || !strings.HasPrefix(stdout, "PK") {
		t.Errorf("render - -o -: exit %d", code)
	}
	if stdout, _, code := runCLIStdin(t, data, "check", "-"); code != 0 || stdout != "<stdin>: ok\n" {
		t.Errorf("check -: exit %d: %q", code, stdout)
	}
	bad, _ := os.ReadFile("../../testdata/reports/invalid-negative-count.json")
	if stdout, _, code := runCLIStdin(t, bad, "check", "-"); code != 1 || !strings.HasPrefix(stdout, "<stdin>: /applications/") {
		t.Errorf("check - of an invalid report: exit %d: %q", code, stdout)
	}
	if _, errOut, code := runCLIStdin(t, data, "fonts", "-"); code != 0 {
		t.Errorf("fonts -: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"render", "-"}, {"batch", "-o", dir, "-"}} {
		if _, errOut, code := runCLIStdin(t, data, args...); code != 2 || !strings.Contains(errOut, "-o") {
			t.Errorf("%s: exit %d, want 2 and a hint: %s", strings.Join(args, " "), code, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files written: %v", entries)
	}
}

// TestEncoding: a GB18030 file is named as such, with how to convert it,
// and --encoding gb18030 reads it; a BOM and CRLF line ends are UTF-8 as
// usual.
func TestEncoding(t *testing.T) {
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "gb.json")
	os.WriteFile(in, gb, 0o644)
	out, _, code := runCLI(t, "check", in)
	for _, want := range []string{"GB18030", "GBK", "iconv -f GB18030 -t UTF-8", "--encoding gb18030", "永興傣族鄉人民政府", "line 3, column 14"} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("GB18030 file: exit %d, message lacks %q:\n%s", code, want, out)
		}
	}
	for _, enc := range []string{"gb18030", "GBK", "gb2312"} {
		if out, errOut, code := runCLI(t, "check", "--encoding", enc, in); code != 0 {
			t.Errorf("check --encoding %s: exit %d: %s%s", enc, code, out, errOut)
		}
	}
	pdf := filepath.Join(dir, "gb.pdf")
	if _, errOut, code := runCLIStdin(t, gb, "render", "--encoding", "gb18030", "-", "-o", pdf); code != 0 {
		t.Errorf("render --encoding gb18030 -: exit %d: %s", code, errOut)
	}
	// One --encoding for a folder of GB18030 and UTF-8 files.
	mixed := filepath.Join(dir, "mixed")
	os.Mkdir(mixed, 0o755)
	os.WriteFile(filepath.Join(mixed, "gb.json"), gb, 0o644)
	os.WriteFile(filepath.Join(mixed, "utf8.json"), data, 0o644)
	if out, errOut, code := runCLI(t, "batch", "--encoding", "gb18030", mixed); code != 0 || !strings.HasPrefix(out, "done 2, failed 0") {
		t.Errorf("batch --encoding gb18030 of mixed files: exit %d: %s%s", code, out, errOut)
	}
	if _, errOut, code := runCLI(t, "check", "--encoding", "latin9", in); code != 2 || !strings.Contains(errOut, "gb18030") {
		t.Errorf("unknown encoding: exit %d: %s", code, errOut)
	}

	crlf := append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))...)
	os.WriteFile(in, crlf, 0o644)
	if out, _, code := runCLI(t, "check", in); code != 0 {
		t.Errorf("BOM and CRLF: exit %d: %s", code, out)
	}
	if out, _, code := runCLI(t, "check", "--encoding", "gb18030", in); code != 0 {
		t.Errorf("BOM and CRLF with --encoding gb18030 (valid UTF-8 stays UTF-8): exit %d: %s", code, out)
	}
}

func TestRenderPageAndLayout(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--page", "0", "-o", "p.png"}, 2, "numbered from 1"},
		{[]string{"--page", "-1", "-o", "p.png"}, 2, "numbered from 1"},
		{[]string{"--page", "8", "-o", "p.png"}, 2, "the report has 7 pages"},
		{[]string{"--page", "2", "-o", "p.pdf"}, 2, "--page is for PNG"},
		{[]string{"--page", "2", "-o", "p.docx"}, 2, "--page is for PNG"},
		{[]string{"--dpi", "150", "--format", "layout"}, 2, "--dpi is for PNG"},
		{[]string{"--dpi", "0", "-o", "p.png"}, 2, "--dpi 0: must be more than 0 and at most 600"},
		{[]string{"--page", "7", "--dpi", "30", "-o", "p.png"}, 0, "7 pages → "},
	}
	for _, tt := range tests {
		args := append([]string{"render", seed}, tt.args...)
		for i, a := range args {
			if strings.HasPrefix(a, "p.") {
				args[i] = filepath.Join(dir, a)
			}
		}
		if _, errOut, code := runCLI(t, args...); code != tt.code || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), code, errOut, tt.code, tt.msg)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || entries[0].Name() != "p.png" {
		t.Errorf("files written: %v, want only p.png", entries)
	}

	// --format layout without -o writes to standard output, never
	// X.layout.json, the name of X.json's golden.
	data, _ := os.ReadFile(seed)
	in := filepath.Join(dir, "r.json")
	os.WriteFile(in, data, 0o644)
	out, _, code := runCLI(t, "render", "--format", "layout", in)
	if code != 0 || !strings.Contains(out, `"box": "title"`) {
		t.Errorf("layout to standard output: exit %d, %.80q", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "r.layout.json")); err == nil {
		t.Error("render --format layout wrote r.layout.json")
	}
}

// TestGoldenMixedFolder: golden on a copy of testdata/reports, whose
// invalid reports' goldens are their problem lists: --update then a
// comparison both pass, and the problem lists are the ones check prints.
func TestGoldenMixedFolder(t *testing.T) {
	dir := t.TempDir()
	files, _ := filepath.Glob("../../testdata/reports/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644)
	}
	out, errOut, code := runCLI(t, "golden", "--update", dir)
	if code != 0 {
		t.Fatalf("golden --update: exit %d:\n%s%s", code, out, errOut)
	}
	// The problem lists copied from testdata are check's, so --update
	// leaves them as they are and says so; the layouts are new.
	if !strings.Contains(out, "invalid-syntax.json (goldens unchanged)") || !strings.Contains(out, "(1 file: yongxing-2024.layout.json)") {
		t.Errorf("golden --update does not name what it wrote:\n%s", out)
	}
	out, errOut, code = runCLI(t, "golden", dir)
	if code != 0 || strings.Contains(out, "FAIL") {
		t.Fatalf("golden after --update: exit %d:\n%s%s", code, out, errOut)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, ".problems") {
			continue
		}
		want, _ := os.ReadFile(f)
		got, _ := os.ReadFile(filepath.Join(dir, filepath.Base(f)))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: golden's problem list differs from check's:\n%s\nwant:\n%s", filepath.Base(f), got, want)
		}
	}
	// A report that became valid fails against its problem list.
	valid, _ := os.ReadFile(seed)
	os.WriteFile(filepath.Join(dir, "invalid-syntax.json"), valid, 0o644)
	out, _, code = runCLI(t, "golden", dir)
	if code != 1 || !strings.Contains(out, "invalid-syntax.problems expects it to be rejected") {
		t.Errorf("a report that became valid: exit %d:\n%s", code, out)
	}
}

func TestCompletion(t *testing.T) {
	script, errOut, code := runCLI(t, "completion", "bash")
	if code != 0 {
		t.Fatalf("completion bash: exit %d: %s", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "govreport.bash")
	os.WriteFile(file, []byte(script), 0o644)
	complete := func(words ...string) string {
		t.Helper()
		cmd := testCommand(t, toolTimeout, "bash", "-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _govreport; echo "${COMPREPLY[*]}"`, "bash", file)
		cmd.Args = append(cmd.Args, words...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := complete("govreport", "re"); got != "render" {
		t.Errorf("govreport re<TAB> = %q, want render", got)
	}
	if got := complete("govreport", "render", "--pa"); got != "--page" {
		t.Errorf("govreport render --pa<TAB> = %q, want --page", got)
	}
	if got := complete("govreport", "help", "gol"); got != "golden" {
		t.Errorf("govreport help gol<TAB> = %q, want golden", got)
	}
	// zsh loads the script and registers the function for govreport (zsh
	// itself then narrows the words to what was typed).
	zsh, _, code := runCLI(t, "completion", "zsh")
	if code != 0 {
		t.Fatalf("completion zsh: exit %d", code)
	}
	zfile := filepath.Join(t.TempDir(), "govreport.zsh")
	os.WriteFile(zfile, []byte(zsh), 0o644)
	cmd := testCommand(t, toolTimeout, "zsh", "-f", "-c", `source "$1" && setopt ksharrays && COMP_WORDS=(govreport render --pa) && COMP_CWORD=2 && _govreport && print -r -- "${_comps[govreport]}|${COMPREPLY[*]}"`, "zsh", zfile)
	cmd.Env = append(os.Environ(), "ZDOTDIR="+t.TempDir()) // compinit writes its dump file there, not in $HOME
	if out, err := cmd.CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "_bash_complete -o default -F _govreport|") || !strings.Contains(string(out), "--page") {
		t.Errorf("zsh: %v\n%s", err, out)
	}
	if _, _, code := runCLI(t, "completion", "fish"); code != 2 {
		t.Errorf("completion fish: exit %d, want 2", code)
	}
}

func TestPlurals(t *testing.T) {
	out, _, code := runCLI(t, "check", "--checks", "warn", "../../testdata/reports/invalid-check-table4.json")
	if code != 0 || !strings.Contains(out, ": ok (1 warning)") {
		t.Errorf("check: exit %d: %s", code, out)
	}
	for n, want := range map[int]string{0: "0 files", 1: "1 file", 2: "2 files"} {
		if got := plural(n, "file", "files"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestBinaryDeps keeps the test-only dependencies out of the binary's
// build: they would lengthen a cold `go build` (and `go install`) by
// minutes and add nothing a user runs. (pdfcpu was one of them until
// `import` read PDFs: its object layer is now in the binary, and with it
// go.yaml.in/yaml/v3, which pdfcpu's configuration links.)
func TestBinaryDeps(t *testing.T) {
	out, err := testCommand(t, toolTimeout, "go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, testOnly := range []string{"github.com/pb33f/", "github.com/santhosh-tekuri/jsonschema"} {
		for _, d := range deps {
			if strings.HasPrefix(d, testOnly) {
				t.Errorf("the binary depends on %s, a test-only module", d)
				break
			}
		}
	}
}

// TestCommandLinksNoServer: the command is built without the HTTP server's
// dependencies, whose initialisation every command paid for (3–4 ms of CPU
// and about 350 page faults a process: Gin with the MessagePack, BSON,
// protobuf and QUIC packages it links, Prometheus); the binary built with
// -tags server has them.
func TestCommandLinksNoServer(t *testing.T) {
	serverOnly := []string{"github.com/govreport/govreport/server", "github.com/gin-gonic/", "github.com/prometheus/",
		"github.com/ugorji/", "go.mongodb.org/", "google.golang.org/protobuf", "github.com/quic-go/"}
	for _, tags := range []string{"", "server"} {
		out, err := testCommand(t, toolTimeout, "go", "list", "-tags", tags, "-deps", ".").Output()
		if err != nil {
			t.Fatalf("go list -tags %q: %v", tags, err)
		}
		deps := strings.Fields(string(out))
		for i, prefix := range serverOnly {
			linked := slices.ContainsFunc(deps, func(d string) bool { return strings.HasPrefix(d, prefix) })
			switch {
			case tags == "" && linked:
				t.Errorf("the command links %s, a dependency of the server only", prefix)
			case tags == "server" && i < 3 && !linked: // what Gin links may change with its versions
				t.Errorf("-tags server does not link %s", prefix)
			}
		}
	}
}

// TestBatchWarnings: with --checks warn, batch renders a report that fails
// a check and says so, in its lines, summary and summary file.
func TestBatchWarnings(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	b, _ := os.ReadFile("../../testdata/reports/invalid-check-table4.json")
	os.WriteFile(filepath.Join(in, "r.json"), b, 0o644)
	summary := filepath.Join(out, "summary.json")
	stdout, errOut, code := runCLI(t, "batch", "--checks", "warn", "-o", out, "--summary", summary, in)
	if code != 0 || !strings.Contains(errOut, "4 pages → ") || !strings.Contains(errOut, "(1 warning)") ||
		!strings.Contains(stdout, "warning: "+filepath.Join(in, "r.json")+": /reviews_and_litigation/") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, errOut)
	}
	if s, _ := os.ReadFile(summary); !strings.Contains(string(s), `"warnings": [`) {
		t.Errorf("summary file lacks the warnings:\n%s", s)
	}
}

// TestProblemsOmittedCounted: a report with more problems than are listed
// says how many more there are, in check's lines, in check --json (as
// problems_omitted, like the HTTP API) and in render's, so a clerk who
// fixes the listed ones knows the list was not everything.
func TestProblemsOmittedCounted(t *testing.T) {
	body := unknownKeys(t, 150)
	out, _, code := runCLIStdin(t, body, "check", "-")
	if code != 1 || !strings.Contains(out, "<stdin>: … and 50 more problems, not listed") {
		t.Errorf("check: exit %d, no count of the problems not listed:\n%s", code, lastLines(out, 2))
	}
	out, _, code = runCLIStdin(t, body, "check", "--json", "-")
	var res []checkResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 1 || len(res) != 1 || len(res[0].Problems) != 100 || res[0].ProblemsOmitted != 50 {
		t.Errorf("check --json: exit %d, %v: %.300s", code, err, out)
	}
	_, errOut, code := runCLIStdin(t, body, "render", "-", "-o", filepath.Join(t.TempDir(), "x.pdf"))
	if code != 1 || !strings.Contains(errOut, "… and 50 more problems") {
		t.Errorf("render: exit %d, no count of the problems not listed:\n%s", code, lastLines(errOut, 2))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// TestCheckUsesRenderFonts: check lays the report out with the faces
// render would use (--font-dir, GOVREPORT_FONT_DIR), so a report that
// passes check renders: a font folder render cannot load fails check too.
func TestCheckUsesRenderFonts(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "nofonts")
	if _, errOut, code := runCLI(t, "check", "--font-dir", bad, seed); code != 2 || !strings.Contains(errOut, "nofonts") {
		t.Errorf("check --font-dir %s: exit %d: %s", bad, code, errOut)
	}
	t.Setenv("GOVREPORT_FONT_DIR", bad)
	_, renderErr, renderCode := runCLI(t, "render", seed, "-o", filepath.Join(t.TempDir(), "x.pdf"))
	out, errOut, code := runCLI(t, "check", seed)
	if renderCode == 0 || code != renderCode || !strings.Contains(errOut, "nofonts") {
		t.Errorf("with GOVREPORT_FONT_DIR=%s: render exit %d (%s), check exit %d: %s%s", bad, renderCode, strings.TrimSpace(renderErr), code, out, errOut)
	}
}

// TestCheckStdinOnce: - twice is a usage error, not a second report that
// reads as empty and is reported as malformed JSON.
func TestCheckStdinOnce(t *testing.T) {
	body, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLIStdin(t, body, "check", "-", "-")
	if code != 2 || !strings.Contains(errOut, "only once") || out != "" {
		t.Errorf("check - -: exit %d: %s%s", code, out, errOut)
	}
}
