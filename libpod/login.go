package libpod

import (
	"context"

	"github.com/pod-engine/pod/libpod/image"
)

// Login checks credentials against a registry and stores them in the auth
// file (see image.Login).
func (r *Runtime) Login(ctx context.Context, o image.LoginOptions) (*image.LoginResult, error) {
	return image.Login(ctx, o)
}

// GetLogin returns the user name stored for registry (see image.GetLogin).
func (r *Runtime) GetLogin(o image.SystemOptions, registry string) (string, error) {
	return image.GetLogin(o, registry)
}

// Logout removes the credentials stored for registry, or all of them (see
// image.Logout), and returns the key removed.
func (r *Runtime) Logout(o image.SystemOptions, registry string, all bool) (string, error) {
	return image.Logout(o, registry, all)
}
