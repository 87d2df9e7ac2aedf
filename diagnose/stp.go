package diagnose

import (
	"fmt"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Rule IDs of the spanning-tree checks.
const (
	STPRootUnexpected   = "STP-ROOT-UNEXPECTED"
	STPRootDefaultPrio  = "STP-ROOT-DEFAULT-PRIORITY"
	STPHostPortNotEdge  = "STP-HOST-PORT-NOT-EDGE"
	STPHostPortBlocking = "STP-HOST-PORT-BLOCKING"
	STPErrDisabled      = "STP-PORT-ERR-DISABLED"
	STPTopologyChanges  = "STP-TOPOLOGY-CHANGES"
	STPModeMismatch     = "STP-MODE-MISMATCH"
)

func init() {
	addRule(Rule{ID: STPRootUnexpected, Severity: netmodel.SevCritical, Title: "Root bridge is not the expected one",
		Summary: "bundle.yaml `expect: stp_root` names the intended root, but another bridge won the election.",
		Check:   checkSTPRootUnexpected})
	addRule(Rule{ID: STPRootDefaultPrio, Severity: netmodel.SevWarning, Title: "Root bridge at the default priority",
		Summary: "The root was elected with the default priority, i.e. by lowest MAC address: an accident of hardware, not a design.",
		Check:   checkSTPRootDefault})
	addRule(Rule{ID: STPHostPortNotEdge, Severity: netmodel.SevWarning, Title: "Port facing a host is not edge / lacks BPDU guard",
		Summary: "A port facing an ESXi host or server should be edge (PortFast) with BPDU guard: a vSwitch runs no STP.",
		Check:   checkSTPHostPortNotEdge})
	addRule(Rule{ID: STPHostPortBlocking, Severity: netmodel.SevCritical, Title: "Port facing a host is blocking",
		Summary: "Spanning tree blocks a port that faces a host: that uplink of the host carries nothing.",
		Check:   checkSTPHostPortBlocking})
	addRule(Rule{ID: STPErrDisabled, Severity: netmodel.SevCritical, Title: "Port err-disabled or broken by STP",
		Summary: "A port is err-disabled (BPDU guard) or broken (inconsistency): it forwards nothing.",
		Check:   checkSTPErrDisabled})
	addRule(Rule{ID: STPModeMismatch, Severity: netmodel.SevWarning, Title: "Different spanning-tree modes across a link",
		Summary: "The two switches of a link run different STP modes: they interoperate only through the slow, legacy fallback at the region boundary.",
		Check:   checkSTPModeMismatch})
	addRule(Rule{ID: STPTopologyChanges, Severity: netmodel.SevWarning, Title: "Recent or frequent topology changes",
		Summary: "Topology changes flush MAC tables (flooding, short outages); the finding names the port the last one came from.",
		Check:   checkSTPTopologyChanges})
}

func bridgeName(b *netmodel.STPBridge) string {
	if b.Instance == "" {
		return "spanning tree"
	}
	return b.Instance
}

func checkSTPRootUnexpected(c *Context) []netmodel.Finding {
	want := c.S.Expect["stp_root"]
	if want == "" {
		return nil
	}
	root := c.S.FindDevice(want)
	var out []netmodel.Finding
	if root == nil {
		return nil
	}
	rootMACs := map[string]bool{}
	for _, b := range root.STP {
		if b.BridgeMAC != "" {
			rootMACs[strings.ToLower(b.BridgeMAC)] = true
		}
	}
	for _, d := range c.S.Devices {
		for _, b := range d.STP {
			wrong := false
			switch {
			case d == root && !b.IsRoot && b.RootMAC != "":
				wrong = true
			case d != root && len(rootMACs) > 0 && b.RootMAC != "" && !rootMACs[strings.ToLower(b.RootMAC)]:
				wrong = true
			}
			if !wrong {
				continue
			}
			l := &evList{c: c}
			l.add(d.Name, b.Src, fmt.Sprintf("%s: root %d/%s", bridgeName(b), b.RootPriority, b.RootMAC))
			out = append(out, netmodel.Finding{ID: STPRootUnexpected, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("%s root is %s, not %s", bridgeName(b), b.RootMAC, root.Name),
				Subject: d.Name + " " + bridgeName(b),
				Why: fmt.Sprintf("bundle.yaml expects %s to be the root bridge, but %s sees root %d/%s for %s. Traffic takes the paths that lead to the wrong root (often across an access switch or a slow link), and a reload of that bridge re-converges the whole tree. Lower the priority of %s below every other bridge (e.g. 4096), and raise or leave the others.",
					root.Name, d.Name, b.RootPriority, b.RootMAC, bridgeName(b), root.Name),
				Evidence: l.out, Fix: []netmodel.Fix{rootPriorityFix(root, b)}})
		}
	}
	return out
}

func rootPriorityFix(d *netmodel.Device, b *netmodel.STPBridge) netmodel.Fix {
	f := netmodel.Fix{Device: d.Name, Platform: d.Platform}
	vlan := strings.TrimLeft(strings.TrimPrefix(b.Instance, "VLAN"), "0")
	switch d.Platform {
	case netmodel.IOS, netmodel.NXOS, netmodel.EOS:
		target := "spanning-tree vlan " + orStr(vlan, "1-4094") + " priority 4096"
		if strings.HasPrefix(b.Instance, "MST") {
			target = "spanning-tree mst " + strings.TrimPrefix(b.Instance, "MST") + " priority 4096"
		}
		f.Commands = []string{"configure terminal", target, "end"}
	case netmodel.Junos:
		f.Commands = []string{"configure", "set protocols rstp bridge-priority 4k", "commit"}
	case netmodel.OVS:
		f.Commands = []string{"ovs-vsctl set bridge " + orStr(b.Instance, "br0") + " other_config:stp-priority=4096"}
	case netmodel.Linux:
		f.Commands = []string{"ip link set " + orStr(b.Instance, "br0") + " type bridge priority 4096"}
	default:
		f.Commands = []string{"set bridge priority 4096 on " + d.Name}
	}
	return f
}

func checkSTPRootDefault(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		for _, b := range d.STP {
			if !b.IsRoot || b.RootPriority == 0 {
				continue
			}
			base := b.RootPriority
			if n := atoiOr(strings.TrimLeft(strings.TrimPrefix(b.Instance, "VLAN"), "0"), 0); n > 0 && base > n {
				base -= n // extended system ID: 32768 + VLAN
			}
			if base != 32768 {
				continue
			}
			l := &evList{c: c}
			l.add(d.Name, b.Src, fmt.Sprintf("%s: this bridge is root at priority %d", bridgeName(b), b.RootPriority))
			out = append(out, netmodel.Finding{ID: STPRootDefaultPrio, Severity: netmodel.SevWarning,
				Title:    fmt.Sprintf("%s is root of %s at the default priority", d.Name, bridgeName(b)),
				Subject:  d.Name + " " + bridgeName(b),
				Why:      fmt.Sprintf("%s is the root of %s with the default priority 32768: it won only because its MAC address is the lowest. Any new switch with a lower MAC (often an old access switch) takes over and the tree re-converges around it. Set the intended root's priority explicitly (4096) and a backup root's to 8192; name the intended root in bundle.yaml (`expect: {stp_root: NAME}`) so nettui can check it.", d.Name, bridgeName(b)),
				Evidence: l.out, Fix: []netmodel.Fix{rootPriorityFix(d, b)}})
		}
	}
	return out
}

// hostFacing yields switch ports whose link peer is an ESXi host (or a
// neighbour announcing itself as VMware): they must be edge ports.
func (c *Context) hostFacing(fn func(sw *netmodel.Device, port string, host string, l *netmodel.Link)) {
	for i := range c.S.Links {
		lk := &c.S.Links[i]
		for _, pair := range [][2]netmodel.Endpoint{{lk.A, lk.B}, {lk.B, lk.A}} {
			sw, peer := c.S.Device(pair[0].Device), c.S.Device(pair[1].Device)
			if sw == nil || peer == nil || !isSwitch(sw.Platform) || peer.Platform != netmodel.ESXi {
				continue
			}
			fn(sw, pair[0].Port, peer.Name, lk)
		}
	}
}

func stpPort(d *netmodel.Device, port string) []*netmodel.STPPort {
	var out []*netmodel.STPPort
	for _, b := range d.STP {
		for _, p := range b.Ports {
			if p.Name == port {
				out = append(out, p)
			}
		}
	}
	return out
}

func checkSTPHostPortNotEdge(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.hostFacing(func(sw *netmodel.Device, port, host string, lk *netmodel.Link) {
		sp := sw.SwitchPorts[port]
		stp := stpPort(sw, port)
		edge, guard, known := false, false, false
		if sp != nil && sp.PortFast != "" {
			edge, known = sp.PortFast == "edge" || sp.PortFast == "trunk", true
			guard = sp.BPDUGuard
		}
		for _, p := range stp {
			edge, guard, known = edge || p.Edge, guard || p.BPDUGuard, true
		}
		if !known || (edge && guard) {
			return
		}
		var missing []string
		if !edge {
			missing = append(missing, "not an edge (PortFast) port")
		}
		if !guard {
			missing = append(missing, "no BPDU guard")
		}
		l := &evList{c: c}
		for _, s := range lk.Seen {
			l.addFocus(s.Device, s.Src, fmt.Sprintf("%s %s faces %s", sw.Name, netmodel.ShortIfName(port), host), neighborKeys...)
		}
		if sp != nil {
			l.add(sw.Name, sp.ModeSrc, "")
		}
		for _, p := range stp {
			l.add(sw.Name, p.Src, "")
		}
		cmds := []string{"spanning-tree portfast trunk", "spanning-tree bpduguard enable"}
		if sp != nil && sp.Mode == netmodel.ModeAccess {
			cmds[0] = "spanning-tree portfast"
		}
		if sw.Platform == netmodel.NXOS {
			cmds[0] = "spanning-tree port type edge trunk"
		}
		out = append(out, netmodel.Finding{ID: STPHostPortNotEdge, Severity: netmodel.SevWarning,
			Title:    fmt.Sprintf("%s %s facing %s: %s", sw.Name, netmodel.ShortIfName(port), host, strings.Join(missing, ", ")),
			Subject:  sw.Name + " " + netmodel.ShortIfName(port),
			Why:      fmt.Sprintf("%s is an ESXi host: a vSwitch runs no spanning tree and never loops, so its switch ports should go to forwarding at once (edge/PortFast) and shut if a BPDU ever arrives (BPDU guard). Without edge, every link flap of the host waits 30 s (STP) in listening/learning and sends a topology change that flushes MAC tables network-wide; without BPDU guard, a VM bridging two vNICs can take part in the tree.", host),
			Evidence: l.out, Fix: []netmodel.Fix{ifFix(sw, port, cmds...)}})
	})
	return out
}

func checkSTPHostPortBlocking(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.hostFacing(func(sw *netmodel.Device, port, host string, lk *netmodel.Link) {
		for _, b := range sw.STP {
			for _, p := range b.Ports {
				if p.Name != port || (p.State != "blocking" && p.State != "discarding") {
					continue
				}
				l := &evList{c: c}
				l.add(sw.Name, p.Src, fmt.Sprintf("%s %s: %s %s", bridgeName(b), netmodel.ShortIfName(port), p.Role, p.State))
				out = append(out, netmodel.Finding{ID: STPHostPortBlocking, Severity: netmodel.SevCritical,
					Title:    fmt.Sprintf("%s %s facing %s is %s in %s", sw.Name, netmodel.ShortIfName(port), host, p.State, bridgeName(b)),
					Subject:  sw.Name + " " + netmodel.ShortIfName(port) + " " + bridgeName(b),
					Why:      fmt.Sprintf("Spanning tree blocks %s, which faces the ESXi host %s: that uplink carries nothing in %s, and VMs whose traffic the vSwitch sends there are cut off. A host port only blocks when BPDUs arrive on it — another bridge is behind it (a VM bridging, or the host's uplinks cabled into a second switch path) — investigate before unblocking; make the port edge with BPDU guard.", netmodel.ShortIfName(port), host, bridgeName(b)),
					Evidence: l.out})
			}
		}
	})
	return out
}

func checkSTPErrDisabled(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		for _, b := range d.STP {
			for _, p := range b.Ports {
				if !p.ErrDisabled && p.State != "broken" {
					continue
				}
				l := &evList{c: c}
				l.add(d.Name, p.Src, fmt.Sprintf("%s %s", netmodel.ShortIfName(p.Name), orStr(p.State, "err-disabled")))
				out = append(out, netmodel.Finding{ID: STPErrDisabled, Severity: netmodel.SevCritical,
					Title:    fmt.Sprintf("%s %s is %s", d.Name, netmodel.ShortIfName(p.Name), orStr(p.State, "err-disabled")),
					Subject:  d.Name + " " + netmodel.ShortIfName(p.Name) + " " + bridgeName(b),
					Why:      "The port forwards nothing: BPDU guard shut it after a BPDU arrived, or an inconsistency (root guard, loop guard, PVID/type mismatch) holds it broken. Find what sent the BPDU before re-enabling it (`show spanning-tree inconsistentports`, `show errdisable recovery`), then `shutdown` / `no shutdown` the port.",
					Evidence: l.out})
			}
		}
	}
	return out
}

func checkSTPTopologyChanges(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		for _, b := range d.STP {
			recent := b.LastChangeSecs >= 0 && b.LastChangeSecs < 300
			if !recent && b.TopologyChanges < 1000 {
				continue
			}
			l := &evList{c: c}
			l.add(d.Name, b.Src, fmt.Sprintf("%s: %d topology changes", bridgeName(b), b.TopologyChanges))
			from := ""
			if b.LastChangePort != "" {
				from = fmt.Sprintf(" The last one came from %s: look at what is cabled there (a flapping link, a host port without edge/PortFast).", b.LastChangePort)
			}
			when := ""
			if b.LastChangeSecs >= 0 {
				when = fmt.Sprintf(", the last %d s ago", b.LastChangeSecs)
			}
			out = append(out, netmodel.Finding{ID: STPTopologyChanges, Severity: netmodel.SevWarning,
				Title:    fmt.Sprintf("%s: %d topology changes%s", bridgeName(b), b.TopologyChanges, when),
				Subject:  d.Name + " " + bridgeName(b),
				Why:      "Every topology change ages out the MAC tables of the whole tree (flooding, brief loss for every host) — frequent or recent ones mean a flapping link or a port that should be edge." + from,
				Evidence: l.out})
		}
	}
	return out
}

// stpFamily groups modes that interoperate natively.
func stpFamily(mode string) string {
	switch mode {
	case "rstp", "rapid-pvst":
		return "rapid"
	case "mstp", "mst":
		return "mstp"
	case "stp", "pvst", "ieee":
		return "legacy"
	}
	return mode
}

func checkSTPModeMismatch(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for i := range c.S.Links {
		lk := &c.S.Links[i]
		da, db := c.S.Device(lk.A.Device), c.S.Device(lk.B.Device)
		if da == nil || db == nil || len(da.STP) == 0 || len(db.STP) == 0 {
			continue
		}
		ma, mb := da.STP[0].Mode, db.STP[0].Mode
		if ma == "" || mb == "" || stpFamily(ma) == stpFamily(mb) {
			continue
		}
		l := &evList{c: c}
		for _, s := range lk.Seen {
			l.addFocus(s.Device, s.Src, fmt.Sprintf("%s: %s %s ↔ %s %s", s.How, da.Name, netmodel.ShortIfName(lk.A.Port), db.Name, netmodel.ShortIfName(lk.B.Port)), neighborKeys...)
		}
		l.add(da.Name, da.STP[0].Src, da.Name+" runs "+ma)
		l.add(db.Name, db.STP[0].Src, db.Name+" runs "+mb)
		out = append(out, netmodel.Finding{ID: STPModeMismatch, Severity: netmodel.SevWarning,
			Title:    fmt.Sprintf("%s runs %s, %s runs %s", da.Name, ma, db.Name, mb),
			Subject:  fmt.Sprintf("%s %s ↔ %s %s", da.Name, netmodel.ShortIfName(lk.A.Port), db.Name, netmodel.ShortIfName(lk.B.Port)),
			Why:      fmt.Sprintf("The two ends of this link run different spanning-tree modes (%s and %s). They still form one tree, but only through the compatibility rules at the boundary: a rapid or MST bridge falls back to legacy 802.1D timers on a port that hears legacy BPDUs (30 s convergence), and PVST+ and MST meet through the CIST only, so per-VLAN root placement is lost. Run one mode across the switched network.", ma, mb),
			Evidence: l.out})
	}
	return out
}
