package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/internal/netmodel"
	"io"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// Command is one command line to run on a device of a platform
// (platform.Cmd).
//
// Every line is checked here, just before it is sent, against the platform
// catalog's read-only allow-list (platform.Authorize): whatever built the
// command, only catalog lines reach a device. Empty lines and lines with
// control characters (a newline would make an interactive shell run a
// second command) are refused too.
type Command interface {
	Line() string
	Platform() netmodel.Platform
}

// authorize is the allow-list gate: platform.Authorize. This package's own
// tests swap it to drive their fake servers with lines of their own.
var authorize = platform.Authorize

// ErrNotAllowed: the line is not one of the platform's catalog commands;
// nothing was sent.
var ErrNotAllowed = errors.New("command not in the allow-list")

// Defaults for RunOpts and ShellOpts.
const (
	DefaultTimeout   = 2 * time.Minute
	DefaultMaxOutput = 64 << 20
)

// RunOpts limits one command.
type RunOpts struct {
	// Timeout bounds the command; 0 means DefaultTimeout, negative means
	// only ctx bounds it.
	Timeout time.Duration
	// MaxOutput caps the bytes kept (stdout and stderr together); beyond
	// it the rest is discarded, the channel closed and Result.Truncated
	// set. 0 means DefaultMaxOutput.
	MaxOutput int64
	// Failures are strings whose presence in the output marks the command
	// as failed (Result.Failed), e.g. "% Invalid input".
	Failures []string
}

// Result is what a command produced.
type Result struct {
	// Output is stdout (exec) or the cleaned terminal text without the
	// echoed command and the trailing prompt (shell).
	Output []byte
	// Stderr is the exec channel's stderr (empty for shells).
	Stderr []byte
	// Exit is the exit status (exec; 128+n for signal n), -1 when none
	// arrived, 0 for shells.
	Exit int
	// Signal names the signal that ended the command, if any.
	Signal string
	// Truncated: the output reached the cap and the rest was discarded.
	Truncated bool
	Duration  time.Duration
	// Failed is the first Failures string found in the output.
	Failed string
}

// errCmdTimeout is the context cause used for the per-command timer.
var errCmdTimeout = errors.New("command timeout")

func commandLine(cmd Command) (string, error) {
	if cmd == nil {
		return "", fmt.Errorf("%w: no command", ErrBadCommand)
	}
	line := cmd.Line()
	if err := checkLine(line); err != nil {
		return "", err
	}
	if err := authorize(cmd.Platform(), line); err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotAllowed, err)
	}
	return line, nil
}

func checkLine(line string) error {
	if len(bytes.TrimSpace([]byte(line))) == 0 {
		return fmt.Errorf("%w: empty", ErrBadCommand)
	}
	for _, r := range line {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: control character %q in %q", ErrBadCommand, r, line)
		}
	}
	return nil
}

func withCmdTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc, time.Duration) {
	if d == 0 {
		d = DefaultTimeout
	}
	if d < 0 {
		c, cancel := context.WithCancel(ctx)
		return c, cancel, 0
	}
	c, cancel := context.WithTimeoutCause(ctx, d, errCmdTimeout)
	return c, cancel, d
}

// failedOn returns the first failure string present in out.
func failedOn(out []byte, failures []string) string {
	for _, f := range failures {
		if f != "" && bytes.Contains(out, []byte(f)) {
			return f
		}
	}
	return ""
}

// capBuffer keeps stdout and stderr within one byte budget. It is safe for
// concurrent writers; after freeze further writes are discarded.
type capBuffer struct {
	mu        sync.Mutex
	out, err  []byte
	left      int64
	truncated bool
	frozen    bool
	over      chan struct{}
}

func newCapBuffer(max int64) *capBuffer {
	if max <= 0 {
		max = DefaultMaxOutput
	}
	return &capBuffer{left: max, over: make(chan struct{})}
}

// writer returns an io.Writer appending to stdout (false) or stderr (true).
// It never fails, so a copy keeps draining the channel.
func (c *capBuffer) writer(stderr bool) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.frozen || c.truncated {
			return len(p), nil
		}
		keep := p
		if int64(len(keep)) > c.left {
			keep = keep[:c.left]
			c.truncated = true
			close(c.over)
		}
		c.left -= int64(len(keep))
		if stderr {
			c.err = append(c.err, keep...)
		} else {
			c.out = append(c.out, keep...)
		}
		return len(p), nil
	})
}

// freeze stops writes and returns copies of the buffers.
func (c *capBuffer) freeze() (out, errOut []byte, truncated bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen = true
	return bytes.Clone(c.out), bytes.Clone(c.err), c.truncated
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// settle bounds how long an abandoned channel keeps its slot.
const settle = time.Second

// Exec runs cmd on its own exec channel and returns its output and exit
// status. A non-zero exit status is not an error. Errors: ErrTimeout
// (wrapped) when opts.Timeout expires, ctx's error when ctx is cancelled, a
// *ConnectionError when the connection or the channel breaks before an exit
// status arrives. The partial output is returned with every error.
func (c *Client) Exec(ctx context.Context, cmd Command, opts RunOpts) (Result, error) {
	res := Result{Exit: -1}
	line, err := commandLine(cmd)
	if err != nil {
		return res, err
	}
	if err := c.acquire(ctx); err != nil {
		return res, err
	}
	// The slot is freed on return, or, for an abandoned channel, once the
	// server has closed it too (see abandon).
	handedOff := false
	defer func() {
		if !handedOff {
			c.release()
		}
	}()

	start := time.Now()
	ctx, cancel, timeout := withCmdTimeout(ctx, opts.Timeout)
	defer cancel()
	log := c.log.With("command", line)

	sess, err := c.conn.NewSession()
	if err != nil {
		return res, c.sessionErr("exec", line, err)
	}
	defer sess.Close()
	buf := newCapBuffer(opts.MaxOutput)
	sess.Stdout = buf.writer(false)
	sess.Stderr = buf.writer(true)
	if err := sess.Start(line); err != nil {
		return res, c.sessionErr("exec", line, err)
	}
	log.Debug("exec started")
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()

	finish := func() {
		res.Output, res.Stderr, res.Truncated = buf.freeze()
		res.Duration = time.Since(start)
		res.Failed = failedOn(res.Output, opts.Failures)
		if res.Failed == "" {
			res.Failed = failedOn(res.Stderr, opts.Failures)
		}
	}
	// abandon closes the channel without waiting. Its slot stays taken
	// until the server confirms the close (a device may need a moment to
	// end the command), for at most settle.
	abandon := func() {
		sess.Close()
		handedOff = true
		go func() {
			t := time.NewTimer(settle)
			defer t.Stop()
			select {
			case <-done:
			case <-t.C:
			case <-c.done:
			}
			c.release()
		}()
	}

	select {
	case err := <-done:
		finish()
		return c.execResult(res, line, err, log)
	case <-buf.over:
		abandon()
		finish()
		res.Truncated = true
		log.Warn("output cap reached: channel closed", "bytes", len(res.Output)+len(res.Stderr))
		return res, nil
	case <-ctx.Done():
		abandon()
		finish()
		if context.Cause(ctx) == errCmdTimeout {
			log.Warn("command timed out", "after", timeout)
			return res, fmt.Errorf("%s: %q: no end after %s: %w", c.r.Name, line, timeout, ErrTimeout)
		}
		return res, fmt.Errorf("%s: %q: %w", c.r.Name, line, ctx.Err())
	case <-c.done:
		finish()
		return res, &ConnectionError{Host: c.r.Name, Op: "exec", Command: line, Err: c.closedErr()}
	}
}

func (c *Client) execResult(res Result, line string, err error, log *slog.Logger) (Result, error) {
	var ee *ssh.ExitError
	var em *ssh.ExitMissingError
	switch {
	case err == nil:
		res.Exit = 0
	case errors.As(err, &ee):
		res.Exit = ee.ExitStatus()
		res.Signal = ee.Signal()
	case errors.As(err, &em):
		// The channel ended without an exit status: the connection broke
		// or the remote side was cut off mid-command.
		why := errors.New("channel closed without exit status")
		if !c.alive(2 * time.Second) {
			why = fmt.Errorf("connection lost: %w", c.closedErr())
		}
		log.Warn("command cut off", "err", why)
		return res, &ConnectionError{Host: c.r.Name, Op: "exec", Command: line, Err: why}
	default:
		if !c.alive(2 * time.Second) {
			err = fmt.Errorf("%w (connection lost)", err)
		}
		return res, &ConnectionError{Host: c.r.Name, Op: "exec", Command: line, Err: err}
	}
	log.Debug("exec done", "exit", res.Exit, "bytes", len(res.Output), "duration", res.Duration)
	return res, nil
}

// sessionErr types a failure to open or start a channel.
func (c *Client) sessionErr(op, line string, err error) error {
	select {
	case <-c.done:
		return &ConnectionError{Host: c.r.Name, Op: op, Command: line, Err: c.closedErr()}
	default:
	}
	var oce *ssh.OpenChannelError
	if errors.As(err, &oce) {
		return fmt.Errorf("%s: %s %q: server refused a channel (MaxSessions too high for this device?): %w", c.r.Name, op, line, err)
	}
	return &ConnectionError{Host: c.r.Name, Op: op, Command: line, Err: err}
}
