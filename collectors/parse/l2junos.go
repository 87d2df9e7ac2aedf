package parse

// Juniper EX/QFX layer-2 parsers: "show lacp interfaces" and the legacy
// (non-ELS) "show ethernet-switching interfaces". They share the Junos
// helpers of junos.go (skipped lines, refusals, command abbreviations).

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Order of the Junos layer-2 outputs: VLAN membership, then LACP.
const (
	junosL2OrderEthSwitch = 25
	junosL2OrderLACP      = 45
)

func init() {
	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosLACP,
		Command:   "show lacp interfaces",
		CommandRE: junosL2LACPCmdRE, Detect: junosL2DetectLACP, Order: junosL2OrderLACP,
	}, junosL2ParseLACP, junosL2MergeLAGs)

	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosEthSwitchIf,
		Command:   "show ethernet-switching interfaces",
		CommandRE: junosL2EthSwitchCmdRE, Detect: junosL2DetectEthSwitch, Order: junosL2OrderEthSwitch,
	}, junosL2ParseEthSwitch, junosL2MergeSwitchPorts)
}

var (
	// show lacp interfaces [NAME]
	junosL2LACPCmdRE = regexp.MustCompile(junosShow + junosAbbr("lacp", 4) + `\s+` + junosAbbr("interfaces", 6) +
		`(?:\s+[a-z][\w\-/.:]*)?` + junosPipe + `\s*$`)
	// show ethernet-switching interface(s) [NAME]
	junosL2EthSwitchCmdRE = regexp.MustCompile(junosShow + junosAbbr("ethernet-switching", 5) + `\s+` + junosAbbr("interfaces", 6) +
		`(?:\s+[a-z][\w\-/.:*]*)?` + junosPipe + `\s*$`)
)

// ---- show lacp interfaces ----
//
//	Aggregated interface: ae4
//	    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity
//	    xe-3/0/1       Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active
//	    xe-3/0/1     Partner    No    No   Yes  Yes  Yes   Yes     Fast    Active
//	    LACP protocol:        Receive State  Transmit State          Mux State
//	    xe-3/0/1                  Current   Fast periodic Collecting distributing

const (
	junosL2LACPAggr  = "Aggregated interface:"
	junosL2LACPState = "LACP state:"
	junosL2LACPProto = "LACP protocol:"
)

// junosL2StateBits are the Yes/No columns of "LACP state:", in order.
var junosL2StateBits = [...]netmodel.LACPState{
	netmodel.LACPExpired, netmodel.LACPDefaulted, netmodel.LACPDistributing,
	netmodel.LACPCollecting, netmodel.LACPSync, netmodel.LACPAggregation,
}

func junosL2DetectLACP(lines []string) bool {
	first := junosFirstLines(lines, 2)
	return len(first) == 2 && strings.HasPrefix(first[0], junosL2LACPAggr) &&
		strings.HasPrefix(first[1], junosL2LACPState) && strings.Contains(first[1], "Activity")
}

func junosL2ParseLACP(r io.Reader) ([]*netmodel.LAG, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		out     []*netmodel.LAG
		lag     *netmodel.LAG
		section string // "", state, proto
		e       junosErrs
	)
	member := func(name string, ln int) *netmodel.LAGMember {
		for _, m := range lag.Members {
			if m.Port == name {
				m.Src.End = ln
				lag.Src.End = ln
				return m
			}
		}
		m := &netmodel.LAGMember{Port: name, Src: netmodel.Lines(ln, ln)}
		lag.Members = append(lag.Members, m)
		lag.Src.End = ln
		return m
	}
	for i, l := range lines {
		ln := i + 1
		t := strings.TrimSpace(l)
		if junosSkip(t) {
			continue
		}
		if msg := junosDeviceError(t); msg != "" {
			e.addf(ln, "device refused the command: %s", msg)
			continue
		}
		switch {
		case strings.HasPrefix(t, junosL2LACPAggr):
			name := strings.TrimSpace(strings.TrimPrefix(t, junosL2LACPAggr))
			if name == "" || strings.ContainsAny(name, " \t") {
				e.addf(ln, "bad aggregated interface name %q", name)
				lag = nil
				continue
			}
			lag = &netmodel.LAG{Name: name, Protocol: "lacp", Src: netmodel.Lines(ln, ln)}
			out = append(out, lag)
			section = ""
			continue
		case strings.HasPrefix(t, junosL2LACPState):
			section = "state"
			if lag != nil {
				lag.Src.End = ln
			}
			continue
		case strings.HasPrefix(t, junosL2LACPProto):
			section = "proto"
			if lag != nil {
				lag.Src.End = ln
			}
			continue
		}
		if lag == nil || section == "" {
			e.addf(ln, "unexpected line outside an aggregated interface's LACP state: %q", t)
			continue
		}
		f := strings.Fields(t)
		if section == "state" {
			if len(f) != 10 || (f[1] != "Actor" && f[1] != "Partner") {
				e.addf(ln, "unrecognised LACP state row %q", t)
				continue
			}
			var s netmodel.LACPState
			ok := true
			for j, bit := range junosL2StateBits {
				switch f[2+j] {
				case "Yes":
					s |= bit
				case "No":
				default:
					ok = false
				}
			}
			switch f[8] {
			case "Fast":
				s |= netmodel.LACPTimeout
			case "Slow":
			default:
				ok = false
			}
			switch f[9] {
			case "Active":
				s |= netmodel.LACPActivity
			case "Passive":
			default:
				ok = false
			}
			if !ok {
				e.addf(ln, "unrecognised LACP state values in %q", t)
				continue
			}
			m := member(f[0], ln)
			if f[1] == "Actor" {
				m.ActorState, m.ActorStateKnown = s, true
				lag.Mode = strings.ToLower(f[9])
				lag.Rate = strings.ToLower(f[8])
			} else {
				m.PartnerState, m.PartnerStateKnown = s, true
			}
			continue
		}
		// LACP protocol: PORT RECEIVE-STATE TRANSMIT-STATE MUX-STATE, where
		// the transmit state is "<Fast|Slow|No> periodic".
		p := -1
		for j := 2; j < len(f); j++ {
			if strings.EqualFold(f[j], "periodic") {
				p = j
				break
			}
		}
		if len(f) < 4 || p < 3 || p == len(f)-1 {
			e.addf(ln, "unrecognised LACP protocol row %q", t)
			continue
		}
		m := member(f[0], ln)
		m.Status = strings.Join(f[p+1:], " ")
		m.Bundled = strings.EqualFold(m.Status, "Collecting distributing")
		if m.Bundled {
			lag.Up = true
		}
	}
	if len(out) == 0 && e.first == nil && !junosBlank(lines) {
		e.addf(0, "no aggregated interface found")
	}
	return out, e.err()
}

// junosL2MergeLAGs replaces LAGs of the same name and adds the others.
func junosL2MergeLAGs(d *netmodel.Device, file, _ string, lags []*netmodel.LAG) {
	for _, l := range lags {
		l.Src = setFile(l.Src, file)
		for _, m := range l.Members {
			m.Src = setFile(m.Src, file)
		}
		replaced := false
		for i, old := range d.LAGs {
			if old.Name == l.Name {
				d.LAGs[i], replaced = l, true
				break
			}
		}
		if !replaced {
			d.LAGs = append(d.LAGs, l)
		}
	}
}

// ---- show ethernet-switching interfaces (EX, non-ELS) ----
//
//	Interface    State  VLAN members        Tag   Tagging  Blocking
//	ge-0/0/14.0  up      vlan100             100   tagged   unblocked
//	                     vlan200             200   tagged   unblocked
//	ge-0/0/3.0   up      default                            blocked by STP

// junosL2Member is one VLAN membership row.
type junosL2Member struct {
	vlan   string
	tag    int // 0 = not printed
	tagged string
	line   int
}

func junosL2DetectEthSwitch(lines []string) bool {
	first := junosFirstLines(lines, 1)
	return len(first) == 1 && junosSameFields(first[0], "Interface", "State", "VLAN", "members", "Tag", "Tagging", "Blocking")
}

// junosL2MemberFields reads "VLAN [TAG] [tagged|untagged] BLOCKING...".
func junosL2MemberFields(f []string, ln int) (junosL2Member, bool) {
	m := junosL2Member{line: ln}
	if len(f) == 0 {
		return m, false
	}
	m.vlan, f = f[0], f[1:]
	if len(f) > 0 && junosDigits(f[0]) {
		n, err := strconv.Atoi(f[0])
		if err != nil || n < 1 || n > 4094 {
			return m, false
		}
		m.tag, f = n, f[1:]
	}
	if len(f) > 0 && (f[0] == "tagged" || f[0] == "untagged") {
		m.tagged = f[0]
	}
	return m, true
}

func junosL2ParseEthSwitch(r io.Reader) ([]*netmodel.SwitchPort, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	type port = junosL2PortVLANs
	var (
		ports  []*port
		cur    *port
		header bool
		e      junosErrs
	)
	for i, l := range lines {
		ln := i + 1
		t := strings.TrimSpace(l)
		if junosSkip(t) {
			continue
		}
		if msg := junosDeviceError(t); msg != "" {
			e.addf(ln, "device refused the command: %s", msg)
			continue
		}
		f := strings.Fields(t)
		if junosSameFields(t, "Interface", "State", "VLAN", "members", "Tag", "Tagging", "Blocking") {
			header, cur = true, nil
			continue
		}
		if !header {
			e.addf(ln, "unexpected line before the table header: %q", t)
			continue
		}
		indented := l != "" && (l[0] == ' ' || l[0] == '\t')
		if indented {
			if cur == nil {
				e.addf(ln, "VLAN row without an interface: %q", t)
				continue
			}
			m, ok := junosL2MemberFields(f, ln)
			if !ok {
				e.addf(ln, "unrecognised VLAN row %q", t)
				continue
			}
			cur.members = append(cur.members, m)
			cur.end = ln
			continue
		}
		if len(f) < 2 || (f[1] != "up" && f[1] != "down") {
			e.addf(ln, "unrecognised interface row %q", t)
			cur = nil
			continue
		}
		cur = &port{name: strings.TrimSuffix(f[0], ".0"), start: ln, end: ln}
		ports = append(ports, cur)
		if len(f) == 2 {
			continue // no VLAN
		}
		m, ok := junosL2MemberFields(f[2:], ln)
		if !ok {
			e.addf(ln, "unrecognised VLAN in %q", t)
			continue
		}
		cur.members = append(cur.members, m)
	}
	if !header && e.first == nil && !junosBlank(lines) {
		e.addf(0, "no ethernet-switching interface table found")
	}
	return junosL2SwitchPorts(ports), e.err()
}

// junosL2PortVLANs is one interface and the VLANs it is a member of, with
// their tagging, as Junos prints them.
type junosL2PortVLANs struct {
	name       string
	start, end int
	members    []junosL2Member
}

// junosL2SwitchPorts derives each port's mode and VLANs from its
// memberships: tagged members make a trunk (an untagged one its native
// VLAN), a single untagged member an access port; a port whose tagging was
// not printed is left out.
func junosL2SwitchPorts(ports []*junosL2PortVLANs) []*netmodel.SwitchPort {
	var out []*netmodel.SwitchPort
	for _, p := range ports {
		sp := &netmodel.SwitchPort{Name: p.name}
		src := netmodel.Lines(p.start, p.end)
		var tagged, untagged []junosL2Member
		for _, m := range p.members {
			switch m.tagged {
			case "tagged":
				tagged = append(tagged, m)
			case "untagged":
				untagged = append(untagged, m)
			}
		}
		switch {
		case len(tagged) > 0:
			sp.Mode, sp.ModeSrc = netmodel.ModeTrunk, src
			known := true
			for _, m := range p.members {
				if m.tag == 0 {
					known = false
					continue
				}
				sp.Allowed.Add(m.tag)
			}
			sp.AllowedKnown, sp.AllowedSrc = known, src
			if len(untagged) == 1 && untagged[0].tag > 0 {
				sp.NativeVLAN, sp.NativeVLANSrc = untagged[0].tag, netmodel.Lines(untagged[0].line, untagged[0].line)
			}
		case len(untagged) == 1:
			sp.Mode, sp.ModeSrc = netmodel.ModeAccess, src
			if untagged[0].tag > 0 {
				sp.AccessVLAN, sp.AccessVLANSrc = untagged[0].tag, netmodel.Lines(untagged[0].line, untagged[0].line)
			}
		}
		if sp.Mode == "" {
			continue // VLAN without tagging printed: nothing known about the port
		}
		out = append(out, sp)
	}
	return out
}

// junosL2MergeSwitchPorts sets what the output told about each port.
func junosL2MergeSwitchPorts(d *netmodel.Device, file, _ string, sps []*netmodel.SwitchPort) {
	for _, s := range sps {
		p := d.Port(s.Name)
		if s.Mode != "" {
			p.Mode, p.ModeSrc = s.Mode, setFile(s.ModeSrc, file)
		}
		if s.AccessVLAN != 0 {
			p.AccessVLAN, p.AccessVLANSrc = s.AccessVLAN, setFile(s.AccessVLANSrc, file)
		}
		if s.NativeVLAN != 0 {
			p.NativeVLAN, p.NativeVLANSrc = s.NativeVLAN, setFile(s.NativeVLANSrc, file)
		}
		if s.AllowedKnown {
			p.Allowed, p.AllowedKnown, p.AllowedSrc = s.Allowed, true, setFile(s.AllowedSrc, file)
		}
	}
}
