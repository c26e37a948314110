package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests of this file reproduce the hostile and careless inputs of a
// security review against the built binary: the server on loopback and the
// CLI on real files.

// unknownKeys is a report of n distinct unknown keys before the seed's.
func unknownKeys(t *testing.T, n int) []byte {
	t.Helper()
	seed, err := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, `"k%d":0,`, i)
	}
	b.Write(bytes.TrimPrefix(bytes.TrimSpace(seed), []byte("{")))
	return b.Bytes()
}

func postJSON(t *testing.T, url string, body []byte, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// problemBody is the part of a problem+json answer the tests read.
type problemBody struct {
	Status   int    `json:"status"`
	Type     string `json:"type"`
	Detail   string `json:"detail"`
	Problems []struct {
		Pointer string `json:"pointer"`
		Code    string `json:"code"`
	} `json:"problems"`
	Omitted int `json:"problems_omitted"`
}

func decodeProblem(t *testing.T, resp *http.Response, body []byte) problemBody {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("status %d, Content-Type %q: %.300s", resp.StatusCode, ct, body)
	}
	var p problemBody
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("%v: %.300s", err, body)
	}
	return p
}

// TestServeManyProblems: 170,000 distinct unknown keys (2 MB) get a 422
// that lists the first problems and counts the rest, well under 1 MB.
func TestServeManyProblems(t *testing.T) {
	base, _, _ := startServer(t)
	body := unknownKeys(t, 170000)
	for _, path := range []string{"/v1/reports/validate", "/v1/reports/export"} {
		resp, b := postJSON(t, base+path, body)
		if resp.StatusCode != 422 {
			t.Fatalf("%s: status %d: %.300s", path, resp.StatusCode, b)
		}
		p := decodeProblem(t, resp, b)
		if len(b) >= 1<<20 || len(p.Problems) != 100 || p.Omitted != 170000-100 {
			t.Errorf("%s: %d bytes, %d problems listed, %d omitted", path, len(b), len(p.Problems), p.Omitted)
		}
		if !strings.Contains(p.Detail, "170000 problems") {
			t.Errorf("%s: detail %q does not count every problem", path, p.Detail)
		}
	}
}

// seedWith is the seed report changed by edit.
func seedWith(t *testing.T, edit func(r map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	edit(r)
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pageLimitReport is 23 headings of 500 one-character paragraphs each
// (89 KB): within every size limit of the contract, but more than 500
// pages.
func pageLimitReport(t *testing.T) []byte {
	return seedWith(t, func(r map[string]any) {
		var blocks []any
		for i := range 23 {
			paras := make([]any, 500)
			for j := range paras {
				paras[j] = "是"
			}
			blocks = append(blocks, map[string]any{"heading": fmt.Sprintf("情况%d", i+1), "paragraphs": paras})
		}
		r["overview"] = blocks
	})
}

// TestServeSameChecksAsExport: what export refuses, validate refuses with
// the same problem; a report too long to print is 422 too_large at "",
// not a 500.
func TestServeSameChecksAsExport(t *testing.T) {
	base, _, logs := startServer(t)
	setParagraph := func(text string) []byte {
		return seedWith(t, func(r map[string]any) {
			r["overview"].([]any)[0].(map[string]any)["paragraphs"].([]any)[0] = text
		})
	}
	for _, tt := range []struct {
		name          string
		body          []byte
		pointer, code string
	}{
		{"page limit", pageLimitReport(t), "", "too_large"},
		{"Arabic", setParagraph("政府信息公开 مرحبا 工作"), "/overview/0/paragraphs/0", "unsupported_character"},
		{"zero-width space", setParagraph("政府信息\u200b公开"), "/overview/0/paragraphs/0", "unsupported_character"},
		{"right-to-left override", setParagraph("政府信息\u202e公开"), "/overview/0/paragraphs/0", "unsupported_character"},
		{"U+FFFD", setParagraph("政府信息\ufffd公开"), "/overview/0/paragraphs/0", "unsupported_character"},
		{"title", seedWith(t, func(r map[string]any) { r["title"] = "政府信息公开 مرحبا 报告" }), "/title", "unsupported_character"},
		{"lone surrogate", bytes.Replace(setParagraph("政府信息公开"), []byte("政府信息公开"), []byte(`政府\ud800信息公开`), 1), "/overview/0/paragraphs/0", "surrogate"},
	} {
		for _, path := range []string{"/v1/reports/validate", "/v1/reports/export"} {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				resp, b := postJSON(t, base+path, tt.body)
				if resp.StatusCode != 422 {
					t.Fatalf("status %d, want 422: %.300s\n%s", resp.StatusCode, b, logs)
				}
				p := decodeProblem(t, resp, b)
				if len(p.Problems) != 1 || p.Problems[0].Pointer != tt.pointer || p.Problems[0].Code != tt.code {
					t.Errorf("problems %+v, want one %s at %q", p.Problems, tt.code, tt.pointer)
				}
			})
		}
	}
	// A valid report says how many pages it will have.
	resp, b := post(t, base+"/v1/reports/validate", "../../testdata/reports/yongxing-2024.json")
	var v struct {
		Valid bool `json:"valid"`
		Pages int  `json:"pages"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil || !v.Valid || v.Pages < 5 {
		t.Errorf("validate the seed: %d %s", resp.StatusCode, b)
	}
}

// TestCheckLaysOut: check refuses what render refuses.
func TestCheckLaysOut(t *testing.T) {
	dir := t.TempDir()
	f := dir + "/arabic.json"
	os.WriteFile(f, seedWith(t, func(r map[string]any) { r["title"] = "政府信息公开 مرحبا 报告" }), 0o644)
	stdout, stderr, code := runCLI(t, "check", f)
	if code != 1 || !strings.Contains(stdout, "/title: unsupported_character") {
		t.Errorf("check: exit %d\n%s%s", code, stdout, stderr)
	}
}

// runBin runs the built binary in dir with a timeout; as root, it runs as
// nobody when asNobody is set, so that permissions apply.
func runBin(t *testing.T, dir string, asNobody bool, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	if asNobody && os.Getuid() == 0 {
		os.Chmod(filepath.Dir(bin), 0o755)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("govreport %v did not finish in 60 s\n%s%s", args, o.String(), e.String())
	}
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		t.Fatalf("govreport %v: %v", args, err)
	}
	return o.String(), e.String(), code
}

func writeSeed(t *testing.T, name string) {
	t.Helper()
	seed, err := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(name), 0o755)
	if err := os.WriteFile(name, seed, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBatchNeverOverwrites: two inputs named alike get two outputs when
// given as relative paths, and two inputs that would share an output both
// fail, naming each other, with nothing written for them.
func TestBatchNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "t/a/report.json"))
	writeSeed(t, filepath.Join(dir, "t/b/report.json"))
	stdout, stderr, code := runBin(t, dir, false, "batch", "-o", "out", "t")
	if code != 0 || !strings.Contains(stdout, "done 2, failed 0") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"out/a/report.pdf", "out/b/report.pdf"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v\n%s", f, err, stdout)
		}
	}

	writeSeed(t, filepath.Join(dir, "d/dup.json"))
	writeSeed(t, filepath.Join(dir, "d/dup.JSON"))
	writeSeed(t, filepath.Join(dir, "d/other.json"))
	stdout, stderr, code = runBin(t, dir, false, "batch", "d")
	if code != 1 || !strings.Contains(stdout, "done 1, failed 2") {
		t.Fatalf("exit %d, want 1 with two failures\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"failed: d/dup.JSON: output d/dup.pdf would also be the output of d/dup.json", "failed: d/dup.json: output d/dup.pdf would also be the output of d/dup.JSON"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "d/dup.pdf")); err == nil {
		t.Error("d/dup.pdf was written")
	}
}

// TestBatchOddInputs: a FIFO named *.json is skipped at once with a
// problem, an unreadable folder is reported, and the rest is converted.
func TestBatchOddInputs(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o755) // the test's temporary folder, for nobody
	os.Chmod(dir, 0o777)
	in := filepath.Join(dir, "in")
	writeSeed(t, filepath.Join(in, "good.json"))
	writeSeed(t, filepath.Join(in, "locked/hidden.json"))
	if err := syscall.Mkfifo(filepath.Join(in, "fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(in, "locked"), 0o700) // root's; the batch runs as nobody
	if os.Getuid() != 0 {
		os.Chmod(filepath.Join(in, "locked"), 0)
		defer os.Chmod(filepath.Join(in, "locked"), 0o755)
	}
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o777)
	os.Chmod(out, 0o777) // whatever the umask
	start := time.Now()
	stdout, stderr, code := runBin(t, dir, true, "batch", "-o", out, in)
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %v", took)
	}
	if code != 1 || !strings.Contains(stdout, "done 1, failed 2") {
		t.Fatalf("exit %d, want 1: one done, two failed\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"fifo.json: skipped: read " + in + "/fifo.json: not a regular file (a FIFO)", "locked: skipped: open " + in + "/locked: permission denied"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "good.pdf")); err != nil {
		t.Errorf("good.pdf: %v", err)
	}
}

// TestRenderOutputSafety: -o onto the input is refused; a replaced file
// keeps its mode; a FIFO is neither read as a report nor replaced.
func TestRenderOutputSafety(t *testing.T) {
	dir := t.TempDir()
	r := filepath.Join(dir, "r.json")
	writeSeed(t, r)
	before, _ := os.ReadFile(r)
	_, stderr, code := runBin(t, dir, false, "render", "r.json", "-o", "r.json", "--format", "layout")
	if after, _ := os.ReadFile(r); code != 2 || !bytes.Equal(before, after) || !strings.Contains(stderr, "is the input") {
		t.Errorf("-o onto the input: exit %d, input changed %v\n%s", code, !bytes.Equal(before, after), stderr)
	}
	os.Symlink("r.json", filepath.Join(dir, "link.json"))
	if _, stderr, code := runBin(t, dir, false, "render", "r.json", "-o", "link.json", "--format", "layout"); code != 2 {
		t.Errorf("-o onto a link to the input: exit %d\n%s", code, stderr)
	}

	ro := filepath.Join(dir, "ro.pdf")
	os.WriteFile(ro, []byte("old"), 0o444)
	if _, stderr, code := runBin(t, dir, false, "render", "r.json", "-o", "ro.pdf"); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if st, _ := os.Stat(ro); st.Mode().Perm() != 0o444 {
		t.Errorf("replaced 0444 file is now %v", st.Mode().Perm())
	}

	fifo := filepath.Join(dir, "fifo.pdf")
	syscall.Mkfifo(fifo, 0o644)
	_, stderr, code = runBin(t, dir, false, "render", "r.json", "-o", "fifo.pdf")
	if st, _ := os.Lstat(fifo); code == 0 || st.Mode()&os.ModeNamedPipe == 0 || !strings.Contains(stderr, "not a regular file") {
		t.Errorf("-o onto a FIFO: exit %d, mode %v\n%s", code, st.Mode(), stderr)
	}

	syscall.Mkfifo(filepath.Join(dir, "in.json"), 0o644)
	start := time.Now()
	_, stderr, code = runBin(t, dir, false, "render", "in.json", "-o", "in.pdf")
	if code != 2 || time.Since(start) > 10*time.Second || !strings.Contains(stderr, "not a regular file (a FIFO)") {
		t.Errorf("a FIFO input: exit %d after %v\n%s", code, time.Since(start), stderr)
	}
}

// TestFontDirHostile: a font directory whose files are a link to
// /dev/zero, a FIFO, a 3 GB file or /etc/passwd is an error naming the
// file, at once, without quoting its bytes.
func TestFontDirHostile(t *testing.T) {
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "r.json"))
	setup := map[string]func(p string) error{
		"zero":   func(p string) error { return os.Symlink("/dev/zero", p) },
		"fifo":   func(p string) error { return syscall.Mkfifo(p, 0o644) },
		"huge":   func(p string) error { return os.WriteFile(p, nil, 0o644) },
		"passwd": func(p string) error { return os.WriteFile(p, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o644) },
	}
	for name, make := range setup {
		t.Run(name, func(t *testing.T) {
			fonts := filepath.Join(dir, name)
			os.Mkdir(fonts, 0o755)
			p := filepath.Join(fonts, "body.ttf")
			if err := make(p); err != nil {
				t.Fatal(err)
			}
			if name == "huge" {
				os.Truncate(p, 3<<30) // sparse
			}
			start := time.Now()
			_, stderr, code := runBin(t, dir, false, "render", "r.json", "-o", name+".pdf", "--font-dir", fonts)
			if code != 2 || !strings.Contains(stderr, p) || time.Since(start) > 10*time.Second {
				t.Errorf("exit %d after %v\n%s", code, time.Since(start), stderr)
			}
			if strings.Contains(stderr, "root") {
				t.Errorf("the error quotes the file: %s", stderr)
			}
		})
	}
}

// TestServeRefusesOpenAuth: a token source that is given but holds no
// token stops the server at start instead of serving without
// authentication; so does a body limit that overflows.
func TestServeRefusesOpenAuth(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	comments := filepath.Join(dir, "comments")
	os.WriteFile(comments, []byte("# tokens\n\n   \n# none yet\n"), 0o600)
	for _, tt := range []struct {
		name string
		args []string
		env  string
		want string
	}{
		{"empty token file", []string{"--token-file", empty}, "", "holds no token"},
		{"comment-only token file", []string{"--token-file", comments}, "", "holds no token"},
		{"blank GOVREPORT_TOKENS", nil, "GOVREPORT_TOKENS= , ", "holds no token"},
		{"token file is a folder", []string{"--token-file", dir}, "", "not a regular file"},
		{"overflowing body limit", []string{"--body-limit", "8589934592GiB"}, "", "more than the largest limit"},
		{"bad trusted proxy", []string{"--trusted-proxies", "10.0.0.0/8, bogus"}, "", `"bogus" is not an IP address or CIDR`},
		{"bad GOVREPORT_TRUSTED_PROXIES", nil, "GOVREPORT_TRUSTED_PROXIES=10.0.0.0/33", `"10.0.0.0/33" is not an IP address or CIDR`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bin, err := buildBinary()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--addr", freePort(t)}, tt.args...)...)
			cmd.Env = os.Environ()
			if tt.env != "" {
				cmd.Env = append(cmd.Env, tt.env)
			}
			out, _ := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("the server started:\n%s", out)
			}
			if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(string(out), tt.want) {
				t.Errorf("exit %d, want 2 saying %q:\n%s", code, tt.want, out)
			}
		})
	}
}

// rawRequest sends head (and no body) on a new connection and returns the
// first response line and how long it took.
func rawRequest(t *testing.T, base, head string) (string, time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	conn.SetDeadline(start.Add(10 * time.Second))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("no answer after %v: %v", time.Since(start), err)
	}
	return strings.TrimSpace(line), time.Since(start)
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestServeHTTPDetails: oversized bodies are refused before they are
// sent, gzip bodies are decoded within the limit, Accept's q-values
// count, the bearer scheme is case-insensitive, X-Forwarded-For is not
// trusted by default, and filename* is an RFC 8187 ext-value.
func TestServeHTTPDetails(t *testing.T) {
	base, _, logs := startServer(t, "--tokens", "secret")
	auth := []string{"Authorization", "bearer secret"}
	seed, _ := os.ReadFile("../../testdata/reports/yongxing-2024.json")

	t.Run("Expect: 100-continue", func(t *testing.T) {
		line, took := rawRequest(t, base, "POST /v1/reports/export HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\nContent-Type: application/json\r\nContent-Length: 3145728\r\nExpect: 100-continue\r\n\r\n")
		if !strings.Contains(line, " 413 ") || took > 2*time.Second {
			t.Errorf("%q after %v, want 413 before the body", line, took)
		}
	})
	t.Run("huge Content-Length, no body", func(t *testing.T) {
		line, took := rawRequest(t, base, "POST /v1/reports/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n")
		if !strings.Contains(line, " 413 ") || took > 2*time.Second {
			t.Errorf("%q after %v, want 413 at once", line, took)
		}
	})
	t.Run("gzip", func(t *testing.T) {
		resp, b := postJSON(t, base+"/v1/reports/export", gzipped(seed), append(auth, "Content-Encoding", "gzip")...)
		if resp.StatusCode != 200 || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("gzip body: %d %.200s", resp.StatusCode, b)
		}
		bomb := gzipped(bytes.Repeat([]byte(" "), 3<<20)) // 3 MiB of spaces in a few KB
		if resp, b := postJSON(t, base+"/v1/reports/validate", bomb, append(auth, "Content-Encoding", "gzip")...); resp.StatusCode != 413 {
			t.Errorf("gzip bomb: %d %.200s", resp.StatusCode, b)
		}
		if resp, b := postJSON(t, base+"/v1/reports/validate", seed, append(auth, "Content-Encoding", "gzip")...); resp.StatusCode != 400 {
			t.Errorf("not gzip: %d %.200s", resp.StatusCode, b)
		}
		if resp, b := postJSON(t, base+"/v1/reports/validate", seed, append(auth, "Content-Encoding", "br")...); resp.StatusCode != 415 {
			t.Errorf("br: %d %.200s", resp.StatusCode, b)
		}
	})
	t.Run("Accept", func(t *testing.T) {
		for accept, want := range map[string]string{
			"application/pdf;q=0, */*;q=0.5": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"image/*":                        "image/png",
			"text/html, application/*;q=0.2": "application/pdf",
			"application/pdf;q=0":            "",
			"*/*;q=0":                        "",
		} {
			resp, b := postJSON(t, base+"/v1/reports/export", seed, append(auth, "Accept", accept)...)
			got := resp.Header.Get("Content-Type")
			if want == "" && resp.StatusCode != 406 || want != "" && got != want {
				t.Errorf("Accept %q: %d %s, want %q: %.100s", accept, resp.StatusCode, got, want, b)
			}
		}
	})
	t.Run("X-Forwarded-For", func(t *testing.T) {
		postJSON(t, base+"/v1/reports/validate", seed, append(auth, "X-Forwarded-For", "203.0.113.9", "X-Request-ID", "xff-probe")...)
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			var found string
			for _, line := range strings.Split(logs.String(), "\n") {
				if strings.Contains(line, `"xff-probe"`) {
					found = line
				}
			}
			if found != "" {
				if !strings.Contains(found, `"remote":"127.0.0.1"`) {
					t.Errorf("the client chose its logged address: %s", found)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no log line for the request")
			}
		}
	})
	t.Run("filename*", func(t *testing.T) {
		title := `a=b:c@d;e"f/g\h 报告 100%`
		body := seedWith(t, func(r map[string]any) { r["title"] = title })
		resp, b := postJSON(t, base+"/v1/reports/export", body, auth...)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %.300s", resp.StatusCode, b)
		}
		cd := resp.Header.Get("Content-Disposition")
		_, params, err := mime.ParseMediaType(cd)
		if err != nil || params["filename"] != title+".pdf" {
			t.Errorf("Content-Disposition %q: %v, filename %q", cd, err, params["filename"])
		}
	})
}
