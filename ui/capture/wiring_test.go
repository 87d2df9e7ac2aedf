package capture_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
	probe "github.com/nettui/nettui/probes/capture"
	"github.com/nettui/nettui/ui"
	"github.com/nettui/nettui/ui/uitest"
)

func TestDashboardCaptureKey(t *testing.T) {
	t.Parallel()
	snap, findings := uitest.Site()
	var asked *netmodel.Finding
	opts := ui.Options{Snapshot: snap, Findings: findings, Source: uitest.Source,
		OpenCapture: func(f *netmodel.Finding) (string, func(context.Context) (probe.Source, error), error) {
			asked = f
			path := filepath.Join("..", "..", "probes", "capture", "testdata", "ovs-stp.pcap")
			return "lab stp", func(context.Context) (probe.Source, error) { return probe.OpenFile(path) }, nil
		}}
	m0, _ := uitest.Drive(ui.New(opts), uitest.Size(120, 40))
	if v := m0.View(); !strings.Contains(v, "c capture") {
		t.Errorf("help lacks the capture key:\n%s", v)
	}
	m1, _ := uitest.Drive(m0, uitest.Key("c"))
	m := m1.(ui.Model)
	c, open := m.Capture()
	if !open || asked == nil || asked.Key() != findings[0].Key() {
		t.Fatalf("open %v, finding %v", open, asked)
	}
	if !c.Finished() || c.Counters().STP == 0 || !strings.Contains(m.View(), "[Capture] · lab stp · finished") {
		t.Fatalf("capture pane:\n%s", m.View())
	}
	m1, _ = uitest.Drive(m, uitest.Key("c"))
	m = m1.(ui.Model)
	if _, open := m.Capture(); open {
		t.Fatal("c in the pane did not close it")
	}
	select {
	case <-c.Done():
	default:
		t.Error("capture still running after close")
	}
}

func TestNoCaptureKeyWithoutOpenCapture(t *testing.T) {
	t.Parallel()
	snap, findings := uitest.Site()
	m, _ := uitest.Drive(ui.New(ui.Options{Snapshot: snap, Findings: findings}), uitest.Size(200, 40), uitest.Key("c"))
	if _, open := m.(ui.Model).Capture(); open || strings.Contains(m.View(), "c capture") {
		t.Errorf("capture without OpenCapture:\n%s", m.View())
	}
	m, _ = uitest.Drive(m, uitest.Key("?"))
	if regexp.MustCompile(`\bc\s+capture`).MatchString(m.View()) {
		t.Errorf("full help shows the capture key:\n%s", m.View())
	}
}
