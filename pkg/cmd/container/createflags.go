package container

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/sirupsen/logrus"
	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CreateFlags are the flags create and run share.
type CreateFlags struct {
	Name        string
	Env         []string
	EnvFiles    []string
	WorkDir     string
	User        string
	Entrypoint  string
	entrySet    bool
	Interactive bool
	TTY         bool
	Hostname    string
	Labels      []string
	Network     string
	Pull        string
	Rm          bool
	StopSignal  string
	StopTimeout uint
	TLSVerify   bool
	tlsSet      bool
	Creds       string
	AuthFile    string
	Quiet       bool
}

func addCreateFlags(fs *pflag.FlagSet, o *CreateFlags) {
	fs.SetInterspersed(false)
	fs.StringVar(&o.Name, "name", "", "assign a name to the container")
	fs.StringArrayVarP(&o.Env, "env", "e", nil, "set environment variables")
	fs.StringArrayVar(&o.EnvFiles, "env-file", nil, "read in a file of environment variables")
	fs.StringVarP(&o.WorkDir, "workdir", "w", "", "working directory inside the container")
	fs.StringVarP(&o.User, "user", "u", "", "username or UID (format: <name|uid>[:<group|gid>])")
	fs.StringVar(&o.Entrypoint, "entrypoint", "", "overwrite the default ENTRYPOINT of the image")
	fs.BoolVarP(&o.Interactive, "interactive", "i", false, "keep STDIN open even if not attached")
	fs.BoolVarP(&o.TTY, "tty", "t", false, "allocate a pseudo-TTY for the container")
	fs.StringVar(&o.Hostname, "hostname", "", "set container hostname")
	fs.StringArrayVarP(&o.Labels, "label", "l", nil, "set metadata on the container")
	fs.StringVar(&o.Network, "network", "", "network mode: none, host, pasta, slirp4netns (default: pasta when installed)")
	fs.StringVar(&o.Network, "net", "", "alias of --network")
	_ = fs.MarkHidden("net")
	fs.StringVar(&o.Pull, "pull", "", "pull image policy: always, missing, never, newer (default missing)")
	fs.BoolVar(&o.Rm, "rm", false, "remove the container when it exits")
	fs.StringVar(&o.StopSignal, "stop-signal", "", "signal to stop the container")
	fs.UintVar(&o.StopTimeout, "stop-timeout", 10, "seconds to wait before forcibly stopping the container")
	fs.BoolVar(&o.TLSVerify, "tls-verify", true, "require HTTPS and verify certificates when contacting registries")
	fs.StringVar(&o.Creds, "creds", "", "use `[username[:password]]` for accessing the registry")
	fs.StringVar(&o.AuthFile, "authfile", "", "path of the authentication file")
	fs.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress output information when pulling images")
}

func (o *CreateFlags) noteSet(fs *pflag.FlagSet) {
	o.entrySet = fs.Changed("entrypoint")
	o.tlsSet = fs.Changed("tls-verify")
}

// pullOptions builds the image pull options from the flags.
func (o *CreateFlags) pullOptions(f *cmdutil.Factory, policy string) (image.PullOptions, error) {
	p, err := image.ParsePullPolicy(policy)
	if err != nil {
		return image.PullOptions{}, err
	}
	if err := cmdutil.CheckAuthFile(o.AuthFile); err != nil {
		return image.PullOptions{}, err
	}
	po := image.PullOptions{
		System:   image.SystemOptions{AuthFile: o.AuthFile, Creds: o.Creds},
		Policy:   p,
		Quiet:    o.Quiet,
		Progress: f.IOStreams.ErrOut,
	}
	if o.tlsSet {
		v := o.TLSVerify
		po.System.TLSVerify = &v
	}
	return po, nil
}

func readEnvFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read env file %s: %w", path, err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimLeft(sc.Text(), " \t")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// resolveEnv expands env-file and -e values; "NAME" alone takes the value
// from pod's own environment, and is dropped when unset there.
func resolveEnv(files, env []string) ([]string, error) {
	var all []string
	for _, p := range files {
		vals, err := readEnvFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, vals...)
	}
	all = append(all, env...)
	out := make([]string, 0, len(all))
	for _, e := range all {
		if e == "" || strings.HasPrefix(e, "=") {
			return nil, fmt.Errorf("invalid environment variable %q: %w", e, define.ErrInvalidArg)
		}
		if strings.Contains(e, "=") {
			out = append(out, e)
			continue
		}
		if strings.HasSuffix(e, "*") {
			prefix := strings.TrimSuffix(e, "*")
			for _, h := range os.Environ() {
				if strings.HasPrefix(h, prefix) {
					out = append(out, h)
				}
			}
			continue
		}
		if v, ok := os.LookupEnv(e); ok {
			out = append(out, e+"="+v)
		}
	}
	return out, nil
}

func parseLabels(in []string) (map[string]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(in))
	for _, l := range in {
		k, v, _ := strings.Cut(l, "=")
		if k == "" {
			return nil, fmt.Errorf("invalid label %q: %w", l, define.ErrInvalidArg)
		}
		m[k] = v
	}
	return m, nil
}

func parseNetwork(n string) (string, error) {
	switch n {
	case "", "default", "private", "bridge":
		return "", nil
	case "none", "host", "pasta", "slirp4netns":
		return n, nil
	}
	return "", fmt.Errorf("network mode %q is not supported: use none, host, pasta or slirp4netns: %w", n, define.ErrInvalidArg)
}

// createContainer pulls the image as the policy says and creates the
// container from the flags.
func createContainer(ctx context.Context, f *cmdutil.Factory, rt *libpod.Runtime, o *CreateFlags, imageName string, command []string) (*libpod.Container, error) {
	env, err := resolveEnv(o.EnvFiles, o.Env)
	if err != nil {
		return nil, err
	}
	labels, err := parseLabels(o.Labels)
	if err != nil {
		return nil, err
	}
	netMode, err := parseNetwork(o.Network)
	if err != nil {
		return nil, err
	}
	if o.Name != "" {
		if err := libpod.ValidateName(o.Name); err != nil {
			return nil, err
		}
	}
	policy := o.Pull
	if policy == "" {
		policy = rt.Config().PullPolicy
	}
	po, err := o.pullOptions(f, policy)
	if err != nil {
		return nil, err
	}
	logrus.Debugf("resolving image %s", imageName)
	img, err := rt.PullImage(ctx, imageName, po)
	if err != nil {
		return nil, err
	}
	cfg := &libpod.ContainerConfig{
		Name:        o.Name,
		Image:       imageName,
		ImageID:     img.ID,
		ImageName:   img.Name,
		Command:     command,
		Env:         env,
		WorkDir:     o.WorkDir,
		User:        o.User,
		Hostname:    o.Hostname,
		Terminal:    o.TTY,
		Stdin:       o.Interactive,
		Labels:      labels,
		NetworkMode: netMode,
		AutoRemove:  o.Rm,
		StopSignal:  o.StopSignal,
		StopTimeout: o.StopTimeout,
		ImageConfig: img.Config,
	}
	if o.entrySet {
		ep := o.Entrypoint
		cfg.Entrypoint = &ep
	}
	if o.StopSignal != "" {
		if _, err := parseSignal(o.StopSignal); err != nil {
			return nil, err
		}
	}
	if _, err := libpod.CheckProcessArgs(cfg); err != nil {
		return nil, err
	}
	logrus.Debugf("creating container")
	defer logrus.Debugf("container created")
	return rt.CreateContainer(cfg)
}
