package system

import (
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/events"
	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdEvents(t *testing.T) {
	def := EventsOptions{Stream: true, NoTrunc: true}
	tests := []cmdtest.ParseCase[EventsOptions]{
		{Name: "defaults", Want: def},
		{Name: "everything", Args: []string{"-f", "event=start", "--filter", "type=container", "--format", "json", "--since", "1h", "--until", "5m", "--stream=false", "--no-trunc=false"},
			Want: EventsOptions{Filters: []string{"event=start", "type=container"}, Format: "json", Since: "1h", Until: "5m"}},
		{Name: "argument", Args: []string{"extra"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdEvents, func(f *cmdutil.Factory, got, want *EventsOptions) { want.Factory = f })
}

func fakeEvents() []events.Event {
	at := time.Date(2024, 1, 1, 12, 0, 0, 123456789, time.UTC)
	id := strings.Repeat("3f2c", 16)
	return []events.Event{
		{Type: events.TypeImage, Status: events.Pull, ID: strings.Repeat("58", 32), Name: "alpine", Time: at},
		{Type: events.TypeContainer, Status: events.Start, ID: id, Name: "web", Image: "docker.io/library/alpine:latest", Time: at.Add(time.Second), Attributes: map[string]string{"tier": "front"}},
		{Type: events.TypeContainer, Status: events.Died, ID: id, Name: "web", Image: "docker.io/library/alpine:latest", Time: at.Add(2 * time.Second), ContainerExitCode: 3, Attributes: map[string]string{}},
	}
}

func TestRunEvents(t *testing.T) {
	for _, tt := range []struct {
		name string
		o    EventsOptions
		want string
	}{
		{"default", EventsOptions{NoTrunc: true, Filters: []string{"type=container"}},
			"2024-01-01 12:00:01.123456789 +0000 UTC container start 3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c (image=docker.io/library/alpine:latest, name=web, tier=front)\n" +
				"2024-01-01 12:00:02.123456789 +0000 UTC container died 3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c3f2c (image=docker.io/library/alpine:latest, name=web)\n"},
		{"truncated image", EventsOptions{Filters: []string{"type=image"}},
			"2024-01-01 12:00:00.123456789 +0000 UTC image pull 585858585858 alpine\n"},
		{"template", EventsOptions{Format: "{{.Status}} {{.Name}} {{.ContainerExitCode}}", Filters: []string{"container=web"}},
			"start web 0\ndied web 3\n"},
		{"json", EventsOptions{Format: "json", Filters: []string{"event=died"}},
			`{"ContainerExitCode":3,"ID":"` + strings.Repeat("3f2c", 16) + `","Image":"docker.io/library/alpine:latest","Name":"web","Status":"died","Time":"2024-01-01T12:00:02.123456789Z","Type":"container","Attributes":{}}` + "\n"},
		{"since", EventsOptions{Format: "{{.Status}}", Since: "2024-01-01T12:00:01.5Z"}, "died\n"},
		{"until", EventsOptions{Format: "{{.Status}}", Until: "2024-01-01T12:00:00.5Z"}, "pull\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := &cmdtest.FakeEngine{EventLog: fakeEvents()}
			f, out, _ := cmdtest.FactoryWithEngine(e)
			o := tt.o
			o.Factory = f
			if err := runEvents(t.Context(), &o); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

func TestRunEventsErrors(t *testing.T) {
	for _, tt := range []struct {
		o    EventsOptions
		want string
	}{
		{EventsOptions{Filters: []string{"bogus=1"}}, `invalid filter "bogus=1"`},
		{EventsOptions{Filters: []string{"bogus"}}, `invalid filter "bogus"`},
		{EventsOptions{Since: "bogus"}, `invalid --since: "bogus"`},
		{EventsOptions{Until: "later"}, `invalid --until: "later"`},
		{EventsOptions{Format: "{{.Bogus}}"}, `can't evaluate field Bogus in type *events.Event`},
		{EventsOptions{Format: "{{.ID"}, "invalid --format"},
	} {
		e := &cmdtest.FakeEngine{EventLog: fakeEvents()}
		f, _, _ := cmdtest.FactoryWithEngine(e)
		o := tt.o
		o.Factory = f
		err := runEvents(t.Context(), &o)
		if cmdutil.ExitCode(err) != 125 || !strings.Contains(cmdutil.Message(err), tt.want) || strings.Contains(cmdutil.Message(err), "\n") {
			t.Errorf("%+v: %v, want one line with %q", tt.o, err, tt.want)
		}
	}
}
