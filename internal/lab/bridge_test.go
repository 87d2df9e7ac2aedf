package lab

import (
	"testing"
	"time"

	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
)

var (
	lb1MAC = MAC(0x0b, 1) // bridge MACs: the bridge IDs are 1000.020000000b01 and 8000.020000000b02
	lb2MAC = MAC(0x0b, 2)
	p2MAC  = MAC(0x0b, 0x12) // lb1's port on the link lb2 blocks
)

// bridgeSTPLoop: two Linux bridges with kernel STP joined by two links;
// lb1 is the root by priority (4096), lb2 blocks its second link.
var bridgeSTPLoop = &scenario{
	dir:  "bridge-stp-loop",
	want: nil,
	variants: []variant{{
		expect: map[string]string{"stp_root": "lb2"},
		want: []string{
			"CAP-BPDU-ROOT\tlb2 q2 root " + lb1MAC,
			"STP-ROOT-UNEXPECTED\troot of br0",
		},
	}},
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		s1 := stpTree(t, device(t, snap, "lb1"))
		if !s1.IsRoot || s1.Mode != "stp" || s1.BridgePriority != 4096 || s1.BridgeMAC != lb1MAC {
			t.Errorf("lb1 br0: root %v, mode %s, bridge %d/%s; want the stp root 4096/%s", s1.IsRoot, s1.Mode, s1.BridgePriority, s1.BridgeMAC, lb1MAC)
		}
		s2 := stpTree(t, device(t, snap, "lb2"))
		if s2.IsRoot || s2.BridgePriority != 32768 || s2.BridgeMAC != lb2MAC || s2.RootPriority != 4096 || s2.RootMAC != lb1MAC || s2.RootPort != "q1" {
			t.Errorf("lb2 br0: root %v, bridge %d/%s, root %d/%s via %s; want bridge 32768/%s, root 4096/%s via q1",
				s2.IsRoot, s2.BridgePriority, s2.BridgeMAC, s2.RootPriority, s2.RootMAC, s2.RootPort, lb2MAC, lb1MAC)
		}
		if p := stpPort(t, s2, "q2"); p.Role != "alternate" || p.State != "blocking" {
			t.Errorf("lb2 q2: %s %s; want alternate blocking (the blocked end of the loop)", p.Role, p.State)
		}
		if p := stpPort(t, s2, "q1"); p.Role != "root" || p.State != "forwarding" {
			t.Errorf("lb2 q1: %s %s; want root forwarding", p.Role, p.State)
		}
		for _, name := range []string{"p1", "p2"} {
			if p := stpPort(t, s1, name); p.Role != "designated" || p.State != "forwarding" {
				t.Errorf("lb1 %s: %s %s; want designated forwarding", name, p.Role, p.State)
			}
		}
		c := onlyCapture(t, snap)
		if len(c.BPDU) != 1 || c.BPDU[0].Source != p2MAC || c.BPDU[0].Version != "stp" || c.BPDU[0].RootPriority != 4096 || c.BPDU[0].RootMAC != lb1MAC {
			t.Errorf("saved capture BPDUs %+v; want 802.1D BPDUs from lb1's p2 naming root 4096/%s", c.BPDU, lb1MAC)
		}
	},
}

func TestLabBridgeSTPLoop(t *testing.T) {
	Require(t, BridgePrograms...)
	t.Parallel()
	sc := bridgeSTPLoop
	tm := startTiming(t)
	dir := TempDir(t, "ntlb")
	lb1 := NewLinuxBridge(t, "lb1", "1", dir, 4096, lb1MAC, FastBridgeTimers)
	lb2 := NewLinuxBridge(t, "lb2", "2", dir, 32768, lb2MAC, FastBridgeTimers)
	Veth(t, lb1.NS, "p1", lb2.NS, "q1")
	Veth(t, lb1.NS, "p2", lb2.NS, "q2")
	lb1.AddPort(t, "p1", MAC(0x0b, 0x11))
	lb1.AddPort(t, "p2", p2MAC)
	lb2.AddPort(t, "q1", MAC(0x0b, 0x21))
	lb2.AddPort(t, "q2", MAC(0x0b, 0x22))
	lb1.Up(t)
	lb2.Up(t)
	tm.step("setup")
	// Listening and learning take a forward delay each (4 s).
	lb2.WaitStates(t, 30*time.Second, map[string]string{"q1": "forwarding", "q2": "blocking"})
	lb1.WaitStates(t, 10*time.Second, map[string]string{"p1": "forwarding", "p2": "forwarding"})
	tm.step("STP converged")

	c := StartCapture(t, lb2.NS, CaptureSpec{Name: "lb2-q2", Device: "lb2", Interface: "q2", Ifaces: []string{"q2"}, Filter: bpduFilter})
	Poll(t, 10*time.Second, "2 BPDUs from lb1 on q2", func() (bool, string) {
		n := len(bpdus(c.Summaries(), p2MAC))
		return n >= 2, itoa(n)
	})
	c.Stop(t)
	for _, s := range bpdus(c.Summaries(), "") {
		root, br := s.BPDU.RootID.MAC(), s.BPDU.BridgeID.MAC()
		if mac(s.SrcMAC) != p2MAC || s.Proto != capture.ProtoSTP || s.BPDU.RootID.Priority() != 4096 || mac(root) != lb1MAC || mac(br) != lb1MAC || s.BPDU.RootPathCost != 0 {
			t.Errorf("decoded BPDU %s: want 802.1D from lb1's p2 naming lb1 (4096/%s) root at cost 0", s.String(), lb1MAC)
		}
	}
	tm.step("capture")

	f := Front(t, []FrontDevice{lb1.FrontDevice(t), lb2.FrontDevice(t)})
	b := f.Collect(t, Site{Name: sc.dir, Links: [][2]string{{"lb1:p1", "lb2:q1"}, {"lb1:p2", "lb2:q2"}}, Expect: map[string]string{"stp_root": "lb1"}})
	b.AddCapture(t, c)
	tm.step("collect over SSH")
	sc.verify(t, b.Snapshot)
	sc.record(t, b)
}
