package libpod

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

// fakeInit writes an executable file (not an ELF binary) for --init-path.
func fakeInit(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "init")
	if err := os.WriteFile(p, []byte("#!/bin/sh\nexec \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func needZoneinfo(t *testing.T) {
	t.Helper()
	if _, err := zoneFile("UTC"); err != nil {
		t.Skipf("no time zone database on this host: %v", err)
	}
}

func TestRunFlagsConfig(t *testing.T) {
	needZoneinfo(t)
	init := fakeInit(t)
	o := &CreateOptions{Image: "alpine", Sysctl: []string{"net.ipv4.ip_forward=1", "kernel.msgmax=4096"},
		GroupAdd: []string{"wheel", "", "1234"}, Umask: "27", Timezone: "UTC", Init: true, InitPath: init,
		Devices: []string{"/dev/null:/dev/mynull:rw"}}
	cfg, err := o.containerConfig()
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}; !reflect.DeepEqual(cfg.Sysctl, want) {
		t.Errorf("Sysctl %v", cfg.Sysctl)
	}
	if !slices.Equal(cfg.GroupAdd, []string{"wheel", "1234"}) || cfg.Umask != "0027" || cfg.Timezone != "UTC" || cfg.InitPath != init {
		t.Errorf("GroupAdd %q Umask %q Timezone %q InitPath %q", cfg.GroupAdd, cfg.Umask, cfg.Timezone, cfg.InitPath)
	}
	if want := []spec.Device{{Source: "/dev/null", Destination: "/dev/mynull", Permissions: "rw"}}; !reflect.DeepEqual(cfg.Devices, want) {
		t.Errorf("Devices %+v", cfg.Devices)
	}

	// --init-path alone does nothing, as in podman; no flag leaves the defaults.
	cfg, err = (&CreateOptions{Image: "alpine", InitPath: "/nonexistent"}).containerConfig()
	if err != nil || cfg.InitPath != "" || cfg.Umask != "" || cfg.Sysctl != nil || cfg.GroupAdd != nil || cfg.Devices != nil {
		t.Errorf("no run flags: %+v, %v", cfg, err)
	}
}

func TestRunFlagsConfigErrors(t *testing.T) {
	needZoneinfo(t)
	for _, tc := range []struct {
		o    CreateOptions
		want string
	}{
		{CreateOptions{Sysctl: []string{"vm.swappiness=1"}}, "vm.swappiness"},
		{CreateOptions{Sysctl: []string{"net.ipv4.ip_forward=1"}, Network: "host"}, "Network Namespace set to host"},
		{CreateOptions{GroupAdd: []string{"keep-groups"}}, "keep-groups"},
		{CreateOptions{GroupAdd: []string{"99999999999"}}, "99999999999"},
		{CreateOptions{Umask: "0999"}, "invalid umask string 0999"},
		{CreateOptions{Timezone: "Nowhere/Land"}, "--tz Nowhere/Land: unknown time zone"},
		{CreateOptions{Timezone: "../../etc/passwd"}, "--tz ../../etc/passwd"},
		{CreateOptions{Timezone: "Etc"}, "not a time zone file"},
		{CreateOptions{Init: true, InitPath: "/nonexistent"}, "container-init binary not found on the host: stat /nonexistent"},
		{CreateOptions{Init: true, InitPath: "/etc"}, "/etc is not an executable file"},
		{CreateOptions{Devices: []string{"/dev/nosuch"}}, "--device /dev/nosuch: stat /dev/nosuch"},
		{CreateOptions{Devices: []string{"/etc/passwd"}}, "/etc/passwd is not a valid device"},
		{CreateOptions{Devices: []string{"/dev"}}, "/dev is a directory"},
		{CreateOptions{Devices: []string{"/dev/null:rx"}}, "invalid device mode: rx"},
	} {
		tc.o.Image = "alpine"
		_, err := tc.o.containerConfig()
		if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want ErrInvalidArg mentioning %q", tc.o, err, tc.want)
		}
	}
}

func TestFindInit(t *testing.T) {
	script := fakeInit(t)
	if staticELF(script) {
		t.Error("a shell script passes for a static ELF binary")
	}
	missing := filepath.Join(t.TempDir(), "catatonit")
	_, err := findInit("", []string{missing, script})
	if !errors.Is(err, define.ErrMissingTool) || !strings.Contains(err.Error(), "apt-get install catatonit") ||
		!strings.Contains(err.Error(), missing) {
		t.Errorf("no static init: %v, want ErrMissingTool naming the package and the paths", err)
	}
	if p, err := findInit(script, nil); err != nil || p != script {
		t.Errorf("--init-path: %q, %v", p, err)
	}
	// The host's own, when one is installed, is static.
	if p, err := findInit("", spec.InitCandidates()); err == nil && !staticELF(p) {
		t.Errorf("findInit picked %q, not a static binary", p)
	}
}

func TestAddRunFlags(t *testing.T) {
	needZoneinfo(t)
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "etc", "group"), "root:x:0:\nwheel:x:10:root\n")
	init := fakeInit(t)
	c := &Container{Config: &ContainerConfig{ID: hexID("a"), Name: "x", Sysctl: map[string]string{"kernel.msgmax": "1"},
		GroupAdd: []string{"wheel", "7"}, Umask: "0077", Timezone: "UTC", InitPath: init,
		Devices: []spec.Device{{Source: "/dev/null", Destination: "/dev/n", Permissions: "rwm"}}}}
	o := &spec.Options{}
	if err := c.addRunFlags(o, root); err != nil {
		t.Fatal(err)
	}
	if o.Umask == nil || *o.Umask != 0o77 || !slices.Equal(o.GroupAdd, []uint32{10, 7}) || o.InitPath != init ||
		o.LocaltimePath != filepath.Join(spec.ZoneinfoDir, "UTC") || len(o.Devices) != 1 || o.Sysctl["kernel.msgmax"] != "1" {
		t.Errorf("spec options %+v", o)
	}
	c.Config.GroupAdd = []string{"nosuch"}
	if err := c.addRunFlags(&spec.Options{}, root); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("unknown group at start: %v", err)
	}
	c.Config.GroupAdd = nil
	c.Config.InitPath = filepath.Join(t.TempDir(), "gone")
	if err := c.addRunFlags(&spec.Options{}, root); !errors.Is(err, define.ErrMissingTool) {
		t.Errorf("init binary gone at start: %v", err)
	}
}

func TestInspectRunFlags(t *testing.T) {
	r := testRuntime(t)
	c := &Container{r: r, Config: &ContainerConfig{ID: hexID("b"), Name: "x", Command: []string{"sleep", "1"}},
		State: &ContainerState{Status: define.StatusCreated}}
	in := c.inspect()
	if in.Config.Umask != "0022" || in.Config.Timezone != "" || in.HostConfig.Init || in.HostConfig.GroupAdd == nil ||
		in.HostConfig.Devices == nil || in.HostConfig.Sysctls == nil || in.Path != "sleep" {
		t.Errorf("defaults: Config %+v HostConfig %+v Path %q", in.Config, in.HostConfig, in.Path)
	}
	c.Config.Umask, c.Config.Timezone, c.Config.InitPath = "0027", "Asia/Tokyo", "/usr/bin/catatonit"
	c.Config.GroupAdd, c.Config.Sysctl = []string{"wheel"}, map[string]string{"net.core.somaxconn": "1"}
	c.Config.Devices = []spec.Device{{Source: "/dev/zero", Destination: "/dev/z", Permissions: "r"}}
	in = c.inspect()
	if in.Path != spec.InitPath || !slices.Equal(in.Args, []string{"--", "sleep", "1"}) || !in.HostConfig.Init {
		t.Errorf("--init: Path %q Args %q Init %v", in.Path, in.Args, in.HostConfig.Init)
	}
	if in.Config.Umask != "0027" || in.Config.Timezone != "Asia/Tokyo" || !slices.Equal(in.HostConfig.GroupAdd, []string{"wheel"}) ||
		in.HostConfig.Sysctls["net.core.somaxconn"] != "1" {
		t.Errorf("Config %+v HostConfig %+v", in.Config, in.HostConfig)
	}
	if want := []InspectDevice{{PathOnHost: "/dev/zero", PathInContainer: "/dev/z", CgroupPermissions: "r"}}; !reflect.DeepEqual(in.HostConfig.Devices, want) {
		t.Errorf("Devices %+v", in.HostConfig.Devices)
	}
}
