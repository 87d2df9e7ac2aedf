package parse

// ovs-vsctl show: bridges, ports and interfaces as an indented tree under
// the database uuid. Fills Device.SwitchPorts per Port: vlan_mode when
// printed, else access when "tag" is printed and trunk otherwise (OVS's
// default for an empty vlan_mode); AccessVLAN = tag for access ports,
// NativeVLAN = tag for native-tagged/native-untagged, Allowed = trunks (all
// VLANs when no trunks line) for trunks. A Port with more than one Interface
// is a bond: a LAG with those members (protocol, status and member state
// come from lacp/show and bond/show). Quoted names ("eth0", older releases)
// are unquoted.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	ovsVsctlShowCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ovs-vsctl(?:\s+-\S+)*\s+show\s*$`)
	ovsUUIDRE         = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

const ovsOrderVsctlShow = 11

func init() {
	register(Entry{
		Platform: netmodel.OVS, Capability: CapOVSVsctlShow, Command: "ovs-vsctl show",
		CommandRE: ovsVsctlShowCmdRE, Detect: ovsDetectVsctlShow, Order: ovsOrderVsctlShow,
	}, ovsParseVsctlShow, ovsMergeListPort)
}

func ovsDetectVsctlShow(lines []string) bool {
	h := swanNonBlank(lines, 2)
	if len(h) != 2 || !ovsUUIDRE.MatchString(h[0]) {
		return false
	}
	for _, p := range []string{"Bridge ", "Manager ", "ovs_version: "} {
		if strings.HasPrefix(h[1], p) {
			return true
		}
	}
	return false
}

func ovsUnquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

func ovsParseVsctlShow(r io.Reader) (ovsPorts, error) {
	lines, err := readLines(r)
	if err != nil {
		return ovsPorts{}, err
	}
	var out ovsPorts
	type port struct {
		name, tag, trunks, mode string
		ifaces                  []string
		ifaceLines              []int
		src                     netmodel.Source
	}
	var ports []*port
	var cur *port
	for i, l := range lines {
		n := i + 1
		s := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(s, "Bridge "):
			cur = nil
		case strings.HasPrefix(s, "Port "):
			cur = &port{name: ovsUnquote(strings.TrimPrefix(s, "Port ")), src: netmodel.Lines(n, n)}
			ports = append(ports, cur)
		case cur == nil:
		case strings.HasPrefix(s, "Interface "):
			cur.ifaces = append(cur.ifaces, ovsUnquote(strings.TrimPrefix(s, "Interface ")))
			cur.ifaceLines = append(cur.ifaceLines, n)
			cur.src.End = n
		case strings.HasPrefix(s, "tag: "):
			cur.tag = strings.TrimPrefix(s, "tag: ")
			cur.src.End = n
		case strings.HasPrefix(s, "trunks: "):
			cur.trunks = strings.Trim(strings.TrimPrefix(s, "trunks: "), "[]")
			cur.src.End = n
		case strings.HasPrefix(s, "vlan_mode: "):
			cur.mode = strings.TrimPrefix(s, "vlan_mode: ")
			cur.src.End = n
		case strings.HasPrefix(s, "ovs_version: "):
			cur = nil
		default:
			cur.src.End = n
		}
	}
	for _, p := range ports {
		sp := &netmodel.SwitchPort{Name: p.name}
		known := map[string]bool{"mode": true}
		tag, _ := strconv.Atoi(p.tag)
		mode := p.mode
		if mode == "" {
			mode = "trunk"
			if p.tag != "" {
				mode = "access"
			}
		}
		switch mode {
		case "access":
			sp.Mode, sp.AccessVLAN = netmodel.ModeAccess, tag
			known["access"] = true
		case "trunk", "native-tagged", "native-untagged":
			sp.Mode = netmodel.ModeTrunk
			if mode != "trunk" && p.tag != "" {
				sp.NativeVLAN = tag
				known["native"] = true
			}
			if p.trunks == "" {
				sp.Allowed = netmodel.AllVLANs()
			}
			for _, v := range strings.Split(p.trunks, ",") {
				if x, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
					sp.Allowed.Add(x)
				}
			}
			sp.AllowedKnown = true
			known["allowed"] = true
		default:
			delete(known, "mode")
		}
		out.Ports = append(out.Ports, sp)
		out.Srcs = append(out.Srcs, p.src)
		out.Known = append(out.Known, known)
		if len(p.ifaces) > 1 {
			lag := &netmodel.LAG{Name: p.name, Src: p.src}
			for j, m := range p.ifaces {
				lag.Members = append(lag.Members, &netmodel.LAGMember{Port: m, Src: netmodel.Lines(p.ifaceLines[j], p.ifaceLines[j])})
			}
			out.LAGs = append(out.LAGs, lag)
		}
	}
	if len(ports) == 0 && !(len(lines) > 0 && ovsUUIDRE.MatchString(strings.TrimSpace(lines[0]))) {
		return out, errorf(0, "no port")
	}
	return out, nil
}
