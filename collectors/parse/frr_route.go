package parse

// FRR `show ip route [vrf NAME|all] [json]`: the RIB zebra holds.
//
// Text (FRR 8):
//
//	Codes: K - kernel route, C - connected, S - static, R - RIP,
//	       ...
//	       > - selected route, * - FIB route, q - queued, r - rejected, b - backup
//	       t - trapped, o - offload failure
//
//	S>* 0.0.0.0/0 [1/0] via 192.0.2.6, up0, weight 1, 00:00:39
//	C>* 10.1.0.0/24 is directly connected, lan0, 00:00:39
//	S>  10.2.2.0/24 [1/0] via 10.2.0.5 (recursive), weight 1, 00:00:39
//	  *                     via 10.9.0.2, eth0, weight 1, 00:00:39
//	S>* 10.2.4.0/24 [1/0] via 10.9.0.2, eth0, weight 1, 00:00:38
//	  *                   via 192.0.2.2, up0, weight 1, 00:00:38
//	S>* 198.51.100.0/24 [1/0] unreachable (blackhole), weight 1, 00:00:39
//
// A line starting with a blank is another next hop of the route above:
// aligned with the route's own next hop it is an ECMP sibling; indented
// further (two blanks per level) it is how a recursive next hop resolves,
// which the model leaves to the rules' own resolution (diagnose/rib), so
// it is skipped. `show ip route vrf all` puts "VRF NAME:" above each VRF.
//
// JSON: an object of prefix → list of route entries, each with protocol,
// selected, distance, metric, vrfName and nexthops[] (ip, interfaceName,
// active, directlyConnected, recursive, resolver, blackhole,
// unreachable). `vrf all json` wraps one such object per VRF name (or, in
// some releases, prints them one after the other): both are read.
// Resolver next hops are skipped as in text.
//
// What the model gets: one Route per next hop; Protocol as FRR names it
// (kernel, connected, static, bgp, ospf, ...); Distance and Metric;
// Active when the route is selected and the next hop active; a recursive
// next hop as NextHop without Interface; a blackhole as Interface
// "blackhole", an ICMP-unreachable (reject) route as "unreachable".

import (
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

func frrDetectRoute(lines []string) bool {
	first, _ := FirstNonBlank(lines)
	if strings.HasPrefix(first, "{") {
		head := strings.Join(swanNonBlank(lines, 12), "")
		return strings.Contains(head, `"prefix":`) && strings.Contains(head, `"prefixLen":`)
	}
	if strings.HasPrefix(first, "Codes: K - kernel route") {
		return true
	}
	// Without the codes block: route lines with FRR's "weight N".
	n := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "VRF ") {
			continue
		}
		if _, ok := frrRouteHead(l); !ok {
			return false
		}
		if !strings.Contains(l, ", weight ") && !strings.Contains(l, "is directly connected, ") {
			return false
		}
		if n++; n == 3 {
			break
		}
	}
	return n > 0
}

func frrParseRoutes(r io.Reader) ([]netmodel.Route, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	if first, _ := FirstNonBlank(lines); strings.HasPrefix(first, "{") {
		return frrParseRoutesJSON(strings.Join(lines, "\n"))
	}
	return frrParseRoutesText(lines)
}

// frrHead is the first line of a route in `show ip route`.
type frrHead struct {
	proto    string
	selected bool
	prefix   netip.Prefix
	distance int
	metric   int
	nhCol    int // column where the next hop part starts
}

// frrRouteHead reads "S>* 10.2.0.0/24 [1/0] via ...".
func frrRouteHead(l string) (frrHead, bool) {
	var h frrHead
	if len(l) < 4 || l[0] == ' ' || l[0] == '\t' {
		return h, false
	}
	p, ok := frrProtocols[l[0]]
	if !ok {
		return h, false
	}
	h.proto = p
	i := 1
	for ; i < len(l) && i < 5 && l[i] != ' '; i++ {
		switch l[i] {
		case '>':
			h.selected = true
		case '*', 'q', 'r', 'b', 't', 'o', '=':
		default:
			return h, false
		}
	}
	w, j := linuxTok(l, i)
	pf, err := netip.ParsePrefix(w)
	if err != nil {
		return h, false
	}
	h.prefix = pf.Masked()
	k := j
	for k < len(l) && l[k] == ' ' {
		k++
	}
	if strings.HasPrefix(l[k:], "[") {
		e := strings.IndexByte(l[k:], ']')
		if e < 0 {
			return h, false
		}
		d, m, ok := strings.Cut(l[k+1:k+e], "/")
		dv, err1 := strconv.Atoi(d)
		mv, err2 := strconv.Atoi(m)
		if !ok || err1 != nil || err2 != nil {
			return h, false
		}
		h.distance, h.metric = dv, mv
		k += e + 1
		for k < len(l) && l[k] == ' ' {
			k++
		}
	}
	h.nhCol = k
	return h, true
}

// frrHopColumn returns where the next hop of a continuation line starts:
// after two blanks, a status character ('*' for a FIB next hop) and the
// padding that aligns it.
func frrHopColumn(l string) int {
	k := 0
	for k < len(l) && (l[k] == ' ' || l[k] == '\t') && k < 2 {
		k++
	}
	if k < len(l) && strings.IndexByte("*qrbto", l[k]) >= 0 {
		k++
	}
	for k < len(l) && (l[k] == ' ' || l[k] == '\t') {
		k++
	}
	return k
}

// frrNextHop reads one next hop ("via 10.9.0.2, eth0, weight 1, 00:00:38",
// "via 10.2.0.5 (recursive), weight 1", "is directly connected, lan0,
// 00:00:39", "unreachable (blackhole), weight 1") into r; active is false
// for an "inactive" one.
func frrNextHop(s string, r *netmodel.Route) (active, ok bool) {
	parts := strings.Split(s, ",")
	first := strings.TrimSpace(parts[0])
	active = true
	switch {
	case strings.HasPrefix(first, "via "):
		f := strings.Fields(first[4:])
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			return false, false
		}
		r.NextHop = a
		recursive := false
		for _, w := range f[1:] {
			switch w {
			case "(recursive)":
				recursive = true
			case "inactive":
				active = false
			}
		}
		if !recursive && len(parts) > 1 {
			if ifc := strings.TrimSpace(parts[1]); ifc != "" && !strings.HasPrefix(ifc, "weight ") && !strings.Contains(ifc, ":") {
				r.Interface = ifc
			}
		}
	case strings.HasPrefix(first, "is directly connected"):
		if len(parts) < 2 {
			return false, false
		}
		r.Interface = strings.TrimSpace(parts[1])
		if strings.Contains(first, "inactive") || strings.HasSuffix(r.Interface, " inactive") {
			active = false
			r.Interface = strings.TrimSuffix(r.Interface, " inactive")
		}
	case strings.HasPrefix(first, "unreachable"):
		r.Interface = "unreachable"
		if strings.Contains(first, "blackhole") {
			r.Interface = "blackhole"
		}
	default:
		return false, false
	}
	return active, true
}

func frrParseRoutesText(lines []string) ([]netmodel.Route, error) {
	var (
		out   = make([]netmodel.Route, 0, len(lines))
		first *Error
		vrf   string
		head  frrHead
		inHd  bool // head is a route whose next hops may follow
		codes = false
	)
	fail := func(n int, msg string) {
		if first == nil {
			first = errorf(n, "%s", msg)
		}
	}
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			codes = false
			continue
		case strings.HasPrefix(l, "Codes:"):
			codes, inHd = true, false
			continue
		case codes:
			continue // the codes block continues up to a blank line
		case strings.HasPrefix(l, "VRF ") && strings.HasSuffix(t, ":"):
			vrf, inHd = frrVRF(strings.TrimSuffix(strings.TrimPrefix(t, "VRF "), ":")), false
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if !inHd {
				fail(n, "next hop without a route above it")
				continue
			}
			col := frrHopColumn(l)
			if col > head.nhCol {
				continue // how a recursive next hop resolves
			}
			r := netmodel.Route{VRF: vrf, Prefix: head.prefix, Protocol: head.proto, Distance: head.distance, Metric: head.metric,
				Src: netmodel.Source{Start: n, End: n}}
			active, ok := frrNextHop(l[col:], &r)
			if !ok {
				fail(n, "unrecognised next hop")
				continue
			}
			r.Active = head.selected && active
			out = append(out, r)
			continue
		}
		h, ok := frrRouteHead(l)
		if !ok {
			inHd = false
			fail(n, "unrecognised route line")
			continue
		}
		head, inHd = h, true
		r := netmodel.Route{VRF: vrf, Prefix: h.prefix, Protocol: h.proto, Distance: h.distance, Metric: h.metric,
			Src: netmodel.Source{Start: n, End: n}}
		active, ok := frrNextHop(l[h.nhCol:], &r)
		if !ok {
			fail(n, "unrecognised next hop")
			continue
		}
		r.Active = h.selected && active
		out = append(out, r)
	}
	if first != nil {
		return out, first
	}
	return out, nil
}

// frrJHop is one next hop of a JSON route entry.
type frrJHop struct {
	ip, ifname                                string
	active, connected, recursive, resolver    bool
	blackhole, unreachable, reject, duplicate bool
}

func frrParseRoutesJSON(text string) ([]netmodel.Route, error) {
	j := &linuxJSON{s: text, line: 1}
	out := make([]netmodel.Route, 0, strings.Count(text, `"prefix"`))
	var first *Error
	fail := func(n int, msg string) {
		if first == nil {
			first = errorf(n, "%s", msg)
		}
	}
	// routes reads one prefix → entries object; vrf is the VRF it was
	// found under ("" when not wrapped).
	routes := func(vrf string) {
		j.object(func(key string) {
			if j.peek() != '[' {
				j.skip()
				return
			}
			j.array(func() {
				start := j.line
				if j.peek() != '{' {
					j.skip()
					return
				}
				var (
					proto, vrfName, pfx string
					selected            bool
					distance, metric    int
					hops                []frrJHop
				)
				j.object(func(k string) {
					switch k {
					case "prefix":
						pfx = j.str()
					case "protocol":
						proto = j.str()
					case "vrfName":
						vrfName = j.str()
					case "selected":
						selected = j.scalar() == "true"
					case "distance":
						distance, _ = strconv.Atoi(j.scalar())
					case "metric":
						metric, _ = strconv.Atoi(j.scalar())
					case "nexthops":
						j.array(func() {
							var h frrJHop
							if j.peek() != '{' {
								j.skip()
								return
							}
							j.object(func(k string) {
								switch k {
								case "ip":
									h.ip = j.str()
								case "interfaceName":
									h.ifname = j.str()
								case "active", "directlyConnected", "recursive", "resolver", "blackhole", "unreachable", "reject", "duplicate":
									v := j.scalar() == "true"
									switch k {
									case "active":
										h.active = v
									case "directlyConnected":
										h.connected = v
									case "recursive":
										h.recursive = v
									case "resolver":
										h.resolver = v
									case "blackhole":
										h.blackhole = v
									case "unreachable":
										h.unreachable = v
									case "reject":
										h.reject = v
									case "duplicate":
										h.duplicate = v
									}
								default:
									j.skip()
								}
							})
							hops = append(hops, h)
						})
					default:
						j.skip()
					}
				})
				if j.bad {
					return
				}
				end := j.line
				if pfx == "" {
					pfx = key
				}
				p, err := netip.ParsePrefix(pfx)
				if err != nil {
					fail(start, "bad prefix "+strconv.Quote(pfx))
					return
				}
				if proto == "" {
					fail(start, "route "+pfx+" without a protocol")
					return
				}
				v := vrf
				if vrfName != "" {
					v = frrVRF(vrfName)
				}
				base := netmodel.Route{VRF: v, Prefix: p.Masked(), Protocol: frrProtocolName(proto), Distance: distance, Metric: metric,
					Src: netmodel.Source{Start: start, End: end}}
				for _, h := range hops {
					if h.resolver || h.duplicate {
						continue
					}
					r := base
					switch {
					case h.blackhole:
						r.Interface = "blackhole"
					case h.unreachable || h.reject:
						r.Interface = "unreachable"
					case h.ip == "" && h.ifname == "":
						continue // nothing to forward to
					default:
						if h.ip != "" {
							a, err := netip.ParseAddr(h.ip)
							if err != nil {
								fail(start, "bad next hop "+strconv.Quote(h.ip))
								continue
							}
							r.NextHop = a
						}
						if !h.recursive {
							r.Interface = h.ifname
						}
					}
					r.Active = selected && h.active
					out = append(out, r)
				}
			})
		})
	}
	for {
		switch j.peek() {
		case 0:
			if j.bad {
				fail(j.line, "malformed JSON")
			}
			if first != nil {
				return out, first
			}
			return out, nil
		case '{':
		default:
			fail(j.line, "malformed JSON")
			return out, first
		}
		// A VRF-wrapped object has objects as values, a table arrays.
		save := *j
		wrapped := false
		j.i++
		if j.peek() == '"' {
			j.str()
			if j.eat(':') && j.peek() == '{' {
				wrapped = true
			}
		}
		*j = save
		if wrapped {
			j.object(func(name string) {
				if j.peek() != '{' {
					j.skip()
					return
				}
				routes(frrVRF(name))
			})
		} else {
			routes("")
		}
		if j.bad {
			fail(j.line, "malformed JSON")
			return out, first
		}
	}
}
