package walk

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// Walkthrough 3: an LACP bundle does not form, or flaps.
func init() {
	register(&Walkthrough{
		order:   3,
		Name:    "lacp",
		Title:   "LACP bundle not forming or flapping",
		Symptom: "A port-channel, bond or LAG runs on fewer members than cabled, a member is suspended or individual, or members drop in and out.",
		Suggest: []string{"LACP-", "CAP-LACP-"},
		Steps: []Step{
			{
				ID: "lag", Title: "Which bundle?",
				Why:  "A bundle has two ends (or, split, more): each step compares what every end says.",
				Read: "Pick the channel as device/channel; its far ends are found through the links.",
				Check: Check{Kind: KindQuestion, Question: &Question{Key: "lag", Prompt: "Which bundle (port-channel, bond, LAG)?", Free: "DEVICE/CHANNEL of any end", choices: lagChoices, accept: lagAccept,
					none: func(r *Run) Result {
						return Result{Verdict: NotApplicable, Summary: "the bundle has no port-channel, bond or LAG"}
					}}},
			},
			{
				ID: "mode", Title: "Channel mode on both ends",
				Why:     "LACP forms a bundle only when at least one end is active and both run LACP: passive/passive never starts, LACP against a static channel (mode on) or a plain teaming never agrees.",
				Read:    "Protocol, mode (active/passive/on) and rate of each end.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataLAG}, Rules: []string{diagnose.LACPBothPassive, diagnose.LACPDefaulted, diagnose.LACPTeamingMismatch}},
				devices: lagDevices, eval: evalLAGMode,
			},
			{
				ID: "partners", Title: "Partner IDs",
				Why:     "Every member of one bundle must see the same partner system: two partner systems mean the members are cabled to two switches that are not one (no stack, VSS or MLAG), and the bundle splits.",
				Read:    "The partner system, key and port of each member, against the far end's own system.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataLAG}, Rules: []string{diagnose.LACPPartnerSplit, diagnose.LACPAggregatorSplit}},
				devices: lagDevices, eval: evalLAGPartners,
			},
			{
				ID: "state", Title: "State bits",
				Why:     "A member forwards only in sync, collecting and distributing on both ends; defaulted means no LACPDU received; the timeout bit shows the rate each end asks for.",
				Read:    "Actor and partner state of each member; the bits missing say which side holds it out.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataLAG}, Rules: []string{diagnose.LACPNotForwarding, diagnose.LACPRateMismatch, diagnose.LACPSpeedMismatch}},
				devices: lagDevices, eval: evalLAGState,
			},
			{
				ID: "counters", Title: "LACPDU counters",
				Why:     "LACPDUs lost to a busy CPU or a saturated link expire the partner and drop the member; the counters keep the trace after the member is back.",
				Read:    "PDUs sent and received per member, and how often the partner expired or fell back to defaults.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataLACPCount}, Rules: []string{diagnose.LACPPDUCounters}},
				devices: lagDevices, eval: evalLAGCounters,
			},
			{
				ID: "capture", Title: "Capture LACPDUs",
				Why:  "On the wire each member shows who speaks LACP, with which system and state, and whether the PDUs stop or change.",
				Read: "Each member should hear one partner system, in sync, with PDUs at its rate.",
				Check: Check{Kind: KindCapture, Live: true, Rules: []string{diagnose.CapLACPStopped, diagnose.CapLACPChanged},
					Capture: &CaptureSpec{Describe: "ether proto 0x8809", filter: func(*Run) string { return "ether proto 0x8809" }, points: lagPoints}},
				eval: evalLAGCapture,
			},
		},
		concerns: lagConcerns,
		prefill:  lagPrefill,
	})
}

// The decisive lines of a channel's and a member's blocks (Open vSwitch,
// Linux bonding and teamd print long ones; the Cisco and Junos tables one
// line each, which these keys leave whole).
var (
	lagKeys     = []string{"----", "status:", "lacp_time:", "bond_mode:", "lacp_status:", "Bonding Mode:", "LACP rate:", "runner:"}
	partnerKeys = []string{"partner sys_id:"}
	stateKeys   = []string{"actor state:", "partner state:"}
)

type lagRef struct {
	d   *netmodel.Device
	lag *netmodel.LAG
}

func (l lagRef) key() string    { return l.d.Name + "/" + l.lag.Name }
func (l lagRef) String() string { return l.d.Name + " " + l.lag.Name }

// farEnd is a member's far end on a device without a LAG for it.
type farEnd struct {
	from   lagRef
	member string
	peer   netmodel.Endpoint
	link   *netmodel.Link
}

// lagGroup is a bundle: the LAGs joined by their members' links, and the
// far ends with no LAG data.
type lagGroup struct {
	lags []lagRef
	far  []farEnd
}

func (g lagGroup) label() string {
	var names []string
	for _, l := range g.lags {
		names = append(names, l.String())
	}
	s := strings.Join(names, " ↔ ")
	devs := map[string][]string{}
	var order []string
	for _, f := range g.far {
		if _, ok := devs[f.peer.Device]; !ok {
			order = append(order, f.peer.Device)
		}
		devs[f.peer.Device] = append(devs[f.peer.Device], f.peer.Port)
	}
	for _, d := range order {
		s += fmt.Sprintf(" ↔ %s %s (no channel data)", d, strings.Join(devs[d], ", "))
	}
	return s
}

func lagGroups(r *Run) []lagGroup {
	var refs []lagRef
	for _, d := range r.S.Devices {
		for _, lag := range d.LAGs {
			if len(lag.Members) > 0 {
				refs = append(refs, lagRef{d, lag})
			}
		}
	}
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].key() < refs[j].key() })
	parent := make([]int, len(refs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	idx := func(d *netmodel.Device, port string) int {
		for i, ref := range refs {
			if ref.d == d && slices.ContainsFunc(ref.lag.Members, func(m *netmodel.LAGMember) bool { return m.Port == port }) {
				return i
			}
		}
		return -1
	}
	fars := map[int][]farEnd{}
	for i, ref := range refs {
		for _, m := range ref.lag.Members {
			ep, lk, ok := r.S.Peer(ref.d.Name, m.Port)
			if !ok {
				continue
			}
			pd := r.S.Device(ep.Device)
			if j := idx(pd, ep.Port); pd != nil && j >= 0 {
				a, b := find(i), find(j)
				if a != b {
					parent[max(a, b)] = min(a, b)
				}
				continue
			}
			fars[i] = append(fars[i], farEnd{from: ref, member: m.Port, peer: ep, link: lk})
		}
	}
	groups := map[int]*lagGroup{}
	var order []int
	for i, ref := range refs {
		root := find(i)
		g := groups[root]
		if g == nil {
			g = &lagGroup{}
			groups[root] = g
			order = append(order, root)
		}
		g.lags = append(g.lags, ref)
		g.far = append(g.far, fars[i]...)
	}
	var out []lagGroup
	for _, root := range order {
		g := groups[root]
		bundle := false
		for _, l := range g.lags {
			if l.lag.Protocol == "lacp" || l.lag.Protocol == "static" || l.lag.Protocol == "pagp" {
				bundle = true
			}
		}
		if bundle {
			out = append(out, *g)
		}
	}
	return out
}

func lagChoices(r *Run) []Choice {
	var out []Choice
	for _, g := range lagGroups(r) {
		out = append(out, Choice{Value: g.lags[0].key(), Label: g.label()})
	}
	return out
}

func lagAccept(r *Run, v string) (Choice, error) {
	for _, g := range lagGroups(r) {
		for _, l := range g.lags {
			if strings.EqualFold(l.key(), v) || strings.EqualFold(l.String(), v) {
				return Choice{Value: g.lags[0].key(), Label: g.label()}, nil
			}
		}
	}
	return Choice{}, fmt.Errorf("no bundle DEVICE/CHANNEL of this bundle is %s", v)
}

func (r *Run) lagGroup() (lagGroup, bool) {
	v := r.Var("lag")
	for _, g := range lagGroups(r) {
		if g.lags[0].key() == v {
			return g, true
		}
	}
	return lagGroup{}, false
}

func lagDevices(r *Run) []*netmodel.Device {
	g, ok := r.lagGroup()
	if !ok {
		return nil
	}
	var out []*netmodel.Device
	for _, l := range g.lags {
		if !slices.Contains(out, l.d) {
			out = append(out, l.d)
		}
	}
	return out
}

// lagPrefill names the bundle of an LACP finding ("kvm01 bond0",
// "sw1 bond0 ↔ sw2 bond0").
func lagPrefill(s *netmodel.Snapshot, f *netmodel.Finding) map[string]string {
	dev, lag, ok := strings.Cut(subjectParts(f.Subject)[0], " ")
	if !ok {
		return nil
	}
	return map[string]string{"lag": dev + "/" + lag}
}

func lagDescr(l *netmodel.LAG) string {
	s := l.Protocol
	if l.Mode != "" {
		s += " " + l.Mode
	}
	if l.Rate != "" {
		s += ", rate " + l.Rate
	}
	return s
}

func evalLAGMode(r *Run) Result {
	g, ok := r.lagGroup()
	if !ok {
		return skipped("no bundle chosen")
	}
	res := Result{Verdict: OK}
	var protos, modes []string
	for _, l := range g.lags {
		res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: %s, %s", l, lagDescr(l.lag), plural(len(l.lag.Members), "member")),
			Evidence: r.citeFocus(l.d.Name, l.lag.Src, l.String()+": "+lagDescr(l.lag), lagKeys...)})
		protos = append(protos, l.lag.Protocol)
		if l.lag.Protocol == "lacp" {
			modes = append(modes, l.lag.Mode)
		}
	}
	for _, f := range g.far {
		res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s %s → %s %s: no channel data for that end", f.from.d.Name, netmodel.ShortIfName(f.member), f.peer.Device, f.peer.Port),
			Evidence: r.linkEvidence(f.link, fmt.Sprintf("%s %s is cabled to %s %s", f.from.d.Name, f.member, f.peer.Device, f.peer.Port))})
	}
	switch {
	case len(g.lags) > 1 && slices.Contains(protos, "lacp") && slices.ContainsFunc(protos, func(p string) bool { return p != "lacp" }):
		res.Verdict = Fault
		res.Summary = "one end runs LACP, the other does not"
	case len(modes) > 1 && !slices.Contains(modes, "active"):
		res.Verdict = Fault
		res.Summary = "passive on every end: nobody starts LACP"
	default:
		res.Summary = "modes: " + strings.Join(protos, ", ")
		if len(modes) > 0 {
			res.Summary = "LACP " + strings.Join(modes, "/")
		}
	}
	return res
}

func evalLAGPartners(r *Run) Result {
	g, ok := r.lagGroup()
	if !ok {
		return skipped("no bundle chosen")
	}
	res := Result{Verdict: OK}
	actors := map[string]string{} // system → device
	for _, l := range g.lags {
		for _, m := range l.lag.Members {
			if m.ActorSystem != "" {
				actors[strings.ToLower(m.ActorSystem)] = l.d.Name
			}
		}
	}
	var bad []string
	for _, l := range g.lags {
		if l.lag.Protocol != "lacp" {
			continue
		}
		systems := map[string][]string{}
		var order []string
		for _, m := range l.lag.Members {
			p := strings.ToLower(m.PartnerSystem)
			who := ""
			if d := actors[p]; d != "" {
				who = " (" + d + ")"
			}
			text := fmt.Sprintf("%s %s: partner %s%s, key %d, port %d", l.d.Name, netmodel.ShortIfName(m.Port), orNone([]string{m.PartnerSystem}), who, m.PartnerKey, m.PartnerPort)
			if zeroMAC(p) {
				text = fmt.Sprintf("%s %s: no partner (no LACPDU received)", l.d.Name, netmodel.ShortIfName(m.Port))
				bad = append(bad, fmt.Sprintf("%s %s hears no LACP", l.d.Name, netmodel.ShortIfName(m.Port)))
			} else {
				if _, ok := systems[p]; !ok {
					order = append(order, p)
				}
				systems[p] = append(systems[p], netmodel.ShortIfName(m.Port))
			}
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.citeFocus(l.d.Name, m.Src, text, partnerKeys...)})
		}
		if len(order) > 1 {
			var parts []string
			for _, s := range order {
				parts = append(parts, fmt.Sprintf("%s on %s", s, strings.Join(systems[s], ", ")))
			}
			bad = append(bad, fmt.Sprintf("%s sees %d partner systems: %s", l, len(order), strings.Join(parts, "; ")))
		}
	}
	if len(res.Facts) == 0 {
		return skipped("no LACP member data")
	}
	if len(bad) > 0 {
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
	} else {
		res.Summary = "every member sees the same partner"
	}
	return res
}

func zeroMAC(s string) bool {
	return s == "" || strings.Trim(s, "0:.-") == ""
}

func evalLAGState(r *Run) Result {
	g, ok := r.lagGroup()
	if !ok {
		return skipped("no bundle chosen")
	}
	need := netmodel.LACPSync | netmodel.LACPCollecting | netmodel.LACPDistributing
	res := Result{Verdict: OK}
	var bad []string
	rates := map[string]bool{}
	for _, l := range g.lags {
		if l.lag.Protocol != "lacp" {
			continue
		}
		for _, m := range l.lag.Members {
			if !m.ActorStateKnown && !m.PartnerStateKnown {
				continue
			}
			text := fmt.Sprintf("%s %s: actor %s; partner %s", l.d.Name, netmodel.ShortIfName(m.Port), stateWords(m.ActorState, m.ActorStateKnown), stateWords(m.PartnerState, m.PartnerStateKnown))
			var miss []string
			if m.ActorStateKnown && !m.ActorState.Has(need) {
				miss = append(miss, "own state lacks "+(need&^m.ActorState).String())
			}
			if m.PartnerStateKnown && !zeroMAC(m.PartnerSystem) && !m.PartnerState.Has(need) {
				miss = append(miss, "partner lacks "+(need&^m.PartnerState).String())
			}
			if len(miss) > 0 {
				text += " — " + strings.Join(miss, ", ")
				bad = append(bad, fmt.Sprintf("%s %s out of the bundle (%s)", l.d.Name, netmodel.ShortIfName(m.Port), strings.Join(miss, ", ")))
			}
			if m.ActorStateKnown {
				rates[fmt.Sprintf("%s asks %s", l.d.Name, rate(m.ActorState))] = true
			}
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.citeFocus(l.d.Name, m.Src, text, stateKeys...)})
		}
	}
	if len(res.Facts) == 0 {
		return skipped("no LACP state bits in the bundle")
	}
	rs := sortedKeys(rates)
	fast, slow := false, false
	for _, x := range rs {
		fast = fast || strings.HasSuffix(x, "fast")
		slow = slow || strings.HasSuffix(x, "slow")
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
	case fast && slow:
		res.Verdict = Fault
		res.Summary = "rates differ: " + strings.Join(rs, ", ")
	default:
		res.Summary = "every member in sync, collecting and distributing; " + strings.Join(rs, ", ")
	}
	return res
}

func rate(s netmodel.LACPState) string {
	if s.Has(netmodel.LACPTimeout) {
		return "fast"
	}
	return "slow"
}

func stateWords(s netmodel.LACPState, known bool) string {
	if !known {
		return "not known"
	}
	return fmt.Sprintf("0x%02X %s", uint8(s), s)
}

func evalLAGCounters(r *Run) Result {
	g, ok := r.lagGroup()
	if !ok {
		return skipped("no bundle chosen")
	}
	res := Result{Verdict: OK}
	var bad, lacking []string
	for _, l := range g.lags {
		known := false
		for _, m := range l.lag.Members {
			if !m.CountersKnown {
				continue
			}
			known = true
			text := fmt.Sprintf("%s %s: LACPDUs in %d, out %d", l.d.Name, netmodel.ShortIfName(m.Port), m.PDUsIn, m.PDUsOut)
			if m.Expired+m.Defaulted+m.RxErrors > 0 {
				text += fmt.Sprintf(", partner expired %d, defaulted %d, bad PDUs %d", m.Expired, m.Defaulted, m.RxErrors)
			}
			switch {
			case m.Expired > 0 || m.Defaulted > 0:
				bad = append(bad, fmt.Sprintf("%s %s: the partner timed out %d times", l.d.Name, netmodel.ShortIfName(m.Port), m.Expired+m.Defaulted))
			case m.PDUsIn == 0 && m.PDUsOut > 0 && l.lag.Protocol == "lacp":
				bad = append(bad, fmt.Sprintf("%s %s receives no LACPDU", l.d.Name, netmodel.ShortIfName(m.Port)))
			}
			src := m.CountersSrc
			if !src.Valid() {
				src = m.Src
			}
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.cite(l.d.Name, src, text)})
		}
		if !known && l.lag.Protocol == "lacp" {
			lacking = append(lacking, l.String())
		}
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
		res.Followup = counterChecks(g)
	case len(res.Facts) > 0:
		res.Summary = "no LACPDU lost"
	default:
		return skipped("no LACPDU counters in the bundle for " + joinAnd(lacking))
	}
	if len(lacking) > 0 {
		res.Summary += "; counters of " + joinAnd(lacking) + " not collected"
	}
	return res
}

func lagPoints(r *Run) []Point {
	g, ok := r.lagGroup()
	if !ok {
		return nil
	}
	var out []Point
	for _, l := range g.lags {
		// A capture taken on the bond itself (every member's frames in one
		// file) stands for its members.
		onBond := slices.ContainsFunc(r.S.Captures, func(c *netmodel.Capture) bool {
			return c != nil && c.Device == l.d.Name && c.Interface == l.lag.Name
		})
		if onBond {
			out = append(out, Point{l.d.Name, l.lag.Name})
			continue
		}
		for _, m := range l.lag.Members {
			out = append(out, Point{l.d.Name, m.Port})
		}
	}
	return out
}

func evalLAGCapture(r *Run) Result {
	if _, ok := r.lagGroup(); !ok {
		return skipped("no bundle chosen")
	}
	if len(r.caps) == 0 {
		return Result{Verdict: Skipped, Summary: "no capture of the members"}
	}
	res := Result{Verdict: OK}
	var bad []string
	// The partner system each capture's far sender announces, per device.
	heard := map[string]map[string][]string{}
	need := netmodel.LACPSync | netmodel.LACPCollecting | netmodel.LACPDistributing
	for _, c := range r.caps {
		if len(c.LACP) == 0 {
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: no LACPDU in %d packets", capWhere(c), c.Packets),
				Evidence: []netmodel.Evidence{capEvidence(c, 1, c.Packets, "no LACPDU", "")}})
			bad = append(bad, capWhere(c)+" carries no LACPDU")
			continue
		}
		for _, l := range c.LACP {
			text := fmt.Sprintf("%s: %d LACPDUs from %s (system %s, port %d): actor %s, partner %s, %d state changes", capWhere(c), l.Count, l.Source, l.ActorSystem, l.ActorPort, l.ActorState, l.PartnerState, l.Changes)
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: []netmodel.Evidence{capEvidence(c, l.First, l.Last, text, "")}})
			if l.Changes > 0 {
				bad = append(bad, fmt.Sprintf("%s: %s changed state %d times", capWhere(c), l.Source, l.Changes))
			}
			if !l.ActorState.Has(need) {
				bad = append(bad, fmt.Sprintf("%s: %s not in sync/collecting/distributing", capWhere(c), l.ActorSystem))
			}
			if heard[c.Device] == nil {
				heard[c.Device] = map[string][]string{}
			}
			heard[c.Device][strings.ToLower(l.ActorSystem)] = append(heard[c.Device][strings.ToLower(l.ActorSystem)], c.Interface)
		}
	}
	for _, dev := range sortedKeys(heard) {
		var foreign []string
		own := ""
		if d := r.S.Device(dev); d != nil {
			for _, lag := range d.LAGs {
				for _, m := range lag.Members {
					if m.ActorSystem != "" {
						own = strings.ToLower(m.ActorSystem)
					}
				}
			}
		}
		for _, sys := range sortedKeys(heard[dev]) {
			if sys != own {
				foreign = append(foreign, fmt.Sprintf("%s on %s", sys, strings.Join(heard[dev][sys], ", ")))
			}
		}
		if len(foreign) > 1 {
			bad = append(bad, fmt.Sprintf("%s's members hear %d partner systems: %s", dev, len(foreign), strings.Join(foreign, "; ")))
		}
	}
	if len(bad) > 0 {
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
	} else {
		res.Summary = "LACPDUs steady, one partner, in sync"
	}
	return res
}

// lagConcerns: findings about a channel of the bundle (or the pair), and
// the captures of its members.
func lagConcerns(r *Run, f *netmodel.Finding) bool {
	g, ok := r.lagGroup()
	if !ok {
		return false
	}
	names := map[string]bool{}
	for _, l := range g.lags {
		names[l.String()] = true
		names[l.d.Name+" "+netmodel.ShortIfName(l.lag.Name)] = true
	}
	if strings.HasPrefix(f.ID, "CAP-") {
		for _, p := range lagPoints(r) {
			if hasPrefixWord(f.Subject, p.String()) {
				return true
			}
		}
		return false
	}
	if f.ID == diagnose.LACPTeamingMismatch {
		for _, fe := range g.far {
			if strings.HasPrefix(f.Subject, fe.peer.Device+"/") {
				return true
			}
		}
		return false
	}
	for _, part := range subjectParts(f.Subject) {
		if names[part] {
			return true
		}
	}
	return false
}

// counterChecks are what to type when LACPDUs get lost: no setting fixes
// that by itself, so watch whether the counters still rise, and look at
// what drops PDUs (CPU, link drops) on every end.
func counterChecks(g lagGroup) []Followup {
	var cmds []netmodel.Fix
	for _, l := range g.lags {
		f := netmodel.Fix{Device: l.d.Name, Platform: l.d.Platform}
		switch l.d.Platform {
		case netmodel.OVS:
			f.Commands = []string{"ovs-appctl lacp/show-stats " + l.lag.Name, "ovs-appctl bond/show " + l.lag.Name, "ovs-ofctl dump-ports-desc br0", "top -b -n 1 | head -15"}
		case netmodel.IOS, netmodel.NXOS, netmodel.EOS:
			f.Commands = []string{"clear lacp counters", "show lacp counters", "show interfaces " + l.lag.Name + " | include drops|errors", "show processes cpu sorted"}
		case netmodel.Junos:
			f.Commands = []string{"clear lacp statistics interfaces " + l.lag.Name, "show lacp statistics interfaces " + l.lag.Name, "show chassis routing-engine"}
		case netmodel.Linux:
			f.Commands = []string{"cat /proc/net/bonding/" + l.lag.Name, "ip -s link show " + l.lag.Name}
		default:
			continue
		}
		cmds = append(cmds, f)
	}
	if len(cmds) == 0 {
		return nil
	}
	return []Followup{{Title: "Watch the LACPDU counters", Expect: "the expired/defaulted counters stay still; if they rise, the link drops frames or an end's CPU is too busy to send PDUs on time (a fast rate on a loaded switch makes it worse)", Commands: cmds}}
}
