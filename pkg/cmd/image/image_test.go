package image

import (
	"context"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdPull(t *testing.T) {
	tests := []cmdtest.ParseCase[PullOptions]{
		{Name: "defaults", Args: []string{"alpine"}, Want: PullOptions{RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}, Names: []string{"alpine"}}},
		{Name: "several", Args: []string{"alpine", "busybox:1.36"}, Want: PullOptions{RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}, Names: []string{"alpine", "busybox:1.36"}}},
		{Name: "quiet", Args: []string{"-q", "alpine"}, Want: PullOptions{Quiet: true, RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true}, Names: []string{"alpine"}}},
		{Name: "tls-verify false", Args: []string{"--tls-verify=false", "alpine"}, Want: PullOptions{RegistryFlags: cmdutil.RegistryFlags{TLSSet: true}, Names: []string{"alpine"}}},
		{Name: "tls-verify true given", Args: []string{"--tls-verify", "alpine"}, Want: PullOptions{RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true, TLSSet: true}, Names: []string{"alpine"}}},
		{Name: "creds authfile", Args: []string{"--creds", "u:p", "--authfile", "/x/auth.json", "alpine"},
			Want: PullOptions{RegistryFlags: cmdutil.RegistryFlags{TLSVerify: true, Creds: "u:p", AuthFile: "/x/auth.json"}, Names: []string{"alpine"}}},
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
	err := runPull(context.Background(), &PullOptions{Factory: f, RegistryFlags: cmdutil.RegistryFlags{AuthFile: t.TempDir() + "/none.json"}, Names: []string{"alpine"}})
	if err == nil || cmdutil.ExitCode(err) != 125 {
		t.Fatalf("error %v, want a 125 error", err)
	}
}

func TestNewCmdImageNoun(t *testing.T) {
	cmd := NewCmdImage(testFactory())
	for _, path := range [][]string{{"pull"}, {"list"}, {"ls"}, {"rm"}, {"inspect"}, {"tag"}, {"untag"}, {"history"},
		{"exists"}, {"tree"}, {"search"}} {
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

func testFactory() *cmdutil.Factory {
	f, _, _ := cmdtest.Factory("test")
	return f
}
