package libpod

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// rootlessHelperTimeout bounds the rootless namespace's helper's setup.
const rootlessHelperTimeout = 30 * time.Second

// rootlessNetnsHelper chooses what connects the rootless network namespace
// to the outside, as the default network mode is chosen (pod.conf's
// network, else pasta when installed, else slirp4netns), and returns the
// function that starts it on a namespace and returns its pid.
func (r *Runtime) rootlessNetnsHelper() (func(ns string) (int, error), error) {
	mode := r.defaultNetwork()
	tool := string(mode)
	if mode == protocol.NetworkSlirp4netns && r.cfg.NetworkCmdPath != "" {
		tool = r.cfg.NetworkCmdPath // --network-cmd-path
	}
	path, err := exec.LookPath(tool)
	if err != nil {
		return nil, fmt.Errorf("%s not found: user networks need it to reach the outside (sudo apt-get install %s): %w",
			mode, mode.Package(), define.ErrMissingTool)
	}
	if mode == protocol.NetworkSlirp4netns {
		args, _, err := helperArgs(mode, r.cfg.helperOptions(mode))
		if err != nil {
			return nil, err
		}
		return func(ns string) (int, error) { return r.startRootlessSlirp(path, ns, args) }, nil
	}
	return func(ns string) (int, error) { return r.startRootlessPasta(path, ns) }, nil
}

// startRootlessSlirp attaches slirp4netns to the namespace at ns with
// pod.conf's slirp4netns options (the host's loopback closed unless they
// open it) and returns its pid once it reports readiness on fd 3. It runs
// in its own session and outlives this process: removeRootlessNetns kills
// it from its pid record.
func (r *Runtime) startRootlessSlirp(slirp, ns string, opts []string) (int, error) {
	out, err := scratch(r.cfg.RunDir)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	defer readyR.Close()
	cmd := exec.Command(slirp, protocol.Slirp4netnsArgs(opts, []string{"--netns-type=path", ns})...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.ExtraFiles = []*os.File{readyW}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Dir = "/"
	err = cmd.Start()
	readyW.Close()
	if err != nil {
		return 0, fmt.Errorf("slirp4netns for the rootless network namespace: %w", err)
	}
	pid := cmd.Process.Pid
	_ = readyR.SetReadDeadline(time.Now().Add(rootlessHelperTimeout))
	var b [1]byte
	if n, rerr := readyR.Read(b[:]); n != 1 {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		why := "it exited before the network was ready"
		if errors.Is(rerr, os.ErrDeadlineExceeded) {
			why = fmt.Sprintf("not ready after %v", rootlessHelperTimeout)
		}
		return 0, fmt.Errorf("slirp4netns for the rootless network namespace: %s: %w", toolOutput(out, errors.New(why)), define.ErrMissingTool)
	}
	// Reaped by whoever inherits it once this process exits.
	_ = cmd.Process.Release()
	return pid, nil
}

// firewallHint explains a netavark failure on a host without iptables,
// which netavark runs for every network ("" when iptables is there).
func firewallHint() string {
	for _, d := range append(filepath.SplitList(os.Getenv("PATH")), "/usr/sbin", "/sbin") {
		if st, err := os.Stat(filepath.Join(d, "iptables")); err == nil && st.Mode()&0o111 != 0 {
			return ""
		}
	}
	return " (iptables not found: netavark needs it for user networks; sudo apt-get install iptables)"
}
