// Package capture is the capture pane: a packet capture running in the
// background, shown as a header (source, packets, packets/s, whether the
// view is paused), per-protocol counters, a packets/s sparkline and a
// virtualised list of the recent packets, newest at the bottom.
//
// The capture runs in its own goroutine over a probes/capture Stats; the
// pane receives a snapshot at most ten times a second through a channel
// that keeps only the latest one, so the capture never waits for the
// screen. Only the rows in view are formatted, whatever the ring holds.
//
// Keys: j/k/↑/↓, pgup/pgdn, home/g and end/G move (at the end the list
// follows new packets); / filters the list by the packet text (a
// case-insensitive substring; esc clears it); space pauses and resumes the
// view (the capture goes on counting); s saves the packets the ring holds
// as pcapng (into the bundle when the dashboard has one on disk); esc or c closes the pane and stops the capture.
package capture

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	probe "github.com/nettui/nettui/probes/capture"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/theme"
)

// Options is the capture a pane shows.
type Options struct {
	// Open opens the source; it runs in the capture's goroutine and should
	// give up when ctx is done. The capture closes the source when it ends.
	Open func(ctx context.Context) (probe.Source, error)
	// Name says what is captured (a file, or device and interface).
	Name string
	// RingSize is the number of recent packets kept, listed and saved
	// (DefaultRingSize when zero).
	RingSize int
	// MaxRawBytes bounds the raw packet bytes kept for saving
	// (DefaultMaxRawBytes when zero); the oldest packets go first.
	MaxRawBytes int
	// SaveDir is where s writes its pcapng file (the current directory when
	// empty).
	SaveDir string
	// Saved, when set, is called with the path of each file written (for
	// example to list it in the bundle's bundle.yaml); its error is shown.
	Saved func(path string) error
	// Now is the clock naming saved files (time.Now when nil).
	Now func() time.Time
}

// KeyMap is the capture pane's bindings.
type KeyMap struct {
	Move     key.Binding // for short help only
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding
	Filter   key.Binding
	Pause    key.Binding
	Save     key.Binding
	Close    key.Binding
	// While the filter input is open:
	Accept key.Binding
	Cancel key.Binding
}

// DefaultKeyMap returns the capture pane's bindings. Unlike the other
// panes, space pauses rather than pages down.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Move:     key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑↓/jk", "move")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "oldest")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "newest, follow")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Pause:    key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pause")),
		Save:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save pcapng")),
		Close:    key.NewBinding(key.WithKeys("esc", "c"), key.WithHelp("esc/c", "stop, close")),
		Accept:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Move, k.Pause, k.Filter, k.Save, k.Close}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Filter, k.Pause, k.Save, k.Close},
	}
}

type filterKeys struct{ k KeyMap }

func (f filterKeys) ShortHelp() []key.Binding { return []key.Binding{f.k.Accept, f.k.Cancel, f.k.Move} }

func (f filterKeys) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// CloseMsg is what the pane asks the root for (see pane.Outbox) when the
// user closes it; the capture is already stopped.
type CloseMsg struct{}

// updateMsg carries a snapshot to the pane of capture id.
type updateMsg struct {
	id uint64
	u  *update
}

// savedMsg reports a save.
type savedMsg struct {
	id   uint64
	path string
	n    int
	err  error
	// listErr is the error of Options.Saved (the file itself was written).
	listErr error
}

var lastID atomic.Uint64

// Model is the capture pane.
type Model struct {
	pane.Outbox
	t    *theme.Theme
	keys KeyMap
	opts Options
	id   uint64
	eng  *engine
	now  func() time.Time

	cur     *update // shown
	pending *update // latest received while paused
	paused  bool

	// The filter: lower-case query and, when set, the sequence numbers of
	// the ring's packets that match (ascending); next is the first sequence
	// number not yet tested.
	query    string
	matches  []uint64
	nextTest uint64
	input    pane.Input
	editing  bool

	sel, offset int
	follow      bool // keep the newest packet selected

	status string // footer: what the last save did
	// format renders a packet's text; only rows in view are formatted.
	format func(*probe.Summary) string

	w, h    int
	focused bool
}

// New prepares a capture pane; the capture starts with Init and runs under
// ctx until Close.
func New(ctx context.Context, opts Options) Model {
	t := theme.Get()
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return Model{
		t: t, keys: DefaultKeyMap(), opts: opts, id: lastID.Add(1),
		eng: newEngine(ctx, opts), now: now, follow: true,
		input: pane.Input{
			Prompt: "/", Placeholder: "packet text (lacp, vlan 10, 10.0.0.1, spi…)",
			PromptStyle: t.Bold, PlaceholderStyle: t.Muted,
		},
		format: formatter(opts.Name),
	}
}

// formatter renders a packet's text, without the interface name when it
// only repeats the source's name (a capture file is its own "interface").
func formatter(name string) func(*probe.Summary) string {
	base, _, _ := strings.Cut(name, " [")
	return func(s *probe.Summary) string {
		if s.Iface == "" || (s.Iface != name && s.Iface != base) {
			return s.String()
		}
		c := *s
		c.Iface = ""
		return c.String()
	}
}

// Init implements tea.Model: it starts the capture and waits for its first
// snapshot.
func (m Model) Init() tea.Cmd {
	m.eng.launch()
	return m.listen()
}

// listen waits for the next snapshot of this capture.
func (m Model) listen() tea.Cmd {
	e, id := m.eng, m.id
	return func() tea.Msg {
		if u := e.next(); u != nil {
			return updateMsg{id, u}
		}
		return nil
	}
}

// Close stops the capture: its context is cancelled, which closes the
// source; Done is closed once its goroutines ended.
func (m Model) Close() { m.eng.stop() }

// Done is closed when the capture's goroutines have ended.
func (m Model) Done() <-chan struct{} { return m.eng.done }

// SetSize sets the inside size of the pane.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.input.Width = w
	m.scroll()
}

// SetFocused tells the pane whether it has focus.
func (m *Model) SetFocused(f bool) { m.focused = f }

// KeyMap returns the bindings for help.
func (m Model) KeyMap() help.KeyMap {
	if m.editing {
		return filterKeys{m.keys}
	}
	return m.keys
}

// Capturing reports whether the filter input has the keyboard.
func (m Model) Capturing() bool { return m.editing }

// Name is what is captured.
func (m Model) Name() string { return m.opts.Name }

// Title is the pane's status for the detail area's title.
func (m Model) Title() string {
	s := pane.Clean(m.opts.Name)
	switch {
	case m.cur == nil:
		s += " · starting"
	case m.cur.done && m.cur.err != nil:
		s += " · failed"
	case m.cur.done:
		s += " · finished"
	case m.paused:
		s += " · paused"
	default:
		s += " · capturing"
	}
	return s
}

// Paused reports whether the view is frozen.
func (m Model) Paused() bool { return m.paused }

// Finished reports whether the capture ended (Err says why).
func (m Model) Finished() bool { return m.cur != nil && m.cur.done }

// Err is why the capture failed, if it did.
func (m Model) Err() error {
	if m.cur == nil {
		return nil
	}
	return m.cur.err
}

// Packets is the number of packets the view shows as captured.
func (m Model) Packets() uint64 {
	if m.cur == nil {
		return 0
	}
	return m.cur.snap.Packets
}

// Filter is the display filter.
func (m Model) Filter() string { return m.input.Value() }

// SetFilter sets the display filter.
func (m *Model) SetFilter(s string) {
	m.input.SetValue(s)
	m.refilter()
}

// Status is the footer line (what the last save did), "" when none.
func (m Model) Status() string { return m.status }

// Counters are the per-protocol packet counts the pane shows. VLAN counts
// tagged frames whatever their protocol; Other is every frame that is not
// LACP, STP/RSTP/MSTP, IKE or ESP.
type Counters struct {
	LACP, STP, IKE, ESP, VLAN, Other uint64
}

// Counters returns the counts shown.
func (m Model) Counters() Counters {
	var c Counters
	if m.cur == nil {
		return c
	}
	sn := &m.cur.snap
	for _, p := range sn.Protocols {
		switch p.Proto {
		case probe.ProtoLACP:
			c.LACP += p.Count
		case probe.ProtoSTP, probe.ProtoRSTP, probe.ProtoMSTP:
			c.STP += p.Count
		case probe.ProtoIKE:
			c.IKE += p.Count
		case probe.ProtoESP:
			c.ESP += p.Count
		}
	}
	for k, n := range sn.VLANs {
		if k.VLAN >= 0 {
			c.VLAN += n
		}
	}
	c.Other = sn.Packets - c.LACP - c.STP - c.IKE - c.ESP
	return c
}

// Len is the number of rows in the list (after the filter).
func (m Model) Len() int {
	if m.cur == nil {
		return 0
	}
	if m.query != "" {
		return len(m.matches)
	}
	return len(m.cur.snap.Recent)
}

// Rows returns the text of every row in the list, oldest first (formats
// them all: for tests and inspection, not for drawing).
func (m Model) Rows() []string {
	out := make([]string, m.Len())
	for i := range out {
		out[i] = m.format(m.row(i))
	}
	return out
}

// Selected is the index of the selected row.
func (m Model) Selected() int { return m.sel }

// Following reports whether the list follows new packets.
func (m Model) Following() bool { return m.follow }

// first is the sequence number (0-based, in capture order) of the oldest
// packet in the ring.
func (m Model) first() uint64 {
	return m.cur.snap.Packets - uint64(len(m.cur.snap.Recent))
}

// seq is the sequence number of row i.
func (m Model) seq(i int) uint64 {
	if m.query != "" {
		return m.matches[i]
	}
	return m.first() + uint64(i)
}

func (m Model) row(i int) *probe.Summary {
	return &m.cur.snap.Recent[m.seq(i)-m.first()]
}

// rowOf is the row of the packet with sequence number seq, or of the next
// one shown when it is gone or filtered out.
func (m Model) rowOf(seq uint64) int {
	if m.query != "" {
		return sort.Search(len(m.matches), func(i int) bool { return m.matches[i] >= seq })
	}
	if seq < m.first() {
		return 0
	}
	return int(seq - m.first())
}

// Update implements tea.Model. Keys arrive only when the pane has focus.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case updateMsg:
		if msg.id != m.id {
			return m, nil
		}
		var cmd tea.Cmd
		if !msg.u.done {
			cmd = m.listen()
		}
		if m.paused && !msg.u.done {
			m.pending = msg.u
		} else {
			m.apply(msg.u)
		}
		return m, cmd
	case savedMsg:
		if msg.id != m.id {
			return m, nil
		}
		switch {
		case msg.err != nil:
			m.status = "save failed: " + msg.err.Error()
		case msg.listErr != nil:
			m.status = fmt.Sprintf("saved %d packets to %s (not listed in the bundle: %v)", msg.n, msg.path, msg.listErr)
		default:
			m.status = fmt.Sprintf("saved %d packets to %s", msg.n, msg.path)
		}
	case tea.KeyMsg:
		if m.editing {
			return m.updateInput(msg)
		}
		return m.handleKey(msg)
	case tea.MouseMsg:
		if d := pane.WheelDelta(msg); d != 0 {
			m.move(3 * d)
		} else if pane.IsClick(msg) {
			if r := msg.Y - m.listTop() + m.offset; msg.Y >= m.listTop() && r >= 0 && r < m.Len() {
				m.sel = r
				m.follow = r == m.Len()-1
			}
		}
	}
	return m, nil
}

func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	page := max(1, m.listHeight()-1)
	switch {
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-page)
	case key.Matches(msg, k.PageDown):
		m.move(page)
	case key.Matches(msg, k.Home):
		m.move(-m.Len())
	case key.Matches(msg, k.End):
		m.move(m.Len())
	case key.Matches(msg, k.Filter):
		m.editing = true
		m.input.Focus()
		m.scroll()
	case key.Matches(msg, k.Pause):
		m.paused = !m.paused
		if !m.paused && m.pending != nil {
			m.apply(m.pending)
		}
		m.pending = nil
	case key.Matches(msg, k.Save):
		return m, m.save()
	case key.Matches(msg, k.Close):
		m.Close()
		m.Ask(CloseMsg{})
	}
	return m, nil
}

func (m Model) updateInput(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch pane.HandleFilterKey(&m.input, msg, m.keys.Accept, m.keys.Cancel) {
	case pane.FilterAccept:
		m.editing = false
		m.scroll()
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

// apply shows a snapshot, keeping the selected packet selected (or the
// newest, when following).
func (m *Model) apply(u *update) {
	var keep uint64
	had := m.cur != nil && m.sel < m.Len()
	if had {
		keep = m.seq(m.sel)
	}
	m.cur = u
	if m.query != "" {
		m.extend()
	}
	switch n := m.Len(); {
	case m.follow:
		m.sel = max(0, n-1)
	case had:
		m.sel = pane.Clamp(m.rowOf(keep), 0, max(0, n-1))
	}
	m.scroll()
}

// refilter tests every packet of the ring against a new filter.
func (m *Model) refilter() {
	var keep uint64
	had := m.cur != nil && m.sel < m.Len()
	if had {
		keep = m.seq(m.sel)
	}
	m.query = strings.ToLower(m.input.Value())
	m.matches, m.nextTest = m.matches[:0], 0
	if m.cur == nil {
		return
	}
	if m.query != "" {
		m.extend()
	}
	n := m.Len()
	if m.follow || !had {
		m.sel = max(0, n-1)
	} else {
		m.sel = pane.Clamp(m.rowOf(keep), 0, max(0, n-1))
	}
	m.scroll()
}

// extend drops the matches that left the ring and tests the packets that
// arrived since the last snapshot, so a filter costs each packet one test.
func (m *Model) extend() {
	first := m.first()
	i := sort.Search(len(m.matches), func(i int) bool { return m.matches[i] >= first })
	m.matches = slices.Delete(m.matches, 0, i)
	for seq := max(m.nextTest, first); seq < m.cur.snap.Packets; seq++ {
		s := &m.cur.snap.Recent[seq-first]
		if strings.Contains(strings.ToLower(s.String()), m.query) {
			m.matches = append(m.matches, seq)
		}
	}
	m.nextTest = m.cur.snap.Packets
}

func (m *Model) move(d int) {
	n := m.Len()
	m.sel = pane.Clamp(m.sel+d, 0, max(0, n-1))
	m.follow = m.sel >= n-1
	m.scroll()
}

// save writes the raw packets held to a new pcapng file, in a command.
func (m *Model) save() tea.Cmd {
	name := strings.Map(func(r rune) rune {
		if r == '-' || r == '.' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, strings.TrimSuffix(filepath.Base(m.opts.Name), filepath.Ext(m.opts.Name)))
	path := filepath.Join(m.opts.SaveDir, "capture-"+name+"-"+m.now().Format("20060102-150405")+".pcapng")
	m.status = "saving to " + path + "…"
	e, id, saved := m.eng, m.id, m.opts.Saved
	return func() tea.Msg {
		pkts := e.recorded()
		if len(pkts) == 0 {
			return savedMsg{id: id, path: path, err: fmt.Errorf("no packets to save")}
		}
		if err := writeFile(path, pkts); err != nil {
			return savedMsg{id: id, path: path, n: len(pkts), err: err}
		}
		msg := savedMsg{id: id, path: path, n: len(pkts)}
		if saved != nil {
			msg.listErr = saved(path)
		}
		return msg
	}
}

// Lines above the list: header, counters, sparkline, then the filter line
// (when a filter is set or typed) and the column titles.
const headLines = 3

func (m Model) listTop() int {
	top := headLines + 1
	if m.editing || m.query != "" {
		top++
	}
	return top
}

func (m Model) listHeight() int {
	h := m.h - m.listTop()
	if m.status != "" {
		h--
	}
	return max(0, h)
}

func (m *Model) scroll() {
	m.offset = pane.Follow(m.offset, m.sel, m.sel, m.listHeight(), m.Len())
}

// View implements tea.Model: the inside of the pane, m.w × m.h.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	t := m.t
	lines := make([]string, 0, m.h)
	lines = append(lines, m.headerLine(), m.countersLine(), m.sparkLine())
	switch {
	case m.editing:
		lines = append(lines, m.input.View())
	case m.query != "":
		lines = append(lines, t.Muted.Render("filter: ")+t.Bold.Render(m.input.Value())+
			t.Muted.Render(fmt.Sprintf("  %d of %d  (/ edit, esc in the filter clears)", m.Len(), len(m.cur.snap.Recent))))
	}
	numW, timeW := m.columns()
	lines = append(lines, t.Muted.Render(theme.NoCursor+pane.Pad("No.", numW)+" "+pane.Pad("Time", timeW)+" "+pane.Pad("Len", 5)+" Packet"))
	switch {
	case m.cur == nil:
		lines = append(lines, t.Muted.Render("Starting the capture…"))
	case len(m.cur.snap.Recent) == 0:
		lines = append(lines, t.Muted.Render("No packets yet."))
	case m.Len() == 0:
		lines = append(lines, t.Muted.Render("No packets match."))
	}
	end := min(m.Len(), m.offset+m.listHeight())
	for i := m.offset; i < end; i++ {
		s := m.row(i)
		cur := theme.NoCursor
		if i == m.sel {
			cur = theme.Cursor
		}
		rel := ""
		if !m.cur.snap.First.IsZero() {
			rel = strconv.FormatFloat(s.Time.Sub(m.cur.snap.First).Seconds(), 'f', 6, 64)
		}
		text := pane.Pad(strconv.FormatUint(m.seq(i)+1, 10), numW) + " " + pane.Pad(rel, timeW) + " " +
			pane.Pad(strconv.FormatUint(uint64(s.Length), 10), 5) + " " + pane.Clean(m.format(s))
		text = pane.Cell(text, m.w-ansi.StringWidth(cur))
		switch {
		case i == m.sel && m.focused:
			text = t.Selected.Render(text)
		case i == m.sel:
			text = t.Inactive.Render(text)
		}
		lines = append(lines, cur+text)
	}
	body := pane.Fit(strings.Join(lines, "\n"), m.w, max(0, m.h-boolInt(m.status != "")))
	if m.status != "" {
		body += "\n" + pane.Cell(t.Muted.Render(pane.Clean(m.status)), m.w)
	}
	return body
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// columns are the widths of the number and time columns.
func (m Model) columns() (numW, timeW int) {
	numW, timeW = 5, 10
	if m.cur != nil {
		numW = max(numW, len(strconv.FormatUint(m.cur.snap.Packets, 10)))
		if !m.cur.snap.First.IsZero() {
			timeW = max(timeW, len(strconv.FormatFloat(m.cur.snap.Last.Sub(m.cur.snap.First).Seconds(), 'f', 6, 64)))
		}
	}
	return numW, timeW
}

// headerLine is the source, state, packets and packets/s.
func (m Model) headerLine() string {
	t := m.t
	name := t.Bold.Render(pane.Clean(m.opts.Name))
	if m.cur == nil {
		return pane.Truncate(name+t.Muted.Render(" · starting…"), m.w)
	}
	u := m.cur
	var state string
	switch {
	case u.done && u.err != nil:
		state = t.Error.Render("failed: " + pane.Clean(u.err.Error()))
	case u.done:
		state = t.StatusOK.Render("finished")
	case m.paused:
		state = t.StatusPartial.Render("PAUSED") + t.Muted.Render(" (space resumes; still counting)")
	default:
		state = t.StateActive.Render("capturing")
	}
	parts := []string{name, state, fmt.Sprintf("%d packets", u.snap.Packets)}
	switch {
	case u.done && u.snap.Packets > 0:
		if d := u.snap.Last.Sub(u.snap.First).Seconds(); d > 0 {
			parts = append(parts, fmt.Sprintf("avg %.1f pkt/s", float64(u.snap.Packets)/d))
		}
	case len(u.rates) >= 2:
		parts = append(parts, fmt.Sprintf("%d pkt/s", u.rates[len(u.rates)-2]))
	case len(u.rates) == 1:
		parts = append(parts, fmt.Sprintf("%d pkt/s", u.rates[0]))
	}
	if m.paused && m.pending != nil {
		parts = append(parts, fmt.Sprintf("%d new", m.pending.snap.Packets-u.snap.Packets))
	}
	return pane.Truncate(strings.Join(parts, t.Muted.Render(" · ")), m.w)
}

// countersLine is the per-protocol counts.
func (m Model) countersLine() string {
	c := m.Counters()
	t := m.t
	item := func(label string, n uint64) string {
		st := t.Bold
		if n == 0 {
			st = t.Muted
		}
		return t.Muted.Render(label+" ") + st.Render(strconv.FormatUint(n, 10))
	}
	s := strings.Join([]string{
		item("lacp", c.LACP), item("stp/rstp", c.STP), item("ike", c.IKE),
		item("esp", c.ESP), item("vlan-tagged", c.VLAN), item("other", c.Other),
	}, "  ")
	return pane.Truncate(s, m.w)
}

// sparkLevels draw a sample from zero to the largest shown.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// sparkLine is packets/s over the last Samples seconds of capture time,
// newest on the right.
func (m Model) sparkLine() string {
	t := m.t
	var rates []uint64
	if m.cur != nil {
		rates = m.cur.rates
	}
	label := "pkt/s "
	var top uint64
	for _, r := range rates {
		top = max(top, r)
	}
	suffix := fmt.Sprintf(" max %d/s, last %ds", top, Samples)
	room := m.w - len(label) - len(suffix)
	n := min(Samples, max(0, room))
	if len(rates) > n {
		rates = rates[len(rates)-n:]
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", n-len(rates)))
	for _, r := range rates {
		switch {
		case r == 0:
			b.WriteByte(' ')
		default:
			lvl := int((r*uint64(len(sparkLevels)) - 1) / top)
			b.WriteRune(sparkLevels[min(lvl, len(sparkLevels)-1)])
		}
	}
	return pane.Truncate(t.Muted.Render(label)+t.Spark.Render(b.String())+t.Muted.Render(suffix), m.w)
}
