package spec

import (
	"slices"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestParseNamespace(t *testing.T) {
	for v, want := range map[string]Namespace{"": {}, "private": {}, "host": {Mode: "host"}, "container:web": {Mode: "container", Target: "web"}, "ns:/proc/1/ns/pid": {Mode: "ns", Target: "/proc/1/ns/pid"}} {
		got, err := ParseNamespace("pid", v, "host", "container", "ns")
		if err != nil || got != want {
			t.Errorf("%q: %+v %v", v, got, err)
		}
	}
	for _, v := range []string{"bogus", "container", "container:", "host:x", "ns"} {
		if _, err := ParseNamespace("pid", v, "host", "container", "ns"); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
}

func TestSetNamespace(t *testing.T) {
	s := &specs.Spec{Linux: &specs.Linux{Namespaces: namespaces(true, false)}}
	SetNamespace(s, specs.PIDNamespace, "", true)
	SetNamespace(s, specs.UTSNamespace, "/proc/9/ns/uts", false)
	for _, n := range s.Linux.Namespaces {
		if n.Type == specs.PIDNamespace || (n.Type == specs.UTSNamespace && n.Path != "/proc/9/ns/uts") {
			t.Errorf("namespaces: %+v", s.Linux.Namespaces)
		}
	}
}

func TestEnvExtras(t *testing.T) {
	env := []string{"PATH=/bin", "TERM=xterm", "A=1", "X=user"}
	got := EnvExtras{Merge: []string{"PATH=/opt:${PATH}"}, Unset: []string{"TERM"}}.Adjust(env, []string{"X=user"})
	if want := []string{"PATH=/opt:/bin", "A=1", "X=user"}; !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
	got = EnvExtras{UnsetAll: true}.Adjust(env, []string{"X=user"})
	if want := []string{"X=user"}; !slices.Equal(got, want) {
		t.Errorf("unset all: got %q", got)
	}
}

func TestParsePersonalityAnnotations(t *testing.T) {
	if d, err := ParsePersonality("linux32"); err != nil || d != specs.PerLinux32 {
		t.Errorf("linux32: %v %v", d, err)
	}
	if _, err := ParsePersonality("x"); err == nil {
		t.Error("x accepted")
	}
	if m, err := ParseAnnotations([]string{"a=b=c"}); err != nil || m["a"] != "b=c" {
		t.Errorf("%v %v", m, err)
	}
	if _, err := ParseAnnotations([]string{"=x"}); err == nil {
		t.Error("=x accepted")
	}
}
