package findings

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nettui/nettui/ui/uitest"
)

func TestFilterKeepsSelection(t *testing.T) {
	t.Parallel()
	m := New(uitest.Findings())
	m.SetSize(80, 10)
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown}) // LACP-PARTNER-MISMATCH
	m.SetFilter("mismatch")
	if f := m.Selected(); f == nil || f.ID != "LACP-PARTNER-MISMATCH" || m.Len() != 2 {
		t.Errorf("selected %v of %d", f, m.Len())
	}
	m.SetFilter("stp")
	if f := m.Selected(); f == nil || f.ID != "STP-EDGE-MISSING" {
		t.Errorf("selected %v, want the first remaining", f)
	}
	m.SetDevice("esx01")
	if m.Len() != 0 || m.Selected() != nil {
		t.Errorf("stp on esx01: %d findings", m.Len())
	}
}

func TestColumnsShrinkThenDropSubject(t *testing.T) {
	t.Parallel()
	m := New(uitest.Findings())
	for _, tc := range []struct{ w, id, subj int }{
		{150, 21, 23},
		{94, 21, 23},
		{54, 21, 0},
		{30, 12, 0},
	} {
		m.SetSize(tc.w, 8)
		id, subj, title := m.columns()
		if id != tc.id || subj != tc.subj {
			t.Errorf("width %d: id %d subject %d title %d", tc.w, id, subj, title)
		}
	}
}
