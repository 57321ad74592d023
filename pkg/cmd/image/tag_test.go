package image

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdTag(t *testing.T) {
	tests := []cmdtest.ParseCase[TagOptions]{
		{Name: "one", Args: []string{"alpine", "foo"}, Want: TagOptions{Image: "alpine", Targets: []string{"foo"}}},
		{Name: "several", Args: []string{"alpine", "foo", "reg.io/x/y:1"}, Want: TagOptions{Image: "alpine", Targets: []string{"foo", "reg.io/x/y:1"}}},
		{Name: "no target", Args: []string{"alpine"}, WantErr: true},
		{Name: "nothing", Args: nil, WantErr: true},
		{Name: "unknown flag", Args: []string{"--bogus", "alpine", "foo"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdTag, func(f *cmdutil.Factory, got, want *TagOptions) { want.Factory = f })
}

func TestNewCmdUntag(t *testing.T) {
	tests := []cmdtest.ParseCase[UntagOptions]{
		{Name: "all names", Args: []string{"alpine"}, Want: UntagOptions{Image: "alpine"}},
		{Name: "names", Args: []string{"alpine", "foo", "bar:1"}, Want: UntagOptions{Image: "alpine", Names: []string{"foo", "bar:1"}}},
		{Name: "nothing", Args: nil, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdUntag, func(f *cmdutil.Factory, got, want *UntagOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil
		}
	})
}

// fakeFactory is a test factory whose engine is e.
func fakeFactory(e *cmdtest.FakeEngine) (*cmdutil.Factory, func() string) {
	f, out, _ := cmdtest.Factory("test")
	f.Engine = func() (cmdutil.Engine, error) { return e, nil }
	return f, out.String
}

func TestRunTagAndUntag(t *testing.T) {
	e := &cmdtest.FakeEngine{Err: map[string]error{"untag nosuch": fmtNotKnown("nosuch")}}
	f, out := fakeFactory(e)
	if err := runTag(&TagOptions{Factory: f, Image: "alpine", Targets: []string{"foo", "bar:1"}}); err != nil {
		t.Fatal(err)
	}
	if err := runUntag(&UntagOptions{Factory: f, Image: "alpine"}); err != nil {
		t.Fatal(err)
	}
	err := runUntag(&UntagOptions{Factory: f, Image: "nosuch", Names: []string{"x"}})
	if !errors.Is(err, define.ErrNoSuchImage) || cmdutil.ExitCode(err) != 125 {
		t.Errorf("untag of a missing image: %v (exit %d)", err, cmdutil.ExitCode(err))
	}
	if want := []string{"tag alpine foo bar:1", "untag alpine", "untag nosuch x"}; !reflect.DeepEqual(e.Calls, want) {
		t.Errorf("calls %q, want %q", e.Calls, want)
	}
	if out() != "" {
		t.Errorf("tag and untag print nothing, got %q", out())
	}
}

func fmtNotKnown(name string) error {
	return fmt.Errorf("%s: image not known%.0w", name, define.ErrNoSuchImage)
}
