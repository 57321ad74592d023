package userns

import (
	"strings"
	"testing"
)

func TestSkipCommand(t *testing.T) {
	tests := []struct {
		args string
		skip bool
	}{
		{"pod", true},
		{"pod version", true},
		{"pod --log-level debug version", true},
		{"pod --log-level=debug version", true},
		{"pod --root=/x version", true},
		{"pod --root /x run alpine", false},
		{"pod --root=/x run alpine", false},
		{"pod --root version run", false},
		{"pod --runroot /r --storage-driver vfs --runtime crun ps", false},
		{"pod run -h", false},
		{"pod run --version", false},
		{"pod -h", true},
		{"pod --help", true},
		{"pod -v", true},
		{"pod --version", true},
		{"pod --root /x -h run", true},
		{"pod help run", true},
		{"pod completion bash", true},
		{"pod __complete run ''", true},
		{"pod __completeNoDesc run", true},
		{"pod info", false},
		{"pod --bogus version", true},
		{"pod doctor", true},
		{"pod doctor --format json", true},
		{"pod system doctor", true},
		{"pod system migrate", true},
		{"pod system migrate --new-runtime runc", true},
		{"pod system renumber", true},
		{"pod system", true},
		{"pod system info", false},
		{"pod system doctorx", false},
		{"pod system -h info", false},
		{"pod --log-level debug system --root /x doctor", true},
		{"pod system --log-level=debug doctor", true},
		{"pod system --root doctor info", false},
		{"pod -h system info", true},
		{"pod container doctor", false},
		{"pod doctor system", true},
		{"pod run system doctor", false},
		{"pod info system doctor", false},
		{"pod --tmpdir /t --volumepath /v version", true},
		{"pod --tmpdir version ps", false},
		{"pod --storage-opt a=b --runtime-flag debug run alpine", false},
		{"pod --runtime-flag debug version", true},
		{"pod --cgroup-manager cgroupfs --events-backend file --conmon /m version", true},
		{"pod --hooks-dir /h --network-config-dir /n --network-cmd-path /p version", true},
		{"pod --namespace ns --identity /id --ssh native version", true},
		{"pod --noout --syslog version", true},
		{"pod --noout ps", false},
		{"pod --url unix:/x version", true},
		{"pod --connection c version", true},
		{"pod -c version ps", false},
		{"pod -c x version", true},
		{"pod -r version", true},
		{"pod --log-level trace system --tmpdir /t doctor", true},
	}
	for _, tt := range tests {
		if got := skipCommand(strings.Fields(tt.args)); got != tt.skip {
			t.Errorf("%s: skip %v, want %v", tt.args, got, tt.skip)
		}
	}
}
