package parse

// Link aggregation and spanning tree of Cisco IOS/IOS-XE, NX-OS and Arista
// EOS: the table entries, the shared merge into Device.LAGs and
// Device.STP, and the port-channel summary tables of the three platforms.
//
// Every identifier here starts with "l2cisco" so that the parsers of other
// platforms in this package do not clash with it.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Order of the L2 outputs: after the interface outputs of cisco.go.
const (
	l2ciscoOrderSummary = 50
	l2ciscoOrderLACP    = 55
	l2ciscoOrderSTPRoot = 58 // before the full output, which then wins
	l2ciscoOrderSTP     = 60
)

var (
	// show etherchannel [N] summary
	l2ciscoEtherSummaryCmdRE = regexp.MustCompile(ciscoShow + ciscoAbbr("etherchannel", 5) +
		`(?:\s+\d+)?\s+` + ciscoAbbr("summary", 2) + ciscoPipe)
	// show port-channel summary (NX-OS, EOS)
	l2ciscoPCSummaryCmdRE = regexp.MustCompile(ciscoShow + ciscoAbbr("port-channel", 6) +
		`\s+` + ciscoAbbr("summary", 2) + ciscoPipe)
	// show lacp [N] neighbor [detail] (IOS), show lacp neighbor [interface X] (NX-OS)
	l2ciscoLACPNeighborCmdRE = regexp.MustCompile(ciscoShow + `lacp\s+(?:\d+\s+)?` + ciscoAbbr("neighbor", 3) +
		`(?:\s+` + ciscoAbbr("interface", 3) + `\s+` + ciscoIfArg + `)?(?:\s+` + ciscoAbbr("detail", 3) + `)?` + ciscoPipe)
	// show lacp [N] internal
	l2ciscoLACPInternalCmdRE = regexp.MustCompile(ciscoShow + `lacp\s+(?:\d+\s+)?` + ciscoAbbr("internal", 3) + ciscoPipe)
	// show spanning-tree root
	l2ciscoSTPRootCmdRE = regexp.MustCompile(ciscoShow + ciscoAbbr("spanning-tree", 3) + `\s+` + ciscoAbbr("root", 2) + ciscoPipe)
	// show spanning-tree [vlan N | mst N] [detail] (IOS)
	l2ciscoSTPCmdRE = regexp.MustCompile(ciscoShow + ciscoAbbr("spanning-tree", 3) +
		`(?:\s+(?:` + ciscoAbbr("vlan", 1) + `|mst)\s+[\d,-]+)?(?:\s+` + ciscoAbbr("detail", 3) + `)?` + ciscoPipe)
)

func init() {
	register(Entry{
		Platform: netmodel.IOS, Capability: CapEtherchannelSummary, Command: "show etherchannel summary",
		CommandRE: l2ciscoEtherSummaryCmdRE, Detect: l2ciscoDetectIOSSummary, Order: l2ciscoOrderSummary,
	}, func(r io.Reader) ([]*netmodel.LAG, error) { return l2ciscoParseSummary(r, netmodel.IOS) }, l2ciscoMergeLAGs)
	register(Entry{
		Platform: netmodel.NXOS, Capability: CapEtherchannelSummary, Command: "show port-channel summary",
		CommandRE: l2ciscoPCSummaryCmdRE, Detect: l2ciscoDetectNXOSSummary, Order: l2ciscoOrderSummary,
	}, func(r io.Reader) ([]*netmodel.LAG, error) { return l2ciscoParseSummary(r, netmodel.NXOS) }, l2ciscoMergeLAGs)
	register(Entry{
		Platform: netmodel.EOS, Capability: CapEtherchannelSummary, Command: "show port-channel summary",
		CommandRE: l2ciscoPCSummaryCmdRE, Detect: l2ciscoDetectEOSSummary, Order: l2ciscoOrderSummary,
	}, func(r io.Reader) ([]*netmodel.LAG, error) { return l2ciscoParseSummary(r, netmodel.EOS) }, l2ciscoMergeLAGs)
	register(Entry{
		Platform: netmodel.EOS, Capability: CapPortChannel, Command: "show port-channel all-ports",
		CommandRE: l2ciscoEOSPortChannelCmdRE, Detect: l2ciscoDetectEOSPortChannel, Order: l2ciscoOrderSummary,
	}, l2ciscoParseEOSPortChannel, l2ciscoMergeLAGs)
	register(Entry{
		Platform: netmodel.IOS, Capability: CapLACPNeighbor, Command: "show lacp neighbor",
		CommandRE: l2ciscoLACPNeighborCmdRE, Detect: l2ciscoDetectIOSLACPNeighbor, Order: l2ciscoOrderLACP,
	}, l2ciscoParseIOSLACPNeighbor, l2ciscoMergeLAGs)
	register(Entry{
		Platform: netmodel.NXOS, Capability: CapLACPNeighbor, Command: "show lacp neighbor",
		CommandRE: l2ciscoLACPNeighborCmdRE, Detect: l2ciscoDetectNXOSLACPNeighbor, Order: l2ciscoOrderLACP,
	}, l2ciscoParseNXOSLACPNeighbor, l2ciscoMergeLAGs)
	register(Entry{
		Platform: netmodel.IOS, Capability: CapLACPInternal, Command: "show lacp internal",
		CommandRE: l2ciscoLACPInternalCmdRE, Detect: l2ciscoDetectIOSLACPInternal, Order: l2ciscoOrderLACP,
	}, l2ciscoParseIOSLACPInternal, l2ciscoMergeLAGs)
	register(Entry{
		Platform: netmodel.IOS, Capability: CapSpanningTree, Command: "show spanning-tree",
		CommandRE: l2ciscoSTPCmdRE, Detect: l2ciscoDetectIOSSTP, Order: l2ciscoOrderSTP,
	}, l2ciscoParseIOSSTP, l2ciscoMergeSTP)
	register(Entry{
		Platform: netmodel.NXOS, Capability: CapSpanningTree, Command: "show spanning-tree detail",
		CommandRE: l2ciscoSTPCmdRE, Detect: l2ciscoDetectNXOSSTPDetail, Order: l2ciscoOrderSTP,
	}, l2ciscoParseNXOSSTP, l2ciscoMergeSTP)
	for _, p := range []netmodel.Platform{netmodel.IOS, netmodel.NXOS} {
		p := p
		detect := l2ciscoDetectIOSSTPRoot
		if p == netmodel.NXOS {
			detect = l2ciscoDetectNXOSSTPRoot
		}
		register(Entry{
			Platform: p, Capability: CapSpanningTreeRoot, Command: "show spanning-tree root",
			CommandRE: l2ciscoSTPRootCmdRE, Detect: detect, Order: l2ciscoOrderSTPRoot,
		}, func(r io.Reader) ([]*netmodel.STPBridge, error) { return l2ciscoParseSTPRoot(r, p) }, l2ciscoMergeSTPRoot)
	}
}

// ---- merge ----

// l2ciscoMergeLAGs adds LAGs to d, or completes those already there (same
// name): fields set by the newer output win, members are matched by port.
func l2ciscoMergeLAGs(d *netmodel.Device, file, _ string, lags []*netmodel.LAG) {
	for _, l := range lags {
		l.Src = setFile(l.Src, file)
		for _, m := range l.Members {
			m.Src = setFile(m.Src, file)
		}
		var old *netmodel.LAG
		for _, o := range d.LAGs {
			if strings.EqualFold(o.Name, l.Name) {
				old = o
				break
			}
		}
		if old == nil {
			d.LAGs = append(d.LAGs, l)
			continue
		}
		if l.Protocol != "" {
			old.Protocol = l.Protocol
		}
		if l.Mode != "" {
			old.Mode = l.Mode
		}
		if l.Rate != "" {
			old.Rate = l.Rate
		}
		if l.Status != "" {
			old.Status, old.Up = l.Status, l.Up
		}
		if l.Src.Valid() {
			old.Src = l.Src
		}
		for _, m := range l.Members {
			var om *netmodel.LAGMember
			for _, x := range old.Members {
				if strings.EqualFold(x.Port, m.Port) {
					om = x
					break
				}
			}
			if om == nil {
				old.Members = append(old.Members, m)
				continue
			}
			l2ciscoMergeMember(om, m)
		}
	}
}

func l2ciscoMergeMember(om, m *netmodel.LAGMember) {
	if m.Status != "" {
		om.Status, om.Bundled = m.Status, m.Bundled
	}
	if m.ActorSystem != "" {
		om.ActorSystem = m.ActorSystem
	}
	if m.ActorKey != 0 {
		om.ActorKey = m.ActorKey
	}
	if m.ActorPort != 0 {
		om.ActorPort = m.ActorPort
	}
	if m.ActorStateKnown {
		om.ActorState, om.ActorStateKnown = m.ActorState, true
	}
	if m.PartnerSystem != "" {
		om.PartnerSystem = m.PartnerSystem
	}
	if m.PartnerKey != 0 {
		om.PartnerKey = m.PartnerKey
	}
	if m.PartnerPort != 0 {
		om.PartnerPort = m.PartnerPort
	}
	if m.PartnerStateKnown {
		om.PartnerState, om.PartnerStateKnown = m.PartnerState, true
	}
	if m.Src.Valid() {
		om.Src = m.Src
	}
}

// l2ciscoMergeSTP replaces the instances of d that the output prints again
// (same instance name) and adds the others.
func l2ciscoMergeSTP(d *netmodel.Device, file, _ string, brs []*netmodel.STPBridge) {
	for _, b := range brs {
		b.Src = setFile(b.Src, file)
		for _, p := range b.Ports {
			p.Src = setFile(p.Src, file)
		}
		replaced := false
		for i, o := range d.STP {
			if strings.EqualFold(o.Instance, b.Instance) {
				d.STP[i], replaced = b, true
				break
			}
		}
		if !replaced {
			d.STP = append(d.STP, b)
		}
	}
}

// ---- shared helpers ----

// l2ciscoMAC turns "001e.49ff.a3e6", "00-1e-49-ff-a3-e6" or
// "00:1e:49:ff:a3:e6" into "00:1e:49:ff:a3:e6"; "" when it is none of them.
func l2ciscoMAC(s string) string {
	h := strings.ToLower(strings.NewReplacer(".", "", ":", "", "-", "").Replace(s))
	if len(h) != 12 {
		return ""
	}
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return ""
		}
	}
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// l2ciscoNum reads a decimal or 0x-prefixed hexadecimal number.
func l2ciscoNum(s string) (int, bool) {
	base := 10
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		s, base = s[2:], 16
	}
	v, err := strconv.ParseInt(s, base, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return int(v), true
}

// ---- show etherchannel summary / show port-channel summary ----
//
// IOS (tabs or spaces between columns; members wrap onto lines of their own):
//
//	Group  Port-channel  Protocol    Ports
//	------+-------------+-----------+-----------------------------------------------
//	1      Po1(SU)         LACP      Te6/4(P)       Te3/5(P)       Te9/4(P)
//	                                 Te5/5(P)
//	2	Po2(RU)		LACP	 Gi4(bndl) Gi5(hot-sby) Gi6(bndl)
//
// NX-OS adds a Type column:
//
//	Group Port-       Type     Protocol  Member Ports
//	      Channel
//	1     Po1(RU)     Eth      LACP      Eth1/1(P)    Eth1/2(P)
//
// EOS has no group column and shows the LACP mode with the protocol:
//
//	Port-Channel       Protocol     Ports
//	Po101(U)     LACP(a)    Et3/1/1(PSG+) Et3/1/2(PSG+)

var (
	l2ciscoIOSSummaryHdr  = regexp.MustCompile(`^Group\s+Port-channel\s+Protocol\s+Ports$`)
	l2ciscoNXOSSummaryHdr = regexp.MustCompile(`^Group\s+Port-\s+Type\s+Protocol\s+Member Ports$`)
	l2ciscoEOSSummaryHdr  = regexp.MustCompile(`^Port-Channel\s+Protocol\s+Ports$`)
	l2ciscoPoTok          = regexp.MustCompile(`^(Po\d+(?:\.\d+)?)\(([A-Za-z]*)\)$`)
	l2ciscoMemberTok      = regexp.MustCompile(`^([A-Za-z][A-Za-z-]*\d[\w/.:]*)\(([\w+*^-]*)\)$`)
)

func l2ciscoSummaryHeader(p netmodel.Platform, t string) bool {
	switch p {
	case netmodel.NXOS:
		return l2ciscoNXOSSummaryHdr.MatchString(t)
	case netmodel.EOS:
		return l2ciscoEOSSummaryHdr.MatchString(t)
	}
	return l2ciscoIOSSummaryHdr.MatchString(t)
}

func l2ciscoDetectSummary(lines []string, p netmodel.Platform) bool {
	for _, l := range lines {
		if l2ciscoSummaryHeader(p, strings.TrimSpace(l)) {
			return true
		}
	}
	return false
}

func l2ciscoDetectIOSSummary(lines []string) bool {
	return l2ciscoDetectSummary(lines, netmodel.IOS)
}
func l2ciscoDetectNXOSSummary(lines []string) bool {
	return l2ciscoDetectSummary(lines, netmodel.NXOS)
}
func l2ciscoDetectEOSSummary(lines []string) bool {
	return l2ciscoDetectSummary(lines, netmodel.EOS)
}

// l2ciscoMemberBundled reads a member's flags: P (IOS, NX-OS, EOS) or
// "bndl" (IOS-XE) is bundled.
func l2ciscoMemberBundled(flags string) bool {
	if flags == "bndl" {
		return true
	}
	return strings.Contains(flags, "P") && flags != "hot-sby"
}

func l2ciscoParseSummary(r io.Reader, p netmodel.Platform) ([]*netmodel.LAG, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		out     []*netmodel.LAG
		cur     *netmodel.LAG
		inTable bool
		sawHdr  bool
	)
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if l2ciscoSummaryHeader(p, t) {
			inTable, sawHdr, cur = true, true, nil
			continue
		}
		if !inTable || t == "" || strings.HasPrefix(t, "---") || t == "Channel" {
			if t == "" {
				cur = nil
			}
			continue
		}
		f := strings.Fields(t)
		// Locate the port-channel token: first (EOS) or second (after group).
		po := -1
		for j := 0; j < len(f) && j < 2; j++ {
			if l2ciscoPoTok.MatchString(f[j]) {
				po = j
				break
			}
		}
		if po < 0 {
			// Continuation line: members only.
			if cur == nil {
				if strings.Contains(t, " - ") {
					inTable = false // legend after the table
				}
				continue
			}
			n := 0
			for _, tok := range f {
				if m := l2ciscoMemberTok.FindStringSubmatch(tok); m != nil {
					cur.Members = append(cur.Members, l2ciscoSummaryMember(p, m, i+1))
					n++
				}
			}
			if n == 0 {
				cur = nil
			} else {
				cur.Src.End = i + 1
			}
			continue
		}
		m := l2ciscoPoTok.FindStringSubmatch(f[po])
		lag := &netmodel.LAG{
			Name:   netmodel.CanonicalIfName(p, m[1]),
			Status: m[2],
			Up:     strings.Contains(m[2], "U"),
			Src:    netmodel.Lines(i+1, i+1),
		}
		rest := f[po+1:]
		if p == netmodel.NXOS && len(rest) > 0 {
			rest = rest[1:] // Type (Eth)
		}
		if len(rest) > 0 && !l2ciscoMemberTok.MatchString(rest[0]) {
			proto := rest[0]
			rest = rest[1:]
			mode := ""
			if k := strings.IndexByte(proto, '('); k > 0 && strings.HasSuffix(proto, ")") {
				mode = proto[k+1 : len(proto)-1]
				proto = proto[:k]
			}
			switch strings.ToLower(proto) {
			case "lacp":
				lag.Protocol = "lacp"
				switch {
				case strings.Contains(mode, "a"):
					lag.Mode = "active"
				case strings.Contains(mode, "p"):
					lag.Mode = "passive"
				}
			case "pagp":
				lag.Protocol = "pagp"
			case "-", "none", "static":
				lag.Protocol = "static"
			}
		}
		for _, tok := range rest {
			if mm := l2ciscoMemberTok.FindStringSubmatch(tok); mm != nil {
				lag.Members = append(lag.Members, l2ciscoSummaryMember(p, mm, i+1))
			}
		}
		out = append(out, lag)
		cur = lag
	}
	if !sawHdr {
		return out, errorf(0, "no port-channel table header")
	}
	return out, nil
}

func l2ciscoSummaryMember(p netmodel.Platform, m []string, line int) *netmodel.LAGMember {
	return &netmodel.LAGMember{
		Port:    netmodel.CanonicalIfName(p, m[1]),
		Status:  m[2],
		Bundled: l2ciscoMemberBundled(m[2]),
		Src:     netmodel.Lines(line, line),
	}
}
