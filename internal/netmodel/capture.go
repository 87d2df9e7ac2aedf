package netmodel

import (
	"net/netip"
	"time"
)

// Capture is what a packet capture showed, summarised for the rules: one
// capture file (or live capture) taken on one interface of one device.
// Packet numbers are 1-based positions in the capture, the way Wireshark
// and tcpdump count them; findings cite them as the "lines" of the file.
type Capture struct {
	File      string // bundle path (captures/NAME.pcapng) or the source's name
	Device    string // where it was taken, when known (bundle.yaml captures:)
	Interface string
	Packets   uint64
	Start     time.Time
	Duration  time.Duration

	// VLANs counts frames per outer VLAN ID; 0 is untagged. FirstVLAN is
	// the packet number of the first frame of each VLAN.
	VLANs     map[uint16]uint64
	FirstVLAN map[uint16]uint64

	LACP []CapLACP
	BPDU []CapBPDU
	ESP  []CapESP
	IKE  []CapIKE
	// FragNeeded are ICMP "fragmentation needed" / "packet too big"
	// messages; BigESP counts ESP packets larger than BigESPBytes.
	FragNeeded []CapFragNeeded
	BigESP     uint64
	BigESPAt   uint64 // packet number of the first one
	// Errors are packets that could not be decoded, with why.
	Errors []CapError
}

// BigESPBytes is the IP length above which an ESP packet risks
// fragmentation on a 1500-byte path.
const BigESPBytes = 1400

// CapLACP is the LACPDUs from one sender (source MAC) on the interface.
type CapLACP struct {
	Source                     string // source MAC
	ActorSystem, PartnerSystem string
	ActorKey, PartnerKey       int
	ActorPort, PartnerPort     int
	ActorState, PartnerState   LACPState // of the last PDU
	FirstActor, FirstPartner   LACPState // of the first PDU
	Count                      uint64
	First, Last                uint64 // packet numbers
	LastAt                     time.Duration
	// Changes counts the PDUs whose actor or partner state differed from
	// the PDU before; Down counts the PDUs showing the member out of the
	// bundle (actor or partner not in sync, collecting and distributing),
	// FirstDown the first of them.
	Changes, Down, FirstDown uint64
}

// CapBPDU is the BPDUs from one sender on the interface.
type CapBPDU struct {
	Source       string // source MAC
	Version      string // stp, rstp, mstp
	RootPriority int
	RootMAC      string
	RootCost     uint32
	BridgePrio   int
	BridgeMAC    string
	PortID       uint16
	Count        uint64
	TC           uint64 // BPDUs with the topology-change flag
	First, Last  uint64
	LastTC       uint64 // packet number of the last TC
}

// CapESP is one SPI in one direction.
type CapESP struct {
	Src, Dst    netip.Addr
	SPI         uint32
	Packets     uint64
	LastSeq     uint32
	Gaps        uint64 // sequence numbers skipped
	First, Last uint64
	NATT        bool // ESP in UDP 4500
}

// CapIKE is the IKE traffic between two addresses for one IKE SA
// (initiator SPI).
type CapIKE struct {
	Initiator, Responder netip.Addr
	InitiatorSPI         uint64
	Version              int
	Requests, Responses  uint64
	// Unanswered counts requests (by message ID) that saw no response.
	Unanswered  uint64
	Notifies    []string // notify types seen in unencrypted messages, e.g. NO_PROPOSAL_CHOSEN
	NotifyAt    uint64   // packet number of the first error notify
	First, Last uint64
	NATT        bool
}

// CapFragNeeded is one ICMP message asking for smaller packets.
type CapFragNeeded struct {
	From, To netip.Addr // the router that sent it, the sender it is for
	MTU      int
	At       uint64
}

// CapError is a packet that could not be decoded.
type CapError struct {
	At  uint64
	Msg string
}
