package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// authKeys lists the keys of the "auths" object of an auth file (nil when it does not exist).
func authKeys(t testing.TB, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Auths map[string]json.RawMessage `json:"auths"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("auth file %s: %v: %s", path, err, data)
	}
	keys := []string{}
	for k := range f.Auths {
		keys = append(keys, k)
	}
	return keys
}

// TestLogin logs in to the TLS registry, pushes with the stored credentials, logs out and is
// refused again.
func TestLogin(t *testing.T) {
	reg := tlsRegistry(t)
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	authFile := filepath.Join(e.RunDir, "containers", "auth.json")
	certDir := "--cert-dir=" + tlsRegistryDir()
	dest := reg + "/" + pushRepo("login") + ":1"

	r := e.Pod(t, "login", certDir, "-u", tlsUser, "-p", "wrong", reg)
	expectExit(t, r, 125)
	expectErrorLine(t, r, reg, "invalid username/password")
	if keys := authKeys(t, authFile); len(keys) != 0 {
		t.Errorf("a failed login stored credentials: %q", keys)
	}

	r = e.Pod(t, "login", certDir, "-u", tlsUser, "-p", tlsPass, reg)
	expectExit(t, r, 0)
	expectStdout(t, r, "Login Succeeded!\n")
	if keys := authKeys(t, authFile); len(keys) != 1 || keys[0] != reg {
		t.Errorf("login stored %q in %s, want [%s]", keys, authFile, reg)
	}
	r = e.MustPod(t, "login", certDir, reg)
	if !strings.Contains(r.Stdout, "Already logged in to "+reg) {
		t.Errorf("login with stored valid credentials: %s", r.describe())
	}
	expectStdout(t, e.MustPod(t, "login", "--get-login", reg), tlsUser+"\n")

	// The stored credentials serve push (and pull).
	e.MustPod(t, "push", "-q", certDir, "alpine", dest)

	r = e.MustPod(t, "logout", reg)
	expectStdout(t, r, "Removed login credentials for "+reg+"\n")
	r = e.Pod(t, "push", "-q", certDir, "alpine", dest)
	expectExit(t, r, 125)
	expectErrorLine(t, r, reg, "authentication required")
	r = e.Pod(t, "logout", reg)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "not logged into "+reg)
	r = e.Pod(t, "login", "--get-login", reg)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "not logged into "+reg)
}

// TestLoginPasswordStdinAndAll: --password-stdin, a second registry key, logout --all.
func TestLoginPasswordStdinAndAll(t *testing.T) {
	reg := tlsRegistry(t)
	e := NewEnv(t, EnvOptions{})
	authFile := filepath.Join(e.RunDir, "containers", "auth.json")
	certDir := "--cert-dir=" + tlsRegistryDir()

	r := e.PodOpt(t, RunOpts{Stdin: tlsPass2 + "\n"}, "login", certDir, "-u", tlsUser2, "--password-stdin", reg)
	expectExit(t, r, 0)
	expectStdout(t, r, "Login Succeeded!\n")
	expectStdout(t, e.MustPod(t, "login", "--get-login", reg), tlsUser2+"\n")

	// Credentials for one repository are kept under their own key.
	repoKey := reg + "/pod-e2e/only"
	e.MustPod(t, "login", certDir, "-u", tlsUser, "-p", tlsPass, repoKey)
	expectStdout(t, e.MustPod(t, "login", "--get-login", repoKey), tlsUser+"\n")
	expectStdout(t, e.MustPod(t, "login", "--get-login", reg), tlsUser2+"\n")
	if keys := authKeys(t, authFile); len(keys) != 2 {
		t.Errorf("auth file keys %q, want %s and %s", keys, reg, repoKey)
	}

	r = e.MustPod(t, "logout", "--all")
	expectStdout(t, r, "Removed login credentials for all registries\n")
	if keys := authKeys(t, authFile); len(keys) != 0 {
		t.Errorf("logout --all left %q", keys)
	}
	expectExit(t, e.Pod(t, "login", "--get-login", reg), 125)

	// Usage errors.
	for _, args := range [][]string{
		{"login", "--password-stdin", reg},                       // needs --username
		{"login", "-u", "x", "-p", "y", "--password-stdin", reg}, // both
		{"logout", "-a", reg},
		{"login", reg, reg},
	} {
		r = e.Pod(t, args...)
		expectExit(t, r, 125)
		expectErrorLine(t, r)
	}
}

// TestLoginAuthFile: REGISTRY_AUTH_FILE and --authfile choose the file login writes and push
// reads.
func TestLoginAuthFile(t *testing.T) {
	reg := tlsRegistry(t)
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	certDir := "--cert-dir=" + tlsRegistryDir()
	envFile := filepath.Join(e.Home, "env-auth.json")
	flagFile := filepath.Join(e.Home, "flag-auth.json")
	withEnv := RunOpts{Env: []string{"REGISTRY_AUTH_FILE=" + envFile}}

	expectExit(t, e.PodOpt(t, withEnv, "login", certDir, "-u", tlsUser, "-p", tlsPass, reg), 0)
	if keys := authKeys(t, envFile); len(keys) != 1 {
		t.Errorf("REGISTRY_AUTH_FILE %s holds %q after login", envFile, keys)
	}
	if keys := authKeys(t, filepath.Join(e.RunDir, "containers", "auth.json")); len(keys) != 0 {
		t.Errorf("login with REGISTRY_AUTH_FILE also wrote the default auth file: %q", keys)
	}
	expectExit(t, e.PodOpt(t, withEnv, "push", "-q", certDir, "alpine", reg+"/"+pushRepo("authfile")+":1"), 0)
	// Without the variable the credentials are not found.
	r := e.Pod(t, "push", "-q", certDir, "alpine", reg+"/"+pushRepo("authfile")+":1")
	expectExit(t, r, 125)
	expectErrorLine(t, r, reg)

	// --authfile wins over the variable.
	r = e.PodOpt(t, withEnv, "login", certDir, "-v", "--authfile", flagFile, "-u", tlsUser2, "-p", tlsPass2, reg)
	expectExit(t, r, 0)
	if !strings.Contains(r.Stdout, flagFile) || !strings.HasSuffix(r.Stdout, "Login Succeeded!\n") {
		t.Errorf("login -v should name %s, then succeed: %s", flagFile, r.describe())
	}
	expectStdout(t, e.PodOpt(t, withEnv, "login", "--get-login", "--authfile", flagFile, reg), tlsUser2+"\n")
	expectStdout(t, e.PodOpt(t, withEnv, "login", "--get-login", reg), tlsUser+"\n")

	// A missing --authfile is an error for push and logout.
	missing := filepath.Join(e.Home, "missing.json")
	r = e.Pod(t, "push", "-q", "--authfile", missing, certDir, "alpine", reg+"/x/y:1")
	expectExit(t, r, 125)
	expectErrorLine(t, r, missing)
	r = e.Pod(t, "logout", "--authfile", missing, reg)
	expectExit(t, r, 125)
	expectErrorLine(t, r, missing)
}

// TestLoginPrompt: without a terminal a missing password is an error; on a terminal login
// asks for the user name and the password.
func TestLoginPrompt(t *testing.T) {
	reg := tlsRegistry(t)
	e := NewEnv(t, EnvOptions{})
	certDir := "--cert-dir=" + tlsRegistryDir()

	r := e.Pod(t, "login", certDir, "-u", tlsUser, reg)
	expectExit(t, r, 125)
	if !cfg.podman {
		expectErrorLine(t, r, reg, "terminal", "--password-stdin")
	}

	r = e.PodOpt(t, RunOpts{TTY: true, Stdin: tlsUser + "\n" + tlsPass + "\n"}, "login", certDir, reg)
	expectExit(t, r, 0)
	for _, want := range []string{"Username: ", "Password: ", "Login Succeeded!"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("login on a terminal should print %q: %s", want, r.describe())
		}
	}
	expectStdout(t, e.MustPod(t, "login", "--get-login", reg), tlsUser+"\n")
}
