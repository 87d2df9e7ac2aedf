package diagnose

import (
	"net/netip"
	"sort"

	"github.com/nettui/nettui/internal/netmodel"
)

// TunnelEnd is one device's view of one IPsec peer: what it has configured
// for that peer and what it has installed.
type TunnelEnd struct {
	Dev      *netmodel.Device
	Peer     netip.Addr
	Local    netip.Addr
	IKE      []*netmodel.IKEConfig
	Children []*netmodel.ChildConfig
	IKESAs   []*netmodel.IKESA
	ChildSAs []*netmodel.ChildSA
	// Partner is the other end when it was collected and recognised.
	Partner *TunnelEnd
}

// Name is "device → peer".
func (e *TunnelEnd) Name() string { return e.Dev.Name + " → " + e.Peer.String() }

// IKEUp reports whether an IKE SA to the peer is established.
func (e *TunnelEnd) IKEUp() bool {
	for _, sa := range e.IKESAs {
		if sa.Up {
			return true
		}
	}
	return false
}

// Version is the configured or negotiated IKE version, 0 when unknown.
func (e *TunnelEnd) Version() int {
	for _, sa := range e.IKESAs {
		if sa.Version != 0 {
			return sa.Version
		}
	}
	for _, c := range e.IKE {
		if c.Version != 0 {
			return c.Version
		}
	}
	return 0
}

// ConfiguredSelectors lists the selectors of every configured child.
func (e *TunnelEnd) ConfiguredSelectors() []netmodel.Selector {
	var out []netmodel.Selector
	for _, c := range e.Children {
		out = append(out, c.Selectors...)
	}
	return out
}

// InstalledSelectors lists the selectors of every installed child SA.
func (e *TunnelEnd) InstalledSelectors() []netmodel.Selector {
	var out []netmodel.Selector
	for _, c := range e.ChildSAs {
		out = append(out, c.Selectors...)
	}
	return out
}

// ownAddrs lists the addresses a device uses as an IPsec endpoint or holds
// on an interface.
func ownAddrs(d *netmodel.Device) map[netip.Addr]bool {
	m := map[netip.Addr]bool{}
	add := func(a netip.Addr) {
		if a.IsValid() && !a.IsUnspecified() {
			m[a.Unmap()] = true
		}
	}
	for _, c := range d.IPsec.IKEConfigs {
		add(c.LocalAddr)
	}
	for _, s := range d.IPsec.IKESAs {
		add(s.LocalAddr)
	}
	for _, s := range d.IPsec.ChildSAs {
		add(s.LocalAddr)
	}
	for _, i := range d.Interfaces {
		for _, p := range i.Addrs {
			add(p.Addr())
		}
		add(i.TunnelSrc)
	}
	return m
}

// Tunnels groups every device's IPsec data by peer and pairs the two ends
// of each tunnel when both devices are in the snapshot: A's peer is one of
// B's addresses and B's peer one of A's, or an outbound SPI of one is an
// inbound SPI of the other. Computed once per run.
func (c *Context) Tunnels() []*TunnelEnd {
	if c.tunnelsDone {
		return c.tunnels
	}
	c.tunnelsDone = true
	for _, d := range c.S.Devices {
		ends := map[netip.Addr]*TunnelEnd{}
		var order []netip.Addr
		get := func(peer netip.Addr) *TunnelEnd {
			peer = peer.Unmap()
			e := ends[peer]
			if e == nil {
				e = &TunnelEnd{Dev: d, Peer: peer}
				ends[peer] = e
				order = append(order, peer)
			}
			return e
		}
		ikeByName := map[string]*netmodel.IKEConfig{}
		for _, k := range d.IPsec.IKEConfigs {
			ikeByName[k.Name] = k
			if k.RemoteAddr.IsValid() {
				e := get(k.RemoteAddr)
				e.IKE = append(e.IKE, k)
				if !e.Local.IsValid() {
					e.Local = k.LocalAddr
				}
			}
		}
		for _, ch := range d.IPsec.Children {
			if k := ikeByName[ch.IKE]; k != nil && k.RemoteAddr.IsValid() {
				e := get(k.RemoteAddr)
				e.Children = append(e.Children, ch)
			}
		}
		saPeer := map[string]netip.Addr{}
		for _, sa := range d.IPsec.IKESAs {
			if !sa.RemoteAddr.IsValid() {
				continue
			}
			e := get(sa.RemoteAddr)
			e.IKESAs = append(e.IKESAs, sa)
			if !e.Local.IsValid() {
				e.Local = sa.LocalAddr
			}
			if sa.Name != "" {
				saPeer[sa.Name] = sa.RemoteAddr
			}
		}
		for _, ch := range d.IPsec.ChildSAs {
			peer := ch.RemoteAddr
			if !peer.IsValid() {
				peer = saPeer[ch.IKE]
			}
			if !peer.IsValid() {
				if k := ikeByName[ch.IKE]; k != nil {
					peer = k.RemoteAddr
				}
			}
			if !peer.IsValid() {
				continue
			}
			e := get(peer)
			e.ChildSAs = append(e.ChildSAs, ch)
		}
		for _, p := range order {
			c.tunnels = append(c.tunnels, ends[p])
		}
	}
	// Pair ends across devices.
	addrs := map[*netmodel.Device]map[netip.Addr]bool{}
	for _, d := range c.S.Devices {
		addrs[d] = ownAddrs(d)
	}
	for _, a := range c.tunnels {
		if a.Partner != nil {
			continue
		}
		for _, b := range c.tunnels {
			if b == a || b.Dev == a.Dev || b.Partner != nil {
				continue
			}
			if (addrs[b.Dev][a.Peer] && addrs[a.Dev][b.Peer]) || spisMeet(a, b) {
				a.Partner, b.Partner = b, a
				break
			}
		}
	}
	sort.SliceStable(c.tunnels, func(i, j int) bool { return c.tunnels[i].Name() < c.tunnels[j].Name() })
	return c.tunnels
}

// spisMeet reports whether an outbound SPI of one end is an inbound SPI of
// the other.
func spisMeet(a, b *TunnelEnd) bool {
	in := map[uint32]bool{}
	for _, s := range b.ChildSAs {
		if s.InSPI != 0 {
			in[s.InSPI] = true
		}
	}
	for _, s := range a.ChildSAs {
		if s.OutSPI != 0 && in[s.OutSPI] {
			return true
		}
	}
	return false
}

// pairs yields each paired tunnel once (a's device name first).
func (c *Context) pairs(fn func(a, b *TunnelEnd)) {
	for _, a := range c.Tunnels() {
		if a.Partner != nil && a.Dev.Name < a.Partner.Dev.Name {
			fn(a, a.Partner)
		}
	}
}
