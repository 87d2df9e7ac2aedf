package capture

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/nettui/nettui/ui/uitest"
)

// host runs the pane alone as a program: full window, ctrl+c quits.
type host struct{ m Model }

func (h host) Init() tea.Cmd { return h.m.Init() }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.m.SetSize(msg.Width, msg.Height)
		return h, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			h.m.Close()
			return h, tea.Quit
		}
	}
	var cmd tea.Cmd
	h.m, cmd = h.m.Update(msg)
	return h, cmd
}

func (h host) View() string { return h.m.View() }

func TestGoldenFinishedFile(t *testing.T) {
	m := New(context.Background(), fileOptions("ovs-lacp-a1.pcap"))
	m.SetFocused(true)
	tm := teatest.NewTestModel(t, host{m}, teatest.WithInitialTermSize(120, 40))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("finished")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(uitest.Key("ctrl+c"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	teatest.RequireEqualOutput(t, []byte(fm.View()))
}
