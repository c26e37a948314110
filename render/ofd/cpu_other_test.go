//go:build !unix

package ofd_test

// processCPU is not measured outside Unix; benchmarks then report wall time only.
func processCPU() (int64, bool) { return 0, false }
