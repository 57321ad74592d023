package libpod

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"1", 1}, {"512", 512}, {"1k", 1000}, {"1K", 1000}, {"10kb", 10000}, {"10KB", 10000},
		{"10mb", 10000000}, {"10m", 10000000}, {"10MiB", 10000000}, {"1.5m", 1500000}, {"2g", 2000000000},
		{"1 MB", 1000000}, {"7b", 7}, {"1t", 1e12}, {"1p", 1e15},
	} {
		got, err := ParseSize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "abc", "-1", "1.", ".5", "1.2.3", "10x", " 10", "m", "1e3", "99999999p"} {
		_, err := ParseSize(bad)
		if err == nil || !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "'"+bad+"'") {
			t.Errorf("ParseSize(%q): %v, want an invalid size naming the value", bad, err)
		}
	}
}

// As go-units' HumanSize, which podman's inspect uses.
func TestHumanSize(t *testing.T) {
	for _, tc := range []struct {
		in   int64
		want string
	}{
		{0, "0B"}, {1, "1B"}, {999, "999B"}, {1000, "1kB"}, {8191, "8.191kB"}, {10000000, "10MB"},
		{1500000, "1.5MB"}, {10485760, "10.49MB"}, {2e9, "2GB"},
	} {
		if got := humanSize(tc.in); got != tc.want {
			t.Errorf("humanSize(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseLogConfig(t *testing.T) {
	abs, _ := filepath.Abs("rel.log")
	for _, tc := range []struct {
		driver string
		opts   []string
		want   LogConfig
	}{
		{"", nil, LogConfig{}},
		{"k8s-file", nil, LogConfig{}},
		{"json-file", nil, LogConfig{Driver: "json-file"}},
		{"none", []string{"max-size=1k"}, LogConfig{Driver: "none", MaxSize: 1000}},
		{"passthrough", nil, LogConfig{Driver: "passthrough"}},
		{"", []string{"max-size=10mb", "max-file=3", "path=/var/log/x.log", "tag=web", "MAX-SIZE=2k"},
			LogConfig{MaxSize: 2000, MaxFiles: 3, Path: "/var/log/x.log", Tag: "web"}},
		{"", []string{"path=rel.log", "tag="}, LogConfig{Path: abs}},
	} {
		got, err := parseLogConfig(tc.driver, tc.opts)
		if err != nil || got != tc.want {
			t.Errorf("parseLogConfig(%q, %q) = %+v, %v; want %+v", tc.driver, tc.opts, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		driver string
		opts   []string
		want   string
	}{
		{"journald", nil, "journald is not supported"},
		{"syslog", nil, `invalid log driver "syslog"`},
		{"", []string{"max-size=abc"}, "invalid size: 'abc'"},
		{"", []string{"max-size=-1"}, "max-size=-1"},
		{"", []string{"max-file=0"}, `"max-file=0"`},
		{"", []string{"max-file=x"}, `"max-file=x"`},
		{"", []string{"novalue"}, `invalid log option "novalue"`},
		{"", []string{"bogus=1"}, `invalid log option "bogus=1"`},
		{"", []string{"path="}, `"path="`},
	} {
		_, err := parseLogConfig(tc.driver, tc.opts)
		if err == nil || !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseLogConfig(%q, %q): %v, want %q", tc.driver, tc.opts, err, tc.want)
		}
	}
}

func TestCreateOptionsLogAndReplace(t *testing.T) {
	for _, tc := range []struct {
		o    CreateOptions
		want string
	}{
		{CreateOptions{Image: "a", LogDriver: "passthrough", Terminal: true}, "cannot be used with --tty"},
		{CreateOptions{Image: "a", Replace: true}, "cannot replace container without --name being set"},
		{CreateOptions{Image: "a", LogOpts: []string{"max-size=1x"}}, "1x"},
	} {
		_, err := tc.o.containerConfig()
		if err == nil || !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
	cfg, err := (&CreateOptions{Image: "a", Name: "x", Replace: true, LogOpts: []string{"max-size=1k", "max-file=2"}}).containerConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Log != (LogConfig{MaxSize: 1000, MaxFiles: 2}) {
		t.Errorf("log config %+v", cfg.Log)
	}
}

func TestLogConfigOfContainer(t *testing.T) {
	r := &Runtime{cfg: &Config{StaticDir: "/data"}}
	id := strings.Repeat("a", 64)
	c := &Container{r: r, Config: &ContainerConfig{ID: id, Log: LogConfig{MaxSize: 10e6, MaxFiles: 3, Tag: "t"}}}
	got := c.inspectLogConfig()
	if got.Type != "k8s-file" || got.Path != "/data/containers/"+id+"/ctr.log" || got.Size != "10MB" || got.Tag != "t" || got.Config["max-file"] != "3" {
		t.Errorf("inspect %+v", got)
	}
	c.Config.Log = LogConfig{Driver: LogDriverNone}
	if got := c.inspectLogConfig(); got.Type != "none" || got.Path != "" || got.Size != "0B" || got.Config != nil {
		t.Errorf("inspect none %+v", got)
	}
	if err := c.noLogsError(); !errors.Is(err, define.ErrNoLogs) ||
		err.Error() != "this container is using the 'none' log driver, cannot read logs: this container is not logging output" {
		t.Errorf("no logs error %v", err)
	}
}
