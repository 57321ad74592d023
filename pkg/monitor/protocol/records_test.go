package protocol

import (
	"strings"
	"testing"
	"time"
)

func TestSyncRecordsRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 11, 12, 123456789, time.UTC)
	for _, rec := range []SyncRecord{
		Started(1234),
		Failed("crun: executable file `nope` not found", ExitCodeNotFound),
		Failed("crun: permission denied", ExitCodeCannotInvoke),
		Failed("pod-monitor: --id is required", ExitCodePodFailed),
		Exited(NewExitFile(3, at, false)),
		Exited(NewExitFile(137, at, true)),
	} {
		line, err := Encode(rec)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(line), "}\n") || strings.Count(string(line), "\n") != 1 {
			t.Errorf("%+v encodes as %q: want one line", rec, line)
		}
		got, err := DecodeSync(line)
		if err != nil || got != rec {
			t.Errorf("round trip of %+v: %+v, %v", rec, got, err)
		}
	}
}

func TestSyncRecordWireFormat(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 11, 12, 5, time.UTC)
	for _, tc := range []struct {
		rec  SyncRecord
		want string
	}{
		{Started(7), `{"type":"started","pid":7,"exitCode":0,"oomKilled":false}`},
		{Failed("boom", 126), `{"type":"error","message":"boom","exitCode":126,"oomKilled":false}`},
		{Exited(NewExitFile(3, at, false)), `{"type":"exit","exitCode":3,"oomKilled":false,"exitedAt":"2026-11-23T10:11:12.000000005Z"}`},
	} {
		line, _ := Encode(tc.rec)
		if got := strings.TrimSpace(string(line)); got != tc.want {
			t.Errorf("wire form %s, want %s", got, tc.want)
		}
	}
}

func TestCtlRecordsRoundTrip(t *testing.T) {
	for _, rec := range []CtlRecord{Resize(24, 80), Resize(1, 65535), Cleaned()} {
		line, err := Encode(rec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeCtl(line)
		if err != nil || got != rec {
			t.Errorf("round trip of %+v: %+v, %v", rec, got, err)
		}
	}
	if line, _ := Encode(Cleaned()); string(line) != "{\"type\":\"cleaned\"}\n" {
		t.Errorf("cleaned encodes as %q", line)
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, line := range []string{"", "{", "null", `{"type":"resize"}`, `{"type":"bogus"}`, `{"pid":1}`, `["started"]`} {
		if _, err := DecodeSync([]byte(line)); err == nil {
			t.Errorf("DecodeSync(%q) accepted", line)
		}
	}
	for _, line := range []string{"", "{", `{"type":"started","pid":1}`, `{"type":"bogus"}`, `{"rows":1}`} {
		if _, err := DecodeCtl([]byte(line)); err == nil {
			t.Errorf("DecodeCtl(%q) accepted", line)
		}
	}
}

func TestExitFile(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600))
	e := NewExitFile(143, at, true)
	data, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseExitFile(data)
	if err != nil || got != e || !got.Time().Equal(at) || got.ExitCode != 143 || !got.OOMKilled {
		t.Fatalf("ParseExitFile: %+v, %v", got, err)
	}
	if rec := Exited(e); rec.ExitFile() != e || rec.Type != RecordExit {
		t.Errorf("exit record %+v does not carry the exit file %+v", rec, e)
	}
	for _, bad := range []string{"", "{}", `{"exitCode":1}`, `{"exitCode":1,"exitedAt":"yesterday"}`, `{"exitCode":"1","exitedAt":"2026-01-02T03:04:05Z"}`} {
		if _, err := ParseExitFile([]byte(bad)); err == nil {
			t.Errorf("ParseExitFile(%q) accepted", bad)
		}
	}
	if !(ExitFile{ExitedAt: "garbage"}).Time().IsZero() {
		t.Error("Time of a bad exit file is not zero")
	}
}

func TestNetworkMode(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    NetworkMode
		wantErr bool
	}{
		{"", NetworkDefault, false},
		{"default", NetworkDefault, false},
		{"private", NetworkDefault, false},
		{"bridge", NetworkDefault, false},
		{"none", NetworkNone, false},
		{"host", NetworkHost, false},
		{"pasta", NetworkPasta, false},
		{"slirp4netns", NetworkSlirp4netns, false},
		{"container:abc", "", true},
		{"mynet", "", true},
		{"NONE", "", true},
	} {
		got, err := ParseNetworkMode(tc.in)
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), tc.in) {
				t.Errorf("ParseNetworkMode(%q) = %q, %v; want an error naming it", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseNetworkMode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		m                NetworkMode
		resolved, helper bool
		pkg              string
	}{
		{NetworkDefault, false, false, ""},
		{NetworkNone, true, false, ""},
		{NetworkHost, true, false, ""},
		{NetworkPasta, true, true, "passt"},
		{NetworkSlirp4netns, true, true, "slirp4netns"},
		{NetworkContainer, true, false, ""},
		{NetworkNS, true, false, ""},
		{"bridge", false, false, ""},
	} {
		if tc.m.Resolved() != tc.resolved || tc.m.NeedsHelper() != tc.helper || tc.m.Package() != tc.pkg {
			t.Errorf("%q: resolved %v helper %v package %q", tc.m, tc.m.Resolved(), tc.m.NeedsHelper(), tc.m.Package())
		}
	}
}

func TestParseNetwork(t *testing.T) {
	for _, tc := range []struct {
		in      string
		mode    NetworkMode
		opts    []string
		wantErr string
	}{
		{"", NetworkDefault, nil, ""},
		{"pasta", NetworkPasta, nil, ""},
		{"pasta:--map-gw", NetworkPasta, []string{"--map-gw"}, ""},
		{"pasta:--map-gw,-t,8080", NetworkPasta, []string{"--map-gw", "-t", "8080"}, ""},
		{"slirp4netns:allow_host_loopback=true,mtu=1500", NetworkSlirp4netns, []string{"allow_host_loopback=true", "mtu=1500"}, ""},
		{"slirp4netns:", NetworkSlirp4netns, nil, ""},
		{"none:x", "", nil, "takes no options"},
		{"host:x", "", nil, "takes no options"},
		{"bogus:x", "", nil, `"bogus"`},
		{"container:web", NetworkContainer, []string{"web"}, ""},
		{"container:", "", nil, "container name or id"},
		{"container", "", nil, "container name or id"},
		{"ns:/run/netns/a,b", NetworkNS, []string{"/run/netns/a,b"}, ""},
		{"ns:", "", nil, "path of a network namespace"},
	} {
		mode, opts, err := ParseNetwork(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseNetwork(%q) = %q %q %v; want an error with %q", tc.in, mode, opts, err, tc.wantErr)
			}
			continue
		}
		if err != nil || mode != tc.mode || strings.Join(opts, "|") != strings.Join(tc.opts, "|") {
			t.Errorf("ParseNetwork(%q) = %q %q %v; want %q %q", tc.in, mode, opts, err, tc.mode, tc.opts)
		}
	}
}

func TestPidRecord(t *testing.T) {
	p := PidRecord{Pid: 4242, Start: 987654}
	if string(p.Bytes()) != "4242 987654\n" {
		t.Errorf("Bytes = %q", p.Bytes())
	}
	if got, err := ParsePidRecord(p.Bytes()); err != nil || got != p {
		t.Errorf("round trip: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "4242", "4242 x", "0 5", "-1 5", "12 0", "1 2 3"} {
		if _, err := ParsePidRecord([]byte(bad)); err == nil {
			t.Errorf("ParsePidRecord(%q) accepted", bad)
		}
	}
}

func TestParseRestartPolicy(t *testing.T) {
	for _, tc := range []struct {
		in      string
		policy  string
		retries uint
		bad     bool
	}{
		{"", RestartNo, 0, false},
		{"no", RestartNo, 0, false},
		{"always", RestartAlways, 0, false},
		{"unless-stopped", RestartUnlessStopped, 0, false},
		{"on-failure", RestartOnFailure, 0, false},
		{"on-failure:4", RestartOnFailure, 4, false},
		{"on-failure:x", "", 0, true},
		{"always:3", "", 0, true},
		{"sometimes", "", 0, true},
	} {
		p, n, err := ParseRestartPolicy(tc.in)
		if (err != nil) != tc.bad || p != tc.policy || n != tc.retries {
			t.Errorf("ParseRestartPolicy(%q) = %q, %d, %v", tc.in, p, n, err)
		}
	}
	if !ShouldRestart(RestartOnFailure, 2, 1, 1) || ShouldRestart(RestartOnFailure, 2, 2, 1) || ShouldRestart(RestartOnFailure, 0, 5, 0) {
		t.Error("on-failure:2 restarts a failure until two restarts, never a success")
	}
	if !ShouldRestart(RestartAlways, 0, 100, 0) || ShouldRestart(RestartNo, 0, 0, 1) || ShouldRestart("", 0, 0, 1) {
		t.Error("always restarts anything, no nothing")
	}
}

func TestHealthStateRecord(t *testing.T) {
	var s HealthState
	s.Status = HealthStarting
	s.Record(HealthResult{ExitCode: 1}, 2, true)
	if s.Status != HealthStarting || s.FailingStreak != 0 {
		t.Errorf("a failure in the start period counted: %+v", s)
	}
	s.Record(HealthResult{ExitCode: 1}, 2, false)
	if s.Status != HealthStarting || s.FailingStreak != 1 {
		t.Errorf("after one failure of two: %+v", s)
	}
	s.Record(HealthResult{ExitCode: 1}, 2, false)
	if s.Status != HealthUnhealthy {
		t.Errorf("after two failures: %+v", s)
	}
	s.Record(HealthResult{ExitCode: 0}, 2, false)
	if s.Status != HealthHealthy || s.FailingStreak != 0 {
		t.Errorf("after a success: %+v", s)
	}
	for i := 0; i < 10; i++ {
		s.Record(HealthResult{ExitCode: 0}, 2, false)
	}
	if len(s.Log) != HealthLogEntries {
		t.Errorf("the log keeps %d entries", len(s.Log))
	}
	h := Healthcheck{Test: []string{"CMD-SHELL", "curl -f x || exit 1"}}
	if got := h.Command(); len(got) != 3 || got[0] != "/bin/sh" || got[2] != "curl -f x || exit 1" {
		t.Errorf("CMD-SHELL command %q", got)
	}
	h.Test = []string{"CMD", "true", "x"}
	if got := h.Command(); len(got) != 2 || got[0] != "true" {
		t.Errorf("CMD command %q", got)
	}
}

func TestDetachKeys(t *testing.T) {
	keys, err := ParseDetachKeys(DefaultDetachKeys)
	if err != nil || string(keys) != "\x10\x11" {
		t.Fatalf("default keys %q, %v", keys, err)
	}
	for _, bad := range []string{"ctrl-1", "ctrl-", "ab", "ctrl-p,", "x,ctrl-ab"} {
		if _, err := ParseDetachKeys(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if k, _ := ParseDetachKeys("ctrl-@,ctrl-_,a"); string(k) != "\x00\x1fa" {
		t.Errorf("ctrl-@,ctrl-_,a = %q", k)
	}
	s := NewDetachScanner(keys)
	pass, det := s.Scan([]byte("ab\x10"))
	if string(pass) != "ab" || det {
		t.Errorf("a held prefix: %q %v", pass, det)
	}
	pass, det = s.Scan([]byte("c"))
	if string(pass) != "\x10c" || det {
		t.Errorf("a broken prefix is input: %q %v", pass, det)
	}
	pass, det = s.Scan([]byte("x\x10\x10\x11y"))
	if string(pass) != "x\x10" || !det {
		t.Errorf("sequence after a repeated first key: %q %v", pass, det)
	}
	if pass, det := NewDetachScanner(nil).Scan([]byte("\x10\x11")); det || string(pass) != "\x10\x11" {
		t.Error("no keys: never detaches")
	}
	if b := ResizeFrame(24, 80); b[0] != FrameResize {
		t.Error("resize frame kind")
	} else if r, c, ok := ParseResize(b[1:]); !ok || r != 24 || c != 80 {
		t.Errorf("resize round trip %d %d %v", r, c, ok)
	}
	if code, ok := ParseExit(ExitFrame(-1)[1:]); !ok || code != -1 {
		t.Errorf("exit frame round trip %d", code)
	}
}
