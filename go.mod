module github.com/govreport/govreport

go 1.26.0
