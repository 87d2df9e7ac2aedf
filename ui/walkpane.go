package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/nettui/nettui/ui/keys"
	"github.com/nettui/nettui/ui/pane"
	walkui "github.com/nettui/nettui/ui/walk"
)

// walkState is the guided-walkthrough view (package ui/walk): w opens it
// over the devices, findings and detail panes, with the walkthrough
// matching the selected finding suggested first; esc closes it. While it
// is open it takes every key but q, ctrl+c and ? (and, while an answer is
// typed, every key but ctrl+c).
type walkState struct {
	model walkui.Model
	open  bool
	keys  keys.Walk
}

// Walk returns the walkthrough view and whether it is open.
func (m Model) Walk() (walkui.Model, bool) { return m.walk.model, m.walk.open }

func (m *Model) openWalk() tea.Cmd {
	m.walk.model = walkui.New(m.sess.ctx, *m.opts.Walk, m.snap, m.findings.Selected())
	m.walk.open = true
	m.showHelp = false
	m.layout()
	return m.walk.model.Init()
}

// walkKey routes a key while the view is open: quit and help stay global.
func (m *Model) walkKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, keys.ForceQuit):
		return m.quit()
	case m.walk.model.Capturing():
		// a typed answer takes every other key
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.keys.Help):
		m.showHelp = !m.showHelp
		return nil
	}
	return m.walkUpdate(msg)
}

// walkUpdate hands msg to the view when it is open and closes it when it
// asks to.
func (m *Model) walkUpdate(msg tea.Msg) tea.Cmd {
	if !m.walk.open {
		return nil
	}
	var cmd tea.Cmd
	m.walk.model, cmd = m.walk.model.Update(msg)
	if _, ok := m.walk.model.TakeAction().(walkui.CloseMsg); ok {
		m.walk.open = false
		m.walk.model = walkui.Model{}
		m.setFocus(m.focus)
	}
	return cmd
}

// walkView draws the view over the whole body.
func (m Model) walkView(g geometry) string {
	return pane.Frame(m.t.PaneFocused, m.t.PaneTitle.Render(m.walk.model.Title()), m.walk.model.View(), m.w, g.bodyH)
}

// walkFooter is the view's help line (or, with ?, its full help).
func (m Model) walkFooter() string {
	k := m.walk.model.KeyMap()
	if m.showHelp {
		return m.help.FullHelpView(append(k.FullHelp(), m.keys.Essential()))
	}
	v := m.help.ShortHelpView(append(k.ShortHelp(), m.keys.Essential()...))
	if lipgloss.Width(v) > m.w {
		v = m.help.ShortHelpView(m.keys.Essential())
	}
	return v
}
