package container

import (
	"reflect"
	"slices"
	"testing"
)

// defaultCreateFlags is what create and run parse from no flags at all.
func defaultCreateFlags(mod func(*CreateFlags)) CreateFlags {
	f := CreateFlags{StopTimeout: 10, TLSVerify: true, healthRetries: 3, HTTPProxy: true, Etc: EtcFlags{Passwd: true, ImageVolume: "bind"}}
	if mod != nil {
		mod(&f)
	}
	return f
}

type createCase struct {
	name    string
	args    []string
	wantErr bool
	flags   CreateFlags
	image   string
	command []string
}

// createCases are shared by create and run: both take the same flags.
var createCases = []createCase{
	{name: "image only", args: []string{"alpine"}, flags: defaultCreateFlags(nil), image: "alpine"},
	{name: "image and command", args: []string{"alpine", "echo", "hi"}, flags: defaultCreateFlags(nil), image: "alpine", command: []string{"echo", "hi"}},
	{name: "flags after the image belong to the command", args: []string{"alpine", "ls", "-l"},
		flags: defaultCreateFlags(nil), image: "alpine", command: []string{"ls", "-l"}},
	{name: "flag-like words after the image are not parsed", args: []string{"alpine", "--rm", "-e", "A=1", "--name", "x"},
		flags: defaultCreateFlags(nil), image: "alpine", command: []string{"--rm", "-e", "A=1", "--name", "x"}},
	{name: "double dash", args: []string{"--rm", "--", "alpine", "-x"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.Rm = true }), image: "alpine", command: []string{"-x"}},
	{name: "name", args: []string{"--name", "web", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.Name = "web" }), image: "alpine"},
	{name: "rm", args: []string{"--rm", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.Rm = true }), image: "alpine"},
	{name: "env repeated keeps order", args: []string{"-e", "A=1", "--env", "B=2", "-e", "C", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.Env = []string{"A=1", "B=2", "C"} }), image: "alpine"},
	{name: "env value with comma is one value", args: []string{"-e", "A=1,B=2", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.Env = []string{"A=1,B=2"} }), image: "alpine"},
	{name: "env-file repeated", args: []string{"--env-file", "/a.env", "--env-file", "/b.env", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.EnvFiles = []string{"/a.env", "/b.env"} }), image: "alpine"},
	{name: "workdir short", args: []string{"-w", "/srv", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.WorkDir = "/srv" }), image: "alpine"},
	{name: "workdir long", args: []string{"--workdir=/tmp", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.WorkDir = "/tmp" }), image: "alpine"},
	{name: "user short", args: []string{"-u", "1000:1000", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.User = "1000:1000" }), image: "alpine"},
	{name: "user long", args: []string{"--user", "nobody", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.User = "nobody" }), image: "alpine"},
	{name: "entrypoint set", args: []string{"--entrypoint", "/bin/sh", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.Entrypoint, f.entrySet = "/bin/sh", true }), image: "alpine"},
	{name: "entrypoint set to empty", args: []string{"--entrypoint", "", "alpine", "ls"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.entrySet = true }), image: "alpine", command: []string{"ls"}},
	{name: "entrypoint json", args: []string{`--entrypoint=["/bin/sh","-c"]`, "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.Entrypoint, f.entrySet = `["/bin/sh","-c"]`, true }), image: "alpine"},
	{name: "interactive and tty combined", args: []string{"-it", "alpine", "sh"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.Interactive, f.TTY = true, true }), image: "alpine", command: []string{"sh"}},
	{name: "interactive long", args: []string{"--interactive", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.Interactive = true }), image: "alpine"},
	{name: "tty long", args: []string{"--tty", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.TTY = true }), image: "alpine"},
	{name: "hostname", args: []string{"--hostname", "box", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.Hostname = "box" }), image: "alpine"},
	{name: "network flags", args: []string{"-p", "8080:80", "--publish=127.0.0.1::53/udp,9000", "-P", "--expose", "7000", "--dns", "192.0.2.53",
		"--dns-search", "a.com", "--dns-opt", "ndots:2", "--add-host", "db:192.0.2.1", "--no-hosts", "--mac-address", "02:00:00:00:00:01", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) {
			f.Net.Publish, f.Net.PublishAll, f.Net.Expose = []string{"8080:80", "127.0.0.1::53/udp", "9000"}, true, []string{"7000"}
			f.Net.DNS, f.Net.DNSSearch, f.Net.DNSOption = []string{"192.0.2.53"}, []string{"a.com"}, []string{"ndots:2"}
			f.Net.AddHost, f.Net.NoHosts, f.Net.MacAddress = []string{"db:192.0.2.1"}, true, "02:00:00:00:00:01"
		}), image: "alpine"},
	{name: "labels repeated", args: []string{"-l", "a=1", "--label", "b", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.Labels = []string{"a=1", "b"} }), image: "alpine"},
	{name: "network", args: []string{"--network", "none", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.Network = "none" }), image: "alpine"},
	{name: "net alias", args: []string{"--net=host", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.Network = "host" }), image: "alpine"},
	{name: "pull", args: []string{"--pull", "never", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.Pull = "never" }), image: "alpine"},
	{name: "pull always equals", args: []string{"--pull=always", "alpine"}, flags: defaultCreateFlags(func(f *CreateFlags) { f.Pull = "always" }), image: "alpine"},
	{name: "stop signal and timeout", args: []string{"--stop-signal", "SIGINT", "--stop-timeout", "3", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.StopSignal, f.StopTimeout = "SIGINT", 3 }), image: "alpine"},
	{name: "tls-verify false is noted", args: []string{"--tls-verify=false", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.TLSVerify, f.tlsSet = false, true }), image: "alpine"},
	{name: "tls-verify true is noted", args: []string{"--tls-verify", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.tlsSet = true }), image: "alpine"},
	{name: "registry options", args: []string{"--creds", "u:p", "--authfile", "/a.json", "-q", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) { f.Creds, f.AuthFile, f.Quiet = "u:p", "/a.json", true }), image: "alpine"},
	{name: "security flags", args: []string{"--privileged", "--cap-add", "net_admin,sys_time", "--cap-drop=all", "--security-opt", "no-new-privileges",
		"--security-opt", "seccomp=unconfined", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) {
			f.Privileged, f.CapAdd, f.CapDrop = true, []string{"net_admin", "sys_time"}, []string{"all"}
			f.SecurityOpt = []string{"no-new-privileges", "seccomp=unconfined"}
		}), image: "alpine"},
	{name: "run flags", args: []string{"--sysctl", "net.ipv4.ip_forward=1,kernel.msgmax=4096", "--sysctl", "net.ipv4.ping_group_range=0 10",
		"--group-add", "wheel", "--group-add=1234", "--umask", "0027", "--tz", "Asia/Tokyo", "--init", "--init-path", "/usr/bin/tini",
		"--device", "/dev/zero:/dev/z:r", "--device=/dev/null", "alpine"},
		flags: defaultCreateFlags(func(f *CreateFlags) {
			f.Sysctl = []string{"net.ipv4.ip_forward=1", "kernel.msgmax=4096", "net.ipv4.ping_group_range=0 10"}
			f.GroupAdd, f.Umask, f.Timezone = []string{"wheel", "1234"}, "0027", "Asia/Tokyo"
			f.Init, f.InitPath, f.Devices = true, "/usr/bin/tini", []string{"/dev/zero:/dev/z:r", "/dev/null"}
		}), image: "alpine"},
	{name: "no image", args: []string{}, wantErr: true},
	{name: "flags but no image", args: []string{"--rm", "-e", "A=1"}, wantErr: true},
	{name: "unknown flag", args: []string{"--bogus", "alpine"}, wantErr: true},
	{name: "missing flag value", args: []string{"alpine", "--name"}, flags: defaultCreateFlags(nil), image: "alpine", command: []string{"--name"}},
	{name: "flag without value before image", args: []string{"--name"}, wantErr: true},
	{name: "bad stop-timeout", args: []string{"--stop-timeout", "-1", "alpine"}, wantErr: true},
}

func TestNewCmdCreate(t *testing.T) {
	for _, tt := range createCases {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory()
			var got *CreateOptions
			cmd := NewCmdCreate(f, func(o *CreateOptions) error { got = o; return nil })
			err := execute(cmd, tt.args)
			if !checkErr(t, err, tt.wantErr, got != nil) {
				return
			}
			if got.Factory != f {
				t.Error("Options.Factory is not the factory")
			}
			if !reflect.DeepEqual(got.Flags, tt.flags) {
				t.Errorf("flags:\n got %+v\nwant %+v", got.Flags, tt.flags)
			}
			if got.Image != tt.image || !slices.Equal(got.Command, tt.command) {
				t.Errorf("image %q command %q, want %q %q", got.Image, got.Command, tt.image, tt.command)
			}
		})
	}
}

func TestNewCmdCreateHasNoDetach(t *testing.T) {
	f, _, _ := testFactory()
	called := false
	err := execute(NewCmdCreate(f, func(*CreateOptions) error { called = true; return nil }), []string{"-d", "alpine"})
	checkErr(t, err, true, called)
}

func TestNewCmdRun(t *testing.T) {
	cases := append([]createCase(nil), createCases...)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory()
			var got *RunOptions
			cmd := NewCmdRun(f, func(o *RunOptions) error { got = o; return nil })
			err := execute(cmd, tt.args)
			if !checkErr(t, err, tt.wantErr, got != nil) {
				return
			}
			if got.Detach {
				t.Error("Detach set without -d")
			}
			if !reflect.DeepEqual(got.Flags, tt.flags) {
				t.Errorf("flags:\n got %+v\nwant %+v", got.Flags, tt.flags)
			}
			if got.Image != tt.image || !slices.Equal(got.Command, tt.command) {
				t.Errorf("image %q command %q, want %q %q", got.Image, got.Command, tt.image, tt.command)
			}
		})
	}
}

func TestNewCmdRunDetach(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		detach  bool
		rm      bool
		command []string
	}{
		{"short", []string{"-d", "alpine"}, true, false, nil},
		{"long", []string{"--detach", "alpine", "sleep", "9"}, true, false, []string{"sleep", "9"}},
		{"combined with rm", []string{"-d", "--rm", "alpine"}, true, true, nil},
		{"-d after the image is the command's", []string{"alpine", "-d"}, false, false, []string{"-d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := testFactory()
			var got *RunOptions
			err := execute(NewCmdRun(f, func(o *RunOptions) error { got = o; return nil }), tt.args)
			if !checkErr(t, err, false, got != nil) {
				return
			}
			if got.Detach != tt.detach || got.Flags.Rm != tt.rm || !slices.Equal(got.Command, tt.command) {
				t.Errorf("detach %v rm %v command %q, want %v %v %q", got.Detach, got.Flags.Rm, got.Command, tt.detach, tt.rm, tt.command)
			}
		})
	}
}

// `run alpine ls -l`: -l is ls's flag, not a label.
func TestRunLabelFlagAfterImage(t *testing.T) {
	f, _, _ := testFactory()
	var got *RunOptions
	err := execute(NewCmdRun(f, func(o *RunOptions) error { got = o; return nil }), []string{"alpine", "ls", "-l"})
	if !checkErr(t, err, false, got != nil) {
		return
	}
	if len(got.Flags.Labels) != 0 {
		t.Errorf("labels %q parsed from the container command", got.Flags.Labels)
	}
	if !slices.Equal(got.Command, []string{"ls", "-l"}) {
		t.Errorf("command %q, want [ls -l]", got.Command)
	}
}

func TestRunMissingImageIsUsageError(t *testing.T) {
	f, _, _ := testFactory()
	err := execute(NewCmdRun(f, func(*RunOptions) error { return nil }), nil)
	if !isUsage(err) {
		t.Fatalf("error %v is not a usage error", err)
	}
}
