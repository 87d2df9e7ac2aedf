package diagnose

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// stpSite: esx1 vmnic0 cabled (CDP) to sw1 Gi1/0/1, a trunk; sw1 root of
// VLAN0010.
func stpSite(t *testing.T) (*site, *netmodel.SwitchPort, *netmodel.STPBridge) {
	b := twoUplinkHost(t, "10", "10")
	b.pg("esx1", "vSwitch0", "Mgmt", 10)
	sw := b.s.Device("sw1")
	sp := sw.SwitchPorts["GigabitEthernet1/0/1"]
	sp.PortFast, sp.BPDUGuard = "trunk", true
	sw.SwitchPorts["GigabitEthernet1/0/2"].PortFast, sw.SwitchPorts["GigabitEthernet1/0/2"].BPDUGuard = "trunk", true
	br := &netmodel.STPBridge{Mode: "rapid-pvst", Instance: "VLAN0010", BridgePriority: 4106, BridgeMAC: "00:00:00:00:00:01",
		RootPriority: 4106, RootMAC: "00:00:00:00:00:01", IsRoot: true, LastChangeSecs: -1, Src: b.line("sw1", "VLAN0010 root")}
	br.Ports = append(br.Ports, &netmodel.STPPort{Name: "GigabitEthernet1/0/1", Role: "designated", State: "forwarding", Edge: true, Src: b.line("sw1", "Gi1/0/1 Desg FWD")})
	sw.STP = append(sw.STP, br)
	return b, sp, br
}

func TestSTPHealthy(t *testing.T) {
	b, _, _ := stpSite(t)
	if fs := b.run(); len(fs) != 0 {
		t.Fatalf("got:\n%s", ids(fs))
	}
}

func TestSTPHostPortNotEdge(t *testing.T) {
	b, sp, br := stpSite(t)
	sp.PortFast, sp.BPDUGuard = "", false
	br.Ports[0].Edge = false
	f := only(b.run(), STPHostPortNotEdge)
	if len(f) != 1 || !strings.Contains(f[0].Title, "not an edge (PortFast) port, no BPDU guard") || !fixHas(f[0], "sw1", "spanning-tree portfast trunk") {
		t.Fatalf("got %+v", f)
	}
}

func TestSTPHostPortBlocking(t *testing.T) {
	b, _, br := stpSite(t)
	br.Ports[0].State, br.Ports[0].Role = "blocking", "alternate"
	if f := only(b.run(), STPHostPortBlocking); len(f) != 1 || !strings.Contains(f[0].Why, "esx1") {
		t.Fatalf("got %+v", f)
	}
}

func TestSTPRoot(t *testing.T) {
	b, _, br := stpSite(t)
	br.RootPriority, br.BridgePriority = 32778, 32778
	f := only(b.run(), STPRootDefaultPrio)
	if len(f) != 1 || !fixHas(f[0], "sw1", "spanning-tree vlan 10 priority 4096") {
		t.Fatalf("default priority: %+v", f)
	}
	b2, _, br2 := stpSite(t)
	b2.s.Expect["stp_root"] = "sw1"
	br2.IsRoot, br2.RootMAC = false, "00:00:00:00:00:99"
	if f := only(b2.run(), STPRootUnexpected); len(f) != 1 {
		t.Fatalf("unexpected root: %+v", f)
	}
}

func TestSTPErrDisabledAndTC(t *testing.T) {
	b, _, br := stpSite(t)
	br.Ports = append(br.Ports, &netmodel.STPPort{Name: "GigabitEthernet1/0/9", State: "broken", Src: b.line("sw1", "Gi1/0/9 BKN")})
	br.TopologyChanges, br.LastChangeSecs, br.LastChangePort = 12, 40, "GigabitEthernet1/0/9"
	fs := b.run()
	if len(only(fs, STPErrDisabled)) != 1 {
		t.Errorf("err-disabled: %s", ids(fs))
	}
	if f := only(fs, STPTopologyChanges); len(f) != 1 || !strings.Contains(f[0].Why, "GigabitEthernet1/0/9") {
		t.Errorf("topology changes: %+v", f)
	}
}

func TestSTPModeMismatch(t *testing.T) {
	b := newSite(t)
	b.trunk("acc", netmodel.IOS, "TenGigabitEthernet1/1/1", 1, "1-4094")
	b.trunk("core", netmodel.NXOS, "Ethernet1/49", 1, "1-4094")
	d := b.s.Device("acc")
	d.Neighbors = append(d.Neighbors, netmodel.Neighbor{Protocol: "cdp", LocalPort: "Te1/1/1", RemoteName: "core", RemotePort: "Eth1/49", Src: b.line("acc", "cdp core")})
	d.STP = []*netmodel.STPBridge{{Mode: "pvst", Instance: "VLAN0001", LastChangeSecs: -1, Src: b.line("acc", "pvst")}}
	b.s.Device("core").STP = []*netmodel.STPBridge{{Mode: "mstp", Instance: "MST0", LastChangeSecs: -1, Src: b.line("core", "mst")}}
	f := only(b.run(), STPModeMismatch)
	if len(f) != 1 || !strings.Contains(f[0].Title, "acc runs pvst, core runs mstp") {
		t.Fatalf("got %+v", f)
	}
	b.s.Device("core").STP[0].Mode = "pvst"
	if f := only(b.run(), STPModeMismatch); len(f) != 0 {
		t.Fatalf("same mode: %+v", f)
	}
}
