package image

import (
	"bytes"
	"errors"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdImport(t *testing.T) {
	tests := []cmdtest.ParseCase[ImportOptions]{
		{Name: "file", Args: []string{"rootfs.tar"}, Want: ImportOptions{Source: "rootfs.tar"}},
		{Name: "stdin and name", Args: []string{"-", "img"}, Want: ImportOptions{Source: "-", Image: "img"}},
		{Name: "all flags", Args: []string{"-c", "CMD a", "-c", `ENV A="b c"`, "-m", "msg", "-q", "--os", "linux", "--arch", "arm64",
			"--variant", "v8", "x.tar", "img"},
			Want: ImportOptions{Source: "x.tar", Image: "img", Changes: []string{"CMD a", `ENV A="b c"`}, Message: "msg", Quiet: true,
				OS: "linux", Arch: "arm64", Variant: "v8"}},
		{Name: "no source", Args: nil, WantErr: true},
		{Name: "three arguments", Args: []string{"a", "b", "c"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdImport, func(f *cmdutil.Factory, got, want *ImportOptions) { want.Factory = f })
}

func TestRunImport(t *testing.T) {
	e := &cmdtest.FakeEngine{}
	f, out, errOut := cmdtest.FactoryWithEngine(e)
	f.IOStreams.In = bytes.NewBufferString("TAR")
	if err := cmdtest.Execute(NewCmdImport(f, nil), []string{"-", "img"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "sha256:"+cmdtest.FakeImageID+"\n" || errOut.String() != "Writing manifest to image destination\n" {
		t.Errorf("import printed %q, %q on stderr", out, errOut)
	}
	if e.Calls[len(e.Calls)-1] != "import -:TAR img" {
		t.Errorf("calls %q", e.Calls)
	}
	out.Reset()
	errOut.Reset()
	if err := cmdtest.Execute(NewCmdImport(f, nil), []string{"-q", "x.tar"}); err != nil || errOut.Len() != 0 || out.Len() == 0 {
		t.Errorf("import -q: %v, printed %q, %q on stderr", err, out, errOut)
	}
	e.Err = map[string]error{"import bad.tar": errors.New("not a tar archive")}
	if err := cmdtest.Execute(NewCmdImport(f, nil), []string{"bad.tar"}); cmdutil.ExitCode(err) != 125 {
		t.Errorf("failed import: %v", err)
	}
}
