package main

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/nettui/nettui/ui"
)

// TestCaptureSummaryRealCaptures: `nettui capture -r FILE --summary` on
// captures recorded from real strongSwan and Open vSwitch gives the
// capture findings each shows, and none on the healthy ones.
func TestCaptureSummaryRealCaptures(t *testing.T) {
	for _, tc := range []struct {
		file string
		code int
		ids  []string
	}{
		{"ike-esp-good.pcap", 0, nil},
		{"ike-no-answer.pcap", 2, []string{"CAP-IKE-NO-ANSWER"}},
		{"ike-proposal-mismatch.pcap", 2, []string{"CAP-IKE-NO-PROPOSAL"}},
		{"ovs-lacp-a1.pcap", 1, []string{"CAP-LACP-CHANGED"}},
		{"ovs-rstp.pcap", 0, nil},
		{"bridge-stp.pcap", 0, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out, stderr, code := runCLI(t, "capture", "-r", filepath.Join("probes/capture/testdata", tc.file), "--summary", "--format", "json")
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			var rep captureReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range rep.Findings {
				ids = append(ids, f.ID)
				if len(f.Evidence) == 0 || f.Evidence[0].File != tc.file || f.Evidence[0].Start < 1 || uint64(f.Evidence[0].End) > rep.Capture.Packets {
					t.Errorf("%s: evidence %+v", f.ID, f.Evidence)
				}
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
				t.Errorf("findings %v, want %v", ids, tc.ids)
			}
			if rep.Capture.Packets == 0 {
				t.Error("no packet")
			}
		})
	}
}

// TestCaptureSummaryBadInput: a text file is refused with a clear error;
// a truncated capture is summarised up to the break, which is named.
func TestCaptureSummaryBadInput(t *testing.T) {
	dir := t.TempDir()
	txt := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(txt, []byte("show interfaces trunk\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, "capture", "-r", txt, "--summary")
	if code != 3 || !strings.Contains(stderr, "notes.txt") {
		t.Errorf("text file: exit %d, %q", code, stderr)
	}
	b, err := os.ReadFile("probes/capture/testdata/ovs-lacp-a1.pcap")
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.pcap")
	if err := os.WriteFile(cut, b[:len(b)-40], 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, _ := runCLI(t, "capture", "-r", cut, "--summary")
	if !strings.Contains(out, "read stopped: ") || !strings.Contains(out, "packet 32") || !strings.Contains(out, "31 packets") {
		t.Errorf("truncated capture:\n%s", out)
	}
}

// TestCaptureDashboard: `nettui capture -r FILE` opens the dashboard with the
// capture pane replaying the file, decoded, and the capture's findings
// listed beside it (a real strongSwan IKE_SA_INIT refused with
// NO_PROPOSAL_CHOSEN).
func TestCaptureDashboard(t *testing.T) {
	g := &globalOptions{logger: slog.New(slog.DiscardHandler)}
	opts, err := captureDashboard(g, &captureOptions{read: "probes/capture/testdata/ike-proposal-mismatch.pcap"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range opts.Findings {
		ids = append(ids, f.ID)
	}
	if strings.Join(ids, " ") != "CAP-IKE-NO-PROPOSAL" {
		t.Fatalf("findings %v, want the NO_PROPOSAL_CHOSEN finding", ids)
	}
	tm := teatest.NewTestModel(t, ui.New(opts), teatest.WithInitialTermSize(160, 40))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		s := ansi.Strip(string(b))
		return strings.Contains(s, "NO_PROPOSAL_CHOSEN") && strings.Contains(s, "CAP-IKE-NO-PROPOSAL") && strings.Contains(s, "IKE_SA_INIT")
	}, teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	if _, err := captureDashboard(g, &captureOptions{read: "testdata/does-not-exist.pcap"}); err == nil {
		t.Error("a missing file opened")
	}
}
