package pane

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/nettui/nettui/internal/netmodel"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func TestClean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a\tb", "a       b"},
		{"abcdefgh\tx", "abcdefgh        x"},
		{"line\r", "line"},
		{"\x1b[31mred\x1b[0m", "^[[31mred^[[0m"},
		{"del\x7f", "del^?"},
		{"bad\xffutf8", "bad�utf8"},
		{"c1\u0085", "c1�"},
		{"→ ok", "→ ok"},
	} {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFitAndFrame(t *testing.T) {
	t.Parallel()
	got := Fit("abcdef\nxy\nthird\nfourth", 4, 3)
	want := "abc…\nxy  \nthi…"
	if got != want {
		t.Errorf("Fit = %q, want %q", got, want)
	}
	st := lipgloss.NewStyle().Border(lipgloss.RoundedBorder())
	f := Frame(st, "Title that is long", "body", 12, 4)
	lines := strings.Split(f, "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines: %q", len(lines), f)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) != 12 {
			t.Errorf("line %q is %d wide", l, ansi.StringWidth(l))
		}
	}
	if lines[0] != "╭─ Title … ╮" || lines[1] != "│body      │" {
		t.Errorf("frame:\n%s", f)
	}
}

func TestFollow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ off, first, last, h, total, want int }{
		{0, 3, 3, 5, 20, 0},
		{0, 7, 7, 5, 20, 3},
		{10, 4, 5, 5, 20, 4},
		{0, 18, 19, 5, 20, 15},
		{0, 2, 12, 5, 20, 2}, // taller than the window: its top shows
		{9, 0, 0, 5, 3, 0},
	} {
		if got := Follow(tc.off, tc.first, tc.last, tc.h, tc.total); got != tc.want {
			t.Errorf("Follow%v = %d, want %d", tc, got, tc.want)
		}
	}
}

func TestConcerns(t *testing.T) {
	t.Parallel()
	f := &netmodel.Finding{Subject: "esx01/vSwitch1",
		Evidence: []netmodel.Evidence{{Device: "sw1"}}, Fix: []netmodel.Fix{{Device: "sw2"}}}
	for dev, want := range map[string]bool{"esx01": true, "sw1": true, "sw2": true, "esx0": false, "": false} {
		if got := Concerns(f, dev); got != want {
			t.Errorf("Concerns(%q) = %v", dev, got)
		}
	}
}

func TestInput(t *testing.T) {
	t.Parallel()
	in := Input{Prompt: "/", Width: 10}
	in.Focus()
	keys := []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune("vlan 30")},
		{Type: tea.KeyBackspace},
		{Type: tea.KeyLeft}, {Type: tea.KeyLeft},
		{Type: tea.KeyRunes, Runes: []rune("x")},
		{Type: tea.KeyEnd},
		{Type: tea.KeySpace},
		{Type: tea.KeyRunes, Runes: []rune("a\tb")},
	}
	for _, k := range keys {
		in.Update(k)
	}
	if got := in.Value(); got != "vlanx 3 a b" {
		t.Errorf("value %q", got)
	}
	in.Update(tea.KeyMsg{Type: tea.KeyCtrlW})
	if got := in.Value(); got != "vlanx 3 a " {
		t.Errorf("after ctrl+w: %q", got)
	}
	if w := ansi.StringWidth(in.View()); w > 10 {
		t.Errorf("view %q is %d wide", in.View(), w)
	}
	if !strings.HasSuffix(in.View(), "█") {
		t.Errorf("cursor not at the end: %q", in.View())
	}
	in.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	if in.Value() != "" || in.Update(tea.KeyMsg{Type: tea.KeyBackspace}) {
		t.Errorf("ctrl+u left %q", in.Value())
	}
}

func TestInputMaskAndWipe(t *testing.T) {
	t.Parallel()
	in := Input{Prompt: "> ", Width: 20, Mask: '•'}
	in.Focus()
	for _, r := range "hunter2" {
		in.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	in.Update(tea.KeyMsg{Type: tea.KeyLeft})
	in.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("X")})
	if in.Value() != "hunterX2" {
		t.Fatalf("value %q", in.Value())
	}
	v := in.View()
	if strings.ContainsAny(v, "hunterX2") || !strings.HasPrefix(v, "> •••••••") {
		t.Errorf("masked view %q", v)
	}
	backing := in.value[:cap(in.value)]
	in.Wipe()
	if in.Value() != "" {
		t.Errorf("after wipe: %q", in.Value())
	}
	for i, r := range backing {
		if r != 0 {
			t.Fatalf("rune %d left in memory: %q", i, r)
		}
	}
}
