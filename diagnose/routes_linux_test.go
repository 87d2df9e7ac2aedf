package diagnose

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// libipsecSite is tunnelSite with gwb a strongSwan gateway whose ESP runs
// in userspace (kernel-libipsec): a TUN device ipsec0, the route into it
// in table 220 (charon's install_routes), the peer on a connected network
// and no default route — the lab's layout.
func libipsecSite(t *testing.T) *site {
	b := tunnelSite(t)
	b.route("gwa", "192.0.2.0/24", "", "ge-0/0/0.0", "direct")
	b.route("gwa", "10.1.0.0/24", "", "ge-0/0/1.0", "direct")
	b.route("gwa", "0.0.0.0/0", "192.0.2.254", "", "static")
	gb := b.s.Device("gwb")
	tun := gb.Interface("ipsec0")
	tun.Tunnel, tun.Known, tun.AdminUp, tun.OperUp, tun.Src = true, true, true, true, b.line("gwb", "ipsec0 tun")
	b.route("gwb", "198.51.100.0/24", "", "eth0", "connected")
	b.route("gwb", "10.2.0.0/24", "", "lan0", "connected")
	b.route("gwb", "192.0.2.1/32", "", "eth0", "connected") // the peer, on link
	b.route("gwb", "10.1.0.0/24", "", "ipsec0", "static")
	gb.Routes[len(gb.Routes)-1].VRF = swanTable
	return b
}

// TestLibipsecTable220: strongSwan's routes in table 220 are looked up
// before main on Linux, and with kernel-libipsec the protected subnet must
// be routed into its TUN device — so the real layout of a healthy
// kernel-libipsec gateway gives no finding.
func TestLibipsecTable220(t *testing.T) {
	b := libipsecSite(t)
	if fs := b.run(); len(fs) != 0 {
		t.Fatalf("healthy kernel-libipsec gateway:\n%s", ids(fs))
	}
	// Without the table-220 route, nothing routes 10.1.0.0/24.
	gb := b.s.Device("gwb")
	gb.Routes = gb.Routes[:len(gb.Routes)-1]
	f := only(b.run(), RouteProtectedMissing)
	if len(f) != 1 || f[0].Subject != "gwb → 10.1.0.0/24" || !fixHas(f[0], "gwb", "ip route add 10.1.0.0/24 dev ipsec0") {
		t.Fatalf("missing route into ipsec0: %+v", f)
	}
	// Routed toward the peer's interface instead of into the TUN: the
	// plugin never sees those packets.
	b.route("gwb", "10.1.0.0/24", "198.51.100.254", "eth0", "static")
	f = only(b.run(), RouteProtectedMissing)
	if len(f) != 1 || !strings.Contains(f[0].Why, "not into the tunnel interface ipsec0") {
		t.Fatalf("route beside the TUN device: %+v", f)
	}
}

// TestTable220LinuxOnly: a table named 220 on another platform is a VRF
// like any other, not consulted for the global table.
func TestTable220LinuxOnly(t *testing.T) {
	b := libipsecSite(t)
	gb := b.s.Device("gwb")
	gb.Platform = netmodel.Junos
	if f := only(b.run(), RouteProtectedMissing); len(f) != 1 {
		t.Fatalf("junos VRF 220 consulted: %+v", f)
	}
}

// frrGateway makes gwb FRR-managed: its statics come from FRR's
// running-config (configured statics), and those FRR installed are in its
// table.
func frrGateway(b *site) *netmodel.Device {
	gb := b.s.Device("gwb")
	gb.Routes = gb.Routes[:3] // no table-220 route: install_routes = no
	b.route("gwb", "10.1.0.0/24", "", "ipsec0", "static")
	b.configured("gwb", "", "10.1.0.0/24", "", "ipsec0")
	return gb
}

func (b *site) configured(dev, vrf, prefix, via, ifname string) {
	d := b.s.Device(dev)
	r := netmodel.Route{VRF: vrf, Prefix: pfx(prefix), Interface: ifname, Protocol: "static", Distance: 1, Configured: true,
		Src: b.line(dev, "ip route "+prefix+" "+via+ifname)}
	if via != "" {
		r.NextHop = addr(via)
	}
	d.Routes = append(d.Routes, r)
}

// TestConfiguredStaticUnresolved: FRR keeps a static whose next hop does
// not resolve out of its RIB (and the kernel's table); the configured
// route is what shows it.
func TestConfiguredStaticUnresolved(t *testing.T) {
	b := libipsecSite(t)
	frrGateway(b)
	if fs := b.run(); len(fs) != 0 {
		t.Fatalf("FRR-managed gateway, every static installed:\n%s", ids(fs))
	}
	b.configured("gwb", "", "192.168.50.0/24", "172.31.9.254", "")
	fs := b.run()
	f := only(fs, RouteNextHopUnresolved)
	if len(f) != 1 || f[0].Subject != "gwb 192.168.50.0/24" || !strings.Contains(f[0].Why, "configured on gwb but is in no routing table") ||
		!cites(f[0], "gwb", "ip route 192.168.50.0/24 172.31.9.254") {
		t.Fatalf("unresolved configured static: %+v\n%s", f, ids(fs))
	}
	if !fixHas(f[0], "gwb", "vtysh -c 'configure terminal' -c 'ip route 192.168.50.0/24 172.31.9.254' -c 'end' -c 'write memory'") {
		t.Errorf("fix through vtysh: %+v", f[0].Fix)
	}
	if len(fs) != 1 {
		t.Errorf("one finding: %s", ids(fs))
	}
}

// TestConfiguredStaticCases: a configured static FRR installed (the RIB or
// the kernel has it with the same next hop) is fine; one whose next hop
// resolves through a specific route but is missing is not this rule's
// business; one whose next hop only the default route covers is the FRR
// resolve-via-default case; a VRF whose table was not collected is not
// judged.
func TestConfiguredStaticCases(t *testing.T) {
	b := libipsecSite(t)
	frrGateway(b)
	b.configured("gwb", "", "10.7.0.0/24", "198.51.100.9", "")
	b.route("gwb", "10.7.0.0/24", "198.51.100.9", "eth0", "static")
	b.configured("gwb", "", "10.8.0.0/24", "198.51.100.8", "")
	b.configured("gwb", "blue", "10.9.0.0/24", "10.99.0.1", "")
	if fs := b.run(); len(fs) != 0 {
		t.Fatalf("installed / resolvable / unknown VRF:\n%s", ids(fs))
	}
	b.route("gwb", "0.0.0.0/0", "198.51.100.254", "eth0", "static")
	b.configured("gwb", "", "10.6.0.0/24", "203.0.113.9", "")
	f := only(b.run(), RouteNextHopUnresolved)
	if len(f) != 1 || f[0].Subject != "gwb 10.6.0.0/24" || !strings.Contains(f[0].Why, "ip nht resolve-via-default") {
		t.Fatalf("next hop only the default covers: %+v", f)
	}
	// The same next hop on a kernel route in use resolves: not flagged.
	b2 := libipsecSite(t)
	b2.route("gwb", "0.0.0.0/0", "198.51.100.254", "eth0", "static")
	b2.route("gwb", "10.6.0.0/24", "203.0.113.9", "", "static")
	if f := only(b2.run(), RouteNextHopUnresolved); len(f) != 0 {
		t.Fatalf("route in use, resolving through the default: %+v", f)
	}
}

// TestProtectedMissingFRRFix: on an FRR-managed gateway the missing route
// is added in FRR, not with ip route (zebra owns the table).
func TestProtectedMissingFRRFix(t *testing.T) {
	b := libipsecSite(t)
	gb := frrGateway(b)
	gb.IPsec.Children[0].Selectors = append(gb.IPsec.Children[0].Selectors, sel("10.2.0.0/24", "10.1.1.0/24"))
	gb.IPsec.ChildSAs[0].Selectors = append(gb.IPsec.ChildSAs[0].Selectors, sel("10.2.0.0/24", "10.1.1.0/24"))
	f := only(b.run(), RouteProtectedMissing)
	if len(f) != 1 || f[0].Subject != "gwb → 10.1.1.0/24" ||
		!fixHas(f[0], "gwb", "vtysh -c 'configure terminal' -c 'ip route 10.1.1.0/24 ipsec0' -c 'end' -c 'write memory'") {
		t.Fatalf("got %+v", f)
	}
}

// TestLibipsecRoutesFollowSAs: charon adds the route into ipsec0 with the
// CHILD_SA and removes it with it, so without an installed child SA the
// missing route is not reported (the IPsec rules say why the SA is
// missing) — with FRR on the gateway too: kernel-libipsec installs its
// routes whatever charon.install_routes says (measured in the lab).
func TestLibipsecRoutesFollowSAs(t *testing.T) {
	b := libipsecSite(t)
	gb := b.s.Device("gwb")
	gb.Routes = gb.Routes[:len(gb.Routes)-1] // no table-220 route
	gb.IPsec.ChildSAs = nil
	b.s.Device("gwa").IPsec.ChildSAs = nil
	fs := b.run()
	if f := only(fs, RouteProtectedMissing); len(f) != 0 {
		t.Fatalf("route of an SA that is not up reported: %+v", f)
	}
	if len(only(fs, IPsecIKENoChild)) == 0 {
		t.Errorf("the missing SA itself is reported: %s", ids(fs))
	}
	b.configured("gwb", "", "192.168.50.0/24", "", "ipsec0")
	if f := only(b.run(), RouteProtectedMissing); len(f) != 0 {
		t.Fatalf("FRR-managed kernel-libipsec gateway without an SA: %+v", f)
	}
}

// routerSite puts an FRR router, rtr, on gwb's protected side: gwb's
// local selector is 10.2.0.0/16, rtr is connected to gwb on 10.2.255.0/30
// and serves the LAN 10.2.5.0/24.
func routerSite(t *testing.T) *site {
	b := libipsecSite(t)
	gb := b.s.Device("gwb")
	gb.IPsec.Children[0].Selectors = []netmodel.Selector{sel("10.2.0.0/16", "10.1.0.0/24")}
	gb.IPsec.ChildSAs[0].Selectors = []netmodel.Selector{sel("10.2.0.0/16", "10.1.0.0/24")}
	ga := b.s.Device("gwa")
	ga.IPsec.Children[0].Selectors = []netmodel.Selector{sel("10.1.0.0/24", "10.2.0.0/16")}
	ga.IPsec.ChildSAs[0].Selectors = []netmodel.Selector{sel("10.1.0.0/24", "10.2.0.0/16")}
	inside := gb.Interface("lan0")
	inside.Addrs = []netip.Prefix{pfx("10.2.255.1/30")}
	b.route("gwb", "10.2.255.0/30", "", "lan0", "connected")
	b.route("gwb", "10.2.5.0/24", "10.2.255.2", "lan0", "static")
	b.dev("rtr", netmodel.Linux)
	b.route("rtr", "10.2.255.0/30", "", "eth0", "connected")
	b.route("rtr", "10.2.5.0/24", "", "lan0", "connected")
	return b
}

// TestRouterBehindGateway: a router on a gateway's protected side with no
// route at all for the remote protected subnet drops that traffic before
// it reaches the tunnel; a route (a default toward another router, say)
// is not judged: the path is not known.
func TestRouterBehindGateway(t *testing.T) {
	b := routerSite(t)
	fs := b.run()
	f := only(fs, RouteProtectedMissing)
	if len(f) != 1 || f[0].Subject != "rtr → 10.1.0.0/24" || !strings.Contains(f[0].Why, "rtr is on gwb's protected side (its network 10.2.255.0/30 is inside the local selector 10.2.0.0/16)") ||
		!fixHas(f[0], "rtr", "ip route add 10.1.0.0/24 via 10.2.255.1") || !cites(f[0], "rtr", "route 10.2.255.0/30") {
		t.Fatalf("router without the route: %+v\n%s", f, ids(fs))
	}
	if len(fs) != 1 {
		t.Errorf("one finding: %s", ids(fs))
	}
	b.configured("rtr", "", "10.9.0.0/16", "10.2.255.1", "")
	if f := only(b.run(), RouteProtectedMissing); len(f) != 1 || !fixHas(f[0], "rtr", "vtysh -c 'configure terminal' -c 'ip route 10.1.0.0/24 10.2.255.1'") {
		t.Fatalf("FRR router: the fix goes through vtysh: %+v", f)
	}
	b.route("rtr", "0.0.0.0/0", "10.2.255.9", "eth0", "static")
	if f := only(b.run(), RouteProtectedMissing); len(f) != 0 {
		t.Fatalf("a default route may lead to the gateway: %+v", f)
	}
	// A device outside the protected networks is none of this rule's business.
	b2 := routerSite(t)
	b2.s.Device("rtr").Routes[0].Prefix = pfx("192.0.2.0/30")
	b2.s.Device("rtr").Routes[1].Prefix = pfx("198.18.0.0/24")
	if f := only(b2.run(), RouteProtectedMissing); len(f) != 0 {
		t.Fatalf("router elsewhere: %+v", f)
	}
}

// TestLibipsecSelectorMismatchOnly: the lab's traffic-selector mismatch
// (gwb expects 10.1.1.0/24 where gwa offers 10.1.0.0/24): IKE up, no
// child SA, so charon installed no route on either end. The selector
// finding is the diagnosis; neither a missing route nor a missing route
// back is reported for routes that only exist with the SA.
func TestLibipsecSelectorMismatchOnly(t *testing.T) {
	b := libipsecSite(t)
	gb := b.s.Device("gwb")
	gb.Routes = gb.Routes[:len(gb.Routes)-1]
	gb.IPsec.Children[0].Selectors = []netmodel.Selector{sel("10.2.0.0/24", "10.1.1.0/24")}
	gb.IPsec.ChildSAs = nil
	b.s.Device("gwa").IPsec.ChildSAs = nil
	fs := b.run()
	if len(fs) != 1 || fs[0].ID != IPsecSelectorMismatch {
		t.Fatalf("want only %s:\n%s", IPsecSelectorMismatch, ids(fs))
	}
}
