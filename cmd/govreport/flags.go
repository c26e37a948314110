package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// newFlagSet returns the flag set of a command, with a usage message made
// from the command's synopsis and summary and every flag with its default.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() { printCommandUsage(fs.Output(), name, fs) }
	return fs
}

func printCommandUsage(w io.Writer, name string, fs *flag.FlagSet) {
	if c := lookupCommand(name); c != nil {
		fmt.Fprintf(w, "usage: %s\n\n%s.\n", c.synopsis(), upperFirst(c.summary))
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintf(w, "\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		typ, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  %s", dashed(f.Name))
		if typ != "" {
			fmt.Fprintf(w, " %s", typ)
		}
		fmt.Fprintf(w, "\n    \t%s", strings.ReplaceAll(usage, "\n", "\n    \t"))
		if d := defaultOf(f); d != "" {
			fmt.Fprintf(w, " (default %s)", d)
		}
		fmt.Fprintln(w)
	})
}

// defaultOf is a flag's default as the user would type it; empty when the
// usage text itself says what happens without the flag.
func defaultOf(f *flag.Flag) string {
	// "--queue (default 0)" after "default 4 × max-renders" would
	// contradict the text: a zero that means "computed" is explained there.
	if f.DefValue == "" || strings.Contains(f.Usage, "default") {
		return ""
	}
	// A string flag shows its default quoted, like the flag package does.
	if v := reflect.ValueOf(f.Value); v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.String {
		return fmt.Sprintf("%q", f.DefValue)
	}
	return f.DefValue
}

// dashed is how the help and the README write a flag: -o, --format (the
// flag package accepts one dash or two for either).
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// parseFlags parses args, flags before and after the positional arguments
// alike (render r.json -o r.pdf, check r.json --font-dir D), the same for
// every command; after --, everything is positional. fs.Args() is then the
// positional arguments in order. -h prints the usage to standard output
// and returns done with exit code 0; a bad flag prints the error and the
// usage to standard error and returns done with 2.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (done bool, code int) {
	var positional []string
	for rest := args; ; {
		var buf bytes.Buffer
		fs.SetOutput(&buf)
		err := fs.Parse(rest)
		fs.SetOutput(stderr)
		switch {
		case errors.Is(err, flag.ErrHelp):
			stdout.Write(buf.Bytes())
			return true, 0
		case err != nil:
			stderr.Write(buf.Bytes())
			return true, 2
		}
		if fs.NArg() == 0 {
			break
		}
		if parsed := rest[:len(rest)-fs.NArg()]; len(parsed) > 0 && parsed[len(parsed)-1] == "--" {
			positional = append(positional, fs.Args()...)
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	// Parsing "--" alone leaves the positional arguments as fs.Args()
	// and sets no flag.
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		panic(err) // cannot happen: nothing after -- is a flag
	}
	return false, 0
}

// usageError prints a message and the command's usage line, for exit 2.
func usageError(fs *flag.FlagSet, stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "govreport %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	if c := lookupCommand(fs.Name()); c != nil {
		fmt.Fprintf(stderr, "usage: %s (govreport %s -h lists the flags)\n", c.synopsis(), c.name)
	}
	return 2
}

// plural is "1 file", "2 files". The Chinese messages need none.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
