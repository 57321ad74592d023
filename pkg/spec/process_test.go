package spec

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func strp(s string) *string { return &s }

func TestProcessArgs(t *testing.T) {
	img := ImageConfig{Entrypoint: []string{"/entry"}, Cmd: []string{"cmd", "arg"}}
	cmdOnly := ImageConfig{Cmd: []string{"/bin/sh"}}
	tests := []struct {
		name       string
		img        ImageConfig
		entrypoint *string
		command    []string
		want       []string
		wantErr    bool
	}{
		{name: "image entrypoint and cmd", img: img, want: []string{"/entry", "cmd", "arg"}},
		{name: "command replaces cmd", img: img, command: []string{"x", "y"}, want: []string{"/entry", "x", "y"}},
		{name: "image cmd only", img: cmdOnly, want: []string{"/bin/sh"}},
		{name: "command replaces image cmd", img: cmdOnly, command: []string{"true"}, want: []string{"true"}},
		{name: "image entrypoint only", img: ImageConfig{Entrypoint: []string{"/e", "-x"}}, want: []string{"/e", "-x"}},
		{name: "entrypoint word drops image cmd", img: img, entrypoint: strp("/bin/echo"), want: []string{"/bin/echo"}},
		{name: "entrypoint word with command", img: img, entrypoint: strp("/bin/echo"), command: []string{"hi"}, want: []string{"/bin/echo", "hi"}},
		{name: "entrypoint json", img: img, entrypoint: strp(`["/bin/sh","-c"]`), command: []string{"echo hi"}, want: []string{"/bin/sh", "-c", "echo hi"}},
		{name: "entrypoint with spaces is one word", img: cmdOnly, entrypoint: strp("/bin/sh -c"), want: []string{"/bin/sh -c"}},
		{name: "entrypoint bad json is one word", img: cmdOnly, entrypoint: strp(`["/bin/sh"`), want: []string{`["/bin/sh"`}},
		{name: "empty entrypoint with command", img: img, entrypoint: strp(""), command: []string{"ls", "-l"}, want: []string{"ls", "-l"}},
		{name: "empty entrypoint without command", img: img, entrypoint: strp(""), wantErr: true},
		{name: "empty json entrypoint without command", img: img, entrypoint: strp("[]"), wantErr: true},
		{name: "nothing at all", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ProcessArgs(tt.img, tt.entrypoint, tt.command)
			if tt.wantErr {
				if !errors.Is(err, define.ErrInvalidArg) {
					t.Fatalf("err = %v, want ErrInvalidArg", err)
				}
				if !strings.Contains(err.Error(), "no command specified") {
					t.Fatalf("err = %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProcessArgsDoesNotAlias(t *testing.T) {
	img := ImageConfig{Entrypoint: make([]string, 1, 10), Cmd: []string{"a"}}
	img.Entrypoint[0] = "/e"
	got, err := ProcessArgs(img, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got[0] = "changed"
	if img.Entrypoint[0] != "/e" {
		t.Fatal("ProcessArgs result aliases the image entrypoint")
	}
}

func TestMergeEnv(t *testing.T) {
	host := []string{"HOME=/home/me", "FOO=host", "LC_ALL=C", "LC_TIME=en", "EMPTY=", "FOO=second"}
	tests := []struct {
		name                  string
		defaults, image, user []string
		want                  []string
	}{
		{
			name:     "defaults only",
			defaults: []string{"PATH=/bin", "container=pod"},
			want:     []string{"PATH=/bin", "container=pod"},
		},
		{
			name:     "image overrides default keeping position",
			defaults: []string{"PATH=/bin", "container=pod"},
			image:    []string{"A=1", "PATH=/usr/bin"},
			want:     []string{"PATH=/usr/bin", "container=pod", "A=1"},
		},
		{
			name:     "user overrides image",
			defaults: []string{"PATH=/bin"},
			image:    []string{"A=1", "B=2"},
			user:     []string{"B=3", "C=4", "A=5"},
			want:     []string{"PATH=/bin", "A=5", "B=3", "C=4"},
		},
		{
			name: "value with equals sign",
			user: []string{"X=a=b", "Y="},
			want: []string{"X=a=b", "Y="},
		},
		{
			name: "host lookup, first host value wins, unset skipped",
			user: []string{"FOO", "NOPE", "EMPTY"},
			want: []string{"FOO=host", "EMPTY="},
		},
		{
			name:  "host lookup overrides image",
			image: []string{"FOO=img"},
			user:  []string{"FOO"},
			want:  []string{"FOO=host"},
		},
		{
			name: "host prefix glob",
			user: []string{"LC_*"},
			want: []string{"LC_ALL=C", "LC_TIME=en"},
		},
		{
			name: "last user value wins",
			user: []string{"A=1", "A=2"},
			want: []string{"A=2"},
		},
		{
			name:  "image entry without equals and empty name",
			image: []string{"BARE", "=x"},
			want:  []string{"BARE="},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MergeEnv(tt.defaults, tt.image, tt.user, host)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDefaultEnv(t *testing.T) {
	tests := []struct {
		hostname, home string
		want           []string
	}{
		{"abc", "/root", []string{"PATH=" + DefaultPath, "TERM=xterm", "container=pod", "HOME=/root", "HOSTNAME=abc"}},
		{"abc", "/", []string{"PATH=" + DefaultPath, "TERM=xterm", "container=pod", "HOME=/", "HOSTNAME=abc"}},
		{"", "", []string{"PATH=" + DefaultPath, "TERM=xterm", "container=pod"}},
	}
	for _, tt := range tests {
		if got := DefaultEnv(tt.hostname, tt.home); !slices.Equal(got, tt.want) {
			t.Errorf("DefaultEnv(%q, %q) = %q, want %q", tt.hostname, tt.home, got, tt.want)
		}
	}
}
