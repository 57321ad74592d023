package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The /etc file tests check --passwd, --passwd-entry, --hostuser,
// --chrootdirs, --image-volume and --preserve-fds by their effect in the
// container.

// TestRunPasswdEntries: a numeric --user the image lacks gets a passwd
// entry (and its numeric group a group entry) whose home is the working
// directory; --passwd-entry is the template; --passwd=false adds nothing;
// --hostuser copies the host account.
func TestRunPasswdEntries(t *testing.T) {
	e := sharedEnv(t)
	show := "tail -1 /etc/passwd; tail -1 /etc/group; id; echo $HOME"
	r := e.MustPod(t, "run", "--rm", "--user", "1234:5678", "--workdir", "/tmp", "alpine", "sh", "-c", show)
	expectStdout(t, r, "1234:*:1234:5678:container user:/tmp:/bin/sh\n5678:x:5678:1234\nuid=1234(1234) gid=5678(5678) groups=5678(5678)\n/tmp\n")
	r = e.MustPod(t, "run", "--rm", "--user", "1234:wheel", "alpine", "sh", "-c", "tail -1 /etc/passwd; tail -1 /etc/group")
	expectStdout(t, r, "1234:*:1234:10:container user:/:/bin/sh\nnobody:x:65534:\n")
	// A user the image has gets nothing.
	r = e.MustPod(t, "run", "--rm", "--user", "65534", "alpine", "sh", "-c", "tail -1 /etc/passwd")
	expectStdout(t, r, "nobody:x:65534:65534:nobody:/:/sbin/nologin\n")
	r = e.MustPod(t, "run", "--rm", "--passwd=false", "--user", "1234", "alpine", "sh", "-c", "tail -1 /etc/passwd; grep -c ^1234: /etc/passwd; true")
	expectStdout(t, r, "nobody:x:65534:65534:nobody:/:/sbin/nologin\n0\n")
	r = e.MustPod(t, "run", "--rm", "--user", "1234", "--passwd-entry", "u$USERNAME:x:$UID:$GID:$NAME:/home/x:/bin/sh", "alpine", "sh", "-c", "tail -1 /etc/passwd; echo $HOME")
	expectStdout(t, r, "u1234:x:1234:0:container user:/home/x:/bin/sh\n/home/x\n")
	if !cfg.podman { // podman edits the file in the container's layer
		r = e.MustPod(t, "run", "--rm", "--user", "1234", "alpine", "sh", "-c", "grep -c ' /etc/passwd ' /proc/self/mountinfo")
		expectStdout(t, r, "1\n")
	}

	// exec resolves --user from the same files.
	ctr := e.CtrName(t, "pwexec")
	e.MustPod(t, "run", "-d", "--name", ctr, "--user", "1234", "--workdir", "/tmp", "alpine", "sleep", "100")
	expectStdout(t, e.MustPod(t, "exec", "--user", "1234", ctr, "sh", "-c", "echo $HOME; id -un"), "/tmp\n1234\n")
	e.MustPod(t, "rm", "-f", "-t0", ctr)

	host := e.User.name
	r = e.MustPod(t, "run", "--rm", "--hostuser", host+",root", "--workdir", "/srv", "alpine", "sh", "-c", "tail -1 /etc/passwd; grep -c ^root: /etc/passwd")
	if want := host + ":*:"; !strings.HasPrefix(r.Stdout, want) || !strings.HasSuffix(r.Stdout, ":/srv:/bin/sh\n1\n") {
		t.Errorf("--hostuser %s: %q", host, r.Stdout)
	}
	r = e.Pod(t, "run", "--rm", "--hostuser", host, "--passwd=false", "alpine", "grep", "-c", "^"+host+":", "/etc/passwd")
	expectExit(t, r, 1)
	if !cfg.podman { // podman fails only at start, with 126
		r = e.Pod(t, "create", "--hostuser", "no-such-user-x", "alpine")
		expectExit(t, r, 125)
		expectErrorLine(t, r, "--hostuser no-such-user-x", "no such user")
	}
}

// TestRunPasswdKeepID: keep-id's entry follows --passwd-entry and
// --passwd=false too.
func TestRunPasswdKeepID(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--userns", "keep-id", "--passwd-entry", "K$USERNAME:$UID", "alpine", "tail", "-1", "/etc/passwd")
	if !strings.HasPrefix(r.Stdout, "K"+e.User.name+":") {
		t.Errorf("keep-id with --passwd-entry: %q", r.Stdout)
	}
	r = e.Pod(t, "run", "--rm", "--userns", "keep-id", "--passwd=false", "alpine", "grep", "-c", "^"+e.User.name+":", "/etc/passwd")
	expectExit(t, r, 1)
}

// TestRunChrootDirs: each --chrootdirs directory gets the container's
// /etc/hosts and /etc/resolv.conf (not with --no-hosts: only resolv.conf).
func TestRunChrootDirs(t *testing.T) {
	e := sharedEnv(t)
	r := e.MustPod(t, "run", "--rm", "--chrootdirs", "/srv,/jail", "alpine", "sh", "-c",
		"ls /srv/etc /jail/etc; cmp /etc/hosts /srv/etc/hosts && cmp /etc/resolv.conf /jail/etc/resolv.conf && echo same")
	expectStdout(t, r, "/jail/etc:\nhosts\nresolv.conf\n\n/srv/etc:\nhosts\nresolv.conf\nsame\n")
	r = e.MustPod(t, "run", "--rm", "--chrootdirs", "/srv", "--no-hosts", "alpine", "ls", "/srv/etc")
	expectStdout(t, r, "resolv.conf\n")
	name := e.CtrName(t, "chroot")
	e.MustPod(t, "create", "--name", name, "--chrootdirs", "/srv", "alpine", "true")
	defer e.Pod(t, "rm", name)
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.Config.ChrootDirs}}", name), "[/srv]\n")
}

// TestRunImageVolume: bind makes an anonymous volume of an image VOLUME,
// tmpfs a tmpfs holding the image's content, ignore nothing.
func TestRunImageVolume(t *testing.T) {
	e := volumeEnv(t)
	src := e.CtrName(t, "ivsrc")
	e.MustPod(t, "run", "--name", src, "alpine", "sh", "-c", "mkdir /data && echo from-image > /data/x")
	img := "localhost/imgvol-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	e.MustPod(t, "commit", "-q", "-c", "VOLUME /data", src, img)
	t.Cleanup(func() { e.Pod(t, "rmi", "-f", img) })
	e.MustPod(t, "rm", src)

	show := "cat /data/x; grep ' /data ' /proc/self/mountinfo | cut -d' ' -f9"
	r := e.MustPod(t, "run", "--name", src, "--image-volume", "bind", img, "sh", "-c", show)
	if !strings.HasPrefix(r.Stdout, "from-image\n") || strings.Contains(r.Stdout, "tmpfs") || len(r.Lines()) != 2 {
		t.Errorf("bind: %q", r.Stdout)
	}
	if n := len(e.MustPod(t, "volume", "ls", "-q").Lines()); n != 1 {
		t.Errorf("bind: want 1 anonymous volume, got %d", n)
	}
	e.MustPod(t, "rm", "-v", src)
	expectStdout(t, e.MustPod(t, "run", "--rm", "--image-volume", "tmpfs", img, "sh", "-c", show), "from-image\ntmpfs\n")
	expectStdout(t, e.MustPod(t, "run", "--rm", "--image-volume", "ignore", img, "sh", "-c", show), "from-image\n")
	expectStdout(t, e.MustPod(t, "volume", "ls", "-q"), "")
	r = e.Pod(t, "run", "--rm", "--image-volume", "foo", img, "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "foo", "bind", "tmpfs", "ignore")
}

// TestRunPreserveFDs: descriptors 3 on of the CLI reach the container;
// one that is not open is refused before anything is created.
func TestRunPreserveFDs(t *testing.T) {
	e := sharedEnv(t)
	f := filepath.Join(e.Home, "preserved.txt")
	if err := os.WriteFile(f, []byte("kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := e.PodOpt(t, RunOpts{Program: "sh"}, "-c", `"$0" run --rm --preserve-fds 2 alpine sh -c 'cat /proc/self/fd/3; cat <&4' 3<"$1" 4<"$1"`, cfg.binary, f)
	expectExit(t, r, 0)
	expectStdout(t, r, "kept\nkept\n")
	r = e.PodOpt(t, RunOpts{Program: "sh"}, "-c", `"$0" run -d --preserve-fds 1 alpine sh -c 'cat <&3' 3<"$1"`, cfg.binary, f)
	expectExit(t, r, 0)
	id := r.Out()
	e.MustPod(t, "wait", id)
	expectStdout(t, e.MustPod(t, "logs", id), "kept\n")
	e.MustPod(t, "rm", id)
	before := len(e.MustPod(t, "ps", "-aq").Lines())
	r = e.Pod(t, "run", "--rm", "--preserve-fds", "1", "alpine", "true")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "file descriptor 3")
	if after := len(e.MustPod(t, "ps", "-aq").Lines()); after != before {
		t.Errorf("a refused --preserve-fds left a container: %d → %d", before, after)
	}
}

// TestRunRootfs: --rootfs runs on a host directory (writes land in it);
// DIR:O writes to an overlay kept until rm; such a container has no image,
// cannot be committed, and rm leaves the directory.
func TestRunRootfs(t *testing.T) {
	e := sharedEnv(t)
	src := e.CtrName(t, "rfsrc")
	e.MustPod(t, "create", "--name", src, "alpine", "true")
	dir := filepath.Join(e.Home, "rootfs-"+src)
	tarball := dir + ".tar"
	e.MustPod(t, "export", "-o", tarball, src)
	e.MustPod(t, "rm", src)
	e.PodOpt(t, RunOpts{Program: "sh"}, "-c", `mkdir "$0" && tar -C "$0" -xf "$1"`, dir, tarball)

	name := e.CtrName(t, "rootfs")
	r := e.MustPod(t, "run", "--name", name, "--rootfs", dir, "sh", "-c", "echo written > /newfile; cat /etc/alpine-release >/dev/null && echo ok")
	expectStdout(t, r, "ok\n")
	if got, err := os.ReadFile(filepath.Join(dir, "newfile")); err != nil || string(got) != "written\n" {
		t.Errorf("the container's write in the directory: %q %v", got, err)
	}
	expectStdout(t, e.MustPod(t, "inspect", "--format", "{{.Rootfs}}|{{.Image}}|{{.ImageName}}", name), dir+"||\n")
	r = e.Pod(t, "commit", name, "localhost/rootfs-commit")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "commit", "rootfs")
	e.MustPod(t, "rm", name)
	if _, err := os.Stat(filepath.Join(dir, "etc", "alpine-release")); err != nil {
		t.Errorf("rm took the directory: %v", err)
	}

	ov := e.CtrName(t, "rootfsov")
	show := "cat /ov 2>/dev/null; echo line >> /ov"
	expectStdout(t, e.MustPod(t, "run", "--name", ov, "--rootfs", dir+":O", "sh", "-c", show), "")
	expectStdout(t, e.MustPod(t, "start", "-a", ov), "line\n")
	if _, err := os.Stat(filepath.Join(dir, "ov")); err == nil {
		t.Error("a write to the :O container reached the directory")
	}
	e.MustPod(t, "rm", ov)

	bads := []string{filepath.Join(e.Home, "no-such-dir"), dir + ":X"}
	if !cfg.podman { // podman refuses a file only at start, with 126
		bads = append(bads, tarball)
	}
	for _, bad := range bads {
		r = e.Pod(t, "run", "--rm", "--rootfs", bad, "true")
		expectExit(t, r, 125)
		expectErrorLine(t, r, bad)
	}
}
