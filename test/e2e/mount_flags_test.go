package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBindMounts: files a container writes in a bind mount are on the
// host; ro, z/Z (no-ops here), U and O.
func TestBindMounts(t *testing.T) {
	e := sharedEnv(t)
	dir := hostDir(t, e, "bind-"+e.CtrName(t, "b"))
	if err := os.WriteFile(filepath.Join(dir, "host"), []byte("from-host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chown(filepath.Join(dir, "host"), e.User.uid, e.User.gid)

	expectStdout(t, e.MustPod(t, "run", "--rm", "-v", dir+":/b:z", "alpine", "sh", "-c", "cat /b/host; echo from-ctr > /b/ctr; mkdir /b/sub"),
		"from-host\n")
	if b, err := os.ReadFile(filepath.Join(dir, "ctr")); err != nil || string(b) != "from-ctr\n" {
		t.Errorf("file written in the container: %q %v", b, err)
	}
	if st, err := os.Stat(filepath.Join(dir, "sub")); err != nil || !st.IsDir() {
		t.Errorf("directory made in the container: %v", err)
	}
	r := e.Pod(t, "run", "--rm", "-v", dir+":/b:ro,Z", "alpine", "touch", "/b/x")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "Read-only file system") {
		t.Errorf("ro bind mount: %s", r.describe())
	}
	r = e.Pod(t, "run", "--rm", "--mount", "type=bind,src="+dir+",dst=/b,readonly", "alpine", "touch", "/b/x")
	if r.ExitCode == 0 {
		t.Errorf("--mount readonly bind: %s", r.describe())
	}
	expectStdout(t, e.MustPod(t, "run", "--rm", "--mount", "type=bind,source="+dir+",target=/b", "alpine", "cat", "/b/ctr"), "from-ctr\n")

	// U gives the source to the container's user (ids of the user namespace).
	expectStdout(t, e.MustPod(t, "run", "--rm", "--user", "1000:1000", "-v", dir+":/b:U", "alpine", "sh", "-c", "stat -c %u:%g /b/host; touch /b/byuser && echo ok"),
		"1000:1000\nok\n")
	e.MustPod(t, "run", "--rm", "-v", dir+":/b:U", "alpine", "true") // back to root: the user
	if st, err := os.Stat(filepath.Join(dir, "byuser")); err != nil || st.Sys() == nil {
		t.Errorf("file made by the container's user: %v", err)
	}

	// O: writes go to an overlay, the host directory stays as it was.
	expectStdout(t, e.MustPod(t, "run", "--rm", "-v", dir+":/b:O", "alpine", "sh", "-c", "echo changed > /b/host; echo new > /b/onlyctr; cat /b/host"),
		"changed\n")
	if b, _ := os.ReadFile(filepath.Join(dir, "host")); string(b) != "from-host\n" {
		t.Errorf("O changed the host's file: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "onlyctr")); !os.IsNotExist(err) {
		t.Errorf("O wrote to the host directory: %v", err)
	}

	// Bad sources and destinations: one line naming the flag, exit 125.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-v", "/nonexistent-pod-dir:/x"}, "/nonexistent-pod-dir: no such file or directory"},
		{[]string{"-v", dir + ":rel"}, "must be an absolute path"},
		{[]string{"-v", dir + ":/x:bogus"}, `invalid option type "bogus"`},
		{[]string{"-v", dir + ":/x:ro,rw"}, "can only specify 1 'rw' or 'ro' option"},
		{[]string{"-v", dir + ":/x", "-v", "/tmp:/x"}, "duplicate mount destination"},
		{[]string{"--mount", "type=nfs,dst=/x"}, `invalid filesystem type "nfs"`},
		{[]string{"--mount", "type=bind,src=" + dir + ",dst=/x,foo=bar"}, "foo"},
		{[]string{"--mount", "dst=/x"}, "incorrect mount format"},
		{[]string{"--tmpfs", "/x:bogus"}, "bogus"},
	} {
		args := append(append([]string{"run", "--rm"}, tc.args...), "alpine", "true")
		r := e.Pod(t, args...)
		expectExit(t, r, 125)
		if !cfg.podman {
			expectErrorLine(t, r, tc.want)
		}
	}
	// The same mount twice is one mount (podman's rule).
	e.MustPod(t, "run", "--rm", "-v", dir+":/x", "-v", dir+":/x", "alpine", "true")

	// Over /proc: refused at create (podman 4.3 leaves it to the runtime:
	// exit 126 at start).
	skipUnderPodman(t, "podman 4.3 fails in the runtime with 126")
	for _, d := range []string{"/proc", "/proc/sys"} {
		r := e.Pod(t, "run", "--rm", "-v", dir+":"+d, "alpine", "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "-v "+dir+":"+d, "mounting over "+d+" is not allowed")
	}
}

// TestMountEscapes: a destination that leaves the root filesystem through
// a symlink of the image, or reaches /proc through one, is refused.
func TestMountEscapes(t *testing.T) {
	skipUnderPodman(t, "podman follows the symlinks inside the root and fails in the runtime")
	e := sharedEnv(t)
	src := e.CtrName(t, "links")
	e.MustPod(t, "run", "--name", src, "alpine", "sh", "-c", "ln -s ../../../../../tmp /escape; ln -s /proc /myproc")
	img := "localhost/linkimg-" + strings.ToLower(src)
	e.MustPod(t, "commit", "-q", src, img)
	t.Cleanup(func() { e.Pod(t, "rmi", "-f", img) })
	dir := hostDir(t, e, "esc-"+src)
	r := e.Pod(t, "run", "--rm", "-v", dir+":/escape/x", img, "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "-v "+dir+":/escape/x", "out of the container's root filesystem")
	r = e.Pod(t, "run", "--rm", "-v", dir+":/myproc", img, "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "-v "+dir+":/myproc", "/proc")
	if n := len(e.MustPod(t, "ps", "-a", "-q", "--filter", "ancestor="+img).Lines()); n != 0 {
		t.Errorf("%d refused --rm containers left", n)
	}
}

// TestTmpfsAndReadOnly: --tmpfs, --mount type=tmpfs, --read-only with and
// without its tmpfs, and --mount type=image.
func TestTmpfsAndReadOnly(t *testing.T) {
	e := sharedEnv(t)
	out := e.MustPod(t, "run", "--rm", "--tmpfs", "/t1:size=1m,mode=700", "--mount", "type=tmpfs,dst=/t2,tmpfs-size=2m",
		"alpine", "sh", "-c", "grep -E ' /t[12] ' /proc/mounts | sort; stat -c %a /t1; touch /t1/f /t2/f && echo ok").Stdout
	lines := splitLines(out)
	if len(lines) != 4 || !strings.Contains(lines[0], "tmpfs /t1 tmpfs") || !strings.Contains(lines[0], "size=1024k") ||
		!strings.Contains(lines[1], "size=2048k") || lines[2] != "700" || lines[3] != "ok" {
		t.Errorf("tmpfs mounts: %q", out)
	}

	r := e.Pod(t, "run", "--rm", "--read-only", "alpine", "sh", "-c", "touch /a 2>/dev/null && echo root-writable; touch /tmp/a /var/tmp/a /run/a && echo tmp-ok")
	expectStdout(t, r, "tmp-ok\n")
	r = e.Pod(t, "run", "--rm", "--read-only", "--read-only-tmpfs=false", "alpine", "sh", "-c", "touch /tmp/a || echo refused")
	expectStdout(t, r, "refused\n")
	r = e.Pod(t, "run", "--rm", "--read-only", "-v", "/work", "alpine", "sh", "-c", "touch /work/a && echo volume-ok")
	expectStdout(t, r, "volume-ok\n")
	ctr := e.CtrName(t, "ro")
	e.MustPod(t, "create", "--name", ctr, "--read-only", "--tmpfs", "/t:size=1m", "alpine", "true")
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.HostConfig.ReadonlyRootfs}} {{index .HostConfig.Tmpfs \"/t\"}}", ctr),
		"true size=1m,rw,rprivate,nosuid,nodev,tmpcopyup\n")

	expectStdout(t, e.MustPod(t, "run", "--rm", "--mount", "type=image,src=alpine,dst=/img", "alpine", "sh", "-c",
		"test -f /img/etc/alpine-release && echo present; touch /img/x 2>/dev/null || echo ro"), "present\nro\n")
	skipUnderPodman(t, "podman 4.3 finds the missing image in the runtime: 126")
	r = e.Pod(t, "run", "--rm", "--mount", "type=image,src=no-such-image-here,dst=/img", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "no-such-image-here")
}
