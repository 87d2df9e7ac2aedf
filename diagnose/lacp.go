package diagnose

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Rule IDs of the LACP checks.
const (
	LACPNotForwarding   = "LACP-MEMBER-NOT-FORWARDING"
	LACPDefaulted       = "LACP-PARTNER-NOT-LACP"
	LACPPartnerSplit    = "LACP-PARTNER-SPLIT"
	LACPBothPassive     = "LACP-BOTH-PASSIVE"
	LACPRateMismatch    = "LACP-RATE-MISMATCH"
	LACPSpeedMismatch   = "LACP-SPEED-MISMATCH"
	LACPAggregatorSplit = "LACP-AGGREGATOR-SPLIT"
)

func init() {
	addRule(Rule{ID: LACPNotForwarding, Severity: netmodel.SevCritical, Title: "LACP member not in sync, collecting or distributing",
		Summary: "A member whose actor or partner state lacks synchronization, collecting or distributing carries no traffic in the bundle.",
		Check:   checkLACPNotForwarding})
	addRule(Rule{ID: LACPDefaulted, Severity: netmodel.SevCritical, Title: "The other end is not speaking LACP",
		Summary: "A member is defaulted or expired, or sees no partner: no LACPDUs arrive from the other end.",
		Check:   checkLACPDefaulted})
	addRule(Rule{ID: LACPPartnerSplit, Severity: netmodel.SevCritical, Title: "Members of one bundle see different partners",
		Summary: "The members are cabled to two switches that are not one stack, virtual chassis or MLAG pair: the bundle splits.",
		Check:   checkLACPPartnerSplit})
	addRule(Rule{ID: LACPBothPassive, Severity: netmodel.SevCritical, Title: "LACP passive on both ends",
		Summary: "Two passive ends never start the negotiation: the bundle does not form.",
		Check:   checkLACPBothPassive})
	addRule(Rule{ID: LACPRateMismatch, Severity: netmodel.SevWarning, Title: "LACP rate fast on one end, slow on the other",
		Summary: "One end expects a LACPDU every second, the other sends one every 30 s: failures are detected at the slow rate, and some platforms flap.",
		Check:   checkLACPRate})
	addRule(Rule{ID: LACPSpeedMismatch, Severity: netmodel.SevWarning, Title: "Members of one bundle at different speeds or duplex",
		Summary: "Members that differ in speed or duplex cannot aggregate: some stay out of the bundle or it balances badly.",
		Check:   checkLACPSpeed})
	addRule(Rule{ID: LACPAggregatorSplit, Severity: netmodel.SevWarning, Title: "Bond members in different aggregators",
		Summary: "Linux bonding put the members in different aggregator IDs: only the active aggregator's members carry traffic.",
		Check:   checkLACPAggregator})
}

// lacpLAGs yields every LACP LAG and its members whose states are known.
func (c *Context) lacpLAGs(fn func(d *netmodel.Device, lag *netmodel.LAG)) {
	for _, d := range c.S.Devices {
		for _, lag := range d.LAGs {
			if lag.Protocol == "lacp" {
				fn(d, lag)
			}
		}
	}
}

func lagEvidence(l *evList, d *netmodel.Device, lag *netmodel.LAG, members []*netmodel.LAGMember, note func(*netmodel.LAGMember) string) {
	l.add(d.Name, lag.Src, fmt.Sprintf("%s %s", d.Name, lag.Name))
	for _, m := range members {
		l.add(d.Name, m.Src, note(m))
	}
}

func memberNames(ms []*netmodel.LAGMember) []string {
	var out []string
	for _, m := range ms {
		out = append(out, netmodel.ShortIfName(m.Port))
	}
	return out
}

// lagFix gives the commands that set LACP mode/rate on a LAG's members.
func lagFix(d *netmodel.Device, lag *netmodel.LAG, members []*netmodel.LAGMember, what string) netmodel.Fix {
	p := l2Platform(d)
	f := netmodel.Fix{Device: d.Name, Platform: p}
	num := strings.TrimLeft(lag.Name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
	switch p {
	case netmodel.IOS, netmodel.NXOS, netmodel.EOS:
		f.Commands = []string{"configure terminal"}
		for _, m := range members {
			f.Commands = append(f.Commands, "interface "+m.Port)
			switch what {
			case "active":
				f.Commands = append(f.Commands, " channel-group "+num+" mode active")
			case "fast":
				f.Commands = append(f.Commands, " lacp rate fast")
			}
		}
		f.Commands = append(f.Commands, "end")
	case netmodel.Junos:
		f.Commands = []string{"configure"}
		switch what {
		case "active":
			f.Commands = append(f.Commands, "set interfaces "+lag.Name+" aggregated-ether-options lacp active")
		case "fast":
			f.Commands = append(f.Commands, "set interfaces "+lag.Name+" aggregated-ether-options lacp periodic fast")
		}
		f.Commands = append(f.Commands, "commit")
	case netmodel.OVS:
		switch what {
		case "active":
			f.Commands = []string{"ovs-vsctl set port " + lag.Name + " lacp=active"}
		case "fast":
			f.Commands = []string{"ovs-vsctl set port " + lag.Name + " other_config:lacp-time=fast"}
		}
	case netmodel.Linux:
		switch what {
		case "fast":
			f.Commands = []string{"ip link set " + lag.Name + " down", "ip link set " + lag.Name + " type bond lacp_rate fast", "ip link set " + lag.Name + " up"}
		case "active":
			f.Commands = []string{"# Linux 802.3ad bonds are always active; check the other end"}
		}
	default:
		f.Commands = []string{"set LACP " + what + " on " + lag.Name}
		f.Note = "the configuration syntax for " + platformName(p) + " is not known to nettui"
	}
	return f
}

// notForwarding lists the members of lag whose own or partner state lacks
// sync, collecting or distributing, with what each lacks.
func notForwarding(d *netmodel.Device, lag *netmodel.LAG) (bad []*netmodel.LAGMember, why []string) {
	need := netmodel.LACPSync | netmodel.LACPCollecting | netmodel.LACPDistributing
	for _, m := range lag.Members {
		if notLACPPartner(m) {
			continue // LACP-PARTNER-NOT-LACP says it
		}
		var miss []string
		if m.ActorStateKnown && !m.ActorState.Has(need) {
			miss = append(miss, fmt.Sprintf("%s's own state lacks %s", d.Name, (need&^m.ActorState).String()))
		}
		if m.PartnerStateKnown && !m.PartnerState.Has(need) {
			miss = append(miss, fmt.Sprintf("the partner's state lacks %s", (need&^m.PartnerState).String()))
		}
		if len(miss) == 0 {
			continue
		}
		bad = append(bad, m)
		why = append(why, fmt.Sprintf("%s %s: %s (actor %s; partner %s)", d.Name, netmodel.ShortIfName(m.Port), strings.Join(miss, ", "), stateText(m.ActorState, m.ActorStateKnown), stateText(m.PartnerState, m.PartnerStateKnown)))
	}
	return bad, why
}

func checkLACPNotForwarding(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.onceByPair(func(p lagPair) {
		if c.split(p.lag) || c.split(p.plag) {
			return // LACP-PARTNER-SPLIT: the members facing the other switch cannot bundle
		}
		bad, why := notForwarding(p.d, p.lag)
		var farBad []*netmodel.LAGMember
		if p.plag != nil && p.plag.Protocol == "lacp" {
			linked := map[*netmodel.LAGMember]bool{}
			for _, m := range c.peerMembers(p.d, p.lag.Members, p.pd, p.plag) {
				linked[m] = true
			}
			fb, fw := notForwarding(p.pd, p.plag)
			for i, m := range fb {
				if linked[m] {
					farBad = append(farBad, m)
					why = append(why, fw[i])
				}
			}
		}
		if len(bad)+len(farBad) == 0 {
			return
		}
		note := func(m *netmodel.LAGMember) string { return netmodel.ShortIfName(m.Port) + " LACP state" }
		ev := c.pairEvidence(p, bad, note)
		if len(farBad) > 0 {
			l := &evList{c: c, out: ev}
			lagEvidence(l, p.pd, p.plag, farBad, note)
			ev = l.out
		}
		names := memberNames(bad)
		on := p.lag.Name
		if len(bad) == 0 {
			names, on = memberNames(farBad), p.plag.Name
		}
		out = append(out, netmodel.Finding{ID: LACPNotForwarding, Severity: netmodel.SevCritical,
			Title:   fmt.Sprintf("%s of %s not forwarding in the bundle", joinAnd(names), on),
			Subject: p.subject(),
			Why: fmt.Sprintf("A member carries traffic only when both ends have it in sync, collecting and distributing.\n  %s\nOut of sync usually means the two ends disagree on the aggregation (different keys: the member is in another channel-group on the other end, or cabled to another bundle), or that LACPDUs are lost under load.",
				strings.Join(why, "\n  ")),
			Evidence: ev})
	})
	return out
}

func stateText(s netmodel.LACPState, known bool) string {
	if !known {
		return "not collected"
	}
	return s.String()
}

func zeroMAC(s string) bool {
	return s == "" || strings.Trim(s, "0:.-") == ""
}

// notLACPPartner reports a member that hears no LACP from the other end.
func notLACPPartner(m *netmodel.LAGMember) bool {
	return (m.ActorStateKnown && (m.ActorState.Has(netmodel.LACPDefaulted) || m.ActorState.Has(netmodel.LACPExpired))) ||
		(m.PartnerStateKnown && zeroMAC(m.PartnerSystem) && m.PartnerSystem != "")
}

func defaultedMembers(lag *netmodel.LAG) []*netmodel.LAGMember {
	var bad []*netmodel.LAGMember
	for _, m := range lag.Members {
		if notLACPPartner(m) {
			bad = append(bad, m)
		}
	}
	return bad
}

func checkLACPDefaulted(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.onceByPair(func(p lagPair) {
		if bothPassive(p) {
			return // LACP-BOTH-PASSIVE: the cause of the silence
		}
		for _, end := range p.ends() {
			bad := defaultedMembers(end.lag)
			if len(bad) == 0 {
				continue
			}
			note := func(m *netmodel.LAGMember) string {
				return fmt.Sprintf("%s: actor %s, partner %s", netmodel.ShortIfName(m.Port), m.ActorState, orStr(m.PartnerSystem, "none"))
			}
			why := fmt.Sprintf("%s uses default partner information (defaulted/expired, or a zero partner system ID) on %s: no LACPDUs arrive. The other end is a static channel (mode on), a plain port, an ESXi standard vSwitch (which cannot run LACP), or LACP is off there. Make both ends LACP (or both static), then check that LACPDUs arrive (`ether proto 0x8809`).",
				end.d.Name, joinAnd(memberNames(bad)))
			if end.plag != nil && end.plag.Protocol != "lacp" {
				why += fmt.Sprintf(" The far end, %s %s, is collected and runs %s.", end.pd.Name, end.plag.Name, orStr(end.plag.Protocol, "no LACP")+orStr(" ("+end.plag.Mode+")", ""))
			}
			out = append(out, netmodel.Finding{ID: LACPDefaulted, Severity: netmodel.SevCritical,
				Title:    fmt.Sprintf("%s of %s hear no LACP from the other end", joinAnd(memberNames(bad)), end.lag.Name),
				Subject:  end.d.Name + " " + end.lag.Name,
				Why:      why,
				Evidence: c.pairEvidence(end, bad, note), Fix: c.defaultedFix(end.d, end.lag, bad)})
			return // one end's silence is the fault; the other end's view adds nothing
		}
	})
	return out
}

// ends returns the pair seen from each end that runs LACP (this end first).
func (p lagPair) ends() []lagPair {
	out := []lagPair{p}
	if p.plag != nil && p.plag.Protocol == "lacp" {
		out = append(out, lagPair{d: p.pd, lag: p.plag, pd: p.d, plag: p.lag})
	}
	return out
}

// bothPassive reports an aggregation passive on both ends: from the partner
// state one end received, or from both ends' own states when both were
// collected.
func bothPassive(p lagPair) bool {
	return len(passiveMembers(p)) > 0
}

func passiveMembers(p lagPair) []*netmodel.LAGMember {
	var bad []*netmodel.LAGMember
	farPassive := p.plag != nil && p.plag.Protocol == "lacp" && p.plag.Mode == "passive"
	for _, m := range p.lag.Members {
		if !m.ActorStateKnown || m.ActorState.Has(netmodel.LACPActivity) {
			continue
		}
		heard := m.PartnerStateKnown && !zeroMAC(m.PartnerSystem) && !m.ActorState.Has(netmodel.LACPDefaulted)
		if (heard && !m.PartnerState.Has(netmodel.LACPActivity)) || farPassive {
			bad = append(bad, m)
		}
	}
	return bad
}

func checkLACPPartnerSplit(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.lacpLAGs(func(d *netmodel.Device, lag *netmodel.LAG) {
		by := map[string][]*netmodel.LAGMember{}
		var keys []string
		for _, m := range lag.Members {
			if zeroMAC(m.PartnerSystem) {
				continue
			}
			k := strings.ToLower(m.PartnerSystem)
			if _, ok := by[k]; !ok {
				keys = append(keys, k)
			}
			by[k] = append(by[k], m)
		}
		if len(keys) < 2 {
			return
		}
		sort.Strings(keys)
		var parts []string
		var all []*netmodel.LAGMember
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s → %s", joinAnd(memberNames(by[k])), k))
			all = append(all, by[k]...)
		}
		l := &evList{c: c}
		lagEvidence(l, d, lag, all, func(m *netmodel.LAGMember) string {
			return fmt.Sprintf("%s: partner system %s", netmodel.ShortIfName(m.Port), m.PartnerSystem)
		})
		// The far ends, where collected: each switch's own view of its member.
		for _, m := range all {
			if pd, pl, pm := c.farMember(d, m.Port); pm != nil {
				lagEvidence(l, pd, pl, []*netmodel.LAGMember{pm}, func(x *netmodel.LAGMember) string {
					return fmt.Sprintf("%s %s ↔ %s %s: %s", pd.Name, netmodel.ShortIfName(x.Port), d.Name, netmodel.ShortIfName(m.Port), orStr(x.Status, "member"))
				})
			}
		}
		out = append(out, netmodel.Finding{ID: LACPPartnerSplit, Severity: netmodel.SevCritical,
			Title:   fmt.Sprintf("%s members see %d different partner systems", lag.Name, len(keys)),
			Subject: d.Name + " " + lag.Name,
			Why: fmt.Sprintf("Every member of one LACP bundle must reach the same partner system. Here: %s. The members are cabled to two switches that do not act as one (no stack, virtual chassis or MLAG/vPC), so only the members facing one of them can be in the bundle; the others are suspended or, with static channels, loop and flap MAC addresses. Cable all members to one switch or stack, or configure MLAG/vPC on the pair.",
				strings.Join(parts, "; ")),
			Evidence: l.out, Fix: splitFix(d, lag)})
	})
	return out
}

func checkLACPBothPassive(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.onceByPair(func(p lagPair) {
		bad := passiveMembers(p)
		if len(bad) == 0 {
			return
		}
		note := func(m *netmodel.LAGMember) string {
			return fmt.Sprintf("%s: actor %s, partner %s", netmodel.ShortIfName(m.Port), m.ActorState, m.PartnerState)
		}
		fixes := []netmodel.Fix{lagFix(p.d, p.lag, bad, "active")}
		if p.plag != nil {
			if pm := c.peerMembers(p.d, bad, p.pd, p.plag); len(pm) > 0 {
				fixes = append(fixes, lagFix(p.pd, p.plag, pm, "active"))
			}
		}
		out = append(out, netmodel.Finding{ID: LACPBothPassive, Severity: netmodel.SevCritical,
			Title:    "LACP passive on both ends of " + p.lag.Name,
			Subject:  p.subject(),
			Why:      "Neither end has the LACP activity bit: a passive end only answers LACPDUs, so two passive ends never start the negotiation and the bundle stays down. Make at least one end active (usually both).",
			Evidence: c.pairEvidence(p, bad, note), Fix: fixes})
	})
	return out
}

func rateMismatch(lag *netmodel.LAG) []*netmodel.LAGMember {
	var bad []*netmodel.LAGMember
	for _, m := range lag.Members {
		if m.ActorStateKnown && m.PartnerStateKnown && !zeroMAC(m.PartnerSystem) && !notLACPPartner(m) &&
			m.ActorState.Has(netmodel.LACPTimeout) != m.PartnerState.Has(netmodel.LACPTimeout) {
			bad = append(bad, m)
		}
	}
	return bad
}

func checkLACPRate(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.onceByPair(func(p lagPair) {
		for _, end := range p.ends() {
			bad := rateMismatch(end.lag)
			if len(bad) == 0 {
				continue
			}
			note := func(m *netmodel.LAGMember) string {
				return fmt.Sprintf("%s: actor %s, partner %s", netmodel.ShortIfName(m.Port), rateWord(m.ActorState), rateWord(m.PartnerState))
			}
			// Fix the slow end: the one whose own state lacks the timeout bit.
			fixes := []netmodel.Fix{}
			if !bad[0].ActorState.Has(netmodel.LACPTimeout) {
				fixes = append(fixes, lagFix(end.d, end.lag, bad, "fast"))
			} else if end.plag != nil {
				if pm := c.peerMembers(end.d, bad, end.pd, end.plag); len(pm) > 0 {
					fixes = append(fixes, lagFix(end.pd, end.plag, pm, "fast"))
				}
			} else {
				fixes = append(fixes, netmodel.Fix{Device: "(far end of " + end.d.Name + " " + end.lag.Name + ")",
					Commands: []string{"lacp rate fast   # on each member of the far end's channel"}, Note: "the far end was not collected"})
			}
			out = append(out, netmodel.Finding{ID: LACPRateMismatch, Severity: netmodel.SevWarning,
				Title:    "LACP rate differs between the ends of " + end.lag.Name,
				Subject:  end.subject(),
				Why:      fmt.Sprintf("On %s one end uses the fast rate (a LACPDU every second, a member dropped after 3 s of silence) and the other the slow rate (every 30 s, 90 s): a failed link is noticed late in one direction, and platforms that expect fast PDUs time out members under load. Use the same rate on both ends (fast, where both support it).", joinAnd(memberNames(bad))),
				Evidence: c.pairEvidence(end, bad, note), Fix: fixes})
			return
		}
	})
	return out
}

func rateWord(s netmodel.LACPState) string {
	if s.Has(netmodel.LACPTimeout) {
		return "fast"
	}
	return "slow"
}

func checkLACPSpeed(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		for _, lag := range d.LAGs {
			kinds := map[string][]*netmodel.LAGMember{}
			var keys []string
			for _, m := range lag.Members {
				if m.SpeedMbps == 0 {
					continue
				}
				k := fmt.Sprintf("%d Mb/s %s", m.SpeedMbps, m.Duplex)
				if _, ok := kinds[k]; !ok {
					keys = append(keys, k)
				}
				kinds[k] = append(kinds[k], m)
			}
			if len(keys) < 2 {
				continue
			}
			var parts []string
			var all []*netmodel.LAGMember
			for _, k := range keys {
				parts = append(parts, joinAnd(memberNames(kinds[k]))+": "+k)
				all = append(all, kinds[k]...)
			}
			l := &evList{c: c}
			lagEvidence(l, d, lag, all, func(m *netmodel.LAGMember) string {
				return fmt.Sprintf("%s: %d Mb/s %s", netmodel.ShortIfName(m.Port), m.SpeedMbps, m.Duplex)
			})
			out = append(out, netmodel.Finding{ID: LACPSpeedMismatch, Severity: netmodel.SevWarning,
				Title:    lag.Name + " members differ in speed/duplex",
				Subject:  d.Name + " " + lag.Name,
				Why:      "Members of one aggregation must run at the same speed and duplex: " + strings.Join(parts, "; ") + ". The slower ones are left out of the bundle (or, on some platforms, the whole bundle balances at the slower rate). Check the cabling, optics and autonegotiation of the odd member.",
				Evidence: l.out})
		}
	}
	return out
}

func checkLACPAggregator(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		for _, lag := range d.LAGs {
			if c.split(lag) {
				continue // LACP-PARTNER-SPLIT: different partners put the members in different aggregators
			}
			ids := map[int][]*netmodel.LAGMember{}
			var keys []int
			for _, m := range lag.Members {
				if m.AggregatorID == 0 {
					continue
				}
				if _, ok := ids[m.AggregatorID]; !ok {
					keys = append(keys, m.AggregatorID)
				}
				ids[m.AggregatorID] = append(ids[m.AggregatorID], m)
			}
			if len(keys) < 2 {
				continue
			}
			sort.Ints(keys)
			var parts []string
			var all []*netmodel.LAGMember
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("aggregator %d: %s", k, joinAnd(memberNames(ids[k]))))
				all = append(all, ids[k]...)
			}
			l := &evList{c: c}
			lagEvidence(l, d, lag, all, func(m *netmodel.LAGMember) string {
				return fmt.Sprintf("%s: aggregator %d", netmodel.ShortIfName(m.Port), m.AggregatorID)
			})
			out = append(out, netmodel.Finding{ID: LACPAggregatorSplit, Severity: netmodel.SevWarning,
				Title:    fmt.Sprintf("%s members in %d aggregators", lag.Name, len(keys)),
				Subject:  d.Name + " " + lag.Name,
				Why:      "The bonding driver grouped the members into different aggregators (" + strings.Join(parts, "; ") + "): only the active aggregator carries traffic, the others wait. Members land in different aggregators when their partners (system ID or key) or their speed/duplex differ — see the partner of each member.",
				Evidence: l.out})
		}
	}
	return out
}

// splitFix is the interim fix for a bundle split across two independent
// switches: a teaming mode that needs nothing from the switches, until they
// are stacked or paired (MLAG/vPC).
func splitFix(d *netmodel.Device, lag *netmodel.LAG) []netmodel.Fix {
	note := "until the two switches are one stack, virtual chassis or MLAG/vPC pair: active-backup needs no switch support; remove the channel on the switch ports too"
	switch p := l2Platform(d); p {
	case netmodel.OVS:
		return []netmodel.Fix{{Device: d.Name, Platform: p, Note: note,
			Commands: []string{"ovs-vsctl set port " + lag.Name + " lacp=off bond_mode=active-backup"}}}
	case netmodel.Linux:
		return []netmodel.Fix{{Device: d.Name, Platform: p, Note: note + "; make it persistent in the host's network configuration",
			Commands: []string{"ip link set " + lag.Name + " down", "ip link set " + lag.Name + " type bond mode active-backup", "ip link set " + lag.Name + " up"}}}
	}
	return nil
}

// defaultedFix makes the far end of each silent member speak LACP, in the far
// end's terms when it is known (collected, or named by CDP/LLDP).
func (c *Context) defaultedFix(d *netmodel.Device, lag *netmodel.LAG, bad []*netmodel.LAGMember) []netmodel.Fix {
	var out []netmodel.Fix
	for _, m := range bad {
		ep, _, ok := c.S.Peer(d.Name, m.Port)
		if !ok {
			out = append(out, netmodel.Fix{Device: d.Name, Platform: l2Platform(d),
				Commands: []string{"show lldp neighbors", "show cdp neighbors"},
				Note:     fmt.Sprintf("nettui does not know what %s is cabled to: find the far end and enable LACP (active) on it, in the same bundle as the ports facing the other members", netmodel.ShortIfName(m.Port))})
			continue
		}
		pd := c.S.Device(ep.Device)
		if pd == nil {
			out = append(out, netmodel.Fix{Device: ep.Device,
				Commands: []string{fmt.Sprintf("enable LACP (active) on %s, in the bundle of the ports facing %s %s", ep.Port, d.Name, lag.Name)},
				Note:     ep.Device + " was not collected: its syntax is not known"})
			continue
		}
		var plag *netmodel.LAG
		for _, pl := range pd.LAGs {
			for _, pm := range pl.Members {
				if pm.Port == ep.Port {
					plag = pl
				}
			}
		}
		pp := l2Platform(pd)
		f := netmodel.Fix{Device: pd.Name, Platform: pp}
		num := strings.TrimLeft(lag.Name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
		switch pp {
		case netmodel.ESXi:
			dvs := "the distributed switch"
			for _, vs := range pd.VSwitches {
				if slices.Contains(vs.Uplinks, ep.Port) {
					dvs = vs.Name
				}
			}
			f.Commands = []string{fmt.Sprintf("vSphere Client > Networking > %s > Configure > LACP: add %s (%s) to a port of the LAG its other members use", dvs, ep.Port, pd.Name),
				"then, in the port groups' teaming and failover, keep that LAG the only active uplink"}
			f.Note = "a vDS LAG is configured in vCenter, not with esxcli; a standard vSwitch cannot run LACP (use a static channel, mode on, with IP-hash teaming)"
		case netmodel.OVS:
			name := ep.Port
			if plag != nil {
				name = plag.Name
			}
			f.Commands = []string{"ovs-vsctl set port " + name + " lacp=active"}
		case netmodel.IOS, netmodel.NXOS, netmodel.EOS:
			if plag != nil {
				num = strings.TrimLeft(plag.Name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
			}
			f = ifFix(pd, ep.Port, "channel-group "+num+" mode active")
		case netmodel.Linux:
			name := "BOND"
			if plag != nil {
				name = plag.Name
			}
			f.Commands = []string{"ip link set " + name + " down", "ip link set " + name + " type bond mode 802.3ad", "ip link set " + name + " up"}
			f.Note = fmt.Sprintf("%s must be a member of an 802.3ad bond; make it persistent in the host's network configuration", ep.Port)
		case netmodel.Junos:
			f.Commands = []string{"configure", fmt.Sprintf("set interfaces %s ether-options 802.3ad AE", ep.Port), "set interfaces AE aggregated-ether-options lacp active", "commit"}
			f.Note = "AE is the aggregated interface of the other members"
		default:
			f.Commands = []string{fmt.Sprintf("enable LACP (active) on %s", ep.Port)}
			f.Note = "the configuration syntax for " + platformName(pp) + " is not known to nettui"
		}
		dup := false
		for _, o := range out {
			dup = dup || (o.Device == f.Device && slices.Equal(o.Commands, f.Commands))
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}
