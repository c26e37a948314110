package main

import (
	"os"
	"runtime/debug"
)

// env returns the value of GOVREPORT_<name>, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv("GOVREPORT_" + name); ok {
		return v
	}
	return def
}

// tuneGC trades memory for CPU unless GOGC or GOMEMLIMIT say otherwise: a
// render allocates a few MB (5 MB for the seed PDF) that die at once. With
// our own PDF writer, GOGC 800 with the 250 MiB soft limit against the
// defaults (GOGC=100 GOMEMLIMIT=off), scripts/load.sh at concurrency 8 on
// two shared cores (load average 4–7, two runs each, alternated): server CPU
// per seed PDF export 6.3 and 5.7 ms against 6.9 and 6.7 ms (about 12 %
// less), 124 and 136 exports a second against 111 and 108, for a peak RSS of
// 220–255 MB against 58–66 MB.
// The soft limit makes the collector work harder before the heap outgrows
// a 300 MB container.
func tuneGC() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(800)
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(250 << 20)
	}
}
