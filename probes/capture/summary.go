package capture

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unsafe"
)

// Proto is the highest protocol nettui recognised in a frame.
type Proto uint8

// Protocols, from the link layer up; a frame gets the last one decoded.
const (
	ProtoUnknown Proto = iota
	ProtoEthernet
	ProtoARP
	ProtoIPv4
	ProtoIPv6
	ProtoICMPv4
	ProtoICMPv6
	ProtoUDP
	ProtoTCP
	ProtoGRE
	ProtoESP
	ProtoIKE
	ProtoNATKeepalive
	ProtoLACP
	ProtoSlowOther // slow protocols other than LACP (e.g. Marker)
	ProtoSTP
	ProtoRSTP
	ProtoMSTP
	ProtoCDP
	ProtoLLDP
	numProtos
)

var protoNames = [numProtos]string{"unknown", "ether", "arp", "ipv4", "ipv6", "icmp", "icmp6",
	"udp", "tcp", "gre", "esp", "ike", "nat-keepalive", "lacp", "slow", "stp", "rstp", "mstp", "cdp", "lldp"}

func (p Proto) String() string {
	if p < numProtos {
		return protoNames[p]
	}
	return fmt.Sprintf("proto(%d)", uint8(p))
}

// Summary flags.
const (
	// FlagTruncated: the frame was cut (snap length) or a layer ran out of bytes.
	FlagTruncated uint8 = 1 << iota
	// FlagMalformed: a layer failed to decode; fields up to it are valid.
	FlagMalformed
	// FlagTunneled: the addresses are those of the outer (GRE) packet.
	FlagTunneled
	// FlagNATT: ESP or IKE carried in UDP (RFC 3948).
	FlagNATT
	// FlagFragment: an IPv4/IPv6 fragment; nothing above IP was decoded.
	FlagFragment
)

// Summary is the decoded essentials of one frame. It holds no references to
// the packet bytes, so it may be kept after the buffer is reused. It is a
// plain value (no pointers except Iface, which is shared) to keep rings of
// them compact; only the fields of the frame's protocol are set.
type Summary struct {
	Time   time.Time
	Iface  string
	Length uint32 // original length on the wire
	CapLen uint32 // bytes captured

	Proto     Proto
	Flags     uint8
	IPProto   uint8 // IP protocol number (after IPv6 extension headers)
	VLANCount uint8 // 802.1Q tags seen (VLANs[0] is the outer one)
	VLANs     [2]uint16
	EtherType uint16 // innermost ethertype (after VLAN tags), 0 for 802.3/LLC
	SrcMAC    [6]byte
	DstMAC    [6]byte
	SrcPort   uint16
	DstPort   uint16     // for ICMP fragmentation-needed / packet-too-big: the MTU
	ICMP      uint16     // ICMP type<<8 | code
	Src, Dst  netip.Addr // outer addresses when tunneled

	ESPSPI uint32 // ProtoESP
	ESPSeq uint32

	IKE  IKESummary  // ProtoIKE
	LACP LACPSummary // ProtoLACP
	BPDU BPDUSummary // ProtoSTP, ProtoRSTP, ProtoMSTP
	// Neighbor is set for ProtoCDP and ProtoLLDP.
	Neighbor NeighborInfo
}

// IKESummary is the part of an IKE header a Summary keeps.
type IKESummary struct {
	InitiatorSPI uint64
	ResponderSPI uint64
	MessageID    uint32
	Version      uint8 // major version
	Exchange     uint8
	Flags        uint8
	NextPayload  uint8
	NotifyCount  uint8
	Encrypted    bool
	Notifies     [4]uint16
}

// LACPSummary is the actor and partner information of an LACPDU.
type LACPSummary struct {
	Actor, Partner LACPInfo
}

// BPDUSummary is the part of a BPDU a Summary keeps.
type BPDUSummary struct {
	RootID       BridgeID
	BridgeID     BridgeID
	RootPathCost uint32
	PortID       uint16
	Version      uint8
	Type         uint8
	Flags        uint8
}

// VLAN returns the outer VLAN ID, or -1 for an untagged frame.
func (s *Summary) VLAN() int {
	if s.VLANCount == 0 {
		return -1
	}
	return int(s.VLANs[0])
}

// SrcAddrPort returns the source address and port (port 0 without UDP/TCP).
func (s *Summary) SrcAddrPort() netip.AddrPort { return netip.AddrPortFrom(s.Src, s.SrcPort) }

// DstAddrPort returns the destination address and port.
func (s *Summary) DstAddrPort() netip.AddrPort { return netip.AddrPortFrom(s.Dst, s.DstPort) }

// String renders a one-line description, as in a packet list (allocates).
func (s *Summary) String() string {
	var b strings.Builder
	if s.Iface != "" {
		b.WriteString(s.Iface)
		b.WriteByte(' ')
	}
	for i := 0; i < int(s.VLANCount) && i < len(s.VLANs); i++ {
		fmt.Fprintf(&b, "vlan %d ", s.VLANs[i])
	}
	b.WriteString(s.Proto.String())
	switch s.Proto {
	case ProtoLACP:
		a, p := s.LACP.Actor, s.LACP.Partner
		fmt.Fprintf(&b, " actor %s key %d port %d %s partner %s key %d port %d %s",
			macString(a.System[:]), a.Key, a.Port, LACPStateString(a.State),
			macString(p.System[:]), p.Key, p.Port, LACPStateString(p.State))
	case ProtoSTP, ProtoRSTP, ProtoMSTP:
		d := s.BPDU
		if d.Type == BPDUTypeTCN {
			b.WriteString(" tcn")
			break
		}
		fmt.Fprintf(&b, " root %s cost %d bridge %s port %04x flags %s",
			d.RootID, d.RootPathCost, d.BridgeID, d.PortID, bpduFlagString(d.Version, d.Flags))
	case ProtoCDP, ProtoLLDP:
		fmt.Fprintf(&b, " device %q port %q", s.Neighbor.Device(), s.Neighbor.Port())
	case ProtoARP:
		fmt.Fprintf(&b, " %s > %s", s.Src, s.Dst)
	default:
		if s.Src.IsValid() {
			fmt.Fprintf(&b, " %s > %s", s.SrcAddrPort(), s.DstAddrPort())
			if s.Proto == ProtoIPv4 || s.Proto == ProtoIPv6 || s.Proto == ProtoGRE {
				fmt.Fprintf(&b, " proto %d", s.IPProto)
			}
		}
	}
	switch s.Proto {
	case ProtoESP:
		fmt.Fprintf(&b, " spi 0x%08x seq %d", s.ESPSPI, s.ESPSeq)
	case ProtoIKE:
		k := s.IKE
		fmt.Fprintf(&b, " v%d %s", k.Version, ExchangeName(k.Version, k.Exchange))
		if k.Version == 2 {
			if k.Flags&IKEFlagResponse != 0 {
				b.WriteString(" response")
			} else {
				b.WriteString(" request")
			}
			if k.Flags&IKEFlagInitiator != 0 {
				b.WriteString(" I")
			}
		}
		fmt.Fprintf(&b, " spi %016x/%016x msgid %d", k.InitiatorSPI, k.ResponderSPI, k.MessageID)
		for i := 0; i < int(k.NotifyCount) && i < len(k.Notifies); i++ {
			fmt.Fprintf(&b, " N(%s)", NotifyName(k.Notifies[i]))
		}
		if k.Encrypted {
			b.WriteString(" [encrypted]")
		}
	case ProtoICMPv4, ProtoICMPv6:
		fmt.Fprintf(&b, " type %d code %d", s.ICMP>>8, s.ICMP&0xff)
	}
	if s.Flags&FlagNATT != 0 {
		b.WriteString(" natt")
	}
	if s.Flags&FlagTunneled != 0 {
		b.WriteString(" gre")
	}
	if s.Flags&FlagFragment != 0 {
		b.WriteString(" frag")
	}
	if s.Flags&FlagTruncated != 0 {
		b.WriteString(" truncated")
	}
	if s.Flags&FlagMalformed != 0 {
		b.WriteString(" malformed")
	}
	return b.String()
}

func bpduFlagString(version, f uint8) string {
	var parts []string
	if f&BPDUFlagTC != 0 {
		parts = append(parts, "TC")
	}
	if f&BPDUFlagTCAck != 0 {
		parts = append(parts, "TCA")
	}
	if version >= BPDUVersionRSTP {
		if f&BPDUFlagProposal != 0 {
			parts = append(parts, "proposal")
		}
		if f&BPDUFlagAgreement != 0 {
			parts = append(parts, "agreement")
		}
		if f&BPDUFlagLearning != 0 {
			parts = append(parts, "learning")
		}
		if f&BPDUFlagForwarding != 0 {
			parts = append(parts, "forwarding")
		}
		parts = append(parts, "role="+PortRole(f&BPDUFlagRoleMask>>bpduFlagRoleShift).String())
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ",")
}

// summarySize is the in-memory size of a Summary (what each ring slot costs).
const summarySize = int(unsafe.Sizeof(Summary{}))
