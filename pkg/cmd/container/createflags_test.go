package container

import (
	"reflect"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/image"
)

// The flags reach the engine as given: the engine validates them.
func TestCreateOptions(t *testing.T) {
	f, _, errOut := testFactory()
	ep := ""
	yes, no := true, false
	for _, tt := range []struct {
		name  string
		flags CreateFlags
		want  libpod.CreateOptions
	}{
		{"defaults", defaultCreateFlags(nil),
			libpod.CreateOptions{Image: "alpine", Command: []string{"true"}, StopTimeout: 10, Progress: errOut}},
		{"everything", defaultCreateFlags(func(o *CreateFlags) {
			o.Name, o.Env, o.EnvFiles, o.WorkDir, o.User = "web", []string{"A=1", "B"}, []string{"/e.env"}, "/srv", "1:2"
			o.Interactive, o.TTY, o.Hostname, o.Labels, o.Network = true, true, "box", []string{"k=v"}, "none"
			o.Pull, o.Rm, o.StopSignal, o.StopTimeout = "never", true, "INT", 3
			o.Creds, o.AuthFile, o.Quiet = "u:p", "/a.json", true
		}), libpod.CreateOptions{
			Name: "web", Image: "alpine", Command: []string{"true"}, Env: []string{"A=1", "B"}, EnvFiles: []string{"/e.env"},
			WorkDir: "/srv", User: "1:2", Hostname: "box", Terminal: true, Stdin: true, Labels: []string{"k=v"},
			Network: "none", AutoRemove: true, StopSignal: "INT", StopTimeout: 3, Pull: "never",
			Registry: image.SystemOptions{AuthFile: "/a.json", Creds: "u:p"}, Quiet: true, Progress: errOut}},
		{"run flags", defaultCreateFlags(func(o *CreateFlags) {
			o.Sysctl, o.GroupAdd, o.Umask, o.Timezone = []string{"kernel.msgmax=1"}, []string{"wheel"}, "0027", "local"
			o.Init, o.InitPath, o.Devices = true, "/sbin/tini", []string{"/dev/zero"}
		}), libpod.CreateOptions{Image: "alpine", Command: []string{"true"}, StopTimeout: 10, Progress: errOut,
			Sysctl: []string{"kernel.msgmax=1"}, GroupAdd: []string{"wheel"}, Umask: "0027", Timezone: "local",
			Init: true, InitPath: "/sbin/tini", Devices: []string{"/dev/zero"}}},
		{"network flags", defaultCreateFlags(func(o *CreateFlags) {
			o.Net = libpod.NetOptions{Publish: []string{"8080:80"}, PublishAll: true, Expose: []string{"7000"}, DNS: []string{"192.0.2.53"},
				DNSSearch: []string{"a.com"}, DNSOption: []string{"ndots:2"}, AddHost: []string{"db:192.0.2.1"}, NoHosts: true, MacAddress: "02:00:00:00:00:01"}
		}), libpod.CreateOptions{Image: "alpine", Command: []string{"true"}, StopTimeout: 10, Progress: errOut,
			Net: libpod.NetOptions{Publish: []string{"8080:80"}, PublishAll: true, Expose: []string{"7000"}, DNS: []string{"192.0.2.53"},
				DNSSearch: []string{"a.com"}, DNSOption: []string{"ndots:2"}, AddHost: []string{"db:192.0.2.1"}, NoHosts: true, MacAddress: "02:00:00:00:00:01"}}},
		{"entrypoint set to empty", defaultCreateFlags(func(o *CreateFlags) { o.entrySet = true }),
			libpod.CreateOptions{Image: "alpine", Command: []string{"true"}, Entrypoint: &ep, StopTimeout: 10, Progress: errOut}},
		{"tls-verify given", defaultCreateFlags(func(o *CreateFlags) { o.tlsSet = true }),
			libpod.CreateOptions{Image: "alpine", Command: []string{"true"}, StopTimeout: 10, Progress: errOut,
				Registry: image.SystemOptions{TLSVerify: &yes}}},
		{"tls-verify=false", defaultCreateFlags(func(o *CreateFlags) { o.tlsSet, o.TLSVerify = true, false }),
			libpod.CreateOptions{Image: "alpine", Command: []string{"true"}, StopTimeout: 10, Progress: errOut,
				Registry: image.SystemOptions{TLSVerify: &no}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.flags.createOptions(f, "alpine", []string{"true"})
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("createOptions:\n got %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}
