package root

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// runGlobal executes args as Main does (global shorthands expanded) and
// returns the factory, stderr, the message Main would print and the code.
func runGlobal(t *testing.T, args ...string) (f *cmdutil.Factory, errOut, msg string, code int) {
	t.Helper()
	lvl := logrus.GetLevel()
	t.Cleanup(func() {
		logrus.SetLevel(lvl)
		logrus.SetOutput(os.Stderr)
	})
	f, _, eb := testFactory()
	cmd := NewCmdRoot(f)
	cmd.SetArgs(expandGlobalShorthands(cmd, args))
	if err := cmd.Execute(); err != nil {
		return f, eb.String(), cmdutil.Message(err), cmdutil.ExitCode(err)
	}
	return f, eb.String(), "", 0
}

func TestLogLevel(t *testing.T) {
	for _, lv := range []struct {
		name string
		want logrus.Level
	}{{"trace", logrus.TraceLevel}, {"debug", logrus.DebugLevel}, {"warning", logrus.WarnLevel}, {"error", logrus.ErrorLevel}} {
		_, _, msg, code := runGlobal(t, "--log-level", lv.name, "version")
		if code != 0 || msg != "" {
			t.Fatalf("--log-level %s: code %d, message %q", lv.name, code, msg)
		}
		if logrus.GetLevel() != lv.want {
			t.Errorf("--log-level %s: level %v", lv.name, logrus.GetLevel())
		}
	}
	_, errOut, msg, code := runGlobal(t, "--log-level", "x", "version")
	want := `Log Level "x" is not supported, choose from: trace, debug, info, warn, warning, error, fatal, panic` + "\n"
	if code != 1 || msg != "" || errOut != want {
		t.Errorf("bad level: code %d, message %q, stderr %q; want 1, \"\", %q", code, msg, errOut, want)
	}
}

func TestGlobalFlagsReachFactory(t *testing.T) {
	f, _, msg, code := runGlobal(t, "--runtime", "runc", "--storage-driver", "vfs", "--root", "/r", "--runroot", "/rr",
		"--runtime-flag", "debug", "--storage-opt", "vfs.ignore_chown_errors=true", "--tmpdir", "/t", "--volumepath", "/v",
		"--network-cmd-path", "/n", "--events-backend", "none", "--cgroup-manager", "cgroupfs", "--conmon", "/m",
		"--identity", "/id", "--ssh", "native", "--syslog", "version")
	if code != 0 {
		t.Fatal(msg)
	}
	want := libpod.Overrides{Root: "/r", RunRoot: "/rr", StorageDriver: "vfs", StorageOpts: []string{"vfs.ignore_chown_errors=true"},
		Runtime: "runc", RuntimeFlags: []string{"debug"}, TmpDir: "/t", VolumePath: "/v", NetworkCmdPath: "/n",
		EventsBackend: "none", CgroupManager: "cgroupfs"}
	g := f.Global.Engine
	if g.Root != want.Root || g.RunRoot != want.RunRoot || g.StorageDriver != want.StorageDriver || !slices.Equal(g.StorageOpts, want.StorageOpts) ||
		g.Runtime != want.Runtime || !slices.Equal(g.RuntimeFlags, want.RuntimeFlags) || g.TmpDir != want.TmpDir || g.VolumePath != want.VolumePath ||
		g.NetworkCmdPath != want.NetworkCmdPath || g.EventsBackend != want.EventsBackend || g.CgroupManager != want.CgroupManager {
		t.Errorf("engine overrides %+v, want %+v", g, want)
	}
	if f.Global.Conmon != "/m" {
		t.Errorf("conmon %q", f.Global.Conmon)
	}
	// Defaults shown in the help leave the configuration alone.
	f, _, _, _ = runGlobal(t, "version")
	if f.Global.Engine.EventsBackend != "" || f.Global.Engine.CgroupManager != "" || f.Global.Engine.StorageOpts != nil {
		t.Errorf("defaults override the configuration: %+v", f.Global.Engine)
	}
	f, _, _, _ = runGlobal(t, "--storage-opt", "", "version")
	if g := f.Global.Engine.StorageOpts; g == nil || len(g) != 1 {
		t.Errorf("--storage-opt \"\" gives %#v, want a non-nil list (it clears the configured options)", g)
	}
}

func TestGlobalFlagsRefused(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--remote", "version"}, "--remote: remote connections are not supported"},
		{[]string{"-r", "version"}, "--remote: remote connections are not supported"},
		{[]string{"--url", "unix:/x", "version"}, "--url: remote connections are not supported"},
		{[]string{"--connection", "x", "version"}, "--connection: remote connections are not supported"},
		{[]string{"-c", "x", "version"}, "--connection: remote connections are not supported"},
		{[]string{"-cx", "version"}, "--connection: remote connections are not supported"},
		{[]string{"--hooks-dir", "/h", "version"}, "not supported yet: --hooks-dir"},
		{[]string{"--namespace", "ns", "version"}, "not supported yet: --namespace"},
		{[]string{"--network-config-dir", "/n", "version"}, "not supported yet: --network-config-dir"},
		{[]string{"--events-backend", "journald", "version"}, "events backend journald is not supported"},
		{[]string{"--events-backend", "foo", "version"}, `"foo" is not a valid events backend`},
		{[]string{"--cgroup-manager", "systemd", "version"}, "cgroup manager systemd is not supported"},
		{[]string{"--cgroup-manager", "foo", "version"}, "cgroup manager must be one of cgroupfs and systemd"},
	} {
		_, _, msg, code := runGlobal(t, tt.args...)
		if code != 125 || !strings.HasPrefix(msg, "Error: "+tt.want) && !strings.Contains(msg, tt.want) {
			t.Errorf("%q: code %d, message %q; want 125 and %q", tt.args, code, msg, tt.want)
		}
	}
}

func TestNoout(t *testing.T) {
	f, out, _ := testFactory()
	cmd := NewCmdRoot(f)
	cmd.SetArgs([]string{"--noout", "version"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("--noout printed %q", out.String())
	}
}

func TestExpandGlobalShorthands(t *testing.T) {
	root := NewCmdRoot(func() *cmdutil.Factory { f, _, _ := testFactory(); return f }())
	for _, tt := range []struct{ in, want string }{
		{"-c x ps", "--connection x ps"},
		{"-cx ps", "--connection=x ps"},
		{"-c=x ps", "--connection=x ps"},
		{"-r ps", "--remote ps"},
		{"--root /r -r ps", "--root /r --remote ps"},
		{"--root -c ps", "--root -c ps"},
		{"--log-level=debug -c x ps", "--log-level=debug --connection x ps"},
		{"run -c 2 alpine", "run -c 2 alpine"},
		{"-v", "-v"},
		{"-h run -c 2", "-h run -c 2"},
	} {
		got := strings.Join(expandGlobalShorthands(root, strings.Fields(tt.in)), " ")
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}
