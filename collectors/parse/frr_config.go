package parse

// FRR `show running-config`, read for its static routes:
//
//	Building configuration...
//
//	Current configuration:
//	!
//	frr version 8.4.4
//	frr defaults traditional
//	hostname rt1
//	!
//	ip route 0.0.0.0/0 192.0.2.6
//	ip route 10.2.1.0/24 eth0
//	ip route 10.2.3.0/24 10.9.0.2 250
//	ip route 10.3.0.0/24 10.9.9.9
//	ip route 198.51.100.0/24 blackhole
//	!
//	vrf blue
//	 ip route 10.8.0.0/24 10.9.0.2
//	exit-vrf
//
// Each `ip route` / `ipv6 route` line is one next hop of one static
// (ECMP statics are one line per next hop): PREFIX (or ADDRESS MASK), then
// a gateway address, an interface, or blackhole / Null0 / reject, then
// optionally an interface after the gateway, and the options tag N,
// distance (a bare number), vrf NAME, nexthop-vrf NAME, table N, label X,
// color N, onlink. Inside a `vrf NAME` block the VRF is NAME; `vrf NAME`
// on the line itself says the same.
//
// The model gets Routes with Protocol static, Configured set and Active
// false (what was configured, not what is used), Distance (1 unless given).

import (
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

func frrParseRunConfig(r io.Reader) ([]netmodel.Route, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		out   []netmodel.Route
		first *Error
		vrf   string
	)
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "vrf "):
			vrf = frrVRF(strings.TrimSpace(t[4:]))
			continue
		case t == "exit-vrf" || (t == "exit" && vrf != "" && !strings.HasPrefix(l, " ")):
			vrf = ""
			continue
		case strings.HasPrefix(t, "ip route ") || strings.HasPrefix(t, "ipv6 route "):
		default:
			continue
		}
		r, err := frrStaticLine(t, vrf)
		if err != "" {
			if first == nil {
				first = errorf(n, "%s", err)
			}
			continue
		}
		r.Src = netmodel.Source{Start: n, End: n}
		out = append(out, r)
	}
	if first != nil {
		return out, first
	}
	return out, nil
}

// frrStaticLine reads one `ip route` / `ipv6 route` line.
func frrStaticLine(t, vrf string) (netmodel.Route, string) {
	r := netmodel.Route{VRF: vrf, Protocol: "static", Distance: 1, Configured: true}
	f := strings.Fields(t)
	v6 := f[0] == "ipv6"
	f = f[2:]
	if len(f) < 2 {
		return r, "static route without a next hop"
	}
	pf, err := netip.ParsePrefix(f[0])
	if err != nil {
		// ADDRESS MASK
		a, err1 := netip.ParseAddr(f[0])
		m, err2 := netip.ParseAddr(f[1])
		bits, ok := ioscrMaskBits(f[1])
		if err1 != nil || err2 != nil || !ok || !a.Is4() || !m.Is4() {
			return r, "bad destination " + strconv.Quote(f[0])
		}
		pf = netip.PrefixFrom(a, bits)
		f = f[1:]
	}
	if pf.Addr().Is6() != v6 {
		return r, "destination " + strconv.Quote(f[0]) + " of the wrong family"
	}
	r.Prefix = pf.Masked()
	f = f[1:]
	if len(f) == 0 {
		return r, "static route without a next hop"
	}
	switch nh := f[0]; {
	case nh == "blackhole" || strings.EqualFold(nh, "Null0"):
		r.Interface = "blackhole"
	case nh == "reject":
		r.Interface = "unreachable"
	default:
		if a, err := netip.ParseAddr(nh); err == nil {
			r.NextHop = a
		} else {
			r.Interface = nh
		}
	}
	f = f[1:]
	for k := 0; k < len(f); k++ {
		w := f[k]
		switch w {
		case "tag", "table", "label", "color", "segments":
			k++
		case "vrf":
			if k+1 < len(f) {
				r.VRF = frrVRF(f[k+1])
			}
			k++
		case "nexthop-vrf":
			k++
		case "onlink", "blackhole", "reject":
		case "bfd":
			return r, "" // the rest configures BFD for the next hop
		default:
			if d, err := strconv.Atoi(w); err == nil && d >= 1 && d <= 255 {
				r.Distance = d
				continue
			}
			if r.NextHop.IsValid() && r.Interface == "" && k == 0 {
				r.Interface = w // ip route P GATEWAY IFNAME
				continue
			}
			return r, "unrecognised word " + strconv.Quote(w) + " in a static route"
		}
	}
	return r, ""
}
