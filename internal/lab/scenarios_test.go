package lab

import (
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
)

// A scenario is one lab situation: the live test builds it from real
// software and collects it; its bundle is saved under fixtures/lab/<dir>
// (with NETTUI_LAB_RECORD=1), and TestLabFixtures diagnoses the saved copy.
// Both must give exactly the findings want ("RULE-ID<TAB>subject"), and
// the model must pass check.
type scenario struct {
	dir  string
	want []string
	// variants are the same bundle diagnosed with another expect: (for
	// instance another intended root), and the findings that gives.
	variants []variant
	// check asserts what the snapshot must show besides the findings.
	check func(t *testing.T, snap *netmodel.Snapshot)
}

type variant struct {
	expect map[string]string
	want   []string
}

// fixturesDir is where the scenarios' bundles are kept.
const fixturesDir = "../../fixtures/lab"

// verify diagnoses snap (and its variants) and runs the scenario's check.
func (sc *scenario) verify(t *testing.T, snap *netmodel.Snapshot) {
	t.Helper()
	ExpectFindings(t, sc.dir, snap, sc.want)
	for _, v := range sc.variants {
		saved := snap.Expect
		snap.Expect = v.expect
		ExpectFindings(t, sc.dir+" with expect "+mapString(v.expect), snap, v.want)
		snap.Expect = saved
	}
	if sc.check != nil {
		sc.check(t, snap)
	}
}

// record saves b as the scenario's fixture when NETTUI_LAB_RECORD=1.
func (sc *scenario) record(t *testing.T, b *Bundle) {
	t.Helper()
	if !Recording() {
		return
	}
	dir := filepath.Join(fixturesDir, sc.dir)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	b.Write(t, dir)
	t.Logf("recorded %s", dir)
}

func mapString(m map[string]string) string {
	s := ""
	for k, v := range m {
		s += k + ": " + v + " "
	}
	return s
}

// timing logs how long each step of a scenario took.
type timing struct {
	t     *testing.T
	start time.Time
	last  time.Time
}

func startTiming(t *testing.T) *timing {
	now := time.Now()
	return &timing{t: t, start: now, last: now}
}

func (tm *timing) step(what string) {
	now := time.Now()
	tm.t.Logf("timing: %-28s %6.2fs (total %6.2fs)", what, now.Sub(tm.last).Seconds(), now.Sub(tm.start).Seconds())
	tm.last = now
}

// mac renders a capture's MAC.
func mac(b [6]byte) string { return net.HardwareAddr(b[:]).String() }

// lacpdus returns the LACPDUs sent by src.
func lacpdus(sums []capture.Summary, src string) []capture.Summary {
	var out []capture.Summary
	for _, s := range sums {
		if s.Proto == capture.ProtoLACP && mac(s.SrcMAC) == src {
			out = append(out, s)
		}
	}
	return out
}

// bpdus returns the BPDUs sent by src ("" for any sender).
func bpdus(sums []capture.Summary, src string) []capture.Summary {
	var out []capture.Summary
	for _, s := range sums {
		if (s.Proto == capture.ProtoSTP || s.Proto == capture.ProtoRSTP) && (src == "" || mac(s.SrcMAC) == src) {
			out = append(out, s)
		}
	}
	return out
}

// inVLAN returns the frames tagged vlan sent by src ("" for any sender).
func inVLAN(sums []capture.Summary, vlan int, src string) []capture.Summary {
	var out []capture.Summary
	for _, s := range sums {
		if s.VLAN() == vlan && (src == "" || mac(s.SrcMAC) == src) {
			out = append(out, s)
		}
	}
	return out
}

const fwd = netmodel.LACPSync | netmodel.LACPCollecting | netmodel.LACPDistributing

// forwarding reports whether an LACPDU's actor says its member is in the
// bundle (in sync, collecting, distributing).
func forwarding(s capture.Summary) bool {
	return netmodel.LACPState(s.LACP.Actor.State).Has(fwd)
}

// device returns the named device of snap or fails.
func device(t *testing.T, snap *netmodel.Snapshot, name string) *netmodel.Device {
	t.Helper()
	d := snap.Device(name)
	if d == nil {
		t.Fatalf("no device %s in the snapshot", name)
	}
	return d
}

// lag returns a device's LAG or fails.
func lag(t *testing.T, d *netmodel.Device, name string) *netmodel.LAG {
	t.Helper()
	for _, l := range d.LAGs {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("%s has no LAG %s", d.Name, name)
	return nil
}

// stpTree returns a device's spanning tree of bridge br0 or fails.
func stpTree(t *testing.T, d *netmodel.Device) *netmodel.STPBridge {
	t.Helper()
	for _, b := range d.STP {
		if b.Instance == "br0" {
			return b
		}
	}
	t.Fatalf("%s has no spanning tree on br0 (trees: %d)", d.Name, len(d.STP))
	return nil
}

// stpPort returns a tree's port or fails.
func stpPort(t *testing.T, b *netmodel.STPBridge, name string) *netmodel.STPPort {
	t.Helper()
	for _, p := range b.Ports {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no port %s in the spanning tree", name)
	return nil
}

// onlyCapture returns the snapshot's one capture or fails.
func onlyCapture(t *testing.T, snap *netmodel.Snapshot) *netmodel.Capture {
	t.Helper()
	if len(snap.Captures) != 1 {
		t.Fatalf("%d captures in the bundle, want 1", len(snap.Captures))
	}
	return snap.Captures[0]
}

// capLACP returns a capture's LACPDU record of a sender or fails.
func capLACP(t *testing.T, c *netmodel.Capture, src string) netmodel.CapLACP {
	t.Helper()
	for _, l := range c.LACP {
		if l.Source == src {
			return l
		}
	}
	t.Fatalf("no LACPDU from %s in %s", src, c.File)
	return netmodel.CapLACP{}
}

func itoa(i int) string { return strconv.Itoa(i) }

func mapIntString(m map[string]int) string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+strconv.Itoa(v))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}
