package spec

import (
	"path"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// ExecOptions are what `exec` changes of the container's own process.
type ExecOptions struct {
	Args       []string
	Env        []string // -e/--env-file values, as MergeEnv reads them
	HostEnv    []string // pod's environment, for "NAME" and "NAME*" values
	User       *User    // nil: the container's user
	WorkDir    string   // "": the container's
	Terminal   bool
	Rows, Cols uint16 // initial terminal size (0 = unknown)
	Privileged bool   // every capability up to CapLastCap
	CapLastCap int
}

// ExecProcess returns the process spec of an exec session: the container's
// process (base, from its config.json) with the session's command, user,
// directory, terminal and added environment.
func ExecProcess(base *specs.Process, o ExecOptions) *specs.Process {
	p := *base
	p.Args = append([]string(nil), o.Args...)
	p.Terminal = o.Terminal
	p.ConsoleSize = nil
	if o.Terminal && o.Rows > 0 && o.Cols > 0 {
		p.ConsoleSize = &specs.Box{Height: uint(o.Rows), Width: uint(o.Cols)}
	}
	env := base.Env
	if o.Terminal && !hasVar(env, "TERM") {
		env = append(append([]string(nil), env...), "TERM=xterm")
	}
	if o.User != nil {
		p.User = specs.User{UID: o.User.UID, GID: o.User.GID, AdditionalGids: append([]uint32(nil), o.User.AdditionalGids...)}
		env = MergeEnv(env, nil, []string{"HOME=" + o.User.Home}, nil)
	}
	p.Env = MergeEnv(env, nil, o.Env, o.HostEnv)
	if o.WorkDir != "" {
		p.Cwd = path.Join("/", o.WorkDir)
	}
	caps := base.Capabilities
	if o.Privileged {
		caps = capabilities(&Options{Security: Security{Privileged: true}, CapLastCap: o.CapLastCap, User: User{UID: p.User.UID}})
	} else if caps != nil && o.User != nil {
		// Only uid 0 keeps effective and permitted capabilities.
		c := *caps
		if o.User.UID != 0 {
			c.Effective, c.Permitted = nil, nil
		} else {
			c.Effective = append([]string(nil), c.Bounding...)
			c.Permitted = append([]string(nil), c.Bounding...)
		}
		caps = &c
	}
	p.Capabilities = caps
	return &p
}

func hasVar(env []string, name string) bool {
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == name {
			return true
		}
	}
	return false
}
