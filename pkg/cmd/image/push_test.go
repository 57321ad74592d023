package image

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdPush(t *testing.T) {
	tests := []cmdtest.ParseCase[PushOptions]{
		{Name: "source only", Args: []string{"reg.io/x/y:1"}, Want: PushOptions{Source: "reg.io/x/y:1", RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "destination", Args: []string{"alpine", "docker://reg.io/x/y"}, Want: PushOptions{Source: "alpine", Dest: "docker://reg.io/x/y", RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "flags", Args: []string{"-q", "--tls-verify=false", "--creds", "u:p", "--authfile", "/a.json", "--cert-dir", "/certs",
			"--digestfile", "/d", "-f", "oci", "--remove-signatures", "alpine", "oci:/dir:name"},
			Want: PushOptions{Source: "alpine", Dest: "oci:/dir:name", Quiet: true,
				DigestFile: "/d", Format: "oci", RemoveSignatures: true, RegistryFlags: cmdutil.RegistryFlags{TLSVerify: false, TLSSet: true, Creds: "u:p", AuthFile: "/a.json", CertDir: "/certs"}}},
		{Name: "compression", Args: []string{"--compression-format", "zstd", "--compression-level", "3", "--force-compression=false", "alpine", "reg.io/x"},
			Want: PushOptions{Source: "alpine", Dest: "reg.io/x", CompressionFormat: "zstd", CompressionLevel: 3, levelSet: true, forceSet: true, RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "docker compat", Args: []string{"--disable-content-trust", "--compress", "alpine", "dir:/d"},
			Want: PushOptions{Source: "alpine", Dest: "dir:/d", DisableContentTrust: true, Compress: true, RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "retry", Args: []string{"--retry", "0", "--retry-delay", "2s", "alpine"},
			Want: PushOptions{Source: "alpine", Retries: pushPtr(uint(0)), RetryDelay: pushPtr(2 * time.Second), RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "nothing", Args: nil, WantErr: true},
		{Name: "too many", Args: []string{"a", "b", "c"}, WantErr: true},
		{Name: "bad level", Args: []string{"--compression-level", "x", "alpine"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--bogus", "alpine"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdPush, func(f *cmdutil.Factory, got, want *PushOptions) { want.Factory = f })
}

func pushPtr[T any](v T) *T { return &v }

func TestRunPush(t *testing.T) {
	e := &cmdtest.FakeEngine{Err: map[string]error{"push nosuch": fmtNotKnown("nosuch")}}
	f, out := fakeFactory(e)
	digestFile := filepath.Join(t.TempDir(), "digest")
	level := 5
	if err := runPush(context.Background(), &PushOptions{Factory: f, Source: "alpine", Dest: "reg.io/x:1", DigestFile: digestFile,
		CompressionLevel: level, levelSet: true, Quiet: true}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(digestFile)
	if err != nil || string(data) != cmdtest.FakeDigest {
		t.Errorf("--digestfile holds %q (%v), want %q without a newline", data, err, cmdtest.FakeDigest)
	}
	if out() != "" {
		t.Errorf("push prints nothing on stdout, got %q", out())
	}

	err = runPush(context.Background(), &PushOptions{Factory: f, Source: "nosuch"})
	if !errors.Is(err, define.ErrNoSuchImage) || cmdutil.ExitCode(err) != 125 {
		t.Errorf("push of a missing image: %v (exit %d)", err, cmdutil.ExitCode(err))
	}
	err = runPush(context.Background(), &PushOptions{Factory: f, Source: "alpine", SignBy: "ABCD"})
	if !errors.Is(err, define.ErrInvalidArg) || cmdutil.ExitCode(err) != 125 {
		t.Errorf("push --sign-by: %v (exit %d), want a refusal", err, cmdutil.ExitCode(err))
	}
	if want := []string{"push alpine reg.io/x:1", "push nosuch"}; !reflect.DeepEqual(e.Calls, want) {
		t.Errorf("calls %q, want %q", e.Calls, want)
	}
}
