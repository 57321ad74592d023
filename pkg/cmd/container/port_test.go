package container

import (
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestRunPort(t *testing.T) {
	web := cmdtest.FakeContainer("web", "0123456789abcdef", define.StatusRunning)
	web.Config.PortMappings = []libpod.PortMapping{
		{ContainerPort: 80, HostPort: 8080, Protocol: "tcp"},
		{HostIP: "127.0.0.1", ContainerPort: 53, HostPort: 5353, Range: 2, Protocol: "udp"},
	}
	plain := cmdtest.FakeContainer("plain", "fedcba9876543210", define.StatusRunning)
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web, plain}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	for _, tc := range []struct {
		args []string
		want string
		code int
		msg  string
	}{
		{args: []string{"web"}, want: "80/tcp -> 0.0.0.0:8080\n53/udp -> 127.0.0.1:5353\n54/udp -> 127.0.0.1:5354\n"},
		{args: []string{"web", "80"}, want: "0.0.0.0:8080\n"},
		{args: []string{"web", "54/udp"}, want: "127.0.0.1:5354\n"},
		{args: []string{"-a"}, want: "0123456789ab\t80/tcp -> 0.0.0.0:8080\n0123456789ab\t53/udp -> 127.0.0.1:5353\n0123456789ab\t54/udp -> 127.0.0.1:5354\n"},
		{args: []string{"plain"}, want: ""},
		{args: []string{"plain", "80"}, want: ""},
		{args: []string{"web", "81"}, code: 125, msg: `failed to find published port "81/tcp"`},
		{args: []string{"web", "http"}, code: 125, msg: "invalid port"},
		{args: []string{"nope"}, code: 125, msg: "nope"},
		{args: nil, code: 125},
	} {
		out.Reset()
		err := cmdtest.Execute(NewCmdPort(f, nil), tc.args)
		if got := cmdutil.ExitCode(err); got != tc.code || (tc.msg != "" && !strings.Contains(cmdutil.Message(err), tc.msg)) {
			t.Errorf("port %q: %v (code %d), want code %d with %q", tc.args, err, got, tc.code, tc.msg)
		}
		if tc.code == 0 && out.String() != tc.want {
			t.Errorf("port %q printed %q, want %q", tc.args, out, tc.want)
		}
	}
}
