package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version may be set at build time with -ldflags "-X main.version=…";
// otherwise it comes from the build information the go command records.
var version = ""

// buildInfo is what a binary knows about how it was built.
type buildInfo struct {
	Version  string // module version, e.g. v1.2.0, or a pseudo-version; "dev" when unknown
	Revision string // VCS revision; empty when built without VCS information
	Time     string // commit time
	Modified bool   // built from a tree with uncommitted changes
	Go       string // Go version
}

// readBuildInfo reads the module version and VCS stamp the go command
// embeds: `go install …@v1.2.0` records v1.2.0; `go build` in a git
// checkout records the revision, its time and whether the tree was dirty.
func readBuildInfo() buildInfo {
	bi, _ := debug.ReadBuildInfo()
	return parseBuildInfo(bi, version)
}

// parseBuildInfo reads bi (nil when the binary has none); ldflagsVersion,
// when set, overrides the module version.
func parseBuildInfo(bi *debug.BuildInfo, ldflagsVersion string) buildInfo {
	b := buildInfo{Version: ldflagsVersion, Go: runtime.Version()}
	if bi == nil {
		if b.Version == "" {
			b.Version = "dev"
		}
		return b
	}
	b.Go = bi.GoVersion
	if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		b.Version = bi.Main.Version
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// creator names the program in a document's metadata.
func creator() string { return "govreport " + readBuildInfo().Version }

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "takes no arguments")
	}
	b := readBuildInfo()
	fmt.Fprintln(stdout, "govreport", b.Version)
	switch {
	case b.Revision == "":
		fmt.Fprintln(stdout, "revision: unknown (built without VCS information)")
	case b.Modified:
		fmt.Fprintf(stdout, "revision: %s (%s), modified\n", b.Revision, b.Time)
	default:
		fmt.Fprintf(stdout, "revision: %s (%s)\n", b.Revision, b.Time)
	}
	fmt.Fprintf(stdout, "go: %s %s/%s\n", b.Go, runtime.GOOS, runtime.GOARCH)
	return 0
}
