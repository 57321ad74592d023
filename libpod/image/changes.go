package image

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"go.podman.io/image/v5/manifest"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/signals"
)

// Settings are the parts of an image config that a container's own
// settings, the --change instructions of commit and import and the
// metadata instructions of a build set.
type Settings struct {
	User         string
	ExposedPorts map[string]struct{} // "80/tcp"
	Env          []string
	Entrypoint   []string
	Cmd          []string
	Volumes      map[string]struct{}
	WorkingDir   string
	Labels       map[string]string
	StopSignal   string   // a signal number, as the instruction's value is stored
	OnBuild      []string // kept only by the docker format
	// Healthcheck and Shell are kept only by the docker format (nil: the
	// parent's).
	Healthcheck *manifest.Schema2HealthConfig
	Shell       []string
}

// changeInstructions are the instructions --change accepts.
var changeInstructions = []string{"CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}

// CheckChanges reports the first malformed --change instruction, before
// anything is done with them.
func CheckChanges(changes []string) error {
	var s Settings
	return s.ApplyChanges(changes)
}

// ApplyChanges applies --change instructions in order. Each is a
// Dockerfile instruction, parsed and expanded as in a Dockerfile (the
// variables are the settings' Env), "INSTRUCTION VALUE" or
// "INSTRUCTION=VALUE" when the value has no space: CMD, ENTRYPOINT, ENV,
// EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR. A malformed
// one is an error wrapping define.ErrInvalidArg that quotes it.
func (s *Settings) ApplyChanges(changes []string) error {
	for _, c := range changes {
		if err := s.applyChange(c); err != nil {
			return fmt.Errorf("invalid change %q - %s%.0w", c, err, define.ErrInvalidArg)
		}
	}
	return nil
}

func (s *Settings) applyChange(change string) error {
	line := strings.TrimSpace(change)
	var inst, value string
	if i := strings.IndexFunc(line, unicode.IsSpace); i >= 0 {
		inst, value = line[:i], strings.TrimSpace(line[i:])
	} else {
		inst, value, _ = strings.Cut(line, "=")
	}
	if inst == "" || value == "" || strings.ContainsAny(change, "\r\n") {
		return fmt.Errorf("must be formatted as KEY VALUE")
	}
	inst = strings.ToUpper(inst)
	known := false
	for _, k := range changeInstructions {
		known = known || k == inst
	}
	if !known {
		return fmt.Errorf("invalid instruction %s: use one of %s", inst, strings.Join(changeInstructions, ", "))
	}
	cmd, err := ParseInstruction(inst + " " + value)
	if err != nil {
		return err
	}
	lex := shell.NewLex('\\')
	return s.Apply(cmd, func(w string) (string, error) {
		out, _, err := lex.ProcessWord(w, shell.EnvsFromSlice(s.Env))
		return out, err
	})
}

// ParseInstruction parses one Dockerfile instruction line.
func ParseInstruction(line string) (instructions.Command, error) {
	res, err := parser.Parse(strings.NewReader(line))
	if err != nil {
		return nil, cleanParseError(err)
	}
	if len(res.AST.Children) != 1 {
		return nil, errors.New("must be one instruction")
	}
	v, err := instructions.ParseInstruction(res.AST.Children[0])
	if err != nil {
		return nil, cleanParseError(err)
	}
	cmd, ok := v.(instructions.Command)
	if !ok {
		return nil, fmt.Errorf("invalid instruction %s", strings.ToUpper(res.AST.Children[0].Value))
	}
	return cmd, nil
}

// cleanParseError is the parser's error without its location wrapper (a
// one-line instruction has no useful line number).
func cleanParseError(err error) error {
	var le *parser.LocationError
	if errors.As(err, &le) && le.Unwrap() != nil {
		return errors.New(le.Unwrap().Error())
	}
	return err
}

// Expander expands the variables of a word as a Dockerfile does.
type Expander func(word string) (string, error)

// Apply applies a metadata instruction to s: CMD and ENTRYPOINT (the exec
// form, or the shell form run by Shell, else /bin/sh -c), ENV, EXPOSE,
// LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR (a relative one is
// joined to the current one), HEALTHCHECK and SHELL. expand expands the
// variables of the instructions that take them. Other instructions are an
// error.
func (s *Settings) Apply(cmd instructions.Command, expand Expander) error {
	ex := instructions.SingleWordExpander(expand)
	switch c := cmd.(type) {
	case *instructions.CmdCommand:
		s.Cmd = s.commandLine(c.ShellDependantCmdLine)
	case *instructions.EntrypointCommand:
		s.Entrypoint = s.commandLine(c.ShellDependantCmdLine)
	case *instructions.EnvCommand:
		if err := c.Expand(ex); err != nil {
			return err
		}
		for _, kv := range c.Env {
			s.Env = setEnv(s.Env, kv.Key, kv.Value)
		}
	case *instructions.LabelCommand:
		if err := c.Expand(ex); err != nil {
			return err
		}
		for _, kv := range c.Labels {
			if kv.Key == "" {
				return fmt.Errorf("LABEL must have a non-empty key")
			}
			if s.Labels == nil {
				s.Labels = map[string]string{}
			}
			s.Labels[kv.Key] = kv.Value
		}
	case *instructions.ExposeCommand:
		for _, p := range c.Ports {
			p, err := expand(p)
			if err != nil {
				return err
			}
			if err := s.changeExpose(p); err != nil {
				return err
			}
		}
	case *instructions.OnbuildCommand:
		s.OnBuild = append(s.OnBuild, c.Expression)
	case *instructions.StopSignalCommand:
		if err := c.Expand(ex); err != nil {
			return err
		}
		return s.changeStopSignal(c.Signal)
	case *instructions.UserCommand:
		if err := c.Expand(ex); err != nil {
			return err
		}
		s.User = c.User
	case *instructions.VolumeCommand:
		if err := c.Expand(ex); err != nil {
			return err
		}
		return s.changeVolume(c.Volumes)
	case *instructions.WorkdirCommand:
		if err := c.Expand(ex); err != nil {
			return err
		}
		s.changeWorkdir(c.Path)
	case *instructions.HealthCheckCommand:
		h := c.Health
		s.Healthcheck = &manifest.Schema2HealthConfig{
			Test: h.Test, StartPeriod: h.StartPeriod, StartInterval: h.StartInterval,
			Interval: h.Interval, Timeout: h.Timeout, Retries: h.Retries,
		}
	case *instructions.ShellCommand:
		s.Shell = append([]string(nil), c.Shell...)
	default:
		return fmt.Errorf("invalid instruction %s", strings.ToUpper(cmd.Name()))
	}
	return nil
}

// commandLine is the argv of a CMD or ENTRYPOINT: the exec form as it is,
// the shell form run by the SHELL (default /bin/sh -c).
func (s *Settings) commandLine(c instructions.ShellDependantCmdLine) []string {
	if !c.PrependShell {
		return append([]string{}, c.CmdLine...)
	}
	return append(s.ShellOrDefault(), strings.Join(c.CmdLine, " "))
}

// ShellOrDefault is the shell that runs shell-form commands.
func (s *Settings) ShellOrDefault() []string {
	if len(s.Shell) > 0 {
		return append([]string(nil), s.Shell...)
	}
	return []string{"/bin/sh", "-c"}
}

// setEnv sets key in env, in place when it is there already.
func setEnv(env []string, key, val string) []string {
	out := make([]string, 0, len(env)+1)
	found := false
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			if found {
				continue
			}
			kv, found = key+"="+val, true
		}
		out = append(out, kv)
	}
	if !found {
		out = append(out, key+"="+val)
	}
	return out
}

func (s *Settings) changeExpose(v string) error {
	for _, p := range strings.Fields(v) {
		port, proto, hasProto := strings.Cut(p, "/")
		n, err := strconv.Atoi(port)
		if err != nil {
			return fmt.Errorf("EXPOSE port must be an integer: %q is not", port)
		}
		if n < 1 || n > 65535 {
			return fmt.Errorf("EXPOSE port must be a valid port number (1 to 65535): %d is not", n)
		}
		proto = strings.ToLower(proto)
		switch {
		case !hasProto:
			proto = "tcp"
		case proto != "tcp" && proto != "udp":
			return fmt.Errorf("EXPOSE protocol must be TCP or UDP: %q is not", proto)
		}
		if s.ExposedPorts == nil {
			s.ExposedPorts = map[string]struct{}{}
		}
		s.ExposedPorts[fmt.Sprintf("%d/%s", n, proto)] = struct{}{}
	}
	return nil
}

func (s *Settings) changeStopSignal(v string) error {
	sig, err := signals.Parse(v)
	if err != nil {
		return fmt.Errorf("STOPSIGNAL must be given a valid signal: %s", strings.TrimSuffix(err.Error(), ": "+define.ErrInvalidArg.Error()))
	}
	s.StopSignal = strconv.Itoa(int(sig))
	return nil
}

func (s *Settings) changeVolume(paths []string) error {
	if len(paths) == 0 {
		return fmt.Errorf("VOLUME paths must not be empty")
	}
	for _, p := range paths {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("VOLUME paths must not be empty")
		}
		if s.Volumes == nil {
			s.Volumes = map[string]struct{}{}
		}
		s.Volumes[p] = struct{}{}
	}
	return nil
}

func (s *Settings) changeWorkdir(dir string) {
	if !path.IsAbs(dir) {
		base := s.WorkingDir
		if base == "" {
			base = "/"
		}
		dir = path.Join(base, dir)
	}
	s.WorkingDir = dir
}
