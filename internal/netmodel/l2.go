package netmodel

import "strings"

// LACPState is the IEEE 802.1AX actor/partner state octet, decoded once for
// every platform.
type LACPState uint8

// LACP state bits.
const (
	LACPActivity     LACPState = 1 << 0 // active (1) or passive (0)
	LACPTimeout      LACPState = 1 << 1 // short (fast, 1 s) timeout
	LACPAggregation  LACPState = 1 << 2 // aggregatable (0 = individual)
	LACPSync         LACPState = 1 << 3 // in sync
	LACPCollecting   LACPState = 1 << 4
	LACPDistributing LACPState = 1 << 5
	LACPDefaulted    LACPState = 1 << 6 // using default partner info: no PDUs received
	LACPExpired      LACPState = 1 << 7
)

var lacpBitNames = [...]string{"activity", "short-timeout", "aggregation", "synchronization", "collecting", "distributing", "defaulted", "expired"}

// Has reports whether every bit of b is set.
func (s LACPState) Has(b LACPState) bool { return s&b == b }

// String lists the set bits ("activity,aggregation,synchronization,...").
func (s LACPState) String() string {
	var out []string
	for i, n := range lacpBitNames {
		if s&(1<<uint(i)) != 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ",")
}

// LACPStateFromWords maps words such as "activity timeout aggregation
// synchronized collecting distributing defaulted expired" (OVS, Linux
// bonding, teamd, Junos) to bits; unknown words are ignored.
func LACPStateFromWords(words ...string) LACPState {
	var s LACPState
	for _, w := range words {
		switch strings.ToLower(strings.Trim(w, ",;")) {
		case "activity", "active":
			s |= LACPActivity
		case "timeout", "short_timeout", "short-timeout", "fast":
			s |= LACPTimeout
		case "aggregation", "aggregatable", "aggregate":
			s |= LACPAggregation
		case "synchronization", "synchronized", "sync", "in_sync", "in-sync":
			s |= LACPSync
		case "collecting", "collect":
			s |= LACPCollecting
		case "distributing", "distribute":
			s |= LACPDistributing
		case "defaulted", "default":
			s |= LACPDefaulted
		case "expired", "expire":
			s |= LACPExpired
		}
	}
	return s
}

// LAG is a link aggregation: port-channel, bond, team, ae, OVS bond, vDS LAG.
type LAG struct {
	Name     string // canonical (Port-channel10, port-channel10, bond0, ae0)
	Protocol string // lacp, static, pagp, none (active-backup and friends)
	Mode     string // lacp: active or passive; bonding/teaming mode otherwise (802.3ad, balance-tcp, active-backup, iphash ...)
	Rate     string // fast, slow (LACP timeout)
	Status   string // as printed (SU, up, negotiated, ...)
	Up       bool
	Members  []*LAGMember
	Src      Source
}

// LAGMember is one member port with the LACP state of both ends.
type LAGMember struct {
	Port    string // canonical
	Status  string // as printed (P bundled, s suspended, I individual, D down, H hot-standby, current/attached, ...)
	Bundled bool   // forwarding as part of the bundle

	ActorSystem       string // MAC, lower case
	ActorKey          int
	ActorPort         int
	ActorState        LACPState
	ActorStateKnown   bool
	PartnerSystem     string // MAC, lower case; 00:00:00:00:00:00 when none
	PartnerKey        int
	PartnerPort       int
	PartnerState      LACPState
	PartnerStateKnown bool

	AggregatorID int // Linux bonding
	SpeedMbps    int
	Duplex       string

	PDUsIn, PDUsOut uint64
	RxErrors        uint64 // bad or unknown LACPDUs received
	// Expired and Defaulted count how often the partner's information timed
	// out (no LACPDU within the timeout) and fell back to defaults, where the
	// platform keeps such counters (Open vSwitch lacp/show-stats).
	Expired, Defaulted uint64
	CountersKnown      bool
	CountersSrc        Source // where the counters were read
	Src                Source
}

// STPBridge is one spanning-tree instance of a device (a VLAN of PVST, an
// MST instance, or the only tree of STP/RSTP).
type STPBridge struct {
	Mode     string // stp, rstp, pvst, rapid-pvst, mstp
	Instance string // VLAN0010, MST0, "" for a single tree

	BridgePriority int
	BridgeMAC      string
	RootPriority   int
	RootMAC        string
	RootPort       string
	RootCost       int
	IsRoot         bool

	TopologyChanges int
	LastChangeSecs  int    // seconds since the last change, -1 unknown
	LastChangePort  string // port the last change came from, when printed

	Ports []*STPPort
	Src   Source
}

// STPPort is a port's spanning-tree role and state in one instance.
type STPPort struct {
	Name        string // canonical
	Role        string // root, designated, alternate, backup, disabled, master
	State       string // forwarding, blocking, discarding, learning, listening, disabled, broken
	Cost        int
	Priority    int
	Edge        bool // edge / portfast operationally
	BPDUGuard   bool
	BPDUFilter  bool
	ErrDisabled bool
	LinkType    string // p2p, shared
	Src         Source
}
