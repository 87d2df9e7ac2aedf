package synth

import "strconv"

// buf appends text to a byte slice; the generators write every file with it
// so that a 2,000-host site is built without fmt in the inner loops.
type buf struct{ b []byte }

func (w *buf) s(x string) { w.b = append(w.b, x...) }

func (w *buf) nl() { w.b = append(w.b, '\n') }

// line writes x and a newline.
func (w *buf) line(x string) {
	w.b = append(w.b, x...)
	w.b = append(w.b, '\n')
}

func (w *buf) i(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

func (w *buf) spaces(n int) {
	for ; n > 0; n-- {
		w.b = append(w.b, ' ')
	}
}

// left writes x padded with spaces to width (at least one space is not
// guaranteed: the caller sizes width).
func (w *buf) left(x string, width int) {
	w.s(x)
	w.spaces(width - len(x))
}

// leftInt writes n left-aligned in width.
func (w *buf) leftInt(n, width int) {
	start := len(w.b)
	w.i(n)
	w.spaces(width - (len(w.b) - start))
}

// rightInt writes n right-aligned in width.
func (w *buf) rightInt(n, width int) {
	w.spaces(width - intLen(n))
	w.i(n)
}

// right writes x right-aligned in width.
func (w *buf) right(x string, width int) {
	w.spaces(width - len(x))
	w.s(x)
}

// hex2 writes v as two lower-case hex digits.
func (w *buf) hex2(v int) {
	const digits = "0123456789abcdef"
	w.b = append(w.b, digits[(v>>4)&0xf], digits[v&0xf])
}

// bytes returns the written bytes, trimmed to their length.
func (w *buf) bytes() []byte { return w.b[:len(w.b):len(w.b)] }

func intLen(n int) int {
	if n < 0 {
		return 1 + intLen(-n)
	}
	l := 1
	for n >= 10 {
		n /= 10
		l++
	}
	return l
}
