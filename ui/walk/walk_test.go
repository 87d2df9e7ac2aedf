package walk

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/diagnose"
	dwalk "github.com/nettui/nettui/diagnose/walk"
	"github.com/nettui/nettui/fixtures"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/uitest"
)

func TestMain(m *testing.M) {
	// Plain text and a fixed background: goldens do not depend on the
	// terminal the tests run in.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// demo is the embedded demo site and its findings.
func demo(t testing.TB) (*netmodel.Snapshot, []netmodel.Finding) {
	t.Helper()
	sub, err := fs.Sub(fixtures.Demo, "demo")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := bundle.Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	return snap, diagnose.Run(snap)
}

func finding(t testing.TB, fs []netmodel.Finding, id, subject string) *netmodel.Finding {
	t.Helper()
	for i := range fs {
		if fs[i].ID == id && fs[i].Subject == subject {
			return &fs[i]
		}
	}
	t.Fatalf("no finding %s %s", id, subject)
	return nil
}

var clock = func() time.Time { return time.Date(2026, 11, 28, 3, 30, 0, 0, time.UTC) }

// open builds the view at w×h for finding id/subject of the demo.
func open(t testing.TB, cfg Config, id, subject string, w, h int) Model {
	t.Helper()
	snap, fs := demo(t)
	var f *netmodel.Finding
	if id != "" {
		f = finding(t, fs, id, subject)
	}
	if cfg.Now == nil {
		cfg.Now = clock
	}
	cfg.Source = "embedded demo site"
	m := New(context.Background(), cfg, snap, f)
	m.SetSize(w, h)
	return m
}

func press(t testing.TB, m Model, ks ...string) Model {
	t.Helper()
	for _, msg := range uitest.Keys(ks...) {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		for cmd != nil {
			next := cmd()
			cmd = nil
			if next != nil {
				m, cmd = m.Update(next)
			}
		}
	}
	return m
}

func TestPickerSuggestsTheFindingsWalkthrough(t *testing.T) {
	m := open(t, Config{}, "LACP-PARTNER-SPLIT", "kvm01 bond0", 100, 30)
	if m.list[0].Name != "lacp" || m.suggested != 1 {
		t.Fatalf("first %s, %d suggested", m.list[0].Name, m.suggested)
	}
	v := m.View()
	lines := strings.Split(v, "\n")
	if !strings.Contains(lines[0], "for LACP-PARTNER-SPLIT kvm01 bond0") || !strings.HasPrefix(lines[2], "▸ lacp") || !strings.Contains(lines[2], "★ suggested") {
		t.Errorf("picker:\n%s", v)
	}
	if strings.Count(v, "★ suggested") != 1 {
		t.Errorf("one suggestion expected:\n%s", v)
	}
	// Without a finding, the documented order and no suggestion.
	m = open(t, Config{}, "", "", 100, 30)
	if m.list[0].Name != "vlan" || m.suggested != 0 || strings.Contains(m.View(), "suggested") {
		t.Errorf("no finding: first %s, %d suggested", m.list[0].Name, m.suggested)
	}
}

// TestStartFromFinding: the walkthrough starts with the finding's port
// group under the cursor; enter takes it.
func TestStartFromFinding(t *testing.T) {
	m := open(t, Config{}, "VLAN-PARTIAL-UPLINK", "esx02/vSwitch0/vMotion (VLAN 20)", 100, 40)
	m = press(t, m, "enter")
	if m.Session() == nil || m.Session().Walkthrough().Name != "vlan" {
		t.Fatal("vlan not started")
	}
	_, choices := m.Session().Choices()
	if choices[m.cursor].Value != "esx02/vSwitch0/vMotion" {
		t.Errorf("cursor on %s", choices[m.cursor].Value)
	}
	m = press(t, m, "enter")
	if a := m.Session().Answered(); len(a) != 1 || a[0] != [2]string{"portgroup", "esx02/vSwitch0/vMotion"} {
		t.Errorf("answers %v", a)
	}
	// Moving the cursor picks another one.
	m = press(t, m, "b", "j", "enter")
	if a := m.Session().Answered(); len(a) != 1 || a[0][1] == "esx02/vSwitch0/vMotion" {
		t.Errorf("after moving: %v", a)
	}
}

func TestStepKeys(t *testing.T) {
	m := open(t, Config{}, "STP-HOST-PORT-NOT-EDGE", "acc-stack2 Po20", 100, 40)
	m = press(t, m, "enter") // stp
	m = press(t, m, "enter") // the tree (VLAN0010, first)
	s := m.Session()
	if s.Current().ID != "root" {
		t.Fatalf("at %s", s.Current().ID)
	}
	m = press(t, m, "s")
	if e := m.Session().Entries(); len(e) != 2 || e[1].Result.Verdict != dwalk.Skipped || m.Session().Current().ID != "roles" {
		t.Errorf("skip: %d entries, at %s", len(e), m.Session().Current().ID)
	}
	if !strings.Contains(m.View(), "– 2. Root placement — skipped") {
		t.Errorf("the skipped step is not shown:\n%s", m.View())
	}
	m = press(t, m, "b", "b", "b")
	if m.Session() != nil {
		t.Error("back past the first step should return to the picker")
	}
	m = press(t, m, "esc")
	if _, ok := m.TakeAction().(CloseMsg); !ok {
		t.Error("esc does not close")
	}
}

func TestExportMarkdown(t *testing.T) {
	dir := t.TempDir()
	m := open(t, Config{ExportDir: dir}, "LACP-PARTNER-NOT-LACP", "acc-stack2 Port-channel20", 100, 40)
	m = press(t, m, "enter")
	for !m.Session().Done() {
		m = press(t, m, "enter")
	}
	m = press(t, m, "e")
	path := filepath.Join(dir, "walk-lacp-dc1-demo-20261128-033000.md")
	if m.Status() != "transcript written to "+path {
		t.Fatalf("status %q", m.Status())
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	var want strings.Builder
	if err := m.Session().Transcript().WriteMarkdown(&want); err != nil {
		t.Fatal(err)
	}
	if string(b) != want.String() {
		t.Error("the file is not the session's Markdown transcript")
	}
	if !strings.Contains(string(b), "## Conclusion — fault\n\nCause: LACP-PARTNER-NOT-LACP acc-stack2 Port-channel20") {
		t.Errorf("transcript conclusion:\n%s", b)
	}
	if !strings.Contains(m.View(), "transcript written to "+path) {
		t.Error("the view does not say where")
	}
}

type slowCollector struct{ calls int }

func (c *slowCollector) Collect(_ context.Context, device string, _ []string) (*netmodel.Snapshot, error) {
	c.calls++
	return nil, nil
}

// TestLiveStepRunsInACommand: on a live site a collecting step runs in a
// command, the view says so meanwhile, and a stale result is dropped.
func TestLiveStepRunsInACommand(t *testing.T) {
	col := &slowCollector{}
	m := open(t, Config{Collector: col}, "STP-HOST-PORT-NOT-EDGE", "acc-stack2 Po20", 100, 40)
	m = press(t, m, "enter", "enter") // stp, its tree
	var cmd tea.Cmd
	m, cmd = m.Update(uitest.Key("enter"))
	if cmd == nil || !m.busy {
		t.Fatal("a live step must run in a command")
	}
	if !strings.Contains(m.View(), "running on the live site…") {
		t.Error("no progress shown")
	}
	m2 := press(t, m, "s") // keys wait while a step runs
	if len(m2.Session().Entries()) != 1 {
		t.Error("a key acted while the step ran")
	}
	msg := cmd()
	stale := msg.(stepMsg)
	stale.id--
	if m3, _ := m.Update(stale); !m3.busy {
		t.Error("a stale result was taken")
	}
	m, _ = m.Update(msg)
	if m.busy || len(m.Session().Entries()) != 2 || m.Session().Current().ID != "roles" {
		t.Errorf("after the command: busy %v, %d entries", m.busy, len(m.Session().Entries()))
	}
}

// TestViewFits: every screen is exactly the size given.
func TestViewFits(t *testing.T) {
	for _, ks := range [][]string{nil, {"enter"}, {"enter", "enter"}, {"enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter"}} {
		for _, size := range [][2]int{{40, 10}, {100, 30}, {160, 50}} {
			m := open(t, Config{}, "VLAN-PARTIAL-UPLINK", "esx01/vSwitch0/VM-Prod (VLAN 120)", size[0], size[1])
			m = press(t, m, ks...)
			lines := strings.Split(m.View(), "\n")
			if len(lines) != size[1] {
				t.Errorf("%v at %v: %d lines", ks, size, len(lines))
			}
			for _, l := range lines {
				if w := ansi.StringWidth(l); w != size[0] {
					t.Errorf("%v at %v: a line %d wide", ks, size, w)
					break
				}
			}
		}
	}
}

// TestTypedAnswer: a question that takes more than its choices (a VLAN
// instead of a port group) takes a typed answer; esc drops it.
func TestTypedAnswer(t *testing.T) {
	m := open(t, Config{}, "VLAN-NATIVE-MISMATCH", "acc-stack1 Te1/1/1 ↔ nx-core1 Eth1/49", 100, 40)
	m = press(t, m, "enter", "i", "vlan:1", "esc")
	if m.Capturing() || len(m.Session().Answered()) != 0 {
		t.Fatal("esc did not drop the typed answer")
	}
	m = press(t, m, "i")
	if !m.Capturing() || !strings.Contains(m.View(), "answer: █") {
		t.Fatalf("no input:\n%s", m.View())
	}
	m = press(t, m, "vlan:999", "enter")
	if a := m.Session().Answered(); len(a) != 1 || a[0] != [2]string{"portgroup", "vlan:999"} {
		t.Fatalf("answers %v", a)
	}
	for !m.Session().Done() {
		m = press(t, m, "enter")
	}
	c := m.Session().Conclusion()
	if len(c.Cause) != 1 || c.Cause[0].ID != "VLAN-NATIVE-MISMATCH" {
		t.Errorf("conclusion %s %v", c.Verdict, c.Cause)
	}
	// A typed answer the question refuses is said, and nothing moves.
	m = open(t, Config{}, "", "", 100, 40)
	m = press(t, m, "enter", "i", "esx9/none", "enter")
	if len(m.Session().Answered()) != 0 || !strings.Contains(m.View(), "portgroup=esx9/none is not one of the choices") {
		t.Errorf("bad typed answer:\n%s", m.View())
	}
}
