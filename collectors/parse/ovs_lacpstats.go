package parse

// ovs-appctl lacp/show-stats: per-member LACPDU counters of Open vSwitch
// bonds ("---- bond0 statistics ----", then "member: a1:" blocks of
// "TX PDUs: 10", "RX PDUs: 9", "RX Bad PDUs: 0", "Link Expired: 1",
// "Link Defaulted: 1", ...). Fills PDUsIn/PDUsOut/RxErrors/Expired/Defaulted
// with CountersKnown and CountersSrc; bonds are matched by name to those of
// lacp/show and bond/show.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	ovsLACPStatsCmdRE    = regexp.MustCompile(`^(?:sudo\s+)?ovs-appctl(?:\s+-\S+)*\s+lacp/show-stats(?:\s+[\w.-]+)?\s*$`)
	ovsStatsBlockRE      = regexp.MustCompile(`^---- (\S+) statistics ----$`)
	ovsStatsMemberRE     = regexp.MustCompile(`^(?:member|slave): (\S+):$`)
	ovsStatsCounterNames = map[string]bool{
		"TX PDUs": true, "RX PDUs": true, "RX Bad PDUs": true, "RX Marker Request PDUs": true,
		"Link Expired": true, "Link Defaulted": true, "Carrier Status Changed": true,
	}
)

func init() {
	register(Entry{
		Platform: netmodel.OVS, Capability: CapOVSLACPStats, Command: "ovs-appctl lacp/show-stats",
		CommandRE: ovsLACPStatsCmdRE, Detect: ovsDetectLACPStats, Order: ovsOrderLACP + 1,
	}, ovsParseLACPStats, ovsMergeLAGs)
}

func ovsDetectLACPStats(lines []string) bool {
	h := swanNonBlank(lines, 2)
	return len(h) == 2 && ovsStatsBlockRE.MatchString(h[0]) && ovsStatsMemberRE.MatchString(strings.TrimSpace(h[1]))
}

func ovsParseLACPStats(r io.Reader) ([]*netmodel.LAG, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		out  []*netmodel.LAG
		lag  *netmodel.LAG
		m    *netmodel.LAGMember
		perr error
	)
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if g := ovsStatsBlockRE.FindStringSubmatch(t); g != nil {
			m = nil
			lag = &netmodel.LAG{Name: g[1], Protocol: "lacp"}
			out = append(out, lag)
			continue
		}
		if lag == nil {
			return out, errorf(n, "expected ---- bond statistics ----")
		}
		if g := ovsStatsMemberRE.FindStringSubmatch(t); g != nil {
			m = &netmodel.LAGMember{Port: g[1], CountersKnown: true, CountersSrc: netmodel.Lines(n, n)}
			lag.Members = append(lag.Members, m)
			continue
		}
		k, v, ok := l2linuxKV(t)
		if !ok || m == nil || !ovsStatsCounterNames[k] {
			if perr == nil {
				perr = errorf(n, "unexpected line %q", t)
			}
			continue
		}
		c, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			if perr == nil {
				perr = errorf(n, "%s: not a count: %q", k, v)
			}
			continue
		}
		m.CountersSrc.End = n
		switch k {
		case "TX PDUs":
			m.PDUsOut = c
		case "RX PDUs":
			m.PDUsIn = c
		case "RX Bad PDUs":
			m.RxErrors = c
		case "Link Expired":
			m.Expired = c
		case "Link Defaulted":
			m.Defaulted = c
		}
	}
	// No block: the empty answer of a switch without LACP bonds.
	return out, perr
}
