package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// --dns, --dns-search, --dns-option, --add-host and --hostname reach
// /etc/resolv.conf, /etc/hosts and the hostname; inspect shows them.
func TestNetworkDNSAndHosts(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "dns")
	r := e.MustPod(t, "run", "--name", name, "--dns", "192.0.2.53", "--dns", "2001:db8::53", "--dns-search", "example.com",
		"--dns-option", "ndots:3", "--add-host", "db:192.0.2.10", "--add-host", "v6:2001:db8::10", "--hostname", "myhost",
		"alpine", "sh", "-c", "cat /etc/resolv.conf; echo ---; cat /etc/hosts; echo ---; hostname")
	parts := strings.Split(r.Stdout, "---\n")
	if len(parts) != 3 {
		t.Fatalf("output: %q", r.Stdout)
	}
	if want := "search example.com\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions ndots:3\n"; parts[0] != want {
		t.Errorf("resolv.conf:\n%s\nwant:\n%s", parts[0], want)
	}
	hosts := parts[1]
	for _, l := range []string{"192.0.2.10\tdb", "2001:db8::10\tv6", "127.0.0.1\tlocalhost", "\tmyhost " + name} {
		if !strings.Contains(hosts, l) {
			t.Errorf("/etc/hosts lacks %q:\n%s", l, hosts)
		}
	}
	if strings.Index(hosts, "192.0.2.10\tdb") > strings.Index(hosts, "localhost") {
		t.Errorf("--add-host entries do not come first:\n%s", hosts)
	}
	if parts[2] != "myhost\n" {
		t.Errorf("hostname %q", parts[2])
	}
	got := e.MustPod(t, "inspect", "--format", "{{json .HostConfig.Dns}} {{json .HostConfig.DnsSearch}} {{json .HostConfig.DnsOptions}} {{json .HostConfig.ExtraHosts}}", name).Out()
	if want := `["192.0.2.53","2001:db8::53"] ["example.com"] ["ndots:3"] ["db:192.0.2.10","v6:2001:db8::10"]`; got != want {
		t.Errorf("inspect: %s, want %s", got, want)
	}

	r = e.Pod(t, "run", "--rm", "--dns", "1.2.3", "alpine", "true")
	expectExit(t, r, 125)
	r = e.Pod(t, "run", "--rm", "--no-hosts", "--add-host", "a:192.0.2.1", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "--no-hosts and --add-host cannot be set together")
}

// --no-hosts leaves the image's /etc/hosts.
func TestNetworkNoHosts(t *testing.T) {
	e := sharedEnv(t)
	if got := e.MustPod(t, "run", "--rm", "alpine", "sh", "-c", "mount | grep -c ' /etc/hosts '").Out(); got != "1" {
		t.Errorf("/etc/hosts is not a mount by default: %q", got)
	}
	r := e.MustPod(t, "run", "--rm", "--no-hosts", "alpine", "sh", "-c", "mount | grep -c ' /etc/hosts ' ; cat /etc/hosts")
	lines := r.Lines()
	if len(lines) < 2 || lines[0] != "0" || !strings.HasPrefix(lines[1], "127.0.0.1\tlocalhost localhost.localdomain") {
		t.Errorf("--no-hosts: %q", r.Stdout)
	}
}

// host.containers.internal names the host where the network gives an
// address for it: slirp4netns always, pasta with --map-gw.
func TestNetworkHostContainersInternal(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--network", "slirp4netns", "alpine", "grep", "host.containers.internal", "/etc/hosts")
	if f := strings.Fields(r.Out()); len(f) < 2 || f[0] == "" || f[1] != "host.containers.internal" {
		t.Errorf("slirp4netns: %q", r.Stdout)
	}
	r = e.MustPod(t, "run", "--rm", "--network", "slirp4netns:allow_host_loopback=true", "alpine", "grep", "host.containers.internal", "/etc/hosts")
	// podman 4.3 keeps the host's own address there.
	if !strings.HasPrefix(r.Out(), "10.0.2.2\thost.containers.internal") && !(cfg.podman && strings.Contains(r.Out(), "\thost.containers.internal")) {
		t.Errorf("slirp4netns with allow_host_loopback: %q", r.Stdout)
	}
	skipUnderPodman(t, "podman 4.3 has no pasta")
	r = e.MustPod(t, "run", "--rm", "--network", "pasta:--map-gw", "alpine", "sh", "-c", "grep host.containers.internal /etc/hosts; ip route | grep ^default")
	lines := r.Lines()
	if len(lines) != 2 {
		t.Fatalf("pasta:--map-gw: %q", r.Stdout)
	}
	gw := strings.Fields(lines[1])
	if f := strings.Fields(lines[0]); len(gw) < 3 || len(f) < 2 || f[0] != gw[2] || f[1] != "host.containers.internal" {
		t.Errorf("pasta:--map-gw: host.containers.internal is not the gateway: %q", r.Stdout)
	}
	r = e.MustPod(t, "run", "--rm", "--add-host", "gw:host-gateway", "--network", "pasta:--map-gw", "alpine", "sh", "-c", "grep -w gw /etc/hosts; ip route | grep ^default")
	if lines := r.Lines(); len(lines) != 2 || strings.Fields(lines[0])[0] != strings.Fields(lines[1])[2] {
		t.Errorf("--add-host gw:host-gateway: %q", r.Stdout)
	}
}

// --network none: only the loopback interface; --mac-address is refused
// as podman refuses it without a bridge network.
func TestNetworkNoneAndMac(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--network", "none", "alpine", "sh", "-c", "ls /sys/class/net")
	if r.Out() != "lo" {
		t.Errorf("--network none interfaces: %q", r.Stdout)
	}
	r = e.Pod(t, "run", "--rm", "--mac-address", "02:42:ac:11:00:02", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "Bridge mode")
	r = e.Pod(t, "run", "--rm", "--network", "bogus", "alpine", "true")
	expectExit(t, r, 125)
}

// --network container:NAME shares the other's network namespace: its
// server on 127.0.0.1, its namespace inode; ns:PATH joins a bound one.
func TestNetworkContainerMode(t *testing.T) {
	e := sharedEnv(t)
	srv := e.CtrName(t, "netsrv")
	e.MustPod(t, "run", "-d", "--name", srv, "alpine", "nc", "-lk", "-p", "80", "-e", "echo", "shared")
	srvNS := e.MustPod(t, "exec", srv, "readlink", "/proc/1/ns/net").Out()
	joiner := e.CtrName(t, "netjoin")
	r := e.MustPod(t, "run", "--name", joiner, "--network", "container:"+srv, "alpine", "sh", "-c",
		"for i in $(seq 50); do nc 127.0.0.1 80 </dev/null && break; sleep 0.2; done; readlink /proc/self/ns/net")
	lines := r.Lines()
	if len(lines) != 2 || lines[0] != "shared" || lines[1] != srvNS {
		t.Errorf("container:%s: %q (server's namespace %s)", srv, r.Stdout, srvNS)
	}
	mode := e.MustPod(t, "inspect", "--format", "{{.HostConfig.NetworkMode}}", joiner).Out()
	id := e.MustPod(t, "inspect", "--format", "{{.Id}}", srv).Out()
	if mode != "container:"+id {
		t.Errorf("NetworkMode %q, want container:%s", mode, id)
	}

	r = e.Pod(t, "run", "--rm", "--network", "container:no-such-ctr", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-ctr")

	skipUnderPodman(t, "SandboxKey paths differ")
	key := e.MustPod(t, "inspect", "--format", "{{.NetworkSettings.SandboxKey}}", srv).Out()
	if key == "" {
		t.Fatalf("a running container has no SandboxKey")
	}
	r = e.MustPod(t, "run", "--rm", "--network", "ns:"+key, "alpine", "readlink", "/proc/self/ns/net")
	if r.Out() != srvNS {
		t.Errorf("ns:%s joined %q, want %q", key, r.Out(), srvNS)
	}
	e.MustPod(t, "stop", "-t", "0", srv)
	r = e.Pod(t, "start", joiner)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "not running", fmt.Sprintf("pod start %s", srv))
}

// info names the default network; pasta gives IPv6 where the host has it.
func TestNetworkInfoDefault(t *testing.T) {
	skipUnderPodman(t, "podman 4.3 reports its CNI backend")
	e := sharedEnv(t)
	if got := e.MustPod(t, "info", "--format", "{{.Host.NetworkBackend}}").Out(); got != "pasta" {
		t.Errorf("info network backend %q, want pasta (installed here)", got)
	}
	hostV6 := e.MustPod(t, "run", "--rm", "--network", "host", "alpine", "sh", "-c", "ip -6 -o addr show scope global | wc -l").Out()
	ctrV6 := e.MustPod(t, "run", "--rm", "alpine", "sh", "-c", "ip -6 -o addr show scope global | wc -l").Out()
	if hostV6 != "0" && ctrV6 == "0" {
		t.Errorf("the host has global IPv6 addresses but pasta gave the container none")
	}
}
