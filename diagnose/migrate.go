package diagnose

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Route-based designs a policy-based tunnel can move to.
const (
	DesignGRE = "gre" // GRE over IPsec: one host-to-host selector pair protects GRE
	DesignVTI = "vti" // st0/VTI/XFRM interface: one any/any selector pair
)

// Migration is the move of one policy-based IPsec tunnel to a route-based
// design: the configuration of both ends and how to verify it.
type Migration struct {
	Design string
	// Net is the /30 of the tunnel interfaces: the first end gets the first
	// host address, the partner the second.
	Net  netip.Prefix
	Ends []MigrationEnd
	// Verify are the checks to run once both ends are configured, in order:
	// the IPsec link, the tunnel across it, then the routes.
	Verify []VerifyStep
}

// MigrationEnd is one end's share of a migration.
type MigrationEnd struct {
	Device    string
	Platform  netmodel.Platform
	Public    netip.Addr // the IKE endpoint
	Addr      netip.Addr // the tunnel interface address
	Interface string     // the tunnel interface it gets
	Routes    []netip.Prefix
	Config    netmodel.Fix
}

// VerifyStep is one check after the change, with the commands per device.
type VerifyStep struct {
	Title    string
	Expect   string
	Commands []netmodel.Fix
}

// MigrationDesigns lists the designs every given platform can build, GRE
// first (it also carries multicast and routing protocols).
func MigrationDesigns(ps ...netmodel.Platform) []string {
	var out []string
	for _, d := range []string{DesignGRE, DesignVTI} {
		ok := true
		for _, p := range ps {
			if !designSupported(p, d) {
				ok = false
			}
		}
		if ok {
			out = append(out, d)
		}
	}
	return out
}

func designSupported(p netmodel.Platform, design string) bool {
	switch p {
	case netmodel.Junos, netmodel.IOS, netmodel.Linux:
		return true
	case netmodel.ASA:
		return design == DesignVTI // the ASA terminates no GRE
	}
	return false
}

// PolicyBased reports whether end e picks its traffic by selectors (a
// crypto ACL, security policies, traffic selectors) rather than by routes
// into a tunnel interface, GRE between the gateways aside.
func PolicyBased(e *TunnelEnd) bool {
	for _, ch := range e.Children {
		if ch.RouteBased && !ch.PolicyBased {
			continue
		}
		for _, s := range ch.Selectors {
			if !transportOnly(s, e) && !(s.Local.Bits() == 0 && s.Remote.Bits() == 0) {
				return true
			}
		}
	}
	return false
}

// FreeTunnelNet returns the first /30 of 169.254.100.0–169.254.255.252 that
// overlaps no address or route of the given devices.
func FreeTunnelNet(devs ...*netmodel.Device) netip.Prefix {
	a := netip.MustParseAddr("169.254.100.0")
	for i := 0; i < 156*64; i++ {
		p := netip.PrefixFrom(a, 30)
		if TunnelNetFree(p, devs...) == nil {
			return p
		}
		b := a.As4()
		v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		v += 4
		a = netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	return netip.Prefix{}
}

// TunnelNetFree says why p cannot number a tunnel between devs (not an IPv4
// /30, or overlapping one of their addresses or routes), nil when it can.
func TunnelNetFree(p netip.Prefix, devs ...*netmodel.Device) error {
	if !p.IsValid() || !p.Addr().Is4() || p.Bits() != 30 || p.Masked() != p {
		return fmt.Errorf("%s is not an IPv4 /30 network address", p)
	}
	for _, d := range devs {
		for _, i := range d.Interfaces {
			for _, a := range i.Addrs {
				if a.Overlaps(p) {
					return fmt.Errorf("%s overlaps %s on %s %s", p, a, d.Name, i.Name)
				}
			}
		}
		for _, r := range d.Routes {
			if r.Prefix.Bits() > 0 && r.Prefix.Overlaps(p) {
				return fmt.Errorf("%s overlaps the route %s on %s", p, r.Prefix, d.Name)
			}
		}
	}
	return nil
}

// PlanMigration builds the route-based configuration of tunnel end e (and
// of its partner when it was collected) in design, numbering the tunnel
// interfaces from net. The traffic routed into the tunnel on each end is
// what the other end has behind it (its own local networks), or, for an
// end whose partner is unknown, what its own selectors name.
func PlanMigration(s *netmodel.Snapshot, e *TunnelEnd, design string, net netip.Prefix) (*Migration, error) {
	if design != DesignGRE && design != DesignVTI {
		return nil, fmt.Errorf("design %q: want %s or %s", design, DesignGRE, DesignVTI)
	}
	ends := []*TunnelEnd{e}
	devs := []*netmodel.Device{e.Dev}
	if e.Partner != nil {
		ends = append(ends, e.Partner)
		devs = append(devs, e.Partner.Dev)
	}
	for _, x := range ends {
		if !designSupported(x.Dev.Platform, design) {
			return nil, fmt.Errorf("%s (%s) cannot build %s", x.Dev.Name, platformName(x.Dev.Platform), designName(design))
		}
	}
	if err := TunnelNetFree(net, devs...); err != nil {
		return nil, err
	}
	first := net.Addr().Next()
	addrs := []netip.Addr{first, first.Next()}
	m := &Migration{Design: design, Net: net}
	for i, x := range ends {
		var nets []netip.Prefix
		if x.Partner != nil {
			nets = localNets(x.Partner)
		}
		if len(nets) == 0 {
			nets = RemoteNets(x)
		}
		if len(nets) == 0 {
			return nil, fmt.Errorf("%s: no remote network to route into the tunnel", x.Name())
		}
		public := x.Local
		if !public.IsValid() && x.Partner != nil {
			public = x.Partner.Peer
		}
		me := MigrationEnd{Device: x.Dev.Name, Platform: x.Dev.Platform, Public: public, Addr: addrs[i], Routes: nets}
		peerAddr := addrs[1-i]
		g := &migGen{s: s, e: x, design: design, local: addrs[i], remote: peerAddr, public: public, nets: nets}
		cfg, ifname, err := g.config()
		if err != nil {
			return nil, err
		}
		me.Config, me.Interface = cfg, ifname
		m.Ends = append(m.Ends, me)
	}
	m.Verify = verifySteps(s, m, ends)
	return m, nil
}

func designName(d string) string {
	if d == DesignGRE {
		return "GRE over IPsec"
	}
	return "a route-based (st0/VTI) tunnel"
}

// migGen generates one end's configuration.
type migGen struct {
	s             *netmodel.Snapshot
	e             *TunnelEnd
	design        string
	local, remote netip.Addr // tunnel interface addresses
	public        netip.Addr
	nets          []netip.Prefix
}

// lines returns the raw lines of d's outputs of capability cap.
func rawLines(s *netmodel.Snapshot, d *netmodel.Device, cap string) []string {
	var out []string
	for _, f := range s.Files {
		if f.Device == d.Name && f.Capability == cap {
			out = append(out, f.Lines...)
		}
	}
	return out
}

func (g *migGen) child() *netmodel.ChildConfig {
	for _, ch := range g.e.Children {
		if ch.PolicyBased || !ch.RouteBased {
			return ch
		}
	}
	if len(g.e.Children) > 0 {
		return g.e.Children[0]
	}
	return nil
}

func (g *migGen) config() (netmodel.Fix, string, error) {
	switch g.e.Dev.Platform {
	case netmodel.Junos:
		return g.junos()
	case netmodel.IOS:
		return g.ios()
	case netmodel.ASA:
		return g.asa()
	case netmodel.Linux:
		return g.linux()
	}
	return netmodel.Fix{}, "", fmt.Errorf("%s: the configuration syntax of %s is not known to nettui", g.e.Dev.Name, platformName(g.e.Dev.Platform))
}

var junosTunnelPolicy = regexp.MustCompile(`^set security policies from-zone (\S+) to-zone (\S+) policy (\S+) then permit tunnel ipsec-vpn (\S+)\s*$`)

func junosName(s string) string {
	return strings.NewReplacer(".", "-", ":", "-", "/", "-").Replace(s)
}

func (g *migGen) junos() (netmodel.Fix, string, error) {
	d := g.e.Dev
	ch := g.child()
	if ch == nil {
		return netmodel.Fix{}, "", fmt.Errorf("%s: no IPsec VPN towards %s in its configuration", d.Name, g.e.Peer)
	}
	vpn := ch.Name
	lines := rawLines(g.s, d, "show-configuration-security")
	type pol struct{ from, to, name string }
	var pols []pol
	extZone, gwIf := "", ""
	hasProxy, hasTS, establish := false, false, false
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if m := junosTunnelPolicy.FindStringSubmatch(l); m != nil && m[4] == vpn {
			p := pol{m[1], m[2], m[3]}
			if !slices.Contains(pols, p) {
				pols = append(pols, p)
			}
		}
		if k := ch.IKE; k != "" && strings.HasPrefix(l, "set security ike gateway "+k+" external-interface ") {
			gwIf = strings.TrimPrefix(l, "set security ike gateway "+k+" external-interface ")
		}
		hasProxy = hasProxy || strings.HasPrefix(l, "set security ipsec vpn "+vpn+" ike proxy-identity")
		hasTS = hasTS || strings.HasPrefix(l, "set security ipsec vpn "+vpn+" traffic-selector")
		establish = establish || l == "set security ipsec vpn "+vpn+" establish-tunnels immediately"
	}
	if gwIf != "" {
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) >= 7 && f[1] == "security" && f[2] == "zones" && f[3] == "security-zone" && f[5] == "interfaces" && f[6] == gwIf {
				extZone = f[4]
			}
		}
	}
	if extZone == "" {
		extZone = "untrust"
	}
	var inside []string
	for _, p := range pols {
		for _, z := range []string{p.from, p.to} {
			if z != extZone && z != "junos-host" && !slices.Contains(inside, z) {
				inside = append(inside, z)
			}
		}
	}
	if len(inside) == 0 {
		inside = []string{"trust"}
	}
	c := []string{"configure"}
	for _, p := range pols {
		c = append(c, fmt.Sprintf("delete security policies from-zone %s to-zone %s policy %s", p.from, p.to, p.name))
	}
	if hasProxy {
		c = append(c, fmt.Sprintf("delete security ipsec vpn %s ike proxy-identity", vpn))
	}
	if hasTS {
		c = append(c, fmt.Sprintf("delete security ipsec vpn %s traffic-selector", vpn))
	}
	var ifname, zone, hop string
	if g.design == DesignGRE {
		if !g.public.IsValid() || !g.e.Peer.IsValid() {
			return netmodel.Fix{}, "", fmt.Errorf("%s: its public address is not known: GRE needs it as the tunnel source", d.Name)
		}
		ifname, zone, hop = "gr-0/0/0.0", "gre", g.remote.String()
		me, peer := junosName(d.Name)+"-public", "peer-"+junosName(g.e.Peer.String())
		if g.e.Partner != nil {
			peer = junosName(g.e.Partner.Dev.Name) + "-public"
		}
		c = append(c,
			"set interfaces gr-0/0/0 unit 0 description \"GRE to "+g.e.Peer.String()+", protected by VPN "+vpn+"\"",
			"set interfaces gr-0/0/0 unit 0 tunnel source "+g.public.String(),
			"set interfaces gr-0/0/0 unit 0 tunnel destination "+g.e.Peer.String(),
			"set interfaces gr-0/0/0 unit 0 family inet mtu 1400",
			fmt.Sprintf("set interfaces gr-0/0/0 unit 0 family inet address %s/30", g.local),
			"set security zones security-zone gre interfaces gr-0/0/0.0 host-inbound-traffic system-services ping",
			fmt.Sprintf("set security address-book global address %s %s/32", me, g.public),
			fmt.Sprintf("set security address-book global address %s %s/32", peer, g.e.Peer))
		for _, x := range []struct{ from, to, name, pair, src, dst string }{
			{"junos-host", extZone, "gre-out", "gre-in", me, peer},
			{extZone, "junos-host", "gre-in", "gre-out", peer, me},
		} {
			pfx := fmt.Sprintf("set security policies from-zone %s to-zone %s policy %s ", x.from, x.to, x.name)
			c = append(c, pfx+"match source-address "+x.src, pfx+"match destination-address "+x.dst, pfx+"match application junos-gre",
				pfx+"then permit tunnel ipsec-vpn "+vpn, pfx+"then permit tunnel pair-policy "+x.pair)
		}
	} else if unit, ok := strings.CutPrefix(ch.Interface, "st0."); ok && len(pols) == 0 {
		// Already bound to a tunnel interface: keep it, its zone and its
		// policies; number it and route into it.
		ifname, hop = ch.Interface, ch.Interface
		c = append(c, fmt.Sprintf("set interfaces st0 unit %s family inet address %s/30", unit, g.local))
		if !establish {
			c = append(c, fmt.Sprintf("set security ipsec vpn %s establish-tunnels immediately", vpn))
		}
		for _, n := range g.nets {
			c = append(c, fmt.Sprintf("set routing-options static route %s next-hop %s", n, hop))
		}
		c = append(c, "commit check", "commit")
		return netmodel.Fix{Device: d.Name, Platform: d.Platform, Commands: c}, ifname, nil
	} else {
		unit := 10
		for d.FindInterface(fmt.Sprintf("st0.%d", unit)) != nil {
			unit++
		}
		ifname, zone = fmt.Sprintf("st0.%d", unit), "vpn"
		hop = ifname
		c = append(c,
			fmt.Sprintf("set interfaces st0 unit %d family inet address %s/30", unit, g.local),
			"set security zones security-zone vpn interfaces "+ifname+" host-inbound-traffic system-services ping",
			fmt.Sprintf("set security ipsec vpn %s bind-interface %s", vpn, ifname))
	}
	if !establish {
		c = append(c, fmt.Sprintf("set security ipsec vpn %s establish-tunnels immediately", vpn))
	}
	for _, z := range inside {
		for _, x := range [][3]string{{z, zone, z + "-to-" + zone}, {zone, z, zone + "-to-" + z}} {
			pfx := fmt.Sprintf("set security policies from-zone %s to-zone %s policy %s ", x[0], x[1], x[2])
			c = append(c, pfx+"match source-address any", pfx+"match destination-address any", pfx+"match application any", pfx+"then permit")
		}
	}
	for _, n := range g.nets {
		c = append(c, fmt.Sprintf("set routing-options static route %s next-hop %s", n, hop))
	}
	c = append(c, "commit check", "commit")
	f := netmodel.Fix{Device: d.Name, Platform: d.Platform, Commands: c}
	if len(pols) == 0 {
		f.Note = "no `then permit tunnel ipsec-vpn " + vpn + "` policy was found in the collected configuration: remove whatever picks the traffic for the VPN today"
	}
	return f, ifname, nil
}

// iosBlock returns the lines of the top-level block of a Cisco
// configuration that starts with head (its indented children).
func iosBlock(lines []string, head string) []string {
	var out []string
	in := false
	for _, l := range lines {
		t := strings.TrimRight(l, " ")
		switch {
		case t == head:
			in = true
			out = append(out, t)
		case in && strings.HasPrefix(t, " "):
			out = append(out, t)
		case in:
			return out
		}
	}
	return out
}

// cryptoMapOf splits an IOS crypto map child name "MAP SEQ".
func cryptoMapOf(ch *netmodel.ChildConfig) (name, seq string, ok bool) {
	if ch == nil || !ch.PolicyBased {
		return "", "", false
	}
	name, seq, ok = strings.Cut(ch.Name, " ")
	return name, seq, ok && name != "" && seq != ""
}

func (g *migGen) ios() (netmodel.Fix, string, error) {
	d := g.e.Dev
	ch := g.child()
	lines := rawLines(g.s, d, "show-running-config-crypto")
	c := []string{"configure terminal"}
	var set []string // the crypto map entry's settings the profile keeps
	mapName, seq, isMap := cryptoMapOf(ch)
	if isMap {
		entries := 0
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimRight(l, " "), "crypto map "+mapName+" ") && strings.Contains(l, " ipsec-isakmp") {
				entries++
			}
		}
		for _, l := range iosBlock(lines, "crypto map "+mapName+" "+seq+" ipsec-isakmp") {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, "set transform-set ") || strings.HasPrefix(t, "set pfs") || strings.HasPrefix(t, "set ikev2-profile ") ||
				strings.HasPrefix(t, "set security-association lifetime ") || strings.HasPrefix(t, "set isakmp-profile ") {
				set = append(set, " "+t)
			}
		}
		if entries <= 1 && ch.Interface != "" {
			c = append(c, "interface "+ch.Interface, " no crypto map "+mapName)
		}
		c = append(c, "no crypto map "+mapName+" "+seq)
		if ch.ACL != "" {
			c = append(c, "no ip access-list extended "+ch.ACL)
		}
	}
	if len(set) == 0 {
		set = []string{" set transform-set ESP-AES256-SHA256", " set pfs group14"}
		c = append(c, "crypto ipsec transform-set ESP-AES256-SHA256 esp-aes 256 esp-sha256-hmac", " mode tunnel")
		if g.e.Version() == 2 && len(g.e.IKE) > 0 && g.e.IKE[0].Name != "" {
			set = append(set, " set ikev2-profile "+g.e.IKE[0].Name)
		}
	}
	num := 10
	for d.FindInterface(fmt.Sprintf("Tunnel%d", num)) != nil {
		num++
	}
	ifname := fmt.Sprintf("Tunnel%d", num)
	prof := "VPN-" + strings.NewReplacer(".", "-", ":", "-").Replace(g.e.Peer.String())
	c = append(c, "crypto ipsec profile "+prof)
	c = append(c, set...)
	src := ch.Interface
	if g.public.IsValid() {
		src = g.public.String()
	}
	if src == "" {
		return netmodel.Fix{}, "", fmt.Errorf("%s: neither its public address nor its outside interface is known: the tunnel needs one as its source", d.Name)
	}
	c = append(c, "interface "+ifname)
	if g.design == DesignGRE {
		c = append(c, " description GRE over IPsec to "+g.e.Peer.String())
	} else {
		c = append(c, " description IPsec VTI to "+g.e.Peer.String())
	}
	c = append(c, fmt.Sprintf(" ip address %s 255.255.255.252", g.local), " ip mtu 1400", " ip tcp adjust-mss 1360",
		" tunnel source "+src)
	if g.design == DesignVTI {
		c = append(c, " tunnel mode ipsec ipv4")
	}
	c = append(c, " tunnel destination "+g.e.Peer.String(), " tunnel protection ipsec profile "+prof)
	for _, n := range g.nets {
		c = append(c, fmt.Sprintf("ip route %s %s %s", n.Masked().Addr(), maskOf(n), ifname))
	}
	c = append(c, "end", "copy running-config startup-config")
	return netmodel.Fix{Device: d.Name, Platform: d.Platform, Commands: c}, ifname, nil
}

func (g *migGen) asa() (netmodel.Fix, string, error) {
	d := g.e.Dev
	ch := g.child()
	lines := rawLines(g.s, d, "show-running-config-crypto")
	mapName, seq, isMap := cryptoMapOf(ch)
	var set []string
	outside := "outside"
	if isMap {
		pfx := "crypto map " + mapName + " " + seq + " "
		for _, l := range lines {
			t := strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(t, pfx+"set ikev2 ipsec-proposal "), strings.HasPrefix(t, pfx+"set pfs"),
				strings.HasPrefix(t, pfx+"set security-association lifetime "):
				set = append(set, " "+strings.TrimPrefix(t, pfx))
			case strings.HasPrefix(t, "crypto map "+mapName+" interface "):
				outside = strings.TrimPrefix(t, "crypto map "+mapName+" interface ")
			}
		}
	}
	c := []string{"configure terminal"}
	if len(set) == 0 {
		c = append(c, "crypto ipsec ikev2 ipsec-proposal AES256-SHA256", " protocol esp encryption aes-256", " protocol esp integrity sha-256")
		set = []string{" set ikev2 ipsec-proposal AES256-SHA256", " set pfs group14"}
	}
	prof := "VPN-" + strings.ReplaceAll(g.e.Peer.String(), ".", "-")
	nameif := "vpn-" + strings.ReplaceAll(g.e.Peer.String(), ".", "-")
	c = append(c, "crypto ipsec profile "+prof)
	c = append(c, set...)
	c = append(c, "interface Tunnel10", " nameif "+nameif, fmt.Sprintf(" ip address %s 255.255.255.252", g.local),
		" tunnel source interface "+outside, " tunnel destination "+g.e.Peer.String(), " tunnel mode ipsec ipv4",
		" tunnel protection ipsec profile "+prof)
	if isMap {
		c = append(c, "clear configure crypto map "+mapName+" "+seq)
		if ch.ACL != "" {
			c = append(c, "clear configure access-list "+ch.ACL)
		}
	}
	for _, n := range g.nets {
		c = append(c, fmt.Sprintf("route %s %s %s %s", nameif, n.Masked().Addr(), maskOf(n), g.remote))
	}
	c = append(c, "end", "write memory")
	return netmodel.Fix{Device: d.Name, Platform: d.Platform, Commands: c}, "Tunnel10", nil
}

func (g *migGen) linux() (netmodel.Fix, string, error) {
	d := g.e.Dev
	ch := g.child()
	child := "CHILD"
	if ch != nil && ch.Name != "" {
		child = ch.Name
	}
	dev := "$(ip -o route get " + g.e.Peer.String() + " | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')"
	var c []string
	var ifname string
	if g.design == DesignGRE {
		if !g.public.IsValid() {
			return netmodel.Fix{}, "", errors.New(d.Name + ": its public address is not known: GRE needs it as the tunnel source")
		}
		ifname = "gre10"
		c = []string{
			fmt.Sprintf("ip tunnel add gre10 mode gre local %s remote %s ttl 64", g.public, g.e.Peer),
			fmt.Sprintf("ip addr add %s/30 dev gre10", g.local), "ip link set gre10 mtu 1400 up",
			fmt.Sprintf("# in /etc/swanctl/swanctl.conf, children.%s: local_ts = %s/32[gre], remote_ts = %s/32[gre]", child, g.public, g.e.Peer),
		}
	} else {
		ifname = "ipsec10"
		c = []string{
			"ip link add ipsec10 type xfrm dev " + dev + " if_id 10",
			fmt.Sprintf("ip addr add %s/30 dev ipsec10", g.local), "ip link set ipsec10 up",
			fmt.Sprintf("# in /etc/swanctl/swanctl.conf, children.%s: local_ts = 0.0.0.0/0, remote_ts = 0.0.0.0/0, if_id_in = 10, if_id_out = 10", child),
		}
	}
	c = append(c, "swanctl --load-conns", "swanctl --initiate --child "+child)
	for _, n := range g.nets {
		c = append(c, fmt.Sprintf("ip route add %s dev %s", n, ifname))
	}
	return netmodel.Fix{Device: d.Name, Platform: d.Platform, Commands: c, Note: "make the interface and the routes persistent in the distribution's network configuration"}, ifname, nil
}

// lanAddr is an address d holds inside one of nets (to source a ping
// from), or an invalid address.
func lanAddr(d *netmodel.Device, nets []netip.Prefix) netip.Addr {
	for _, n := range nets {
		for _, i := range d.Interfaces {
			for _, a := range i.Addrs {
				if n.Contains(a.Addr()) {
					return a.Addr()
				}
			}
		}
	}
	return netip.Addr{}
}

// verifySteps are the checks after the change: the IPsec link between the
// public addresses, the tunnel interface across it, then each route.
func verifySteps(s *netmodel.Snapshot, m *Migration, ends []*TunnelEnd) []VerifyStep {
	tun := "the GRE tunnel"
	if m.Design == DesignVTI {
		tun = "the tunnel interface"
	}
	var link, across, routes []netmodel.Fix
	for i, me := range m.Ends {
		e := ends[i]
		d := e.Dev
		farAddr := m.Net.Addr().Next()
		if me.Addr == farAddr {
			farAddr = farAddr.Next()
		}
		far := MigrationEnd{Addr: farAddr}
		peer := e.Peer.String()
		var l, a, r []string
		src := lanAddr(d, localNets(e))
		switch d.Platform {
		case netmodel.Junos:
			l = []string{"show security ike security-associations " + peer, "show security ipsec security-associations", "ping " + peer + " source " + me.Public.String() + " count 5"}
			a = []string{fmt.Sprintf("ping %s source %s count 5", far.Addr, me.Addr), "show interfaces " + me.Interface + " extensive | match packets", "show security ipsec statistics"}
			for _, n := range me.Routes {
				r = append(r, "show route "+n.String())
				if src.IsValid() {
					r = append(r, fmt.Sprintf("ping %s source %s count 5", n.Addr().Next(), src))
				}
			}
		case netmodel.IOS:
			sa := "show crypto ikev2 sa remote " + peer
			if e.Version() == 1 {
				sa = "show crypto isakmp sa"
			}
			l = []string{sa, "show crypto ipsec sa peer " + peer, "ping " + peer + " source " + me.Public.String()}
			a = []string{fmt.Sprintf("ping %s source %s", far.Addr, me.Interface), "show interfaces " + me.Interface + " | include line protocol|packets", "show crypto ipsec sa peer " + peer + " | include encaps|decaps"}
			for _, n := range me.Routes {
				r = append(r, fmt.Sprintf("show ip route %s %s", n.Masked().Addr(), maskOf(n)))
				if src.IsValid() {
					r = append(r, fmt.Sprintf("ping %s source %s", n.Addr().Next(), src))
				}
			}
		case netmodel.ASA:
			l = []string{"show crypto ikev2 sa", "show crypto ipsec sa peer " + peer}
			a = []string{fmt.Sprintf("ping %s", far.Addr), "show interface Tunnel10"}
			for _, n := range me.Routes {
				r = append(r, fmt.Sprintf("show route %s %s", n.Masked().Addr(), maskOf(n)))
			}
		case netmodel.Linux:
			l = []string{"swanctl --list-sas", "ping -c 5 " + peer}
			a = []string{fmt.Sprintf("ping -c 5 -I %s %s", me.Interface, far.Addr), "ip -s link show " + me.Interface, "ip -s xfrm state"}
			for _, n := range me.Routes {
				r = append(r, "ip route get "+n.Addr().Next().String())
				if src.IsValid() {
					r = append(r, fmt.Sprintf("ping -c 5 -I %s %s", src, n.Addr().Next()))
				}
			}
		default:
			continue
		}
		link = append(link, netmodel.Fix{Device: d.Name, Platform: d.Platform, Commands: l})
		across = append(across, netmodel.Fix{Device: d.Name, Platform: d.Platform, Commands: a})
		if len(r) > 0 {
			routes = append(routes, netmodel.Fix{Device: d.Name, Platform: d.Platform, Commands: r})
		}
	}
	return []VerifyStep{
		{Title: "The IPsec link", Expect: "the IKE SA is up, one child SA pair for the tunnel (not one per network pair), and the peer's public address answers", Commands: link},
		{Title: "Across " + tun, Expect: fmt.Sprintf("the far tunnel address in %s answers, and the IPsec encrypt/decrypt counters rise with the pings: %s runs inside IPsec", m.Net, tun), Commands: across},
		{Title: "The routes", Expect: "every remote network is routed into " + tun + ", and a ping sourced from a local network reaches a host behind the far end", Commands: routes},
	}
}
