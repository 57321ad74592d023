package logs

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// scanner splits the log file into records while it grows.
type scanner struct {
	r *bufio.Reader
	// pending holds the start of a record whose newline has not been
	// read yet.
	pending []byte
	// skip discards everything up to and including the next newline.
	skip bool
	// offset is the file offset up to which bytes have been consumed.
	offset int64
}

// ctxCheckEvery is how many records are read between checks of the
// context.
const ctxCheckEvery = 256

// readToEOF passes every complete record up to the end of the file to
// emit; a trailing record without its newline stays pending. It returns
// early, without error, when ctx is done.
func (s *scanner) readToEOF(ctx context.Context, emit func(Line) error) error {
	for n := 1; ; n++ {
		if n%ctxCheckEvery == 0 && ctx.Err() != nil {
			return nil
		}
		chunk, err := s.r.ReadSlice('\n')
		s.offset += int64(len(chunk))
		if s.skip {
			if err == nil {
				s.skip = false
				continue
			}
		} else {
			switch {
			case err == nil:
				rec := chunk
				if len(s.pending) > 0 {
					s.pending = append(s.pending, chunk...)
					rec = s.pending
				}
				if err := s.handle(rec, emit); err != nil {
					return err
				}
				s.pending = s.pending[:0]
				continue
			case errors.Is(err, bufio.ErrBufferFull), errors.Is(err, io.EOF):
				s.pending = append(s.pending, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			return nil
		default:
			return fmt.Errorf("reading log: %w", err)
		}
	}
}

// finish passes the pending record, which has no newline, to emit.
func (s *scanner) finish(emit func(Line) error) error {
	if s.skip || len(s.pending) == 0 {
		s.pending = s.pending[:0]
		return nil
	}
	err := s.handle(s.pending, emit)
	s.pending = s.pending[:0]
	return err
}

// handle parses one record and passes it to emit; corrupt records are
// dropped.
func (s *scanner) handle(rec []byte, emit func(Line) error) error {
	rec = bytes.TrimSuffix(rec, []byte{'\n'})
	l, err := Parse(string(rec))
	if err != nil {
		return nil
	}
	return emit(l)
}

// printer writes records to the output streams.
type printer struct {
	opts Options
	out  [2]*bufio.Writer
	// mid is true for a stream whose last record was partial, so the
	// next record continues its line.
	mid  [2]bool
	last int
	// buf is reused to assemble each record's output.
	buf []byte
}

func newPrinter(opts Options, stdout, stderr io.Writer) *printer {
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	return &printer{
		opts: opts,
		out:  [2]*bufio.Writer{bufio.NewWriter(stdout), bufio.NewWriter(stderr)},
		last: -1,
	}
}

// record prints l if it passes the time filters.
func (p *printer) record(l Line) error {
	if !p.opts.Since.IsZero() && !l.Time.After(p.opts.Since) {
		return nil
	}
	if !p.opts.Until.IsZero() && !l.Time.Before(p.opts.Until) {
		return nil
	}
	i := 0
	if l.Stream == Stderr {
		i = 1
	}
	// Both streams may end up in the same place: keep their order.
	if p.last >= 0 && p.last != i {
		if err := p.out[p.last].Flush(); err != nil {
			return fmt.Errorf("writing log output: %w", err)
		}
	}
	p.last = i
	buf := p.buf[:0]
	if p.opts.Timestamps && !p.mid[i] {
		buf = l.Time.AppendFormat(buf, TimeFormat)
		buf = append(buf, ' ')
	}
	buf = append(buf, l.Text...)
	if !l.Partial {
		buf = append(buf, '\n')
	}
	p.buf = buf[:0]
	p.mid[i] = l.Partial
	if _, err := p.out[i].Write(buf); err != nil {
		return fmt.Errorf("writing log output: %w", err)
	}
	return nil
}

// flush writes out buffered output of both streams.
func (p *printer) flush() error {
	for _, w := range p.out {
		if err := w.Flush(); err != nil {
			return fmt.Errorf("writing log output: %w", err)
		}
	}
	return nil
}
