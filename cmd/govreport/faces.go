package main

// The command sets reports in the embedded faces, behind any face of
// --font-dir: importing the package makes them fonts.Default.
import _ "github.com/govreport/govreport/fonts/faces"
