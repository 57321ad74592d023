package logs

import (
	"bytes"
	"fmt"
	"io"
)

// tailChunk is how much of the file the backward scan reads at a time.
const tailChunk = 64 << 10

// tailOffset finds where printing must start so that the last n lines of
// the size bytes of r are printed. A line is a run of P records ended by
// an F record; P records after the last F record form an incomplete line
// that counts as one. Corrupt records are not counted.
//
// The file is read backwards in chunks and only the records of the last n
// lines (and one more) are parsed. The offset returned is the start of a
// record, except for n == 0: then it is size, and skipFirst reports that
// the file does not end with a newline, so the bytes up to the next
// newline belong to a record that was already there and must be skipped.
func tailOffset(r io.ReaderAt, size int64, n int) (offset int64, skipFirst bool, err error) {
	if n == 0 || size == 0 {
		if size == 0 {
			return 0, false, nil
		}
		var last [1]byte
		if _, err := r.ReadAt(last[:], size-1); err != nil {
			return 0, false, fmt.Errorf("reading log tail: %w", err)
		}
		return size, last[0] != '\n', nil
	}
	need := n
	seenFull := false
	countedTrailing := false
	// data holds the bytes [pos, end) not yet split into records; end is
	// the start of the last record processed.
	pos := size
	var data []byte
	for {
		// The record ending at the end of data starts after the newline
		// before its own terminating newline.
		search := data
		if len(search) > 0 && search[len(search)-1] == '\n' {
			search = search[:len(search)-1]
		}
		i := bytes.LastIndexByte(search, '\n')
		if i < 0 && pos > 0 {
			start := max(pos-tailChunk, 0)
			chunk := make([]byte, pos-start, int(pos-start)+len(data))
			if _, err := r.ReadAt(chunk, start); err != nil && err != io.EOF {
				return 0, false, fmt.Errorf("reading log tail: %w", err)
			}
			data = append(chunk, data...)
			pos = start
			continue
		}
		rec := data[i+1:]
		recEnd := pos + int64(len(data))
		if l, err := Parse(string(rec)); err == nil {
			if l.Partial {
				if !seenFull && !countedTrailing {
					countedTrailing = true
					need--
				}
			} else {
				if need == 0 {
					return recEnd, false, nil
				}
				need--
				seenFull = true
			}
		}
		if i < 0 {
			return 0, false, nil
		}
		data = data[:i+1]
	}
}
