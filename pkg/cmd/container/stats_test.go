package container

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdStats(t *testing.T) {
	tests := []cmdtest.ParseCase[StatsOptions]{
		{Name: "defaults", Args: nil, Want: StatsOptions{Interval: 5}},
		{Name: "flags", Args: []string{"--no-stream", "-a", "--no-reset", "--no-trunc", "--format", "json", "-i", "2"},
			Want: StatsOptions{NoStream: true, All: true, NoReset: true, NoTrunc: true, Format: "json", Interval: 2}},
		{Name: "containers", Args: []string{"a", "b"}, Want: StatsOptions{Interval: 5, Names: []string{"a", "b"}}},
		{Name: "all and names", Args: []string{"-a", "web"}, WantErr: true},
		{Name: "zero interval", Args: []string{"-i", "0"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdStats, func(f *cmdutil.Factory, got, want *StatsOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil
		}
	})
}

func TestRunStats(t *testing.T) {
	web := cmdtest.FakeContainer("web", "ab", define.StatusRunning)
	db := cmdtest.FakeContainer("db", "cd", define.StatusExited)
	now := time.Now()
	e := &cmdtest.FakeEngine{Containers: []*libpod.Container{web, db}, Stats: map[string]libpod.ContainerStats{"web": {
		Read: now, Started: now.Add(-10 * time.Second), CPUNano: 2e9, MemUsage: 2e6, MemLimit: 8e9,
		NetInput: 1500, NetOutput: 300, PIDs: 3,
	}}}
	f, out, _ := cmdtest.FactoryWithEngine(e)
	if err := cmdtest.Execute(NewCmdStats(f, nil), []string{"--no-stream"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("stats printed %q, want a header and web", out)
	}
	for _, want := range []string{"ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET IO", "BLOCK IO", "PIDS", "CPU TIME", "AVG CPU %"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("header %q lacks %q", lines[0], want)
		}
	}
	if f := strings.Fields(lines[1]); strings.Join(f, " ") != "abababababab web 20.00% 2MB / 8GB 0.03% 1.5kB / 300B -- / -- 3 2s 20.00%" {
		t.Errorf("row %q", lines[1])
	}

	out.Reset()
	if err := cmdtest.Execute(NewCmdStats(f, nil), []string{"--no-stream", "-a", "--format", "json"}); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	byName := map[string]map[string]string{rows[0]["name"]: rows[0], rows[1]["name"]: rows[1]}
	if byName["web"]["cpu_percent"] != "20.00%" || byName["web"]["mem_usage"] != "2MB / 8GB" || byName["db"]["id"] != "cdcdcdcdcdcd" || byName["db"]["pids"] != "--" {
		t.Errorf("json of --all:\n%s", out)
	}

	e.Err = map[string]error{"stats": fmt.Errorf("stats is %w", define.ErrNoCgroupV2)}
	err := cmdtest.Execute(NewCmdStats(f, nil), []string{"--no-stream", "web"})
	if cmdutil.ExitCode(err) != 125 || cmdutil.Message(err) != "Error: stats is not supported in rootless mode without cgroups v2" {
		t.Errorf("stats without cgroup v2: %v", err)
	}
}
