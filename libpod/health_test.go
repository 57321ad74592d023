package libpod

import (
	"errors"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/monitor/protocol"
)

func TestHealthOptions(t *testing.T) {
	image := &protocol.Healthcheck{Test: []string{"CMD", "check"}, Interval: 5 * time.Second}
	three := uint(3)
	one := uint(1)
	for _, tc := range []struct {
		name string
		o    HealthOptions
		img  *protocol.Healthcheck
		want *protocol.Healthcheck
		bad  bool
	}{
		{name: "none at all", want: nil},
		{name: "image's, defaults filled", img: image, want: &protocol.Healthcheck{Test: []string{"CMD", "check"}, Interval: 5 * time.Second,
			Timeout: 30 * time.Second, Retries: 3, OnFailure: "none"}},
		{name: "shell command over the image's", o: HealthOptions{Cmd: "test -f /x", Interval: "2s", Retries: &one, OnFailure: "kill"}, img: image,
			want: &protocol.Healthcheck{Test: []string{"CMD-SHELL", "test -f /x"}, Interval: 2 * time.Second, Timeout: 30 * time.Second, Retries: 1, OnFailure: "kill"}},
		{name: "JSON array", o: HealthOptions{Cmd: `["true","x"]`, Retries: &three},
			want: &protocol.Healthcheck{Test: []string{"CMD", "true", "x"}, Interval: 30 * time.Second, Timeout: 30 * time.Second, Retries: 3, OnFailure: "none"}},
		{name: "interval disabled", o: HealthOptions{Cmd: "true", Interval: "disable"},
			want: &protocol.Healthcheck{Test: []string{"CMD-SHELL", "true"}, Timeout: 30 * time.Second, Retries: 3, OnFailure: "none"}},
		{name: "none disables the image's", o: HealthOptions{Cmd: "none"}, img: image, want: nil},
		{name: "--no-healthcheck", o: HealthOptions{Disable: true}, img: image, want: nil},
		{name: "both", o: HealthOptions{Disable: true, Cmd: "true"}, bad: true},
		{name: "bad interval", o: HealthOptions{Cmd: "true", Interval: "often"}, bad: true},
		{name: "short timeout", o: HealthOptions{Cmd: "true", Timeout: "10ms"}, bad: true},
		{name: "bad action", o: HealthOptions{Cmd: "true", OnFailure: "explode"}, bad: true},
		{name: "bad JSON", o: HealthOptions{Cmd: `["true"`}, bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.check()
			if tc.bad {
				if !errors.Is(err, define.ErrInvalidArg) {
					t.Fatalf("check: %v, want an invalid-argument error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := tc.o.healthcheck(tc.img)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.want == nil && got != nil:
				t.Fatalf("got %+v, want none", got)
			case tc.want != nil && (got == nil || got.Interval != tc.want.Interval || got.Timeout != tc.want.Timeout ||
				got.Retries != tc.want.Retries || got.OnFailure != tc.want.OnFailure || len(got.Test) != len(tc.want.Test) || got.Test[0] != tc.want.Test[0]):
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
