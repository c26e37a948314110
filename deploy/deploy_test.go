package deploy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// manifests decodes every YAML document under kubernetes/, keyed by kind.
func manifests(t *testing.T) map[string]map[string]any {
	t.Helper()
	files, err := filepath.Glob("kubernetes/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	out := map[string]map[string]any{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if doc == nil {
				continue
			}
			kind, _ := doc["kind"].(string)
			api, _ := doc["apiVersion"].(string)
			name, _ := get(doc, "metadata", "name").(string)
			if kind == "" || api == "" || name == "" {
				t.Fatalf("%s: a document without kind, apiVersion or metadata.name", file)
			}
			if _, dup := out[kind]; dup {
				t.Fatalf("%s: a second %s", file, kind)
			}
			out[kind] = doc
		}
	}
	return out
}

// get walks maps by key and lists by index ("0").
func get(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i := 0
			for _, c := range p {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func want(t *testing.T, doc map[string]any, value any, path ...string) {
	t.Helper()
	if got := get(doc, path...); got != value {
		kind, _ := doc["kind"].(string)
		if kind == "" {
			kind = "pod or container:"
		}
		t.Errorf("%s %s: %v, want %v", kind, strings.Join(path, "."), got, value)
	}
}

func TestManifests(t *testing.T) {
	m := manifests(t)
	for kind, api := range map[string]string{
		"Deployment":              "apps/v1",
		"Service":                 "v1",
		"HorizontalPodAutoscaler": "autoscaling/v2",
		"Job":                     "batch/v1",
		"PodDisruptionBudget":     "policy/v1",
	} {
		if m[kind] == nil {
			t.Fatalf("no %s", kind)
		}
		want(t, m[kind], api, "apiVersion")
	}

	d := m["Deployment"]
	want(t, d, 2, "spec", "replicas")
	pod := get(d, "spec", "template", "spec").(map[string]any)
	c := get(pod, "containers", "0").(map[string]any)
	want(t, c, 8080, "ports", "0", "containerPort")
	want(t, c, "http", "ports", "0", "name")
	want(t, c, "/readyz", "readinessProbe", "httpGet", "path")
	want(t, c, "/healthz", "livenessProbe", "httpGet", "path")
	want(t, c, "1", "resources", "requests", "cpu")
	want(t, c, "256Mi", "resources", "requests", "memory")
	want(t, c, "2", "resources", "limits", "cpu")
	want(t, c, "320Mi", "resources", "limits", "memory")
	env := map[string]string{}
	for _, e := range get(c, "env").([]any) {
		e := e.(map[string]any)
		if v, ok := e["value"].(string); ok {
			env[e["name"].(string)] = v
		}
	}
	for name, value := range map[string]string{
		"GOVREPORT_RENDER_TIMEOUT": "10s",
		"GOVREPORT_DRAIN_TIMEOUT":  "20s",
		"GOVREPORT_MAX_RENDERS":    "2",  // one per core of the CPU limit
		"GOVREPORT_QUEUE":          "32", // a burst of 32 clients waits, not 503 (server.DefaultQueue)
		"GOMEMLIMIT":               "256MiB",
	} {
		if env[name] != value {
			t.Errorf("Deployment env %s = %q, want %q", name, env[name], value)
		}
	}
	// The pod is killed only after the server has drained.
	grace, _ := pod["terminationGracePeriodSeconds"].(int)
	if drain := 20; grace <= drain {
		t.Errorf("terminationGracePeriodSeconds %d is not longer than the drain timeout %d s", grace, drain)
	}
	checkSecurity(t, "Deployment", pod, c)

	s := m["Service"]
	want(t, s, "ClusterIP", "spec", "type")
	want(t, s, 80, "spec", "ports", "0", "port")
	want(t, s, "http", "spec", "ports", "0", "targetPort")
	sel := get(s, "spec", "selector").(map[string]any)
	labels := get(d, "spec", "template", "metadata", "labels").(map[string]any)
	for k, v := range sel {
		if labels[k] != v {
			t.Errorf("the Service selects %s=%v, which the Deployment's pods lack", k, v)
		}
	}

	h := m["HorizontalPodAutoscaler"]
	want(t, h, "Deployment", "spec", "scaleTargetRef", "kind")
	want(t, h, get(d, "metadata", "name"), "spec", "scaleTargetRef", "name")
	want(t, h, 2, "spec", "minReplicas")
	want(t, h, 10, "spec", "maxReplicas")
	want(t, h, "Resource", "spec", "metrics", "0", "type")
	want(t, h, "cpu", "spec", "metrics", "0", "resource", "name")
	want(t, h, "Utilization", "spec", "metrics", "0", "resource", "target", "type")
	want(t, h, 70, "spec", "metrics", "0", "resource", "target", "averageUtilization")

	j := m["Job"]
	want(t, j, "Indexed", "spec", "completionMode")
	want(t, j, 4, "spec", "completions")
	want(t, j, 4, "spec", "parallelism")
	jpod := get(j, "spec", "template", "spec").(map[string]any)
	want(t, jpod, "Never", "restartPolicy")
	jc := get(jpod, "containers", "0").(map[string]any)
	var argv []string
	for _, part := range [][]any{get(jc, "command").([]any), get(jc, "args").([]any)} {
		for _, a := range part {
			argv = append(argv, a.(string))
		}
	}
	i := slices.Index(argv, "--shard")
	if len(argv) < 2 || argv[0] != "/govreport" || argv[1] != "batch" || i < 0 || i+1 >= len(argv) {
		t.Fatalf("the Job runs %q, want /govreport batch --shard …", argv)
	}
	if shard := "$(JOB_COMPLETION_INDEX)/4"; argv[i+1] != shard {
		t.Errorf("--shard %s, want %s (N = completions)", argv[i+1], shard)
	}
	if !slices.Contains(argv, "/in") || !slices.Contains(argv, "/out") {
		t.Errorf("the Job runs %q: no /in or -o /out", argv)
	}
	mounts := map[string]bool{}
	for _, v := range get(jc, "volumeMounts").([]any) {
		mounts[v.(map[string]any)["mountPath"].(string)] = true
	}
	if !mounts["/in"] || !mounts["/out"] {
		t.Errorf("the Job mounts %v, want /in and /out", mounts)
	}
	checkSecurity(t, "Job", jpod, jc)
}

// checkSecurity asserts the restricted Pod Security Standard's settings.
func checkSecurity(t *testing.T, what string, pod, c map[string]any) {
	t.Helper()
	for _, check := range []struct {
		value any
		path  []string
	}{
		{true, []string{"securityContext", "runAsNonRoot"}},
		{65532, []string{"securityContext", "runAsUser"}},
		{true, []string{"securityContext", "readOnlyRootFilesystem"}},
		{false, []string{"securityContext", "allowPrivilegeEscalation"}},
		{"ALL", []string{"securityContext", "capabilities", "drop", "0"}},
		{"RuntimeDefault", []string{"securityContext", "seccompProfile", "type"}},
	} {
		if got := get(c, check.path...); got != check.value {
			t.Errorf("%s container %s: %v, want %v", what, strings.Join(check.path, "."), got, check.value)
		}
	}
	if get(pod, "securityContext", "runAsNonRoot") != true {
		t.Errorf("%s pod securityContext.runAsNonRoot is not true", what)
	}
	if add := get(c, "securityContext", "capabilities", "add"); add != nil {
		t.Errorf("%s adds capabilities %v", what, add)
	}
}

// TestDockerfile checks what can be checked without a Docker engine: the
// build stage's Go matches the project's, the run stage is distroless
// static as a non-root user, the binary is built with the server and the
// entrypoint serves, the healthcheck needs
// no shell, and .dockerignore keeps every file the build needs.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	from := regexp.MustCompile(`(?m)^FROM\s+(?:--platform=(\S+)\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$`).FindAllStringSubmatch(df, -1)
	if len(from) != 2 {
		t.Fatalf("want a two-stage build, got FROM lines %q", from)
	}
	// Multi-arch: the build stage runs on the builder's platform and
	// cross-compiles for the target's; the run stage is the target's.
	if from[0][1] != "$BUILDPLATFORM" || from[1][1] != "" {
		t.Errorf("FROM platforms %q and %q, want $BUILDPLATFORM for the build stage only", from[0][1], from[1][1])
	}
	build := df[:strings.LastIndex(df, "\nFROM ")]
	if !regexp.MustCompile(`(?m)^ARG TARGETOS\nARG TARGETARCH$`).MatchString(build) ||
		!regexp.MustCompile(`(?m)^RUN GOOS=\$TARGETOS GOARCH=\$TARGETARCH go build `).MatchString(build) {
		t.Error("the build stage does not build for $TARGETOS/$TARGETARCH")
	}
	for i := range from {
		from[i] = from[i][1:] // image, stage name
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	tag := regexp.MustCompile(`^golang:(\d+\.\d+)(\.\d+)?-`).FindStringSubmatch(from[0][1])
	if goLine == nil || tag == nil || tag[1] != string(goLine[1]) {
		t.Errorf("build stage %s does not match go.mod's go %s", from[0][1], goLine[1])
	} else if v := strings.TrimPrefix(runtime.Version(), "go"); tag[1]+tag[2] != v {
		t.Logf("note: the Dockerfile builds with Go %s%s, this test runs %s", tag[1], tag[2], v)
	}
	if from[1][1] != "gcr.io/distroless/static-debian12:nonroot" {
		t.Errorf("run stage %s, want distroless static nonroot", from[1][1])
	}
	for _, line := range []string{
		`CGO_ENABLED=0`,
		`go mod download`,
		`go build -tags server `, // the image serves: the command alone hands serve over
		`COPY --from=build /out/govreport /govreport`,
		`USER 65532:65532`,
		`EXPOSE 8080`,
		`CMD ["/govreport", "healthcheck"]`,
		`ENTRYPOINT ["/govreport"]`,
		`CMD ["serve"]`,
	} {
		if !strings.Contains(df, line) {
			t.Errorf("the Dockerfile lacks %s", line)
		}
	}
	// Only the Go module download may fetch anything.
	for _, bad := range []string{"apt-get", "curl ", "wget ", "ADD http", "go install"} {
		if strings.Contains(df, bad) {
			t.Errorf("the Dockerfile downloads with %q", bad)
		}
	}
	// No shell form after the run stage: distroless has no /bin/sh.
	run := df[strings.LastIndex(df, "\nFROM "):]
	if regexp.MustCompile(`(?m)^(RUN|CMD|ENTRYPOINT|HEALTHCHECK.*CMD)\s+[^\[ ]`).MatchString(run) {
		t.Errorf("the run stage uses a shell form")
	}

	// .dockerignore must not drop a source or embedded file of the binary.
	ignore := dockerignore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "list", "-deps", "-f",
		`{{if not .Standard}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}`,
		"../cmd/govreport").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, _ := filepath.Abs("..")
	n := 0
	for _, f := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(root, f)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue // a module from the cache
		}
		n++
		if ignore(filepath.ToSlash(rel)) {
			t.Errorf(".dockerignore drops %s, which the build needs", rel)
		}
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		if ignore(f) {
			t.Errorf(".dockerignore drops %s", f)
		}
	}
	if n < 20 {
		t.Fatalf("go list found only %d files of the module", n)
	}
}

// dockerignore returns a matcher with .dockerignore's rules (the last
// matching pattern wins; ! re-includes; a pattern also matches what is
// under a matching directory; ** matches any number of directories).
func dockerignore(t *testing.T) func(string) bool {
	data, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	type rule struct {
		re     *regexp.Regexp
		negate bool
	}
	var rules []rule
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		neg := strings.HasPrefix(line, "!")
		line = strings.Trim(strings.TrimPrefix(line, "!"), "/")
		var re strings.Builder
		re.WriteString("^")
		for i := 0; i < len(line); i++ {
			switch {
			case strings.HasPrefix(line[i:], "**/"):
				re.WriteString("(?:.*/)?")
				i += 2
			case strings.HasPrefix(line[i:], "**"):
				re.WriteString(".*")
				i++
			case line[i] == '*':
				re.WriteString("[^/]*")
			case line[i] == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(line[i : i+1]))
			}
		}
		re.WriteString("(?:/.*)?$")
		rules = append(rules, rule{regexp.MustCompile(re.String()), neg})
	}
	return func(path string) bool {
		ignored := false
		for _, r := range rules {
			if r.re.MatchString(path) {
				ignored = !r.negate
			}
		}
		return ignored
	}
}
