// Package findings is the main list: one row per finding with its severity,
// rule ID, subject and title. "/" opens a filter over ID, subject, title,
// severity and device names; the devices pane narrows it to one device.
package findings

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/keys"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/theme"
)

// KeyMap is the findings pane's bindings.
type KeyMap struct {
	keys.Nav
	Filter key.Binding
	Clear  key.Binding
	Enter  key.Binding
	Open   key.Binding
	// While the filter input is open:
	Accept key.Binding
	Cancel key.Binding
}

// DefaultKeyMap returns the findings pane's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Nav:    keys.DefaultNav(),
		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Clear:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Enter:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Open:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open raw")),
		Accept: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Move, k.Filter, k.Open, k.Enter}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Bindings(), {k.Filter, k.Clear, k.Enter, k.Open}}
}

// filterKeys is the help shown while the filter input is open.
type filterKeys struct{ k KeyMap }

func (f filterKeys) ShortHelp() []key.Binding {
	return []key.Binding{f.k.Accept, f.k.Cancel, f.k.Move}
}

func (f filterKeys) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// Model is the findings pane.
type Model struct {
	pane.Outbox
	t       *theme.Theme
	keys    KeyMap
	all     []netmodel.Finding
	hay     []string // lower-case text the filter searches, per finding
	visible []int    // indices into all
	sel     int      // index into visible
	offset  int
	device  string
	input   pane.Input
	editing bool
	w, h    int
	focused bool
	idW     int
	subjW   int
	empty   string // shown when there are no findings at all
}

// New builds the pane over findings (already sorted by severity).
func New(findings []netmodel.Finding) Model {
	t := theme.Get()
	in := pane.Input{
		Prompt: "/", Placeholder: "ID, subject, title, device…",
		PromptStyle: t.Bold, PlaceholderStyle: t.Muted,
	}
	m := Model{t: t, keys: DefaultKeyMap(), input: in, empty: "No findings."}
	m.index(findings)
	m.refilter()
	return m
}

// index takes findings as the list and builds what the filter searches.
func (m *Model) index(findings []netmodel.Finding) {
	m.all = findings
	m.hay = make([]string, len(findings))
	m.idW, m.subjW = 0, 0
	for i := range findings {
		f := &findings[i]
		parts := []string{f.ID, f.Subject, f.Title, f.Severity.String()}
		if f.Status != "" {
			parts = append(parts, f.Status)
		}
		for _, e := range f.Evidence {
			parts = append(parts, e.Device)
		}
		for _, x := range f.Fix {
			parts = append(parts, x.Device)
		}
		m.hay[i] = strings.ToLower(strings.Join(parts, "\x00"))
		m.idW = max(m.idW, ansi.StringWidth(f.ID))
		m.subjW = max(m.subjW, ansi.StringWidth(f.Subject))
	}
	m.idW = min(m.idW, 24)
	m.subjW = min(m.subjW, 40)
}

// SetFindings replaces the list (a new collection's findings), keeping the
// filter, the device and the selected finding (by rule and subject) when it
// is still there, else the selected row.
func (m *Model) SetFindings(findings []netmodel.Finding) {
	key, row := "", m.sel
	if f := m.Selected(); f != nil {
		key = f.Key()
	}
	m.index(findings)
	m.refilter()
	m.sel = pane.Clamp(row, 0, max(0, len(m.visible)-1))
	for j, v := range m.visible {
		if m.all[v].Key() == key {
			m.sel = j
			break
		}
	}
	m.follow()
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the inside size of the pane.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.input.Width = w
	m.follow()
}

// SetFocused tells the pane whether it has focus.
func (m *Model) SetFocused(f bool) { m.focused = f }

// KeyMap returns the bindings for help (those of the filter input while it
// is open).
func (m Model) KeyMap() help.KeyMap {
	if m.editing {
		return filterKeys{m.keys}
	}
	return m.keys
}

// Capturing reports whether the filter input has the keyboard.
func (m Model) Capturing() bool { return m.editing }

// Filter returns the filter text.
func (m Model) Filter() string { return m.input.Value() }

// SetFilter sets the filter text.
func (m *Model) SetFilter(s string) {
	m.input.SetValue(s)
	m.refilter()
}

// Device returns the device the list is narrowed to ("" for all).
func (m Model) Device() string { return m.device }

// SetDevice narrows the list to findings about a device ("" for all).
func (m *Model) SetDevice(name string) {
	if name == m.device {
		return
	}
	m.device = name
	m.refilter()
}

// SetEmptyText sets what the pane says when there are no findings at all
// ("No findings." unless set).
func (m *Model) SetEmptyText(s string) { m.empty = s }

// Total is the number of findings in the list, shown or not.
func (m Model) Total() int { return len(m.all) }

// Len is the number of findings shown.
func (m Model) Len() int { return len(m.visible) }

// Visible returns the IDs and subjects of the findings shown, in order.
func (m Model) Visible() []string {
	out := make([]string, len(m.visible))
	for i, v := range m.visible {
		out[i] = m.all[v].Key()
	}
	return out
}

// Selected returns the selected finding, or nil when the list is empty.
func (m Model) Selected() *netmodel.Finding {
	if m.sel < 0 || m.sel >= len(m.visible) {
		return nil
	}
	return &m.all[m.visible[m.sel]]
}

// Title is the pane title.
func (m Model) Title() string {
	s := fmt.Sprintf("Findings (%d)", len(m.all))
	if len(m.visible) != len(m.all) {
		s = fmt.Sprintf("Findings (%d of %d)", len(m.visible), len(m.all))
	}
	if m.device != "" {
		s += " · device " + m.device
	}
	return s
}

// Update implements tea.Model. Keys arrive only when the pane has focus.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if m.editing {
			return m.updateInput(msg)
		}
		switch {
		case key.Matches(msg, m.keys.Up):
			m.move(-1)
		case key.Matches(msg, m.keys.Down):
			m.move(1)
		case key.Matches(msg, m.keys.PageUp):
			m.move(-max(1, m.listHeight()-1))
		case key.Matches(msg, m.keys.PageDown):
			m.move(max(1, m.listHeight()-1))
		case key.Matches(msg, m.keys.Home):
			m.move(-len(m.visible))
		case key.Matches(msg, m.keys.End):
			m.move(len(m.visible))
		case key.Matches(msg, m.keys.Filter):
			m.editing = true
			m.input.Focus()
			m.follow()
		case key.Matches(msg, m.keys.Clear):
			m.SetFilter("")
		case key.Matches(msg, m.keys.Enter):
			if m.Selected() != nil {
				m.Ask(pane.FocusMsg{To: pane.Detail, Evidence: true})
			}
		case key.Matches(msg, m.keys.Open):
			if f := m.Selected(); f != nil {
				for _, e := range f.Evidence {
					if e.File != "" {
						m.Ask(pane.OpenRawMsg{File: e.File, Start: e.Start, End: e.End})
						return m, nil
					}
				}
			}
		}
	case tea.MouseMsg:
		if d := pane.WheelDelta(msg); d != 0 {
			m.move(d)
		} else if pane.IsClick(msg) {
			row := msg.Y - m.top() + m.offset
			if msg.Y >= m.top() && row < len(m.visible) {
				m.sel = row
			}
		}
	}
	return m, nil
}

func (m Model) updateInput(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch pane.HandleFilterKey(&m.input, msg, m.keys.Accept, m.keys.Cancel) {
	case pane.FilterAccept:
		m.editing = false
		m.follow()
	case pane.FilterCancel:
		m.editing = false
		m.SetFilter("")
	case pane.FilterUp:
		m.move(-1)
	case pane.FilterDown:
		m.move(1)
	case pane.FilterChanged:
		m.refilter()
	}
	return m, nil
}

// refilter recomputes the visible findings, keeping the selected one
// selected when it is still shown.
func (m *Model) refilter() {
	keep := -1
	if m.sel >= 0 && m.sel < len(m.visible) {
		keep = m.visible[m.sel]
	}
	terms := strings.Fields(strings.ToLower(m.input.Value()))
	m.visible = make([]int, 0, len(m.all))
	for i := range m.all {
		if m.device != "" && !pane.Concerns(&m.all[i], m.device) {
			continue
		}
		ok := true
		for _, t := range terms {
			if !strings.Contains(m.hay[i], t) {
				ok = false
				break
			}
		}
		if ok {
			m.visible = append(m.visible, i)
		}
	}
	m.sel = 0
	for j, v := range m.visible {
		if v == keep {
			m.sel = j
		}
	}
	m.follow()
}

func (m *Model) move(d int) {
	m.sel = pane.Clamp(m.sel+d, 0, len(m.visible)-1)
	m.follow()
}

// top is the number of lines above the list (the filter line).
func (m Model) top() int {
	if m.editing || m.input.Value() != "" {
		return 1
	}
	return 0
}

func (m Model) listHeight() int { return max(0, m.h-m.top()) }

func (m *Model) follow() {
	m.offset = pane.Follow(m.offset, m.sel, m.sel, m.listHeight(), len(m.visible))
}

// columns fits the ID and subject columns to the width, leaving the title
// at least 40% of the row: the subject narrows first, then goes (the
// evidence pane shows it), then the ID narrows.
func (m Model) columns() (idW, subjW, titleW int) {
	idW, subjW = m.idW, m.subjW
	fixed := ansi.StringWidth(theme.Cursor) + 4 + 1 + 2 // cursor, badge, gaps
	rest := m.w - fixed - idW - 2 - subjW
	minTitle := max(20, m.w*2/5)
	for subjW > 12 && rest < minTitle {
		subjW--
		rest++
	}
	if rest < minTitle {
		rest += subjW + 2
		subjW = 0
	}
	for idW > 12 && rest < minTitle {
		idW--
		rest++
	}
	return idW, subjW, max(0, rest)
}

// View implements tea.Model: the inside of the pane, m.w × m.h.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	t := m.t
	var lines []string
	switch {
	case m.editing:
		lines = append(lines, m.input.View())
	case m.input.Value() != "":
		lines = append(lines, t.Muted.Render("filter: ")+t.Bold.Render(m.input.Value())+t.Muted.Render("  (/ edit, esc clear)"))
	}
	switch {
	case len(m.all) == 0:
		lines = append(lines, t.Muted.Render(m.empty))
	case len(m.visible) == 0:
		lines = append(lines, t.Muted.Render("No findings match."))
	}
	idW, subjW, titleW := m.columns()
	end := min(len(m.visible), m.offset+m.listHeight())
	for j := m.offset; j < end; j++ {
		f := &m.all[m.visible[j]]
		cur := theme.NoCursor
		if j == m.sel {
			cur = theme.Cursor
		}
		mark, markStyle := "", t.Bold
		switch f.Status {
		case "", "open":
		case "new":
			mark, markStyle = theme.New, t.New
		case "resolved":
			mark, markStyle = theme.Resolved, t.Resolved
		default:
			mark = strings.ToUpper(f.Status)
		}
		// The marker starts the title column, so the columns stay aligned.
		cols := pane.Cell(f.ID, idW) + "  "
		if subjW > 0 {
			cols += pane.Cell(f.Subject, subjW) + "  "
		}
		title := pane.Cell(f.Title, titleW)
		if mark != "" {
			if mw := ansi.StringWidth(mark) + 1; mw <= titleW {
				mark += " "
				title = pane.Cell(f.Title, titleW-mw)
			} else {
				mark, title = pane.Cell(mark, titleW), ""
			}
		}
		badge := t.Severity(f.Severity).Render(theme.Badge(f.Severity))
		resolved := f.Status == "resolved"
		if resolved {
			badge = t.Resolved.Render(theme.Badge(f.Severity))
		}
		var text string
		switch {
		case j == m.sel && m.focused:
			text = t.Selected.Render(cols + mark + title)
		case j == m.sel:
			text = t.Inactive.Render(cols + mark + title)
		case resolved:
			text = t.Resolved.Render(cols + mark + title)
		case mark != "":
			text = cols + markStyle.Render(mark) + title
		default:
			text = cols + title
		}
		lines = append(lines, cur+badge+" "+text)
	}
	return pane.Fit(strings.Join(lines, "\n"), m.w, m.h)
}
