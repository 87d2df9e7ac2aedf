package parse

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// TestOVSEmptyAnswers: on a switch without bonds, ovs-appctl lacp/show,
// bond/show and lacp/show-stats print nothing (exit 0), and stp/show and
// rstp/show print nothing where no bridge runs that protocol (seen on real
// Open vSwitch 3.1 in the lab: internal/lab, fixtures/lab/ovs-rstp-loop).
// That is the state — none configured — not a parse error; anything else
// outside a ---- block ---- still is.
func TestOVSEmptyAnswers(t *testing.T) {
	for _, capName := range []string{CapOVSLACP, CapOVSBond, CapOVSLACPStats, CapOVSSTP, CapOVSRSTP} {
		e := Lookup(netmodel.OVS, capName)
		if e == nil {
			t.Fatalf("no parser for ovs/%s", capName)
		}
		for _, in := range []string{"", "\n", "  \n\n"} {
			d := &netmodel.Device{Name: "sw1", Platform: netmodel.Linux}
			if err := e.Apply(NewLinesReader(Clean(in).Lines), d, "devices/sw1/"+capName+".txt", ""); err != nil {
				t.Errorf("%s, empty answer %q: %v", capName, in, err)
			}
			if len(d.LAGs) != 0 || len(d.STP) != 0 || len(d.Errors) != 0 {
				t.Errorf("%s, empty answer: %d LAGs, %d trees, errors %v", capName, len(d.LAGs), len(d.STP), d.Errors)
			}
		}
		d := &netmodel.Device{Name: "sw1", Platform: netmodel.Linux}
		err := e.Apply(NewLinesReader(Clean("ovs-appctl: cannot read pidfile\n").Lines), d, "x.txt", "")
		if err == nil || !strings.Contains(err.Error(), "expected ----") {
			t.Errorf("%s, text outside a block: %v; want the located error", capName, err)
		}
	}
}
