package parse

// cat /proc/net/bonding/<bond>: the Linux bonding driver's view of one bond.
//
// The file does not name the bond, except in "bond bond0 has no active
// aggregator"; the name comes from the command argument, else that line,
// else "bond0". Mode is the text of "Bonding Mode" in parentheses when it
// has them ("active-backup") or "802.3ad"; Protocol is lacp for 802.3ad and
// none otherwise. In 802.3ad mode a member is bundled when its MII status is
// up, its aggregator is the active aggregator (when the file names one) and
// its actor state is in sync, collecting and distributing (when printed;
// never with "has no active aggregator"); in active-backup mode when
// it is the currently active slave; otherwise when its MII status is up.
// Port states are the decimal actor/partner state octets.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var l2linuxBondingCmdRE = regexp.MustCompile(`^(?:sudo\s+)?(?:cat|less|more)\s+/proc/net/bonding/([\w.@-]+)\s*$`)

var l2linuxNoAggRE = regexp.MustCompile(`^bond (\S+) has no active aggregator`)

func init() {
	register(Entry{
		Platform: netmodel.Linux, Capability: CapProcBonding, Command: "cat /proc/net/bonding/{arg}",
		CommandRE: l2linuxBondingCmdRE, Detect: l2linuxDetectBonding, Order: l2linuxOrderBonding,
	}, l2linuxParseBonding, l2linuxMergeBonding)
}

func l2linuxDetectBonding(lines []string) bool {
	for _, l := range swanNonBlank(lines, 3) {
		if strings.HasPrefix(strings.TrimSpace(l), "Ethernet Channel Bonding Driver:") ||
			strings.HasPrefix(strings.TrimSpace(l), "Bonding Mode:") {
			return true
		}
	}
	return false
}

// l2linuxBond is the parsed file: the LAG, and the name printed, if any.
type l2linuxBond struct {
	LAG         *netmodel.LAG
	PrintedName string
}

func l2linuxParseBonding(r io.Reader) (l2linuxBond, error) {
	lines, err := readLines(r)
	if err != nil {
		return l2linuxBond{}, err
	}
	lag := &netmodel.LAG{}
	out := l2linuxBond{LAG: lag}
	var (
		m          *netmodel.LAGMember
		mii        string
		section    string // "", "agg", "actor", "partner"
		activeAgg  = -1
		activeName string
		miiUp      = map[*netmodel.LAGMember]bool{}
		first      = 0
	)
	end := func(i int) {
		if m != nil {
			m.Src.End = i
		}
	}
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if first == 0 {
			first = n
		}
		if g := l2linuxNoAggRE.FindStringSubmatch(t); g != nil {
			out.PrintedName = g[1]
			continue
		}
		k, v, ok := l2linuxKV(t)
		if !ok {
			switch t {
			case "802.3ad info":
				section = ""
			}
			continue
		}
		switch strings.ToLower(k) {
		case "details actor lacp pdu":
			section = "actor"
			continue
		case "details partner lacp pdu":
			section = "partner"
			continue
		case "active aggregator info":
			section = "agg"
			continue
		}
		if k == "Slave Interface" {
			end(n - 1)
			m = &netmodel.LAGMember{Port: v, Src: netmodel.Lines(n, n)}
			lag.Members = append(lag.Members, m)
			section = ""
			continue
		}
		if m != nil {
			m.Src.End = n
		}
		switch {
		case m == nil && section == "agg":
			if k == "Aggregator ID" {
				activeAgg, _ = strconv.Atoi(v)
			}
		case m == nil:
			switch k {
			case "Bonding Mode":
				lag.Mode = l2linuxBondMode(v)
			case "MII Status":
				mii = v
			case "LACP rate":
				lag.Rate = v
			case "Currently Active Slave":
				activeName = v
			}
		case section == "actor" || section == "partner":
			actor := section == "actor"
			switch strings.ToLower(k) {
			case "system mac address":
				if actor {
					m.ActorSystem = strings.ToLower(v)
				} else {
					m.PartnerSystem = strings.ToLower(v)
				}
			case "port key", "oper key":
				x, _ := strconv.Atoi(v)
				if actor {
					m.ActorKey = x
				} else {
					m.PartnerKey = x
				}
			case "port number":
				x, _ := strconv.Atoi(v)
				if actor {
					m.ActorPort = x
				} else {
					m.PartnerPort = x
				}
			case "port state":
				x, err := strconv.ParseUint(v, 10, 8)
				if err != nil {
					break
				}
				if actor {
					m.ActorState, m.ActorStateKnown = netmodel.LACPState(x), true
				} else {
					m.PartnerState, m.PartnerStateKnown = netmodel.LACPState(x), true
				}
			}
		default:
			switch k {
			case "MII Status":
				m.Status = v
				miiUp[m] = v == "up"
			case "Speed":
				if f := strings.Fields(v); len(f) == 2 && f[1] == "Mbps" {
					m.SpeedMbps, _ = strconv.Atoi(f[0])
				}
			case "Duplex":
				if v != "Unknown" {
					m.Duplex = v
				}
			case "Aggregator ID":
				m.AggregatorID, _ = strconv.Atoi(v)
			}
		}
	}
	if first == 0 {
		return out, errorf(0, "empty output")
	}
	if lag.Mode == "802.3ad" {
		lag.Protocol = "lacp"
	} else if lag.Mode != "" {
		lag.Protocol = "none"
	}
	lag.Status = mii
	lag.Up = mii == "up"
	for _, x := range lag.Members {
		switch lag.Mode {
		case "802.3ad":
			x.Bundled = miiUp[x] && out.PrintedName == "" &&
				(activeAgg < 0 || x.AggregatorID == activeAgg) &&
				(!x.ActorStateKnown || x.ActorState.Has(netmodel.LACPSync|netmodel.LACPCollecting|netmodel.LACPDistributing))
		case "active-backup":
			x.Bundled = miiUp[x] && x.Port == activeName
		default:
			x.Bundled = miiUp[x]
		}
	}
	lag.Src = netmodel.Lines(first, len(lines))
	if lag.Mode == "" && len(lag.Members) == 0 {
		return out, errorf(0, "no bonding mode or slave interface")
	}
	return out, nil
}

// l2linuxBondMode maps the "Bonding Mode" text to the mode name of
// `ip -d link` ("fault-tolerance (active-backup)" → "active-backup").
func l2linuxBondMode(v string) string {
	if strings.HasPrefix(v, "IEEE 802.3ad") {
		return "802.3ad"
	}
	if i := strings.LastIndexByte(v, '('); i >= 0 && strings.HasSuffix(v, ")") {
		return v[i+1 : len(v)-1]
	}
	return v
}

func l2linuxMergeBonding(d *netmodel.Device, file, arg string, b l2linuxBond) {
	if b.LAG == nil {
		return
	}
	b.LAG.Name = arg
	if b.LAG.Name == "" {
		b.LAG.Name = b.PrintedName
	}
	if b.LAG.Name == "" {
		b.LAG.Name = "bond0"
	}
	l2linuxMergeLAGs(d, file, []*netmodel.LAG{b.LAG})
}
