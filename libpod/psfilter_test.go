package libpod

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/spec"
)

func TestParseContainerFilters(t *testing.T) {
	now := time.Now()
	for _, in := range [][]string{
		nil, {"id=abc"}, {"name=web", "name=^db$"}, {"status=running", "status=stopped", "status=configured"},
		{"label=a", "label=b=c"}, {"ancestor=alpine", "exited=0"}, {"since=web", "before=db", "until=1h"},
		{"until=2024-01-01"}, {"health=healthy"}, {"volume=v"}, {"network=pasta"}, {"pod=p"}, {"restart-policy=always"},
	} {
		if _, err := ParseContainerFilters(in, now); err != nil {
			t.Errorf("ParseContainerFilters(%q): %v", in, err)
		}
	}
	for _, tt := range []struct {
		in   []string
		want string // the message names the value and the fix
	}{
		{[]string{"status"}, "key=value"},
		{[]string{"foo=bar"}, "foo is not a filter key; use one of ancestor, before"},
		{[]string{"status=sleeping"}, "use one of created, running"},
		{[]string{"name=[unclosed"}, "regular expression"},
		{[]string{"exited=x"}, "exit code"},
		{[]string{"health=bogus"}, "healthy"},
		{[]string{"until=yesterday"}, "neither a timestamp nor a duration"},
		{[]string{"restart-policy=sometimes"}, "unless-stopped"},
	} {
		_, err := ParseContainerFilters(tt.in, now)
		if !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseContainerFilters(%q) = %v, want ErrInvalidArg saying %q", tt.in, err, tt.want)
		}
	}
	flt, _ := ParseContainerFilters([]string{"since=nope"}, now)
	err := flt.Resolve(func(n string) (*Container, error) { return nil, define.ErrNoSuchCtr })
	if !errors.Is(err, define.ErrNoSuchCtr) || !strings.Contains(err.Error(), "since=nope") {
		t.Errorf("Resolve of an unknown since= container: %v", err)
	}
}

const (
	idRunning = "aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666000011112222333a"
	idExited  = "bbbb1111bbbb2222cccc3333dddd4444eeee5555ffff6666000011112222333b"
	idCreated = "cccc1111bbbb2222cccc3333dddd4444eeee5555ffff6666000011112222333c"
	idStopped = "dddd1111bbbb2222cccc3333dddd4444eeee5555ffff6666000011112222333d"
	imgAlpine = "9c6f0724472873bb50a2ae67a9e7adcb57673a183cea8b06eb778dca859181b5"
	imgBusy   = "3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741"
)

func fltCtr(id, name string, st define.ContainerStatus, code int, imageID, imageName, image string, labels map[string]string) *Container {
	return &Container{
		Config: &ContainerConfig{ID: id, Name: name, ImageID: imageID, ImageName: imageName, Image: image, Labels: labels},
		State:  &ContainerState{Status: st, ExitCode: code},
	}
}

func TestContainerFilterMatch(t *testing.T) {
	now := time.Now()
	running := fltCtr(idRunning, "web", define.StatusRunning, 0, imgAlpine, "docker.io/library/alpine:latest", "alpine", map[string]string{"app": "web", "tier": "front"})
	exited := fltCtr(idExited, "db", define.StatusExited, 3, imgBusy, "docker.io/library/busybox:1.36", "busybox:1.36", map[string]string{"app": "db"})
	created := fltCtr(idCreated, "webcache", define.StatusCreated, 0, imgAlpine, "docker.io/library/alpine:latest", "docker.io/library/alpine", nil)
	stopped := fltCtr(idStopped, "job", define.StatusExited, 0, imgBusy, "docker.io/library/busybox:1.36", "busybox:1.36", nil)
	all := []*Container{running, exited, created, stopped}
	for i, c := range all {
		c.Config.Created = now.Add(time.Duration(i-10) * time.Hour)
	}
	running.Config.Mounts = []spec.Mount{{Type: spec.MountVolume, Source: "data", Destination: "/data"}}
	exited.Config.NetworkMode = "host"
	lookup := func(n string) (*Container, error) {
		for _, c := range all {
			if c.Name() == n {
				return c, nil
			}
		}
		return nil, fmt.Errorf("no container with name or ID %q found: %w", n, define.ErrNoSuchCtr)
	}

	tests := []struct {
		filters []string
		want    []string // names matched, in the order of all
	}{
		{nil, []string{"web", "db", "webcache", "job"}},
		{[]string{"id=aaaa"}, []string{"web"}},
		{[]string{"id=" + idExited}, []string{"db"}},
		{[]string{"id=1111"}, nil}, // a prefix, not a substring
		{[]string{"id=aaaa", "id=cccc"}, []string{"web", "webcache"}},
		{[]string{"name=web"}, []string{"web", "webcache"}}, // regexp
		{[]string{"name=^web$"}, []string{"web"}},
		{[]string{"name=^(db|job)$"}, []string{"db", "job"}},
		{[]string{"status=running"}, []string{"web"}},
		{[]string{"status=created"}, []string{"webcache"}},
		{[]string{"status=exited"}, []string{"db", "job"}},
		{[]string{"status=stopped"}, []string{"db", "job"}},
		{[]string{"status=paused"}, nil},
		{[]string{"status=running", "status=created"}, []string{"web", "webcache"}},
		{[]string{"label=app"}, []string{"web", "db"}},
		{[]string{"label=app=db"}, []string{"db"}},
		{[]string{"label=app=nope"}, nil},
		{[]string{"label=tier=front", "label=app=db"}, []string{"web", "db"}},
		{[]string{"ancestor=" + imgAlpine}, []string{"web", "webcache"}},
		{[]string{"ancestor=3f57d940"}, []string{"db", "job"}},
		{[]string{"ancestor=alpine"}, []string{"web", "webcache"}},
		{[]string{"ancestor=alpine:latest"}, []string{"web", "webcache"}},
		{[]string{"ancestor=busybox:1.36"}, []string{"db", "job"}},
		{[]string{"ancestor=docker.io/library/busybox:1.36"}, []string{"db", "job"}},
		{[]string{"ancestor=busybox"}, nil}, // a name without a tag means :latest, as docker resolves it
		{[]string{"ancestor=pine"}, nil},
		{[]string{"exited=3"}, []string{"db"}},
		{[]string{"exited=0"}, []string{"job"}}, // web is running, not exited
		// different keys all apply
		{[]string{"name=web", "status=running"}, []string{"web"}},
		{[]string{"ancestor=alpine", "status=exited"}, nil},
		{[]string{"label=app", "exited=3"}, []string{"db"}},
		{[]string{"since=db"}, []string{"webcache", "job"}},
		{[]string{"before=webcache"}, []string{"web", "db"}},
		{[]string{"since=web", "before=job"}, []string{"db", "webcache"}},
		{[]string{"until=7h30m"}, []string{"web", "db", "webcache"}},
		{[]string{"volume=data"}, []string{"web"}},
		{[]string{"volume=/data"}, []string{"web"}},
		{[]string{"network=host"}, []string{"db"}},
		{[]string{"pod=any"}, nil},
		{[]string{"health=none"}, []string{"web", "db", "webcache", "job"}},
		{[]string{"health=healthy"}, nil},
		{[]string{"restart-policy=no"}, []string{"web", "db", "webcache", "job"}},
	}
	for _, tt := range tests {
		flt, err := ParseContainerFilters(tt.filters, now)
		if err != nil {
			t.Fatalf("ParseContainerFilters(%q): %v", tt.filters, err)
		}
		if err := flt.Resolve(lookup); err != nil {
			t.Fatalf("Resolve(%q): %v", tt.filters, err)
		}
		var got []string
		for _, c := range all {
			if flt.Match(c) {
				got = append(got, c.Name())
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("filters %q matched %q, want %q", tt.filters, got, tt.want)
		}
	}
}
