package ui_test

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/ui"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/uitest"
	walkui "github.com/nettui/nettui/ui/walk"
)

func walkOptions() ui.Options {
	o := options()
	o.Walk = &walkui.Config{Source: uitest.Source, ExportDir: "unused"}
	return o
}

// TestWalkKey: w opens the walkthroughs over the panes, suggesting the one
// for the selected finding; their keys replace the panes'; esc closes them
// and the dashboard is as it was.
func TestWalkKey(t *testing.T) {
	m, _ := uitest.Drive(ui.New(walkOptions()), uitest.Size(120, 40))
	before := m.View()
	if !strings.Contains(before, "w walkthrough") {
		t.Errorf("the help line does not offer w:\n%s", lastLine(before))
	}
	m, _ = uitest.Drive(m, uitest.Keys("w")...)
	d := m.(ui.Model)
	w, open := d.Walk()
	if !open || w.Session() != nil {
		t.Fatal("w did not open the picker")
	}
	v := d.View()
	if !strings.Contains(v, "Walkthroughs") || !strings.Contains(v, "Guided walkthroughs — for VLAN-UPLINK-MISMATCH esx01/vSwitch1") ||
		!strings.Contains(v, "▸ vlan") || !strings.Contains(v, "★ suggested") {
		t.Errorf("picker not shown over the panes:\n%s", v)
	}
	if l := lastLine(v); !strings.Contains(l, "enter start") || !strings.Contains(l, "esc close") || strings.Contains(l, "tab pane") {
		t.Errorf("help line while open: %s", l)
	}
	// Keys go to the view: j moves its cursor, not the findings'.
	m, _ = uitest.Drive(m, uitest.Keys("j", "tab")...)
	d = m.(ui.Model)
	if d.Focus() != pane.Findings || d.Findings().Selected().ID != "VLAN-UPLINK-MISMATCH" {
		t.Errorf("a key reached the panes: focus %v", d.Focus())
	}
	m, _ = uitest.Drive(m, uitest.Keys("esc")...)
	d = m.(ui.Model)
	if _, open := d.Walk(); open {
		t.Fatal("esc did not close")
	}
	if d.View() != before {
		t.Error("the dashboard changed under the walkthrough")
	}
	// q quits even with the view open.
	m, _ = uitest.Drive(m, uitest.Keys("w")...)
	if _, quit := uitest.Drive(m, uitest.Keys("q")...); !quit {
		t.Error("q did not quit")
	}
}

// TestWalkKeyNeedsOption: without Options.Walk, w does nothing and is not
// offered.
func TestWalkKeyNeedsOption(t *testing.T) {
	m := drive(t, 120, 40, "w")
	if _, open := m.Walk(); open {
		t.Error("w opened walkthroughs the dashboard does not offer")
	}
	if strings.Contains(m.View(), "walkthrough") {
		t.Error("w offered")
	}
}

func lastLine(v string) string {
	ls := strings.Split(v, "\n")
	return ls[len(ls)-1]
}

// TestWalkTypingKeepsKeys: while an answer is typed, q and ? are text.
func TestWalkTypingKeepsKeys(t *testing.T) {
	m, _ := uitest.Drive(ui.New(walkOptions()), uitest.Size(120, 40))
	m, _ = uitest.Drive(m, uitest.Keys("w", "enter", "i")...)
	m, quit := uitest.Drive(m, uitest.Keys("q", "?")...)
	if quit {
		t.Fatal("q quit while typing an answer")
	}
	w, _ := m.(ui.Model).Walk()
	if !w.Capturing() || !strings.Contains(m.View(), "answer: q?") {
		t.Errorf("the keys did not reach the answer:\n%s", m.View())
	}
	if _, quit := uitest.Drive(m, uitest.Key("ctrl+c")); !quit {
		t.Error("ctrl+c did not quit")
	}
}
