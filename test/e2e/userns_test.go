package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The user namespace tests check --userns=keep-id, auto, --uidmap/--gidmap by what the
// kernel shows inside the container (/proc/self/uid_map, id), by the owner on the host of
// files the container writes into a bind mount, by the image's files still belonging to
// root inside, and by inspect; bad maps are refused before anything is created.

// subIDCount is the number of subordinate uids of the test user.
func subIDCount(u *testUser) int {
	n := 0
	for _, r := range u.subuids {
		n += r[1]
	}
	return n
}

// uidMapLines normalises a /proc/PID/uid_map to "C H S" lines.
func uidMapLines(s string) []string {
	var out []string
	for _, l := range splitLines(s) {
		if f := strings.Fields(l); len(f) == 3 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return out
}

// layerCount counts the layers of the environment's overlay store.
func layerCount(t *testing.T, e *Env) int {
	t.Helper()
	for _, dir := range []string{".local/share/pod/storage", ".local/share/containers/storage"} {
		data, err := os.ReadFile(filepath.Join(e.Home, dir, "overlay-layers", "layers.json"))
		if err != nil {
			continue
		}
		var layers []json.RawMessage
		if err := json.Unmarshal(data, &layers); err != nil {
			t.Fatalf("layers.json: %v", err)
		}
		return len(layers)
	}
	t.Fatal("no overlay layers.json in the environment")
	return 0
}

// TestUsernsKeepID runs a two-layer image with keep-id: the container's user is the host
// user (podman's map), the image's files of both layers are still root's inside, files
// written to a bind mount belong to the user on the host, and a second container of the
// same mapping reuses the shifted copy of the image instead of making another.
func TestUsernsKeepID(t *testing.T) {
	e := NewEnv(t, EnvOptions{Driver: "overlay"})
	img := cfg.registry + "/library/big:latest"
	e.MustPod(t, "pull", "-q", "--tls-verify=false", img)
	uid, gid := e.User.uid, e.User.gid
	size := subIDCount(e.User) + 1

	data := e.hostDir(t, "keepid-data")
	r := e.MustPod(t, "run", "--rm", "--userns=keep-id", "-v", data+":/data", img, "sh", "-c",
		"id -u; id -g; id -un; stat -c %u:%g /big.bin /bin/busybox /root; touch /data/f; mkdir /data/d; cat /proc/self/uid_map /proc/self/gid_map")
	lines := r.Lines()
	want := []string{strconv.Itoa(uid), strconv.Itoa(gid), e.User.name, "0:0", "0:0", "0:0"}
	if len(lines) < len(want) {
		t.Fatalf("keep-id output %q", r.Stdout)
	}
	for i, w := range want {
		if strings.TrimSpace(lines[i]) != w {
			t.Errorf("keep-id line %d = %q, want %q (id -u, id -g, id -un, owners of the image's files)", i, lines[i], w)
		}
	}
	wantMap := []string{fmt.Sprintf("0 1 %d", uid), fmt.Sprintf("%d 0 1", uid), fmt.Sprintf("%d %d %d", uid+1, uid+1, size-uid-1)}
	gotMap := uidMapLines(strings.Join(lines[len(want):], "\n"))
	if strings.Join(gotMap, ",") != strings.Join(append(wantMap, fmt.Sprintf("0 1 %d", gid), fmt.Sprintf("%d 0 1", gid), fmt.Sprintf("%d %d %d", gid+1, gid+1, size-gid-1)), ",") {
		t.Errorf("keep-id maps %q, want uid %q and the same for gid %d", gotMap, wantMap, gid)
	}
	for _, f := range []string{"f", "d"} {
		fi, err := os.Stat(filepath.Join(data, f))
		if err != nil {
			t.Fatal(err)
		}
		if statUID(fi) != uid {
			t.Errorf("%s written by the keep-id container belongs to uid %d on the host, want %d", f, statUID(fi), uid)
		}
	}

	// The shifted copy is made once per mapping: a second container adds no layer but
	// its own.
	before := layerCount(t, e)
	name := e.CtrName(t, "keepid")
	e.MustPod(t, "create", "--name", name, "--userns=keep-id", img, "true")
	if after := layerCount(t, e); after != before+1 {
		t.Errorf("second keep-id container: %d layers → %d, want only its own layer added", before, after)
	}
	r = e.MustPod(t, "inspect", "--format", "{{.HostConfig.UsernsMode}} {{.Config.User}} {{json .HostConfig.IDMappings}}", name)
	mode, rest, _ := strings.Cut(r.Out(), " ")
	user, mapsJSON, _ := strings.Cut(rest, " ")
	var maps struct{ UidMap, GidMap []string } //nolint:revive // inspect's JSON keys
	if err := json.Unmarshal([]byte(mapsJSON), &maps); err != nil {
		t.Fatalf("inspect IDMappings %q: %v", mapsJSON, err)
	}
	wantUIDs := fmt.Sprintf("0:1:%d %d:0:1 %d:%d:%d", uid, uid, uid+1, uid+1, size-uid-1)
	if mode != "private" || user != fmt.Sprintf("%d:%d", uid, gid) || strings.Join(maps.UidMap, " ") != wantUIDs || len(maps.GidMap) != 3 {
		t.Errorf("inspect %q, want UsernsMode private, User %d:%d, UidMap %s", r.Out(), uid, gid, wantUIDs)
	}

	// uid= and gid= choose the ids; --user still wins.
	r = e.MustPod(t, "run", "--rm", "--userns=keep-id:uid=200,gid=210", img, "sh", "-c", "id -u; id -g; head -2 /proc/self/uid_map")
	if l := r.Lines(); len(l) != 4 || l[0] != "200" || l[1] != "210" || strings.Join(uidMapLines(strings.Join(l[2:], "\n")), ",") != "0 1 200,200 0 1" {
		t.Errorf("keep-id:uid=200,gid=210: %q", r.Stdout)
	}
	r = e.MustPod(t, "run", "--rm", "--userns=keep-id", "--user", "0", img, "id", "-u")
	expectStdout(t, r, "0\n")
}

// TestUsernsAuto gives each container a free range of the user's ids (1024 by default),
// disjoint from the ranges of the other containers.
func TestUsernsAuto(t *testing.T) {
	e := sharedEnv(t)
	a, b := e.CtrName(t, "auto-a"), e.CtrName(t, "auto-b")
	e.MustPod(t, "run", "-d", "--name", a, "--userns=auto", "alpine", "sleep", "60")
	e.MustPod(t, "run", "-d", "--name", b, "--userns=auto:size=500", "alpine", "sleep", "60")
	parse := func(name string) (start, size int) {
		r := e.MustPod(t, "exec", name, "cat", "/proc/self/uid_map")
		m := uidMapLines(r.Stdout)
		if len(m) != 1 {
			t.Fatalf("%s: uid_map %q, want one range", name, r.Stdout)
		}
		f := strings.Fields(m[0])
		start, _ = strconv.Atoi(f[1])
		size, _ = strconv.Atoi(f[2])
		if f[0] != "0" || start < 1 {
			t.Errorf("%s: uid_map %q: want container 0 mapped to a subordinate id", name, m[0])
		}
		return start, size
	}
	sa, na := parse(a)
	sb, nb := parse(b)
	if na != 1024 || nb != 500 {
		t.Errorf("sizes %d and %d, want 1024 (default) and 500 (size=500)", na, nb)
	}
	if sa < sb+nb && sb < sa+na {
		t.Errorf("ranges %d+%d and %d+%d overlap", sa, na, sb, nb)
	}
	r := e.MustPod(t, "exec", a, "sh", "-c", "id -u; stat -c %u /etc/passwd")
	expectStdout(t, r, "0\n0\n")
	r = e.MustPod(t, "inspect", "--format", "{{.HostConfig.UsernsMode}} {{index .HostConfig.IDMappings.UidMap 0}}", a)
	expectStdout(t, r, fmt.Sprintf("private 0:%d:%d\n", sa, na))
}

// TestUsernsUIDMap maps explicit ranges of pod's namespace (the user's own id is 0 there,
// its subordinate ids follow from 1); a map outside that range is refused naming the flag.
func TestUsernsUIDMap(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--uidmap", "0:1:500", "alpine", "cat", "/proc/self/uid_map", "/proc/self/gid_map")
	if m := uidMapLines(r.Stdout); strings.Join(m, ",") != "0 1 500,0 1 500" {
		t.Errorf("--uidmap 0:1:500 alone: maps %q, want it for uids and gids", m)
	}
	r = e.MustPod(t, "run", "--rm", "--uidmap", "0:1:500", "--gidmap", "0:2000:100", "alpine", "cat", "/proc/self/gid_map")
	if m := uidMapLines(r.Stdout); strings.Join(m, ",") != "0 2000 100" {
		t.Errorf("--gidmap 0:2000:100: gid map %q", m)
	}
	r = e.MustPod(t, "run", "--rm", "--uidmap", "0:1:100", "--uidmap", "1000:0:1", "-u", "1000", "alpine", "sh", "-c", "id -u; cat /proc/self/uid_map")
	if l := r.Lines(); len(l) < 1 || l[0] != "1000" || !contains(uidMapLines(r.Stdout), "1000 0 1") {
		t.Errorf("two --uidmap ranges: %q", r.Stdout)
	}

	// Refused before anything is created.
	before := len(e.containerIDs(t))
	r = e.Pod(t, "run", "--rm", "--userns=bogus", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "bogus")
	r = e.Pod(t, "run", "--rm", "--userns=keep-id", "--uidmap", "0:1:500", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "mutually exclusive")
	t.Run("outside the subuid range", func(t *testing.T) {
		skipUnderPodman(t, "podman 4.3 hands the map to the runtime and fails the start (126) without naming the flag")
		size := subIDCount(e.User) + 1
		r := e.Pod(t, "run", "--rm", "--uidmap", fmt.Sprintf("0:1:%d", size+1000), "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "--uidmap", "outside the user's range")
		r = e.Pod(t, "run", "--rm", "--uidmap", "0:1:10", "--gidmap", "0:@5:1", "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "--gidmap", "host id 5 is not the user's")
		// @ID is a host id: the first subordinate id is pod's namespace's 1.
		if len(e.User.subuids) > 0 {
			r = e.MustPod(t, "run", "--rm", "--uidmap", fmt.Sprintf("0:@%d:1000", e.User.subuids[0][0]), "alpine", "cat", "/proc/self/uid_map")
			if m := uidMapLines(r.Stdout); strings.Join(m, ",") != "0 1 1000" {
				t.Errorf("--uidmap 0:@%d:1000: %q", e.User.subuids[0][0], m)
			}
		}
	})
	if after := len(e.containerIDs(t)); after != before {
		t.Errorf("refused creates left containers: %d → %d", before, after)
	}
}
