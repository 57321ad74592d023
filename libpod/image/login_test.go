package image

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestCredentialsKey(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "registries.conf")
	if err := os.WriteFile(conf, []byte(`unqualified-search-registries = ["quay.io", "docker.io"]`), 0o644); err != nil {
		t.Fatal(err)
	}
	sys, err := SystemContext(SystemOptions{RegistriesConf: conf})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, key, registry string }{
		{"", "quay.io", "quay.io"},
		{"127.0.0.1:5001", "127.0.0.1:5001", "127.0.0.1:5001"},
		{"https://127.0.0.1:5001/", "127.0.0.1:5001", "127.0.0.1:5001"},
		{"docker://localhost:5000", "localhost:5000", "localhost:5000"},
		{"reg.io/ns/repo", "reg.io/ns/repo", "reg.io"},
		{"localhost", "localhost", "localhost"},
		{"docker.io", "docker.io", "docker.io"},
	} {
		key, reg, err := credentialsKey(sys, tc.in)
		if err != nil || key != tc.key || reg != tc.registry {
			t.Errorf("credentialsKey(%q) = %q, %q, %v; want %q, %q", tc.in, key, reg, err, tc.key, tc.registry)
		}
	}
	for _, in := range []string{"reg.io/ns/repo:tag", "reg.io/repo@sha256:" + strings.Repeat("a", 64), "Bad!"} {
		if _, _, err := credentialsKey(sys, in); !errors.Is(err, define.ErrBadReference) {
			t.Errorf("credentialsKey(%q): %v, want a bad reference", in, err)
		}
	}

	empty := filepath.Join(t.TempDir(), "registries.conf")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	sys, _ = SystemContext(SystemOptions{RegistriesConf: empty})
	if _, _, err := credentialsKey(sys, ""); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("no registry and no unqualified-search registries: %v", err)
	}
}

// TestGetLoginLogout reads and removes credentials of an auth file written by hand (login
// itself needs a registry: see the end-to-end tests).
func TestGetLoginLogout(t *testing.T) {
	auth := filepath.Join(t.TempDir(), "auth.json")
	// "me:pw" and "other:pw".
	data := `{"auths":{"reg.io":{"auth":"bWU6cHc="},"reg.io/ns/repo":{"auth":"b3RoZXI6cHc="}}}`
	if err := os.WriteFile(auth, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	o := SystemOptions{AuthFile: auth}
	for reg, want := range map[string]string{"reg.io": "me", "https://reg.io": "me", "reg.io/ns/repo": "other", "reg.io/ns/other": "me"} {
		if got, err := GetLogin(o, reg); err != nil || got != want {
			t.Errorf("GetLogin(%s) = %q, %v; want %q", reg, got, err, want)
		}
	}
	if _, err := GetLogin(o, "other.io"); err == nil || err.Error() != "not logged into other.io" {
		t.Errorf("GetLogin of an unknown registry: %v", err)
	}

	if key, err := Logout(o, "reg.io/ns/repo", false); err != nil || key != "reg.io/ns/repo" {
		t.Fatalf("Logout(reg.io/ns/repo) = %q, %v", key, err)
	}
	if got, _ := GetLogin(o, "reg.io/ns/repo"); got != "me" {
		t.Errorf("after logout of the repository its key falls back to the registry's: %q", got)
	}
	if _, err := Logout(o, "reg.io/ns/repo", false); err == nil || !strings.Contains(err.Error(), "not logged into reg.io/ns/repo") {
		t.Errorf("second logout: %v", err)
	}
	if _, err := Logout(o, "", true); err != nil {
		t.Fatal(err)
	}
	if _, err := GetLogin(o, "reg.io"); err == nil {
		t.Error("GetLogin after logout --all found credentials")
	}
	if _, err := Logout(SystemOptions{AuthFile: auth + ".missing"}, "reg.io", false); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("logout with a missing --authfile: %v", err)
	}
}

func TestLoginWithoutPassword(t *testing.T) {
	_, err := Login(context.Background(), LoginOptions{System: SystemOptions{AuthFile: filepath.Join(t.TempDir(), "a.json")},
		Registry: "reg.invalid", Username: "me"})
	if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "terminal") {
		t.Errorf("login without a password and without a prompt: %v", err)
	}
}
