package container

import (
	"context"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"

	"github.com/pod-engine/pod/libpod/define"
)

func TestNewCmdLogs(t *testing.T) {
	tests := []cmdtest.ParseCase[LogsOptions]{
		{Name: "defaults", Args: []string{"web"}, Want: LogsOptions{Tail: -1, Names: []string{"web"}}},
		{Name: "follow", Args: []string{"-f", "web"}, Want: LogsOptions{Follow: true, Tail: -1, Names: []string{"web"}}},
		{Name: "tail", Args: []string{"--tail", "5", "web"}, Want: LogsOptions{Tail: 5, Names: []string{"web"}}},
		{Name: "tail zero", Args: []string{"--tail=0", "web"}, Want: LogsOptions{Tail: 0, Names: []string{"web"}}},
		{Name: "timestamps", Args: []string{"-t", "web"}, Want: LogsOptions{Timestamps: true, Tail: -1, Names: []string{"web"}}},
		{Name: "since until", Args: []string{"--since", "10m", "--until", "2024-01-02T03:04:05Z", "a", "b"},
			Want: LogsOptions{Tail: -1, Since: "10m", Until: "2024-01-02T03:04:05Z", Names: []string{"a", "b"}}},
		{Name: "combined", Args: []string{"-ft", "web"}, Want: LogsOptions{Follow: true, Timestamps: true, Tail: -1, Names: []string{"web"}}},
		{Name: "no container", Args: nil, WantErr: true},
		{Name: "bad tail", Args: []string{"--tail", "many", "web"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdLogs, func(f *cmdutil.Factory, got, want *LogsOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil // cobra passes an empty, non-nil slice
		}
	})
}

// A bad --since/--until is refused before the engine is opened.
func TestRunLogsBadSince(t *testing.T) {
	for _, o := range []*LogsOptions{{Since: "yesterday-ish"}, {Until: "not a time"}} {
		f, _, _ := testFactory()
		o.Factory, o.Names, o.Tail = f, []string{"web"}, -1
		err := runLogs(context.Background(), o)
		if !isUsage(err) || !strings.Contains(err.Error(), define.ErrInvalidArg.Error()) {
			t.Errorf("%+v: error %v, want a usage error saying invalid argument", o, err)
		}
	}
}
