package libpod

import (
	"os"
	"os/signal"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// signalHold defers SIGINT, SIGTERM and SIGHUP while this process holds a
// container lock (lock → sync → act → save): a signal that arrives then is
// taken once the last lock is released, so that an interrupted command
// never leaves a container half-started, half-created or half-removed.
// (SIGKILL cannot be deferred: syncState reconciles what it leaves.)
type signalHold struct {
	mu      sync.Mutex
	depth   int
	ch      chan os.Signal
	pending os.Signal
	done    chan struct{}
}

// hold starts deferring the signals; release ends it, and then acts on a
// signal that came in the meantime by dying of it.
func (h *signalHold) hold() (release func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.depth++
	if h.depth == 1 {
		h.ch = make(chan os.Signal, 1)
		h.done = make(chan struct{})
		signal.Notify(h.ch, unix.SIGINT, unix.SIGTERM, unix.SIGHUP)
		go h.collect(h.ch, h.done)
	}
	var once sync.Once
	return func() { once.Do(h.release) }
}

func (h *signalHold) collect(ch chan os.Signal, done chan struct{}) {
	defer close(done)
	for s := range ch {
		h.mu.Lock()
		if h.pending == nil {
			h.pending = s
		}
		h.mu.Unlock()
	}
}

func (h *signalHold) release() {
	h.mu.Lock()
	h.depth--
	if h.depth > 0 {
		h.mu.Unlock()
		return
	}
	ch, done := h.ch, h.done
	h.ch, h.done = nil, nil
	h.mu.Unlock()
	signal.Stop(ch)
	close(ch)
	<-done
	h.mu.Lock()
	sig := h.pending
	h.pending = nil
	h.mu.Unlock()
	if s, ok := sig.(unix.Signal); ok {
		// Its disposition as before: the default action ends the
		// process, unless it was ignored when pod started.
		signal.Reset(s)
		_ = unix.Kill(unix.Getpid(), s)
		time.Sleep(time.Second)
	}
}
