package container

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
)

func TestLogFlagsReachTheEngine(t *testing.T) {
	f, _, _ := testFactory()
	var got *CreateOptions
	cmd := NewCmdCreate(f, func(o *CreateOptions) error { got = o; return nil })
	err := execute(cmd, []string{"--log-driver", "none", "--log-opt", "max-size=10mb", "--log-opt", "max-file=3",
		"--replace", "--name", "x", "alpine"})
	if !checkErr(t, err, false, got != nil) {
		return
	}
	co := got.Flags.createOptions(f, "alpine", nil)
	want := libpod.CreateOptions{LogDriver: "none", LogOpts: []string{"max-size=10mb", "max-file=3"}, Replace: true}
	if co.LogDriver != want.LogDriver || !reflect.DeepEqual(co.LogOpts, want.LogOpts) || !co.Replace || co.Name != "x" {
		t.Errorf("create options %+v", co)
	}
}

func TestRunPassthroughRules(t *testing.T) {
	// -d: the output would have nowhere to go.
	e := &cmdtest.FakeEngine{}
	_, _, err := runFake(e, NewCmdRun, "-d", "--log-driver", "passthrough", "alpine", "true")
	if err == nil || !strings.Contains(err.Error(), "cannot be used with --detach") {
		t.Errorf("run -d --log-driver passthrough: %v", err)
	}
	checkCode(t, err, 125)
	checkCalls(t, e)

	// create prints no id with passthrough, as podman.
	e = &cmdtest.FakeEngine{}
	out, _, err := runFake(e, NewCmdCreate, "--log-driver", "passthrough", "alpine", "true")
	if err != nil || out != "" {
		t.Errorf("create --log-driver passthrough: stdout %q, %v", out, err)
	}
	if e.LastCreate == nil || e.LastCreate.LogDriver != "passthrough" {
		t.Errorf("create options %+v", e.LastCreate)
	}
}
