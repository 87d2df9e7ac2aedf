package lab

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// The FRR scenario: rtr, an FRR router (zebra, staticd) on gwa's protected
// side, routes its LAN's traffic for the remote networks to gwa:
//
//	rtr lan0 10.1.0.1/24, eth0 10.1.255.2/30 ── in0 10.1.255.1/30 gwa ══ IPsec ══ gwb lan0 10.2.0.1/24, 10.2.1.1/24
//
// gwa protects 10.1.0.0/16 ↔ 10.2.0.0/24 and 10.2.1.0/24; its
// kernel-libipsec routes both into ipsec0. rtr has a static for
// 10.2.0.0/24 via gwa but none for 10.2.1.0/24; and a static for a
// management network, 192.168.50.0/24, was given the next hop
// 10.1.9.254, on no network of rtr, so FRR never installs it.
//
// (With kernel-libipsec the gateway itself cannot lack the route: the
// plugin routes every SA's remote subnets into ipsec0 whatever
// charon.install_routes says — in this lab, with install_routes = no and
// FRR on the gateway, both remote subnets were still in table 220.)

// frrStatics are rtr's staticd configuration.
var frrStatics = []string{
	"ip route 10.2.0.0/24 10.1.255.1",
	"ip route 192.168.50.0/24 10.1.9.254",
}

// frrScenarios are the FRR scenarios with a fixture.
var frrScenarios = []*scenario{frrRoutes}

var frrRoutes = &scenario{
	dir: "frr-routes",
	want: []string{
		"ROUTE-NEXTHOP-UNRESOLVED\trtr 192.168.50.0/24",
		"ROUTE-PROTECTED-MISSING\trtr → 10.2.1.0/24",
	},
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		checkTunnelUp(t, snap, "aes128", "modp2048")
		rtr := device(t, snap, "rtr")
		var rib10, cfg10, cfg192, table192 bool
		for _, r := range rtr.Routes {
			switch p := r.Prefix.String(); {
			case r.Configured && p == "10.2.0.0/24" && r.NextHop == netip.MustParseAddr("10.1.255.1"):
				cfg10 = true
			case r.Configured && p == "192.168.50.0/24" && r.NextHop == netip.MustParseAddr("10.1.9.254"):
				cfg192 = true
				if !strings.HasSuffix(r.Src.File, "rtr/frr-show-running-config.txt") {
					t.Errorf("configured static read from %s, want the running-config", r.Src.File)
				}
			case !r.Configured && p == "10.2.0.0/24" && r.Active && r.Interface == "eth0" && strings.HasSuffix(r.Src.File, "rtr/frr-show-ip-route.txt"):
				rib10 = true
			case !r.Configured && p == "192.168.50.0/24":
				table192 = true
			case !r.Configured && r.Active && r.Prefix.Contains(netip.MustParseAddr("10.2.1.1")):
				t.Errorf("rtr has a route covering 10.2.1.0/24: %+v", r)
			}
		}
		if !rib10 || !cfg10 || !cfg192 || table192 {
			t.Errorf("rtr: 10.2.0.0/24 in FRR's RIB %v, configured %v; 192.168.50.0/24 configured %v, in a table %v; want true, true, true, false",
				rib10, cfg10, cfg192, table192)
		}
		pm := findings(snap, diagnose.RouteProtectedMissing)
		if len(pm) != 1 || len(pm[0].Fix) != 1 || len(pm[0].Fix[0].Commands) != 1 ||
			pm[0].Fix[0].Commands[0] != "vtysh -c 'configure terminal' -c 'ip route 10.2.1.0/24 10.1.255.1' -c 'end' -c 'write memory'" ||
			!strings.Contains(pm[0].Why, "rtr is on gwa's protected side") {
			t.Errorf("ROUTE-PROTECTED-MISSING: want rtr's missing route, added in FRR via gwa's 10.1.255.1: %+v", pm)
		}
		un := findings(snap, diagnose.RouteNextHopUnresolved)
		if len(un) != 1 || !strings.Contains(un[0].Why, "configured on rtr but is in no routing table") || len(un[0].Evidence) == 0 ||
			!strings.HasSuffix(un[0].Evidence[0].File, "rtr/frr-show-running-config.txt") || !strings.Contains(un[0].Evidence[0].Text, "ip route 192.168.50.0/24 10.1.9.254") {
			t.Errorf("ROUTE-NEXTHOP-UNRESOLVED: want the running-config line as evidence and FRR's reason: %+v", un)
		}
	},
}

func TestLabFRRRoutes(t *testing.T) {
	Require(t, append(SwanPrograms, FRRPrograms...)...)
	t.Parallel()
	sc := frrRoutes
	tm := startTiming(t)
	a, b := gwaConn, gwbConn
	a.LocalTS, a.RemoteTS, a.LANs = []string{"10.1.0.0/16"}, []string{"10.2.0.0/24", "10.2.1.0/24"}, nil
	b.LocalTS, b.RemoteTS, b.LANs = []string{"10.2.0.0/24", "10.2.1.0/24"}, []string{"10.1.0.0/16"}, []string{"10.2.0.1/24", "10.2.1.1/24"}
	p := NewSwanPair(t, "r", a, b)
	tm.step("charons up, conns loaded")

	ns := Netns(t, "ntlfr")
	Veth(t, ns, "eth0", p.A.NS, "in0")
	ns.Must(t, "ip", "addr", "add", "10.1.255.2/30", "dev", "eth0")
	LAN(t, ns, "lan0", "10.1.0.1/24")
	p.A.NS.Must(t, "ip", "addr", "add", "10.1.255.1/30", "dev", "in0")
	p.A.NS.Must(t, "ip", "route", "add", "10.1.0.0/24", "via", "10.1.255.2")
	for _, n := range []*NS{ns, p.A.NS} {
		if err := n.Do(func() error { return os.WriteFile("/proc/sys/net/ipv4/ip_forward", []byte("1\n"), 0o644) }); err != nil {
			t.Fatalf("lab: %s: ip_forward: %v", n, err)
		}
	}
	frr := StartFRR(t, "rtr", ns, filepath.Join(p.Dir, "rtr"), frrStatics...)
	p.extras = append(p.extras, frr.Logs()...)
	frr.WaitRoute(t, "10.2.0.0/24")
	tm.step("rtr: FRR up, static installed")

	c := StartCapture(t, p.A.NS, CaptureSpec{Name: "gwa-ike0", Device: "gwa", Interface: "ike0", Ifaces: []string{"ike0"}, Filter: ikeFilter})
	if out, ok := p.A.Initiate(t); !ok {
		t.Fatalf("swanctl --initiate on gwa failed:\n%s", out)
	}
	sa := p.A.WaitSAs(t, true)
	p.B.WaitSAs(t, true)
	if ok, out := Ping(t, ns, "10.1.0.1", "10.2.0.1", pingsAB); !ok {
		t.Fatalf("ping rtr → gwb's 10.2.0.1 through gwa's tunnel:\n%s", out)
	}
	if ok, out := Ping(t, p.B.NS, "10.2.0.1", "10.1.0.1", pingsBA); !ok {
		t.Fatalf("ping gwb → rtr's 10.1.0.1:\n%s", out)
	}
	// 10.2.1.0/24 is protected, and gwa routes it into the tunnel, but rtr
	// has no route: its traffic never gets to gwa.
	if out, err := ns.Run(context.Background(), "ip", "route", "get", "10.2.1.1", "from", "10.1.0.1"); err == nil || !strings.Contains(out, "Network is unreachable") {
		t.Fatalf("ip route get 10.2.1.1 on rtr: want Network is unreachable, got %v:\n%s", err, out)
	}
	in, out := sa.ChildSAs[0].InSPI, sa.ChildSAs[0].OutSPI
	Poll(t, 10*time.Second, fmt.Sprintf("%d ESP packets each way in the capture", espEach), func() (bool, string) {
		d := decode(c.Summaries())
		return d.esp[out] == espEach && d.esp[in] == espEach, d.String()
	}, p.Logs()...)
	c.Stop(t)
	tm.step("SA up, pings")

	// What FRR itself says about the static it did not install.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nht, err := frr.Vtysh(ctx, "show ip nht")
	if err != nil || !strings.Contains(nht, "10.1.9.254\n unresolved") {
		t.Errorf("show ip nht: want 10.1.9.254 unresolved: %v\n%s", err, nht)
	}

	bu := Front(t, []FrontDevice{p.A.FrontDevice(), p.B.FrontDevice(), frr.FrontDevice(t)}).Collect(t, Site{Name: sc.dir})
	bu.AddCapture(t, c)
	tm.step("collect over SSH")
	noPSK(t, bu.Result.Files, labPSK)
	sc.verify(t, bu.Snapshot)
	sc.record(t, bu)
}

// TestLabFRRFixtures diagnoses the saved FRR bundle (fixtures/lab/frr-*)
// with the live test's assertions. No root needed.
func TestLabFRRFixtures(t *testing.T) {
	for _, sc := range frrScenarios {
		t.Run(sc.dir, func(t *testing.T) { verifySaved(t, sc, 3) })
	}
}
