package capture

import (
	"cmp"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// StatsConfig bounds the memory Stats uses.
type StatsConfig struct {
	RingSize    int // recent packet summaries kept (default 10000)
	TopTalkers  int // sources tracked by the bounded top-talker table (default 64)
	IKEPending  int // IKE exchanges tracked at once (default 4096)
	MaxKeyTable int // entries per per-port/per-SPI table before new keys are dropped (default 4096)
}

// Stats aggregates Summaries. Add allocates nothing once the keys it sees
// (interfaces, VLANs, ports, SPIs) are known; Snapshot returns a copy to
// publish (at most a few times a second). Safe for concurrent use.
type Stats struct {
	mu        sync.Mutex
	cfg       StatsConfig
	packets   uint64
	bytes     uint64
	malformed uint64
	truncated uint64
	dropped   uint64 // new keys not tracked because a table was full
	first     time.Time
	last      time.Time
	protos    [numProtos]uint64
	ifaces    map[string]uint64
	vlans     map[IfaceVLAN]uint64
	lacp      map[LACPKey]*LACPPortStats
	bpdu      map[BPDUKey]*BPDUPortStats
	esp       map[ESPKey]*ESPStats
	ike       map[ikeKey]*IKEExchange
	notifies  map[uint16]uint64
	ikeStats  IKEStats
	talkers   talkerTable
	ring      []Summary
	ringNext  int
	ringFull  bool
}

// IfaceVLAN keys frame counts per interface and VLAN (-1: untagged).
type IfaceVLAN struct {
	Iface string
	VLAN  int
}

// LACPKey identifies the sender of LACPDUs on an interface.
type LACPKey struct {
	Iface       string
	ActorSystem [6]byte
	ActorPort   uint16
}

// LACPPortStats is the latest LACPDU from one actor port on one interface.
type LACPPortStats struct {
	Count          uint64
	First, Last    time.Time
	Actor, Partner LACPInfo
	// PartnerChanges counts LACPDUs whose partner system, key or state
	// differed from the previous one; LastPartnerChange is when.
	PartnerChanges    uint64
	LastPartnerChange time.Time
}

// BPDUKey identifies the sender of BPDUs on an interface.
type BPDUKey struct {
	Iface    string
	BridgeID BridgeID
	PortID   uint16
}

// BPDUPortStats is the latest BPDU from one bridge port seen on one interface.
type BPDUPortStats struct {
	Count        uint64
	First, Last  time.Time
	Proto        Proto
	RootID       BridgeID
	RootPathCost uint32
	Flags        uint8
	TCCount      uint64 // BPDUs with the TC flag, plus TCN BPDUs
	LastTC       time.Time
	RootChanges  uint64
}

// ESPKey identifies one direction of an ESP SA.
type ESPKey struct {
	Src, Dst netip.Addr
	SPI      uint32
}

// ESPStats counts one ESP SA direction.
type ESPStats struct {
	Packets, Bytes uint64
	First, Last    time.Time
	LastSeq        uint32
	// Gaps is the number of sequence numbers skipped (missing packets);
	// Reordered counts packets whose sequence number was not above the last.
	Gaps, Reordered uint64
	NATT            bool
}

type ikeKey struct {
	spi       uint64
	msgID     uint32
	requester bool // IKEv2: the Initiator flag of the request; IKEv1: unused
}

// IKEExchange is one IKE request and whether a response was seen.
type IKEExchange struct {
	InitiatorSPI, ResponderSPI uint64
	MessageID                  uint32
	Version, Exchange          uint8
	Requester, Responder       netip.AddrPort
	Sent, Answered             time.Time
	Retransmits                uint64
	Notifies                   [4]uint16 // from the response
	NotifyCount                uint8
}

// IKEStats counts IKE exchanges.
type IKEStats struct {
	Requests, Responses, Answered, Retransmits, UnmatchedResponses uint64
}

// ProtoCount is a frame count for one protocol.
type ProtoCount struct {
	Proto Proto
	Count uint64
}

// Talker is one entry of the top-talker table (Space-Saving: counts may
// overestimate by at most Error).
type Talker struct {
	Addr           netip.Addr
	Packets, Bytes uint64
	Error          uint64
}

// Snapshot is a copy of Stats at one moment, safe to hand to another goroutine.
type Snapshot struct {
	Packets, Bytes, Malformed, Truncated, DroppedKeys uint64
	First, Last                                       time.Time
	Protocols                                         []ProtoCount
	Interfaces                                        map[string]uint64
	VLANs                                             map[IfaceVLAN]uint64
	LACP                                              map[LACPKey]LACPPortStats
	BPDU                                              map[BPDUKey]BPDUPortStats
	ESP                                               map[ESPKey]ESPStats
	IKE                                               IKEStats
	// IKEUnanswered are requests without a response, oldest first.
	IKEUnanswered []IKEExchange
	// IKEAnswered are requests with a response, oldest first.
	IKEAnswered []IKEExchange
	Notifies    map[uint16]uint64
	TopTalkers  []Talker // by bytes, descending
	Recent      []Summary
}

// NewStats returns empty Stats; zero fields of cfg take their defaults.
func NewStats(cfg StatsConfig) *Stats {
	if cfg.RingSize <= 0 {
		cfg.RingSize = 10000
	}
	if cfg.TopTalkers <= 0 {
		cfg.TopTalkers = 64
	}
	if cfg.IKEPending <= 0 {
		cfg.IKEPending = 4096
	}
	if cfg.MaxKeyTable <= 0 {
		cfg.MaxKeyTable = 4096
	}
	return &Stats{
		cfg:      cfg,
		ifaces:   map[string]uint64{},
		vlans:    map[IfaceVLAN]uint64{},
		lacp:     map[LACPKey]*LACPPortStats{},
		bpdu:     map[BPDUKey]*BPDUPortStats{},
		esp:      map[ESPKey]*ESPStats{},
		ike:      map[ikeKey]*IKEExchange{},
		notifies: map[uint16]uint64{},
		talkers:  newTalkerTable(cfg.TopTalkers),
		ring:     make([]Summary, cfg.RingSize),
	}
}

// Add counts one decoded frame.
func (st *Stats) Add(s *Summary) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.packets++
	st.bytes += uint64(s.Length)
	if st.first.IsZero() {
		st.first = s.Time
	}
	st.last = s.Time
	if s.Flags&FlagMalformed != 0 {
		st.malformed++
	}
	if s.Flags&FlagTruncated != 0 {
		st.truncated++
	}
	if s.Proto < numProtos {
		st.protos[s.Proto]++
	}
	st.ifaces[s.Iface]++
	st.vlans[IfaceVLAN{s.Iface, s.VLAN()}]++
	if s.Src.IsValid() && s.Proto != ProtoARP {
		st.talkers.add(s.Src, uint64(s.Length))
	}
	switch s.Proto {
	case ProtoLACP:
		st.addLACP(s)
	case ProtoSTP, ProtoRSTP, ProtoMSTP:
		st.addBPDU(s)
	case ProtoESP:
		st.addESP(s)
	case ProtoIKE:
		st.addIKE(s)
	}
	st.ring[st.ringNext] = *s
	st.ringNext++
	if st.ringNext == len(st.ring) {
		st.ringNext, st.ringFull = 0, true
	}
}

func (st *Stats) addLACP(s *Summary) {
	k := LACPKey{s.Iface, s.LACP.Actor.System, s.LACP.Actor.Port}
	p := st.lacp[k]
	if p == nil {
		if len(st.lacp) >= st.cfg.MaxKeyTable {
			st.dropped++
			return
		}
		p = &LACPPortStats{First: s.Time}
		st.lacp[k] = p
	} else if p.Partner != s.LACP.Partner {
		p.PartnerChanges++
		p.LastPartnerChange = s.Time
	}
	p.Count++
	p.Last = s.Time
	p.Actor, p.Partner = s.LACP.Actor, s.LACP.Partner
}

func (st *Stats) addBPDU(s *Summary) {
	b := &s.BPDU
	k := BPDUKey{s.Iface, b.BridgeID, b.PortID}
	p := st.bpdu[k]
	if p == nil {
		if len(st.bpdu) >= st.cfg.MaxKeyTable {
			st.dropped++
			return
		}
		p = &BPDUPortStats{First: s.Time, RootID: b.RootID}
		st.bpdu[k] = p
	}
	if b.Type != BPDUTypeTCN && p.RootID != b.RootID {
		p.RootChanges++
	}
	if b.Flags&BPDUFlagTC != 0 || b.Type == BPDUTypeTCN {
		p.TCCount++
		p.LastTC = s.Time
	}
	p.Count++
	p.Last, p.Proto, p.Flags = s.Time, s.Proto, b.Flags
	if b.Type != BPDUTypeTCN {
		p.RootID, p.RootPathCost = b.RootID, b.RootPathCost
	}
}

func (st *Stats) addESP(s *Summary) {
	k := ESPKey{s.Src, s.Dst, s.ESPSPI}
	e := st.esp[k]
	if e == nil {
		if len(st.esp) >= st.cfg.MaxKeyTable {
			st.dropped++
			return
		}
		e = &ESPStats{First: s.Time, LastSeq: s.ESPSeq - 1, NATT: s.Flags&FlagNATT != 0}
		st.esp[k] = e
	}
	switch {
	case s.ESPSeq > e.LastSeq:
		e.Gaps += uint64(s.ESPSeq - e.LastSeq - 1)
		e.LastSeq = s.ESPSeq
	default:
		e.Reordered++
	}
	e.Packets++
	e.Bytes += uint64(s.Length)
	e.Last = s.Time
}

func (st *Stats) addIKE(s *Summary) {
	h := &s.IKE
	for i := 0; i < int(h.NotifyCount) && i < len(h.Notifies); i++ {
		st.notifies[h.Notifies[i]]++
	}
	var isResp bool
	var k ikeKey
	if h.Version == 2 {
		isResp = h.Flags&IKEFlagResponse != 0
		initiatorFlag := h.Flags&IKEFlagInitiator != 0
		// the request's Initiator flag: a response carries the opposite one
		k = ikeKey{h.InitiatorSPI, h.MessageID, initiatorFlag != isResp}
	} else {
		k = ikeKey{spi: h.InitiatorSPI, msgID: h.MessageID}
		if x := st.ike[k]; x != nil && x.Requester != s.SrcAddrPort() {
			isResp = true
		}
	}
	x := st.ike[k]
	if !isResp {
		if x != nil {
			if x.Requester == s.SrcAddrPort() {
				x.Retransmits++
				st.ikeStats.Retransmits++
			}
			return
		}
		if len(st.ike) >= st.cfg.IKEPending {
			st.evictAnsweredIKE()
			if len(st.ike) >= st.cfg.IKEPending {
				st.dropped++
				return
			}
		}
		st.ikeStats.Requests++
		st.ike[k] = &IKEExchange{InitiatorSPI: h.InitiatorSPI, ResponderSPI: h.ResponderSPI,
			MessageID: h.MessageID, Version: h.Version, Exchange: h.Exchange,
			Requester: s.SrcAddrPort(), Responder: s.DstAddrPort(), Sent: s.Time}
		return
	}
	st.ikeStats.Responses++
	if x == nil {
		st.ikeStats.UnmatchedResponses++
		return
	}
	if x.Answered.IsZero() {
		st.ikeStats.Answered++
		x.Answered = s.Time
		x.ResponderSPI = h.ResponderSPI
		x.NotifyCount = uint8(copy(x.Notifies[:], h.Notifies[:min(int(h.NotifyCount), len(h.Notifies))]))
	}
}

// evictAnsweredIKE drops answered exchanges to make room; unanswered ones
// are what a user looks for and stay.
func (st *Stats) evictAnsweredIKE() {
	for k, x := range st.ike {
		if !x.Answered.IsZero() {
			delete(st.ike, k)
		}
	}
}

// Snapshot returns a copy of the current statistics.
func (st *Stats) Snapshot() Snapshot {
	st.mu.Lock()
	defer st.mu.Unlock()
	sn := Snapshot{Packets: st.packets, Bytes: st.bytes, Malformed: st.malformed,
		Truncated: st.truncated, DroppedKeys: st.dropped, First: st.first, Last: st.last,
		IKE: st.ikeStats}
	for p, n := range st.protos {
		if n > 0 {
			sn.Protocols = append(sn.Protocols, ProtoCount{Proto(p), n})
		}
	}
	sn.Interfaces = make(map[string]uint64, len(st.ifaces))
	for k, v := range st.ifaces {
		sn.Interfaces[k] = v
	}
	sn.VLANs = make(map[IfaceVLAN]uint64, len(st.vlans))
	for k, v := range st.vlans {
		sn.VLANs[k] = v
	}
	sn.LACP = make(map[LACPKey]LACPPortStats, len(st.lacp))
	for k, v := range st.lacp {
		sn.LACP[k] = *v
	}
	sn.BPDU = make(map[BPDUKey]BPDUPortStats, len(st.bpdu))
	for k, v := range st.bpdu {
		sn.BPDU[k] = *v
	}
	sn.ESP = make(map[ESPKey]ESPStats, len(st.esp))
	for k, v := range st.esp {
		sn.ESP[k] = *v
	}
	sn.Notifies = make(map[uint16]uint64, len(st.notifies))
	for k, v := range st.notifies {
		sn.Notifies[k] = v
	}
	for _, x := range st.ike {
		if x.Answered.IsZero() {
			sn.IKEUnanswered = append(sn.IKEUnanswered, *x)
		} else {
			sn.IKEAnswered = append(sn.IKEAnswered, *x)
		}
	}
	byTime := func(a, b IKEExchange) int {
		return cmp.Or(a.Sent.Compare(b.Sent), cmp.Compare(a.MessageID, b.MessageID), cmp.Compare(a.InitiatorSPI, b.InitiatorSPI))
	}
	slices.SortFunc(sn.IKEUnanswered, byTime)
	slices.SortFunc(sn.IKEAnswered, byTime)
	sn.TopTalkers = st.talkers.top()
	if st.ringFull {
		sn.Recent = append(append(make([]Summary, 0, len(st.ring)), st.ring[st.ringNext:]...), st.ring[:st.ringNext]...)
	} else {
		sn.Recent = append([]Summary(nil), st.ring[:st.ringNext]...)
	}
	return sn
}

// talkerTable is a Space-Saving top-k table (Metwally et al. 2005) by bytes.
type talkerTable struct {
	idx   map[netip.Addr]int
	items []Talker
	k     int
}

func newTalkerTable(k int) talkerTable {
	return talkerTable{idx: make(map[netip.Addr]int, k), items: make([]Talker, 0, k), k: k}
}

func (t *talkerTable) add(a netip.Addr, n uint64) {
	if i, ok := t.idx[a]; ok {
		t.items[i].Packets++
		t.items[i].Bytes += n
		return
	}
	if len(t.items) < t.k {
		t.idx[a] = len(t.items)
		t.items = append(t.items, Talker{Addr: a, Packets: 1, Bytes: n})
		return
	}
	m := 0
	for i := range t.items {
		if t.items[i].Bytes < t.items[m].Bytes {
			m = i
		}
	}
	old := t.items[m]
	delete(t.idx, old.Addr)
	t.idx[a] = m
	t.items[m] = Talker{Addr: a, Packets: old.Packets + 1, Bytes: old.Bytes + n, Error: old.Bytes}
}

func (t *talkerTable) top() []Talker {
	out := slices.Clone(t.items)
	slices.SortFunc(out, func(a, b Talker) int {
		return cmp.Or(cmp.Compare(b.Bytes, a.Bytes), a.Addr.Compare(b.Addr))
	})
	return out
}
