package doctor

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/pkg/procfs"
	"github.com/pod-engine/pod/userns"
)

func TestParseIDMap(t *testing.T) {
	got, err := procfs.ParseIDMap([]byte("         0       1001          1\n         1     100000      65536\n"))
	want := []IDMap{{Inside: 0, Outside: 1001, Count: 1}, {Inside: 1, Outside: 100000, Count: 65536}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
	for _, bad := range []string{"0 1001\n", "0 x 1\n", "0 1 99999999999\n"} {
		if _, err := procfs.ParseIDMap([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if got, err := procfs.ParseIDMap(nil); err != nil || len(got) != 0 {
		t.Errorf("empty: %v, %v", got, err)
	}
}

func TestWantIDMap(t *testing.T) {
	got := WantIDMap(1001, []userns.IDRange{{Start: 100000, Count: 65536}, {Start: 300000, Count: 10}})
	want := []IDMap{{Inside: 0, Outside: 1001, Count: 1}, {Inside: 1, Outside: 100000, Count: 65536}, {Inside: 65537, Outside: 300000, Count: 10}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := WantIDMap(7, nil); !reflect.DeepEqual(got, []IDMap{{Inside: 0, Outside: 7, Count: 1}}) {
		t.Errorf("no ranges: %v", got)
	}
}

func TestCompareMaps(t *testing.T) {
	const uidMap = "/proc/42/uid_map"
	const gidMap = "/proc/42/gid_map"
	current := "0 1000 1\n1 100000 65536\n"
	tests := []struct {
		name    string
		machine func(m *fakeMachine)
		diffs   []string // the files that differ
		err     string
	}{
		{name: "up to date"},
		{name: "subuid grew", machine: func(m *fakeMachine) { m.files["/etc/subuid"] = "alice:100000:70000\n" }, diffs: []string{"/etc/subuid"}},
		{name: "subgid moved", machine: func(m *fakeMachine) { m.files["/etc/subgid"] = "alice:200000:65536\n" }, diffs: []string{"/etc/subgid"}},
		{name: "both removed", machine: func(m *fakeMachine) { delete(m.files, "/etc/subuid"); m.files["/etc/subgid"] = "" },
			diffs: []string{"/etc/subuid", "/etc/subgid"}},
		{name: "a second range", machine: func(m *fakeMachine) { m.files["/etc/subuid"] += "1000:400000:5\n" }, diffs: []string{"/etc/subuid"}},
		{name: "process gone", machine: func(m *fakeMachine) { delete(m.files, uidMap) }, err: "read /proc/42/uid_map"},
		{name: "subuid unreadable", machine: func(m *fakeMachine) { m.readErr["/etc/subuid"] = os.ErrPermission }, err: "read /etc/subuid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good()
			m.files[uidMap], m.files[gidMap] = current, current
			if tt.machine != nil {
				tt.machine(m)
			}
			diffs, err := CompareMaps(m.host(), 42)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one naming %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var files []string
			for _, d := range diffs {
				files = append(files, d.File)
				if !strings.Contains(d.String(), "the namespace maps \"0 1000 1, 1 100000 65536\"") {
					t.Errorf("diff %q does not show the namespace's map", d)
				}
			}
			if !reflect.DeepEqual(files, tt.diffs) {
				t.Errorf("differing files %q, want %q", files, tt.diffs)
			}
		})
	}
}

// The real probe answers within its timeout and leaves nothing behind,
// whether or not this machine allows the mount.
func TestProbeOverlayCleansUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	start := time.Now()
	err := probeOverlay(ctx)
	if d := time.Since(start); d > probeTimeout+500*time.Millisecond {
		t.Errorf("probe took %s", d)
	}
	t.Logf("probe: %v", err)
	if errors.Is(err, ErrNoProbe) {
		t.Skip(err)
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("probe left %v in %s", left, tmp)
	}
}
