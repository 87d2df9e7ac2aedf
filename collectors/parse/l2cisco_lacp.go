package parse

// IOS/IOS-XE "show lacp neighbor" and "show lacp internal".
//
//	Channel group 1 neighbors
//
//	                  LACP port                        Admin  Oper   Port    Port
//	Port      Flags   Priority  Dev ID          Age    key    Key    Number  State
//	Gi2       SA      32768     001e.49ff.a3e6  25s    0x0    0x1    0x1     0x3D
//
//	Channel group 1
//	                            LACP port     Admin     Oper    Port        Port
//	Port      Flags   State     Priority      Key       Key     Number      State
//	Gi2       SA      bndl      32768         0x1       0x1     0x1         0x3D
//
// Catalyst 6500 "show lacp internal" adds an "LACPDUs Interval" column after
// State. Port State is the 802.1AX state octet in hex.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	l2ciscoLACPGroupRE     = regexp.MustCompile(`^Channel group (\d+)(?: neighbors)?$`)
	l2ciscoLACPNeighborHdr = regexp.MustCompile(`^Port\s+Flags\s+Priority\s+Dev ID\s+Age\s+key\s+Key\s+Number\s+State$`)
	l2ciscoLACPInternalHdr = regexp.MustCompile(`^Port\s+Flags\s+State\s+(?:Interval\s+)?Priority\s+Key\s+Key\s+Number\s+State$`)
)

func l2ciscoDetectIOSLACPNeighbor(lines []string) bool {
	if l2ciscoLACPDetailHas(lines, l2ciscoLACPIOSGroupRE) {
		return true
	}
	for _, l := range lines {
		if l2ciscoLACPNeighborHdr.MatchString(strings.TrimSpace(l)) {
			return true
		}
	}
	return false
}

func l2ciscoDetectIOSLACPInternal(lines []string) bool {
	for _, l := range lines {
		if l2ciscoLACPInternalHdr.MatchString(strings.TrimSpace(l)) {
			return true
		}
	}
	return false
}

// l2ciscoLACPTable reads the per-group tables of both commands. cols is
// the number of fields of a row after the header hdr (the internal table
// tells from its header whether it has the interval column); row fills a
// member from the fields of a row.
func l2ciscoLACPTable(r io.Reader, isHdr func(string) (cols int, ok bool), row func(m *netmodel.LAGMember, f []string) bool) ([]*netmodel.LAG, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		out    []*netmodel.LAG
		cur    *netmodel.LAG
		cols   int
		sawHdr bool
		first  *Error
	)
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if m := l2ciscoLACPGroupRE.FindStringSubmatch(t); m != nil {
			cur = &netmodel.LAG{Name: "Port-channel" + m[1], Protocol: "lacp", Src: netmodel.Lines(i+1, i+1)}
			out = append(out, cur)
			cols = 0
			continue
		}
		if n, ok := isHdr(t); ok {
			cols, sawHdr = n, true
			continue
		}
		if cur == nil || cols == 0 || t == "" {
			continue
		}
		f := strings.Fields(t)
		if len(f) != cols {
			continue
		}
		m := &netmodel.LAGMember{Port: netmodel.CanonicalIfName(netmodel.IOS, f[0]), Src: netmodel.Lines(i+1, i+1)}
		if !row(m, f) {
			if first == nil {
				first = errorf(i+1, "unreadable LACP row %q", t)
			}
			continue
		}
		cur.Members = append(cur.Members, m)
		cur.Src.End = i + 1
	}
	if !sawHdr {
		return out, errorf(0, "no LACP table header")
	}
	if first != nil {
		return out, first
	}
	return out, nil
}

func l2ciscoParseIOSLACPNeighbor(r io.Reader) ([]*netmodel.LAG, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if l2ciscoLACPDetailHas(lines, l2ciscoLACPIOSGroupRE) {
		return l2ciscoParseLACPDetail(lines, netmodel.IOS)
	}
	return l2ciscoLACPTable(NewLinesReader(lines), func(t string) (int, bool) {
		return 9, l2ciscoLACPNeighborHdr.MatchString(t)
	}, func(m *netmodel.LAGMember, f []string) bool {
		// Port Flags Priority DevID Age AdminKey OperKey PortNumber PortState
		mac := l2ciscoMAC(f[3])
		key, ok1 := l2ciscoNum(f[6])
		port, ok2 := l2ciscoNum(f[7])
		st, ok3 := l2ciscoNum(f[8])
		if mac == "" || !ok1 || !ok2 || !ok3 || st > 0xff {
			return false
		}
		m.PartnerSystem, m.PartnerKey, m.PartnerPort = mac, key, port
		m.PartnerState, m.PartnerStateKnown = netmodel.LACPState(st), true
		return true
	})
}

func l2ciscoParseIOSLACPInternal(r io.Reader) ([]*netmodel.LAG, error) {
	flags := map[*netmodel.LAGMember]string{}
	lags, err := l2ciscoLACPTable(r, func(t string) (int, bool) {
		if !l2ciscoLACPInternalHdr.MatchString(t) {
			return 0, false
		}
		if strings.Contains(t, "Interval") {
			return 9, true
		}
		return 8, true
	}, func(m *netmodel.LAGMember, f []string) bool {
		// Port Flags State [Interval] Priority AdminKey OperKey PortNumber PortState
		off := len(f) - 8
		if _, err := strconv.Atoi(f[3+off]); err != nil { // LACP port priority
			return false
		}
		key, ok1 := l2ciscoNum(f[5+off])
		port, ok2 := l2ciscoNum(f[6+off])
		st, ok3 := l2ciscoNum(f[7+off])
		if !ok1 || !ok2 || !ok3 || st > 0xff {
			return false
		}
		m.Status = f[2]
		m.Bundled = f[2] == "bndl"
		m.ActorKey, m.ActorPort = key, port
		m.ActorState, m.ActorStateKnown = netmodel.LACPState(st), true
		flags[m] = f[1]
		return true
	})
	for _, l := range lags {
		l.Rate, l.Mode = l2ciscoLACPFlagsAgree(l.Members, flags)
	}
	return lags, err
}

// l2ciscoLACPFlagsAgree reads the rate and mode of a channel group from the
// flags of its own ports, as the IOS legend gives them ("S - Device is
// requesting Slow LACPDUs", "F - ... Fast", "A - Device is in Active mode",
// "P - ... Passive mode"); "" unless every member says the same. Flags in
// other letters (Catalyst 6500 "saC") are not read.
func l2ciscoLACPFlagsAgree(ms []*netmodel.LAGMember, flags map[*netmodel.LAGMember]string) (rate, mode string) {
	for i, m := range ms {
		f := flags[m]
		r, md := "", ""
		switch {
		case strings.HasPrefix(f, "S"):
			r = "slow"
		case strings.HasPrefix(f, "F"):
			r = "fast"
		}
		switch {
		case strings.HasSuffix(f, "A") && len(f) == 2:
			md = "active"
		case strings.HasSuffix(f, "P") && len(f) == 2:
			md = "passive"
		}
		if len(f) != 2 {
			r = ""
		}
		if i == 0 {
			rate, mode = r, md
			continue
		}
		if r != rate {
			rate = ""
		}
		if md != mode {
			mode = ""
		}
	}
	return rate, mode
}
