// Command soak drives a running `govreport serve` on loopback with a mix of
// valid, invalid and hostile requests from many clients at once for a fixed
// time, and reports every status, transport errors and the server's RSS at
// the start, after the warm-up and at the end. scripts/soak.sh builds and
// starts the server and runs it.
//
// Every request kind names the statuses it may get; anything else is
// counted as unexpected. A 503 (load shed, with Retry-After) is counted
// apart and the client waits a second, as a well-behaved client does; a
// 503 without Retry-After is an error. The mix includes the hostile shapes
// at a 2 MiB body limit (long arrays, many objects, many keys, deep
// nesting), gzip bombs, gzip bodies whose trailer never comes and slow
// uploads.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// kind is one sort of request and the statuses it may be answered with.
type kind struct {
	name   string
	weight int
	want   []int
	do     func(ctx context.Context, c *http.Client, base string) (int, error)
}

// tally counts the outcomes of one kind.
type tally struct {
	mu         sync.Mutex
	n          int
	status     map[int]int
	unexpected int
	transport  int
	lastErr    string
	took       []time.Duration // of the requests answered (not 503)
}

// percentile returns the p-th percentile (0–100) of d, which it sorts.
func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[(len(d)-1)*p/100]
}

func main() {
	base := flag.String("url", "", "the server, e.g. http://127.0.0.1:8080 (loopback only)")
	duration := flag.Duration("duration", 10*time.Minute, "how long to run")
	warmup := flag.Duration("warmup", time.Minute, "after this, RSS is taken as the baseline")
	clients := flag.Int("c", 32, "concurrent clients")
	pid := flag.Int("pid", 0, "the server's process id, for its RSS")
	reports := flag.String("reports", "testdata/reports", "folder of test reports")
	shedOK := flag.Bool("shed-ok", false, "a 503 with Retry-After (load shed) is not a failure: for a server whose queue is smaller than -c, as deployed")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil || u.Scheme != "http" || !isLoopback(u.Hostname()) {
		fmt.Fprintln(os.Stderr, "soak: -url must be http:// on a loopback address")
		os.Exit(2)
	}
	if *duration > 2*time.Hour || *clients < 1 || *clients > 256 {
		fmt.Fprintln(os.Stderr, "soak: -duration at most 2h, -c from 1 to 256")
		os.Exit(2)
	}
	kinds, err := mix(*reports)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	total := 0
	for _, k := range kinds {
		total += k.weight
	}
	tallies := make([]tally, len(kinds))
	for i := range tallies {
		tallies[i].status = map[int]int{}
	}
	var shed atomic.Int64

	tr := &http.Transport{MaxIdleConnsPerHost: *clients, ExpectContinueTimeout: time.Second}
	client := &http.Client{Transport: tr, Timeout: 90 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()

	start := time.Now()
	rssStart := rss(*pid)
	var rssWarm, peak atomic.Int64
	var died atomic.Value // when the server died, if it did
	// Every second: the peak RSS so far (a killed server has none to read
	// at the end), and whether the server is still there; if not, the run
	// ends.
	go func() {
		for ctx.Err() == nil {
			if _, err := os.Stat(fmt.Sprintf("/proc/%d", *pid)); *pid != 0 && err != nil {
				died.Store(time.Since(start))
				cancel()
				return
			}
			if h := hwm(*pid); h > peak.Load() {
				peak.Store(h)
			}
			time.Sleep(time.Second)
		}
	}()
	samples := []string{}
	var smu sync.Mutex
	go func() {
		tick := time.NewTicker(30 * time.Second)
		defer tick.Stop()
		warm := time.After(*warmup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-warm:
				rssWarm.Store(rss(*pid))
			case t := <-tick.C:
				smu.Lock()
				samples = append(samples, fmt.Sprintf("%4.0fs %s", t.Sub(start).Seconds(), mb(rss(*pid))))
				smu.Unlock()
			}
		}
	}()

	var wg sync.WaitGroup
	for w := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for ctx.Err() == nil {
				i := pick(kinds, total, rng)
				began := time.Now()
				status, err := kinds[i].do(ctx, client, *base)
				took := time.Since(began)
				if ctx.Err() != nil {
					return // the run ended mid-request
				}
				t := &tallies[i]
				t.mu.Lock()
				t.n++
				switch {
				case err != nil:
					t.transport++
					t.lastErr = err.Error()
				case status == http.StatusServiceUnavailable:
					t.status[status]++
					shed.Add(1)
				default:
					t.status[status]++
					t.took = append(t.took, took)
					if !slices.Contains(kinds[i].want, status) {
						t.unexpected++
					}
				}
				t.mu.Unlock()
				if status == http.StatusServiceUnavailable {
					time.Sleep(time.Second) // Retry-After
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	rssEnd := rss(*pid)

	fmt.Printf("soak: %d clients for %v against %s\n", *clients, elapsed.Round(time.Second), *base)
	fmt.Printf("%-34s %7s %11s %10s %9s %8s %8s  %s\n", "kind", "count", "unexpected", "transport", "5xx", "p50", "p95", "statuses")
	var all, unexpected, transport, fivexx int
	for i, k := range kinds {
		t := &tallies[i]
		var codes []int
		five := 0
		for c, n := range t.status {
			codes = append(codes, c)
			if c >= 500 {
				five += n
			}
		}
		sort.Ints(codes)
		var parts []string
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%d×%d", c, t.status[c]))
		}
		fmt.Printf("%-34s %7d %11d %10d %9d %8s %8s  %s\n", k.name, t.n, t.unexpected, t.transport, five,
			percentile(t.took, 50).Round(time.Millisecond), percentile(t.took, 95).Round(time.Millisecond), strings.Join(parts, " "))
		if t.lastErr != "" {
			fmt.Printf("  last transport error: %s\n", t.lastErr)
		}
		all += t.n
		unexpected += t.unexpected
		transport += t.transport
		fivexx += five
	}
	fmt.Printf("total %d requests (%.1f/s): %d unexpected statuses, %d transport errors, %d 5xx (%d of them 503 load shedding)\n",
		all, float64(all)/elapsed.Seconds(), unexpected, transport, fivexx, shed.Load())
	smu.Lock()
	fmt.Printf("RSS every 30 s: %s\n", strings.Join(samples, ", "))
	smu.Unlock()
	warm := rssWarm.Load()
	fmt.Printf("RSS: start %s, after %v warm-up %s, end %s, peak %s", mb(rssStart), *warmup, mb(warm), mb(rssEnd), mb(max(hwm(*pid), peak.Load())))
	if warm > 0 {
		fmt.Printf(" (end/warm-up %+.1f%%)", 100*(float64(rssEnd)/float64(warm)-1))
	}
	fmt.Println()
	if *shedOK {
		fivexx -= int(shed.Load())
	}
	if d, ok := died.Load().(time.Duration); ok {
		fmt.Printf("the server died after %v\n", d.Round(time.Second))
		os.Exit(1)
	}
	if unexpected > 0 || transport > 0 || fivexx > 0 {
		os.Exit(1)
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func pick(kinds []kind, total int, rng *rand.Rand) int {
	n := rng.IntN(total)
	for i, k := range kinds {
		if n < k.weight {
			return i
		}
		n -= k.weight
	}
	return len(kinds) - 1
}

// rss and hwm read the server's resident set and its peak, in bytes.
func rss(pid int) int64 { return procStatus(pid, "VmRSS:") }
func hwm(pid int) int64 { return procStatus(pid, "VmHWM:") }

func procStatus(pid int, key string) int64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/1e6) }

// post sends body and drains the answer.
func post(ctx context.Context, c *http.Client, url string, body []byte, header ...string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
		return 0, errors.New("503 without Retry-After")
	}
	return resp.StatusCode, nil
}

func postKind(name string, weight int, path string, body []byte, want []int, header ...string) kind {
	return kind{name: name, weight: weight, want: want, do: func(ctx context.Context, c *http.Client, base string) (int, error) {
		return post(ctx, c, base+path, body, header...)
	}}
}

// raw sends a request head with no body on its own connection and reads
// the status line: for declared lengths the body never follows.
func raw(name string, weight int, head string, want []int) kind {
	return kind{name: name, weight: weight, want: want, do: func(ctx context.Context, _ *http.Client, base string) (int, error) {
		return send(ctx, base, []byte(head), 0, 0, 10*time.Second)
	}}
}

// send writes msg on a new connection in parts pieces, pause apart, and
// reads the status line within wait after the last. No answer within wait
// is status -1: the client hangs up, as a client withholding the end of
// its body does in the end.
func send(ctx context.Context, base string, msg []byte, parts int, pause, wait time.Duration) (int, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	parts = max(parts, 1)
	for i := range parts {
		if i > 0 {
			select {
			case <-time.After(pause):
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := conn.Write(msg[i*len(msg)/parts : (i+1)*len(msg)/parts]); err != nil {
			// Refused early (503, 413) while still sending: read the answer.
			break
		}
	}
	conn.SetReadDeadline(time.Now().Add(wait))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return -1, nil
		}
		return 0, err
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0, fmt.Errorf("bad status line %q", line)
	}
	return strconv.Atoi(f[1])
}

// request is an HTTP/1.1 POST of body with the given extra header lines.
func request(path string, body []byte, declared int, headers ...string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", path, declared)
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// fill repeats unit between prefix and suffix up to about n bytes.
func fill(prefix, unit, suffix string, n int) []byte {
	count := (n - len(prefix) - len(suffix)) / len(unit)
	return []byte(prefix + strings.Repeat(unit, count) + suffix)
}

// mix is the request mix: about half valid, the rest invalid or hostile.
func mix(dir string) ([]kind, error) {
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
	seed, err := read("yongxing-2024.json")
	if err != nil {
		return nil, err
	}
	long, err := read("long-county-2022.json")
	if err != nil {
		return nil, err
	}
	checkFails, err := read("invalid-check-row-total.json")
	if err != nil {
		return nil, err
	}
	invalids, _ := filepath.Glob(filepath.Join(dir, "invalid-*.json"))
	if len(invalids) == 0 {
		return nil, errors.New("no invalid-*.json reports")
	}
	var invalid [][]byte
	for _, f := range invalids {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		invalid = append(invalid, b)
	}
	edit := func(f func(r map[string]any)) []byte {
		var r map[string]any
		json.Unmarshal(seed, &r)
		f(r)
		b, _ := json.Marshal(r)
		return b
	}
	var keys bytes.Buffer
	keys.WriteString("{")
	for i := 0; keys.Len() < 2_000_000-len(seed); i++ {
		fmt.Fprintf(&keys, `"k%d":0,`, i)
	}
	keys.Write(bytes.TrimPrefix(bytes.TrimSpace(seed), []byte("{")))
	pageLimit := edit(func(r map[string]any) {
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
	arabic := edit(func(r map[string]any) {
		r["overview"].([]any)[0].(map[string]any)["paragraphs"].([]any)[0] = "政府信息公开 مرحبا 工作"
	})
	hostileTitle := edit(func(r map[string]any) { r["title"] = `a=b:c@d;e"f/g\h 报告 100%` })
	surrogate := bytes.Replace(edit(func(r map[string]any) {
		r["overview"].([]any)[0].(map[string]any)["paragraphs"].([]any)[0] = "SURROGATE政府信息公开"
	}), []byte("SURROGATE"), []byte(`\ud800`), 1)
	deep := []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000))
	bomb := gz(bytes.Repeat([]byte(" "), 8<<20))
	ok := []int{200}
	bad := []int{400, 422}
	// The hostile shapes at the deployment's 2 MiB body limit (just under
	// 2,097,152 bytes): a long array, many objects, deep nesting.
	const near = 2_090_000
	longArray := fill(`{"format":"gov-info-disclosure/2021","overview":[`, `0,`, `0]}`, near)
	manyObjects := fill(`{"format":"gov-info-disclosure/2021","overview":[`, `{},`, `{}]}`, near)
	deepArrays := []byte(strings.Repeat("[", near/2) + strings.Repeat("]", near/2))
	deepObjects := []byte(strings.Repeat(`{"a":`, near/6) + "0" + strings.Repeat("}", near/6))
	// gzip bodies whose trailer never comes: one inflating to just under
	// the limit (held until the client gives up, unless shed at once),
	// one inflating past it (413 as soon as it does).
	under := gz(fill(`{"format":"`, "a", ``, near))
	over := gz(fill(`{"format":"`, "a", ``, 4<<20))
	withheld := func(z []byte) []byte {
		return request("/v1/reports/export", z[:len(z)-8], len(z), "Content-Encoding: gzip")
	}
	slow := request("/v1/reports/export", seed, len(seed))

	kinds := []kind{
		postKind("export PDF", 14, "/v1/reports/export?format=pdf", seed, ok),
		postKind("export DOCX", 6, "/v1/reports/export?format=docx", seed, ok),
		postKind("export PNG page 2", 4, "/v1/reports/export?format=png&page=2", seed, ok),
		postKind("export long report", 3, "/v1/reports/export", long, ok),
		postKind("export gzip body", 3, "/v1/reports/export", gz(seed), ok, "Content-Encoding", "gzip"),
		postKind("export hostile title", 2, "/v1/reports/export", hostileTitle, ok),
		postKind("export, Accept image/*", 2, "/v1/reports/export", seed, ok, "Accept", "image/*"),
		postKind("validate", 10, "/v1/reports/validate", seed, ok),
		postKind("validate checks=warn", 3, "/v1/reports/validate?checks=warn", checkFails, ok),
		{name: "invalid report (corpus)", weight: 12, want: bad, do: func(ctx context.Context, c *http.Client, base string) (int, error) {
			b := invalid[rand.IntN(len(invalid))]
			path := "/v1/reports/validate"
			if rand.IntN(2) == 0 {
				path = "/v1/reports/export"
			}
			return post(ctx, c, base+path, b)
		}},
		postKind("2 MB of unknown keys", 2, "/v1/reports/validate", keys.Bytes(), []int{422}),
		postKind("page limit", 1, "/v1/reports/export", pageLimit, []int{422}),
		postKind("Arabic", 2, "/v1/reports/export", arabic, []int{422}),
		postKind("lone surrogate", 2, "/v1/reports/validate", surrogate, []int{422}),
		postKind("100k-deep nesting", 2, "/v1/reports/validate", deep, []int{400}),
		postKind("truncated JSON", 2, "/v1/reports/export", seed[:len(seed)/2], []int{400}),
		postKind("invalid UTF-8", 2, "/v1/reports/validate", append([]byte(`{"agency":"`), 0xff, 0xfe, '"', '}'), []int{400}),
		postKind("gzip bomb", 2, "/v1/reports/validate", bomb, []int{413}, "Content-Encoding", "gzip"),
		postKind("2 MiB array of 1M numbers", 2, "/v1/reports/validate", longArray, bad),
		postKind("2 MiB array of 700k objects", 2, "/v1/reports/export", manyObjects, bad),
		postKind("2 MiB 1M-deep arrays", 1, "/v1/reports/validate", deepArrays, bad),
		postKind("2 MiB 350k-deep objects", 1, "/v1/reports/export", deepObjects, bad),
		{name: "gzip, trailer withheld (5 s)", weight: 1, want: []int{-1, 400}, do: func(ctx context.Context, _ *http.Client, base string) (int, error) {
			return send(ctx, base, withheld(under), 1, 0, 5*time.Second)
		}},
		{name: "gzip past the limit, no trailer", weight: 1, want: []int{413}, do: func(ctx context.Context, _ *http.Client, base string) (int, error) {
			return send(ctx, base, withheld(over), 1, 0, 10*time.Second)
		}},
		{name: "slow upload (3 s)", weight: 1, want: ok, do: func(ctx context.Context, _ *http.Client, base string) (int, error) {
			return send(ctx, base, slow, 6, 500*time.Millisecond, 30*time.Second)
		}},
		postKind("not gzip", 1, "/v1/reports/validate", seed, []int{400}, "Content-Encoding", "gzip"),
		postKind("Content-Encoding br", 1, "/v1/reports/validate", seed, []int{415}, "Content-Encoding", "br"),
		postKind("text/plain", 1, "/v1/reports/export", seed, []int{415}, "Content-Type", "text/plain"),
		postKind("Accept q=0", 1, "/v1/reports/export", seed, []int{406}, "Accept", "application/pdf;q=0"),
		postKind("unknown format", 1, "/v1/reports/export?format=odt", seed, []int{406}),
		postKind("page 999", 1, "/v1/reports/export?format=png&page=999", seed, []int{400}),
		raw("Expect: 100-continue, 3 MiB", 2, "POST /v1/reports/export HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: 3145728\r\nExpect: 100-continue\r\n\r\n", []int{413}),
		raw("Content-Length 10^12, no body", 2, "POST /v1/reports/validate HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n", []int{413}),
		{name: "client gone mid-render", weight: 2, want: []int{-1, 200}, do: func(ctx context.Context, c *http.Client, base string) (int, error) {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
			defer cancel()
			status, err := post(cctx, c, base+"/v1/reports/export", long)
			if err != nil && errors.Is(err, context.DeadlineExceeded) {
				return -1, nil // as planned: the client hung up
			}
			return status, err
		}},
		{name: "GET health, metrics, formats", weight: 3, want: ok, do: func(ctx context.Context, c *http.Client, base string) (int, error) {
			path := []string{"/healthz", "/readyz", "/metrics", "/v1/formats", "/v1/openapi.yaml"}[rand.IntN(5)]
			req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
			resp, err := c.Do(req)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			io.Copy(io.Discard, resp.Body)
			return resp.StatusCode, nil
		}},
	}
	return kinds, nil
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
