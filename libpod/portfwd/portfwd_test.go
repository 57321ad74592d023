package portfwd

import (
	"strings"
	"testing"
)

func TestParsePortRoundTrip(t *testing.T) {
	for _, p := range []Port{
		{Proto: "tcp", HostPort: 8080, CtrPort: 80},
		{Proto: "udp", HostIP: "127.0.0.1", HostPort: 5353, CtrPort: 53},
		{Proto: "tcp", HostIP: "::1", HostPort: 8443, CtrPort: 443},
	} {
		got, err := ParsePort(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePort(%q) = %+v, %v; want %+v", p.String(), got, err, p)
		}
	}
	for _, bad := range []string{"", "sctp::1:2", "tcp:1:2", "tcp::0:80", "tcp::80:70000", "tcp::x:80"} {
		if _, err := ParsePort(bad); err == nil {
			t.Errorf("ParsePort(%q) accepted", bad)
		}
	}
}

// A bad command line is refused with 125 and one line before anything is
// bound; without the monitor's descriptors 3 and 4 it refuses to run.
func TestMainRefuses(t *testing.T) {
	for _, args := range [][]string{nil, {"/netns"}, {"/netns", "tcp::x:80"}} {
		var out strings.Builder
		if code := Main(args, &out); code != 125 {
			t.Errorf("Main(%q) = %d, want 125", args, code)
		}
		if n := strings.Count(out.String(), "\n"); n != 1 {
			t.Errorf("Main(%q) printed %q, want one line", args, out.String())
		}
	}
}

// The container's port is dialed at the namespace's loopback of the host
// address's family.
func TestChildIP(t *testing.T) {
	for host, want := range map[string]string{"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "192.0.2.7": "127.0.0.1", "::1": "::1", "::": "::1", "2001:db8::1": "::1"} {
		if got := (Port{Proto: "tcp", HostIP: host, HostPort: 1, CtrPort: 1}).childIP(); got != want {
			t.Errorf("childIP for host %q = %q, want %q", host, got, want)
		}
	}
}
