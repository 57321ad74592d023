package image

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.podman.io/image/v5/types"

	"github.com/pod-engine/pod/libpod/define"
)

func TestSystemContext(t *testing.T) {
	t.Setenv("REGISTRY_AUTH_FILE", "")
	yes, no := true, false

	sys, err := SystemContext(SystemOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sys.AuthFilePath != "" || sys.DockerAuthConfig != nil || sys.DockerInsecureSkipTLSVerify != types.OptionalBoolUndefined {
		t.Errorf("defaults: %+v", sys)
	}

	sys, err = SystemContext(SystemOptions{
		AuthFile: "/a/auth.json", Creds: "alice:s3cr:et", TLSVerify: &no,
		RegistriesConf: "/r.conf", SignaturePolicy: "/p.json", BlobInfoCacheDir: "/cache",
	})
	if err != nil {
		t.Fatal(err)
	}
	if sys.AuthFilePath != "/a/auth.json" || sys.SystemRegistriesConfPath != "/r.conf" ||
		sys.SignaturePolicyPath != "/p.json" || sys.BlobInfoCacheDir != "/cache" {
		t.Errorf("paths: %+v", sys)
	}
	if sys.DockerAuthConfig == nil || sys.DockerAuthConfig.Username != "alice" || sys.DockerAuthConfig.Password != "s3cr:et" {
		t.Errorf("creds: %+v", sys.DockerAuthConfig)
	}
	if sys.DockerInsecureSkipTLSVerify != types.OptionalBoolTrue || !sys.OCIInsecureSkipTLSVerify {
		t.Errorf("tls-verify=false: %v %v", sys.DockerInsecureSkipTLSVerify, sys.OCIInsecureSkipTLSVerify)
	}

	sys, err = SystemContext(SystemOptions{TLSVerify: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if sys.DockerInsecureSkipTLSVerify != types.OptionalBoolFalse || sys.OCIInsecureSkipTLSVerify {
		t.Errorf("tls-verify=true: %v", sys.DockerInsecureSkipTLSVerify)
	}

	t.Setenv("REGISTRY_AUTH_FILE", "/env/auth.json")
	if sys, _ = SystemContext(SystemOptions{}); sys.AuthFilePath != "/env/auth.json" {
		t.Errorf("REGISTRY_AUTH_FILE: %q", sys.AuthFilePath)
	}
	if sys, _ = SystemContext(SystemOptions{AuthFile: "/flag.json"}); sys.AuthFilePath != "/flag.json" {
		t.Errorf("--authfile over REGISTRY_AUTH_FILE: %q", sys.AuthFilePath)
	}
}

func TestSystemContextBadCreds(t *testing.T) {
	for _, creds := range []string{"alice", "alice:", ":pass", ":"} {
		_, err := SystemContext(SystemOptions{Creds: creds})
		if !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("creds %q: err = %v, want ErrInvalidArg", creds, err)
		}
	}
	_, err := SystemContext(SystemOptions{Creds: "alice"})
	if err == nil || !strings.Contains(err.Error(), "user:password") {
		t.Errorf("creds without password: %v", err)
	}
}

func TestParsePullPolicy(t *testing.T) {
	for in, want := range map[string]PullPolicy{
		"always": PullAlways, "Always": PullAlways, "missing": PullMissing, "": PullMissing,
		"IfNotPresent": PullMissing, "never": PullNever, "newer": PullNewer, "ifnewer": PullNewer,
	} {
		got, err := ParsePullPolicy(in)
		if err != nil || got != want {
			t.Errorf("ParsePullPolicy(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"sometimes", "true", "alwayss"} {
		if _, err := ParsePullPolicy(in); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("ParsePullPolicy(%q) err = %v, want ErrInvalidArg", in, err)
		}
	}
}

func TestPolicyContext(t *testing.T) {
	root := t.TempDir()
	t.Setenv("HOME", root)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(root, ".config"))
	t.Setenv("CONTAINERS_POLICY_JSON", "")
	os.Unsetenv("CONTAINERS_POLICY_JSON")

	// No policy.json anywhere: the built-in policy is used.
	pc, err := policyContext(&types.SystemContext{RootForImplicitAbsolutePaths: root})
	if err != nil {
		t.Fatalf("no policy.json: %v", err)
	}
	_ = pc.Destroy()

	// An explicit path must exist.
	_, err = policyContext(&types.SystemContext{SignaturePolicyPath: filepath.Join(root, "missing.json")})
	if err == nil {
		t.Fatal("missing --signature-policy file: no error")
	}

	// A broken policy is an error, not a fallback.
	bad := filepath.Join(root, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"default":[{"type":"nonsense"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err = policyContext(&types.SystemContext{SignaturePolicyPath: bad}); err == nil {
		t.Fatal("invalid policy: no error")
	}
}

func TestCheckAuthFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "auth.json")
	if err := os.WriteFile(good, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CheckAuthFile(""); err != nil {
		t.Errorf("empty path: %v", err)
	}
	if err := CheckAuthFile(good); err != nil {
		t.Errorf("existing file: %v", err)
	}
	missing := filepath.Join(dir, "nope.json")
	err := CheckAuthFile(missing)
	if !errors.Is(err, define.ErrInvalidArg) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: error %v does not wrap ErrInvalidArg and ErrNotExist", err)
	}
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "--authfile") {
		t.Errorf("missing file: error %v does not name the file and the flag", err)
	}
}
