package server

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// errQueueFull is returned when every render slot is busy and the wait
// queue is full: the client should retry later (503 + Retry-After).
var errQueueFull = errors.New("server: render queue full")

// limiter admits at most n+q requests at once and lets at most n of them
// render. Everything beyond is refused at once, so an overload costs the
// server nothing and the client learns it immediately.
//
// A request is admitted before its body is read: only an admitted request
// holds a body, a gzip reader or a problem answer in memory, so memory is
// bounded by (n+q) requests whatever the number of connections, and a
// client that sends slowly or withholds the end of its body holds one
// place, never a render slot.
type limiter struct {
	slots    chan struct{}
	queue    chan struct{} // places: admitted requests, rendering or not
	inFlight atomic.Int64
	waiting  atomic.Int64
}

func newLimiter(n, q int) *limiter {
	return &limiter{slots: make(chan struct{}, n), queue: make(chan struct{}, n+q)}
}

// ticket is an admitted request's place, and its render slot once it has
// one. release gives back both; it may be called more than once.
type ticket struct {
	l    *limiter
	slot bool
	done bool
}

// enter admits a request, or refuses it at once with errQueueFull when
// every place is taken.
func (l *limiter) enter() (*ticket, error) {
	select {
	case l.queue <- struct{}{}:
		return &ticket{l: l}, nil
	default:
		return nil, errQueueFull
	}
}

// wait takes a render slot, waiting until ctx is done. It returns how long
// it waited.
func (t *ticket) wait(ctx context.Context) (time.Duration, error) {
	l := t.l
	// A free slot is taken at once, even by a request whose deadline has
	// passed: the render's own cancellation check answers it, so a request
	// is refused as busy only when it really waited.
	select {
	case l.slots <- struct{}{}:
		l.inFlight.Add(1)
		t.slot = true
		return 0, nil
	default:
	}
	start := time.Now()
	l.waiting.Add(1)
	defer l.waiting.Add(-1)
	select {
	case l.slots <- struct{}{}:
		l.inFlight.Add(1)
		t.slot = true
		return time.Since(start), nil
	case <-ctx.Done():
		return time.Since(start), ctx.Err()
	}
}

// release gives back the render slot, if taken, and the place.
func (t *ticket) release() {
	if t.done {
		return
	}
	t.done = true
	if t.slot {
		t.l.inFlight.Add(-1)
		<-t.l.slots
	}
	<-t.l.queue
}

// acquire admits a request and takes a render slot, waiting in the queue
// if needed. It returns the release function and how long it waited.
func (l *limiter) acquire(ctx context.Context) (func(), time.Duration, error) {
	t, err := l.enter()
	if err != nil {
		return nil, 0, err
	}
	waited, err := t.wait(ctx)
	if err != nil {
		t.release()
		return nil, waited, err
	}
	return t.release, waited, nil
}

// admitted is the number of requests admitted now: reading their body,
// waiting for a slot or rendering.
func (l *limiter) admitted() int { return len(l.queue) }
