package image

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/signature"
	"go.podman.io/image/v5/types"
	"go.podman.io/storage/pkg/configfile"

	"github.com/pod-engine/pod/libpod/define"
)

// SystemOptions are the registry-related options shared by the commands that
// talk to registries (pull, push, login, run, create).
type SystemOptions struct {
	// AuthFile is the path of the auth file (--authfile). Empty means
	// $REGISTRY_AUTH_FILE, else the library's default lookup
	// ($XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json,
	// ~/.docker/config.json).
	AuthFile string
	// Creds is "user:password" (--creds); it overrides the auth file.
	Creds string
	// TLSVerify is --tls-verify; nil lets registries.conf decide.
	TLSVerify *bool
	// CertDir is --cert-dir: a directory of *.crt (CAs) and *.cert/*.key
	// pairs (client certificates) used for every registry. Empty means the
	// per-host directories $HOME/.config/containers/certs.d/HOST:PORT,
	// /etc/containers/certs.d/HOST:PORT and /etc/docker/certs.d/HOST:PORT.
	CertDir string
	// RegistriesConf is a registries.conf path; empty means the default
	// lookup, which honours CONTAINERS_REGISTRIES_CONF.
	RegistriesConf string
	// SignaturePolicy is a policy.json path (--signature-policy); empty means
	// the default lookup, which honours CONTAINERS_POLICY_JSON.
	SignaturePolicy string
	// BlobInfoCacheDir holds the blob-info cache that lets pulls reuse
	// layers; empty means the library's default (~/.local/share/containers/cache,
	// or /var/lib/containers/cache when the rootless uid reads as 0).
	BlobInfoCacheDir string
}

// CheckAuthFile refuses an --authfile that does not exist (the image
// library would silently use no credentials).
func CheckAuthFile(path string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("credential file is not accessible: %w: check --authfile: %w", err, define.ErrInvalidArg)
	}
	return nil
}

// SystemContext builds the image library's SystemContext from o.
func SystemContext(o SystemOptions) (*types.SystemContext, error) {
	sys := &types.SystemContext{
		SystemRegistriesConfPath: o.RegistriesConf,
		SignaturePolicyPath:      o.SignaturePolicy,
		BlobInfoCacheDir:         o.BlobInfoCacheDir,
		DockerCertPath:           o.CertDir,
	}
	switch {
	case o.AuthFile != "":
		sys.AuthFilePath = o.AuthFile
	case os.Getenv("REGISTRY_AUTH_FILE") != "":
		sys.AuthFilePath = os.Getenv("REGISTRY_AUTH_FILE")
	}
	if o.Creds != "" {
		auth, err := parseCreds(o.Creds)
		if err != nil {
			return nil, err
		}
		sys.DockerAuthConfig = auth
	}
	if o.TLSVerify != nil {
		if *o.TLSVerify {
			sys.DockerInsecureSkipTLSVerify = types.OptionalBoolFalse
			sys.OCIInsecureSkipTLSVerify = false
		} else {
			sys.DockerInsecureSkipTLSVerify = types.OptionalBoolTrue
			sys.OCIInsecureSkipTLSVerify = true
		}
	}
	return sys, nil
}

// parseCreds splits --creds "user:password". There is no password prompt, so
// both parts are required.
func parseCreds(creds string) (*types.DockerAuthConfig, error) {
	user, pass, ok := strings.Cut(creds, ":")
	switch {
	case user == "":
		return nil, fmt.Errorf("--creds %q: the user name must not be empty (use user:password): %w", creds, define.ErrInvalidArg)
	case !ok || pass == "":
		return nil, fmt.Errorf("--creds %q: no password given: use --creds user:password: %w", user, define.ErrInvalidArg)
	}
	return &types.DockerAuthConfig{Username: user, Password: pass}, nil
}

// insecureAcceptAnything is the policy used when no policy.json exists.
const insecureAcceptAnything = `{"default":[{"type":"insecureAcceptAnything"}]}`

// policyContext loads the signature policy for sys. An explicit
// SignaturePolicyPath must exist; when the default lookup finds no
// policy.json anywhere, a built-in accept-anything policy is used.
func policyContext(sys *types.SystemContext) (*signature.PolicyContext, error) {
	policy, err := signature.DefaultPolicy(sys)
	if err != nil {
		if sys.SignaturePolicyPath != "" || !errors.Is(err, configfile.ErrConfigFileNotFound) {
			return nil, fmt.Errorf("loading signature policy: %w", err)
		}
		logrus.Debugf("no policy.json found (%v): using the built-in insecureAcceptAnything policy", err)
		policy, err = signature.NewPolicyFromBytes([]byte(insecureAcceptAnything))
		if err != nil {
			return nil, fmt.Errorf("built-in signature policy: %w", err)
		}
	}
	pc, err := signature.NewPolicyContext(policy)
	if err != nil {
		return nil, fmt.Errorf("signature policy: %w", err)
	}
	return pc, nil
}
