package image

import (
	"context"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdPull(t *testing.T) {
	tests := []cmdtest.ParseCase[PullOptions]{
		{Name: "defaults", Args: []string{"alpine"}, Want: PullOptions{TLSVerify: true, Names: []string{"alpine"}}},
		{Name: "several", Args: []string{"alpine", "busybox:1.36"}, Want: PullOptions{TLSVerify: true, Names: []string{"alpine", "busybox:1.36"}}},
		{Name: "quiet", Args: []string{"-q", "alpine"}, Want: PullOptions{Quiet: true, TLSVerify: true, Names: []string{"alpine"}}},
		{Name: "tls-verify false", Args: []string{"--tls-verify=false", "alpine"}, Want: PullOptions{TLSVerify: false, tlsSet: true, Names: []string{"alpine"}}},
		{Name: "tls-verify true given", Args: []string{"--tls-verify", "alpine"}, Want: PullOptions{TLSVerify: true, tlsSet: true, Names: []string{"alpine"}}},
		{Name: "creds authfile", Args: []string{"--creds", "u:p", "--authfile", "/x/auth.json", "alpine"},
			Want: PullOptions{TLSVerify: true, Creds: "u:p", AuthFile: "/x/auth.json", Names: []string{"alpine"}}},
		{Name: "no image", Args: nil, WantErr: true},
		{Name: "quiet but no image", Args: []string{"-q"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--platform-bogus", "x", "alpine"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdPull, func(f *cmdutil.Factory, got, want *PullOptions) {
		want.Factory = f
	})
}

// A missing --authfile is refused before the engine is opened.
func TestRunPullMissingAuthFile(t *testing.T) {
	f := testFactory()
	err := runPull(context.Background(), &PullOptions{Factory: f, AuthFile: t.TempDir() + "/none.json", Names: []string{"alpine"}})
	if err == nil || cmdutil.ExitCode(err) != 125 {
		t.Fatalf("error %v, want a 125 error", err)
	}
}

func TestNewCmdImages(t *testing.T) {
	tests := []cmdtest.ParseCase[ImagesOptions]{
		{Name: "defaults", Args: nil, Want: ImagesOptions{}},
		{Name: "all quiet", Args: []string{"-a", "-q"}, Want: ImagesOptions{All: true, Quiet: true}},
		{Name: "combined", Args: []string{"-aq"}, Want: ImagesOptions{All: true, Quiet: true}},
		{Name: "no-trunc digests", Args: []string{"--no-trunc", "--digests"}, Want: ImagesOptions{NoTrunc: true, Digests: true}},
		{Name: "format", Args: []string{"--format", "{{.Repository}}:{{.Tag}}"}, Want: ImagesOptions{Format: "{{.Repository}}:{{.Tag}}"}},
		{Name: "format json", Args: []string{"--format=json"}, Want: ImagesOptions{Format: "json"}},
		{Name: "noheading", Args: []string{"-n"}, Want: ImagesOptions{NoHeading: true}},
		{Name: "name", Args: []string{"alpine"}, Want: ImagesOptions{Names: []string{"alpine"}}},
		{Name: "two names", Args: []string{"alpine", "busybox"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--bogus"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdImages, func(f *cmdutil.Factory, got, want *ImagesOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil
		}
	})
}

func TestNewCmdRmi(t *testing.T) {
	tests := []cmdtest.ParseCase[RmiOptions]{
		{Name: "one", Args: []string{"alpine"}, Want: RmiOptions{Names: []string{"alpine"}}},
		{Name: "force several", Args: []string{"-f", "alpine", "busybox"}, Want: RmiOptions{Force: true, Names: []string{"alpine", "busybox"}}},
		{Name: "all", Args: []string{"-a"}, Want: RmiOptions{All: true}},
		{Name: "all force", Args: []string{"-af"}, Want: RmiOptions{All: true, Force: true}},
		{Name: "ignore", Args: []string{"-i", "alpine"}, Want: RmiOptions{Ignore: true, Names: []string{"alpine"}}},
		{Name: "nothing", Args: nil, WantErr: true},
		{Name: "force but nothing", Args: []string{"-f"}, WantErr: true},
		{Name: "all and names", Args: []string{"-a", "alpine"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdRmi, func(f *cmdutil.Factory, got, want *RmiOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil
		}
	})
}

func TestNewCmdImageNoun(t *testing.T) {
	cmd := NewCmdImage(testFactory())
	for _, path := range [][]string{{"pull"}, {"list"}, {"ls"}, {"rm"}, {"inspect"}, {"tag"}, {"untag"}, {"history"}} {
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
