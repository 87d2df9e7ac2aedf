package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/theme"
)

// Dialog sizes.
const (
	dialogMaxW = 76
	dialogMinW = 36
)

// maskRune is drawn for each character of a secret answer.
const maskRune = '•'

// listenPrompts waits for the next PromptRequest of Options.Prompts.
func (m Model) listenPrompts() tea.Cmd {
	ch, ctx := m.opts.Prompts, m.sess.ctx
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case req, ok := <-ch:
			if !ok {
				return nil
			}
			return promptMsg{req}
		case <-ctx.Done():
			return nil
		}
	}
}

// queuePrompt adds a request; the first one queued has the dialog.
func (m *Model) queuePrompt(req PromptRequest) {
	if req.Answer == nil {
		m.log.Warn("prompt without an answer channel dropped", "device", req.Device)
		return
	}
	m.log.Info("prompt", "device", req.Device, "secret", req.Secret)
	m.prompts = append(m.prompts[:len(m.prompts):len(m.prompts)], req)
	if len(m.prompts) == 1 {
		m.openPrompt()
	}
}

// openPrompt readies the input for the first request.
func (m *Model) openPrompt() {
	m.answer.Wipe()
	m.answer = pane.Input{Prompt: "> ", PromptStyle: m.t.Bold, TextStyle: lipgloss.NewStyle()}
	if len(m.prompts) > 0 && m.prompts[0].Secret {
		m.answer.Mask = maskRune
	}
	m.answer.Focus()
}

// promptKey handles a key while a prompt has the dialog: enter sends, esc
// cancels, the rest edits the answer. The answer is never logged, and a
// secret one is wiped from the input as soon as it is sent.
func (m *Model) promptKey(msg tea.KeyMsg) tea.Cmd {
	req := m.prompts[0]
	var a PromptAnswer
	switch {
	case key.Matches(msg, m.dialogKeys.Send):
		a.Text = m.answer.Value()
		m.log.Info("prompt answered", "device", req.Device)
	case key.Matches(msg, m.dialogKeys.Cancel):
		a.Err = ErrCancelled
		m.log.Info("prompt cancelled", "device", req.Device)
	default:
		m.answer.Update(msg)
		return nil
	}
	m.prompts = append([]PromptRequest(nil), m.prompts[1:]...)
	m.openPrompt()
	return m.send(req, a)
}

// send hands an answer over: at once when the channel has room, else from a
// command that waits until it is taken or the dashboard has ended.
func (m Model) send(req PromptRequest, a PromptAnswer) tea.Cmd {
	select {
	case req.Answer <- a:
		return nil
	default:
	}
	closed := m.sess.closed
	return func() tea.Msg {
		select {
		case req.Answer <- a:
		case <-closed:
		}
		return answerMsg{}
	}
}

// cancelPrompts answers every queued prompt with ErrCancelled (quitting).
func (m *Model) cancelPrompts() tea.Cmd {
	var cmds []tea.Cmd
	for _, req := range m.prompts {
		cmds = append(cmds, m.send(req, PromptAnswer{Err: ErrCancelled}))
	}
	m.prompts = nil
	m.answer.Wipe()
	return tea.Batch(cmds...)
}

// confirmKey handles a key while the host key confirmation is open.
func (m *Model) confirmKey(msg tea.KeyMsg) tea.Cmd {
	dev := m.confirm
	switch {
	case key.Matches(msg, m.dialogKeys.Yes):
		m.confirm = ""
		return m.acceptHostKey(dev)
	case key.Matches(msg, m.dialogKeys.No):
		m.confirm = ""
		m.log.Info("host key not accepted", "device", dev)
	}
	return nil
}

// modal reports whether a dialog has the keyboard.
func (m Model) modal() bool { return len(m.prompts) > 0 || m.confirm != "" }

// dialogView draws the open dialog (the prompt first), "" for none.
func (m Model) dialogView() string {
	w := pane.Clamp(m.w-4, min(dialogMinW, m.w), dialogMaxW)
	st := m.t.Modal
	iw := w - st.GetHorizontalFrameSize() - 2 // a space each side
	if iw < 4 {
		return ""
	}
	t := m.t
	var title string
	var lines []string
	wrap := func(s string, style lipgloss.Style) {
		for _, para := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
			for _, l := range pane.Wrap(pane.Clean(para), iw) {
				lines = append(lines, style.Render(l))
			}
		}
	}
	switch {
	case len(m.prompts) > 0:
		req := m.prompts[0]
		title = t.PaneTitle.Render("collection")
		if req.Device != "" {
			title = t.PaneTitle.Render(pane.Clean(req.Device))
		}
		if n := len(m.prompts) - 1; n > 0 {
			title += t.Muted.Render(fmt.Sprintf(" · %d more waiting", n))
		}
		wrap(req.Question, t.Bold)
		lines = append(lines, "")
		in := m.answer
		in.Width = iw
		lines = append(lines, in.View(), "")
		hint := "enter send · esc cancel"
		if req.Secret {
			hint = "hidden as you type · " + hint
		}
		lines = append(lines, t.Muted.Render(pane.Truncate(hint, iw)))
	case m.confirm != "":
		p := m.live.states[m.confirm]
		title = t.PaneTitle.Render("Accept host key?")
		wrap(pane.Clean(m.confirm)+" presented a host key that is not in known_hosts:", lipgloss.NewStyle())
		lines = append(lines, "", "  "+t.Bold.Render(pane.Truncate(pane.Clean(p.Fingerprint), iw-2)), "")
		wrap("Accept it only if it is the key you expect (compare it with the device's console or ask its owner). It is then written to known_hosts and "+pane.Clean(m.confirm)+" is collected again.", t.Muted)
		lines = append(lines, "", pane.Truncate(t.HelpKey.Render("y")+t.HelpDesc.Render(" accept and collect again")+t.HelpSep.Render(" • ")+t.HelpKey.Render("n/esc")+t.HelpDesc.Render(" cancel"), iw))
	default:
		return ""
	}
	for i, l := range lines {
		lines[i] = " " + l // a margin inside the frame
	}
	h := min(len(lines)+st.GetVerticalFrameSize(), m.h)
	return pane.Frame(st, title, strings.Join(lines, "\n"), w, h)
}

// overlay draws box over the middle of bg (both made of lines; bg is
// exactly m.w wide).
func overlay(bg, box string, w, h int) string {
	if box == "" {
		return bg
	}
	bl := strings.Split(box, "\n")
	bw := lipgloss.Width(box)
	lines := strings.Split(bg, "\n")
	x := max(0, (w-bw)/2)
	y := max(0, (h-len(bl))/2)
	reset := ""
	if lipgloss.ColorProfile() != termenv.Ascii {
		reset = "\x1b[m"
	}
	for i, b := range bl {
		if y+i >= len(lines) {
			break
		}
		l := lines[y+i]
		left := ansi.Truncate(l, x, "")
		right := ansi.TruncateLeft(l, x+bw, "")
		lines[y+i] = left + reset + b + reset + right
	}
	return strings.Join(lines, "\n")
}

// failureView is the detail area for a device whose collection failed: the
// error, the hint, where it stopped and, for an unknown host key, the
// fingerprint and how to accept it.
func (m Model) failureView(p Progress, w, h int) string {
	t := m.t
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	wrap := func(indent int, s string, style lipgloss.Style) {
		for _, l := range pane.Wrap(pane.Clean(s), max(1, min(w, 100)-indent)) {
			add(strings.Repeat(" ", indent) + style.Render(l))
		}
	}
	head := t.Bold.Render(pane.Clean(p.Device))
	if d := m.snap.Device(p.Device); d != nil && d.Platform != "" {
		head += t.Muted.Render(" (" + string(d.Platform) + ")")
	}
	state := "failed"
	if p.Kind != "" {
		state += ": " + p.Kind
	}
	add(pane.Truncate(head+"  "+t.StatusFailed.Render(theme.FailedMark+" "+state), w))
	if p.Err != "" {
		add("", t.Heading.Render("Error"))
		wrap(0, p.Err, t.Error)
	}
	if p.Hint != "" {
		add("", t.Heading.Render("Hint"))
		wrap(0, p.Hint, lipgloss.NewStyle())
	}
	if p.Command != "" {
		at := p.Command
		if p.Total > 0 {
			at += fmt.Sprintf(" (command %d of %d)", min(p.Done+1, p.Total), p.Total)
		}
		add("", t.Heading.Render("Stopped at"))
		add(pane.Truncate(t.Code.Render(pane.Clean(at)), w))
	}
	if p.Fingerprint != "" {
		add("", t.Heading.Render("Host key"))
		add(pane.Truncate("  "+t.Bold.Render(pane.Clean(p.Fingerprint)), w))
		add("")
		wrap(0, "press a to accept this host key and collect the device again", t.HelpKey)
	} else {
		add("")
		wrap(0, "press r to collect every device again", t.Muted)
	}
	return pane.Fit(strings.Join(out, "\n"), w, h)
}

// liveHeader is the second header line: the progress of the running
// collection, or what the last one did.
func (m Model) liveHeader() string {
	t := m.t
	lv := m.live
	done, failed, frac := m.runCounts()
	total := len(lv.devs)
	if lv.running {
		text := fmt.Sprintf("collecting: %d done, %d failed of %d %s", done, failed, total, plural(total, "device", "devices"))
		pct := fmt.Sprintf("%3d%%", int(frac*100))
		el := formatElapsed(lv.elapsed, false)
		room := m.w - ansi.StringWidth(text) - ansi.StringWidth(pct) - ansi.StringWidth(el) - 6
		bar := ""
		if bw := min(room, 40); bw >= 5 {
			full := int(frac*float64(bw) + 0.5)
			bar = t.BarFull.Render(strings.Repeat(theme.BarFull, full)) + t.BarEmpty.Render(strings.Repeat(theme.BarEmpty, bw-full)) + " "
		}
		return pane.Truncate(t.StateActive.Render(text)+"  "+bar+pct+"  "+t.Muted.Render(el), m.w)
	}
	if lv.run == 0 {
		return ""
	}
	s := fmt.Sprintf("collected %d %s (%d failed) in %s", total, plural(total, "device", "devices"), failed, formatElapsed(lv.elapsed, true))
	st := t.StatusOK
	if failed > 0 {
		st = t.StatusPartial
	}
	if lv.err != nil {
		s = fmt.Sprintf("collection stopped after %s: %d done, %d failed of %d %s", formatElapsed(lv.elapsed, true), done, failed, total, plural(total, "device", "devices"))
		st = t.StatusFailed
	}
	line := st.Render(s)
	var nw, res int
	for i := range m.list {
		switch m.list[i].Status {
		case "new":
			nw++
		case "resolved":
			res++
		}
	}
	if nw > 0 || res > 0 {
		line += t.Muted.Render(" · ") + t.New.Render(fmt.Sprintf("%d new", nw)) + t.Muted.Render(fmt.Sprintf(", %d resolved", res))
	}
	if lv.err != nil {
		line += t.Muted.Render(" · ") + t.Error.Render("error: "+pane.Clean(lv.err.Error()))
	}
	return pane.Truncate(line, m.w)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// liveKey is a live collection key in the short help, with its rank (see
// footerView).
type liveKey struct {
	b    key.Binding
	rank int
}

// liveKeys are the live collection keys that apply now: r when no
// collection runs (it goes after v when room is short), a when the selected
// device stopped on an unknown host key (it stays).
func (m Model) liveKeys() []liveKey {
	if m.opts.Collector == nil {
		return nil
	}
	var out []liveKey
	if !m.live.running {
		out = append(out, liveKey{m.liveBindings.Recollect, 3})
	}
	if _, _, ok := m.hostKeyDevice(); ok {
		out = append(out, liveKey{m.liveBindings.Accept, -1})
	}
	return out
}

// dialogHelp is the footer while a dialog is open.
func (m Model) dialogHelp() []key.Binding {
	d := m.dialogKeys
	if len(m.prompts) > 0 {
		return []key.Binding{d.Send, d.Cancel}
	}
	yes := d.Yes
	yes.SetHelp("y", "accept host key")
	return []key.Binding{yes, d.No}
}
