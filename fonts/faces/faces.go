// Package faces embeds the open CJK faces govreport ships (48 MB: see README.md
// in this folder for each face, its source and its licence) and registers them as
// [fonts.Default] when it is imported, as an image decoder registers itself with
// package image:
//
//	import _ "github.com/govreport/govreport/fonts/faces"
//
// The faces live apart from package fonts, as golang.org/x/image keeps gofont
// apart from its font packages, so that a program that sets reports in its own
// faces ([fonts.LoadFile], [fonts.NewSet]) and passes them to package render
// does not link them: render and fonts fall back to [fonts.Default] when given
// no set, and Default has faces only if this package is imported. The govreport
// command and package server import it.
package faces

import (
	_ "embed"
	"errors"
	"fmt"
	"sync"

	"github.com/govreport/govreport/fonts"
)

func init() { fonts.RegisterDefault(Set) }

// The face files are embedded as strings, not through an embed.FS: FS.ReadFile
// copies, which would put 48 MB on the heap per process, while a string's bytes stay
// in the binary's read-only data, shared by every process that maps the binary and
// immune to accidental writes (a write faults instead of corrupting every document).
var (
	//go:embed title.ttf
	titleTTF string
	//go:embed fangsong.ttf
	fangsongTTF string
	//go:embed fangsong-2.ttf
	fangsong2TTF string
	//go:embed hei.ttf
	heiTTF string
	//go:embed kai.ttf
	kaiTTF string
	//go:embed song.ttf
	songTTF string
)

// face is one shipped file: the role it serves, its place in the role's stack
// (0 first), and its licence.
type face struct {
	role          fonts.Role
	pos           int
	file, license string
	data          *string
}

// list is the shipped faces. The body role has two: FandolFang (all of GB2312,
// part of Big5) and cwTeX FangSong, which sets the traditional characters
// FandolFang lacks, so that a traditional-character report is 仿宋 throughout.
var list = []face{
	{fonts.RoleTitle, 0, "title.ttf", fonts.LicenseOFL, &titleTTF},
	{fonts.RoleBody, 0, "fangsong.ttf", fonts.LicenseFandol, &fangsongTTF},
	{fonts.RoleBody, 1, "fangsong-2.ttf", fonts.LicenseCwTeX, &fangsong2TTF},
	{fonts.RoleHei, 0, "hei.ttf", fonts.LicenseOFL, &heiTTF},
	{fonts.RoleKai, 0, "kai.ttf", fonts.LicenseOFL, &kaiTTF},
	{fonts.RoleSong, 0, "song.ttf", fonts.LicenseOFL, &songTTF},
}

// Set returns the embedded faces. They are parsed on first use, once per process,
// and shared by every caller: the parse builds a glyph index per face (128 KB) that
// every document reuses; the rest of a face is read where it lies, in the binary.
func Set() (*fonts.Set, error) { return loadOnce() }

var loadOnce = sync.OnceValues(load)

func load() (*fonts.Set, error) {
	stacks := make(map[fonts.Role][]*fonts.Face, len(fonts.Roles()))
	for _, e := range list {
		if len(stacks[e.role]) <= e.pos {
			stacks[e.role] = append(stacks[e.role], make([]*fonts.Face, e.pos+1-len(stacks[e.role]))...)
		}
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	// The faces are independent; parsing them concurrently halves start-up on two cores.
	for _, e := range list {
		wg.Go(func() {
			f, err := fonts.ParseEmbedded(*e.data, "embedded:"+e.file, e.license)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("fonts: embedded face for role %s: %w", e.role, err))
				return
			}
			stacks[e.role][e.pos] = f
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return fonts.NewSet(stacks)
}
