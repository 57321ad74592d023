package container

import (
	"strconv"

	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod"
)

// MountFlags are the storage flags create and run share: -v, --mount,
// --tmpfs, --volumes-from, --read-only and --read-only-tmpfs.
type MountFlags struct {
	libpod.MountOptions
}

func addMountFlags(fs *pflag.FlagSet, o *MountFlags) {
	fs.StringArrayVarP(&o.Volumes, "volume", "v", nil, "bind mount a volume or host directory: [SOURCE-VOLUME|HOST-DIR:]CONTAINER-DIR[:OPTIONS] (OPTIONS: rw, ro, z, Z, U, O, nocopy, propagation)")
	fs.StringArrayVar(&o.Mounts, "mount", nil, "attach a filesystem mount: type=bind|volume|tmpfs|image,[src=...,]dst=...[,options]")
	fs.StringArrayVar(&o.Tmpfs, "tmpfs", nil, "mount a temporary filesystem: CONTAINER-DIR[:OPTIONS]")
	fs.StringArrayVar(&o.VolumesFrom, "volumes-from", nil, "mount the volumes of the specified container(s): CONTAINER[:ro|rw]")
	fs.BoolVar(&o.ReadOnly, "read-only", false, "make the container's root filesystem read-only")
	f := fs.VarPF(optionalBool{&o.ReadOnlyTmpfs}, "read-only-tmpfs", "", "with --read-only, mount a tmpfs on /run, /tmp and /var/tmp")
	f.NoOptDefVal = "true"
	f.DefValue = "true"
}

func (o *MountFlags) apply(co *libpod.CreateOptions) {
	co.Mount = o.MountOptions
}

// optionalBool is a boolean flag whose target stays nil unless given.
type optionalBool struct{ target **bool }

func (v optionalBool) String() string {
	if v.target == nil || *v.target == nil {
		return "true"
	}
	return strconv.FormatBool(**v.target)
}

func (v optionalBool) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	*v.target = &b
	return nil
}

func (v optionalBool) Type() string     { return "bool" }
func (v optionalBool) IsBoolFlag() bool { return true }
