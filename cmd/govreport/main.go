// Command govreport turns a government information-disclosure annual report
// (政府信息公开工作年度报告), sent as JSON, into print-ready documents in the
// official format of 国办公开办函〔2021〕30号.
//
// Usage:
//
//	govreport render report.json -o report.pdf   lay out and write the PDF
//	govreport check report.json...   validate and run the 勾稽 checks
//	govreport schema [FORMAT]        print the JSON Schema of the report
//
// Exit codes: 0 ok, 1 a report failed (invalid or failed checks), 2 usage.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `govreport: government information-disclosure annual reports, JSON in, official format out

Usage:
  govreport render report.json [-o out.pdf|-] [--format pdf|layout] [--checks warn] [--font-dir DIR]
  govreport serve [--addr :8080] [flags; see govreport serve -h]
  govreport batch [-o DIR] [--format pdf,docx] [-j N] [--checks warn] [--summary FILE] [--shard K/N] PATH...
  govreport check [--checks warn] [--json] report.json...
  govreport schema [FORMAT]
  govreport fonts [--font-dir DIR] [report.json]
  govreport healthcheck [--url http://127.0.0.1:8080/healthz]
  govreport golden [--update] DIR
  govreport version

Exit codes: 0 ok, 1 a report failed, 2 usage error.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "render":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return cmdRender(ctx, args[1:], stdout, stderr)
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "serve":
		return cmdServe(args[1:], stderr)
	case "batch":
		return cmdBatch(args[1:], stdout, stderr)
	case "golden":
		return cmdGolden(args[1:], stdout, stderr)
	case "fonts":
		return cmdFonts(args[1:], stdout, stderr)
	case "schema":
		return cmdSchema(args[1:], stdout, stderr)
	case "healthcheck":
		return cmdHealthcheck(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "govreport", version)
		return 0
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "govreport: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// defaultJobs is the number of renders batch runs at once: one per core.
func defaultJobs() int { return runtime.GOMAXPROCS(0) }
