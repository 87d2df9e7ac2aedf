package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/google/go-cmp/cmp"

	"github.com/nettui/nettui/collectors/inventory"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/internal/sshlab"
	"github.com/nettui/nettui/ui"
)

var ptyPlatforms = map[netmodel.Platform]bool{netmodel.NXOS: true, netmodel.ASA: true, netmodel.EOS: true}

// TestCollectCommandJudgedLikeFixture: against a real sshd, `nettui
// collect` of the IPsec 3×3 case's devices writes a bundle that `nettui
// diagnose` judges exactly like the fixture bundle itself.
func TestCollectCommandJudgedLikeFixture(t *testing.T) {
	const fixture = "fixtures/cases/ipsec-policy-3x3"
	fx := sshlab.LoadFixtureSite(t, fixture, ptyPlatforms)
	if len(fx.Skipped) > 0 {
		t.Fatalf("the case should be fully collectable: %v", fx.Skipped)
	}
	site := sshlab.StartSite(t, fx.Specs, fx.Platforms, fx.Meta.Links, fx.Meta.Expect)
	out := filepath.Join(t.TempDir(), "collected")
	stdout, stderr, code := runCLI(t, "collect", "-i", site.Inventory, "-o", out, "--ssh-config", site.SSHConfig)
	if code != 0 {
		t.Fatalf("collect: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "collected 2 devices into "+out+": 2 ok, 0 partial, 0 failed") {
		t.Errorf("summary: %s", stdout)
	}
	got, _, _ := runCLI(t, "diagnose", out, "--format", "json")
	want, _, _ := runCLI(t, "diagnose", fixture, "--format", "json")
	gk, _ := reportKeys(t, got)
	wk, _ := reportKeys(t, want)
	if len(wk) == 0 {
		t.Fatal("the fixture has no finding to compare")
	}
	if diff := cmp.Diff(wk, gk); diff != "" {
		t.Errorf("findings (-fixture +collected):\n%s", diff)
	}
	info, err := os.Stat(filepath.Join(out, "bundle.yaml"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("bundle.yaml: %v %v", err, info)
	}
}

// TestLiveDashboard runs the dashboard on a live collection of the demo's
// collectable devices (real sshd, fake devices): the progress line ends in
// "collected", and the findings are the fixture's.
func TestLiveDashboard(t *testing.T) {
	fx := sshlab.LoadFixtureSite(t, "fixtures/cases/ipsec-policy-3x3", ptyPlatforms)
	site := sshlab.StartSite(t, fx.Specs, fx.Platforms, fx.Meta.Links, fx.Meta.Expect)
	inv, err := inventory.Load(site.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	g := &globalOptions{logger: slog.New(slog.NewTextHandler(&logBuf, nil))}
	o := &collectOptions{inventory: site.Inventory, sshConfig: site.SSHConfig, concurrency: 16, cmdTimeout: 30 * time.Second, deviceTimeout: time.Minute, maxOutput: 1 << 20}
	ask := newUIPrompter()
	c := newLiveCollector(g, o, inv, ask)
	m := ui.New(ui.Options{Snapshot: queuedSite(inv), Source: "live: inventory.yaml", Collector: c, Prompts: ask.ch})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("collected 2 devices"))
	}, teatest.WithDuration(90*time.Second), teatest.WithCheckInterval(100*time.Millisecond))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	view := fm.View()
	if !strings.Contains(view, "IPSEC-SELECTOR-EXPLOSION") {
		t.Errorf("the case's finding is not on screen:\n%s", view)
	}
}
