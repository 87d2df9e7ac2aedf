package rib

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// slowTable is the reference: a plain slice of routes, every lookup a scan
// of all of them, written from the documented semantics only.
type slowTable []netmodel.Route

// slowCanon masks p, taking an IPv4-mapped prefix as IPv4.
func slowCanon(p netip.Prefix) netip.Prefix {
	if p.IsValid() && p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked()
}

// best returns the equal-best routes among those for which covers is true
// that have the longest prefix.
func (s slowTable) best(covers func(p netip.Prefix) bool) []netmodel.Route {
	bits := -1
	var pfx netip.Prefix
	for _, r := range s {
		if p := slowCanon(r.Prefix); r.Active && p.IsValid() && covers(p) && p.Bits() > bits {
			bits, pfx = p.Bits(), p
		}
	}
	if bits < 0 {
		return nil
	}
	var out []netmodel.Route
	for _, r := range s {
		if !r.Active || slowCanon(r.Prefix) != pfx {
			continue
		}
		if len(out) > 0 {
			b := out[0]
			if r.Distance > b.Distance || r.Distance == b.Distance && r.Metric > b.Metric {
				continue
			}
			if r.Distance < b.Distance || r.Metric < b.Metric {
				out = out[:0]
			}
		}
		if !slices.ContainsFunc(out, func(o netmodel.Route) bool { return o.NextHop == r.NextHop && o.Interface == r.Interface }) {
			out = append(out, r)
		}
	}
	return out
}

func (s slowTable) lookupAll(a netip.Addr) []netmodel.Route {
	a = a.WithZone("").Unmap()
	return s.best(func(p netip.Prefix) bool { return p.Contains(a) })
}

func (s slowTable) covering(q netip.Prefix) []netmodel.Route {
	if !q.IsValid() {
		return nil
	}
	q = slowCanon(q)
	return s.best(func(p netip.Prefix) bool { return p.Bits() <= q.Bits() && p.Contains(q.Addr()) })
}

func (s slowTable) len() int {
	n := 0
	seen := map[netip.Prefix]bool{}
	for _, r := range s {
		if p := slowCanon(r.Prefix); r.Active && p.IsValid() && !seen[p] {
			seen[p] = true
			n += len(s.best(func(q netip.Prefix) bool { return q == p }))
		}
	}
	return n
}

// resolve follows next hops through lookupAll, remembering the prefixes it
// went through.
func (s slowTable) resolve(a netip.Addr) (Resolution, error) {
	a = a.Unmap()
	var res Resolution
	rs := s.lookupAll(a)
	if rs == nil {
		return res, &ResolveError{Dest: a, Addr: a, Err: ErrNoRoute}
	}
	var seen []netip.Prefix
	hop := a
	for {
		r := rs[0]
		seen = append(seen, slowCanon(r.Prefix))
		res.Chain = append(res.Chain, r)
		res.Recursive = len(res.Chain) > 1
		if r.Interface != "" || !r.NextHop.IsValid() {
			res.Interface, res.NextHop = r.Interface, hop
			if r.NextHop.IsValid() {
				res.NextHop = r.NextHop.Unmap()
			}
			return res, nil
		}
		hop = r.NextHop.Unmap()
		fail := &ResolveError{Dest: a, Addr: hop, Route: r.Prefix}
		if rs = s.lookupAll(hop); rs == nil {
			fail.Err = ErrUnresolvedNextHop
			return res, fail
		}
		if slices.Contains(seen, slowCanon(rs[0].Prefix)) || len(seen) == MaxDepth {
			fail.Err = ErrLoop
			return res, fail
		}
	}
}

func slowOverlaps(a, b []netip.Prefix) [][2]netip.Prefix {
	var out [][2]netip.Prefix
	for _, x := range a {
		for _, y := range b {
			cx, cy := slowCanon(x), slowCanon(y)
			if !cx.IsValid() || !cy.IsValid() || cx.Addr().Is4() != cy.Addr().Is4() {
				continue
			}
			if cx.Bits() > cy.Bits() {
				cx, cy = cy, cx
			}
			if cx.Contains(cy.Addr()) {
				out = append(out, [2]netip.Prefix{x, y})
			}
		}
	}
	return out
}

// gen makes random tables and addresses crowded into a few small address
// ranges, so that prefixes nest, collide and tie, next hops recurse, and
// random addresses hit something.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) gen { return gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g gen) v4() netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(g.r.IntN(3)), byte(g.r.IntN(4)), byte(g.r.IntN(256))})
}

func (g gen) v6() netip.Addr {
	return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, byte(g.r.IntN(3)), 14: byte(g.r.IntN(4)), 15: byte(g.r.IntN(256))})
}

func (g gen) addr() netip.Addr {
	switch n := g.r.IntN(20); {
	case n < 12:
		return g.v4()
	case n < 17:
		return g.v6()
	case n == 17:
		return netip.AddrFrom16(g.v4().As16()) // IPv4-mapped
	case n == 18:
		return netip.AddrFrom4([4]byte{byte(g.r.Uint32()), byte(g.r.Uint32()), byte(g.r.Uint32()), byte(g.r.Uint32())})
	}
	return netip.Addr{}
}

func (g gen) prefix() netip.Prefix {
	switch n := g.r.IntN(20); {
	case n < 13:
		return netip.PrefixFrom(g.v4(), g.bits(32))
	case n < 18:
		return netip.PrefixFrom(g.v6(), g.bits(128))
	case n == 18: // IPv4-mapped, mostly within the mapped range
		return netip.PrefixFrom(netip.AddrFrom16(g.v4().As16()), 128-g.r.IntN(48))
	}
	return netip.Prefix{}
}

// bits favours lengths near the ranges gen draws from.
func (g gen) bits(max int) int {
	if g.r.IntN(4) == 0 {
		return g.r.IntN(max + 1)
	}
	return max - g.r.IntN(12)
}

func (g gen) route() netmodel.Route {
	r := netmodel.Route{
		Prefix:   g.prefix(),
		Active:   g.r.IntN(10) != 0,
		Distance: []int{0, 1, 5, 110, 110, 170}[g.r.IntN(6)],
		Metric:   []int{0, 0, 1, 20}[g.r.IntN(4)],
		Protocol: []string{"static", "ospf", "bgp"}[g.r.IntN(3)],
	}
	if g.r.IntN(3) != 0 {
		if r.Prefix.IsValid() && r.Prefix.Addr().Is6() && !r.Prefix.Addr().Is4In6() {
			r.NextHop = g.v6()
		} else {
			r.NextHop = g.v4()
		}
	}
	if !r.NextHop.IsValid() || g.r.IntN(2) == 0 {
		r.Interface = []string{"", "ge-0/0/0.0", "ge-0/0/1.0", "eth0"}[g.r.IntN(4)]
	}
	return r
}

func (g gen) routes(n int) []netmodel.Route {
	out := make([]netmodel.Route, n)
	for i := range out {
		out[i] = g.route()
	}
	return out
}

// check compares every query on tab with the reference.
func check(t *testing.T, tab *Table, ref slowTable, a netip.Addr, q netip.Prefix) {
	t.Helper()
	want := ref.lookupAll(a)
	if got := tab.LookupAll(a); !slices.Equal(got, want) {
		t.Fatalf("LookupAll(%s) = %q, reference %q", a, hops(got), hops(want))
	}
	r, ok := tab.Lookup(a)
	if ok != (want != nil) || ok && r != want[0] {
		t.Fatalf("Lookup(%s) = %q, %v, reference %q", a, hop(r), ok, hops(want))
	}
	res, err := tab.Resolve(a)
	wres, werr := ref.resolve(a)
	if !slices.Equal(res.Chain, wres.Chain) || res.Interface != wres.Interface || res.NextHop != wres.NextHop || res.Recursive != wres.Recursive {
		t.Fatalf("Resolve(%s) = %q %q %s %v, reference %q %q %s %v", a,
			hops(res.Chain), res.Interface, res.NextHop, res.Recursive,
			hops(wres.Chain), wres.Interface, wres.NextHop, wres.Recursive)
	}
	var re, wre *ResolveError
	if (err == nil) != (werr == nil) || err != nil && (!errors.As(err, &re) || !errors.As(werr, &wre) ||
		!errors.Is(re.Err, wre.Err) || re.Addr != wre.Addr || re.Dest != wre.Dest || re.Route != wre.Route) {
		t.Fatalf("Resolve(%s) error %v, reference %v", a, err, werr)
	}
	wantC := ref.covering(q)
	r, ok = tab.Covering(q)
	if ok != (wantC != nil) || ok && r != wantC[0] {
		t.Fatalf("Covering(%s) = %q, %v, reference %q", q, hop(r), ok, hops(wantC))
	}
}

// TestAgainstReference compares the Table with the slow reference over
// random tables and random queries, with fixed seeds.
func TestAgainstReference(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		seed    uint64
		routes  int
		queries int
	}{
		{1, 0, 100}, {2, 1, 200}, {3, 10, 1000}, {4, 100, 2000}, {5, 1000, 1000}, {6, 3000, 300},
		{7, 50, 2000}, {8, 500, 1000},
	} {
		g := newGen(tc.seed)
		routes := g.routes(tc.routes)
		tab, ref := New(routes), slowTable(routes)
		if tab.Len() != ref.len() {
			t.Fatalf("seed %d: Len = %d, reference %d", tc.seed, tab.Len(), ref.len())
		}
		for range tc.queries {
			a := g.addr()
			if g.r.IntN(4) == 0 && len(routes) > 0 { // an address inside a route
				p := routes[g.r.IntN(len(routes))].Prefix
				a = p.Masked().Addr()
			}
			check(t, tab, ref, a, g.prefix())
		}
	}
}

// TestUnpackedAgainstReference runs the comparison with the IPv4 packing
// limit lowered, so that routes past it take the general path, as they
// would in a table of over 64 million routes. Not parallel: it changes a
// package variable while no other test runs.
func TestUnpackedAgainstReference(t *testing.T) {
	defer func(old int) { maxPacked = old }(maxPacked)
	maxPacked = 700
	g := newGen(12)
	routes := g.routes(1500)
	tab, ref := New(routes), slowTable(routes)
	for range 1000 {
		check(t, tab, ref, g.addr(), g.prefix())
	}
}

// TestBuildAgainstReference checks that Build's per-VRF tables agree with
// the reference over each VRF's routes.
func TestBuildAgainstReference(t *testing.T) {
	t.Parallel()
	g := newGen(11)
	d := &netmodel.Device{Routes: g.routes(2000)}
	vrfs := []string{"", "", "RED", "BLUE"}
	for i := range d.Routes {
		d.Routes[i].VRF = vrfs[g.r.IntN(len(vrfs))]
	}
	tabs := Build(d)
	for _, vrf := range vrfs[1:] {
		var ref slowTable
		for _, r := range d.Routes {
			if r.VRF == vrf {
				ref = append(ref, r)
			}
		}
		for range 500 {
			check(t, tabs[vrf], ref, g.addr(), g.prefix())
		}
	}
}

func TestOverlapsAgainstReference(t *testing.T) {
	t.Parallel()
	g := newGen(21)
	for _, n := range [][2]int{{0, 5}, {3, 4}, {20, 30}, {64, 64}, {100, 300}, {500, 40}} { // both sides of naiveOverlaps
		a, b := make([]netip.Prefix, n[0]), make([]netip.Prefix, n[1])
		for i := range a {
			a[i] = g.prefix()
		}
		for i := range b {
			b[i] = g.prefix()
		}
		if got, want := Overlaps(a, b), slowOverlaps(a, b); !slices.Equal(got, want) {
			t.Errorf("%d×%d: Overlaps gives %d pairs, reference %d", n[0], n[1], len(got), len(want))
		}
	}
}

// FuzzLookup builds a table from the fuzzer's bytes, 8 per route, and
// compares lookups of the addresses in query (4 or 16 bytes each, by its
// first byte) with the reference.
func FuzzLookup(f *testing.F) {
	g := newGen(99)
	for range 8 {
		rs := make([]byte, 8*g.r.IntN(40))
		q := make([]byte, 1+17*g.r.IntN(8))
		for i := range rs {
			rs[i] = byte(g.r.Uint32())
		}
		for i := range q {
			q[i] = byte(g.r.Uint32())
		}
		f.Add(rs, q)
	}
	f.Add([]byte{0xff, 10, 0, 0, 0, 8, 0, 1, 0x0f, 10, 0, 0, 1, 32, 1, 0}, []byte{0, 10, 0, 0, 1, 4, 10, 0, 0, 9})
	f.Fuzz(func(t *testing.T, rb, qb []byte) {
		var routes []netmodel.Route
		for ; len(rb) >= 8; rb = rb[8:] {
			routes = append(routes, fuzzRoute(rb[:8]))
		}
		tab, ref := New(routes), slowTable(routes)
		for len(qb) > 0 {
			var a netip.Addr
			a, qb = fuzzAddr(qb)
			bits := 0
			if len(qb) > 0 {
				bits, qb = int(qb[0]), qb[1:]
			}
			check(t, tab, ref, a, netip.PrefixFrom(a, bits%(a.BitLen()+2)-1))
		}
	})
}

// fuzzRoute reads a route from 8 bytes: flags, 4 address bytes (the last
// ones of a v6 address in 2001:db8::/32), length, preference, next hop.
func fuzzRoute(b []byte) netmodel.Route {
	flags := b[0]
	var a netip.Addr
	if flags&1 == 0 {
		a = netip.AddrFrom4([4]byte(b[1:5]))
	} else {
		a = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 12: b[1], b[2], b[3], b[4]})
	}
	r := netmodel.Route{
		Prefix:   netip.PrefixFrom(a, int(b[5])%(a.BitLen()+2)-1), // -1: invalid
		Active:   flags&2 != 0,
		Distance: int(b[6] >> 4),
		Metric:   int(b[6] & 3),
	}
	if flags&4 != 0 {
		nh := a.As16()
		nh[15] = b[7]
		if a.Is4() {
			r.NextHop = netip.AddrFrom4([4]byte(nh[12:]))
		} else {
			r.NextHop = netip.AddrFrom16(nh)
		}
	}
	if flags&8 != 0 {
		r.Interface = []string{"e0", "e1", "e2", "e3"}[flags>>4&3]
	}
	return r
}

// fuzzAddr reads an address: a kind byte, then 4 or 16 bytes.
func fuzzAddr(b []byte) (netip.Addr, []byte) {
	kind, b := b[0], b[1:]
	if kind&1 == 0 && len(b) >= 4 {
		return netip.AddrFrom4([4]byte(b[:4])), b[4:]
	}
	if len(b) >= 4 && kind&2 != 0 { // in 2001:db8::/32, where fuzzRoute puts v6 routes
		return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 12: b[0], b[1], b[2], b[3]}), b[4:]
	}
	if len(b) >= 16 {
		return netip.AddrFrom16([16]byte(b[:16])), b[16:]
	}
	return netip.Addr{}, nil
}
