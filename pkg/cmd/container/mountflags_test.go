package container

import (
	"reflect"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
)

func TestMountFlagsReachCreateOptions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want libpod.MountOptions
	}{
		{[]string{"alpine"}, libpod.MountOptions{}},
		{[]string{"-v", "v:/d:ro", "--volume", "/h:/c", "--mount", "type=tmpfs,dst=/t", "--tmpfs", "/x:size=1m",
			"--volumes-from", "web:ro", "--read-only", "alpine"},
			libpod.MountOptions{Volumes: []string{"v:/d:ro", "/h:/c"}, Mounts: []string{"type=tmpfs,dst=/t"}, Tmpfs: []string{"/x:size=1m"},
				VolumesFrom: []string{"web:ro"}, ReadOnly: true}},
	} {
		f, _, _ := cmdtest.Factory("test")
		var got *CreateOptions
		cmd := NewCmdCreate(f, func(o *CreateOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		co := got.Flags.createOptions(f, got.Image, got.Command)
		if !reflect.DeepEqual(co.Mount, tc.want) {
			t.Errorf("%v: Mount = %+v, want %+v", tc.args, co.Mount, tc.want)
		}
	}
	for _, tc := range []struct {
		flag string
		want bool
	}{{"--read-only-tmpfs=false", false}, {"--read-only-tmpfs", true}} {
		f, _, _ := cmdtest.Factory("test")
		var got *CreateOptions
		cmd := NewCmdCreate(f, func(o *CreateOptions) error { got = o; return nil })
		cmd.SetArgs([]string{"--read-only", tc.flag, "alpine"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if v := got.Flags.Mounts.ReadOnlyTmpfs; v == nil || *v != tc.want {
			t.Errorf("%s: ReadOnlyTmpfs = %v", tc.flag, v)
		}
	}
}
