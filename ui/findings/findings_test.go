package findings

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nettui/nettui/internal/netmodel"
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

func TestSetFindingsKeepsSelectionAndMarks(t *testing.T) {
	t.Parallel()
	all := uitest.Findings()
	m := New(all[2:]) // STP-EDGE-MISSING, CAP-STP-MISSING, VLAN-VGT-PORTGROUP
	m.SetSize(100, 10)
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown}) // CAP-STP-MISSING
	next := append([]netmodel.Finding(nil), all...)
	next[0].Status = "new"
	next[2].Status = "resolved"
	m.SetFindings(next)
	if f := m.Selected(); f == nil || f.ID != "CAP-STP-MISSING" || m.Total() != 5 {
		t.Fatalf("selected %v of %d", f, m.Total())
	}
	v := m.View()
	for _, want := range []string{"NEW VLAN 30 (VM-Prod)", "RESOLVED Gi1/0/10 faces"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// The selected finding gone: the same row stays selected.
	m.SetFindings(append(next[:3:3], next[4]))
	if f := m.Selected(); f == nil || f.ID != "VLAN-VGT-PORTGROUP" {
		t.Errorf("selected %v", f)
	}
	m.SetFindings(nil)
	if m.Selected() != nil || !strings.Contains(m.View(), "No findings.") {
		t.Errorf("empty: %v\n%s", m.Selected(), m.View())
	}
}
