package container

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// CreateFlags are the flags create and run share.
type CreateFlags struct {
	Name          string
	Env           []string
	EnvFiles      []string
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
	fs.StringVar(&o.Network, "network", "", "network mode: none, host, pasta[:OPTIONS], slirp4netns[:OPTIONS], container:NAME, ns:PATH (default: pasta when installed)")
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
		Env:         o.Env,
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
	}
	o.Log.apply(co)
	o.Mounts.apply(co)
	o.Resources.apply(co)
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
