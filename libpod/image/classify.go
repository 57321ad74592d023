package image

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"net"
	"net/url"
	"slices"
	"strings"
	"syscall"

	"github.com/docker/distribution/registry/api/errcode"
	v2 "github.com/docker/distribution/registry/api/v2"
	"go.podman.io/image/v5/docker"

	"github.com/pod-engine/pod/libpod/define"
)

// classify returns the sentinel a pull error should wrap: define.ErrNoSuchImage
// when the source does not have the image, define.ErrRegistry when the
// registry cannot be reached or refuses the request, nil otherwise.
func classify(err error) error {
	switch {
	case isNotFound(err):
		return define.ErrNoSuchImage
	case isRegistryError(err):
		return define.ErrRegistry
	}
	return nil
}

// isNotFound reports a "manifest unknown" / "name unknown" answer from a
// registry, or a missing local source (oci layout, archive, directory).
func isNotFound(err error) bool {
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if slices.ContainsFunc(errorCodes(err), isNotFoundCode) {
		return true
	}
	msg := err.Error()
	return strings.HasSuffix(msg, "manifest unknown") || strings.HasSuffix(msg, "name unknown") ||
		strings.HasSuffix(msg, ": not found") || strings.HasSuffix(msg, "Not Found")
}

func isNotFoundCode(c errcode.ErrorCode) bool {
	return c == v2.ErrorCodeManifestUnknown || c == v2.ErrorCodeNameUnknown
}

// isUnauthorized reports a registry refusing the credentials given, or
// asking for some when none were.
func isUnauthorized(err error) bool {
	var unauth docker.ErrUnauthorizedForCredentials
	if errors.As(err, &unauth) {
		return true
	}
	return slices.ContainsFunc(errorCodes(err), isUnauthorizedCode)
}

func isUnauthorizedCode(c errcode.ErrorCode) bool {
	return c == errcode.ErrorCodeUnauthorized || c == errcode.ErrorCodeDenied
}

// errorCodes returns the registry error codes err carries: the code of
// the first error coder in its chain and those of the entries of the first
// error list in it. None when the registry gave no code.
func errorCodes(err error) []errcode.ErrorCode {
	var codes []errcode.ErrorCode
	var coder errcode.ErrorCoder
	if errors.As(err, &coder) {
		codes = append(codes, coder.ErrorCode())
	}
	var list errcode.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			if errors.As(e, &coder) {
				codes = append(codes, coder.ErrorCode())
			}
		}
	}
	return codes
}

// isRegistryError reports network, TLS, authentication and other errors
// returned by a registry.
func isRegistryError(err error) bool {
	var (
		opErr      *net.OpError
		dnsErr     *net.DNSError
		urlErr     *url.Error
		coder      errcode.ErrorCoder
		list       errcode.Errors
		unauth     docker.ErrUnauthorizedForCredentials
		status     docker.UnexpectedHTTPStatusError
		unknownCA  x509.UnknownAuthorityError
		hostname   x509.HostnameError
		certErr    x509.CertificateInvalidError
		verifyErr  *tls.CertificateVerificationError
		recordErr  tls.RecordHeaderError
		syscallErr syscall.Errno
	)
	switch {
	case errors.As(err, &opErr), errors.As(err, &dnsErr), errors.As(err, &urlErr),
		errors.As(err, &coder), errors.As(err, &list), errors.As(err, &unauth),
		errors.As(err, &status), errors.As(err, &unknownCA), errors.As(err, &hostname),
		errors.As(err, &certErr), errors.As(err, &verifyErr), errors.As(err, &recordErr),
		errors.Is(err, docker.ErrTooManyRequests):
		return true
	case errors.As(err, &syscallErr):
		return syscallErr == syscall.ECONNREFUSED || syscallErr == syscall.ECONNRESET ||
			syscallErr == syscall.EHOSTUNREACH || syscallErr == syscall.ENETUNREACH || syscallErr == syscall.ETIMEDOUT
	}
	return strings.Contains(err.Error(), "pinging container registry")
}
