package ui_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/google/go-cmp/cmp"
	"github.com/muesli/termenv"
	"github.com/nettui/nettui/ui"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/uitest"
)

func TestMain(m *testing.M) {
	// Plain text and a fixed background: goldens do not depend on the
	// terminal the tests run in.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

func options() ui.Options {
	snap, findings := uitest.Site()
	return ui.Options{Snapshot: snap, Findings: findings, Source: uitest.Source}
}

// drive builds the dashboard at w×h and sends it keys.
func drive(t *testing.T, w, h int, ks ...string) ui.Model {
	t.Helper()
	msgs := append([]tea.Msg{uitest.Size(w, h)}, uitest.Keys(ks...)...)
	m, _ := uitest.Drive(ui.New(options()), msgs...)
	return m.(ui.Model)
}

func send(m ui.Model, msgs ...tea.Msg) ui.Model {
	out, _ := uitest.Drive(m, msgs...)
	return out.(ui.Model)
}

// golden runs the dashboard in a teatest program at w×h, sends keys, quits
// and compares the final View with testdata/<test name>.golden.
func golden(t *testing.T, w, h int, ks ...string) {
	t.Helper()
	tm := teatest.NewTestModel(t, ui.New(options()), teatest.WithInitialTermSize(w, h))
	for _, msg := range uitest.Keys(ks...) {
		tm.Send(msg)
	}
	tm.Send(uitest.Key("ctrl+c"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	teatest.RequireEqualOutput(t, []byte(fm.View()))
}

func TestGoldenDashboard(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			golden(t, size[0], size[1])
		})
	}
}

func TestGoldenRawSearch(t *testing.T) {
	// Third evidence item of the first finding, opened in the raw viewer,
	// then a search and a step to the next match.
	golden(t, 120, 40, "tab", "]", "]", "o", "/", "allowed", "enter", "n")
}

func TestGoldenFilterAndHelp(t *testing.T) {
	golden(t, 120, 40, "/", "nx-core1", "enter", "?")
}

func TestGoldenTooSmall(t *testing.T) {
	golden(t, 40, 10)
}

func TestTooSmallMessage(t *testing.T) {
	for _, tc := range []struct {
		w, h int
		want string
	}{
		{59, 24, "terminal too small: need at least 60x15 (have 59x24)"},
		{80, 14, "terminal too small: need at least 60x15 (have 80x14)"},
		{40, 10, "too small: need 60x15 (have 40x10)"},
		{24, 5, "need 60x15 (have 24x5)"},
		{6, 2, "need 6"},
	} {
		if got := drive(t, tc.w, tc.h).View(); got != tc.want {
			t.Errorf("%dx%d: got %q, want %q", tc.w, tc.h, got, tc.want)
		}
	}
}

// Every screen is exactly the terminal's size, in every state.
func TestViewFitsTerminal(t *testing.T) {
	states := map[string][]string{
		"start":       nil,
		"help":        {"?"},
		"filter open": {"/", "vlan"},
		"no match":    {"/", "zzz"},
		"raw picker":  {"v"},
		"raw search":  {"o", "/", "vm", "enter", "n", "l", "l"},
		"device":      {"1", "j", "j", "j", "j", "j", "j"},
		"evidence":    {"3", "]", "]", "pgdown", "end"},
	}
	for _, size := range [][2]int{{60, 15}, {61, 16}, {80, 24}, {100, 30}, {120, 40}, {200, 60}} {
		for name, ks := range states {
			w, h := size[0], size[1]
			v := drive(t, w, h, ks...).View()
			lines := strings.Split(v, "\n")
			if len(lines) != h {
				t.Errorf("%dx%d %s: %d lines", w, h, name, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw != w {
					t.Errorf("%dx%d %s: line %d is %d wide: %q", w, h, name, i, lw, l)
					break
				}
			}
		}
	}
}

func TestFocusCycle(t *testing.T) {
	m := drive(t, 120, 40)
	if m.Focus() != pane.Findings {
		t.Fatalf("initial focus %v, want findings", m.Focus())
	}
	var got []pane.ID
	for range 4 {
		m = send(m, uitest.Key("tab"))
		got = append(got, m.Focus())
	}
	for range 2 {
		m = send(m, uitest.Key("shift+tab"))
		got = append(got, m.Focus())
	}
	m = send(m, uitest.Key("1"))
	got = append(got, m.Focus())
	want := []pane.ID{pane.Detail, pane.Devices, pane.Findings, pane.Detail, pane.Findings, pane.Devices, pane.Devices}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("focus sequence (-want +got):\n%s", diff)
	}
}

func TestFilterNarrowsList(t *testing.T) {
	all := drive(t, 120, 40).Findings().Len()
	for _, tc := range []struct {
		keys []string
		want []string
	}{
		{[]string{"/", "vlan"}, []string{"VLAN-UPLINK-MISMATCH|esx01/vSwitch1", "VLAN-VGT-PORTGROUP|esx01/Sniffer"}},
		{[]string{"/", "NX-CORE1"}, []string{"LACP-PARTNER-MISMATCH|nx-core1/port-channel10", "CAP-STP-MISSING|nx-core1"}},
		{[]string{"/", "acc-stack1 warning"}, []string{"STP-EDGE-MISSING|acc-stack1/Gi1/0/10"}},
		{[]string{"/", "vlan", "enter"}, []string{"VLAN-UPLINK-MISMATCH|esx01/vSwitch1", "VLAN-VGT-PORTGROUP|esx01/Sniffer"}},
		{[]string{"/", "zzz"}, []string{}},
	} {
		m := drive(t, 120, 40, tc.keys...)
		if diff := cmp.Diff(tc.want, m.Findings().Visible()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.keys, diff)
		}
		// esc (twice: once closes an open input) brings everything back.
		m = send(m, uitest.Key("esc"), uitest.Key("esc"))
		if m.Findings().Len() != all || m.Findings().Filter() != "" {
			t.Errorf("%q then esc: %d findings, filter %q", tc.keys, m.Findings().Len(), m.Findings().Filter())
		}
	}
}

func TestFilterInputTakesKeys(t *testing.T) {
	m, quit := uitest.Drive(ui.New(options()), append([]tea.Msg{uitest.Size(120, 40)}, uitest.Keys("/", "q", "tab", "v", "?")...)...)
	if quit {
		t.Fatal("q quit while the filter input was open")
	}
	um := m.(ui.Model)
	if um.Findings().Filter() != "qv?" || um.Focus() != pane.Findings || um.ShowingRaw() {
		t.Errorf("filter %q, focus %v, raw %v", um.Findings().Filter(), um.Focus(), um.ShowingRaw())
	}
	if _, quit := uitest.Drive(um, uitest.Key("ctrl+c")); !quit {
		t.Error("ctrl+c did not quit from the filter input")
	}
}

func TestDeviceSelectionFiltersFindings(t *testing.T) {
	m := drive(t, 120, 40, "1", "j") // esx01
	if got := m.Devices().Selected(); got != "esx01" {
		t.Fatalf("selected %q", got)
	}
	want := []string{"VLAN-UPLINK-MISMATCH|esx01/vSwitch1", "VLAN-VGT-PORTGROUP|esx01/Sniffer"}
	if diff := cmp.Diff(want, m.Findings().Visible()); diff != "" {
		t.Errorf("findings for esx01 (-want +got):\n%s", diff)
	}
	m = send(m, uitest.Key("j"), uitest.Key("j")) // nx-core1
	want = []string{"LACP-PARTNER-MISMATCH|nx-core1/port-channel10", "CAP-STP-MISSING|nx-core1"}
	if diff := cmp.Diff(want, m.Findings().Visible()); diff != "" {
		t.Errorf("findings for nx-core1 (-want +got):\n%s", diff)
	}
	if f := m.Evidence().Finding(); f == nil || f.ID != "LACP-PARTNER-MISMATCH" {
		t.Errorf("evidence shows %v", f)
	}
	m = send(m, uitest.Key("home"))
	if m.Findings().Len() != 5 {
		t.Errorf("all devices: %d findings", m.Findings().Len())
	}
}

func TestSelectionMovesEvidence(t *testing.T) {
	m := drive(t, 120, 40)
	for i, want := range []string{"VLAN-UPLINK-MISMATCH", "LACP-PARTNER-MISMATCH", "STP-EDGE-MISSING"} {
		if i > 0 {
			m = send(m, uitest.Key("j"))
		}
		if f := m.Evidence().Finding(); f == nil || f.ID != want {
			t.Fatalf("step %d: evidence shows %v, want %s", i, f, want)
		}
	}
	v := m.View()
	for _, want := range []string{"show-spanning-tree-detail.txt · lines 9–10", "› 9 │    Link type is point-to-point", "spanning-tree portfast trunk"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	// enter moves focus to the evidence; ] goes to the next item.
	m = send(drive(t, 120, 40), uitest.Key("enter"), uitest.Key("]"))
	if m.Focus() != pane.Detail || m.Evidence().Current() != 1 {
		t.Errorf("focus %v, item %d", m.Focus(), m.Evidence().Current())
	}
	// From the raw viewer too, enter on a finding shows its evidence.
	m = send(drive(t, 120, 40), uitest.Key("v"), uitest.Key("2"), uitest.Key("j"), uitest.Key("enter"))
	if m.ShowingRaw() || m.Focus() != pane.Detail || m.Evidence().Finding().ID != "LACP-PARTNER-MISMATCH" {
		t.Errorf("raw %v focus %v evidence %s", m.ShowingRaw(), m.Focus(), m.Evidence().Finding().ID)
	}
}

func TestOpenEvidenceInRaw(t *testing.T) {
	m := drive(t, 80, 24, "3", "]", "]", "o")
	if !m.ShowingRaw() || m.Focus() != pane.Detail {
		t.Fatalf("raw %v focus %v", m.ShowingRaw(), m.Focus())
	}
	f := m.Raw().File()
	if f == nil || f.Path != "devices/acc-stack1/show-interfaces-trunk.txt" {
		t.Fatalf("raw shows %v", f)
	}
	// Cited line 9, three lines of context above.
	if got := m.Raw().Offset(); got != 5 {
		t.Errorf("offset %d, want 5", got)
	}
	if !strings.Contains(m.View(), "› 9 │ Gi1/0/10    10,20,30") {
		t.Error("cited line not marked")
	}
	// v goes back to the evidence, and again to the same raw file.
	m = send(m, uitest.Key("v"))
	if m.ShowingRaw() {
		t.Error("v did not toggle back")
	}
	if m = send(m, uitest.Key("v")); m.Raw().File() != f {
		t.Error("raw file lost across toggles")
	}
	// A file that is not in the snapshot changes nothing.
	m = send(m, uitest.Key("v"), pane.OpenRawMsg{File: "devices/nope.txt", Start: 1})
	if m.ShowingRaw() {
		t.Error("missing file switched to raw")
	}
}

func TestRawSearchNextMatch(t *testing.T) {
	m := drive(t, 120, 40, "3", "]", "]", "o", "/", "10,20", "enter")
	matches, cur := m.Raw().Matches()
	var lines []int
	for _, mt := range matches {
		lines = append(lines, mt.Line+1)
	}
	if diff := cmp.Diff([]int{9, 10, 14, 15, 16, 19, 20, 21}, lines); diff != "" {
		t.Fatalf("match lines (-want +got):\n%s", diff)
	}
	if cur != 0 {
		t.Errorf("current %d, want 0", cur)
	}
	var got []int
	for _, k := range []string{"n", "n", "N", "N", "N"} {
		m = send(m, uitest.Key(k))
		_, cur = m.Raw().Matches()
		got = append(got, cur)
	}
	if diff := cmp.Diff([]int{1, 2, 1, 0, 7}, got); diff != "" {
		t.Errorf("n/N sequence (-want +got):\n%s", diff)
	}
	if !strings.Contains(m.View(), "»21 │") || !strings.Contains(m.View(), "match 8/8") {
		t.Errorf("current match not shown:\n%s", m.View())
	}
}

func TestRawPicker(t *testing.T) {
	m := drive(t, 120, 40, "v")
	if !m.Raw().Picking() || m.Focus() != pane.Detail {
		t.Fatalf("picking %v focus %v", m.Raw().Picking(), m.Focus())
	}
	m = send(m, uitest.Key("j"), uitest.Key("j"), uitest.Key("enter"), uitest.Key("j"), uitest.Key("enter"))
	if f := m.Raw().File(); f == nil || f.Path != "devices/nx-core1/show-lacp-neighbor.txt" {
		t.Fatalf("picked %v", f)
	}
	m = send(m, uitest.Key("]"))
	if f := m.Raw().File(); f.Path != "devices/nx-core1/show-vlan-brief.txt" {
		t.Errorf("] opened %s", f.Path)
	}
	// The device selected in the devices pane preselects the picker.
	m = drive(t, 120, 40, "1", "j", "j", "v")
	if !strings.Contains(m.View(), "acc-stack1 › pick a file") {
		t.Errorf("picker not on acc-stack1:\n%s", m.View())
	}
}

func TestResizeTinyAndBack(t *testing.T) {
	m := drive(t, 120, 40, "j")
	before := m.View()
	m = send(m, uitest.Size(40, 10))
	if v := m.View(); strings.Contains(v, "\n") || !strings.Contains(v, "need 60x15") {
		t.Errorf("tiny view: %q", v)
	}
	// Keys still work while too small.
	m = send(m, uitest.Key("j"), uitest.Key("k"))
	m = send(m, uitest.Size(120, 40))
	if diff := cmp.Diff(before, m.View()); diff != "" {
		t.Errorf("view after resizing back (-want +got):\n%s", diff)
	}
	m = send(m, uitest.Size(200, 60))
	if n := len(strings.Split(m.View(), "\n")); n != 60 {
		t.Errorf("200x60: %d lines", n)
	}
}

func TestMouse(t *testing.T) {
	m := drive(t, 120, 40)
	// The devices pane spans x 0..23 from y 1; findings x 24.. y 1..8;
	// detail below. The wheel goes to the pane under the pointer.
	m = send(m, uitest.Wheel(5, 10, true))
	if got := m.Devices().Selected(); got != "esx01" {
		t.Errorf("wheel over devices: selected %q", got)
	}
	if m.Focus() != pane.Findings {
		t.Errorf("wheel changed focus to %v", m.Focus())
	}
	m = send(drive(t, 120, 40), uitest.Wheel(60, 4, true))
	if f := m.Findings().Selected(); f == nil || f.ID != "LACP-PARTNER-MISMATCH" {
		t.Errorf("wheel over findings: %v", f)
	}
	m = send(drive(t, 120, 40), uitest.Wheel(60, 20, true), uitest.Wheel(60, 20, true))
	if got := m.Evidence().YOffset(); got != 6 {
		t.Errorf("wheel over evidence: offset %d, want 6", got)
	}
	m = send(m, uitest.Wheel(60, 20, false))
	if got := m.Evidence().YOffset(); got != 3 {
		t.Errorf("wheel up over evidence: offset %d, want 3", got)
	}
	// A click focuses the pane and selects the row under it.
	m = send(m, uitest.Click(5, 2))
	if m.Focus() != pane.Devices || m.Devices().Selected() != "" {
		t.Errorf("click on 'all devices': focus %v selected %q", m.Focus(), m.Devices().Selected())
	}
	m = send(m, uitest.Click(40, 4))
	if f := m.Findings().Selected(); m.Focus() != pane.Findings || f == nil || f.ID != "STP-EDGE-MISSING" {
		t.Errorf("click on third finding: focus %v, %v", m.Focus(), f)
	}
}

func TestHelpToggle(t *testing.T) {
	m := drive(t, 120, 40)
	short := m.View()
	m = send(m, uitest.Key("?"))
	full := m.View()
	if short == full || !strings.Contains(full, "clear filter") || !strings.Contains(full, "pane back") {
		t.Errorf("full help not shown:\n%s", full)
	}
	// The full help is the focused pane's.
	m = send(m, uitest.Key("3"))
	if !strings.Contains(m.View(), "next item") {
		t.Errorf("evidence help not shown:\n%s", m.View())
	}
	if m = send(m, uitest.Key("?")); m.View() == full {
		t.Error("? did not close the help")
	}
}

func TestEmpty(t *testing.T) {
	m, _ := uitest.Drive(ui.New(ui.Options{}), uitest.Size(80, 24), uitest.Key("j"), uitest.Key("v"), uitest.Key("/"))
	v := m.View()
	for _, want := range []string{"No findings.", "no raw files", "Devices (0)"} {
		if !strings.Contains(v, want) {
			t.Errorf("empty dashboard lacks %q:\n%s", want, v)
		}
	}
	if ui.New(ui.Options{}).View() != "" {
		t.Error("view before the first size is not empty")
	}
}

func BenchmarkFirstFrame(b *testing.B) {
	opts := options()
	b.ReportAllocs()
	for b.Loop() {
		m, _ := ui.New(opts).Update(uitest.Size(120, 40))
		_ = m.View()
	}
}
