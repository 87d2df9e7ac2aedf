package rib

import (
	"net/netip"
	"slices"

	"github.com/gaissmai/bart"
)

// naiveOverlaps is the size (len(a)·len(b)) up to which Overlaps compares
// every pair instead of indexing b.
const naiveOverlaps = 1 << 9

// Overlaps returns every pair (x from a, y from b) of prefixes that share at
// least one address — one contains the other — as given (unmasked), ordered
// by x's then y's position. Invalid prefixes overlap nothing; IPv4 never
// overlaps IPv6 (except IPv4-mapped IPv6, taken as the IPv4 it maps).
//
// The rules use it for "local and remote protected subnets overlap" and
// similar checks between lists of selectors or routes.
func Overlaps(a, b []netip.Prefix) [][2]netip.Prefix {
	ca, cb := canonAll(a), canonAll(b)
	var out [][2]netip.Prefix
	if len(a)*len(b) <= naiveOverlaps {
		for i, x := range ca {
			if !x.IsValid() {
				continue
			}
			for j, y := range cb {
				if y.IsValid() && x.Overlaps(y) {
					out = append(out, [2]netip.Prefix{a[i], b[j]})
				}
			}
		}
		return out
	}
	// Index b, then find for each x its supernets and subnets in b.
	var idx bart.Table[[]int32]
	for j, y := range cb {
		if y.IsValid() {
			idx.Modify(y, func(js []int32, _ bool) ([]int32, bool) { return append(js, int32(j)), false })
		}
	}
	var js []int32
	for i, x := range ca {
		if !x.IsValid() {
			continue
		}
		js = js[:0]
		for _, v := range idx.Supernets(x) { // includes x itself
			js = append(js, v...)
		}
		for p, v := range idx.Subnets(x) {
			if p.Bits() != x.Bits() {
				js = append(js, v...)
			}
		}
		slices.Sort(js)
		for _, j := range js {
			out = append(out, [2]netip.Prefix{a[i], b[j]})
		}
	}
	return out
}

// canonAll returns the prefixes canonicalised; invalid ones stay invalid.
func canonAll(ps []netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, len(ps))
	for i, p := range ps {
		out[i], _ = canonPrefix(p)
	}
	return out
}
