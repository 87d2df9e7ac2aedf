package parse

// Arista EOS "show lacp peer" (alias "show lacp neighbor"):
//
//	State: A = Active, P = Passive; S=ShortTimeout, L=LongTimeout;
//	       G = Aggregable, I = Individual; s+=InSync, s-=OutOfSync;
//	       C = Collecting, X = state machine expired,
//	       D = Distributing, d = default neighbor state
//	                 |                        Partner
//	 Port    Status  | Sys-id                    Port#   State     OperKey  PortPri
//	------ ----------|------------------------- ------- --------- --------- -------
//	Port Channel Port-Channel1:
//	 Et7     Bundled | 8000,01-aa-bb-bb-00-01        7   ALGs+CD    0x0001    32768
//
// Fills, per port-channel and member: Status as printed, Bundled when
// "Bundled", the partner system (MAC of the "priority,mac" sys-id), port
// number, key and the partner state decoded from its letters.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	eosLACPPeerCmdRE  = regexp.MustCompile(`^show\s+lacp\s+(?:peer|neighbor)(?:\s+detail)?\s*$`)
	eosLACPPeerHdr    = regexp.MustCompile(`^Port\s+Status\s+\|\s+Sys-id\s+Port#\s+State\s+OperKey\s+PortPri$`)
	eosLACPChannelRE  = regexp.MustCompile(`^Port Channel (\S+?):$`)
	eosLACPPeerLineRE = regexp.MustCompile(`^(\S+)\s+(.+?)\s*\|\s*(?:(\S+)\s+(\d+)\s+(\S+)\s+(0x[0-9a-fA-F]+|\d+)\s+(\d+))?\s*$`)
)

func init() {
	register(Entry{
		Platform: netmodel.EOS, Capability: CapLACPNeighbor, Command: "show lacp peer",
		CommandRE: eosLACPPeerCmdRE, Detect: eosDetectLACPPeer,
	}, eosParseLACPPeer, l2ciscoMergeLAGs)
}

func eosDetectLACPPeer(lines []string) bool {
	for _, l := range lines {
		if eosLACPPeerHdr.MatchString(strings.TrimSpace(l)) {
			return true
		}
	}
	return false
}

// eosLACPState decodes EOS's state letters: A/P activity, S/L timeout,
// G/I aggregation, s+/s- sync, C collecting, D distributing, X expired,
// d defaulted.
func eosLACPState(s string) netmodel.LACPState {
	var st netmodel.LACPState
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			st |= netmodel.LACPActivity
		case 'S':
			st |= netmodel.LACPTimeout
		case 'G':
			st |= netmodel.LACPAggregation
		case 's':
			if i+1 < len(s) && s[i+1] == '+' {
				st |= netmodel.LACPSync
			}
			i++
		case 'C':
			st |= netmodel.LACPCollecting
		case 'D':
			st |= netmodel.LACPDistributing
		case 'X':
			st |= netmodel.LACPExpired
		case 'd':
			st |= netmodel.LACPDefaulted
		}
	}
	return st
}

// eosSysID turns "8000,01-aa-bb-bb-00-01" into the MAC "01:aa:bb:bb:00:01".
func eosSysID(s string) string {
	_, mac, ok := strings.Cut(s, ",")
	if !ok {
		mac = s
	}
	return strings.ToLower(strings.ReplaceAll(mac, "-", ":"))
}

func eosParseLACPPeer(r io.Reader) ([]*netmodel.LAG, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		out    []*netmodel.LAG
		lag    *netmodel.LAG
		header bool
		perr   error
	)
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			continue
		case eosLACPPeerHdr.MatchString(t):
			header = true
			continue
		case !header || strings.HasPrefix(t, "---"):
			continue
		}
		if g := eosLACPChannelRE.FindStringSubmatch(t); g != nil {
			lag = &netmodel.LAG{Name: netmodel.CanonicalIfName(netmodel.EOS, g[1]), Protocol: "lacp", Src: netmodel.Lines(n, n)}
			out = append(out, lag)
			continue
		}
		g := eosLACPPeerLineRE.FindStringSubmatch(t)
		if g == nil || lag == nil {
			if perr == nil {
				perr = errorf(n, "unexpected line %q", t)
			}
			continue
		}
		lag.Src.End = n
		m := &netmodel.LAGMember{Port: netmodel.CanonicalIfName(netmodel.EOS, g[1]), Status: g[2], Bundled: g[2] == "Bundled", Src: netmodel.Lines(n, n)}
		if g[3] != "" {
			m.PartnerSystem = eosSysID(g[3])
			m.PartnerPort, _ = strconv.Atoi(g[4])
			m.PartnerState, m.PartnerStateKnown = eosLACPState(g[5]), true
			k, _ := strconv.ParseInt(strings.TrimPrefix(strings.ToLower(g[6]), "0x"), 16, 32)
			m.PartnerKey = int(k)
		}
		lag.Members = append(lag.Members, m)
	}
	if !header {
		return nil, errorf(0, "no show lacp peer table")
	}
	return out, perr
}
