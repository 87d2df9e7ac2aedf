package raw

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/google/go-cmp/cmp"
	"github.com/muesli/termenv"
	"github.com/nettui/nettui/ui/uitest"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func open(t *testing.T, path string) Model {
	t.Helper()
	m := New(uitest.Snapshot())
	m.SetSize(80, 12)
	if !m.Open(path, 0, 0) {
		t.Fatalf("open %s", path)
	}
	return m
}

func TestSearch(t *testing.T) {
	t.Parallel()
	m := open(t, "devices/nx-core1/show-lacp-neighbor.txt")
	m.SetQuery("PARTNER")
	got := map[int]int{} // line → hits
	for _, mt := range m.matches {
		got[mt.Line+1]++
	}
	want := map[int]int{5: 1, 6: 3, 10: 3, 14: 1, 15: 3, 19: 3}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hits per line (-want +got):\n%s", diff)
	}
	// Non-overlapping, as "aa" in "aaa" is found once.
	m.SetQuery("00")
	for _, mt := range m.matches {
		if mt.Len != 2 {
			t.Fatalf("match %+v", mt)
		}
	}
	m.SetQuery("no such text")
	if len(m.matches) != 0 || !strings.Contains(m.View(), "no match") {
		t.Errorf("no-match view:\n%s", m.View())
	}
}

func TestNextMatchScrolls(t *testing.T) {
	t.Parallel()
	m := open(t, "devices/acc-stack1/show-spanning-tree-detail.txt")
	m.SetQuery("BPDU")
	if len(m.matches) != 3 {
		t.Fatalf("%d matches", len(m.matches))
	}
	var offs []int
	for range 3 {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("n")})
		offs = append(offs, m.Offset())
		if cur := m.matches[m.cur]; cur.Line < m.offset || cur.Line >= m.offset+m.bodyHeight() {
			t.Errorf("match on line %d not in view at offset %d", cur.Line+1, m.offset)
		}
	}
	// Lines 20 and 30 (the end of the file: as far as it scrolls), then
	// back to 10, each a third of the way down.
	if diff := cmp.Diff([]int{16, 20, 6}, offs); diff != "" {
		t.Errorf("offsets (-want +got):\n%s", diff)
	}
}

func TestSearchRevealsSideways(t *testing.T) {
	t.Parallel()
	m := open(t, "devices/esx01/nic-list.txt")
	m.SetQuery("SFP+")
	if m.xoff == 0 {
		t.Fatal("did not scroll right to a match past the edge")
	}
	v := m.View()
	if !strings.Contains(v, "SFP+") || !strings.Contains(v, "│ …") {
		t.Errorf("view:\n%s", v)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyHome})
	if m.xoff != 0 || m.offset != 0 {
		t.Errorf("home: xoff %d offset %d", m.xoff, m.offset)
	}
}

func TestOpenMarksAndPlacesCitedLines(t *testing.T) {
	t.Parallel()
	m := New(uitest.Snapshot())
	m.SetSize(80, 10)
	if !m.Open("devices/acc-stack1/show-spanning-tree-detail.txt", 19, 20) {
		t.Fatal("open")
	}
	if m.Offset() != 15 {
		t.Errorf("offset %d, want 15", m.Offset())
	}
	v := m.View()
	if !strings.Contains(v, "›19 │") || !strings.Contains(v, "›20 │") || strings.Contains(v, "›21") {
		t.Errorf("view:\n%s", v)
	}
	if m.Open("devices/none.txt", 1, 1) {
		t.Error("opened a missing file")
	}
}

func TestSetSnapshotKeepsFile(t *testing.T) {
	t.Parallel()
	m := open(t, "devices/acc-stack1/show-interfaces-trunk.txt")
	m.SetQuery("10,20")
	m.scroll(4)
	off, matches := m.Offset(), len(m.matches)
	m.SetSnapshot(uitest.Snapshot())
	if f := m.File(); f == nil || f.Path != "devices/acc-stack1/show-interfaces-trunk.txt" || m.Picking() {
		t.Fatalf("file %v, picking %v", f, m.Picking())
	}
	if m.Offset() != off || len(m.matches) != matches || m.query != "10,20" {
		t.Errorf("offset %d (was %d), %d matches (were %d)", m.Offset(), off, len(m.matches), matches)
	}
	// A snapshot without the file: back to the picker on the same device.
	snap, _ := uitest.Partial("esx01")
	m.SetSnapshot(snap)
	if m.File() != nil || !m.Picking() || !strings.Contains(m.View(), "acc-stack1") {
		t.Errorf("file %v, picking %v:\n%s", m.File(), m.Picking(), m.View())
	}
}
