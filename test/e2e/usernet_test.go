package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// netName returns a network name unique to this test and removes that
// network when the test ends.
func (e *Env) netName(t testing.TB, prefix string) string {
	t.Helper()
	n := fmt.Sprintf("%s-%d-%d", prefix, envSeq.Add(1), time.Now().UnixNano()%100000)
	t.Cleanup(func() { e.run(nil, RunOpts{Timeout: 60 * time.Second}, "network", "rm", "-f", n) })
	return n
}

// network create/inspect/ls/exists/rm with podman's output shapes and
// exit codes.
func TestUserNetworkVerbs(t *testing.T) {
	e := sharedEnv(t)
	name := e.netName(t, "unet")
	expectStdout(t, e.MustPod(t, "network", "create", "--subnet", "10.123.7.0/24", "--label", "team=a", name), name+"\n")

	r := e.Pod(t, "network", "create", name)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "network name "+name+" already used")
	if !cfg.podman { // --ignore is newer than podman 4.3
		e.MustPod(t, "network", "create", "--ignore", name)
	}

	var nets []map[string]any
	if err := json.Unmarshal([]byte(e.MustPod(t, "network", "inspect", name).Stdout), &nets); err != nil || len(nets) != 1 {
		t.Fatalf("inspect: %v %d", err, len(nets))
	}
	n := nets[0]
	for _, k := range []string{"name", "id", "driver", "network_interface", "created", "subnets", "ipv6_enabled", "internal", "dns_enabled", "ipam_options", "labels"} {
		if _, ok := n[k]; !ok {
			t.Errorf("inspect lacks %q: %v", k, n)
		}
	}
	if n["name"] != name || n["driver"] != "bridge" || len(n["id"].(string)) != 64 {
		t.Errorf("inspect: %v", n)
	}
	subs, _ := n["subnets"].([]any)
	if len(subs) != 1 || subs[0].(map[string]any)["subnet"] != "10.123.7.0/24" || subs[0].(map[string]any)["gateway"] != "10.123.7.1" {
		t.Errorf("subnets: %v", n["subnets"])
	}
	id := n["id"].(string)
	if got := e.MustPod(t, "network", "inspect", "--format", "{{.Name}}", id[:12]).Out(); got != name {
		t.Errorf("inspect by id prefix: %q", got)
	}

	ls := e.MustPod(t, "network", "ls").Stdout
	lines := strings.Split(strings.TrimSpace(ls), "\n")
	if f := strings.Fields(lines[0]); !slices.Equal(f, []string{"NETWORK", "ID", "NAME", "DRIVER"}) {
		t.Errorf("ls header %q", lines[0])
	}
	if !slices.ContainsFunc(lines, func(l string) bool {
		return slices.Equal(strings.Fields(l), []string{id[:12], name, "bridge"})
	}) || !slices.ContainsFunc(lines, func(l string) bool { return strings.Fields(l)[1] == "podman" }) {
		t.Errorf("ls lacks %s or podman:\n%s", name, ls)
	}
	if got := e.MustPod(t, "network", "ls", "--filter", "label=team=a", "--format", "{{.Name}} {{.Driver}}").Out(); !strings.Contains(got, name+" bridge") || strings.Contains(got, "podman") {
		t.Errorf("ls --filter label: %q", got)
	}

	expectExit(t, e.Pod(t, "network", "exists", name), 0)
	expectExit(t, e.Pod(t, "network", "exists", name+"-none"), 1)
	r = e.Pod(t, "network", "inspect", name+"-none")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "unable to find network with name or ID "+name+"-none")

	r = e.Pod(t, "network", "rm", "podman")
	expectExit(t, r, 125)
	expectErrorLine(t, r, "default network podman cannot be removed")
	r = e.Pod(t, "network", "rm", name, name+"-none")
	expectExit(t, r, 1)
	expectStdout(t, r, name+"\n")
	expectExit(t, e.Pod(t, "network", "exists", name), 1)
}

// A subnet another network holds, or a gateway outside the subnet, is
// refused naming the flag.
func TestUserNetworkBadSubnet(t *testing.T) {
	e := sharedEnv(t)
	a, b := e.netName(t, "unsa"), e.netName(t, "unsb")
	e.MustPod(t, "network", "create", "--subnet", "10.124.0.0/24", a)
	r := e.Pod(t, "network", "create", "--subnet", "10.124.0.0/25", b)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "subnet")
	r = e.Pod(t, "network", "create", "--subnet", "10.125.0.0/24", "--gateway", "10.126.0.1", b)
	expectExit(t, r, 125)
	expectErrorLine(t, r, "gateway")
}
