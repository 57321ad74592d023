package e2e

import (
	"os"
	"strings"
	"testing"
	"time"
)

// The run flag tests check --sysctl, --group-add, --umask, --tz, --init and --device by
// their effect inside the container (the kernel's view: /proc/sys, id -G, umask, the zone
// date prints, pid 1's command line, reading the device), then what inspect shows and
// that bad values are refused before anything is created.

// hostInit reports whether an init binary --init can use is installed (pod's search list,
// podman's default being the first).
func hostInit() bool {
	for _, p := range []string{"/usr/libexec/podman/catatonit", "/usr/bin/catatonit", "/usr/bin/tini-static"} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

// TestRunFlagsSysctl sets namespaced sysctls of the network and ipc namespaces and reads
// them back from /proc/sys inside the container; the host's values stay as they were.
func TestRunFlagsSysctl(t *testing.T) {
	e := sharedEnv(t)
	hostMsgmax, err := os.ReadFile("/proc/sys/kernel/msgmax")
	if err != nil {
		t.Fatal(err)
	}
	r := e.MustPod(t, "run", "--rm", "--sysctl", "net.ipv4.ip_forward=1", "--sysctl", "kernel.msgmax=4096",
		"--sysctl", "fs.mqueue.msg_max=20", "--sysctl", "net.ipv4.ping_group_range=0 10", "alpine",
		"cat", "/proc/sys/net/ipv4/ip_forward", "/proc/sys/kernel/msgmax", "/proc/sys/fs/mqueue/msg_max",
		"/proc/sys/net/ipv4/ping_group_range")
	expectStdout(t, r, "1\n4096\n20\n0\t10\n")
	if after, _ := os.ReadFile("/proc/sys/kernel/msgmax"); string(after) != string(hostMsgmax) {
		t.Errorf("the host's kernel.msgmax changed: %q → %q", hostMsgmax, after)
	}
	// Comma-separated values, as podman's string slice flag takes them.
	r = e.MustPod(t, "run", "--rm", "--sysctl", "kernel.shm_rmid_forced=1,kernel.msgmnb=1024", "alpine",
		"cat", "/proc/sys/kernel/shm_rmid_forced", "/proc/sys/kernel/msgmnb")
	expectStdout(t, r, "1\n1024\n")
	// The ipc sysctls still work with the host's network.
	r = e.MustPod(t, "run", "--rm", "--network", "host", "--sysctl", "kernel.msgmax=2048", "alpine", "cat", "/proc/sys/kernel/msgmax")
	expectStdout(t, r, "2048\n")
}

// TestRunFlagsGroupAdd adds groups by name (resolved in the container's /etc/group) and by
// number to the process's supplementary groups, for root and another user.
func TestRunFlagsGroupAdd(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--group-add", "wheel", "--group-add", "1234", "alpine", "id", "-G")
	got := strings.Fields(r.Out())
	for _, g := range []string{"0", "10", "1234"} {
		if !contains(got, g) {
			t.Errorf("root with --group-add wheel,1234: groups %q lack %s", got, g)
		}
	}
	r = e.MustPod(t, "run", "--rm", "-u", "1000", "--group-add", "wheel", "--group-add", "audio", "alpine", "id", "-G")
	expectStdout(t, r, "0 10 18\n")
	r = e.MustPod(t, "run", "--rm", "-u", "nobody", "--group-add", "wheel", "alpine", "sh", "-c", "grep ^Groups: /proc/self/status")
	if f := strings.Fields(r.Out()); !contains(f, "10") || !contains(f, "65534") {
		t.Errorf("nobody with --group-add wheel: %q", r.Out())
	}

	// A name the container's /etc/group lacks is found out at start.
	r = e.Pod(t, "run", "--rm", "--group-add", "nosuchgroup", "alpine", "true")
	if cfg.podman {
		expectExit(t, r, 126) // podman looks the group up when it starts the container
	} else {
		expectExit(t, r, 125)
	}
	expectErrorLine(t, r, "nosuchgroup")
	t.Run("keep-groups", func(t *testing.T) {
		skipUnderPodman(t, "podman 4.3 accepts keep-groups (crun's run.oci.keep_original_groups); pod refuses it")
		r := e.Pod(t, "run", "--rm", "--group-add", "keep-groups", "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "keep-groups", "not supported")
	})
}

// TestRunFlagsUmask checks the process's umask and the mode of a file it creates.
func TestRunFlagsUmask(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--umask", "0027", "alpine", "sh", "-c",
		"umask; grep ^Umask: /proc/self/status | cut -f2; touch /tmp/f; mkdir /tmp/d; stat -c %a /tmp/f /tmp/d")
	expectStdout(t, r, "0027\n0027\n640\n750\n")
	r = e.MustPod(t, "run", "--rm", "--umask", "77", "alpine", "sh", "-c", "umask")
	expectStdout(t, r, "0077\n")
	r = e.MustPod(t, "run", "--rm", "alpine", "sh", "-c", "umask")
	expectStdout(t, r, "0022\n")
}

// TestRunFlagsTimezone mounts a zone of the host's database, or the host's own zone, at
// /etc/localtime: date prints that zone.
func TestRunFlagsTimezone(t *testing.T) {
	e := sharedEnv(t)
	if _, err := os.Stat("/usr/share/zoneinfo/Asia/Tokyo"); err != nil {
		t.Skipf("no time zone database on the host: %v", err)
	}
	r := e.MustPod(t, "run", "--rm", "--tz", "Asia/Tokyo", "alpine", "sh", "-c", `date +%Z; echo "TZ=$TZ"`)
	expectStdout(t, r, "JST\nTZ=\n")
	r = e.MustPod(t, "run", "--rm", "--tz", "America/New_York", "alpine", "date", "-d", "@1700000000", "+%H:%M %Z")
	expectStdout(t, r, "17:13 EST\n")

	host := e.PodOpt(t, RunOpts{Program: "sh"}, "-c", "date -d @1700000000 +%H:%M%z")
	if host.ExitCode != 0 {
		t.Fatalf("date on the host: %s", host.describe())
	}
	r = e.MustPod(t, "run", "--rm", "--tz", "local", "alpine", "date", "-d", "@1700000000", "+%H:%M%z")
	expectStdout(t, r, host.Stdout)

	t.Run("read-only", func(t *testing.T) {
		skipUnderPodman(t, "podman 4.3 mounts a writable copy of the zone file")
		r := e.MustPod(t, "run", "--rm", "--tz", "Asia/Tokyo", "alpine", "sh", "-c", "echo x > /etc/localtime 2>/dev/null && echo written || echo refused")
		expectStdout(t, r, "refused\n")
	})
}

// TestRunFlagsInit runs the process under catatonit (or tini) as pid 1: ps shows it, it
// forwards stop's SIGTERM (a bare sleep as pid 1 ignores it and waits for the SIGKILL), and
// the container's exit code is the process's.
func TestRunFlagsInit(t *testing.T) {
	e := sharedEnv(t)
	if !hostInit() {
		skipUnderPodman(t, "podman's error for a missing catatonit differs")
		r := e.Pod(t, "run", "--rm", "--init", "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "apt-get install catatonit")
		t.Skip("no catatonit or tini on the host: checked the error only")
	}
	r := e.MustPod(t, "run", "--rm", "--init", "alpine", "sh", "-c", `tr '\0' ' ' </proc/1/cmdline; echo; ps -o pid,args | awk '$1 == 1'`)
	lines := r.Lines()
	if len(lines) != 2 || lines[0] != "/run/podman-init -- sh -c tr '\\0' ' ' </proc/1/cmdline; echo; ps -o pid,args | awk '$1 == 1' " ||
		!strings.HasPrefix(strings.TrimSpace(lines[1]), "1 /run/podman-init -- sh") {
		t.Errorf("pid 1 is not the init: %q", lines)
	}
	r = e.MustPod(t, "run", "--rm", "--init", "alpine", "sh", "-c", "grep ' /run/podman-init ' /proc/self/mountinfo | cut -d' ' -f6 | cut -d, -f1")
	expectStdout(t, r, "ro\n")
	r = e.Pod(t, "run", "--rm", "--init", "alpine", "sh", "-c", "exit 3")
	expectExit(t, r, 3)

	name := e.CtrName(t, "init")
	e.MustPod(t, "run", "-d", "--init", "--name", name, "alpine", "sleep", "300")
	start := time.Now()
	e.MustPod(t, "stop", "-t", "20", name)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("stop of an --init container took %v: the init did not forward SIGTERM", d)
	}
	if got := e.MustPod(t, "inspect", "--format", "{{.State.ExitCode}}", name).Out(); got != "143" {
		t.Errorf("exit code after SIGTERM %s, want 143 (the init reports the signal)", got)
	}
	// Starting it again runs the init again.
	e.MustPod(t, "start", name)
	r = e.MustPod(t, "exec", name, "sh", "-c", `tr '\0' ' ' </proc/1/cmdline`)
	expectStdout(t, r, "/run/podman-init -- sleep 300 ")

	r = e.Pod(t, "run", "--rm", "--init", "--init-path", "/nonexistent/init", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "/nonexistent/init")
}

// TestRunFlagsDevice makes host devices available under their own or another name and
// reads and writes them; a device the user cannot open is refused with the fix.
func TestRunFlagsDevice(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--device", "/dev/zero:/dev/myzero", "alpine", "sh", "-c",
		"head -c 4 /dev/myzero | od -An -tx1; stat -c '%F %t:%T' /dev/myzero")
	expectStdout(t, r, " 00 00 00 00\ncharacter special file 1:5\n")
	r = e.MustPod(t, "run", "--rm", "--device", "/dev/null:/dev/sub/mynull:rw", "alpine", "sh", "-c",
		"echo hi > /dev/sub/mynull && wc -c < /dev/sub/mynull")
	expectStdout(t, r, "0\n")

	t.Run("not openable", func(t *testing.T) {
		skipUnderPodman(t, "podman 4.3 mounts any device node and leaves the permission error to the container")
		// A device node the test user can neither read nor write, as the user's own access says.
		find := e.PodOpt(t, RunOpts{Program: "sh"}, "-c",
			`for d in /dev/kmsg /dev/vda /dev/sda /dev/nvme0n1 /dev/mem /dev/port /dev/tty0; do `+
				`if [ -e $d ] && ! { [ -r $d ] && [ -w $d ]; }; then echo $d; break; fi; done`)
		dev := find.Out()
		if dev == "" {
			t.Skip("the host has no device node the test user cannot open")
		}
		r := e.Pod(t, "run", "--rm", "--device", dev, "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "--device "+dev, "cannot be opened", "setfacl")
	})
}

// TestRunFlagsInspect shows the flags where podman's inspect does.
func TestRunFlagsInspect(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "flags")
	args := []string{"create", "--name", name, "--group-add", "wheel", "--group-add", "1234", "--umask", "27",
		"--tz", "Asia/Tokyo", "--sysctl", "kernel.msgmax=4096", "--device", "/dev/zero:/dev/z:r"}
	if hostInit() {
		args = append(args, "--init")
	}
	e.MustPod(t, append(args, "alpine", "sleep", "1")...)
	r := e.MustPod(t, "inspect", "--format",
		"{{json .HostConfig.GroupAdd}} {{.Config.Umask}} {{.Config.Timezone}} {{.HostConfig.Init}} {{.Path}} {{json .Args}}", name)
	want := `["wheel","1234"] 0027 Asia/Tokyo true /run/podman-init ["--","sleep","1"]`
	if !hostInit() {
		want = `["wheel","1234"] 0027 Asia/Tokyo false sleep ["1"]`
	}
	expectStdout(t, r, want+"\n")

	plain := e.CtrName(t, "plain")
	e.MustPod(t, "create", "--name", plain, "alpine", "true")
	r = e.MustPod(t, "inspect", "--format", "{{json .HostConfig.GroupAdd}} {{.Config.Umask}} {{json .HostConfig.Devices}}", plain)
	expectStdout(t, r, "[] 0022 []\n")

	t.Run("sysctls and devices", func(t *testing.T) {
		skipUnderPodman(t, "podman 4.3's inspect has no HostConfig.Sysctls, and lists no devices for rootless containers")
		// Templates see inspect's JSON: object keys come sorted.
		r := e.MustPod(t, "inspect", "--format", "{{json .HostConfig.Sysctls}} {{json .HostConfig.Devices}}", name)
		expectStdout(t, r, `{"kernel.msgmax":"4096"} [{"CgroupPermissions":"r","PathInContainer":"/dev/z","PathOnHost":"/dev/zero"}]`+"\n")
	})
}

// TestRunFlagsErrors: every bad value is refused with one line naming it, exit 125, and
// nothing is left behind.
func TestRunFlagsErrors(t *testing.T) {
	e := sharedEnv(t)
	before := len(e.containerIDs(t))
	for _, tc := range []struct {
		args       []string
		want       []string
		podmanWant []string // podman's message, where it does not name the value
	}{
		{args: []string{"--sysctl", "vm.swappiness=1"}, want: []string{"sysctl 'vm.swappiness' is not allowed"}},
		{args: []string{"--sysctl", "kernel.hostname=x"}, want: []string{"kernel.hostname", "not allowed"}},
		{args: []string{"--sysctl", "nokeyvalue"}, want: []string{"nokeyvalue is invalid, sysctl values must be in the form of KEY=VALUE"}},
		{args: []string{"--network", "host", "--sysctl", "net.ipv4.ip_forward=1"}, want: []string{"sysctl net.ipv4.ip_forward=1 can't be set since Network Namespace set to host"}},
		{args: []string{"--umask", "0999"}, want: []string{"invalid umask string 0999"}},
		{args: []string{"--umask", "abc"}, want: []string{"invalid umask string abc"}},
		{args: []string{"--tz", "Nowhere/Land"}, want: []string{"Nowhere/Land"}},
		{args: []string{"--tz", "Asia"}, want: []string{"Asia", "not a time zone file"}, podmanWant: []string{"invalid timezone: is a directory"}},
		{args: []string{"--device", "/dev/zero:rx"}, want: []string{"invalid device mode: rx"}},
		{args: []string{"--device", "/dev/nosuchdevice"}, want: []string{"/dev/nosuchdevice"}},
		{args: []string{"--device", "/etc/passwd"}, want: []string{"/etc/passwd is not a valid device"}},
	} {
		r := e.Pod(t, append(append([]string{"run", "--rm"}, tc.args...), "alpine", "true")...)
		expectExit(t, r, 125)
		if cfg.podman && tc.podmanWant != nil {
			tc.want = tc.podmanWant
		}
		expectErrorLine(t, r, tc.want...)
	}
	if after := len(e.containerIDs(t)); after != before {
		t.Errorf("refused runs left containers: %d before, %d after", before, after)
	}
}
