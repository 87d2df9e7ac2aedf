package diagnose

import (
	"fmt"
	"slices"
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
	// One finding per tree (instance and actual root), citing every bridge
	// that sees the wrong root.
	type tree struct {
		inst, rootMAC string
		first         *netmodel.STPBridge
		seen          []string
		l             *evList
	}
	var trees []*tree
	byKey := map[string]*tree{}
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
			k := b.Instance + "|" + strings.ToLower(b.RootMAC)
			t := byKey[k]
			if t == nil {
				t = &tree{inst: bridgeName(b), rootMAC: strings.ToLower(b.RootMAC), first: b, l: &evList{c: c}}
				byKey[k] = t
				trees = append(trees, t)
			}
			t.seen = append(t.seen, d.Name)
			t.l.add(d.Name, b.Src, fmt.Sprintf("%s %s: root %d/%s", d.Name, bridgeName(b), b.RootPriority, b.RootMAC))
		}
	}
	for _, t := range trees {
		actual := t.rootMAC
		for _, d := range c.S.Devices {
			for _, b := range d.STP {
				if strings.EqualFold(b.BridgeMAC, t.rootMAC) {
					actual = d.Name + " (" + t.rootMAC + ")"
				}
			}
		}
		out = append(out, netmodel.Finding{ID: STPRootUnexpected, Severity: netmodel.SevCritical,
			Title:   fmt.Sprintf("%s root is %s, not %s", t.inst, actual, root.Name),
			Subject: "root of " + t.inst,
			Why: fmt.Sprintf("bundle.yaml expects %s to be the root bridge, but %s %s root %d/%s for %s. Traffic takes the paths that lead to the wrong root (often across an access switch or a slow link), and a reload of that bridge re-converges the whole tree. Lower the priority of %s below every other bridge (e.g. 4096), and raise or leave the others.",
				root.Name, joinAnd(t.seen), map[bool]string{true: "sees", false: "see"}[len(t.seen) == 1], t.first.RootPriority, t.first.RootMAC, t.inst, root.Name),
			Evidence: t.l.out, Fix: []netmodel.Fix{rootPriorityFix(root, t.first)}})
	}
	return out
}

func rootPriorityFix(d *netmodel.Device, b *netmodel.STPBridge) netmodel.Fix {
	f := netmodel.Fix{Device: d.Name, Platform: l2Platform(d)}
	vlan := strings.TrimLeft(strings.TrimPrefix(b.Instance, "VLAN"), "0")
	switch f.Platform {
	case netmodel.IOS, netmodel.NXOS, netmodel.EOS:
		target := "spanning-tree vlan " + orStr(vlan, "1-4094") + " priority 4096"
		if strings.HasPrefix(b.Instance, "MST") {
			target = "spanning-tree mst " + strings.TrimPrefix(b.Instance, "MST") + " priority 4096"
		}
		f.Commands = []string{"configure terminal", target, "end"}
	case netmodel.Junos:
		f.Commands = []string{"configure", "set protocols rstp bridge-priority 4k", "commit"}
	case netmodel.OVS:
		key := "stp-priority"
		if b.Mode == "rstp" {
			key = "rstp-priority"
		}
		f.Commands = []string{"ovs-vsctl set bridge " + orStr(b.Instance, "br0") + " other_config:" + key + "=4096"}
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
			if sw == nil || peer == nil || !isSwitch(l2Platform(sw)) || peer.Platform != netmodel.ESXi {
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

// channelOf returns the port-channel/bond a port is a member of (from the
// port's channel-group or a LAG of the device), or "".
func channelOfPort(d *netmodel.Device, port string) string {
	if sp := d.SwitchPorts[port]; sp != nil && sp.ChannelGroup != "" {
		return sp.ChannelGroup
	}
	for _, lag := range d.LAGs {
		for _, m := range lag.Members {
			if m.Port == port {
				return lag.Name
			}
		}
	}
	return ""
}

func checkSTPHostPortNotEdge(c *Context) []netmodel.Finding {
	type facing struct {
		sw    *netmodel.Device
		port  string // the port spanning tree runs on: the channel for members
		hosts []string
		links []*netmodel.Link
	}
	var order []*facing
	byKey := map[string]*facing{}
	c.hostFacing(func(sw *netmodel.Device, port, host string, lk *netmodel.Link) {
		at := port
		if ch := channelOfPort(sw, port); ch != "" {
			at = ch
		}
		k := sw.Name + "|" + at
		f := byKey[k]
		if f == nil {
			f = &facing{sw: sw, port: at}
			byKey[k] = f
			order = append(order, f)
		}
		if !slices.Contains(f.hosts, host) {
			f.hosts = append(f.hosts, host)
		}
		f.links = append(f.links, lk)
	})
	var out []netmodel.Finding
	for _, f := range order {
		sw, port := f.sw, f.port
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
			continue
		}
		var missing []string
		if !edge {
			missing = append(missing, "not an edge (PortFast) port")
		}
		if !guard {
			missing = append(missing, "no BPDU guard")
		}
		host := joinAnd(f.hosts)
		l := &evList{c: c}
		for _, lk := range f.links {
			for _, s := range lk.Seen {
				l.addFocus(s.Device, s.Src, fmt.Sprintf("%s faces %s", sw.Name, host), neighborKeys...)
			}
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
	}
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
	// One finding per pair of devices, naming every link between them.
	type pair struct{ a, b string }
	var order []pair
	links := map[pair][]*netmodel.Link{}
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
		k := pair{da.Name, db.Name}
		if _, ok := links[k]; !ok {
			order = append(order, k)
		}
		links[k] = append(links[k], lk)
	}
	var out []netmodel.Finding
	for _, k := range order {
		da, db := c.S.Device(k.a), c.S.Device(k.b)
		ma, mb := da.STP[0].Mode, db.STP[0].Mode
		l := &evList{c: c}
		var names []string
		for _, lk := range links[k] {
			names = append(names, fmt.Sprintf("%s ↔ %s", netmodel.ShortIfName(lk.A.Port), netmodel.ShortIfName(lk.B.Port)))
			for _, s := range lk.Seen {
				l.addFocus(s.Device, s.Src, fmt.Sprintf("%s: %s %s ↔ %s %s", s.How, da.Name, netmodel.ShortIfName(lk.A.Port), db.Name, netmodel.ShortIfName(lk.B.Port)), neighborKeys...)
			}
		}
		l.add(da.Name, da.STP[0].Src, da.Name+" runs "+ma)
		l.add(db.Name, db.STP[0].Src, db.Name+" runs "+mb)
		subject := fmt.Sprintf("%s %s ↔ %s %s", da.Name, netmodel.ShortIfName(links[k][0].A.Port), db.Name, netmodel.ShortIfName(links[k][0].B.Port))
		if len(links[k]) > 1 {
			subject = fmt.Sprintf("%s ↔ %s", da.Name, db.Name)
		}
		out = append(out, netmodel.Finding{ID: STPModeMismatch, Severity: netmodel.SevWarning,
			Title:    fmt.Sprintf("%s runs %s, %s runs %s", da.Name, ma, db.Name, mb),
			Subject:  subject,
			Why:      fmt.Sprintf("The two ends of %s (%s) run different spanning-tree modes (%s and %s). They still form one tree, but only through the compatibility rules at the boundary: a rapid or MST bridge falls back to legacy 802.1D timers on a port that hears legacy BPDUs (30 s convergence), and PVST+ and MST meet through the CIST only, so per-VLAN root placement is lost. Run one mode across the switched network.", map[bool]string{true: "this link", false: "these links"}[len(links[k]) == 1], strings.Join(names, ", "), ma, mb),
			Evidence: l.out, Fix: []netmodel.Fix{modeFix(da, db)}})
	}
	return out
}

// modeFix moves the legacy end (classic STP) to the other end's mode, or
// else the second device to the first one's.
func modeFix(da, db *netmodel.Device) netmodel.Fix {
	if stpFamily(da.STP[0].Mode) == "legacy" {
		return stpModeFix(da, db.STP[0].Mode, da.STP[0].Instance)
	}
	return stpModeFix(db, da.STP[0].Mode, db.STP[0].Instance)
}

// stpModeFix sets a device's spanning-tree mode to the given one's family.
func stpModeFix(d *netmodel.Device, mode, bridge string) netmodel.Fix {
	f := netmodel.Fix{Device: d.Name, Platform: l2Platform(d)}
	fam := stpFamily(mode)
	switch f.Platform {
	case netmodel.IOS, netmodel.NXOS:
		m := map[string]string{"rapid": "rapid-pvst", "mstp": "mst", "legacy": "pvst"}[fam]
		if d.Platform == netmodel.NXOS && m == "pvst" {
			m = "rapid-pvst" // NX-OS has no legacy PVST+
		}
		f.Commands = []string{"configure terminal", "spanning-tree mode " + orStr(m, "rapid-pvst"), "end"}
	case netmodel.EOS:
		m := map[string]string{"rapid": "rapid-pvst", "mstp": "mstp", "legacy": "rapid-pvst"}[fam]
		if mode == "rstp" {
			m = "rstp"
		}
		f.Commands = []string{"configure terminal", "spanning-tree mode " + orStr(m, "mstp"), "end"}
	case netmodel.Junos:
		p := map[string]string{"rapid": "rstp", "mstp": "mstp", "legacy": "stp"}[fam]
		if mode == "rapid-pvst" || mode == "pvst" {
			p = "vstp"
		}
		f.Commands = []string{"configure", "delete protocols rstp", "delete protocols mstp", "delete protocols vstp", "set protocols " + orStr(p, "rstp") + " interface all", "commit"}
	case netmodel.OVS:
		br := orStr(bridge, "BRIDGE")
		if fam == "legacy" {
			f.Commands = []string{"ovs-vsctl set bridge " + br + " rstp_enable=false stp_enable=true"}
		} else {
			f.Commands = []string{"ovs-vsctl set bridge " + br + " stp_enable=false rstp_enable=true"}
			if fam != "rapid" {
				f.Note = "Open vSwitch runs STP or RSTP only; RSTP meets " + mode + " through its CIST"
			}
		}
	case netmodel.Linux:
		f.Commands = []string{"ip link set dev " + orStr(bridge, "BRIDGE") + " type bridge stp_state 1"}
		f.Note = "the kernel bridge runs 802.1D STP only; RSTP/MSTP need mstpd"
	default:
		f.Commands = []string{"spanning-tree mode " + mode}
		f.Note = "the configuration syntax for " + platformName(d.Platform) + " is not known to nettui"
	}
	return f
}
