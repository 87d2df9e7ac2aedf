package parse

// ovs-appctl stp/show and rstp/show: per bridge ("---- br0 ----") one
// STPBridge, Mode stp or rstp, Instance the bridge name. Root ID and Bridge
// ID give the priorities and system ids (MACs); "This bridge is the root"
// sets IsRoot (and the root port stays empty), else root-port and
// root-path-cost are read. The port table (Interface Role State Cost
// Pri.Nbr) gives per port Role and State in lower case (RSTP prints
// "Alternate Discarding"), Cost and the priority before the dot. OVS keeps
// no topology-change counter (LastChangeSecs -1).

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	ovsSTPShowCmdRE  = regexp.MustCompile(`^(?:sudo\s+)?ovs-appctl(?:\s+-\S+)*\s+stp/show(?:\s+[\w.-]+)?\s*$`)
	ovsRSTPShowCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ovs-appctl(?:\s+-\S+)*\s+rstp/show(?:\s+[\w.-]+)?\s*$`)
	ovsSTPPortRE     = regexp.MustCompile(`^(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\.(\d+)$`)
)

const ovsOrderSTP = 40

func init() {
	register(Entry{
		Platform: netmodel.OVS, Capability: CapOVSSTP, Command: "ovs-appctl stp/show",
		CommandRE: ovsSTPShowCmdRE, Detect: ovsDetectSTPShow, Order: ovsOrderSTP,
	}, func(r io.Reader) ([]*netmodel.STPBridge, error) { return ovsParseSTP(r, "stp") }, l2linuxMergeSTP)
	register(Entry{
		Platform: netmodel.OVS, Capability: CapOVSRSTP, Command: "ovs-appctl rstp/show",
		CommandRE: ovsRSTPShowCmdRE, Detect: ovsDetectRSTPShow, Order: ovsOrderSTP,
	}, func(r io.Reader) ([]*netmodel.STPBridge, error) { return ovsParseSTP(r, "rstp") }, l2linuxMergeSTP)
}

// ovsDetectSTP: "---- br0 ----", "Root ID:", then a priority line. stp/show
// and rstp/show differ only in the port table: RSTP capitalises roles and
// states ("Root Forwarding", "Alternate Discarding").
func ovsDetectSTP(lines []string) bool {
	h := swanNonBlank(lines, 3)
	if len(h) != 3 || !ovsBlockRE.MatchString(h[0]) || h[1] != "Root ID:" || !strings.HasPrefix(h[2], "stp-priority") {
		return false
	}
	return true
}

func ovsIsRSTP(lines []string) bool {
	for _, l := range lines {
		if g := ovsSTPPortRE.FindStringSubmatch(strings.TrimSpace(l)); g != nil {
			return g[2] != strings.ToLower(g[2]) || g[3] != strings.ToLower(g[3])
		}
	}
	return false
}

// ovsDetectSTPShow: a bridge without ports cannot be told from rstp/show
// and is taken for stp/show.
func ovsDetectSTPShow(l []string) bool  { return ovsDetectSTP(l) && !ovsIsRSTP(l) }
func ovsDetectRSTPShow(l []string) bool { return ovsDetectSTP(l) && ovsIsRSTP(l) }

func ovsParseSTP(r io.Reader, mode string) ([]*netmodel.STPBridge, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		out []*netmodel.STPBridge
		t   *netmodel.STPBridge
		sec string // "root", "bridge", "ports"
	)
	for i, l := range lines {
		n := i + 1
		s := strings.TrimSpace(l)
		if s == "" {
			continue
		}
		if g := ovsBlockRE.FindStringSubmatch(s); g != nil {
			t = &netmodel.STPBridge{Mode: mode, Instance: g[1], LastChangeSecs: -1, Src: netmodel.Lines(n, n)}
			out = append(out, t)
			sec = ""
			continue
		}
		if t == nil {
			return out, errorf(n, "expected ---- bridge ----")
		}
		t.Src.End = n
		switch {
		case s == "Root ID:":
			sec = "root"
			continue
		case s == "Bridge ID:":
			sec = "bridge"
			continue
		case strings.HasPrefix(s, "Interface ") && strings.Contains(s, "Role"):
			sec = "ports"
			continue
		case s == "This bridge is the root":
			t.IsRoot = true
			continue
		}
		if sec == "ports" {
			g := ovsSTPPortRE.FindStringSubmatch(s)
			if g == nil {
				continue // the ---- underline
			}
			p := &netmodel.STPPort{Name: g[1], Role: strings.ToLower(g[2]), State: strings.ToLower(g[3]), Src: netmodel.Lines(n, n)}
			p.Cost, _ = strconv.Atoi(g[4])
			p.Priority, _ = strconv.Atoi(g[5])
			t.Ports = append(t.Ports, p)
			continue
		}
		f := strings.Fields(s)
		if len(f) != 2 {
			continue
		}
		switch f[0] {
		case "stp-priority":
			x, _ := strconv.Atoi(f[1])
			if sec == "root" {
				t.RootPriority = x
			} else {
				t.BridgePriority = x
			}
		case "stp-system-id":
			if sec == "root" {
				t.RootMAC = strings.ToLower(f[1])
			} else {
				t.BridgeMAC = strings.ToLower(f[1])
			}
		case "root-port":
			t.RootPort = f[1]
		case "root-path-cost":
			t.RootCost, _ = strconv.Atoi(f[1])
		}
	}
	// No block: the empty answer of a switch where no bridge runs this
	// protocol (stp_enable/rstp_enable false).
	return out, nil
}
