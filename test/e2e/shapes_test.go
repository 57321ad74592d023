package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The JSON shapes of container inspect, info and version are podman
// 4.3's: testdata/shapes/*.keys hold podman's keys and value types
// ("PATH TYPE" lines, collected from podman 4.3.1 with
// POD_E2E_BINARY=podman POD_E2E_WRITE_GOLDEN=1), and pod's documents must
// have every one of them with the same type. pod may have more keys.

// freeForm are the objects whose keys are data (labels, ports, driver
// status...), not part of the shape.
var freeForm = map[string]bool{
	".Config.Annotations": true, ".Config.Labels": true, ".Config.Volumes": true,
	".HostConfig.PortBindings": true, ".HostConfig.Tmpfs": true, ".HostConfig.Sysctls": true,
	".HostConfig.LogConfig.Config": true, ".NetworkSettings.Ports": true, ".NetworkSettings.Networks": true,
	".GraphDriver.Data": true, ".State.Health.Log": true,
	".store.graphOptions": true, ".store.graphStatus": true, ".registries": true, ".plugins.authorization": true,
}

// shapeOf lists a JSON document's paths and value types: an array's
// elements are described by its first one, only when they are objects.
func shapeOf(v any) map[string]string {
	out := map[string]string{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			out[path] = "object"
			if freeForm[path] {
				return
			}
			for k, val := range x {
				walk(path+"."+k, val)
			}
		case []any:
			out[path] = "array"
			if len(x) > 0 {
				if _, ok := x[0].(map[string]any); ok {
					walk(path+"[]", x[0])
				}
			}
		case string:
			out[path] = "string"
		case float64:
			out[path] = "number"
		case bool:
			out[path] = "boolean"
		case nil:
			out[path] = "null"
		}
	}
	walk("", v)
	delete(out, "")
	return out
}

// checkShape compares doc's shape with the golden file name: every golden
// path must exist with the same type. null is compatible with an object
// or an array (an unset list or map); the elements of an array are only
// compared when both have some.
func checkShape(t *testing.T, name string, doc any) {
	t.Helper()
	got := shapeOf(doc)
	file := filepath.Join("testdata", "shapes", name+".keys")
	if cfg.podman && os.Getenv("POD_E2E_WRITE_GOLDEN") == "1" {
		var lines []string
		for p, typ := range got {
			lines = append(lines, p+" "+typ)
		}
		sort.Strings(lines)
		if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		p, want, _ := strings.Cut(line, " ")
		if i := strings.LastIndex(p, "[]"); i >= 0 {
			if _, ok := got[p[:i]+"[]"]; !ok {
				continue // the array is empty here
			}
		}
		have, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: no key %s (podman 4.3 has it, a %s)", name, p, want)
		case have == want, want == "null", have == "null" && (want == "object" || want == "array"):
		default:
			t.Errorf("%s: %s is a %s, podman 4.3's is a %s", name, p, have, want)
		}
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}

// TestShapeInspect: a running container's inspect document has podman
// 4.3's keys and types (StopSignal a number, Entrypoint a string, the
// whole HostConfig, State.Health, the capabilities...).
func TestShapeInspect(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "shape")
	e.MustPod(t, "run", "-d", "--name", name, "alpine", "sleep", "100")
	defer e.Pod(t, "rm", "-f", "-t", "0", name)
	docs, ok := decode(t, e.MustPod(t, "inspect", name).Stdout).([]any)
	if !ok || len(docs) != 1 {
		t.Fatalf("inspect printed %d documents, want a list of one", len(docs))
	}
	checkShape(t, "inspect", docs[0])
	doc := docs[0].(map[string]any)
	conf := doc["Config"].(map[string]any)
	id := doc["Id"].(string)
	if conf["Hostname"] != id[:12] {
		t.Errorf("Config.Hostname = %v, want the short id %s", conf["Hostname"], id[:12])
	}
	if conf["StopSignal"] != float64(15) {
		t.Errorf("Config.StopSignal = %v, want 15", conf["StopSignal"])
	}
	if cc, _ := conf["CreateCommand"].([]any); len(cc) < 2 || cc[len(cc)-1] != "100" {
		t.Errorf("Config.CreateCommand = %v, want the command line that ran it", conf["CreateCommand"])
	}
	if h, _ := doc["HostConfig"].(map[string]any); h["NetworkMode"] == "" || h["PidMode"] != "private" {
		t.Errorf("HostConfig NetworkMode %v PidMode %v", h["NetworkMode"], h["PidMode"])
	}
	// A template reads the new keys.
	out := e.MustPod(t, "inspect", "--format", "{{.Config.StopSignal}} {{.State.Health.Status}}|{{len .EffectiveCaps}}", name).Out()
	if !regexp.MustCompile(`^15 \|\d+$`).MatchString(out) {
		t.Errorf("inspect --format = %q, want \"15 |N\"", out)
	}
}

// TestShapeInfo: info --format json has podman's document (host.conmon,
// distribution, memory, uptime, store usage, registries, plugins,
// version.*), and the default output is YAML of the same keys.
func TestShapeInfo(t *testing.T) {
	e := sharedEnv(t)
	doc := decode(t, e.MustPod(t, "info", "--format", "json").Stdout)
	checkShape(t, "info", doc)
	host := doc.(map[string]any)["host"].(map[string]any)
	if n, _ := host["cpus"].(float64); n < 1 {
		t.Errorf("host.cpus = %v", host["cpus"])
	}
	if n, _ := host["memTotal"].(float64); n <= 0 {
		t.Errorf("host.memTotal = %v", host["memTotal"])
	}
	if c, _ := host["conmon"].(map[string]any); c["path"] == "" {
		t.Errorf("host.conmon = %v, want the monitor's path", host["conmon"])
	}
	if _, ok := host["pasta"].(map[string]any); !ok && !cfg.podman {
		t.Errorf("host.pasta = %v, want podman 5's object", host["pasta"])
	}
	yaml := e.MustPod(t, "info").Stdout
	for _, want := range []string{"\nhost:\n", "\n  conmon:\n", "\n  distribution:\n", "\nstore:\n", "\n  graphRoot: ", "\nversion:\n", "\n  APIVersion: "} {
		if !strings.Contains("\n"+yaml, want) {
			t.Errorf("info output lacks %q:\n%s", want, yaml)
		}
	}
	if got := e.MustPod(t, "info", "--format", "{{.Host.Conmon.Path}} {{.Store.VolumePath}}").Out(); strings.Count(got, "/") < 2 {
		t.Errorf("info --format with podman's field names = %q", got)
	}
}

// TestShapeVersion: version's text layout and JSON fields are podman's.
func TestShapeVersion(t *testing.T) {
	e := sharedEnv(t)
	doc := decode(t, e.MustPod(t, "version", "--format", "json").Stdout)
	checkShape(t, "version", doc)
	if _, ok := doc.(map[string]any)["Client"].(map[string]any)["Arch"]; ok {
		t.Error("version JSON has an Arch key; podman 4.3's has none")
	}
	lines := e.MustPod(t, "version").Lines()
	var keys []string
	for _, l := range lines {
		k, _, _ := strings.Cut(l, ":")
		keys = append(keys, k)
	}
	got := strings.Join(keys, ",")
	want := regexp.MustCompile(`^Client,Version,API Version,Go Version,(Git Commit,)?Built,OS/Arch$`)
	if !want.MatchString(got) {
		t.Errorf("version lines %q, want podman's layout", lines)
	}
	if !strings.HasSuffix(strings.TrimSpace(strings.TrimPrefix(lines[0], "Client:")), "Engine") {
		t.Errorf("first line %q, want Client: <name> Engine", lines[0])
	}
}

// TestContainerDefaults: TERM=xterm without -t, /run/.containerenv, and
// the hostname is the short id, as podman sets them; privileged
// containers read the engine and their own names in .containerenv.
func TestContainerDefaults(t *testing.T) {
	e := sharedEnv(t)
	name := e.CtrName(t, "defaults")
	r := e.MustPod(t, "run", "--name", name, "alpine", "sh", "-c", `echo "$TERM"; test -f /run/.containerenv && echo env; hostname`)
	defer e.Pod(t, "rm", "-f", name)
	id := e.MustPod(t, "inspect", "--format", "{{.Id}}", name).Out()
	if want := fmt.Sprintf("xterm\nenv\n%s", id[:12]); r.Out() != want {
		t.Errorf("TERM, .containerenv, hostname: %q, want %q", r.Out(), want)
	}
	env := e.MustPod(t, "inspect", "--format", "{{json .Config.Env}}", name).Out()
	if !strings.Contains(env, `"TERM=xterm"`) {
		t.Errorf("Config.Env %s lacks TERM=xterm", env)
	}
	priv := e.MustPod(t, "run", "--rm", "--privileged", "--name", name+"-p", "alpine", "cat", "/run/.containerenv").Out()
	for _, want := range []string{`name="` + name + `-p"`, "rootless=1", `engine="`} {
		if !strings.Contains(priv, want) {
			t.Errorf("privileged .containerenv %q lacks %s", priv, want)
		}
	}
}
