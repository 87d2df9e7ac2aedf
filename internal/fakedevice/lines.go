package fakedevice

import (
	"bufio"
	"io"
	"unicode/utf8"
)

// MaxLine is the longest command line kept; further bytes of a longer line
// are dropped, as a device's line buffer would.
const MaxLine = 4096

// LineReader reads command lines and single keys from a session's input.
// A line ends at "\n", "\r" or "\r\n" (a "\n" right after a "\r" is not an
// empty line). Backspace and DEL erase the previous character, NUL and
// other control characters except tab are dropped.
type LineReader struct {
	r      *bufio.Reader
	skipLF bool
}

// NewLineReader returns a LineReader reading from r.
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{r: bufio.NewReader(r)}
}

// ReadLine returns the next line without its terminator. At the end of the
// input an unterminated last line is returned with a nil error, then io.EOF.
func (l *LineReader) ReadLine() (string, error) {
	var buf []byte
	for {
		b, err := l.r.ReadByte()
		if err != nil {
			if len(buf) > 0 {
				return string(buf), nil
			}
			return "", err
		}
		if l.skipLF {
			l.skipLF = false
			if b == '\n' {
				continue
			}
		}
		switch {
		case b == '\r':
			l.skipLF = true
			return string(buf), nil
		case b == '\n':
			return string(buf), nil
		case b == '\b' || b == 0x7f:
			if len(buf) > 0 {
				_, size := utf8.DecodeLastRune(buf)
				buf = buf[:len(buf)-size]
			}
		case b < 0x20 && b != '\t':
			// dropped
		case len(buf) < MaxLine:
			buf = append(buf, b)
		}
	}
}

// ReadKey returns the next key (byte), skipping the "\n" of a "\r\n" whose
// "\r" ended the previous line.
func (l *LineReader) ReadKey() (byte, error) {
	for {
		b, err := l.r.ReadByte()
		if err != nil {
			return 0, err
		}
		if l.skipLF {
			l.skipLF = false
			if b == '\n' {
				continue
			}
		}
		if b == '\r' {
			l.skipLF = true
		}
		return b, nil
	}
}
