package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// WriteArchive runs write with the archive's destination: the file path
// when one is given, else stdout, which must not be a terminal. A file
// that did not exist before is removed again when writing fails, so no
// half archive is left under the name.
func WriteArchive(f *Factory, path string, write func(Engine, io.Writer) error) error {
	streams := f.IOStreams
	if path == "" && IsTerminal(streams.OutFile) {
		return FlagErrorf("refusing to export to terminal. Use -o flag or redirect")
	}
	e, err := f.Engine()
	if err != nil {
		return err
	}
	if path == "" {
		return write(e, streams.Out)
	}
	_, statErr := os.Lstat(path)
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("creating file %q: %w", path, err)
	}
	err = write(e, out)
	if cerr := out.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing %q: %w", path, cerr)
	}
	if err != nil && errors.Is(statErr, fs.ErrNotExist) {
		_ = os.Remove(path)
	}
	return err
}
