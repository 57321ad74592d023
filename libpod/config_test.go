package libpod

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

// testHome points HOME at a temporary directory and clears every variable
// LoadConfig reads. It returns the home and the runtime directory.
func testHome(t *testing.T) (string, string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "CONTAINERS_STORAGE_CONF", "STORAGE_DRIVER"} {
		t.Setenv(v, "")
	}
	return home, filepath.Join(home, "run")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	home, rd := testHome(t)
	c, err := LoadConfig(rd)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		ConfigDir: filepath.Join(home, ".config/pod"),
		StaticDir: filepath.Join(home, ".local/share/pod"),
		RunDir:    filepath.Join(rd, "pod"),
		Storage: StorageConfig{
			GraphRoot: filepath.Join(home, ".local/share/pod/storage"),
			RunRoot:   filepath.Join(rd, "pod/storage"),
		},
	}
	if c.ConfigDir != want.ConfigDir || c.StaticDir != want.StaticDir || c.RunDir != want.RunDir ||
		c.Runtime != "" || c.Network != "" || c.PullPolicy != "" {
		t.Errorf("config %+v, want %+v", c, want)
	}
	if c.Storage.GraphRoot != want.Storage.GraphRoot || c.Storage.RunRoot != want.Storage.RunRoot || c.Storage.Driver != "" {
		t.Errorf("storage %+v, want %+v", c.Storage, want.Storage)
	}
	if c.Storage.DriverName() != "overlay" || len(c.Storage.DriverOptions()) != 0 {
		t.Errorf("default driver %q options %q, want overlay and none", c.Storage.DriverName(), c.Storage.DriverOptions())
	}
}

func TestLoadConfigXDG(t *testing.T) {
	home, rd := testHome(t)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "cfg"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	writeFile(t, filepath.Join(home, "cfg/pod/pod.conf"), `runtime = "runc"`)
	c, err := LoadConfig(rd)
	if err != nil {
		t.Fatal(err)
	}
	if c.ConfigDir != filepath.Join(home, "cfg/pod") || c.StaticDir != filepath.Join(home, "data/pod") ||
		c.Storage.GraphRoot != filepath.Join(home, "data/pod/storage") || c.Runtime != "runc" {
		t.Errorf("XDG directories not honoured: %+v", c)
	}
}

func TestLoadConfigHomeUnset(t *testing.T) {
	_, rd := testHome(t)
	t.Setenv("HOME", "")
	_, err := LoadConfig(rd)
	if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "HOME") {
		t.Errorf("error %v, want ErrInvalidArg naming HOME", err)
	}
}

func TestLoadConfigPodConf(t *testing.T) {
	home, rd := testHome(t)
	writeFile(t, filepath.Join(home, ".config/pod/pod.conf"), "# pod settings\nruntime = \"/usr/bin/crun\"\nnetwork = \"slirp4netns\"\npull_policy = \"never\"\nport_forwarder = \"pasta\"\nunknown_key = 1\n")
	c, err := LoadConfig(rd)
	if err != nil {
		t.Fatal(err)
	}
	if c.Runtime != "/usr/bin/crun" || c.Network != "slirp4netns" || c.PullPolicy != "never" || c.PortForwarder != PortForwarderPasta {
		t.Errorf("pod.conf not applied: %+v", c)
	}
	// The configuration file cannot move the directories.
	if c.StaticDir != filepath.Join(home, ".local/share/pod") {
		t.Errorf("StaticDir %q", c.StaticDir)
	}
}

func TestLoadConfigStorage(t *testing.T) {
	fakeBin := t.TempDir()
	fakeFuse := filepath.Join(fakeBin, "fuse-overlayfs")
	writeFile(t, fakeFuse, "#!/bin/sh\n")
	if err := os.Chmod(fakeFuse, 0o755); err != nil {
		t.Fatal(err)
	}
	emptyBin := t.TempDir()

	tests := []struct {
		name        string
		storageConf string
		env         map[string]string
		driver      string
		driverName  string
		graphRoot   string // relative to home when it does not start with /
		runRoot     string
		options     []string
		errIs       error
		errHas      []string
	}{
		{name: "overlay", storageConf: "[storage]\ndriver = \"overlay\"\n", driver: "overlay", driverName: "overlay"},
		{name: "overlay2 is overlay", storageConf: "[storage]\ndriver = \"overlay2\"\n", driver: "overlay", driverName: "overlay"},
		{name: "vfs with roots", storageConf: "[storage]\ndriver = \"vfs\"\ngraphroot = \"~/g\"\nrunroot = \"/tmp/rr\"\n",
			driver: "vfs", driverName: "vfs", graphRoot: "g", runRoot: "/tmp/rr"},
		{name: "$HOME in graphroot", storageConf: "[storage]\ngraphroot = \"$HOME/x/y\"\n", driverName: "overlay", graphRoot: "x/y"},
		{name: "fuse-overlayfs with overlay mount_program",
			storageConf: "[storage]\ndriver = \"fuse-overlayfs\"\n[storage.options.overlay]\nmount_program = \"/opt/fo\"\nmountopt = \"nodev\"\n",
			driver:      "fuse-overlayfs", driverName: "overlay", options: []string{"overlay.mount_program=/opt/fo", "overlay.mountopt=nodev"}},
		{name: "fuse-overlayfs with legacy options mount_program",
			storageConf: "[storage]\ndriver = \"fuse-overlayfs\"\n[storage.options]\nmount_program = \"/opt/legacy\"\n",
			driver:      "fuse-overlayfs", driverName: "overlay", options: []string{"overlay.mount_program=/opt/legacy"}},
		{name: "overlay section wins over legacy",
			storageConf: "[storage]\ndriver = \"overlay\"\n[storage.options]\nmount_program = \"/old\"\n[storage.options.overlay]\nmount_program = \"/new\"\n",
			driver:      "overlay", driverName: "overlay", options: []string{"overlay.mount_program=/new"}},
		{name: "fuse-overlayfs found in PATH", storageConf: "[storage]\ndriver = \"fuse-overlayfs\"\n", env: map[string]string{"PATH": fakeBin},
			driver: "fuse-overlayfs", driverName: "overlay", options: []string{"overlay.mount_program=" + fakeFuse}},
		{name: "fuse-overlayfs missing", storageConf: "[storage]\ndriver = \"fuse-overlayfs\"\n", env: map[string]string{"PATH": emptyBin},
			errIs: define.ErrMissingTool, errHas: []string{"fuse-overlayfs"}},
		{name: "STORAGE_DRIVER overrides the file", storageConf: "[storage]\ndriver = \"overlay\"\n", env: map[string]string{"STORAGE_DRIVER": "vfs"},
			driver: "vfs", driverName: "vfs"},
		{name: "STORAGE_DRIVER overlay2", env: map[string]string{"STORAGE_DRIVER": "overlay2"}, driver: "overlay", driverName: "overlay"},
		{name: "vfs ignores mount options", storageConf: "[storage]\ndriver = \"vfs\"\n[storage.options.overlay]\nmount_program = \"/x\"\n",
			driver: "vfs", driverName: "vfs"},
		{name: "unknown driver", storageConf: "[storage]\ndriver = \"btrfs\"\n", errIs: define.ErrInvalidArg, errHas: []string{`"btrfs"`, "storage.conf"}},
		{name: "unknown driver from env", env: map[string]string{"STORAGE_DRIVER": "zfs"}, errIs: define.ErrInvalidArg, errHas: []string{`"zfs"`}},
		{name: "corrupt storage.conf", storageConf: "[storage\ndriver = \"vfs\"\n", errIs: define.ErrInvalidArg, errHas: []string{"storage.conf", "fix or remove"}},
		{name: "wrong type in storage.conf", storageConf: "[storage]\ndriver = 3\n", errIs: define.ErrInvalidArg, errHas: []string{"storage.conf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, rd := testHome(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.storageConf != "" {
				writeFile(t, filepath.Join(home, ".config/pod/storage.conf"), tt.storageConf)
			}
			c, err := LoadConfig(rd)
			if tt.errIs != nil {
				if err == nil {
					t.Fatalf("no error, config %+v", c)
				}
				if !errors.Is(err, tt.errIs) {
					t.Errorf("error %v does not wrap %v", err, tt.errIs)
				}
				for _, s := range tt.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := c.Storage
			if s.Driver != tt.driver || s.DriverName() != tt.driverName {
				t.Errorf("driver %q (%q), want %q (%q)", s.Driver, s.DriverName(), tt.driver, tt.driverName)
			}
			wantGraph := filepath.Join(home, ".local/share/pod/storage")
			if tt.graphRoot != "" {
				wantGraph = tt.graphRoot
				if !filepath.IsAbs(wantGraph) {
					wantGraph = filepath.Join(home, wantGraph)
				}
			}
			wantRun := filepath.Join(rd, "pod/storage")
			if tt.runRoot != "" {
				wantRun = tt.runRoot
			}
			if s.GraphRoot != wantGraph || s.RunRoot != wantRun {
				t.Errorf("graphroot %q runroot %q, want %q %q", s.GraphRoot, s.RunRoot, wantGraph, wantRun)
			}
			if got := s.DriverOptions(); !slices.Equal(got, tt.options) {
				t.Errorf("driver options %q, want %q", got, tt.options)
			}
		})
	}
}

func TestLoadConfigContainersStorageConf(t *testing.T) {
	home, rd := testHome(t)
	writeFile(t, filepath.Join(home, ".config/pod/storage.conf"), "[storage]\ndriver = \"overlay\"\n")
	other := filepath.Join(home, "elsewhere/storage.conf")
	writeFile(t, other, "[storage]\ndriver = \"vfs\"\ngraphroot = \"/srv/graph\"\n")
	t.Setenv("CONTAINERS_STORAGE_CONF", other)
	c, err := LoadConfig(rd)
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.Driver != "vfs" || c.Storage.GraphRoot != "/srv/graph" {
		t.Errorf("CONTAINERS_STORAGE_CONF not read: %+v", c.Storage)
	}

	writeFile(t, other, "this is = = not toml")
	_, err = LoadConfig(rd)
	if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), other) {
		t.Errorf("corrupt CONTAINERS_STORAGE_CONF: error %v, want ErrInvalidArg naming %s", err, other)
	}

	// A missing file named by the variable is the same as no file.
	t.Setenv("CONTAINERS_STORAGE_CONF", filepath.Join(home, "missing.conf"))
	if c, err = LoadConfig(rd); err != nil || c.Storage.Driver != "" {
		t.Errorf("missing CONTAINERS_STORAGE_CONF: %v, %+v", err, c)
	}
}

func TestLoadConfigPodConfErrors(t *testing.T) {
	tests := []struct {
		name    string
		podConf string
		errHas  []string
	}{
		{"corrupt", "runtime = \"crun\nnetwork=", []string{"pod.conf", "fix or remove"}},
		{"wrong type", "runtime = 1\n", []string{"pod.conf"}},
		{"unknown network", "network = \"bridge\"\n", []string{`"bridge"`, "pod.conf", "pasta or slirp4netns"}},
		{"unknown port forwarder", "port_forwarder = \"rootlessport\"\n", []string{"port_forwarder", `"rootlessport"`, `"pod" or "pasta"`}},
		{"bad slirp4netns option", "slirp4netns_options = [\"allow_host_loopback=maybe\"]\n", []string{"slirp4netns options", "allow_host_loopback=maybe"}},
		{"unknown slirp4netns option", "slirp4netns_options = [\"nope=1\"]\n", []string{"slirp4netns options", "nope=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, rd := testHome(t)
			path := filepath.Join(home, ".config/pod/pod.conf")
			writeFile(t, path, tt.podConf)
			c, err := LoadConfig(rd)
			if err == nil {
				t.Fatalf("no error, config %+v", c)
			}
			if !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("error %v does not wrap ErrInvalidArg", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans several lines", err)
			}
		})
	}
}

func TestDriverOptionsKeepsExtraOptions(t *testing.T) {
	s := StorageConfig{Driver: "vfs", Options: []string{"vfs.ignore_chown_errors=true"}}
	if got := s.DriverOptions(); !slices.Equal(got, []string{"vfs.ignore_chown_errors=true"}) {
		t.Errorf("DriverOptions = %q", got)
	}
}

func TestOverridesApplyAndArgs(t *testing.T) {
	c := &Config{StaticDir: "/data", RunDir: "/run/pod", Storage: StorageConfig{GraphRoot: "/data/storage", RunRoot: "/run/pod/storage", Options: []string{"a=b"}}}
	o := Overrides{Root: "/alt", TmpDir: "/tmp/t", StorageOpts: []string{""}, RuntimeFlags: []string{"debug", "--log-format=json"}, EventsBackend: "none", VolumePath: "/vols"}
	if err := c.Apply(o); err != nil {
		t.Fatal(err)
	}
	if c.Storage.GraphRoot != "/alt" || c.StaticDir != "/alt/pod" || c.RunDir != "/tmp/t" || c.VolumeDir() != "/vols" ||
		!strings.HasPrefix(c.Storage.RunRoot, "/tmp/t/storage-") || c.Storage.Options != nil || c.EventsBackend != "none" ||
		strings.Join(c.RuntimeFlags, " ") != "--debug --log-format=json" {
		t.Errorf("applied: %+v", c)
	}
	want := "--root=/alt --tmpdir=/tmp/t --volumepath=/vols --events-backend=none --storage-opt= --runtime-flag=debug --runtime-flag=--log-format=json"
	if got := strings.Join(o.Args(), " "); got != want {
		t.Errorf("Args() = %q, want %q", got, want)
	}
	for _, bad := range []Overrides{{EventsBackend: "journald"}, {EventsBackend: "x"}, {CgroupManager: "systemd"}, {StorageDriver: "btrfs"}} {
		if err := (&Config{}).Apply(bad); err == nil {
			t.Errorf("Apply(%+v) accepted", bad)
		}
	}
}
