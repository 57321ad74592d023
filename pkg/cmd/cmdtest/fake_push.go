package cmdtest

import (
	"context"
	"strings"

	"github.com/pod-engine/pod/libpod/image"
)

// FakeDigest is the manifest digest the fake PushImage reports.
const FakeDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// PushImage records "push SOURCE [DEST]", fails as Err says (keys "push
// SOURCE"), and otherwise reports FakeDigest.
func (e *FakeEngine) PushImage(ctx context.Context, source, dest string, o image.PushOptions) (*image.PushResult, error) {
	if err := e.record(strings.TrimSpace("push "+source+" "+dest), source); err != nil {
		return nil, err
	}
	if !o.Quiet && o.Progress != nil {
		_, _ = o.Progress.Write([]byte("Writing manifest to image destination\n"))
	}
	return &image.PushResult{ID: strings.Repeat("a", 64), Destination: "docker://" + dest, Digest: FakeDigest}, nil
}

// Login records "login REGISTRY USER" (after asking o.Prompt for what is
// missing), fails as Err says (keys "login REGISTRY"), and otherwise
// reports the credentials stored under REGISTRY.
func (e *FakeEngine) Login(ctx context.Context, o image.LoginOptions) (*image.LoginResult, error) {
	user, password := o.Username, o.Password
	if (user == "" || password == "") && o.Prompt != nil {
		u, p, err := o.Prompt("", user == "")
		if err != nil {
			return nil, err
		}
		if user == "" {
			user = u
		}
		password = p
	}
	if err := e.record("login "+o.Registry+" "+user+":"+password, o.Registry); err != nil {
		return nil, err
	}
	return &image.LoginResult{Key: o.Registry, Stored: "/run/user/auth.json"}, nil
}

// GetLogin records "get-login REGISTRY", fails as Err says, and otherwise
// returns "user".
func (e *FakeEngine) GetLogin(o image.SystemOptions, registry string) (string, error) {
	if err := e.record("get-login "+registry, registry); err != nil {
		return "", err
	}
	return "user", nil
}

// Logout records "logout REGISTRY" or "logout --all", fails as Err says,
// and otherwise returns the registry.
func (e *FakeEngine) Logout(o image.SystemOptions, registry string, all bool) (string, error) {
	call := "logout " + registry
	if all {
		call = "logout --all"
	}
	if err := e.record(call, registry); err != nil {
		return "", err
	}
	return registry, nil
}
