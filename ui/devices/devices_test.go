package devices

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

func TestCounts(t *testing.T) {
	t.Parallel()
	snap, findings := uitest.Site()
	m := New(snap, findings)
	got := map[string][4]int{}
	for _, it := range m.items {
		got[it.name] = it.counts
	}
	// [info unknown warning critical]
	want := map[string][4]int{
		"all devices": {1, 1, 1, 2},
		"esx01":       {1, 0, 0, 1},
		"acc-stack1":  {0, 0, 1, 1},
		"nx-core1":    {0, 1, 0, 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestScrollsToUnrecognised(t *testing.T) {
	t.Parallel()
	snap, findings := uitest.Site()
	m := New(snap, findings)
	m.SetSize(22, 8)
	down := tea.KeyMsg{Type: tea.KeyDown}
	for range 3 {
		m, _ = m.Update(down)
	}
	if m.Selected() != "nx-core1" {
		t.Fatalf("selected %q", m.Selected())
	}
	if strings.Contains(m.View(), "Unrecognised") {
		t.Fatal("unrecognised already in view")
	}
	// Down past the last device scrolls the rest of the pane in.
	for range 10 {
		m, _ = m.Update(down)
	}
	v := m.View()
	if m.Selected() != "nx-core1" || !strings.Contains(v, "bundle.yaml") {
		t.Errorf("selected %q, view:\n%s", m.Selected(), v)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyUp})
	if m.Selected() != "acc-stack1" || !strings.Contains(m.View(), "acc-stack1") {
		t.Errorf("up: selected %q, view:\n%s", m.Selected(), m.View())
	}
}

func TestFailedDeviceShowsError(t *testing.T) {
	t.Parallel()
	snap, findings := uitest.Site()
	snap.Devices[1].Status = "failed"
	snap.Devices[1].Error = "auth: permission denied (publickey,password)"
	m := New(snap, findings)
	m.SetSize(30, 30)
	v := m.View()
	for _, want := range []string{"acc-stack1            failed", "  auth: permission denied", "1 parse error"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestLiveStates(t *testing.T) {
	t.Parallel()
	snap, findings := uitest.Site()
	m := New(snap, findings)
	m.SetSize(30, 30)
	m.Select("acc-stack1")
	m.SetLive(map[string]Live{
		"esx01":    {State: "done"},
		"nx-core1": {State: "failed", Kind: "auth", Err: "ssh: unable to authenticate"},
	})
	m.SetSite(snap, findings) // a new site keeps the states and the selection
	var trimmed []string
	for _, l := range strings.Split(m.View(), "\n") {
		trimmed = append(trimmed, strings.TrimRight(l, " "))
	}
	v := strings.Join(trimmed, "\n")
	for _, want := range []string{
		"  esx01                   esxi\n  done  C1 W0 U0 I1",
		"▸ acc-stack1               ios\n  queued",
		"  nx-core1                nxos\n  ✗ failed: auth  C1 W0 U1 I0\n  1 parse error\n  ssh: unable to authenticate",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if m.Selected() != "acc-stack1" {
		t.Errorf("selected %q", m.Selected())
	}
	m.SetLive(nil)
	if v := m.View(); !strings.Contains(v, "nx-core1             partial") {
		t.Errorf("back to statuses:\n%s", v)
	}
}

func TestLiveText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		l    Live
		want string
	}{
		{Live{State: "queued"}, "queued"},
		{Live{State: "collecting", Done: 3, Total: 16}, "collecting 3/16"},
		{Live{State: "collecting"}, "collecting"},
		{Live{State: "failed", Kind: "host key"}, "failed: host key"},
		{Live{State: "failed"}, "failed"},
	} {
		if got := tc.l.Text(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.l, got, tc.want)
		}
	}
}
