package image

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdSave(t *testing.T) {
	def := func(o SaveOptions) SaveOptions {
		if o.Format == "" {
			o.Format = "docker-archive"
		}
		return o
	}
	tests := []cmdtest.ParseCase[SaveOptions]{
		{Name: "stdout", Args: []string{"alpine"}, Want: def(SaveOptions{Images: []string{"alpine"}})},
		{Name: "output", Args: []string{"-o", "a.tar", "alpine"}, Want: def(SaveOptions{Output: "a.tar", Images: []string{"alpine"}})},
		{Name: "long flags", Args: []string{"--output=a.tar", "--quiet", "--multi-image-archive", "a", "b"},
			Want: def(SaveOptions{Output: "a.tar", Quiet: true, MultiImage: true, Images: []string{"a", "b"}})},
		{Name: "short flags", Args: []string{"-qm", "-o", "x", "a", "b"},
			Want: def(SaveOptions{Output: "x", Quiet: true, MultiImage: true, Images: []string{"a", "b"}})},
		{Name: "oci-archive", Args: []string{"--format", "oci-archive", "--uncompressed", "-o", "x", "a"},
			Want: SaveOptions{Format: "oci-archive", Uncompressed: true, Output: "x", Images: []string{"a"}}},
		{Name: "oci-dir", Args: []string{"--format=oci-dir", "-o", "d", "a"}, Want: SaveOptions{Format: "oci-dir", Output: "d", Images: []string{"a"}}},
		{Name: "docker-dir compressed", Args: []string{"--format", "docker-dir", "--compress", "-o", "d", "a"},
			Want: SaveOptions{Format: "docker-dir", Compress: true, Output: "d", Images: []string{"a"}}},
		{Name: "compress needs docker-dir", Args: []string{"--compress", "-o", "x", "a"}, WantErr: true},
		{Name: "bad format", Args: []string{"--format", "tar", "-o", "x", "a"}, WantErr: true},
		{Name: "no image", Args: []string{"-o", "x"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--bogus", "a"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdSave, func(f *cmdutil.Factory, got, want *SaveOptions) { want.Factory = f })
}

func TestNewCmdLoad(t *testing.T) {
	tests := []cmdtest.ParseCase[LoadOptions]{
		{Name: "stdin", Args: nil, Want: LoadOptions{}},
		{Name: "input", Args: []string{"-i", "a.tar"}, Want: LoadOptions{Input: "a.tar"}},
		{Name: "long", Args: []string{"--input=a.tar", "--quiet"}, Want: LoadOptions{Input: "a.tar", Quiet: true}},
		{Name: "an argument", Args: []string{"a.tar"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--output", "x"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdLoad, func(f *cmdutil.Factory, got, want *LoadOptions) { want.Factory = f })
}

func TestRunSaveAndLoad(t *testing.T) {
	e := &cmdtest.FakeEngine{Err: map[string]error{"save nosuch": fmtNotKnown("nosuch"), "load bad.tar": errors.New("load bad.tar: truncated")}}
	f, out := fakeFactory(e)
	if err := runSave(t.Context(), &SaveOptions{Factory: f, Format: "docker-archive", Output: "a.tar", Images: []string{"alpine"}}); err != nil {
		t.Fatal(err)
	}
	// To stdout: the archive is the output, without progress.
	if err := runSave(t.Context(), &SaveOptions{Factory: f, Format: "docker-archive", MultiImage: true, Images: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	if got := out(); got != "archive of a b" {
		t.Errorf("stdout %q", got)
	}
	err := runSave(t.Context(), &SaveOptions{Factory: f, Format: "docker-archive", Output: "x.tar", Images: []string{"nosuch"}})
	if !errors.Is(err, define.ErrNoSuchImage) || cmdutil.ExitCode(err) != 125 {
		t.Errorf("save of a missing image: %v (exit %d)", err, cmdutil.ExitCode(err))
	}

	f, out = fakeFactory(e)
	if err := runLoad(t.Context(), &LoadOptions{Factory: f, Input: "a.tar", Quiet: true}); err != nil {
		t.Fatal(err)
	}
	f.IOStreams.In = bytes.NewBufferString("docker.io/library/alpine:3.20.3\nsha256:0123\n")
	if err := runLoad(t.Context(), &LoadOptions{Factory: f}); err != nil {
		t.Fatal(err)
	}
	want := "Loaded image: localhost/a.tar:latest\nLoaded image: docker.io/library/alpine:3.20.3\nLoaded image: sha256:0123\n"
	if got := out(); got != want {
		t.Errorf("load printed %q, want %q", got, want)
	}
	if err := runLoad(t.Context(), &LoadOptions{Factory: f, Input: "bad.tar"}); err == nil || cmdutil.ExitCode(err) != 125 {
		t.Errorf("load of a bad archive: %v", err)
	}
	wantCalls := []string{"save docker-archive a.tar alpine", "save docker-archive - multi quiet a b",
		"save docker-archive x.tar nosuch", "load a.tar quiet", "load -", "load bad.tar"}
	if !reflect.DeepEqual(e.Calls, wantCalls) {
		t.Errorf("calls %q, want %q", e.Calls, wantCalls)
	}
}
