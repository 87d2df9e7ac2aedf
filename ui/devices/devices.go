// Package devices is the left pane: every device of the snapshot with its
// platform, collection status, findings by severity and parse errors, and at
// the bottom the inputs that could not be used, with the reason. Its
// selection ("all devices" or one device) filters the findings pane.
//
// During a live collection (SetLive) each device shows where its
// collection is instead of its status: queued, connecting, collecting 3/16,
// done, or failed: <kind> (marked ✗, with the error below).
package devices

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/keys"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/theme"
)

// KeyMap is the devices pane's bindings.
type KeyMap struct {
	keys.Nav
	Enter key.Binding
}

// DefaultKeyMap returns the devices pane's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Nav:   keys.DefaultNav(),
		Enter: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show its findings")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Move, k.Enter} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.Bindings(), {k.Enter}} }

// Live is where a device's collection is.
type Live struct {
	State       string // queued, connecting, collecting, done, failed
	Done, Total int    // commands
	Kind        string // why it failed: auth, host key, timeout, …
	Err         string
}

// Text is the state as shown: "collecting 3/16", "failed: auth", ….
func (l Live) Text() string {
	switch l.State {
	case "collecting":
		if l.Total > 0 {
			return fmt.Sprintf("collecting %d/%d", l.Done, l.Total)
		}
	case "failed":
		if l.Kind != "" {
			return "failed: " + l.Kind
		}
	}
	return l.State
}

type item struct {
	all       bool
	name      string
	platform  string
	status    string
	err       string
	counts    [4]int // by netmodel.Severity
	parseErrs int
	live      *Live
}

// Model is the devices pane.
type Model struct {
	pane.Outbox
	t       *theme.Theme
	keys    KeyMap
	items   []item // items[0] is "all devices"
	unrec   []netmodel.Unrecognised
	sel     int
	offset  int
	w, h    int
	focused bool
	live    map[string]Live // nil when not collecting live
}

// New builds the pane from the snapshot and the findings (for the counts;
// resolved findings do not count).
func New(snap *netmodel.Snapshot, findings []netmodel.Finding) Model {
	m := Model{t: theme.Get(), keys: DefaultKeyMap()}
	m.build(snap, findings)
	return m
}

func (m *Model) build(snap *netmodel.Snapshot, findings []netmodel.Finding) {
	m.items = m.items[:0:0]
	m.unrec = nil
	count := func(f *netmodel.Finding) bool {
		return f.Severity >= 0 && int(f.Severity) < 4 && f.Status != "resolved"
	}
	all := item{all: true, name: "all devices"}
	for i := range findings {
		if count(&findings[i]) {
			all.counts[findings[i].Severity]++
		}
	}
	m.items = append(m.items, all)
	if snap == nil {
		return
	}
	for _, d := range snap.Devices {
		it := item{name: d.Name, platform: string(d.Platform), status: d.Status, err: d.Error, parseErrs: len(d.Errors)}
		if it.platform == "" {
			it.platform = "unknown"
		}
		for i := range findings {
			f := &findings[i]
			if count(f) && pane.Concerns(f, d.Name) {
				it.counts[f.Severity]++
			}
		}
		if m.live != nil {
			l, ok := m.live[d.Name]
			if !ok {
				l = Live{State: "queued"}
			}
			it.live = &l
		}
		m.items = append(m.items, it)
	}
	m.unrec = snap.Unrecognised
}

// SetSite rebuilds the pane from a new snapshot and findings (a collection
// going on), keeping the selected device selected.
func (m *Model) SetSite(snap *netmodel.Snapshot, findings []netmodel.Finding) {
	sel := m.Selected()
	m.build(snap, findings)
	m.Select(sel)
}

// SetLive shows each device's collection state instead of its status (a
// device missing from live shows as queued); nil goes back to the status.
func (m *Model) SetLive(live map[string]Live) {
	m.live = live
	for i := range m.items {
		it := &m.items[i]
		it.live = nil
		if it.all || live == nil {
			continue
		}
		l, ok := live[it.name]
		if !ok {
			l = Live{State: "queued"}
		}
		it.live = &l
	}
	m.follow()
}

// Live returns the collection state of a device, if it has one.
func (m Model) Live(name string) (Live, bool) {
	l, ok := m.live[name]
	return l, ok
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the inside size of the pane.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.follow()
}

// SetFocused tells the pane whether it has focus.
func (m *Model) SetFocused(f bool) { m.focused = f }

// KeyMap returns the pane's bindings for help.
func (m Model) KeyMap() KeyMap { return m.keys }

// Capturing reports whether a text input has the keyboard (never here).
func (m Model) Capturing() bool { return false }

// Title is the pane title.
func (m Model) Title() string { return fmt.Sprintf("Devices (%d)", len(m.items)-1) }

// Selected returns the selected device name, or "" for all devices.
func (m Model) Selected() string {
	if m.sel <= 0 || m.sel >= len(m.items) {
		return ""
	}
	return m.items[m.sel].name
}

// Select selects a device by name ("" selects all devices).
func (m *Model) Select(name string) {
	m.sel = 0
	for i, it := range m.items {
		if !it.all && it.name == name {
			m.sel = i
		}
	}
	m.follow()
}

// Update implements tea.Model. The root sends key messages only when the
// pane has focus and mouse messages in pane coordinates.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.move(-1)
		case key.Matches(msg, m.keys.Down):
			m.move(1)
		case key.Matches(msg, m.keys.PageUp):
			m.move(-max(1, m.h/3))
		case key.Matches(msg, m.keys.PageDown):
			m.move(max(1, m.h/3))
		case key.Matches(msg, m.keys.Home):
			m.sel, m.offset = 0, 0
		case key.Matches(msg, m.keys.End):
			m.sel = len(m.items) - 1
			_, total := m.render()
			m.offset = max(0, total-m.h)
		case key.Matches(msg, m.keys.Enter):
			m.Ask(pane.FocusMsg{To: pane.Findings})
		}
	case tea.MouseMsg:
		if d := pane.WheelDelta(msg); d != 0 {
			m.move(d)
		} else if pane.IsClick(msg) {
			ranges, _ := m.render()
			row := m.offset + msg.Y
			for i, r := range ranges {
				if row >= r[0] && row <= r[1] {
					m.sel = i
				}
			}
		}
	}
	return m, nil
}

// move moves the selection by d; moving down from the last device scrolls
// the rest of the pane (the unrecognised inputs) into view.
func (m *Model) move(d int) {
	next := pane.Clamp(m.sel+d, 0, len(m.items)-1)
	if d > 0 && next == m.sel {
		_, total := m.render()
		m.offset = pane.Clamp(m.offset+d, 0, max(0, total-m.h))
		return
	}
	m.sel = next
	m.follow()
}

func (m *Model) follow() {
	ranges, total := m.render()
	if m.sel < len(ranges) {
		r := ranges[m.sel]
		m.offset = pane.Follow(m.offset, r[0], r[1], m.h, total)
	}
}

// render lays the pane out; it returns the line range of each item and the
// total line count. Lines themselves come from lines.
func (m Model) render() ([][2]int, int) {
	ranges := make([][2]int, len(m.items))
	n := 0
	for i, it := range m.items {
		c := len(m.itemLines(it, false))
		ranges[i] = [2]int{n, n + c - 1}
		n += c
	}
	return ranges, n + len(m.unrecLines())
}

func (m Model) itemLines(it item, selected bool) []string {
	if it.live != nil {
		return m.liveLines(it, selected)
	}
	t := m.t
	w := max(m.w, 1)
	var out []string

	cur := theme.NoCursor
	if selected {
		cur = theme.Cursor
	}
	status := it.status
	nameW := max(1, w-ansi.StringWidth(cur)-ansi.StringWidth(status)-1)
	name := pane.Cell(it.name, nameW)
	switch {
	case selected && m.focused:
		name = t.Selected.Render(name)
	case selected:
		name = t.Inactive.Render(name)
	default:
		name = t.Bold.Render(name)
	}
	out = append(out, cur+name+" "+t.Status(it.status).Render(status))

	var counts []string
	for _, s := range theme.Severities {
		c := fmt.Sprintf("%c%d", theme.Badge(s)[0], it.counts[s])
		if it.counts[s] > 0 {
			counts = append(counts, t.Severity(s).Render(c))
		} else {
			counts = append(counts, t.Muted.Render(c))
		}
	}
	l2 := "  "
	if !it.all {
		l2 += t.Muted.Render(it.platform) + "  "
	}
	out = append(out, pane.Truncate(l2+strings.Join(counts, " "), w))

	if it.parseErrs > 0 {
		s := "parse errors"
		if it.parseErrs == 1 {
			s = "parse error"
		}
		out = append(out, "  "+t.StatusPartial.Render(pane.Truncate(fmt.Sprintf("%d %s", it.parseErrs, s), w-2)))
	}
	if it.err != "" {
		wrapped := pane.Wrap(it.err, max(1, w-2))
		if len(wrapped) > 2 {
			wrapped = wrapped[:2]
			wrapped[1] = pane.Truncate(wrapped[1]+theme.Ellipsis, w-2)
		}
		for _, l := range wrapped {
			out = append(out, "  "+t.Error.Render(l))
		}
	}
	return out
}

// liveLines draws a device during a live collection: the name and
// platform, then the state (and the counts once it is done), then parse
// errors and, for a failed device, the error.
func (m Model) liveLines(it item, selected bool) []string {
	t := m.t
	w := max(m.w, 1)
	l := *it.live
	failed := l.State == "failed"
	var out []string

	cur := theme.NoCursor
	if selected {
		cur = theme.Cursor
	}
	nameW := max(1, w-ansi.StringWidth(cur)-ansi.StringWidth(it.platform)-1)
	name := pane.Cell(it.name, nameW)
	switch {
	case selected && m.focused:
		name = t.Selected.Render(name)
	case selected:
		name = t.Inactive.Render(name)
	case failed:
		name = t.StatusFailed.Render(name)
	default:
		name = t.Bold.Render(name)
	}
	out = append(out, cur+name+" "+t.Muted.Render(it.platform))

	state, style := l.Text(), t.State(l.State)
	switch {
	case failed:
		state = theme.FailedMark + " " + state
	case l.State == "done" && it.status == netmodel.StatusPartial:
		state, style = "done, partial", t.StatusPartial
	}
	line := "  " + style.Render(pane.Truncate(state, w-2))
	if l.State == "done" || failed {
		var counts []string
		for _, s := range theme.Severities {
			c := fmt.Sprintf("%c%d", theme.Badge(s)[0], it.counts[s])
			if it.counts[s] > 0 {
				counts = append(counts, t.Severity(s).Render(c))
			} else {
				counts = append(counts, t.Muted.Render(c))
			}
		}
		if c := strings.Join(counts, " "); ansi.StringWidth(line)+2+ansi.StringWidth(c) <= w {
			line += "  " + c
		}
	}
	out = append(out, line)

	if it.parseErrs > 0 {
		s := "parse errors"
		if it.parseErrs == 1 {
			s = "parse error"
		}
		out = append(out, "  "+t.StatusPartial.Render(pane.Truncate(fmt.Sprintf("%d %s", it.parseErrs, s), w-2)))
	}
	msg := it.err
	if failed && l.Err != "" {
		msg = l.Err
	}
	if msg != "" && (failed || l.State == "done") {
		wrapped := pane.Wrap(msg, max(1, w-2))
		if len(wrapped) > 2 {
			wrapped = wrapped[:2]
			wrapped[1] = pane.Truncate(wrapped[1]+theme.Ellipsis, w-2)
		}
		for _, x := range wrapped {
			out = append(out, "  "+t.Error.Render(x))
		}
	}
	return out
}

func (m Model) unrecLines() []string {
	if len(m.unrec) == 0 {
		return nil
	}
	t := m.t
	w := max(m.w, 1)
	out := []string{"", t.Heading.Render(pane.Truncate(fmt.Sprintf("Unrecognised (%d)", len(m.unrec)), w))}
	for _, u := range m.unrec {
		out = append(out, "- "+truncLeft(u.Path, w-2))
		for _, l := range pane.Wrap(u.Reason, max(1, w-2)) {
			out = append(out, "  "+t.Muted.Render(l))
		}
	}
	return out
}

// truncLeft keeps the end of s (the file name of a path) within w cells.
func truncLeft(s string, w int) string {
	n := ansi.StringWidth(s)
	if n <= w || w < 2 {
		return pane.Truncate(s, w)
	}
	return theme.Ellipsis + ansi.TruncateLeft(s, n-w+1, "")
}

// View implements tea.Model: the inside of the pane, m.w × m.h.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	var lines []string
	for i, it := range m.items {
		lines = append(lines, m.itemLines(it, i == m.sel)...)
	}
	lines = append(lines, m.unrecLines()...)
	if m.offset < len(lines) {
		lines = lines[m.offset:]
	}
	return pane.Fit(strings.Join(lines, "\n"), m.w, m.h)
}
