package diagnose

import (
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// lagPeer finds the aggregation at the far end of lag: the LAG of the
// collected device its members are linked to (CDP/LLDP or declared links).
// It returns nils when the far end was not collected or has no LAG there.
func (c *Context) lagPeer(d *netmodel.Device, lag *netmodel.LAG) (*netmodel.Device, *netmodel.LAG) {
	for _, m := range lag.Members {
		if pd, pl, _ := c.farMember(d, m.Port); pl != nil {
			return pd, pl
		}
	}
	return nil, nil
}

// farMember finds the LAG member at the far end of d's port, when the far
// device was collected and the port there is in a LAG.
func (c *Context) farMember(d *netmodel.Device, port string) (*netmodel.Device, *netmodel.LAG, *netmodel.LAGMember) {
	ep, _, ok := c.S.Peer(d.Name, port)
	if !ok {
		return nil, nil, nil
	}
	pd := c.S.Device(ep.Device)
	if pd == nil {
		return nil, nil, nil
	}
	for _, pl := range pd.LAGs {
		for _, pm := range pl.Members {
			if pm.Port == ep.Port {
				return pd, pl, pm
			}
		}
	}
	return pd, nil, nil
}

// linkedOnlyTo reports whether every linked member of pd's plag leads to device d.
func (c *Context) linkedOnlyTo(pd *netmodel.Device, plag *netmodel.LAG, d *netmodel.Device) bool {
	for _, m := range plag.Members {
		if ep, _, ok := c.S.Peer(pd.Name, m.Port); ok && ep.Device != d.Name {
			return false
		}
	}
	return true
}

// split reports whether an aggregation's members reach different partner
// systems (LACP-PARTNER-SPLIT), which explains members out of the bundle.
func (c *Context) split(lag *netmodel.LAG) bool {
	if lag == nil {
		return false
	}
	first := ""
	for _, m := range lag.Members {
		if zeroMAC(m.PartnerSystem) {
			continue
		}
		k := strings.ToLower(m.PartnerSystem)
		if first == "" {
			first = k
		} else if k != first {
			return true
		}
	}
	return false
}

// peerMembers returns the far-end members linked to ms, in the same order
// (members whose far end is not in plag are left out).
func (c *Context) peerMembers(d *netmodel.Device, ms []*netmodel.LAGMember, pd *netmodel.Device, plag *netmodel.LAG) []*netmodel.LAGMember {
	var out []*netmodel.LAGMember
	for _, m := range ms {
		ep, _, ok := c.S.Peer(d.Name, m.Port)
		if !ok || ep.Device != pd.Name {
			continue
		}
		for _, pm := range plag.Members {
			if pm.Port == ep.Port {
				out = append(out, pm)
			}
		}
	}
	return out
}

// lagPair is one aggregation and, when collected, the one at its far end.
type lagPair struct {
	d     *netmodel.Device
	lag   *netmodel.LAG
	pd    *netmodel.Device // nil when the far end was not collected
	plag  *netmodel.LAG
	fixes []netmodel.Fix
}

// onceByPair yields each LACP aggregation once per pair of linked ends: when
// both ends were collected, the far end's aggregation comes with it and is
// not yielded again (so a fault seen from both ends is reported once).
func (c *Context) onceByPair(fn func(p lagPair)) {
	done := map[*netmodel.LAG]bool{}
	c.lacpLAGs(func(d *netmodel.Device, lag *netmodel.LAG) {
		if done[lag] {
			return
		}
		done[lag] = true
		p := lagPair{d: d, lag: lag}
		if pd, pl := c.lagPeer(d, lag); pl != nil && pl.Protocol == "lacp" {
			p.pd, p.plag = pd, pl
			if c.linkedOnlyTo(pd, pl, d) {
				done[pl] = true // its whole view belongs to this pair
			}
		} else if pl != nil {
			p.pd, p.plag = pd, pl // a static/none far end: cite it, it was not yielded
		}
		fn(p)
	})
}

// pairEvidence cites both ends of a pair: the aggregation and the given
// members on this end, and the far end's aggregation and the members linked
// to them.
func (c *Context) pairEvidence(p lagPair, members []*netmodel.LAGMember, note func(*netmodel.LAGMember) string) []netmodel.Evidence {
	l := &evList{c: c}
	lagEvidence(l, p.d, p.lag, members, note)
	if p.plag != nil {
		lagEvidence(l, p.pd, p.plag, c.peerMembers(p.d, members, p.pd, p.plag), note)
	}
	return l.out
}

// pairSubject names a pair: "sw1 bond0 ↔ sw2 bond0", or one end.
func (p lagPair) subject() string {
	s := p.d.Name + " " + p.lag.Name
	if p.plag != nil {
		s += " ↔ " + p.pd.Name + " " + p.plag.Name
	}
	return s
}
