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

// limiter admits at most n renders at once and lets at most q requests
// wait for a slot. Everything beyond is refused at once, so an overload
// costs the server nothing and the client learns it immediately.
type limiter struct {
	slots    chan struct{}
	queue    chan struct{}
	inFlight atomic.Int64
	waiting  atomic.Int64
}

func newLimiter(n, q int) *limiter {
	return &limiter{slots: make(chan struct{}, n), queue: make(chan struct{}, n+q)}
}

// acquire takes a render slot, waiting in the queue if needed. It returns
// the release function and how long it waited.
func (l *limiter) acquire(ctx context.Context) (func(), time.Duration, error) {
	select {
	case l.queue <- struct{}{}:
	default:
		return nil, 0, errQueueFull
	}
	start := time.Now()
	release := func() {
		l.inFlight.Add(-1)
		<-l.slots
		<-l.queue
	}
	// A free slot is taken at once, even by a request whose deadline has
	// passed: the render's own cancellation check answers it, so a request
	// is refused as busy only when it really waited.
	select {
	case l.slots <- struct{}{}:
		l.inFlight.Add(1)
		return release, 0, nil
	default:
	}
	l.waiting.Add(1)
	select {
	case l.slots <- struct{}{}:
		l.waiting.Add(-1)
		l.inFlight.Add(1)
		return release, time.Since(start), nil
	case <-ctx.Done():
		l.waiting.Add(-1)
		<-l.queue
		return nil, time.Since(start), ctx.Err()
	}
}

// full reports whether the queue has no room now. It lets a request be
// refused before its body is read; acquire still decides.
func (l *limiter) full() bool { return len(l.queue) == cap(l.queue) }
