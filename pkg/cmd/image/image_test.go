package image

import (
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"reflect"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdPull(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    PullOptions
		wantErr bool
	}{
		{name: "defaults", args: []string{"alpine"}, want: PullOptions{TLSVerify: true, Names: []string{"alpine"}}},
		{name: "several", args: []string{"alpine", "busybox:1.36"}, want: PullOptions{TLSVerify: true, Names: []string{"alpine", "busybox:1.36"}}},
		{name: "quiet", args: []string{"-q", "alpine"}, want: PullOptions{Quiet: true, TLSVerify: true, Names: []string{"alpine"}}},
		{name: "tls-verify false", args: []string{"--tls-verify=false", "alpine"}, want: PullOptions{TLSVerify: false, tlsSet: true, Names: []string{"alpine"}}},
		{name: "tls-verify true given", args: []string{"--tls-verify", "alpine"}, want: PullOptions{TLSVerify: true, tlsSet: true, Names: []string{"alpine"}}},
		{name: "creds authfile", args: []string{"--creds", "u:p", "--authfile", "/x/auth.json", "alpine"},
			want: PullOptions{TLSVerify: true, Creds: "u:p", AuthFile: "/x/auth.json", Names: []string{"alpine"}}},
		{name: "no image", args: nil, wantErr: true},
		{name: "quiet but no image", args: []string{"-q"}, wantErr: true},
		{name: "unknown flag", args: []string{"--platform-bogus", "x", "alpine"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testFactory()
			var got *PullOptions
			err := execute(NewCmdPull(f, func(o *PullOptions) error { got = o; return nil }), tt.args)
			if !checkErr(t, err, tt.wantErr, got != nil) {
				return
			}
			want := tt.want
			want.Factory = f
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got %+v, want %+v", *got, want)
			}
		})
	}
}

// A missing --authfile is refused before the engine is opened.
func TestRunPullMissingAuthFile(t *testing.T) {
	f := testFactory()
	err := runPull(nil, &PullOptions{Factory: f, AuthFile: t.TempDir() + "/none.json", Names: []string{"alpine"}})
	if err == nil || cmdutil.ExitCode(err) != 125 {
		t.Fatalf("error %v, want a 125 error", err)
	}
}

func TestNewCmdImages(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ImagesOptions
		wantErr bool
	}{
		{name: "defaults", args: nil, want: ImagesOptions{}},
		{name: "all quiet", args: []string{"-a", "-q"}, want: ImagesOptions{All: true, Quiet: true}},
		{name: "combined", args: []string{"-aq"}, want: ImagesOptions{All: true, Quiet: true}},
		{name: "no-trunc digests", args: []string{"--no-trunc", "--digests"}, want: ImagesOptions{NoTrunc: true, Digests: true}},
		{name: "format", args: []string{"--format", "{{.Repository}}:{{.Tag}}"}, want: ImagesOptions{Format: "{{.Repository}}:{{.Tag}}"}},
		{name: "format json", args: []string{"--format=json"}, want: ImagesOptions{Format: "json"}},
		{name: "noheading", args: []string{"-n"}, want: ImagesOptions{NoHeading: true}},
		{name: "name", args: []string{"alpine"}, want: ImagesOptions{Names: []string{"alpine"}}},
		{name: "two names", args: []string{"alpine", "busybox"}, wantErr: true},
		{name: "unknown flag", args: []string{"--bogus"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testFactory()
			var got *ImagesOptions
			err := execute(NewCmdImages(f, func(o *ImagesOptions) error { got = o; return nil }), tt.args)
			if !checkErr(t, err, tt.wantErr, got != nil) {
				return
			}
			want := tt.want
			want.Factory = f
			if len(got.Names) == 0 {
				got.Names = nil
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got %+v, want %+v", *got, want)
			}
		})
	}
}

func TestNewCmdRmi(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    RmiOptions
		wantErr bool
	}{
		{name: "one", args: []string{"alpine"}, want: RmiOptions{Names: []string{"alpine"}}},
		{name: "force several", args: []string{"-f", "alpine", "busybox"}, want: RmiOptions{Force: true, Names: []string{"alpine", "busybox"}}},
		{name: "all", args: []string{"-a"}, want: RmiOptions{All: true}},
		{name: "all force", args: []string{"-af"}, want: RmiOptions{All: true, Force: true}},
		{name: "ignore", args: []string{"-i", "alpine"}, want: RmiOptions{Ignore: true, Names: []string{"alpine"}}},
		{name: "nothing", args: nil, wantErr: true},
		{name: "force but nothing", args: []string{"-f"}, wantErr: true},
		{name: "all and names", args: []string{"-a", "alpine"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testFactory()
			var got *RmiOptions
			err := execute(NewCmdRmi(f, func(o *RmiOptions) error { got = o; return nil }), tt.args)
			if !checkErr(t, err, tt.wantErr, got != nil) {
				return
			}
			want := tt.want
			want.Factory = f
			if len(got.Names) == 0 {
				got.Names = nil
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got %+v, want %+v", *got, want)
			}
		})
	}
}

func TestNewCmdImageNoun(t *testing.T) {
	cmd := NewCmdImage(testFactory())
	for _, path := range [][]string{{"pull"}, {"list"}, {"ls"}, {"rm"}, {"inspect"}} {
		c, _, err := cmd.Find(path)
		if err != nil || c == cmd {
			t.Errorf("pod image %s: not found (%v)", path[0], err)
		}
	}
	insp, _, _ := cmd.Find([]string{"inspect"})
	if fl := insp.Flags().Lookup("type"); fl == nil || fl.Value.String() != "image" {
		t.Errorf("pod image inspect does not default to --type image")
	}
}

func TestSplitRepoTag(t *testing.T) {
	tests := []struct{ in, repo, tag string }{
		{"docker.io/library/alpine:latest", "docker.io/library/alpine", "latest"},
		{"docker.io/library/alpine:3.19", "docker.io/library/alpine", "3.19"},
		{"alpine", "alpine", "latest"},
		{"localhost:5000/foo", "localhost:5000/foo", "latest"},
		{"localhost:5000/foo:1.0", "localhost:5000/foo", "1.0"},
		{"quay.io/a/b/c:v1", "quay.io/a/b/c", "v1"},
		{"docker.io/library/alpine@sha256:0123abcd", "docker.io/library/alpine", "<none>"},
		{"<none>:<none>", "<none>", "<none>"},
	}
	for _, tt := range tests {
		repo, tag := splitRepoTag(tt.in)
		if repo != tt.repo || tag != tt.tag {
			t.Errorf("splitRepoTag(%q) = %q, %q; want %q, %q", tt.in, repo, tag, tt.repo, tt.tag)
		}
	}
}

func TestMatchesImage(t *testing.T) {
	const id = "9c6f0724472873bb50a2ae67a9e7adcb57673a183cea8b06eb778dca859181b5"
	alpine := []string{"docker.io/library/alpine:latest"}
	alpine319 := []string{"docker.io/library/alpine:3.19"}
	local := []string{"localhost:5000/team/app:1.0"}
	tests := []struct {
		tags []string
		want string
		ok   bool
	}{
		{alpine, "9c6f0724", true},
		{alpine, id, true},
		{nil, "9c6f", true},
		{alpine, "alpine", true},
		{alpine, "alpine:latest", true},
		{alpine, "library/alpine", true},
		{alpine, "docker.io/library/alpine", true},
		{alpine, "docker.io/library/alpine:latest", true},
		{alpine, "alpine:3.19", false},
		{alpine, "pine", false},
		{alpine, "busybox", false},
		{alpine319, "alpine:3.19", true},
		{alpine319, "alpine", true},
		{alpine319, "alpine:latest", false},
		{[]string{"docker.io/library/notalpine:latest"}, "alpine", false},
		{local, "app", true},
		{local, "team/app:1.0", true},
		{local, "localhost:5000/team/app", true},
		{local, "app:2.0", false},
		{nil, "alpine", false},
	}
	for _, tt := range tests {
		if got := matchesImage(tt.tags, id, tt.want); got != tt.ok {
			t.Errorf("matchesImage(%q, %q) = %v, want %v", tt.tags, tt.want, got, tt.ok)
		}
	}
}

func testFactory() *cmdutil.Factory {
	f, _, _ := cmdtest.Factory("test")
	return f
}

func execute(cmd *cobra.Command, args []string) error { return cmdtest.Execute(cmd, args) }

func checkErr(t *testing.T, err error, wantErr, called bool) bool {
	t.Helper()
	return cmdtest.CheckErr(t, err, wantErr, called)
}
