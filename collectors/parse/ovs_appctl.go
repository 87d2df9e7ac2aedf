package parse

// ovs-appctl lacp/show and ovs-appctl bond/show: Open vSwitch bonds.
//
// lacp/show fills, per bond, Protocol lacp, Mode active/passive (first word
// of "status"), Status as printed ("active negotiated"), Up when negotiated
// and some member is bundled, Rate from lacp_time, and per member ("member:
// p0: current attached", older releases "slave:") Status as printed, Bundled
// when attached and may_enable is true, and the actor/partner sys_id, port_id, key and state.
//
// bond/show fills Mode from bond_mode for bonds without LACP (with LACP the
// mode is lacp/show's active/passive), Protocol lacp or none from
// lacp_status, Status = lacp_status for LACP bonds or up/down otherwise, Up
// when some member is enabled (and LACP, if on, is negotiated), and per
// member ("member p0: enabled") Status and Bundled = enabled.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	ovsLACPShowCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ovs-appctl(?:\s+-\S+)*\s+lacp/show(?:\s+[\w.-]+)?\s*$`)
	ovsBondShowCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ovs-appctl(?:\s+-\S+)*\s+bond/show(?:\s+[\w.-]+)?\s*$`)
	ovsBlockRE       = regexp.MustCompile(`^---- (\S+) ----$`)
	ovsLACPMemberRE  = regexp.MustCompile(`^(?:member|slave): (\S+): (.*)$`)
	ovsBondMemberRE  = regexp.MustCompile(`^(?:member|slave) (\S+): (\S+)$`)
)

func init() {
	register(Entry{
		Platform: netmodel.OVS, Capability: CapOVSLACP, Command: "ovs-appctl lacp/show",
		CommandRE: ovsLACPShowCmdRE, Detect: ovsDetectLACPShow, Order: ovsOrderLACP,
	}, ovsParseLACPShow, ovsMergeLAGs)
	register(Entry{
		Platform: netmodel.OVS, Capability: CapOVSBond, Command: "ovs-appctl bond/show",
		CommandRE: ovsBondShowCmdRE, Detect: ovsDetectBondShow, Order: ovsOrderBond,
	}, ovsParseBondShow, ovsMergeLAGs)
}

// ovsDetectBlock reports whether the output starts with "---- NAME ----"
// followed by a line starting with second.
func ovsDetectBlock(lines []string, second string) bool {
	h := swanNonBlank(lines, 2)
	return len(h) == 2 && ovsBlockRE.MatchString(h[0]) && strings.HasPrefix(h[1], second)
}

func ovsDetectLACPShow(lines []string) bool { return ovsDetectBlock(lines, "status: ") }
func ovsDetectBondShow(lines []string) bool { return ovsDetectBlock(lines, "bond_mode: ") }

func ovsMergeLAGs(d *netmodel.Device, file, _ string, lags []*netmodel.LAG) {
	l2linuxMergeLAGs(d, file, lags)
}

func ovsParseLACPShow(r io.Reader) ([]*netmodel.LAG, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		out     []*netmodel.LAG
		lag     *netmodel.LAG
		m       *netmodel.LAGMember
		mayEnab bool
	)
	finish := func() {
		if m != nil {
			m.Bundled = mayEnab && strings.Contains(" "+m.Status+" ", " attached ")
		}
	}
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if g := ovsBlockRE.FindStringSubmatch(t); g != nil {
			finish()
			m = nil
			lag = &netmodel.LAG{Name: g[1], Protocol: "lacp", Src: netmodel.Lines(n, n)}
			out = append(out, lag)
			continue
		}
		if lag == nil {
			return out, errorf(n, "expected ---- bond ----")
		}
		lag.Src.End = n
		if g := ovsLACPMemberRE.FindStringSubmatch(t); g != nil {
			finish()
			m = &netmodel.LAGMember{Port: g[1], Status: g[2], Src: netmodel.Lines(n, n)}
			mayEnab = false
			lag.Members = append(lag.Members, m)
			continue
		}
		k, v, ok := l2linuxKV(t)
		if !ok {
			continue
		}
		if m == nil {
			switch k {
			case "status":
				lag.Status = v
				if f := strings.Fields(v); len(f) > 0 {
					lag.Mode = f[0]
				}
				lag.Up = strings.Contains(" "+v+" ", " negotiated ")
			case "lacp_time":
				lag.Rate = v
			}
			continue
		}
		m.Src.End = n
		switch k {
		case "may_enable":
			mayEnab = v == "true"
		case "actor sys_id":
			m.ActorSystem = strings.ToLower(v)
		case "actor port_id":
			m.ActorPort, _ = strconv.Atoi(v)
		case "actor key":
			m.ActorKey, _ = strconv.Atoi(v)
		case "actor state":
			m.ActorState, m.ActorStateKnown = netmodel.LACPStateFromWords(strings.Fields(v)...), true
		case "partner sys_id":
			m.PartnerSystem = strings.ToLower(v)
		case "partner port_id":
			m.PartnerPort, _ = strconv.Atoi(v)
		case "partner key":
			m.PartnerKey, _ = strconv.Atoi(v)
		case "partner state":
			m.PartnerState, m.PartnerStateKnown = netmodel.LACPStateFromWords(strings.Fields(v)...), true
		}
	}
	finish()
	for _, l := range out {
		any := false
		for _, x := range l.Members {
			any = any || x.Bundled
		}
		l.Up = l.Up && any
	}
	// Every non-blank line is inside a block (or an error above): no
	// block means an empty answer, which ovs-appctl gives on a switch
	// without bonds. That is the state, not a parse error.
	return out, nil
}

func ovsParseBondShow(r io.Reader) ([]*netmodel.LAG, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		out  []*netmodel.LAG
		lag  *netmodel.LAG
		m    *netmodel.LAGMember
		mode string
	)
	finish := func() {
		if lag == nil {
			return
		}
		enabled := false
		for _, x := range lag.Members {
			enabled = enabled || x.Bundled
		}
		if lag.Protocol == "lacp" {
			lag.Up = enabled && lag.Status == "negotiated"
			return
		}
		lag.Mode = mode
		lag.Up = enabled
		lag.Status = "down"
		if enabled {
			lag.Status = "up"
		}
	}
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if g := ovsBlockRE.FindStringSubmatch(t); g != nil {
			finish()
			m, mode = nil, ""
			lag = &netmodel.LAG{Name: g[1], Src: netmodel.Lines(n, n)}
			out = append(out, lag)
			continue
		}
		if lag == nil {
			return out, errorf(n, "expected ---- bond ----")
		}
		lag.Src.End = n
		if g := ovsBondMemberRE.FindStringSubmatch(t); g != nil {
			m = &netmodel.LAGMember{Port: g[1], Status: g[2], Bundled: g[2] == "enabled", Src: netmodel.Lines(n, n)}
			lag.Members = append(lag.Members, m)
			continue
		}
		if m != nil {
			m.Src.End = n
			continue
		}
		k, v, ok := l2linuxKV(t)
		if !ok {
			continue
		}
		switch k {
		case "bond_mode":
			mode = v
		case "lacp_status":
			if v == "off" {
				lag.Protocol = "none"
			} else {
				lag.Protocol, lag.Status = "lacp", v
			}
		}
	}
	finish()
	// Every non-blank line is inside a block (or an error above): no
	// block means an empty answer, which ovs-appctl gives on a switch
	// without bonds. That is the state, not a parse error.
	return out, nil
}
