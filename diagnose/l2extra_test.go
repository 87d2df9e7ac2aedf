package diagnose

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// twoSwitchChannel: Junos ex1 ae0 (xe-0/0/0, xe-0/0/1) cabled to EOS eos1
// Port-Channel5 (Ethernet1, Ethernet2), learnt by LLDP on ex1; both trunks.
func twoSwitchChannel(t *testing.T, allowedA, allowedB string) *site {
	b := newSite(t)
	b.trunk("ex1", netmodel.Junos, "ae0", 0, allowedA)
	b.trunk("eos1", netmodel.EOS, "Port-Channel5", 0, allowedB)
	ex, eos := b.s.Device("ex1"), b.s.Device("eos1")
	ex.LAGs = append(ex.LAGs, &netmodel.LAG{Name: "ae0", Protocol: "lacp", Members: []*netmodel.LAGMember{{Port: "xe-0/0/0"}, {Port: "xe-0/0/1"}}})
	eos.LAGs = append(eos.LAGs, &netmodel.LAG{Name: "Port-Channel5", Protocol: "lacp", Members: []*netmodel.LAGMember{{Port: "Ethernet1"}, {Port: "Ethernet2"}}})
	for i, p := range []string{"xe-0/0/0", "xe-0/0/1"} {
		remote := []string{"Ethernet1", "Ethernet2"}[i]
		ex.Neighbors = append(ex.Neighbors, netmodel.Neighbor{Protocol: "lldp", LocalPort: p, RemoteName: "eos1", RemotePort: remote, Src: b.line("ex1", "lldp "+p+" eos1 "+remote)})
	}
	return b
}

func TestTrunkAllowedMismatchAcrossChannel(t *testing.T) {
	b := twoSwitchChannel(t, "10,20", "10,30")
	b.access("eos1", netmodel.EOS, "Ethernet10", 20) // VLAN 20 in use on eos1: it cannot reach ex1
	fs := b.run()
	f := only(fs, VLANTrunkAllowedMismatch)
	if len(f) != 1 {
		t.Fatalf("two member links of one channel pair are one finding, got:\n%s", ids(fs))
	}
	if f[0].Severity != netmodel.SevCritical || !strings.Contains(f[0].Why, "VLAN 20 only on ex1 ae0") || !strings.Contains(f[0].Why, "eos1 has access ports in VLAN 20") {
		t.Errorf("got %+v", f[0])
	}
	if !cites(f[0], "ex1", "ae0 allowed 10,20") || !cites(f[0], "eos1", "Port-Channel5 allowed 10,30") {
		t.Errorf("evidence must come from both ends: %+v", f[0].Evidence)
	}
	if !fixHas(f[0], "eos1", "switchport trunk allowed vlan add 20") || !fixHas(f[0], "ex1", "set interfaces ae0 unit 0 family ethernet-switching vlan members 30") {
		t.Errorf("fix: %+v", f[0].Fix)
	}
}

func TestTrunkAllowedSamePasses(t *testing.T) {
	b := twoSwitchChannel(t, "10,20", "10,20")
	if f := only(b.run(), VLANTrunkAllowedMismatch); len(f) != 0 {
		t.Fatalf("got %+v", f)
	}
}

func TestSTPChannelMemberStates(t *testing.T) {
	b, lag := lagSite(t, netmodel.IOS)
	d := b.s.Device("sw1")
	br := &netmodel.STPBridge{Mode: "rapid-pvst", Instance: "VLAN0010", Src: b.line("sw1", "VLAN0010")}
	br.Ports = []*netmodel.STPPort{
		{Name: lag.Members[0].Port, Role: "designated", State: "forwarding", Src: b.line("sw1", "Gi1/0/1 Desg FWD")},
		{Name: lag.Members[1].Port, Role: "alternate", State: "blocking", Src: b.line("sw1", "Gi2/0/1 Altn BLK")},
	}
	d.STP = append(d.STP, br)
	f := only(b.run(), STPChannelMemberStates)
	if len(f) != 1 || !strings.Contains(f[0].Why, "Gi2/0/1 blocking") || !cites(f[0], "sw1", "Gi2/0/1 Altn BLK") {
		t.Fatalf("got %+v", f)
	}
	br.Ports[1].Role, br.Ports[1].State = "designated", "forwarding"
	if f := only(b.run(), STPChannelMemberStates); len(f) != 0 {
		t.Fatalf("same states: got %+v", f)
	}
}

func TestLACPCounters(t *testing.T) {
	b, lag := lagSite(t, netmodel.OVS)
	for _, m := range lag.Members {
		m.CountersKnown, m.PDUsIn, m.PDUsOut = true, 40, 41
		m.CountersSrc = b.line("sw1", m.Port+" counters")
	}
	if f := only(b.run(), LACPPDUCounters); len(f) != 0 {
		t.Fatalf("healthy counters: got %+v", f)
	}
	lag.Members[1].Expired, lag.Members[1].Defaulted = 3, 1
	f := only(b.run(), LACPPDUCounters)
	if len(f) != 1 || f[0].Severity != netmodel.SevWarning || !strings.Contains(f[0].Why, "expired 3") || !cites(f[0], "sw1", "GigabitEthernet2/0/1 counters") {
		t.Fatalf("timeouts: got %+v", f)
	}
	// Only counters collected, nothing received: the far end is silent.
	for _, m := range lag.Members {
		m.ActorStateKnown, m.PartnerStateKnown, m.PartnerSystem = false, false, ""
		m.PDUsIn, m.Expired, m.Defaulted = 0, 0, 0
	}
	f = only(b.run(), LACPPDUCounters)
	if len(f) != 1 || f[0].Severity != netmodel.SevCritical || !strings.Contains(f[0].Title, "received no LACPDU") {
		t.Fatalf("silent: got %+v", f)
	}
}
