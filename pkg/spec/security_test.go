package spec

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParseCapabilities(t *testing.T) {
	got, err := ParseCapabilities([]string{"net_admin", "CAP_SYS_TIME", "Chown,kill", "all"})
	if err != nil || strings.Join(got, " ") != "CAP_NET_ADMIN CAP_SYS_TIME CAP_CHOWN CAP_KILL ALL" {
		t.Errorf("ParseCapabilities = %q, %v", got, err)
	}
	if _, err := ParseCapabilities([]string{"cap_bogus"}); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "cap_bogus") {
		t.Errorf("unknown capability: %v", err)
	}
}

func TestCapabilitySet(t *testing.T) {
	def := DefaultCapabilities()
	for _, tc := range []struct {
		name string
		sec  Security
		want func([]string) bool
	}{
		{"default", Security{}, func(s []string) bool { return slices.Equal(s, def) }},
		{"drop one", Security{CapDrop: []string{"CAP_CHOWN"}}, func(s []string) bool {
			return len(s) == len(def)-1 && !slices.Contains(s, "CAP_CHOWN")
		}},
		{"drop all", Security{CapDrop: []string{"ALL"}}, func(s []string) bool { return len(s) == 0 }},
		{"drop all, add one", Security{CapDrop: []string{"ALL"}, CapAdd: []string{"CAP_NET_ADMIN"}}, func(s []string) bool {
			return slices.Equal(s, []string{"CAP_NET_ADMIN"})
		}},
		{"add one, after the defaults", Security{CapAdd: []string{"CAP_NET_ADMIN"}}, func(s []string) bool {
			return len(s) == len(def)+1 && slices.Equal(s[:len(def)], def) && s[len(def)] == "CAP_NET_ADMIN"
		}},
		{"add all", Security{CapAdd: []string{"ALL"}}, func(s []string) bool { return len(s) == 41 }},
		{"privileged", Security{Privileged: true, CapDrop: []string{"ALL"}}, func(s []string) bool { return len(s) == 41 }},
	} {
		if got := capabilitySet(tc.sec, 40); !tc.want(got) {
			t.Errorf("%s: %q", tc.name, got)
		}
	}
	if got := capabilitySet(Security{Privileged: true}, 38); len(got) != 39 {
		t.Errorf("privileged with cap_last_cap 38: %d capabilities", len(got))
	}
}

func TestSecurityInSpec(t *testing.T) {
	gen := func(sec Security) *Options {
		o := baseOptions()
		o.Security = sec
		return o
	}
	s, err := Generate(gen(Security{NoNewPrivileges: true, Seccomp: "unconfined", Mask: []string{"/secret"},
		Unmask: []string{"/proc/kcore", "/proc/sys"}}))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Process.NoNewPrivileges || s.Linux.Seccomp != nil {
		t.Errorf("no-new-privileges %v, seccomp %v", s.Process.NoNewPrivileges, s.Linux.Seccomp != nil)
	}
	if !slices.Contains(s.Linux.MaskedPaths, "/secret") || slices.Contains(s.Linux.MaskedPaths, "/proc/kcore") ||
		slices.Contains(s.Linux.ReadonlyPaths, "/proc/sys") {
		t.Errorf("masked %q, read-only %q", s.Linux.MaskedPaths, s.Linux.ReadonlyPaths)
	}
	s, err = Generate(gen(Security{Unmask: []string{"ALL"}}))
	if err != nil || len(s.Linux.MaskedPaths) != 0 || len(s.Linux.ReadonlyPaths) != 0 || s.Linux.Seccomp == nil {
		t.Errorf("unmask=ALL: %v, masked %q, read-only %q", err, s.Linux.MaskedPaths, s.Linux.ReadonlyPaths)
	}
	profile := `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO"}]}`
	s, err = Generate(gen(Security{Seccomp: profile}))
	if err != nil || s.Linux.Seccomp == nil || s.Linux.Seccomp.DefaultAction != "SCMP_ACT_ALLOW" {
		t.Errorf("custom profile: %v, %+v", err, s.Linux.Seccomp)
	}
	if _, err := Generate(gen(Security{Seccomp: "{not json"})); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("bad profile: %v", err)
	}
}
