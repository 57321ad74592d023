package build

import (
	"errors"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParse(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM $BASE AS builder\nRUN echo a \\\n  b\nRUN <<EOF\necho one\necho two\nEOF\n" +
		"FROM scratch\nCOPY --from=builder /x /y\n"
	f, err := Parse("Containerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stages) != 2 || f.Stages[0].Name != "builder" || f.Stages[0].BaseName != "$BASE" {
		t.Fatalf("stages %+v", f.Stages)
	}
	if len(f.MetaArgs) != 1 || f.MetaArgs[0].Args[0].Key != "BASE" || *f.MetaArgs[0].Args[0].Value != "alpine" {
		t.Errorf("meta args %+v", f.MetaArgs)
	}
	if f.Escape != '\\' {
		t.Errorf("escape %q", f.Escape)
	}
	run := f.Stages[0].Commands[0].(*instructions.RunCommand)
	if got := strings.Join(run.CmdLine, " "); got != "echo a   b" && got != "echo a b" {
		t.Errorf("continued RUN is %q", got)
	}
	if Line(run) != 4 {
		t.Errorf("RUN is on line %d, want 4", Line(run))
	}
	here := f.Stages[0].Commands[1].(*instructions.RunCommand)
	if len(here.Files) != 1 || here.Files[0].Data != "echo one\necho two\n" {
		t.Errorf("heredoc files %+v", here.Files)
	}
}

func TestParseEscapeDirective(t *testing.T) {
	f, err := Parse("Dockerfile", []byte("# escape=`\nFROM alpine\nRUN echo a `\n  b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Escape != '`' {
		t.Errorf("escape %q, want `", f.Escape)
	}
	if n := len(f.Stages[0].Commands); n != 1 {
		t.Errorf("%d commands, want the continued RUN only", n)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"empty", "", "no instructions"},
		{"no from", "RUN true\n", "line 1"},
		{"unknown instruction", "FROM alpine\nFROB x\n", "line 2"},
		{"bad json", "FROM alpine\nCOPY [\"a\", \n", ""},
		{"only args", "ARG A=1\n", "FROM"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("Containerfile", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("%v does not wrap ErrInvalidArg", err)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line with %q", err, tt.want)
			}
		})
	}
}

func TestStageIndex(t *testing.T) {
	f, err := Parse("Containerfile", []byte("FROM alpine AS Build\nFROM alpine\nFROM build\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		n    int
		want int
	}{
		{"build", 3, 0}, {"BUILD", 3, 0}, {"1", 3, 1}, {"1", 1, -1}, {"build", 0, -1}, {"01", 3, -1}, {"alpine", 3, -1}, {"7", 3, -1},
	} {
		if got := f.StageIndex(tt.name, tt.n); got != tt.want {
			t.Errorf("StageIndex(%q, %d) = %d, want %d", tt.name, tt.n, got, tt.want)
		}
	}
}
