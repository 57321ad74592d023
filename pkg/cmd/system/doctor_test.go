package system

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/doctor"
)

func TestNewCmdDoctor(t *testing.T) {
	tests := []cmdtest.ParseCase[DoctorOptions]{
		{Name: "defaults"},
		{Name: "format json", Args: []string{"--format", "json"}, Want: DoctorOptions{Format: "json"}},
		{Name: "format short", Args: []string{"-f", "{{.Check}}"}, Want: DoctorOptions{Format: "{{.Check}}"}},
		{Name: "argument", Args: []string{"subuid"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--fix"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdDoctor, func(f *cmdutil.Factory, got, want *DoctorOptions) { want.Factory = f })
}

func TestNewCmdMigrate(t *testing.T) {
	tests := []cmdtest.ParseCase[MigrateOptions]{
		{Name: "defaults"},
		{Name: "new runtime", Args: []string{"--new-runtime", "runc"}, Want: MigrateOptions{NewRuntime: "runc"}},
		{Name: "new runtime path", Args: []string{"--new-runtime=/usr/bin/crun"}, Want: MigrateOptions{NewRuntime: "/usr/bin/crun"}},
		{Name: "new runtime without a value", Args: []string{"--new-runtime"}, WantErr: true},
		{Name: "argument", Args: []string{"x"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdMigrate, func(f *cmdutil.Factory, got, want *MigrateOptions) { want.Factory = f })
}

func TestNewCmdRenumber(t *testing.T) {
	tests := []cmdtest.ParseCase[RenumberOptions]{
		{Name: "defaults"},
		{Name: "argument", Args: []string{"x"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--all"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdRenumber, func(f *cmdutil.Factory, got, want *RenumberOptions) { want.Factory = f })
}

func TestRunRenumber(t *testing.T) {
	f, out := testFactory("1")
	if err := execute(NewCmdRenumber(f, nil), nil); err != nil || out.Len() != 0 {
		t.Errorf("renumber: %v, output %q", err, out)
	}
}

// The verbs that must not enter the namespace carry the annotation the
// pre-parser generator reads.
func TestNewCmdSystem(t *testing.T) {
	f, _ := testFactory("1")
	cmd := NewCmdSystem(f)
	for verb, noUserns := range map[string]bool{"info": false, "doctor": true, "migrate": true, "renumber": true} {
		c, rest, err := cmd.Find([]string{verb})
		if err != nil || len(rest) != 0 || c == cmd {
			t.Errorf("pod system %s is missing (%v)", verb, err)
			continue
		}
		if got := c.Annotations["pod.no-userns"] != ""; got != noUserns {
			t.Errorf("pod system %s: no-userns %v, want %v", verb, got, noUserns)
		}
	}
}

func TestRunMigrateBadRuntime(t *testing.T) {
	f, out := testFactory("1")
	err := runMigrate(context.Background(), &MigrateOptions{Factory: f, NewRuntime: t.TempDir() + "/no-such-runtime"})
	if err == nil || cmdutil.ExitCode(err) != 125 || !strings.Contains(err.Error(), "--new-runtime") {
		t.Errorf("error %v, want a 125 error naming --new-runtime", err)
	}
	if out.Len() != 0 {
		t.Errorf("output %q", out)
	}
}

var sampleResults = []doctor.Result{
	{Check: "subuid", Status: doctor.StatusOK, Message: "alice has 100000-165535 (65536 uids) in /etc/subuid"},
	{Check: "tun", Status: doctor.StatusError, Message: "/dev/net/tun does not open", Fix: "sudo setfacl -m u:alice:rw /dev/net/tun"},
	{Check: "cgroups", Status: doctor.StatusWarning, Message: "cgroup v1: no per-container cgroups"},
}

func TestWriteDoctorText(t *testing.T) {
	var b bytes.Buffer
	if err := writeDoctor(&b, "", sampleResults); err != nil {
		t.Fatal(err)
	}
	want := "ok       subuid       alice has 100000-165535 (65536 uids) in /etc/subuid\n" +
		"error    tun          /dev/net/tun does not open; fix: sudo setfacl -m u:alice:rw /dev/net/tun\n" +
		"warning  cgroups      cgroup v1: no per-container cgroups\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteDoctorJSON(t *testing.T) {
	for _, format := range []string{"json", "{{json .}}"} {
		var b bytes.Buffer
		if err := writeDoctor(&b, format, sampleResults); err != nil {
			t.Fatal(err)
		}
		var got []map[string]string
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatalf("%s: %q is not a JSON array: %v", format, b.String(), err)
		}
		want := map[string]string{"check": "tun", "status": "error", "message": "/dev/net/tun does not open", "fix": "sudo setfacl -m u:alice:rw /dev/net/tun"}
		if len(got) != 3 || !reflect.DeepEqual(got[1], want) || got[0]["fix"] != "" {
			t.Errorf("%s: got %v", format, got)
		}
	}
}

func TestWriteDoctorTemplate(t *testing.T) {
	var b bytes.Buffer
	if err := writeDoctor(&b, "{{.Check}}={{.Status}}", sampleResults); err != nil {
		t.Fatal(err)
	}
	if b.String() != "subuid=ok\ntun=error\ncgroups=warning\n" {
		t.Errorf("got %q", b.String())
	}
	err := writeDoctor(&b, "{{.Check", sampleResults)
	var fe *cmdutil.FlagError
	if !errors.As(err, &fe) {
		t.Errorf("unparsable template: %v, want a usage error", err)
	}
}
