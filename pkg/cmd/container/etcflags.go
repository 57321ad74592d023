package container

import (
	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod"
)

// EtcFlags are the create flags of the container's /etc files and of the
// image's volumes.
type EtcFlags struct {
	Passwd      bool     // --passwd
	PasswdEntry string   // --passwd-entry
	HostUsers   []string // --hostuser
	ChrootDirs  []string // --chrootdirs
	ImageVolume string   // --image-volume
	Rootfs      bool     // --rootfs: the image argument is a host directory
}

func addEtcFlags(fs *pflag.FlagSet, o *EtcFlags) {
	fs.BoolVar(&o.Passwd, "passwd", true, "add entries to /etc/passwd and /etc/group for a numeric --user, keep-id and --hostuser")
	fs.StringVar(&o.PasswdEntry, "passwd-entry", "", "template of the entries added to /etc/passwd ($USERNAME, $UID, $GID, $NAME, $HOME)")
	fs.StringSliceVar(&o.HostUsers, "hostuser", nil, "host user account to add to /etc/passwd within the container")
	fs.StringSliceVar(&o.ChrootDirs, "chrootdirs", nil, "chroot directories inside the container: they get its /etc/hosts and /etc/resolv.conf too")
	fs.StringVar(&o.ImageVolume, "image-volume", libpod.ImageVolumeBind, "how to create the image's volumes (bind, tmpfs, ignore)")
	fs.BoolVar(&o.Rootfs, "rootfs", false, "the first argument is not an image but a directory holding the root filesystem (DIR, or DIR:O to write to an overlay of it)")
}

func (o *EtcFlags) apply(co *libpod.CreateOptions) {
	co.Passwd = libpod.PasswdOptions{Disable: !o.Passwd, Entry: o.PasswdEntry, HostUsers: o.HostUsers}
	co.ChrootDirs = o.ChrootDirs
	co.Rootfs = o.Rootfs
	if o.ImageVolume != libpod.ImageVolumeBind { // the engine's default
		co.ImageVolume = o.ImageVolume
	}
}
