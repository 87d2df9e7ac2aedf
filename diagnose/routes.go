package diagnose

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/nettui/nettui/diagnose/rib"
	"github.com/nettui/nettui/internal/netmodel"
)

// Rule IDs of the routing checks.
const (
	RouteProtectedMissing  = "ROUTE-PROTECTED-MISSING"
	RoutePeerMissing       = "ROUTE-PEER-MISSING"
	RoutePeerRecursive     = "ROUTE-PEER-RECURSIVE"
	RouteTunnelDown        = "ROUTE-TUNNEL-DOWN"
	RouteOverlap           = "ROUTE-OVERLAP"
	RouteAsymmetric        = "ROUTE-ASYMMETRIC"
	RouteNextHopUnresolved = "ROUTE-NEXTHOP-UNRESOLVED"
)

func init() {
	addRule(Rule{ID: RouteProtectedMissing, Severity: netmodel.SevCritical, Title: "Protected subnet not routed into the tunnel",
		Summary: "A remote protected subnet has no route into the tunnel (route-based) or toward the peer's interface (policy-based), or no route at all on a router on the gateway's protected side.",
		Check:   checkProtectedRoutes})
	addRule(Rule{ID: RoutePeerMissing, Severity: netmodel.SevCritical, Title: "No route to the IPsec peer",
		Summary: "The peer's public address has no route: IKE cannot even start.",
		Check:   checkPeerRoutes})
	addRule(Rule{ID: RoutePeerRecursive, Severity: netmodel.SevCritical, Title: "Route to the peer goes through the tunnel itself",
		Summary: "The peer's address is routed into the tunnel it terminates (recursive routing): GRE/VTI flaps.",
		Check:   checkPeerRecursive})
	addRule(Rule{ID: RouteTunnelDown, Severity: netmodel.SevCritical, Title: "Route via a tunnel interface that is down",
		Summary: "Routes point into a tunnel interface whose state is down: their traffic is dropped.",
		Check:   checkTunnelDown})
	addRule(Rule{ID: RouteOverlap, Severity: netmodel.SevWarning, Title: "Local and remote protected subnets overlap",
		Summary: "The same addresses exist on both sides of the tunnel: they cannot be routed to each other without NAT.",
		Check:   checkOverlap})
	addRule(Rule{ID: RouteAsymmetric, Severity: netmodel.SevCritical, Title: "No route back",
		Summary: "One end routes a subnet into the tunnel but the other end has no route back to the source subnet.",
		Check:   checkAsymmetric})
	addRule(Rule{ID: RouteNextHopUnresolved, Severity: netmodel.SevWarning, Title: "Static route whose next hop does not resolve",
		Summary: "A static route's next hop is not reachable through any connected or resolvable route.",
		Check:   checkUnresolved})
}

// vrfTables builds (once per run) the routing tables of a device, one per
// VRF (rib.Build); nil when the device's routes were not collected.
func (c *Context) vrfTables(d *netmodel.Device) map[string]*rib.Table {
	if c.ribs == nil {
		c.ribs = map[*netmodel.Device]map[string]*rib.Table{}
	}
	t, ok := c.ribs[d]
	if !ok {
		t = rib.Build(d)
		c.ribs[d] = t
	}
	return t
}

// swanTable is the routing table strongSwan installs its routes in on
// Linux (charon.routing_table), looked up before main by the ip rule it
// adds with the same priority (charon.routing_table_prio, both 220).
const swanTable = "220"

// fwdTable is how a device forwards by its routing tables, for the rules:
// on a Linux host strongSwan's table 220 first, then main (as `ip rule`
// has it); elsewhere the global table.
type fwdTable struct {
	first, main *rib.Table
}

// Resolve resolves a in the first table that has a route for it.
func (f *fwdTable) Resolve(a netip.Addr) (rib.Resolution, error) {
	if f.first != nil {
		if res, err := f.first.Resolve(a); err == nil {
			return res, nil
		}
	}
	return f.main.Resolve(a)
}

// Covering returns the route covering p in the first table that has one.
func (f *fwdTable) Covering(p netip.Prefix) (netmodel.Route, bool) {
	if f.first != nil {
		if r, ok := f.first.Covering(p); ok {
			return r, true
		}
	}
	return f.main.Covering(p)
}

// tables returns how d forwards (its global table, and strongSwan's
// table 220 before it on Linux); nil when its routes were not collected.
func (c *Context) tables(d *netmodel.Device) *fwdTable {
	t := c.vrfTables(d)
	if t == nil {
		return nil
	}
	f := &fwdTable{main: t[""]}
	if d.Platform == netmodel.Linux {
		f.first = t[swanTable]
	}
	return f
}

// isTunnelIf reports whether name is a tunnel interface on d.
func isTunnelIf(d *netmodel.Device, name string) bool {
	if name == "" {
		return false
	}
	if i := d.FindInterface(name); i != nil && i.Tunnel {
		return true
	}
	low := strings.ToLower(name)
	for _, p := range []string{"st0", "tunnel", "gr-", "ip-", "ipsec", "vti", "xfrm", "gre"} {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return false
}

// egress resolves where d sends traffic for a: interface and the chain.
func egress(t *fwdTable, a netip.Addr) (rib.Resolution, error) { return t.Resolve(a) }

func routeEvidence(l *evList, d *netmodel.Device, res rib.Resolution, note string) {
	for _, r := range res.Chain {
		l.add(d.Name, r.Src, note)
		note = ""
	}
}

// staticRouteFix adds a route on d for net via the tunnel interface or gw.
func staticRouteFix(d *netmodel.Device, net netip.Prefix, ifname string, gw netip.Addr) netmodel.Fix {
	f := netmodel.Fix{Device: d.Name, Platform: d.Platform}
	via := gw.String()
	switch d.Platform {
	case netmodel.Junos:
		if ifname != "" {
			via = ifname
		}
		f.Commands = []string{"configure", fmt.Sprintf("set routing-options static route %s next-hop %s", net, via), "commit check", "commit"}
	case netmodel.IOS:
		if ifname != "" {
			via = ifname
		}
		f.Commands = []string{"configure terminal", fmt.Sprintf("ip route %s %s %s", net.Masked().Addr(), maskOf(net), via), "end", "copy running-config startup-config"}
	case netmodel.ASA:
		f.Commands = []string{"configure terminal", fmt.Sprintf("route %s %s %s %s", orStr(ifname, "outside"), net.Masked().Addr(), maskOf(net), via), "end", "write memory"}
	case netmodel.FRR:
		f.Commands = []string{"configure terminal", fmt.Sprintf("ip route %s %s", net, orStr(ifname, via)), "end", "write memory"}
	case netmodel.Linux:
		switch {
		case frrManaged(d):
			// The routes come from FRR: a kernel route added by hand would
			// not survive it (nor a reboot).
			f.Commands = []string{fmt.Sprintf("vtysh -c 'configure terminal' -c 'ip route %s %s' -c 'end' -c 'write memory'", net, orStr(ifname, via))}
		case ifname != "":
			f.Commands = []string{fmt.Sprintf("ip route add %s dev %s", net, ifname)}
		default:
			f.Commands = []string{fmt.Sprintf("ip route add %s via %s", net, gw)}
		}
	default:
		f.Commands = []string{fmt.Sprintf("route %s via %s", net, orStr(ifname, via))}
	}
	return f
}

func orStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// remoteNets lists the remote protected subnets an end's own selectors name
// (not any/any, not the GRE transport between the gateways). What the other
// end protects but this end's selectors do not name is ROUTE-ASYMMETRIC's.
// transportOnly reports whether a selector protects only the tunnel's own
// outer traffic (GRE over IPsec between the two gateways), which must not be
// routed into the tunnel.
func transportOnly(s netmodel.Selector, e *TunnelEnd) bool {
	return s.Proto == 47 || (s.Remote.IsSingleIP() && s.Remote.Addr() == e.Peer) || (s.Local.IsSingleIP() && e.Local.IsValid() && s.Local.Addr() == e.Local)
}

func remoteNets(e *TunnelEnd) (nets []netip.Prefix, src map[netip.Prefix]netmodel.Source) {
	seen := map[netip.Prefix]bool{}
	src = map[netip.Prefix]netmodel.Source{}
	add := func(p netip.Prefix, s netmodel.Source) {
		if p.IsValid() && p.Bits() > 0 && !seen[p] && !(p.IsSingleIP() && p.Addr() == e.Peer) {
			seen[p] = true
			nets = append(nets, p)
			src[p] = s
		}
	}
	for _, ch := range e.Children {
		for _, s := range ch.Selectors {
			if !transportOnly(s, e) {
				add(s.Remote, ch.Src)
			}
		}
	}
	return nets, src
}

func localNets(e *TunnelEnd) []netip.Prefix {
	var out []netip.Prefix
	seen := map[netip.Prefix]bool{}
	for _, ch := range e.Children {
		for _, s := range ch.Selectors {
			if s.Local.IsValid() && s.Local.Bits() > 0 && !seen[s.Local] && !transportOnly(s, e) {
				seen[s.Local] = true
				out = append(out, s.Local)
			}
		}
	}
	return out
}

// tunnelIface is the tunnel interface an end's route-based child uses —
// or, on a Linux host whose strongSwan does ESP in userspace
// (kernel-libipsec), its TUN device: that plugin only sees the packets
// routed into it, so every protected subnet must be routed there whatever
// the selectors.
func tunnelIface(e *TunnelEnd) string {
	if n := ownTunnelIface(e); n != "" {
		return n
	}
	if e.Dev.Platform == netmodel.Linux {
		return libipsecTUN(e.Dev)
	}
	return ""
}

// ownTunnelIface is the tunnel interface an end's children or SAs are
// bound to (route-based), or "".
func ownTunnelIface(e *TunnelEnd) string {
	for _, ch := range e.Children {
		if ch.Interface != "" {
			return ch.Interface
		}
	}
	for _, sa := range e.ChildSAs {
		if sa.Interface != "" && isTunnelIf(e.Dev, sa.Interface) {
			return sa.Interface
		}
	}
	return ""
}

// routesFollowSAs reports whether the end's routes into the tunnel come
// and go with its child SAs: charon routes a subnet into its
// kernel-libipsec TUN (table 220) once the CHILD_SA protecting it is
// installed, and removes the route with it — whatever
// charon.install_routes says, and whether or not FRR runs there (the
// plugin installs its routes itself). While no such SA is up, a missing
// route is a symptom, and the IPsec rules say why the SA is missing.
func routesFollowSAs(e *TunnelEnd) bool {
	tif := libipsecTUN(e.Dev)
	return e.Dev.Platform == netmodel.Linux && tif != "" && ownTunnelIface(e) == ""
}

// childSAFor reports whether an installed child SA of the end protects
// traffic to the remote subnet n.
func childSAFor(e *TunnelEnd, n netip.Prefix) bool {
	for _, sa := range e.ChildSAs {
		for _, s := range sa.Selectors {
			if s.Remote.IsValid() && s.Remote.Bits() <= n.Bits() && s.Remote.Contains(n.Addr()) {
				return true
			}
		}
	}
	return false
}

// libipsecTUN returns the TUN device strongSwan's kernel-libipsec plugin
// creates (ipsec0, or ipsecN when configured), found among the device's
// interfaces (a tunnel without outer addresses) or, when the interfaces
// were not collected, as the interface of a route: "" when there is none.
func libipsecTUN(d *netmodel.Device) string {
	isName := func(n string) bool {
		rest, ok := strings.CutPrefix(n, "ipsec")
		if !ok || rest == "" {
			return false
		}
		for _, c := range rest {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	for _, i := range d.Interfaces {
		if i.Tunnel && isName(i.Name) && !i.TunnelDst.IsValid() {
			return i.Name
		}
	}
	if len(d.Interfaces) > 0 {
		return ""
	}
	for _, r := range d.Routes {
		if isName(r.Interface) {
			return r.Interface
		}
	}
	return ""
}

func checkProtectedRoutes(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		out = append(out, c.routersBehind(e)...)
		t := c.tables(e.Dev)
		if t == nil {
			continue // routes not collected: nothing to judge
		}
		nets, srcs := remoteNets(e)
		tif := tunnelIface(e)
		swanRoutes := routesFollowSAs(e)
		peerRes, perr := egress(t, e.Peer)
		for _, n := range nets {
			if swanRoutes && !childSAFor(e, n) {
				continue
			}
			res, err := egress(t, n.Addr())
			covering, covOK := t.Covering(n)
			l := &evList{c: c}
			l.add(e.Dev.Name, srcs[n], fmt.Sprintf("%s is protected by the tunnel to %s", n, e.Peer))
			var why string
			var fix netmodel.Fix
			switch {
			case err != nil || !covOK:
				why = fmt.Sprintf("%s has no route for the remote protected subnet %s", e.Dev.Name, n)
				if err == nil {
					why = fmt.Sprintf("%s routes only part of the remote protected subnet %s (via %s)", e.Dev.Name, n, res.Chain[0].Prefix)
				}
			case tif != "":
				if res.Interface == tif || res.Interface == strings.TrimSuffix(tif, ".0") {
					continue
				}
				routeEvidence(l, e.Dev, res, fmt.Sprintf("%s leaves via %s", n, res.Interface))
				why = fmt.Sprintf("%s routes %s via %s (%s), not into the tunnel interface %s", e.Dev.Name, n, res.Interface, covering.Protocol, tif)
			default:
				if perr != nil || res.Interface == peerRes.Interface {
					continue
				}
				routeEvidence(l, e.Dev, res, fmt.Sprintf("%s leaves via %s", n, res.Interface))
				routeEvidence(l, e.Dev, peerRes, fmt.Sprintf("the peer %s is reached via %s", e.Peer, peerRes.Interface))
				why = fmt.Sprintf("%s routes %s via %s, but the tunnel to %s leaves via %s: a policy-based tunnel only sees traffic routed toward the peer's interface", e.Dev.Name, n, res.Interface, e.Peer, peerRes.Interface)
			}
			if tif != "" {
				fix = staticRouteFix(e.Dev, n, tif, netip.Addr{})
			} else if perr == nil {
				fix = staticRouteFix(e.Dev, n, "", peerRes.NextHop)
			}
			f := netmodel.Finding{ID: RouteProtectedMissing, Severity: netmodel.SevCritical,
				Title:    fmt.Sprintf("%s not routed into the tunnel to %s", n, e.Peer),
				Subject:  fmt.Sprintf("%s → %s", e.Dev.Name, n),
				Why:      why + ": the tunnel may be up, but this traffic never enters it.",
				Evidence: l.out}
			if len(fix.Commands) > 0 {
				f.Fix = []netmodel.Fix{fix}
			}
			out = append(out, f)
		}
	}
	return out
}

// routersBehind judges the routers on an end's protected side: devices
// other than the gateway, not tunnel ends themselves, whose connected
// networks lie inside the end's local protected subnets. Traffic from
// there to a remote protected subnet must reach the gateway; a router
// with no route at all for that subnet drops it before it gets there. (A
// route elsewhere, a default toward a core router for instance, may
// well lead to the gateway: without the path nettui cannot tell, and says
// nothing.)
func (c *Context) routersBehind(e *TunnelEnd) []netmodel.Finding {
	locals := localNets(e)
	nets, srcs := remoteNets(e)
	if len(locals) == 0 || len(nets) == 0 {
		return nil
	}
	ends := map[*netmodel.Device]bool{}
	for _, o := range c.Tunnels() {
		ends[o.Dev] = true
	}
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		if ends[d] {
			continue
		}
		t := c.tables(d)
		if t == nil {
			continue
		}
		side, inside, ok := protectedSide(d, locals)
		if !ok {
			continue
		}
		gw := addrOnLink(e.Dev, d)
		for _, n := range nets {
			if _, ok := t.Covering(n); ok {
				continue
			}
			l := &evList{c: c}
			l.add(e.Dev.Name, srcs[n], fmt.Sprintf("%s is protected by the tunnel to %s", n, e.Peer))
			l.add(d.Name, side.Src, fmt.Sprintf("%s is connected to %s, inside %s's protected %s", side.Prefix, d.Name, e.Dev.Name, inside))
			why := fmt.Sprintf("%s is on %s's protected side (its network %s is inside the local selector %s) but has no route for the remote protected subnet %s: traffic from its networks to %s is dropped here and never reaches %s's tunnel to %s.",
				d.Name, e.Dev.Name, side.Prefix, inside, n, n, e.Dev.Name, e.Peer)
			f := netmodel.Finding{ID: RouteProtectedMissing, Severity: netmodel.SevCritical,
				Title:    fmt.Sprintf("%s not routed toward %s's tunnel to %s", n, e.Dev.Name, e.Peer),
				Subject:  fmt.Sprintf("%s → %s", d.Name, n),
				Why:      why,
				Evidence: l.out}
			if gw.IsValid() {
				f.Fix = []netmodel.Fix{staticRouteFix(d, n, "", gw)}
			}
			out = append(out, f)
		}
	}
	return out
}

// protectedSide returns a connected network of d inside one of locals,
// and that local subnet.
func protectedSide(d *netmodel.Device, locals []netip.Prefix) (netmodel.Route, netip.Prefix, bool) {
	for _, r := range d.Routes {
		if !r.Active || r.Protocol != "connected" || r.VRF != "" {
			continue
		}
		for _, l := range locals {
			if l.Bits() <= r.Prefix.Bits() && l.Contains(r.Prefix.Addr()) {
				return r, l, true
			}
		}
	}
	return netmodel.Route{}, netip.Prefix{}, false
}

// addrOnLink returns an address of gw on a network d is connected to: the
// next hop d should use toward gw.
func addrOnLink(gw, d *netmodel.Device) netip.Addr {
	for _, i := range gw.Interfaces {
		for _, a := range i.Addrs {
			for _, r := range d.Routes {
				if r.Active && r.Protocol == "connected" && r.Prefix.Contains(a.Addr()) {
					return a.Addr()
				}
			}
		}
	}
	return netip.Addr{}
}

func checkPeerRoutes(c *Context) []netmodel.Finding { return peerRoutes(c, false) }

func checkPeerRecursive(c *Context) []netmodel.Finding { return peerRoutes(c, true) }

// peerRoutes judges the route to each tunnel's peer: missing (or not
// resolving), or — when recursive is set — leading into a tunnel interface.
func peerRoutes(c *Context, recursive bool) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		t := c.tables(e.Dev)
		if t == nil || !e.Peer.IsValid() {
			continue
		}
		res, err := egress(t, e.Peer)
		l := &evList{c: c}
		endEvidence(l, e, true, false)
		if err != nil && !recursive {
			var re *rib.ResolveError
			why := fmt.Sprintf("%s has no usable route to its IPsec peer %s (%v): IKE packets cannot leave, nothing comes up.", e.Dev.Name, e.Peer, err)
			if errors.As(err, &re) && re.Route.IsValid() {
				for _, r := range e.Dev.Routes {
					if r.Prefix == re.Route && r.Active {
						l.add(e.Dev.Name, r.Src, "route whose next hop "+re.Addr.String()+" does not resolve")
					}
				}
			}
			out = append(out, netmodel.Finding{ID: RoutePeerMissing, Severity: netmodel.SevCritical,
				Title: "no route to the peer " + e.Peer.String(), Subject: e.Name(), Why: why, Evidence: l.out})
			continue
		}
		if err == nil && recursive && isTunnelIf(e.Dev, res.Interface) {
			routeEvidence(l, e.Dev, res, fmt.Sprintf("%s is reached via %s", e.Peer, res.Interface))
			out = append(out, netmodel.Finding{ID: RoutePeerRecursive, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("route to the peer %s goes into %s", e.Peer, res.Interface),
				Subject: e.Name(),
				Why: fmt.Sprintf("%s reaches its tunnel peer %s through %s, a tunnel interface: the tunnel's own packets would have to travel inside the tunnel (recursive routing). GRE/VTI tunnels come up, learn the peer's address over the tunnel (a routing protocol or a too-wide static route), go down, and flap. Add a more specific route to %s via the outside gateway.",
					e.Dev.Name, e.Peer, res.Interface, e.Peer),
				Evidence: l.out, Fix: []netmodel.Fix{staticRouteFix(e.Dev, netip.PrefixFrom(e.Peer, e.Peer.BitLen()), "", netip.Addr{})}})
			out[len(out)-1].Fix[0].Note = "replace the next hop with the outside gateway (the one the default route used before the tunnel came up)"
		}
	}
	return out
}

func checkTunnelDown(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		byIf := map[string][]netmodel.Route{}
		var order []string
		for _, r := range d.Routes {
			if !r.Active || r.Interface == "" {
				continue
			}
			i := d.FindInterface(r.Interface)
			if i == nil || !i.Known || i.OperUp || !isTunnelIf(d, i.Name) {
				continue
			}
			if _, ok := byIf[r.Interface]; !ok {
				order = append(order, r.Interface)
			}
			byIf[r.Interface] = append(byIf[r.Interface], r)
		}
		for _, name := range order {
			rs := byIf[name]
			i := d.FindInterface(name)
			l := &evList{c: c}
			l.add(d.Name, i.Src, name+" is down")
			var nets []string
			for _, r := range rs {
				l.add(d.Name, r.Src, "route via "+name)
				nets = append(nets, r.Prefix.String())
			}
			out = append(out, netmodel.Finding{ID: RouteTunnelDown, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("%s via %s, which is down", plural(len(rs), "route"), name),
				Subject: d.Name + " " + name,
				Why: fmt.Sprintf("%s routes %s into %s, and %s is down (admin %s): that traffic is dropped. On Junos st0 is down when its VPN has no SA (with establish-tunnels on-traffic it stays down until traffic arrives); IOS/ASA tunnels go down when IPsec or the tunnel source/destination fail. Bring the tunnel up, or give these routes a floating backup (a higher preference via another path).",
					d.Name, strings.Join(nets, ", "), name, name, map[bool]string{true: "up", false: "down"}[i.AdminUp]),
				Evidence: l.out})
		}
	}
	return out
}

func checkOverlap(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		locals := localNets(e)
		remotes, _ := remoteNets(e)
		pairs := rib.Overlaps(locals, remotes)
		if len(pairs) == 0 {
			continue
		}
		var txt []string
		for _, p := range pairs {
			txt = append(txt, fmt.Sprintf("%s (here) and %s (behind %s)", p[0], p[1], e.Peer))
		}
		l := &evList{c: c}
		endEvidence(l, e, true, false)
		out = append(out, netmodel.Finding{ID: RouteOverlap, Severity: netmodel.SevWarning,
			Title:    "local and remote protected subnets overlap",
			Subject:  e.Name(),
			Why:      "The protected subnets on the two sides overlap: " + strings.Join(txt, "; ") + ". A host cannot reach an address that is also on its own side: its traffic stays local. Translate one side (NAT to an unused range before encryption, on one end) and use the translated range in the selectors.",
			Evidence: l.out})
	}
	return out
}

func checkAsymmetric(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, a := range c.Tunnels() {
		b := a.Partner
		if b == nil {
			continue
		}
		ta, tb := c.tables(a.Dev), c.tables(b.Dev)
		if ta == nil || tb == nil {
			continue
		}
		covered := map[netip.Prefix]bool{}
		bNets, _ := remoteNets(b)
		for _, n := range bNets {
			covered[n] = true // ROUTE-PROTECTED-MISSING judges b's route to these
		}
		bSwan := routesFollowSAs(b)
		for _, src := range localNets(a) {
			if covered[src] || (bSwan && !childSAFor(b, src)) {
				continue
			}
			res, err := egress(tb, src.Addr())
			tif := tunnelIface(b)
			peerRes, perr := egress(tb, b.Peer)
			ok := err == nil && (res.Interface == tif || (tif == "" && perr == nil && res.Interface == peerRes.Interface))
			if ok {
				continue
			}
			l := &evList{c: c}
			endEvidence(l, a, true, false)
			if err == nil {
				routeEvidence(l, b.Dev, res, fmt.Sprintf("%s sends %s via %s", b.Dev.Name, src, res.Interface))
			}
			why := fmt.Sprintf("%s sends traffic from %s into the tunnel to %s, but %s has no route back to %s through the tunnel", a.Dev.Name, src, b.Dev.Name, b.Dev.Name, src)
			if err == nil {
				why += fmt.Sprintf(" (it routes %s via %s)", src, res.Interface)
			}
			why += ": replies take another path or are dropped, so connections hang after the first packet — the classic one-way tunnel."
			fix := staticRouteFix(b.Dev, src, tif, peerRes.NextHop)
			f := netmodel.Finding{ID: RouteAsymmetric, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("%s has no route back to %s", b.Dev.Name, src),
				Subject: fmt.Sprintf("%s → %s → %s", a.Dev.Name, b.Dev.Name, src), Why: why, Evidence: l.out}
			if tif != "" || perr == nil {
				f.Fix = []netmodel.Fix{fix}
			}
			out = append(out, f)
		}
	}
	return out
}

func checkUnresolved(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		tabs := c.vrfTables(d)
		if tabs == nil {
			continue
		}
		// The VRFs whose table was collected (configured statics alone
		// make an empty table of their VRF).
		collected := map[string]bool{}
		for _, r := range d.Routes {
			if !r.Configured {
				collected[r.VRF] = true
			}
		}
		for _, r := range d.Routes {
			if r.Protocol != "static" || !r.NextHop.IsValid() || r.Interface != "" || !(r.Active || r.Configured) {
				continue
			}
			if !collected[r.VRF] {
				continue // that VRF's table was not collected: nothing to judge by
			}
			t := tabs[r.VRF]
			if r.Configured && installedStatic(d, r) {
				continue
			}
			res, err := t.Resolve(r.NextHop)
			viaDefault := false
			if err == nil {
				// A route in use resolves: fine. A configured static that
				// is in no table, and whose next hop only the default
				// route covers, is FRR not resolving next hops through
				// the default route.
				if !r.Configured || res.Chain[0].Prefix.Bits() > 0 {
					continue
				}
				viaDefault = true
			}
			l := &evList{c: c}
			note := fmt.Sprintf("static %s via %s", r.Prefix, r.NextHop)
			if r.Configured {
				note += ", configured"
			}
			l.add(d.Name, r.Src, note)
			var why string
			switch {
			case viaDefault:
				routeEvidence(l, d, res, fmt.Sprintf("only the default route covers %s", r.NextHop))
				why = fmt.Sprintf("The static route %s via %s is configured on %s but is in no routing table: only the default route covers %s, and FRR does not resolve a static route's next hop through the default route (unless `ip nht resolve-via-default` is set), so staticd never installs it. Its traffic follows a less specific route, or is dropped.", r.Prefix, r.NextHop, d.Name, r.NextHop)
			case r.Configured:
				why = fmt.Sprintf("The static route %s via %s is configured on %s but is in no routing table: no connected or resolvable route reaches %s (%v), and FRR only installs a static whose next hop resolves (`show ip nht` lists it unresolved). Its traffic follows a less specific route, or is dropped.", r.Prefix, r.NextHop, d.Name, r.NextHop, err)
			default:
				why = fmt.Sprintf("The static route %s via %s on %s points to a next hop that no connected or resolvable route reaches (%v). The route is unusable: its traffic follows a less specific route, or is dropped.", r.Prefix, r.NextHop, d.Name, err)
			}
			subject := fmt.Sprintf("%s %s", d.Name, r.Prefix)
			if r.VRF != "" {
				subject = fmt.Sprintf("%s vrf %s %s", d.Name, r.VRF, r.Prefix)
			}
			out = append(out, netmodel.Finding{ID: RouteNextHopUnresolved, Severity: netmodel.SevWarning,
				Title:    fmt.Sprintf("static route %s: next hop %s does not resolve", r.Prefix, r.NextHop),
				Subject:  subject,
				Why:      why,
				Evidence: l.out,
				Fix:      []netmodel.Fix{staticRouteFix(d, r.Prefix, "", r.NextHop)}})
			out[len(out)-1].Fix[0].Note = "replace the next hop with a gateway on a connected network (or name the exit interface)"
		}
	}
	return out
}

// installedStatic reports whether a configured static is in one of the
// device's routing tables: a static route (from FRR's RIB or the kernel's
// table) of the same VRF and prefix through the same next hop.
func installedStatic(d *netmodel.Device, cfg netmodel.Route) bool {
	for _, r := range d.Routes {
		if !r.Configured && r.VRF == cfg.VRF && r.Prefix == cfg.Prefix && r.Protocol == "static" && r.NextHop == cfg.NextHop {
			return true
		}
	}
	return false
}

// frrManaged reports whether a Linux host's static routes come from FRR:
// its running-config (read as configured statics) was collected.
func frrManaged(d *netmodel.Device) bool {
	for _, r := range d.Routes {
		if r.Configured {
			return true
		}
	}
	return false
}
