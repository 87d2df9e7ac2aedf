package parse

import (
	"io"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// "show ip route [vrf X]" (IOS/IOS-XE) and "show route" (ASA).
//
// IOS:
//
//	Routing Table: TRI
//	Codes: L - local, C - connected, S - static, ...
//	Gateway of last resort is 10.10.254.3 to network 0.0.0.0
//	B*    0.0.0.0/0 [200/0] via 10.10.254.3, 1d05h
//	      10.0.0.0/8 is variably subnetted, 22 subnets, 8 masks
//	C        10.10.254.0/29 is directly connected, Vlan3101
//	B        10.10.0.0/18 [200/0], 3w4d, Null0
//	B        10.20.0.0/16 [200/0] via 10.10.254.10 (AMB), 3w4d
//	     1.0.0.0/32 is subnetted, 1 subnets
//	S       1.1.1.1 [1/0] via 212.0.0.1
//	                [1/0] via 192.168.0.1
//	O E2    10.63.184.0/23
//	           [110/20] via 10.62.4.29, 12:55:19, TenGigabitEthernet1/15
//
// ASA (masks instead of lengths, interface names as nameif):
//
//	S* 0.0.0.0 0.0.0.0 [10] via 10.16.251.1, outside
//	                    via 10.16.251.2, pod1000
//	V        10.10.1.4 255.255.255.255
//	                        connected by VPN (advertised), admin
//
// One Route per next hop: a route with two next hops gives two entries.
// Entries without a mask or length take it from the "is subnetted" line
// above them, else their class. The reader works on string cuts without
// regular expressions or per-route allocations (a table of any size costs
// about a dozen allocations; BenchmarkIOSRoute reads a million routes).

var (
	// show ip route [vrf X] [...]; show route [...] (ASA)
	iosrouteCmdRE = regexp.MustCompile(`(?i)^` + ioscrAbbr("show", 2) + `\s+ip\s+` + ioscrAbbr("route", 2) + `(?:\s+\S+)*` + ioscrPipe)
	asaRouteCmdRE = regexp.MustCompile(`(?i)^` + ioscrAbbr("show", 2) + `\s+` + ioscrAbbr("route", 3) + `(?:\s+\S+)*` + ioscrPipe)
)

// iosrouteField returns the next space-separated field of s from i and the
// index after it.
func iosrouteField(s string, i int) (string, int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	j := i
	for j < len(s) && s[j] != ' ' && s[j] != '\t' {
		j++
	}
	return s[i:j], j
}

// iosrouteIsCode reports a route-code token: "C", "O", "E2", "O*E2", "B*", "SI", "i", "L2".
func iosrouteIsCode(t string) bool {
	if t == "" || len(t) > 4 {
		return false
	}
	letter := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			letter = true
		case c == '*':
			letter = true
		case c >= '0' && c <= '9' || c == '+' || c == '%' || c == '&':
		default:
			return false
		}
	}
	return letter
}

// iosrouteLooksAddr reports a token that starts like an IPv4 address.
func iosrouteLooksAddr(t string) bool {
	return len(t) >= 7 && t[0] >= '0' && t[0] <= '9' && strings.IndexByte(t, '.') > 0
}

// iosrouteProto maps the first route code to the model's protocol name.
func iosrouteProto(code string) string {
	n := 0
	for n < len(code) && (code[n] >= 'A' && code[n] <= 'Z' || code[n] >= 'a' && code[n] <= 'z') {
		n++
	}
	switch code[:n] {
	case "C":
		return "connected"
	case "L":
		return "local"
	case "S", "U", "SI":
		return "static"
	case "R":
		return "rip"
	case "M":
		return "mobile"
	case "B":
		return "bgp"
	case "D", "EX":
		return "eigrp"
	case "O":
		return "ospf"
	case "i", "I":
		if code[:n] == "I" {
			return "igrp"
		}
		return "isis"
	case "o":
		return "odr"
	case "P":
		return "periodic"
	case "H":
		return "nhrp"
	case "l":
		return "lisp"
	case "a":
		return "application"
	case "V":
		return "vpn"
	case "E":
		return "egp"
	case "":
		if strings.HasPrefix(code, "*") {
			return "candidate-default"
		}
	}
	return "other"
}

// iosrouteIsAge reports a route age: "1d18h", "00:12:01", "2w0d", "0:19:52".
func iosrouteIsAge(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == ':' || c == 'd' || c == 'h' || c == 'w' || c == 'm' || c == 'y' || c == 's') {
			return false
		}
	}
	return true
}

// iosrouteClassful is the classful length of an address.
func iosrouteClassful(a netip.Addr) int {
	b := a.As4()[0]
	switch {
	case b < 128:
		return 8
	case b < 192:
		return 16
	}
	return 24
}

// iosrouteDetail reads what follows the prefix: "[AD/metric] via NH[ (VRF)],
// age, IF", "is directly connected, [age,] IF", "[AD/metric], age, Null0",
// "is a summary, age, Null0", "connected by VPN (advertised), IF". It
// reports whether there was anything to read and a problem, if any.
func iosrouteDetail(s string, r *netmodel.Route, ifs map[string]string, p netmodel.Platform) (bool, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return false, ""
	}
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return true, "unclosed [distance/metric]"
		}
		in := s[1:end]
		ad, metric, hasMetric := strings.Cut(in, "/")
		n, err := strconv.Atoi(ad)
		if err != nil || n < 0 {
			return true, "distance " + strconv.Quote(ad)
		}
		r.Distance = n
		if hasMetric {
			m, err := strconv.ParseUint(metric, 10, 32)
			if err != nil {
				return true, "metric " + strconv.Quote(metric)
			}
			r.Metric = int(m)
		}
		s = strings.TrimLeft(s[end+1:], " ,")
	}
	switch {
	case strings.HasPrefix(s, "via "):
		s = strings.TrimLeft(s[4:], " ")
		j := 0
		for j < len(s) && s[j] != ',' && s[j] != ' ' {
			j++
		}
		nh, err := netip.ParseAddr(s[:j])
		if err != nil {
			return true, "next hop " + strconv.Quote(s[:j])
		}
		r.NextHop = nh
		s = strings.TrimLeft(s[j:], " ")
		if strings.HasPrefix(s, "(") { // the next hop's VRF: "via 10.10.254.10 (AMB)"
			if k := strings.IndexByte(s, ')'); k >= 0 {
				s = s[k+1:]
			}
		}
	case strings.HasPrefix(s, "is directly connected"):
		s = s[len("is directly connected"):]
	case strings.HasPrefix(s, "is a summary"):
		s = s[len("is a summary"):]
	case strings.HasPrefix(s, "connected by VPN"):
		if k := strings.IndexByte(s, ')'); k >= 0 {
			s = s[k+1:]
		} else {
			s = s[len("connected by VPN"):]
		}
	}
	// The rest: ", age, interface" in some order; the interface is the
	// last field that is not an age.
	iface := ""
	for s != "" {
		var f string
		if k := strings.IndexByte(s, ','); k >= 0 {
			f, s = s[:k], s[k+1:]
		} else {
			f, s = s, ""
		}
		f = strings.TrimSpace(f)
		if f == "" || iosrouteIsAge(f) {
			continue
		}
		if strings.HasSuffix(f, " tunneled") { // ASA: a default route for tunnelled traffic
			f = strings.TrimSpace(f[:len(f)-len(" tunneled")])
		}
		if k := strings.IndexByte(f, ' '); k > 0 && iosrouteIsAge(f[:k]) { // "10d 7h:26m"
			continue
		}
		iface = f
	}
	if iface != "" {
		if p == netmodel.IOS {
			c, ok := ifs[iface]
			if !ok {
				c = netmodel.CanonicalIfName(netmodel.IOS, iface)
				ifs[iface] = c
			}
			iface = c
		}
		r.Interface = iface
	}
	return true, ""
}

// iosrouteLine classifies a line: a route entry (codes, prefix, detail), a
// continuation of the previous entry, an "is subnetted" header or none.
type iosrouteKind int

const (
	iosrouteOther iosrouteKind = iota
	iosrouteEntry
	iosrouteCont
	iosrouteHeader
	iosrouteName // an ASA entry naming the network by a `names` name
)

// iosrouteClassify looks at a trimmed line. For an entry it returns the
// first code, the prefix text and the index in t after the prefix (and
// mask); asa is true for the "address mask" form.
func iosrouteClassify(t string) (kind iosrouteKind, code, addr, mask string, rest int) {
	if t == "" {
		return iosrouteOther, "", "", "", 0
	}
	switch t[0] {
	case '[':
		return iosrouteCont, "", "", "", 0
	case 'v':
		if strings.HasPrefix(t, "via ") {
			return iosrouteCont, "", "", "", 0
		}
	case 'i':
		if strings.HasPrefix(t, "is directly connected") || strings.HasPrefix(t, "is a summary") {
			return iosrouteCont, "", "", "", 0
		}
	case 'c':
		if strings.HasPrefix(t, "connected by VPN") {
			return iosrouteCont, "", "", "", 0
		}
	}
	tok, i := iosrouteField(t, 0)
	if iosrouteLooksAddr(tok) {
		if strings.Contains(t[i:], "subnetted") {
			return iosrouteHeader, "", tok, "", i
		}
		return iosrouteOther, "", "", "", 0
	}
	ncodes := 0
	for {
		if !iosrouteIsCode(tok) || ncodes == 3 {
			if ncodes > 0 {
				// "S  Server1 255.255.255.255 [1/0] via ..." (ASA names)
				next, _ := iosrouteField(t, i)
				if _, ok := ioscrMaskBits(next); ok && strings.HasPrefix(next, "255.") {
					return iosrouteName, code, tok, next, 0
				}
			}
			return iosrouteOther, "", "", "", 0
		}
		if ncodes == 0 {
			code = tok
		}
		ncodes++
		tok, i = iosrouteField(t, i)
		if iosrouteLooksAddr(tok) {
			break
		}
		if tok == "" {
			return iosrouteOther, "", "", "", 0
		}
	}
	addr = tok
	if strings.IndexByte(tok, '/') < 0 {
		next, j := iosrouteField(t, i)
		if iosrouteLooksAddr(next) {
			if _, ok := ioscrMaskBits(next); ok || strings.HasPrefix(next, "255.") {
				return iosrouteEntry, code, addr, next, j
			}
		}
	}
	return iosrouteEntry, code, addr, "", i
}

// iosrouteDetect tells IOS from ASA route tables (and from EOS and NX-OS
// ones, which print "VRF: " / "Gateway of last resort:" / "IP Route Table
// for VRF" and indent their entries).
func iosrouteDetect(lines []string) netmodel.Platform {
	ios, asa, seen := 0, 0, 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if seen++; seen > 400 {
			break
		}
		if strings.HasPrefix(t, "VRF: ") || strings.HasPrefix(t, "Gateway of last resort:") || strings.HasPrefix(t, "IP Route Table for VRF") {
			return netmodel.PlatformUnknown
		}
		// Configuration, not a routing table (an ASA config has "http NET
		// MASK inside" lines that look like routes).
		for _, k := range []string{"crypto ", "interface ", "access-list ", "tunnel-group ", "object ", "object-group ", "hostname ", "ssh ", "http ", "route ", "nameif ", "ASA Version", ": Saved",
			"src ", "dir ", "tmpl ", "sel ", "proto esp", "socket ", "mark "} { // ip xfrm state/policy
			if strings.HasPrefix(t, k) {
				return netmodel.PlatformUnknown
			}
		}
		if strings.HasPrefix(t, "Routing Table: ") {
			ios++
			continue
		}
		kind, _, addr, mask, _ := iosrouteClassify(t)
		switch kind {
		case iosrouteHeader:
			ios++
		case iosrouteName:
			asa++
		case iosrouteEntry:
			if mask != "" {
				asa++
			} else if strings.IndexByte(addr, '/') > 0 && l[0] != ' ' && l[0] != '\t' {
				ios++
			}
		}
	}
	switch {
	case asa > 0 && ios == 0:
		return netmodel.ASA
	case ios > 0 && asa == 0:
		return netmodel.IOS
	}
	return netmodel.PlatformUnknown
}

func iosrouteParse(r io.Reader, p netmodel.Platform) ([]netmodel.Route, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return nil, err
	}
	var (
		errs     ioscrErrs
		out      = make([]netmodel.Route, 0, len(lines))
		vrf      string
		hdr      netip.Prefix // the network of the last "is subnetted" line
		hdrBits  = -1
		base     netmodel.Route // the last entry, for continuation lines
		haveBase bool
		pending  = -1 // index in out of an entry still waiting for its next hop
		header   bool
		ifs      = map[string]string{}
	)
	closePending := func() {
		if pending >= 0 {
			errs.addf(out[pending].Src.Start, "route %s: no next hop or interface follows (output truncated?)", out[pending].Prefix)
			pending = -1
		}
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		kind, code, addr, mask, rest := iosrouteClassify(t)
		switch kind {
		case iosrouteOther:
			switch {
			case strings.HasPrefix(t, "Routing Table: "):
				closePending()
				vrf = strings.TrimSpace(t[len("Routing Table: "):])
				hdrBits, haveBase, header = -1, false, true
			case strings.HasPrefix(t, "Codes:") || strings.HasPrefix(t, "Gateway of last resort"):
				header = true
			}
			continue
		case iosrouteName:
			closePending()
			haveBase = false
			errs.addf(ln, "route to %q: the ASA printed a name from `names`, not an address (collect it with `no names` configured)", addr)
			continue
		case iosrouteHeader:
			closePending()
			pr, err := netip.ParsePrefix(addr)
			if err != nil {
				errs.addf(ln, "network %q is not a prefix", addr)
				continue
			}
			// "1.0.0.0/32 is subnetted": the classful network 1.0.0.0/8
			// cut into /32 subnets.
			hdr, hdrBits = netip.PrefixFrom(pr.Addr(), iosrouteClassful(pr.Addr())).Masked(), -1
			if !strings.Contains(t, "variably") {
				hdrBits = pr.Bits()
			}
			continue
		case iosrouteCont:
			if !haveBase {
				errs.addf(ln, "next hop line without a route before it")
				continue
			}
			var rt netmodel.Route
			if pending >= 0 {
				rt = out[pending]
				pending = -1
				out = out[:len(out)-1]
			} else {
				rt = base
				rt.NextHop, rt.Interface = netip.Addr{}, ""
				rt.Src = netmodel.Lines(ln, ln)
			}
			if _, bad := iosrouteDetail(t, &rt, ifs, p); bad != "" {
				errs.addf(ln, "route %s: %s", rt.Prefix, bad)
			}
			rt.Src.End = ln
			out = append(out, rt)
			base = rt
			continue
		}
		// An entry.
		closePending()
		var pr netip.Prefix
		switch {
		case mask != "":
			a, err := netip.ParseAddr(addr)
			bits, ok := ioscrMaskBits(mask)
			if err != nil || !a.Is4() || !ok {
				errs.addf(ln, "route %s %s: not an address and netmask", addr, mask)
				haveBase = false
				continue
			}
			pr = netip.PrefixFrom(a, bits).Masked()
		case strings.IndexByte(addr, '/') > 0:
			pr, err = netip.ParsePrefix(addr)
			if err != nil || !pr.Addr().Is4() {
				errs.addf(ln, "route %q: not a prefix", addr)
				haveBase = false
				continue
			}
			pr = pr.Masked()
		default:
			a, err := netip.ParseAddr(addr)
			if err != nil || !a.Is4() {
				errs.addf(ln, "route %q: not an address", addr)
				haveBase = false
				continue
			}
			bits := iosrouteClassful(a)
			if hdrBits >= 0 && hdr.Contains(a) {
				bits = hdrBits
			}
			pr = netip.PrefixFrom(a, bits).Masked()
		}
		rt := netmodel.Route{VRF: vrf, Prefix: pr, Protocol: iosrouteProto(code), Active: true, Src: netmodel.Lines(ln, ln)}
		more, bad := iosrouteDetail(t[rest:], &rt, ifs, p)
		if bad != "" {
			errs.addf(ln, "route %s: %s", pr, bad)
		}
		out = append(out, rt)
		base, haveBase = rt, true
		if !more {
			pending = len(out) - 1
		}
	}
	closePending()
	if len(out) == 0 && !header {
		errs.addf(0, "no routes and no route table header found")
	}
	return out, errs.err()
}

// iosrouteMerge adds the routes, stamping the file.
func iosrouteMerge(d *netmodel.Device, file, _ string, routes []netmodel.Route) {
	for i := range routes {
		routes[i].Src.File = file
	}
	if d.Routes == nil {
		d.Routes = routes
		return
	}
	d.Routes = append(d.Routes, routes...)
}
