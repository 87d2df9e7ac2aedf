package capture

import (
	"net"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	macA = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xaa}
	macB = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xbb}
	ipA  = net.IP{192, 0, 2, 1}
	ipB  = net.IP{198, 51, 100, 2}
)

func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decodeOne(t testing.TB, data []byte) Summary {
	t.Helper()
	var s Summary
	if err := NewDecoder(layers.LinkTypeEthernet).Decode(data, gopacket.CaptureInfo{Length: len(data), CaptureLength: len(data)}, "eth0", &s); err != nil {
		t.Fatalf("decode: %v (%s)", err, s.String())
	}
	return s
}

func udp4(sport, dport layers.UDPPort, vlans ...uint16) []gopacket.SerializableLayer {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ipA, DstIP: ipB}
	u := &layers.UDP{SrcPort: sport, DstPort: dport}
	u.SetNetworkLayerForChecksum(ip)
	ls := []gopacket.SerializableLayer{}
	eth := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}
	ls = append(ls, eth)
	for i, v := range vlans {
		tpid := layers.EthernetTypeDot1Q
		if i == 0 && len(vlans) > 1 {
			tpid = layers.EthernetTypeQinQ
		}
		if i == 0 {
			eth.EthernetType = tpid
		}
		next := layers.EthernetTypeIPv4
		if i+1 < len(vlans) {
			next = layers.EthernetTypeDot1Q
		}
		ls = append(ls, &layers.Dot1Q{VLANIdentifier: v, Type: next})
	}
	return append(ls, ip, u)
}

func TestRoundTripIKE(t *testing.T) {
	ike := &IKE{InitiatorSPI: 0x1122334455667788, ResponderSPI: 0, MajorVersion: 2, ExchangeType: IKEv2ExchangeSAInit,
		Flags: IKEFlagResponse, MessageID: 0, NotifyCount: 2, Notifies: [8]uint16{NotifyNoProposalChosen, NotifyInvalidKEPayload}}
	cases := []struct {
		name  string
		data  []byte
		vlans []uint16
		natt  bool
	}{
		{"udp500-qinq", serialize(t, append(udp4(500, 500, 100, 20), ike)...), []uint16{100, 20}, false},
		{"udp4500-marker", serialize(t, append(udp4(4500, 4500, 30), &NonESPMarker{}, ike)...), []uint16{30}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := decodeOne(t, c.data)
			if s.Proto != ProtoIKE {
				t.Fatalf("proto %s: %s", s.Proto, s.String())
			}
			if s.IKE.InitiatorSPI != ike.InitiatorSPI || s.IKE.Version != 2 || s.IKE.Exchange != IKEv2ExchangeSAInit ||
				s.IKE.Flags != IKEFlagResponse || s.IKE.NotifyCount != 2 ||
				s.IKE.Notifies[0] != NotifyNoProposalChosen || s.IKE.Notifies[1] != NotifyInvalidKEPayload {
				t.Errorf("got %+v", s.IKE)
			}
			if int(s.VLANCount) != len(c.vlans) || s.VLANs[0] != c.vlans[0] {
				t.Errorf("vlans %v count %d, want %v", s.VLANs, s.VLANCount, c.vlans)
			}
			if (s.Flags&FlagNATT != 0) != c.natt {
				t.Errorf("natt flag %v", s.Flags)
			}
			if s.Src != netip.MustParseAddr("192.0.2.1") || s.Dst != netip.MustParseAddr("198.51.100.2") {
				t.Errorf("addresses %s > %s", s.Src, s.Dst)
			}
		})
	}
	v1 := &IKE{InitiatorSPI: 7, MajorVersion: 1, ExchangeType: IKEv1ExchangeInformational, MessageID: 9,
		NotifyCount: 1, Notifies: [8]uint16{NotifyNoProposalChosen}}
	s := decodeOne(t, serialize(t, append(udp4(500, 500), v1)...))
	if s.IKE.Version != 1 || s.IKE.NotifyCount != 1 || s.IKE.Notifies[0] != NotifyNoProposalChosen || s.IKE.MessageID != 9 {
		t.Errorf("IKEv1 notify: %+v", s.IKE)
	}
}

func TestRoundTripESP(t *testing.T) {
	// ESP in UDP 4500: a non-zero SPI where the marker would be
	esp := gopacket.Payload([]byte{0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 42, 1, 2, 3, 4})
	s := decodeOne(t, serialize(t, append(udp4(4500, 4500), esp)...))
	if s.Proto != ProtoESP || s.ESPSPI != 0xdeadbeef || s.ESPSeq != 42 || s.Flags&FlagNATT == 0 {
		t.Errorf("esp-in-udp: %s", s.String())
	}
	// raw ESP, IP protocol 50
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolESP, SrcIP: ipA, DstIP: ipB}
	s = decodeOne(t, serialize(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}, ip, esp))
	if s.Proto != ProtoESP || s.ESPSPI != 0xdeadbeef || s.ESPSeq != 42 || s.Flags&FlagNATT != 0 {
		t.Errorf("esp: %s", s.String())
	}
	// NAT keepalive
	s = decodeOne(t, serialize(t, append(udp4(4500, 4500), gopacket.Payload{0xff})...))
	if s.Proto != ProtoNATKeepalive {
		t.Errorf("keepalive: %s", s.String())
	}
}

func TestRoundTripStandardLayers(t *testing.T) {
	eth := func(et layers.EthernetType) *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: et}
	}
	ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolICMPv6,
		SrcIP: net.ParseIP("2001:db8::1"), DstIP: net.ParseIP("2001:db8::2")}
	icmp6 := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeEchoRequest, 0)}
	icmp6.SetNetworkLayerForChecksum(ip6)
	tcpIP := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ipA, DstIP: ipB}
	tcp := &layers.TCP{SrcPort: 40000, DstPort: 22, SYN: true, Window: 1000}
	tcp.SetNetworkLayerForChecksum(tcpIP)
	outer := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolGRE, SrcIP: ipA, DstIP: ipB}
	inner := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: net.IP{10, 1, 0, 1}, DstIP: net.IP{10, 2, 0, 1}}
	icmp := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodeFragmentationNeeded)}
	arp := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: ipA, DstHwAddress: make([]byte, 6), DstProtAddress: ipB}
	cases := []struct {
		name  string
		data  []byte
		proto Proto
		check func(Summary) bool
	}{
		{"ipv6-icmpv6", serialize(t, eth(layers.EthernetTypeIPv6), ip6, icmp6), ProtoICMPv6,
			func(s Summary) bool { return s.Src == netip.MustParseAddr("2001:db8::1") && s.ICMP>>8 == 128 }},
		{"tcp", serialize(t, eth(layers.EthernetTypeIPv4), tcpIP, tcp), ProtoTCP,
			func(s Summary) bool { return s.SrcPort == 40000 && s.DstPort == 22 }},
		{"gre-ipv4-icmp-fragneeded", serialize(t, eth(layers.EthernetTypeIPv4), outer, &layers.GRE{Protocol: layers.EthernetTypeIPv4}, inner, icmp), ProtoICMPv4,
			func(s Summary) bool {
				return s.Src == netip.MustParseAddr("192.0.2.1") && s.Flags&FlagTunneled != 0 && s.ICMP == 3<<8|4
			}},
		{"arp", serialize(t, eth(layers.EthernetTypeARP), arp), ProtoARP,
			func(s Summary) bool { return s.Dst == netip.MustParseAddr("198.51.100.2") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := decodeOne(t, c.data)
			if s.Proto != c.proto || !c.check(s) {
				t.Errorf("got %s (%+v)", s.String(), s)
			}
		})
	}
}

func TestRoundTripLACP(t *testing.T) {
	want := LACP{Version: 1, CollectorMaxDelay: 5,
		Actor:   LACPInfo{SystemPriority: 32768, System: [6]byte{0, 0x50, 0x56, 1, 2, 3}, Key: 13, PortPriority: 255, Port: 7, State: LACPStateActivity | LACPStateAggregation | LACPStateSync},
		Partner: LACPInfo{SystemPriority: 1, System: [6]byte{0, 0x1c, 0x73, 9, 8, 7}, Key: 0x1001, PortPriority: 128, Port: 0x0107, State: 0x3d}}
	data := serialize(t, &layers.Ethernet{SrcMAC: macA, DstMAC: net.HardwareAddr{1, 0x80, 0xc2, 0, 0, 2}, EthernetType: EthernetTypeSlowProtocols}, &want)
	s := decodeOne(t, data)
	if s.Proto != ProtoLACP || s.LACP.Actor != want.Actor || s.LACP.Partner != want.Partner {
		t.Errorf("got %+v, want %+v / %+v", s.LACP, want.Actor, want.Partner)
	}
	if len(data) != 14+110 {
		t.Errorf("LACPDU frame is %d bytes, want 124", len(data))
	}
	if got := LACPStateString(0x3d); got != "**DCSG*A" {
		t.Errorf("state string %q", got)
	}
}

func TestRoundTripBPDU(t *testing.T) {
	root := NewBridgeID(0x1000, [6]byte{0, 1, 2, 3, 4, 5})
	br := NewBridgeID(0x8001, [6]byte{0, 1, 2, 3, 4, 6})
	cases := []struct {
		b     BPDU
		proto Proto
	}{
		{BPDU{Version: 0, Type: BPDUTypeConfig, Flags: BPDUFlagTC | BPDUFlagTCAck, RootID: root, RootPathCost: 4, BridgeID: br, PortID: 0x8002, MaxAge: 20 << 8, HelloTime: 2 << 8, ForwardDelay: 15 << 8}, ProtoSTP},
		{BPDU{Version: 2, Type: BPDUTypeRST, Flags: BPDUFlagProposal | BPDUFlagAgreement | 3<<2, RootID: root, RootPathCost: 20000, BridgeID: br, PortID: 0x8003}, ProtoRSTP},
		{BPDU{Version: 3, Type: BPDUTypeRST, Flags: 2 << 2, RootID: root, BridgeID: br, PortID: 0x8004, MSTConfigRevision: 3, CISTInternalCost: 7, CISTBridgeID: br, CISTRemainingHops: 20}, ProtoMSTP},
		{BPDU{Version: 0, Type: BPDUTypeTCN}, ProtoSTP},
	}
	for _, c := range cases {
		data := serialize(t, &layers.Ethernet{SrcMAC: macA, DstMAC: net.HardwareAddr{1, 0x80, 0xc2, 0, 0, 0}, EthernetType: layers.EthernetTypeLLC},
			&layers.LLC{DSAP: 0x42, SSAP: 0x42, Control: 3}, &c.b)
		s := decodeOne(t, data)
		want := BPDUSummary{RootID: c.b.RootID, BridgeID: c.b.BridgeID, RootPathCost: c.b.RootPathCost, PortID: c.b.PortID, Version: c.b.Version, Type: c.b.Type, Flags: c.b.Flags}
		if s.Proto != c.proto || s.BPDU != want {
			t.Errorf("got %s %+v, want %s %+v", s.Proto, s.BPDU, c.proto, want)
		}
		var dec BPDU
		if err := dec.DecodeFromBytes(data[17:], gopacket.NilDecodeFeedback); err != nil || dec.MSTConfigRevision != c.b.MSTConfigRevision ||
			dec.CISTBridgeID != c.b.CISTBridgeID || dec.CISTRemainingHops != c.b.CISTRemainingHops || dec.MaxAge != c.b.MaxAge {
			t.Errorf("BPDU fields: %v %+v", err, dec)
		}
	}
	if r := (&BPDU{Flags: 2 << 2}).Role(); r != PortRoleRoot {
		t.Errorf("role %s", r)
	}
	if got := root.String(); got != "1000.000102030405" {
		t.Errorf("bridge id %s", got)
	}
}

func TestNeighborDecode(t *testing.T) {
	tlv := func(typ uint8, v ...byte) []byte {
		return append([]byte{typ<<1 | byte(len(v)>>8), byte(len(v))}, v...)
	}
	var lldp []byte
	lldp = append(lldp, tlv(1, append([]byte{4}, 0, 0x1c, 0x73, 1, 2, 3)...)...)
	lldp = append(lldp, tlv(2, append([]byte{5}, "Ethernet1"...)...)...)
	lldp = append(lldp, tlv(3, 0, 120)...)
	lldp = append(lldp, tlv(5, []byte("leaf1")...)...)
	lldp = append(lldp, 0, 0)
	data := serialize(t, &layers.Ethernet{SrcMAC: macA, DstMAC: net.HardwareAddr{1, 0x80, 0xc2, 0, 0, 0xe}, EthernetType: layers.EthernetTypeLinkLayerDiscovery}, gopacket.Payload(lldp))
	s := decodeOne(t, data)
	if s.Proto != ProtoLLDP || s.Neighbor.Device() != "leaf1" || s.Neighbor.Port() != "Ethernet1" {
		t.Errorf("lldp: %s", s.String())
	}
	cdp := []byte{2, 180, 0, 0, 0, 1, 0, 8, 's', 'w', '0', '1', 0, 3, 0, 12, 'G', 'i', '1', '/', '0', '/', '1', '0', 0, 6, 0, 5, 'x'}
	snap := []byte{0xaa, 0xaa, 3, 0, 0, 0x0c, 0x20, 0}
	payload := append(snap, cdp...)
	s = decodeOne(t, serialize(t, &layers.Ethernet{SrcMAC: macA, DstMAC: net.HardwareAddr{1, 0, 0x0c, 0xcc, 0xcc, 0xcc}, EthernetType: layers.EthernetTypeLLC}, gopacket.Payload(payload)))
	if s.Proto != ProtoCDP || s.Neighbor.Device() != "sw01" || s.Neighbor.Port() != "Gi1/0/10" {
		t.Errorf("cdp: %s", s.String())
	}
}
