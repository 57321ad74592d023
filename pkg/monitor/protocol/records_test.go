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
