package libpod

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

// Log drivers (--log-driver). json-file is podman's alias of k8s-file:
// the log is k8s-file, inspect shows the name given.
const (
	LogDriverK8sFile     = "k8s-file"
	LogDriverJSONFile    = "json-file"
	LogDriverNone        = "none"
	LogDriverPassthrough = "passthrough"
	LogDriverJournald    = "journald"
)

// LogConfig is how a container's output is logged (--log-driver,
// --log-opt). The zero value is k8s-file at the default path, unlimited.
type LogConfig struct {
	// Driver is k8s-file, json-file, none or passthrough; "" is k8s-file.
	Driver string `json:"driver,omitempty"`
	// Path is the k8s-file log; "" is ctr.log in the container's data
	// directory.
	Path string `json:"path,omitempty"`
	// MaxSize rotates the log before it passes this many bytes (0: no
	// limit); MaxFiles files are kept, the current one included (0 is 1:
	// the full log is replaced by an empty one, as conmon does).
	MaxSize  int64 `json:"maxSize,omitempty"`
	MaxFiles uint  `json:"maxFiles,omitempty"`
	// Tag is kept and shown by inspect; k8s-file does not use it.
	Tag string `json:"tag,omitempty"`
}

// Logging reports whether the container's output is written to a log
// file (k8s-file), which `pod logs` reads.
func (l LogConfig) Logging() bool {
	return l.Driver != LogDriverNone && l.Driver != LogDriverPassthrough
}

// DriverName is the driver as inspect shows it.
func (l LogConfig) DriverName() string {
	if l.Driver == "" {
		return LogDriverK8sFile
	}
	return l.Driver
}

// parseLogConfig validates --log-driver and the --log-opt values.
func parseLogConfig(driver string, opts []string) (LogConfig, error) {
	var l LogConfig
	switch driver {
	case "", LogDriverK8sFile:
	case LogDriverJSONFile, LogDriverNone, LogDriverPassthrough:
		l.Driver = driver
	case LogDriverJournald:
		return l, fmt.Errorf("log driver journald is not supported: pod has no journald; use k8s-file, none or passthrough: %w", define.ErrInvalidArg)
	default:
		return l, fmt.Errorf("invalid log driver %q: want k8s-file, none or passthrough: %w", driver, define.ErrInvalidArg)
	}
	for _, o := range opts {
		key, value, ok := strings.Cut(o, "=")
		if !ok {
			return l, fmt.Errorf("invalid log option %q: want NAME=VALUE: %w", o, define.ErrInvalidArg)
		}
		switch strings.ToLower(key) {
		case "path":
			if value == "" {
				return l, fmt.Errorf("invalid log option %q: empty path: %w", o, define.ErrInvalidArg)
			}
			abs, err := filepath.Abs(value)
			if err != nil {
				return l, fmt.Errorf("invalid log option %q: %w: %w", o, err, define.ErrInvalidArg)
			}
			l.Path = abs
		case "max-size":
			n, err := ParseSize(value)
			if err != nil {
				return l, fmt.Errorf("invalid log option %q: %w", o, err)
			}
			l.MaxSize = n
		case "max-file":
			n, err := strconv.ParseUint(value, 10, 16)
			if err != nil || n < 1 {
				return l, fmt.Errorf("invalid log option %q: want a number of files of 1 or more: %w", o, define.ErrInvalidArg)
			}
			l.MaxFiles = uint(n)
		case "tag":
			l.Tag = value
		default:
			return l, fmt.Errorf("invalid log option %q: want path, max-size, max-file or tag: %w", o, define.ErrInvalidArg)
		}
	}
	return l, nil
}

// ParseSize parses a size as podman's --log-opt max-size does (go-units'
// FromHumanSize): a number with an optional fraction, an optional space
// and an optional unit k, m, g, t or p in any case, decimal (k is 1000;
// an "i" changes nothing, as in go-units), with an optional b ("10mb",
// "1.5m", "512"). 0 means no limit.
func ParseSize(s string) (int64, error) {
	bad := func(why string) error {
		return fmt.Errorf("invalid size: '%s'%s: %w", s, why, define.ErrInvalidArg)
	}
	t := s
	if strings.HasSuffix(t, "b") || strings.HasSuffix(t, "B") {
		t = t[:len(t)-1]
	}
	if strings.HasSuffix(t, "i") || strings.HasSuffix(t, "I") {
		t = t[:len(t)-1]
	}
	mult := 1.0
	if t != "" {
		if i := strings.IndexByte("kmgtp", lower(t[len(t)-1])); i >= 0 {
			mult = []float64{1e3, 1e6, 1e9, 1e12, 1e15}[i]
			t = t[:len(t)-1]
		}
	}
	t = strings.TrimSuffix(t, " ")
	whole, frac, hasFrac := strings.Cut(t, ".")
	if !allDigits(whole) || (hasFrac && !allDigits(frac)) {
		return 0, bad("")
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, bad("")
	}
	if v := n * mult; v < 1<<62 {
		return int64(v), nil
	}
	return 0, bad(": too large")
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// allDigits reports whether s is one or more decimal digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// humanSize renders bytes as podman's inspect does (go-units' HumanSize:
// decimal units, four significant digits).
func humanSize(n int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	v, i := float64(n), 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	return strconv.FormatFloat(v, 'g', 4, 64) + units[i]
}

// InspectLogConfig is HostConfig.LogConfig, as podman shows it.
type InspectLogConfig struct {
	Type string `json:"Type"`
	// Config holds the options podman does not show elsewhere (max-file);
	// null without them, as in podman.
	Config map[string]string `json:"Config"`
	Path   string            `json:"Path"`
	Tag    string            `json:"Tag"`
	Size   string            `json:"Size"`
}

// inspectLogConfig is c's HostConfig.LogConfig.
func (c *Container) inspectLogConfig() InspectLogConfig {
	l := c.Config.Log
	out := InspectLogConfig{Type: l.DriverName(), Path: c.logPath(), Tag: l.Tag, Size: humanSize(l.MaxSize)}
	if l.MaxFiles > 0 {
		out.Config = map[string]string{"max-file": strconv.FormatUint(uint64(l.MaxFiles), 10)}
	}
	return out
}

// logFilePath is the container's k8s-file log, "" when it logs nothing.
func (c *Container) logFilePath() string {
	switch {
	case !c.Config.Log.Logging():
		return ""
	case c.Config.Log.Path != "":
		return c.Config.Log.Path
	}
	return filepath.Join(c.staticDir(), "ctr.log")
}

// noLogsError is what `pod logs` says of a container that logs nothing
// (podman's words).
func (c *Container) noLogsError() error {
	return fmt.Errorf("this container is using the '%s' log driver, cannot read logs: %w", c.Config.Log.DriverName(), define.ErrNoLogs)
}

// logConfig validates the log flags of o: the driver and options, and
// that passthrough has no terminal to copy from.
func (o *CreateOptions) logConfig() (LogConfig, error) {
	l, err := parseLogConfig(o.LogDriver, o.LogOpts)
	if err != nil {
		return l, err
	}
	if l.Driver == LogDriverPassthrough && o.Terminal {
		return l, fmt.Errorf("the '--log-driver passthrough' option cannot be used with --tty: the container's output goes straight to the caller's stdout and stderr: %w", define.ErrInvalidArg)
	}
	return l, nil
}

// logOptions sets the monitor's log options: the log path (none when the
// driver writes no log), its rotation, passthrough.
func (c *Container) logOptions(o *protocol.Options) {
	l := c.Config.Log
	o.LogPath = c.logPath()
	o.LogSizeMax = l.MaxSize
	o.LogMaxFiles = l.MaxFiles
	o.Passthrough = l.Driver == LogDriverPassthrough
}

// checkPassthroughStart refuses to start a passthrough container
// detached: its output goes to the caller's own stdout and stderr, so
// there must be a caller attached.
func (c *Container) checkPassthroughStart(attached bool) error {
	if attached || c.Config.Log.Driver != LogDriverPassthrough {
		return nil
	}
	return fmt.Errorf("container %s uses the 'passthrough' log driver: its output goes to the caller's stdout and stderr, so it can only be started attached (start --attach): %w",
		c.Name(), define.ErrInvalidArg)
}
