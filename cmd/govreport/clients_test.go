package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
)

// fee is an amount a float32 cannot hold (it would send 123456.79) and a
// client must send as given.
const fee = "123456.7891"

// TestGeneratedClients generates a Go client (oapi-codegen) and a
// TypeScript one (openapi-typescript, openapi-fetch) from docs/openapi.yaml
// as is, with neither generator's options, the way a portal developer
// would; exports the seed through each to a `govreport serve` on loopback,
// once as it is and once with the fee set through the client's own type to
// 123456.7891; and compares each PDF with `govreport render`'s of the same
// report, byte for byte. The clients' sources are docs/clients/go (a module
// of its own, so that oapi-codegen stays out of govreport's) and
// docs/clients/ts; scripts/test.sh installs the TypeScript tools into
// .cache/tsclient.
func TestGeneratedClients(t *testing.T) {
	pdfcheck.Need(t, "pdftotext")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, ".cache/tsclient/node_modules/.bin")
	for _, tool := range []string{"openapi-typescript", "tsc"} {
		if _, err := os.Stat(filepath.Join(bin, tool)); err != nil {
			t.Fatalf("%s is not installed; run ./scripts/test.sh, or: npm install --prefix .cache/tsclient --no-save openapi-typescript@7.13.0 openapi-fetch@0.17.0 typescript@5.9.3 @types/node@20.19.43", tool)
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not installed: apt-get install nodejs")
	}
	spec := filepath.Join(root, "docs/openapi.yaml")

	// The reports, and what the CLI makes of them, on the same date as
	// the server's.
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	dir := t.TempDir()
	seed := filepath.Join(root, "testdata/reports/yongxing-2024.json")
	var m map[string]any
	if err := json.Unmarshal(readFile(t, seed), &m); err != nil {
		t.Fatal(err)
	}
	// The fee as a JSON number, and as the decimal string the clients send.
	inputs := map[string]string{"seed": seed}
	for name, v := range map[string]any{"fee": json.Number(fee), "fee-string": fee} {
		m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = v
		data, _ := json.MarshalIndent(m, "", "  ")
		inputs[name] = filepath.Join(dir, name+".json")
		if err := os.WriteFile(inputs[name], data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	govreport, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for name, in := range inputs {
		out := filepath.Join(dir, name+"-cli.pdf")
		if msg, err := testCommand(t, toolTimeout, govreport, "render", in, "-o", out).CombinedOutput(); err != nil {
			t.Fatalf("govreport render %s: %v\n%s", in, err, msg)
		}
		want[name] = readFile(t, out)
	}
	if text := pdfcheck.Tool(t, "pdftotext", filepath.Join(dir, "fee-cli.pdf"), "-"); !strings.Contains(text, fee) {
		t.Fatalf("the CLI's PDF does not print the fee %s", fee)
	}
	if !bytes.Equal(want["fee-string"], want["fee"]) {
		t.Fatal("the fee as a decimal string renders otherwise than as a number")
	}
	base, _, logs := startServer(t)

	// export runs a client's command for the seed as it is and with the
	// fee, and compares the PDFs with the CLI's.
	export := func(t *testing.T, command func(in, out, fee string) *exec.Cmd) {
		for _, name := range []string{"seed", "fee"} {
			out := filepath.Join(t.TempDir(), name+".pdf")
			f := ""
			if name == "fee" {
				f = fee
			}
			cmd := command(seed, out, f)
			stdout, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v\n%s\n%s", name, err, stderrOf(err), logs)
			}
			if name == "fee" && !strings.Contains(string(stdout), `fee_income_wan_yuan: "`+fee+`"`) {
				t.Errorf("the client sends the fee as %q, want the decimal string %q", stdout, fee)
			}
			if got := readFile(t, out); !bytes.Equal(got, want[name]) {
				t.Errorf("%s: the client's PDF (%d bytes) differs from render's (%d bytes)", name, len(got), len(want[name]))
			}
		}
	}

	t.Run("go", func(t *testing.T) {
		mod := t.TempDir()
		for _, f := range []string{"go.mod", "go.sum", "main.go"} {
			if err := os.WriteFile(filepath.Join(mod, f), readFile(t, filepath.Join(root, "docs/clients/go", f)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		goCmd := func(args ...string) {
			t.Helper()
			cmd := testCommand(t, buildTimeout, "go", args...)
			cmd.Dir = mod
			cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
		goCmd("tool", "oapi-codegen", "-package", "client", "-generate", "types,client", "-o", "client/client.gen.go", spec)
		goCmd("build", "-o", "export", ".")
		export(t, func(in, out, fee string) *exec.Cmd {
			args := []string{"-server", base, "-in", in, "-o", out}
			if fee != "" {
				args = append(args, "-fee", fee)
			}
			return testCommand(t, toolTimeout, filepath.Join(mod, "export"), args...)
		})
	})

	t.Run("typescript", func(t *testing.T) {
		src := t.TempDir()
		for _, f := range []string{"export.mts", "tsconfig.json", "package.json"} {
			if err := os.WriteFile(filepath.Join(src, f), readFile(t, filepath.Join(root, "docs/clients/ts", f)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink(filepath.Join(root, ".cache/tsclient/node_modules"), filepath.Join(src, "node_modules")); err != nil {
			t.Fatal(err)
		}
		for _, c := range [][]string{
			{filepath.Join(bin, "openapi-typescript"), spec, "-o", filepath.Join(src, "schema.d.ts")},
			{filepath.Join(bin, "tsc"), "-p", src},
		} {
			cmd := testCommand(t, toolTimeout, c[0], c[1:]...)
			cmd.Dir = src
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", filepath.Base(c[0]), err, out)
			}
		}
		export(t, func(in, out, fee string) *exec.Cmd {
			args := []string{filepath.Join(src, "dist/export.mjs"), base, in, out}
			if fee != "" {
				args = append(args, fee)
			}
			return testCommand(t, toolTimeout, "node", args...)
		})
	})
}

// stderrOf is the standard error an *exec.ExitError kept.
func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
