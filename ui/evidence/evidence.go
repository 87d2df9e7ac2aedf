// Package evidence shows the selected finding in full: why it matters, each
// evidence item with the raw lines it cites (with context, line numbers and
// the cited lines marked), and the fix commands per device. It scrolls in a
// bubbles viewport; "o" opens the current evidence item in the raw viewer.
package evidence

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/keys"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/theme"
)

// Context is how many raw lines are shown before and after a cited range.
const Context = 3

// ProseWidth caps the width prose (why, notes) wraps at, for reading on
// wide terminals; raw lines use the whole width.
const ProseWidth = 100

// KeyMap is the evidence pane's bindings.
type KeyMap struct {
	keys.Nav
	NextItem key.Binding
	PrevItem key.Binding
	Open     key.Binding
}

// DefaultKeyMap returns the evidence pane's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Nav:      keys.DefaultNav(),
		NextItem: key.NewBinding(key.WithKeys("]", "n"), key.WithHelp("]/n", "next item")),
		PrevItem: key.NewBinding(key.WithKeys("[", "p"), key.WithHelp("[/p", "previous item")),
		Open:     key.NewBinding(key.WithKeys("o", "enter"), key.WithHelp("o", "open raw")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Move, k.NextItem, k.Open}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Bindings(), {k.NextItem, k.PrevItem, k.Open}}
}

// Model is the evidence pane.
type Model struct {
	pane.Outbox
	t       *theme.Theme
	keys    KeyMap
	snap    *netmodel.Snapshot
	f       *netmodel.Finding
	vp      viewport.Model
	items   []int // first content line of each evidence item
	cur     int   // current evidence item
	w, h    int
	focused bool
}

// New builds the pane; raw lines are looked up in snap.
func New(snap *netmodel.Snapshot) Model {
	return Model{t: theme.Get(), keys: DefaultKeyMap(), snap: snap, vp: viewport.New(0, 0)}
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the inside size of the pane.
func (m *Model) SetSize(w, h int) {
	if w == m.w && h == m.h {
		return
	}
	m.w, m.h = w, h
	m.vp.Width, m.vp.Height = w, h
	y := m.vp.YOffset
	m.render()
	m.vp.SetYOffset(y)
}

// SetFocused tells the pane whether it has focus.
func (m *Model) SetFocused(f bool) {
	if m.focused != f {
		m.focused = f
		m.render()
	}
}

// KeyMap returns the pane's bindings for help.
func (m Model) KeyMap() KeyMap { return m.keys }

// Capturing reports whether a text input has the keyboard (never here).
func (m Model) Capturing() bool { return false }

// Finding returns the finding shown (nil for none).
func (m Model) Finding() *netmodel.Finding { return m.f }

// SetFinding shows f (nil for none) from the top; a new version of the
// finding shown (same rule and subject, from a new collection) keeps the
// scroll position and the current item.
func (m *Model) SetFinding(f *netmodel.Finding) {
	if f != nil && m.f != nil && f.Key() == m.f.Key() {
		y := m.vp.YOffset
		m.f = f
		m.cur = pane.Clamp(m.cur, 0, max(0, len(f.Evidence)-1))
		m.render()
		m.vp.SetYOffset(y)
		return
	}
	m.f = f
	m.cur = 0
	m.render()
	m.vp.GotoTop()
}

// SetSnapshot replaces the snapshot raw lines are looked up in (a new
// collection's), keeping the finding shown and the scroll position.
func (m *Model) SetSnapshot(snap *netmodel.Snapshot) {
	m.snap = snap
	y := m.vp.YOffset
	m.render()
	m.vp.SetYOffset(y)
}

// Current returns the index of the current evidence item.
func (m Model) Current() int { return m.cur }

// YOffset is the scroll position.
func (m Model) YOffset() int { return m.vp.YOffset }

// Title describes the pane's state for its frame.
func (m Model) Title() string {
	if m.f == nil {
		return ""
	}
	s := ""
	if n := len(m.f.Evidence); n > 0 {
		s = fmt.Sprintf("item %d/%d", m.cur+1, n)
	}
	if m.vp.TotalLineCount() > m.vp.Height {
		if s != "" {
			s += " · "
		}
		s += fmt.Sprintf("%d%%", int(m.vp.ScrollPercent()*100+0.5))
	}
	return s
}

// Update implements tea.Model. Keys arrive only when the pane has focus;
// mouse messages when the pointer is over it.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.vp.ScrollUp(1)
		case key.Matches(msg, m.keys.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, m.keys.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, m.keys.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, m.keys.Home):
			m.vp.GotoTop()
		case key.Matches(msg, m.keys.End):
			m.vp.GotoBottom()
		case key.Matches(msg, m.keys.NextItem):
			m.jump(m.cur + 1)
		case key.Matches(msg, m.keys.PrevItem):
			m.jump(m.cur - 1)
		case key.Matches(msg, m.keys.Open):
			if m.f != nil && m.cur < len(m.f.Evidence) {
				e := m.f.Evidence[m.cur]
				if e.File != "" {
					m.Ask(pane.OpenRawMsg{File: e.File, Start: e.Start, End: e.End})
				}
			}
		}
	case tea.MouseMsg:
		if d := pane.WheelDelta(msg); d < 0 {
			m.vp.ScrollUp(m.vp.MouseWheelDelta)
		} else if d > 0 {
			m.vp.ScrollDown(m.vp.MouseWheelDelta)
		}
	}
	return m, nil
}

func (m *Model) jump(i int) {
	if m.f == nil || len(m.items) == 0 {
		return
	}
	i = pane.Clamp(i, 0, len(m.items)-1)
	if i != m.cur {
		m.cur = i
		m.render()
	}
	m.vp.SetYOffset(m.items[i])
}

// View implements tea.Model: the inside of the pane, m.w × m.h.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	return pane.Fit(m.vp.View(), m.w, m.h)
}

// render rebuilds the viewport content for the current finding and width.
func (m *Model) render() {
	if m.w <= 0 {
		return
	}
	m.items = nil
	if m.f == nil {
		m.vp.SetContent(m.t.Muted.Render("No finding selected."))
		return
	}
	t, f, w := m.t, m.f, m.w
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	wrap := func(indent int, s string, style func(...string) string) {
		for _, l := range pane.Wrap(s, max(1, min(w, ProseWidth)-indent)) {
			add(strings.Repeat(" ", indent) + style(l))
		}
	}
	plain := func(s ...string) string { return strings.Join(s, "") }

	add(pane.Truncate(t.Severity(f.Severity).Render(f.Severity.String())+"  "+t.Bold.Render(f.ID)+"  "+f.Subject, w))
	wrap(0, f.Title, t.Bold.Render)
	if f.Why != "" {
		add("", t.Heading.Render("Why"))
		for _, para := range strings.Split(f.Why, "\n") {
			wrap(0, para, plain)
		}
	}
	if len(f.Evidence) > 0 {
		add("", t.Heading.Render(fmt.Sprintf("Evidence (%d)", len(f.Evidence))))
		for i, e := range f.Evidence {
			if i > 0 {
				add("")
			}
			m.items = append(m.items, len(out))
			add(m.evidenceLines(i, e)...)
		}
	}
	if len(f.Fix) > 0 {
		add("", t.Heading.Render("Fix"))
		for i, x := range f.Fix {
			if i > 0 {
				add("")
			}
			head := x.Device
			p := x.Platform
			if p == "" && m.snap != nil {
				if d := m.snap.Device(x.Device); d != nil {
					p = d.Platform
				}
			}
			if p != "" {
				head += " (" + string(p) + ")"
			}
			add(pane.Truncate(t.Bold.Render(head), w))
			if x.Note != "" {
				wrap(2, x.Note, t.Muted.Render)
			}
			for _, c := range x.Commands {
				add(pane.Truncate("  "+t.CodeBar.Render("│")+" "+t.Code.Render(pane.Clean(c)), w))
			}
		}
	}
	m.vp.SetContent(strings.Join(out, "\n"))
}

// evidenceLines draws one evidence item: where, the note, and the cited raw
// lines with Context lines around them.
func (m *Model) evidenceLines(i int, e netmodel.Evidence) []string {
	t, w := m.t, m.w
	var out []string
	cur := theme.NoCursor
	if i == m.cur {
		cur = theme.Cursor
	}
	where := e.Device
	if e.File != "" {
		where += " · " + e.File
	}
	switch {
	case e.Start > 0 && e.End > e.Start:
		where += fmt.Sprintf(" · lines %d–%d", e.Start, e.End)
	case e.Start > 0:
		where += fmt.Sprintf(" · line %d", e.Start)
	}
	head := fmt.Sprintf("%d. %s", i+1, where)
	if i == m.cur && m.focused {
		head = t.Selected.Render(head)
	} else {
		head = t.Bold.Render(head)
	}
	out = append(out, pane.Truncate(cur+head, w))
	if e.Note != "" {
		for _, l := range pane.Wrap(e.Note, max(1, min(w, ProseWidth)-4)) {
			out = append(out, "    "+t.Muted.Render(l))
		}
	}

	var file *netmodel.RawFile
	if m.snap != nil && e.File != "" {
		file = m.snap.File(e.File)
	}
	if file == nil || e.Start <= 0 || e.Start > len(file.Lines) {
		// Nothing to quote from: show the text the rule kept.
		if file == nil && e.File != "" {
			out = append(out, "    "+t.Muted.Render("(file not in snapshot)"))
		}
		for _, l := range strings.Split(strings.TrimRight(e.Text, "\n"), "\n") {
			if l != "" {
				out = append(out, pane.Truncate("    "+t.CitedNo.Render(theme.Cited)+" "+t.Cited.Render(pane.Clean(l)), w))
			}
		}
		return out
	}
	end := max(e.Start, min(e.End, len(file.Lines)))
	from := max(1, e.Start-Context)
	to := min(len(file.Lines), end+Context)
	numW := len(strconv.Itoa(to))
	for n := from; n <= to; n++ {
		text := pane.Clean(file.Lines[n-1])
		num := fmt.Sprintf("%*d", numW, n)
		gut := "    "
		textW := max(1, w-ansi.StringWidth(gut)-numW-4)
		if n >= e.Start && n <= end {
			out = append(out, gut+t.CitedNo.Render(theme.Cited+num)+t.CodeBar.Render(" │ ")+t.Cited.Render(pane.Truncate(text, textW)))
		} else {
			out = append(out, gut+" "+t.LineNo.Render(num)+t.CodeBar.Render(" │ ")+pane.Truncate(text, textW))
		}
	}
	return out
}
