package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rootlessHelper returns the pid the rootless network namespace's pid
// record names (its pasta or slirp4netns), 0 for none.
func (e *Env) rootlessHelper() int {
	data, err := os.ReadFile(filepath.Join(e.RunDir, "pod", "rootless-netns.pid"))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0
	}
	pid, _ := strconv.Atoi(f[0])
	return pid
}

// procComm is the command name of pid, "" when it is gone.
func procComm(pid int) string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

// restartCount is the container's RestartCount.
func (e *Env) restartCount(t testing.TB, ctr string) int {
	t.Helper()
	n, err := strconv.Atoi(e.MustPod(t, "inspect", "--format", "{{.RestartCount}}", ctr).Out())
	if err != nil {
		t.Fatalf("RestartCount of %s: %v", ctr, err)
	}
	return n
}

// killForRestart kills the container's process and waits until its monitor
// started it again (the restart policy).
func (e *Env) killForRestart(t testing.TB, ctr string) {
	t.Helper()
	n := e.restartCount(t, ctr)
	e.MustPod(t, "kill", ctr)
	if !waitFor(30*time.Second, func() bool { return e.restartCount(t, ctr) > n }) {
		t.Fatalf("the monitor did not restart %s", ctr)
	}
}

// expectAddr waits until the container's interface iface has the address
// cidr (exec fails while the container is between runs).
func (e *Env) expectAddr(t testing.TB, ctr, iface, cidr, when string) {
	t.Helper()
	var last string
	if !waitFor(20*time.Second, func() bool {
		r := e.run(nil, RunOpts{}, "exec", ctr, "ip", "-o", "-4", "addr", "show", iface)
		last = r.Stdout + r.Stderr
		return r.ExitCode == 0 && strings.Contains(r.Stdout, " "+cidr+" ")
	}) {
		t.Errorf("%s: %s has no %s on %s: %s", when, ctr, cidr, iface, last)
	}
}

// A container on a user network that its monitor restarts comes back on
// the network with its address, name and alias even when what plugged it
// in is gone meanwhile: the rootless namespace's helper died, its interface
// was deleted, aardvark-dns died. The monitor's restart does it, before any
// other command could.
func TestUserNetworkRestartReattach(t *testing.T) {
	skipUnderPodman(t, "pod's monitor and rootless network namespace")
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	e.MustPod(t, "network", "create", "--subnet", "10.131.7.0/24", "rn1")
	e.MustPod(t, append([]string{"run", "-d", "--name", "srv", "--network", "rn1", "--network-alias", "web", "--restart", "always", "alpine"}, server("hello")...)...)
	ipOf := func() string {
		return e.MustPod(t, "inspect", "--format", "{{.NetworkSettings.Networks.rn1.IPAddress}}", "srv").Out()
	}
	ip := ipOf()
	if !strings.HasPrefix(ip, "10.131.7.") {
		t.Fatalf("address %q", ip)
	}
	if got := dialIn(t, e, "rn1", "web"); got != "hello" {
		t.Fatalf("nc web 80: %q", got)
	}

	// A plain restart keeps everything.
	e.killForRestart(t, "srv")
	if got := dialIn(t, e, "rn1", "srv"); got != "hello" {
		t.Errorf("after a restart: nc srv 80: %q", got)
	}

	// The rootless namespace's helper dies: the restart rebuilds the
	// namespace and plugs srv into it (checked before another container
	// starts, which would rebuild it too).
	old := e.rootlessHelper()
	if old == 0 || procComm(old) == "" {
		t.Fatalf("no rootless network namespace helper (%d)", old)
	}
	if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	e.killForRestart(t, "srv")
	if now := e.rootlessHelper(); now == old || procComm(now) == "" {
		t.Errorf("the restart did not rebuild the rootless network namespace: helper %d (was %d)", now, old)
	}
	e.expectAddr(t, "srv", "eth0", ip+"/24", "after the helper died")
	for _, host := range []string{"srv", "web"} {
		if got := dialIn(t, e, "rn1", host); got != "hello" {
			t.Errorf("after the helper died: nc %s 80: %q", host, got)
		}
	}
	if got := ipOf(); got != ip {
		t.Errorf("address %s became %s", ip, got)
	}

	// srv's interface is deleted: the restart sets it up again.
	pid := e.inspectPid(t, "srv")
	if out, err := exec.Command("nsenter", "-t", strconv.Itoa(pid), "-n", "ip", "link", "del", "eth0").CombinedOutput(); err != nil {
		t.Fatalf("delete eth0: %v: %s", err, out)
	}
	e.killForRestart(t, "srv")
	e.expectAddr(t, "srv", "eth0", ip+"/24", "after eth0 was deleted")
	if got := dialIn(t, e, "rn1", "web"); got != "hello" {
		t.Errorf("after eth0 was deleted: nc web 80: %q", got)
	}

	// aardvark-dns dies: the restart starts it again.
	pidFile := filepath.Join(e.RunDir, "pod", "netavark", "aardvark-dns", "aardvark.pid")
	data, _ := os.ReadFile(pidFile)
	dns, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	if dns <= 0 || procComm(dns) != "aardvark-dns" {
		t.Fatalf("no aardvark-dns (%q)", data)
	}
	_ = syscall.Kill(dns, syscall.SIGKILL)
	e.killForRestart(t, "srv")
	data, _ = os.ReadFile(pidFile)
	if now, _ := strconv.Atoi(strings.TrimSpace(string(data))); now == dns || procComm(now) != "aardvark-dns" {
		t.Errorf("the restart did not start aardvark-dns again (%q)", data)
	}
	if got := dialIn(t, e, "rn1", "web"); got != "hello" {
		t.Errorf("after aardvark-dns died: nc web 80: %q", got)
	}

	e.MustPod(t, "rm", "-a", "-f", "-t", "0")
	expectNoUserNet(t, e, "after rm -a -f")
}

// network inspect lists the running containers on the network, keyed by
// id, each with its name and its interfaces on that network (addresses,
// gateway, MAC), as podman 5 does.
func TestNetworkInspectContainers(t *testing.T) {
	skipUnderPodman(t, "podman 4.3 lists no containers in network inspect")
	e := sharedEnv(t)
	n1, n2 := e.netName(t, "nic"), e.netName(t, "nic")
	e.MustPod(t, "network", "create", "--subnet", "10.131.8.0/24", n1)
	e.MustPod(t, "network", "create", n2)
	a, b, c := e.CtrName(t, "nica"), e.CtrName(t, "nicb"), e.CtrName(t, "nicc")
	defer e.Pod(t, "rm", "-f", "-t", "0", a, b, c)
	idA := e.MustPod(t, "run", "-d", "--name", a, "--network", n1, "--ip", "10.131.8.5", "alpine", "sleep", "300").Out()
	idB := e.MustPod(t, "run", "-d", "--name", b, "--network", n1+","+n2, "alpine", "sleep", "300").Out()
	e.MustPod(t, "create", "--name", c, "--network", n1, "alpine", "true")

	type iface struct {
		Subnets []struct {
			IPNet   string `json:"ipnet"`
			Gateway string `json:"gateway"`
		} `json:"subnets"`
		MacAddress string `json:"mac_address"`
	}
	type ctr struct {
		Name       string           `json:"name"`
		Interfaces map[string]iface `json:"interfaces"`
	}
	inspect := func(net string) map[string]ctr {
		t.Helper()
		var out []struct {
			Name       string         `json:"name"`
			Containers map[string]ctr `json:"containers"`
		}
		raw := e.MustPod(t, "network", "inspect", net).Stdout
		if err := json.Unmarshal([]byte(raw), &out); err != nil || len(out) != 1 || out[0].Name != net {
			t.Fatalf("network inspect %s: %v: %s", net, err, raw)
		}
		if out[0].Containers == nil {
			t.Fatalf("network inspect %s has no containers object: %s", net, raw)
		}
		return out[0].Containers
	}
	keys := func(m map[string]ctr) []string {
		var k []string
		for id := range m {
			k = append(k, id)
		}
		sort.Strings(k)
		return k
	}

	got := inspect(n1)
	want := []string{idA, idB}
	sort.Strings(want)
	if k := keys(got); strings.Join(k, " ") != strings.Join(want, " ") {
		t.Fatalf("containers on %s: %v, want %v (the created one absent)", n1, k, want)
	}
	macA := e.MustPod(t, "inspect", "--format", "{{(index .NetworkSettings.Networks \""+n1+"\").MacAddress}}", a).Out()
	ia, ok := got[idA].Interfaces["eth0"]
	if got[idA].Name != a || !ok || len(got[idA].Interfaces) != 1 || len(ia.Subnets) != 1 ||
		ia.Subnets[0].IPNet != "10.131.8.5/24" || ia.Subnets[0].Gateway != "10.131.8.1" || ia.MacAddress != macA || macA == "" {
		t.Errorf("%s on %s: %+v (MAC %q)", a, n1, got[idA], macA)
	}
	if _, ok := got[idB].Interfaces["eth0"]; got[idB].Name != b || !ok || len(got[idB].Interfaces) != 1 {
		t.Errorf("%s on %s: %+v", b, n1, got[idB])
	}
	if on2 := inspect(n2); len(on2) != 1 || len(on2[idB].Interfaces) != 1 || len(on2[idB].Interfaces["eth1"].Subnets) != 1 {
		t.Errorf("containers on %s: %+v, want %s with eth1", n2, on2, b)
	}
	if names := e.MustPod(t, "network", "inspect", "--format", "{{range .Containers}}{{.Name}} {{end}}", n2).Out(); names != b {
		t.Errorf("--format .Containers: %q", names)
	}

	e.MustPod(t, "stop", "-t", "0", b)
	if k := keys(inspect(n1)); len(k) != 1 || k[0] != idA {
		t.Errorf("after stopping %s: %v", b, k)
	}
	raw := e.MustPod(t, "network", "inspect", n2).Stdout
	if on2 := inspect(n2); len(on2) != 0 || !strings.Contains(raw, `"containers": {}`) {
		t.Errorf("a network with no running container: %s", raw)
	}
}

// With pasta not installed, slirp4netns serves the rootless network
// namespace of user networks (as it serves the default network): names,
// aliases and published ports work, and it goes with the last container.
// pod.conf's network = "slirp4netns" chooses it with pasta installed.
func TestUserNetworkSlirp4netns(t *testing.T) {
	skipUnderPodman(t, "pod's rootless network namespace")
	e := NewEnv(t, EnvOptions{})
	e.MustPod(t, "pull", "-q", "alpine")
	// A PATH with every program of /usr/bin but pasta.
	farm := filepath.Join(e.Dir, "nopasta")
	if err := os.Mkdir(farm, 0o755); err != nil {
		t.Fatal(err)
	}
	progs, err := os.ReadDir("/usr/bin")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range progs {
		if n := p.Name(); !strings.HasPrefix(n, "pasta") && !strings.HasPrefix(n, "passt") {
			if err := os.Symlink(filepath.Join("/usr/bin", n), filepath.Join(farm, n)); err != nil {
				t.Fatal(err)
			}
		}
	}
	noPasta := RunOpts{Env: []string{"PATH=" + cfg.binDir + ":" + farm + ":/usr/sbin"}}
	must := func(args ...string) *Result {
		t.Helper()
		r := e.PodOpt(t, noPasta, args...)
		if r.ExitCode != 0 {
			t.Fatalf("command failed: %s", r.describe())
		}
		return r
	}
	if got := must("info", "--format", "{{.Host.NetworkBackend}}").Out(); got != "slirp4netns" {
		t.Fatalf("without pasta the network backend is %q", got)
	}
	must("network", "create", "--subnet", "10.131.9.0/24", "sn1")
	port := freePort(t, "tcp", 1)
	must(append([]string{"run", "-d", "--name", "srv", "--network", "sn1", "--network-alias", "web", "-p", strconv.Itoa(port) + ":80", "alpine"}, server("slirp")...)...)
	if h := e.rootlessHelper(); procComm(h) != "slirp4netns" {
		t.Fatalf("the rootless network namespace is served by %d (%q), want slirp4netns", h, procComm(h))
	}
	for _, host := range []string{"srv", "web"} {
		got := must("run", "--rm", "--network", "sn1", "alpine", "sh", "-c",
			"for i in $(seq 50); do nc -w 2 "+host+" 80 </dev/null && exit 0; sleep 0.2; done; exit 1").Out()
		if got != "slirp" {
			t.Errorf("nc %s 80 from sn1: %q", host, got)
		}
	}
	if got := strings.TrimSpace(dialRead(t, "127.0.0.1:"+strconv.Itoa(port))); got != "slirp" {
		t.Errorf("published port: %q", got)
	}
	must("rm", "-a", "-f", "-t", "0")
	expectNoUserNet(t, e, "after rm -a -f (slirp4netns)")

	// Chosen in pod.conf while pasta is installed.
	e.WriteFile(t, ".config/pod/pod.conf", "network = \"slirp4netns\"\n")
	e.MustPod(t, append([]string{"run", "-d", "--name", "srv2", "--network", "sn1", "--network-alias", "web2", "alpine"}, server("conf")...)...)
	if h := e.rootlessHelper(); procComm(h) != "slirp4netns" {
		t.Errorf("with network = \"slirp4netns\" the rootless network namespace is served by %q", procComm(h))
	}
	if got := dialIn(t, e, "sn1", "web2"); got != "conf" {
		t.Errorf("nc web2 80: %q", got)
	}
	e.MustPod(t, "rm", "-a", "-f", "-t", "0")
	expectNoUserNet(t, e, "after rm -a -f (pod.conf)")
}
