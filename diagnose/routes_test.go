package diagnose

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

func (b *site) route(dev, prefix, via, ifname, proto string) {
	d := b.s.Device(dev)
	r := netmodel.Route{Prefix: pfx(prefix), Interface: ifname, Protocol: proto, Active: true, Src: b.line(dev, "route "+prefix+" "+via+" "+ifname)}
	if via != "" {
		r.NextHop = addr(via)
	}
	d.Routes = append(d.Routes, r)
}

// routedSite is tunnelSite with sane routes on both ends: gwa policy-based
// (remote subnet via the outside interface), gwb route-based into ipsec0.
func routedSite(t *testing.T) *site {
	b := tunnelSite(t)
	b.route("gwa", "192.0.2.0/24", "", "ge-0/0/0.0", "direct")
	b.route("gwa", "10.1.0.0/24", "", "ge-0/0/1.0", "direct")
	b.route("gwa", "0.0.0.0/0", "192.0.2.254", "", "static")
	gb := b.s.Device("gwb")
	gb.IPsec.Children[0].Interface, gb.IPsec.Children[0].RouteBased, gb.IPsec.Children[0].PolicyBased = "ipsec0", true, false
	tun := gb.Interface("ipsec0")
	tun.Tunnel, tun.Known, tun.AdminUp, tun.OperUp, tun.Src = true, true, true, true, b.line("gwb", "ipsec0 up")
	b.route("gwb", "198.51.100.0/24", "", "eth0", "kernel")
	b.route("gwb", "10.2.0.0/24", "", "lo", "kernel")
	b.route("gwb", "0.0.0.0/0", "198.51.100.254", "", "static")
	b.route("gwb", "10.1.0.0/24", "", "ipsec0", "static")
	return b
}

func TestRoutesHealthy(t *testing.T) {
	if fs := routedSite(t).run(); len(fs) != 0 {
		t.Fatalf("got:\n%s", ids(fs))
	}
}

func TestProtectedMissing(t *testing.T) {
	b := routedSite(t)
	gb := b.s.Device("gwb")
	gb.Routes = gb.Routes[:3] // drop 10.1.0.0/24 via ipsec0
	fs := b.run()
	p := only(fs, RouteProtectedMissing)
	if len(p) != 1 || p[0].Subject != "gwb → 10.1.0.0/24" || !fixHas(p[0], "gwb", "ip route add 10.1.0.0/24 dev ipsec0") {
		t.Errorf("protected subnet: %+v", p)
	}
	if len(fs) != 1 {
		t.Errorf("one missing route, one finding: %s", ids(fs))
	}
}

func TestAsymmetric(t *testing.T) {
	// gwb is route-based with any/any selectors: only gwa's selectors say
	// what must come back.
	b := routedSite(t)
	gb := b.s.Device("gwb")
	gb.IPsec.Children[0].Selectors = []netmodel.Selector{sel("0.0.0.0/0", "0.0.0.0/0")}
	gb.IPsec.ChildSAs[0].Selectors = []netmodel.Selector{sel("0.0.0.0/0", "0.0.0.0/0")}
	gb.Routes = gb.Routes[:3]
	fs := b.run()
	a := only(fs, RouteAsymmetric)
	if len(a) != 1 || !strings.Contains(a[0].Title, "gwb has no route back to 10.1.0.0/24") || !fixHas(a[0], "gwb", "ip route add 10.1.0.0/24 dev ipsec0") {
		t.Errorf("asymmetry: %+v\n%s", a, ids(fs))
	}
	if len(only(fs, RouteProtectedMissing)) != 0 {
		t.Errorf("gwb's own selectors name no subnet: %s", ids(fs))
	}
}

func TestPeerRoutes(t *testing.T) {
	b := routedSite(t)
	ga := b.s.Device("gwa")
	ga.Routes = ga.Routes[:2] // no default: no route to the peer
	if f := only(b.run(), RoutePeerMissing); len(f) != 1 || f[0].Subject != "gwa → 198.51.100.1" {
		t.Fatalf("got %+v", f)
	}
	b2 := routedSite(t)
	b2.route("gwb", "192.0.2.0/24", "", "ipsec0", "static") // the peer learnt over the tunnel
	f := only(b2.run(), RoutePeerRecursive)
	if len(f) != 1 || !strings.Contains(f[0].Why, "recursive routing") {
		t.Fatalf("got %+v", f)
	}
}

func TestTunnelDown(t *testing.T) {
	b := routedSite(t)
	b.s.Device("gwb").FindInterface("ipsec0").OperUp = false
	f := only(b.run(), RouteTunnelDown)
	if len(f) != 1 || f[0].Subject != "gwb ipsec0" {
		t.Fatalf("got %+v", f)
	}
}

func TestOverlap(t *testing.T) {
	b := routedSite(t)
	b.s.Device("gwb").IPsec.Children[0].Selectors = []netmodel.Selector{sel("10.1.0.0/16", "10.1.0.0/24")}
	f := only(b.run(), RouteOverlap)
	if len(f) == 0 || !strings.Contains(f[0].Why, "10.1.0.0/24") {
		t.Fatalf("got %+v", f)
	}
}

func TestNextHopUnresolved(t *testing.T) {
	b := routedSite(t)
	b.route("gwa", "10.9.0.0/16", "172.16.0.1", "", "static")
	fs := b.run()
	f := only(fs, RouteNextHopUnresolved)
	if len(f) != 0 {
		// 172.16.0.1 resolves through the default route: not unresolved.
		t.Fatalf("resolvable through the default: %+v", f)
	}
	ga := b.s.Device("gwa")
	ga.Routes = append(ga.Routes[:2], ga.Routes[3:]...) // remove the default
	f = only(b.run(), RouteNextHopUnresolved)
	if len(f) != 1 || !strings.Contains(f[0].Title, "10.9.0.0/16: next hop 172.16.0.1 does not resolve") {
		t.Fatalf("got %+v", f)
	}
}
