package e2e

import (
	"fmt"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestRunEchoHello(t *testing.T) {
	e := sharedEnv(t)
	before := e.containerIDs(t)
	r := e.MustPod(t, "run", "--rm", "alpine", "echo", "hello")
	expectStdout(t, r, "hello\n")
	if r.Stderr != "" {
		t.Errorf("run of a present image wrote to stderr: %q", r.Stderr)
	}
	if after := e.containerIDs(t); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("run --rm left a container: before %v, after %v", before, after)
	}
}

func TestRunExitCodes(t *testing.T) {
	e := sharedEnv(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"exit3", []string{"run", "--rm", "alpine", "sh", "-c", "exit 3"}, 3},
		{"notfound", []string{"run", "--rm", "alpine", "nosuchcmd"}, 127},
		{"notexecutable", []string{"run", "--rm", "alpine", "/etc/passwd"}, 126},
		{"unknownimage", []string{"run", "--rm", cfg.registry + "/library/no-such-image-e2e", "true"}, 125},
		{"badflag", []string{"run", "--rm", "--no-such-flag", "alpine", "true"}, 125},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.containerIDs(t)
			r := e.Pod(t, tc.args...)
			expectExit(t, r, tc.code)
			if tc.code >= 125 {
				expectErrorLine(t, r)
			}
			if after := e.containerIDs(t); strings.Join(after, " ") != strings.Join(before, " ") {
				t.Errorf("run --rm left a container: before %v, after %v", before, after)
			}
		})
	}
}

func TestRunNameInUse(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "dup")
	e.MustPod(t, "create", "--name", name, "alpine", "true")
	r := e.Pod(t, "run", "--rm", "--name", name, "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, name, "in use")
	r = e.Pod(t, "create", "--name", name, "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, name, "in use")
	r = e.MustPod(t, "ps", "-a", "--filter", "name="+name, "--format", "{{.Names}}")
	if r.Out() != name {
		t.Errorf("want exactly the first container named %s, got %q", name, r.Out())
	}
}

func TestRunEnv(t *testing.T) {
	e := sharedEnv(t)
	envFile := e.WriteFile(t, "env.list", "# a comment\nFROM_FILE=1\nSPACED=two words\n\nOVERRIDDEN=file\n")
	r := e.MustPod(t, "run", "--rm", "-e", "FOO=bar", "--env", "EMPTY=", "--env-file", envFile,
		"-e", "OVERRIDDEN=flag", "alpine", "env")
	env := r.Lines()
	for _, want := range []string{"FOO=bar", "EMPTY=", "FROM_FILE=1", "SPACED=two words", "OVERRIDDEN=flag",
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"} {
		if !contains(env, want) {
			t.Errorf("container env lacks %q: %q", want, env)
		}
	}
	r = e.PodOpt(t, RunOpts{Env: []string{"HOSTVAR=from-host"}}, "run", "--rm", "-e", "HOSTVAR", "alpine", "sh", "-c", "echo $HOSTVAR")
	expectStdout(t, r, "from-host\n")

	r = e.Pod(t, "run", "--rm", "--env-file", e.Home+"/no-such-env-file", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-env-file")
}

func TestRunWorkdir(t *testing.T) {
	e := sharedEnv(t)
	expectStdout(t, e.MustPod(t, "run", "--rm", "-w", "/tmp", "alpine", "pwd"), "/tmp\n")
	expectStdout(t, e.MustPod(t, "run", "--rm", "--workdir", "/etc/apk", "alpine", "pwd"), "/etc/apk\n")
	expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "pwd"), "/\n")
}

func TestRunUser(t *testing.T) {
	e := sharedEnv(t)
	expectStdout(t, e.MustPod(t, "run", "--rm", "alpine", "id", "-u"), "0\n")
	expectStdout(t, e.MustPod(t, "run", "--rm", "-u", "nobody", "alpine", "sh", "-c", "id -u; id -g; id -un"), "65534\n65534\nnobody\n")
	expectStdout(t, e.MustPod(t, "run", "--rm", "--user", "1000:1001", "alpine", "sh", "-c", "id -u; id -g"), "1000\n1001\n")
	expectStdout(t, e.MustPod(t, "run", "--rm", "-u", "guest", "alpine", "id", "-u"), "405\n")
	r := e.Pod(t, "run", "--rm", "-u", "no-such-user", "alpine", "true")
	if r.ExitCode == 0 {
		t.Errorf("run -u no-such-user succeeded: %s", r.describe())
	}
}

func TestRunEntrypoint(t *testing.T) {
	e := sharedEnv(t)
	expectStdout(t, e.MustPod(t, "run", "--rm", "--entrypoint", "/bin/echo", "alpine", "x", "y"), "x y\n")
	expectStdout(t, e.MustPod(t, "run", "--rm", "--entrypoint", "/bin/echo", "alpine"), "\n")
	expectStdout(t, e.MustPod(t, "run", "--rm", "--entrypoint", `["/bin/sh","-c"]`, "alpine", "echo json"), "json\n")
}

func TestRunInteractive(t *testing.T) {
	e := sharedEnv(t)
	in := "line one\nline two\n"
	r := e.PodOpt(t, RunOpts{Stdin: in}, "run", "--rm", "-i", "alpine", "cat")
	expectExit(t, r, 0)
	expectStdout(t, r, in)
	r = e.PodOpt(t, RunOpts{Stdin: "data\n"}, "run", "--rm", "-i", "alpine", "sh", "-c", "read x; echo got=$x; exit 9")
	expectExit(t, r, 9)
	expectStdout(t, r, "got=data\n")
	// Without -i the container's stdin is not the caller's.
	r = e.PodOpt(t, RunOpts{Stdin: "ignored\n"}, "run", "--rm", "alpine", "cat")
	expectExit(t, r, 0)
	expectStdout(t, r, "")
}

func TestRunTTY(t *testing.T) {
	e := sharedEnv(t)
	r := e.PodOpt(t, RunOpts{TTY: true, Timeout: 60 * time.Second}, "run", "--rm", "-t", "alpine", "tty")
	expectExit(t, r, 0)
	if !regexp.MustCompile(`(?m)^/dev/pts/0\r*$`).MatchString(r.Stdout) {
		t.Errorf("tty inside a -t container: got %q, want /dev/pts/0", r.Stdout)
	}
	if strings.Contains(r.Stdout, "\r\r\n") {
		t.Errorf("output %q has \\r\\r\\n: the caller's terminal was not put in raw mode (podman prints \"/dev/pts/0\\r\\n\")", r.Stdout)
	}
	r = e.PodOpt(t, RunOpts{TTY: true, Timeout: 60 * time.Second}, "run", "--rm", "-t", "alpine", "sh", "-c", "stty size; exit 5")
	expectExit(t, r, 5)
	if !strings.Contains(r.Stdout, "24 80") {
		t.Errorf("stty size inside the container (-t without -i): got %q, want the caller's size 24 80 (stdin must be the container's terminal)", r.Stdout)
	}
	r = e.PodOpt(t, RunOpts{TTY: true, Stdin: "abc\n", Timeout: 60 * time.Second}, "run", "--rm", "-it", "alpine", "sh", "-c", "read x; echo got=$x; exit 4")
	expectExit(t, r, 4)
	if !strings.Contains(r.Stdout, "got=abc") {
		t.Errorf("-it: typed input did not reach the container: %q", r.Stdout)
	}
	r = e.PodOpt(t, RunOpts{TTY: true, Timeout: 60 * time.Second}, "run", "--rm", "alpine", "sh", "-c", "tty; true")
	if strings.Contains(r.Stdout, "/dev/pts/") {
		t.Errorf("without -t the container got a terminal: %q", r.Stdout)
	}
}

func TestRunHostname(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--hostname", "e2e-host", "alpine", "sh", "-c", "uname -n; cat /etc/hostname; echo")
	if got := strings.Fields(r.Stdout); len(got) != 2 || got[0] != "e2e-host" || got[1] != "e2e-host" {
		t.Errorf("uname -n and /etc/hostname: got %q, want e2e-host twice", r.Stdout)
	}
	name := e.CtrName(t, "hn")
	r = e.MustPod(t, "run", "--name", name, "alpine", "uname", "-n")
	id := e.MustPod(t, "inspect", "--format", "{{.Id}}", name).Out()
	if len(id) < 12 || r.Out() != id[:12] {
		t.Errorf("default hostname %q, want the short id %q", r.Out(), id)
	}
}

func TestRunLabels(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "lbl")
	other := e.CtrName(t, "lbl")
	e.MustPod(t, "create", "--name", name, "-l", "e2e.a=1", "--label", "e2e.b=two", "alpine", "true")
	e.MustPod(t, "create", "--name", other, "-l", "e2e.a=other", "alpine", "true")
	if got := e.MustPod(t, "inspect", "--format", `{{index .Config.Labels "e2e.b"}}`, name).Out(); got != "two" {
		t.Errorf(`inspect {{index .Config.Labels "e2e.b"}} = %q`, got)
	}
	if got := e.MustPod(t, "inspect", "--format", `{{.Config.Labels}}`, name).Out(); !strings.Contains(got, "e2e.a:1") {
		t.Errorf(`inspect {{.Config.Labels}} = %q`, got)
	}
	ps := func(filter string) []string {
		l := e.MustPod(t, "ps", "-a", "--filter", filter, "--format", "{{.Names}}").Lines()
		sort.Strings(l)
		return l
	}
	if got := ps("label=e2e.a=1"); strings.Join(got, " ") != name {
		t.Errorf("ps --filter label=e2e.a=1: %q, want [%s]", got, name)
	}
	if got := ps("label=e2e.a"); len(got) != 2 || !contains(got, name) || !contains(got, other) {
		t.Errorf("ps --filter label=e2e.a: %q, want %s and %s", got, name, other)
	}
	if got := ps("label=e2e.a=nothing"); len(got) != 0 {
		t.Errorf("ps --filter label=e2e.a=nothing: %q, want nothing", got)
	}
}

func TestNetworkNone(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--network", "none", "alpine", "ls", "/sys/class/net")
	if got := strings.Fields(r.Stdout); len(got) != 1 || got[0] != "lo" {
		t.Errorf("--network none: interfaces %q, want only lo", got)
	}
}

func TestNetworkHost(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--network", "host", "alpine", "ls", "/sys/class/net")
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	var host []string
	for _, i := range ifs {
		host = append(host, i.Name)
	}
	got := strings.Fields(r.Stdout)
	sort.Strings(got)
	sort.Strings(host)
	if strings.Join(got, " ") != strings.Join(host, " ") {
		t.Errorf("--network host: interfaces %q, host has %q", got, host)
	}
}

// hostListener serves a token over HTTP on addr ("127.0.0.1:0", "0.0.0.0:0") of the host
// until the test ends, and returns its port and the token.
func hostListener(t *testing.T, addr string) (port int, token string) {
	t.Helper()
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	token = fmt.Sprintf("pod-e2e-%d", time.Now().UnixNano())
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, token)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port, token
}

// fetchScript fetches http://HOST:port/ in the container, where HOST is the container's
// default gateway ("gateway"), host.containers.internal ("internal") or an address; it
// prints the body, or "unreachable".
func fetchScript(host string, port int) string {
	target := host
	switch host {
	case "gateway":
		target = "$(ip route | awk '/^default/ {print $3; exit}')"
	case "internal":
		target = "host.containers.internal"
	}
	return fmt.Sprintf(`h=%s; [ -n "$h" ] || { echo "no address" >&2; exit 11; }
wget -q -T 4 -O - "http://$h:%d/" 2>/dev/null || echo unreachable`, target, port)
}

// TestNetworkHostLoopback: the host's loopback is closed to containers by default, with
// pasta and with slirp4netns, and opened per container by --network pasta:--map-gw and
// slirp4netns:allow_host_loopback=true. Without the opt-in, host.containers.internal
// names an address of the host that reaches its services bound to every address.
func TestNetworkHostLoopback(t *testing.T) {
	e := sharedEnv(t)
	lport, ltoken := hostListener(t, "127.0.0.1:0")
	aport, atoken := hostListener(t, "0.0.0.0:0")
	run := func(network, script string) string {
		t.Helper()
		args := []string{"run", "--rm"}
		if network != "" {
			args = append(args, "--network", network)
		}
		return e.MustPod(t, append(args, "alpine", "sh", "-c", script)...).Out()
	}
	hostsEntry := func(network string) string {
		t.Helper()
		return run(network, "awk '/host.containers.internal/ {print $1}' /etc/hosts")
	}
	for _, mode := range []string{"pasta", "slirp4netns"} {
		t.Run(mode, func(t *testing.T) {
			gateway := "gateway"
			open := mode + ":--map-gw"
			if mode == "slirp4netns" {
				gateway, open = "10.0.2.2", mode+":allow_host_loopback=true"
			}
			if got := run(mode, fetchScript(gateway, lport)); got != "unreachable" {
				t.Errorf("--network %s reached a host 127.0.0.1 listener: %q", mode, got)
			}
			if got := run(open, fetchScript(gateway, lport)); got != ltoken {
				t.Errorf("--network %s: host 127.0.0.1 listener gave %q, want %q", open, got, ltoken)
			}
			if got := run(open, fetchScript("internal", lport)); got != ltoken {
				t.Errorf("--network %s: host.containers.internal gave %q, want the loopback listener's %q", open, got, ltoken)
			}
			addr := hostsEntry(mode)
			if strings.HasPrefix(addr, "127.") || addr == "10.0.2.2" {
				t.Fatalf("--network %s: host.containers.internal is %q, a loopback address", mode, addr)
			}
			if addr == "" {
				// pasta gives the container the address of the host's
				// default-route interface: with no other interface the
				// host has no address of its own to name.
				if mode == "slirp4netns" {
					t.Fatal("--network slirp4netns: no host.containers.internal entry")
				}
				return
			}
			if got := run(mode, fetchScript("internal", aport)); got != atoken {
				t.Errorf("--network %s: host.containers.internal (%s) gave %q for a listener on every address, want %q", mode, addr, got, atoken)
			}
			if got := run(mode, fetchScript("internal", lport)); got != "unreachable" {
				t.Errorf("--network %s: host.containers.internal (%s) reached the 127.0.0.1 listener: %q", mode, addr, got)
			}
		})
	}
	// The default network is one of the two, closed as well; name resolution is generated.
	if got := run("", fetchScript("gateway", lport)); got != "unreachable" {
		t.Errorf("default network reached a host 127.0.0.1 listener: %q", got)
	}
	r := e.MustPod(t, "run", "--rm", "alpine", "sh", "-c", "grep -c nameserver /etc/resolv.conf; grep -c localhost /etc/hosts")
	if f := strings.Fields(r.Stdout); len(f) != 2 || f[0] == "0" || f[1] == "0" {
		t.Errorf("/etc/resolv.conf or /etc/hosts not generated: %q", r.Stdout)
	}
	for _, bad := range []string{"slirp4netns:allow_host_loopback=maybe", "slirp4netns:bogus=1", "none:x"} {
		r := e.Pod(t, "run", "--rm", "--network", bad, "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r)
	}
}

func TestRunPullPolicy(t *testing.T) {
	e := sharedEnv(t)
	// Nothing in the suite pulls this name: it is never in the shared store.
	missing := cfg.registry + "/library/alpine:3.19.4"
	r := e.Pod(t, "run", "--rm", "--pull=never", missing, "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r)
	r = e.Pod(t, "create", "--pull", "never", missing, "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r)
	if got := e.MustPod(t, "images", "--format", "{{.Repository}}:{{.Tag}}").Lines(); contains(got, missing) {
		t.Errorf("--pull=never pulled %s", missing)
	}

	r = e.MustPod(t, "run", "--rm", "--pull=missing", "alpine", "echo", "ok")
	expectStdout(t, r, "ok\n")
	if strings.Contains(r.Stderr, "Copying") {
		t.Errorf("--pull=missing pulled a present image: %q", r.Stderr)
	}
	r = e.MustPod(t, "run", "--rm", "--pull=always", "alpine", "echo", "ok")
	expectStdout(t, r, "ok\n")
	if !strings.Contains(r.Stderr, "Writing manifest") {
		t.Errorf("--pull=always did not pull (stderr %q)", r.Stderr)
	}
	r = e.Pod(t, "run", "--rm", "--pull=sometimes", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "sometimes")
}
