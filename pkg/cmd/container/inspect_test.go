package container

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"

	"github.com/pod-engine/pod/libpod/define"
)

func TestNewCmdInspect(t *testing.T) {
	tests := []cmdtest.ParseCase[InspectOptions]{
		{Name: "defaults", Args: []string{"web"}, Want: InspectOptions{Format: "json", Type: "all", Names: []string{"web"}}},
		{Name: "format short", Args: []string{"-f", "{{.Id}}", "a", "b"}, Want: InspectOptions{Format: "{{.Id}}", Type: "all", Names: []string{"a", "b"}}},
		{Name: "format long", Args: []string{"--format", "{{.State.Status}}", "a"}, Want: InspectOptions{Format: "{{.State.Status}}", Type: "all", Names: []string{"a"}}},
		{Name: "type short", Args: []string{"-t", "image", "alpine"}, Want: InspectOptions{Format: "json", Type: "image", Names: []string{"alpine"}}},
		{Name: "type long", Args: []string{"--type=container", "web"}, Want: InspectOptions{Format: "json", Type: "container", Names: []string{"web"}}},
		{Name: "no name", Args: nil, WantErr: true},
		{Name: "format but no name", Args: []string{"-f", "json"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdInspect, func(f *cmdutil.Factory, got, want *InspectOptions) {
		want.Factory = f
		if len(got.Names) == 0 {
			got.Names = nil // cobra passes an empty, non-nil slice
		}
	})
}

func TestNewCmdContainerInspect(t *testing.T) {
	f, _, _ := testFactory()
	var got *InspectOptions
	err := execute(NewCmdContainerInspect(f, func(o *InspectOptions) error { got = o; return nil }), []string{"-f", "{{.Name}}", "web"})
	if !checkErr(t, err, false, got != nil) {
		return
	}
	if got.Type != "container" || got.Format != "{{.Name}}" || !reflect.DeepEqual(got.Names, []string{"web"}) {
		t.Errorf("got %+v", *got)
	}
	// container inspect has no --type.
	f, _, _ = testFactory()
	got = nil
	err = execute(NewCmdContainerInspect(f, func(o *InspectOptions) error { got = o; return nil }), []string{"--type", "image", "web"})
	checkErr(t, err, true, got != nil)
}

// A bad --type is refused before the engine is opened.
func TestRunInspectBadType(t *testing.T) {
	f, _, _ := testFactory()
	err := runInspect(context.Background(), &InspectOptions{Factory: f, Format: "json", Type: "volume", Names: []string{"x"}})
	if !isUsage(err) || !strings.Contains(err.Error(), define.ErrInvalidArg.Error()) {
		t.Fatalf("error %v, want a usage error saying invalid argument", err)
	}
}

func TestAsMap(t *testing.T) {
	type state struct{ Status string }
	v := struct {
		Id    string
		Name  string
		State state
	}{Id: "abc", Name: "web", State: state{Status: "running"}}
	m, err := asMap(v)
	if err != nil {
		t.Fatal(err)
	}
	if m["Id"] != "abc" || m["ID"] != "abc" || m["Name"] != "web" {
		t.Errorf("asMap = %v", m)
	}
	if st, ok := m["State"].(map[string]any); !ok || st["Status"] != "running" {
		t.Errorf("nested State = %#v", m["State"])
	}
	if _, err := asMap(make(chan int)); err == nil {
		t.Error("asMap of an unmarshalable value: no error")
	}
}
