// Package keys holds the global key bindings and the navigation bindings the
// panes share. Each pane defines its own KeyMap struct (in its package) that
// embeds Nav and adds its own keys; every KeyMap implements help.KeyMap.
package keys

import "github.com/charmbracelet/bubbles/key"

// Global are the keys the root model handles whatever pane has focus
// (unless a text input is open).
type Global struct {
	Next      key.Binding
	Prev      key.Binding
	Devices   key.Binding
	Findings  key.Binding
	Detail    key.Binding
	ToggleRaw key.Binding
	Help      key.Binding
	Quit      key.Binding
}

// DefaultGlobal returns the global bindings.
func DefaultGlobal() Global {
	return Global{
		Next:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "pane")),
		Prev:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "pane back")),
		Devices:   key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "devices")),
		Findings:  key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "findings")),
		Detail:    key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "evidence/raw")),
		ToggleRaw: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "raw")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp implements help.KeyMap.
func (g Global) ShortHelp() []key.Binding {
	return []key.Binding{g.Next, g.ToggleRaw, g.Help, g.Quit}
}

// Essential are the global keys the short help always shows, last.
func (g Global) Essential() []key.Binding { return []key.Binding{g.Help, g.Quit} }

// Optional are the global keys the short help shows when there is room.
func (g Global) Optional() []key.Binding { return []key.Binding{g.Next, g.ToggleRaw} }

// FullHelp implements help.KeyMap.
func (g Global) FullHelp() [][]key.Binding {
	return [][]key.Binding{{g.Next, g.Prev, g.Devices, g.Findings, g.Detail}, {g.ToggleRaw, g.Help, g.Quit}}
}

// Live are the keys of a live collection, shown only when the dashboard
// collects itself.
type Live struct {
	Recollect key.Binding
	Accept    key.Binding
}

// DefaultLive returns the live collection bindings.
func DefaultLive() Live {
	return Live{
		Recollect: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-collect")),
		Accept:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "accept host key")),
	}
}

// Capture is the key that starts a capture for the selected finding, shown
// only when the dashboard can capture.
type Capture struct {
	Open key.Binding
}

// DefaultCapture returns the capture binding.
func DefaultCapture() Capture {
	return Capture{Open: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "capture"))}
}

// Walk is the key that opens the guided walkthroughs, shown only when the
// dashboard offers them.
type Walk struct {
	Open key.Binding
}

// DefaultWalk returns the walkthrough binding.
func DefaultWalk() Walk {
	return Walk{Open: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "walkthrough"))}
}

// Dialog are the keys of the dialogs drawn over the dashboard.
type Dialog struct {
	Yes    key.Binding
	No     key.Binding
	Send   key.Binding
	Cancel key.Binding
}

// DefaultDialog returns the dialog bindings.
func DefaultDialog() Dialog {
	return Dialog{
		Yes:    key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:     key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "no")),
		Send:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ForceQuit is ctrl+c: it quits even while a text input is open.
var ForceQuit = key.NewBinding(key.WithKeys("ctrl+c"))

// Nav are the movement keys every pane understands.
type Nav struct {
	// Move is for short help only: up and down in one entry.
	Move     key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding
}

// DefaultNav returns the movement bindings.
func DefaultNav() Nav {
	return Nav{
		Move:     key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑↓/jk", "move")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "top")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "bottom")),
	}
}

// Bindings lists the movement bindings in help order.
func (n Nav) Bindings() []key.Binding {
	return []key.Binding{n.Up, n.Down, n.PageUp, n.PageDown, n.Home, n.End}
}
