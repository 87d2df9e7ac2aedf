package walk

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// Walkthrough 1: a VM cannot reach its gateway, or loses traffic now and
// then, on one VLAN.
func init() {
	register(&Walkthrough{
		order:   1,
		Name:    "vlan",
		Title:   "A VM can't reach its gateway / intermittent loss on one VLAN",
		Symptom: "A VM (or VMkernel port) has no connectivity on its VLAN, or loses it now and then — some VMs work, others not, or it breaks after a vMotion or a link failure.",
		Suggest: []string{"VLAN-", "CAP-VLAN-"},
		Steps: []Step{
			{
				ID: "portgroup", Title: "Which port group is the VM on?",
				Why:  "Everything else follows from the port group: its VLAN, the uplinks its teaming uses, the switch ports behind them.",
				Read: "Pick the port group (host/vSwitch/port group). Without port groups, start from a VLAN (vlan:N): the walkthrough then follows the switch-to-switch trunks.",
				Check: Check{Kind: KindQuestion, Question: &Question{
					Key: "portgroup", Prompt: "Which port group (or VLAN) is the VM on?",
					Free:    "vlan:N to start from a VLAN on the switches",
					choices: vlanChoices, accept: vlanAccept,
					none: func(r *Run) Result {
						return Result{Verdict: NotApplicable, Summary: "the bundle has no ESXi port group, vSwitch or switch VLAN to follow (answer --answer portgroup=vlan:N to check a VLAN on the trunks)"}
					},
				}},
			},
			{
				ID: "vlan-mode", Title: "Port group and its VLAN mode (EST/VST/VGT)",
				Why:     "VLAN 0 (EST) sends untagged frames and needs access ports; 1-4094 (VST) tags and needs trunks carrying that VLAN on every uplink; 4095 (VGT) lets the guest tag whatever the trunks allow.",
				Read:    "VST is the recommended design; VGT is flagged (the guest picks its VLANs unseen); EST is fine only on access ports in one VLAN.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataPortGroups}, Rules: []string{diagnose.VLANVGT}},
				devices: hostOnly, eval: evalVLANMode,
			},
			{
				ID: "uplinks", Title: "Its active and standby uplinks",
				Why:     "Traffic of a port group uses its active uplinks (spread by the load-balancing policy) and moves to the standby ones on failure: every one of them must carry the VLAN, or the loss is intermittent or waits for a failover.",
				Read:    "The policy comes from the port group's override when it overrides the uplink order, else from the vSwitch.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataVSwitches, DataTeaming}},
				devices: hostOnly, eval: evalUplinks,
			},
			{
				ID: "switchports", Title: "Their switch ports (CDP/LLDP)",
				Why:     "Each uplink lands on a switch port (or a channel) whose configuration decides what passes; CDP/LLDP (or links declared in bundle.yaml) say which.",
				Read:    "An uplink whose switch port is unknown cannot be judged: collect CDP/LLDP from the switch it is cabled to, or declare the link.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataNeighbors}, Rules: []string{diagnose.VLANUnknownUplink}},
				devices: pathSwitches, eval: evalSwitchPorts,
			},
			{
				ID: "trunks", Title: "Each trunk's allowed and native VLANs",
				Why:  "A tagged VLAN passes a trunk only if it is in the allowed list; untagged frames land in the native VLAN; an access port drops tagged frames. One uplink missing the VLAN is the classic intermittent loss.",
				Read: "Every uplink the port group uses must allow its VLAN (VST), be an access port in its VLAN (EST), or carry the same trunk as the others (VGT, distributed switches).",
				Check: Check{Kind: KindCollect, Collect: []Data{DataTrunks}, Rules: []string{diagnose.VLANPartialUplink, diagnose.VLANMissingAll, diagnose.VLANAccessPortTagged,
					diagnose.VLANUplinkInconsistent, diagnose.VLANESTOnTrunk, diagnose.VLANESTAccessMismatch, diagnose.VLANTrunkAllowedMismatch, diagnose.VLANNativeMismatch}},
				devices: pathSwitches, eval: evalTrunks,
			},
			{
				ID: "stp", Title: "STP state of that VLAN on those ports",
				Why:     "A port blocking (or err-disabled) in the VLAN's spanning tree drops the VLAN even when the trunk allows it.",
				Read:    "Host-facing ports should be forwarding (and edge); between switches one port of a redundant pair blocking is normal.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataSTP}, Rules: []string{diagnose.STPHostPortBlocking, diagnose.STPErrDisabled, diagnose.STPHostPortNotEdge}},
				devices: pathSwitches, eval: evalVLANSTP,
			},
			{
				ID: "capture", Title: "Capture tags per uplink",
				Why:  "On the wire each uplink shows which VLAN tags really pass: frames of the VLAN on one uplink and not the other confirm the fault.",
				Read: "Frames tagged with the VLAN should appear on every uplink the port group uses (given traffic); tags the trunk does not allow are flagged.",
				Check: Check{Kind: KindCapture, Live: true, Rules: []string{diagnose.CapVLANUnexpected, diagnose.CapVLANNotSeen},
					Capture: &CaptureSpec{Describe: "vlan <the port group's VLAN>", filter: vlanFilter, points: vlanPoints}},
				eval: evalVLANCapture,
			},
		},
		concerns: vlanConcerns,
		prefill:  vlanPrefill,
	})
}

// vlanTarget is what walkthrough 1 follows.
type vlanTarget struct {
	host *netmodel.Device
	vs   *netmodel.VSwitch
	pg   *netmodel.PortGroup
	vlan int // -1: not known (distributed switch)
	only bool
}

func (t vlanTarget) name() string {
	switch {
	case t.only:
		return fmt.Sprintf("VLAN %d", t.vlan)
	case t.pg != nil:
		return t.host.Name + " " + t.pg.Name
	}
	return t.host.Name + " " + t.vs.Name
}

func parseVLANValue(v string) (int, bool) {
	s := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(v)), "vlan:")
	s = strings.TrimPrefix(s, "vlan")
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > netmodel.MaxVLAN {
		return 0, false
	}
	return n, true
}

// target resolves the answer to the first question.
func (r *Run) target() (vlanTarget, bool) {
	v := r.Var("portgroup")
	if v == "" {
		return vlanTarget{}, false
	}
	if strings.HasPrefix(v, "vlan:") {
		n, ok := parseVLANValue(v)
		return vlanTarget{vlan: n, only: true}, ok
	}
	hostName, rest, ok := strings.Cut(v, "/")
	if !ok {
		return vlanTarget{}, false
	}
	h := r.S.Device(hostName)
	if h == nil {
		return vlanTarget{}, false
	}
	for _, vs := range h.VSwitches {
		switch {
		case rest == vs.Name:
			return vlanTarget{host: h, vs: vs, vlan: -1}, true
		case strings.HasPrefix(rest, vs.Name+"/"):
			pg := h.PortGroup(strings.TrimPrefix(rest, vs.Name+"/"))
			if pg == nil || pg.VSwitch != vs.Name {
				return vlanTarget{}, false
			}
			t := vlanTarget{host: h, vs: vs, pg: pg, vlan: -1}
			if pg.VLANKnown {
				t.vlan = pg.VLAN
			}
			return t, true
		}
	}
	return vlanTarget{}, false
}

func vlanMode(n int) string {
	switch {
	case n == 0:
		return "EST, untagged"
	case n == netmodel.MaxVLAN+1:
		return "VGT, guest tagging"
	}
	return "VST"
}

func vlanChoices(r *Run) []Choice {
	var out []Choice
	hosts := slices.Clone(r.S.Devices)
	sort.SliceStable(hosts, func(i, j int) bool { return hosts[i].Name < hosts[j].Name })
	for _, h := range hosts {
		if h.Platform != netmodel.ESXi {
			continue
		}
		var pgs []*netmodel.PortGroup
		for _, pg := range h.PortGroups {
			if vs := h.VSwitch(pg.VSwitch); vs != nil && len(vs.Uplinks) > 0 && pg.VLANKnown {
				pgs = append(pgs, pg)
			}
		}
		sort.SliceStable(pgs, func(i, j int) bool { return pgs[i].Name < pgs[j].Name })
		for _, pg := range pgs {
			out = append(out, Choice{Value: h.Name + "/" + pg.VSwitch + "/" + pg.Name,
				Label: fmt.Sprintf("%s %s (%s, VLAN %d, %s)", h.Name, pg.Name, pg.VSwitch, pg.VLAN, vlanMode(pg.VLAN))})
		}
		for _, vs := range h.VSwitches {
			if vs.Kind == netmodel.DistributedVSwitch && len(vs.Uplinks) > 0 {
				out = append(out, Choice{Value: h.Name + "/" + vs.Name,
					Label: fmt.Sprintf("%s %s (distributed switch: its port groups' VLANs are set in vCenter)", h.Name, vs.Name)})
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	var vlans netmodel.VLANSet
	for _, pl := range switchLinks(r) {
		for _, e := range []trunkEnd{pl.a, pl.b} {
			switch e.p.Mode {
			case netmodel.ModeTrunk:
				if e.p.AllowedKnown && e.p.Allowed.Len() <= 64 {
					vlans = vlans.Union(e.p.Allowed)
				}
				if e.p.NativeVLAN > 0 {
					vlans.Add(e.p.NativeVLAN)
				}
			case netmodel.ModeAccess:
				if e.p.AccessVLAN > 0 {
					vlans.Add(e.p.AccessVLAN)
				}
			}
		}
	}
	for _, v := range vlans.IDs() {
		out = append(out, Choice{Value: fmt.Sprintf("vlan:%d", v), Label: fmt.Sprintf("VLAN %d (on the switch-to-switch links)", v), Goto: "switchports"})
	}
	return out
}

func vlanAccept(r *Run, v string) (Choice, error) {
	if n, ok := parseVLANValue(v); ok && (strings.HasPrefix(strings.ToLower(v), "vlan") || strings.Trim(v, "0123456789") == "") {
		return Choice{Value: fmt.Sprintf("vlan:%d", n), Label: fmt.Sprintf("VLAN %d", n), Goto: "switchports"}, nil
	}
	return Choice{}, fmt.Errorf("not a port group of this bundle (host/vSwitch/port group) nor vlan:N with N in 1-%d", netmodel.MaxVLAN)
}

var subjectVLAN = regexp.MustCompile(`^(.+?) \(VLAN \d+\)$`)

// vlanPrefill answers the port group from a VLAN finding's subject
// ("esx01/vSwitch0/VM-Prod (VLAN 120)", "esx01/dvs-prod").
func vlanPrefill(s *netmodel.Snapshot, f *netmodel.Finding) map[string]string {
	subj := f.Subject
	if m := subjectVLAN.FindStringSubmatch(subj); m != nil {
		subj = m[1]
	}
	if strings.Count(subj, "/") >= 1 && !strings.Contains(subj, " ↔ ") {
		return map[string]string{"portgroup": subj}
	}
	return nil
}

func hostOnly(r *Run) []*netmodel.Device {
	if t, ok := r.target(); ok && t.host != nil {
		return []*netmodel.Device{t.host}
	}
	return nil
}

// usable returns the uplinks the target uses (active, then standby) with
// their roles, and the teaming read.
func (r *Run) usable(t vlanTarget) (ups []*diagnose.Uplink, role map[string]string, team netmodel.Teaming, from string, known bool) {
	team, from, known = diagnose.Teaming(t.host, t.vs, t.pg)
	role = map[string]string{}
	for _, n := range team.Active {
		role[n] = "active"
	}
	for _, n := range team.Standby {
		role[n] = "standby"
	}
	for _, u := range r.C.Uplinks(t.host, t.vs) {
		if role[u.NIC] != "" {
			ups = append(ups, u)
		}
	}
	return ups, role, team, from, known
}

// trunkEnd is one end of a switch-to-switch link: the device, the
// interface holding its VLAN configuration, that configuration.
type trunkEnd struct {
	d    *netmodel.Device
	name string
	p    *netmodel.SwitchPort
}

func (e trunkEnd) String() string { return e.d.Name + " " + netmodel.ShortIfName(e.name) }

// pathLink is a switch-to-switch link (or the member links of one channel
// pair) with both ends' configuration.
type pathLink struct {
	a, b  trunkEnd
	links []*netmodel.Link
}

func (p pathLink) String() string { return p.a.String() + " ↔ " + p.b.String() }

// switchLinks lists the links between two collected switches whose ends'
// configuration is known, one per channel pair.
func switchLinks(r *Run) []pathLink {
	var out []pathLink
	idx := map[string]int{}
	for i := range r.S.Links {
		lk := &r.S.Links[i]
		da, db := r.S.Device(lk.A.Device), r.S.Device(lk.B.Device)
		if da == nil || db == nil || !diagnose.IsSwitch(diagnose.L2Platform(da)) || !diagnose.IsSwitch(diagnose.L2Platform(db)) {
			continue
		}
		na, pa := diagnose.VLANPort(da, lk.A.Port)
		nb, pb := diagnose.VLANPort(db, lk.B.Port)
		if pa == nil || pb == nil {
			continue
		}
		pl := pathLink{a: trunkEnd{da, na, pa}, b: trunkEnd{db, nb, pb}}
		k := pl.String()
		if i, ok := idx[k]; ok {
			out[i].links = append(out[i].links, lk)
			continue
		}
		pl.links = []*netmodel.Link{lk}
		idx[k] = len(out)
		out = append(out, pl)
	}
	return out
}

func (e trunkEnd) carries(vlan int) bool {
	switch e.p.Mode {
	case netmodel.ModeTrunk:
		return (e.p.AllowedKnown && e.p.Allowed.Has(vlan)) || e.p.NativeVLAN == vlan
	case netmodel.ModeAccess:
		return e.p.AccessVLAN == vlan
	}
	return false
}

// vlanLinks are the switch-to-switch links where either end carries vlan.
func (r *Run) vlanLinks(vlan int) []pathLink {
	var out []pathLink
	for _, pl := range switchLinks(r) {
		if pl.a.carries(vlan) || pl.b.carries(vlan) {
			out = append(out, pl)
		}
	}
	return out
}

// pathSwitches are the switches the target's traffic crosses.
func pathSwitches(r *Run) []*netmodel.Device {
	t, ok := r.target()
	if !ok {
		return nil
	}
	var out []*netmodel.Device
	add := func(d *netmodel.Device) {
		if d != nil && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if t.only {
		for _, pl := range r.vlanLinks(t.vlan) {
			add(pl.a.d)
			add(pl.b.d)
		}
		return out
	}
	ups, _, _, _, _ := r.usable(t)
	for _, u := range ups {
		add(u.Switch)
	}
	return out
}

func evalVLANMode(r *Run) Result {
	t, ok := r.target()
	switch {
	case !ok:
		return skipped("no port group chosen")
	case t.only:
		return Result{Verdict: Skipped, Summary: fmt.Sprintf("started from VLAN %d on the switches: no port group", t.vlan), Reason: "no port group"}
	case r.lacks(t.host, DataPortGroups):
		return skipped(fmt.Sprintf("%s's port groups are not in the bundle", t.host.Name))
	case t.pg == nil:
		return Result{Verdict: Unknown, Summary: fmt.Sprintf("%s is a distributed switch: its port groups' VLANs are set in vCenter and not visible on the host; its uplinks are compared with each other below", t.vs.Name),
			Reason: "the distributed port group's VLAN is not visible from the host (vCenter: the port group's VLAN setting)",
			Facts:  []Fact{{Text: fmt.Sprintf("%s %s: distributed switch, uplinks %s", t.host.Name, t.vs.Name, orNone(t.vs.Uplinks)), Evidence: r.citeFocus(t.host.Name, t.vs.Src, "distributed switch", "Name", "Uplinks", "DVPort")}}}
	}
	pg := t.pg
	f := Fact{Text: fmt.Sprintf("%s %s on %s: VLAN %d (%s)", t.host.Name, pg.Name, pg.VSwitch, pg.VLAN, vlanMode(pg.VLAN)),
		Evidence: r.cite(t.host.Name, pg.Src, fmt.Sprintf("port group %s, VLAN %d", pg.Name, pg.VLAN))}
	res := Result{Verdict: OK, Facts: []Fact{f}}
	switch {
	case pg.VLAN == 0:
		res.Summary = fmt.Sprintf("VLAN 0: the host sends %s's frames untagged (EST): its uplinks must be access ports in the VM's VLAN", pg.Name)
	case pg.VLAN == netmodel.MaxVLAN+1:
		res.Verdict = Fault
		res.Summary = "VLAN 4095: the guest tags its own frames (VGT) and reaches every VLAN the trunks allow"
	default:
		res.Summary = fmt.Sprintf("VLAN %d, tagged by the vSwitch (VST): every uplink's trunk must allow VLAN %d", pg.VLAN, pg.VLAN)
	}
	return res
}

func evalUplinks(r *Run) Result {
	t, ok := r.target()
	if !ok || t.only {
		return skipped("no port group: no uplinks to follow")
	}
	_, role, team, from, known := r.usable(t)
	res := Result{Verdict: OK}
	res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s %s uplinks: %s", t.host.Name, t.vs.Name, orNone(t.vs.Uplinks)),
		Evidence: r.citeFocus(t.host.Name, t.vs.Src, "uplinks of "+t.vs.Name, "Uplinks")})
	if !known && t.vs.Kind == netmodel.DistributedVSwitch {
		res.Verdict = Unknown
		res.Summary = "a distributed switch's teaming is set in vCenter, not visible on the host: every uplink counts as active"
		res.Reason = "the teaming of the distributed port group (vCenter: Teaming and failover)"
		return res
	}
	if !known {
		res.Verdict = Unknown
		res.Summary = "the failover policy was not collected: every uplink counts as active"
		res.Reason = fmt.Sprintf("collect `esxcli network vswitch standard policy failover get -v %s` (and the port group's)", t.vs.Name)
		return res
	}
	res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("from the %s: load balancing %s, active %s, standby %s", from, orNone([]string{team.LoadBalancing}), orNone(team.Active), orNone(team.Standby)),
		Evidence: r.citeFocus(t.host.Name, team.Src, "teaming from the "+from, diagnose.TeamingKeys(from)...)})
	var unused []string
	for _, n := range t.vs.Uplinks {
		if role[n] == "" {
			unused = append(unused, n)
		}
	}
	res.Summary = fmt.Sprintf("active %s, standby %s", orNone(team.Active), orNone(team.Standby))
	if len(unused) > 0 {
		res.Summary += ", unused " + strings.Join(unused, ", ")
	}
	return res
}

func evalSwitchPorts(r *Run) Result {
	t, ok := r.target()
	if !ok {
		return skipped("nothing chosen")
	}
	res := Result{Verdict: OK}
	if t.only {
		pls := r.vlanLinks(t.vlan)
		if len(pls) == 0 {
			return Result{Verdict: Unknown, Summary: fmt.Sprintf("no switch-to-switch link of this bundle carries VLAN %d on either end", t.vlan), Reason: fmt.Sprintf("no link carries VLAN %d", t.vlan)}
		}
		var names []string
		for _, pl := range pls {
			names = append(names, pl.String())
			for _, lk := range pl.links {
				res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s %s ↔ %s %s", lk.A.Device, netmodel.ShortIfName(lk.A.Port), lk.B.Device, netmodel.ShortIfName(lk.B.Port)),
					Evidence: r.linkEvidence(lk, fmt.Sprintf("%s %s is cabled to %s %s", lk.A.Device, lk.A.Port, lk.B.Device, lk.B.Port))})
			}
		}
		res.Summary = fmt.Sprintf("VLAN %d crosses %s", t.vlan, joinAnd(names))
		return res
	}
	ups, role, _, _, _ := r.usable(t)
	var known, unknown []string
	for _, u := range ups {
		if u.Link == nil || u.Switch == nil {
			unknown = append(unknown, u.NIC)
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s (%s): %s; %s", u.NIC, role[u.NIC], u.Problem, u.Collect)})
			continue
		}
		port := netmodel.ShortIfName(u.Peer.Port)
		if u.Channel != "" {
			port += " (in " + netmodel.ShortIfName(u.Channel) + ")"
		}
		known = append(known, fmt.Sprintf("%s → %s %s", u.NIC, u.Switch.Name, port))
		res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s (%s) → %s %s", u.NIC, role[u.NIC], u.Switch.Name, port),
			Evidence: r.linkEvidence(u.Link, fmt.Sprintf("%s %s is cabled to %s %s", t.host.Name, u.NIC, u.Switch.Name, netmodel.ShortIfName(u.Peer.Port)))})
	}
	res.Summary = orNone(known)
	if len(unknown) > 0 {
		res.Verdict = Unknown
		res.Reason = fmt.Sprintf("the switch port of %s is not known", joinAnd(unknown))
		res.Summary += "; not known: " + strings.Join(unknown, ", ")
	}
	return res
}

// portFact describes a switch port's VLAN configuration with its lines.
func (r *Run) portFact(d *netmodel.Device, name string, p *netmodel.SwitchPort, lead, verdict string) Fact {
	label := d.Name + " " + netmodel.ShortIfName(name)
	var ev []netmodel.Evidence
	var text string
	switch p.Mode {
	case netmodel.ModeTrunk:
		allowed := "not collected"
		if p.AllowedKnown {
			allowed = p.Allowed.String()
		}
		native := "?"
		if p.NativeVLAN > 0 {
			native = strconv.Itoa(p.NativeVLAN)
		}
		text = fmt.Sprintf("%s%s: trunk, allowed %s, native %s", lead, label, allowed, native)
		ev = append(ev, r.cite(d.Name, p.AllowedSrc, label+" allows "+allowed)...)
		if p.NativeVLANSrc != p.AllowedSrc {
			ev = append(ev, r.cite(d.Name, p.NativeVLANSrc, label+" native VLAN "+native)...)
		}
	default:
		text = fmt.Sprintf("%s%s: %s port, VLAN %d", lead, label, orNone([]string{p.Mode}), p.AccessVLAN)
		ev = append(ev, r.cite(d.Name, p.ModeSrc, label+": "+p.Mode)...)
		if p.AccessVLANSrc != p.ModeSrc {
			ev = append(ev, r.cite(d.Name, p.AccessVLANSrc, fmt.Sprintf("%s access VLAN %d", label, p.AccessVLAN))...)
		}
	}
	if verdict != "" {
		text += ": " + verdict
	}
	return Fact{Text: text, Evidence: ev}
}

func sigOf(p *netmodel.SwitchPort) string {
	if p.Mode == netmodel.ModeTrunk {
		return fmt.Sprintf("trunk native %d allowed %s", p.NativeVLAN, p.Allowed)
	}
	return fmt.Sprintf("%s VLAN %d", p.Mode, p.AccessVLAN)
}

func evalTrunks(r *Run) Result {
	t, ok := r.target()
	if !ok {
		return skipped("nothing chosen")
	}
	if t.only {
		return r.evalVLANLinks(t)
	}
	ups, role, _, _, _ := r.usable(t)
	res := Result{Verdict: OK}
	var good, bad, unknown []string
	sigs := map[string]bool{}
	for _, u := range ups {
		if u.Switch == nil {
			continue // the step before said why
		}
		if !u.Known() {
			unknown = append(unknown, u.NIC)
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s (%s) → %s %s: %s (collect %s)", u.NIC, role[u.NIC], u.Switch.Name, netmodel.ShortIfName(u.Peer.Port), u.Problem, u.Collect)})
			continue
		}
		p := u.Port
		sigs[sigOf(p)] = true
		lead := fmt.Sprintf("%s (%s) → ", u.NIC, role[u.NIC])
		var verdict string
		okHere := true
		switch {
		case t.vlan < 0: // distributed switch: compared below
		case t.vlan == 0:
			if p.Mode == netmodel.ModeTrunk {
				okHere, verdict = false, fmt.Sprintf("untagged frames land in native VLAN %d", p.NativeVLAN)
			} else {
				verdict = fmt.Sprintf("untagged frames go to VLAN %d", p.AccessVLAN)
			}
		case t.vlan == netmodel.MaxVLAN+1:
			verdict = "the guest reaches every VLAN listed"
		case u.IsAccess():
			okHere, verdict = false, fmt.Sprintf("an access port drops frames tagged %d", t.vlan)
		case u.Carries(t.vlan):
			verdict = fmt.Sprintf("VLAN %d allowed", t.vlan)
		default:
			okHere, verdict = false, fmt.Sprintf("VLAN %d NOT allowed", t.vlan)
		}
		res.Facts = append(res.Facts, r.portFact(u.Switch, u.ConfigPort(), p, lead, verdict))
		if okHere {
			good = append(good, u.NIC)
		} else {
			bad = append(bad, fmt.Sprintf("%s → %s %s: %s", u.NIC, u.Switch.Name, netmodel.ShortIfName(u.ConfigPort()), verdict))
		}
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
		if len(good) > 0 {
			res.Summary += fmt.Sprintf("; %s fine", joinAnd(good))
		}
	case t.vlan < 0 && len(sigs) > 1:
		res.Verdict = Fault
		res.Summary = "the uplinks' switch ports differ: a VLAN may pass on one uplink and not on another"
	case len(good) > 0:
		res.Summary = fmt.Sprintf("every known uplink's switch port carries the traffic (%s)", joinAnd(good))
		if t.vlan < 0 {
			res.Summary = "every known uplink's switch port has the same configuration"
		}
	}
	if len(unknown) > 0 {
		res.Verdict = worst(res.Verdict, Unknown)
		res.Reason = fmt.Sprintf("the switch-port configuration of %s is not known", joinAnd(unknown))
		if res.Summary == "" {
			res.Summary = res.Reason
		}
	}
	if res.Summary == "" {
		return skipped("no uplink's switch port is known")
	}
	return res
}

// evalVLANLinks checks a VLAN on the switch-to-switch links.
func (r *Run) evalVLANLinks(t vlanTarget) Result {
	pls := r.vlanLinks(t.vlan)
	if len(pls) == 0 {
		return Result{Verdict: Unknown, Summary: fmt.Sprintf("no link carries VLAN %d", t.vlan), Reason: fmt.Sprintf("no switch-to-switch link carries VLAN %d", t.vlan)}
	}
	res := Result{Verdict: OK}
	var bad, good []string
	for _, pl := range pls {
		ca, cb := pl.a.carries(t.vlan), pl.b.carries(t.vlan)
		na, nb := pl.a.p.NativeVLAN, pl.b.p.NativeVLAN
		var why string
		switch {
		case ca != cb:
			only, other := pl.a, pl.b
			if cb {
				only, other = pl.b, pl.a
			}
			why = fmt.Sprintf("VLAN %d only on %s: %s drops it", t.vlan, only, other)
		case pl.a.p.Mode == netmodel.ModeTrunk && pl.b.p.Mode == netmodel.ModeTrunk && na > 0 && nb > 0 && na != nb && (na == t.vlan || nb == t.vlan):
			why = fmt.Sprintf("native VLAN %d on %s, %d on %s: VLAN %d's untagged frames land in the other VLAN", na, pl.a, nb, pl.b, t.vlan)
		}
		res.Facts = append(res.Facts, r.portFact(pl.a.d, pl.a.name, pl.a.p, "", ""), r.portFact(pl.b.d, pl.b.name, pl.b.p, "", ""))
		if why != "" {
			bad = append(bad, pl.String()+": "+why)
			r.set("_bad:"+pl.String(), "1")
		} else {
			good = append(good, pl.String())
		}
	}
	if len(bad) > 0 {
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
	} else {
		res.Summary = fmt.Sprintf("VLAN %d is allowed on both ends of %s", t.vlan, joinAnd(good))
	}
	return res
}

// stpInstanceFor finds d's spanning-tree instance that carries vlan.
func stpInstanceFor(d *netmodel.Device, vlan int) *netmodel.STPBridge {
	want := fmt.Sprintf("VLAN%04d", vlan)
	for _, b := range d.STP {
		if strings.EqualFold(b.Instance, want) {
			return b
		}
	}
	for _, b := range d.STP {
		switch strings.ToLower(b.Mode) {
		case "stp", "rstp", "mstp":
			if !strings.HasPrefix(strings.ToUpper(b.Instance), "VLAN") {
				return b // one tree (or MST0/CIST) for every VLAN
			}
		}
	}
	return nil
}

// pathPorts lists the switch ports (config ports: channels for members)
// the target crosses.
func (r *Run) pathPorts(t vlanTarget) []trunkEnd {
	var out []trunkEnd
	if t.only {
		for _, pl := range r.vlanLinks(t.vlan) {
			out = append(out, pl.a, pl.b)
		}
		return out
	}
	ups, _, _, _, _ := r.usable(t)
	for _, u := range ups {
		if u.Switch != nil && u.Port != nil {
			te := trunkEnd{u.Switch, u.ConfigPort(), u.Port}
			if !slices.ContainsFunc(out, func(x trunkEnd) bool { return x.d == te.d && x.name == te.name }) {
				out = append(out, te)
			}
		}
	}
	return out
}

func evalVLANSTP(r *Run) Result {
	t, ok := r.target()
	if !ok {
		return skipped("nothing chosen")
	}
	ports := r.pathPorts(t)
	if len(ports) == 0 {
		return skipped("no switch port on the path is known")
	}
	res := Result{Verdict: OK}
	var lacking, noSTP []string
	var bad, fine []string
	for _, pe := range ports {
		if len(pe.d.STP) == 0 {
			switch {
			case Has(pe.d, DataSTP):
				// Collected, and no tree: the switch runs no spanning tree.
				if !slices.Contains(noSTP, pe.d.Name) {
					noSTP = append(noSTP, pe.d.Name)
				}
			case !slices.Contains(lacking, pe.d.Name):
				lacking = append(lacking, pe.d.Name)
			}
			continue
		}
		vlan := t.vlan
		if vlan <= 0 || vlan > netmodel.MaxVLAN {
			vlan = pe.p.NativeVLAN
			if pe.p.Mode == netmodel.ModeAccess {
				vlan = pe.p.AccessVLAN
			}
		}
		b := stpInstanceFor(pe.d, vlan)
		if b == nil {
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: no spanning-tree instance for VLAN %d in the output", pe, vlan)})
			continue
		}
		var sp *netmodel.STPPort
		for _, p := range b.Ports {
			if p.Name == pe.name {
				sp = p
			}
		}
		inst := b.Instance
		if inst == "" {
			inst = b.Mode
		}
		if sp == nil {
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s is not in %s's %s (not forwarding in that tree, or pruned)", pe, pe.d.Name, inst),
				Evidence: r.cite(pe.d.Name, b.Src, pe.d.Name+" "+inst)})
			bad = append(bad, pe.String())
			continue
		}
		state := fmt.Sprintf("%s %s", sp.Role, sp.State)
		if sp.Edge {
			state += ", edge"
		}
		res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s in %s: %s", pe, inst, state), Evidence: r.cite(pe.d.Name, sp.Src, fmt.Sprintf("%s %s in %s", pe, state, inst))})
		switch {
		case sp.ErrDisabled || sp.State == "broken" || sp.State == "disabled":
			bad = append(bad, pe.String())
		case sp.State == "blocking" || sp.State == "discarding":
			if t.only && (sp.Role == "alternate" || sp.Role == "backup") {
				fine = append(fine, pe.String()+" (redundant path, blocked as it should be)")
			} else {
				bad = append(bad, pe.String())
			}
		default:
			fine = append(fine, pe.String())
		}
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = "not forwarding: " + strings.Join(bad, ", ")
	case len(fine) > 0:
		res.Summary = "forwarding: " + strings.Join(fine, ", ")
		if len(lacking) > 0 {
			res.Summary += fmt.Sprintf("; %s's spanning tree not collected", joinAnd(lacking))
		}
	case len(lacking) == 0 && len(noSTP) > 0:
		res.Summary = fmt.Sprintf("no spanning tree runs on %s: no port of the path is blocked by it", joinAnd(noSTP))
		for _, name := range noSTP {
			d := r.S.Device(name)
			text := name + ": no spanning-tree bridge in its output"
			var ev []netmodel.Evidence
			for _, f := range r.S.Files {
				if f.Device == name && slices.Contains(Capabilities(diagnose.L2Platform(d), DataSTP), f.Capability) {
					ev = append(ev, netmodel.Evidence{Device: name, File: f.Path, Text: "(empty output)"})
				}
			}
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: ev})
		}
	default:
		return Result{Verdict: Skipped, Summary: fmt.Sprintf("the spanning tree of %s is not in the bundle", joinAnd(lacking)),
			Reason: fmt.Sprintf("collect the spanning tree of %s (%s)", joinAnd(lacking), Command(ports[0].d.Platform, DataSTP))}
	}
	return res
}

func vlanFilter(r *Run) string {
	t, ok := r.target()
	if !ok || t.vlan <= 0 || t.vlan > netmodel.MaxVLAN {
		return "vlan"
	}
	return fmt.Sprintf("vlan %d", t.vlan)
}

func vlanPoints(r *Run) []Point {
	t, ok := r.target()
	if !ok {
		return nil
	}
	var out []Point
	if t.only {
		for _, pe := range r.pathPorts(t) {
			out = append(out, Point{pe.d.Name, pe.name})
		}
		return out
	}
	ups, _, _, _, _ := r.usable(t)
	for _, u := range ups {
		out = append(out, Point{t.host.Name, u.NIC})
	}
	return out
}

func evalVLANCapture(r *Run) Result {
	t, ok := r.target()
	if !ok {
		return skipped("nothing chosen")
	}
	if len(r.caps) == 0 {
		return Result{Verdict: Skipped, Summary: "no capture of the uplinks"}
	}
	res := Result{Verdict: OK}
	var seen, notSeen []string
	for _, c := range r.caps {
		var vl []string
		for _, v := range sortedVLANs(c) {
			name := "untagged"
			if v != 0 {
				name = "VLAN " + strconv.Itoa(int(v))
			}
			vl = append(vl, fmt.Sprintf("%s ×%d", name, c.VLANs[v]))
		}
		text := fmt.Sprintf("%s: %d frames in %s; %s", capWhere(c), c.Packets, c.Duration.Round(1e9), orNone(vl))
		ev := capEvidence(c, 1, c.Packets, text, "")
		if t.vlan > 0 && t.vlan <= netmodel.MaxVLAN {
			if n := c.VLANs[uint16(t.vlan)]; n > 0 {
				seen = append(seen, capWhere(c))
				ev = capEvidence(c, c.FirstVLAN[uint16(t.vlan)], c.FirstVLAN[uint16(t.vlan)], text, fmt.Sprintf("first frame tagged %d", t.vlan))
			} else {
				notSeen = append(notSeen, capWhere(c))
			}
		}
		res.Facts = append(res.Facts, Fact{Text: text, Evidence: []netmodel.Evidence{ev}})
	}
	switch {
	case len(notSeen) > 0 && len(seen) > 0:
		res.Verdict = Fault
		res.Summary = fmt.Sprintf("VLAN %d seen on %s, not on %s", t.vlan, joinAnd(seen), joinAnd(notSeen))
	case len(notSeen) > 0:
		res.Verdict = Unknown
		res.Summary = fmt.Sprintf("no frame tagged %d on %s: quiet, or not carried", t.vlan, joinAnd(notSeen))
		res.Reason = res.Summary
	case len(seen) > 0:
		res.Summary = fmt.Sprintf("VLAN %d seen on %s", t.vlan, joinAnd(seen))
	default:
		res.Summary = "tags seen as listed"
	}
	return res
}

func sortedVLANs(c *netmodel.Capture) []uint16 {
	var out []uint16
	for v := range c.VLANs {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// vlanConcerns: findings about the port group or its vSwitch, about the
// switch ports on its path, or (from a VLAN) about a link where that VLAN
// does not cross, and the captures of its uplinks.
// capAboutVLAN reports whether a CAP-VLAN finding is about VLAN v: its
// evidence counts the frames of each unexpected VLAN, its title names each
// missing one as "VLAN N (port groups)".
func capAboutVLAN(f *netmodel.Finding, v int) bool {
	tagged := fmt.Sprintf("frames tagged VLAN %d", v)
	for _, e := range f.Evidence {
		if strings.HasSuffix(e.Text, tagged) {
			return true
		}
	}
	return strings.Contains(f.Title, fmt.Sprintf("VLAN %d (", v))
}

func vlanConcerns(r *Run, f *netmodel.Finding) bool {
	t, ok := r.target()
	if !ok {
		return false
	}
	if !t.only {
		vsSubj := t.host.Name + "/" + t.vs.Name
		if f.Subject == vsSubj {
			return true
		}
		if t.pg != nil && (f.Subject == vsSubj+"/"+t.pg.Name || strings.HasPrefix(f.Subject, vsSubj+"/"+t.pg.Name+" (")) {
			return true
		}
		if strings.HasPrefix(f.Subject, vsSubj+"/") {
			return false // another port group
		}
	}
	tokens := map[string]bool{}
	for _, pe := range r.pathPorts(t) {
		for _, tk := range portTokens(pe.d.Name, pe.name) {
			tokens[tk] = true
		}
	}
	if f.ID == diagnose.VLANTrunkAllowedMismatch || f.ID == diagnose.VLANNativeMismatch {
		if !t.only {
			return false
		}
		for _, pl := range r.vlanLinks(t.vlan) {
			if r.Var("_bad:"+pl.String()) != "" && (f.Subject == pl.String() || f.Subject == pl.b.String()+" ↔ "+pl.a.String()) {
				return true
			}
		}
		return false
	}
	if (f.ID == diagnose.CapVLANUnexpected || f.ID == diagnose.CapVLANNotSeen) && !capAboutVLAN(f, t.vlan) {
		return false // another VLAN on the same uplink
	}
	if strings.HasPrefix(f.ID, "CAP-") {
		for _, p := range vlanPoints(r) {
			if f.Subject == p.String() || strings.HasPrefix(f.Subject, p.String()+" ") {
				return true
			}
		}
		return false
	}
	for _, part := range subjectParts(f.Subject) {
		if tokens[part] {
			return true
		}
	}
	return false
}
