module github.com/govreport/govreport

go 1.26.0

require (
	github.com/go-pdf/fpdf v0.9.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	golang.org/x/image v0.48.0
)

require golang.org/x/text v0.44.0 // indirect
