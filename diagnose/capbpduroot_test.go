package diagnose

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// TestCapBPDURootOncePerRoot: two bridges on one captured link naming the
// same unexpected root (the designated bridge, then the other end while the
// tree converged, as on the real Open vSwitch RSTP capture of
// fixtures/lab/ovs-rstp-loop) give one finding citing both; another root
// named on the link gives its own.
func TestCapBPDURootOncePerRoot(t *testing.T) {
	b, cp := capSite(t)
	b.s.Expect["stp_root"] = "sw1"
	cp.BPDU = []netmodel.CapBPDU{
		{Source: "02:00:00:00:01:02", Version: "rstp", RootPriority: 28672, RootMAC: "02:00:00:00:00:01", BridgePrio: 28672, BridgeMAC: "02:00:00:00:00:01", Count: 3, First: 1, Last: 5},
		{Source: "02:00:00:00:02:02", Version: "rstp", RootPriority: 28672, RootMAC: "02:00:00:00:00:01", RootCost: 2000, BridgePrio: 32768, BridgeMAC: "02:00:00:00:00:02", Count: 2, First: 2, Last: 3},
		{Source: "02:00:00:00:03:02", Version: "rstp", RootPriority: 4096, RootMAC: "02:00:00:00:00:03", BridgePrio: 4096, BridgeMAC: "02:00:00:00:00:03", Count: 1, First: 4, Last: 4},
	}
	fs := only(b.run(), CapBPDURoot)
	if len(fs) != 2 {
		t.Fatalf("%d findings, want one per root named: %+v", len(fs), fs)
	}
	f := fs[0]
	if f.Subject != "esx01 vmnic2 root 02:00:00:00:00:01" || len(f.Evidence) != 2 ||
		f.Evidence[0].Start != 1 || f.Evidence[0].End != 5 || f.Evidence[1].Start != 2 || f.Evidence[1].End != 3 ||
		!strings.Contains(f.Why, "02:00:00:00:01:02 and 02:00:00:00:02:02") {
		t.Errorf("first root: %s, evidence %+v, why %q", f.Subject, f.Evidence, f.Why)
	}
	if fs[1].Subject != "esx01 vmnic2 root 02:00:00:00:00:03" || len(fs[1].Evidence) != 1 {
		t.Errorf("second root: %s, evidence %+v", fs[1].Subject, fs[1].Evidence)
	}
}
