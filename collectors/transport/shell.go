package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// DefaultMore matches the paging prompts of common network operating systems
// ("--More--", " -- More -- ", "---(more 45%)---", "<--- More --->",
// "  ---- More ----", "Press any key to continue"). It is matched against
// the current, unfinished line.
var DefaultMore = regexp.MustCompile(`(?i)(-+ ?\(?more\b[^-\n]*\)? ?-+|<-+ ?more ?-+>|press any key to continue[^\n]*)\s*$`)

// ShellOpts describe an interactive session with a device.
type ShellOpts struct {
	// Prompt matches the device prompt. It is tried against the current,
	// unfinished line of output (ANSI sequences and carriage returns
	// removed), so anchor it with ^ and $: `^[\w.-]+[>#]\s*$`. Required.
	Prompt *regexp.Regexp
	// More matches a paging prompt, answered with a space and removed from
	// the output; nil means DefaultMore.
	More *regexp.Regexp
	// PagingOff commands are run once after the first prompt ("terminal
	// length 0"); like every command they pass the allow-list gate.
	PagingOff []Command
	// Failures are strings that mark a command as failed (Result.Failed).
	Failures []string
	// Term, Width and Height describe the pseudo-terminal; defaults
	// "vt100", 511 columns (so long commands are not wrapped), 24 rows.
	Term          string
	Width, Height int
	// Timeout bounds each command and the wait for the first prompt; 0
	// means DefaultTimeout, negative means only ctx.
	Timeout time.Duration
	// MaxOutput caps one command's output; 0 means DefaultMaxOutput.
	MaxOutput int64
	// Newline ends each command line; "" means "\n".
	Newline string
}

// Shell is an interactive PTY session, read up to the prompt after each
// command. Run calls are serialised. After a timeout, a truncated output or
// a connection error the shell is closed (its state is unknown) and later
// calls return ErrClosed.
type Shell struct {
	t       *term
	opts    ShellOpts
	log     *slog.Logger
	name    string
	release func()
	closeFn func()
	errHook func(error) error
	banner  []byte

	mu        sync.Mutex
	closeOnce sync.Once
	closed    chan struct{}
}

// term is the byte-level side of a shell: a pump of device output chunks, a
// writer to the device and the screen model. It is independent of SSH so it
// can be driven over a pipe.
type term struct {
	w       io.Writer
	chunks  <-chan []byte
	readErr *error
	scr     screen
	prompt  *regexp.Regexp
	more    *regexp.Regexp
	newline string
	// stop, when closed, aborts waits (the connection is gone).
	stop <-chan struct{}
}

// maxMatchLine: longer unfinished lines are not prompts.
const maxMatchLine = 4096

// pump reads r into chunks until EOF or error; err is set before chunks is
// closed.
func pump(r io.Reader, quit <-chan struct{}) (<-chan []byte, *error) {
	ch := make(chan []byte)
	var errp error
	go func() {
		defer close(ch)
		buf := make([]byte, 32<<10)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				b := bytes.Clone(buf[:n])
				select {
				case ch <- b:
				case <-quit:
					return
				}
			}
			if err != nil {
				errp = err
				return
			}
		}
	}()
	return ch, &errp
}

// termError is what read returns besides output.
type termError int

const (
	termOK termError = iota
	termTimeout
	termCancelled
	termEOF
	termStopped
	termTruncated
)

// read consumes output until the prompt. echo, if not empty, is the command
// just sent: an unfinished line ending with it is the echo, not a prompt.
func (t *term) read(ctx context.Context, echo string, max int64) termError {
	var got int64
	for {
		select {
		case b, ok := <-t.chunks:
			if !ok {
				return termEOF
			}
			if max > 0 && got+int64(len(b)) > max {
				t.scr.Write(b[:max-got])
				return termTruncated
			}
			got += int64(len(b))
			t.scr.Write(b)
			if t.atPrompt(echo) {
				return termOK
			}
		case <-ctx.Done():
			if context.Cause(ctx) == errCmdTimeout {
				return termTimeout
			}
			return termCancelled
		case <-t.stop:
			return termStopped
		}
	}
}

// atPrompt answers paging prompts and reports whether the current line is
// the device prompt.
func (t *term) atPrompt(echo string) bool {
	if len(t.scr.line) == 0 || len(t.scr.line) > maxMatchLine {
		return false
	}
	if loc := t.more.FindIndex(t.scr.line); loc != nil {
		t.scr.cut(loc[0])
		// An answer lost here shows up as a timeout.
		t.w.Write([]byte(" "))
		return false
	}
	if echo != "" && t.scr.lines == 0 && bytes.HasSuffix(bytes.TrimRight(t.scr.line, " "), []byte(echo)) {
		return false
	}
	return t.prompt.Match(t.scr.line)
}

func (t *term) send(line string) error {
	_, err := io.WriteString(t.w, line+t.newline)
	return err
}

// output returns the completed lines, without the echoed command and stray
// prompt lines before it.
func (t *term) output(echo string) []byte {
	out := t.scr.out
	for len(out) > 0 {
		i := bytes.IndexByte(out, '\n')
		first := bytes.TrimRight(out[:i], " \t")
		if len(first) == 0 && echo != "" {
			out = out[i+1:]
			continue
		}
		if echo != "" && bytes.HasSuffix(first, []byte(strings.TrimSpace(echo))) {
			out = out[i+1:]
			break
		}
		if t.prompt.Match(first) {
			out = out[i+1:]
			continue
		}
		break
	}
	return bytes.Clone(out)
}

func newTerm(r io.Reader, w io.Writer, opts ShellOpts, stop <-chan struct{}) *term {
	chunks, errp := pump(r, stop)
	t := &term{w: w, chunks: chunks, readErr: errp, prompt: opts.Prompt, more: opts.More, newline: opts.Newline, stop: stop}
	return t
}

func (o *ShellOpts) defaults() error {
	if o.Prompt == nil {
		return errors.New("shell: no prompt pattern")
	}
	if o.More == nil {
		o.More = DefaultMore
	}
	if o.Term == "" {
		o.Term = "vt100"
	}
	if o.Width <= 0 {
		o.Width = 511
	}
	if o.Height <= 0 {
		o.Height = 24
	}
	if o.Newline == "" {
		o.Newline = "\n"
	}
	if o.MaxOutput <= 0 {
		o.MaxOutput = DefaultMaxOutput
	}
	for _, p := range o.PagingOff {
		if _, err := commandLine(p); err != nil {
			return fmt.Errorf("shell: paging-off command: %w", err)
		}
	}
	return nil
}

// Shell opens an interactive PTY session, waits for the first prompt and
// sends the paging-off commands. The session holds one of the client's
// channel slots until Close.
func (c *Client) Shell(ctx context.Context, opts ShellOpts) (*Shell, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	if err := c.acquire(ctx); err != nil {
		return nil, err
	}
	sess, err := c.conn.NewSession()
	if err != nil {
		c.release()
		return nil, c.sessionErr("shell", "", err)
	}
	fail := func(err error) (*Shell, error) {
		sess.Close()
		c.release()
		return nil, err
	}
	modes := ssh.TerminalModes{ssh.ECHO: 1, ssh.TTY_OP_ISPEED: 38400, ssh.TTY_OP_OSPEED: 38400}
	if err := sess.RequestPty(opts.Term, opts.Height, opts.Width, modes); err != nil {
		return fail(c.sessionErr("shell", "", fmt.Errorf("pty request: %w", err)))
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return fail(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return fail(err)
	}
	sess.Stderr = io.Discard // a PTY merges stderr into stdout
	if err := sess.Shell(); err != nil {
		return fail(c.sessionErr("shell", "", err))
	}
	var once sync.Once
	s, err := openShell(ctx, stdout, stdin, opts, c.done, c.log, c.r.Name,
		func() { once.Do(c.release) }, func() { sess.Close() })
	if err != nil {
		return nil, c.shellErr(err)
	}
	s.errHook = c.shellErr
	return s, nil
}

// shellErr replaces a bare EOF or stop with the connection's own error.
func (c *Client) shellErr(err error) error {
	var ce *ConnectionError
	if errors.As(err, &ce) && ce.Err == errShellGone {
		select {
		case <-c.done:
			ce.Err = c.closedErr()
		default:
			if !c.alive(2 * time.Second) {
				ce.Err = fmt.Errorf("connection lost: %w", c.closedErr())
			}
		}
	}
	return err
}

var errShellGone = errors.New("session ended")

// openShell starts a shell over r/w: waits for the prompt, turns paging off.
// release frees the channel slot; closeFn closes the underlying session.
func openShell(ctx context.Context, r io.Reader, w io.Writer, opts ShellOpts, stop <-chan struct{}, log *slog.Logger, name string, release, closeFn func()) (*Shell, error) {
	if err := opts.defaults(); err != nil {
		closeFn()
		release()
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	closed := make(chan struct{})
	quit := make(chan struct{})
	go func() {
		select {
		case <-stop:
		case <-closed:
		}
		close(quit)
	}()
	s := &Shell{opts: opts, log: log.With("host", name), name: name, release: release, closeFn: closeFn, closed: closed,
		errHook: func(err error) error { return err }}
	s.t = newTerm(r, w, opts, quit)

	rctx, cancel, timeout := withCmdTimeout(ctx, opts.Timeout)
	defer cancel()
	if te := s.t.read(rctx, "", opts.MaxOutput); te != termOK {
		err := s.termErr(te, "", timeout, ctx)
		s.Close()
		return nil, fmt.Errorf("waiting for the first prompt: %w", err)
	}
	s.banner = bytes.Clone(s.t.scr.out)
	s.log.Debug("shell ready", "prompt", string(s.t.scr.line))
	for _, pc := range opts.PagingOff {
		p := pc.Line() // checked by defaults
		res, err := s.run(ctx, p)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("paging off (%q): %w", p, err)
		}
		if res.Failed != "" {
			s.log.Warn("paging-off command failed; relying on paging prompts", "command", p, "failed", res.Failed)
		}
	}
	return s, nil
}

// Banner returns what the device printed before its first prompt.
func (s *Shell) Banner() []byte { return bytes.Clone(s.banner) }

// Run sends cmd and reads up to the next prompt. Paging prompts are answered
// with a space and removed; the echoed command and the trailing prompt are
// not part of Result.Output. Errors: ErrTimeout (wrapped), ctx's error, a
// *ConnectionError if the session ends, ErrClosed after Close.
func (s *Shell) Run(ctx context.Context, cmd Command) (Result, error) {
	line, err := commandLine(cmd)
	if err != nil {
		return Result{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.run(ctx, line)
}

func (s *Shell) run(ctx context.Context, line string) (Result, error) {
	select {
	case <-s.closed:
		return Result{}, ErrClosed
	default:
	}
	start := time.Now()
	rctx, cancel, timeout := withCmdTimeout(ctx, s.opts.Timeout)
	defer cancel()
	s.t.scr.reset()
	if err := s.t.send(line); err != nil {
		s.Close()
		return Result{}, &ConnectionError{Host: s.name, Op: "shell", Command: line, Err: err}
	}
	te := s.t.read(rctx, line, s.opts.MaxOutput)
	res := Result{Output: s.t.output(line), Duration: time.Since(start)}
	res.Failed = failedOn(res.Output, s.opts.Failures)
	switch te {
	case termOK:
		s.log.Debug("shell command done", "command", line, "bytes", len(res.Output), "duration", res.Duration)
		return res, nil
	case termTruncated:
		res.Truncated = true
		s.log.Warn("output cap reached: shell closed", "command", line, "bytes", len(res.Output))
		s.Close()
		return res, nil
	}
	err := s.termErr(te, line, timeout, ctx)
	s.Close()
	return res, s.errHook(err)
}

func (s *Shell) termErr(te termError, line string, timeout time.Duration, ctx context.Context) error {
	switch te {
	case termTimeout:
		s.log.Warn("shell command timed out", "command", line, "after", timeout)
		return fmt.Errorf("%s: %q: no prompt after %s: %w", s.name, line, timeout, ErrTimeout)
	case termCancelled:
		return fmt.Errorf("%s: %q: %w", s.name, line, ctx.Err())
	case termTruncated:
		return fmt.Errorf("%s: more than %d bytes before the prompt", s.name, s.opts.MaxOutput)
	}
	err := errShellGone
	if te == termEOF && *s.t.readErr != nil && *s.t.readErr != io.EOF {
		err = *s.t.readErr
	}
	return &ConnectionError{Host: s.name, Op: "shell", Command: line, Err: err}
}

// Close ends the session and frees its channel slot.
func (s *Shell) Close() error {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.closeFn()
		s.release()
	})
	return nil
}
