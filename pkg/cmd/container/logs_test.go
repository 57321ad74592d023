package container

import (
	"github.com/pod-engine/pod/pkg/cmdutil"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestNewCmdLogs(t *testing.T) {
	tests := []parseCase[LogsOptions]{
		{name: "defaults", args: []string{"web"}, want: LogsOptions{Tail: -1, Names: []string{"web"}}},
		{name: "follow", args: []string{"-f", "web"}, want: LogsOptions{Follow: true, Tail: -1, Names: []string{"web"}}},
		{name: "tail", args: []string{"--tail", "5", "web"}, want: LogsOptions{Tail: 5, Names: []string{"web"}}},
		{name: "tail zero", args: []string{"--tail=0", "web"}, want: LogsOptions{Tail: 0, Names: []string{"web"}}},
		{name: "timestamps", args: []string{"-t", "web"}, want: LogsOptions{Timestamps: true, Tail: -1, Names: []string{"web"}}},
		{name: "since until", args: []string{"--since", "10m", "--until", "2024-01-02T03:04:05Z", "a", "b"},
			want: LogsOptions{Tail: -1, Since: "10m", Until: "2024-01-02T03:04:05Z", Names: []string{"a", "b"}}},
		{name: "combined", args: []string{"-ft", "web"}, want: LogsOptions{Follow: true, Timestamps: true, Tail: -1, Names: []string{"web"}}},
		{name: "no container", args: nil, wantErr: true},
		{name: "bad tail", args: []string{"--tail", "many", "web"}, wantErr: true},
	}
	checkParse(t, tests, NewCmdLogs, func(f *cmdutil.Factory, got, want *LogsOptions) {
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
		err := runLogs(nil, o)
		if !isUsage(err) || !strings.Contains(err.Error(), define.ErrInvalidArg.Error()) {
			t.Errorf("%+v: error %v, want a usage error saying invalid argument", o, err)
		}
	}
}
