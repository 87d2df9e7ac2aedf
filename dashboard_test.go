package main

import (
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/ui"
)

func TestMain(m *testing.M) {
	// Plain text and a fixed background: goldens do not depend on the
	// terminal the tests run in.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

func demoOptions(t testing.TB) ui.Options {
	t.Helper()
	snap, src, err := loadSite("")
	if err != nil {
		t.Fatal(err)
	}
	return ui.Options{Snapshot: snap, Findings: diagnose.Run(snap), Source: src}
}

// demoGolden runs the dashboard on the embedded demo site at w×h, sends
// keys, quits and compares the final screen with testdata/<test>.golden.
func demoGolden(t *testing.T, w, h int, keys ...tea.KeyMsg) {
	tm := teatest.NewTestModel(t, ui.New(demoOptions(t)), teatest.WithInitialTermSize(w, h))
	for _, k := range keys {
		tm.Send(k)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	teatest.RequireEqualOutput(t, []byte(fm.View()))
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// TestDemoDashboard is the first screen of `go run .` at 120x40: the demo's
// findings, most severe first, with the first one's evidence.
func TestDemoDashboard(t *testing.T) { demoGolden(t, 120, 40) }

// TestDemoDashboardPartial moves to the VM-Prod finding: its evidence cites
// the trunk line that lacks VLAN 120.
func TestDemoDashboardPartial(t *testing.T) {
	demoGolden(t, 120, 40, runes("j"), runes("j"), runes("j"), runes("j"), runes("j"), runes("j"))
}

// TestDemoTooSmall is the one-line message below the minimum size.
func TestDemoTooSmall(t *testing.T) { demoGolden(t, 50, 12) }

// BenchmarkDemoFirstFrame is what `go run .` does before the first frame:
// load the embedded demo, diagnose it, build the dashboard and draw it.
func BenchmarkDemoFirstFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		opts := demoOptions(b)
		m, _ := ui.New(opts).Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if m.View() == "" {
			b.Fatal("empty frame")
		}
	}
}
