package pane

import (
	"github.com/charmbracelet/bubbles/key"
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Input is a one-line text input for filters and searches: typing, paste,
// backspace/delete, left/right, home/end (ctrl+a/ctrl+e), ctrl+u, ctrl+k and
// ctrl+w. (bubbles/textinput would pull in a clipboard module this project
// does not carry; a filter needs none of it.)
type Input struct {
	Prompt      string
	Placeholder string
	// Width is the whole width of the input, prompt included.
	Width int
	// PromptStyle, TextStyle and PlaceholderStyle style the parts.
	PromptStyle, TextStyle, PlaceholderStyle lipgloss.Style
	// Mask, when set, is drawn in place of every character typed (for
	// passwords); the text itself never reaches the view.
	Mask rune

	value   []rune
	pos     int
	focused bool
}

// Focus gives the input the keyboard.
func (in *Input) Focus() { in.focused = true; in.pos = len(in.value) }

// Blur takes the keyboard away.
func (in *Input) Blur() { in.focused = false }

// Focused reports whether the input has the keyboard.
func (in Input) Focused() bool { return in.focused }

// Value is the text typed.
func (in Input) Value() string { return string(in.value) }

// SetValue replaces the text and puts the cursor at its end.
func (in *Input) SetValue(s string) {
	in.value = []rune(s)
	in.pos = len(in.value)
}

// Wipe overwrites the text in memory, then empties the input: what a
// secret answer leaves behind once it has been sent.
func (in *Input) Wipe() {
	clear(in.value[:cap(in.value)])
	in.value = in.value[:0]
	in.pos = 0
}

// Update applies a key; it reports whether the value changed.
func (in *Input) Update(msg tea.KeyMsg) bool {
	old := string(in.value)
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		r := msg.Runes
		if msg.Type == tea.KeySpace {
			r = []rune{' '}
		}
		ins := make([]rune, 0, len(r))
		for _, c := range r {
			if unicode.IsPrint(c) {
				ins = append(ins, c)
			} else if c == '\t' || c == '\n' {
				ins = append(ins, ' ')
			}
		}
		in.insert(ins)
	case tea.KeyBackspace:
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete:
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
	case tea.KeyLeft:
		in.pos = max(0, in.pos-1)
	case tea.KeyRight:
		in.pos = min(len(in.value), in.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.value)
	case tea.KeyCtrlU:
		in.value = in.value[in.pos:]
		in.pos = 0
	case tea.KeyCtrlK:
		in.value = in.value[:in.pos]
	case tea.KeyCtrlW:
		i := in.pos
		for i > 0 && in.value[i-1] == ' ' {
			i--
		}
		for i > 0 && in.value[i-1] != ' ' {
			i--
		}
		in.value = append(in.value[:i], in.value[in.pos:]...)
		in.pos = i
	}
	return string(in.value) != old
}

// insert puts rs at the cursor, in place when there is room; a grown value
// leaves no copy of the text behind in the old array.
func (in *Input) insert(rs []rune) {
	n := len(in.value) + len(rs)
	if n > cap(in.value) {
		grown := make([]rune, len(in.value), max(n, 2*cap(in.value), 16))
		copy(grown, in.value)
		clear(in.value[:cap(in.value)])
		in.value = grown
	}
	in.value = in.value[:n]
	copy(in.value[in.pos+len(rs):], in.value[in.pos:n-len(rs)])
	copy(in.value[in.pos:], rs)
	in.pos += len(rs)
}

// View draws the prompt and the text, scrolled so the cursor is visible.
func (in Input) View() string {
	p := in.PromptStyle.Render(in.Prompt)
	room := in.Width - ansi.StringWidth(in.Prompt) - 1 // one cell for the cursor at the end
	if in.Width <= 0 {
		room = len(in.value) + 1
	}
	if room < 1 {
		return Truncate(p, in.Width)
	}
	if len(in.value) == 0 && !in.focused {
		return p + in.PlaceholderStyle.Render(Truncate(in.Placeholder, room))
	}
	start := 0
	if in.pos > room {
		start = in.pos - room
	}
	end := min(len(in.value), start+room)
	value := in.value
	if in.Mask != 0 {
		value = []rune(strings.Repeat(string(in.Mask), len(in.value)))
	}
	var b strings.Builder
	b.WriteString(p)
	b.WriteString(in.TextStyle.Render(string(value[start:min(in.pos, end)])))
	if in.focused {
		if in.pos < len(in.value) {
			b.WriteString(lipgloss.NewStyle().Reverse(true).Render(string(value[in.pos])))
			if in.pos+1 < end {
				b.WriteString(in.TextStyle.Render(string(value[in.pos+1 : end])))
			}
		} else {
			b.WriteString("█")
		}
	} else if in.pos < end {
		b.WriteString(in.TextStyle.Render(string(value[in.pos:end])))
	}
	if len(in.value) == 0 && in.Placeholder != "" {
		b.WriteString(in.PlaceholderStyle.Render(Truncate(in.Placeholder, room-1)))
	}
	return b.String()
}

// FilterKey is what a key did in a pane's filter box.
type FilterKey int

// Results of HandleFilterKey.
const (
	FilterNone    FilterKey = iota // nothing the pane must act on
	FilterAccept                   // enter: keep the filter, leave the box
	FilterCancel                   // esc: clear the filter, leave the box
	FilterUp                       // move the selection up
	FilterDown                     // move the selection down
	FilterChanged                  // the text changed: filter again
)

// HandleFilterKey runs one key in a filter box the way every pane's box
// works: accept and cancel leave it (blurring the input), up and down move
// the list under it, anything else edits the text.
func HandleFilterKey(in *Input, msg tea.KeyMsg, accept, cancel key.Binding) FilterKey {
	switch {
	case key.Matches(msg, accept):
		in.Blur()
		return FilterAccept
	case key.Matches(msg, cancel):
		in.Blur()
		return FilterCancel
	case msg.Type == tea.KeyUp:
		return FilterUp
	case msg.Type == tea.KeyDown:
		return FilterDown
	}
	if in.Update(msg) {
		return FilterChanged
	}
	return FilterNone
}
