// Package walk is the dashboard's guided-walkthrough view: a picker of the
// walkthroughs (the ones matching the selected finding first), then one
// step at a time — what the step checks and why, how to read it, its
// question's choices, and the result of the step before with the lines it
// rests on — and at the end the conclusion with what to type, and the
// transcript, which e exports as Markdown.
//
// Keys: ↑/↓ (j/k) move in the picker and among a question's choices, and
// scroll otherwise; pgup/pgdn scroll; enter starts the walkthrough, runs
// the step or takes the choice; s skips the step; b goes back a step (to
// the picker before the first); i types an answer a question takes besides
// its choices (vlan:N, another /30), enter sends it, esc drops it; e writes
// the transcript as Markdown; esc closes the view.
//
// The engine is package diagnose/walk; steps that collect or capture on a
// live site run in a command, the others at once.
package walk

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	dwalk "github.com/nettui/nettui/diagnose/walk"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/keys"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/theme"
)

// Config is what the dashboard gives the view.
type Config struct {
	// Collector and Capturer reach a live site (nil on a bundle).
	Collector dwalk.Collector
	Capturer  dwalk.Capturer
	// ExportDir is where e writes the transcript (the current directory
	// when empty).
	ExportDir string
	// Source says what was opened, for the transcript.
	Source string
	// Now names exported files (time.Now when nil).
	Now func() time.Time
}

// KeyMap is the view's bindings.
type KeyMap struct {
	keys.Nav
	Enter  key.Binding
	Skip   key.Binding
	Back   key.Binding
	Export key.Binding
	Type   key.Binding
	Close  key.Binding
}

// DefaultKeyMap returns the view's bindings.
func DefaultKeyMap() KeyMap {
	nav := keys.DefaultNav()
	nav.PageDown = key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn", "page down"))
	return KeyMap{
		Nav:    nav,
		Enter:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run step / choose")),
		Skip:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "skip step")),
		Back:   key.NewBinding(key.WithKeys("b", "backspace"), key.WithHelp("b", "back")),
		Export: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export .md")),
		Type:   key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "type an answer")),
		Close:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Move, k.Enter, k.Skip, k.Back, k.Export, k.Close}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.Bindings(), {k.Enter, k.Skip, k.Back, k.Type, k.Export, k.Close}}
}

// typingKeys is the help while an answer is typed.
type typingKeys struct{ k KeyMap }

func (p typingKeys) ShortHelp() []key.Binding {
	send, drop := p.k.Enter, p.k.Close
	send.SetHelp("enter", "answer")
	drop.SetHelp("esc", "drop")
	return []key.Binding{send, drop}
}

func (p typingKeys) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// pickerKeys is the help in the picker.
type pickerKeys struct{ k KeyMap }

func (p pickerKeys) ShortHelp() []key.Binding {
	start := p.k.Enter
	start.SetHelp("enter", "start")
	return []key.Binding{p.k.Move, start, p.k.Close}
}

func (p pickerKeys) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// CloseMsg is what the view asks the root for (see pane.Outbox) when the
// user closes it.
type CloseMsg struct{}

// stepMsg brings back a step run in a command (live I/O).
type stepMsg struct {
	id   int
	sess *dwalk.Session
	err  error
}

// exportedMsg says where the transcript was written.
type exportedMsg struct {
	path string
	err  error
}

// Model is the walkthrough view.
type Model struct {
	pane.Outbox
	t    *theme.Theme
	keys KeyMap
	cfg  Config
	ctx  context.Context
	snap *netmodel.Snapshot
	from *netmodel.Finding

	list      []*dwalk.Walkthrough
	suggested int // how many of list match the finding
	cursor    int // in the picker, or among a question's choices

	sess   *dwalk.Session
	busy   bool
	runID  int
	status string
	errMsg string

	input  pane.Input // a typed answer, while typing
	typing bool

	vp         viewport.Model
	choiceLine int // content line of the first choice
	w, h       int
}

// New opens the view on its picker, with the walkthroughs matching the
// finding f (nil for none) first.
func New(ctx context.Context, cfg Config, snap *netmodel.Snapshot, f *netmodel.Finding) Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	t := theme.Get()
	m := Model{t: t, keys: DefaultKeyMap(), cfg: cfg, ctx: ctx, snap: snap, from: f, vp: viewport.New(0, 0),
		input: pane.Input{Prompt: "answer: ", PromptStyle: t.Bold, PlaceholderStyle: t.Muted}}
	m.list = dwalk.Suggested(f)
	for _, w := range m.list {
		if w.Matches(f) {
			m.suggested++
		}
	}
	m.render()
	return m
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the inside size.
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

// KeyMap returns the bindings of the current mode, for help.
func (m Model) KeyMap() help.KeyMap {
	if m.typing {
		return typingKeys{m.keys}
	}
	if m.sess == nil {
		return pickerKeys{m.keys}
	}
	return m.keys
}

// Capturing reports whether a typed answer has the keyboard.
func (m Model) Capturing() bool { return m.typing }

// Session returns the running session (nil in the picker).
func (m Model) Session() *dwalk.Session { return m.sess }

// Status is the last message (a file written, an error).
func (m Model) Status() string { return m.status }

// Title describes the view for its frame.
func (m Model) Title() string {
	if m.sess == nil {
		return "Walkthroughs"
	}
	w := m.sess.Walkthrough()
	if m.sess.Done() {
		return fmt.Sprintf("Walkthrough %s · concluded", w.Name)
	}
	st := m.sess.Current()
	return fmt.Sprintf("Walkthrough %s · step %d/%d", w.Name, index(w, st.ID)+1, len(w.Steps))
}

func index(w *dwalk.Walkthrough, id string) int {
	for i, s := range w.Steps {
		if s.ID == id {
			return i
		}
	}
	return 0
}

// Start begins walkthrough w (as if chosen in the picker); the choices its
// finding names start under the cursor.
func (m *Model) Start(w *dwalk.Walkthrough) {
	m.sess = dwalk.New(w, m.snap, dwalk.Options{Collector: m.cfg.Collector, Capturer: m.cfg.Capturer, Source: m.cfg.Source})
	m.status, m.errMsg = "", ""
	m.placeCursor()
	m.render()
	m.vp.GotoTop()
}

// placeCursor puts the choice cursor on the prefilled answer, if any.
func (m *Model) placeCursor() {
	m.cursor = 0
	q, choices := m.sess.Choices()
	if q == nil {
		return
	}
	if want := m.sess.Walkthrough().Prefill(m.snap, m.from)[q.Key]; want != "" {
		for i, c := range choices {
			if c.Value == want {
				m.cursor = i
			}
		}
	}
}

// Update implements tea.Model (keys arrive only while the view is open).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmd = m.key(msg)
	case tea.MouseMsg:
		if d := pane.WheelDelta(msg); d < 0 {
			m.vp.ScrollUp(m.vp.MouseWheelDelta)
		} else if d > 0 {
			m.vp.ScrollDown(m.vp.MouseWheelDelta)
		}
		return m, nil
	case stepMsg:
		if msg.id != m.runID || !m.busy {
			return m, nil // a stale run
		}
		m.busy = false
		m.sess = msg.sess
		m.after(msg.err)
	case exportedMsg:
		if msg.err != nil {
			m.status = "export failed: " + msg.err.Error()
		} else {
			m.status = "transcript written to " + msg.path
		}
	default:
		return m, nil
	}
	m.render()
	return m, cmd
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.typing {
		switch {
		case key.Matches(msg, k.Close):
			m.typing = false
			m.input.Blur()
		case key.Matches(msg, k.Enter):
			m.typing = false
			m.input.Blur()
			m.after(m.sess.Answer(m.ctx, m.input.Value()))
		default:
			m.input.Update(msg)
		}
		return nil
	}
	if key.Matches(msg, k.Close) {
		m.Ask(CloseMsg{})
		return nil
	}
	if m.sess == nil {
		return m.pickerKey(msg)
	}
	if m.busy {
		return nil // a step runs; only esc (and quit) act
	}
	q, choices := m.sess.Choices()
	switch {
	case q != nil && key.Matches(msg, k.Up):
		m.cursor = pane.Clamp(m.cursor-1, 0, max(0, len(choices)-1))
		m.render()
		m.follow()
	case q != nil && key.Matches(msg, k.Down):
		m.cursor = pane.Clamp(m.cursor+1, 0, max(0, len(choices)-1))
		m.render()
		m.follow()
	case key.Matches(msg, k.Up):
		m.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		m.vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		m.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		m.vp.PageDown()
	case key.Matches(msg, k.Home):
		m.vp.GotoTop()
	case key.Matches(msg, k.End):
		m.vp.GotoBottom()
	case key.Matches(msg, k.Enter):
		return m.run(q, choices)
	case key.Matches(msg, k.Skip):
		if !m.sess.Done() {
			m.sess.Skip()
			m.after(nil)
		}
	case key.Matches(msg, k.Back):
		if !m.sess.Back() {
			m.sess = nil // before the first step: the picker again
			m.cursor = 0
		} else {
			m.after(nil)
		}
	case key.Matches(msg, k.Export):
		return m.export()
	case q != nil && q.Free != "" && key.Matches(msg, k.Type):
		m.typing = true
		m.input.SetValue("")
		m.input.Focus()
	}
	return nil
}

// follow keeps the choice cursor in view: choices start after the
// step's heading lines.
func (m *Model) follow() {
	line := m.choiceLine + m.cursor
	m.vp.SetYOffset(pane.Follow(m.vp.YOffset, line, line, m.vp.Height, m.vp.TotalLineCount()))
}

func (m *Model) pickerKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = pane.Clamp(m.cursor-1, 0, len(m.list)-1)
	case key.Matches(msg, k.Down):
		m.cursor = pane.Clamp(m.cursor+1, 0, len(m.list)-1)
	case key.Matches(msg, k.Home):
		m.cursor = 0
	case key.Matches(msg, k.End):
		m.cursor = len(m.list) - 1
	case key.Matches(msg, k.Enter):
		if len(m.list) > 0 {
			m.Start(m.list[m.cursor])
		}
	}
	return nil
}

// run runs the current step (answering its question with the choice under
// the cursor); live steps run in a command on a copy of the session.
func (m *Model) run(q *dwalk.Question, choices []dwalk.Choice) tea.Cmd {
	if m.sess.Done() {
		return nil
	}
	if q != nil {
		if len(choices) == 0 {
			m.after(m.sess.Next(m.ctx))
			return nil
		}
		m.after(m.sess.Answer(m.ctx, choices[pane.Clamp(m.cursor, 0, len(choices)-1)].Value))
		return nil
	}
	if !m.sess.NeedsIO() {
		m.after(m.sess.Next(m.ctx))
		return nil
	}
	m.busy = true
	m.runID++
	id, s, ctx := m.runID, m.sess.Clone(), m.ctx
	return func() tea.Msg {
		err := s.Next(ctx)
		return stepMsg{id: id, sess: s, err: err}
	}
}

// after settles the view once a step ran (or was undone).
func (m *Model) after(err error) {
	m.errMsg = ""
	if err != nil {
		m.errMsg = err.Error()
	}
	m.placeCursor()
	m.render()
	m.vp.GotoTop()
}

// export writes the transcript as Markdown, in a command.
func (m *Model) export() tea.Cmd {
	if m.sess == nil {
		return nil
	}
	var b bytes.Buffer
	tr := m.sess.Transcript()
	if err := tr.WriteMarkdown(&b); err != nil {
		m.status = "export failed: " + err.Error()
		return nil
	}
	site := tr.Site
	if site == "" {
		site = "site"
	}
	name := fmt.Sprintf("walk-%s-%s-%s.md", tr.Walkthrough, safe(site), m.cfg.Now().UTC().Format("20060102-150405"))
	path := filepath.Join(m.cfg.ExportDir, name)
	data := b.Bytes()
	return func() tea.Msg {
		err := os.WriteFile(path, data, 0o600)
		return exportedMsg{path: path, err: err}
	}
}

func safe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, s)
}

// View implements tea.Model: the inside, w × h.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	return pane.Fit(m.vp.View(), m.w, m.h)
}
