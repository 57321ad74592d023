package container

import (
	"github.com/spf13/pflag"

	"github.com/pod-engine/pod/libpod"
)

// addExtraFlags defines the flags of libpod.ExtraOptions.
func addExtraFlags(fs *pflag.FlagSet, o *libpod.ExtraOptions) {
	fs.StringArrayVar(&o.Annotations, "annotation", nil, "add an annotation to the container (`key=value`)")
	fs.StringVar(&o.PidFile, "pidfile", "", "write the container process's pid to this file")
	fs.StringVar(&o.ConmonPidFile, "conmon-pidfile", "", "write the monitor's pid to this file")
	fs.StringVar(&o.Personality, "personality", "", "execution domain (LINUX, LINUX32)")
	fs.StringArrayVar(&o.Env.Merge, "env-merge", nil, "preprocess environment variables from the image before injecting them (NAME=${NAME}...)")
	fs.StringArrayVar(&o.Env.Unset, "unsetenv", nil, "unset a default environment variable of the image or the engine")
	fs.BoolVar(&o.Env.UnsetAll, "unsetenv-all", false, "unset every default environment variable")
	fs.UintVar(&o.Timeout, "timeout", 0, "maximum time in seconds the container may run (0: no limit)")
	fs.StringArrayVar(&o.Requires, "requires", nil, "containers to start before this one")
	fs.StringVar(&o.PID, "pid", "", "PID namespace to use (private, host, container:NAME, ns:PATH)")
	fs.StringVar(&o.IPC, "ipc", "", "IPC namespace to use (private, shareable, host, none, container:NAME)")
	fs.StringVar(&o.UTS, "uts", "", "UTS namespace to use (private, host, container:NAME, ns:PATH)")
	fs.StringVar(&o.CgroupNS, "cgroupns", "", "cgroup namespace to use (private, host)")
}
