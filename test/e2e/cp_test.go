package e2e

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tarEntry is one member of a tar archive a test builds.
type tarEntry struct {
	name, body, link string
	dir              bool
	uid, gid         int
}

// tarOf builds an uncompressed tar archive.
func tarOf(t *testing.T, entries ...tarEntry) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, en := range entries {
		h := &tar.Header{Name: en.name, Mode: 0o644, Uid: en.uid, Gid: en.gid, ModTime: time.Now(), Typeflag: tar.TypeReg, Size: int64(len(en.body))}
		switch {
		case en.dir:
			h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
		case en.link != "":
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, en.link, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(en.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// untarList returns the archive's members ("name" for files with their
// content after "=", "name/" for directories, "name -> target" for
// symlinks), sorted; names lose a leading "./" and "/".
func untarList(t *testing.T, data string) []string {
	t.Helper()
	tr := tar.NewReader(strings.NewReader(data))
	var out []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading the archive on stdout: %v (%d bytes)", err, len(data))
		}
		name := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(h.Name, "./"), "/"), "/")
		if name == "" || name == "." {
			continue
		}
		switch h.Typeflag {
		case tar.TypeDir:
			out = append(out, name+"/")
		case tar.TypeSymlink:
			out = append(out, name+" -> "+h.Linkname)
		default:
			body, _ := io.ReadAll(tr)
			out = append(out, name+"="+string(body))
		}
	}
	sort.Strings(out)
	return out
}

// hostDir makes a directory below the environment's HOME owned by its user.
func (e *Env) hostDir(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(e.Home, rel)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := chownTree(p, e.User.uid, e.User.gid); err != nil {
		t.Fatal(err)
	}
	return p
}

// statUID is the owner of a file on the host.
func statUID(fi os.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

func readHostFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Errorf("reading %s: %v", p, err)
	}
	return string(b)
}

// cp between the host and a container, created, running and exited: the
// docker/podman path semantics, ownership with and without --archive, tar
// streams both ways, and symlinks in the container that point at / or up
// through .. never reaching the host.
func TestCpHostAndContainer(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "cp")
	dir := e.hostDir(t, name)
	e.hostDir(t, name+"/src/sub")
	e.WriteFile(t, name+"/src/a.txt", "hello\n")
	e.WriteFile(t, name+"/src/sub/b.txt", "sub\n")
	file := e.WriteFile(t, name+"/file.txt", "file\n")
	escaped := "pod-cp-escape-" + name // must never appear in the host's /tmp or /etc
	t.Cleanup(func() { os.Remove("/tmp/" + escaped); os.Remove("/etc/" + escaped) })

	// The container waits for /tmp/go, then reports what it sees.
	script := `while [ ! -e /tmp/go ]; do sleep 0.1; done
stat -c '%n %u:%g' /tmp/file.txt /tmp/noarch.txt /tmp/st/x.txt /tmp/raw/x.txt /tmp/` + escaped + ` /etc/` + escaped + `
cat /tmp/renamed.txt /tmp/srcdir/a.txt /tmp/newdir/sub/b.txt /tmp/dotdir/a.txt`
	e.MustPod(t, "create", "--name", name, "--user", "123:456", "alpine", "sh", "-c", script)

	// Into the created container.
	e.MustPod(t, "cp", file, name+":/tmp/")
	e.MustPod(t, "cp", file, name+":/tmp/renamed.txt")
	e.MustPod(t, "cp", "--archive=false", file, name+":/tmp/noarch.txt")
	e.MustPod(t, "cp", dir+"/src", name+":/tmp/srcdir")                // missing: created from the source
	e.MustPod(t, "cp", dir+"/src", name+":/tmp/newdir")                // the same, under another name
	e.MustPod(t, "container", "cp", dir+"/src/.", name+":/tmp/dotdir") // the contents
	// Symlinks pointing out of the container, and two directories, from a tar stream.
	stream := tarOf(t,
		tarEntry{name: "data", dir: true},
		tarEntry{name: "data/rootlink", link: "/"},
		tarEntry{name: "data/etclink", link: "../../../../../../etc"},
		tarEntry{name: "data/oslink", link: "/etc/os-release"},
		tarEntry{name: "tmp/st", dir: true},
		tarEntry{name: "tmp/raw", dir: true},
	)
	if r := e.PodOpt(t, RunOpts{Stdin: stream}, "cp", "-", name+":/"); r.ExitCode != 0 {
		t.Fatalf("cp - %s:/: %s", name, r.describe())
	}
	xtar := tarOf(t, tarEntry{name: "x.txt", body: "from a tar\n", uid: 42, gid: 43})
	e.MustPod(t, "cp", file, name+":/tmp/st") // a directory: goes inside
	if r := e.PodOpt(t, RunOpts{Stdin: xtar}, "cp", "-", name+":/tmp/st"); r.ExitCode != 0 {
		t.Errorf("cp - into a directory: %s", r.describe())
	}
	if r := e.PodOpt(t, RunOpts{Stdin: xtar}, "cp", "--archive=false", "-", name+":/tmp/raw/"); r.ExitCode != 0 {
		t.Errorf("cp --archive=false - into a directory: %s", r.describe())
	}
	// Writing through the symlinks stays in the container.
	e.MustPod(t, "cp", file, name+":/data/rootlink/tmp/"+escaped)
	e.MustPod(t, "cp", file, name+":/data/etclink/"+escaped)
	for _, p := range []string{"/tmp/" + escaped, "/etc/" + escaped} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("cp through a symlink in the container wrote the host's %s", p)
		}
	}

	// Errors: one line, exit 125, naming the path or the container.
	for _, tc := range []struct {
		args  []string
		stdin string
		want  []string
	}{
		{[]string{"cp", file, name + ":/nonexist/x"}, "", []string{`"/nonexist/x" could not be found on container ` + name}},
		{[]string{"cp", file, name + ":/nonexist/"}, "", []string{`"/nonexist/" could not be found on container`}},
		{[]string{"cp", dir + "/nothere", name + ":/tmp"}, "", []string{dir + "/nothere", "could not be found on the host"}},
		{[]string{"cp", name + ":/nothere", dir}, "", []string{`"/nothere" could not be found on container ` + name}},
		{[]string{"cp", name + ":/etc/hostname", dir + "/nodir/x"}, "", []string{dir + "/nodir/x", "could not be found on the host"}},
		{[]string{"cp", dir + "/src", name + ":/tmp/file.txt"}, "", []string{"destination must be a directory"}},
		{[]string{"cp", name + ":/etc", file}, "", []string{"destination must be a directory"}},
		{[]string{"cp", "nosuchctr-" + name + ":/etc/hosts", dir}, "", []string{"nosuchctr-" + name}},
		{[]string{"cp", "-", name + ":/tmp/file.txt"}, xtar, []string{"destination must be a directory when copying from stdin"}},
		{[]string{"cp", "-", name + ":/tmp/"}, "not a tar archive\n", []string{"tar archive"}},
		{[]string{"cp", file}, "", []string{"2 arg"}},
	} {
		r := e.PodOpt(t, RunOpts{Stdin: tc.stdin}, tc.args...)
		expectExit(t, r, 125)
		expectErrorLine(t, r, tc.want...)
	}

	// Out of the running container, through its symlinks: the container's
	// files, never the host's.
	e.MustPod(t, "start", name)
	e.MustPod(t, "cp", name+":/data/etclink/os-release", dir+"/os1")
	e.MustPod(t, "cp", name+":/data/rootlink/etc/os-release", dir+"/os2")
	e.MustPod(t, "cp", name+":/data/oslink", dir+"/os3")
	for _, f := range []string{"os1", "os2", "os3"} {
		if got := readHostFile(t, filepath.Join(dir, f)); !strings.Contains(got, "Alpine") {
			t.Errorf("%s: want the container's os-release, got %q", f, got)
		}
	}
	r := e.MustPod(t, "cp", name+":/data/etclink/os-release", "-")
	if got := untarList(t, r.Stdout); len(got) != 1 || !strings.HasPrefix(got[0], "os-release=") || !strings.Contains(got[0], "Alpine") {
		t.Errorf("tar of a file through a symlink: %q", got)
	}
	e.MustPod(t, "cp", dir+"/src/a.txt", name+":/tmp/go")
	expectStdout(t, e.MustPod(t, "wait", name), "0\n")
	logs := e.MustPod(t, "logs", name).Stdout
	for _, want := range []string{
		"/tmp/file.txt 123:456\n",                           // --archive (default): the container's user
		"/tmp/noarch.txt 0:0\n",                             // --archive=false: the user's own file is root's in the container
		"/tmp/st/x.txt 123:456\n", "/tmp/raw/x.txt 42:43\n", // tar streams: chowned, or as archived
		"/tmp/" + escaped + " 123:456\n", "/etc/" + escaped + " 123:456\n",
		"file\nhello\nsub\nhello\n",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("the container does not report %q:\n%s", want, logs)
		}
	}

	// Out of the exited container, to the host and as a tar stream.
	e.MustPod(t, "cp", name+":/tmp/srcdir", dir+"/out")        // missing: takes the source's contents
	e.MustPod(t, "cp", name+":/tmp/srcdir", dir+"/out")        // existing: goes inside
	e.MustPod(t, "cp", name+":/tmp/dotdir/.", dir+"/out2")     // the contents
	e.MustPod(t, "cp", name+":/tmp/renamed.txt", dir+"/out2/") // into a directory
	for p, want := range map[string]string{
		"out/a.txt": "hello\n", "out/sub/b.txt": "sub\n", "out/srcdir/a.txt": "hello\n",
		"out2/a.txt": "hello\n", "out2/sub/b.txt": "sub\n", "out2/renamed.txt": "file\n",
	} {
		full := filepath.Join(dir, p)
		if got := readHostFile(t, full); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
		if fi, err := os.Stat(full); err == nil {
			if uid := statUID(fi); uid != e.User.uid {
				t.Errorf("%s is owned by uid %d, want the user's %d", p, uid, e.User.uid)
			}
		}
	}
	r = e.MustPod(t, "cp", name+":/tmp/srcdir", "-")
	if got, want := strings.Join(untarList(t, r.Stdout), "|"), "srcdir/|srcdir/a.txt=hello\n|srcdir/sub/|srcdir/sub/b.txt=sub\n"; got != want {
		t.Errorf("tar of a directory:\n got %q\nwant %q", got, want)
	}
	r = e.MustPod(t, "cp", name+":/tmp/st/.", "-")
	if got, want := strings.Join(untarList(t, r.Stdout), "|"), "file.txt=file\n|x.txt=from a tar\n"; got != want {
		t.Errorf("tar of a directory's contents:\n got %q\nwant %q", got, want)
	}
	if r := e.Pod(t, "cp", "-", dir+"/x"); r.ExitCode != 125 {
		t.Errorf("cp between two host paths: %s", r.describe())
	}
}

// cp from one container to another, and --overwrite.
func TestCpContainerToContainerAndOverwrite(t *testing.T) {
	e := sharedEnv(t)
	a, b := e.CtrName(t, "cpa"), e.CtrName(t, "cpb")
	e.MustPod(t, "create", "--name", a, "alpine", "true")
	e.MustPod(t, "create", "--name", b, "alpine", "true")
	stream := tarOf(t, tarEntry{name: "d", dir: true}, tarEntry{name: "d/f", body: "one\n"}, tarEntry{name: "d/sub", dir: true},
		tarEntry{name: "sub", body: "a file named sub\n"})
	if r := e.PodOpt(t, RunOpts{Stdin: stream}, "cp", "-", a+":/tmp"); r.ExitCode != 0 {
		t.Fatalf("cp -: %s", r.describe())
	}
	e.MustPod(t, "cp", a+":/tmp/d", b+":/srv/copied")
	r := e.MustPod(t, "cp", b+":/srv/copied", "-")
	if got, want := strings.Join(untarList(t, r.Stdout), "|"), "copied/|copied/f=one\n|copied/sub/"; got != want {
		t.Errorf("container to container: got %q, want %q", got, want)
	}
	// A file onto a directory of the same name needs --overwrite.
	r = e.Pod(t, "cp", a+":/tmp/sub", b+":/srv/copied/")
	expectExit(t, r, 125)
	expectErrorLine(t, r)
	e.MustPod(t, "cp", "--overwrite", a+":/tmp/sub", b+":/srv/copied/")
	r = e.MustPod(t, "cp", b+":/srv/copied/sub", "-")
	if got := untarList(t, r.Stdout); len(got) != 1 || got[0] != "sub=a file named sub\n" {
		t.Errorf("after --overwrite: %q", got)
	}
}
