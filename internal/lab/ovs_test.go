package lab

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
)

// The Open vSwitch scenarios: two switches, sw1 and sw2 (OVSPair), each
// an Open vSwitch of its own in its own namespace, reached by nettui over
// SSH as Linux hosts.

// Filters of the captures on the switch-to-switch links.
const (
	lacpVLANFilter = "ether proto 0x8809 or vlan"
	bpduFilter     = "ether dst 01:80:c2:00:00:00"
)

var (
	sw1MAC = MAC(0, 1) // bridge (LACP system, STP bridge) MACs
	sw2MAC = MAC(0, 2)
	a1MAC  = MAC(1, 1)
	a2MAC  = MAC(1, 2)
	b1MAC  = MAC(2, 1)
	b2MAC  = MAC(2, 2)
)

// ovsLACPHealthy: an LACP bond over both links, the same trunk on both
// ends. Nothing to report.
var ovsLACPHealthy = &scenario{
	dir:  "ovs-lacp-healthy",
	want: nil,
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		for _, sw := range []struct{ name, partner string }{{"sw1", sw2MAC}, {"sw2", sw1MAC}} {
			d := device(t, snap, sw.name)
			l := lag(t, d, "bond0")
			if l.Protocol != "lacp" || !l.Up || len(l.Members) != 2 {
				t.Errorf("%s bond0: protocol %s, up %v, %d members; want lacp, up, 2", sw.name, l.Protocol, l.Up, len(l.Members))
			}
			for _, m := range l.Members {
				if !m.Bundled || m.PartnerSystem != sw.partner || !m.ActorState.Has(fwd) || !m.PartnerState.Has(fwd) {
					t.Errorf("%s %s: bundled %v, partner %s, actor %s, partner %s", sw.name, m.Port, m.Bundled, m.PartnerSystem, m.ActorState, m.PartnerState)
				}
			}
			if sp := d.SwitchPorts["bond0"]; sp == nil || sp.Mode != netmodel.ModeTrunk || sp.Allowed.String() != "10,20" {
				t.Errorf("%s bond0 switch port: %+v; want a trunk allowing 10,20", sw.name, sp)
			}
		}
		c := onlyCapture(t, snap)
		for _, src := range []string{a1MAC, a2MAC, b1MAC, b2MAC} {
			l := capLACP(t, c, src)
			if l.Down != 0 || l.Changes != 0 || !l.ActorState.Has(fwd) || !l.PartnerState.Has(fwd) {
				t.Errorf("LACPDUs from %s in the saved capture: %+v; want all in the bundle, no change", src, l)
			}
		}
		if c.VLANs[10] == 0 || c.VLANs[20] == 0 {
			t.Errorf("saved capture VLANs %v; want frames in VLANs 10 and 20", c.VLANs)
		}
	},
}

// ovsTrunkMismatch: sw2's end of the bond lacks VLAN 20; sw1 sends VLAN 20
// into it and sw2 drops it.
var ovsTrunkMismatch = &scenario{
	dir: "ovs-trunk-mismatch",
	want: []string{
		"CAP-VLAN-UNEXPECTED\tsw2 bond0",
		"VLAN-TRUNK-ALLOWED-MISMATCH\tsw1 bond0 ↔ sw2 bond0",
	},
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		for name, want := range map[string]string{"sw1": "10,20", "sw2": "10"} {
			if sp := device(t, snap, name).SwitchPorts["bond0"]; sp == nil || sp.Allowed.String() != want {
				t.Errorf("%s bond0 allows %v; want %s", name, sp, want)
			}
		}
		c := onlyCapture(t, snap)
		if c.Device != "sw2" || c.Interface != "bond0" || c.VLANs[20] == 0 || c.VLANs[10] == 0 {
			t.Errorf("saved capture on %s %s, VLANs %v; want sw2 bond0 with VLAN 10 and 20 frames", c.Device, c.Interface, c.VLANs)
		}
	},
}

// ovsPeerLACPOff: the bond is up, then sw2 stops speaking LACP; sw1's
// members expire and default.
var ovsPeerLACPOff = &scenario{
	dir: "ovs-peer-lacp-off",
	want: []string{
		"CAP-LACP-CHANGED\tsw1 bond0",
		"CAP-LACP-STOPPED\tsw1 bond0 " + b1MAC,
		"CAP-LACP-STOPPED\tsw1 bond0 " + b2MAC,
		"LACP-PARTNER-NOT-LACP\tsw1 bond0",
	},
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		l := lag(t, device(t, snap, "sw1"), "bond0")
		for _, m := range l.Members {
			if m.Bundled || !m.ActorStateKnown || !m.PartnerState.Has(netmodel.LACPDefaulted) && !m.ActorState.Has(netmodel.LACPDefaulted) {
				t.Errorf("sw1 %s: bundled %v, actor %s, partner %s; want out of the bundle, defaulted", m.Port, m.Bundled, m.ActorState, m.PartnerState)
			}
		}
		c := onlyCapture(t, snap)
		for _, src := range []string{b1MAC, b2MAC} {
			if l := capLACP(t, c, src); c.Duration-l.LastAt <= 3*time.Second {
				t.Errorf("LACPDUs from %s: last at %v of %v; want silent for more than 3 s at the end", src, l.LastAt, c.Duration)
			}
		}
		for _, src := range []string{a1MAC, a2MAC} {
			if l := capLACP(t, c, src); l.ActorState.Has(fwd) {
				t.Errorf("sw1's last LACPDU from %s still says the member is in the bundle: actor %s", src, l.ActorState)
			}
		}
	},
}

// ovsRSTPLoop: RSTP over the two plain links, sw1 the root by priority;
// sw2 blocks one link.
var ovsRSTPLoop = &scenario{
	dir:  "ovs-rstp-loop",
	want: nil,
	variants: []variant{{
		expect: map[string]string{"stp_root": "sw2"},
		want: []string{
			"CAP-BPDU-ROOT\tsw2 b2 root " + sw1MAC,
			"STP-ROOT-UNEXPECTED\troot of br0",
		},
	}},
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		s1 := stpTree(t, device(t, snap, "sw1"))
		if !s1.IsRoot || s1.Mode != "rstp" || s1.BridgePriority != 28672 || s1.BridgeMAC != sw1MAC {
			t.Errorf("sw1 br0: root %v, mode %s, bridge %d/%s; want the rstp root 28672/%s", s1.IsRoot, s1.Mode, s1.BridgePriority, s1.BridgeMAC, sw1MAC)
		}
		s2 := stpTree(t, device(t, snap, "sw2"))
		if s2.IsRoot || s2.RootPriority != 28672 || s2.RootMAC != sw1MAC || s2.RootPort != "b1" {
			t.Errorf("sw2 br0: root %v, root %d/%s via %s; want root 28672/%s via b1", s2.IsRoot, s2.RootPriority, s2.RootMAC, s2.RootPort, sw1MAC)
		}
		if p := stpPort(t, s2, "b2"); p.Role != "alternate" || p.State != "discarding" {
			t.Errorf("sw2 b2: %s %s; want alternate discarding (the blocked end of the loop)", p.Role, p.State)
		}
		if p := stpPort(t, s2, "b1"); p.Role != "root" || p.State != "forwarding" {
			t.Errorf("sw2 b1: %s %s; want root forwarding", p.Role, p.State)
		}
		c := onlyCapture(t, snap)
		if len(c.BPDU) != 1 || c.BPDU[0].Version != "rstp" || c.BPDU[0].RootPriority != 28672 || c.BPDU[0].RootMAC != sw1MAC || c.BPDU[0].BridgeMAC != sw1MAC {
			t.Errorf("saved capture BPDUs %+v; want RSTP BPDUs from sw1 naming itself root 28672/%s", c.BPDU, sw1MAC)
		}
	},
}

// setupBond builds the pair with bond0 on both ends and access ports in
// VLANs 10 and 20 on both switches (sw1 10.0.V.1, sw2 10.0.V.2), and waits
// until LACP is negotiated on both.
func setupBond(t *testing.T, tag, trunks1, trunks2 string) *OVSPair {
	t.Helper()
	p := NewOVSPair(t, tag)
	// Access ports first: adding ports reconfigures the switch, which
	// must not interrupt LACP once it runs.
	for i, sw := range []*OVS{p.Sw1, p.Sw2} {
		n := byte(i + 1)
		p.AccessPort(t, sw, "v10", 10, MAC(n, 0x10), fmt.Sprintf("10.0.10.%d/24", n))
		p.AccessPort(t, sw, "v20", 20, MAC(n, 0x20), fmt.Sprintf("10.0.20.%d/24", n))
	}
	p.Bond(t, p.Sw1, "active", trunks1)
	p.Bond(t, p.Sw2, "active", trunks2)
	p.WaitBond(t, p.Sw1)
	p.WaitBond(t, p.Sw2)
	return p
}

// ping runs a short ping from ns and reports whether it got answers.
func ping(t *testing.T, ns *NS, addr string) (bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := ns.Run(ctx, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", addr)
	return err == nil, out
}

func TestLabOVSLACPHealthy(t *testing.T) {
	Require(t, append(OVSPrograms, "ping")...)
	t.Parallel()
	sc := ovsLACPHealthy
	tm := startTiming(t)
	p := setupBond(t, "h", "10,20", "10,20")
	tm.step("setup + LACP negotiated")

	c := StartCapture(t, p.Sw1.NS, CaptureSpec{Name: "sw1-bond0", Device: "sw1", Interface: "bond0", Ifaces: []string{"a1", "a2"}, Filter: lacpVLANFilter})
	for _, addr := range []string{"10.0.10.2", "10.0.20.2"} {
		if ok, out := ping(t, p.Sw1.NS, addr); !ok {
			t.Fatalf("ping %s over the bond failed:\n%s", addr, out)
		}
	}
	Poll(t, 15*time.Second, "3 LACPDUs from each member, echo replies in VLANs 10 and 20", func() (bool, string) {
		sums := c.Summaries()
		n := map[string]int{}
		for _, src := range []string{a1MAC, a2MAC, b1MAC, b2MAC} {
			n[src] = len(lacpdus(sums, src))
		}
		r10, r20 := len(inVLAN(sums, 10, MAC(2, 0x10))), len(inVLAN(sums, 20, MAC(2, 0x20)))
		ok := r10 > 0 && r20 > 0
		for _, k := range n {
			ok = ok && k >= 3
		}
		return ok, mapIntString(n) + " replies vlan10 " + itoa(r10) + " vlan20 " + itoa(r20)
	}, p.Logs()...)
	c.Stop(t)
	sums := c.Summaries()
	for _, src := range []string{a1MAC, a2MAC, b1MAC, b2MAC} {
		for _, s := range lacpdus(sums, src) {
			if !forwarding(s) || mac(s.LACP.Actor.System) == mac(s.LACP.Partner.System) {
				t.Errorf("decoded LACPDU %s: want actor and partner in sync, collecting, distributing, between the two systems", s.String())
			}
		}
	}
	tm.step("capture")

	b := p.Front(t).Collect(t, Site{Name: sc.dir, Links: OVSLinks})
	b.AddCapture(t, c)
	tm.step("collect over SSH")
	sc.verify(t, b.Snapshot)
	sc.record(t, b)
}

func TestLabOVSTrunkMismatch(t *testing.T) {
	Require(t, append(OVSPrograms, "ping")...)
	t.Parallel()
	sc := ovsTrunkMismatch
	tm := startTiming(t)
	p := setupBond(t, "t", "10,20", "10")
	tm.step("setup + LACP negotiated")

	c := StartCapture(t, p.Sw2.NS, CaptureSpec{Name: "sw2-bond0", Device: "sw2", Interface: "bond0", Ifaces: []string{"b1", "b2"}, Filter: lacpVLANFilter})
	if ok, out := ping(t, p.Sw1.NS, "10.0.10.2"); !ok {
		t.Fatalf("ping over VLAN 10, allowed on both ends, failed:\n%s", out)
	}
	if ok, out := ping(t, p.Sw1.NS, "10.0.20.2"); ok {
		t.Fatalf("ping over VLAN 20, which sw2's trunk lacks, got answers:\n%s", out)
	}
	// sw2 drops what arrives in VLAN 20, and says so.
	const drop = "dropping VLAN 20 packet received on port bond0 not configured for trunking VLAN 20"
	log := p.Sw2.Logs()[2]
	Poll(t, 10*time.Second, "sw2 logging the VLAN 20 drop", func() (bool, string) {
		b, _ := os.ReadFile(log)
		return strings.Contains(string(b), drop), "not in " + log
	}, p.Logs()...)
	Poll(t, 10*time.Second, "VLAN 20 frames from sw1 in the capture", func() (bool, string) {
		n := len(inVLAN(c.Summaries(), 20, MAC(1, 0x20)))
		return n > 0, itoa(n) + " frames"
	}, p.Logs()...)
	c.Stop(t)
	sums := c.Summaries()
	for _, s := range inVLAN(sums, 20, "") {
		if mac(s.SrcMAC) != MAC(1, 0x20) || s.Proto != capture.ProtoARP {
			t.Errorf("VLAN 20 frame %s: want only sw1 v20's unanswered ARP requests", s.String())
		}
	}
	if len(inVLAN(sums, 10, MAC(2, 0x10))) == 0 {
		t.Errorf("no VLAN 10 frame from sw2 v10: the allowed VLAN should cross")
	}
	tm.step("pings + capture")

	b := p.Front(t).Collect(t, Site{Name: sc.dir, Links: OVSLinks})
	b.AddCapture(t, c)
	tm.step("collect over SSH")
	sc.verify(t, b.Snapshot)
	sc.record(t, b)
}

func TestLabOVSPeerLACPOff(t *testing.T) {
	Require(t, OVSPrograms...)
	t.Parallel()
	sc := ovsPeerLACPOff
	tm := startTiming(t)
	p := NewOVSPair(t, "l")
	p.Bond(t, p.Sw1, "active", "10")
	p.Bond(t, p.Sw2, "active", "10")
	p.WaitBond(t, p.Sw1)
	p.WaitBond(t, p.Sw2)
	tm.step("setup + LACP negotiated")

	c := StartCapture(t, p.Sw1.NS, CaptureSpec{Name: "sw1-bond0", Device: "sw1", Interface: "bond0", Ifaces: []string{"a1", "a2"}, Filter: "ether proto 0x8809"})
	Poll(t, 10*time.Second, "2 LACPDUs in sync from each of sw2's members", func() (bool, string) {
		sums := c.Summaries()
		n1, n2 := len(lacpdus(sums, b1MAC)), len(lacpdus(sums, b2MAC))
		return n1 >= 2 && n2 >= 2, itoa(n1) + ", " + itoa(n2)
	}, p.Logs()...)
	p.Sw2.Vsctl(t, "set", "port", "bond0", "lacp=off")
	tm.step("negotiated capture")
	Poll(t, 20*time.Second, "sw1's members defaulted", func() (bool, string) {
		out, err := p.Sw1.Appctl("lacp/show", "bond0")
		if err != nil {
			return false, err.Error()
		}
		return strings.Contains(out, "member: a1: defaulted") && strings.Contains(out, "member: a2: defaulted"), out
	}, p.Logs()...)
	tm.step("sw1 members defaulted")
	// The last LACPDU from sw2 must lie longer than the fast LACP timeout
	// (3 s) before the end of the capture, which ends on one of sw1's.
	Poll(t, 10*time.Second, "a capture ending more than 3.5 s after sw2's last LACPDU", func() (bool, string) {
		sums := c.Summaries()
		var last2, last1 time.Time
		for _, s := range sums {
			if s.Proto != capture.ProtoLACP {
				continue
			}
			switch mac(s.SrcMAC) {
			case b1MAC, b2MAC:
				last2 = later(last2, s.Time)
			case a1MAC, a2MAC:
				last1 = later(last1, s.Time)
			}
		}
		gap := last1.Sub(last2)
		return !last2.IsZero() && gap > 3500*time.Millisecond, "sw1's last LACPDU " + gap.String() + " after sw2's"
	}, p.Logs()...)
	c.Stop(t)
	sums := c.Summaries()
	for _, src := range []string{a1MAC, a2MAC} {
		pdus := lacpdus(sums, src)
		if len(pdus) == 0 || !forwarding(pdus[0]) || forwarding(pdus[len(pdus)-1]) {
			t.Errorf("LACPDUs from sw1's %s: want in the bundle first, out of it at the end; got %d, first %v", src, len(pdus), pdus)
		}
	}
	tm.step("capture")

	b := p.Front(t).Collect(t, Site{Name: sc.dir, Links: OVSLinks})
	b.AddCapture(t, c)
	tm.step("collect over SSH")
	sc.verify(t, b.Snapshot)
	sc.record(t, b)
}

func TestLabOVSRSTPLoop(t *testing.T) {
	Require(t, OVSPrograms...)
	t.Parallel()
	sc := ovsRSTPLoop
	tm := startTiming(t)
	p := NewOVSPair(t, "r")
	p.Sw1.Vsctl(t, "set", "bridge", "br0", "rstp_enable=true", "other_config:rstp-priority=28672")
	p.Sw2.Vsctl(t, "set", "bridge", "br0", "rstp_enable=true")
	p.Sw1.Vsctl(t, "add-port", "br0", "a1", "--", "add-port", "br0", "a2")
	p.Sw2.Vsctl(t, "add-port", "br0", "b1", "--", "add-port", "br0", "b2")
	tm.step("setup")
	Poll(t, 30*time.Second, "sw2: b1 root forwarding, b2 alternate discarding", func() (bool, string) {
		out, err := p.Sw2.Appctl("rstp/show")
		if err != nil {
			return false, err.Error()
		}
		return rstpPortIs(out, "b1", "Root", "Forwarding") && rstpPortIs(out, "b2", "Alternate", "Discarding"), out
	}, p.Logs()...)
	tm.step("RSTP converged")
	// Once converged, only the designated end of each link sends BPDUs:
	// sw1's a2 on the link sw2 blocks.
	c := StartCapture(t, p.Sw2.NS, CaptureSpec{Name: "sw2-b2", Device: "sw2", Interface: "b2", Ifaces: []string{"b2"}, Filter: bpduFilter})
	Poll(t, 10*time.Second, "2 RSTP BPDUs from sw1 on b2", func() (bool, string) {
		n := len(bpdus(c.Summaries(), a2MAC))
		return n >= 2, itoa(n)
	}, p.Logs()...)
	c.Stop(t)
	for _, s := range bpdus(c.Summaries(), "") {
		root, br := s.BPDU.RootID.MAC(), s.BPDU.BridgeID.MAC()
		if mac(s.SrcMAC) != a2MAC || s.Proto != capture.ProtoRSTP || s.BPDU.RootID.Priority() != 28672 || mac(root) != sw1MAC || mac(br) != sw1MAC {
			t.Errorf("decoded BPDU %s: want RSTP from sw1's a2 naming sw1 (28672/%s) root", s.String(), sw1MAC)
		}
	}
	tm.step("capture")

	b := p.Front(t).Collect(t, Site{Name: sc.dir, Links: OVSLinks, Expect: map[string]string{"stp_root": "sw1"}})
	b.AddCapture(t, c)
	tm.step("collect over SSH")
	sc.verify(t, b.Snapshot)
	sc.record(t, b)
}

// rstpPortIs reports whether rstp/show lists port with that role and state.
func rstpPortIs(out, port, role, state string) bool {
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == port && f[1] == role && f[2] == state {
			return true
		}
	}
	return false
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
