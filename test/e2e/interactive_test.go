package e2e

import (
	"strings"
	"testing"
	"time"
)

// run -it: a real terminal whose size follows the user's, job control,
// exit code passed on; the detach keys leave the container running, and
// attach finds it again with the attacher's size.
func TestRunInteractiveTerminalDetachAttach(t *testing.T) {
	skipUnderPodman(t, "podman 4.3 does not detach on ctrl-p,ctrl-q in this test's terminal")
	e := sharedEnv(t)
	name := e.CtrName(t, "tty")
	defer e.Pod(t, "rm", "-f", "-t", "0", name)
	s := e.PodPTY(t, "run", "-it", "--name", name, "--network", "none", "alpine", "sh")
	s.Send("stty size; echo x$((6*7))x\r")
	s.Expect("x42x", 20*time.Second)
	if !strings.Contains(s.Output(), "24 80") {
		t.Errorf("the container's terminal is not the user's 24x80: %q", s.Output())
	}
	s.Resize(33, 101)
	time.Sleep(300 * time.Millisecond)
	s.Send("stty size\r")
	s.Expect("33 101", 10*time.Second)
	// Job control: a background job and fg.
	s.Send("sleep 30 & jobs; kill %1; echo job-$((2+3))\r")
	s.Expect("job-5", 10*time.Second)
	if !strings.Contains(s.Output(), "[1]") {
		t.Errorf("no job control in the container's shell: %q", s.Output())
	}
	s.Send("\x10\x11") // ctrl-p ctrl-q
	r := s.Wait(10 * time.Second)
	expectExit(t, r, 0)
	if got := e.state(t, name); got != "running" {
		t.Fatalf("after the detach keys the container is %q, want running", got)
	}

	a := e.PodPTY(t, "attach", name)
	time.Sleep(300 * time.Millisecond)
	a.Send("stty size; exit 7\r")
	a.Expect("24 80", 10*time.Second)
	r = a.Wait(20 * time.Second)
	expectExit(t, r, 7)
	if got := e.state(t, name); got != "exited" {
		t.Errorf("after exit in attach the container is %q", got)
	}
}

// --detach-keys picks another sequence; a bad one is a usage error.
func TestDetachKeysFlag(t *testing.T) {
	skipUnderPodman(t, "podman 4.3 does not detach on the keys in this test's terminal")
	e := sharedEnv(t)
	name := e.CtrName(t, "keys")
	defer e.Pod(t, "rm", "-f", "-t", "0", name)
	s := e.PodPTY(t, "run", "-it", "--detach-keys", "ctrl-a,d", "--name", name, "--network", "none", "alpine", "sh")
	s.Send("echo ready-$((1+1))\r")
	s.Expect("ready-2", 20*time.Second)
	s.Send("\x10\x11") // the default sequence is plain input now
	s.Send("echo still-$((3+4))\r")
	s.Expect("still-7", 10*time.Second)
	s.Send("\x01d")
	expectExit(t, s.Wait(10*time.Second), 0)
	if got := e.state(t, name); got != "running" {
		t.Fatalf("after ctrl-a,d the container is %q, want running", got)
	}
	r := e.Pod(t, "attach", "--detach-keys", "ctrl-1", name)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "ctrl-1")
}

// -i without -t streams stdin and EOF closes it.
func TestRunInteractivePipe(t *testing.T) {
	e := sharedEnv(t)
	r := e.PodOpt(t, RunOpts{Stdin: "hi\nthere\n"}, "run", "--rm", "-i", "--network", "none", "alpine", "sh", "-c", "cat; echo eof-seen")
	expectExit(t, r, 0)
	expectStdout(t, r, "hi\nthere\neof-seen\n")
}

// attach to a container without a terminal: several attachers see the
// same output; stdin reaches a container started with -i; the exit code
// is attach's; attach to a stopped container is refused.
func TestAttach(t *testing.T) {
	skipUnderPodman(t, "podman 4.3 closes the stdin of a `run -d -i` container without a terminal at once")
	e := sharedEnv(t)
	name := e.CtrName(t, "att")
	defer e.Pod(t, "rm", "-f", "-t", "0", name)
	e.MustPod(t, "run", "-d", "-i", "--name", name, "--network", "none", "alpine", "sh", "-c",
		`echo ready; read line; echo "got $line"; echo to-stderr >&2; exit 3`)
	e.waitLog(t, name, "ready")
	watcher := e.PodBG(t, "attach", "--no-stdin", name)
	time.Sleep(500 * time.Millisecond)
	r := e.PodOpt(t, RunOpts{Stdin: "hello\n"}, "attach", name)
	expectExit(t, r, 3)
	if !strings.Contains(r.Stdout, "got hello") || !strings.Contains(r.Stderr, "to-stderr") {
		t.Errorf("attach: stdout %q, stderr %q", r.Stdout, r.Stderr)
	}
	w := watcher.Wait(t, 20*time.Second)
	expectExit(t, w, 3)
	if !strings.Contains(w.Stdout, "got hello") {
		t.Errorf("the second attacher saw %q", w.Stdout)
	}
	r = e.Pod(t, "attach", name)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "only attach to running containers")
	r = e.Pod(t, "attach", "no-such-ctr")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-ctr")
}

// exec: exit codes, stdin, -e/-w/-u, -d, -t with its own size, the state
// error of a stopped container, and what a missing command gives.
func TestExec(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "exec")
	e.runSleeper(t, name, "--network", "none")
	defer e.Pod(t, "rm", "-f", "-t", "0", name)

	r := e.Pod(t, "exec", name, "sh", "-c", "echo out; echo err >&2; exit 5")
	expectExit(t, r, 5)
	expectStdout(t, r, "out\n")
	if !strings.Contains(r.Stderr, "err") {
		t.Errorf("exec stderr %q", r.Stderr)
	}
	r = e.PodOpt(t, RunOpts{Stdin: "piped\n"}, "exec", "-i", name, "cat")
	expectExit(t, r, 0)
	expectStdout(t, r, "piped\n")
	r = e.MustPod(t, "exec", "-e", "FOO=bar", "-w", "/tmp", "-u", "nobody", name, "sh", "-c", `echo "$FOO $(pwd) $(id -un)"`)
	expectStdout(t, r, "bar /tmp nobody\n")
	e.MustPod(t, "exec", "-d", name, "sh", "-c", "sleep 0.5; touch /tmp/detached-ran")
	if !waitFor(10*time.Second, func() bool { return e.Pod(t, "exec", name, "test", "-f", "/tmp/detached-ran").ExitCode == 0 }) {
		t.Errorf("exec -d did not run its command")
	}
	if ev := e.MustPod(t, "events", "--stream=false", "--filter", "container="+name, "--filter", "event=exec").Stdout; !strings.Contains(ev, "exec") {
		t.Errorf("no exec event: %q", ev)
	}
	r = e.Pod(t, "exec", name, "no-such-command")
	expectExit(t, r, 127)
	r = e.Pod(t, "exec", name, "/etc/passwd")
	expectExit(t, r, 126)

	s := e.PodPTY(t, "exec", "-it", name, "sh")
	s.Send("tty; stty size; exit 4\r")
	s.Expect("24 80", 20*time.Second)
	expectExit(t, s.Wait(20*time.Second), 4)
	if !strings.Contains(s.Output(), "/dev/pts/") {
		t.Errorf("exec -t gave no terminal: %q", s.Output())
	}
	if got := e.state(t, name); got != "running" {
		t.Errorf("after exec the container is %q", got)
	}

	if cfg.podman {
		return // podman 4.3 does not detach on the keys in this test's terminal
	}
	// The detach keys leave an exec session running, without a hang-up.
	d := e.PodPTY(t, "exec", "-it", name, "sh", "-c", "echo in-$((1+1)); while :; do sleep 0.2; done")
	d.Expect("in-2", 20*time.Second)
	d.Send("\x10\x11")
	expectExit(t, d.Wait(10*time.Second), 0)
	time.Sleep(time.Second)
	if ps := e.MustPod(t, "exec", name, "ps", "-o", "args").Stdout; !strings.Contains(ps, "while :") {
		t.Errorf("the detached exec session is gone: %q", ps)
	}

	e.MustPod(t, "stop", "-t", "0", name)
	r = e.Pod(t, "exec", name, "true")
	expectExit(t, r, 255)
	expectErrorLine(t, r, "can only create exec sessions on running containers")
}
