package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The extra run flag tests check --annotation, --personality, the environment flags,
// --pidfile and --conmon-pidfile, --timeout, --requires and the --pid, --ipc and --uts
// namespaces by their effect in the container and in inspect.

// TestRunExtraAnnotationPersonality: the annotation is in inspect, LINUX32 makes uname
// report a 32-bit machine, and bad values are refused.
func TestRunExtraAnnotationPersonality(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "annot")
	r := e.MustPod(t, "run", "--name", name, "--annotation", "org.example.k=v1", "--personality", "LINUX32", "alpine", "uname", "-m")
	expectStdout(t, r, "i686\n")
	r = e.MustPod(t, "inspect", "--format", "{{index .Config.Annotations \"org.example.k\"}}", name)
	expectStdout(t, r, "v1\n")
	e.MustPod(t, "rm", name)
	expectExit(t, e.Pod(t, "run", "--rm", "--annotation", "nokey", "alpine", "true"), 125)
	expectExit(t, e.Pod(t, "run", "--rm", "--personality", "PDP11", "alpine", "true"), 125)
}

// TestRunExtraEnv: --unsetenv drops a default variable, --env-merge expands the image's
// value, --unsetenv-all keeps only -e values (and HOME the runtime adds).
func TestRunExtraEnv(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--unsetenv", "TERM", "--env-merge", "PATH=/opt/bin:${PATH}", "alpine", "/usr/bin/env")
	if strings.Contains(r.Stdout, "TERM=") || !strings.Contains(r.Stdout, "PATH=/opt/bin:/usr/local/sbin:") {
		t.Errorf("env: %q", r.Stdout)
	}
	r = e.MustPod(t, "run", "--rm", "--unsetenv-all", "-e", "X=1", "alpine", "/usr/bin/env")
	if strings.Contains(r.Stdout, "PATH=") || strings.Contains(r.Stdout, "container=") || !strings.Contains(r.Stdout, "X=1\n") {
		t.Errorf("env with --unsetenv-all: %q", r.Stdout)
	}
}

// TestRunExtraPidFiles: --pidfile holds the container's pid as inspect shows it,
// --conmon-pidfile a live process that is not the container.
func TestRunExtraPidFiles(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "pidf")
	pf, cpf := filepath.Join(e.Home, name+".pid"), filepath.Join(e.Home, name+".cpid")
	e.MustPod(t, "run", "-d", "--name", name, "--pidfile", pf, "--conmon-pidfile", cpf, "alpine", "sleep", "100")
	defer e.Pod(t, "rm", "-f", "-t0", name)
	r := e.MustPod(t, "inspect", "--format", "{{.State.Pid}} {{.PidFile}} {{.ConmonPidFile}}", name)
	got, _ := os.ReadFile(pf)
	mon, _ := os.ReadFile(cpf)
	fields := strings.Fields(r.Stdout)
	if len(fields) != 3 || string(got) != fields[0] || fields[1] != pf || fields[2] != cpf {
		t.Fatalf("pidfile %q, inspect %q", got, r.Stdout)
	}
	mpid, err := strconv.Atoi(string(mon))
	if err != nil || string(mon) == string(got) {
		t.Fatalf("conmon pidfile %q", mon)
	}
	if _, err := os.Stat("/proc/" + strconv.Itoa(mpid)); err != nil {
		t.Errorf("monitor pid %d is not running", mpid)
	}
}

// TestRunExtraTimeout: the container is killed after --timeout seconds (137) and
// inspect shows the timeout.
func TestRunExtraTimeout(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "tmo")
	start := time.Now()
	r := e.Pod(t, "run", "--name", name, "--timeout", "2", "alpine", "sleep", "30")
	expectExit(t, r, 137)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.Config.Timeout}}", name), "2\n")
	e.MustPod(t, "rm", name)
}

// TestRunExtraRequires: starting the container starts the one it requires first.
func TestRunExtraRequires(t *testing.T) {
	e := sharedEnv(t)
	base, dep := e.CtrName(t, "reqbase"), e.CtrName(t, "reqdep")
	e.MustPod(t, "create", "--name", base, "alpine", "sleep", "100")
	defer e.Pod(t, "rm", "-f", "-t0", base)
	e.MustPod(t, "create", "--name", dep, "--requires", base, "alpine", "sleep", "100")
	defer e.Pod(t, "rm", "-f", "-t0", dep)
	e.MustPod(t, "start", dep)
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.State.Status}}", base), "running\n")
	expectExit(t, e.Pod(t, "create", "--requires", "nosuchctr", "alpine", "true"), 125)
}

// TestRunExtraNamespaces: --pid host shows the host's processes, --uts host the host's
// hostname, --pid container:NAME the other container's processes; inspect shows the modes.
func TestRunExtraNamespaces(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--pid", "host", "alpine", "cat", "/proc/1/comm")
	host1, _ := os.ReadFile("/proc/1/comm")
	expectStdout(t, r, string(host1))
	hn, _ := os.Hostname()
	expectStdout(t, e.MustPod(t, "run", "--rm", "--uts", "host", "alpine", "hostname"), hn+"\n")
	name := e.CtrName(t, "pidns")
	e.MustPod(t, "run", "-d", "--name", name, "alpine", "sleep", "100")
	defer e.Pod(t, "rm", "-f", "-t0", name)
	j := e.CtrName(t, "pidjoin")
	r = e.MustPod(t, "run", "--name", j, "--pid", "container:"+name, "--ipc", "host", "alpine", "ps", "-o", "args")
	if !strings.Contains(r.Stdout, "sleep 100") {
		t.Errorf("ps in the joined pid namespace: %q", r.Stdout)
	}
	r = e.MustPod(t, "inspect", "--format", "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}", j)
	if !strings.HasPrefix(r.Stdout, "container:") || !strings.HasSuffix(r.Stdout, " host private\n") {
		t.Errorf("inspect modes: %q", r.Stdout)
	}
	e.MustPod(t, "rm", j)
	expectExit(t, e.Pod(t, "run", "--rm", "--uts", "bogus", "alpine", "true"), 125)
}
