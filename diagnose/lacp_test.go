package diagnose

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

const healthyLACP = netmodel.LACPActivity | netmodel.LACPAggregation | netmodel.LACPSync | netmodel.LACPCollecting | netmodel.LACPDistributing

// lagSite: sw1 Port-channel10 with two LACP members, both healthy, partner
// system 00:11:22:33:44:55.
func lagSite(t *testing.T, p netmodel.Platform) (*site, *netmodel.LAG) {
	b := newSite(t)
	d := b.dev("sw1", p)
	lag := &netmodel.LAG{Name: "Port-channel10", Protocol: "lacp", Mode: "active", Src: b.line("sw1", "Po10 lacp")}
	for _, port := range []string{"GigabitEthernet1/0/1", "GigabitEthernet2/0/1"} {
		lag.Members = append(lag.Members, &netmodel.LAGMember{Port: port, Bundled: true,
			ActorState: healthyLACP, ActorStateKnown: true, PartnerState: healthyLACP, PartnerStateKnown: true,
			ActorSystem: "aa:bb:cc:00:00:01", PartnerSystem: "00:11:22:33:44:55", SpeedMbps: 10000, Duplex: "full",
			Src: b.line("sw1", port+" lacp state")})
	}
	d.LAGs = append(d.LAGs, lag)
	return b, lag
}

func TestLACPHealthy(t *testing.T) {
	b, _ := lagSite(t, netmodel.IOS)
	if fs := b.run(); len(fs) != 0 {
		t.Fatalf("got:\n%s", ids(fs))
	}
}

func TestLACPNotForwarding(t *testing.T) {
	b, lag := lagSite(t, netmodel.IOS)
	lag.Members[1].PartnerState = netmodel.LACPActivity | netmodel.LACPAggregation
	fs := b.run()
	f := only(fs, LACPNotForwarding)
	if len(f) != 1 || !strings.Contains(f[0].Why, "the partner's state lacks synchronization,collecting,distributing") || !strings.Contains(f[0].Title, "Gi2/0/1") {
		t.Fatalf("got %+v", f)
	}
}

func TestLACPPartnerNotLACP(t *testing.T) {
	b, lag := lagSite(t, netmodel.OVS)
	m := lag.Members[0]
	m.ActorState = netmodel.LACPActivity | netmodel.LACPAggregation | netmodel.LACPExpired
	m.PartnerSystem, m.PartnerState = "00:00:00:00:00:00", 0
	fs := b.run()
	if f := only(fs, LACPDefaulted); len(f) != 1 || !strings.Contains(f[0].Why, "static channel") {
		t.Fatalf("got:\n%s", ids(fs))
	}
	if len(only(fs, LACPNotForwarding))+len(only(fs, LACPPartnerSplit)) != 0 {
		t.Errorf("one cause, one finding:\n%s", ids(fs))
	}
}

func TestLACPPartnerSplit(t *testing.T) {
	b, lag := lagSite(t, netmodel.NXOS)
	lag.Members[1].PartnerSystem = "00:11:22:33:44:66"
	f := only(b.run(), LACPPartnerSplit)
	if len(f) != 1 || !strings.Contains(f[0].Why, "00:11:22:33:44:66") || !strings.Contains(f[0].Why, "MLAG") {
		t.Fatalf("got %+v", f)
	}
}

func TestLACPBothPassiveAndRate(t *testing.T) {
	b, lag := lagSite(t, netmodel.IOS)
	for _, m := range lag.Members {
		m.ActorState &^= netmodel.LACPActivity
		m.PartnerState &^= netmodel.LACPActivity
	}
	f := only(b.run(), LACPBothPassive)
	if len(f) != 1 || !fixHas(f[0], "sw1", "channel-group 10 mode active") {
		t.Fatalf("got %+v", f)
	}
	b2, lag2 := lagSite(t, netmodel.Junos)
	lag2.Name = "ae0"
	lag2.Members[0].PartnerState |= netmodel.LACPTimeout // sw1 slow, the far end fast: fix sw1
	r := only(b2.run(), LACPRateMismatch)
	if len(r) != 1 || !fixHas(r[0], "sw1", "set interfaces ae0 aggregated-ether-options lacp periodic fast") {
		t.Fatalf("got %+v", r)
	}
	b3, lag3 := lagSite(t, netmodel.Junos)
	lag3.Members[0].ActorState |= netmodel.LACPTimeout // sw1 already fast: the uncollected far end is the slow one
	r = only(b3.run(), LACPRateMismatch)
	if len(r) != 1 || fixHas(r[0], "sw1", "set interfaces Port-channel10 aggregated-ether-options lacp periodic fast") || len(r[0].Fix) != 1 || !strings.Contains(r[0].Fix[0].Note, "not collected") {
		t.Fatalf("got %+v", r)
	}
}

func TestLACPSpeedAndAggregator(t *testing.T) {
	b, lag := lagSite(t, netmodel.Linux)
	lag.Members[1].SpeedMbps = 1000
	lag.Members[0].AggregatorID, lag.Members[1].AggregatorID = 1, 2
	fs := b.run()
	if len(only(fs, LACPSpeedMismatch)) != 1 || len(only(fs, LACPAggregatorSplit)) != 1 {
		t.Fatalf("got:\n%s", ids(fs))
	}
}

func TestTeamingVsChannel(t *testing.T) {
	// IP hash facing an LACP channel.
	b := newSite(t)
	b.vswitch("esx1", "vSwitch0", netmodel.LBIPHash, []string{"vmnic0", "vmnic1"}, nil)
	for _, p := range []string{"GigabitEthernet1/0/1", "GigabitEthernet1/0/2"} {
		b.trunk("sw1", netmodel.IOS, p, 1, "10").ChannelGroup = "Port-channel5"
	}
	b.cable("esx1", "vmnic0", "sw1", "GigabitEthernet1/0/1")
	b.cable("esx1", "vmnic1", "sw1", "GigabitEthernet1/0/2")
	b.s.Device("sw1").LAGs = []*netmodel.LAG{{Name: "Port-channel5", Protocol: "lacp"}}
	f := only(b.run(), LACPTeamingMismatch)
	if len(f) != 1 || !strings.Contains(f[0].Why, "cannot run LACP") || !fixHas(f[0], "sw1", "channel-group 5 mode on") {
		t.Fatalf("got %+v", f)
	}
	// Port-ID teaming facing a channel.
	b2 := newSite(t)
	b2.vswitch("esx1", "vSwitch0", netmodel.LBPortID, []string{"vmnic0", "vmnic1"}, nil)
	for _, p := range []string{"GigabitEthernet1/0/1", "GigabitEthernet1/0/2"} {
		b2.trunk("sw1", netmodel.IOS, p, 1, "10").ChannelGroup = "Port-channel5"
	}
	b2.cable("esx1", "vmnic0", "sw1", "GigabitEthernet1/0/1")
	b2.cable("esx1", "vmnic1", "sw1", "GigabitEthernet1/0/2")
	if f := only(b2.run(), LACPTeamingMismatch); len(f) != 1 || !strings.Contains(f[0].Why, "expects independent switch ports") {
		t.Fatalf("got %+v", f)
	}
	// Port-ID teaming on plain ports: fine (twoUplinkHost).
	if f := only(twoUplinkHost(t, "10", "10").run(), LACPTeamingMismatch); len(f) != 0 {
		t.Fatalf("got %+v", f)
	}
}
