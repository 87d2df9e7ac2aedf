package transport

import "bytes"

// screen turns the byte stream of an interactive session into the text a
// person would see: ANSI escape sequences are interpreted or dropped,
// carriage returns and backspaces move the cursor on the current line (so
// "\r\n" becomes "\n" and redrawn text overwrites), other control characters
// are dropped. Completed lines go to out; the current, unfinished line (where
// prompts and paging prompts appear) stays in line.
type screen struct {
	out   []byte
	line  []byte
	col   int
	st    escState
	param [maxParams]int
	np    int
	// paged: a paging prompt was cut from the current line; trailing
	// blanks left by its erasure are trimmed when the line completes.
	paged bool
	// lines counts completed lines since the last reset.
	lines int
}

type escState uint8

const (
	stGround escState = iota
	stEsc
	stEscArg
	stCSI
	stString
	stStringEsc
)

const (
	maxParams   = 8
	maxParamVal = 9999
	// maxCol bounds cursor movement by escape sequences.
	maxCol = 4096
	// maxLine forces a line break so that output without newlines cannot
	// grow the current line without bound.
	maxLine = 1 << 20
)

// Write feeds device output.
func (s *screen) Write(p []byte) (int, error) {
	for i := 0; i < len(p); {
		// Fast path: a run of printable bytes appended at the end of the
		// line.
		if s.st == stGround && s.col == len(s.line) {
			j := i
			for j < len(p) && p[j] >= 0x20 && p[j] != 0x7f && len(s.line)+(j-i) < maxLine-1 {
				j++
			}
			if j > i {
				s.line = append(s.line, p[i:j]...)
				s.col = len(s.line)
				i = j
				continue
			}
		}
		s.feed(p[i])
		i++
	}
	return len(p), nil
}

// reset discards everything, including the current line.
func (s *screen) reset() {
	s.out = s.out[:0]
	s.line = s.line[:0]
	s.col = 0
	s.paged = false
	s.lines = 0
}

// cut removes the current line from byte i on (a paging prompt).
func (s *screen) cut(i int) {
	if i < 0 || i > len(s.line) {
		return
	}
	s.line = s.line[:i]
	s.col = len(s.line)
	s.paged = true
}

func (s *screen) feed(b byte) {
	switch s.st {
	case stGround:
		s.ground(b)
	case stEsc:
		switch b {
		case '[':
			s.st = stCSI
			s.np = 0
			s.param = [maxParams]int{}
		case ']', 'P', 'X', '^', '_':
			s.st = stString
		case '(', ')', '*', '+', '-', '.', '/', '#', '%', ' ':
			s.st = stEscArg
		case 0x1b:
			// stay
		default:
			s.st = stGround
		}
	case stEscArg:
		s.st = stGround
	case stCSI:
		switch {
		case b >= '0' && b <= '9':
			if s.np == 0 {
				s.np = 1
			}
			if v := &s.param[s.np-1]; *v < maxParamVal {
				*v = *v*10 + int(b-'0')
			}
		case b == ';' || b == ':':
			if s.np == 0 {
				s.np = 1
			}
			if s.np < maxParams {
				s.np++
			}
		case b >= 0x3c && b <= 0x3f, b >= 0x20 && b <= 0x2f:
			// private markers and intermediates: ignored
		case b >= 0x40 && b <= 0x7e:
			s.st = stGround
			s.csi(b)
		case b == 0x1b:
			s.st = stEsc
		case b == 0x18 || b == 0x1a:
			s.st = stGround
		default:
			// C0 controls act even inside a sequence.
			s.ground(b)
		}
	case stString:
		switch b {
		case 0x07:
			s.st = stGround
		case 0x1b:
			s.st = stStringEsc
		}
	case stStringEsc:
		if b == '\\' {
			s.st = stGround
			return
		}
		s.st = stEsc
		s.feed(b)
	}
}

func (s *screen) ground(b byte) {
	switch {
	case b == 0x1b:
		s.st = stEsc
	case b == '\r':
		s.col = 0
	case b == '\n':
		s.commit()
	case b == '\b':
		if s.col > 0 {
			s.col--
		}
	case b == '\t':
		s.put(b)
	case b < 0x20 || b == 0x7f:
		// BEL, NUL, SI/SO, DEL...: nothing visible
	default:
		s.put(b)
	}
}

func (s *screen) put(b byte) {
	if s.col < len(s.line) {
		s.line[s.col] = b
	} else {
		for len(s.line) < s.col {
			s.line = append(s.line, ' ')
		}
		s.line = append(s.line, b)
	}
	s.col++
	if len(s.line) >= maxLine {
		s.commit()
	}
}

func (s *screen) commit() {
	l := s.line
	if s.paged {
		l = bytes.TrimRight(l, " ")
	}
	s.out = append(s.out, l...)
	s.out = append(s.out, '\n')
	s.line = s.line[:0]
	s.col = 0
	s.paged = false
	s.lines++
}

// arg returns parameter i, or def when absent or zero.
func (s *screen) arg(i, def int) int {
	if i >= s.np || s.param[i] == 0 {
		return def
	}
	return s.param[i]
}

func (s *screen) csi(final byte) {
	switch final {
	case 'K': // erase in line
		switch s.arg(0, 0) {
		case 0:
			if s.col < len(s.line) {
				s.line = s.line[:s.col]
			}
		case 1:
			for i := 0; i <= s.col && i < len(s.line); i++ {
				s.line[i] = ' '
			}
		case 2:
			s.line = s.line[:0]
		}
	case 'J': // erase in display: only the current line is ours
		if s.arg(0, 0) == 0 && s.col < len(s.line) {
			s.line = s.line[:s.col]
		}
	case 'D':
		s.col -= s.arg(0, 1)
		if s.col < 0 {
			s.col = 0
		}
	case 'C':
		s.col += s.arg(0, 1)
		if s.col > maxCol {
			s.col = maxCol
		}
	case 'G', '`':
		s.col = s.arg(0, 1) - 1
		if s.col > maxCol {
			s.col = maxCol
		}
	case 'P': // delete characters
		n := s.arg(0, 1)
		if s.col < len(s.line) {
			end := s.col + n
			if end > len(s.line) {
				end = len(s.line)
			}
			s.line = append(s.line[:s.col], s.line[end:]...)
		}
	case 'X': // erase characters
		n := s.arg(0, 1)
		for i := s.col; i < s.col+n && i < len(s.line); i++ {
			s.line[i] = ' '
		}
	case '@': // insert blanks
		n := s.arg(0, 1)
		if s.col < len(s.line) {
			if n > maxCol {
				n = maxCol
			}
			ins := bytes.Repeat([]byte{' '}, n)
			s.line = append(s.line[:s.col], append(ins, s.line[s.col:]...)...)
			if len(s.line) >= maxLine {
				s.commit()
			}
		}
	}
	// Everything else (colours, cursor rows, modes) has no effect on text.
}
