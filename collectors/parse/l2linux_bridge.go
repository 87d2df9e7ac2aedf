package parse

// Linux bridge spanning tree, from two outputs:
//
// ip -d -j link show (linux_link.go): a bridge with stp_state 1 (kernel
// STP; Mode "stp") or 2 (user-space STP such as mstpd; Mode left empty) is
// an STPBridge whose Instance is the bridge name; bridges with STP off give
// none. BridgePriority/BridgeMAC come from info_data.bridge_id
// ("8000.2:0:0:0:0:1", iproute2 does not zero-pad; sysfs "8000.020000000001"
// is read too). The bridge is the root when root_port is 0; otherwise the
// root is the root_id of its ports' info_slave_data, because iproute2 6.1
// prints the bridge's own id as the bridge's root_id. RootPort is the port
// whose "no" equals root_port, RootCost root_path_cost. There is no
// topology-change counter in netlink (TopologyChanges stays 0,
// LastChangeSecs -1). Per port: State, Cost, Priority, BPDUGuard (guard),
// and a Role derived as 802.1D would: disabled when the state is, root for
// the root port, designated when the segment's designated bridge and port
// (bridge_id, designated_port) are this bridge and port, backup when the
// designated bridge is this bridge but another port, alternate otherwise
// when blocking.
//
// bridge -d -j link show (CapBridgeLink): per port State, Cost, Priority,
// BPDUGuard (guard), grouped by master into the tree of that bridge
// (Instance = bridge name); it does not say whether STP runs.

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var l2linuxBridgeLinkCmdRE = regexp.MustCompile(`^(?:sudo\s+)?bridge(?:\s+-\S+)*\s+-j(?:son)?(?:\s+-\S+)*\s+(?:l|li|lin|link)(?:\s+(?:show|list|ls|l|s|sh))?(?:\s+(?:dev\s+)?[\w.@-]+)?\s*$`)

const l2linuxOrderBridgeLink = 25 // bridge -j link: after ip -j link (5)

func init() {
	register(Entry{
		Platform: netmodel.Linux, Capability: CapBridgeLink, Command: "bridge -d -j link show",
		CommandRE: l2linuxBridgeLinkCmdRE, Detect: l2linuxDetectBridgeLink, Order: l2linuxOrderBridgeLink,
	}, l2linuxParseBridgeLink, l2linuxMergeSTP)
}

// l2linuxIsBridgeLink tells `bridge -j link` from `ip -j link`, which both
// start with [{"ifindex":: the bridge tool's objects have "state" where
// ip's have "operstate".
func l2linuxIsBridgeLink(lines []string) bool {
	head := strings.ReplaceAll(strings.Join(swanNonBlank(lines, 40), ""), " ", "")
	if !strings.HasPrefix(head, `[{"ifindex":`) {
		return false
	}
	st := strings.Index(head, `"state":`)
	op := strings.Index(head, `"operstate":`)
	return st >= 0 && (op < 0 || st < op)
}

func l2linuxDetectBridgeLink(lines []string) bool { return l2linuxIsBridgeLink(lines) }

// l2linuxFlatObject reads an object's scalar and string members as text
// (nested values are skipped).
func l2linuxFlatObject(j *linuxJSON) map[string]string {
	m := map[string]string{}
	j.object(func(k string) {
		switch j.peek() {
		case '"':
			m[k] = strings.Clone(j.str())
		case '{', '[':
			j.skip()
		default:
			m[k] = j.scalar()
		}
	})
	return m
}

// l2linuxBridgeID splits "8000.2:0:0:0:0:1" or "8000.020000000001" into
// the priority and the MAC (lower case, zero-padded).
func l2linuxBridgeID(s string) (prio int, mac string, ok bool) {
	p, m, found := strings.Cut(s, ".")
	if !found {
		return 0, "", false
	}
	x, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return 0, "", false
	}
	var parts []string
	if strings.Contains(m, ":") {
		parts = strings.Split(m, ":")
	} else if len(m) == 12 {
		for i := 0; i < 12; i += 2 {
			parts = append(parts, m[i:i+2])
		}
	}
	if len(parts) != 6 {
		return 0, "", false
	}
	for i, b := range parts {
		v, err := strconv.ParseUint(b, 16, 8)
		if err != nil {
			return 0, "", false
		}
		parts[i] = strconv.FormatUint(v|0x100, 16)[1:]
	}
	return int(x), strings.Join(parts, ":"), true
}

// l2linuxBridges collects bridges and bridge ports of one ip -d -j link.
type l2linuxBridges struct {
	br    []*netmodel.STPBridge
	data  map[string]map[string]string   // bridge name → info_data
	ports map[string][]map[string]string // bridge name → info_slave_data (+ "ifname")
	srcs  map[string][]netmodel.Source
}

func (b *l2linuxBridges) bridge(name string, data map[string]string, src netmodel.Source) {
	if data["stp_state"] == "" || data["stp_state"] == "0" {
		return
	}
	t := &netmodel.STPBridge{Instance: name, LastChangeSecs: -1, Src: src}
	if data["stp_state"] == "1" {
		t.Mode = "stp"
	}
	t.BridgePriority, t.BridgeMAC, _ = l2linuxBridgeID(data["bridge_id"])
	t.RootCost, _ = strconv.Atoi(data["root_path_cost"])
	if b.data == nil {
		b.data = map[string]map[string]string{}
	}
	b.data[name] = data
	b.br = append(b.br, t)
}

func (b *l2linuxBridges) port(name, master string, data map[string]string, src netmodel.Source) {
	if b.ports == nil {
		b.ports = map[string][]map[string]string{}
		b.srcs = map[string][]netmodel.Source{}
	}
	data["ifname"] = name
	b.ports[master] = append(b.ports[master], data)
	b.srcs[master] = append(b.srcs[master], src)
}

// l2linuxHexInt reads "0x8001" or "32769".
func l2linuxHexInt(s string) (int, bool) {
	v, err := strconv.ParseInt(s, 0, 32)
	return int(v), err == nil
}

func (b *l2linuxBridges) trees() []*netmodel.STPBridge {
	for _, t := range b.br {
		data := b.data[t.Instance]
		rootPort, _ := l2linuxHexInt(data["root_port"])
		t.IsRoot = rootPort == 0
		t.RootPriority, t.RootMAC, _ = l2linuxBridgeID(data["root_id"])
		if t.IsRoot {
			t.RootPriority, t.RootMAC = t.BridgePriority, t.BridgeMAC
		}
		for i, pd := range b.ports[t.Instance] {
			p := &netmodel.STPPort{Name: pd["ifname"], State: pd["state"], Src: b.srcs[t.Instance][i]}
			p.Cost, _ = strconv.Atoi(pd["cost"])
			p.Priority, _ = strconv.Atoi(pd["priority"])
			p.BPDUGuard = pd["guard"] == "true"
			no, _ := l2linuxHexInt(pd["no"])
			id, _ := l2linuxHexInt(pd["id"])
			desPort, _ := l2linuxHexInt(pd["designated_port"])
			dp, dm, dok := l2linuxBridgeID(pd["bridge_id"])
			ownSeg := dok && dp == t.BridgePriority && dm == t.BridgeMAC
			switch {
			case p.State == "disabled":
				p.Role = "disabled"
			case !t.IsRoot && no == rootPort:
				p.Role = "root"
				t.RootPort = p.Name
			case ownSeg && desPort == id:
				p.Role = "designated"
			case ownSeg && p.State == "blocking":
				p.Role = "backup"
			case p.State == "blocking":
				p.Role = "alternate"
			}
			if !t.IsRoot {
				if rp, rm, ok := l2linuxBridgeID(pd["root_id"]); ok {
					t.RootPriority, t.RootMAC = rp, rm
				}
			}
			t.Ports = append(t.Ports, p)
		}
	}
	return b.br
}

// l2linuxParseBridgeLink reads bridge -j link show.
func l2linuxParseBridgeLink(r io.Reader) ([]*netmodel.STPBridge, error) {
	var text string
	if lr, ok := r.(*LinesReader); ok && lr.r == nil {
		text = strings.Join(lr.lines, "\n")
	} else {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		text = string(b)
	}
	j := &linuxJSON{s: text, line: 1}
	var out []*netmodel.STPBridge
	byName := map[string]*netmodel.STPBridge{}
	j.array(func() {
		start := j.line
		p := &netmodel.STPPort{}
		var master string
		j.object(func(k string) {
			switch k {
			case "ifname":
				p.Name = strings.Clone(j.str())
			case "master":
				master = strings.Clone(j.str())
			case "state":
				p.State = strings.Clone(j.str())
			case "cost":
				p.Cost, _ = strconv.Atoi(j.scalar())
			case "priority":
				p.Priority, _ = strconv.Atoi(j.scalar())
			case "guard":
				p.BPDUGuard = j.scalar() == "true"
			default:
				j.skip()
			}
		})
		if j.bad || p.Name == "" || master == "" {
			return
		}
		p.Src = netmodel.Lines(start, j.line)
		t := byName[master]
		if t == nil {
			t = &netmodel.STPBridge{Instance: master, LastChangeSecs: -1, Src: p.Src}
			byName[master] = t
			out = append(out, t)
		}
		t.Src.End = j.line
		t.Ports = append(t.Ports, p)
	})
	if j.bad {
		return out, errorf(j.line, "malformed JSON")
	}
	return out, nil
}

// l2linuxMergeSTP merges trees into d.STP by Instance (the bridge name):
// fields set in the new tree win, ports merge by name.
func l2linuxMergeSTP(d *netmodel.Device, file, _ string, trees []*netmodel.STPBridge) {
	for _, t := range trees {
		t.Src = setFile(t.Src, file)
		for _, p := range t.Ports {
			p.Src = setFile(p.Src, file)
		}
		var o *netmodel.STPBridge
		for _, x := range d.STP {
			if x.Instance == t.Instance {
				o = x
				break
			}
		}
		if o == nil {
			d.STP = append(d.STP, t)
			continue
		}
		if t.BridgeMAC != "" {
			o.Mode = t.Mode
			o.BridgePriority, o.BridgeMAC = t.BridgePriority, t.BridgeMAC
			o.RootPriority, o.RootMAC = t.RootPriority, t.RootMAC
			o.RootPort, o.RootCost, o.IsRoot = t.RootPort, t.RootCost, t.IsRoot
			o.Src = t.Src
		}
		for _, p := range t.Ports {
			var op *netmodel.STPPort
			for _, x := range o.Ports {
				if x.Name == p.Name {
					op = x
					break
				}
			}
			if op == nil {
				o.Ports = append(o.Ports, p)
				continue
			}
			l2linuxSetStr(&op.State, p.State)
			l2linuxSetStr(&op.Role, p.Role)
			l2linuxSetInt(&op.Cost, p.Cost)
			l2linuxSetInt(&op.Priority, p.Priority)
			op.BPDUGuard = p.BPDUGuard
			op.Src = p.Src
		}
	}
}
