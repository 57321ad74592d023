package system

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdPrune(t *testing.T) {
	cmdtest.CheckParse(t, []cmdtest.ParseCase[PruneOptions]{
		{Name: "defaults"},
		{Name: "all force", Args: []string{"-a", "-f"}, Want: PruneOptions{All: true, Force: true}},
		{Name: "filters and volumes", Args: []string{"--filter", "until=24h", "--filter", "label=a=b", "--volumes"},
			Want: PruneOptions{Filters: []string{"until=24h", "label=a=b"}, Volumes: true}},
		{Name: "argument", Args: []string{"x"}, WantErr: true},
	}, NewCmdPrune, func(f *cmdutil.Factory, got, want *PruneOptions) { want.Factory = f })
}

func TestNewCmdCheck(t *testing.T) {
	cmdtest.CheckParse(t, []cmdtest.ParseCase[CheckOptions]{
		{Name: "defaults", Want: CheckOptions{Max: 24 * time.Hour}},
		{Name: "repair force quick max", Args: []string{"-r", "-f", "-q", "-m", "1h"},
			Want: CheckOptions{Repair: true, Force: true, Quick: true, Max: time.Hour}},
		{Name: "bad max", Args: []string{"--max", "soon"}, WantErr: true},
	}, NewCmdCheck, func(f *cmdutil.Factory, got, want *CheckOptions) { want.Factory = f })
}

func TestNewCmdDfAndReset(t *testing.T) {
	cmdtest.CheckParse(t, []cmdtest.ParseCase[DfOptions]{
		{Name: "defaults"},
		{Name: "verbose", Args: []string{"-v"}, Want: DfOptions{Verbose: true}},
		{Name: "format", Args: []string{"--format", "json"}, Want: DfOptions{Format: "json"}},
	}, NewCmdDf, func(f *cmdutil.Factory, got, want *DfOptions) { want.Factory = f })
	cmdtest.CheckParse(t, []cmdtest.ParseCase[ResetOptions]{
		{Name: "defaults"},
		{Name: "force", Args: []string{"--force"}, Want: ResetOptions{Force: true}},
	}, NewCmdReset, func(f *cmdutil.Factory, got, want *ResetOptions) { want.Factory = f })
}

// Without --force, prune asks and does nothing unless told yes.
func TestRunPruneAsks(t *testing.T) {
	for _, answer := range []string{"", "n\n", "no\n"} {
		f, out, _ := cmdtest.FactoryWithEngine(&cmdtest.FakeEngine{})
		f.IOStreams.In = strings.NewReader(answer)
		if err := runPrune(t.Context(), &PruneOptions{Factory: f}); err != nil {
			t.Fatalf("answer %q: %v", answer, err)
		}
		if !strings.Contains(out.String(), "Are you sure you want to continue? [y/N]") || strings.Contains(out.String(), "reclaimed") {
			t.Errorf("answer %q: printed %q", answer, out.String())
		}
	}
}

func TestDfSummary(t *testing.T) {
	du := &libpod.DiskUsage{
		Images:            []libpod.ImageUsage{{ID: "a", Size: 800, Containers: 1}, {ID: "b", Size: 600}},
		ImagesSize:        1000,
		ImagesReclaimable: 200,
		Containers: []libpod.ContainerUsage{{ID: "c1", Size: 30, Status: define.StatusRunning},
			{ID: "c2", Size: 70, Status: define.StatusExited}},
	}
	rows := dfSummary(du)
	var b bytes.Buffer
	for _, r := range rows {
		b.WriteString(r.Type + "|" + strings.Join([]string{strconv.Itoa(r.Total), strconv.Itoa(r.Active), r.Size, r.Reclaimable}, "|") + "\n")
	}
	want := "Images|2|1|1kB|200B (20%)\nContainers|2|1|100B|70B (70%)\nLocal Volumes|0|0|0B|0B (0%)\n"
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}
