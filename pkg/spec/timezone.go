package spec

import (
	"path"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// ZoneinfoDir is the host's time zone database.
const ZoneinfoDir = "/usr/share/zoneinfo"

// LocalTimezone is the --tz value naming the host's own zone
// (/etc/localtime).
const LocalTimezone = "local"

// ZonePath returns the host file of a --tz value: /etc/localtime for
// "local", else the zone's file below dir (ZoneinfoDir). A zone must be a
// relative name without "." or ".." elements (Asia/Tokyo, UTC); whether
// the file exists is the caller's to check. Errors wrap
// define.ErrInvalidArg.
func ZonePath(dir, tz string) (string, error) {
	if tz == LocalTimezone {
		return "/etc/localtime", nil
	}
	if tz == "" || path.IsAbs(tz) || strings.ContainsAny(tz, "\x00\n") {
		return "", invalidArg("--tz %s: not a time zone name such as Asia/Tokyo, UTC or local", tz)
	}
	for _, el := range strings.Split(tz, "/") {
		if el == "" || el == "." || el == ".." {
			return "", invalidArg("--tz %s: not a time zone name such as Asia/Tokyo, UTC or local", tz)
		}
	}
	return path.Join(dir, tz), nil
}

// applyTimezone bind-mounts the zone file read-only at /etc/localtime;
// host "" keeps the image's.
func applyTimezone(s *specs.Spec, host string) {
	if host == "" {
		return
	}
	s.Mounts = append(s.Mounts, specs.Mount{Destination: "/etc/localtime", Type: "bind", Source: host,
		Options: []string{"bind", "rprivate", "ro"}})
}
