package rib

import (
	"errors"
	"net/netip"
	"slices"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	pfx  = netip.MustParsePrefix
	addr = netip.MustParseAddr
)

// rt builds an active route: "10.0.0.0/8", next hop ("" = none),
// interface, protocol, distance, metric.
func rt(p, nh, ifc, proto string, dist, metric int) netmodel.Route {
	r := netmodel.Route{Prefix: pfx(p), Interface: ifc, Protocol: proto, Distance: dist, Metric: metric, Active: true}
	if nh != "" {
		r.NextHop = addr(nh)
	}
	return r
}

func inVRF(vrf string, r netmodel.Route) netmodel.Route { r.VRF = vrf; return r }

func inactive(r netmodel.Route) netmodel.Route { r.Active = false; return r }

// hop names a route for comparisons: prefix, next hop and interface.
func hop(r netmodel.Route) string {
	s := r.Prefix.String() + " " + r.Protocol
	if r.NextHop.IsValid() {
		s += " via " + r.NextHop.String()
	}
	if r.Interface != "" {
		s += " dev " + r.Interface
	}
	return s
}

func hops(rs []netmodel.Route) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = hop(r)
	}
	return out
}

// router is a small but complete table: connected networks, an IGP, a
// recursive static and BGP routes whose next hops are learnt from the IGP,
// ECMP, a null route, IPv6, and broken recursion.
var router = []netmodel.Route{
	rt("0.0.0.0/0", "192.0.2.1", "ge-0/0/0.0", "static", 5, 0),
	rt("0.0.0.0/0", "198.51.100.1", "ge-0/0/1.0", "static", 10, 0), // floating static, not used
	rt("192.0.2.0/24", "", "ge-0/0/0.0", "connected", 0, 0),
	rt("192.0.2.10/32", "", "ge-0/0/0.0", "local", 0, 0),
	rt("198.51.100.0/24", "", "ge-0/0/1.0", "connected", 0, 0),
	rt("10.0.0.0/8", "192.0.2.1", "ge-0/0/0.0", "ospf", 110, 20),
	rt("10.1.0.0/16", "192.0.2.2", "ge-0/0/0.0", "ospf", 110, 20),
	rt("10.1.0.0/16", "198.51.100.2", "ge-0/0/1.0", "ospf", 110, 20), // ECMP
	rt("10.1.0.0/16", "198.51.100.3", "ge-0/0/1.0", "ospf", 110, 30), // worse metric
	rt("10.1.0.0/16", "192.0.2.2", "ge-0/0/0.0", "ospf", 110, 20),    // repeats the first hop
	rt("10.1.2.0/24", "192.0.2.3", "ge-0/0/0.0", "ospf", 110, 20),
	rt("10.1.2.0/24", "192.0.2.4", "ge-0/0/0.0", "static", 1, 100), // static beats OSPF
	inactive(rt("10.1.3.0/24", "192.0.2.5", "ge-0/0/0.0", "static", 1, 0)),
	rt("10.9.9.9/32", "10.1.2.7", "", "ospf", 110, 1),
	rt("172.16.0.0/12", "10.9.9.9", "", "bgp", 200, 0), // recursive twice: via 10.9.9.9, via 10.1.2.7
	rt("172.16.5.0/24", "10.1.2.99", "", "static", 1, 0),
	rt("203.0.113.0/24", "", "Null0", "static", 1, 0),
	rt("100.64.0.0/16", "100.64.1.1", "", "static", 1, 0), // resolves through itself
	rt("100.65.0.0/16", "100.66.0.1", "", "static", 1, 0), // and two through each other
	rt("100.66.0.0/16", "100.65.0.1", "", "static", 1, 0),
	rt("100.67.0.0/16", "100.68.0.1", "", "static", 1, 0), // next hop covered only by the default
	rt("100.69.0.0/16", "100.70.0.1", "", "static", 1, 0),
	rt("2001:db8::/32", "", "ge-0/0/0.0", "connected", 0, 0),
	rt("2001:db8:1::/48", "2001:db8::1", "ge-0/0/0.0", "ospf", 110, 10),
	rt("2001:db8:1:1::/64", "2001:db8:1::5", "", "bgp", 200, 0),
	rt("::/0", "fe80::1", "ge-0/0/1.0", "static", 5, 0),
}

func TestLookup(t *testing.T) {
	t.Parallel()
	tab := New(router)
	for _, tc := range []struct {
		name, addr string
		want       []string // LookupAll; want[0] is Lookup's
	}{
		{"default route", "8.8.8.8", []string{"0.0.0.0/0 static via 192.0.2.1 dev ge-0/0/0.0"}},
		{"connected", "192.0.2.77", []string{"192.0.2.0/24 connected dev ge-0/0/0.0"}},
		{"local host route wins over connected", "192.0.2.10", []string{"192.0.2.10/32 local dev ge-0/0/0.0"}},
		{"less specific", "10.200.0.1", []string{"10.0.0.0/8 ospf via 192.0.2.1 dev ge-0/0/0.0"}},
		{"more specific wins", "10.1.200.1", []string{
			"10.1.0.0/16 ospf via 192.0.2.2 dev ge-0/0/0.0",
			"10.1.0.0/16 ospf via 198.51.100.2 dev ge-0/0/1.0",
		}},
		{"distance beats metric", "10.1.2.3", []string{"10.1.2.0/24 static via 192.0.2.4 dev ge-0/0/0.0"}},
		{"inactive route ignored", "10.1.3.1", []string{
			"10.1.0.0/16 ospf via 192.0.2.2 dev ge-0/0/0.0",
			"10.1.0.0/16 ospf via 198.51.100.2 dev ge-0/0/1.0",
		}},
		{"null route", "203.0.113.9", []string{"203.0.113.0/24 static dev Null0"}},
		{"ipv4-mapped address", "::ffff:10.1.2.3", []string{"10.1.2.0/24 static via 192.0.2.4 dev ge-0/0/0.0"}},
		{"ipv6 more specific", "2001:db8:1:1::9", []string{"2001:db8:1:1::/64 bgp via 2001:db8:1::5"}},
		{"ipv6 connected", "2001:db8:ffff::1", []string{"2001:db8::/32 connected dev ge-0/0/0.0"}},
		{"ipv6 default", "2001:4860::8888", []string{"::/0 static via fe80::1 dev ge-0/0/1.0"}},
		{"ipv6 zone ignored", "2001:db8:ffff::1%eth0", []string{"2001:db8::/32 connected dev ge-0/0/0.0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := addr(tc.addr)
			got := hops(tab.LookupAll(a))
			if !slices.Equal(got, tc.want) {
				t.Errorf("LookupAll(%s) = %q, want %q", a, got, tc.want)
			}
			r, ok := tab.Lookup(a)
			if !ok || hop(r) != tc.want[0] {
				t.Errorf("Lookup(%s) = %q, %v, want %q", a, hop(r), ok, tc.want[0])
			}
		})
	}
}

func TestLookupMiss(t *testing.T) {
	t.Parallel()
	tab := New([]netmodel.Route{rt("10.0.0.0/8", "", "eth0", "kernel", 0, 0)})
	for _, a := range []netip.Addr{addr("11.0.0.1"), addr("2001:db8::1"), {}} {
		if r, ok := tab.Lookup(a); ok {
			t.Errorf("Lookup(%s) = %q, want no route", a, hop(r))
		}
		if rs := tab.LookupAll(a); rs != nil {
			t.Errorf("LookupAll(%s) = %q, want nil", a, hops(rs))
		}
	}
	var nilTab *Table
	if _, ok := nilTab.Lookup(addr("10.0.0.1")); ok || nilTab.Len() != 0 || nilTab.LookupAll(addr("10.0.0.1")) != nil {
		t.Error("nil table is not empty")
	}
	if _, err := nilTab.Resolve(addr("10.0.0.1")); !errors.Is(err, ErrNoRoute) {
		t.Errorf("nil table Resolve: %v, want ErrNoRoute", err)
	}
}

func TestTieBreaks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		routes []netmodel.Route
		want   []string
	}{
		{"lower distance wins whatever the order", []netmodel.Route{
			rt("10.0.0.0/24", "192.0.2.1", "e0", "ospf", 110, 1),
			rt("10.0.0.0/24", "192.0.2.2", "e0", "bgp", 20, 5000),
			rt("10.0.0.0/24", "192.0.2.3", "e0", "rip", 120, 0),
		}, []string{"10.0.0.0/24 bgp via 192.0.2.2 dev e0"}},
		{"equal distance: lower metric", []netmodel.Route{
			rt("10.0.0.0/24", "192.0.2.1", "e0", "ospf", 110, 30),
			rt("10.0.0.0/24", "192.0.2.2", "e1", "ospf", 110, 20),
		}, []string{"10.0.0.0/24 ospf via 192.0.2.2 dev e1"}},
		{"equal best from two protocols kept as ECMP", []netmodel.Route{
			rt("10.0.0.0/24", "192.0.2.1", "e0", "kernel", 0, 100),
			rt("10.0.0.0/24", "192.0.2.2", "e1", "static", 0, 100),
		}, []string{"10.0.0.0/24 kernel via 192.0.2.1 dev e0", "10.0.0.0/24 static via 192.0.2.2 dev e1"}},
		{"better route drops an ECMP group", []netmodel.Route{
			rt("10.0.0.0/24", "192.0.2.1", "e0", "ospf", 110, 20),
			rt("10.0.0.0/24", "192.0.2.2", "e1", "ospf", 110, 20),
			rt("10.0.0.0/24", "192.0.2.3", "e2", "ospf", 110, 20),
			rt("10.0.0.0/24", "192.0.2.9", "e9", "static", 1, 0),
			rt("10.0.0.0/24", "192.0.2.4", "e3", "ospf", 110, 20),
		}, []string{"10.0.0.0/24 static via 192.0.2.9 dev e9"}},
		{"host bits masked", []netmodel.Route{
			rt("10.0.0.77/24", "192.0.2.1", "e0", "static", 1, 0),
			rt("10.0.0.0/24", "192.0.2.2", "e1", "static", 1, 0),
		}, []string{"10.0.0.77/24 static via 192.0.2.1 dev e0", "10.0.0.0/24 static via 192.0.2.2 dev e1"}},
		{"ipv4-mapped prefix taken as ipv4", []netmodel.Route{
			rt("::ffff:10.0.0.0/120", "", "e0", "connected", 0, 0),
		}, []string{"::ffff:10.0.0.0/120 connected dev e0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := New(tc.routes)
			if got := hops(tab.LookupAll(addr("10.0.0.5"))); !slices.Equal(got, tc.want) {
				t.Errorf("LookupAll = %q, want %q", got, tc.want)
			}
			if tab.Len() != len(tc.want) || tab.Prefixes() != 1 {
				t.Errorf("Len = %d, Prefixes = %d, want %d, 1", tab.Len(), tab.Prefixes(), len(tc.want))
			}
		})
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tab := New(router)
	for _, tc := range []struct {
		name      string
		addr      string
		chain     []string
		ifc, nh   string
		recursive bool
		err       error
		errAddr   string
	}{
		{name: "connected: the destination is the next hop", addr: "192.0.2.77",
			chain: []string{"192.0.2.0/24 connected dev ge-0/0/0.0"}, ifc: "ge-0/0/0.0", nh: "192.0.2.77"},
		{name: "gateway route", addr: "10.200.0.1",
			chain: []string{"10.0.0.0/8 ospf via 192.0.2.1 dev ge-0/0/0.0"}, ifc: "ge-0/0/0.0", nh: "192.0.2.1"},
		{name: "null route", addr: "203.0.113.1",
			chain: []string{"203.0.113.0/24 static dev Null0"}, ifc: "Null0", nh: "203.0.113.1"},
		{name: "recursive static via a next hop learnt from ospf", addr: "172.16.5.5",
			chain: []string{"172.16.5.0/24 static via 10.1.2.99", "10.1.2.0/24 static via 192.0.2.4 dev ge-0/0/0.0"},
			ifc:   "ge-0/0/0.0", nh: "192.0.2.4", recursive: true},
		{name: "bgp resolved in two steps", addr: "172.20.0.1",
			chain: []string{
				"172.16.0.0/12 bgp via 10.9.9.9",
				"10.9.9.9/32 ospf via 10.1.2.7",
				"10.1.2.0/24 static via 192.0.2.4 dev ge-0/0/0.0",
			},
			ifc: "ge-0/0/0.0", nh: "192.0.2.4", recursive: true},
		{name: "ipv6 recursive to a connected next hop", addr: "2001:db8:1:1::1",
			chain: []string{"2001:db8:1:1::/64 bgp via 2001:db8:1::5", "2001:db8:1::/48 ospf via 2001:db8::1 dev ge-0/0/0.0"},
			ifc:   "ge-0/0/0.0", nh: "2001:db8::1", recursive: true},
		{name: "next hop resolved by the default route", addr: "100.67.1.1",
			chain: []string{"100.67.0.0/16 static via 100.68.0.1", "0.0.0.0/0 static via 192.0.2.1 dev ge-0/0/0.0"},
			ifc:   "ge-0/0/0.0", nh: "192.0.2.1", recursive: true},
		{name: "route resolving through itself", addr: "100.64.9.9",
			chain: []string{"100.64.0.0/16 static via 100.64.1.1"}, err: ErrLoop, errAddr: "100.64.1.1"},
		{name: "two routes resolving through each other", addr: "100.65.9.9",
			chain:     []string{"100.65.0.0/16 static via 100.66.0.1", "100.66.0.0/16 static via 100.65.0.1"},
			recursive: true, err: ErrLoop, errAddr: "100.65.0.1"},
		{name: "ipv6 on-link", addr: "2001:db8::1", chain: []string{"2001:db8::/32 connected dev ge-0/0/0.0"},
			ifc: "ge-0/0/0.0", nh: "2001:db8::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tab.Resolve(addr(tc.addr))
			if got := hops(res.Chain); !slices.Equal(got, tc.chain) {
				t.Errorf("chain = %q, want %q", got, tc.chain)
			}
			if tc.err != nil {
				var re *ResolveError
				if !errors.Is(err, tc.err) || !errors.As(err, &re) || re.Addr != addr(tc.errAddr) || re.Dest != addr(tc.addr) {
					t.Fatalf("err = %v, want %v at %s", err, tc.err, tc.errAddr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Interface != tc.ifc || res.NextHop != addr(tc.nh) || res.Recursive != tc.recursive {
				t.Errorf("got interface %q next hop %s recursive %v, want %q %s %v",
					res.Interface, res.NextHop, res.Recursive, tc.ifc, tc.nh, tc.recursive)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	tab := New([]netmodel.Route{
		rt("10.0.0.0/8", "192.0.2.1", "", "static", 1, 0),
		rt("172.16.0.0/16", "10.0.0.1", "", "bgp", 200, 0),
	})
	_, err := tab.Resolve(addr("8.8.8.8"))
	var re *ResolveError
	if !errors.Is(err, ErrNoRoute) || !errors.As(err, &re) || re.Addr != addr("8.8.8.8") {
		t.Errorf("no route: %v", err)
	}
	if want := "rib: no route to 8.8.8.8"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	res, err := tab.Resolve(addr("172.16.1.1"))
	if !errors.Is(err, ErrUnresolvedNextHop) || !errors.As(err, &re) || re.Addr != addr("192.0.2.1") || re.Route != pfx("10.0.0.0/8") {
		t.Errorf("unresolved: %v", err)
	}
	if want := "rib: resolving 172.16.1.1: next hop 192.0.2.1 of 10.0.0.0/8: no route to next hop"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if len(res.Chain) != 2 || !res.Recursive {
		t.Errorf("partial chain %q, recursive %v", hops(res.Chain), res.Recursive)
	}

	// A chain longer than MaxDepth: 10.0.0.k/32 via 10.0.0.k+1.
	var long []netmodel.Route
	for k := range MaxDepth + 2 {
		long = append(long, rt(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(k)}), 32).String(),
			netip.AddrFrom4([4]byte{10, 0, 0, byte(k + 1)}).String(), "", "static", 1, 0))
	}
	res, err = New(long).Resolve(addr("10.0.0.0"))
	if !errors.Is(err, ErrLoop) || len(res.Chain) != MaxDepth {
		t.Errorf("deep chain: %v, %d steps", err, len(res.Chain))
	}
	if res, err = New(long[2:]).Resolve(addr("10.0.0.2")); !errors.Is(err, ErrUnresolvedNextHop) || len(res.Chain) != MaxDepth {
		t.Errorf("chain of MaxDepth ending unresolved: %v, %d steps", err, len(res.Chain))
	}
}

func TestCovering(t *testing.T) {
	t.Parallel()
	tab := New(router)
	for _, tc := range []struct{ p, want string }{
		{"10.1.2.0/24", "10.1.2.0/24 static via 192.0.2.4 dev ge-0/0/0.0"},
		{"10.1.2.128/25", "10.1.2.0/24 static via 192.0.2.4 dev ge-0/0/0.0"},
		{"10.1.0.0/23", "10.1.0.0/16 ospf via 192.0.2.2 dev ge-0/0/0.0"}, // 10.1.2.0/24 is inside, not covering
		{"10.0.0.0/7", "0.0.0.0/0 static via 192.0.2.1 dev ge-0/0/0.0"},
		{"10.1.2.3/32", "10.1.2.0/24 static via 192.0.2.4 dev ge-0/0/0.0"},
		{"10.1.7.7/22", "10.1.0.0/16 ospf via 192.0.2.2 dev ge-0/0/0.0"}, // host bits ignored
		{"2001:db8:1:1::/64", "2001:db8:1:1::/64 bgp via 2001:db8:1::5"},
		{"2001:db8::/31", "::/0 static via fe80::1 dev ge-0/0/1.0"},
		{"::ffff:10.1.2.0/120", "10.1.2.0/24 static via 192.0.2.4 dev ge-0/0/0.0"},
	} {
		r, ok := tab.Covering(pfx(tc.p))
		if !ok || hop(r) != tc.want {
			t.Errorf("Covering(%s) = %q, %v, want %q", tc.p, hop(r), ok, tc.want)
		}
	}
	noDefault := New(router[2:])
	for _, p := range []netip.Prefix{pfx("10.0.0.0/7"), pfx("0.0.0.0/0"), {}} {
		if r, ok := noDefault.Covering(p); ok {
			t.Errorf("Covering(%s) = %q without a default route", p, hop(r))
		}
	}
}

func TestBuildVRFs(t *testing.T) {
	t.Parallel()
	d := &netmodel.Device{Name: "pe1", Routes: []netmodel.Route{
		rt("0.0.0.0/0", "192.0.2.1", "ge-0/0/0.0", "static", 5, 0),
		inVRF("RED", rt("10.0.0.0/8", "10.255.0.1", "ge-0/0/1.100", "ospf", 10, 1)),
		rt("192.0.2.0/24", "", "ge-0/0/0.0", "direct", 0, 0),
		inVRF("BLUE", rt("10.0.0.0/8", "10.254.0.1", "ge-0/0/1.200", "ospf", 10, 1)),
		inVRF("RED", rt("10.1.0.0/16", "10.255.0.2", "ge-0/0/1.100", "ospf", 10, 1)),
		inVRF("GREEN", inactive(rt("10.0.0.0/8", "10.253.0.1", "ge-0/0/1.300", "ospf", 10, 1))),
	}}
	tabs := Build(d)
	if got := slices.Sorted(mapKeys(tabs)); !slices.Equal(got, []string{"", "BLUE", "GREEN", "RED"}) {
		t.Fatalf("VRFs = %q", got)
	}
	for _, tc := range []struct{ vrf, addr, want string }{
		{"", "10.1.1.1", "0.0.0.0/0 static via 192.0.2.1 dev ge-0/0/0.0"},
		{"RED", "10.1.1.1", "10.1.0.0/16 ospf via 10.255.0.2 dev ge-0/0/1.100"},
		{"RED", "10.2.1.1", "10.0.0.0/8 ospf via 10.255.0.1 dev ge-0/0/1.100"},
		{"BLUE", "10.1.1.1", "10.0.0.0/8 ospf via 10.254.0.1 dev ge-0/0/1.200"},
	} {
		r, ok := tabs[tc.vrf].Lookup(addr(tc.addr))
		if !ok || hop(r) != tc.want || r.VRF != tc.vrf {
			t.Errorf("VRF %q Lookup(%s) = %q (VRF %q), want %q", tc.vrf, tc.addr, hop(r), r.VRF, tc.want)
		}
	}
	for vrf, n := range map[string]int{"": 2, "RED": 2, "BLUE": 1, "GREEN": 0} {
		if tabs[vrf].Len() != n {
			t.Errorf("VRF %q Len = %d, want %d", vrf, tabs[vrf].Len(), n)
		}
	}
	if _, ok := tabs["BLUE"].Lookup(addr("192.0.2.5")); ok {
		t.Error("the global connected route leaks into VRF BLUE")
	}
	if Build(&netmodel.Device{Name: "sw1"}) != nil || Build(nil) != nil {
		t.Error("Build of a device without routes is not nil")
	}
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestOverlaps(t *testing.T) {
	t.Parallel()
	ps := func(ss ...string) []netip.Prefix {
		out := make([]netip.Prefix, len(ss))
		for i, s := range ss {
			if s != "" {
				out[i] = pfx(s)
			}
		}
		return out
	}
	local := ps("10.1.0.0/16", "10.2.0.0/24", "192.168.1.0/24", "", "2001:db8::/32", "172.16.0.5/12")
	remote := ps("10.1.5.0/24", "10.0.0.0/8", "192.168.2.0/24", "2001:db8:1::/48", "10.2.0.128/25", "172.31.0.0/16", "::ffff:192.168.1.0/120")
	want := [][2]netip.Prefix{
		{pfx("10.1.0.0/16"), pfx("10.1.5.0/24")},
		{pfx("10.1.0.0/16"), pfx("10.0.0.0/8")},
		{pfx("10.2.0.0/24"), pfx("10.0.0.0/8")},
		{pfx("10.2.0.0/24"), pfx("10.2.0.128/25")},
		{pfx("192.168.1.0/24"), pfx("::ffff:192.168.1.0/120")},
		{pfx("2001:db8::/32"), pfx("2001:db8:1::/48")},
		{pfx("172.16.0.5/12"), pfx("172.31.0.0/16")},
	}
	if got := Overlaps(local, remote); !slices.Equal(got, want) {
		t.Errorf("Overlaps = %v\nwant %v", got, want)
	}
	if got := Overlaps(ps("10.0.0.0/24"), ps("10.0.1.0/24", "2001:db8::/32")); got != nil {
		t.Errorf("disjoint: %v", got)
	}
}
