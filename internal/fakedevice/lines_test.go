package fakedevice

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func readAll(t testing.TB, in string) []string {
	t.Helper()
	lr := NewLineReader(strings.NewReader(in))
	var out []string
	for {
		l, err := lr.ReadLine()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
}

func TestLineReader(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"show version\n", []string{"show version"}},
		{"a\r\nb\r\n", []string{"a", "b"}},
		{"a\rb\r", []string{"a", "b"}},
		{"a\n\nb", []string{"a", "", "b"}},
		{"a\r\r\nb", []string{"a", "", "b"}},
		{"a\n\r\n", []string{"a", ""}},
		{"shox\bw ver\x7f\x7f\x7fversion\n", []string{"show version"}},
		{"\b\bx\n", []string{"x"}},
		{"caf\xc3\xa9\x7f!\n", []string{"caf!"}},
		{"a\x00b\x1bc\td\n", []string{"abc\td"}},
	}
	for _, tt := range tests {
		got := readAll(t, tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("ReadLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLineReaderLongLine(t *testing.T) {
	got := readAll(t, strings.Repeat("x", MaxLine+100)+"\nnext\n")
	if len(got) != 2 || len(got[0]) != MaxLine || got[1] != "next" {
		t.Fatalf("got %d lines, first %d bytes", len(got), len(got[0]))
	}
}

func TestReadKeyAfterCRLF(t *testing.T) {
	lr := NewLineReader(strings.NewReader("cmd\r\n q"))
	if l, _ := lr.ReadLine(); l != "cmd" {
		t.Fatalf("line %q", l)
	}
	for _, want := range []byte{' ', 'q'} {
		k, err := lr.ReadKey()
		if err != nil || k != want {
			t.Fatalf("ReadKey = %q, %v; want %q", k, err, want)
		}
	}
	if _, err := lr.ReadKey(); !errors.Is(err, io.EOF) {
		t.Fatalf("ReadKey at end: %v", err)
	}
}

func FuzzLineReader(f *testing.F) {
	for _, s := range []string{"show version\r\n", "a\rb\nc\r\n\r\n", "x\b\x7fy", "\x00\x1b[A\n", strings.Repeat("z", MaxLine+1)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		lines := readAll(t, string(in))
		total := 0
		for _, l := range lines {
			if strings.ContainsAny(l, "\r\n\b\x7f\x00") {
				t.Fatalf("line %q holds a terminator or control byte", l)
			}
			if len(l) > MaxLine {
				t.Fatalf("line of %d bytes", len(l))
			}
			total += len(l)
		}
		if total > len(in) {
			t.Fatalf("%d bytes of lines from %d bytes of input", total, len(in))
		}
		// Without editing bytes, the lines are the input split at its
		// terminators.
		if !strings.ContainsAny(string(in), "\b\x7f") && !hasControl(in) {
			s := strings.ReplaceAll(string(in), "\r\n", "\n")
			s = strings.ReplaceAll(s, "\r", "\n")
			want := strings.Split(s, "\n")
			if want[len(want)-1] == "" {
				want = want[:len(want)-1]
			}
			fits := true
			for _, w := range want {
				fits = fits && len(w) <= MaxLine
			}
			if fits && strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Fatalf("lines %q, want %q", lines, want)
			}
		}
	})
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' {
			return true
		}
	}
	return false
}
