package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestServeEndToEnd(t *testing.T) {
	base, _, _ := startServer(t)
	resp, body := post(t, base+"/v1/reports/export?format=pdf", "../../testdata/reports/yongxing-2024.json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	pdf := filepath.Join(t.TempDir(), "seed.pdf")
	os.WriteFile(pdf, body, 0o644)
	for _, c := range [][]string{{"qpdf", "--check", pdf}, {"pdfinfo", pdf}} {
		out, err := testCommand(t, toolTimeout, c[0], c[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c[0], err, out)
		}
		if c[0] == "pdfinfo" && !strings.Contains(string(out), "Pages:           "+resp.Header.Get("X-Report-Pages")) {
			t.Errorf("X-Report-Pages %s disagrees with pdfinfo:\n%s", resp.Header.Get("X-Report-Pages"), out)
		}
	}
	// DOCX, asked for by Accept, read back by python-docx.
	data, _ := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	req, _ := http.NewRequest("POST", base+"/v1/reports/export", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	dresp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	docx, _ := io.ReadAll(dresp.Body)
	dresp.Body.Close()
	if dresp.StatusCode != 200 || !strings.HasSuffix(dresp.Header.Get("Content-Disposition"), ".docx") {
		t.Fatalf("docx export: %d %v", dresp.StatusCode, dresp.Header)
	}
	docxFile := filepath.Join(t.TempDir(), "seed.docx")
	os.WriteFile(docxFile, docx, 0o644)
	out, err := testCommand(t, toolTimeout, "/usr/bin/python3", "-c",
		"import docx,sys; d=docx.Document(sys.argv[1]); t=d.tables; print(len(t), len(t[1].columns), len(t[1].rows))", docxFile).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "3 10 28" {
		t.Errorf("python-docx reads %q (%v), want 3 tables and table 三 10 × 28", out, err)
	}

	resp, body = post(t, base+"/v1/reports/export", "../../testdata/reports/invalid-string-count.json")
	if resp.StatusCode != 422 || !strings.Contains(string(body), "/applications/new_requests/natural_person") {
		t.Errorf("invalid report: %d %s", resp.StatusCode, body)
	}
}

// TestServeNoUI: the page for clerks is at / unless --no-ui (or
// GOVREPORT_NO_UI) turns it off; the API stays.
func TestServeNoUI(t *testing.T) {
	for _, x := range []struct {
		args []string
		want int
	}{{nil, 200}, {[]string{"--no-ui"}, 404}} {
		base, _, _ := startServer(t, x.args...)
		resp, err := http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != x.want || x.want == 200 && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("serve %v: / is %d (want %d), CSP %q", x.args, resp.StatusCode, x.want, resp.Header.Get("Content-Security-Policy"))
		}
		if resp, err := http.Get(base + "/v1/formats"); err != nil || resp.StatusCode != 200 {
			t.Errorf("serve %v: /v1/formats: %v %v", x.args, resp, err)
		} else {
			resp.Body.Close()
		}
	}
}

// TestServeSIGTERM sends SIGTERM while renders are in flight: the server
// keeps accepting, answers /readyz and new exports 503 with Retry-After,
// the renders complete, and the process exits 0.
func TestServeSIGTERM(t *testing.T) {
	base, cmd, logs := startServer(t, "--max-renders", "1")
	const n = 3
	codes := make(chan int, n)
	data := slowReport(t)
	for range n {
		go func() {
			resp, err := http.Post(base+"/v1/reports/export", "application/json", bytes.NewReader(data))
			if err != nil {
				codes <- -1
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	// Wait until one render runs and the other two wait for it, then stop
	// the server.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		resp, err := http.Get(base + "/metrics")
		if err == nil {
			m, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(m), "govreport_renders_waiting 2") && strings.Contains(string(m), "govreport_renders_in_flight 1") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the renders never queued up")
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// While the renders finish, the listener stays open: /readyz and a new
	// export are answered 503 with Retry-After, not refused.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatalf("/readyz while draining: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode == 503 {
			if resp.Header.Get("Retry-After") == "" {
				t.Error("/readyz while draining: 503 without Retry-After")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz after SIGTERM: %d, want 503", resp.StatusCode)
		}
	}
	if resp, err := http.Post(base+"/v1/reports/export", "application/json", bytes.NewReader(data)); err != nil {
		t.Errorf("an export while draining: %v", err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
			t.Errorf("an export while draining: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	for range n {
		if c := <-codes; c != 200 {
			t.Errorf("a render in flight during SIGTERM got %d", c)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), `"msg":"draining"`) || !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Errorf("no drain in the logs:\n%s", logs.String())
	}
}

// slowReport is the long report with its prose four times over (about 80
// pages), so that a render lasts long enough for requests to queue behind
// it on any machine.
func slowReport(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/reports/long-county-2022.json")
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"overview", "problems", "other_matters"} {
		blocks := r[k].([]any)
		r[k] = slices.Concat(blocks, blocks, blocks, blocks)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
