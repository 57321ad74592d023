package cmdutil

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are a command's standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// InFile, OutFile and ErrFile are set when the streams are real files
	// (they are handed to the container monitor for attached runs).
	InFile, OutFile, ErrFile *os.File
}

// System returns the process's own streams.
func System() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, InFile: os.Stdin, OutFile: os.Stdout, ErrFile: os.Stderr}
}

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool {
	return f != nil && term.IsTerminal(int(f.Fd()))
}

// StderrIsTerminal reports whether progress bars may be drawn.
func (s *IOStreams) StderrIsTerminal() bool { return IsTerminal(s.ErrFile) }
