package libpod

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/ociruntime"
)

// Health check defaults, as podman's.
const (
	defaultHealthInterval = 30 * time.Second
	defaultHealthTimeout  = 30 * time.Second
	defaultHealthRetries  = 3
)

// HealthOptions are the --health-* flags as given; "" (nil for Retries)
// keeps the image's value or the default.
type HealthOptions struct {
	Cmd         string // a command line (run by /bin/sh -c), a JSON array, or "none"
	Interval    string // a duration or "disable"
	Timeout     string
	StartPeriod string
	Retries     *uint
	OnFailure   string // none, kill, restart, stop
	Disable     bool   // --no-healthcheck
}

// check validates the options.
func (h *HealthOptions) check() error {
	if h.Disable && h.Cmd != "" {
		return fmt.Errorf("cannot specify both --no-healthcheck and --health-cmd: %w", define.ErrInvalidArg)
	}
	for _, d := range []struct{ flag, v string }{{"health-interval", h.Interval}, {"health-timeout", h.Timeout}, {"health-start-period", h.StartPeriod}} {
		if d.v == "" || (d.flag == "health-interval" && d.v == "disable") {
			continue
		}
		v, err := time.ParseDuration(d.v)
		if err != nil || v < 0 {
			return fmt.Errorf("invalid --%s %q: want a duration such as 30s: %w", d.flag, d.v, define.ErrInvalidArg)
		}
		if d.flag == "health-timeout" && v < time.Second {
			return fmt.Errorf("invalid --health-timeout %q: the timeout must be at least 1 second: %w", d.v, define.ErrInvalidArg)
		}
	}
	switch h.OnFailure {
	case "", protocol.HealthActionNone, protocol.HealthActionKill, protocol.HealthActionRestart, protocol.HealthActionStop:
	default:
		return fmt.Errorf("invalid --health-on-failure %q: want none, kill, restart or stop: %w", h.OnFailure, define.ErrInvalidArg)
	}
	if h.Cmd != "" && strings.HasPrefix(strings.TrimSpace(h.Cmd), "[") {
		var args []string
		if err := json.Unmarshal([]byte(h.Cmd), &args); err != nil || len(args) == 0 {
			return fmt.Errorf("invalid --health-cmd %q: not a JSON array of strings: %w", h.Cmd, define.ErrInvalidArg)
		}
	}
	return nil
}

// healthcheck returns the container's check: the flags over the image's
// (nil: none).
func (h *HealthOptions) healthcheck(image *protocol.Healthcheck) (*protocol.Healthcheck, error) {
	if h.Disable {
		return nil, nil
	}
	var hc protocol.Healthcheck
	switch cmd := strings.TrimSpace(h.Cmd); {
	case strings.EqualFold(cmd, "none"):
		return nil, nil
	case strings.HasPrefix(cmd, "["):
		_ = json.Unmarshal([]byte(cmd), &hc.Test) // checked
		switch hc.Test[0] {
		case "CMD", "CMD-SHELL":
		case "NONE":
			return nil, nil
		default:
			hc.Test = append([]string{"CMD"}, hc.Test...)
		}
	case cmd != "":
		hc.Test = []string{"CMD-SHELL", cmd}
	case image != nil:
		hc = *image
	default:
		return nil, nil
	}
	if hc.Interval == 0 {
		hc.Interval = defaultHealthInterval
	}
	if hc.Timeout == 0 {
		hc.Timeout = defaultHealthTimeout
	}
	if hc.Retries == 0 {
		hc.Retries = defaultHealthRetries
	}
	set := func(v string, d *time.Duration) {
		if v != "" {
			*d, _ = time.ParseDuration(v) // checked
		}
	}
	if h.Interval == "disable" {
		hc.Interval = 0
	} else {
		set(h.Interval, &hc.Interval)
	}
	set(h.Timeout, &hc.Timeout)
	set(h.StartPeriod, &hc.StartPeriod)
	if h.Retries != nil {
		hc.Retries = int(*h.Retries)
	}
	hc.OnFailure = h.OnFailure
	if hc.OnFailure == "" {
		hc.OnFailure = protocol.HealthActionNone
	}
	return &hc, nil
}

// health returns the container's health state, if it has a check.
func (c *Container) health() *protocol.HealthState {
	if c.Config.Healthcheck == nil {
		return nil
	}
	st := protocol.HealthState{Status: protocol.HealthStarting, Log: []protocol.HealthResult{}}
	if data, err := os.ReadFile(c.healthFile()); err == nil {
		if s, err := protocol.ParseHealthState(data); err == nil {
			st = s
		}
	}
	return &st
}

// HealthStatus is the container's health for ps: "" without a check.
func (c *Container) HealthStatus() string {
	if h := c.health(); h != nil && c.State.Status.IsActive() {
		return h.Status
	}
	return ""
}

// RunHealthcheck runs the container's health check once, records the
// result as the monitor does and reports whether it passed.
func (r *Runtime) RunHealthcheck(nameOrID string) (bool, error) {
	c, err := r.lookupContainer(nameOrID)
	if err != nil {
		return false, fmt.Errorf("unable to look up %s to perform a health check: %w", nameOrID, err)
	}
	hc := c.Config.Healthcheck
	if hc == nil {
		return false, fmt.Errorf("container %s has no defined healthcheck: %w", c.ID(), define.ErrInvalidArg)
	}
	proc, err := c.execProcess(&ExecOptions{Cmd: hc.Command()}, nil, &AttachStreams{})
	if err != nil {
		return false, err
	}
	oci, err := r.OCIRuntime()
	if err != nil {
		return false, err
	}
	res := c.runCheck(oci, proc, hc.Timeout)
	unlock, err := c.lockAndSync()
	if err != nil {
		return false, err
	}
	defer unlock()
	st := c.health()
	st.Record(res, max(hc.Retries, 1), time.Since(c.State.StartedAt) < hc.StartPeriod)
	data, err := json.Marshal(st)
	if err == nil {
		err = fsutil.ReplaceFile(c.healthFile(), data, 0o600)
	}
	if err != nil {
		return false, fmt.Errorf("record the health of %s: %w", c.Name(), err)
	}
	c.newEvent(events.HealthStatus)
	return res.ExitCode == 0, nil
}

// runCheck runs a health check process in the foreground, killed at
// timeout.
func (c *Container) runCheck(oci *ociruntime.Runtime, proc any, timeout time.Duration) (res protocol.HealthResult) {
	res.Start = time.Now()
	defer func() { res.End = time.Now() }()
	fail := func(err error) protocol.HealthResult {
		res.ExitCode, res.Output = 125, err.Error()
		return res
	}
	dir, err := ociruntime.NewTmpDir(c.runDir())
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(dir)
	eo := ociruntime.ExecOptions{ProcessFile: filepath.Join(dir, "process.json"), LogFile: filepath.Join(dir, "runtime.log"),
		PidFile: filepath.Join(dir, "pid")}
	if err := writeProcessFile(eo.ProcessFile, proc); err != nil {
		return fail(err)
	}
	var out bytes.Buffer
	cmd := oci.ExecCommand(c.ID(), eo)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return fail(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if timeout <= 0 {
		timeout = defaultHealthTimeout
	}
	select {
	case err = <-done:
	case <-time.After(timeout):
		if pid, perr := readPid(eo.PidFile); perr == nil {
			_ = killPid(pid)
		}
		_ = cmd.Process.Kill()
		<-done
		res.ExitCode, res.Output = 1, fmt.Sprintf("health check timed out after %v", timeout)
		return res
	}
	if ferr := oci.ExecError(c.ID(), eo.LogFile, err); ferr != nil {
		res.ExitCode, res.Output = 125, ferr.Error()
		return res
	}
	res.ExitCode = cmd.ProcessState.ExitCode()
	o := out.String()
	if len(o) > 4096 {
		o = o[:4096]
	}
	res.Output = o
	return res
}
