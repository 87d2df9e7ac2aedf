package parse

// A small JSON reader for iproute2's -j output (arrays of flat objects),
// which slices the input instead of allocating per value: `ip -j route`
// tables can hold a million routes.

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// linuxJSON scans JSON text; line is the 1-based line of position i.
type linuxJSON struct {
	s     string
	i     int
	line  int
	bad   bool
	depth int
}

func (j *linuxJSON) ws() {
	for j.i < len(j.s) {
		switch j.s[j.i] {
		case '\n':
			j.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		j.i++
	}
}

// eat consumes c (after blanks) and reports whether it was there.
func (j *linuxJSON) eat(c byte) bool {
	j.ws()
	if j.i < len(j.s) && j.s[j.i] == c {
		j.i++
		return true
	}
	return false
}

func (j *linuxJSON) peek() byte {
	j.ws()
	if j.i < len(j.s) {
		return j.s[j.i]
	}
	return 0
}

// str reads a string; escapes are rare in iproute2 output and then cost an
// allocation.
func (j *linuxJSON) str() string {
	if !j.eat('"') {
		j.bad = true
		return ""
	}
	start := j.i
	esc := false
	for j.i < len(j.s) {
		c := j.s[j.i]
		switch {
		case c == '\\':
			esc = true
			j.i += 2
			continue
		case c == '"':
			v := j.s[start:j.i]
			j.i++
			if esc {
				u, err := strconv.Unquote(`"` + v + `"`)
				if err != nil {
					j.bad = true
				}
				return u
			}
			return v
		case c == '\n':
			j.bad = true
			return ""
		}
		j.i++
	}
	j.bad = true
	return ""
}

// scalar reads a number, true, false or null as its text.
func (j *linuxJSON) scalar() string {
	j.ws()
	start := j.i
	for j.i < len(j.s) {
		c := j.s[j.i]
		if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			break
		}
		j.i++
	}
	if j.i == start {
		j.bad = true
	}
	return j.s[start:j.i]
}

// skip passes over any value (nesting deeper than iproute2 ever prints is
// refused).
func (j *linuxJSON) skip() {
	if j.depth++; j.depth > 64 {
		j.bad = true
		return
	}
	defer func() { j.depth-- }()
	switch j.peek() {
	case '"':
		j.str()
	case '{':
		j.i++
		if j.eat('}') {
			return
		}
		for !j.bad {
			j.str()
			if !j.eat(':') {
				j.bad = true
				return
			}
			j.skip()
			if j.eat(',') {
				continue
			}
			if !j.eat('}') {
				j.bad = true
			}
			return
		}
	case '[':
		j.i++
		if j.eat(']') {
			return
		}
		for !j.bad {
			j.skip()
			if j.eat(',') {
				continue
			}
			if !j.eat(']') {
				j.bad = true
			}
			return
		}
	case 0:
		j.bad = true
	default:
		j.scalar()
	}
}

// object calls f for each key of an object; f must consume the value.
func (j *linuxJSON) object(f func(key string)) {
	if !j.eat('{') {
		j.bad = true
		return
	}
	if j.eat('}') {
		return
	}
	for !j.bad {
		k := j.str()
		if !j.eat(':') {
			j.bad = true
			return
		}
		f(k)
		if j.eat(',') {
			continue
		}
		if !j.eat('}') {
			j.bad = true
		}
		return
	}
}

// array calls f for each element; f must consume it.
func (j *linuxJSON) array(f func()) {
	if !j.eat('[') {
		j.bad = true
		return
	}
	if j.eat(']') {
		return
	}
	for !j.bad {
		f()
		if j.eat(',') {
			continue
		}
		if !j.eat(']') {
			j.bad = true
		}
		return
	}
}

// strings reads an array of strings, calling f for each.
func (j *linuxJSON) strs(f func(string)) {
	j.array(func() {
		if j.peek() == '"' {
			f(j.str())
		} else {
			j.skip()
		}
	})
}

// linuxJRoute is one route object of `ip -j route`.
type linuxJRoute struct {
	typ, dst, table, protocol string
	metric                    int
	pref, down                bool
	hops                      []linuxJHop
}

type linuxJHop struct {
	gateway, dev string
	down         bool
}

func linuxParseRoutesJSON(text string) ([]netmodel.Route, error) {
	j := &linuxJSON{s: text, line: 1}
	out := make([]netmodel.Route, 0, strings.Count(text, `"dst"`))
	var first *Error
	var jr linuxJRoute
	hops := make([]linuxJHop, 0, 4)
	j.array(func() {
		start := j.line
		jr = linuxJRoute{hops: hops[:0]}
		var main linuxJHop
		j.object(func(k string) {
			switch k {
			case "type":
				jr.typ = j.str()
			case "dst":
				jr.dst = j.str()
			case "gateway":
				main.gateway = j.str()
			case "via":
				j.object(func(k2 string) {
					if k2 == "host" {
						main.gateway = j.str()
					} else {
						j.skip()
					}
				})
			case "dev":
				main.dev = j.str()
			case "table":
				if j.peek() == '"' {
					jr.table = j.str()
				} else {
					jr.table = j.scalar()
				}
			case "protocol":
				if j.peek() == '"' {
					jr.protocol = j.str()
				} else {
					jr.protocol = j.scalar()
				}
			case "metric":
				jr.metric, _ = strconv.Atoi(j.scalar())
			case "pref", "error":
				jr.pref = true
				j.skip()
			case "flags":
				j.strs(func(f string) {
					if f == "linkdown" || f == "dead" {
						jr.down = true
					}
				})
			case "nexthops":
				j.array(func() {
					var h linuxJHop
					j.object(func(k2 string) {
						switch k2 {
						case "gateway":
							h.gateway = j.str()
						case "dev":
							h.dev = j.str()
						case "via":
							j.object(func(k3 string) {
								if k3 == "host" {
									h.gateway = j.str()
								} else {
									j.skip()
								}
							})
						case "flags":
							j.strs(func(f string) {
								if f == "linkdown" || f == "dead" {
									h.down = true
								}
							})
						default:
							j.skip()
						}
					})
					jr.hops = append(jr.hops, h)
				})
			default:
				j.skip()
			}
		})
		hops = jr.hops
		if j.bad {
			return
		}
		if len(jr.hops) == 0 {
			jr.hops = append(jr.hops, main)
		}
		src := netmodel.Source{Start: start, End: j.line}
		if err := linuxJSONRoutes(&out, &jr, src); err != nil && first == nil {
			first = err
		}
	})
	if j.bad {
		return out, errorf(j.line, "malformed JSON")
	}
	if first != nil {
		return out, first
	}
	return out, nil
}

// linuxJSONRoutes turns one route object into model routes.
func linuxJSONRoutes(out *[]netmodel.Route, jr *linuxJRoute, src netmodel.Source) *Error {
	if jr.table == "local" || linuxLocalType(jr.typ) {
		return nil
	}
	vrf := jr.table
	if vrf == "main" {
		vrf = ""
	}
	for _, h := range jr.hops {
		r := netmodel.Route{VRF: vrf, Interface: h.dev, Metric: jr.metric, Active: !jr.down && !h.down, Src: src}
		if h.gateway != "" {
			a, err := netip.ParseAddr(h.gateway)
			if err != nil {
				return errorf(src.Start, "bad gateway %q", h.gateway)
			}
			r.NextHop = a
		}
		switch {
		case jr.dst == "default":
			if r.NextHop.Is6() || jr.pref {
				r.Prefix = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
			} else {
				r.Prefix = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
			}
		case strings.IndexByte(jr.dst, '/') >= 0:
			p, err := netip.ParsePrefix(jr.dst)
			if err != nil {
				return errorf(src.Start, "bad destination %q", jr.dst)
			}
			r.Prefix = p.Masked()
		default:
			a, err := netip.ParseAddr(jr.dst)
			if err != nil {
				return errorf(src.Start, "bad destination %q", jr.dst)
			}
			r.Prefix = netip.PrefixFrom(a, a.BitLen())
		}
		switch jr.protocol {
		case "kernel":
			if !r.NextHop.IsValid() {
				r.Protocol = "connected"
			} else {
				r.Protocol = "kernel"
			}
		case "", "boot", "static":
			r.Protocol = "static"
		default:
			r.Protocol = linuxProtoName(jr.protocol)
		}
		if linuxRejectType(jr.typ) {
			r.Interface, r.NextHop = jr.typ, netip.Addr{}
			if r.Protocol == "connected" {
				r.Protocol = "kernel"
			}
		}
		*out = append(*out, r)
	}
	return nil
}
