package container

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"

	"github.com/pod-engine/pod/libpod/define"
)

func TestNewCmdStart(t *testing.T) {
	tests := []cmdtest.ParseCase[StartOptions]{
		{Name: "one", Args: []string{"web"}, Want: StartOptions{DetachKeys: "ctrl-p,ctrl-q", SigProxy: true, Names: []string{"web"}}},
		{Name: "several", Args: []string{"a", "b", "c"}, Want: StartOptions{DetachKeys: "ctrl-p,ctrl-q", SigProxy: true, Names: []string{"a", "b", "c"}}},
		{Name: "attach", Args: []string{"-a", "web"}, Want: StartOptions{DetachKeys: "ctrl-p,ctrl-q", SigProxy: true, Attach: true, Names: []string{"web"}}},
		{Name: "attach interactive", Args: []string{"-ai", "web"}, Want: StartOptions{DetachKeys: "ctrl-p,ctrl-q", SigProxy: true, Attach: true, Interactive: true, Names: []string{"web"}}},
		{Name: "long flags after name", Args: []string{"web", "--attach", "--interactive"}, Want: StartOptions{DetachKeys: "ctrl-p,ctrl-q", SigProxy: true, Attach: true, Interactive: true, Names: []string{"web"}}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "detach keys", Args: []string{"-a", "--detach-keys", "ctrl-x", "--sig-proxy=false", "web"}, Want: StartOptions{DetachKeys: "ctrl-x", Attach: true, Names: []string{"web"}}},
		{Name: "flag only", Args: []string{"-a"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--bogus", "web"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdStart, func(f *cmdutil.Factory, got, want *StartOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil // cobra passes an empty, non-nil slice
		}
	})
}

// start -a with several containers is refused before the engine is opened.
func TestRunStartAttachSeveral(t *testing.T) {
	f, _, _ := testFactory()
	err := runStart(context.Background(), &StartOptions{Factory: f, Attach: true, Names: []string{"a", "b"}})
	if !isUsage(err) || !strings.Contains(err.Error(), define.ErrInvalidArg.Error()) {
		t.Fatalf("error %v, want a usage error saying invalid argument", err)
	}
}

func TestNewCmdWait(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    []string
		wantErr bool
	}{
		{name: "one", args: []string{"web"}, want: []string{"web"}},
		{name: "several", args: []string{"a", "b"}, want: []string{"a", "b"}},
		{name: "none", wantErr: true},
		{name: "unknown flag", args: []string{"--bogus", "1", "a"}, wantErr: true},
		{name: "latest and a name", args: []string{"-l", "a"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory()
			var got *WaitOptions
			err := execute(NewCmdWait(f, func(o *WaitOptions) error { got = o; return nil }), tt.args)
			if !checkErr(t, err, tt.wantErr, got != nil) {
				return
			}
			if got.Factory != f || !reflect.DeepEqual(got.Names, tt.want) {
				t.Errorf("got %+v, want names %q", *got, tt.want)
			}
		})
	}
}

func TestNewCmdCleanup(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    []string
		wantErr bool
	}{
		{name: "one id", args: []string{"0123abcd"}, want: []string{"0123abcd"}},
		{name: "several", args: []string{"a", "b"}, want: []string{"a", "b"}},
		{name: "none", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory()
			var got *CleanupOptions
			cmd := NewCmdCleanup(f, func(o *CleanupOptions) error { got = o; return nil })
			if !cmd.Hidden {
				t.Error("cleanup is an internal command and must be hidden")
			}
			err := execute(cmd, tt.args)
			if tt.wantErr {
				// cobra's own argument check: still an error (exit 125).
				if err == nil || got != nil {
					t.Fatalf("err %v, runF called %v", err, got != nil)
				}
				return
			}
			if err != nil || got == nil || !reflect.DeepEqual(got.Names, tt.want) {
				t.Fatalf("err %v, options %+v, want names %q", err, got, tt.want)
			}
		})
	}
}
