// Package e2e runs the built pod binary as an unprivileged user against real runtimes,
// real user namespaces and a real local registry. See test/README.md.
package e2e

import (
	"bytes"
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
	"sync/atomic"
	"testing"
	"time"
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
	if os.Getenv("POD_E2E") != "1" {
		fmt.Fprintln(os.Stderr, "e2e: not run: the end-to-end tests are opt-in: `sudo bash test/run.sh`, "+
			"or as root after `sudo bash test/setup.sh`: `POD_E2E=1 go test ./test/e2e`")
		return 0, nil
	}
	if os.Geteuid() != 0 {
		return 0, errors.New("the end-to-end tests must run as root: they create and run as the " +
			"unprivileged user podtest. Run them with `sudo bash test/run.sh` " +
			"(or `sudo bash test/setup.sh` once, then `sudo POD_E2E=1 go test ./test/e2e`)")
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
		for _, name := range []string{"pod", "pod-monitor", "pod-portfwd"} {
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
