package fakedevice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Session is one SSH session as the device program sees it.
type Session struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Command is $SSH_ORIGINAL_COMMAND. HasCommand tells an exec request
	// (even of an empty command) from an interactive session.
	Command    string
	HasCommand bool
	// User is the login name shown in some prompts; empty means root.
	User string
	// Terminal is set when the input is a terminal, so that the pager can
	// read a single key; nil otherwise.
	Terminal Terminal
	// Reset drops the SSH connection abruptly (reset_after_bytes).
	Reset func() error
	// LogPath is the file every received command is appended to; empty
	// logs nothing.
	LogPath string
}

// Terminal is the session's input terminal.
type Terminal interface {
	// KeyMode makes reads return single keys without echo and returns a
	// function that restores the previous mode.
	KeyMode() (restore func(), err error)
}

// Run answers one session and returns its exit status. With a command it
// answers that command (exec request), otherwise it runs the interactive
// CLI on Stdin until exit, quit, logout or the end of the input. A hang
// fault blocks Run until ctx is done.
func Run(ctx context.Context, d *Device, s Session) int {
	if s.User == "" {
		s.User = "root"
	}
	if s.Stdin == nil {
		s.Stdin = strings.NewReader("")
	}
	if s.Stdout == nil {
		s.Stdout = io.Discard
	}
	if s.Stderr == nil {
		s.Stderr = io.Discard
	}
	r := &runner{ctx: ctx, d: d, s: s, lr: NewLineReader(s.Stdin), out: &tailWriter{w: s.Stdout}}
	if s.HasCommand {
		return r.exec()
	}
	return r.cli()
}

type runner struct {
	ctx     context.Context
	d       *Device
	s       Session
	lr      *LineReader
	out     *tailWriter
	pageLen int // 0: paging off
	prompt  string
}

func (r *runner) exec() int {
	r.log(r.s.Command)
	if r.d.Spec.Mode == ModePTY {
		fmt.Fprintf(r.s.Stderr, "%s: exec request refused: only interactive sessions are accepted\n", r.d.Spec.Name)
		return 1
	}
	code, _ := r.answer(strings.TrimRight(r.s.Command, "\r\n"), false)
	return code
}

func (r *runner) cli() int {
	if r.d.Spec.Paging && r.d.platform.pages {
		r.pageLen = r.d.Spec.PageLines
	}
	r.prompt = r.d.Prompt(r.s.User)
	banner := fmt.Sprintf("\n%s: authorized access only\n\n", r.d.Spec.Name)
	if r.d.Spec.Banner != nil {
		banner = *r.d.Spec.Banner
	}
	if _, err := io.WriteString(r.out, banner+r.prompt); err != nil {
		return 1
	}
	for {
		line, err := r.lr.ReadLine()
		if err != nil {
			return 0
		}
		if strings.TrimSpace(line) != "" {
			r.log(line)
		}
		code, end := r.answer(line, true)
		if end {
			return code
		}
		if _, err := io.WriteString(r.out, r.prompt); err != nil {
			return 1
		}
	}
}

// answer writes the answer to one command line and returns the exit status
// and whether the session is over.
func (r *runner) answer(line string, interactive bool) (code int, end bool) {
	n := normalize(line)
	if n == "" {
		return 0, false
	}
	switch strings.ToLower(n) {
	case "exit", "quit", "logout":
		return 0, true
	}
	key, noMore := n, false
	if r.d.platform.noMore {
		if k, ok := strings.CutSuffix(n, " | no-more"); ok {
			key, noMore = k, true
		}
	}
	f := r.d.fault(key)
	if err := sleep(r.ctx, time.Duration(f.Delay)); err != nil {
		return 1, true
	}
	if reply, pageLen, ok := r.d.platform.session(strings.Fields(n)); ok {
		if pageLen >= 0 && r.d.platform.pages {
			r.pageLen = pageLen
		}
		if _, err := io.WriteString(r.out, reply); err != nil {
			return 1, true
		}
		return 0, false
	}
	if !r.d.Known(key) {
		return r.invalid(line, interactive)
	}

	out := r.d.outputs[key]
	var src io.Reader = bytes.NewReader(out)
	if f.Huge > 0 {
		src = hugeOutput(out, f.Huge)
	}
	fw := newFaultWriter(r.ctx, r.out, f, r.s.Reset)
	var w io.Writer = fw
	if interactive && r.pageLen > 0 && !noMore {
		w = &pager{w: fw, lines: r.pageLen, keyMode: r.keyMode, key: r.lr.ReadKey}
	}
	r.out.last = '\n'
	_, err := io.CopyBuffer(w, src, make([]byte, 256<<10))
	if err == nil {
		err = fw.finish()
	}
	switch {
	case err == nil:
	case errors.Is(err, errQuit):
		// The pager erased its mark: the prompt goes on the cleared line.
		return 0, false
	case errors.Is(err, errReset):
		return 255, true
	default:
		if r.ctx.Err() == nil && !errors.Is(err, io.EOF) {
			fmt.Fprintf(r.s.Stderr, "%s: %v\n", r.d.Spec.Name, err)
		}
		return 1, true
	}
	if interactive && r.out.last != '\n' {
		if _, err := io.WriteString(r.out, "\n"); err != nil {
			return 1, true
		}
	}
	return 0, false
}

// invalid reports an unknown command the way the platform does.
func (r *runner) invalid(line string, interactive bool) (int, bool) {
	e := badInput{line: line, prompt: r.prompt, exec: !interactive}
	if !interactive {
		e.prompt = ""
	}
	e.words, e.starts = fields(line)
	e.bad = r.d.badWord(e.words)
	text, toStderr, code := r.d.platform.invalid(e)
	w := io.Writer(r.out)
	if toStderr {
		w = r.s.Stderr
	}
	if _, err := io.WriteString(w, text); err != nil {
		return 1, true
	}
	return code, false
}

// keyMode puts the terminal, if any, into single-key mode for the pager.
func (r *runner) keyMode() func() {
	if r.s.Terminal == nil {
		return func() {}
	}
	restore, err := r.s.Terminal.KeyMode()
	if err != nil {
		return func() {}
	}
	return restore
}

func (r *runner) log(cmd string) {
	if r.s.LogPath == "" {
		return
	}
	if err := AppendLog(r.s.LogPath, cmd); err != nil {
		fmt.Fprintf(r.s.Stderr, "%s: %v\n", r.d.Spec.Name, err)
	}
}

// badWord returns the index of the first word that no known command has at
// that position after the same words, or len(words) when the words are the
// start of a known command.
func (d *Device) badWord(words []string) int {
	best := 0
	for _, k := range d.words {
		i := 0
		for i < len(words) && i < len(k) && words[i] == k[i] {
			i++
		}
		best = max(best, i)
	}
	return best
}

// fields splits s like strings.Fields and also returns each field's offset.
func fields(s string) ([]string, []int) {
	var words []string
	var starts []int
	start := -1
	for i := 0; i <= len(s); i++ {
		space := i == len(s) || s[i] == ' ' || s[i] == '\t'
		switch {
		case space && start >= 0:
			words = append(words, s[start:i])
			starts = append(starts, start)
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	return words, starts
}

// tailWriter remembers the last byte written.
type tailWriter struct {
	w    io.Writer
	last byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	if n > 0 {
		t.last = p[n-1]
	}
	return n, err
}

// AppendLog appends one received command to the log at path, one command a
// line. A command holding a line break or starting with a double quote is
// written as a Go quoted string.
func AppendLog(path, cmd string) error {
	if strings.ContainsAny(cmd, "\r\n") || strings.HasPrefix(cmd, `"`) {
		cmd = strconv.Quote(cmd)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(cmd + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadLog returns the commands logged at path by AppendLog, oldest first.
func ReadLog(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if !strings.HasSuffix(l, "\n") {
			continue // empty tail, or a line still being written
		}
		l = strings.TrimSuffix(l, "\n")
		if strings.HasPrefix(l, `"`) {
			if u, err := strconv.Unquote(l); err == nil {
				l = u
			}
		}
		out = append(out, l)
	}
	return out, nil
}
