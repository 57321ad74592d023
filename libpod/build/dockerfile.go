package build

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/pod-engine/pod/libpod/define"
)

// File is a parsed Containerfile.
type File struct {
	// Stages are the FROM sections, in order.
	Stages []instructions.Stage
	// MetaArgs are the ARG instructions before the first FROM.
	MetaArgs []instructions.ArgCommand
	// Escape is the escape character (the escape directive; default \).
	Escape rune
}

// Parse parses a Containerfile (heredocs, line continuations, the escape
// directive; a syntax directive is ignored). An error names the line and
// wraps define.ErrInvalidArg.
func Parse(name string, data []byte) (*File, error) {
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, located(name, err)
	}
	if len(res.AST.Children) == 0 {
		return nil, fmt.Errorf("%s: no instructions: %w", name, define.ErrInvalidArg)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, located(name, err)
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("%s: no FROM instruction: a Containerfile starts with FROM (after ARGs): %w", name, define.ErrInvalidArg)
	}
	return &File{Stages: stages, MetaArgs: metaArgs, Escape: res.EscapeToken}, nil
}

// located formats a parse error with its line, on one line.
func located(name string, err error) error {
	var le *parser.LocationError
	msg := err.Error()
	if errors.As(err, &le) {
		msg = le.Unwrap().Error()
		if len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
			return fmt.Errorf("%s: line %d: %s: %w", name, le.Locations[0][0].Start.Line, oneLine(msg), define.ErrInvalidArg)
		}
	}
	return fmt.Errorf("%s: %s: %w", name, oneLine(msg), define.ErrInvalidArg)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Line is the first line of cmd in its file (0: unknown).
func Line(cmd instructions.Command) int {
	if loc := cmd.Location(); len(loc) > 0 {
		return loc[0].Start.Line
	}
	return 0
}

// StageIndex finds the stage a name or number refers to among the first n
// stages (-1: none).
func (f *File) StageIndex(name string, n int) int {
	for i := 0; i < n && i < len(f.Stages); i++ {
		if f.Stages[i].Name != "" && strings.EqualFold(f.Stages[i].Name, name) {
			return i
		}
	}
	var k int
	if _, err := fmt.Sscanf(name, "%d", &k); err == nil && fmt.Sprint(k) == name && k >= 0 && k < n && k < len(f.Stages) {
		return k
	}
	return -1
}
