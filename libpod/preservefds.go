package libpod

import (
	"context"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/define"
)

// preserveKey is the context key of the descriptors a start passes on.
type preserveKey struct{}

// WithPreservedFiles returns ctx carrying files that the container
// started with it gets as its descriptors 3 on (--preserve-fds): the
// monitor hands them to the runtime at its first create only.
func WithPreservedFiles(ctx context.Context, files []*os.File) context.Context {
	if len(files) == 0 {
		return ctx
	}
	return context.WithValue(ctx, preserveKey{}, files)
}

func preservedFiles(ctx context.Context) []*os.File {
	files, _ := ctx.Value(preserveKey{}).([]*os.File)
	return files
}

// InheritedFiles returns this process's descriptors 3 to 2+n, which must
// be open and inherited from its caller (not close-on-exec: every
// descriptor pod opens itself is).
func InheritedFiles(n uint) ([]*os.File, error) {
	var files []*os.File
	for fd := 3; fd < 3+int(n); fd++ {
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if err != nil || flags&unix.FD_CLOEXEC != 0 {
			return nil, fmt.Errorf("--preserve-fds %d: file descriptor %d is not open: run pod with descriptors 3 to %d open (e.g. 3<FILE): %w",
				n, fd, 2+n, define.ErrInvalidArg)
		}
		files = append(files, os.NewFile(uintptr(fd), fmt.Sprintf("fd-%d", fd)))
	}
	return files, nil
}
