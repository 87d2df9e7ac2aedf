package capture

import (
	"encoding/binary"
	"errors"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Sizes of the fixed buffers that hold neighbor identifiers without
// allocating; longer values are cut and NeighborInfo.Cut is set.
const (
	neighborDeviceLen = 32
	neighborPortLen   = 16
)

// NeighborInfo is what nettui keeps from a CDP or LLDP advertisement: the
// device (CDP Device ID, LLDP System Name or else Chassis ID) and the port
// (CDP Port ID, LLDP Port ID).
type NeighborInfo struct {
	device    [neighborDeviceLen]byte
	port      [neighborPortLen]byte
	deviceLen uint8
	portLen   uint8
	// ChassisSubtype and PortSubtype are the LLDP ID subtypes (0 for CDP);
	// subtype 4 (chassis) / 3 (port) means the ID is a MAC address.
	ChassisSubtype uint8
	PortSubtype    uint8
	// Cut is set when an identifier was longer than the buffer kept.
	Cut bool
}

// Device returns the neighbor's device name or ID (allocates).
func (n *NeighborInfo) Device() string {
	if n.ChassisSubtype == 4 && n.deviceLen == 6 {
		return macString(n.device[:6])
	}
	return string(n.device[:n.deviceLen])
}

// Port returns the neighbor's port ID (allocates).
func (n *NeighborInfo) Port() string {
	if n.PortSubtype == 3 && n.portLen == 6 {
		return macString(n.port[:6])
	}
	return string(n.port[:n.portLen])
}

func (n *NeighborInfo) setDevice(b []byte) {
	n.deviceLen = uint8(copy(n.device[:], b))
	n.Cut = n.Cut || len(b) > len(n.device)
}

func (n *NeighborInfo) setPort(b []byte) {
	n.portLen = uint8(copy(n.port[:], b))
	n.Cut = n.Cut || len(b) > len(n.port)
}

func macString(m []byte) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, 17)
	for i, c := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hex[c>>4], hex[c&0x0f])
	}
	return string(b)
}

// CDP decodes the Device ID and Port ID TLVs of a Cisco Discovery Protocol
// frame (after LLC/SNAP, OUI 00:00:0c, protocol 0x2000). gopacket's
// CiscoDiscovery layer allocates per packet and is no DecodingLayer, so this
// minimal DecodingLayer is used instead.
type CDP struct {
	layers.BaseLayer
	Version uint8
	TTL     uint8
	NeighborInfo
}

// LLDP decodes the Chassis ID, Port ID and System Name TLVs of an LLDPDU
// (IEEE 802.1AB, ethertype 0x88cc); see CDP for why this is not gopacket's
// LinkLayerDiscovery.
type LLDP struct {
	layers.BaseLayer
	TTL uint16
	NeighborInfo
}

// Registered gopacket layer types of CDP and LLDP.
var (
	LayerTypeCDP = gopacket.RegisterLayerType(7105, gopacket.LayerTypeMetadata{
		Name: "CDP", Decoder: gopacket.DecodeFunc(decodeCDP)})
	LayerTypeLLDP = gopacket.RegisterLayerType(7106, gopacket.LayerTypeMetadata{
		Name: "LLDP", Decoder: gopacket.DecodeFunc(decodeLLDP)})
)

var (
	errCDPShort  = errors.New("cdp: shorter than the 4-byte header")
	errCDPTLV    = errors.New("cdp: TLV length out of range")
	errLLDPTLV   = errors.New("lldp: TLV length out of range")
	errLLDPShort = errors.New("lldp: missing mandatory TLVs")
)

// LayerType implements gopacket.Layer.
func (c *CDP) LayerType() gopacket.LayerType { return LayerTypeCDP }

// CanDecode implements gopacket.DecodingLayer.
func (c *CDP) CanDecode() gopacket.LayerClass { return LayerTypeCDP }

// NextLayerType implements gopacket.DecodingLayer.
func (c *CDP) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// DecodeFromBytes implements gopacket.DecodingLayer.
func (c *CDP) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	c.NeighborInfo = NeighborInfo{}
	if len(data) < 4 {
		df.SetTruncated()
		return errCDPShort
	}
	c.Version, c.TTL = data[0], data[1]
	p := data[4:]
	for len(p) >= 4 {
		t, l := binary.BigEndian.Uint16(p[0:2]), int(binary.BigEndian.Uint16(p[2:4]))
		if l < 4 || l > len(p) {
			return errCDPTLV
		}
		switch t {
		case 0x0001:
			c.setDevice(p[4:l])
		case 0x0003:
			c.setPort(p[4:l])
		}
		p = p[l:]
	}
	c.Contents, c.Payload = data, nil
	return nil
}

// LayerType implements gopacket.Layer.
func (l *LLDP) LayerType() gopacket.LayerType { return LayerTypeLLDP }

// CanDecode implements gopacket.DecodingLayer.
func (l *LLDP) CanDecode() gopacket.LayerClass { return LayerTypeLLDP }

// NextLayerType implements gopacket.DecodingLayer.
func (l *LLDP) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// DecodeFromBytes implements gopacket.DecodingLayer (IEEE 802.1AB-2016 8.4:
// 7-bit type, 9-bit length).
func (l *LLDP) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	l.NeighborInfo, l.TTL = NeighborInfo{}, 0
	p := data
	var seen uint8
	sysName := false
	for len(p) >= 2 {
		h := binary.BigEndian.Uint16(p[0:2])
		t, n := uint8(h>>9), int(h&0x1ff)
		if 2+n > len(p) {
			df.SetTruncated()
			return errLLDPTLV
		}
		v := p[2 : 2+n]
		switch t {
		case 0:
			p = p[2+n:]
			l.Contents, l.Payload = data[:len(data)-len(p)], p
			if seen&7 != 7 {
				return errLLDPShort
			}
			return nil
		case 1:
			if n < 2 {
				return errLLDPTLV
			}
			l.ChassisSubtype = v[0]
			if !sysName {
				l.setDevice(v[1:])
			}
			seen |= 1
		case 2:
			if n < 2 {
				return errLLDPTLV
			}
			l.PortSubtype = v[0]
			l.setPort(v[1:])
			seen |= 2
		case 3:
			if n >= 2 {
				l.TTL = binary.BigEndian.Uint16(v)
			}
			seen |= 4
		case 5:
			if n > 0 {
				sysName = true
				l.ChassisSubtype = 0
				l.setDevice(v)
			}
		}
		p = p[2+n:]
	}
	l.Contents, l.Payload = data, nil
	if seen&7 != 7 {
		return errLLDPShort
	}
	return nil
}

func decodeCDP(data []byte, p gopacket.PacketBuilder) error {
	c := &CDP{}
	if err := c.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(c)
	return nil
}

func decodeLLDP(data []byte, p gopacket.PacketBuilder) error {
	l := &LLDP{}
	if err := l.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(l)
	return nil
}
