package rib_test

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/nettui/nettui/diagnose/rib"
	"github.com/nettui/nettui/internal/netmodel"
)

// A route-based tunnel: is the remote protected subnet routed into st0.0,
// and does the route to the peer's public address stay out of it?
func Example() {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	d := &netmodel.Device{Name: "srx1", Routes: []netmodel.Route{
		{Prefix: p("0.0.0.0/0"), NextHop: a("203.0.113.1"), Interface: "ge-0/0/0.0", Protocol: "static", Distance: 5, Active: true},
		{Prefix: p("203.0.113.0/28"), Interface: "ge-0/0/0.0", Protocol: "direct", Active: true},
		{Prefix: p("10.20.0.0/16"), Interface: "st0.0", Protocol: "static", Distance: 5, Active: true},
		{Prefix: p("198.51.100.7/32"), NextHop: a("10.20.0.1"), Protocol: "static", Distance: 5, Active: true},
	}}
	tabs := rib.Build(d)
	if tabs == nil {
		fmt.Println("routes not collected: unknown")
		return
	}
	global := tabs[""]

	if r, ok := global.Covering(p("10.20.30.0/24")); ok {
		fmt.Println("10.20.30.0/24 goes to", r.Interface, "by", r.Prefix)
	}
	res, err := global.Resolve(a("198.51.100.7")) // the peer
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("peer leaves by", res.Interface, "recursive:", res.Recursive, "chain:", len(res.Chain))

	_, err = global.Resolve(a("192.0.2.1"))
	fmt.Println(err == nil, errors.Is(err, rib.ErrNoRoute))
	fmt.Println(rib.Overlaps([]netip.Prefix{p("10.0.0.0/8")}, []netip.Prefix{p("10.20.0.0/16"), p("172.16.0.0/12")}))
	// Output:
	// 10.20.30.0/24 goes to st0.0 by 10.20.0.0/16
	// peer leaves by st0.0 recursive: true chain: 2
	// true false
	// [[10.0.0.0/8 10.20.0.0/16]]
}
