package netmodel

import (
	"fmt"
	"net/netip"
	"strings"
)

// PortRange is an inclusive range of transport ports; the zero value and
// 0-65535 both mean any port.
type PortRange struct {
	Lo, Hi uint16
}

// Any reports whether the range admits every port.
func (r PortRange) Any() bool { return r.Lo == 0 && (r.Hi == 0 || r.Hi == 65535) }

// Contains reports whether o lies within r.
func (r PortRange) Contains(o PortRange) bool {
	if r.Any() {
		return true
	}
	if o.Any() {
		return false
	}
	return r.Lo <= o.Lo && o.Hi <= r.Hi
}

func (r PortRange) String() string {
	switch {
	case r.Any():
		return "any"
	case r.Lo == r.Hi:
		return fmt.Sprint(r.Lo)
	}
	return fmt.Sprintf("%d-%d", r.Lo, r.Hi)
}

// Selector is one phase-2 traffic selector pair (proxy ID, crypto ACL line,
// swanctl local_ts/remote_ts), seen from the device that holds it.
type Selector struct {
	Local  netip.Prefix `json:"local"`
	Remote netip.Prefix `json:"remote"`
	// Proto is the IP protocol number; 0 is any.
	Proto       uint8     `json:"proto,omitempty"`
	LocalPorts  PortRange `json:"local_ports,omitzero"`
	RemotePorts PortRange `json:"remote_ports,omitzero"`
}

// Mirror returns the selector as the other end must hold it.
func (s Selector) Mirror() Selector {
	return Selector{Local: s.Remote, Remote: s.Local, Proto: s.Proto, LocalPorts: s.RemotePorts, RemotePorts: s.LocalPorts}
}

// Covers reports whether s admits all the traffic o does (o ⊆ s).
func (s Selector) Covers(o Selector) bool {
	return prefixCovers(s.Local, o.Local) && prefixCovers(s.Remote, o.Remote) &&
		(s.Proto == 0 || s.Proto == o.Proto) && s.LocalPorts.Contains(o.LocalPorts) && s.RemotePorts.Contains(o.RemotePorts)
}

func prefixCovers(a, b netip.Prefix) bool {
	return a.IsValid() && b.IsValid() && a.Addr().Is4() == b.Addr().Is4() && a.Bits() <= b.Bits() && a.Contains(b.Addr())
}

func (s Selector) String() string {
	x := s.Local.String() + " === " + s.Remote.String()
	if s.Proto != 0 || !s.LocalPorts.Any() || !s.RemotePorts.Any() {
		x += fmt.Sprintf(" (proto %s, ports %s→%s)", ProtoName(s.Proto), s.LocalPorts, s.RemotePorts)
	}
	return x
}

// ProtoName names an IP protocol number.
func ProtoName(p uint8) string {
	switch p {
	case 0:
		return "any"
	case 1:
		return "icmp"
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 47:
		return "gre"
	case 50:
		return "esp"
	}
	return fmt.Sprint(p)
}

// Proposal is one IKE or ESP proposal: the algorithms it offers, named the
// way strongSwan does (aes128, aes256gcm16, 3des, sha1, sha256, md5,
// modp1024, modp2048, ecp256, ...), whatever the platform printed.
type Proposal struct {
	Encryption []string `json:"encryption"`
	Integrity  []string `json:"integrity,omitempty"`
	PRF        []string `json:"prf,omitempty"`
	DH         []string `json:"dh,omitempty"` // for ESP: the PFS group(s); empty = no PFS
}

func (p Proposal) String() string {
	var parts []string
	for _, l := range [][]string{p.Encryption, p.Integrity, p.PRF, p.DH} {
		parts = append(parts, l...)
	}
	return strings.Join(parts, "-")
}

// Algs is what one negotiated SA uses.
type Algs struct {
	Encryption string `json:"encryption,omitempty"`
	Integrity  string `json:"integrity,omitempty"`
	PRF        string `json:"prf,omitempty"`
	DH         string `json:"dh,omitempty"`
}

func (a Algs) String() string {
	var p []string
	for _, x := range []string{a.Encryption, a.Integrity, a.PRF, a.DH} {
		if x != "" {
			p = append(p, x)
		}
	}
	return strings.Join(p, "/")
}

// Secret describes a pre-shared key without holding it: a keyed hash (per
// bundle, so reuse across peers can be seen), its length, and whether it is
// a dictionary word. The key itself never enters the model.
type Secret struct {
	Hash       string `json:"hash,omitempty"`
	Length     int    `json:"length,omitempty"`
	Dictionary bool   `json:"dictionary,omitempty"`
	Src        Source `json:"-"`
}

// IKEConfig is a configured phase 1: an IKE gateway / isakmp or ikev2
// profile / swanctl connection / ipsec.conf conn.
type IKEConfig struct {
	Name       string
	Version    int // 1, 2; 0 = either
	LocalAddr  netip.Addr
	RemoteAddr netip.Addr // invalid for dynamic peers
	LocalID    string
	RemoteID   string
	Aggressive bool
	Auth       string // psk, pubkey, eap, ...
	Proposals  []Proposal
	Lifetime   int // seconds, 0 = unknown
	PSK        Secret
	// Policy names the object that holds the proposals when it is not the
	// gateway itself (Junos `ike policy`), for fixes.
	Policy string
	Src    Source
}

// ChildConfig is a configured phase 2: an IPsec VPN / crypto map entry /
// tunnel protection profile / swanctl child.
type ChildConfig struct {
	Name      string
	IKE       string // the IKEConfig it belongs to
	Selectors []Selector
	Proposals []Proposal // PFS groups in Proposal.DH
	Lifetime  int        // seconds, 0 = unknown
	// RouteBased is true for VTI/st0/XFRM-interface designs whose selectors
	// are any/any and routing decides; Interface names the tunnel interface.
	RouteBased bool
	Interface  string
	// PolicyBased is true when security policies or crypto ACLs pick the
	// traffic (Junos `then permit tunnel ipsec-vpn`, crypto map ACLs).
	PolicyBased bool
	// ACL names the crypto access list that holds the selectors (IOS/ASA).
	ACL string
	// Policy names the object that holds the ESP proposals and PFS when it
	// is not the child itself (Junos `ipsec policy`, IOS/ASA `crypto ipsec
	// profile` of a tunnel interface), for fixes.
	Policy string
	Src    Source
}

// IKESA is a phase-1 SA as the device reports it.
type IKESA struct {
	Name       string // connection or gateway name, when printed
	Version    int
	LocalAddr  netip.Addr
	RemoteAddr netip.Addr
	LocalPort  uint16
	RemotePort uint16
	State      string // as printed: ESTABLISHED, UP, MM_ACTIVE, READY, ...
	Up         bool
	InitSPI    string // hex, as printed
	RespSPI    string
	Algs       Algs
	Lifetime   int // seconds configured/negotiated, 0 unknown
	Remaining  int // seconds left, -1 unknown
	Aggressive bool
	Src        Source
}

// ChildSA is an installed phase-2 SA pair (one inbound and one outbound
// ESP/AH SA) with its selectors and counters.
type ChildSA struct {
	Name       string
	IKE        string // IKE SA or connection name, when printed
	LocalAddr  netip.Addr
	RemoteAddr netip.Addr
	Selectors  []Selector
	InSPI      uint32
	OutSPI     uint32
	Protocol   string // esp, ah
	Mode       string // tunnel, transport
	Encap      bool   // UDP-encapsulated (NAT-T)
	Algs       Algs
	// Counters; Known says they were printed.
	BytesIn, BytesOut     uint64
	PacketsIn, PacketsOut uint64
	CountersKnown         bool
	Lifetime              int // seconds, 0 unknown
	Remaining             int // seconds left, -1 unknown
	State                 string
	Interface             string // tunnel interface bound, when printed
	Src                   Source
}

// IPsec is everything a device says about IPsec.
type IPsec struct {
	IKEConfigs []*IKEConfig
	Children   []*ChildConfig
	IKESAs     []*IKESA
	ChildSAs   []*ChildSA
}

// Route is one routing-table entry.
type Route struct {
	VRF       string       `json:"vrf,omitempty"`
	Prefix    netip.Prefix `json:"prefix"`
	NextHop   netip.Addr   `json:"next_hop,omitzero"`
	Interface string       `json:"interface,omitempty"`
	Protocol  string       `json:"protocol"` // connected, local, static, ospf, bgp, kernel, ...
	Distance  int          `json:"distance,omitempty"`
	Metric    int          `json:"metric,omitempty"`
	// Active is false for routes the device lists but does not use
	// (inactive, hidden, not best).
	Active bool `json:"active"`
	// Configured marks a static route read from the configuration (FRR's
	// running-config) rather than from a routing table: what was asked
	// for, installed or not. It is never Active; whether it made it into
	// the table is for the rules to find out.
	Configured bool   `json:"configured,omitempty"`
	Src        Source `json:"-"`
}

// Interface is a layer-3 or tunnel interface's state.
type Interface struct {
	Name    string
	AdminUp bool
	OperUp  bool
	Known   bool // admin/oper state was printed
	Addrs   []netip.Prefix
	// Tunnel is set for st0.N, Tunnel/VTI, gr-, ipsec, xfrm interfaces.
	Tunnel bool
	// TunnelSrc/TunnelDst are a GRE/VTI tunnel's outer addresses, when known.
	TunnelSrc, TunnelDst netip.Addr
	Src                  Source
}
