package container

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/fsutil"
)

// CreateFlags are the flags create and run share.
type CreateFlags struct {
	Name          string
	Env           []string
	EnvFiles      []string
	EnvHost       bool     // --env-host: the CLI's whole environment first
	HTTPProxy     bool     // --http-proxy: the CLI's proxy variables first
	LabelFiles    []string // --label-file: key=value lines, before --label
	CIDFile       string   // --cidfile: the new container's id is written there
	Attach        []string // -a: the streams to attach (pod's own set only)
	WorkDir       string
	User          string
	Entrypoint    string
	entrySet      bool
	Interactive   bool
	TTY           bool
	Hostname      string
	Labels        []string
	Network       string
	Net           libpod.NetOptions // -p, -P, --expose, --dns*, --add-host, --no-hosts, --mac-address
	Pull          string
	Rm            bool
	StopSignal    string
	StopTimeout   uint
	TLSVerify     bool
	tlsSet        bool
	Creds         string
	AuthFile      string
	Platform      image.PlatformOptions // --platform, --os, --arch, --variant
	Retries       *uint                 // --retry (nil: not given)
	RetryDelay    *time.Duration        // --retry-delay (nil: not given)
	Quiet         bool
	Privileged    bool
	CapAdd        []string
	CapDrop       []string
	SecurityOpt   []string
	Restart       string
	Health        libpod.HealthOptions
	healthRetries uint
	Sysctl        []string
	GroupAdd      []string
	Umask         string
	Timezone      string
	Init          bool
	InitPath      string
	Devices       []string
	Log           LogFlags      // --log-driver, --log-opt, --replace
	Resources     ResourceFlags // --userns, --uidmap, --gidmap, --memory … --shm-size
	Mounts        MountFlags    // -v, --mount, --tmpfs, --volumes-from, --read-only, --read-only-tmpfs
	Extras        libpod.ExtraOptions
	Etc           EtcFlags // --passwd, --passwd-entry, --hostuser, --chrootdirs, --image-volume
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
	fs.StringVarP(&o.Hostname, "hostname", "h", "", "set container hostname")
	fs.Bool("help", false, "help for this command") // --help only: -h is --hostname
	fs.StringArrayVarP(&o.Labels, "label", "l", nil, "set metadata on the container")
	fs.StringArrayVar(&o.LabelFiles, "label-file", nil, "read in a line delimited file of labels")
	fs.BoolVar(&o.EnvHost, "env-host", false, "use all current host environment variables in the container")
	fs.BoolVar(&o.HTTPProxy, "http-proxy", true, "set proxy environment variables in the container based on the host's")
	fs.StringVar(&o.CIDFile, "cidfile", "", "write the container ID to the file")
	fs.StringSliceVarP(&o.Attach, "attach", "a", nil, "attach to STDIN, STDOUT or STDERR (pod attaches stdout and stderr, and stdin with -i)")
	fs.StringVar(&o.Network, "network", "", "network mode: none, host, pasta[:OPTIONS], slirp4netns[:OPTIONS], container:NAME, ns:PATH, or user networks NAME[:alias=A,ip=IP][,NAME...] (default: pasta when installed)")
	fs.StringVar(&o.Network, "net", "", "alias of --network")
	_ = fs.MarkHidden("net")
	fs.StringSliceVarP(&o.Net.Publish, "publish", "p", nil, "publish a container's port to the host: [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp] (needs pasta)")
	fs.BoolVarP(&o.Net.PublishAll, "publish-all", "P", false, "publish all exposed ports to random ports on the host")
	fs.StringSliceVar(&o.Net.Expose, "expose", nil, "expose a port or a range of ports (PORT[-END][/tcp|udp])")
	fs.StringSliceVar(&o.Net.DNS, "dns", nil, "set custom DNS servers")
	fs.StringSliceVar(&o.Net.DNSSearch, "dns-search", nil, "set custom DNS search domains (\".\" for none)")
	fs.StringSliceVar(&o.Net.DNSOption, "dns-option", nil, "set custom DNS options")
	fs.StringSliceVar(&o.Net.DNSOption, "dns-opt", nil, "alias of --dns-option")
	_ = fs.MarkHidden("dns-opt")
	fs.StringSliceVar(&o.Net.AddHost, "add-host", nil, "add a custom host-to-IP mapping (HOST:IP)")
	fs.BoolVar(&o.Net.NoHosts, "no-hosts", false, "do not create /etc/hosts within the container, instead use the version from the image")
	fs.StringVar(&o.Net.MacAddress, "mac-address", "", "container MAC address (bridge networks only)")
	fs.StringSliceVar(&o.Net.Aliases, "network-alias", nil, "add a network-scoped alias for the container (user networks)")
	fs.StringVar(&o.Net.IP, "ip", "", "the container's IPv4 address on its user network, e.g. 10.89.0.5")
	fs.StringVar(&o.Pull, "pull", "", "pull image policy: always, missing, never, newer (default missing)")
	fs.BoolVar(&o.Rm, "rm", false, "remove the container when it exits")
	fs.StringVar(&o.StopSignal, "stop-signal", "", "signal to stop the container")
	fs.UintVar(&o.StopTimeout, "stop-timeout", 10, "seconds to wait before forcibly stopping the container")
	fs.BoolVar(&o.TLSVerify, "tls-verify", true, "require HTTPS and verify certificates when contacting registries")
	fs.StringVar(&o.Creds, "creds", "", "use `[username[:password]]` for accessing the registry")
	fs.StringVar(&o.AuthFile, "authfile", "", "path of the authentication file")
	fs.StringVar(&o.Platform.Platform, "platform", "", "use the image for `OS/ARCH[/VARIANT]` of a multi-architecture image (conflicts with --arch and --os)")
	fs.StringVar(&o.Platform.Arch, "arch", "", "use the image for `ARCH` instead of the machine's architecture")
	fs.StringVar(&o.Platform.OS, "os", "", "use the image for `OS` instead of the running OS")
	fs.StringVar(&o.Platform.Variant, "variant", "", "use the image for `VARIANT` of the architecture (e.g. v7, v8)")
	fs.Var(cmdutil.OptionalUint{Target: &o.Retries, Def: image.DefaultPullRetries}, "retry", "times to retry pulling the image after a transient failure")
	fs.Var(cmdutil.OptionalDuration{Target: &o.RetryDelay}, "retry-delay", "`DURATION` between pull retries (default: 1s, doubling after each retry)")
	fs.BoolVarP(&o.Quiet, "quiet", "q", false, "suppress output information when pulling images")
	fs.BoolVar(&o.Privileged, "privileged", false, "give extended privileges to the container (within the user namespace)")
	fs.StringSliceVar(&o.CapAdd, "cap-add", nil, "add capabilities to the container")
	fs.StringSliceVar(&o.CapDrop, "cap-drop", nil, "drop capabilities from the container")
	fs.StringArrayVar(&o.SecurityOpt, "security-opt", nil, "security options (no-new-privileges, seccomp=unconfined|PROFILE, mask=, unmask=)")
	fs.StringVar(&o.Restart, "restart", "", "restart policy: no, on-failure[:max-retries], always, unless-stopped")
	fs.StringVar(&o.Health.Cmd, "health-cmd", "", "command to check the container's health (\"none\" disables the image's)")
	fs.StringVar(&o.Health.Interval, "health-interval", "", "time between health checks, or \"disable\" (default 30s)")
	fs.UintVar(&o.healthRetries, "health-retries", 3, "failures in a row before the container is unhealthy")
	fs.StringVar(&o.Health.StartPeriod, "health-start-period", "", "time before failed checks count (default 0s)")
	fs.StringVar(&o.Health.Timeout, "health-timeout", "", "time a check may take (default 30s)")
	fs.StringVar(&o.Health.OnFailure, "health-on-failure", "", "action on an unhealthy container: none, kill, restart, stop (default none)")
	fs.BoolVar(&o.Health.Disable, "no-healthcheck", false, "disable health checks, the image's too")
	fs.StringSliceVar(&o.Sysctl, "sysctl", nil, "sysctl options (namespaced ones: net.*, fs.mqueue.*, kernel.msg*, kernel.sem, kernel.shm*)")
	fs.StringSliceVar(&o.GroupAdd, "group-add", nil, "add additional groups to the primary container process")
	fs.StringVar(&o.Umask, "umask", "", "set umask in container (default \"0022\")")
	fs.StringVar(&o.Timezone, "tz", "", "set timezone in container (\"local\" or a zone such as Asia/Tokyo)")
	fs.BoolVar(&o.Init, "init", false, "run an init binary inside the container that forwards signals and reaps processes")
	fs.StringVar(&o.InitPath, "init-path", "", "path to the container-init binary")
	fs.StringSliceVar(&o.Devices, "device", nil, "add a host device to the container")
	addLogFlags(fs, &o.Log)
	addResourceFlags(fs, &o.Resources)
	addMountFlags(fs, &o.Mounts)
	addExtraFlags(fs, &o.Extras)
	addEtcFlags(fs, &o.Etc)
	addPendingFlags(fs)
}

func (o *CreateFlags) noteSet(fs *pflag.FlagSet) {
	o.entrySet = fs.Changed("entrypoint")
	o.tlsSet = fs.Changed("tls-verify")
	o.Resources.noteSet(fs)
	if fs.Changed("health-retries") {
		o.Health.Retries = &o.healthRetries
	}
}

// createOptions turns the flags into the engine's create options; the
// engine validates every value.
func (o *CreateFlags) createOptions(f *cmdutil.Factory, imageName string, command []string) *libpod.CreateOptions {
	co := &libpod.CreateOptions{
		Name:        o.Name,
		Image:       imageName,
		Command:     command,
		Env:         append(o.hostEnv(), o.Env...),
		EnvFiles:    o.EnvFiles,
		WorkDir:     o.WorkDir,
		User:        o.User,
		Hostname:    o.Hostname,
		Terminal:    o.TTY,
		Stdin:       o.Interactive,
		Labels:      o.Labels,
		Network:     o.Network,
		Net:         o.Net,
		AutoRemove:  o.Rm,
		StopSignal:  o.StopSignal,
		StopTimeout: o.StopTimeout,
		Pull:        o.Pull,
		Registry:    image.SystemOptions{AuthFile: o.AuthFile, Creds: o.Creds},
		Platform:    o.Platform,
		Retries:     o.Retries,
		RetryDelay:  o.RetryDelay,
		Quiet:       o.Quiet,
		Progress:    f.IOStreams.ErrOut,
		Privileged:  o.Privileged,
		CapAdd:      o.CapAdd,
		CapDrop:     o.CapDrop,
		SecurityOpt: o.SecurityOpt,
		Restart:     o.Restart,
		Health:      o.Health,
		Sysctl:      o.Sysctl,
		GroupAdd:    o.GroupAdd,
		Umask:       o.Umask,
		Timezone:    o.Timezone,
		Init:        o.Init,
		InitPath:    o.InitPath,
		Devices:     o.Devices,
		Extras:      o.Extras,
	}
	o.Log.apply(co)
	o.Mounts.apply(co)
	o.Resources.apply(co)
	o.Etc.apply(co)
	if o.entrySet {
		ep := o.Entrypoint
		co.Entrypoint = &ep
	}
	if o.tlsSet {
		v := o.TLSVerify
		co.Registry.TLSVerify = &v
	}
	return co
}

// proxyVars are the variables --http-proxy passes on.
func proxyVars() []string {
	return []string{"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ftp_proxy", "FTP_PROXY", "no_proxy", "NO_PROXY"}
}

// hostEnv is what --env-host and --http-proxy put before the -e values:
// the CLI's environment (without pod's own variables), and the proxy
// variables that are set, by name.
func (o *CreateFlags) hostEnv() []string {
	var env []string
	if o.HTTPProxy {
		for _, name := range proxyVars() {
			if _, ok := os.LookupEnv(name); ok {
				env = append(env, name)
			}
		}
	}
	if o.EnvHost {
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "_POD_") && !strings.HasPrefix(kv, "_CONTAINERS_") {
				env = append(env, kv)
			}
		}
	}
	return env
}

// check refuses what pod parses but cannot honour: the pending flags, and
// an --attach set other than the streams pod attaches.
func (o *CreateFlags) check(fs *pflag.FlagSet, detach bool) error {
	if err := checkPendingFlags(fs); err != nil {
		return err
	}
	if !fs.Changed("attach") {
		return nil
	}
	want := []string{"stderr", "stdout"}
	if o.Interactive {
		want = []string{"stderr", "stdin", "stdout"}
	}
	var got []string
	for _, s := range o.Attach {
		s = strings.ToLower(s)
		if s != "stdin" && s != "stdout" && s != "stderr" {
			return cmdutil.FlagErrorf("invalid stream %q for --attach: use stdin, stdout or stderr", s)
		}
		got = append(got, s)
	}
	slices.Sort(got)
	got = slices.Compact(got)
	if detach {
		return cmdutil.FlagErrorf("--attach and --detach cannot be used together")
	}
	if !slices.Equal(got, want) {
		return notSupportedYet("attach", "pod attaches "+strings.Join(want, ", ")+": give them all, or leave -a out")
	}
	return nil
}

// readLabelFiles puts the --label-file lines before the --label values:
// blank lines and lines starting with # are skipped.
func (o *CreateFlags) readLabelFiles() error {
	var labels []string
	for _, p := range o.LabelFiles {
		data, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("--label-file: %w", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.HasPrefix(line, "#") {
				labels = append(labels, line)
			}
		}
	}
	o.Labels = append(labels, o.Labels...)
	o.LabelFiles = nil
	return nil
}

// checkCIDFile refuses an existing --cidfile before anything is created.
func (o *CreateFlags) checkCIDFile() error {
	if o.CIDFile == "" {
		return nil
	}
	if _, err := os.Lstat(o.CIDFile); err == nil {
		return fmt.Errorf("--cidfile %s: the file exists: another container may be using it; delete it or name another file: %w", o.CIDFile, define.ErrInvalidArg)
	}
	return nil
}

// writeCIDFile writes the new container's id to --cidfile.
func (o *CreateFlags) writeCIDFile(id string) error {
	if o.CIDFile == "" {
		return nil
	}
	if err := fsutil.WriteFileAtomic(o.CIDFile, []byte(id), 0o644); err != nil {
		return fmt.Errorf("--cidfile: %w", err)
	}
	return nil
}

// create creates the container the flags describe: the label files are
// read and --cidfile checked first, and the id written to it after.
func (o *CreateFlags) create(ctx context.Context, f *cmdutil.Factory, imageName string, command []string) (cmdutil.Engine, *libpod.Container, error) {
	if err := o.readLabelFiles(); err != nil {
		return nil, nil, err
	}
	if err := o.checkCIDFile(); err != nil {
		return nil, nil, err
	}
	e, err := f.Engine()
	if err != nil {
		return nil, nil, err
	}
	c, err := e.CreateContainer(ctx, o.createOptions(f, imageName, command))
	if err != nil {
		return nil, nil, err
	}
	return e, c, o.writeCIDFile(c.ID())
}
