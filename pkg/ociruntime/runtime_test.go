package ociruntime

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeRuntime is a shell script that appends its argv to $dir/argv and
// behaves according to files in $dir: fail-<cmd> holds a message printed as
// an error (to the --log file as JSON for create, to stderr otherwise).
const fakeRuntime = `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/argv"
log=
while [ $# -gt 0 ]; do
	case "$1" in
	--root) shift 2 ;;
	--log) log=$2; shift 2 ;;
	--log-format) shift 2 ;;
	--version) break ;;
	--*) shift ;;
	*) break ;;
	esac
done
cmd=$1; shift
if [ -f "$dir/fail-$cmd" ]; then
	msg=$(cat "$dir/fail-$cmd")
	if [ -n "$log" ]; then
		echo '{"level":"warning","msg":"some warning","time":"x"}' >> "$log"
		printf '{"msg":"%s","level":"error","time":"x"}\n' "$msg" >> "$log"
	fi
	echo "$msg" >&2
	exit 1
fi
case "$cmd" in
--version) echo "fakert version 9.9"; echo "commit: abc" ;;
create) echo "out-to-container"; echo "err-to-container" >&2 ;;
state) echo '{"ociVersion":"1.0.0","id":"'"$1"'","status":"running","pid":42,"bundle":"/b","rootfs":"x"}' ;;
sleep) sleep 10 ;;
esac
exit 0
`

func newFake(t *testing.T) (*Runtime, string) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "fakert")
	if err := os.WriteFile(p, []byte(fakeRuntime), 0o755); err != nil {
		t.Fatal(err)
	}
	return &Runtime{Path: p, Root: filepath.Join(dir, "root"), ExtraArgs: []string{"--cgroup-manager=disabled"}}, dir
}

func argv(t *testing.T, dir string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "argv"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestCommandLines(t *testing.T) {
	r, dir := newFake(t)
	root := "--root " + r.Root + " --cgroup-manager=disabled "
	if err := r.Start(ctx(t), "c1"); err != nil {
		t.Fatal(err)
	}
	if err := r.Kill(ctx(t), "c1", syscall.SIGKILL, true); err != nil {
		t.Fatal(err)
	}
	if err := r.Kill(ctx(t), "c1", syscall.SIGTERM, false); err != nil {
		t.Fatal(err)
	}
	if err := r.Delete(ctx(t), "c1", true); err != nil {
		t.Fatal(err)
	}
	if err := r.Pause(ctx(t), "c1"); err != nil {
		t.Fatal(err)
	}
	if err := r.Resume(ctx(t), "c1"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		root + "start c1",
		root + "kill --all c1 9",
		root + "kill c1 15",
		root + "delete --force c1",
		root + "pause c1",
		root + "resume c1",
	}
	got := argv(t, dir)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("argv:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCreate(t *testing.T) {
	r, dir := newFake(t)
	bundle := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := r.Create(ctx(t), "c1", bundle, "/p/pid", "/s/sock", [3]*os.File{nil, out, out}); err != nil {
		t.Fatal(err)
	}
	got := argv(t, dir)[0]
	if !strings.HasPrefix(got, "--root "+r.Root+" --cgroup-manager=disabled --log "+bundle+"/.runtime-create-") ||
		!strings.HasSuffix(got, ".log --log-format json create --bundle "+bundle+" --pid-file /p/pid --console-socket /s/sock c1") {
		t.Fatalf("argv %q", got)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "stdout"))
	if string(data) != "out-to-container\nerr-to-container\n" {
		t.Fatalf("stdio not passed: %q", data)
	}
	if ents, _ := os.ReadDir(bundle); len(ents) != 0 {
		t.Fatalf("log file left in bundle: %v", ents)
	}
}

func TestRunDetached(t *testing.T) {
	r, dir := newFake(t)
	bundle := t.TempDir()
	if err := r.RunDetached(ctx(t), "c1", bundle, "/p/pid", "", [3]*os.File{}); err != nil {
		t.Fatal(err)
	}
	if got := argv(t, dir)[0]; !strings.HasSuffix(got, ".log --log-format json run --detach --bundle "+bundle+" --pid-file /p/pid c1") {
		t.Fatalf("argv %q", got)
	}
	os.WriteFile(filepath.Join(dir, "fail-run"), []byte("executable file `x` not found in $PATH: No such file or directory"), 0o644)
	err := r.RunDetached(ctx(t), "c1", bundle, "/p/pid", "", [3]*os.File{})
	if !errors.Is(err, ErrNotFound) || !strings.HasPrefix(err.Error(), "fakert run c1: executable file") {
		t.Fatalf("run error %v", err)
	}
}

func TestCreateErrors(t *testing.T) {
	for _, tc := range []struct {
		msg        string
		notFound   bool
		permission bool
	}{
		{"executable file `nosuchcmd` not found in $PATH: No such file or directory", true, false},
		{`runc create failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH`, true, false},
		{`runc create failed: unable to start container process: exec: \"/x\": stat /x: no such file or directory`, true, false},
		{"open executable: Permission denied", false, true},
		{"open executable: Operation not permitted", false, true},
		{`runc create failed: unable to start container process: exec: \"/etc\": permission denied`, false, true},
		{"cgroups in hybrid mode not supported, drop all controllers from cgroupv2", false, false},
		{"open `/run/user/1000/pod/containers/x/netns`: No such file or directory", false, false},
		{"mount `proc` to `proc`: Operation not permitted", false, false},
		{"runc create failed: unable to start container process: error during container init: open /x/netns: no such file or directory", false, false},
	} {
		r, dir := newFake(t)
		if err := os.WriteFile(filepath.Join(dir, "fail-create"), []byte(tc.msg), 0o644); err != nil {
			t.Fatal(err)
		}
		err := r.Create(ctx(t), "c1", t.TempDir(), "", "", [3]*os.File{})
		var rerr *Error
		if !errors.As(err, &rerr) {
			t.Fatalf("%q: error %v is not *Error", tc.msg, err)
		}
		want := strings.ReplaceAll(tc.msg, `\"`, `"`)
		if rerr.Msg != want {
			t.Errorf("Msg = %q, want %q", rerr.Msg, want)
		}
		if rerr.UserMessage() != "fakert: "+want {
			t.Errorf("UserMessage = %q", rerr.UserMessage())
		}
		if !strings.Contains(err.Error(), "fakert create c1: ") {
			t.Errorf("error does not name runtime and id: %v", err)
		}
		if errors.Is(err, ErrNotFound) != tc.notFound || errors.Is(err, ErrPermission) != tc.permission {
			t.Errorf("%q: notFound=%v permission=%v", tc.msg, errors.Is(err, ErrNotFound), errors.Is(err, ErrPermission))
		}
	}
}

func TestDeleteNotExist(t *testing.T) {
	for _, msg := range []string{
		`time="2026-11-23T00:44:08Z" level=error msg="container does not exist"`,
		"cannot open directory '/r/c1': No such file or directory",
	} {
		r, dir := newFake(t)
		os.WriteFile(filepath.Join(dir, "fail-delete"), []byte(msg), 0o644)
		os.WriteFile(filepath.Join(dir, "fail-state"), []byte(msg), 0o644)
		if err := r.Delete(ctx(t), "c1", false); err != nil {
			t.Fatalf("delete of missing container: %v", err)
		}
		_, err := r.State(ctx(t), "c1")
		if !errors.Is(err, ErrNotExist) {
			t.Fatalf("state: %v", err)
		}
	}
	r, dir := newFake(t)
	os.WriteFile(filepath.Join(dir, "fail-delete"), []byte(`time="x" level=error msg="cannot delete container c1 that is not stopped: running"`), 0o644)
	err := r.Delete(ctx(t), "c1", false)
	if err == nil || err.Error() != "fakert delete c1: cannot delete container c1 that is not stopped: running" {
		t.Fatalf("delete error = %v", err)
	}
}

func TestStateAndVersion(t *testing.T) {
	r, _ := newFake(t)
	st, err := r.State(ctx(t), "c9")
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "c9" || st.Status != "running" || st.Pid != 42 || st.Bundle != "/b" || st.OCIVersion != "1.0.0" {
		t.Fatalf("state %+v", st)
	}
	v, err := r.Version(ctx(t))
	if err != nil || v != "fakert version 9.9" {
		t.Fatalf("version %q %v", v, err)
	}
	if r.Name() != "fakert" {
		t.Fatal(r.Name())
	}
}

func TestTimeout(t *testing.T) {
	r, _ := newFake(t)
	c, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.run(c, "sleep", "c1", "sleep")
	if err == nil || !strings.Contains(err.Error(), "fakert sleep c1") || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("timeout took %v", d)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "crun")
	os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755)
	t.Setenv("PATH", dir)
	r, err := Find("")
	if err != nil || r.Path != p || r.Name() != "crun" {
		t.Fatalf("Find: %+v %v", r, err)
	}
	r, err = Find(p)
	if err != nil || r.Path != p {
		t.Fatalf("Find(path): %+v %v", r, err)
	}
	if _, err := Find(filepath.Join(dir, "nope")); err == nil {
		t.Fatal("Find of a missing path succeeded")
	}
	if _, err := Find("no-such-runtime-xyz"); !errors.Is(err, ErrNoRuntime) || !strings.Contains(err.Error(), "install crun or runc") {
		t.Fatalf("Find(missing) = %v", err)
	}
}

func TestLastMessage(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"plain error\n":        "plain error",
		"line1\n  line2  \n\n": "line2",
		`{"msg":"a","level":"error"}` + "\n" + `{"msg":"b","level":"warning"}`:         "a",
		`time="x" level=warning msg="w"` + "\n" + `time="x" level=error msg="e \"q\""`: `e "q"`,
		`{"msg":"multi\nline","level":"error"}`:                                        "multi line",
	} {
		if got := lastMessage([]byte(in)); got != want {
			t.Errorf("lastMessage(%q) = %q, want %q", in, got, want)
		}
	}
}
