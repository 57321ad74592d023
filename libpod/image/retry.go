package image

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"syscall"
	"time"

	"github.com/docker/distribution/registry/api/errcode"
	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/docker"

	"github.com/pod-engine/pod/libpod/define"
)

// DefaultPullRetries is how many times a pull that failed for a transient
// reason is tried again when PullOptions.Retries is nil.
const DefaultPullRetries = 3

// retryPolicy says how often and how long after a transient failure a
// registry operation is tried again.
type retryPolicy struct {
	retries uint
	// delay is the fixed delay between attempts; 0 means 1s, doubling after
	// every attempt (1s, 2s, 4s, ...).
	delay time.Duration
}

func newRetryPolicy(retries *uint, delay *time.Duration) (retryPolicy, error) {
	rp := retryPolicy{retries: DefaultPullRetries}
	if retries != nil {
		rp.retries = *retries
	}
	if delay != nil {
		if *delay < 0 {
			return retryPolicy{}, fmt.Errorf("--retry-delay %s: must not be negative: %w", *delay, define.ErrInvalidArg)
		}
		rp.delay = *delay
	}
	return rp, nil
}

// wait returns the delay before attempt+1 (attempt counts from 0).
func (rp retryPolicy) wait(attempt int) time.Duration {
	if rp.delay > 0 {
		return rp.delay
	}
	return time.Second << min(attempt, 6)
}

// do runs op, and runs it again after a delay while it fails with a
// transient error (see retryable), at most rp.retries more times. Each
// retry is announced as a warning naming what and the error.
func (rp retryPolicy) do(ctx context.Context, what string, op func() error) error {
	for attempt := 0; ; attempt++ {
		err := op()
		if err == nil || uint(attempt) >= rp.retries || !retryable(err) || ctx.Err() != nil {
			return err
		}
		d := rp.wait(attempt)
		logrus.Warnf("%s failed, retrying in %s (%d/%d): %v", what, d, attempt+1, rp.retries, err)
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
	}
}

// retryable reports whether err may go away by itself: the registry could
// not be reached, dropped the connection, timed out, or answered with a
// server error (5xx) or "too many requests". A missing image, refused
// credentials, TLS failures, bad content and cancellation are final.
func retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || isNotFound(err) {
		return false
	}
	var (
		status    docker.UnexpectedHTTPStatusError
		unauth    docker.ErrUnauthorizedForCredentials
		dnsErr    *net.DNSError
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		certErr   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
		errno     syscall.Errno
		netErr    net.Error
	)
	codes := errorCodes(err)
	switch {
	case errors.Is(err, docker.ErrTooManyRequests):
		return true
	case errors.As(err, &unauth), errors.As(err, &unknownCA), errors.As(err, &hostname),
		errors.As(err, &certErr), errors.As(err, &verifyErr), errors.As(err, &recordErr):
		return false
	case errors.As(err, &status):
		return status.StatusCode >= 500 || status.StatusCode == 429
	case len(codes) > 0:
		return slices.ContainsFunc(codes, serverErrorCode)
	case errors.As(err, &dnsErr):
		return dnsErr.IsTemporary || dnsErr.IsTimeout
	case errors.As(err, &errno):
		switch errno {
		case syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
			syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN:
			return true
		}
		return false
	case errors.As(err, &netErr) && netErr.Timeout():
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// serverErrorCode reports a registry error code that stands for a 5xx or 429
// answer.
func serverErrorCode(c errcode.ErrorCode) bool {
	s := c.Descriptor().HTTPStatusCode
	return s >= 500 || s == 429
}
