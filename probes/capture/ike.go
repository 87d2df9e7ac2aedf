package capture

import (
	"encoding/binary"
	"errors"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// UDP ports of IKE (RFC 7296 2) and of IKE/ESP with NAT traversal (RFC 3948).
const (
	PortIKE  = 500
	PortNATT = 4500
)

// IKE header flags (RFC 7296 3.1; IKEv1 flags per RFC 2408 3.1).
const (
	IKEFlagEncryption uint8 = 0x01 // IKEv1: payloads after the header are encrypted
	IKEFlagCommit     uint8 = 0x02 // IKEv1
	IKEFlagAuthOnly   uint8 = 0x04 // IKEv1
	IKEFlagInitiator  uint8 = 0x08 // IKEv2: sent by the original initiator
	IKEFlagVersion    uint8 = 0x10 // IKEv2
	IKEFlagResponse   uint8 = 0x20 // IKEv2: this message is a response
)

// IKE exchange types (RFC 7296 3.1 and RFC 2408 3.1 / RFC 2409 for IKEv1).
const (
	IKEv1ExchangeMain          = 2
	IKEv1ExchangeAggressive    = 4
	IKEv1ExchangeInformational = 5
	IKEv1ExchangeQuick         = 32
	IKEv2ExchangeSAInit        = 34
	IKEv2ExchangeAuth          = 35
	IKEv2ExchangeCreateChildSA = 36
	IKEv2ExchangeInformational = 37
)

// IKE payload types used while walking the payload chain.
const (
	ikev1PayloadNotify    = 11
	ikev2PayloadNotify    = 41
	ikev2PayloadEncrypted = 46
	ikev2PayloadEncFrag   = 53
	ikeHeaderLen          = 28
	ikeGenericHeaderLen   = 4
	ikeMaxNotifies        = 8
	ikev1NotifyTypeOffset = 10 // generic header + DOI(4) + protocol + SPI size
	ikev2NotifyTypeOffset = 6  // generic header + protocol + SPI size
)

// IKEv2 notify message types (RFC 7296 3.10.1 and the IANA registry).
const (
	NotifyUnsupportedCriticalPayload = 1
	NotifyInvalidIKESPI              = 4
	NotifyInvalidMajorVersion        = 5
	NotifyInvalidSyntax              = 7
	NotifyInvalidMessageID           = 9
	NotifyInvalidSPI                 = 11
	NotifyNoProposalChosen           = 14
	NotifyInvalidKEPayload           = 17
	NotifyAuthenticationFailed       = 24
	NotifySinglePairRequired         = 34
	NotifyNoAdditionalSAs            = 35
	NotifyInternalAddressFailure     = 36
	NotifyFailedCPRequired           = 37
	NotifyTSUnacceptable             = 38
	NotifyInvalidSelectors           = 39
	NotifyTemporaryFailure           = 43
	NotifyChildSANotFound            = 44
	NotifyInitialContact             = 16384
	NotifySetWindowSize              = 16385
	NotifyAdditionalTSPossible       = 16386
	NotifyIPCompSupported            = 16387
	NotifyNATDetectionSourceIP       = 16388
	NotifyNATDetectionDestinationIP  = 16389
	NotifyCookie                     = 16390
	NotifyUseTransportMode           = 16391
	NotifyHTTPCertLookupSupported    = 16392
	NotifyRekeySA                    = 16393
	NotifyESPTFCPaddingNotSupported  = 16394
	NotifyNonFirstFragmentsAlso      = 16395
	NotifyMOBIKESupported            = 16396
	NotifyNoAdditionalAddresses      = 16399
	NotifyMultipleAuthSupported      = 16404
	NotifyFragmentationSupported     = 16430
	NotifySignatureHashAlgorithms    = 16431
)

var notifyNames = map[uint16]string{
	NotifyUnsupportedCriticalPayload: "UNSUPPORTED_CRITICAL_PAYLOAD",
	NotifyInvalidIKESPI:              "INVALID_IKE_SPI",
	NotifyInvalidMajorVersion:        "INVALID_MAJOR_VERSION",
	NotifyInvalidSyntax:              "INVALID_SYNTAX",
	NotifyInvalidMessageID:           "INVALID_MESSAGE_ID",
	NotifyInvalidSPI:                 "INVALID_SPI",
	NotifyNoProposalChosen:           "NO_PROPOSAL_CHOSEN",
	NotifyInvalidKEPayload:           "INVALID_KE_PAYLOAD",
	NotifyAuthenticationFailed:       "AUTHENTICATION_FAILED",
	NotifySinglePairRequired:         "SINGLE_PAIR_REQUIRED",
	NotifyNoAdditionalSAs:            "NO_ADDITIONAL_SAS",
	NotifyInternalAddressFailure:     "INTERNAL_ADDRESS_FAILURE",
	NotifyFailedCPRequired:           "FAILED_CP_REQUIRED",
	NotifyTSUnacceptable:             "TS_UNACCEPTABLE",
	NotifyInvalidSelectors:           "INVALID_SELECTORS",
	NotifyTemporaryFailure:           "TEMPORARY_FAILURE",
	NotifyChildSANotFound:            "CHILD_SA_NOT_FOUND",
	NotifyInitialContact:             "INITIAL_CONTACT",
	NotifySetWindowSize:              "SET_WINDOW_SIZE",
	NotifyAdditionalTSPossible:       "ADDITIONAL_TS_POSSIBLE",
	NotifyIPCompSupported:            "IPCOMP_SUPPORTED",
	NotifyNATDetectionSourceIP:       "NAT_DETECTION_SOURCE_IP",
	NotifyNATDetectionDestinationIP:  "NAT_DETECTION_DESTINATION_IP",
	NotifyCookie:                     "COOKIE",
	NotifyUseTransportMode:           "USE_TRANSPORT_MODE",
	NotifyHTTPCertLookupSupported:    "HTTP_CERT_LOOKUP_SUPPORTED",
	NotifyRekeySA:                    "REKEY_SA",
	NotifyESPTFCPaddingNotSupported:  "ESP_TFC_PADDING_NOT_SUPPORTED",
	NotifyNonFirstFragmentsAlso:      "NON_FIRST_FRAGMENTS_ALSO",
	NotifyMOBIKESupported:            "MOBIKE_SUPPORTED",
	NotifyNoAdditionalAddresses:      "NO_ADDITIONAL_ADDRESSES",
	NotifyMultipleAuthSupported:      "MULTIPLE_AUTH_SUPPORTED",
	NotifyFragmentationSupported:     "IKEV2_FRAGMENTATION_SUPPORTED",
	NotifySignatureHashAlgorithms:    "SIGNATURE_HASH_ALGORITHMS",
}

// NotifyName returns the IANA name of an IKEv2 notify message type, or the
// number when it is not known.
func NotifyName(t uint16) string {
	if n, ok := notifyNames[t]; ok {
		return n
	}
	return strconv.Itoa(int(t))
}

// IsNotifyError reports whether t is an error notify (types below 16384).
func IsNotifyError(t uint16) bool { return t > 0 && t < 16384 }

// ExchangeName returns a short name of an IKE exchange type for the version.
func ExchangeName(major, exchange uint8) string {
	if major == 1 {
		switch exchange {
		case IKEv1ExchangeMain:
			return "Main"
		case IKEv1ExchangeAggressive:
			return "Aggressive"
		case IKEv1ExchangeInformational:
			return "Informational"
		case IKEv1ExchangeQuick:
			return "Quick"
		}
	} else {
		switch exchange {
		case IKEv2ExchangeSAInit:
			return "IKE_SA_INIT"
		case IKEv2ExchangeAuth:
			return "IKE_AUTH"
		case IKEv2ExchangeCreateChildSA:
			return "CREATE_CHILD_SA"
		case IKEv2ExchangeInformational:
			return "INFORMATIONAL"
		}
	}
	return strconv.Itoa(int(exchange))
}

// IKE is an ISAKMP/IKEv1 or IKEv2 message header (RFC 7296 3.1, RFC 2408 3.1)
// plus the notify message types found in the unencrypted payloads. It
// implements gopacket.DecodingLayer and gopacket.SerializableLayer.
type IKE struct {
	layers.BaseLayer
	InitiatorSPI uint64
	ResponderSPI uint64
	NextPayload  uint8
	MajorVersion uint8
	MinorVersion uint8
	ExchangeType uint8
	Flags        uint8
	MessageID    uint32
	Length       uint32
	// Notifies holds the notify message types of unencrypted Notify payloads
	// (the first NotifyCount of them, at most 8). Encrypted payloads (IKEv2
	// SK, IKEv1 with the encryption flag) are not walked.
	Notifies    [ikeMaxNotifies]uint16
	NotifyCount uint8
	// Encrypted is set when the payload chain reaches an encrypted payload
	// (IKEv2 SK/SKF) or when the IKEv1 encryption flag is set.
	Encrypted bool
}

// LayerTypeIKE is the registered gopacket layer type of IKE.
var LayerTypeIKE = gopacket.RegisterLayerType(7103, gopacket.LayerTypeMetadata{
	Name: "IKE", Decoder: gopacket.DecodeFunc(decodeIKE)})

var (
	errIKEShort   = errors.New("ike: shorter than the 28-byte header")
	errIKEVersion = errors.New("ike: major version is neither 1 nor 2")
	errIKELength  = errors.New("ike: header length field smaller than the header")
)

// LayerType implements gopacket.Layer.
func (k *IKE) LayerType() gopacket.LayerType { return LayerTypeIKE }

// CanDecode implements gopacket.DecodingLayer.
func (k *IKE) CanDecode() gopacket.LayerClass { return LayerTypeIKE }

// NextLayerType implements gopacket.DecodingLayer.
func (k *IKE) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// IsResponse reports whether an IKEv2 message has the Response flag.
func (k *IKE) IsResponse() bool { return k.Flags&IKEFlagResponse != 0 }

// IsInitiator reports whether an IKEv2 message was sent by the original initiator.
func (k *IKE) IsInitiator() bool { return k.Flags&IKEFlagInitiator != 0 }

// DecodeFromBytes implements gopacket.DecodingLayer.
func (k *IKE) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if len(data) < ikeHeaderLen {
		df.SetTruncated()
		return errIKEShort
	}
	k.InitiatorSPI = binary.BigEndian.Uint64(data[0:8])
	k.ResponderSPI = binary.BigEndian.Uint64(data[8:16])
	k.NextPayload = data[16]
	k.MajorVersion, k.MinorVersion = data[17]>>4, data[17]&0x0f
	k.ExchangeType = data[18]
	k.Flags = data[19]
	k.MessageID = binary.BigEndian.Uint32(data[20:24])
	k.Length = binary.BigEndian.Uint32(data[24:28])
	k.NotifyCount, k.Encrypted = 0, false
	if k.MajorVersion != 1 && k.MajorVersion != 2 {
		return errIKEVersion
	}
	if k.Length < ikeHeaderLen {
		return errIKELength
	}
	end := len(data)
	if int64(k.Length) < int64(end) {
		end = int(k.Length)
	} else if int64(k.Length) > int64(end) {
		df.SetTruncated()
	}
	k.Contents, k.Payload = data[:ikeHeaderLen], data[ikeHeaderLen:end]
	if k.MajorVersion == 1 && k.Flags&IKEFlagEncryption != 0 {
		k.Encrypted = true
		return nil
	}
	k.walkPayloads(data[ikeHeaderLen:end])
	return nil
}

// walkPayloads follows the generic payload headers, recording notify types.
// A malformed chain ends the walk without an error: the header stays valid.
func (k *IKE) walkPayloads(p []byte) {
	next := k.NextPayload
	for next != 0 && len(p) >= ikeGenericHeaderLen {
		plen := int(binary.BigEndian.Uint16(p[2:4]))
		if plen < ikeGenericHeaderLen || plen > len(p) {
			return
		}
		switch {
		case k.MajorVersion == 2 && (next == ikev2PayloadEncrypted || next == ikev2PayloadEncFrag):
			k.Encrypted = true
			return
		case k.MajorVersion == 2 && next == ikev2PayloadNotify && plen >= ikev2NotifyTypeOffset+2:
			k.addNotify(binary.BigEndian.Uint16(p[ikev2NotifyTypeOffset:]))
		case k.MajorVersion == 1 && next == ikev1PayloadNotify && plen >= ikev1NotifyTypeOffset+2:
			k.addNotify(binary.BigEndian.Uint16(p[ikev1NotifyTypeOffset:]))
		}
		next = p[0]
		p = p[plen:]
	}
}

func (k *IKE) addNotify(t uint16) {
	if int(k.NotifyCount) < len(k.Notifies) {
		k.Notifies[k.NotifyCount] = t
		k.NotifyCount++
	}
}

// SerializeTo implements gopacket.SerializableLayer. It writes the header and,
// before the existing payload in b, one Notify payload (no SPI, no data) per
// entry of Notifies[:NotifyCount]. NextPayload is set to Notify when notifies
// are written; Length is computed when opts.FixLengths is set.
func (k *IKE) SerializeTo(b gopacket.SerializeBuffer, opts gopacket.SerializeOptions) error {
	next := k.NextPayload
	for i := int(k.NotifyCount) - 1; i >= 0; i-- {
		if k.MajorVersion == 1 {
			n, err := b.PrependBytes(12)
			if err != nil {
				return err
			}
			clear(n)
			n[0] = next
			binary.BigEndian.PutUint16(n[2:], 12)
			binary.BigEndian.PutUint32(n[4:], 1) // DOI IPsec
			n[8] = 1                             // protocol ISAKMP
			binary.BigEndian.PutUint16(n[10:], k.Notifies[i])
			next = ikev1PayloadNotify
		} else {
			n, err := b.PrependBytes(8)
			if err != nil {
				return err
			}
			clear(n)
			n[0] = next
			binary.BigEndian.PutUint16(n[2:], 8)
			binary.BigEndian.PutUint16(n[6:], k.Notifies[i])
			next = ikev2PayloadNotify
		}
	}
	h, err := b.PrependBytes(ikeHeaderLen)
	if err != nil {
		return err
	}
	binary.BigEndian.PutUint64(h[0:], k.InitiatorSPI)
	binary.BigEndian.PutUint64(h[8:], k.ResponderSPI)
	h[16] = next
	h[17] = k.MajorVersion<<4 | k.MinorVersion&0x0f
	h[18] = k.ExchangeType
	h[19] = k.Flags
	binary.BigEndian.PutUint32(h[20:], k.MessageID)
	if opts.FixLengths {
		k.Length = uint32(len(b.Bytes()))
	}
	binary.BigEndian.PutUint32(h[24:], k.Length)
	return nil
}

func decodeIKE(data []byte, p gopacket.PacketBuilder) error {
	k := &IKE{}
	if err := k.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(k)
	return nil
}

// NonESPMarker is the four zero bytes that precede IKE messages on UDP port
// 4500 (RFC 3948 2.2). It implements gopacket.DecodingLayer; IKE follows.
type NonESPMarker struct {
	layers.BaseLayer
}

// LayerTypeNonESPMarker is the registered gopacket layer type of NonESPMarker.
var LayerTypeNonESPMarker = gopacket.RegisterLayerType(7104, gopacket.LayerTypeMetadata{
	Name: "NonESPMarker", Decoder: gopacket.DecodeFunc(decodeNonESPMarker)})

var errNotNonESPMarker = errors.New("nat-t: payload does not start with a non-ESP marker")

// LayerType implements gopacket.Layer.
func (m *NonESPMarker) LayerType() gopacket.LayerType { return LayerTypeNonESPMarker }

// CanDecode implements gopacket.DecodingLayer.
func (m *NonESPMarker) CanDecode() gopacket.LayerClass { return LayerTypeNonESPMarker }

// NextLayerType implements gopacket.DecodingLayer.
func (m *NonESPMarker) NextLayerType() gopacket.LayerType { return LayerTypeIKE }

// DecodeFromBytes implements gopacket.DecodingLayer.
func (m *NonESPMarker) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if len(data) < 4 || binary.BigEndian.Uint32(data) != 0 {
		return errNotNonESPMarker
	}
	m.Contents, m.Payload = data[:4], data[4:]
	return nil
}

// SerializeTo implements gopacket.SerializableLayer.
func (m *NonESPMarker) SerializeTo(b gopacket.SerializeBuffer, _ gopacket.SerializeOptions) error {
	h, err := b.PrependBytes(4)
	if err != nil {
		return err
	}
	clear(h)
	return nil
}

func decodeNonESPMarker(data []byte, p gopacket.PacketBuilder) error {
	m := &NonESPMarker{}
	if err := m.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(m)
	return p.NextDecoder(LayerTypeIKE)
}
