// Package e2e runs the built pod binary as an unprivileged user against real runtimes,
// real user namespaces and a real local registry. See test/README.md.
package e2e

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// suiteConfig is fixed by TestMain before any test runs.
type suiteConfig struct {
	binary   string // program run for every command: absolute path, or "podman"
	binDir   string // 0755 directory holding the copied binaries (first on the user's PATH)
	podman   bool   // validating the tests against podman instead of pod
	baseDir  string // 0755 directory owned by the test user; one subdirectory per environment
	registry string // host:port of the seeded local registry
	user     *testUser
	user2    *testUser // has no subordinate id ranges
	repoRoot string
	keep     bool // keep environments on disk after the run (POD_E2E_KEEP=1)
}

var (
	cfg       suiteConfig
	shared    *Env
	sharedErr error
	envSeq    atomic.Int64
)

const (
	defaultTimeout = 120 * time.Second
	hostPath       = "/usr/sbin:/usr/bin:/sbin:/bin"
)

var (
	hex64Re = regexp.MustCompile(`^[0-9a-f]{64}$`)
	hex12Re = regexp.MustCompile(`^[0-9a-f]{12}$`)
	panicRe = regexp.MustCompile(`panic:|goroutine \d+ \[|SIGSEGV|fatal error:`)
)

func TestMain(m *testing.M) {
	flag.Parse()
	code, err := setupSuite()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		os.Exit(1)
	}
	if code >= 0 {
		os.Exit(code)
	}
	code = m.Run()
	teardownSuite()
	os.Exit(code)
}

// setupSuite returns code >= 0 when the suite must exit without running tests.
func setupSuite() (int, error) {
	if os.Geteuid() != 0 {
		return 0, errors.New("the end-to-end tests must run as root: they create and run as the " +
			"unprivileged user podtest. Run them with `sudo bash test/run.sh` " +
			"(or `sudo bash test/setup.sh` once, then `sudo go test ./test/e2e`)")
	}
	os.Setenv("PATH", os.Getenv("PATH")+":"+hostPath)
	wd, _ := os.Getwd()
	cfg.repoRoot = filepath.Clean(filepath.Join(wd, "..", ".."))
	cfg.keep = os.Getenv("POD_E2E_KEEP") == "1"
	cfg.registry = envOr("POD_TEST_REGISTRY_ADDR", "127.0.0.1:5000")

	var err error
	if cfg.user, err = lookupTestUser(envOr("POD_TEST_USER", "podtest")); err != nil {
		return 0, fmt.Errorf("%v: run `sudo bash test/setup.sh` first", err)
	}
	if cfg.user2, err = lookupTestUser(envOr("POD_TEST_USER2", "podtest2")); err != nil {
		return 0, fmt.Errorf("%v: run `sudo bash test/setup.sh` first", err)
	}

	if err := checkRegistry(); err != nil {
		return 0, err
	}

	base := envOr("POD_E2E_TMPDIR", "/var/tmp")
	cfg.baseDir, err = os.MkdirTemp(base, "pod-e2e-")
	if err != nil {
		return 0, err
	}
	if err := os.Chmod(cfg.baseDir, 0o755); err != nil {
		return 0, err
	}
	if err := os.Chown(cfg.baseDir, cfg.user.uid, cfg.user.gid); err != nil {
		return 0, err
	}
	cfg.binDir = filepath.Join(cfg.baseDir, "bin")
	if err := os.Mkdir(cfg.binDir, 0o755); err != nil {
		return 0, err
	}
	if err := os.Chmod(cfg.binDir, 0o755); err != nil {
		return 0, err
	}

	if alt := os.Getenv("POD_E2E_BINARY"); alt != "" {
		path, err := exec.LookPath(alt)
		if err != nil {
			return 0, fmt.Errorf("POD_E2E_BINARY=%s: %v", alt, err)
		}
		cfg.binary, _ = filepath.Abs(path)
		cfg.podman = filepath.Base(path) == "podman"
	} else {
		src := envOr("POD_BIN_DIR", filepath.Join(cfg.repoRoot, "bin"))
		for _, name := range []string{"pod", "pod-monitor"} {
			if err := copyFile(filepath.Join(src, name), filepath.Join(cfg.binDir, name), 0o755); err != nil {
				return 0, fmt.Errorf("cannot install %s for the test user: %v (run `make build` first, or set POD_BIN_DIR)", name, err)
			}
		}
		cfg.binary = filepath.Join(cfg.binDir, "pod")
	}
	fmt.Fprintf(os.Stderr, "e2e: binary %s, user %s (uid %d), registry %s, dir %s\n",
		cfg.binary, cfg.user.name, cfg.user.uid, cfg.registry, cfg.baseDir)

	shared, sharedErr = newEnv("shared", EnvOptions{})
	if sharedErr == nil {
		r := shared.run(nil, RunOpts{Timeout: 5 * time.Minute}, "pull", "-q", "alpine")
		if r.ExitCode != 0 {
			sharedErr = fmt.Errorf("pull of alpine into the shared environment failed: %s", r.describe())
		}
	}
	if sharedErr != nil {
		fmt.Fprintf(os.Stderr, "e2e: shared environment: %v\n", sharedErr)
	}
	return -1, nil
}

func teardownSuite() {
	if shared != nil {
		shared.destroy(nil)
	}
	if cfg.keep {
		fmt.Fprintf(os.Stderr, "e2e: kept %s\n", cfg.baseDir)
		return
	}
	if err := os.RemoveAll(cfg.baseDir); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: removing %s: %v\n", cfg.baseDir, err)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func checkRegistry() error {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + cfg.registry + "/v2/library/alpine/tags/list")
	if err != nil {
		return fmt.Errorf("registry %s not reachable (%v): run `sudo bash test/setup.sh`", cfg.registry, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"3.19.4"`)) || !bytes.Contains(body, []byte(`"latest"`)) ||
		!bytes.Contains(body, []byte(`"3.20.3-stopsignal"`)) {
		return fmt.Errorf("registry %s does not hold library/alpine:{latest,3.19.4,3.20.3-stopsignal} (%d %s): run `sudo bash test/setup.sh`",
			cfg.registry, resp.StatusCode, bytes.TrimSpace(body))
	}
	return nil
}

// registryDigest returns the manifest digest the local registry serves for library/alpine:TAG.
func registryDigest(t testing.TB, tag string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodHead, "http://"+cfg.registry+"/v2/library/alpine/manifests/"+tag, nil)
	req.Header.Set("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("registry: %v", err)
	}
	resp.Body.Close()
	d := resp.Header.Get("Docker-Content-Digest")
	if !strings.HasPrefix(d, "sha256:") {
		t.Fatalf("registry returned no digest for alpine:%s (status %d)", tag, resp.StatusCode)
	}
	return d
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, mode)
}

// ---------------------------------------------------------------- test users

type testUser struct {
	name     string
	uid, gid int
	subuids  [][2]int // start, count
}

func lookupTestUser(name string) (*testUser, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("test user %q: %v", name, err)
	}
	tu := &testUser{name: name}
	tu.uid, _ = strconv.Atoi(u.Uid)
	tu.gid, _ = strconv.Atoi(u.Gid)
	data, _ := os.ReadFile("/etc/subuid")
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(strings.TrimSpace(line), ":")
		if len(f) != 3 || (f[0] != name && f[0] != u.Uid) {
			continue
		}
		start, err1 := strconv.Atoi(f[1])
		count, err2 := strconv.Atoi(f[2])
		if err1 == nil && err2 == nil {
			tu.subuids = append(tu.subuids, [2]int{start, count})
		}
	}
	return tu, nil
}

// owns reports whether a process with real uid id can belong to this user's containers.
func (u *testUser) owns(id int) bool {
	if id == u.uid {
		return true
	}
	for _, r := range u.subuids {
		if id >= r[0] && id < r[0]+r[1] {
			return true
		}
	}
	return false
}

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
	e := &Env{Name: name, Dir: filepath.Join(cfg.baseDir, name), User: u, opts: opts}
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
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
				f := strings.Fields(rest)
				if len(f) > 0 {
					p.uid, _ = strconv.Atoi(f[0])
				}
			}
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
	for round := 0; round < 5; round++ {
		nsSet := map[string]bool{}
		if pid := e.PausePID(); pid > 0 {
			if ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/user", pid)); err == nil && ns != hostNS {
				nsSet[ns] = true
			}
		}
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

// ---------------------------------------------------------------- running commands

// RunOpts tunes one command.
type RunOpts struct {
	Stdin   string
	Timeout time.Duration
	Env     []string // extra KEY=VALUE for the command
	TTY     bool     // give the command a pseudo-terminal as stdin/stdout/stderr
	Program string   // run this program instead of the engine (e.g. "sh")
}

// Result is the outcome of one command.
type Result struct {
	Args      []string
	Stdout    string
	Stderr    string // with known podman host warnings removed in podman mode
	RawStderr string
	ExitCode  int
	Duration  time.Duration
	TimedOut  bool
}

// Out is stdout without surrounding white space.
func (r *Result) Out() string { return strings.TrimSpace(r.Stdout) }

// Lines splits trimmed stdout into lines; none for empty output.
func (r *Result) Lines() []string { return splitLines(r.Stdout) }

func splitLines(s string) []string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func (r *Result) describe() string {
	return fmt.Sprintf("`%s` exited %d%s after %.1fs\n--- stdout:\n%s\n--- stderr:\n%s",
		strings.Join(r.Args, " "), r.ExitCode, map[bool]string{true: " (TIMED OUT)"}[r.TimedOut],
		r.Duration.Seconds(), clip(r.Stdout), clip(r.RawStderr))
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:2000] + "\n[...]\n" + s[len(s)-2000:]
	}
	return s
}

// Pod runs the engine with args in the environment.
func (e *Env) Pod(t testing.TB, args ...string) *Result {
	t.Helper()
	return e.run(t, RunOpts{}, args...)
}

// PodOpt runs the engine with args and options.
func (e *Env) PodOpt(t testing.TB, o RunOpts, args ...string) *Result {
	t.Helper()
	return e.run(t, o, args...)
}

// MustPod runs the engine and fails the test unless it exits 0.
func (e *Env) MustPod(t testing.TB, args ...string) *Result {
	t.Helper()
	r := e.run(t, RunOpts{}, args...)
	if r.ExitCode != 0 {
		t.Fatalf("command failed: %s", r.describe())
	}
	return r
}

func (e *Env) command(ctx context.Context, o RunOpts, args []string) *exec.Cmd {
	envv := []string{"HOME=" + e.Home}
	if !e.opts.NoXDG {
		envv = append(envv, "XDG_RUNTIME_DIR="+e.RunDir)
	}
	envv = append(envv, "PATH="+cfg.binDir+":"+hostPath)
	envv = append(envv, o.Env...)
	prog := cfg.binary
	if o.Program != "" {
		prog = o.Program
	}
	full := append([]string{"-u", e.User.name, "--", "env", "-i"}, envv...)
	full = append(full, prog)
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, "runuser", full...)
	cmd.Dir = "/"
	cmd.Env = []string{"PATH=" + hostPath}
	return cmd
}

func (e *Env) displayArgs(o RunOpts, args []string) []string {
	name := "pod"
	if cfg.podman {
		name = "podman"
	}
	if o.Program != "" {
		name = o.Program
	}
	return append([]string{name}, args...)
}

func (e *Env) run(t testing.TB, o RunOpts, args ...string) *Result {
	if t != nil {
		t.Helper()
	}
	if o.Timeout == 0 {
		o.Timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	cmd := e.command(ctx, o, args)
	res := &Result{Args: e.displayArgs(o, args)}
	start := time.Now()
	var err error
	if o.TTY {
		err = runWithPTY(cmd, o.Stdin, res)
	} else {
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if o.Stdin != "" {
			cmd.Stdin = strings.NewReader(o.Stdin)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
		cmd.WaitDelay = 10 * time.Second
		err = cmd.Run()
		res.Stdout, res.RawStderr = stdout.String(), stderr.String()
	}
	res.Duration = time.Since(start)
	res.TimedOut = ctx.Err() != nil
	res.ExitCode = exitCode(cmd, err)
	res.Stderr = filterStderr(res.RawStderr)
	if t != nil {
		logResult(t, res)
		if panicRe.MatchString(res.RawStderr) {
			t.Errorf("engine panicked or crashed: %s", res.describe())
		}
		if res.TimedOut {
			t.Errorf("command timed out after %s: %s", o.Timeout, res.describe())
		}
		if errors.Is(err, exec.ErrWaitDelay) {
			t.Errorf("`%s` exited but a process it left behind kept its stdout/stderr open",
				strings.Join(res.Args, " "))
		}
	}
	return res
}

func exitCode(cmd *exec.Cmd, err error) int {
	if cmd.ProcessState != nil {
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return cmd.ProcessState.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

var podmanNoise = []*regexp.Regexp{
	regexp.MustCompile(`level=warning msg="\\"/\\" is not a shared mount`),
}

// filterStderr drops host warnings podman prints on this machine (no systemd, "/" private)
// that say nothing about the command under test.
func filterStderr(s string) string {
	if !cfg.podman || s == "" {
		return s
	}
	var keep []string
	for _, line := range strings.SplitAfter(s, "\n") {
		drop := false
		for _, re := range podmanNoise {
			if re.MatchString(line) {
				drop = true
			}
		}
		if !drop {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

func logResult(t testing.TB, r *Result) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "$ %s  → exit %d (%.2fs)", strings.Join(r.Args, " "), r.ExitCode, r.Duration.Seconds())
	if s := strings.TrimRight(r.Stdout, "\n"); s != "" {
		fmt.Fprintf(&b, "\n  stdout: %s", indent(clip(s)))
	}
	if s := strings.TrimRight(r.RawStderr, "\n"); s != "" {
		fmt.Fprintf(&b, "\n  stderr: %s", indent(clip(s)))
	}
	t.Log(b.String())
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n          ") }

// ---------------------------------------------------------------- pseudo-terminal

func ioctl(fd uintptr, req uint, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(req), uintptr(arg)); e != 0 {
		return e
	}
	return nil
}

// openPTY returns a new pseudo-terminal master and its unlocked slave.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	if err = ioctl(master.Fd(), syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("unlock pty: %w", err)
	}
	var n uint32
	if err = ioctl(master.Fd(), syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("pty number: %w", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	ws := [4]uint16{24, 80, 0, 0}
	_ = ioctl(slave.Fd(), syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
	return master, slave, nil
}

// runWithPTY runs cmd as the leader of a new session whose controlling terminal is a fresh
// pty; everything it writes is collected as stdout.
func runWithPTY(cmd *exec.Cmd, stdin string, res *Result) error {
	master, slave, err := openPTY()
	if err != nil {
		return err
	}
	defer master.Close()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Start(); err != nil {
		slave.Close()
		return err
	}
	slave.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&out, master) // ends with EIO once every holder of the slave is gone
		close(done)
	}()
	if stdin != "" {
		master.Write([]byte(stdin))
	}
	err = cmd.Wait()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	master.Close()
	<-done
	res.Stdout = out.String()
	return err
}

// ---------------------------------------------------------------- background commands

// syncBuffer is a bytes.Buffer safe to read while the command writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Bg is a command running while the test does other things.
type Bg struct {
	cmd    *exec.Cmd
	res    *Result
	stdout syncBuffer
	stderr syncBuffer
	start  time.Time
	done   chan error
	cancel context.CancelFunc
	once   sync.Once
}

// PodBG starts the engine with args and returns at once.
func (e *Env) PodBG(t testing.TB, args ...string) *Bg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
	o := RunOpts{}
	b := &Bg{cmd: e.command(ctx, o, args), res: &Result{Args: e.displayArgs(o, args)}, done: make(chan error, 1), cancel: cancel}
	b.cmd.Stdout, b.cmd.Stderr = &b.stdout, &b.stderr
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	b.cmd.Cancel = func() error { return syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL) }
	b.cmd.WaitDelay = 10 * time.Second
	b.start = time.Now()
	if err := b.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting %v: %v", b.res.Args, err)
	}
	go func() { b.done <- b.cmd.Wait() }()
	t.Cleanup(func() { b.Kill() })
	return b
}

// Exited reports whether the command has finished, without waiting.
func (b *Bg) Exited() bool {
	select {
	case err := <-b.done:
		b.done <- err
		return true
	default:
		return false
	}
}

// Wait waits up to timeout for the command and returns its result.
func (b *Bg) Wait(t testing.TB, timeout time.Duration) *Result {
	t.Helper()
	var err error
	select {
	case err = <-b.done:
		b.done <- err
	case <-time.After(timeout):
		b.Kill()
		err = <-b.done
		b.done <- err
		b.res.TimedOut = true
	}
	b.res.Duration = time.Since(b.start)
	b.res.Stdout, b.res.RawStderr = b.stdout.String(), b.stderr.String()
	b.res.Stderr = filterStderr(b.res.RawStderr)
	b.res.ExitCode = exitCode(b.cmd, err)
	logResult(t, b.res)
	if panicRe.MatchString(b.res.RawStderr) {
		t.Errorf("engine panicked or crashed: %s", b.res.describe())
	}
	if b.res.TimedOut {
		t.Errorf("background command did not finish within %s: %s", timeout, b.res.describe())
	}
	return b.res
}

// EnginePID returns the pid of the engine process started by this command (the
// shallowest descendant of runuser whose executable is the engine), or 0.
func (b *Bg) EnginePID() int {
	children := map[int][]int{}
	ents, _ := os.ReadDir("/proc")
	for _, ent := range ents {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		children[ppid] = append(children[ppid], pid)
	}
	queue := []int{b.cmd.Process.Pid}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); exe == cfg.binary {
			return pid
		}
		queue = append(queue, children[pid]...)
	}
	return 0
}

// Kill stops the command's process group.
func (b *Bg) Kill() {
	b.once.Do(func() {
		if b.cmd.Process != nil {
			syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		}
		b.cancel()
	})
}

// ---------------------------------------------------------------- assertions and helpers

// CtrName returns a container name unique to this test and removes that container when the
// test ends.
func (e *Env) CtrName(t testing.TB, prefix string) string {
	t.Helper()
	n := fmt.Sprintf("%s-%d-%d", prefix, envSeq.Add(1), time.Now().UnixNano()%100000)
	t.Cleanup(func() { e.run(nil, RunOpts{Timeout: 60 * time.Second}, "rm", "-f", "-t", "0", "--ignore", n) })
	return n
}

func expectExit(t testing.TB, r *Result, code int) {
	t.Helper()
	if r.ExitCode != code {
		t.Errorf("want exit code %d, got %d: %s", code, r.ExitCode, r.describe())
	}
}

func expectStdout(t testing.TB, r *Result, want string) {
	t.Helper()
	if r.Stdout != want {
		t.Errorf("want stdout %q, got %q: %s", want, r.Stdout, r.describe())
	}
}

// progressRe matches the informational lines an engine may print on stderr while pulling.
var progressRe = regexp.MustCompile(`^(Resolving|Trying to pull|Getting image source signatures|Copying (blob|config)|Writing manifest|Storing signatures|Resolved )`)

// expectErrorLine checks the error report: exactly one "Error: ..." line on stderr, holding
// every want substring (case-insensitive). pod must print nothing else but pull progress and,
// for flag errors, a "See '... --help'" hint; podman's extra warnings are tolerated.
func expectErrorLine(t testing.TB, r *Result, want ...string) {
	t.Helper()
	var errs, other []string
	for _, l := range splitLines(r.Stderr) {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.HasPrefix(l, "Error: "):
			errs = append(errs, l)
		case progressRe.MatchString(l), strings.HasPrefix(l, "See '"), strings.HasPrefix(l, "Try '"):
		default:
			other = append(other, l)
		}
	}
	if len(errs) != 1 {
		t.Errorf("want exactly one \"Error: ...\" line on stderr, got %d: %s", len(errs), r.describe())
		return
	}
	if len(other) > 0 && !cfg.podman {
		t.Errorf("stderr holds more than the error line: %q: %s", other, r.describe())
	}
	for _, w := range want {
		if !strings.Contains(strings.ToLower(errs[0]), strings.ToLower(w)) {
			t.Errorf("error line %q does not mention %q", errs[0], w)
		}
	}
}

// skipUnderPodman skips checks of pod-only behaviour when validating against podman.
func skipUnderPodman(t testing.TB, why string) {
	t.Helper()
	if cfg.podman {
		t.Skipf("not applicable to podman: %s", why)
	}
}

// waitFor polls cond every 100ms until it holds or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitLog waits until the container's log holds s.
func (e *Env) waitLog(t testing.TB, ctr, s string) {
	t.Helper()
	ok := waitFor(30*time.Second, func() bool {
		r := e.run(nil, RunOpts{Timeout: 30 * time.Second}, "logs", ctr)
		return strings.Contains(r.Stdout, s)
	})
	if !ok {
		t.Fatalf("container %s never logged %q: %s", ctr, s, e.run(nil, RunOpts{}, "logs", ctr).describe())
	}
}

// state returns `inspect --format '{{.State.Status}}'` of a container.
func (e *Env) state(t testing.TB, ctr string) string {
	t.Helper()
	return e.MustPod(t, "inspect", "--format", "{{.State.Status}}", ctr).Out()
}

// containerIDs returns the full ids of all containers.
func (e *Env) containerIDs(t testing.TB) []string {
	t.Helper()
	return e.MustPod(t, "ps", "-a", "-q", "--no-trunc").Lines()
}

// containerMounts returns the lines of the pause process' mount table that are container
// root filesystems or per-container mounts below the environment's HOME.
func (e *Env) containerMounts(t testing.TB) []string {
	t.Helper()
	pid := e.PausePID()
	if pid == 0 {
		t.Fatalf("no pause process recorded in %s", e.PauseFile())
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		t.Fatalf("reading mount table of pause process %d: %v", pid, err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 10 {
			continue
		}
		mnt := f[4]
		sep := 6
		for sep < len(f) && f[sep] != "-" {
			sep++
		}
		fstype := ""
		if sep+1 < len(f) {
			fstype = f[sep+1]
		}
		if !strings.HasPrefix(mnt, e.Home+"/") && !strings.HasPrefix(mnt, e.RunDir+"/") {
			continue
		}
		if strings.HasSuffix(mnt, "/merged") || strings.HasSuffix(mnt, "/rootfs") || fstype == "overlay" ||
			strings.HasPrefix(fstype, "fuse") || strings.Contains(mnt, "/userdata/") {
			out = append(out, mnt+" ("+fstype+")")
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
