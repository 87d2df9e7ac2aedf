// Package theme holds every style of the dashboard, built once. Colours are
// adaptive (light and dark backgrounds) and go through lipgloss's default
// renderer, whose colour profile comes from the environment: NO_COLOR (or a
// terminal without colour) gives plain text, which is why nothing in the UI
// relies on colour alone — selection, focus and highlighted lines also carry
// a marker character or a different border.
package theme

import (
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/nettui/nettui/internal/netmodel"
)

// Markers drawn in gutters so that state stays visible without colour.
const (
	// Cursor marks the selected row of a list.
	Cursor = "▸ "
	// NoCursor pads a row that is not selected.
	NoCursor = "  "
	// Cited marks a line an evidence item cites.
	Cited = "›"
	// Current marks the line of the current search match.
	Current = "»"
	// Ellipsis ends truncated text.
	Ellipsis = "…"
	// FailedMark starts the state of a device whose collection failed.
	FailedMark = "✗"
	// BarFull and BarEmpty draw a progress bar.
	BarFull  = "█"
	BarEmpty = "░"
	// New and Resolved mark findings across re-collections.
	New      = "NEW"
	Resolved = "RESOLVED"
)

// Palette is the set of adaptive colours.
var (
	Critical = lipgloss.AdaptiveColor{Light: "#C4161C", Dark: "#FF5F5F"}
	Warning  = lipgloss.AdaptiveColor{Light: "#B35900", Dark: "#FFAF00"}
	Unknown  = lipgloss.AdaptiveColor{Light: "#8E44AD", Dark: "#D787D7"}
	Info     = lipgloss.AdaptiveColor{Light: "#0059B3", Dark: "#5FAFFF"}
	OK       = lipgloss.AdaptiveColor{Light: "#1E7B1E", Dark: "#5FD75F"}
	Muted    = lipgloss.AdaptiveColor{Light: "#6C6C6C", Dark: "#8A8A8A"}
	Subtle   = lipgloss.AdaptiveColor{Light: "#D0D0D0", Dark: "#444444"}
	Border   = lipgloss.AdaptiveColor{Light: "#B2B2B2", Dark: "#585858"}
	Accent   = lipgloss.AdaptiveColor{Light: "#005FAF", Dark: "#87AFFF"}
	Mark     = lipgloss.AdaptiveColor{Light: "#FFF1B8", Dark: "#5C4A00"}
	Code     = lipgloss.AdaptiveColor{Light: "#1F5F1F", Dark: "#AFD7AF"}
)

// Theme is the dashboard's styles.
type Theme struct {
	// Frames of the panes. Focused uses a heavier border so focus is
	// visible without colour.
	Pane        lipgloss.Style
	PaneFocused lipgloss.Style
	PaneTitle   lipgloss.Style

	Header      lipgloss.Style
	HeaderTitle lipgloss.Style

	Muted    lipgloss.Style
	Bold     lipgloss.Style
	Heading  lipgloss.Style
	Selected lipgloss.Style // selected row in a focused list
	Inactive lipgloss.Style // selected row in an unfocused list
	Error    lipgloss.Style

	StatusOK      lipgloss.Style
	StatusPartial lipgloss.Style
	StatusFailed  lipgloss.Style

	// Collection states of a device (see State) and the progress bar.
	StateActive lipgloss.Style
	BarFull     lipgloss.Style
	BarEmpty    lipgloss.Style
	// Findings that appeared or went away since the previous collection.
	New      lipgloss.Style
	Resolved lipgloss.Style
	// Modal is the frame of a dialog drawn over the dashboard.
	Modal lipgloss.Style
	// Spark draws the packets/s sparkline of the capture pane.
	Spark lipgloss.Style

	LineNo   lipgloss.Style
	CitedNo  lipgloss.Style
	Cited    lipgloss.Style // a cited raw line
	Match    lipgloss.Style // a search match
	CurMatch lipgloss.Style // the current search match
	Code     lipgloss.Style // fix commands
	CodeBar  lipgloss.Style
	TabOn    lipgloss.Style
	TabOff   lipgloss.Style

	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style

	sev [4]lipgloss.Style
}

var (
	once sync.Once
	def  *Theme
)

// Get returns the theme, built on first use.
func Get() *Theme {
	once.Do(func() { def = build() })
	return def
}

func build() *Theme {
	s := lipgloss.NewStyle
	t := &Theme{
		Pane:        s().Border(lipgloss.RoundedBorder()).BorderForeground(Border),
		PaneFocused: s().Border(lipgloss.ThickBorder()).BorderForeground(Accent),
		PaneTitle:   s().Bold(true),

		Header:      s().Bold(true),
		HeaderTitle: s().Bold(true).Foreground(Accent),

		Muted:    s().Foreground(Muted),
		Bold:     s().Bold(true),
		Heading:  s().Bold(true).Underline(true),
		Selected: s().Bold(true).Background(Subtle),
		Inactive: s().Background(Subtle),
		Error:    s().Foreground(Critical),

		StatusOK:      s().Foreground(OK),
		StatusPartial: s().Foreground(Warning),
		StatusFailed:  s().Foreground(Critical).Bold(true),

		StateActive: s().Foreground(Info),
		BarFull:     s().Foreground(Accent),
		BarEmpty:    s().Foreground(Subtle),
		New:         s().Bold(true).Foreground(Accent),
		Resolved:    s().Foreground(Muted).Faint(true),
		Modal:       s().Border(lipgloss.ThickBorder()).BorderForeground(Accent),
		Spark:       s().Foreground(Accent),

		LineNo:   s().Foreground(Muted),
		CitedNo:  s().Foreground(Warning).Bold(true),
		Cited:    s().Background(Mark).Bold(true),
		Match:    s().Background(Mark).Underline(true),
		CurMatch: s().Reverse(true).Bold(true),
		Code:     s().Foreground(Code),
		CodeBar:  s().Foreground(Border),
		TabOn:    s().Bold(true).Foreground(Accent),
		TabOff:   s().Foreground(Muted),

		HelpKey:  s().Bold(true).Foreground(Accent),
		HelpDesc: s().Foreground(Muted),
		HelpSep:  s().Foreground(Border),
	}
	t.sev = [4]lipgloss.Style{
		netmodel.SevInfo:     s().Foreground(Info).Bold(true),
		netmodel.SevUnknown:  s().Foreground(Unknown).Bold(true),
		netmodel.SevWarning:  s().Foreground(Warning).Bold(true),
		netmodel.SevCritical: s().Foreground(Critical).Bold(true),
	}
	return t
}

// Severity is the style of a severity.
func (t *Theme) Severity(s netmodel.Severity) lipgloss.Style {
	if int(s) >= 0 && int(s) < len(t.sev) {
		return t.sev[s]
	}
	return t.Muted
}

// Badge is the four-letter label of a severity, as shown in lists.
func Badge(s netmodel.Severity) string {
	switch s {
	case netmodel.SevCritical:
		return "CRIT"
	case netmodel.SevWarning:
		return "WARN"
	case netmodel.SevUnknown:
		return "UNKN"
	case netmodel.SevInfo:
		return "INFO"
	}
	return "????"
}

// Severities lists the severities from most to least severe.
var Severities = []netmodel.Severity{
	netmodel.SevCritical, netmodel.SevWarning, netmodel.SevUnknown, netmodel.SevInfo,
}

// Status styles a device status word.
func (t *Theme) Status(status string) lipgloss.Style {
	switch status {
	case netmodel.StatusOK:
		return t.StatusOK
	case netmodel.StatusPartial:
		return t.StatusPartial
	case netmodel.StatusFailed:
		return t.StatusFailed
	}
	return t.Muted
}

// State styles a device's collection state: queued, connecting, collecting,
// done or failed (ok, partial and failed also style as in Status).
func (t *Theme) State(state string) lipgloss.Style {
	switch state {
	case "connecting", "collecting":
		return t.StateActive
	case "done":
		return t.StatusOK
	}
	return t.Status(state)
}
