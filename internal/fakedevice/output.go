package fakedevice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

var (
	// errReset is returned once the connection was dropped on purpose.
	errReset = errors.New("connection reset by fault")
	// errQuit is returned when the user stops the output at --More--.
	errQuit = errors.New("output stopped at --More--")
)

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// faultWriter applies the byte-level faults of one answer to its output.
type faultWriter struct {
	ctx     context.Context
	w       io.Writer
	n       int64 // bytes written for this answer
	trickle *Trickle
	stopAt  int64 // -1: no stop
	hang    bool  // at stopAt: hang (true) or reset (false)
	reset   func() error
	fired   bool
	err     error // result of fire
}

func newFaultWriter(ctx context.Context, w io.Writer, f Fault, reset func() error) *faultWriter {
	fw := &faultWriter{ctx: ctx, w: w, trickle: f.Trickle, stopAt: -1, reset: reset}
	// A hang and a reset on the same answer: the earlier one wins.
	if f.HangAfterBytes != nil {
		fw.stopAt, fw.hang = int64(*f.HangAfterBytes), true
	}
	if f.ResetAfterBytes != nil && (fw.stopAt < 0 || int64(*f.ResetAfterBytes) < fw.stopAt) {
		fw.stopAt, fw.hang = int64(*f.ResetAfterBytes), false
	}
	return fw
}

func (f *faultWriter) Write(p []byte) (int, error) {
	done := 0
	for len(p) > 0 {
		if f.stopAt >= 0 && f.n >= f.stopAt {
			return done, f.fire()
		}
		chunk := p
		if f.stopAt >= 0 && int64(len(chunk)) > f.stopAt-f.n {
			chunk = chunk[:f.stopAt-f.n]
		}
		if f.trickle != nil {
			if len(chunk) > f.trickle.Bytes {
				chunk = chunk[:f.trickle.Bytes]
			}
			if f.n > 0 {
				if err := sleep(f.ctx, time.Duration(f.trickle.Every)); err != nil {
					return done, err
				}
			}
		}
		m, err := f.w.Write(chunk)
		done += m
		f.n += int64(m)
		if err != nil {
			return done, err
		}
		p = p[m:]
	}
	return done, nil
}

// finish is called when the whole answer was written: a pending hang or
// reset happens now.
func (f *faultWriter) finish() error {
	if f.stopAt >= 0 {
		return f.fire()
	}
	return nil
}

func (f *faultWriter) fire() error {
	if !f.fired {
		f.fired = true
		switch {
		case f.hang:
			<-f.ctx.Done()
			f.err = f.ctx.Err()
		case f.reset == nil:
			f.err = errors.New("reset fault: no way to drop the connection")
		default:
			f.err = errReset
			if err := f.reset(); err != nil {
				f.err = fmt.Errorf("reset fault: %w", err)
			}
		}
	}
	return f.err
}

// moreMark is the IOS pager prompt, and moreErase the bytes IOS sends to
// take it off the line after a key.
var (
	moreMark  = []byte(" --More-- ")
	moreErase = []byte(string(bytes.Repeat([]byte{'\b'}, len(moreMark))) +
		string(bytes.Repeat([]byte{' '}, len(moreMark))) +
		string(bytes.Repeat([]byte{'\b'}, len(moreMark))))
)

// pager cuts output every lines lines with " --More-- " and reads a key:
// space shows the next page, Return the next line, any other key stops.
type pager struct {
	w       io.Writer
	lines   int
	count   int
	pending bool // a page is full: prompt before writing more
	// keyMode, when set, prepares the input for one key before the prompt
	// is written and returns the function that undoes it.
	keyMode func() (restore func())
	key     func() (byte, error)
}

func (p *pager) Write(b []byte) (int, error) {
	done := 0
	for len(b) > 0 {
		if p.pending {
			if err := p.more(); err != nil {
				return done, err
			}
		}
		// Write up to the end of the page in one call.
		end := len(b)
		for i, c := range b {
			if c == '\n' {
				p.count++
				if p.count >= p.lines {
					end = i + 1
					p.pending = true
					break
				}
			}
		}
		m, err := p.w.Write(b[:end])
		done += m
		if err != nil {
			return done, err
		}
		b = b[end:]
	}
	return done, nil
}

func (p *pager) more() error {
	if p.keyMode != nil {
		defer p.keyMode()()
	}
	if _, err := p.w.Write(moreMark); err != nil {
		return err
	}
	k, err := p.key()
	if err != nil {
		return err
	}
	if _, err := p.w.Write(moreErase); err != nil {
		return err
	}
	p.pending = false
	switch k {
	case ' ':
		p.count = 0
	case '\r', '\n':
		p.count = p.lines - 1
	default:
		return errQuit
	}
	return nil
}

// hugeBlock is 64 KiB of generated "show interfaces status" lines.
var hugeBlock = func() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 64<<10; i++ {
		fmt.Fprintf(&b, "Gi%d/0/%-3d  uplink-%05d       connected    %-4d a-full a-1000 10/100/1000BaseTX\n",
			i/48%8+1, i%48+1, i, 10+i%90)
	}
	return b.Bytes()
}()

// repeatReader yields block over and over.
type repeatReader struct {
	block []byte
	off   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.block[r.off:])
		n += c
		r.off = (r.off + c) % len(r.block)
	}
	return n, nil
}

// hugeOutput returns size bytes made of out repeated (or generated lines
// when out is empty).
func hugeOutput(out []byte, size ByteSize) io.Reader {
	block := out
	if len(block) == 0 {
		block = hugeBlock
	} else if len(block) < 32<<10 {
		// Fewer, bigger copies.
		block = bytes.Repeat(out, (32<<10)/len(out)+1)
	}
	return io.LimitReader(&repeatReader{block: block}, int64(size))
}
