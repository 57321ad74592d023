package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ---------------------------------------------------------------- environments

// EnvOptions selects the configuration of a fresh environment.
type EnvOptions struct {
	Driver         string    // "" (engine default), "overlay", "fuse-overlayfs" or "vfs"
	Runtime        string    // "" (engine default), "crun" or "runc"
	User           *testUser // default cfg.user
	NoXDG          bool      // run commands without XDG_RUNTIME_DIR
	RegistriesConf string    // replaces the default registries.conf
}

// Env is one isolated HOME + XDG_RUNTIME_DIR for the test user.
type Env struct {
	Name   string
	Dir    string
	Home   string
	RunDir string // the runtime dir the engine uses (XDG_RUNTIME_DIR or its fallback)
	User   *testUser
	opts   EnvOptions

	nsMu   sync.Mutex
	pauses map[int]string // pause processes seen in this environment: pid → start time
}

func defaultRegistriesConf() string {
	return fmt.Sprintf(`unqualified-search-registries = ["docker.io"]

[[registry]]
prefix = "docker.io"
location = "docker.io"

[[registry.mirror]]
location = "%[1]s"
insecure = true

[[registry]]
location = "%[1]s"
insecure = true
`, cfg.registry)
}

// sharedEnv returns the suite-wide environment that already holds alpine:latest.
// Tests using it must remove what they create.
func sharedEnv(t testing.TB) *Env {
	t.Helper()
	if sharedErr != nil {
		t.Fatalf("shared environment unavailable: %v", sharedErr)
	}
	return shared
}

// NewEnv creates a fresh environment destroyed when the test ends.
func NewEnv(t testing.TB, opts EnvOptions) *Env {
	t.Helper()
	e, err := newEnv(t.Name(), opts)
	if err != nil {
		t.Fatalf("creating environment: %v", err)
	}
	t.Logf("environment %s for %s (home %s, run %s)", e.Name, t.Name(), e.Home, e.RunDir)
	t.Cleanup(func() { e.destroy(t) })
	return e
}

func newEnv(label string, opts EnvOptions) (*Env, error) {
	if opts.User == nil {
		opts.User = cfg.user
	}
	u := opts.User
	name := fmt.Sprintf("e%d", envSeq.Add(1))
	if label == "shared" {
		name = "shared"
	}
	e := &Env{Name: name, Dir: filepath.Join(cfg.baseDir, name), User: u, opts: opts, pauses: map[int]string{}}
	e.Home = filepath.Join(e.Dir, "home")
	if opts.NoXDG {
		if cfg.podman {
			e.RunDir = fmt.Sprintf("/tmp/podman-run-%d", u.uid)
		} else {
			e.RunDir = fmt.Sprintf("/tmp/pod-run-%d", u.uid)
		}
	} else {
		e.RunDir = filepath.Join(e.Dir, "run")
	}

	files := map[string]string{}
	reg := opts.RegistriesConf
	if reg == "" {
		reg = defaultRegistriesConf()
	}
	files[".config/containers/registries.conf"] = reg
	storage := storageConf(opts.Driver, cfg.podman)
	if cfg.podman {
		files[".config/containers/storage.conf"] = storage
		runtime := opts.Runtime
		if runtime == "" {
			runtime = "runc" // crun 1.8 refuses hybrid cgroup hosts under podman 4.3
		}
		files[".config/containers/containers.conf"] = fmt.Sprintf(`[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = %q
network_cmd_options = ["allow_host_loopback=true"]
`, runtime)
	} else {
		if storage != "" {
			files[".config/pod/storage.conf"] = storage
		}
		if opts.Runtime != "" {
			files[".config/pod/pod.conf"] = fmt.Sprintf("runtime = %q\n", opts.Runtime)
		}
	}

	for _, d := range []string{e.Dir, e.Home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if !opts.NoXDG {
		if err := os.Mkdir(e.RunDir, 0o700); err != nil {
			return nil, err
		}
	}
	for rel, content := range files {
		p := filepath.Join(e.Home, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	if err := chownTree(e.Dir, u.uid, u.gid); err != nil {
		return nil, err
	}
	return e, nil
}

func storageConf(driver string, podman bool) string {
	switch driver {
	case "":
		if podman {
			return "[storage]\ndriver = \"overlay\"\n"
		}
		return ""
	case "fuse-overlayfs":
		return "[storage]\ndriver = \"overlay\"\n\n[storage.options.overlay]\nmount_program = \"/usr/bin/fuse-overlayfs\"\n"
	default:
		return fmt.Sprintf("[storage]\ndriver = %q\n", driver)
	}
}

func chownTree(root string, uid, gid int) error {
	return filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// WriteFile writes a file owned by the environment's user below its HOME and returns its path.
func (e *Env) WriteFile(t testing.TB, rel, content string) string {
	t.Helper()
	p := filepath.Join(e.Home, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, e.User.uid, e.User.gid); err != nil {
		t.Fatal(err)
	}
	return p
}

// PauseFile is where the engine records its pause process.
func (e *Env) PauseFile() string {
	if cfg.podman {
		return filepath.Join(e.RunDir, "libpod", "tmp", "pause.pid")
	}
	return filepath.Join(e.RunDir, "pod", "pause.pid")
}

// PausePID returns the pid recorded in the pause file, or 0.
func (e *Env) PausePID() int {
	data, err := os.ReadFile(e.PauseFile())
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(line))
	return pid
}

// procStart returns the start time of pid (field 22 of /proc/PID/stat), or "" if it is gone.
func procStart(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return ""
	}
	return f[19]
}

// notePauseNS remembers the current pause process (pid and start time), so teardown finds
// its user namespace even if the pid file later names another process.
func (e *Env) notePauseNS() {
	pid := e.PausePID()
	if pid <= 0 {
		return
	}
	if st := procStart(pid); st != "" {
		e.nsMu.Lock()
		e.pauses[pid] = st
		e.nsMu.Unlock()
	}
}

// destroy removes every container, kills the environment's processes and deletes its files.
func (e *Env) destroy(t testing.TB) {
	if cfg.keep {
		return
	}
	r := e.run(nil, RunOpts{Timeout: 60 * time.Second}, "rm", "-a", "-f", "-t", "0")
	if r.ExitCode != 0 && e.User == cfg.user && t != nil {
		t.Logf("teardown of %s: %s", e.Name, r.describe())
	}
	killEnvProcesses(e)
	dirs := []string{e.Dir}
	if e.opts.NoXDG {
		dirs = append(dirs, e.RunDir)
	}
	for _, d := range dirs {
		if err := os.RemoveAll(d); err != nil {
			msg := fmt.Sprintf("teardown of %s: removing %s: %v", e.Name, d, err)
			if t != nil {
				t.Log(msg)
			} else {
				fmt.Fprintln(os.Stderr, "e2e: "+msg)
			}
		}
	}
}

// ---------------------------------------------------------------- processes

type procInfo struct {
	pid     int
	uid     int
	userns  string
	environ []string
}

func listProcs() []procInfo {
	ents, _ := os.ReadDir("/proc")
	var out []procInfo
	for _, ent := range ents {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		p := procInfo{pid: pid, uid: -1}
		zombie := false
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "State:"); ok {
				zombie = strings.HasPrefix(strings.TrimSpace(rest), "Z") || strings.HasPrefix(strings.TrimSpace(rest), "X")
			}
			if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
				f := strings.Fields(rest)
				if len(f) > 0 {
					p.uid, _ = strconv.Atoi(f[0])
				}
			}
		}
		if zombie {
			continue
		}
		p.userns, _ = os.Readlink(fmt.Sprintf("/proc/%d/ns/user", pid))
		env, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		p.environ = strings.Split(string(env), "\x00")
		out = append(out, p)
	}
	return out
}

func (p procInfo) hasEnv(kv string) bool {
	for _, s := range p.environ {
		if s == kv {
			return true
		}
	}
	return false
}

// killEnvProcesses SIGKILLs every process of the environment: those started with its HOME
// and everything living in the user namespaces those and the pause process are in.
func killEnvProcesses(e *Env) {
	hostNS, _ := os.Readlink("/proc/self/ns/user")
	e.notePauseNS()
	for round := 0; round < 5; round++ {
		nsSet := map[string]bool{}
		e.nsMu.Lock()
		for pid, start := range e.pauses {
			ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/user", pid))
			// The start time proves the pid still names the same process, hence the same namespace.
			if err == nil && ns != hostNS && procStart(pid) == start {
				nsSet[ns] = true
			}
		}
		e.nsMu.Unlock()
		procs := listProcs()
		homeKV := "HOME=" + e.Home
		for _, p := range procs {
			if e.User.owns(p.uid) && p.hasEnv(homeKV) && p.userns != hostNS && p.userns != "" {
				nsSet[p.userns] = true
			}
		}
		killed := 0
		for _, p := range procs {
			if !e.User.owns(p.uid) {
				continue
			}
			if p.hasEnv(homeKV) || nsSet[p.userns] {
				if syscall.Kill(p.pid, syscall.SIGKILL) == nil {
					killed++
				}
			}
		}
		if killed == 0 {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}
