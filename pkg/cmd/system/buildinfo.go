package system

import (
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/pod-engine/pod/libpod"
)

// buildTime is the build's Unix time, set by the Makefile with
// -ldflags "-X github.com/pod-engine/pod/pkg/cmd/system.buildTime=N".
var buildTime = ""

// clientVersion is pod's version as `version` and `info` show it: the
// commit and its time from the Go toolchain's VCS stamp, the build time
// from the link flags (else the commit's time; else 0, as podman shows an
// unknown one).
func clientVersion(version string) libpod.VersionInfo {
	v := libpod.VersionInfo{
		APIVersion: version,
		Version:    version,
		GoVersion:  runtime.Version(),
		OsArch:     runtime.GOOS + "/" + runtime.GOARCH,
		Os:         runtime.GOOS,
	}
	var commitTime int64
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.GitCommit = s.Value
			case "vcs.time":
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
					commitTime = t.Unix()
				}
			}
		}
	}
	v.Built = commitTime
	if n, err := strconv.ParseInt(buildTime, 10, 64); err == nil {
		v.Built = n
	}
	v.BuiltTime = time.Unix(v.Built, 0).Format(time.ANSIC)
	return v
}
