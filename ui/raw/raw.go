// Package raw is the raw viewer: pick a device, then one of its files (one
// command's output), and read it with line numbers. "/" searches (case
// insensitive, incremental), n/N go to the next/previous match, and an
// evidence item opens here at the cited lines (marked with ›).
package raw

import (
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/keys"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/theme"
)

// Context is how many lines are kept above a cited line opened from evidence.
const Context = 3

// hStep is how far left/right scrolls, in cells.
const hStep = 8

// KeyMap is the raw viewer's bindings.
type KeyMap struct {
	keys.Nav
	Left     key.Binding
	Right    key.Binding
	Search   key.Binding
	Next     key.Binding
	Prev     key.Binding
	NextPrev key.Binding // short help only
	Clear    key.Binding
	Pick     key.Binding
	NextFile key.Binding
	PrevFile key.Binding
	// In the picker:
	Choose key.Binding
	Back   key.Binding
	// In the search input:
	Accept key.Binding
	Cancel key.Binding
}

// DefaultKeyMap returns the raw viewer's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Nav:      keys.DefaultNav(),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "scroll left")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "scroll right")),
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Next:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		Prev:     key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		NextPrev: key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n/N", "match")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		Pick:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "pick a file")),
		NextFile: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next file")),
		PrevFile: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous file")),
		Choose:   key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter", "choose")),
		Back:     key.NewBinding(key.WithKeys("esc", "backspace", "left", "h"), key.WithHelp("esc", "back")),
		Accept:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep search")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel search")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Search, k.NextPrev, k.Pick, k.Move}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Bindings(), {k.Left, k.Right, k.Pick, k.NextFile, k.PrevFile}, {k.Search, k.Next, k.Prev, k.Clear}}
}

type pickerKeys struct{ k KeyMap }

func (p pickerKeys) ShortHelp() []key.Binding {
	return []key.Binding{p.k.Move, p.k.Choose, p.k.Back}
}
func (p pickerKeys) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

type searchKeys struct{ k KeyMap }

func (s searchKeys) ShortHelp() []key.Binding  { return []key.Binding{s.k.Accept, s.k.Cancel} }
func (s searchKeys) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

// Match is one search hit: 0-based line and rune column, length in runes.
type Match struct{ Line, Col, Len int }

// Model is the raw viewer.
type Model struct {
	t    *theme.Theme
	keys KeyMap
	snap *netmodel.Snapshot

	devices []string
	files   map[string][]*netmodel.RawFile

	picking  bool
	pickFile bool // false: choosing a device; true: choosing a file
	pickDev  int
	pickIdx  int
	pickOff  int

	file   *netmodel.RawFile
	lines  []string // cleaned for display
	lower  [][]rune // lower-cased runes, for search
	offset int
	xoff   int
	markLo int // 1-based cited range, 0 for none
	markHi int

	input     pane.Input
	searching bool
	query     string
	matches   []Match
	cur       int

	w, h    int
	focused bool
}

// New builds the viewer over the snapshot's raw files.
func New(snap *netmodel.Snapshot) Model {
	t := theme.Get()
	m := Model{
		t: t, keys: DefaultKeyMap(),
		picking: true,
		input:   pane.Input{Prompt: "/", Placeholder: "search", PromptStyle: t.Bold, PlaceholderStyle: t.Muted},
	}
	m.index(snap)
	return m
}

// index lists the snapshot's devices and their files.
func (m *Model) index(snap *netmodel.Snapshot) {
	m.snap = snap
	m.devices = nil
	m.files = map[string][]*netmodel.RawFile{}
	if snap == nil {
		return
	}
	for _, d := range snap.Devices {
		m.devices = append(m.devices, d.Name)
		m.files[d.Name] = nil
	}
	for _, f := range snap.Files {
		if _, ok := m.files[f.Device]; !ok {
			m.devices = append(m.devices, f.Device)
		}
		m.files[f.Device] = append(m.files[f.Device], f)
	}
}

// SetSnapshot replaces the snapshot (a new collection's). The file shown
// stays open, at the same place and with the same search, when the new
// snapshot has it; otherwise the picker opens.
func (m *Model) SetSnapshot(snap *netmodel.Snapshot) {
	var dev string
	if m.pickDev >= 0 && m.pickDev < len(m.devices) {
		dev = m.devices[m.pickDev]
	}
	m.index(snap)
	m.pickDev, m.pickIdx, m.pickOff = 0, 0, 0
	found := false
	for i, d := range m.devices {
		if d == dev && !found {
			m.pickDev, found = i, true
		}
	}
	if !found {
		m.pickFile = false
	}
	if m.file == nil {
		return
	}
	var f *netmodel.RawFile
	if snap != nil {
		f = snap.File(m.file.Path)
	}
	if f == nil {
		m.file, m.lines, m.lower, m.matches = nil, nil, nil, nil
		m.picking, m.pickFile = true, found
		return
	}
	off, xoff, lo, hi, cur := m.offset, m.xoff, m.markLo, m.markHi, m.cur
	m.load(f)
	m.xoff, m.markLo, m.markHi = xoff, lo, hi
	m.offset = pane.Clamp(off, 0, m.maxOffset())
	if cur < len(m.matches) {
		m.cur = cur
	}
	for j, g := range m.files[f.Device] {
		if g == f {
			m.pickIdx = j
		}
	}
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the inside size of the pane.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.input.Width = w
	m.offset = pane.Clamp(m.offset, 0, m.maxOffset())
	m.followPick()
}

// SetFocused tells the pane whether it has focus.
func (m *Model) SetFocused(f bool) { m.focused = f }

// KeyMap returns the bindings for help, for the current mode.
func (m Model) KeyMap() help.KeyMap {
	switch {
	case m.searching:
		return searchKeys{m.keys}
	case m.picking:
		return pickerKeys{m.keys}
	}
	return m.keys
}

// Capturing reports whether the search input has the keyboard.
func (m Model) Capturing() bool { return m.searching }

// File returns the file shown, or nil.
func (m Model) File() *netmodel.RawFile { return m.file }

// Picking reports whether the file picker is shown.
func (m Model) Picking() bool { return m.picking }

// Offset is the 0-based first line in view.
func (m Model) Offset() int { return m.offset }

// Matches returns the search hits and the index of the current one.
func (m Model) Matches() ([]Match, int) { return m.matches, m.cur }

// Title describes the viewer's state for its frame.
func (m Model) Title() string {
	if m.picking || m.file == nil {
		return "pick a file"
	}
	n := len(m.lines)
	if n == 0 {
		return "empty"
	}
	last := min(n, m.offset+m.bodyHeight())
	return fmt.Sprintf("lines %d–%d of %d", m.offset+1, last, n)
}

// ShowDevice opens the picker on a device's files when no file is shown yet.
func (m *Model) ShowDevice(name string) {
	if m.file != nil {
		return
	}
	for i, d := range m.devices {
		if d == name {
			m.picking, m.pickFile, m.pickDev, m.pickIdx, m.pickOff = true, true, i, 0, 0
			return
		}
	}
}

// Open shows the file at path with lines start..end (1-based) marked and in
// view, a few lines of context above. It reports whether the file exists.
func (m *Model) Open(p string, start, end int) bool {
	if m.snap == nil {
		return false
	}
	f := m.snap.File(p)
	if f == nil {
		return false
	}
	m.load(f)
	if start > 0 {
		m.markLo, m.markHi = start, max(start, end)
		m.offset = pane.Clamp(start-1-Context, 0, m.maxOffset())
		m.search(false) // current match: the first in view
	}
	for i, d := range m.devices {
		if d == f.Device {
			m.pickDev = i
			for j, g := range m.files[d] {
				if g == f {
					m.pickIdx = j
				}
			}
		}
	}
	return true
}

func (m *Model) load(f *netmodel.RawFile) {
	m.file = f
	m.picking = false
	m.offset, m.xoff, m.markLo, m.markHi = 0, 0, 0, 0
	m.lines = make([]string, len(f.Lines))
	m.lower = make([][]rune, len(f.Lines))
	for i, l := range f.Lines {
		m.lines[i] = pane.Clean(l)
		r := []rune(m.lines[i])
		for j, c := range r {
			r[j] = unicode.ToLower(c)
		}
		m.lower[i] = r
	}
	m.search(false)
}

// SetQuery searches for q (case-insensitive) and moves to the first match
// at or after the top line.
func (m *Model) SetQuery(q string) {
	m.input.SetValue(q)
	m.query = q
	m.search(true)
}

// search recomputes the matches; when jump is set, it makes the first match
// at or below the top of the view current and scrolls to it.
func (m *Model) search(jump bool) {
	m.matches = nil
	m.cur = 0
	q := []rune(strings.ToLower(m.query))
	for i, c := range q {
		q[i] = unicode.ToLower(c)
	}
	if len(q) == 0 {
		return
	}
	for i, l := range m.lower {
		for j := 0; j+len(q) <= len(l); {
			if runesEqual(l[j:j+len(q)], q) {
				m.matches = append(m.matches, Match{Line: i, Col: j, Len: len(q)})
				j += len(q)
			} else {
				j++
			}
		}
	}
	if len(m.matches) == 0 {
		return
	}
	for i, mt := range m.matches {
		if mt.Line >= m.offset {
			m.cur = i
			break
		}
	}
	if jump {
		m.reveal()
	}
}

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// step moves to the next (d=1) or previous (d=-1) match, wrapping around.
func (m *Model) step(d int) {
	if len(m.matches) == 0 {
		return
	}
	m.cur = (m.cur + d + len(m.matches)) % len(m.matches)
	m.reveal()
}

// reveal scrolls the current match into view: a third of the way down when
// it was out of view, and sideways when it is off to the right.
func (m *Model) reveal() {
	if m.cur >= len(m.matches) {
		return
	}
	mt := m.matches[m.cur]
	bh := m.bodyHeight()
	if mt.Line < m.offset || mt.Line >= m.offset+bh {
		m.offset = pane.Clamp(mt.Line-bh/3, 0, m.maxOffset())
	}
	tw := m.textWidth()
	if mt.Col < m.xoff {
		m.xoff = max(0, mt.Col-hStep)
	} else if tw > 0 && mt.Col+mt.Len > m.xoff+tw-1 {
		m.xoff = max(0, mt.Col+mt.Len-tw+hStep)
	}
}

func (m Model) bodyHeight() int {
	h := m.h - 1 // file header
	if m.searching || m.query != "" {
		h-- // search line
	}
	return max(0, h)
}

func (m Model) maxOffset() int { return max(0, len(m.lines)-m.bodyHeight()) }

func (m Model) numWidth() int { return len(fmt.Sprint(max(1, len(m.lines)))) }

// textWidth is the room for the text of a line after marker, number and bar.
func (m Model) textWidth() int { return max(0, m.w-1-m.numWidth()-3) }

func (m *Model) scroll(d int) { m.offset = pane.Clamp(m.offset+d, 0, m.maxOffset()) }

// Update implements tea.Model. Keys arrive only when the pane has focus;
// mouse messages when the pointer is over it.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case m.searching:
			m.updateSearch(msg)
		case m.picking:
			m.updatePicker(msg)
		default:
			m.updateView(msg)
		}
	case tea.MouseMsg:
		d := pane.WheelDelta(msg)
		switch {
		case m.picking && d != 0:
			m.movePick(d)
		case m.picking && pane.IsClick(msg):
			row := m.pickOff + msg.Y - 1
			if msg.Y >= 1 && row < m.pickLen() {
				m.pickIdx = row
			}
		case d != 0:
			m.scroll(3 * d)
		}
	}
	return m, nil
}

func (m *Model) updateSearch(msg tea.KeyMsg) {
	switch {
	case key.Matches(msg, m.keys.Accept):
		m.searching = false
		m.input.Blur()
	case key.Matches(msg, m.keys.Cancel):
		m.searching = false
		m.input.Blur()
		m.SetQuery("")
	default:
		if m.input.Update(msg) {
			m.query = m.input.Value()
			m.search(true)
		}
	}
}

func (m *Model) updateView(msg tea.KeyMsg) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.scroll(-1)
	case key.Matches(msg, k.Down):
		m.scroll(1)
	case key.Matches(msg, k.PageUp):
		m.scroll(-max(1, m.bodyHeight()-1))
	case key.Matches(msg, k.PageDown):
		m.scroll(max(1, m.bodyHeight()-1))
	case key.Matches(msg, k.Home):
		m.offset, m.xoff = 0, 0
	case key.Matches(msg, k.End):
		m.offset = m.maxOffset()
	case key.Matches(msg, k.Left):
		m.xoff = max(0, m.xoff-hStep)
	case key.Matches(msg, k.Right):
		m.xoff += hStep
	case key.Matches(msg, k.Search):
		if m.file != nil {
			m.searching = true
			m.input.Focus()
		}
	case key.Matches(msg, k.Next):
		m.step(1)
	case key.Matches(msg, k.Prev):
		m.step(-1)
	case key.Matches(msg, k.Clear):
		m.SetQuery("")
		m.markLo, m.markHi = 0, 0
	case key.Matches(msg, k.Pick):
		m.picking, m.pickFile = true, m.file != nil
		m.followPick()
	case key.Matches(msg, k.NextFile):
		m.nextFile(1)
	case key.Matches(msg, k.PrevFile):
		m.nextFile(-1)
	}
}

// nextFile opens the next or previous file of the current device.
func (m *Model) nextFile(d int) {
	if m.file == nil || m.pickDev >= len(m.devices) {
		return
	}
	fs := m.files[m.devices[m.pickDev]]
	if len(fs) == 0 {
		return
	}
	m.pickIdx = (m.pickIdx + d + len(fs)) % len(fs)
	m.load(fs[m.pickIdx])
}

func (m Model) pickLen() int {
	if m.pickFile {
		if m.pickDev < len(m.devices) {
			return len(m.files[m.devices[m.pickDev]])
		}
		return 0
	}
	return len(m.devices)
}

func (m *Model) movePick(d int) {
	if m.pickFile {
		m.pickIdx = pane.Clamp(m.pickIdx+d, 0, m.pickLen()-1)
	} else {
		m.pickDev = pane.Clamp(m.pickDev+d, 0, m.pickLen()-1)
	}
	m.followPick()
}

func (m *Model) followPick() {
	sel := m.pickDev
	if m.pickFile {
		sel = m.pickIdx
	}
	m.pickOff = pane.Follow(m.pickOff, sel, sel, m.h-1, m.pickLen())
}

func (m *Model) updatePicker(msg tea.KeyMsg) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.movePick(-1)
	case key.Matches(msg, k.Down):
		m.movePick(1)
	case key.Matches(msg, k.PageUp):
		m.movePick(-max(1, m.h-2))
	case key.Matches(msg, k.PageDown):
		m.movePick(max(1, m.h-2))
	case key.Matches(msg, k.Home):
		m.movePick(-m.pickLen())
	case key.Matches(msg, k.End):
		m.movePick(m.pickLen())
	case key.Matches(msg, k.Choose):
		if !m.pickFile {
			if m.pickLen() > 0 {
				m.pickFile, m.pickIdx, m.pickOff = true, 0, 0
			}
			return
		}
		fs := m.files[m.devices[m.pickDev]]
		if m.pickIdx < len(fs) {
			m.load(fs[m.pickIdx])
		}
	case key.Matches(msg, k.Back):
		switch {
		case m.pickFile:
			m.pickFile, m.pickOff = false, 0
			m.followPick()
		case m.file != nil:
			m.picking = false
		}
	case key.Matches(msg, k.Pick):
		if m.file != nil {
			m.picking = false
		}
	}
}

// label is how a file is named in the picker and the header: its command,
// else its capability, else its file name.
func label(f *netmodel.RawFile) string {
	switch {
	case f.Command != "":
		return f.Command
	case f.Capability != "":
		return f.Capability
	}
	return path.Base(f.Path)
}

// View implements tea.Model: the inside of the pane, m.w × m.h.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	if m.picking || m.file == nil {
		return pane.Fit(m.pickerView(), m.w, m.h)
	}
	t := m.t
	lines := make([]string, 0, m.h)
	head := t.Bold.Render(m.file.Device) + t.Muted.Render(" › ") + t.Bold.Render(label(m.file))
	if m.file.Path != "" {
		head += t.Muted.Render("  " + m.file.Path)
	}
	lines = append(lines, pane.Truncate(head, m.w))

	numW, tw := m.numWidth(), m.textWidth()
	bh := m.bodyHeight()
	mi := 0 // first match at or after the line being drawn
	for mi < len(m.matches) && m.matches[mi].Line < m.offset {
		mi++
	}
	curLine := -1
	if m.cur < len(m.matches) {
		curLine = m.matches[m.cur].Line
	}
	for i := m.offset; i < len(m.lines) && i < m.offset+bh; i++ {
		cited := i+1 >= m.markLo && i+1 <= m.markHi && m.markLo > 0
		num := fmt.Sprintf("%*d", numW, i+1)
		var gut string
		switch {
		case i == curLine:
			gut = t.CurMatch.Render(theme.Current) + t.CitedNo.Render(num)
		case cited:
			gut = t.CitedNo.Render(theme.Cited + num)
		default:
			gut = " " + t.LineNo.Render(num)
		}
		var hits []Match
		for mi < len(m.matches) && m.matches[mi].Line == i {
			hits = append(hits, m.matches[mi])
			mi++
		}
		lines = append(lines, gut+t.CodeBar.Render(" │ ")+m.renderText(i, hits, cited, tw))
	}
	if len(m.lines) == 0 {
		lines = append(lines, t.Muted.Render("(empty output)"))
	}
	for len(lines) < m.h-1 && (m.searching || m.query != "") {
		lines = append(lines, "")
	}
	switch {
	case m.searching:
		lines = append(lines, m.input.View()+"  "+m.matchStatus())
	case m.query != "":
		lines = append(lines, pane.Truncate(t.Bold.Render("/"+m.query)+"  "+m.matchStatus()+t.Muted.Render("  n/N next/prev · esc clear"), m.w))
	}
	return pane.Fit(strings.Join(lines, "\n"), m.w, m.h)
}

func (m Model) matchStatus() string {
	if m.query == "" {
		return ""
	}
	if len(m.matches) == 0 {
		return m.t.Error.Render("no match")
	}
	return fmt.Sprintf("match %d/%d", m.cur+1, len(m.matches))
}

// renderText draws the visible part of line i (from xoff, tw cells) with
// the search hits highlighted; an ellipsis marks text cut on either side.
func (m Model) renderText(i int, hits []Match, cited bool, tw int) string {
	t := m.t
	r := []rune(m.lines[i])
	if tw <= 0 {
		return ""
	}
	from := min(m.xoff, len(r))
	to := min(len(r), from+tw)
	cutRight := to < len(r)
	base := lipgloss.NewStyle()
	if cited {
		base = t.Cited
	}
	cls := func(j int) int { // 0 plain, 1 match, 2 current match
		for _, h := range hits {
			if j >= h.Col && j < h.Col+h.Len {
				if m.cur < len(m.matches) && m.matches[m.cur] == h {
					return 2
				}
				return 1
			}
		}
		return 0
	}
	styles := [3]lipgloss.Style{base, t.Match, t.CurMatch}
	var b strings.Builder
	if from > 0 && from < to {
		b.WriteString(t.Muted.Render(theme.Ellipsis))
		from++
	}
	for j := from; j < to; {
		c := cls(j)
		k := j + 1
		for k < to && cls(k) == c {
			k++
		}
		seg := string(r[j:k])
		if cutRight && k == to {
			seg = string(r[j:k-1]) + theme.Ellipsis
		}
		if c == 0 && !cited {
			b.WriteString(seg)
		} else {
			b.WriteString(styles[c].Render(seg))
		}
		j = k
	}
	return b.String()
}

func (m Model) pickerView() string {
	t := m.t
	var lines []string
	if !m.pickFile {
		lines = append(lines, t.Muted.Render("Pick a device (enter), then one of its files:"))
		if len(m.devices) == 0 {
			lines = append(lines, t.Muted.Render("no raw files in this snapshot"))
		}
		nameW := 0
		for _, d := range m.devices {
			nameW = max(nameW, len(d))
		}
		end := min(len(m.devices), m.pickOff+m.h-1)
		for i := m.pickOff; i < end; i++ {
			d := m.devices[i]
			cur := theme.NoCursor
			name := pane.Pad(d, nameW)
			if i == m.pickDev {
				cur = theme.Cursor
				if m.focused {
					name = t.Selected.Render(name)
				} else {
					name = t.Inactive.Render(name)
				}
			}
			lines = append(lines, pane.Truncate(cur+name+t.Muted.Render(fmt.Sprintf("  %d files", len(m.files[d]))), m.w))
		}
		return strings.Join(lines, "\n")
	}
	dev := ""
	if m.pickDev < len(m.devices) {
		dev = m.devices[m.pickDev]
	}
	lines = append(lines, pane.Truncate(t.Bold.Render(dev)+t.Muted.Render(" › pick a file (enter), esc back"), m.w))
	fs := m.files[dev]
	if len(fs) == 0 {
		lines = append(lines, t.Muted.Render("no files for this device"))
	}
	end := min(len(fs), m.pickOff+m.h-1)
	for i := m.pickOff; i < end; i++ {
		f := fs[i]
		cur := theme.NoCursor
		name := label(f)
		if i == m.pickIdx {
			cur = theme.Cursor
			if m.focused {
				name = t.Selected.Render(name)
			} else {
				name = t.Inactive.Render(name)
			}
		}
		extra := fmt.Sprintf("  %s · %d lines", path.Base(f.Path), len(f.Lines))
		if n := len(f.Errors); n > 0 {
			extra += fmt.Sprintf(" · %d parse errors", n)
		}
		lines = append(lines, pane.Truncate(cur+name+t.Muted.Render(extra), m.w))
	}
	return strings.Join(lines, "\n")
}
