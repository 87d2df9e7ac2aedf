package transport

import (
	"os"

	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/internal/netmodel"

	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// cmd is a command line for tests. The tests of this package run with a
// permissive allow-list gate (see TestMain) so their fake servers can be
// driven with lines of their own; TestAllowListGate* run with the real one.
type cmd string

func (c cmd) Line() string                { return string(c) }
func (c cmd) Platform() netmodel.Platform { return netmodel.IOS }

func TestMain(m *testing.M) {
	authorize = func(netmodel.Platform, string) error { return nil }
	os.Exit(m.Run())
}

// realGate runs f with the production allow-list gate.
func realGate(t *testing.T, f func()) {
	t.Helper()
	authorize = platform.Authorize
	defer func() { authorize = func(netmodel.Platform, string) error { return nil } }()
	f()
}

// pipeDevice is an interactive device on the far side of two pipes, like a
// PTY: it echoes what it receives, answers from a table and pages its
// output with " --More-- " until told "terminal length 0".
type pipeDevice struct {
	prompt    string
	banner    string
	pageLines int
	answers   map[string]string
	// obeyPagingOff: "terminal length 0" turns paging off; otherwise the
	// command fails and paging prompts stay.
	obeyPagingOff bool
	// raw, when set, replaces the normal answer: written as is, no echo.
	raw func(cmd string, w io.Writer, in *bufio.Reader) bool

	mu       sync.Mutex
	received []string
}

func (d *pipeDevice) got() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.received...)
}

func (d *pipeDevice) serve(in *bufio.Reader, out io.Writer) {
	fmt.Fprintf(out, "%s\r\n%s", d.banner, d.prompt)
	paging := d.pageLines > 0
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		d.mu.Lock()
		d.received = append(d.received, line)
		d.mu.Unlock()
		if d.raw != nil && d.raw(line, out, in) {
			continue
		}
		io.WriteString(out, line+"\r\n") // echo
		ans, ok := d.answers[line]
		switch {
		case line == "terminal length 0" && d.obeyPagingOff:
			paging = false
		case !ok:
			ans = "                 ^\r\n% Invalid input detected at '^' marker.\r\n"
		}
		lines := strings.SplitAfter(ans, "\n")
		for i, l := range lines {
			if paging && i > 0 && i%d.pageLines == 0 && l != "" {
				io.WriteString(out, " --More-- ")
				b, err := in.ReadByte()
				if err != nil {
					return
				}
				if b != ' ' {
					io.WriteString(out, "\r\n")
					break
				}
				io.WriteString(out, "\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b")
			}
			io.WriteString(out, l)
		}
		io.WriteString(out, d.prompt)
	}
}

// startPipeShell runs d behind pipes and opens a Shell on it.
func startPipeShell(t *testing.T, d *pipeDevice, opts ShellOpts) (*Shell, error) {
	t.Helper()
	toDevR, toDevW := io.Pipe()
	fromDevR, fromDevW := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.serve(bufio.NewReader(toDevR), fromDevW)
		fromDevW.Close()
	}()
	closeFn := func() {
		toDevW.Close()
		fromDevR.Close()
		toDevR.Close()
	}
	t.Cleanup(func() {
		closeFn()
		<-done
	})
	if opts.Prompt == nil {
		opts.Prompt = regexp.MustCompile(`^sw1[#>]\s*$`)
	}
	return openShell(context.Background(), fromDevR, toDevW, opts, nil, nil, "sw1", func() {}, closeFn)
}

func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "line %02d of the output\r\n", i)
	}
	return b.String()
}

func clean(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestShellPagingFallback(t *testing.T) {
	t.Parallel()
	out := numbered(25)
	d := &pipeDevice{prompt: "sw1#", banner: "Welcome to sw1", pageLines: 10, answers: map[string]string{"show version": out}}
	s, err := startPipeShell(t, d, ShellOpts{PagingOff: []Command{cmd("terminal length 0")}, Failures: []string{"% Invalid input"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := string(s.Banner()); got != "Welcome to sw1\n" {
		t.Errorf("banner = %q", got)
	}
	res, err := s.Run(context.Background(), cmd("show version"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(res.Output), clean(out); got != want {
		t.Errorf("output with paging prompts:\n%q\nwant\n%q", got, want)
	}
	if res.Failed != "" || res.Truncated {
		t.Errorf("Failed %q Truncated %v", res.Failed, res.Truncated)
	}
	// Paging-off was sent first; the device's refusal did not stop us.
	if got := d.got(); len(got) != 2 || got[0] != "terminal length 0" {
		t.Errorf("received %q", got)
	}
}

func TestShellPagingOff(t *testing.T) {
	t.Parallel()
	out := numbered(40)
	d := &pipeDevice{prompt: "sw1#", pageLines: 10, obeyPagingOff: true, answers: map[string]string{"terminal length 0": "", "show run": out}}
	s, err := startPipeShell(t, d, ShellOpts{PagingOff: []Command{cmd("terminal length 0")}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 3; i++ {
		res, err := s.Run(context.Background(), cmd("show run"))
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Output) != clean(out) {
			t.Errorf("run %d: output %q", i, res.Output)
		}
	}
}

func TestShellFailure(t *testing.T) {
	t.Parallel()
	d := &pipeDevice{prompt: "sw1>", answers: map[string]string{}}
	s, err := startPipeShell(t, d, ShellOpts{Failures: []string{"% Ambiguous", "% Invalid input"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Run(context.Background(), cmd("show bogus"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != "% Invalid input" {
		t.Errorf("Failed = %q, output %q", res.Failed, res.Output)
	}
}

func TestShellNoiseAndRedraws(t *testing.T) {
	t.Parallel()
	d := &pipeDevice{prompt: "sw1#"}
	d.raw = func(line string, w io.Writer, _ *bufio.Reader) bool {
		switch line {
		case "show noise":
			// Echo redrawn over the prompt, colours, a progress line
			// rewritten with CR, erase-to-end-of-line, a split prompt.
			io.WriteString(w, "\r\x1b[Ksw1#show noise\r\n")
			io.WriteString(w, "\x1b[1;32mInterface\x1b[0m  Status\r\n")
			io.WriteString(w, "progress  10%\rprogress 100%\r\n")
			io.WriteString(w, "abcdef\x1b[3D\x1b[KXYZ\r\n")
			io.WriteString(w, "tab\there\x07\r\n")
			io.WriteString(w, "\x1b]0;window title\x07sw")
			io.WriteString(w, "1#")
			return true
		case "show clock #":
			// The echo arrives without its newline first and ends in
			// what looks like a prompt character.
			io.WriteString(w, "show clock #")
			io.WriteString(w, "\r\n12:00:00 UTC\r\nsw1#")
			return true
		}
		return false
	}
	s, err := startPipeShell(t, d, ShellOpts{Prompt: regexp.MustCompile(`#\s*$`)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Run(context.Background(), cmd("show noise"))
	if err != nil {
		t.Fatal(err)
	}
	want := "Interface  Status\nprogress 100%\nabcXYZ\ntab\there\n"
	if string(res.Output) != want {
		t.Errorf("output %q, want %q", res.Output, want)
	}
	res, err = s.Run(context.Background(), cmd("show clock #"))
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Output) != "12:00:00 UTC\n" {
		t.Errorf("output %q", res.Output)
	}
}

func TestShellTimeoutClosesShell(t *testing.T) {
	t.Parallel()
	d := &pipeDevice{prompt: "sw1#"}
	d.raw = func(line string, w io.Writer, _ *bufio.Reader) bool {
		if line == "show hang" {
			io.WriteString(w, "show hang\r\npartial output\r\n")
			return true // and no prompt
		}
		return false
	}
	s, err := startPipeShell(t, d, ShellOpts{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), cmd("show hang"))
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if string(res.Output) != "partial output\n" {
		t.Errorf("partial output %q", res.Output)
	}
	if _, err := s.Run(context.Background(), cmd("show version")); !errors.Is(err, ErrClosed) {
		t.Errorf("after timeout: %v, want ErrClosed", err)
	}
}

func TestShellCancel(t *testing.T) {
	t.Parallel()
	d := &pipeDevice{prompt: "sw1#"}
	got := make(chan struct{})
	d.raw = func(line string, w io.Writer, _ *bufio.Reader) bool { close(got); return true } // never answers
	s, err := startPipeShell(t, d, ShellOpts{Timeout: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := s.Run(ctx, cmd("show version"))
		errc <- err
	}()
	<-got
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Run did not return within 1s of cancel")
	}
}

func TestShellEOFMidCommand(t *testing.T) {
	t.Parallel()
	d := &pipeDevice{prompt: "sw1#"}
	var closeOut func()
	d.raw = func(line string, w io.Writer, _ *bufio.Reader) bool {
		io.WriteString(w, line+"\r\nsome output\r\n")
		closeOut()
		return true
	}
	toDevR, toDevW := io.Pipe()
	fromDevR, fromDevW := io.Pipe()
	closeOut = func() { fromDevW.Close() }
	go d.serve(bufio.NewReader(toDevR), fromDevW)
	t.Cleanup(func() { toDevW.Close(); toDevR.Close(); fromDevR.Close() })
	s, err := openShell(context.Background(), fromDevR, toDevW, ShellOpts{Prompt: regexp.MustCompile(`#$`)}, nil, nil, "sw1", func() {}, func() { toDevW.Close() })
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), cmd("show version"))
	var ce *ConnectionError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *ConnectionError", err)
	}
	if string(res.Output) != "some output\n" {
		t.Errorf("partial output %q", res.Output)
	}
	if k, _ := Classify(err); k != KindReset {
		t.Errorf("Classify = %q, want %q", k, KindReset)
	}
}

func TestShellOutputCap(t *testing.T) {
	t.Parallel()
	d := &pipeDevice{prompt: "sw1#"}
	d.raw = func(line string, w io.Writer, _ *bufio.Reader) bool {
		io.WriteString(w, line+"\r\n")
		chunk := bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef012345678901234\n"), 1024)
		for i := 0; i < 64; i++ { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return true
			}
		}
		io.WriteString(w, "sw1#")
		return true
	}
	s, err := startPipeShell(t, d, ShellOpts{MaxOutput: 100 << 10})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), cmd("show tech"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || len(res.Output) > 100<<10 || len(res.Output) < 90<<10 {
		t.Errorf("Truncated %v, %d bytes", res.Truncated, len(res.Output))
	}
	if _, err := s.Run(context.Background(), cmd("show version")); !errors.Is(err, ErrClosed) {
		t.Errorf("after cap: %v, want ErrClosed", err)
	}
}

func TestShellRefusesBadCommands(t *testing.T) {
	t.Parallel()
	d := &pipeDevice{prompt: "sw1#"}
	s, err := startPipeShell(t, d, ShellOpts{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []Command{cmd(""), cmd("   "), cmd("show version\nreload"), cmd("show\rx"), nil} {
		if _, err := s.Run(context.Background(), c); !errors.Is(err, ErrBadCommand) {
			t.Errorf("Run(%v) = %v, want ErrBadCommand", c, err)
		}
	}
	if got := d.got(); len(got) != 0 {
		t.Errorf("device received %q", got)
	}
	if _, err := startPipeShell(t, &pipeDevice{prompt: "sw1#"}, ShellOpts{PagingOff: []Command{cmd("term len 0\nreload")}}); !errors.Is(err, ErrBadCommand) {
		t.Errorf("bad paging-off command: %v", err)
	}
}

func TestShellFirstPromptTimeout(t *testing.T) {
	t.Parallel()
	d := &pipeDevice{prompt: "Password: "} // not the prompt we wait for
	_, err := startPipeShell(t, d, ShellOpts{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("err = %v, want ErrTimeout", err)
	}
}

func TestDefaultMore(t *testing.T) {
	t.Parallel()
	for _, s := range []string{" --More-- ", "--More--", " -- More -- ", "---(more 45%)---", "---(more)---", "<--- More --->", "  ---- More ----", "Press any key to continue (Q to quit)"} {
		if !DefaultMore.MatchString(s) {
			t.Errorf("DefaultMore does not match %q", s)
		}
	}
	for _, s := range []string{"sw1#", "more than one", "Description: --more-- text follows here", "---"} {
		if DefaultMore.MatchString(s) {
			t.Errorf("DefaultMore matches %q", s)
		}
	}
}

func TestScreen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, out, line string }{
		{"a\r\nb", "a\n", "b"},
		{"abc\rX\n", "Xbc\n", ""},
		{"abc\b\bX\n", "aXc\n", ""},
		{"abc\x1b[2D\x1b[K\n", "a\n", ""},
		{"abc\x1b[1K\n", "   \n", ""},
		{"\x1b[31mred\x1b[0m\n", "red\n", ""},
		{"a\x1b[5Cb\n", "a     b\n", ""},
		{"abc\x1b[3GX\n", "abX\n", ""},
		{"abcd\x1b[2D\x1b[P\n", "abd\n", ""},
		{"abcd\x1b[3D\x1b[2@\n", "a  bcd\n", ""},
		{"\x1b]0;title\x1b\\x\n", "x\n", ""},
		{"\x1b(Bq\x00\x7f\n", "q\n", ""},
		{"a\x1b[?25lb", "", "ab"},
	} {
		var s screen
		s.Write([]byte(tt.in))
		if string(s.out) != tt.out || string(s.line) != tt.line {
			t.Errorf("screen(%q) = %q + %q, want %q + %q", tt.in, s.out, s.line, tt.out, tt.line)
		}
	}
}

func TestCapBuffer(t *testing.T) {
	t.Parallel()
	b := newCapBuffer(10)
	out, errw := b.writer(false), b.writer(true)
	if n, err := out.Write([]byte("123456")); n != 6 || err != nil {
		t.Fatal(n, err)
	}
	select {
	case <-b.over:
		t.Fatal("over too early")
	default:
	}
	if n, err := errw.Write([]byte("abcdef")); n != 6 || err != nil {
		t.Fatal(n, err)
	}
	<-b.over
	out.Write([]byte("more"))
	o, e, tr := b.freeze()
	if string(o) != "123456" || string(e) != "abcd" || !tr {
		t.Errorf("got %q %q %v", o, e, tr)
	}
	out.Write([]byte("x")) // after freeze: discarded, no panic
	if o2, _, _ := b.freeze(); string(o2) != "123456" {
		t.Errorf("written after freeze: %q", o2)
	}
	if newCapBuffer(0).left != DefaultMaxOutput {
		t.Error("default cap")
	}
}
