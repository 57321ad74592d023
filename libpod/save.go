package libpod

import (
	"context"
	"os"
	"os/signal"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/libpod/image"
)

// SaveImages writes the local images names to an archive or directory (see
// image.Save) and writes a save event per image, named by the output
// ("/dev/stdout" for stdout). SIGINT, SIGTERM and SIGHUP stop the copy and
// remove what it wrote before the process dies of the signal.
func (r *Runtime) SaveImages(ctx context.Context, names []string, o image.SaveOptions) error {
	store, err := r.getStore()
	if err != nil {
		return err
	}
	ctx, done := interruptible(ctx)
	saved, err := image.Save(ctx, store, names, o)
	done()
	if err != nil {
		return r.noSpace("save", err)
	}
	out := o.Output
	if out == "" {
		out = "/dev/stdout"
	}
	for _, s := range saved {
		r.imageEvent(events.Save, s.ID, out)
	}
	return nil
}

// LoadImages stores every image of an archive or directory (see image.Load)
// and writes a loadfromarchive event named by the file read. It returns the
// names loaded, also when a later image of the archive failed.
func (r *Runtime) LoadImages(ctx context.Context, o image.LoadOptions) ([]string, error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	ctx, done := interruptible(ctx)
	res, err := image.Load(ctx, store, o)
	done()
	if res != nil && len(res.IDs) > 0 {
		r.writeEvent(events.Event{Type: events.TypeImage, Status: events.LoadFromArchive, Name: res.Source})
	}
	if err != nil {
		var names []string
		if res != nil {
			names = res.Names
		}
		return names, r.noSpace("load", err)
	}
	return res.Names, nil
}

// interruptible returns a context that SIGINT, SIGTERM or SIGHUP cancels,
// so that a long copy stops and cleans up after itself. done restores the
// signals' disposition and, when one came, dies of it.
func interruptible(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, unix.SIGINT, unix.SIGTERM, unix.SIGHUP)
	stop := make(chan struct{})
	var got os.Signal
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case got = <-ch:
			cancel()
		case <-stop:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(stop)
		<-exited
		cancel()
		if got == nil {
			select {
			case got = <-ch:
			default:
			}
		}
		if sig, ok := got.(unix.Signal); ok {
			// Its disposition as before: the default action ends the
			// process, unless it was ignored when pod started.
			signal.Reset(sig)
			_ = unix.Kill(unix.Getpid(), sig)
			time.Sleep(time.Second)
		}
	}
}
