package server

// A server whose Config has no Fonts sets reports in the embedded faces:
// importing the package makes them fonts.Default.
import _ "github.com/govreport/govreport/fonts/faces"
