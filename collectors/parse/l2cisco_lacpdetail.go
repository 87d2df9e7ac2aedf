package parse

// "show lacp neighbor detail" (IOS/IOS-XE) and "show lacp neighbor"
// (NX-OS): one block per member port.
//
//	Channel group 1 neighbors            (NX-OS: "port-channel1 neighbors", "Po2 neighbors")
//
//	Partner's information:
//	          Partner               Partner                     Partner
//	Port           System ID             Port Number     Age         Flags
//	Gi0/0/1         00127,6487.88ff.68ef  0x2              18s        FA
//
//	          LACP Partner         Partner         Partner
//	          Port Priority        Oper Key        Port State
//	          100                  0x1             0x3F
//
// NX-OS writes the system MAC as unpadded dash-separated octets
// ("32768,5e-2-0-1-0-7") and the age without a unit.

import (
	"io"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	l2ciscoLACPDetPortHdr  = regexp.MustCompile(`^Port\s+System ID\s+Port Number\s+Age\s+Flags$`)
	l2ciscoLACPDetStateHdr = regexp.MustCompile(`^Port Priority\s+Oper Key\s+Port State$`)
	l2ciscoLACPNXGroupRE   = regexp.MustCompile(`^((?:port-channel|Po)\d+) neighbors$`)
	l2ciscoLACPIOSGroupRE  = regexp.MustCompile(`^Channel group (\d+) neighbors$`)
)

func l2ciscoLACPDetailHas(lines []string, group *regexp.Regexp) bool {
	hdr, grp := false, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if l2ciscoLACPDetPortHdr.MatchString(t) {
			hdr = true
		} else if group.MatchString(t) {
			grp = true
		}
	}
	return hdr && grp
}

func l2ciscoDetectNXOSLACPNeighbor(lines []string) bool {
	return l2ciscoLACPDetailHas(lines, l2ciscoLACPNXGroupRE)
}

func l2ciscoParseNXOSLACPNeighbor(r io.Reader) ([]*netmodel.LAG, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	return l2ciscoParseLACPDetail(lines, netmodel.NXOS)
}

// l2ciscoSysMAC reads the MAC of a "priority,MAC" system ID.
func l2ciscoSysMAC(s string) string {
	if _, m, ok := strings.Cut(s, ","); ok {
		s = m
	}
	if strings.Count(s, "-") == 5 || strings.Count(s, ":") == 5 {
		parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ':' })
		for i, p := range parts {
			if len(p) == 1 {
				parts[i] = "0" + p
			}
		}
		s = strings.Join(parts, "")
	}
	return l2ciscoMAC(s)
}

func l2ciscoParseLACPDetail(lines []string, p netmodel.Platform) ([]*netmodel.LAG, error) {
	var (
		out    []*netmodel.LAG
		cur    *netmodel.LAG
		m      *netmodel.LAGMember
		expect string // "port" or "state": the header just read
		first  *Error
	)
	fail := func(line int, t string) {
		if first == nil {
			first = errorf(line, "unreadable LACP neighbor line %q", t)
		}
	}
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		name := ""
		if g := l2ciscoLACPIOSGroupRE.FindStringSubmatch(t); g != nil && p == netmodel.IOS {
			name = "Port-channel" + g[1]
		} else if g := l2ciscoLACPNXGroupRE.FindStringSubmatch(t); g != nil && p == netmodel.NXOS {
			name = netmodel.CanonicalIfName(p, g[1])
		}
		if name != "" {
			cur = &netmodel.LAG{Name: name, Protocol: "lacp", Src: netmodel.Lines(i+1, i+1)}
			out, m, expect = append(out, cur), nil, ""
			continue
		}
		if cur == nil {
			continue
		}
		switch {
		case l2ciscoLACPDetPortHdr.MatchString(t):
			expect = "port"
			continue
		case l2ciscoLACPDetStateHdr.MatchString(t):
			expect = "state"
			continue
		}
		f := strings.Fields(t)
		switch expect {
		case "port":
			expect = ""
			// Port SystemID PortNumber Age Flags
			if len(f) != 5 {
				fail(i+1, t)
				continue
			}
			mac := l2ciscoSysMAC(f[1])
			port, ok := l2ciscoNum(f[2])
			if mac == "" || !ok {
				fail(i+1, t)
				continue
			}
			m = &netmodel.LAGMember{Port: netmodel.CanonicalIfName(p, f[0]), PartnerSystem: mac, PartnerPort: port, Src: netmodel.Lines(i+1, i+1)}
			cur.Members = append(cur.Members, m)
			cur.Src.End = i + 1
		case "state":
			expect = ""
			// PortPriority OperKey PortState
			if m == nil || len(f) != 3 {
				fail(i+1, t)
				continue
			}
			key, ok1 := l2ciscoNum(f[1])
			st, ok2 := l2ciscoNum(f[2])
			if !ok1 || !ok2 || st > 0xff {
				fail(i+1, t)
				continue
			}
			m.PartnerKey = key
			m.PartnerState, m.PartnerStateKnown = netmodel.LACPState(st), true
			m.Src.End, cur.Src.End = i+1, i+1
		}
	}
	if len(out) == 0 {
		return nil, errorf(0, "no LACP neighbor group")
	}
	if first != nil {
		return out, first
	}
	return out, nil
}
