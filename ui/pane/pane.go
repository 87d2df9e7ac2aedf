// Package pane holds what the dashboard's panes share: the messages a pane
// sends the root, the frame the root draws around a pane, and small text
// helpers (fitting, truncating, cleaning raw device output for the screen).
package pane

import (
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/theme"
)

// ID names a pane for focus.
type ID int

// The focusable panes, in tab order. Detail is the bottom-right area that
// shows either the evidence or the raw viewer.
const (
	Devices ID = iota
	Findings
	Detail
	Count // number of focusable panes
)

func (id ID) String() string {
	switch id {
	case Devices:
		return "devices"
	case Findings:
		return "findings"
	case Detail:
		return "detail"
	}
	return "?"
}

// FocusMsg asks the root to move focus to a pane; Evidence also switches
// the detail area to the evidence (away from the raw viewer).
type FocusMsg struct {
	To       ID
	Evidence bool
}

// OpenRawMsg asks the root to show a raw file in the raw viewer with lines
// Start..End (1-based, inclusive) marked and in view.
type OpenRawMsg struct {
	File       string
	Start, End int
}

// A pane asks the root for something (FocusMsg, OpenRawMsg) by leaving it
// as its pending action, which the root takes right after the pane's Update
// and carries out in the same Update. A tea.Cmd would deliver it only after
// the keys already queued, so "o" then "/" typed quickly would send the "/"
// to the wrong pane.

// Outbox holds a pane's pending action; panes embed it.
type Outbox struct{ act tea.Msg }

// Ask leaves msg for the root.
func (o *Outbox) Ask(msg tea.Msg) { o.act = msg }

// TakeAction returns the pending action, if any, and clears it.
func (o *Outbox) TakeAction() tea.Msg {
	a := o.act
	o.act = nil
	return a
}

// Concerns reports whether finding f is about device name: an evidence item
// or a fix names it, or the subject is the device or starts with
// "name/" or "name:".
func Concerns(f *netmodel.Finding, name string) bool {
	if name == "" {
		return false
	}
	for _, e := range f.Evidence {
		if e.Device == name {
			return true
		}
	}
	for _, x := range f.Fix {
		if x.Device == name {
			return true
		}
	}
	s := f.Subject
	return s == name || strings.HasPrefix(s, name+"/") || strings.HasPrefix(s, name+":")
}

// WheelDelta is -1 for a wheel-up press, +1 for wheel-down, 0 otherwise.
func WheelDelta(msg tea.MouseMsg) int {
	if msg.Action != tea.MouseActionPress {
		return 0
	}
	switch msg.Button { //nolint:exhaustive // only the vertical wheel scrolls
	case tea.MouseButtonWheelUp:
		return -1
	case tea.MouseButtonWheelDown:
		return 1
	}
	return 0
}

// IsClick reports whether msg is a left-button press.
func IsClick(msg tea.MouseMsg) bool {
	return msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft
}

// Truncate cuts s (which may hold ANSI styling) to at most w cells, ending
// with an ellipsis when it was cut.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, theme.Ellipsis)
}

// Pad pads s with spaces to w cells (it does not cut).
func Pad(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// Cell truncates then pads s to exactly w cells.
func Cell(s string, w int) string { return Pad(Truncate(s, w), w) }

// Fit makes s exactly w cells wide and h lines high: extra lines are
// dropped, long lines truncated, short ones padded. Lines are never wrapped.
func Fit(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		b.WriteString(Cell(l, w))
	}
	return b.String()
}

// Frame draws style's border around body, sized w×h overall, with title set
// into the top border. The body is fitted to the inside, whose size is
// w-style.GetHorizontalFrameSize() × h-style.GetVerticalFrameSize().
func Frame(style lipgloss.Style, title, body string, w, h int) string {
	iw := w - style.GetHorizontalFrameSize()
	ih := h - style.GetVerticalFrameSize()
	if iw < 1 || ih < 0 {
		return Fit("", w, h)
	}
	out := style.Render(Fit(body, iw, ih))
	if title == "" {
		return out
	}
	nl := strings.IndexByte(out, '\n')
	if nl < 0 {
		return out
	}
	b := style.GetBorderStyle()
	bs := lipgloss.NewStyle().Foreground(style.GetBorderTopForeground())
	// ╭─ title ───╮ : corner, one rule, space, title, space, rules, corner.
	room := iw - 3
	if room < 1 {
		return out
	}
	title = Truncate(title, room)
	fill := iw - 3 - ansi.StringWidth(title)
	top := bs.Render(b.TopLeft+b.Top) + " " + title + " " +
		bs.Render(strings.Repeat(b.Top, max(0, fill))+b.TopRight)
	return top + out[nl:]
}

// Clean makes one line of raw device output safe and predictable to draw:
// tabs expand to 8-column stops, carriage returns go, other control
// characters are shown in caret notation (^[), and invalid UTF-8 becomes
// U+FFFD. Raw text never reaches the terminal unescaped.
func Clean(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	col := 0
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == '\t':
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case r == '\r':
		case r < 0x20:
			b.WriteByte('^')
			b.WriteByte(byte(r) + '@')
			col += 2
		case r == 0x7f:
			b.WriteString("^?")
			col += 2
		case r >= 0x80 && r < 0xa0:
			b.WriteRune('�')
			col++
		case r == utf8.RuneError && size == 1:
			b.WriteRune('�')
			col++
		default:
			b.WriteRune(r)
			col += ansi.StringWidth(string(r))
		}
	}
	return b.String()
}

// Wrap word-wraps s to w cells (long words are broken).
func Wrap(s string, w int) []string {
	if w < 1 {
		w = 1
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

// Clamp limits v to [lo, hi]; when hi < lo it returns lo.
func Clamp(v, lo, hi int) int {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}

// Follow returns a scroll offset that keeps rows first..last of a list in a
// window of height rows, moving offset as little as possible.
func Follow(offset, first, last, height, total int) int {
	if height <= 0 {
		return 0
	}
	if last-first+1 > height {
		last = first + height - 1
	}
	if first < offset {
		offset = first
	}
	if last >= offset+height {
		offset = last - height + 1
	}
	return Clamp(offset, 0, max(0, total-height))
}
