package parse

// ip route show table all (text) and ip -j route show table all (JSON,
// recognised by its first character):
//
//	default via 172.31.0.254 dev ike0 metric 200 onlink
//	10.2.0.0/24 dev ipsec0 table 220 proto static src 10.1.0.1
//	172.31.0.0/24 dev ike0 proto kernel scope link src 172.31.0.1
//	blackhole 198.51.100.0/24
//	local 10.1.0.1 dev lo table local proto kernel scope host src 10.1.0.1
//	default proto static metric 100
//		nexthop via 10.0.0.1 dev eth0 weight 1
//		nexthop via 10.0.1.1 dev eth1 weight 1
//
// Route.VRF is the routing table: "" for main (which iproute2 does not
// name), else the table as printed ("220" — strongSwan's —, "default",
// or a name from rt_tables). Table local, and the local, broadcast,
// multicast and anycast route types, describe the host's own addresses
// rather than forwarding: they are left out. Protocol: proto kernel without
// a gateway (the prefix of an address of the host) is "connected"; no proto (boot, which iproute2
// does not print) and proto static are "static"; others as printed (kernel,
// dhcp, ra, bgp, ospf, zebra, bird, ...). blackhole / unreachable /
// prohibit / throw routes have that word as Interface and no next hop.
// A multipath route gives one Route per nexthop. linkdown / dead routes
// are not Active. "default" is IPv6 when a gateway, "pref" or "error" says so.
//
// The text parser makes no allocation per route (a benchmark parses a
// million): it slices the input, and interface names and tables are
// substrings of it.

import (
	"io"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ip route, ip -4 route show table all, ip -j route list table main, ip r s
// vrf blue (not "ip route get", whose output is one lookup).
var linuxRouteCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ip(?:\s+-\S+)*\s+(?:r|ro|rou|rout|route)(?:\s+(?:show|list|ls|lst|l|s|sh))?` +
	`(?:\s+(?:all|(?:table|vrf|proto|protocol|dev|type|scope|via|src|metric|root|match|exact)\s+\S+))*\s*$`)

func init() {
	register(Entry{
		Platform: netmodel.Linux, Capability: CapLinuxRoute, Command: "ip route show table all",
		CommandRE: linuxRouteCmdRE, Detect: linuxDetectRoute, Order: linuxOrderRoute,
	}, linuxParseRoutes, linuxMergeRoutes)
}

// Route types that describe the host's own addresses.
func linuxLocalType(t string) bool {
	return t == "local" || t == "broadcast" || t == "multicast" || t == "anycast"
}

// Route types without a next hop that drop or refuse.
func linuxRejectType(t string) bool {
	return t == "blackhole" || t == "unreachable" || t == "prohibit" || t == "throw"
}

func linuxRouteType(t string) bool {
	return t == "unicast" || t == "nat" || linuxLocalType(t) || linuxRejectType(t)
}

// linuxTok returns the blank-separated word of s starting at or after i, and
// the index after it.
func linuxTok(s string, i int) (string, int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	j := i
	for j < len(s) && s[j] != ' ' && s[j] != '\t' {
		j++
	}
	return s[i:j], j
}

func linuxDetectRoute(lines []string) bool {
	first, _ := FirstNonBlank(lines)
	if first == "" {
		return false
	}
	if first[0] == '[' {
		head := strings.Join(swanNonBlank(lines, 3), "")
		return strings.HasPrefix(strings.ReplaceAll(head, " ", ""), `[{"`) && strings.Contains(head, `"dst":`)
	}
	seen := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "nexthop ") {
			continue
		}
		w, j := linuxTok(t, 0)
		if linuxRouteType(w) {
			w, j = linuxTok(t, j)
		}
		if w != "default" && !linuxIsPrefix(w) {
			return false
		}
		next, _ := linuxTok(t, j)
		switch next {
		case "via", "dev", "proto", "metric", "table", "scope", "from", "nhid", "src", "tos", "":
		default:
			return false
		}
		if seen++; seen == 3 {
			break
		}
	}
	return seen > 0
}

func linuxIsPrefix(w string) bool {
	if strings.IndexByte(w, '/') >= 0 {
		_, err := netip.ParsePrefix(w)
		return err == nil
	}
	_, err := netip.ParseAddr(w)
	return err == nil
}

func linuxParseRoutes(r io.Reader) ([]netmodel.Route, error) {
	var text string
	var lines []string
	if lr, ok := r.(*LinesReader); ok && lr.r == nil {
		lines = lr.lines
		if first, _ := FirstNonBlank(lines); strings.HasPrefix(first, "[") {
			text = strings.Join(lines, "\n")
			lines = nil
		}
	} else {
		var err error
		if text, err = linuxReadAll(r); err != nil {
			return nil, err
		}
	}
	if lines == nil {
		if t := strings.TrimLeft(text, " \t\r\n"); strings.HasPrefix(t, "[") {
			return linuxParseRoutesJSON(text)
		}
	}
	var p linuxRouteParser
	if lines != nil {
		p.routes = make([]netmodel.Route, 0, len(lines))
		for i, l := range lines {
			p.line(strings.TrimRight(l, "\r"), i+1)
		}
	} else {
		p.routes = make([]netmodel.Route, 0, strings.Count(text, "\n")+1)
		n := 0
		for len(text) > 0 {
			n++
			l := text
			if j := strings.IndexByte(text, '\n'); j >= 0 {
				l, text = text[:j], text[j+1:]
			} else {
				text = ""
			}
			p.line(strings.TrimRight(l, "\r"), n)
		}
	}
	if p.err != nil {
		return p.routes, p.err
	}
	return p.routes, nil
}

// linuxReadAll reads r into one string without the copies of io.ReadAll
// and a []byte→string conversion (a million routes are 70 MB of text).
func linuxReadAll(r io.Reader) (string, error) {
	var b strings.Builder
	if l, ok := r.(interface{ Len() int }); ok {
		b.Grow(l.Len())
	}
	_, err := io.Copy(&b, r)
	return b.String(), err
}

// linuxRouteParser reads text routes line by line.
type linuxRouteParser struct {
	routes []netmodel.Route
	err    *Error
	// the head of a multipath route, for its nexthop lines
	multi     netmodel.Route
	multiOK   bool
	multiUsed bool
}

func (p *linuxRouteParser) fail(n int, msg string) {
	if p.err == nil {
		p.err = &Error{Line: n, Msg: msg}
	}
}

func (p *linuxRouteParser) line(l string, n int) {
	if len(l) == 0 {
		return
	}
	if l[0] == ' ' || l[0] == '\t' {
		t, j := linuxTok(l, 0)
		if t == "" {
			return
		}
		if t != "nexthop" {
			p.fail(n, "unrecognised route line")
			return
		}
		if !p.multiOK {
			return
		}
		r := p.multi
		r.Src = netmodel.Source{Start: r.Src.Start, End: n}
		p.fields(&r, l, j, n)
		if r.Interface != "" || r.NextHop.IsValid() {
			if !p.multiUsed {
				p.multiUsed = true
				// the head line was stored without a next hop: replace it
				p.routes[len(p.routes)-1] = r
			} else {
				p.routes = append(p.routes, r)
			}
			// later nexthops widen the head's source to this line
			for k := len(p.routes) - 1; k >= 0 && p.routes[k].Src.Start == r.Src.Start; k-- {
				p.routes[k].Src.End = n
			}
		}
		return
	}
	p.multiOK = false
	var r netmodel.Route
	r.Active = true
	r.Src = netmodel.Source{Start: n, End: n}
	w, j := linuxTok(l, 0)
	typ := ""
	if linuxRouteType(w) {
		typ = w
		w, j = linuxTok(l, j)
	}
	dst := w
	local := linuxLocalType(typ)
	v6hint := p.fields(&r, l, j, n)
	if r.VRF == "local" || local {
		return
	}
	if r.VRF == "main" {
		r.VRF = ""
	}
	v6 := r.NextHop.Is6() || v6hint
	switch {
	case dst == "default":
		if v6 {
			r.Prefix = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
		} else {
			r.Prefix = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		}
	case strings.IndexByte(dst, '/') >= 0:
		pf, err := netip.ParsePrefix(dst)
		if err != nil {
			p.fail(n, "bad destination "+strconv.Quote(dst))
			return
		}
		r.Prefix = pf.Masked()
	default:
		a, err := netip.ParseAddr(dst)
		if err != nil {
			p.fail(n, "bad destination "+strconv.Quote(dst))
			return
		}
		r.Prefix = netip.PrefixFrom(a, a.BitLen())
	}
	if linuxRejectType(typ) {
		r.Interface, r.NextHop = typ, netip.Addr{}
		if r.Protocol == "connected" {
			r.Protocol = "kernel"
		}
	}
	if r.Protocol == "" {
		r.Protocol = "static" // proto boot is not printed
	}
	p.routes = append(p.routes, r)
	if r.Interface == "" && !r.NextHop.IsValid() && typ == "" {
		// "default proto static metric 100" followed by nexthop lines
		p.multi, p.multiOK, p.multiUsed = r, true, false
	}
}

// fields reads the key/value words of a route (or nexthop) line from j. It
// reports words only IPv6 routes have (pref, error).
func (p *linuxRouteParser) fields(r *netmodel.Route, l string, j, n int) (v6hint bool) {
	proto := ""
	for {
		var k string
		k, j = linuxTok(l, j)
		if k == "" {
			break
		}
		switch k {
		case "via":
			v, j2 := linuxTok(l, j)
			if v == "inet" || v == "inet6" {
				v, j2 = linuxTok(l, j2)
			}
			j = j2
			a, err := netip.ParseAddr(v)
			if err != nil {
				p.fail(n, "bad gateway "+strconv.Quote(v))
				continue
			}
			r.NextHop = a
		case "dev":
			r.Interface, j = linuxTok(l, j)
		case "table":
			r.VRF, j = linuxTok(l, j)
		case "proto":
			proto, j = linuxTok(l, j)
		case "scope":
			_, j = linuxTok(l, j)
		case "metric":
			var s string
			s, j = linuxTok(l, j)
			m, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				p.fail(n, "bad metric "+strconv.Quote(s))
				continue
			}
			r.Metric = int(m)
		case "linkdown", "dead":
			r.Active = false
		case "pref", "error":
			v6hint = true
			_, j = linuxTok(l, j)
		case "mtu", "advmss", "window", "rtt", "rttvar", "cwnd", "initcwnd", "initrwnd", "hoplimit", "ssthresh",
			"reordering", "rto_min", "quickack", "features", "congctl":
			var s string
			s, j = linuxTok(l, j)
			if s == "lock" {
				_, j = linuxTok(l, j)
			}
		case "src", "from", "tos", "dsfield", "realm", "realms", "nhid", "weight", "expires", "ttl-propagate",
			"fastopen_no_cookie", "cache", "ipid", "age", "users", "used":
			_, j = linuxTok(l, j)
		case "encap":
			j = p.skipEncap(r, l, j)
		}
	}
	switch proto {
	case "kernel":
		if !r.NextHop.IsValid() {
			r.Protocol = "connected"
		} else {
			r.Protocol = "kernel"
		}
	case "", "boot", "static":
		if proto != "" {
			r.Protocol = "static"
		}
	default:
		r.Protocol = linuxProtoName(proto)
	}
	return v6hint
}

// skipEncap ignores lightweight-tunnel encapsulation (mpls, seg6, ...):
// the route keeps what was read before it.
func (p *linuxRouteParser) skipEncap(r *netmodel.Route, l string, j int) int {
	for {
		var k string
		k, j = linuxTok(l, j)
		switch k {
		case "":
			return j
		case "dev":
			r.Interface, j = linuxTok(l, j)
		}
	}
}

// linuxProtoName returns the protocols iproute2 names as constants, so the
// model does not keep the input alive for them.
func linuxProtoName(p string) string {
	for _, k := range []string{"dhcp", "ra", "zebra", "bird", "bgp", "ospf", "isis", "rip", "babel", "redirect",
		"keepalived", "openr", "mrouted", "gated", "xorp", "ntk", "dnrouted", "eigrp", "static", "kernel"} {
		if p == k {
			return k
		}
	}
	return p
}

func linuxMergeRoutes(d *netmodel.Device, file, _ string, routes []netmodel.Route) {
	for i := range routes {
		routes[i].Src.File = file
	}
	if d.Routes == nil {
		d.Routes = routes
		return
	}
	d.Routes = append(d.Routes, routes...)
}
