package transport

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"testing"
	"time"
)

var fuzzSeeds = [][]byte{
	[]byte("line 1\r\nline 2\r\n"),
	[]byte("a\r\n --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bb\r\n"),
	[]byte("\x1b[1;32mgreen\x1b[0m\r\n\x1b]0;title\x07x\r\n"),
	[]byte("progress 1%\rprogress 100%\r\n\x1b[K\x1b[3D"),
	[]byte("---(more 45%)---\x1b[42D                \x1b[42D"),
	[]byte("sw1#"),
	[]byte("\x1b["),
	[]byte("\x1b]unterminated"),
	[]byte("\x1b[9999999999@\x1b[9999C\x1b[9999Gx"),
	[]byte("\x00\x07\x7f\b\b\b\t\r\r\n"),
}

// checkClean asserts that screen output holds only printable text, tabs and
// newlines.
func checkClean(t *testing.T, out []byte) {
	t.Helper()
	for i, b := range out {
		if (b < 0x20 && b != '\n' && b != '\t') || b == 0x7f {
			t.Fatalf("control byte %#x at %d in %q", b, i, out)
		}
	}
}

func FuzzScreen(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		var whole, parts screen
		whole.Write(data)
		n := int(split)%7 + 1
		for i := 0; i < len(data); i += n {
			parts.Write(data[i:min(i+n, len(data))])
		}
		if !bytes.Equal(whole.out, parts.out) || !bytes.Equal(whole.line, parts.line) {
			t.Fatalf("split writes differ: %q/%q vs %q/%q", whole.out, whole.line, parts.out, parts.line)
		}
		checkClean(t, whole.out)
		checkClean(t, whole.line)
		if bytes.Count(whole.out, []byte("\n")) != whole.lines {
			t.Fatalf("lines = %d for %q", whole.lines, whole.out)
		}
		if len(whole.line) >= maxLine || whole.col > maxLine {
			t.Fatalf("line %d col %d", len(whole.line), whole.col)
		}
	})
}

// FuzzPromptReader runs a shell command whose answer is the fuzz input,
// followed by the prompt, over pipes, then closes the device side. Run
// must return (done, or a typed error when the input swallowed the
// prompt), and its output must be clean text.
func FuzzPromptReader(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	prompt := regexp.MustCompile(`^sw1#\s*$`)
	f.Fuzz(func(t *testing.T, data []byte) {
		toDevR, toDevW := io.Pipe()
		fromDevR, fromDevW := io.Pipe()
		go func() {
			in := bufio.NewReader(toDevR)
			fromDevW.Write([]byte("banner\r\nsw1#"))
			if _, err := in.ReadString('\n'); err != nil {
				fromDevW.Close()
				return
			}
			// Drain paging answers while writing.
			go io.Copy(io.Discard, in)
			fromDevW.Write([]byte("show x\r\n"))
			fromDevW.Write(data)
			fromDevW.Write([]byte("\r\nsw1#"))
			fromDevW.Close()
		}()
		defer func() { toDevR.Close(); toDevW.Close(); fromDevR.Close() }()
		s, err := openShell(context.Background(), fromDevR, toDevW, ShellOpts{Prompt: prompt, Timeout: 5 * time.Second},
			nil, nil, "fuzz", func() {}, func() { toDevW.Close() })
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		res, err := s.Run(context.Background(), cmd("show x"))
		var ce *ConnectionError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("Run: %v", err)
		}
		checkClean(t, res.Output)
		if err == nil && bytes.Contains(res.Output, []byte("show x\n")) && !bytes.Contains(data, []byte("show x")) {
			t.Fatalf("echo left in output %q", res.Output)
		}
	})
}
