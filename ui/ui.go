// Package ui is nettui's dashboard: a Bubble Tea root model that lays out
// the panes (devices, findings, and a detail area showing either the
// evidence of the selected finding or the raw viewer), owns focus, global
// keys and help, and routes messages.
//
// Key routing, in four steps: a focused text input (filter, search) gets
// every key first (only ctrl+c gets past it); then the global keys; then the
// focused pane alone. Other messages go to every pane, except mouse events,
// which go to the pane under the pointer.
//
// Keys: tab/shift+tab cycle focus (1, 2, 3 jump to devices, findings,
// evidence/raw); v toggles the detail area between evidence and the raw
// viewer; ? shows the focused pane's full help; q or ctrl+c quits. In every
// pane j/k/↑/↓, pgup/pgdn, home/g, end/G move. Findings: / filter (esc
// clears), enter shows the evidence, o opens the first cited file in the
// raw viewer. Evidence: ]/n and [/p go to the next/previous evidence item,
// o or enter opens it in the raw viewer at the cited lines. Raw viewer: f
// picks a device then a file, [ and ] step through the device's files, /
// searches, n/N go to the next/previous match, h/l scroll sideways, esc
// clears. The mouse wheel scrolls the pane under the pointer; a click
// focuses a pane and selects the row under it.
//
// With a Collector (Options.Collector) the dashboard collects the site
// itself: a second header line shows the progress (devices done, failed,
// a bar and the elapsed time), then what the last collection did; each
// device shows where its collection is; findings appear as devices finish.
// Selecting a failed device shows why it failed; a shows the fingerprint of
// an unknown host key again and, on y, writes it to known_hosts and
// collects the device again. r collects every device again, marking the
// findings that are new and, after the others, those resolved. Password and
// passphrase prompts (Options.Prompts) open a dialog over the dashboard.
//
// With Options.OpenCapture, c starts a packet capture for the selected
// finding (or, with none selected, whatever OpenCapture picks) and shows it
// in the detail area (see package ui/capture); esc or c in that pane stops
// the capture and closes it, and c elsewhere replaces it with a capture for
// the finding selected then.
//
// With Options.Walk, w opens the guided walkthroughs (package ui/walk) over
// the panes, the one matching the selected finding first; esc closes them.
//
// The layout needs at least MinWidth×MinHeight (60×15) cells; below that
// the whole screen is one line saying so.
package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/nettui/nettui/internal/netmodel"
	probe "github.com/nettui/nettui/probes/capture"
	"github.com/nettui/nettui/ui/capture"
	"github.com/nettui/nettui/ui/devices"
	"github.com/nettui/nettui/ui/evidence"
	"github.com/nettui/nettui/ui/findings"
	"github.com/nettui/nettui/ui/keys"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/raw"
	"github.com/nettui/nettui/ui/theme"
	walkui "github.com/nettui/nettui/ui/walk"
)

// The smallest terminal the layout fits in: the devices column needs about
// 24 cells and the findings list about 36 next to it; vertically, a header,
// a help line and two framed panes of at least three lines each.
const (
	MinWidth  = 60
	MinHeight = 15
)

// Layout bounds of the devices column.
const (
	leftMinW = 24
	leftMaxW = 34
	minInner = 3 // fewest lines inside the findings and detail panes
)

// Options is what the dashboard shows.
type Options struct {
	// Snapshot holds the devices, the raw files (for evidence and the raw
	// viewer) and the unrecognised inputs.
	Snapshot *netmodel.Snapshot
	// Findings, already sorted by severity, most severe first.
	Findings []netmodel.Finding
	// Source says what was opened: "embedded demo site" or a bundle path.
	Source string
	// Logger receives the UI's diagnostics; the UI never writes to stdout or
	// stderr itself. Nil discards.
	Logger *slog.Logger
	// Collector, when set, collects the site live: Snapshot then holds the
	// inventory's devices (names, platforms, Status "queued") and Findings
	// is empty. Nil shows a static bundle.
	Collector Collector
	// Prompts brings the collector's questions (passwords, passphrases,
	// keyboard-interactive) to the user. Nil: none.
	Prompts <-chan PromptRequest
	// OpenCapture, when set, lets c start a packet capture for the finding
	// selected (nil when none is): it returns what the capture is called
	// and how to open its source (the filter and the interface derived
	// from the finding), or why no capture can be made. Open runs in the
	// capture's goroutine. Nil: no capture key.
	OpenCapture func(f *netmodel.Finding) (name string, open func(ctx context.Context) (probe.Source, error), err error)
	// SaveCapture, when set, says where the capture pane saves the capture
	// called name (the bundle's captures folder, say) and what to do with
	// each file written (list it in bundle.yaml). Nil: the current folder.
	SaveCapture func(name string) (dir string, saved func(path string) error)
	// StartCapture opens the capture pane at once (OpenCapture with the
	// first finding selected): the dashboard of a capture file.
	StartCapture bool
	// Walk, when set, lets w open the guided walkthroughs (walkpane.go).
	// Nil: no walkthrough key.
	Walk *walkui.Config
}

// startCaptureMsg opens the capture pane (Options.StartCapture).
type startCaptureMsg struct{}

type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// Model is the root model; it implements tea.Model.
type Model struct {
	opts   Options
	log    *slog.Logger
	t      *theme.Theme
	keys   keys.Global
	help   help.Model
	counts [4]int // findings by severity, resolved ones aside
	now    func() time.Time

	snap *netmodel.Snapshot
	list []netmodel.Finding // the findings shown

	// Live collection (with a Collector) and dialogs.
	sess         *session
	live         liveState
	liveBindings keys.Live
	dialogKeys   keys.Dialog
	devDetail    bool    // the detail area shows the failed device selected
	first        tea.Cmd // the collection started by Init
	prompts      []PromptRequest
	answer       pane.Input
	confirm      string // device whose host key is being confirmed
	capKeys      keys.Capture

	// The capture pane, shown in the detail area while capOpen.
	capture capture.Model
	capOpen bool

	walk walkState // the guided walkthroughs, over the panes while open

	devices  devices.Model
	findings findings.Model
	evidence evidence.Model
	raw      raw.Model

	focus    pane.ID
	showRaw  bool
	showHelp bool

	w, h  int
	rects [pane.Count]rect // outer rectangles of the panes, for the mouse
}

// New builds the dashboard. Nothing is drawn until the first WindowSizeMsg.
// With a Collector, the collection starts with the program (Init).
func New(opts Options) Model { return newModel(context.Background(), opts, time.Now) }

// newModel builds the dashboard; collections run under ctx and are timed
// with now.
func newModel(ctx context.Context, opts Options, now func() time.Time) Model {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	snap := opts.Snapshot
	if snap == nil {
		snap = &netmodel.Snapshot{}
	}
	t := theme.Get()
	h := help.New()
	h.Styles.ShortKey, h.Styles.FullKey = t.HelpKey, t.HelpKey
	h.Styles.ShortDesc, h.Styles.FullDesc = t.HelpDesc, t.HelpDesc
	h.Styles.ShortSeparator, h.Styles.FullSeparator = t.HelpSep, t.HelpSep
	m := Model{
		opts:         opts,
		log:          log,
		t:            t,
		keys:         keys.DefaultGlobal(),
		help:         h,
		now:          now,
		snap:         snap,
		list:         opts.Findings,
		sess:         newSession(ctx),
		liveBindings: keys.DefaultLive(),
		dialogKeys:   keys.DefaultDialog(),
		capKeys:      keys.DefaultCapture(),
		walk:         walkState{keys: keys.DefaultWalk()},
		devices:      devices.New(snap, opts.Findings),
		findings:     findings.New(opts.Findings),
		evidence:     evidence.New(snap),
		raw:          raw.New(snap),
	}
	for i := range opts.Findings {
		if s := opts.Findings[i].Severity; s >= 0 && int(s) < len(m.counts) && opts.Findings[i].Status != "resolved" {
			m.counts[s]++
		}
	}
	if opts.Collector != nil {
		m.live.raw = opts.Findings
		m.first = m.startRun(nil)
	}
	m.setFocus(pane.Findings)
	m.sync()
	return m
}

// Run shows the dashboard full-screen until the user quits or ctx ends
// (then it returns ctx's error). A live collection is cancelled on the way
// out.
func Run(ctx context.Context, opts Options) error {
	// Ask the terminal for its background before Bubble Tea owns the input,
	// so adaptive colours do not query it mid-session.
	lipgloss.HasDarkBackground()
	m := newModel(ctx, opts, time.Now)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx))
	_, err := p.Run()
	m.sess.stop(stopWait)
	if err != nil && ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		return ctx.Err()
	}
	return err
}

// Init implements tea.Model. With a Collector it starts the collection New
// prepared; with Prompts it starts listening for them. (No
// tea.SetWindowTitle: in bubbletea v1.3.10 it writes to the terminal from
// the event loop while the renderer may be flushing, which the race
// detector reports.)
func (m Model) Init() tea.Cmd {
	var start tea.Cmd
	if m.opts.StartCapture && m.opts.OpenCapture != nil {
		start = func() tea.Msg { return startCaptureMsg{} }
	}
	return tea.Batch(m.first, m.listenPrompts(), start)
}

// Focus returns the focused pane.
func (m Model) Focus() pane.ID { return m.focus }

// ShowingRaw reports whether the detail area shows the raw viewer.
func (m Model) ShowingRaw() bool { return m.showRaw }

// Devices returns the devices pane (for tests and inspection).
func (m Model) Devices() devices.Model { return m.devices }

// Findings returns the findings pane.
func (m Model) Findings() findings.Model { return m.findings }

// Evidence returns the evidence pane.
func (m Model) Evidence() evidence.Model { return m.evidence }

// Raw returns the raw viewer.
func (m Model) Raw() raw.Model { return m.raw }

// Capture returns the capture pane and whether one is open.
func (m Model) Capture() (capture.Model, bool) { return m.capture, m.capOpen }

// Update implements tea.Model. It does no I/O: collecting, accepting a
// host key and handing an answer over run in commands. Besides the usual
// messages it takes a Progress (as if the running collection reported it)
// and a PromptRequest (as if it came from Options.Prompts).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.log.Debug("resize", "width", m.w, "height", m.h)
	case tea.KeyMsg:
		cmd = m.handleKey(msg)
	case tea.MouseMsg:
		if !m.modal() {
			cmd = m.handleMouse(msg)
		}
	case pane.FocusMsg, pane.OpenRawMsg:
		m.apply(msg)
	case startCaptureMsg:
		cmd = m.openCapture()
	case progressMsg:
		cmd = m.onProgress(msg)
	case Progress:
		m.applyProgress([]Progress{msg}, msg.Site, msg.Findings, msg.Findings != nil, false)
	case tickMsg:
		cmd = m.onTick(msg)
	case acceptedMsg:
		cmd = m.onAccepted(msg)
	case promptMsg:
		m.queuePrompt(msg.req)
		cmd = m.listenPrompts()
	case PromptRequest:
		m.queuePrompt(msg)
	case answerMsg:
	default:
		var cmds [5]tea.Cmd
		cmds[4] = m.walkUpdate(msg)
		m.devices, cmds[0] = m.devices.Update(msg)
		m.findings, cmds[1] = m.findings.Update(msg)
		m.evidence, cmds[2] = m.evidence.Update(msg)
		m.raw, cmds[3] = m.raw.Update(msg)
		if m.capOpen {
			var c tea.Cmd
			m.capture, c = m.capture.Update(msg)
			cmd = tea.Batch(append(cmds[:], c)...)
			break
		}
		cmd = tea.Batch(cmds[:]...)
	}
	if m.live.running {
		m.live.elapsed = m.now().Sub(m.live.started)
	}
	m.sync()
	m.layout()
	return m, cmd
}

// handleKey routes a key: text input first, then global keys, then the
// focused pane only.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if m.modal() {
		switch {
		case key.Matches(msg, keys.ForceQuit):
			return m.quit()
		case len(m.prompts) > 0:
			return m.promptKey(msg)
		}
		return m.confirmKey(msg)
	}
	if m.walk.open {
		return m.walkKey(msg)
	}
	if m.capturing() {
		if key.Matches(msg, keys.ForceQuit) {
			return m.quit()
		}
		return m.updateFocused(msg)
	}
	g := m.keys
	switch {
	case key.Matches(msg, g.Quit):
		return m.quit()
	case m.opts.Collector != nil && key.Matches(msg, m.liveBindings.Recollect):
		return m.recollect()
	case m.opts.Collector != nil && key.Matches(msg, m.liveBindings.Accept):
		if dev, _, ok := m.hostKeyDevice(); ok {
			m.confirm = dev
		}
		return nil
	case m.opts.OpenCapture != nil && key.Matches(msg, m.capKeys.Open) && !(m.capOpen && m.focus == pane.Detail):
		return m.openCapture()
	case m.opts.Walk != nil && key.Matches(msg, m.walk.keys.Open):
		return m.openWalk()
	case m.capOpen && key.Matches(msg, g.ToggleRaw):
		return nil // the capture holds the detail area until closed
	case key.Matches(msg, g.Help):
		m.showHelp = !m.showHelp
		return nil
	case m.showHelp && msg.Type == tea.KeyEsc:
		m.showHelp = false
		return nil
	case key.Matches(msg, g.Next):
		m.setFocus((m.focus + 1) % pane.Count)
		return nil
	case key.Matches(msg, g.Prev):
		m.setFocus((m.focus + pane.Count - 1) % pane.Count)
		return nil
	case key.Matches(msg, g.Devices):
		m.setFocus(pane.Devices)
		return nil
	case key.Matches(msg, g.Findings):
		m.setFocus(pane.Findings)
		return nil
	case key.Matches(msg, g.Detail):
		m.setFocus(pane.Detail)
		return nil
	case key.Matches(msg, g.ToggleRaw):
		m.showRaw = !m.showRaw
		if m.showRaw {
			m.raw.ShowDevice(m.devices.Selected())
			m.setFocus(pane.Detail)
		} else {
			m.setFocus(m.focus)
		}
		return nil
	}
	return m.updateFocused(msg)
}

// quit cancels the collection, answers the prompts still open and quits.
func (m *Model) quit() tea.Cmd {
	if m.live.running {
		m.log.Info("collection cancelled: quitting")
	}
	m.sess.cancel()
	if m.capOpen {
		m.capture.Close()
	}
	return tea.Batch(m.cancelPrompts(), tea.Quit)
}

// openCapture starts a capture for the selected finding in the detail
// area, stopping the one shown before.
func (m *Model) openCapture() tea.Cmd {
	if m.capOpen {
		m.capture.Close()
	}
	f := m.findings.Selected()
	name, open, err := m.opts.OpenCapture(f)
	if name == "" {
		name = "capture"
	}
	if err != nil {
		m.log.Warn("capture", "name", name, "err", err)
		open = func(context.Context) (probe.Source, error) { return nil, err }
	}
	m.log.Debug("capture", "name", name)
	copts := capture.Options{Open: open, Name: name}
	if m.opts.SaveCapture != nil {
		copts.SaveDir, copts.Saved = m.opts.SaveCapture(name)
	}
	m.capture = capture.New(m.sess.ctx, copts)
	m.capOpen = true
	m.setFocus(pane.Detail)
	m.layout()
	return m.capture.Init()
}

func (m *Model) updateFocused(msg tea.Msg) tea.Cmd {
	return m.updatePane(m.focus, msg)
}

// updatePane sends msg to one pane and carries out what the pane asks for
// at once (see pane.Outbox).
func (m *Model) updatePane(id pane.ID, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	var act tea.Msg
	switch id {
	case pane.Devices:
		m.devices, cmd = m.devices.Update(msg)
		act = m.devices.TakeAction()
	case pane.Findings:
		before := m.findings.Selected()
		m.findings, cmd = m.findings.Update(msg)
		act = m.findings.TakeAction()
		if after := m.findings.Selected(); after != nil && after != before {
			m.devDetail = false // a finding chosen: show its evidence
		}
	case pane.Detail:
		switch {
		case m.capOpen:
			m.capture, cmd = m.capture.Update(msg)
			act = m.capture.TakeAction()
		case m.showRaw:
			m.raw, cmd = m.raw.Update(msg)
		default:
			m.evidence, cmd = m.evidence.Update(msg)
			act = m.evidence.TakeAction()
		}
	}
	if act != nil {
		m.sync()
		m.apply(act)
	}
	return cmd
}

// apply carries out a pane's request.
func (m *Model) apply(act tea.Msg) {
	switch a := act.(type) {
	case pane.FocusMsg:
		if a.Evidence {
			m.showRaw = false
			m.devDetail = false
		}
		m.setFocus(a.To)
	case pane.OpenRawMsg:
		if !m.raw.Open(a.File, a.Start, a.End) {
			m.log.Warn("evidence file not in snapshot", "file", a.File)
			return
		}
		m.log.Debug("open raw", "file", a.File, "line", a.Start)
		m.showRaw = true
		m.setFocus(pane.Detail)
	case capture.CloseMsg:
		m.capOpen = false
		m.capture = capture.Model{}
		m.setFocus(m.focus)
	}
}

// handleMouse sends wheel and clicks to the pane under the pointer (the
// wheel goes to the focused pane when the pointer is over no pane); a click
// also focuses that pane.
func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if m.tooSmall() {
		return nil
	}
	if m.walk.open {
		return m.walkUpdate(msg)
	}
	wheel := pane.WheelDelta(msg) != 0
	click := pane.IsClick(msg)
	if !wheel && !click {
		return nil
	}
	id, ok := m.paneAt(msg.X, msg.Y)
	if !ok {
		if wheel {
			return m.updateFocused(msg)
		}
		return nil
	}
	r := m.rects[id]
	st := m.t.Pane
	local := msg
	local.X -= r.x + st.GetMarginLeft() + st.GetBorderLeftSize() + st.GetPaddingLeft()
	local.Y -= r.y + st.GetMarginTop() + st.GetBorderTopSize() + st.GetPaddingTop()
	if click {
		m.setFocus(id)
	}
	return m.updatePane(id, local)
}

func (m Model) paneAt(x, y int) (pane.ID, bool) {
	for id, r := range m.rects {
		if r.contains(x, y) {
			return pane.ID(id), true
		}
	}
	return 0, false
}

func (m Model) capturing() bool {
	switch m.focus {
	case pane.Findings:
		return m.findings.Capturing()
	case pane.Detail:
		if m.capOpen {
			return m.capture.Capturing()
		}
		return m.showRaw && m.raw.Capturing()
	}
	return false
}

func (m *Model) setFocus(id pane.ID) {
	if id != m.focus {
		m.log.Debug("focus", "pane", id.String())
	}
	m.focus = id
	m.devices.SetFocused(id == pane.Devices)
	m.findings.SetFocused(id == pane.Findings)
	m.evidence.SetFocused(id == pane.Detail && !m.showRaw && !m.capOpen)
	m.raw.SetFocused(id == pane.Detail && m.showRaw && !m.capOpen)
	if m.capOpen {
		m.capture.SetFocused(id == pane.Detail)
	}
}

// sync carries selections across panes: the device selected narrows the
// findings, and the finding selected is the one the evidence shows. A
// failed device just selected takes the detail area (why it failed) until
// a finding is chosen.
func (m *Model) sync() {
	if d := m.devices.Selected(); d != m.findings.Device() {
		m.findings.SetDevice(d)
		_, failed := m.failedSelected()
		m.devDetail = failed
	}
	if f := m.findings.Selected(); f != m.evidence.Finding() {
		m.evidence.SetFinding(f)
	}
}

// showingFailure reports whether the detail area shows the failed device
// selected rather than the evidence.
func (m Model) showingFailure() (Progress, bool) {
	if m.showRaw || !m.devDetail {
		return Progress{}, false
	}
	return m.failedSelected()
}

func (m Model) tooSmall() bool { return m.w < MinWidth || m.h < MinHeight }

// paneKeys is the help of the focused pane (in its current mode).
func (m Model) paneKeys() help.KeyMap {
	switch m.focus {
	case pane.Devices:
		return m.devices.KeyMap()
	case pane.Findings:
		return m.findings.KeyMap()
	}
	if m.capOpen {
		return m.capture.KeyMap()
	}
	if m.showRaw {
		return m.raw.KeyMap()
	}
	return m.evidence.KeyMap()
}

// footerView is the short help (the focused pane's keys, then tab and v
// when they fit, then r and a with a Collector, then ? and q always), or
// with ? the full help: the pane's columns beside the global ones, or above
// them when too wide. A dialog shows its own keys.
func (m Model) footerView() string {
	h := m.help
	g := m.keys
	if m.showRaw {
		g.ToggleRaw.SetHelp("v", "evidence")
	}
	if m.modal() {
		return h.ShortHelpView(m.dialogHelp())
	}
	if m.walk.open {
		return m.walkFooter()
	}
	k := m.paneKeys()
	gFull := g.FullHelp()
	if lks := m.liveKeys(); len(lks) > 0 {
		col := make([]key.Binding, len(lks))
		for i, lk := range lks {
			col[i] = lk.b
		}
		gFull = append(gFull, col)
	}
	if m.opts.OpenCapture != nil {
		gFull = append(gFull, []key.Binding{m.capKeys.Open})
	}
	if m.opts.Walk != nil {
		gFull = append(gFull, []key.Binding{m.walk.keys.Open})
	}
	if m.showHelp {
		if v := h.FullHelpView(append(k.FullHelp(), gFull...)); lipgloss.Width(v) <= m.w {
			return v
		}
		return lipgloss.JoinVertical(lipgloss.Left, h.FullHelpView(k.FullHelp()), h.FullHelpView(gFull))
	}
	// Display order: pane keys, tab, v, ?, q. When it does not fit, drop the
	// least important first: the pane's later keys, then v, then the
	// pane's first two keys and tab; ? and q stay.
	type entry struct {
		b    key.Binding
		rank int // higher goes first
	}
	var es []entry
	for i, b := range k.ShortHelp() {
		r := 10 + i
		if i < 2 {
			r = 1
		}
		es = append(es, entry{b, r})
	}
	opt := g.Optional()
	es = append(es, entry{opt[0], 0}, entry{opt[1], 5})
	for _, lk := range m.liveKeys() {
		es = append(es, entry{lk.b, lk.rank})
	}
	if m.opts.OpenCapture != nil && !(m.capOpen && m.focus == pane.Detail) {
		es = append(es, entry{m.capKeys.Open, 4})
	}
	if m.opts.Walk != nil {
		es = append(es, entry{m.walk.keys.Open, 3})
	}
	for _, b := range g.Essential() {
		es = append(es, entry{b, -1})
	}
	for {
		bs := make([]key.Binding, len(es))
		worst := -1
		for i, e := range es {
			bs[i] = e.b
			if e.rank >= 0 && (worst < 0 || e.rank > es[worst].rank) {
				worst = i
			}
		}
		v := h.ShortHelpView(bs)
		if lipgloss.Width(v) <= m.w || worst < 0 {
			return v
		}
		es = append(es[:worst], es[worst+1:]...)
	}
}

// geometry is the layout at the current size.
type geometry struct {
	footer               string
	bodyY, bodyH         int
	leftW, rightW, findH int
}

func (m Model) geometry() geometry {
	var g geometry
	g.footer = m.footerView()
	g.bodyY = m.headerHeight()
	footH := lipgloss.Height(g.footer)
	g.bodyH = m.h - g.bodyY - footH
	if g.bodyH < 2*(m.t.Pane.GetVerticalFrameSize()+minInner) {
		// Full help too tall for this terminal: keep the panes, drop help.
		g.footer = ""
		g.bodyH = m.h - g.bodyY
	}
	g.leftW = pane.Clamp(m.w/5, leftMinW, leftMaxW)
	g.rightW = m.w - g.leftW
	fv := m.t.Pane.GetVerticalFrameSize()
	want := m.findings.Total() + fv + 1 // one line for the filter
	g.findH = pane.Clamp(want, fv+minInner, max(fv+minInner, g.bodyH*2/5))
	g.findH = min(g.findH, g.bodyH-fv-minInner)
	return g
}

// layout gives every pane its inside size and records where panes are.
func (m *Model) layout() {
	if m.tooSmall() {
		m.rects = [pane.Count]rect{}
		return
	}
	g := m.geometry()
	fw, fv := m.t.Pane.GetHorizontalFrameSize(), m.t.Pane.GetVerticalFrameSize()
	detailH := g.bodyH - g.findH
	m.devices.SetSize(g.leftW-fw, g.bodyH-fv)
	m.findings.SetSize(g.rightW-fw, g.findH-fv)
	m.evidence.SetSize(g.rightW-fw, detailH-fv)
	m.raw.SetSize(g.rightW-fw, detailH-fv)
	if m.capOpen {
		m.capture.SetSize(g.rightW-fw, detailH-fv)
	}
	if m.walk.open {
		m.walk.model.SetSize(m.w-fw, g.bodyH-fv)
	}
	m.rects[pane.Devices] = rect{0, g.bodyY, g.leftW, g.bodyH}
	m.rects[pane.Findings] = rect{g.leftW, g.bodyY, g.rightW, g.findH}
	m.rects[pane.Detail] = rect{g.leftW, g.bodyY + g.findH, g.rightW, detailH}
}

// View implements tea.Model; it only joins the blocks the panes draw.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	if m.tooSmall() {
		return tooSmallLine(m.w, m.h)
	}
	g := m.geometry()
	detailH := g.bodyH - g.findH

	left := pane.Frame(m.frame(pane.Devices), m.t.PaneTitle.Render(m.devices.Title()), m.devices.View(), g.leftW, g.bodyH)
	top := pane.Frame(m.frame(pane.Findings), m.t.PaneTitle.Render(m.findings.Title()), m.findings.View(), g.rightW, g.findH)
	detail := m.evidence.View()
	switch p, failed := m.showingFailure(); {
	case m.capOpen:
		detail = m.capture.View()
	case m.showRaw:
		detail = m.raw.View()
	case failed:
		fw, fv := m.t.Pane.GetHorizontalFrameSize(), m.t.Pane.GetVerticalFrameSize()
		detail = m.failureView(p, g.rightW-fw, detailH-fv)
	}
	bottom := pane.Frame(m.frame(pane.Detail), m.detailTitle(), detail, g.rightW, detailH)

	body := lipgloss.JoinHorizontal(lipgloss.Top, left, lipgloss.JoinVertical(lipgloss.Left, top, bottom))
	if m.walk.open {
		body = m.walkView(g)
	}
	blocks := []string{m.headerView(), body}
	if g.footer != "" {
		blocks = append(blocks, pane.Fit(g.footer, m.w, lipgloss.Height(g.footer)))
	}
	v := lipgloss.JoinVertical(lipgloss.Left, blocks...)
	if m.modal() {
		v = overlay(v, m.dialogView(), m.w, m.h)
	}
	return v
}

func (m Model) frame(id pane.ID) lipgloss.Style {
	if id == m.focus {
		return m.t.PaneFocused
	}
	return m.t.Pane
}

func (m Model) detailTitle() string {
	if m.capOpen {
		return m.t.TabOn.Render("[Capture]") + m.t.Muted.Render(" · "+m.capture.Title())
	}
	ev, rw := m.t.TabOff.Render("Evidence"), m.t.TabOff.Render("Raw")
	if p, ok := m.showingFailure(); ok {
		return m.t.TabOn.Render("[Device]") + " " + ev + " " + rw + m.t.Muted.Render(" · "+pane.Clean(p.Device)+" failed")
	}
	status := m.evidence.Title()
	if m.showRaw {
		rw = m.t.TabOn.Render("[Raw]")
		status = m.raw.Title()
	} else {
		ev = m.t.TabOn.Render("[Evidence]")
	}
	s := ev + " " + rw
	if status != "" {
		s += m.t.Muted.Render(" · " + status)
	}
	return s
}

func (m Model) site() string { return m.snap.Site }

// headerHeight is 1, or 2 with a Collector (the progress line).
func (m Model) headerHeight() int {
	if m.opts.Collector != nil {
		return 2
	}
	return 1
}

// headerView is "nettui — <site> — <source>" on the left and the counts by
// severity on the right; counts shorten, then the left part is cut, as the
// terminal narrows.
func (m Model) headerView() string {
	t := m.t
	left := t.HeaderTitle.Render("nettui")
	for _, s := range []string{m.site(), m.opts.Source} {
		if s != "" {
			left += " — " + s
		}
	}
	long := make([]string, 0, 4)
	short := make([]string, 0, 4)
	for _, s := range theme.Severities {
		st := t.Severity(s)
		if m.counts[s] == 0 {
			st = t.Muted
		}
		long = append(long, st.Render(fmt.Sprintf("%d %s", m.counts[s], s)))
		short = append(short, st.Render(fmt.Sprintf("%c%d", theme.Badge(s)[0], m.counts[s])))
	}
	right := strings.Join(long, "  ")
	if ansi.StringWidth(left)+ansi.StringWidth(right)+2 > m.w {
		right = strings.Join(short, " ")
	}
	rw := ansi.StringWidth(right)
	left = pane.Truncate(left, max(0, m.w-rw-2))
	gap := max(1, m.w-ansi.StringWidth(left)-rw)
	line := pane.Truncate(left+strings.Repeat(" ", gap)+right, m.w)
	if m.opts.Collector == nil {
		return line
	}
	return line + "\n" + pane.Cell(m.liveHeader(), m.w)
}

// tooSmallLine is the one line shown below the minimum size, in the
// longest wording that fits.
func tooSmallLine(w, h int) string {
	for _, s := range []string{
		fmt.Sprintf("terminal too small: need at least %dx%d (have %dx%d)", MinWidth, MinHeight, w, h),
		fmt.Sprintf("too small: need %dx%d (have %dx%d)", MinWidth, MinHeight, w, h),
		fmt.Sprintf("need %dx%d (have %dx%d)", MinWidth, MinHeight, w, h),
	} {
		if len(s) <= w {
			return s
		}
	}
	return fmt.Sprintf("need %dx%d", MinWidth, MinHeight)[:max(0, min(w, 10))]
}
