//go:build unix

package ofd_test

import "syscall"

// processCPU returns the CPU time (user + system) the process has used, in
// nanoseconds. Benchmarks report it per operation because wall time is noisy on
// a shared machine, while CPU time is what a render costs.
func processCPU() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
