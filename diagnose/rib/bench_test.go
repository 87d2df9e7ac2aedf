package rib

import (
	"math/rand/v2"
	"net/netip"
	"runtime"
	"sync"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// Goals (the issue's): parsing and indexing 1,000,000 routes in ≤ 2 s and
// ≤ 400 MiB; a lookup in ≤ 200 ns with no allocation. They live here, in
// benchmarks, and never in pass/fail tests.

const bigN = 1_000_000

// Peers of the BGP routes in bigRoutes: IGP loopbacks 10.255.0.0-63.
const bigPeers = 64

// bigRoutes returns 1,000,000 routes shaped like an Internet table on a
// border router: a default, two connected networks, IGP routes to the BGP
// peers' loopbacks, and BGP routes — mostly /24s, about a quarter /16-/23,
// an eighth /25-/32 — whose next hops are the loopbacks (recursive).
func bigRoutes(n int, seed uint64) []netmodel.Route {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]netmodel.Route, 0, n)
	out = append(out,
		netmodel.Route{Prefix: netip.MustParsePrefix("0.0.0.0/0"), NextHop: netip.MustParseAddr("192.0.2.1"),
			Interface: "ge-0/0/0.0", Protocol: "static", Distance: 5, Active: true},
		netmodel.Route{Prefix: netip.MustParsePrefix("192.0.2.0/24"), Interface: "ge-0/0/0.0", Protocol: "connected", Active: true},
		netmodel.Route{Prefix: netip.MustParsePrefix("198.51.100.0/24"), Interface: "ge-0/0/1.0", Protocol: "connected", Active: true},
	)
	for k := range bigPeers {
		nh, ifc := "192.0.2.2", "ge-0/0/0.0"
		if k%2 == 1 {
			nh, ifc = "198.51.100.2", "ge-0/0/1.0"
		}
		out = append(out, netmodel.Route{Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 255, 0, byte(k)}), 32),
			NextHop: netip.MustParseAddr(nh), Interface: ifc, Protocol: "ospf", Distance: 110, Metric: 10 + k, Active: true})
	}
	for len(out) < n {
		var bits int
		switch x := r.IntN(100); {
		case x < 62:
			bits = 24
		case x < 87:
			bits = 16 + r.IntN(8)
		default:
			bits = 25 + r.IntN(8)
		}
		a := netip.AddrFrom4([4]byte{byte(1 + r.IntN(223)), byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())})
		p, _ := a.Prefix(bits)
		out = append(out, netmodel.Route{Prefix: p,
			NextHop:  netip.AddrFrom4([4]byte{10, 255, 0, byte(r.IntN(bigPeers))}),
			Protocol: "bgp", Distance: 20, Metric: r.IntN(3), Active: r.IntN(50) != 0})
	}
	return out
}

var big = sync.OnceValues(func() ([]netmodel.Route, *Table) {
	routes := bigRoutes(bigN, 1)
	return routes, New(routes)
})

// bigAddrs returns addresses to look up in the big table: half inside its
// BGP routes, half anywhere in unicast space.
func bigAddrs(routes []netmodel.Route, n int) []netip.Addr {
	r := rand.New(rand.NewPCG(2, 3))
	out := make([]netip.Addr, n)
	for i := range out {
		if i%2 == 0 {
			p := routes[3+bigPeers+r.IntN(len(routes)-3-bigPeers)].Prefix
			a := p.Addr().As4()
			host := r.Uint32() & (1<<(32-p.Bits()) - 1)
			out[i] = netip.AddrFrom4([4]byte{a[0] | byte(host>>24), a[1] | byte(host>>16), a[2] | byte(host>>8), a[3] | byte(host)})
		} else {
			out[i] = netip.AddrFrom4([4]byte{byte(1 + r.IntN(223)), byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())})
		}
	}
	return out
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

// heapInUse returns the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkBuild1M indexes 1,000,000 routes. MiB is the heap in use after
// building (the routes and the index), index-MiB the index alone.
func BenchmarkBuild1M(b *testing.B) {
	routes := bigRoutes(bigN, 1)
	before := heapInUse()
	b.ReportAllocs()
	var t *Table
	n := 0
	for b.Loop() {
		t = New(routes)
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*len(routes)), "ns/route")
	after := heapInUse()
	b.ReportMetric(mib(after), "MiB")
	b.ReportMetric(mib(after-before), "index-MiB")
	b.ReportMetric(float64(t.Len()), "routes")
	runtime.KeepAlive(routes)
}

var (
	sinkRoute netmodel.Route
	sinkOK    bool
)

// BenchmarkLookup looks addresses up in the 1,000,000-route table.
// random: 65,536 random addresses, half inside the BGP routes, half
// anywhere, so nearly every lookup walks cold trie nodes and reads a cold
// route: it measures the machine's memory latency as much as the code.
// hot: 1,024 of them, the trie paths and routes they touch stay in cache,
// as when the rules look up a site's peers and selectors.
func BenchmarkLookup(b *testing.B) {
	routes, t := big()
	for _, bc := range []struct {
		name string
		n    int
	}{{"random", 1 << 16}, {"hot", 1 << 10}} {
		addrs := bigAddrs(routes, bc.n)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sinkRoute, sinkOK = t.Lookup(addrs[i&(len(addrs)-1)])
				i++
			}
		})
	}
}

// BenchmarkLookupAll is Lookup returning every equal-best route.
func BenchmarkLookupAll(b *testing.B) {
	routes, t := big()
	addrs := bigAddrs(routes, 1<<16)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		rs := t.LookupAll(addrs[i&(len(addrs)-1)])
		sinkOK = len(rs) > 0
		i++
	}
}

// BenchmarkResolve resolves random addresses in the 1,000,000-route table:
// the BGP routes recurse once, through the IGP route to their next hop.
func BenchmarkResolve(b *testing.B) {
	routes, t := big()
	addrs := bigAddrs(routes, 1<<16)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		res, err := t.Resolve(addrs[i&(len(addrs)-1)])
		sinkOK = err == nil && res.Recursive
		i++
	}
}

// BenchmarkOverlaps compares two lists of 1,000 prefixes, /20 to /28 in
// 10.0.0.0/8 (the indexed path).
func BenchmarkOverlaps(b *testing.B) {
	r := rand.New(rand.NewPCG(4, 5))
	list := func() []netip.Prefix {
		out := make([]netip.Prefix, 1000)
		for i := range out {
			a := netip.AddrFrom4([4]byte{10, byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
			out[i], _ = a.Prefix(20 + r.IntN(9))
		}
		return out
	}
	a, c := list(), list()
	b.ReportAllocs()
	for b.Loop() {
		sinkOK = len(Overlaps(a, c)) > 0
	}
}
