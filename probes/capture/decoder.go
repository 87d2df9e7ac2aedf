package capture

import (
	"encoding/binary"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Decoder turns frames into Summaries with a gopacket.DecodingLayerParser over
// preallocated layers: after the first few frames it allocates nothing per
// frame. A Decoder is not safe for concurrent use; use one per capture.
type Decoder struct {
	parser  *gopacket.DecodingLayerParser
	parser6 *gopacket.DecodingLayerParser // raw IP links: IPv6 packets
	first   gopacket.LayerType
	decoded []gopacket.LayerType
	cur     *Summary

	eth    ethernetLayer
	sll    sllLayer
	dot1q  dot1qLayer
	arp    arpLayer
	ip4    ipv4Layer
	ip6    ipv6Layer
	ip6ext layers.IPv6ExtensionSkipper
	udp    udpLayer
	tcp    tcpLayer
	icmp4  icmp4Layer
	icmp6  icmp6Layer
	gre    greLayer
	esp    espLayer
	llc    llcLayer
	snap   snapLayer
	lacp   lacpLayer
	bpdu   bpduLayer
	ike    ikeLayer
	marker NonESPMarker
	cdp    cdpLayer
	lldp   lldpLayer
}

// NewDecoder returns a Decoder for frames of the given link type: Ethernet,
// Linux cooked capture (v1, as written by `tcpdump -i any`) or raw IP.
func NewDecoder(link layers.LinkType) *Decoder {
	d := &Decoder{decoded: make([]gopacket.LayerType, 0, 16)}
	switch link {
	case layers.LinkTypeLinuxSLL:
		d.first = layers.LayerTypeLinuxSLL
	case layers.LinkTypeRaw, layers.LinkTypeIPv4:
		d.first = layers.LayerTypeIPv4
	case layers.LinkTypeIPv6:
		d.first = layers.LayerTypeIPv6
	default:
		d.first = layers.LayerTypeEthernet
	}
	for _, w := range []interface{ setDecoder(*Decoder) }{&d.eth, &d.sll, &d.dot1q, &d.arp, &d.ip4,
		&d.ip6, &d.udp, &d.tcp, &d.icmp4, &d.icmp6, &d.gre, &d.esp, &d.llc, &d.snap, &d.lacp,
		&d.bpdu, &d.ike, &d.cdp, &d.lldp} {
		w.setDecoder(d)
	}
	all := []gopacket.DecodingLayer{&d.eth, &d.sll, &d.dot1q, &d.arp, &d.ip4, &d.ip6, &d.ip6ext, &d.udp, &d.tcp, &d.icmp4,
		&d.icmp6, &d.gre, &d.esp, &d.llc, &d.snap, &d.lacp, &d.bpdu, &d.ike, &d.marker, &d.cdp, &d.lldp}
	d.parser = gopacket.NewDecodingLayerParser(d.first, all...)
	d.parser.IgnoreUnsupported = true
	if d.first == layers.LayerTypeIPv4 {
		d.parser6 = gopacket.NewDecodingLayerParser(layers.LayerTypeIPv6, all...)
		d.parser6.IgnoreUnsupported = true
	}
	return d
}

// Decode decodes one frame into *s, which it overwrites. iface names the
// interface the frame was captured on (pass the same string each time; it is
// stored, not copied). On a decode error the fields of the layers decoded
// before the failing one are set, FlagMalformed is set and the layer's error
// is returned. data is not retained.
func (d *Decoder) Decode(data []byte, ci gopacket.CaptureInfo, iface string, s *Summary) error {
	*s = Summary{Time: ci.Timestamp, Iface: iface, Length: uint32(ci.Length), CapLen: uint32(len(data))}
	if ci.Length == 0 {
		s.Length = s.CapLen
	}
	d.cur = s
	p := d.parser
	if d.parser6 != nil && len(data) > 0 && data[0]>>4 == 6 {
		p = d.parser6 // LINKTYPE_RAW carries IPv4 and IPv6
	}
	err := p.DecodeLayers(data, &d.decoded)
	s.Flags |= truncFlag(p.Truncated || (ci.Length > 0 && ci.CaptureLength > 0 && ci.CaptureLength < ci.Length))
	if err != nil {
		s.Flags |= FlagMalformed
	}
	d.cur = nil
	return err
}

func truncFlag(b bool) uint8 {
	if b {
		return FlagTruncated
	}
	return 0
}

// Summarize decodes one frame and returns its Summary (see Decode).
func (d *Decoder) Summarize(data []byte, ci gopacket.CaptureInfo, iface string) (Summary, error) {
	var s Summary
	err := d.Decode(data, ci, iface, &s)
	return s, err
}

// ----- wrappers: each embeds a gopacket layer, records what the Summary needs
// as it decodes, and routes to nettui's own layers where gopacket would not.

type decoderRef struct{ d *Decoder }

func (r *decoderRef) setDecoder(d *Decoder) { r.d = d }

// nextEtherType maps an ethertype to the next layer, adding the protocols
// gopacket does not route to a DecodingLayer.
func nextEtherType(t layers.EthernetType, payload []byte) gopacket.LayerType {
	switch t {
	case EthernetTypeSlowProtocols:
		if len(payload) > 0 && payload[0] == SlowProtocolLACP {
			return LayerTypeLACP
		}
		return gopacket.LayerTypeZero
	case layers.EthernetTypeLinkLayerDiscovery:
		return LayerTypeLLDP
	case layers.EthernetTypeQinQ, layers.EthernetTypeDot1Q:
		return layers.LayerTypeDot1Q
	}
	return t.LayerType()
}

func protoForEtherType(t layers.EthernetType) Proto {
	switch t {
	case EthernetTypeSlowProtocols:
		return ProtoSlowOther
	}
	return ProtoEthernet
}

type ethernetLayer struct {
	layers.Ethernet
	decoderRef
}

func (l *ethernetLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.Ethernet.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	copy(s.DstMAC[:], data[0:6])
	copy(s.SrcMAC[:], data[6:12])
	s.Proto = protoForEtherType(l.EthernetType)
	if l.EthernetType != layers.EthernetTypeLLC {
		s.EtherType = uint16(l.EthernetType)
	}
	return nil
}

func (l *ethernetLayer) NextLayerType() gopacket.LayerType {
	return nextEtherType(l.EthernetType, l.Payload)
}

type sllLayer struct {
	layers.LinuxSLL
	decoderRef
}

func (l *sllLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.LinuxSLL.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	if l.AddrLen == 6 {
		copy(s.SrcMAC[:], l.Addr)
	}
	s.Proto = protoForEtherType(l.EthernetType)
	s.EtherType = uint16(l.EthernetType)
	return nil
}

func (l *sllLayer) NextLayerType() gopacket.LayerType {
	return nextEtherType(l.EthernetType, l.Payload)
}

type dot1qLayer struct {
	layers.Dot1Q
	decoderRef
}

func (l *dot1qLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.Dot1Q.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	if int(s.VLANCount) < len(s.VLANs) {
		s.VLANs[s.VLANCount] = l.VLANIdentifier
	}
	if s.VLANCount < 255 {
		s.VLANCount++
	}
	s.EtherType = uint16(l.Type)
	s.Proto = protoForEtherType(l.Type)
	return nil
}

func (l *dot1qLayer) NextLayerType() gopacket.LayerType { return nextEtherType(l.Type, l.Payload) }

type arpLayer struct {
	layers.ARP
	decoderRef
}

func (l *arpLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.ARP.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	s.Proto = ProtoARP
	if l.Protocol == layers.EthernetTypeIPv4 && len(l.SourceProtAddress) == 4 && len(l.DstProtAddress) == 4 {
		s.Src = netip.AddrFrom4([4]byte(l.SourceProtAddress))
		s.Dst = netip.AddrFrom4([4]byte(l.DstProtAddress))
	}
	return nil
}

type ipv4Layer struct {
	layers.IPv4
	decoderRef
}

func (l *ipv4Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.IPv4.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	if s.Proto == ProtoGRE {
		s.Flags |= FlagTunneled // keep the outer addresses
	} else {
		s.Src = netip.AddrFrom4([4]byte(l.SrcIP.To4()))
		s.Dst = netip.AddrFrom4([4]byte(l.DstIP.To4()))
		s.IPProto = uint8(l.Protocol)
	}
	s.Proto = ProtoIPv4
	if l.Flags&layers.IPv4MoreFragments != 0 || l.FragOffset != 0 {
		s.Flags |= FlagFragment
	}
	return nil
}

type ipv6Layer struct {
	layers.IPv6
	decoderRef
}

func (l *ipv6Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.IPv6.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	if s.Proto == ProtoGRE {
		s.Flags |= FlagTunneled
	} else {
		s.Src = netip.AddrFrom16([16]byte(l.SrcIP.To16()))
		s.Dst = netip.AddrFrom16([16]byte(l.DstIP.To16()))
		s.IPProto = uint8(l.NextHeader)
	}
	s.Proto = ProtoIPv6
	if l.NextHeader == layers.IPProtocolIPv6Fragment {
		s.Flags |= FlagFragment
	}
	return nil
}

type udpLayer struct {
	layers.UDP
	decoderRef
}

func (l *udpLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.UDP.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	s.Proto = ProtoUDP
	if s.Flags&FlagTunneled == 0 {
		s.SrcPort, s.DstPort = uint16(l.SrcPort), uint16(l.DstPort)
		s.IPProto = uint8(layers.IPProtocolUDP)
	}
	return nil
}

// NextLayerType routes UDP 500 to IKE and UDP 4500 to the non-ESP marker
// (then IKE), ESP-in-UDP, or a NAT keepalive (RFC 3948 2.2, 2.3).
func (l *udpLayer) NextLayerType() gopacket.LayerType {
	if l.SrcPort == PortNATT || l.DstPort == PortNATT {
		p := l.Payload
		switch {
		case len(p) == 1 && p[0] == 0xff:
			l.d.cur.Proto = ProtoNATKeepalive
			return gopacket.LayerTypeZero
		case len(p) >= 4 && binary.BigEndian.Uint32(p) == 0:
			l.d.cur.Flags |= FlagNATT
			return LayerTypeNonESPMarker
		case len(p) >= 8:
			l.d.cur.Flags |= FlagNATT
			return layers.LayerTypeIPSecESP
		}
		return gopacket.LayerTypeZero
	}
	if l.SrcPort == PortIKE || l.DstPort == PortIKE {
		return LayerTypeIKE
	}
	return gopacket.LayerTypeZero
}

type tcpLayer struct {
	layers.TCP
	decoderRef
}

func (l *tcpLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.TCP.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	s.Proto = ProtoTCP
	if s.Flags&FlagTunneled == 0 {
		s.SrcPort, s.DstPort = uint16(l.SrcPort), uint16(l.DstPort)
		s.IPProto = uint8(layers.IPProtocolTCP)
	}
	return nil
}

// NextLayerType stops at TCP: nettui decodes nothing above it (IKE over TCP,
// RFC 8229, is not decoded).
func (l *tcpLayer) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

type icmp4Layer struct {
	layers.ICMPv4
	decoderRef
}

func (l *icmp4Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.ICMPv4.DecodeFromBytes(data, df); err != nil {
		return err
	}
	l.d.cur.Proto = ProtoICMPv4
	l.d.cur.ICMP = uint16(l.TypeCode)
	if l.TypeCode == layers.CreateICMPv4TypeCode(3, 4) {
		// Fragmentation needed: the next-hop MTU is the low half of the
		// rest of the header (RFC 1191); ICMP has no ports to keep.
		l.d.cur.DstPort = l.Seq
	}
	return nil
}

func (l *icmp4Layer) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

type icmp6Layer struct {
	layers.ICMPv6
	decoderRef
}

func (l *icmp6Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.ICMPv6.DecodeFromBytes(data, df); err != nil {
		return err
	}
	l.d.cur.Proto = ProtoICMPv6
	l.d.cur.ICMP = uint16(l.TypeCode)
	if l.TypeCode.Type() == layers.ICMPv6TypePacketTooBig && len(l.Payload) >= 4 {
		// Packet Too Big: the MTU is the 4 bytes after the checksum
		// (RFC 4443), kept where ICMP has no ports.
		if mtu := uint32(l.Payload[0])<<24 | uint32(l.Payload[1])<<16 | uint32(l.Payload[2])<<8 | uint32(l.Payload[3]); mtu <= 0xffff {
			l.d.cur.DstPort = uint16(mtu)
		}
	}
	return nil
}

func (l *icmp6Layer) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

type greLayer struct {
	layers.GRE
	decoderRef
}

func (l *greLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.GRE.DecodeFromBytes(data, df); err != nil {
		return err
	}
	l.d.cur.Proto = ProtoGRE
	return nil
}

// NextLayerType follows GRE into IPv4/IPv6 only.
func (l *greLayer) NextLayerType() gopacket.LayerType {
	switch l.Protocol {
	case layers.EthernetTypeIPv4:
		return layers.LayerTypeIPv4
	case layers.EthernetTypeIPv6:
		return layers.LayerTypeIPv6
	}
	return gopacket.LayerTypeZero
}

type espLayer struct {
	layers.IPSecESP
	decoderRef
}

func (l *espLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.IPSecESP.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	s.Proto, s.ESPSPI, s.ESPSeq = ProtoESP, l.SPI, l.Seq
	return nil
}

func (l *espLayer) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

type llcLayer struct {
	layers.LLC
	decoderRef
}

// NextLayerType routes LLC 0x42/0x42 to BPDU and AA/AA to SNAP.
func (l *llcLayer) NextLayerType() gopacket.LayerType {
	switch {
	case l.DSAP == 0x42 && l.SSAP == 0x42:
		return LayerTypeBPDU
	case l.DSAP == 0xaa && l.SSAP == 0xaa:
		return layers.LayerTypeSNAP
	}
	return gopacket.LayerTypeZero
}

type snapLayer struct {
	layers.SNAP
	decoderRef
}

// NextLayerType routes Cisco OUI 00:00:0c protocol 0x2000 to CDP and other
// SNAP frames by ethertype.
func (l *snapLayer) NextLayerType() gopacket.LayerType {
	if l.OrganizationalCode[0] == 0 && l.OrganizationalCode[1] == 0 && l.OrganizationalCode[2] == 0x0c {
		if l.Type == 0x2000 {
			return LayerTypeCDP
		}
		return gopacket.LayerTypeZero
	}
	if l.OrganizationalCode[0] == 0 && l.OrganizationalCode[1] == 0 && l.OrganizationalCode[2] == 0 {
		return nextEtherType(l.Type, l.Payload)
	}
	return gopacket.LayerTypeZero
}

type lacpLayer struct {
	LACP
	decoderRef
}

func (l *lacpLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.LACP.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	s.Proto = ProtoLACP
	s.LACP.Actor, s.LACP.Partner = l.Actor, l.Partner
	return nil
}

type bpduLayer struct {
	BPDU
	decoderRef
}

func (l *bpduLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.BPDU.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	switch {
	case l.Type == BPDUTypeRST && l.Version >= BPDUVersionMSTP:
		s.Proto = ProtoMSTP
	case l.Type == BPDUTypeRST:
		s.Proto = ProtoRSTP
	default:
		s.Proto = ProtoSTP
	}
	s.BPDU = BPDUSummary{RootID: l.RootID, BridgeID: l.BridgeID, RootPathCost: l.RootPathCost,
		PortID: l.PortID, Version: l.Version, Type: l.Type, Flags: l.Flags}
	return nil
}

type ikeLayer struct {
	IKE
	decoderRef
}

func (l *ikeLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.IKE.DecodeFromBytes(data, df); err != nil {
		return err
	}
	s := l.d.cur
	s.Proto = ProtoIKE
	k := &s.IKE
	k.InitiatorSPI, k.ResponderSPI, k.MessageID = l.InitiatorSPI, l.ResponderSPI, l.MessageID
	k.Version, k.Exchange, k.Flags, k.NextPayload = l.MajorVersion, l.ExchangeType, l.Flags, l.NextPayload
	k.Encrypted = l.Encrypted
	k.NotifyCount = uint8(copy(k.Notifies[:], l.Notifies[:l.NotifyCount]))
	return nil
}

type cdpLayer struct {
	CDP
	decoderRef
}

func (l *cdpLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.CDP.DecodeFromBytes(data, df); err != nil {
		return err
	}
	l.d.cur.Proto = ProtoCDP
	l.d.cur.Neighbor = l.NeighborInfo
	return nil
}

type lldpLayer struct {
	LLDP
	decoderRef
}

func (l *lldpLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if err := l.LLDP.DecodeFromBytes(data, df); err != nil {
		return err
	}
	l.d.cur.Proto = ProtoLLDP
	l.d.cur.Neighbor = l.NeighborInfo
	return nil
}
