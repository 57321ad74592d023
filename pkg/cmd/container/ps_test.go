package container

import (
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/report"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
)

func TestNewCmdPs(t *testing.T) {
	tests := []cmdtest.ParseCase[PsOptions]{
		{Name: "defaults", Args: nil, Want: PsOptions{Sort: "created", Last: -1}},
		{Name: "all quiet", Args: []string{"-a", "-q"}, Want: PsOptions{Sort: "created", All: true, Quiet: true, Last: -1}},
		{Name: "combined short", Args: []string{"-aq"}, Want: PsOptions{Sort: "created", All: true, Quiet: true, Last: -1}},
		{Name: "no-trunc", Args: []string{"--no-trunc"}, Want: PsOptions{Sort: "created", NoTrunc: true, Last: -1}},
		{Name: "format", Args: []string{"--format", "{{.ID}} {{.Names}}"}, Want: PsOptions{Sort: "created", Format: "{{.ID}} {{.Names}}", Last: -1}},
		{Name: "format json", Args: []string{"--format=json"}, Want: PsOptions{Sort: "created", Format: "json", Last: -1}},
		{Name: "filters repeated", Args: []string{"--filter", "status=running", "-f", "name=web", "--filter=label=a=b"},
			Want: PsOptions{Sort: "created", Filters: []string{"status=running", "name=web", "label=a=b"}, Last: -1}},
		{Name: "last", Args: []string{"-n", "2"}, Want: PsOptions{Sort: "created", Last: 2}},
		{Name: "podman's other flags", Args: []string{"-l", "--noheading", "--ns", "-p", "-s", "--sort", "names", "--sync", "--external"},
			Want: PsOptions{Sort: "names", Last: -1, Latest: true, NoHeading: true, Namespace: true, Pod: true, Size: true, Sync: true, External: true}},
		{Name: "watch", Args: []string{"-w", "2"}, Want: PsOptions{Sort: "created", Last: -1, Watch: 2}},
		{Name: "bad sort key", Args: []string{"--sort", "bogus"}, WantErr: true},
		{Name: "watch and latest", Args: []string{"-w", "1", "-l"}, WantErr: true},
		{Name: "argument", Args: []string{"web"}, WantErr: true},
		{Name: "unknown flag", Args: []string{"--size-bogus"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdPs, func(f *cmdutil.Factory, got, want *PsOptions) {
		want.Factory = f
	})
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

// The default table written cell by cell is what the default format gives
// through a template, with and without the -p, -s and --noheading columns.
func TestPsDefaultTableIsTheTemplates(t *testing.T) {
	rows := []PsRow{
		{ID: "aaaaaaaaaaaa", Image: "docker.io/library/alpine:latest", Command: "sleep 100", CreatedHuman: "2 hours ago",
			Status: "Up 2 hours ago", Ports: "0.0.0.0:8080->80/tcp", Names: "web", Size: "0B (virtual 7.8MB)"},
		{ID: "bbbbbbbbbbbb", Image: "x", Command: "", CreatedHuman: "Less than a second ago", Status: "Created", Names: "a-much-longer-name"},
	}
	for _, o := range []PsOptions{{}, {Pod: true}, {Size: true}, {Pod: true, Size: true, NoHeading: true}} {
		format := psDefaultFormat
		if o.Pod {
			format += "\t{{.Pod}}\t{{.PodName}}"
		}
		if o.Size {
			format += "\t{{.Size}}"
		}
		var want, got strings.Builder
		w, err := report.NewWriter(&want, "ps", format)
		if err != nil {
			t.Fatal(err)
		}
		w.NoHeading = o.NoHeading
		w.Headers = map[string]string{"ID": "CONTAINER ID", "CreatedHuman": "CREATED", "Pod": "POD ID", "PodName": "PODNAME"}
		if err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := psDefaultTable(&got, rows, &o); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("options %+v: table\n%s\nwant\n%s", o, got.String(), want.String())
		}
	}
}
