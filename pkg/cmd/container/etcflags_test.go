package container

import (
	"slices"
	"testing"
)

func TestEtcFlags(t *testing.T) {
	f, _, _ := testFactory()
	var got *RunOptions
	cmd := NewCmdRun(f, func(o *RunOptions) error { got = o; return nil })
	args := []string{"--hostuser", "alice,bob", "--hostuser", "carol", "--chrootdirs", "/a,/b", "--passwd=false",
		"--passwd-entry", "$USERNAME:x", "--image-volume", "tmpfs", "--preserve-fds", "2", "alpine"}
	if err := execute(cmd, args); err != nil || got == nil {
		t.Fatalf("run %q: %v", args, err)
	}
	e := got.Flags.Etc
	if !slices.Equal(e.HostUsers, []string{"alice", "bob", "carol"}) || !slices.Equal(e.ChrootDirs, []string{"/a", "/b"}) ||
		e.Passwd || e.PasswdEntry != "$USERNAME:x" || e.ImageVolume != "tmpfs" || got.PreserveFDs != 2 {
		t.Errorf("flags %+v, preserve-fds %d", e, got.PreserveFDs)
	}
	if err, called := runOrCreate("create", []string{"--preserve-fds", "1", "alpine"}); err == nil || called {
		t.Errorf("create --preserve-fds: %v, want unknown flag (run only)", err)
	}
	if err, _ := runOrCreate("run", []string{"--preserve-fds", "-1", "alpine"}); err == nil {
		t.Error("--preserve-fds -1 accepted")
	}
}
