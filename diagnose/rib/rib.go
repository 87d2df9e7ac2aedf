// Package rib holds a device's routing tables for the rules: longest-prefix
// match over the active routes of one VRF, recursive next-hop resolution
// and prefix overlap, on github.com/gaissmai/bart.
//
// A Table answers what the device would do with a packet as far as its
// routing table says: which route a destination takes (Lookup, LookupAll),
// where that route really leaves the box (Resolve), and whether a whole
// subnet is routed one way (Covering). The rules use it to check that
// protected subnets are routed into a tunnel and that the route to a peer's
// public address does not.
package rib

import (
	"cmp"
	"encoding/binary"
	"math"
	"net/netip"
	"slices"

	"github.com/gaissmai/bart"

	"github.com/nettui/nettui/internal/netmodel"
)

// Table is the routing table of one VRF of one device: longest-prefix match
// over its active routes, IPv4 and IPv6.
//
// Per prefix it keeps the best routes: lowest Distance, then lowest Metric;
// routes equal on both are kept together as ECMP next hops, in the order
// they were given, one per distinct (NextHop, Interface). Inactive routes
// and routes with an invalid prefix are left out. Prefixes are taken masked
// (10.1.1.1/24 is 10.1.1.0/24) and IPv4-mapped IPv6 prefixes and addresses
// as the IPv4 they map.
//
// A Table refers to the routes it was built from without copying them: the
// slice must not be modified while the Table is in use. It is safe for
// concurrent use once built. A nil *Table is an empty table.
type Table struct {
	routes []netmodel.Route
	// trie maps each prefix to its best route: an index into routes when
	// ≥ 0, or ^g for the ECMP group groups[g] (indices into routes).
	trie   bart.Table[int32]
	groups [][]int32
	n      int // number of routes kept, ECMP next hops included
}

// New builds a Table from routes, all taken as one VRF (Route.VRF is not
// looked at; Build splits a device's routes by VRF).
func New(routes []netmodel.Route) *Table {
	b := newBuilder(routes, len(routes))
	for i := range routes {
		b.push(i)
	}
	return b.finish()
}

// Build builds a Table for each VRF of the device's routes, keyed by
// Route.VRF ("" is the global table). Every VRF named by a route gets a
// table, even when none of its routes is active. It returns nil when the
// device has no routes at all, so that "routes were not collected" can be
// told from "no route": a rule that finds no table must report unknown.
func Build(d *netmodel.Device) map[string]*Table {
	if d == nil || len(d.Routes) == 0 {
		return nil
	}
	// Count each VRF's routes first (routes come grouped by VRF: a map
	// access per group), to size the builders.
	count := map[string]int{}
	for i := 0; i < len(d.Routes); {
		j := i + 1
		for j < len(d.Routes) && d.Routes[j].VRF == d.Routes[i].VRF {
			j++
		}
		count[d.Routes[i].VRF] += j - i
		i = j
	}
	bs := make(map[string]*builder, len(count))
	for vrf, n := range count {
		bs[vrf] = newBuilder(d.Routes, n)
	}
	var (
		last    *builder
		lastVRF string
	)
	for i := range d.Routes {
		if vrf := d.Routes[i].VRF; last == nil || vrf != lastVRF {
			last, lastVRF = bs[vrf], vrf
		}
		last.push(i)
	}
	out := make(map[string]*Table, len(bs))
	for vrf, b := range bs {
		out[vrf] = b.finish()
	}
	return out
}

// builder collects the usable routes of a table and inserts them in
// address order: inserting a million prefixes at random into the trie
// spends most of its time on cache misses and on shifting the nodes'
// sparse arrays, sorted it walks the same few nodes and appends.
// Routes of one prefix stay in their given order, which decides ECMP
// order and ties.
type builder struct {
	t *Table
	// v4 holds IPv4 routes packed as address<<32 | bits<<26 | index,
	// sorted as integers; other holds the rest (IPv6, and IPv4 routes
	// whose index does not fit in 26 bits).
	v4    []uint64
	other []key
}

type key struct {
	p netip.Prefix // canonical
	i int32
}

// newBuilder starts a table over routes, of which n at most will be pushed.
func newBuilder(routes []netmodel.Route, n int) *builder {
	if len(routes) > math.MaxInt32 {
		panic("rib: more than 2³¹-1 routes")
	}
	return &builder{t: &Table{routes: routes}, v4: make([]uint64, 0, min(n, maxPacked))}
}

// maxPacked bounds the route indices packed into v4 keys (a variable for
// the tests).
var maxPacked = 1 << 26

// push adds routes[i] if it is active and has a valid prefix. Routes are
// pushed in increasing index order.
func (b *builder) push(i int) {
	r := &b.t.routes[i]
	if !r.Active {
		return
	}
	p, ok := canonPrefix(r.Prefix)
	if !ok {
		return
	}
	if a := p.Addr(); a.Is4() && i < maxPacked {
		b.v4 = append(b.v4, uint64(binary.BigEndian.Uint32(a.AsSlice()))<<32|uint64(p.Bits())<<26|uint64(i))
		return
	}
	b.other = append(b.other, key{p, int32(i)})
}

// finish sorts what was pushed, indexes it and returns the table.
func (b *builder) finish() *Table {
	t := b.t
	radixSort(b.v4)
	for _, k := range b.v4 {
		var a [4]byte
		binary.BigEndian.PutUint32(a[:], uint32(k>>32))
		t.insert(netip.PrefixFrom(netip.AddrFrom4(a), int(k>>26&63)), int32(k&(1<<26-1)))
	}
	slices.SortFunc(b.other, func(x, y key) int {
		if c := x.p.Addr().Compare(y.p.Addr()); c != 0 {
			return c
		}
		if c := cmp.Compare(x.p.Bits(), y.p.Bits()); c != 0 {
			return c
		}
		return cmp.Compare(x.i, y.i)
	})
	for _, k := range b.other {
		t.insert(k.p, k.i)
	}
	b.v4, b.other = nil, nil
	return t
}

// radixSort sorts packed IPv4 keys by address and length, keeping the
// order of keys that differ only in index: pushed in index order, they end
// up fully sorted. LSD, 13 bits a pass over bits 26-63, skipping a pass
// whose digit all keys share.
func radixSort(keys []uint64) {
	if len(keys) < 1024 {
		slices.Sort(keys)
		return
	}
	const digit = 13
	buf := make([]uint64, len(keys))
	src, dst := keys, buf
	var count [1 << digit]int
	for shift := 26; shift < 64; shift += digit {
		clear(count[:])
		for _, k := range src {
			count[k>>shift&(1<<digit-1)]++
		}
		if count[src[0]>>shift&(1<<digit-1)] == len(src) {
			continue
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, k := range src {
			d := k >> shift & (1<<digit - 1)
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

// insert indexes routes[i] under its canonical prefix p.
func (t *Table) insert(p netip.Prefix, i int32) {
	t.trie.Modify(p, func(cur int32, found bool) (int32, bool) {
		if !found {
			t.n++
			return i, false
		}
		return t.merge(cur, i), false
	})
}

// merge adds routes[i] to the entry cur of the same prefix and returns the
// new entry.
func (t *Table) merge(cur, i int32) int32 {
	r := &t.routes[i]
	best := cur
	if cur < 0 {
		best = t.groups[^cur][0]
	}
	switch c := compare(r, &t.routes[best]); {
	case c < 0: // strictly better: replaces the whole entry
		if cur < 0 {
			t.n -= len(t.groups[^cur]) - 1
			t.groups[^cur] = nil
		}
		return i
	case c > 0:
		return cur
	}
	// Equal best: another ECMP next hop unless it repeats one.
	if cur >= 0 {
		if sameHop(r, &t.routes[cur]) {
			return cur
		}
		t.groups = append(t.groups, []int32{cur, i})
		t.n++
		return ^int32(len(t.groups) - 1)
	}
	g := t.groups[^cur]
	for _, j := range g {
		if sameHop(r, &t.routes[j]) {
			return cur
		}
	}
	t.groups[^cur] = append(g, i)
	t.n++
	return cur
}

// compare orders routes by preference: Distance, then Metric.
func compare(a, b *netmodel.Route) int {
	switch {
	case a.Distance != b.Distance:
		if a.Distance < b.Distance {
			return -1
		}
		return 1
	case a.Metric != b.Metric:
		if a.Metric < b.Metric {
			return -1
		}
		return 1
	}
	return 0
}

// sameHop reports whether two routes forward the same way.
func sameHop(a, b *netmodel.Route) bool {
	return a.NextHop == b.NextHop && a.Interface == b.Interface
}

// canonPrefix masks p and maps an IPv4-mapped IPv6 prefix to IPv4.
func canonPrefix(p netip.Prefix) (netip.Prefix, bool) {
	if !p.IsValid() {
		return netip.Prefix{}, false
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return p.Masked(), true // wider than the mapped range: stays IPv6
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// Len returns the number of routes the table holds: one per prefix plus
// each further ECMP next hop.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return t.n
}

// Prefixes returns the number of distinct prefixes in the table.
func (t *Table) Prefixes() int {
	if t == nil {
		return 0
	}
	return t.trie.Size()
}

// first returns the index of the best route of an entry.
func (t *Table) first(v int32) int32 {
	if v < 0 {
		return t.groups[^v][0]
	}
	return v
}

// all returns the routes of an entry.
func (t *Table) all(v int32) []netmodel.Route {
	if v >= 0 {
		return []netmodel.Route{t.routes[v]}
	}
	g := t.groups[^v]
	out := make([]netmodel.Route, len(g))
	for k, j := range g {
		out[k] = t.routes[j]
	}
	return out
}

// Lookup returns the best route to a by longest prefix match; with ECMP,
// the first of the equal-best routes. It reports false when no route
// matches or a is invalid.
func (t *Table) Lookup(a netip.Addr) (netmodel.Route, bool) {
	if t == nil {
		return netmodel.Route{}, false
	}
	v, ok := t.trie.Lookup(a.Unmap())
	if !ok {
		return netmodel.Route{}, false
	}
	return t.routes[t.first(v)], true
}

// LookupAll returns every equal-best route to a (the ECMP next hops of the
// longest matching prefix), or nil when no route matches.
func (t *Table) LookupAll(a netip.Addr) []netmodel.Route {
	if t == nil {
		return nil
	}
	v, ok := t.trie.Lookup(a.Unmap())
	if !ok {
		return nil
	}
	return t.all(v)
}

// Covering returns the best route whose prefix contains all of p: the
// longest stored prefix that is p itself or a supernet of it. A route to
// part of p only (a more specific one) does not count. It reports false
// when no route covers p or p is invalid.
func (t *Table) Covering(p netip.Prefix) (netmodel.Route, bool) {
	if t == nil {
		return netmodel.Route{}, false
	}
	p, ok := canonPrefix(p)
	if !ok {
		return netmodel.Route{}, false
	}
	v, ok := t.trie.LookupPrefix(p)
	if !ok {
		return netmodel.Route{}, false
	}
	return t.routes[t.first(v)], true
}
