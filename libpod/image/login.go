package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.podman.io/image/v5/docker"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/pkg/docker/config"
	"go.podman.io/image/v5/pkg/sysregistriesv2"
	"go.podman.io/image/v5/types"

	"github.com/pod-engine/pod/libpod/define"
)

// LoginOptions configure Login.
type LoginOptions struct {
	// System carries --authfile, --tls-verify and --cert-dir (Creds is
	// ignored).
	System SystemOptions
	// Registry is "HOST[:PORT]" or "HOST[:PORT]/NAMESPACE[/REPO]" (credentials
	// for one repository or namespace), optionally with an http://, https://
	// or docker:// prefix; "" means the first unqualified-search registry of
	// registries.conf.
	Registry string
	// Username and Password are the credentials given; empty ones are asked
	// for through Prompt.
	Username string
	Password string
	// Prompt asks for the user name (when user is "": defaultUser is the one
	// already stored, if any) and the password. nil means nothing can be
	// asked: missing credentials are an error.
	Prompt func(defaultUser string, askUser bool) (user, password string, err error)
	// Out receives what login reports while it works: that existing
	// credentials are tried, and whether they are valid. nil discards it.
	Out io.Writer
}

// LoginResult is what Login did.
type LoginResult struct {
	// Key is the auth file key the credentials are stored under.
	Key string
	// AlreadyLoggedIn: the stored credentials were valid; nothing written.
	AlreadyLoggedIn bool
	// Stored names where the credentials were written (the auth file).
	Stored string
}

// Login checks credentials against the registry and stores them in the auth
// file (see SystemOptions.AuthFile) under the registry or repository key.
// Without a user name and password, credentials already stored for the key
// are tried first; if they are valid nothing is written.
//
// Errors name the registry: refused credentials ("logging into
// "HOST": invalid username/password") and unreachable registries wrap
// define.ErrRegistry; missing credentials that cannot be asked for, a
// malformed key or bad options wrap define.ErrInvalidArg.
func Login(ctx context.Context, o LoginOptions) (*LoginResult, error) {
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	sys, err := SystemContext(SystemOptions{AuthFile: o.System.AuthFile, TLSVerify: o.System.TLSVerify,
		CertDir: o.System.CertDir, RegistriesConf: o.System.RegistriesConf})
	if err != nil {
		return nil, err
	}
	key, registry, err := credentialsKey(sys, o.Registry)
	if err != nil {
		return nil, err
	}
	stored, err := config.GetCredentials(sys, key)
	if err != nil {
		return nil, fmt.Errorf("reading credentials for %s: %w", key, err)
	}
	user, password := o.Username, o.Password
	if user == "" && password == "" && stored.Username != "" && stored.Password != "" {
		fmt.Fprintf(out, "Authenticating with existing credentials for %s\n", key)
		if err := docker.CheckAuth(ctx, sys, stored.Username, stored.Password, registry); err == nil {
			fmt.Fprintf(out, "Existing credentials are valid. Already logged in to %s\n", registry)
			return &LoginResult{Key: key, AlreadyLoggedIn: true}, nil
		}
		fmt.Fprintln(out, "Existing credentials are invalid, please enter valid username and password")
	}
	if user == "" || password == "" {
		if o.Prompt == nil {
			what := "no password given"
			if user == "" {
				what = "no user name and password given"
			}
			return nil, fmt.Errorf("logging into %q: %s and stdin is not a terminal to ask: pass --username with --password or --password-stdin%.0w", key, what, define.ErrInvalidArg)
		}
		askUser := user == ""
		u, p, err := o.Prompt(stored.Username, askUser)
		if err != nil {
			return nil, fmt.Errorf("logging into %q: %w", key, err)
		}
		if askUser {
			user = u
		}
		password = p
		if user == "" || password == "" {
			return nil, fmt.Errorf("logging into %q: user name and password must not be empty%.0w", key, define.ErrInvalidArg)
		}
	}
	if err := docker.CheckAuth(ctx, sys, user, password, registry); err != nil {
		if isUnauthorized(err) {
			return nil, fmt.Errorf("logging into %q: invalid username/password%.0w", key, define.ErrRegistry)
		}
		return nil, fmt.Errorf("authenticating creds for %q: %w%.0w", key, err, define.ErrRegistry)
	}
	where, err := config.SetCredentials(sys, key, user, password)
	if err != nil {
		return nil, fmt.Errorf("storing credentials for %s: %w", key, err)
	}
	return &LoginResult{Key: key, Stored: where}, nil
}

// GetLogin returns the user name stored for registry (as in
// LoginOptions.Registry); an error wrapping define.ErrInvalidArg when there
// is none ("not logged into HOST").
func GetLogin(o SystemOptions, registry string) (string, error) {
	sys, err := SystemContext(SystemOptions{AuthFile: o.AuthFile, RegistriesConf: o.RegistriesConf})
	if err != nil {
		return "", err
	}
	key, _, err := credentialsKey(sys, registry)
	if err != nil {
		return "", err
	}
	creds, err := config.GetCredentials(sys, key)
	if err != nil {
		return "", fmt.Errorf("reading credentials for %s: %w", key, err)
	}
	if creds.Username == "" {
		return "", fmt.Errorf("not logged into %s%.0w", key, define.ErrInvalidArg)
	}
	return creds.Username, nil
}

// Logout removes the credentials stored for registry (as in
// LoginOptions.Registry), or every credential of the auth file with all,
// and returns the key removed ("" with all). Credentials that exist only in
// another file (Docker's config.json) are left alone and named in the error.
func Logout(o SystemOptions, registry string, all bool) (string, error) {
	if err := CheckAuthFile(o.AuthFile); err != nil {
		return "", err
	}
	sys, err := SystemContext(SystemOptions{AuthFile: o.AuthFile, RegistriesConf: o.RegistriesConf})
	if err != nil {
		return "", err
	}
	if all {
		if err := config.RemoveAllAuthentication(sys); err != nil {
			return "", fmt.Errorf("removing all credentials: %w", err)
		}
		return "", nil
	}
	key, _, err := credentialsKey(sys, registry)
	if err != nil {
		return "", err
	}
	err = config.RemoveAuthentication(sys, key)
	if errors.Is(err, config.ErrNotLoggedIn) {
		if creds, gerr := config.GetCredentials(sys, key); gerr == nil && creds.Username != "" && sys.AuthFilePath == "" {
			return "", fmt.Errorf("not logged into %s with pod: the credentials come from another file (docker login?); remove them with the tool that stored them%.0w", key, define.ErrInvalidArg)
		}
		return "", fmt.Errorf("not logged into %s%.0w", key, define.ErrInvalidArg)
	}
	if err != nil {
		return "", fmt.Errorf("removing credentials for %s: %w", key, err)
	}
	return key, nil
}

// credentialsKey returns the auth file key for what the user gave (without
// a scheme or trailing slash) and the registry host in it. An empty input
// is the first unqualified-search registry of registries.conf.
func credentialsKey(sys *types.SystemContext, input string) (key, registry string, err error) {
	key = input
	for _, scheme := range []string{"docker://", "https://", "http://"} {
		key = strings.TrimPrefix(key, scheme)
	}
	key = strings.TrimSuffix(key, "/")
	if key == "" {
		regs, err := sysregistriesv2.UnqualifiedSearchRegistries(sys)
		if err != nil {
			return "", "", fmt.Errorf("reading registries.conf: %w", err)
		}
		if len(regs) == 0 {
			return "", "", fmt.Errorf("no registry given and registries.conf lists no unqualified-search registries: name one (pod login HOST[:PORT])%.0w", define.ErrInvalidArg)
		}
		key = regs[0]
	}
	registry, _, namespaced := strings.Cut(key, "/")
	check := key
	if !namespaced {
		check = key + "/x"
	}
	named, err := reference.ParseNormalizedNamed(check)
	if err != nil {
		return "", "", badReference(input, err)
	}
	if reference.Domain(named) != registry && !(registry == "docker.io" && reference.Domain(named) == "docker.io") {
		return "", "", fmt.Errorf("%s: not a registry: name one as HOST[:PORT] (or HOST[:PORT]/REPOSITORY)%.0w", input, define.ErrBadReference)
	}
	if _, tagged := named.(reference.Tagged); tagged {
		return "", "", fmt.Errorf("%s: credentials belong to a registry or repository, not to a tag: drop the tag%.0w", input, define.ErrBadReference)
	}
	if _, digested := named.(reference.Digested); digested {
		return "", "", fmt.Errorf("%s: credentials belong to a registry or repository, not to a digest: drop the digest%.0w", input, define.ErrBadReference)
	}
	return key, registry, nil
}
