package container

import (
	"reflect"
	"testing"
	"time"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
)

func TestNewCmdPs(t *testing.T) {
	tests := []cmdtest.ParseCase[PsOptions]{
		{Name: "defaults", Args: nil, Want: PsOptions{Last: -1}},
		{Name: "all quiet", Args: []string{"-a", "-q"}, Want: PsOptions{All: true, Quiet: true, Last: -1}},
		{Name: "combined short", Args: []string{"-aq"}, Want: PsOptions{All: true, Quiet: true, Last: -1}},
		{Name: "no-trunc", Args: []string{"--no-trunc"}, Want: PsOptions{NoTrunc: true, Last: -1}},
		{Name: "format", Args: []string{"--format", "{{.ID}} {{.Names}}"}, Want: PsOptions{Format: "{{.ID}} {{.Names}}", Last: -1}},
		{Name: "format json", Args: []string{"--format=json"}, Want: PsOptions{Format: "json", Last: -1}},
		{Name: "filters repeated", Args: []string{"--filter", "status=running", "-f", "name=web", "--filter=label=a=b"},
			Want: PsOptions{Filters: []string{"status=running", "name=web", "label=a=b"}, Last: -1}},
		{Name: "last", Args: []string{"-n", "2"}, Want: PsOptions{Last: 2}},
		{Name: "argument", Args: []string{"web"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--size-bogus"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdPs, func(f *cmdutil.Factory, got, want *PsOptions) {
		want.Factory = f
	})
}

func TestParsePsFilters(t *testing.T) {
	good := []struct {
		in   []string
		want psFilters
	}{
		{nil, psFilters{}},
		{[]string{"id=abc"}, psFilters{"id": {"abc"}}},
		{[]string{"name=web", "name=^db$"}, psFilters{"name": {"web", "^db$"}}},
		{[]string{"status=running", "status=exited", "status=stopped", "status=created", "status=paused"},
			psFilters{"status": {"running", "exited", "stopped", "created", "paused"}}},
		{[]string{"label=a", "label=b=c"}, psFilters{"label": {"a", "b=c"}}},
		{[]string{"ancestor=alpine", "exited=0"}, psFilters{"ancestor": {"alpine"}, "exited": {"0"}}},
	}
	for _, tt := range good {
		got, err := parsePsFilters(tt.in)
		if err != nil {
			t.Errorf("parsePsFilters(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parsePsFilters(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, in := range [][]string{
		{"status"},          // no value
		{"id"},              // no value
		{"bogus=1"},         // unknown key
		{"status=sleeping"}, // unknown status
		{"name=[unclosed"},  // bad regexp
		{"id=a", "volume=x"},
	} {
		_, err := parsePsFilters(in)
		if err == nil || !isUsage(err) {
			t.Errorf("parsePsFilters(%q) = %v, want a usage error", in, err)
		}
	}
}

const (
	idRunning = "aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666000011112222333a"
	idExited  = "bbbb1111bbbb2222cccc3333dddd4444eeee5555ffff6666000011112222333b"
	idCreated = "cccc1111bbbb2222cccc3333dddd4444eeee5555ffff6666000011112222333c"
	idStopped = "dddd1111bbbb2222cccc3333dddd4444eeee5555ffff6666000011112222333d"
	imgAlpine = "9c6f0724472873bb50a2ae67a9e7adcb57673a183cea8b06eb778dca859181b5"
	imgBusy   = "3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741"
)

func ctr(id, name string, st define.ContainerStatus, code int, imageID, imageName, image string, labels map[string]string) *libpod.Container {
	return &libpod.Container{
		Config: &libpod.ContainerConfig{ID: id, Name: name, ImageID: imageID, ImageName: imageName, Image: image, Labels: labels,
			Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		State: &libpod.ContainerState{Status: st, ExitCode: code},
	}
}

func TestPsFilterMatch(t *testing.T) {
	running := ctr(idRunning, "web", define.StatusRunning, 0, imgAlpine, "docker.io/library/alpine:latest", "alpine", map[string]string{"app": "web", "tier": "front"})
	exited := ctr(idExited, "db", define.StatusExited, 3, imgBusy, "docker.io/library/busybox:1.36", "busybox:1.36", map[string]string{"app": "db"})
	created := ctr(idCreated, "webcache", define.StatusCreated, 0, imgAlpine, "docker.io/library/alpine:latest", "docker.io/library/alpine", nil)
	stopped := ctr(idStopped, "job", define.StatusExited, 0, imgBusy, "docker.io/library/busybox:1.36", "busybox:1.36", nil)
	all := []*libpod.Container{running, exited, created, stopped}

	tests := []struct {
		filters []string
		want    []string // names matched, in the order of all
	}{
		{nil, []string{"web", "db", "webcache", "job"}},
		{[]string{"id=aaaa"}, []string{"web"}},
		{[]string{"id=" + idExited}, []string{"db"}},
		{[]string{"id=1111"}, nil}, // a prefix, not a substring
		{[]string{"id=aaaa", "id=cccc"}, []string{"web", "webcache"}},
		{[]string{"name=web"}, []string{"web", "webcache"}}, // regexp
		{[]string{"name=^web$"}, []string{"web"}},
		{[]string{"name=^(db|job)$"}, []string{"db", "job"}},
		{[]string{"status=running"}, []string{"web"}},
		{[]string{"status=created"}, []string{"webcache"}},
		{[]string{"status=exited"}, []string{"db", "job"}},
		{[]string{"status=stopped"}, []string{"db", "job"}},
		{[]string{"status=paused"}, nil},
		{[]string{"status=running", "status=created"}, []string{"web", "webcache"}},
		{[]string{"label=app"}, []string{"web", "db"}},
		{[]string{"label=app=db"}, []string{"db"}},
		{[]string{"label=app=nope"}, nil},
		{[]string{"label=tier=front", "label=app=db"}, []string{"web", "db"}},
		{[]string{"ancestor=" + imgAlpine}, []string{"web", "webcache"}},
		{[]string{"ancestor=3f57d940"}, []string{"db", "job"}},
		{[]string{"ancestor=alpine"}, []string{"web", "webcache"}},
		{[]string{"ancestor=alpine:latest"}, []string{"web", "webcache"}},
		{[]string{"ancestor=busybox:1.36"}, []string{"db", "job"}},
		{[]string{"ancestor=docker.io/library/busybox:1.36"}, []string{"db", "job"}},
		{[]string{"ancestor=busybox"}, nil}, // a name without a tag means :latest, as docker resolves it
		{[]string{"ancestor=pine"}, nil},
		{[]string{"exited=3"}, []string{"db"}},
		{[]string{"exited=0"}, []string{"job"}}, // web is running, not exited
		// different keys all apply
		{[]string{"name=web", "status=running"}, []string{"web"}},
		{[]string{"ancestor=alpine", "status=exited"}, nil},
		{[]string{"label=app", "exited=3"}, []string{"db"}},
	}
	for _, tt := range tests {
		flt, err := parsePsFilters(tt.filters)
		if err != nil {
			t.Fatalf("parsePsFilters(%q): %v", tt.filters, err)
		}
		var got []string
		for _, c := range all {
			if flt.match(c) {
				got = append(got, c.Name())
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("filters %q matched %q, want %q", tt.filters, got, tt.want)
		}
	}
}

func TestShortID(t *testing.T) {
	if got := shortID(idRunning, false); got != idRunning[:12] {
		t.Errorf("shortID = %q", got)
	}
	if got := shortID(idRunning, true); got != idRunning {
		t.Errorf("shortID no-trunc = %q", got)
	}
	if got := shortID("abc", false); got != "abc" {
		t.Errorf("shortID of a short id = %q", got)
	}
}
