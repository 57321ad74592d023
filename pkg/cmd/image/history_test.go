package image

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdHistory(t *testing.T) {
	tests := []cmdtest.ParseCase[HistoryOptions]{
		{Name: "defaults", Args: []string{"alpine"}, Want: HistoryOptions{Human: true, Image: "alpine"}},
		{Name: "flags", Args: []string{"--no-trunc", "-q", "-H=false", "alpine"}, Want: HistoryOptions{NoTrunc: true, Quiet: true, Image: "alpine"}},
		{Name: "human long", Args: []string{"--human=false", "alpine"}, Want: HistoryOptions{Image: "alpine"}},
		{Name: "format", Args: []string{"--format", "json", "alpine"}, Want: HistoryOptions{Human: true, Format: "json", Image: "alpine"}},
		{Name: "no image", Args: nil, WantErr: true},
		{Name: "two images", Args: []string{"a", "b"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdHistory, func(f *cmdutil.Factory, got, want *HistoryOptions) { want.Factory = f })
}

const histID = "58cdb45bdebe71868fe597d340c11f15a30449b36f0be3dfde6ec89db85b5868"

func historyEngine() *cmdtest.FakeEngine {
	t1 := time.Date(2024, 9, 6, 12, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	return &cmdtest.FakeEngine{History: map[string][]image.HistoryEntry{"alpine": {
		{ID: histID, Created: t2, CreatedBy: `/bin/sh -c #(nop)  CMD ["/bin/sh"]`, Comment: "buildkit", Tags: []string{}},
		{ID: image.MissingID, Created: t1, CreatedBy: "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz in /", Size: 8089600, Tags: []string{}},
	}}}
}

func runHistoryOut(t *testing.T, o HistoryOptions) string {
	t.Helper()
	f, out := fakeFactory(historyEngine())
	o.Factory, o.Image = f, "alpine"
	if err := runHistory(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	return out()
}

func TestRunHistory(t *testing.T) {
	tests := []struct {
		name string
		o    HistoryOptions
		want string
	}{
		{"default table", HistoryOptions{Human: false}, "" +
			"ID            CREATED               CREATED BY                                     SIZE        COMMENT\n" +
			"58cdb45bdebe  2024-09-06T13:00:00Z  /bin/sh -c #(nop)  CMD [\"/bin/sh\"]             0 B         buildkit\n" +
			"<missing>     2024-09-06T12:00:00Z  ADD alpine-minirootfs-3.20.3-x86_64.tar.gz...  8.09 MB     \n"},
		{"quiet", HistoryOptions{Human: true, Format: "{{.Size}}", Quiet: true}, "58cdb45bdebe\n<missing>\n"},
		{"quiet no-trunc", HistoryOptions{Quiet: true, NoTrunc: true}, histID + "\n<missing>\n"},
		{"template", HistoryOptions{NoTrunc: true, Format: "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Tags}}"}, "" +
			histID + `|/bin/sh -c #(nop)  CMD ["/bin/sh"]|0 B|[]` + "\n" +
			"<missing>|ADD alpine-minirootfs-3.20.3-x86_64.tar.gz in /|8.09 MB|[]\n"},
		{"json", HistoryOptions{Human: true, Format: "json"}, `[{"id":"` + histID + `","created":"2024-09-06T13:00:00Z",` +
			`"CreatedBy":"/bin/sh -c #(nop)  CMD [\"/bin/sh\"]","size":0,"comment":"buildkit","Created":"2024-09-06T13:00:00Z"},` +
			`{"id":"\u003cmissing\u003e","created":"2024-09-06T12:00:00Z","CreatedBy":"ADD alpine-minirootfs-3.20.3-x86_64.tar.gz in /",` +
			`"size":8089600,"Created":"2024-09-06T12:00:00Z"}]` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := runHistoryOut(t, tt.o); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	if got := runHistoryOut(t, HistoryOptions{Human: true, Format: "{{.Created}}"}); !strings.HasSuffix(got, " ago\n") {
		t.Errorf("--human: created %q", got)
	}
}

func TestRunHistoryErrors(t *testing.T) {
	f, _ := fakeFactory(historyEngine())
	err := runHistory(context.Background(), &HistoryOptions{Factory: f, Image: "nosuch", Human: true})
	if !errors.Is(err, define.ErrNoSuchImage) || cmdutil.ExitCode(err) != 125 || err.Error() != "nosuch: image not known" {
		t.Errorf("unknown image: %v", err)
	}
	err = runHistory(context.Background(), &HistoryOptions{Factory: f, Image: "alpine", Format: "{{.ID"})
	if !cmdtest.IsUsage(err) {
		t.Errorf("bad format: %v", err)
	}
}
