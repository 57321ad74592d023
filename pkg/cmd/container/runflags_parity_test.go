package container

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
)

// podmanRunFlags are the options of podman 4.3's `run --help`.
const podmanRunFlags = `add-host annotation arch attach authfile blkio-weight blkio-weight-device cap-add cap-drop cgroup-conf
cgroup-parent cgroupns cgroups chrootdirs cidfile conmon-pidfile cpu-period cpu-quota cpu-rt-period cpu-rt-runtime cpu-shares
cpus cpuset-cpus cpuset-mems detach detach-keys device device-cgroup-rule device-read-bps device-read-iops device-write-bps
device-write-iops disable-content-trust dns dns-option dns-search entrypoint env env-file env-host env-merge expose gidmap
group-add health-cmd health-interval health-on-failure health-retries health-start-period health-timeout help hostname hostuser
http-proxy image-volume init init-path interactive ip ip6 ipc label label-file log-driver log-opt mac-address memory
memory-reservation memory-swap memory-swappiness mount name network network-alias no-healthcheck no-hosts oom-kill-disable
oom-score-adj os passwd passwd-entry personality pid pidfile pids-limit platform pod pod-id-file preserve-fds privileged
publish publish-all pull quiet read-only read-only-tmpfs replace requires restart rm rmi rootfs sdnotify seccomp-policy secret
security-opt shm-size sig-proxy stop-signal stop-timeout subgidname subuidname sysctl systemd timeout tls-verify tmpfs tty tz
uidmap ulimit umask unsetenv unsetenv-all user userns uts variant volume volumes-from workdir`

func TestRunHasEveryPodmanFlag(t *testing.T) {
	f, _, _ := testFactory()
	run, create := NewCmdRun(f, nil), NewCmdCreate(f, nil)
	run.InitDefaultHelpFlag()
	create.InitDefaultHelpFlag()
	for _, name := range strings.Fields(podmanRunFlags) {
		if run.Flags().Lookup(name) == nil {
			t.Errorf("run lacks --%s", name)
		}
		if create.Flags().Lookup(name) == nil && !slices.Contains([]string{"detach", "detach-keys", "sig-proxy", "rmi", "preserve-fds"}, name) {
			t.Errorf("create lacks --%s", name)
		}
	}
	if run.Flags().ShorthandLookup("h").Name != "hostname" || create.Flags().ShorthandLookup("h").Name != "hostname" {
		t.Error("-h is not --hostname")
	}
}

func TestRunHostnameShortAndHelp(t *testing.T) {
	f, _, _ := testFactory()
	var got *RunOptions
	cmd := NewCmdRun(f, func(o *RunOptions) error { got = o; return nil })
	if err := execute(cmd, []string{"-h", "myhost", "alpine", "hostname"}); err != nil || got == nil || got.Flags.Hostname != "myhost" {
		t.Fatalf("-h myhost: err %v, options %+v", err, got)
	}
	got = nil
	cmd = NewCmdRun(f, func(o *RunOptions) error { got = o; return nil })
	if err := execute(cmd, []string{"--help"}); err != nil || got != nil {
		t.Errorf("--help: err %v, ran %v", err, got != nil)
	}
	cmd = NewCmdCreate(f, func(o *CreateOptions) error { return nil })
	if err := execute(cmd, []string{"-h"}); err == nil || !isUsage(err) {
		t.Errorf("-h without a value: %v, want a usage error", err)
	}
}

// runOrCreate runs `run` or `create` with args and returns the error and
// whether runF ran.
func runOrCreate(verb string, args []string) (error, bool) {
	f, _, _ := testFactory()
	called := false
	var cmd *cobra.Command
	if verb == "run" {
		cmd = NewCmdRun(f, func(*RunOptions) error { called = true; return nil })
	} else {
		cmd = NewCmdCreate(f, func(*CreateOptions) error { called = true; return nil })
	}
	return execute(cmd, args), called
}

func TestPendingFlagsRefused(t *testing.T) {
	for _, verb := range []string{"run", "create"} {
		for _, p := range pendingCreateFlags() {
			val := "x"
			switch p.kind {
			case "bool":
				val = "true"
				if p.def == "true" {
					val = "true" // the default given explicitly is accepted only when listed
				}
			case "uint", "int":
				val = "5"
			}
			err, called := runOrCreate(verb, []string{"--" + p.name + "=" + val, "alpine"})
			accepted := slices.Contains(p.accept, "*") || slices.Contains(p.accept, val)
			if accepted {
				if err != nil || !called {
					t.Errorf("%s --%s=%s: %v, want accepted", verb, p.name, val, err)
				}
				continue
			}
			if err == nil || called || cmdutil.ExitCode(err) != 125 || !strings.HasPrefix(cmdutil.Message(err), "Error: not supported yet: --"+p.name) {
				t.Errorf("%s --%s=%s: %v (ran %v), want exit 125 \"not supported yet: --%s\"", verb, p.name, val, err, called, p.name)
			}
		}
	}
	for _, args := range [][]string{
		{"--systemd=false"}, {"--pid", "private"}, {"--uts=private"}, {"--ipc", "shareable"}, {"--preserve-fds", "0"},
		{"--seccomp-policy", "default"}, {"--disable-content-trust"}, {"--passwd=false"}, {"--timeout", "0"},
		{"--sdnotify", "ignore"}, {"--memory-swappiness", "-1"},
	} {
		if err, called := runOrCreate("run", append(args, "alpine")); err != nil || !called {
			t.Errorf("run %q: %v, want accepted", args, err)
		}
	}
	if err, _ := runOrCreate("run", []string{"--systemd", "always", "alpine"}); err == nil || !strings.Contains(err.Error(), "--systemd=false") {
		t.Errorf("--systemd always: %v, want the fix named", err)
	}
}

func TestAttachFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string // "" accepted, else a part of the error
	}{
		{[]string{"-a", "stdout", "-a", "stderr"}, ""},
		{[]string{"-a", "STDOUT,stderr"}, ""},
		{[]string{"-i", "-a", "stdin", "-a", "stdout", "-a", "stderr"}, ""},
		{[]string{"-a", "stdout"}, "not supported yet: --attach"},
		{[]string{"-a", "foo"}, `invalid stream "foo"`},
		{[]string{"-d", "-a", "stdout", "-a", "stderr"}, "--attach and --detach"},
	} {
		err, called := runOrCreate("run", append(tt.args, "alpine"))
		if tt.want == "" && (err != nil || !called) || tt.want != "" && (err == nil || called || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("run %q: %v (ran %v), want %q", tt.args, err, called, tt.want)
		}
	}
}

func TestRmiFlag(t *testing.T) {
	f, _, _ := testFactory()
	var got *RunOptions
	cmd := NewCmdRun(f, func(o *RunOptions) error { got = o; return nil })
	if err := execute(cmd, []string{"--rmi", "alpine"}); err != nil || !got.Rmi || !got.Flags.Rm {
		t.Fatalf("--rmi: %v %+v, want Rmi and Rm", err, got)
	}
	if err, called := runOrCreate("run", []string{"--rmi", "-d", "alpine"}); err == nil || called || !strings.Contains(err.Error(), "not supported yet: --rmi") {
		t.Errorf("--rmi -d: %v", err)
	}
}

func TestLabelFileAndCIDFile(t *testing.T) {
	dir := t.TempDir()
	lf := filepath.Join(dir, "labels")
	if err := os.WriteFile(lf, []byte("# comment\na=1\n\n  b=2  \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := defaultCreateFlags(func(o *CreateFlags) { o.LabelFiles, o.Labels = []string{lf}, []string{"c=3"} })
	if err := o.readLabelFiles(); err != nil || !slices.Equal(o.Labels, []string{"a=1", "b=2", "c=3"}) {
		t.Errorf("labels %q, %v", o.Labels, err)
	}
	o.LabelFiles = []string{filepath.Join(dir, "missing")}
	if err := o.readLabelFiles(); err == nil || !strings.Contains(err.Error(), "--label-file") {
		t.Errorf("missing label file: %v", err)
	}

	cid := filepath.Join(dir, "cid")
	o.CIDFile = cid
	if err := o.checkCIDFile(); err != nil {
		t.Fatal(err)
	}
	if err := o.writeCIDFile("abc"); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(cid); string(data) != "abc" {
		t.Errorf("cidfile holds %q", data)
	}
	if err := o.checkCIDFile(); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("existing cidfile: %v", err)
	}
}

func TestHostEnv(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://proxy:3128")
	t.Setenv("POD_TEST_HOST_VAR", "v")
	o := defaultCreateFlags(nil)
	if env := o.hostEnv(); !slices.Contains(env, "HTTPS_PROXY") || slices.Contains(env, "POD_TEST_HOST_VAR=v") {
		t.Errorf("--http-proxy: %q", env)
	}
	o.HTTPProxy, o.EnvHost = false, true
	if env := o.hostEnv(); slices.Contains(env, "HTTPS_PROXY") || !slices.Contains(env, "POD_TEST_HOST_VAR=v") {
		t.Errorf("--env-host: %q", env)
	}
}
