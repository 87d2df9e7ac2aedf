package rib

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/nettui/nettui/internal/netmodel"
)

// Errors of Resolve, always wrapped in a *ResolveError that says which
// address failed; test with errors.Is.
var (
	// ErrNoRoute: no route matches the destination.
	ErrNoRoute = errors.New("no route")
	// ErrUnresolvedNextHop: a recursive route's next hop matches no route.
	ErrUnresolvedNextHop = errors.New("no route to next hop")
	// ErrLoop: resolving a next hop comes back to a route already in the
	// chain (a route resolving through itself, or two through each other),
	// or the recursion goes deeper than MaxDepth.
	ErrLoop = errors.New("recursive routing loop")
)

// MaxDepth bounds the chain of a resolution: a destination route and up to
// MaxDepth-1 recursive next-hop lookups.
const MaxDepth = 16

// ResolveError is a failed resolution: Err (ErrNoRoute,
// ErrUnresolvedNextHop or ErrLoop) at Addr while resolving Dest.
type ResolveError struct {
	Dest netip.Addr // the destination given to Resolve
	Addr netip.Addr // the address that failed: Dest itself, or a next hop
	// Route is the route whose next hop failed (invalid for ErrNoRoute).
	Route netip.Prefix
	Err   error
}

func (e *ResolveError) Error() string {
	if errors.Is(e.Err, ErrNoRoute) {
		return fmt.Sprintf("rib: no route to %s", e.Dest)
	}
	return fmt.Sprintf("rib: resolving %s: next hop %s of %s: %s", e.Dest, e.Addr, e.Route, e.Err)
}

// Unwrap returns the sentinel error.
func (e *ResolveError) Unwrap() error { return e.Err }

// Resolution says how the table forwards to a destination.
type Resolution struct {
	// Chain is the route to the destination first, then the route that
	// resolves each recursive next hop; the last one is a connected or
	// interface route. With ECMP, each step follows the first equal-best
	// route (LookupAll gives the others).
	Chain []netmodel.Route
	// Interface is the egress interface: the last route's Interface. It is
	// empty only when that route names none (a route with neither next hop
	// nor interface).
	Interface string
	// NextHop is the address the packet is handed to on Interface: the
	// gateway that the last route or a recursive lookup reached, or the
	// destination itself when it is on a connected network.
	NextHop netip.Addr
	// Recursive is true when at least one next hop had to be looked up
	// (len(Chain) > 1).
	Recursive bool
}

// terminal reports whether a route ends a resolution: it names an egress
// interface, or has no next hop to follow.
func terminal(r *netmodel.Route) bool {
	return r.Interface != "" || !r.NextHop.IsValid()
}

// Resolve resolves a destination recursively: it looks a up, and while the
// route found has a next hop but no interface (a recursive static or BGP
// route), it looks the next hop up in turn, until a route names an
// interface or has no next hop. On error the Resolution holds the chain as
// far as it got; the error is a *ResolveError wrapping ErrNoRoute (nothing
// matches a), ErrUnresolvedNextHop (nothing matches a next hop) or ErrLoop.
func (t *Table) Resolve(a netip.Addr) (Resolution, error) {
	a = a.Unmap()
	var res Resolution
	if t == nil {
		return res, &ResolveError{Dest: a, Addr: a, Err: ErrNoRoute}
	}
	v, ok := t.trie.Lookup(a)
	if !ok {
		return res, &ResolveError{Dest: a, Addr: a, Err: ErrNoRoute}
	}
	var seen [MaxDepth]int32
	seen[0] = v
	res.Chain = make([]netmodel.Route, 0, 2) // most resolutions: one step or two
	hop := a
	for depth := 1; ; depth++ {
		r := &t.routes[t.first(v)]
		res.Chain = append(res.Chain, *r)
		if terminal(r) {
			res.Interface = r.Interface
			res.NextHop = hop
			if r.NextHop.IsValid() {
				res.NextHop = r.NextHop.Unmap()
			}
			res.Recursive = len(res.Chain) > 1
			return res, nil
		}
		hop = r.NextHop.Unmap()
		fail := func(err error) (Resolution, error) {
			res.Recursive = len(res.Chain) > 1
			return res, &ResolveError{Dest: a, Addr: hop, Route: r.Prefix, Err: err}
		}
		if v, ok = t.trie.Lookup(hop); !ok {
			return fail(ErrUnresolvedNextHop)
		}
		for _, s := range seen[:depth] {
			if s == v {
				return fail(ErrLoop)
			}
		}
		if depth == MaxDepth {
			return fail(fmt.Errorf("%w: deeper than %d", ErrLoop, MaxDepth))
		}
		seen[depth] = v
	}
}
