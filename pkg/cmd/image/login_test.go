package image

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdLogin(t *testing.T) {
	tests := []cmdtest.ParseCase[LoginOptions]{
		{Name: "default registry", Args: nil, Want: LoginOptions{RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "flags", Args: []string{"-u", "me", "-p", "pw", "--authfile", "/a.json", "--cert-dir", "/c", "--tls-verify=false", "-v", "reg.io"},
			Want: LoginOptions{Registry: "reg.io", Username: "me", Password: "pw", Verbose: true, RegistryFlags: cmdutil.RegistryFlags{AuthFile: "/a.json", CertDir: "/c", TLSSet: true}}},
		{Name: "stdin", Args: []string{"--username", "me", "--password-stdin", "reg.io/ns/repo"},
			Want: LoginOptions{Registry: "reg.io/ns/repo", Username: "me", PasswordStdin: true, RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "get-login", Args: []string{"--get-login", "reg.io"}, Want: LoginOptions{Registry: "reg.io", GetLogin: true, RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}}},
		{Name: "stdin without user", Args: []string{"--password-stdin", "reg.io"}, WantErr: true},
		{Name: "stdin and password", Args: []string{"-u", "me", "-p", "x", "--password-stdin", "reg.io"}, WantErr: true},
		{Name: "two registries", Args: []string{"a.io", "b.io"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdLogin, func(f *cmdutil.Factory, got, want *LoginOptions) { want.Factory = f })
}

func TestNewCmdLogout(t *testing.T) {
	tests := []cmdtest.ParseCase[LogoutOptions]{
		{Name: "registry", Args: []string{"reg.io"}, Want: LogoutOptions{Registry: "reg.io"}},
		{Name: "all", Args: []string{"-a", "--authfile", "/a.json"}, Want: LogoutOptions{All: true, RegistryFlags: cmdutil.RegistryFlags{AuthFile: "/a.json"}}},
		{Name: "all and registry", Args: []string{"--all", "reg.io"}, WantErr: true},
		{Name: "two registries", Args: []string{"a.io", "b.io"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdLogout, func(f *cmdutil.Factory, got, want *LogoutOptions) { want.Factory = f })
}

func TestRunLoginLogout(t *testing.T) {
	e := &cmdtest.FakeEngine{Err: map[string]error{"logout other.io": errors.New("not logged into other.io")}}
	f, out := fakeFactory(e)
	if err := runLogin(context.Background(), &LoginOptions{Factory: f, Registry: "reg.io", Username: "me", Password: "pw", Verbose: true}); err != nil {
		t.Fatal(err)
	}
	if want := "Used:  /run/user/auth.json\nLogin Succeeded!\n"; out() != want {
		t.Errorf("login -v printed %q, want %q", out(), want)
	}

	// --password-stdin reads the whole of stdin without the line end.
	f.IOStreams.In = strings.NewReader("secret\r\n")
	if err := runLogin(context.Background(), &LoginOptions{Factory: f, Registry: "reg.io", Username: "me", PasswordStdin: true}); err != nil {
		t.Fatal(err)
	}
	f.IOStreams.In = &bytes.Buffer{}
	err := runLogin(context.Background(), &LoginOptions{Factory: f, Registry: "reg.io", Username: "me", PasswordStdin: true})
	if cmdutil.ExitCode(err) != 125 {
		t.Errorf("--password-stdin with empty stdin: %v", err)
	}

	if err := runLogin(context.Background(), &LoginOptions{Factory: f, Registry: "reg.io", GetLogin: true}); err != nil {
		t.Fatal(err)
	}
	if err := runLogout(&LogoutOptions{Factory: f, Registry: "reg.io"}); err != nil {
		t.Fatal(err)
	}
	if err := runLogout(&LogoutOptions{Factory: f, All: true}); err != nil {
		t.Fatal(err)
	}
	if err := runLogout(&LogoutOptions{Factory: f, Registry: "other.io"}); err == nil || cmdutil.ExitCode(err) != 125 {
		t.Errorf("logout of a registry without credentials: %v", err)
	}
	want := "Used:  /run/user/auth.json\nLogin Succeeded!\nLogin Succeeded!\nuser\n" +
		"Removed login credentials for reg.io\nRemoved login credentials for all registries\n"
	if out() != want {
		t.Errorf("printed %q, want %q", out(), want)
	}
	wantCalls := []string{"login reg.io me:pw", "login reg.io me:secret", "get-login reg.io", "logout reg.io", "logout --all", "logout other.io"}
	if !reflect.DeepEqual(e.Calls, wantCalls) {
		t.Errorf("calls %q, want %q", e.Calls, wantCalls)
	}
}
