package parse

// IOS/IOS-XE "show spanning-tree detail":
//
//	VLAN0201 is executing the rstp compatible Spanning Tree protocol
//	  Bridge Identifier has priority 28672, sysid 201, address ecbd.1dff.5f89
//	  Current root has priority 24777, address 58bf.eaff.e5b6
//	  Root port is 2390 (Port-channel14), cost of root path is 3
//	  Number of topology changes 1 last change occurred 00:00:14 ago
//	          from Port-channel14
//
//	 Port 5 (GigabitEthernet1/0/5) of VLAN0201 is designated forwarding
//	   Port path cost 4, Port priority 128, Port Identifier 128.5.
//	   The port is in the portfast edge trunk mode
//	   Link type is point-to-point by default, Peer is STP
//	   Bpdu guard is enabled by default
//
// NX-OS prints the same (see testdata/nxos/show-spanning-tree), with
// "MST0000" for instances, "(port-channel31, vPC Peer-link)" for port names,
// no "transmit hold-count" on the "Configured hello time" line, and may wrap
// a port's state line.
//
// "We are the root of the spanning tree" replaces the Current root and Root
// port lines on the root bridge. The bridge priority is printed without the
// sys-id extension; it is added back so that it reads as in the brief form.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	l2ciscoSTPDetInstRE   = regexp.MustCompile(`^(\S+) is executing the (\S+) compatible Spanning Tree protocol$`)
	l2ciscoSTPDetBridgeRE = regexp.MustCompile(`^Bridge Identifier has priority (\d+), sysid (\d+), address (\S+)$`)
	l2ciscoSTPDetRootRE   = regexp.MustCompile(`^Current root has priority (\d+), address (\S+)$`)
	l2ciscoSTPDetRPortRE  = regexp.MustCompile(`^Root port is \d+ \((\S+)\), cost of root path is (\d+)$`)
	l2ciscoSTPDetTCRE     = regexp.MustCompile(`^Number of topology changes (\d+) last change occurred (\S+) ago$`)
	l2ciscoSTPDetFromRE   = regexp.MustCompile(`^from (\S+)$`)
	l2ciscoSTPDetPortRE   = regexp.MustCompile(`^Port \d+ \(([^,)\s]+)(?:, [^)]*)?\) of (\S+) is (.+)$`)
	l2ciscoSTPDetHelloRE  = regexp.MustCompile(`^Configured hello time \d+,`)
	l2ciscoSTPDetCostRE   = regexp.MustCompile(`^Port path cost (\d+), Port priority (\d+),`)
	// Cisco elapsed times: 00:00:34, 1d02h, 38w1d, 1y2w.
	l2ciscoElapsedRE = regexp.MustCompile(`^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?$`)
	l2ciscoHMSRE     = regexp.MustCompile(`^(\d+):(\d{2}):(\d{2})$`)
)

// l2ciscoSTPDetailPlatform tells the detail form of IOS from NX-OS's: IOS
// ends its "Configured hello time" lines with a transmit hold-count, NX-OS
// does not. "" when the input is not the detail form.
func l2ciscoSTPDetailPlatform(lines []string) netmodel.Platform {
	inst, ios, nxos := false, false, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case l2ciscoSTPDetInstRE.MatchString(t):
			inst = true
		case l2ciscoSTPDetHelloRE.MatchString(t):
			if strings.Contains(t, "hold-count") {
				ios = true
			} else {
				nxos = true
			}
		}
	}
	switch {
	case !inst:
		return ""
	case nxos:
		return netmodel.NXOS
	case ios:
		return netmodel.IOS
	}
	return ""
}

func l2ciscoDetectIOSSTPDetail(lines []string) bool {
	return l2ciscoSTPDetailPlatform(lines) == netmodel.IOS
}

func l2ciscoDetectNXOSSTPDetail(lines []string) bool {
	return l2ciscoSTPDetailPlatform(lines) == netmodel.NXOS
}

// l2ciscoParseNXOSSTP reads NX-OS "show spanning-tree detail".
func l2ciscoParseNXOSSTP(r io.Reader) ([]*netmodel.STPBridge, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	out, err := l2ciscoParseSTPDetail(lines, netmodel.NXOS)
	if len(out) == 0 && err == nil {
		err = errorf(0, "no spanning-tree instance")
	}
	return out, err
}

// l2ciscoElapsed reads a Cisco elapsed time in seconds; -1 when unreadable.
func l2ciscoElapsed(s string) int {
	if m := l2ciscoHMSRE.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		se, _ := strconv.Atoi(m[3])
		return h*3600 + mi*60 + se
	}
	m := l2ciscoElapsedRE.FindStringSubmatch(s)
	if m == nil || s == "" {
		return -1
	}
	total := 0
	for i, unit := range []int{365 * 86400, 7 * 86400, 86400, 3600} {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1])
			total += n * unit
		}
	}
	return total
}

var l2ciscoSTPDetRoles = map[string]string{
	"designated": "designated", "root": "root", "alternate": "alternate", "backup": "backup",
	"master": "master", "disabled": "disabled",
}

var l2ciscoSTPDetStates = map[string]bool{
	"forwarding": true, "blocking": true, "discarding": true, "learning": true,
	"listening": true, "disabled": true, "broken": true,
}

func l2ciscoParseSTPDetail(lines []string, p netmodel.Platform) ([]*netmodel.STPBridge, error) {
	var (
		out   []*netmodel.STPBridge
		cur   *netmodel.STPBridge
		port  *netmodel.STPPort
		first *Error
	)
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if m := l2ciscoSTPDetInstRE.FindStringSubmatch(t); m != nil {
			cur = &netmodel.STPBridge{Instance: m[1], Mode: l2ciscoSTPMode(m[2]), LastChangeSecs: -1, Src: netmodel.Lines(i+1, i+1)}
			out, port = append(out, cur), nil
			continue
		}
		if cur == nil || t == "" {
			continue
		}
		cur.Src.End = i + 1
		if m := l2ciscoSTPDetPortRE.FindStringSubmatch(t); m != nil {
			port = &netmodel.STPPort{Name: netmodel.CanonicalIfName(p, m[1]), Src: netmodel.Lines(i+1, i+1)}
			w := strings.Fields(m[3])
			if len(w) > 0 {
				if r, ok := l2ciscoSTPDetRoles[w[0]]; ok && len(w) > 1 && l2ciscoSTPDetStates[w[1]] {
					port.Role, port.State = r, w[1]
				} else if l2ciscoSTPDetStates[w[0]] {
					port.State = w[0]
				} else if first == nil {
					first = errorf(i+1, "unknown spanning-tree port role/state %q", m[3])
				}
			}
			cur.Ports = append(cur.Ports, port)
			continue
		}
		if port != nil {
			port.Src.End = i + 1
			switch {
			case l2ciscoSTPDetCostRE.MatchString(t):
				m := l2ciscoSTPDetCostRE.FindStringSubmatch(t)
				port.Cost, _ = strconv.Atoi(m[1])
				port.Priority, _ = strconv.Atoi(m[2])
			case strings.HasPrefix(t, "The port is in the portfast"):
				port.Edge = true
			case strings.HasPrefix(t, "Link type is point-to-point"):
				port.LinkType = "p2p"
			case strings.HasPrefix(t, "Link type is shared"):
				port.LinkType = "shared"
			case strings.HasPrefix(t, "Bpdu guard is enabled"):
				port.BPDUGuard = true
			}
			continue
		}
		switch {
		case t == "We are the root of the spanning tree":
			cur.IsRoot = true
			cur.RootPriority, cur.RootMAC = cur.BridgePriority, cur.BridgeMAC
		case l2ciscoSTPDetBridgeRE.MatchString(t):
			m := l2ciscoSTPDetBridgeRE.FindStringSubmatch(t)
			p, _ := strconv.Atoi(m[1])
			s, _ := strconv.Atoi(m[2])
			cur.BridgePriority, cur.BridgeMAC = p+s, l2ciscoMAC(m[3])
		case l2ciscoSTPDetRootRE.MatchString(t):
			m := l2ciscoSTPDetRootRE.FindStringSubmatch(t)
			cur.RootPriority, _ = strconv.Atoi(m[1])
			cur.RootMAC = l2ciscoMAC(m[2])
		case l2ciscoSTPDetRPortRE.MatchString(t):
			m := l2ciscoSTPDetRPortRE.FindStringSubmatch(t)
			cur.RootPort = netmodel.CanonicalIfName(p, m[1])
			cur.RootCost, _ = strconv.Atoi(m[2])
		case l2ciscoSTPDetTCRE.MatchString(t):
			m := l2ciscoSTPDetTCRE.FindStringSubmatch(t)
			cur.TopologyChanges, _ = strconv.Atoi(m[1])
			cur.LastChangeSecs = l2ciscoElapsed(m[2])
		case l2ciscoSTPDetFromRE.MatchString(t):
			cur.LastChangePort = netmodel.CanonicalIfName(p, l2ciscoSTPDetFromRE.FindStringSubmatch(t)[1])
		}
	}
	if first != nil {
		return out, first
	}
	return out, nil
}
