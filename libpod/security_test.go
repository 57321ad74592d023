package libpod

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestSecurityConfig(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(profile, []byte(`{"defaultAction":"SCMP_ACT_ALLOW"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	sec, err := securityConfig(true, []string{"net_admin"}, []string{"ALL"},
		[]string{"no-new-privileges", "seccomp=" + profile, "mask=/a:/b", "unmask=/proc/kcore", "label=disable", "apparmor=unconfined"})
	if err != nil {
		t.Fatal(err)
	}
	if !sec.Privileged || strings.Join(sec.CapAdd, ",") != "CAP_NET_ADMIN" || strings.Join(sec.CapDrop, ",") != "ALL" ||
		!sec.NoNewPrivileges || !strings.Contains(sec.Seccomp, "SCMP_ACT_ALLOW") ||
		strings.Join(sec.Mask, ",") != "/a,/b" || strings.Join(sec.Unmask, ",") != "/proc/kcore" {
		t.Errorf("securityConfig = %+v", sec)
	}
	sec, err = securityConfig(false, nil, nil, []string{"seccomp:unconfined", "no-new-privileges=false"})
	if err != nil || sec.Seccomp != "unconfined" || sec.NoNewPrivileges {
		t.Errorf("old form and false: %+v, %v", sec, err)
	}
	for _, bad := range [][]string{{"bogus"}, {"seccomp="}, {"seccomp=/no/such/profile.json"}, {"mask=relative"}, {"proc-opts=x"}} {
		if _, err := securityConfig(false, nil, nil, bad); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("--security-opt %q: %v, want ErrInvalidArg", bad, err)
		}
	}
	if _, err := securityConfig(false, []string{"cap_nope"}, nil, nil); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), "--cap-add") {
		t.Errorf("bad --cap-add: %v", err)
	}
}
