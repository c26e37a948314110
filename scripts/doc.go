// Package scripts holds the project's shell scripts (test.sh, bench.sh,
// load.sh, soak.sh) and the Go programs beside them; its tests check what
// the scripts must agree on with each other and with .ci/run.
package scripts
