package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// sourceDate reads SOURCE_DATE_EPOCH (reproducible-builds.org), the
// conventional way for a build system to pin the dates written into files:
// render, batch and serve write it as the creation date instead of the
// signature date. The library reads no environment; the commands do.
func sourceDate() (time.Time, error) {
	v, ok := os.LookupEnv("SOURCE_DATE_EPOCH")
	if !ok || v == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > 253402300799 { // up to 9999-12-31
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a count of seconds since 1970", v)
	}
	return time.Unix(n, 0).UTC(), nil
}
