package libpod

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"go.podman.io/storage"

	"github.com/sirupsen/logrus"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/fsutil"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
	"github.com/pod-engine/pod/pkg/signals"
)

// newID returns a random 64-hex-digit id.
func newID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

func randomName() string {
	adj := [...]string{"admiring", "brave", "calm", "clever", "dreamy", "eager", "elegant", "festive", "gallant", "happy",
		"jolly", "keen", "lucid", "modest", "nifty", "optimistic", "pensive", "quirky", "relaxed", "serene", "stoic", "trusting", "vibrant", "zealous"}
	noun := [...]string{"albattani", "babbage", "curie", "darwin", "euclid", "fermat", "galileo", "hopper", "hypatia", "kepler",
		"lovelace", "meitner", "newton", "noether", "pascal", "ramanujan", "shannon", "tesla", "turing", "wozniak", "yalow", "zhukovsky"}
	pick := func(n int) int {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
		if err != nil {
			return 0
		}
		return int(v.Int64())
	}
	return adj[pick(len(adj))] + "_" + noun[pick(len(noun))]
}

// CreateOptions are what `pod create` and `pod run` ask of the engine, as
// the user gave them. CreateContainer validates every value, pulls the image
// as the pull policy says and creates the container.
type CreateOptions struct {
	Name    string   // "" picks a free random name
	Image   string   // name, id or transport reference
	Command []string // "" keeps the image's CMD
	// Entrypoint overrides the image's ENTRYPOINT when not nil: a JSON
	// array or one word; "" clears it.
	Entrypoint *string
	// Env are -e values: NAME=value; NAME alone takes pod's own value (and
	// is dropped when unset); PREFIX* takes every variable of pod's own
	// environment with the prefix. EnvFiles are read first, with the same
	// rules per line.
	Env      []string
	EnvFiles []string
	WorkDir  string
	User     string
	Hostname string
	Terminal bool
	Stdin    bool
	Labels   []string // key=value or key
	// Network is a --network value, "mode[:options]"; "" is the default
	// network.
	Network string
	// Net are the other network flags (ports, DNS, hosts).
	Net NetOptions
	// AutoRemove removes the container when it exits (--rm).
	AutoRemove bool
	StopSignal string // a signal name or number; "" keeps the image's, else SIGTERM
	// CreateCommand is the command line inspect shows; nil = this
	// process's.
	CreateCommand []string
	StopTimeout   uint // seconds stop waits before SIGKILL
	// Privileged, CapAdd, CapDrop and SecurityOpt are the security flags as
	// given (see securityConfig).
	Privileged      bool
	CapAdd, CapDrop []string
	SecurityOpt     []string
	// Restart is the --restart policy: no, on-failure[:N], always,
	// unless-stopped.
	Restart string
	// Health is the health check as the --health-* flags give it.
	Health HealthOptions
	// Sysctl, GroupAdd, Umask, Timezone, Init with InitPath, and Devices
	// are --sysctl, --group-add, --umask, --tz, --init, --init-path and
	// --device as given (see runFlags).
	Sysctl   []string
	GroupAdd []string
	Umask    string
	Timezone string
	Init     bool
	InitPath string
	Devices  []string
	// Pull is the pull policy; "" takes pod.conf's pull_policy, else missing.
	Pull string
	// Registry are the credentials and TLS settings of the pull.
	Registry image.SystemOptions
	// Platform is --platform, --os, --arch and --variant as given: the image
	// of a multi-architecture index to use (a local image for another
	// platform does not count as present).
	Platform image.PlatformOptions
	// Retries and RetryDelay are --retry and --retry-delay (nil: not given,
	// see image.PullOptions).
	Retries    *uint
	RetryDelay *time.Duration
	// Quiet suppresses the pull's progress; Progress receives it.
	Quiet    bool
	Progress io.Writer
	// LogDriver and LogOpts are --log-driver and the --log-opt values
	// (see parseLogConfig).
	LogDriver string
	LogOpts   []string
	// Replace removes the container holding Name first (--replace).
	Replace bool
	// Mount are -v, --mount, --tmpfs, --volumes-from, --read-only and
	// --read-only-tmpfs as given (volumemount.go).
	Mount MountOptions
	// Userns is --userns, --uidmap and --gidmap; Resources the resource
	// flags (see usernsAndResources).
	Userns    UsernsOptions
	Resources ResourceOptions
	// Extras are the flags of runextras.go as given.
	Extras ExtraOptions
	// Passwd is --passwd, --passwd-entry and --hostuser (passwd.go).
	Passwd PasswdOptions
	// ChrootDirs are --chrootdirs; ImageVolume is --image-volume (bind,
	// tmpfs or ignore; "" is bind).
	ChrootDirs  []string
	ImageVolume string
	// Rootfs: Image is a host directory, DIR[:O], to run on (--rootfs).
	Rootfs bool
}

// containerConfig validates everything in o that does not need the image
// and returns the container's config without its image fields.
func (o *CreateOptions) containerConfig() (*ContainerConfig, error) {
	if o.Name != "" {
		if err := validateName(o.Name); err != nil {
			return nil, err
		}
	}
	env, err := resolveEnv(o.EnvFiles, o.Env)
	if err != nil {
		return nil, err
	}
	labels, err := parseLabels(o.Labels)
	if err != nil {
		return nil, err
	}
	mode, netOpts, err := protocol.ParseNetwork(o.Network)
	var userNets map[string]NetworkAttach
	if err != nil {
		// Not a mode: the names of user networks.
		if userNets, _, err = parseUserNetworks(o.Network, o.Net.Aliases, o.Net.IP); err != nil {
			return nil, err
		}
		if userNets == nil {
			_, _, err = protocol.ParseNetwork(o.Network)
			return nil, fmt.Errorf("%w: %w", err, define.ErrInvalidArg)
		}
		mode = protocol.NetworkBridge
	}
	if !mode.Joins() {
		if _, _, err := helperArgs(mode, netOpts); err != nil {
			return nil, err
		}
	}
	if o.StopSignal != "" {
		if _, err := signals.Parse(o.StopSignal); err != nil {
			return nil, err
		}
	}
	sec, err := securityConfig(o.Privileged, o.CapAdd, o.CapDrop, o.SecurityOpt)
	if err != nil {
		return nil, err
	}
	rf, err := o.runFlags(mode)
	if err != nil {
		return nil, err
	}
	usr, res, err := o.usernsAndResources()
	if err != nil {
		return nil, err
	}
	policy, retries, err := protocol.ParseRestartPolicy(o.Restart)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, define.ErrInvalidArg)
	}
	if o.AutoRemove && policy != protocol.RestartNo {
		return nil, fmt.Errorf("the --rm option conflicts with --restart, when the restartpolicy is not \"\" and \"no\": %w", define.ErrInvalidArg)
	}
	if err := o.Health.check(); err != nil {
		return nil, err
	}
	logCfg, err := o.logConfig()
	if err != nil {
		return nil, err
	}
	if err := o.checkReplace(); err != nil {
		return nil, err
	}
	cfg := &ContainerConfig{
		Name:           o.Name,
		Image:          o.Image,
		Command:        o.Command,
		Entrypoint:     o.Entrypoint,
		Env:            env,
		WorkDir:        o.WorkDir,
		User:           usr.defaultUser(o.User),
		Userns:         usr,
		Resources:      res,
		Hostname:       o.Hostname,
		Terminal:       o.Terminal,
		Stdin:          o.Stdin,
		Labels:         labels,
		NetworkMode:    mode,
		NetworkOptions: netOpts,
		Networks:       userNets,
		AutoRemove:     o.AutoRemove,
		StopSignal:     o.StopSignal,
		StopTimeout:    o.StopTimeout,
		Security:       sec,
		Sysctl:         rf.sysctl,
		GroupAdd:       rf.groupAdd,
		Umask:          rf.umask,
		Timezone:       rf.timezone,
		InitPath:       rf.initPath,
		Devices:        rf.devices,
		RestartPolicy:  policy,
		RestartRetries: retries,
		Log:            logCfg,
	}
	if err := o.Net.netConfig(mode, cfg); err != nil {
		return nil, err
	}
	if cfg.Mounts, err = o.Mount.parse(); err != nil {
		return nil, err
	}
	if cfg.Extras, err = o.Extras.parse(); err != nil {
		return nil, err
	}
	if cfg.Passwd, err = o.Passwd.config(); err != nil {
		return nil, err
	}
	if cfg.ChrootDirs, err = parseChrootDirs(o.ChrootDirs); err != nil {
		return nil, err
	}
	if err := checkImageVolume(o.ImageVolume); err != nil {
		return nil, err
	}
	cfg.ReadOnly = o.Mount.ReadOnly
	cfg.ReadOnlyTmpfs = o.Mount.ReadOnly && (o.Mount.ReadOnlyTmpfs == nil || *o.Mount.ReadOnlyTmpfs)
	return cfg, nil
}

// pullOptions returns the pull options of o; the policy defaults to
// pod.conf's.
func (o *CreateOptions) pullOptions(defaultPolicy string) (image.PullOptions, error) {
	policy := o.Pull
	if policy == "" {
		policy = defaultPolicy
	}
	p, err := image.ParsePullPolicy(policy)
	if err != nil {
		return image.PullOptions{}, err
	}
	return image.PullOptions{System: o.Registry, Policy: p, Quiet: o.Quiet, Progress: o.Progress, Platform: o.Platform,
		Retries: o.Retries, RetryDelay: o.RetryDelay}, nil
}

// CreateContainer validates o, makes the image available as the pull policy
// says and creates the container: its writable layer, name and config. On
// any failure nothing is left behind.
func (r *Runtime) CreateContainer(ctx context.Context, o *CreateOptions) (*Container, error) {
	cfg, err := o.containerConfig()
	if err != nil {
		return nil, err
	}
	if cfg.NetworkMode == protocol.NetworkBridge {
		if cfg.Networks, err = r.resolveUserNetworks(cfg.Networks); err != nil {
			return nil, err
		}
	}
	if cfg.NetworkMode == protocol.NetworkContainer {
		other, err := r.lookupContainer(cfg.NetworkOptions[0])
		if err != nil {
			return nil, fmt.Errorf("--network container:%s: %w", cfg.NetworkOptions[0], err)
		}
		cfg.NetworkOptions = []string{other.ID()}
	}
	if err := r.resolveExtras(&cfg.Extras); err != nil {
		return nil, err
	}
	if err := r.checkCgroupsRuntime(cfg.Resources); err != nil {
		return nil, err
	}
	img, err := r.createImage(ctx, o, cfg)
	if err != nil {
		return nil, err
	}
	cfg.ImageID, cfg.ImageName, cfg.ImageConfig = img.ID, img.Name, img.Config
	cfg.ImageDigest = img.Digest
	// The command line that creates the container, as inspect shows it.
	cfg.CreateCommand = o.CreateCommand
	if cfg.CreateCommand == nil {
		cfg.CreateCommand = os.Args
	}
	if err := r.finishPorts(cfg); err != nil {
		return nil, err
	}
	if cfg.Healthcheck, err = o.Health.healthcheck(img.Healthcheck); err != nil {
		return nil, err
	}
	if _, err := checkProcessArgs(cfg); err != nil {
		return nil, err
	}
	prepared, err := r.prepareMounts(cfg, o.Mount.VolumesFrom, imageVolumes(o.ImageVolume, img.Config.Volumes))
	if err != nil {
		return nil, r.noSpace("create container", err)
	}
	addImageTmpfs(cfg, o.ImageVolume, img.Config.Volumes)
	logrus.Debugf("creating container")
	defer logrus.Debugf("container created")
	c, err := r.createOrReplace(ctx, cfg, o.Replace)
	prepared.finish(err != nil)
	return c, r.noSpace("create container", err)
}

// createContainer creates the container's writable layer and its config
// file, and reserves its name. On any failure everything already made is
// undone.
func (r *Runtime) createContainer(cfg *ContainerConfig) (_ *Container, retErr error) {
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	cfg.ID = newID()
	cfg.Created = time.Now()
	// Held until config.json exists: it marks the name reservation as live.
	defer r.signals.hold()()
	l, err := r.locks.Acquire(cfg.ID)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	if cfg.Name != "" {
		if err := r.reserveName(cfg.Name, cfg.ID); err != nil {
			return nil, err
		}
	} else {
		for i := 0; ; i++ {
			cfg.Name = randomName()
			if i > 5 {
				cfg.Name += fmt.Sprintf("_%d", i)
			}
			err := r.reserveName(cfg.Name, cfg.ID)
			if err == nil {
				break
			}
			if !errors.Is(err, define.ErrNameInUse) || i > 50 {
				return nil, err
			}
		}
	}
	defer func() {
		if retErr != nil {
			r.releaseName(cfg.Name, cfg.ID)
		}
	}()
	dir := filepath.Join(r.cfg.StaticDir, "containers", cfg.ID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create container directory: %w", err)
	}
	defer func() {
		if retErr != nil {
			os.RemoveAll(dir)
		}
	}()
	copts := &storage.ContainerOptions{IDMappingOptions: cfg.Userns.storageIDMappings()}
	if cfg.AutoRemove && r.cfg.Storage.DriverName() == "overlay" {
		// A --rm container's upper layer is thrown away: skip the sync
		// the kernel does when a normal overlay mount goes away.
		copts.Volatile = true
	}
	if err := cfg.Userns.createStorage(store, cfg.ID, cfg.ImageID, storageMetadata(cfg.Name), copts); err != nil {
		return nil, fmt.Errorf("create container storage for %s: %w", cfg.Name, err)
	}
	defer func() {
		if retErr != nil {
			_ = store.DeleteContainer(cfg.ID)
		}
	}()
	// No state.json yet: a missing state file reads as "created".
	c := &Container{r: r, Config: cfg, State: &ContainerState{Status: define.StatusCreated}}
	// config.json last: its presence is what makes the container exist.
	if err := fsutil.WriteJSONAtomic(filepath.Join(dir, "config.json"), cfg, 0o600); err != nil {
		return nil, err
	}
	c.createdEvent()
	return c, nil
}
