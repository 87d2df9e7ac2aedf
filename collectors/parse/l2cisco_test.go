package parse

import (
	"os"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

func TestL2CiscoMatchCommand(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		p         netmodel.Platform
		cmd, want string
	}{
		{netmodel.IOS, "show etherchannel summary", CapEtherchannelSummary},
		{netmodel.IOS, "sh etherch sum", CapEtherchannelSummary},
		{netmodel.IOS, "show etherchannel 10 summary", CapEtherchannelSummary},
		{netmodel.IOS, "show lacp neighbor", CapLACPNeighbor},
		{netmodel.IOS, "sh lacp nei det", CapLACPNeighbor},
		{netmodel.IOS, "show lacp 1 neighbor detail", CapLACPNeighbor},
		{netmodel.IOS, "sh lacp int", CapLACPInternal},
		{netmodel.IOS, "show lacp 1 internal", CapLACPInternal},
		{netmodel.IOS, "show spanning-tree", CapSpanningTree},
		{netmodel.IOS, "sh span det", CapSpanningTree},
		{netmodel.IOS, "show spanning-tree vlan 10", CapSpanningTree},
		{netmodel.IOS, "show spanning-tree root", CapSpanningTreeRoot},
		{netmodel.IOS, "sh spa ro", CapSpanningTreeRoot},
		{netmodel.NXOS, "show port-channel summary", CapEtherchannelSummary},
		{netmodel.NXOS, "sh port-ch sum", CapEtherchannelSummary},
		{netmodel.NXOS, "show lacp neighbor", CapLACPNeighbor},
		{netmodel.NXOS, "show spanning-tree detail", CapSpanningTree},
		{netmodel.NXOS, "show spanning-tree root", CapSpanningTreeRoot},
		{netmodel.EOS, "show port-channel summary", CapEtherchannelSummary},
		{netmodel.EOS, "show port-channel 1 all-ports", CapPortChannel},
		{netmodel.EOS, "show port-channel", CapPortChannel},
		{netmodel.EOS, "show lacp peer", CapLACPNeighbor},
		{netmodel.IOS, "show etherchannel detail", ""},
		{netmodel.IOS, "show spanning-tree summary", ""},
	} {
		e, _ := MatchCommand(tt.cmd, tt.p)
		got := ""
		if e != nil {
			got = e.Capability
		}
		if got != tt.want {
			t.Errorf("%s: MatchCommand(%q) = %q, want %q", tt.p, tt.cmd, got, tt.want)
		}
	}
}

func TestL2CiscoElapsed(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{
		"00:00:34": 34, "142:22:13": 512533, "38w1d": 38*7*86400 + 86400, "1d02h": 86400 + 2*3600,
		"1y2w": 365*86400 + 14*86400, "never": -1, "": -1,
	} {
		if got := l2ciscoElapsed(in); got != want {
			t.Errorf("l2ciscoElapsed(%q) = %d, want %d", in, got, want)
		}
	}
}

// The summary, internal and neighbor outputs of one IOS device merge into
// one LAG per port-channel with the facts of all three on each member.
func TestL2CiscoMergeIOS(t *testing.T) {
	t.Parallel()
	d := &netmodel.Device{Name: "sw", Platform: netmodel.IOS}
	for _, fx := range []struct{ cap, file string }{
		{CapEtherchannelSummary, "testdata/ios/show-etherchannel-summary/genie-iosxe-etherchannel-summary-1.txt"},
		{CapLACPInternal, "testdata/ios/show-lacp-internal/genie-iosxe-lacp-internal-1.txt"},
		{CapLACPNeighbor, "testdata/ios/show-lacp-neighbor/genie-iosxe-lacp-neighbor-1.txt"},
	} {
		raw, err := os.ReadFile(fx.file)
		if err != nil {
			t.Fatal(err)
		}
		if err := Lookup(netmodel.IOS, fx.cap).Apply(strings.NewReader(Clean(string(raw)).Text()), d, fx.file, ""); err != nil {
			t.Fatalf("%s: %v", fx.file, err)
		}
	}
	if len(d.LAGs) != 2 {
		t.Fatalf("got %d LAGs, want 2", len(d.LAGs))
	}
	po2 := d.LAGs[1]
	if po2.Name != "Port-channel2" || po2.Status != "RU" || !po2.Up || po2.Protocol != "lacp" || len(po2.Members) != 3 {
		t.Fatalf("Po2 = %+v", po2)
	}
	m := po2.Members[1]
	if m.Port != "GigabitEthernet5" || m.ActorKey != 2 || !m.ActorStateKnown || m.ActorState != 0x3d ||
		m.PartnerSystem != "00:1e:49:ff:a3:e6" || m.PartnerState != 0x3c || !m.PartnerStateKnown {
		t.Errorf("Gi5 = %+v", m)
	}
	if m.PartnerState.Has(netmodel.LACPActivity) {
		t.Errorf("partner of Gi5 is passive (0x3C), got %v", m.PartnerState)
	}
}

// The root output fills the root of the instances a full output gave, and a
// full output applied later replaces them wholly.
func TestL2CiscoMergeSTPRoot(t *testing.T) {
	t.Parallel()
	d := &netmodel.Device{Name: "sw", Platform: netmodel.NXOS}
	d.STP = []*netmodel.STPBridge{{Instance: "VLAN0002", BridgePriority: 32770, LastChangeSecs: -1}}
	root := "Vlan                   Root ID          Cost  Time  Age Dly  Root Port\n" +
		"VLAN0002            10 1211.a111.1112       3    2   20  10    port-channel10\n"
	if err := Lookup(netmodel.NXOS, CapSpanningTreeRoot).Apply(strings.NewReader(root), d, "r.txt", ""); err != nil {
		t.Fatal(err)
	}
	b := d.STP[0]
	if len(d.STP) != 1 || b.BridgePriority != 32770 || b.RootPriority != 10 || b.RootPort != "port-channel10" || b.RootCost != 3 || b.IsRoot {
		t.Errorf("bridge = %+v", b)
	}
}

func TestL2CiscoBadRow(t *testing.T) {
	t.Parallel()
	in := "Channel group 1\n" +
		"Port      Flags   State     Priority      Key       Key     Number      State\n" +
		"Gi2       SA      bndl      32768         0x1       0x1     0x1         0x3D\n" +
		"Gi3       SA      bndl      32768         0x1       0x1     0x1         0x3DZ\n"
	d := &netmodel.Device{Name: "sw", Platform: netmodel.IOS}
	err := Lookup(netmodel.IOS, CapLACPInternal).Apply(strings.NewReader(in), d, "f.txt", "")
	pe, ok := err.(*Error)
	if !ok || pe.Line != 4 {
		t.Fatalf("error %v, want one at line 4", err)
	}
	if len(d.LAGs) != 1 || len(d.LAGs[0].Members) != 1 {
		t.Errorf("the readable row is not kept: %+v", d.LAGs)
	}
}
