// Package templates owns the official report formats as data files (one per
// format, embedded from formats/*.json) and what is made from them beyond
// validation: the JSON Schema of a format's report and the builder from a
// validated report to a layout document. The files are read by
// report.ParseFormat, which checks their grids, field trees and rules.
//
// No format lives in Go code: adding a format is adding a file.
package templates

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"sync"

	"github.com/govreport/govreport/report"
)

//go:embed formats/*.json
var formatFiles embed.FS

// Format is one official report format: the report package's view of its
// file (sections, field tree, grids, rules), with the schema and the
// builder added here.
type Format struct {
	*report.Format
}

var (
	loadOnce sync.Once
	formats  []*Format
	contract []*report.Format
	loadErr  error
)

func load() error {
	loadOnce.Do(func() { formats, loadErr = loadAll() })
	return loadErr
}

// Formats returns every embedded format, sorted by id. The files are parsed
// and checked once per process.
func Formats() ([]*Format, error) {
	if err := load(); err != nil {
		return nil, err
	}
	return append([]*Format(nil), formats...), nil
}

// Lookup returns the format with the given id.
func Lookup(id string) (*Format, error) {
	if err := load(); err != nil {
		return nil, err
	}
	for _, f := range formats {
		if f.ID == id {
			return f, nil
		}
	}
	ids := make([]string, len(formats))
	for i, f := range formats {
		ids[i] = f.ID
	}
	return nil, fmt.Errorf("templates: unknown format %q (formats: %v)", id, ids)
}

// Latest returns the format for the latest reports: the one a new report
// is written in.
func Latest() (*Format, error) {
	if err := load(); err != nil {
		return nil, err
	}
	return of(report.Latest(contract)), nil
}

func of(rf *report.Format) *Format {
	for _, f := range formats {
		if f.Format == rf {
			return f
		}
	}
	return nil
}

// Decode decodes and validates a report in any embedded format (its format
// field picks one) and returns it with its format. opt.Formats is set here.
func Decode(data []byte, opt report.Options) (*report.Report, *Format, error) {
	if err := load(); err != nil {
		return nil, nil, err
	}
	opt.Formats = contract
	r, err := report.Decode(data, opt)
	if err != nil {
		return nil, nil, err
	}
	return r, of(r.Format), nil
}

func loadAll() ([]*Format, error) {
	entries, err := formatFiles.ReadDir("formats")
	if err != nil {
		return nil, err
	}
	var out []*Format
	for _, e := range entries {
		data, err := formatFiles.ReadFile(path.Join("formats", e.Name()))
		if err != nil {
			return nil, err
		}
		f, err := report.ParseFormat(data)
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", e.Name(), err)
		}
		if f.Root() == nil {
			return nil, fmt.Errorf("templates: %s: no fields", e.Name())
		}
		out = append(out, &Format{f})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	contract = make([]*report.Format, len(out))
	for i, f := range out {
		if i > 0 && out[i-1].ID == f.ID {
			return nil, fmt.Errorf("templates: two files for format %q", f.ID)
		}
		contract[i] = f.Format
	}
	return out, nil
}
