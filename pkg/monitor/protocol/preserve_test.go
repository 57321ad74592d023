package protocol

import (
	"slices"
	"testing"
)

func TestPreserveFDsEnv(t *testing.T) {
	in := Options{ID: "c", Bundle: "/b", SyncFD: 3, CtlFD: 4, PreserveFD: 5, PreserveCount: 2}
	env := in.Env()
	if !slices.Contains(env, "POD_MONITOR_PRESERVE_FDS=5,2") {
		t.Fatalf("env %q", env)
	}
	out, err := Parse(in.Args(), envMap(env))
	if err != nil || out.PreserveFD != 5 || out.PreserveCount != 2 {
		t.Fatalf("parsed %+v, %v", out, err)
	}
	if !slices.Contains(DescriptorEnv(), EnvPreserveFDs) {
		t.Error("the preserved descriptors' variable is not removed from the monitor's environment")
	}
	for _, bad := range []string{"5", "2,1", "5,0", "x,1", "5,x"} {
		if _, err := Parse(in.Args(), envMap([]string{EnvPreserveFDs + "=" + bad})); err == nil {
			t.Errorf("%s=%s accepted", EnvPreserveFDs, bad)
		}
	}
}
