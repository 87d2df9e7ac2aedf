package diagnose

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/internal/netmodel"
)

// capSite: esx01 vmnic2 cabled (CDP) to sw1 Gi1/0/10, a trunk allowing
// 10,20 on a switch whose bridge MAC is known; a 60 s capture on vmnic2.
func capSite(t *testing.T) (*site, *netmodel.Capture) {
	b := newSite(t)
	b.vswitch("esx01", "vSwitch1", netmodel.LBPortID, []string{"vmnic2"}, nil)
	b.pg("esx01", "vSwitch1", "VM-Prod", 10)
	b.pg("esx01", "vSwitch1", "VM-Dev", 20)
	b.trunk("sw1", netmodel.IOS, "GigabitEthernet1/0/10", 1, "10,20")
	b.cable("esx01", "vmnic2", "sw1", "GigabitEthernet1/0/10")
	sw := b.s.Device("sw1")
	sw.STP = append(sw.STP, &netmodel.STPBridge{Mode: "rapid-pvst", Instance: "VLAN0010", BridgeMAC: "00:11:22:33:44:55", BridgePriority: 32778, Src: b.line("sw1", "VLAN0010 bridge 00:11:22:33:44:55")})
	cp := &netmodel.Capture{File: "captures/esx01-vmnic2.pcapng", Device: "esx01", Interface: "vmnic2", Packets: 1000, Duration: time.Minute,
		VLANs: map[uint16]uint64{10: 600, 20: 400}, FirstVLAN: map[uint16]uint64{10: 1, 20: 2}}
	b.s.Captures = append(b.s.Captures, cp)
	return b, cp
}

func TestCapHealthy(t *testing.T) {
	b, cp := capSite(t)
	cp.BPDU = []netmodel.CapBPDU{{Source: "00:11:22:33:44:81", Version: "rstp", RootMAC: "00:11:22:33:44:55", BridgeMAC: "00:11:22:33:44:55", Count: 30, First: 3, Last: 990}}
	cp.LACP = nil
	for _, f := range b.run() {
		if strings.HasPrefix(f.ID, "CAP-") {
			t.Errorf("healthy capture: %s %s", f.ID, f.Title)
		}
	}
}

func TestCapVLANUnexpectedAndNotSeen(t *testing.T) {
	b, cp := capSite(t)
	cp.VLANs[30], cp.FirstVLAN[30] = 12, 77
	delete(cp.VLANs, 20)
	fs := b.run()
	f := only(fs, CapVLANUnexpected)
	if len(f) != 1 || !strings.Contains(f[0].Title, "VLAN 30") || !fixHas(f[0], "sw1", "allowed vlan add 30") || f[0].Evidence[0].Start != 77 {
		t.Fatalf("unexpected VLAN: %+v", f)
	}
	n := only(fs, CapVLANNotSeen)
	if len(n) != 1 || !strings.Contains(n[0].Title, "VLAN 20 (VM-Dev)") {
		t.Fatalf("not seen: %+v", n)
	}
	cp.Duration = 5 * time.Second // too short to say a VLAN is quiet
	if n := only(b.run(), CapVLANNotSeen); len(n) != 0 {
		t.Errorf("short capture: %+v", n)
	}
}

func TestCapLACP(t *testing.T) {
	b, cp := capSite(t)
	fast := healthyLACP | netmodel.LACPTimeout
	cp.LACP = []netmodel.CapLACP{{Source: "00:11:22:33:44:81", ActorSystem: "00:11:22:33:44:55", ActorState: fast, PartnerState: fast, FirstActor: fast, FirstPartner: fast, Count: 20, First: 5, Last: 400, LastAt: 20 * time.Second}}
	fs := b.run()
	if f := only(fs, CapLACPStopped); len(f) != 1 || !strings.Contains(f[0].Title, "stopped 40s before the end") {
		t.Fatalf("stopped: %+v", f)
	}
	if len(only(fs, CapLACPChanged)) != 0 {
		t.Error("no change was seen")
	}
	cp.LACP[0].LastAt = 59 * time.Second
	cp.LACP[0].Changes = 2
	cp.LACP[0].FirstPartner = netmodel.LACPActivity | netmodel.LACPAggregation
	fs = b.run()
	if len(only(fs, CapLACPStopped)) != 0 {
		t.Error("PDUs until the end: not stopped")
	}
	if f := only(fs, CapLACPChanged); len(f) != 1 || !strings.Contains(f[0].Why, "flapped") {
		t.Fatalf("changed: %+v", f)
	}
}

func TestCapBPDU(t *testing.T) {
	b, cp := capSite(t)
	b.s.Expect["stp_root"] = "sw1"
	cp.BPDU = []netmodel.CapBPDU{
		{Source: "00:11:22:33:44:81", Version: "rstp", RootPriority: 32778, RootMAC: "00:11:22:33:44:55", BridgePrio: 32778, BridgeMAC: "00:11:22:33:44:55", Count: 30, First: 3, Last: 990},
		{Source: "00:50:56:aa:bb:cc", Version: "stp", RootPriority: 4096, RootMAC: "00:50:56:aa:bb:cc", BridgePrio: 4096, BridgeMAC: "00:50:56:aa:bb:cc", Count: 4, First: 500, Last: 560},
	}
	fs := b.run()
	if f := only(fs, CapBPDUOnEdge); len(f) != 1 || !strings.Contains(f[0].Title, "00:50:56:aa:bb:cc") || !fixHas(f[0], "sw1", "spanning-tree bpduguard enable") {
		t.Fatalf("on edge: %+v", f)
	}
	if f := only(fs, CapBPDURoot); len(f) != 1 || !strings.Contains(f[0].Title, "4096/00:50:56:aa:bb:cc") {
		t.Fatalf("root: %+v", f)
	}
}

func TestCapIPsec(t *testing.T) {
	b, cp := capSite(t)
	a, p := netip.MustParseAddr("198.51.100.2"), netip.MustParseAddr("203.0.113.1")
	cp.ESP = []netmodel.CapESP{{Src: a, Dst: p, SPI: 0xc0ffee01, Packets: 50, LastSeq: 50, First: 10, Last: 900}}
	cp.IKE = []netmodel.CapIKE{
		{Initiator: a, Responder: p, Version: 2, Requests: 4, First: 1, Last: 40},
		{Initiator: a, Responder: netip.MustParseAddr("192.0.2.9"), Version: 2, Requests: 1, Responses: 1, Notifies: []string{"NO_PROPOSAL_CHOSEN"}, NotifyAt: 42, First: 41, Last: 42},
	}
	cp.FragNeeded = []netmodel.CapFragNeeded{{From: netip.MustParseAddr("192.0.2.254"), To: a, MTU: 1400, At: 700}}
	fs := b.run()
	if f := only(fs, CapESPOneWay); len(f) != 1 || !strings.Contains(f[0].Title, "SPI 0xc0ffee01") {
		t.Fatalf("one way: %+v", f)
	}
	if f := only(fs, CapIKENoAnswer); len(f) != 1 || !strings.Contains(f[0].Title, "4 IKE requests") {
		t.Fatalf("no answer: %+v", f)
	}
	if f := only(fs, CapIKENoProposal); len(f) != 1 || f[0].Evidence[0].Start != 42 {
		t.Fatalf("no proposal: %+v", f)
	}
	if f := only(fs, CapFragNeeded); len(f) != 1 || !strings.Contains(f[0].Why, "MTU 1400") {
		t.Fatalf("frag: %+v", f)
	}
	// ESP both ways, answered IKE: none of them.
	cp.ESP = append(cp.ESP, netmodel.CapESP{Src: p, Dst: a, SPI: 0xc0ffee02, Packets: 48, First: 11, Last: 901})
	cp.IKE = cp.IKE[:1]
	cp.IKE[0].Responses = 4
	cp.FragNeeded = nil
	fs = b.run()
	for _, id := range []string{CapESPOneWay, CapIKENoAnswer, CapIKENoProposal, CapFragNeeded} {
		if len(only(fs, id)) != 0 {
			t.Errorf("%s on a healthy exchange", id)
		}
	}
}
