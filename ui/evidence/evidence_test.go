package evidence

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/uitest"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func content(m Model) string {
	m.vp.Height = 1000
	return m.vp.View()
}

func TestContextAtFileEdges(t *testing.T) {
	t.Parallel()
	snap := uitest.Snapshot()
	f := &netmodel.Finding{ID: "X", Evidence: []netmodel.Evidence{
		{Device: "esx01", File: "devices/esx01/portgroup-list.txt", Start: 1, End: 1},
		{Device: "esx01", File: "devices/esx01/portgroup-list.txt", Start: 9, End: 12},
	}}
	m := New(snap)
	m.SetSize(90, 20)
	m.SetFinding(f)
	c := content(m)
	for _, want := range []string{
		"›1 │ [root@esx01:~]", "  4 │ Management", // first item: lines 1..4
		"  6 │ VM Network", "›9 │ vMotion", // second: 6..9, cut at the file's end
	} {
		if !strings.Contains(c, want) {
			t.Errorf("content lacks %q:\n%s", want, c)
		}
	}
	if strings.Contains(c, "10 │") {
		t.Errorf("line past the end of the file:\n%s", c)
	}
}

func TestMissingFileShowsText(t *testing.T) {
	t.Parallel()
	f := &netmodel.Finding{ID: "X", Evidence: []netmodel.Evidence{
		{Device: "sw9", File: "devices/sw9/gone.txt", Start: 3, End: 3, Text: "Gi1/0/1 \x1b[2Jtrunking"},
	}}
	m := New(uitest.Snapshot())
	m.SetSize(90, 20)
	m.SetFinding(f)
	c := content(m)
	if !strings.Contains(c, "(file not in snapshot)") || !strings.Contains(c, "› Gi1/0/1 ^[[2Jtrunking") {
		t.Errorf("content:\n%s", c)
	}
	if strings.Contains(c, "\x1b") {
		t.Error("raw escape reached the screen")
	}
}

func TestItemsAndOpen(t *testing.T) {
	t.Parallel()
	findings := uitest.Findings()
	m := New(uitest.Snapshot())
	m.SetSize(90, 10)
	m.SetFinding(&findings[0])
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("]")})
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("]")})
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("]")}) // stays on the last
	if m.Current() != 2 || m.YOffset() != m.items[2] {
		t.Errorf("item %d at offset %d (items %v)", m.Current(), m.YOffset(), m.items)
	}
	if !strings.HasPrefix(m.View(), "▸ 3. acc-stack1") {
		t.Errorf("view:\n%s", m.View())
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")})
	want := pane.OpenRawMsg{File: "devices/acc-stack1/show-interfaces-trunk.txt", Start: 9, End: 10}
	if got := m.TakeAction(); got != want {
		t.Errorf("action %#v, want %#v", got, want)
	}
	if m.TakeAction() != nil {
		t.Error("action not cleared")
	}
}

func TestSetFindingSameKeyKeepsPlace(t *testing.T) {
	t.Parallel()
	m := New(uitest.Snapshot())
	m.SetSize(90, 10)
	m.SetFinding(&uitest.Findings()[0])
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("]")})
	y, cur := m.YOffset(), m.Current()
	if y == 0 || cur != 1 {
		t.Fatalf("offset %d, item %d", y, cur)
	}
	// The same finding from a new collection, with a new snapshot.
	m.SetSnapshot(uitest.Snapshot())
	m.SetFinding(&uitest.Findings()[0])
	if m.YOffset() != y || m.Current() != cur {
		t.Errorf("offset %d item %d, want %d %d", m.YOffset(), m.Current(), y, cur)
	}
	m.SetFinding(&uitest.Findings()[1])
	if m.YOffset() != 0 || m.Current() != 0 {
		t.Errorf("another finding: offset %d item %d", m.YOffset(), m.Current())
	}
}
