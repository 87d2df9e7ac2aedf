package parse

// Arista EOS "show port-channel [N] all-ports": per port-channel, the ports
// in it by state.
//
//	Port Channel Port-Channel1:
//	  Active Ports: Ethernet5 Ethernet6
//
// Only the "Active Ports" lists are read (the members bundled and
// forwarding); other lines are skipped.

import (
	"io"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	l2ciscoEOSPCHdrRE    = regexp.MustCompile(`^Port Channel (Port-Channel\d+(?:\.\d+)?):$`)
	l2ciscoEOSPCActiveRE = regexp.MustCompile(`^Active Ports:(.*)$`)
	// show port-channel [N] [all-ports]
	l2ciscoEOSPortChannelCmdRE = regexp.MustCompile(ciscoShow + ciscoAbbr("port-channel", 6) +
		`(?:\s+\d+)?(?:\s+` + ciscoAbbr("all-ports", 2) + `)?` + ciscoPipe)
)

func l2ciscoDetectEOSPortChannel(lines []string) bool {
	hdr, active := false, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if l2ciscoEOSPCHdrRE.MatchString(t) {
			hdr = true
		} else if l2ciscoEOSPCActiveRE.MatchString(t) {
			active = true
		}
	}
	return hdr && active
}

func l2ciscoParseEOSPortChannel(r io.Reader) ([]*netmodel.LAG, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		out []*netmodel.LAG
		cur *netmodel.LAG
	)
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if m := l2ciscoEOSPCHdrRE.FindStringSubmatch(t); m != nil {
			cur = &netmodel.LAG{Name: netmodel.CanonicalIfName(netmodel.EOS, m[1]), Src: netmodel.Lines(i+1, i+1)}
			out = append(out, cur)
			continue
		}
		if cur == nil {
			continue
		}
		if m := l2ciscoEOSPCActiveRE.FindStringSubmatch(t); m != nil {
			for _, p := range strings.Fields(m[1]) {
				cur.Members = append(cur.Members, &netmodel.LAGMember{
					Port: netmodel.CanonicalIfName(netmodel.EOS, p), Status: "active", Bundled: true,
					Src: netmodel.Lines(i+1, i+1),
				})
			}
			cur.Src.End = i + 1
		}
	}
	if len(out) == 0 {
		return nil, errorf(0, "no port-channel")
	}
	return out, nil
}
