package protocol

import (
	"reflect"
	"strings"
	"testing"
)

func envMap(env []string) func(string) string {
	m := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return func(k string) string { return m[k] }
}

func TestOptionsRoundTrip(t *testing.T) {
	in := Options{
		ID: "abc", Runtime: "/usr/bin/crun", RuntimeRoot: "/run/r", RuntimeArgs: []string{"--cgroup-manager=disabled"},
		Bundle: "/b", PidFile: "/b/pid", ExitFile: "/x/exit", LogPath: "/x/log", TTY: true, Stdin: true,
		LogSizeMax: 10 << 20, LogMaxFiles: 3,
		SocketDir: "/s", Network: NetworkPasta, NetworkCmd: "/usr/bin/pasta", NetworkOpts: []string{"-t", "8080:80"},
		MonitorPidFile: "/m/monitor.pid", HelperPidFile: "/r/helper.pid",
		DebugLog: "/d", Cleanup: []string{"/usr/bin/pod", "container", "cleanup", "abc"}, Reattach: []string{"/usr/bin/pod", "network", "reattach", "abc"},
		SyncFD: 3, CtlFD: 4, AttachIn: 5, AttachOut: -1, AttachErr: 7, HostUser: "alice",
		AttachSocket: "/r/attach", DetachKeys: "ctrl-a,d", RestartPolicy: RestartOnFailure, RestartRetries: 3,
		RestartFile: "/x/restarts", StopMarker: "/x/stopped", HealthFile: "/x/health",
		Healthcheck: &Healthcheck{Test: []string{"CMD-SHELL", "true"}, Interval: 2e9, Timeout: 1e9, Retries: 3, OnFailure: HealthActionKill},
	}
	out, err := Parse(in.Args(), envMap(in.Env()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*out, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", *out, in)
	}
	if env := strings.Join(in.Env(), " "); env != "POD_MONITOR_SYNC_FD=3 POD_MONITOR_CTL_FD=4 POD_MONITOR_ATTACH_FDS=5,-,7 POD_HOST_USER=alice" {
		t.Fatalf("env %q", env)
	}
}

func TestOptionsDefaults(t *testing.T) {
	o, err := Parse([]string{"--id", "c", "--bundle", "/b"}, envMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	if o.PidFile != "/b/pidfile" || o.Network != NetworkNone || o.SyncFD != -1 || o.CtlFD != -1 || o.Attached() || o.Cleanup != nil {
		t.Fatalf("defaults %+v", o)
	}
	// A zero Options names no descriptors.
	if env := (&Options{}).Env(); len(env) != 0 {
		t.Fatalf("zero Options env %q", env)
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"--bundle", "/b"}, nil, "--id is required"},
		{[]string{"--id", "c"}, nil, "--bundle is required"},
		{[]string{"--id", "c", "--bundle", "/b", "--network", "bridge"}, nil, `--network "bridge"`},
		{[]string{"--id", "c", "--bundle", "/b", "stray"}, nil, "unexpected argument"},
		{[]string{"--id", "c", "--bundle", "/b", "--log-size-max", "-1"}, nil, "--log-size-max -1"},
		{[]string{"--id", "c", "--bundle", "/b", "--log-size-max", "10mb"}, nil, "log-size-max"},
		{[]string{"--id", "c", "--bundle", "/b", "--log-passthrough", "--tty"}, nil, "exclude each other"},
		{[]string{"--id", "c", "--bundle", "/b", "--nope"}, nil, "flag provided but not defined"},
		{[]string{"--id", "c", "--bundle", "/b"}, []string{EnvSyncFD + "=x"}, "POD_MONITOR_SYNC_FD"},
		{[]string{"--id", "c", "--bundle", "/b"}, []string{EnvAttachFDs + "=5,6"}, "want in,out,err"},
		{[]string{"--id", "c", "--bundle", "/b"}, []string{EnvAttachFDs + "=5,1,-"}, "bad file descriptor"},
	} {
		_, err := Parse(tc.args, envMap(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %q: error %v, want %q", tc.args, tc.env, err, tc.want)
		}
	}
	// The sync fd is known even when the flags are bad, to report the error.
	o, err := Parse([]string{"--bogus"}, envMap([]string{EnvSyncFD + "=9"}))
	if err == nil || o.SyncFD != 9 {
		t.Fatalf("sync fd %d, err %v", o.SyncFD, err)
	}
}

// Passthrough has no room in the round trip above (it excludes TTY).
func TestOptionsPassthroughRoundTrip(t *testing.T) {
	in := Options{ID: "c", Bundle: "/b", PidFile: "/b/pidfile", Network: NetworkNone, Passthrough: true, Stdin: true,
		SyncFD: -1, CtlFD: -1, AttachIn: -1, AttachOut: -1, AttachErr: -1}
	out, err := Parse(in.Args(), envMap(in.Env()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*out, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", *out, in)
	}
}
