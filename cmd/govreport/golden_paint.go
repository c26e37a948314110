package main

import (
	"context"

	"github.com/govreport/govreport/golden"
	"github.com/govreport/govreport/layout"
)

// paintDiff is set once the PNG painter exists.
var paintDiff func(ctx context.Context, page layout.Page, boxes []golden.Box) ([]byte, error)
