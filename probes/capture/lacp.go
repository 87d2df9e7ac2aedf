package capture

import (
	"encoding/binary"
	"errors"
	"net"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// EthernetTypeSlowProtocols is the IEEE 802.3 Slow Protocols ethertype (LACP, Marker).
const EthernetTypeSlowProtocols layers.EthernetType = 0x8809

// Slow protocol subtypes (IEEE 802.1AX, Annex / 802.3 Annex 43B).
const (
	SlowProtocolLACP   = 0x01
	SlowProtocolMarker = 0x02
)

// lacpduLen is the fixed LACPDU size from the subtype octet to the end of the
// terminator's reserved octets (IEEE 802.1AX-2008 5.4.2, version 1).
const lacpduLen = 110

// LACP state bits (IEEE 802.1AX 5.4.2.2, Actor_State / Partner_State).
const (
	LACPStateActivity     uint8 = 1 << 0 // active LACP (else passive)
	LACPStateTimeout      uint8 = 1 << 1 // short timeout (fast rate)
	LACPStateAggregation  uint8 = 1 << 2 // link is aggregatable
	LACPStateSync         uint8 = 1 << 3 // in sync
	LACPStateCollecting   uint8 = 1 << 4
	LACPStateDistributing uint8 = 1 << 5
	LACPStateDefaulted    uint8 = 1 << 6 // using defaulted partner info
	LACPStateExpired      uint8 = 1 << 7 // receive machine expired
)

// LACPStateString renders state bits the way Wireshark does: one letter per
// bit from Expired down to Activity, '*' when clear (e.g. "**DCSGSA").
func LACPStateString(s uint8) string {
	const letters = "ASGSCDFE" // bit 0..7: Activity, Short timeout, aGgregation, Sync, Collecting, Distributing, deFaulted, Expired
	var b [8]byte
	for i := 0; i < 8; i++ {
		if s&(1<<i) != 0 {
			b[7-i] = letters[i]
		} else {
			b[7-i] = '*'
		}
	}
	return string(b[:])
}

// LACPInfo is the content of one Actor or Partner Information TLV.
type LACPInfo struct {
	SystemPriority uint16
	System         [6]byte
	Key            uint16
	PortPriority   uint16
	Port           uint16
	State          uint8
}

// SystemMAC returns System as a net.HardwareAddr (allocates).
func (i LACPInfo) SystemMAC() net.HardwareAddr { return append(net.HardwareAddr(nil), i.System[:]...) }

// LACP is an IEEE 802.1AX LACPDU (slow protocols subtype 1). It implements
// gopacket.DecodingLayer and gopacket.SerializableLayer.
type LACP struct {
	layers.BaseLayer
	Version           uint8
	Actor             LACPInfo
	Partner           LACPInfo
	CollectorMaxDelay uint16
}

// LayerTypeLACP is the registered gopacket layer type of LACP.
var LayerTypeLACP = gopacket.RegisterLayerType(7101, gopacket.LayerTypeMetadata{
	Name: "LACP", Decoder: gopacket.DecodeFunc(decodeLACP)})

var (
	errLACPShort   = errors.New("lacp: LACPDU shorter than 110 bytes")
	errLACPSubtype = errors.New("lacp: slow protocol subtype is not LACP (1)")
	errLACPTLV     = errors.New("lacp: unexpected TLV type or length")
)

// LayerType implements gopacket.Layer.
func (l *LACP) LayerType() gopacket.LayerType { return LayerTypeLACP }

// CanDecode implements gopacket.DecodingLayer.
func (l *LACP) CanDecode() gopacket.LayerClass { return LayerTypeLACP }

// NextLayerType implements gopacket.DecodingLayer: nothing follows an LACPDU.
func (l *LACP) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

func decodeLACPInfo(b []byte, i *LACPInfo) {
	i.SystemPriority = binary.BigEndian.Uint16(b[0:2])
	copy(i.System[:], b[2:8])
	i.Key = binary.BigEndian.Uint16(b[8:10])
	i.PortPriority = binary.BigEndian.Uint16(b[10:12])
	i.Port = binary.BigEndian.Uint16(b[12:14])
	i.State = b[14]
}

// DecodeFromBytes implements gopacket.DecodingLayer. Offsets follow
// IEEE 802.1AX-2008 Figure 5-8: subtype, version, Actor TLV (1, 20),
// Partner TLV (2, 20), Collector TLV (3, 16), Terminator TLV (0, 0).
func (l *LACP) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if len(data) < 60 { // through the terminator TLV header
		df.SetTruncated()
		return errLACPShort
	}
	if data[0] != SlowProtocolLACP {
		return errLACPSubtype
	}
	if data[2] != 1 || data[3] != 20 || data[22] != 2 || data[23] != 20 || data[42] != 3 || data[43] != 16 {
		return errLACPTLV
	}
	l.Version = data[1]
	decodeLACPInfo(data[4:19], &l.Actor)
	decodeLACPInfo(data[24:39], &l.Partner)
	l.CollectorMaxDelay = binary.BigEndian.Uint16(data[44:46])
	n := lacpduLen
	if len(data) < n {
		n = len(data)
	}
	l.Contents, l.Payload = data[:n], data[n:]
	return nil
}

// SerializeTo implements gopacket.SerializableLayer, writing a version 1 LACPDU.
func (l *LACP) SerializeTo(b gopacket.SerializeBuffer, _ gopacket.SerializeOptions) error {
	buf, err := b.PrependBytes(lacpduLen)
	if err != nil {
		return err
	}
	clear(buf)
	buf[0] = SlowProtocolLACP
	buf[1] = l.Version
	if buf[1] == 0 {
		buf[1] = 1
	}
	put := func(b []byte, t uint8, i *LACPInfo) {
		b[0], b[1] = t, 20
		binary.BigEndian.PutUint16(b[2:], i.SystemPriority)
		copy(b[4:10], i.System[:])
		binary.BigEndian.PutUint16(b[10:], i.Key)
		binary.BigEndian.PutUint16(b[12:], i.PortPriority)
		binary.BigEndian.PutUint16(b[14:], i.Port)
		b[16] = i.State
	}
	put(buf[2:], 1, &l.Actor)
	put(buf[22:], 2, &l.Partner)
	buf[42], buf[43] = 3, 16
	binary.BigEndian.PutUint16(buf[44:], l.CollectorMaxDelay)
	return nil
}

func decodeLACP(data []byte, p gopacket.PacketBuilder) error {
	l := &LACP{}
	if err := l.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(l)
	return nil
}
