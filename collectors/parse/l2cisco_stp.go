package parse

// IOS/IOS-XE "show spanning-tree", one block per VLAN or MST instance:
//
//	VLAN0200
//	  Spanning tree enabled protocol rstp
//	  Root ID    Priority    24776
//	             Address     58bf.eaff.e5b6
//	             Cost        3
//	             Port        2390 (Port-channel14)
//	  ...
//	  Bridge ID  Priority    28872  (priority 28672 sys-id-ext 200)
//	             Address     ecbd.1dff.5f89
//
//	Interface           Role Sts Cost      Prio.Nbr Type
//	------------------- ---- --- --------- -------- --------------------------------
//	Gi1/0/5             Desg FWD 4         128.5    P2p Peer(STP)
//	Po14                Desg BKN*6660      128.2390 P2p Bound(PVST) *PVST_Inc
//
// "This bridge is the root" replaces Cost and Port when it is. A state of
// BKN is glued to the cost by an asterisk.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	l2ciscoSTPInstRE    = regexp.MustCompile(`^(VLAN\d{4}|MST\d+)$`)
	l2ciscoSTPProtoRE   = regexp.MustCompile(`^Spanning tree enabled protocol (\S+)$`)
	l2ciscoSTPIfHdr     = regexp.MustCompile(`^Interface\s+Role\s+Sts\s+Cost\s+Prio\.Nbr\s+Type$`)
	l2ciscoSTPPortRowRE = regexp.MustCompile(`^(\S+)\s+(\w{4})\s+([A-Z]{3})\s*\*?\s*(\d+)\s+(\d+)\.(\d+)\s*(.*)$`)
	l2ciscoSTPRootPort  = regexp.MustCompile(`^Port\s+\d+\s+\((\S+)\)$`)
)

var l2ciscoSTPRoles = map[string]string{
	"Root": "root", "Desg": "designated", "Altn": "alternate", "Back": "backup",
	"Mstr": "master", "Disa": "disabled", "Bound": "boundary",
}

var l2ciscoSTPStates = map[string]string{
	"FWD": "forwarding", "BLK": "blocking", "LRN": "learning", "LIS": "listening",
	"DIS": "disabled", "BKN": "broken",
}

// l2ciscoSTPMode maps the protocol IOS prints to the model's mode.
func l2ciscoSTPMode(proto string) string {
	switch proto {
	case "ieee":
		return "pvst"
	case "rstp":
		return "rapid-pvst"
	case "mstp":
		return "mstp"
	}
	return proto
}

func l2ciscoDetectIOSSTP(lines []string) bool {
	hasProto, hasHdr := false, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if l2ciscoSTPProtoRE.MatchString(t) {
			hasProto = true
		}
		if l2ciscoSTPIfHdr.MatchString(t) {
			hasHdr = true
		}
	}
	return hasProto && hasHdr || l2ciscoDetectIOSSTPDetail(lines)
}

func l2ciscoParseIOSSTP(r io.Reader) ([]*netmodel.STPBridge, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	if l2ciscoSTPDetailPlatform(lines) != "" {
		out, err := l2ciscoParseSTPDetail(lines, netmodel.IOS)
		if len(out) == 0 && err == nil {
			err = errorf(0, "no spanning-tree instance")
		}
		return out, err
	}
	var (
		out     []*netmodel.STPBridge
		cur     *netmodel.STPBridge
		section string // "root", "bridge", "ports"
		first   *Error
	)
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if l2ciscoSTPInstRE.MatchString(t) {
			cur = &netmodel.STPBridge{Instance: t, LastChangeSecs: -1, Src: netmodel.Lines(i+1, i+1)}
			out = append(out, cur)
			section = ""
			continue
		}
		if cur == nil || t == "" {
			continue
		}
		cur.Src.End = i + 1
		if m := l2ciscoSTPProtoRE.FindStringSubmatch(t); m != nil {
			cur.Mode = l2ciscoSTPMode(m[1])
			continue
		}
		switch {
		case strings.HasPrefix(t, "Root ID"):
			section, t = "root", strings.TrimSpace(strings.TrimPrefix(t, "Root ID"))
		case strings.HasPrefix(t, "Bridge ID"):
			section, t = "bridge", strings.TrimSpace(strings.TrimPrefix(t, "Bridge ID"))
		case l2ciscoSTPIfHdr.MatchString(t):
			section = "ports"
			continue
		}
		switch section {
		case "root", "bridge":
			f := strings.Fields(t)
			if len(f) < 2 {
				if t == "This bridge is the root" {
					cur.IsRoot = true
				}
				continue
			}
			switch {
			case t == "This bridge is the root":
				cur.IsRoot = true
			case f[0] == "Priority":
				if n, err := strconv.Atoi(f[1]); err == nil {
					if section == "root" {
						cur.RootPriority = n
					} else {
						cur.BridgePriority = n
					}
				}
			case f[0] == "Address":
				if section == "root" {
					cur.RootMAC = l2ciscoMAC(f[1])
				} else {
					cur.BridgeMAC = l2ciscoMAC(f[1])
				}
			case f[0] == "Cost" && section == "root":
				cur.RootCost, _ = strconv.Atoi(f[1])
			case f[0] == "Port" && section == "root":
				if m := l2ciscoSTPRootPort.FindStringSubmatch(t); m != nil {
					cur.RootPort = netmodel.CanonicalIfName(netmodel.IOS, m[1])
				}
			}
		case "ports":
			if strings.HasPrefix(t, "---") {
				continue
			}
			m := l2ciscoSTPPortRowRE.FindStringSubmatch(t)
			if m == nil {
				if first == nil {
					first = errorf(i+1, "unreadable spanning-tree port row %q", t)
				}
				continue
			}
			p := &netmodel.STPPort{
				Name:  netmodel.CanonicalIfName(netmodel.IOS, m[1]),
				Role:  l2ciscoSTPRoles[m[2]],
				State: l2ciscoSTPStates[m[3]],
				Src:   netmodel.Lines(i+1, i+1),
			}
			if p.Role == "" {
				p.Role = strings.ToLower(m[2])
			}
			if p.State == "" {
				p.State = strings.ToLower(m[3])
			}
			p.Cost, _ = strconv.Atoi(m[4])
			p.Priority, _ = strconv.Atoi(m[5])
			typ := strings.Fields(m[7])
			for _, w := range typ {
				switch strings.ToLower(w) {
				case "p2p":
					p.LinkType = "p2p"
				case "shr":
					p.LinkType = "shared"
				case "edge":
					p.Edge = true
				}
			}
			cur.Ports = append(cur.Ports, p)
		}
	}
	if len(out) == 0 {
		return nil, errorf(0, "no spanning-tree instance")
	}
	if first != nil {
		return out, first
	}
	return out, nil
}
