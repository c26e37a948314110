package fonts

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrent uses the faces as a server does: the first calls to
// Default come at once (the embedded faces are parsed once, concurrently,
// behind a sync.Once), and every face is then resolved and subset from
// several goroutines. The results must equal a lone caller's. scripts/test.sh
// runs it under the race detector; it must run first in its process to race
// the first parse, so it is the only test of that run.
func TestConcurrent(t *testing.T) {
	const n = 4
	sets := make([]*Set, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := Default()
			if err != nil {
				t.Error(err)
			}
			sets[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, s := range sets[1:] {
		if s != sets[0] {
			t.Fatal("Default returned two sets")
		}
	}

	seed := seedRunes(t)
	var faces []*Face
	want := map[*Face][]byte{}
	for _, role := range Roles() {
		for _, f := range sets[0].Stack(role) {
			if want[f] != nil {
				continue
			}
			b, err := f.Subset(covered(f, seed))
			if err != nil {
				t.Fatal(err)
			}
			faces = append(faces, f)
			want[f] = b
		}
	}
	errs := make(chan error, n*len(faces))
	for range n {
		for _, f := range faces {
			wg.Go(func() {
				for _, role := range Roles() {
					sets[0].Report(role, string(seed))
				}
				b, err := f.Subset(covered(f, seed))
				if err == nil && !bytes.Equal(b, want[f]) {
					err = fmt.Errorf("%s: a subset made at once with others differs", f.Name())
				}
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// covered returns the runes of rs that f has.
func covered(f *Face, rs []rune) []rune {
	var out []rune
	for _, r := range rs {
		if f.Has(r) {
			out = append(out, r)
		}
	}
	return out
}
