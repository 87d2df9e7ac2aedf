package parse

// "show spanning-tree root" of IOS and NX-OS: one line per instance.
//
// IOS (the Root Port column is blank on the root bridge):
//
//	                                        Root    Hello Max Fwd
//	Vlan                   Root ID          Cost    Time  Age Dly  Root Port
//	---------------- -------------------- --------- ----- --- ---  ------------
//	VLAN0003         11195 5c6e.f0a7.a0b0         0    2   20  15  Po34
//
// NX-OS (narrower Cost column; says so on the root bridge):
//
//	---------------- -------------------- ------- ----- --- ---  ----------------
//	VLAN0001             1 1211.a111.1111       0    2   20  10  This bridge is root
//	VLAN0002            10 1211.a111.1112       3    2   20  10    port-channel10

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	l2ciscoSTPRootHdr = regexp.MustCompile(`^Vlan\s+Root ID\s+Cost\s+Time\s+Age\s+Dly\s+Root Port$`)
	// The dash rule under the header: IOS has a 9-dash Cost column, NX-OS 7.
	l2ciscoSTPRootRuleIOS  = regexp.MustCompile(`^-{16} -{20} -{9} -{5} -{3} -{3}\s+-+$`)
	l2ciscoSTPRootRuleNXOS = regexp.MustCompile(`^-{16} -{20} -{7} -{5} -{3} -{3}\s+-+$`)
	l2ciscoSTPRootRowRE    = regexp.MustCompile(`^((?:VLAN|MST)\d+)\s+(\d+)\s+([0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4})\s+(\d+)\s+\d+\s+\d+\s+\d+\s*(.*)$`)
)

func l2ciscoDetectSTPRoot(lines []string, p netmodel.Platform) bool {
	rule := l2ciscoSTPRootRuleIOS
	if p == netmodel.NXOS {
		rule = l2ciscoSTPRootRuleNXOS
	}
	for i := 0; i+1 < len(lines); i++ {
		if l2ciscoSTPRootHdr.MatchString(strings.TrimSpace(lines[i])) {
			return rule.MatchString(strings.TrimSpace(lines[i+1]))
		}
	}
	return false
}

func l2ciscoDetectIOSSTPRoot(lines []string) bool  { return l2ciscoDetectSTPRoot(lines, netmodel.IOS) }
func l2ciscoDetectNXOSSTPRoot(lines []string) bool { return l2ciscoDetectSTPRoot(lines, netmodel.NXOS) }

func l2ciscoParseSTPRoot(r io.Reader, p netmodel.Platform) ([]*netmodel.STPBridge, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		out    []*netmodel.STPBridge
		sawHdr bool
		first  *Error
	)
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if l2ciscoSTPRootHdr.MatchString(t) {
			sawHdr = true
			continue
		}
		if !sawHdr || t == "" || strings.HasPrefix(t, "---") {
			continue
		}
		m := l2ciscoSTPRootRowRE.FindStringSubmatch(t)
		if m == nil {
			if first == nil {
				first = errorf(i+1, "unreadable spanning-tree root row %q", t)
			}
			continue
		}
		b := &netmodel.STPBridge{Instance: m[1], LastChangeSecs: -1, RootMAC: l2ciscoMAC(m[3]), Src: netmodel.Lines(i+1, i+1)}
		b.RootPriority, _ = strconv.Atoi(m[2])
		b.RootCost, _ = strconv.Atoi(m[4])
		port := strings.TrimSpace(m[5])
		switch {
		case port == "This bridge is root":
			b.IsRoot = true
		case port == "":
			b.IsRoot = p == netmodel.IOS && b.RootCost == 0
		default:
			b.RootPort = netmodel.CanonicalIfName(p, port)
		}
		out = append(out, b)
	}
	if !sawHdr {
		return out, errorf(0, "no spanning-tree root table header")
	}
	if first != nil {
		return out, first
	}
	return out, nil
}

// l2ciscoMergeSTPRoot sets the root of the instances d already has and adds
// the others with only their root known.
func l2ciscoMergeSTPRoot(d *netmodel.Device, file, _ string, brs []*netmodel.STPBridge) {
	for _, b := range brs {
		b.Src = setFile(b.Src, file)
		var old *netmodel.STPBridge
		for _, o := range d.STP {
			if strings.EqualFold(o.Instance, b.Instance) {
				old = o
				break
			}
		}
		if old == nil {
			d.STP = append(d.STP, b)
			continue
		}
		old.RootPriority, old.RootMAC, old.RootCost = b.RootPriority, b.RootMAC, b.RootCost
		old.RootPort, old.IsRoot = b.RootPort, b.IsRoot
	}
}
