package ofd_test

// The tests set reports in the embedded faces: render falls back to
// fonts.Default, which has faces only in a program that imports them.
import _ "github.com/govreport/govreport/fonts/faces"
