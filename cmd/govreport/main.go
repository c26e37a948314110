// Command govreport turns a government information-disclosure annual report
// (政府信息公开工作年度报告), sent as JSON, into print-ready documents in the
// official format of 国办公开办函〔2021〕30号.
//
// Usage:
//
//	govreport render report.json -o report.pdf   lay out and write the PDF
//	govreport check report.json...   validate and run the 勾稽 checks
//	govreport help                   every command
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
	"strings"
	"syscall"
)

// A command is one subcommand. The top-level usage, `help` and the shell
// completion are generated from the table of commands, so none of them
// can go stale when a command or a flag is added.
type command struct {
	name    string
	args    string // the synopsis after the name, e.g. "[flags] report.json"
	summary string // one line
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled in init, because help and completion refer to it.
var commands []command

func init() {
	commands = []command{
		{"render", "[flags] report.json|-", "lay out one report and write PDF, DOCX, a PNG preview or the layout",
			func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
				ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				return cmdRender(ctx, args, stdin, stdout, stderr)
			}},
		{"init", "[--format ID] [--agency A] [--year Y] [--font-dir DIR] [-o FILE] [--force]", "write a report skeleton to fill in: every field, every count 0",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int { return cmdInit(args, stdout, stderr) }},
		{"check", "[flags] report.json|-...", "validate reports and run the 勾稽 checks", cmdCheck},
		{"import", "[-o OUT.json] [--format auto|ID] [--json] FILE|-", "read a published report (HTML page, DOCX, PDF) back into report JSON",
			func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
				ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				return cmdImport(ctx, args, stdin, stdout, stderr)
			}},
		{"audit", "[--summary out.csv|out.json] [-j N] PATH...", "check published reports (JSON, HTML, DOCX, PDF; files, folders, globs): every problem, and the prose's figures against the tables",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int { return cmdAudit(args, stdout, stderr) }},
		{"batch", "[flags] PATH...", "render files, folders and globs in parallel",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int { return cmdBatch(args, stdout, stderr) }},
		{"golden", "[--update] DIR", "compare each report in DIR with its golden files",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int { return cmdGolden(args, stdout, stderr) }},
		{"schema", "[--list] [FORMAT]", "print the JSON Schema of a report in FORMAT (default: the latest); --list lists the formats",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int { return cmdSchema(args, stdout, stderr) }},
		{"fonts", "[--font-dir DIR] [report.json|-]", "list the faces behind each font role; with a report, the characters they lack", cmdFonts},
		{"serve", "[flags]", "serve the HTTP API",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int { return cmdServe(args, stdout, stderr) }},
		{"healthcheck", "[--addr ADDR | --url URL]", "ask a running server whether it is alive (the container's HEALTHCHECK)",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
				return cmdHealthcheck(args, stdout, stderr)
			}},
		{"version", "", "print the version, VCS revision and Go version of this binary",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
				return cmdVersion(args, stdout, stderr)
			}},
		{"completion", "bash|zsh", "print a shell completion script",
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
				return cmdCompletion(args, stdout, stderr)
			}},
		{"help", "[COMMAND]", "show this help, or a command's flags",
			func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
				return cmdHelp(args, stdin, stdout, stderr)
			}},
	}
}

// synopsis is the command line, e.g. "govreport render [flags] report.json|-".
func (c *command) synopsis() string {
	return strings.TrimSpace("govreport " + c.name + " " + c.args)
}

func lookupCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// printUsage writes the top-level usage, generated from the commands.
func printUsage(w io.Writer) {
	fmt.Fprintln(w, "govreport: government information-disclosure annual reports (政府信息公开工作年度报告), JSON in, official format out")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %s\n", c.synopsis())
		fmt.Fprintf(w, "        %s\n", upperFirst(c.summary))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "A report path may be - for standard input.")
	fmt.Fprintln(w, "`govreport COMMAND -h` lists a command's flags with their defaults.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 a report is invalid or fails a check, 2 usage error.")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		out := &checkedWriter{w: stdout}
		printUsage(out)
		return out.exit(0, stderr)
	case "-version", "--version":
		out := &checkedWriter{w: stdout}
		return out.exit(cmdVersion(nil, out, stderr), stderr)
	}
	if c := lookupCommand(args[0]); c != nil {
		out := &checkedWriter{w: stdout}
		code := c.run(args[1:], stdin, out, stderr)
		return out.exit(code, stderr)
	}
	fmt.Fprintf(stderr, "govreport: unknown command %q\n\n", args[0])
	printUsage(stderr)
	return 2
}

func cmdHelp(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		printUsage(stdout)
		return 0
	}
	c := lookupCommand(args[0])
	if c == nil || len(args) > 1 {
		fmt.Fprintf(stderr, "govreport help: unknown command %q\n", strings.Join(args, " "))
		return 2
	}
	return c.run([]string{"-h"}, stdin, stdout, stderr)
}

// A checkedWriter remembers the first error writing to standard output,
// so that every command — not only those whose output is a file, like
// init and schema — exits 1 when its output was lost (a full disk, a
// closed pipe) instead of 0 with nothing or half of it written.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// exit is the command's exit code, 1 with a message if standard output
// could not be written and the command did not fail already.
func (c *checkedWriter) exit(code int, stderr io.Writer) int {
	if c.err == nil {
		return code
	}
	fmt.Fprintf(stderr, "govreport: writing standard output: %v\n", c.err)
	if code == 0 {
		return 1
	}
	return code
}

// defaultJobs is the number of renders batch runs at once: one per core.
func defaultJobs() int { return runtime.GOMAXPROCS(0) }
