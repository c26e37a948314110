package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/govreport/govreport/report"
)

// stdinName is how messages name a report read from standard input.
const stdinName = "<stdin>"

// displayName is the name messages give an input: - is standard input.
func displayName(name string) string {
	if name == "-" {
		return stdinName
	}
	return name
}

// readInput reads a report from a file, or from standard input for "-",
// and converts it to UTF-8 from the declared encoding.
func readInput(name string, stdin io.Reader, encoding string) ([]byte, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, maxReportFile+1))
		if err == nil && len(data) > maxReportFile {
			err = fmt.Errorf("larger than %d bytes", maxReportFile)
		}
		if err != nil {
			err = fmt.Errorf("reading standard input: %w", err)
		}
	} else {
		data, err = readReportFile(name)
	}
	if err != nil {
		return nil, err
	}
	out, err := report.ToUTF8(data, encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: --encoding %s: %w", displayName(name), encoding, err)
	}
	return out, nil
}

// encodingFlag adds --encoding to a command.
func encodingFlag(fs *flag.FlagSet) *string {
	enc := new(string)
	fs.Func("encoding", "`name` of the input's text encoding: utf-8 or gb18030 (also gbk, gb2312); a file that is valid UTF-8 is read as UTF-8 (default utf-8)", func(s string) error {
		if _, err := report.ToUTF8(nil, s); err != nil {
			return fmt.Errorf("must be one of %s", strings.Join(report.Encodings, ", "))
		}
		*enc = s
		return nil
	})
	return enc
}
