package diagnose

import (
	"net/netip"

	"github.com/nettui/nettui/diagnose/rib"
	"github.com/nettui/nettui/internal/netmodel"
)

// This file exports the views the rules share, for the guided walkthroughs
// (package diagnose/walk): they follow the same uplinks, tunnels and
// channels as the rules, and cite lines the same way.

// NewContext returns a fresh rule context over s.
func NewContext(s *netmodel.Snapshot) *Context { return &Context{S: s} }

// Cite returns the evidence for src on device, with the raw text of those
// lines; ok is false when src cites no line of a known file.
func (c *Context) Cite(device string, src netmodel.Source, note string) (netmodel.Evidence, bool) {
	return c.evidence(device, src, note)
}

// CiteFocus is Cite narrowed to the lines of src that start with one of
// keys (case-insensitive, leading blanks ignored): the decisive lines of a
// long block. Without a match it cites all of src.
func (c *Context) CiteFocus(device string, src netmodel.Source, note string, keys ...string) (netmodel.Evidence, bool) {
	l := &evList{c: c}
	l.addFocus(device, src, note, keys...)
	if len(l.out) == 0 {
		return netmodel.Evidence{}, false
	}
	return l.out[0], true
}

// TeamingKeys are the decisive lines of a failover policy read from from
// ("vSwitch policy", "port group override", ...), for CiteFocus.
func TeamingKeys(from string) []string { return teamingKeys(from) }

// NeighborKeys are the decisive lines of a CDP/LLDP entry, for CiteFocus.
func NeighborKeys() []string { return append([]string(nil), neighborKeys...) }

// Teaming returns the failover policy that applies to port group pg (nil
// for the vSwitch itself) on host: the port group's override, else the
// vSwitch's; from says which, known is false when neither was collected.
func Teaming(host *netmodel.Device, vs *netmodel.VSwitch, pg *netmodel.PortGroup) (t netmodel.Teaming, from string, known bool) {
	return teaming(host, vs, pg)
}

// Carries reports whether the uplink's switch port passes frames tagged
// with vlan.
func (u *Uplink) Carries(vlan int) bool { return u.carries(vlan) }

// IsAccess reports whether the uplink's switch port is not a trunk.
func (u *Uplink) IsAccess() bool { return u.isAccess() }

// VLANPort returns the switch port that holds the VLAN configuration of
// port on d: its port-channel/bond when it is a member of one, else itself.
func VLANPort(d *netmodel.Device, port string) (string, *netmodel.SwitchPort) {
	return vlanPort(d, port)
}

// ChannelOfPort returns the port-channel/bond port is a member of, or "".
func ChannelOfPort(d *netmodel.Device, port string) string { return channelOfPort(d, port) }

// IsSwitch reports whether devices of platform p switch frames (and so
// have switch ports, channels and spanning tree).
func IsSwitch(p netmodel.Platform) bool { return isSwitch(p) }

// PlatformName names a platform for people ("Cisco IOS/IOS-XE").
func PlatformName(p netmodel.Platform) string { return platformName(p) }

// LAGPeer returns the device and LAG at the far end of lag's members, when
// that device was collected and its ports there form a LAG.
func (c *Context) LAGPeer(d *netmodel.Device, lag *netmodel.LAG) (*netmodel.Device, *netmodel.LAG) {
	return c.lagPeer(d, lag)
}

// RemoteNets lists the remote networks end e's own selectors protect (not
// any/any, not the GRE transport between the gateways).
func RemoteNets(e *TunnelEnd) []netip.Prefix {
	n, _ := remoteNets(e)
	return n
}

// LocalNets lists the local networks end e's own selectors protect.
func LocalNets(e *TunnelEnd) []netip.Prefix { return localNets(e) }

// TunnelInterface is the tunnel interface (st0.N, Tunnel0, gr-0/0/0.0, ...)
// end e's route-based child uses, or "".
func TunnelInterface(e *TunnelEnd) string { return tunnelIface(e) }

// TransportOnly reports whether selector s of end e protects only the
// tunnel's own outer traffic (GRE over IPsec between the two gateways).
func TransportOnly(s netmodel.Selector, e *TunnelEnd) bool { return transportOnly(s, e) }

// IsTunnelInterface reports whether name is a tunnel interface on d.
func IsTunnelInterface(d *netmodel.Device, name string) bool { return isTunnelIf(d, name) }

// Resolver answers where a device sends traffic for an address.
type Resolver interface {
	Resolve(a netip.Addr) (rib.Resolution, error)
}

// Forwarding is how d forwards, as the route rules read it: its global
// table, with strongSwan's table 220 looked up first on a Linux host; nil
// when its routes were not collected.
func (c *Context) Forwarding(d *netmodel.Device) Resolver {
	t := c.tables(d)
	if t == nil || t.main == nil {
		return nil
	}
	return t
}

// RoutesFollowSAs reports whether the end's routes into the tunnel come and
// go with its child SAs (strongSwan's kernel-libipsec on Linux): while no
// child SA protects a remote subnet, its missing route is a symptom.
func RoutesFollowSAs(e *TunnelEnd) bool { return routesFollowSAs(e) }

// ChildSAFor reports whether an installed child SA of the end protects
// traffic to the remote subnet n.
func ChildSAFor(e *TunnelEnd, n netip.Prefix) bool { return childSAFor(e, n) }

// L2Platform is the platform whose commands configure d's switching: a
// Linux host whose switching outputs are Open vSwitch's is an Open vSwitch
// switch.
func L2Platform(d *netmodel.Device) netmodel.Platform { return l2Platform(d) }

// JoinAnd joins names as "a, b and c", as the rules word their findings.
func JoinAnd(items []string) string { return joinAnd(items) }
