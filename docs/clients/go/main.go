// Command export is a portal's Go client of govreport in a few lines: it
// sends a report to a running `govreport serve` through the client that
// oapi-codegen generates from docs/openapi.yaml, as is, and writes the PDF.
// cmd/govreport's TestGeneratedClients generates the client into ./client
// of a copy of this module, builds this program and compares the PDF with
// `govreport render`'s.
//
// This module is separate from govreport's so that oapi-codegen and its
// dependencies (a go.mod tool) stay out of the service's module graph:
//
//	go tool oapi-codegen -package client -generate types,client -o client/client.gen.go ../../openapi.yaml
//	go run . -server http://127.0.0.1:8080 -in report.json -fee 123456.7891 -o report.pdf
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/govreport/govreport/docs/clients/go/client"
)

func main() {
	server := flag.String("server", "http://127.0.0.1:8080", "the govreport serve to call")
	in := flag.String("in", "", "the report (JSON, format gov-info-disclosure/2021)")
	fee := flag.String("fee", "", "if set, the fee (万元) to send, as the decimal string the document allows")
	out := flag.String("o", "report.pdf", "the PDF to write")
	flag.Parse()
	if err := run(*server, *in, *fee, *out); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

func run(server, in, fee, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	// The generated types: counts are *client.Count (nullable in this
	// format: nil is sent as null, not applicable), the fee a
	// client.Amount, one of a client.DecimalString and a
	// client.DecimalNumber (a float64).
	var r client.Report2021
	if err := json.Unmarshal(data, &r); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if fee != "" {
		var a client.Amount
		if err := a.FromDecimalString(fee); err != nil {
			return err
		}
		r.ProactiveDisclosure.FeeIncomeWanYuan = &a
	}
	if a := r.ProactiveDisclosure.FeeIncomeWanYuan; a != nil {
		sent, err := json.Marshal(a)
		if err != nil {
			return err
		}
		fmt.Printf("fee_income_wan_yuan: %s\n", sent)
	}
	var body client.Report
	if err := body.FromReport2021(r); err != nil {
		return err
	}

	c, err := client.NewClientWithResponses(server, client.WithHTTPClient(&http.Client{Timeout: time.Minute}))
	if err != nil {
		return err
	}
	pdf := client.ExportReportParamsFormat("pdf")
	resp, err := c.ExportReportWithResponse(context.Background(), &client.ExportReportParams{Format: &pdf}, body)
	if err != nil {
		return err
	}
	if resp.StatusCode() != http.StatusOK {
		return fmt.Errorf("export: %s: %s", resp.Status(), resp.Body)
	}
	return os.WriteFile(out, resp.Body, 0o644)
}
