package image

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"
	"go.podman.io/image/v5/docker"
	"go.podman.io/image/v5/types"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/lock"
)

func TestParsePlatform(t *testing.T) {
	for _, tc := range []struct {
		in      PlatformOptions
		want    Platform
		wantErr bool
	}{
		{PlatformOptions{}, Platform{}, false},
		{PlatformOptions{Platform: "linux"}, Platform{OS: "linux"}, false},
		{PlatformOptions{Platform: "linux/arm64"}, Platform{OS: "linux", Arch: "arm64"}, false},
		{PlatformOptions{Platform: "linux/arm/v7"}, Platform{OS: "linux", Arch: "arm", Variant: "v7"}, false},
		{PlatformOptions{Platform: "linux/arm/v7", Variant: "v7"}, Platform{OS: "linux", Arch: "arm", Variant: "v7"}, false},
		{PlatformOptions{Platform: "linux/arm", Variant: "v6"}, Platform{OS: "linux", Arch: "arm", Variant: "v6"}, false},
		{PlatformOptions{Arch: "arm", Variant: "v7"}, Platform{Arch: "arm", Variant: "v7"}, false},
		{PlatformOptions{OS: "linux", Arch: "amd64"}, Platform{OS: "linux", Arch: "amd64"}, false},
		{PlatformOptions{Platform: "linux/arm64", Arch: "amd64"}, Platform{}, true},
		{PlatformOptions{Platform: "linux/arm64", OS: "linux"}, Platform{}, true},
		{PlatformOptions{Platform: "linux/arm/v7", Variant: "v6"}, Platform{}, true},
		{PlatformOptions{Platform: "a/b/c/d"}, Platform{}, true},
		{PlatformOptions{Platform: "linux//v7"}, Platform{}, true},
		{PlatformOptions{Platform: "/arm64"}, Platform{}, true},
		{PlatformOptions{Arch: "arm 64"}, Platform{}, true},
	} {
		got, err := ParsePlatform(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParsePlatform(%+v) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err != nil && !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("ParsePlatform(%+v): %v does not wrap ErrInvalidArg", tc.in, err)
		}
	}
	var sys types.SystemContext
	Platform{OS: "linux", Arch: "aarch64", Variant: "v8"}.apply(&sys)
	if sys.OSChoice != "linux" || sys.ArchitectureChoice != "arm64" || sys.VariantChoice != "v8" {
		t.Errorf("apply: %+v", sys)
	}
}

func TestDropTagBeforeDigest(t *testing.T) {
	d := "sha256:" + fmt.Sprintf("%064x", 1)
	for in, want := range map[string]string{
		"alpine:3.20.3@" + d:                          "alpine@" + d,
		"127.0.0.1:5000/library/alpine:3.20.3@" + d:   "127.0.0.1:5000/library/alpine@" + d,
		"alpine@" + d:                                 "alpine@" + d,
		"alpine:3.20.3":                               "alpine:3.20.3",
		"Alpine!!":                                    "Alpine!!",
		"docker.io/library/alpine:latest@" + d:        "docker.io/library/alpine@" + d,
		"localhost:5000/a/b/c:tag@" + d:               "localhost:5000/a/b/c@" + d,
		"quay.io/podman/hello:latest@sha256:" + "ab1": "quay.io/podman/hello:latest@sha256:ab1",
	} {
		if got := dropTagBeforeDigest(in); got != want {
			t.Errorf("dropTagBeforeDigest(%q) = %q, want %q", in, got, want)
		}
	}
}

type fakeNetErr struct{ timeout bool }

func (e fakeNetErr) Error() string   { return "net" }
func (e fakeNetErr) Timeout() bool   { return e.timeout }
func (e fakeNetErr) Temporary() bool { return false }

func TestRetryable(t *testing.T) {
	refused := fmt.Errorf("pinging container registry 127.0.0.1:1: %w",
		&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{refused, true},
		{fmt.Errorf("x: %w", docker.UnexpectedHTTPStatusError{StatusCode: 500}), true},
		{fmt.Errorf("x: %w", docker.UnexpectedHTTPStatusError{StatusCode: 503}), true},
		{fmt.Errorf("x: %w", docker.UnexpectedHTTPStatusError{StatusCode: 429}), true},
		{fmt.Errorf("x: %w", docker.UnexpectedHTTPStatusError{StatusCode: 403}), false},
		{fmt.Errorf("reading blob: %w", fakeNetErr{timeout: true}), true},
		{fmt.Errorf("reading blob: %w", fakeNetErr{}), false},
		{errors.New("reading manifest x: manifest unknown"), false},
		{fmt.Errorf("x: %w", context.Canceled), false},
		{fmt.Errorf("x: %w", &net.DNSError{Err: "no such host", Name: "nowhere.invalid", IsNotFound: true}), false},
		{errors.New("Digest did not match, expected sha256:1, got sha256:2"), false},
		{fmt.Errorf("x: %w", docker.ErrUnauthorizedForCredentials{Err: errors.New("denied")}), false},
	} {
		if got := retryable(tc.err); got != tc.want {
			t.Errorf("retryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestRetryPolicy(t *testing.T) {
	zero, two := uint(0), uint(2)
	short := time.Millisecond
	transient := fmt.Errorf("x: %w", docker.UnexpectedHTTPStatusError{StatusCode: 502})
	for _, tc := range []struct {
		retries *uint
		err     error
		calls   int
	}{
		{&zero, transient, 1},
		{&two, transient, 3},
		{&two, errors.New("manifest unknown"), 1},
		{&two, nil, 1},
	} {
		rp, err := newRetryPolicy(tc.retries, &short)
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		got := rp.do(context.Background(), "test", func() error { calls++; return tc.err })
		if calls != tc.calls || !errors.Is(got, tc.err) && got != tc.err {
			t.Errorf("retries %d, error %v: %d calls (want %d), returned %v", *tc.retries, tc.err, calls, tc.calls, got)
		}
	}
	rp, _ := newRetryPolicy(nil, nil)
	if rp.retries != DefaultPullRetries || rp.wait(0) != time.Second || rp.wait(2) != 4*time.Second {
		t.Errorf("default policy: %d retries, waits %s %s", rp.retries, rp.wait(0), rp.wait(2))
	}
	neg := -time.Second
	if _, err := newRetryPolicy(nil, &neg); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("a negative delay: %v", err)
	}
	// A cancelled context ends the waiting.
	ctx, cancel := context.WithCancel(context.Background())
	long := time.Hour
	rp, _ = newRetryPolicy(&two, &long)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	start := time.Now()
	if err := rp.do(ctx, "test", func() error { return transient }); err == nil || time.Since(start) > 10*time.Second {
		t.Errorf("cancelled retry: %v after %s", err, time.Since(start))
	}
}

// newTestBlobLocks returns two lock sets on one directory, as two processes
// pulling into one store have (flock locks of distinct open files conflict
// within a process too).
func newTestBlobLocks(t *testing.T) (*blobLocks, *blobLocks) {
	m, err := lock.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &blobLocks{m: m, held: map[digest.Digest]*heldBlob{}}, &blobLocks{m: m, held: map[digest.Digest]*heldBlob{}}
}

type acquired struct {
	locked, waited bool
	err            error
}

func acquireAsync(b *blobLocks, d digest.Digest) chan acquired {
	ch := make(chan acquired, 1)
	go func() {
		locked, waited, err := b.acquire(context.Background(), d)
		ch <- acquired{locked, waited, err}
	}()
	return ch
}

func expectBlocked(t *testing.T, ch chan acquired, what string) {
	t.Helper()
	select {
	case a := <-ch:
		t.Fatalf("%s: got the lock (%+v) while the other holds it", what, a)
	case <-time.After(4 * blobLockPoll):
	}
}

func expectAcquired(t *testing.T, ch chan acquired, what string, waited bool) {
	t.Helper()
	select {
	case a := <-ch:
		if a.err != nil || !a.locked || a.waited != waited {
			t.Fatalf("%s: %+v, want locked (waited %v)", what, a, waited)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still waiting", what)
	}
}

func TestBlobLocksWaitForCommit(t *testing.T) {
	a, b := newTestBlobLocks(t)
	d := digest.FromString("layer")
	expectAcquired(t, acquireAsync(a, d), "first", false)
	// Within one copy, a second claim of the same blob takes nothing.
	if locked, waited, err := a.acquire(context.Background(), d); locked || waited || err != nil {
		t.Errorf("second claim in one copy: locked %v waited %v err %v", locked, waited, err)
	}
	ch := acquireAsync(b, d)
	expectBlocked(t, ch, "second process")
	a.downloaded(d, true) // downloaded: kept until the commit
	expectBlocked(t, ch, "second process after the download")
	a.releaseAll()
	expectAcquired(t, ch, "second process after the commit", true)
	b.releaseAll()
	if names := b.m.Names(); len(names) != 0 {
		t.Errorf("lock files left: %v", names)
	}
}

func TestBlobLocksFailedDownload(t *testing.T) {
	a, b := newTestBlobLocks(t)
	d := digest.FromString("layer")
	expectAcquired(t, acquireAsync(a, d), "first", false)
	ch := acquireAsync(b, d)
	expectBlocked(t, ch, "second process")
	a.downloaded(d, false)
	expectAcquired(t, ch, "second process after a failed download", true)
}

// TestBlobLocksNoDeadlock: two copies need the same two blobs and each has
// downloaded one; the one that waits gives up its downloaded blob.
func TestBlobLocksNoDeadlock(t *testing.T) {
	a, b := newTestBlobLocks(t)
	d1, d2 := digest.FromString("one"), digest.FromString("two")
	expectAcquired(t, acquireAsync(a, d1), "a d1", false)
	expectAcquired(t, acquireAsync(b, d2), "b d2", false)
	a.downloaded(d1, true)
	b.downloaded(d2, true)
	aWaits := acquireAsync(a, d2)
	expectBlocked(t, aWaits, "a d2")
	// a waits, so it gave up d1: b takes it without waiting.
	expectAcquired(t, acquireAsync(b, d1), "b d1", false)
	b.releaseAll() // b commits
	expectAcquired(t, aWaits, "a d2", true)
	a.releaseAll()
}

// TestBlobLocksReleaseWhileWaiting: a blob downloaded while its copy waits
// for another blob is released at once.
func TestBlobLocksReleaseWhileWaiting(t *testing.T) {
	a, b := newTestBlobLocks(t)
	d1, d2 := digest.FromString("one"), digest.FromString("two")
	expectAcquired(t, acquireAsync(b, d2), "b d2", false)
	expectAcquired(t, acquireAsync(a, d1), "a d1", false)
	aWaits := acquireAsync(a, d2)
	expectBlocked(t, aWaits, "a d2")
	bWaits := acquireAsync(b, d1)
	expectBlocked(t, bWaits, "b d1")
	a.downloaded(d1, true) // a is waiting: d1 goes at once
	expectAcquired(t, bWaits, "b d1", true)
	b.releaseAll()
	expectAcquired(t, aWaits, "a d2", true)
	a.releaseAll()
}
