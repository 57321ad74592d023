package events

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
)

var t0 = time.Date(2024, 1, 1, 12, 0, 0, 123456789, time.UTC)

func ctrEvent(status Status, name string, at time.Time) Event {
	return Event{Type: TypeContainer, Status: status, ID: strings.Repeat("3f2c", 16), Name: name,
		Image: "docker.io/library/alpine:latest", Time: at, Attributes: map[string]string{}}
}

// readAll lists the log without following it.
func readAll(t *testing.T, l *Log, o ReadOptions) []Event {
	t.Helper()
	var got []Event
	if err := l.Read(context.Background(), o, func(e *Event) error { got = append(got, *e); return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestHumanReadableIsPodmans(t *testing.T) {
	e := ctrEvent(Start, "web", t0)
	e.Attributes = map[string]string{"z": "1", "a": "b"}
	want := "2024-01-01 12:00:00.123456789 +0000 UTC container start " + e.ID + " (image=docker.io/library/alpine:latest, name=web, a=b, z=1)"
	if got := e.ToHumanReadable(false); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := e.ToHumanReadable(true); !strings.Contains(got, " start 3f2c3f2c3f2c (image=") {
		t.Errorf("truncated: %q", got)
	}
	img := Event{Type: TypeImage, Status: Pull, ID: "58cdb45bdebe", Name: "alpine", Time: t0}
	if got := img.ToHumanReadable(false); got != "2024-01-01 12:00:00.123456789 +0000 UTC image pull 58cdb45bdebe alpine" {
		t.Errorf("image: %q", got)
	}
}

func TestWriteIsOneJSONLinePerEvent(t *testing.T) {
	l := NewLog(filepath.Join(t.TempDir(), "events"))
	died := ctrEvent(Died, "web", t0)
	died.ContainerExitCode = 137
	for _, e := range []Event{ctrEvent(Create, "web", t0), died, {Type: TypeImage, Status: Pull, Name: "alpine", Time: t0}} {
		if err := l.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %q", len(lines), data)
	}
	// podman's field names and order.
	want := `{"ContainerExitCode":137,"ID":"` + died.ID + `","Image":"docker.io/library/alpine:latest","Name":"web","Status":"died","Time":"2024-01-01T12:00:00.123456789Z","Type":"container","Attributes":{}}`
	if lines[1] != want {
		t.Errorf("got  %s\nwant %s", lines[1], want)
	}
	if lines[2] != `{"Name":"alpine","Status":"pull","Time":"2024-01-01T12:00:00.123456789Z","Type":"image","Attributes":null}` {
		t.Errorf("image line %s", lines[2])
	}
	if fi, err := os.Stat(l.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("events file mode: %v %v", fi, err)
	}
	got := readAll(t, l, ReadOptions{})
	if len(got) != 3 || got[1].ContainerExitCode != 137 || got[1].Status != Died || !got[1].Time.Equal(t0) {
		t.Errorf("read back %+v", got)
	}
}

// Parallel writers (goroutines here; processes share the same path) never
// interleave lines, and rotation loses none.
func TestParallelWritesAndRotation(t *testing.T) {
	l := &Log{Dir: t.TempDir(), MaxSize: 4096}
	const writers, each = 8, 100
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := l.Write(ctrEvent(Start, fmt.Sprintf("w%d-%d", w, i), t0)); err != nil {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Wait()
	if _, err := os.Stat(l.rotatedPath()); err != nil {
		t.Fatalf("the log never rotated: %v", err)
	}
	for _, p := range []string{l.Path(), l.rotatedPath()} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue // the last write rotated it
		}
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if fi.Size() > 4096+writers*512 {
			t.Errorf("%s is %d bytes, past the limit", p, fi.Size())
		}
	}
	got := readAll(t, l, ReadOptions{})
	if len(got) == 0 || len(got) >= writers*each {
		t.Fatalf("read %d events: rotation should have dropped the oldest", len(got))
	}
	seen := map[string]bool{}
	for _, e := range got {
		if e.Status != Start || seen[e.Name] {
			t.Fatalf("torn or repeated event %+v", e)
		}
		seen[e.Name] = true
	}
}

func TestFollowSeesNewEventsAcrossRotation(t *testing.T) {
	l := &Log{Dir: t.TempDir(), MaxSize: 600}
	if err := l.Write(ctrEvent(Create, "old", t0)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan string, 100)
	done := make(chan error, 1)
	go func() {
		done <- l.Read(ctx, ReadOptions{Stream: true, Poll: 5 * time.Millisecond}, func(e *Event) error {
			got <- e.Name
			return nil
		})
	}()
	time.Sleep(50 * time.Millisecond) // the follower starts at the end: "old" is not delivered
	for i := 0; i < 10; i++ {
		if err := l.Write(ctrEvent(Start, fmt.Sprintf("n%d", i), time.Now())); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := os.Stat(l.rotatedPath()); err != nil {
		t.Fatalf("the log never rotated: %v", err)
	}
	for i := 0; i < 10; i++ {
		select {
		case name := <-got:
			if name != fmt.Sprintf("n%d", i) {
				t.Fatalf("event %d is %q", i, name)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event n%d never came", i)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("follow ended with %v", err)
	}
}

func TestSinceUntilAndStreamWithSince(t *testing.T) {
	l := NewLog(t.TempDir())
	for i := 0; i < 5; i++ {
		if err := l.Write(ctrEvent(Start, fmt.Sprint(i), t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	got := readAll(t, l, ReadOptions{Since: t0.Add(time.Minute), Until: t0.Add(3 * time.Minute)})
	if len(got) != 3 || got[0].Name != "1" || got[2].Name != "3" {
		t.Errorf("since/until: %+v", got)
	}
	// Streaming with --since delivers the past first; fn's error ends it.
	stop := errors.New("enough")
	var names []string
	err := l.Read(context.Background(), ReadOptions{Stream: true, Since: t0.Add(3 * time.Minute)}, func(e *Event) error {
		names = append(names, e.Name)
		if len(names) == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || strings.Join(names, ",") != "3,4" {
		t.Errorf("stream --since: %v %q", err, names)
	}
}

func TestParseFilters(t *testing.T) {
	web := ctrEvent(Start, "web", t0)
	web.Attributes = map[string]string{"tier": "front", "x": "1"}
	db := ctrEvent(Died, "db", t0)
	db.ID = strings.Repeat("ab", 32)
	pull := Event{Type: TypeImage, Status: Pull, ID: strings.Repeat("58", 32), Name: "alpine", Time: t0}
	all := []Event{web, db, pull}
	for _, tt := range []struct {
		filters []string
		want    string
	}{
		{nil, "web,db,alpine"},
		{[]string{"container=web"}, "web"},
		{[]string{"container=abab"}, "db"},
		{[]string{"container=web", "container=db"}, "web,db"},
		{[]string{"event=died"}, "db"},
		{[]string{"status=start"}, "web"},
		{[]string{"event=start", "status=died"}, "web,db"},
		{[]string{"type=image"}, "alpine"},
		{[]string{"TYPE=container", "event=died"}, "db"},
		{[]string{"image=5858"}, "alpine"},
		{[]string{"image=alpine"}, "web,db,alpine"},
		{[]string{"image=alpine", "type=container"}, "web,db"},
		{[]string{"image=busybox"}, ""},
		{[]string{"label=tier=front"}, "web"},
		{[]string{"label=tier"}, "web"},
		{[]string{"label=tier=back"}, ""},
		{[]string{"pod=x"}, ""},
	} {
		f, err := ParseFilters(tt.filters)
		if err != nil {
			t.Fatalf("%q: %v", tt.filters, err)
		}
		var names []string
		for i := range all {
			if f == nil || f(&all[i]) {
				names = append(names, all[i].Name)
			}
		}
		if got := strings.Join(names, ","); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.filters, got, tt.want)
		}
	}
	for _, bad := range []string{"bogus=1", "nokey", "=x"} {
		if _, err := ParseFilters([]string{bad}); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), bad) {
			t.Errorf("filter %q: %v", bad, err)
		}
	}
}

func TestParseTime(t *testing.T) {
	now := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in    string
		since bool
		want  time.Time
	}{
		{"2024-01-01T12:00:00Z", true, time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)},
		{"2024-01-01T12:00:00.5+02:00", true, time.Date(2024, 1, 1, 10, 0, 0, 5e8, time.UTC)},
		{"2024-01-01", false, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"1704110400", true, time.Unix(1704110400, 0)},
		{"1704110400.25", true, time.Unix(1704110400, 25e7)},
		{"1h30m", true, now.Add(-90 * time.Minute)},
		{"5m", false, now.Add(5 * time.Minute)}, // podman: until a duration from now
	} {
		got, err := ParseTime(tt.in, tt.since, now)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%q since=%v: got %v, %v; want %v", tt.in, tt.since, got, err, tt.want)
		}
	}
	if _, err := ParseTime("bogus", true, now); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), `"bogus"`) {
		t.Errorf("bogus: %v", err)
	}
}

// A torn or foreign line is skipped, and a line still being written is
// delivered once complete.
func TestReadSkipsBadLines(t *testing.T) {
	l := NewLog(t.TempDir())
	if err := l.Write(ctrEvent(Start, "a", t0)); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(l.Path(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, "not json\n{}\n")
	f.Close()
	if err := l.Write(ctrEvent(Start, "b", t0)); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, l, ReadOptions{})
	if len(got) != 2 || got[0].Name != "a" || got[1].Name != "b" {
		t.Errorf("got %+v", got)
	}
}
