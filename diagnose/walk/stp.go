package walk

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// Walkthrough 4: spanning tree — slow recovery, a loop, a blocked uplink.
func init() {
	register(&Walkthrough{
		order:   4,
		Name:    "stp",
		Title:   "STP: slow recovery, a loop, or a blocked uplink",
		Symptom: "Traffic stops for 30 s when a link or a host comes up, MAC tables flush network-wide, an uplink sits blocking, or the network melts in a loop.",
		Suggest: []string{"STP-", "CAP-BPDU-"},
		Steps: []Step{
			{
				ID: "tree", Title: "Which spanning tree?",
				Why:  "Each instance (a VLAN of PVST, an MST instance, or the one tree of STP/RSTP) has its own root and port roles.",
				Read: "Pick the instance (VLAN0100, MST0, or the bridge's name for a single tree).",
				Check: Check{Kind: KindQuestion, Question: &Question{Key: "tree", Prompt: "Which spanning-tree instance?", choices: treeChoices,
					none: func(r *Run) Result {
						return Result{Verdict: NotApplicable, Summary: "the bundle has no spanning-tree state (collect show spanning-tree, ovs-appctl stp/show or rstp/show)"}
					}}},
			},
			{
				ID: "root", Title: "Root placement",
				Why:     "The root decides every path: it should be the core (or the expected bridge, bundle.yaml expect: stp_root), at a low priority set on purpose, with one mode across the network.",
				Read:    "Each bridge's mode, its own ID and the root it sees.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataSTP}, Rules: []string{diagnose.STPRootUnexpected, diagnose.STPRootDefaultPrio, diagnose.STPModeMismatch}},
				devices: treeDevices, eval: evalRoot,
			},
			{
				ID: "roles", Title: "Port roles and states on the path",
				Why:     "Towards the root each bridge has one root port; redundant links end in an alternate (blocking) port — that one is expected, an err-disabled or broken port is not.",
				Read:    "Root, designated and alternate ports of each bridge, and their states.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataSTP}, Rules: []string{diagnose.STPErrDisabled, diagnose.STPChannelMemberStates}},
				devices: treeDevices, eval: evalRoles,
			},
			{
				ID: "edge", Title: "Edge and BPDU guard on host ports",
				Why:     "Ports facing hosts (ESXi vSwitches run no STP) must be edge/PortFast so they forward at once, with BPDU guard so a bridging VM cannot join the tree; otherwise each host link flap costs 30 s and a topology change.",
				Read:    "Every host-facing port of the tree: edge and BPDU guard on, forwarding.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataSTP}, Rules: []string{diagnose.STPHostPortNotEdge, diagnose.STPHostPortBlocking}},
				devices: treeDevices, eval: evalEdge,
			},
			{
				ID: "tc", Title: "Topology-change source",
				Why:     "Every topology change flushes MAC tables (flooding, short outages); the port the last change came from points at the flapping link or the non-edge host port.",
				Read:    "Count and age of the topology changes, and the port (and what is behind it) they came from.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataSTP}, Rules: []string{diagnose.STPTopologyChanges}},
				devices: treeDevices, eval: evalTC,
			},
			{
				ID: "capture", Title: "Capture BPDUs",
				Why:  "On the wire: who claims to be root, BPDUs arriving on a host port (a bridging host), topology-change flags.",
				Read: "BPDUs should name the root the bridges report; none should come from behind a host port.",
				Check: Check{Kind: KindCapture, Live: true, Rules: []string{diagnose.CapBPDUOnEdge, diagnose.CapBPDURoot},
					Capture: &CaptureSpec{Describe: "ether dst 01:80:c2:00:00:00", filter: func(*Run) string { return "ether dst 01:80:c2:00:00:00" }, points: treePoints}},
				eval: evalBPDUCapture,
			},
		},
		concerns: treeConcerns,
		prefill:  treePrefill,
	})
}

// treeName is how findings name an instance.
func treeName(b *netmodel.STPBridge) string {
	if b.Instance == "" {
		return "spanning tree"
	}
	return b.Instance
}

type treeBridge struct {
	d *netmodel.Device
	b *netmodel.STPBridge
}

func (r *Run) treeBridges(name string) []treeBridge {
	var out []treeBridge
	for _, d := range r.S.Devices {
		for _, b := range d.STP {
			if treeName(b) == name {
				out = append(out, treeBridge{d, b})
			}
		}
	}
	return out
}

func treeChoices(r *Run) []Choice {
	var names []string
	devs := map[string][]string{}
	for _, d := range r.S.Devices {
		for _, b := range d.STP {
			n := treeName(b)
			if _, ok := devs[n]; !ok {
				names = append(names, n)
			}
			if !slices.Contains(devs[n], d.Name) {
				devs[n] = append(devs[n], d.Name)
			}
		}
	}
	var out []Choice
	for _, n := range names {
		out = append(out, Choice{Value: n, Label: fmt.Sprintf("%s (%s)", n, strings.Join(devs[n], ", "))})
	}
	return out
}

func treeDevices(r *Run) []*netmodel.Device {
	var out []*netmodel.Device
	for _, tb := range r.treeBridges(r.Var("tree")) {
		if !slices.Contains(out, tb.d) {
			out = append(out, tb.d)
		}
	}
	return out
}

func treePrefill(s *netmodel.Snapshot, f *netmodel.Finding) map[string]string {
	if t, ok := strings.CutPrefix(f.Subject, "root of "); ok {
		return map[string]string{"tree": t}
	}
	// "sw port VLAN0010", "sw VLAN0010"
	fs := strings.Fields(f.Subject)
	if len(fs) >= 2 {
		last := fs[len(fs)-1]
		for _, d := range s.Devices {
			for _, b := range d.STP {
				if treeName(b) == last {
					return map[string]string{"tree": last}
				}
			}
		}
	}
	return nil
}

func bridgeID(prio int, mac string) string { return fmt.Sprintf("%d/%s", prio, mac) }

func evalRoot(r *Run) Result {
	name := r.Var("tree")
	tbs := r.treeBridges(name)
	if len(tbs) == 0 {
		return skipped("no spanning tree chosen")
	}
	res := Result{Verdict: OK}
	modes := map[string]bool{}
	var rootDev string
	rootID := ""
	for _, tb := range tbs {
		b := tb.b
		modes[b.Mode] = true
		text := fmt.Sprintf("%s (%s): bridge %s, root %s", tb.d.Name, b.Mode, bridgeID(b.BridgePriority, b.BridgeMAC), bridgeID(b.RootPriority, b.RootMAC))
		if b.IsRoot {
			text += ": this bridge is the root"
			rootDev = tb.d.Name
		} else if b.RootPort != "" {
			text += fmt.Sprintf(", via %s (cost %d)", netmodel.ShortIfName(b.RootPort), b.RootCost)
		}
		rootID = bridgeID(b.RootPriority, b.RootMAC)
		res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.cite(tb.d.Name, b.Src, text)})
	}
	if rootDev == "" {
		for _, d := range r.S.Devices {
			for _, b := range d.STP {
				if b.BridgeMAC != "" && strings.EqualFold(b.BridgeMAC, tbs[0].b.RootMAC) {
					rootDev = d.Name
				}
			}
		}
	}
	where := rootDev
	if where == "" {
		where = "a bridge outside the bundle (" + rootID + ")"
	}
	want := r.S.Expect["stp_root"]
	ms := sortedKeys(modes)
	switch {
	case want != "" && rootDev != want:
		res.Verdict = Fault
		res.Summary = fmt.Sprintf("the root is %s, not %s as bundle.yaml expects", where, want)
	case len(ms) > 1:
		res.Verdict = Fault
		res.Summary = fmt.Sprintf("the root is %s; the bridges run different modes (%s)", where, strings.Join(ms, ", "))
	default:
		res.Summary = "the root is " + where
		if want != "" {
			res.Summary += ", as expected"
		}
	}
	return res
}

func evalRoles(r *Run) Result {
	tbs := r.treeBridges(r.Var("tree"))
	if len(tbs) == 0 {
		return skipped("no spanning tree chosen")
	}
	res := Result{Verdict: OK}
	var bad, blocked []string
	for _, tb := range tbs {
		for _, p := range tb.b.Ports {
			text := fmt.Sprintf("%s %s: %s %s", tb.d.Name, netmodel.ShortIfName(p.Name), p.Role, p.State)
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.cite(tb.d.Name, p.Src, text)})
			switch {
			case p.ErrDisabled || p.State == "broken":
				bad = append(bad, fmt.Sprintf("%s %s %s", tb.d.Name, netmodel.ShortIfName(p.Name), orNone([]string{p.State})))
			case p.State == "blocking" || p.State == "discarding":
				blocked = append(blocked, fmt.Sprintf("%s %s (%s)", tb.d.Name, netmodel.ShortIfName(p.Name), p.Role))
			}
		}
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = "broken or err-disabled: " + strings.Join(bad, ", ")
	case len(blocked) > 0:
		res.Summary = "blocking: " + strings.Join(blocked, ", ") + " — the redundant path, as expected for a loop"
	default:
		res.Summary = "every port forwarding"
	}
	return res
}

// isHost reports whether d is an end host rather than a bridge: an ESXi
// host, or a Linux host that runs no spanning tree and no Open vSwitch
// switching of its own.
func isHost(d *netmodel.Device) bool {
	switch d.Platform {
	case netmodel.ESXi:
		return true
	case netmodel.Linux:
		return len(d.STP) == 0 && !diagnose.IsSwitch(diagnose.L2Platform(d))
	}
	return false
}

// hostFacing lists the tree's ports (channels included) facing a device
// that runs no spanning tree (an ESXi or Linux host), with the host.
func (r *Run) hostFacing(tb treeBridge) map[string][]string {
	out := map[string][]string{}
	for _, p := range tb.b.Ports {
		ports := []string{p.Name}
		for _, lag := range tb.d.LAGs {
			if lag.Name == p.Name {
				for _, m := range lag.Members {
					ports = append(ports, m.Port)
				}
			}
		}
		for n, sp := range tb.d.SwitchPorts {
			if sp.ChannelGroup == p.Name && !slices.Contains(ports, n) {
				ports = append(ports, n)
			}
		}
		for _, port := range ports {
			ep, _, ok := r.S.Peer(tb.d.Name, port)
			if !ok {
				continue
			}
			if pd := r.S.Device(ep.Device); pd != nil && isHost(pd) && !slices.Contains(out[p.Name], pd.Name) {
				out[p.Name] = append(out[p.Name], pd.Name)
			}
		}
	}
	return out
}

func evalEdge(r *Run) Result {
	tbs := r.treeBridges(r.Var("tree"))
	if len(tbs) == 0 {
		return skipped("no spanning tree chosen")
	}
	res := Result{Verdict: OK}
	var bad, good []string
	for _, tb := range tbs {
		hf := r.hostFacing(tb)
		for _, p := range tb.b.Ports {
			hosts := hf[p.Name]
			if len(hosts) == 0 {
				continue
			}
			edge, guard := p.Edge, p.BPDUGuard
			if sp := tb.d.SwitchPorts[p.Name]; sp != nil {
				edge = edge || sp.PortFast == "edge" || sp.PortFast == "trunk"
				guard = guard || sp.BPDUGuard
			}
			name := tb.d.Name + " " + netmodel.ShortIfName(p.Name)
			text := fmt.Sprintf("%s faces %s: %s %s, edge %s, BPDU guard %s", name, joinAnd(hosts), p.Role, p.State, yesNo(edge), yesNo(guard))
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.cite(tb.d.Name, p.Src, text)})
			if !edge || !guard || p.State == "blocking" || p.State == "discarding" {
				bad = append(bad, name)
			} else {
				good = append(good, name)
			}
		}
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = "host-facing ports not edge with BPDU guard (or blocking): " + strings.Join(bad, ", ")
	case len(good) > 0:
		res.Summary = "host-facing ports edge with BPDU guard: " + strings.Join(good, ", ")
	default:
		res.Summary = "no port of this tree faces a host of the bundle"
		for _, tb := range tbs {
			for _, p := range tb.b.Ports {
				faces := "no known neighbour"
				if ep, _, ok := r.S.Peer(tb.d.Name, p.Name); ok {
					faces = ep.String()
					if pd := r.S.Device(ep.Device); pd != nil {
						faces += " (" + diagnose.PlatformName(pd.Platform) + ")"
					}
				}
				text := fmt.Sprintf("%s %s faces %s", tb.d.Name, netmodel.ShortIfName(p.Name), faces)
				res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.cite(tb.d.Name, p.Src, text)})
			}
		}
	}
	return res
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func evalTC(r *Run) Result {
	tbs := r.treeBridges(r.Var("tree"))
	if len(tbs) == 0 {
		return skipped("no spanning tree chosen")
	}
	res := Result{Verdict: OK}
	var src []string
	for _, tb := range tbs {
		b := tb.b
		text := fmt.Sprintf("%s: %d topology changes", tb.d.Name, b.TopologyChanges)
		if b.LastChangeSecs >= 0 && b.TopologyChanges > 0 {
			text += fmt.Sprintf(", the last %s ago", ago(time.Duration(b.LastChangeSecs)*time.Second))
		}
		if b.LastChangePort != "" {
			behind := ""
			if hosts := r.hostFacing(tb)[b.LastChangePort]; len(hosts) > 0 {
				behind = " (facing " + joinAnd(hosts) + ")"
			} else if ep, _, ok := r.S.Peer(tb.d.Name, b.LastChangePort); ok {
				behind = " (facing " + ep.String() + ")"
			}
			text += fmt.Sprintf(", from %s%s", netmodel.ShortIfName(b.LastChangePort), behind)
			src = append(src, tb.d.Name+" "+netmodel.ShortIfName(b.LastChangePort)+behind)
		}
		res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.citeFocus(tb.d.Name, b.Src, text, "Number of topology changes", "from ", "Topology change", "topology change", "Last topology change")})
	}
	if len(src) > 0 {
		res.Summary = "the last change came from " + strings.Join(src, ", ")
	} else {
		res.Summary = "no topology change source printed"
	}
	return res
}

func treePoints(r *Run) []Point {
	var out []Point
	for _, tb := range r.treeBridges(r.Var("tree")) {
		for _, p := range tb.b.Ports {
			out = append(out, Point{tb.d.Name, p.Name})
			for _, lag := range tb.d.LAGs {
				if lag.Name == p.Name {
					for _, m := range lag.Members {
						out = append(out, Point{tb.d.Name, m.Port})
					}
				}
			}
		}
	}
	return out
}

func evalBPDUCapture(r *Run) Result {
	tbs := r.treeBridges(r.Var("tree"))
	if len(tbs) == 0 {
		return skipped("no spanning tree chosen")
	}
	if len(r.caps) == 0 {
		return Result{Verdict: Skipped, Summary: "no capture of the tree's ports"}
	}
	res := Result{Verdict: OK}
	var bad []string
	root := strings.ToLower(tbs[0].b.RootMAC)
	for _, c := range r.caps {
		if len(c.BPDU) == 0 {
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: no BPDU in %d packets", capWhere(c), c.Packets), Evidence: []netmodel.Evidence{capEvidence(c, 1, c.Packets, "no BPDU", "")}})
			continue
		}
		for _, b := range c.BPDU {
			text := fmt.Sprintf("%s: %d %s BPDUs from %s: root %s, bridge %s, %d with topology change", capWhere(c), b.Count, b.Version, b.Source, bridgeID(b.RootPriority, b.RootMAC), bridgeID(b.BridgePrio, b.BridgeMAC), b.TC)
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: []netmodel.Evidence{capEvidence(c, b.First, b.Last, text, "")}})
			if root != "" && !strings.EqualFold(b.RootMAC, root) {
				bad = append(bad, fmt.Sprintf("%s: BPDUs name root %s, the bridges see %s", capWhere(c), b.RootMAC, root))
			}
		}
	}
	if len(bad) > 0 {
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
	} else {
		res.Summary = "BPDUs name the root the bridges report"
	}
	return res
}

// treeConcerns: findings about the tree (its root), its bridges, their
// ports in it, and the captures of those ports.
func treeConcerns(r *Run, f *netmodel.Finding) bool {
	name := r.Var("tree")
	tbs := r.treeBridges(name)
	if len(tbs) == 0 {
		return false
	}
	s := f.Subject
	if s == "root of "+name {
		return true
	}
	if strings.HasPrefix(f.ID, "CAP-") {
		for _, p := range treePoints(r) {
			if hasPrefixWord(s, p.String()) {
				return true
			}
		}
		return false
	}
	devs := map[string]bool{}
	tokens := map[string]bool{}
	for _, tb := range tbs {
		devs[tb.d.Name] = true
		tokens[tb.d.Name+" "+name] = true
		for _, p := range tb.b.Ports {
			for _, t := range portTokens(tb.d.Name, p.Name) {
				tokens[t] = true
				tokens[t+" "+name] = true
			}
		}
	}
	if tokens[s] {
		return true
	}
	if f.ID == diagnose.STPModeMismatch {
		parts := subjectParts(s)
		all := len(parts) == 2
		for _, p := range parts {
			d, _, _ := strings.Cut(p, " ")
			all = all && devs[d]
		}
		return all
	}
	if f.ID == diagnose.STPChannelMemberStates {
		for _, tb := range tbs {
			for _, lag := range tb.d.LAGs {
				if s == tb.d.Name+" "+lag.Name && slices.ContainsFunc(tb.b.Ports, func(p *netmodel.STPPort) bool {
					return p.Name == lag.Name || slices.ContainsFunc(lag.Members, func(m *netmodel.LAGMember) bool { return m.Port == p.Name })
				}) {
					return true
				}
			}
		}
	}
	return false
}

// ago prints a duration the way switches do: 2d04h, 3h12m, 45s.
func ago(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd%02dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return fmt.Sprintf("%ds", int(d/time.Second))
}
