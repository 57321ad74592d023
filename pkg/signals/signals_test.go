package signals

import (
	"errors"
	"syscall"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    syscall.Signal
		wantErr bool
	}{
		{in: "TERM", want: syscall.SIGTERM},
		{in: "SIGTERM", want: syscall.SIGTERM},
		{in: "sigkill", want: syscall.SIGKILL},
		{in: "Kill", want: syscall.SIGKILL},
		{in: "15", want: syscall.SIGTERM},
		{in: "9", want: syscall.SIGKILL},
		{in: " HUP ", want: syscall.SIGHUP},
		{in: "SIGUSR1", want: syscall.SIGUSR1},
		{in: "winch", want: syscall.SIGWINCH},
		{in: "RTMIN", want: 34},
		{in: "RTMIN+3", want: 37},
		{in: "SIGRTMIN+30", want: 64},
		{in: "rtmax", want: 64},
		{in: "SIGRTMAX-2", want: 62},
		{in: "64", want: 64},
		{in: "", wantErr: true},
		{in: "0", wantErr: true},
		{in: "65", wantErr: true},
		{in: "-1", wantErr: true},
		{in: "FOO", wantErr: true},
		{in: "SIG", wantErr: true},
		{in: "RTMIN+31", wantErr: true},
		{in: "RTMIN-1", wantErr: true},
		{in: "RTMAX+1", wantErr: true},
		{in: "RTMIN+", wantErr: true},
		{in: "RTMINX", wantErr: true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.wantErr {
			if !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("Parse(%q) = %v, %v; want ErrInvalidArg", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, int(got), err, int(tt.want))
		}
	}
}
