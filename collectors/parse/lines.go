package parse

import (
	"io"
	"strings"
)

// LinesReader is an io.Reader over output already split into lines (as
// Clean leaves it). Parsers read it like any reader; the line readers of
// this package take the lines as they are instead of joining and splitting
// them again, which is most of the cost of a short output.
type LinesReader struct {
	lines []string
	r     *strings.Reader
}

// NewLinesReader reads lines as their text joined by newlines.
func NewLinesReader(lines []string) *LinesReader { return &LinesReader{lines: lines} }

// Read implements io.Reader.
func (l *LinesReader) Read(p []byte) (int, error) {
	if l.r == nil {
		l.r = strings.NewReader(strings.Join(l.lines, "\n"))
	}
	return l.r.Read(p)
}

// readLines returns the lines of r: without a trailing newline's empty line
// and without carriage returns. The slice may be the reader's own: callers
// that change lines copy it first (see esxLines).
func readLines(r io.Reader) ([]string, error) {
	if lr, ok := r.(*LinesReader); ok && lr.r == nil {
		for _, l := range lr.lines {
			if strings.HasSuffix(l, "\r") {
				out := make([]string, len(lr.lines))
				for i, l := range lr.lines {
					out[i] = strings.TrimRight(l, "\r")
				}
				return out, nil
			}
		}
		return lr.lines, nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r")
	}
	return lines, nil
}
