package capture

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// BPDU protocol versions (IEEE 802.1D-2004 9.3, IEEE 802.1Q-2005 14).
const (
	BPDUVersionSTP  = 0
	BPDUVersionRSTP = 2
	BPDUVersionMSTP = 3
)

// BPDU types.
const (
	BPDUTypeConfig = 0x00
	BPDUTypeTCN    = 0x80
	BPDUTypeRST    = 0x02 // RST and MST BPDUs
)

// BPDU flag bits (IEEE 802.1D-2004 9.3.3). Only TC and TCA exist in STP
// configuration BPDUs; the rest are RSTP/MSTP.
const (
	BPDUFlagTC                uint8 = 0x01
	BPDUFlagProposal          uint8 = 0x02
	BPDUFlagRoleMask          uint8 = 0x0c
	BPDUFlagLearning          uint8 = 0x10
	BPDUFlagForwarding        uint8 = 0x20
	BPDUFlagAgreement         uint8 = 0x40
	BPDUFlagTCAck             uint8 = 0x80
	bpduFlagRoleShift               = 2
	bpduConfigLen                   = 35
	bpduRSTLen                      = 36
	bpduMSTMinLen                   = 102
	bpduMSTIMessageLen              = 16
	bpduTCNLen                      = 4
	bpduMSTConfigNameLen            = 32
	bpduMSTConfigDigestLength       = 16
)

// PortRole is the port role encoded in bits 3-4 of RST/MST BPDU flags.
type PortRole uint8

// Port roles (IEEE 802.1D-2004 9.3.3).
const (
	PortRoleUnknown PortRole = iota
	PortRoleAlternateBackup
	PortRoleRoot
	PortRoleDesignated
)

func (r PortRole) String() string {
	switch r {
	case PortRoleAlternateBackup:
		return "alternate/backup"
	case PortRoleRoot:
		return "root"
	case PortRoleDesignated:
		return "designated"
	}
	return "unknown"
}

// BridgeID is an 8-byte bridge identifier: 4-bit priority, 12-bit system ID
// extension (VLAN/MSTI) and the bridge MAC address.
type BridgeID uint64

// Priority returns the full 16-bit priority field (priority + system ID extension).
func (b BridgeID) Priority() uint16 { return uint16(b >> 48) }

// MAC returns the bridge MAC address.
func (b BridgeID) MAC() [6]byte {
	var m [6]byte
	for i := 0; i < 6; i++ {
		m[i] = byte(b >> (40 - 8*i))
	}
	return m
}

// String renders the ID as Linux sysfs does: "8000.0200000000aa".
func (b BridgeID) String() string {
	return fmt.Sprintf("%04x.%012x", uint16(b>>48), uint64(b)&0xffffffffffff)
}

// NewBridgeID builds a BridgeID from a priority field and a MAC address.
func NewBridgeID(priority uint16, mac [6]byte) BridgeID {
	v := uint64(priority) << 48
	for i := 0; i < 6; i++ {
		v |= uint64(mac[i]) << (40 - 8*i)
	}
	return BridgeID(v)
}

// BPDU is a spanning tree BPDU (STP configuration or TCN, RSTP, MSTP) carried
// in LLC with DSAP/SSAP 0x42. It implements gopacket.DecodingLayer and
// gopacket.SerializableLayer.
type BPDU struct {
	layers.BaseLayer
	ProtocolID   uint16
	Version      uint8
	Type         uint8
	Flags        uint8
	RootID       BridgeID
	RootPathCost uint32
	BridgeID     BridgeID
	PortID       uint16
	// Timers in 1/256 s, as on the wire.
	MessageAge, MaxAge, HelloTime, ForwardDelay uint16
	// MSTP only (Version 3).
	MSTConfigName     [bpduMSTConfigNameLen]byte
	MSTConfigRevision uint16
	MSTConfigDigest   [bpduMSTConfigDigestLength]byte
	CISTInternalCost  uint32
	CISTBridgeID      BridgeID
	CISTRemainingHops uint8
	MSTICount         uint8
}

// LayerTypeBPDU is the registered gopacket layer type of BPDU.
var LayerTypeBPDU = gopacket.RegisterLayerType(7102, gopacket.LayerTypeMetadata{
	Name: "BPDU", Decoder: gopacket.DecodeFunc(decodeBPDU)})

var (
	errBPDUShort    = errors.New("bpdu: too short for its type")
	errBPDUProtocol = errors.New("bpdu: protocol identifier is not 0")
)

// LayerType implements gopacket.Layer.
func (b *BPDU) LayerType() gopacket.LayerType { return LayerTypeBPDU }

// CanDecode implements gopacket.DecodingLayer.
func (b *BPDU) CanDecode() gopacket.LayerClass { return LayerTypeBPDU }

// NextLayerType implements gopacket.DecodingLayer.
func (b *BPDU) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// Role returns the port role of an RST/MST BPDU.
func (b *BPDU) Role() PortRole { return PortRole(b.Flags & BPDUFlagRoleMask >> bpduFlagRoleShift) }

// DecodeFromBytes implements gopacket.DecodingLayer (layout: IEEE 802.1D-2004
// 9.3.1-9.3.3, MST BPDU: IEEE 802.1Q-2005 14.6).
func (b *BPDU) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if len(data) < bpduTCNLen {
		df.SetTruncated()
		return errBPDUShort
	}
	b.ProtocolID = binary.BigEndian.Uint16(data[0:2])
	if b.ProtocolID != 0 {
		return errBPDUProtocol
	}
	b.Version, b.Type = data[2], data[3]
	b.Flags, b.RootID, b.RootPathCost, b.BridgeID, b.PortID = 0, 0, 0, 0, 0
	b.MessageAge, b.MaxAge, b.HelloTime, b.ForwardDelay = 0, 0, 0, 0
	b.MSTConfigName, b.MSTConfigRevision, b.MSTConfigDigest = [32]byte{}, 0, [16]byte{}
	b.CISTInternalCost, b.CISTBridgeID, b.CISTRemainingHops, b.MSTICount = 0, 0, 0, 0
	n := bpduTCNLen
	if b.Type != BPDUTypeTCN {
		if len(data) < bpduConfigLen {
			df.SetTruncated()
			return errBPDUShort
		}
		b.Flags = data[4]
		b.RootID = BridgeID(binary.BigEndian.Uint64(data[5:13]))
		b.RootPathCost = binary.BigEndian.Uint32(data[13:17])
		b.BridgeID = BridgeID(binary.BigEndian.Uint64(data[17:25]))
		b.PortID = binary.BigEndian.Uint16(data[25:27])
		b.MessageAge = binary.BigEndian.Uint16(data[27:29])
		b.MaxAge = binary.BigEndian.Uint16(data[29:31])
		b.HelloTime = binary.BigEndian.Uint16(data[31:33])
		b.ForwardDelay = binary.BigEndian.Uint16(data[33:35])
		n = bpduConfigLen
		if b.Type == BPDUTypeRST && len(data) >= bpduRSTLen {
			n = bpduRSTLen // Version 1 Length (0)
		}
		if b.Type == BPDUTypeRST && b.Version >= BPDUVersionMSTP {
			if len(data) < bpduMSTMinLen {
				df.SetTruncated()
				return errBPDUShort
			}
			v3len := int(binary.BigEndian.Uint16(data[36:38]))
			copy(b.MSTConfigName[:], data[39:71]) // data[38] is the format selector
			b.MSTConfigRevision = binary.BigEndian.Uint16(data[71:73])
			copy(b.MSTConfigDigest[:], data[73:89])
			b.CISTInternalCost = binary.BigEndian.Uint32(data[89:93])
			b.CISTBridgeID = BridgeID(binary.BigEndian.Uint64(data[93:101]))
			b.CISTRemainingHops = data[101]
			n = 38 + v3len
			if n < bpduMSTMinLen || n > len(data) {
				n = bpduMSTMinLen
			}
			b.MSTICount = uint8((n - bpduMSTMinLen) / bpduMSTIMessageLen)
		}
	}
	b.Contents, b.Payload = data[:n], data[n:]
	return nil
}

// SerializeTo implements gopacket.SerializableLayer for TCN, configuration and
// RST BPDUs (MST BPDUs are written without MSTI messages).
func (b *BPDU) SerializeTo(sb gopacket.SerializeBuffer, _ gopacket.SerializeOptions) error {
	n := bpduConfigLen
	switch {
	case b.Type == BPDUTypeTCN:
		n = bpduTCNLen
	case b.Type == BPDUTypeRST && b.Version >= BPDUVersionMSTP:
		n = bpduMSTMinLen
	case b.Type == BPDUTypeRST:
		n = bpduRSTLen
	}
	buf, err := sb.PrependBytes(n)
	if err != nil {
		return err
	}
	clear(buf)
	binary.BigEndian.PutUint16(buf[0:], b.ProtocolID)
	buf[2], buf[3] = b.Version, b.Type
	if n == bpduTCNLen {
		return nil
	}
	buf[4] = b.Flags
	binary.BigEndian.PutUint64(buf[5:], uint64(b.RootID))
	binary.BigEndian.PutUint32(buf[13:], b.RootPathCost)
	binary.BigEndian.PutUint64(buf[17:], uint64(b.BridgeID))
	binary.BigEndian.PutUint16(buf[25:], b.PortID)
	binary.BigEndian.PutUint16(buf[27:], b.MessageAge)
	binary.BigEndian.PutUint16(buf[29:], b.MaxAge)
	binary.BigEndian.PutUint16(buf[31:], b.HelloTime)
	binary.BigEndian.PutUint16(buf[33:], b.ForwardDelay)
	if n == bpduMSTMinLen {
		binary.BigEndian.PutUint16(buf[36:], bpduMSTMinLen-38)
		copy(buf[39:71], b.MSTConfigName[:])
		binary.BigEndian.PutUint16(buf[71:], b.MSTConfigRevision)
		copy(buf[73:89], b.MSTConfigDigest[:])
		binary.BigEndian.PutUint32(buf[89:], b.CISTInternalCost)
		binary.BigEndian.PutUint64(buf[93:], uint64(b.CISTBridgeID))
		buf[101] = b.CISTRemainingHops
	}
	return nil
}

func decodeBPDU(data []byte, p gopacket.PacketBuilder) error {
	b := &BPDU{}
	if err := b.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(b)
	return nil
}
