// Package templates owns the official report formats as data files (one per
// format, embedded from formats/*.json) and what is made from them beyond
// validation: the JSON Schema of a format's report and the builder from a
// validated report to a layout document. The files are read by
// report.ParseFormat, which checks their grids, field trees and rules.
//
// No format lives in Go code: adding a format is adding a file.
package templates

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"sync"
	"sync/atomic"

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

// A file is one embedded format file: its id and years, read from the
// file's head at the first call, and the format, parsed and checked when
// it is first asked for. A command renders one report in one format, so it
// parses one file (a file is 5 ms of a CLI's start), not all of them.
type file struct {
	name  string
	id    string
	years report.Years

	once sync.Once
	f    *Format
	err  error
}

// format parses the file once.
func (e *file) format() (*Format, error) {
	e.once.Do(func() {
		data, err := formatFiles.ReadFile(path.Join("formats", e.name))
		if err != nil {
			e.err = err
			return
		}
		f, err := report.ParseFormat(data)
		if err != nil {
			e.err = fmt.Errorf("templates: %s: %w", e.name, err)
			return
		}
		if f.Root() == nil {
			e.err = fmt.Errorf("templates: %s: no fields", e.name)
			return
		}
		if f.ID != e.id || f.Years != e.years {
			e.err = fmt.Errorf("templates: %s: id %q and years %v, but its head read %q and %v", e.name, f.ID, f.Years, e.id, e.years)
			return
		}
		e.f = &Format{f}
	})
	return e.f, e.err
}

var (
	indexOnce = sync.OnceValues(readIndex)
	loadOnce  sync.Once
	formats   []*Format
	contract  []*report.Format
	loadErr   error
	allLoaded atomic.Bool
)

// load parses every file.
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

// Lookup returns the format with the given id. Only its file is parsed.
func Lookup(id string) (*Format, error) {
	index, err := indexOnce()
	if err != nil {
		return nil, err
	}
	for _, e := range index {
		if e.id == id {
			return e.format()
		}
	}
	ids := make([]string, len(index))
	for i, e := range index {
		ids[i] = e.id
	}
	return nil, fmt.Errorf("templates: unknown format %q (formats: %v)", id, ids)
}

// Latest returns the format for the latest reports: the one a new report
// is written in. Only its file is parsed.
func Latest() (*Format, error) {
	index, err := indexOnce()
	if err != nil {
		return nil, err
	}
	return latest(index).format()
}

// latest is the file for the latest years, as report.Latest picks.
func latest(index []*file) *file {
	var out *file
	for _, e := range index {
		if out == nil || e.years.From > out.years.From {
			out = e
		}
	}
	return out
}

// Decode decodes and validates a report in any embedded format (its format
// field picks one) and returns it with its format. opt.Formats is set here.
//
// Only the report's format is parsed, unless it fails: a problem may name
// the other formats (an unknown format lists them, another format's key
// says whose it is), so a report that does not decode is decoded again
// with every format, and its problems are the same whatever was parsed
// before.
func Decode(data []byte, opt report.Options) (*report.Report, *Format, error) {
	index, err := indexOnce()
	if err != nil {
		return nil, nil, err
	}
	if !allLoaded.Load() {
		e := latest(index)
		if id := report.FormatID(data); id != "" {
			for _, x := range index {
				if x.id == id {
					e = x
				}
			}
		}
		f, err := e.format()
		if err != nil {
			return nil, nil, err
		}
		one := opt
		one.Formats = []*report.Format{f.Format}
		if r, err := report.Decode(data, one); err == nil {
			return r, f, nil
		}
	}
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

func of(rf *report.Format) *Format {
	for _, f := range formats {
		if f.Format == rf {
			return f
		}
	}
	return nil
}

func loadAll() ([]*Format, error) {
	index, err := indexOnce()
	if err != nil {
		return nil, err
	}
	out := make([]*Format, len(index))
	contract = make([]*report.Format, len(index))
	for i, e := range index {
		if out[i], err = e.format(); err != nil {
			return nil, err
		}
		contract[i] = out[i].Format
	}
	allLoaded.Store(true)
	return out, nil
}

// readIndex lists the format files, sorted by id, with the id and years
// read from each file's head: the two keys come first in a file, and the
// read stops when it has both.
func readIndex() ([]*file, error) {
	entries, err := formatFiles.ReadDir("formats")
	if err != nil {
		return nil, err
	}
	var index []*file
	for _, de := range entries {
		if path.Ext(de.Name()) != ".json" {
			continue
		}
		e := &file{name: de.Name()}
		data, err := formatFiles.ReadFile(path.Join("formats", e.name))
		if err != nil {
			return nil, err
		}
		if err := readHead(data, e); err != nil {
			return nil, fmt.Errorf("templates: %s: %w", e.name, err)
		}
		index = append(index, e)
	}
	sort.Slice(index, func(i, j int) bool { return index[i].id < index[j].id })
	for i := 1; i < len(index); i++ {
		if index[i-1].id == index[i].id {
			return nil, fmt.Errorf("templates: two files for format %q", index[i].id)
		}
	}
	return index, nil
}

// readHead reads the "id" and "years" members of a format file's object.
func readHead(data []byte, e *file) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("not a JSON object")
	}
	var haveID, haveYears bool
	for dec.More() && !(haveID && haveYears) {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case "id":
			err, haveID = dec.Decode(&e.id), true
		case "years":
			err, haveYears = dec.Decode(&e.years), true
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return fmt.Errorf("reading %v: %w", t, err)
		}
	}
	if e.id == "" {
		return fmt.Errorf("no id")
	}
	return nil
}
