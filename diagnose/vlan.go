package diagnose

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Rule IDs of the VLAN checks.
const (
	VLANPartialUplink      = "VLAN-PARTIAL-UPLINK"
	VLANMissingAll         = "VLAN-MISSING-ALL"
	VLANAccessPortTagged   = "VLAN-ACCESS-PORT-TAGGED"
	VLANUplinkInconsistent = "VLAN-UPLINK-INCONSISTENT"
	VLANVGT                = "VLAN-VGT"
	VLANESTOnTrunk         = "VLAN-EST-ON-TRUNK"
	VLANESTAccessMismatch  = "VLAN-EST-ACCESS-MISMATCH"
	VLANUnknownUplink      = "VLAN-UNKNOWN-UPLINK"
	VLANNativeMismatch     = "VLAN-NATIVE-MISMATCH"
)

func init() {
	addRule(Rule{ID: VLANPartialUplink, Severity: netmodel.SevCritical, Title: "Port group VLAN missing on some of its uplinks",
		Summary: "A VST port group's VLAN is allowed on the trunks of some but not all of the uplinks it can use: intermittent loss under load hashing, or loss on failover.",
		Check:   checkPartial})
	addRule(Rule{ID: VLANMissingAll, Severity: netmodel.SevCritical, Title: "Port group VLAN missing on every uplink",
		Summary: "A VST port group's VLAN is allowed on none of the trunks of its usable uplinks: no connectivity.",
		Check:   checkMissingAll})
	addRule(Rule{ID: VLANAccessPortTagged, Severity: netmodel.SevCritical, Title: "Tagged port group on an access switch port",
		Summary: "A port group tags (VLAN 1-4094) but an uplink's switch port is in access mode: tagged frames are dropped.",
		Check:   checkAccessTagged})
	addRule(Rule{ID: VLANUplinkInconsistent, Severity: netmodel.SevWarning, Title: "Uplinks of one switch have differing switch-port config",
		Summary: "The switch ports of one vSwitch's uplinks differ in mode, native VLAN or allowed VLANs, even if today's port groups happen to work.",
		Check:   checkInconsistent})
	addRule(Rule{ID: VLANVGT, Severity: netmodel.SevWarning, Title: "Guest VLAN tagging (VLAN 4095)",
		Summary: "A port group with VLAN 4095 lets the guest choose its VLAN among all the trunk allows: poor visibility, VLAN hopping risk.",
		Check:   checkVGT})
	addRule(Rule{ID: VLANESTOnTrunk, Severity: netmodel.SevWarning, Title: "Untagged port group on trunk uplinks",
		Summary: "A port group with VLAN 0 (EST) sends untagged frames to trunk ports: they land in the native VLAN.",
		Check:   checkESTOnTrunk})
	addRule(Rule{ID: VLANESTAccessMismatch, Severity: netmodel.SevCritical, Title: "Access uplinks of one vSwitch in different VLANs",
		Summary: "The uplinks of a vSwitch with untagged (EST) port groups are access ports in different VLANs: a VM's VLAN depends on the uplink it uses.",
		Check:   checkESTAccessMismatch})
	addRule(Rule{ID: VLANUnknownUplink, Severity: netmodel.SevUnknown, Title: "Uplink's switch port not known",
		Summary: "The switch port of a vSwitch uplink, or its VLAN configuration, was not collected: the VLAN checks cannot judge it.",
		Check:   checkUnknownUplinks})
	addRule(Rule{ID: VLANNativeMismatch, Severity: netmodel.SevWarning, Title: "Native VLAN mismatch on a switch-to-switch link",
		Summary: "The two ends of a trunk between switches use different native VLANs: untagged traffic crosses between VLANs.",
		Check:   checkNativeMismatch})
}

// pgVerdict is the analysis of one tagged (VST) port group's uplinks.
type pgVerdict struct {
	host     *netmodel.Device
	vs       *netmodel.VSwitch
	pg       *netmodel.PortGroup
	team     netmodel.Teaming
	teamFrom string
	teamOK   bool
	carrying []*Uplink
	lacking  []*Uplink
	access   []*Uplink
	unknown  []*Uplink
}

func (v *pgVerdict) subject() string {
	return fmt.Sprintf("%s/%s/%s (VLAN %d)", v.host.Name, v.vs.Name, v.pg.Name, v.pg.VLAN)
}

// portGroups yields every port group with a known VLAN on a known vSwitch.
func (c *Context) portGroups(fn func(host *netmodel.Device, vs *netmodel.VSwitch, pg *netmodel.PortGroup)) {
	for _, h := range c.S.Devices {
		for _, pg := range h.PortGroups {
			if !pg.VLANKnown {
				continue
			}
			vs := h.VSwitch(pg.VSwitch)
			if vs == nil || len(vs.Uplinks) == 0 {
				continue
			}
			fn(h, vs, pg)
		}
	}
}

// verdicts analyses every VST port group once per run and keeps those
// with an uplink that does not plainly carry their VLAN.
func (c *Context) verdicts() []*pgVerdict {
	if c.pgDone {
		return c.pgv
	}
	c.pgDone = true
	c.portGroups(func(h *netmodel.Device, vs *netmodel.VSwitch, pg *netmodel.PortGroup) {
		if pg.VLAN < 1 || pg.VLAN > netmodel.MaxVLAN {
			return
		}
		v := pgVerdict{host: h, vs: vs, pg: pg}
		v.team, v.teamFrom, v.teamOK = teaming(h, vs, pg)
		ups := c.Uplinks(h, vs)
		// Most port groups are fine: check before building the lists.
		healthy := true
		for _, u := range ups {
			if v.role(u.NIC) != "" && !(u.Known() && !u.isAccess() && u.carries(pg.VLAN)) {
				healthy = false
				break
			}
		}
		if healthy {
			return
		}
		for _, u := range ups {
			if v.role(u.NIC) == "" {
				continue // unused by this port group
			}
			switch {
			case !u.Known():
				v.unknown = append(v.unknown, u)
			case u.isAccess():
				v.access = append(v.access, u)
			case u.carries(pg.VLAN):
				v.carrying = append(v.carrying, u)
			default:
				v.lacking = append(v.lacking, u)
			}
		}
		c.pgv = append(c.pgv, &v)
	})
	return c.pgv
}

// baseEvidence cites the port group's VLAN and its teaming policy.
func (v *pgVerdict) baseEvidence(c *Context) *evList {
	l := &evList{c: c}
	l.add(v.host.Name, v.pg.Src, fmt.Sprintf("port group %s uses VLAN %d", v.pg.Name, v.pg.VLAN))
	if v.teamOK {
		l.addFocus(v.host.Name, v.team.Src, fmt.Sprintf("teaming from the %s: active %s, standby %s", v.teamFrom, listOrNone(v.team.Active), listOrNone(v.team.Standby)), teamingKeys(v.teamFrom)...)
	}
	return l
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ",")
}

// role is "active" or "standby" for the uplinks the port group uses, "".
func (v *pgVerdict) role(nic string) string {
	for _, n := range v.team.Active {
		if n == nic {
			return "active"
		}
	}
	for _, n := range v.team.Standby {
		if n == nic {
			return "standby"
		}
	}
	return ""
}

func uplinkNames(us []*Uplink, role func(string) string) []string {
	var out []string
	for _, u := range us {
		n := u.Name()
		if role == nil {
			out = append(out, n)
			continue
		}
		if r := role(u.NIC); r != "" {
			n += " (" + r + ")"
		}
		out = append(out, n)
	}
	return out
}

// addVLANFixes adds "allowed vlan add" on each lacking port, one Fix per port.
func addVLANFixes(us []*Uplink, vlan int) []netmodel.Fix {
	var out []netmodel.Fix
	for _, u := range us {
		out = append(out, trunkAddFix(u.Switch, u.ConfigPort(), netmodel.VLANs(vlan)))
	}
	return out
}

// whenItBites explains when the missing VLAN costs traffic.
func (v *pgVerdict) whenItBites() (string, bool) {
	var lackActive, lackStandby []string
	for _, u := range v.lacking {
		if v.role(u.NIC) == "active" {
			lackActive = append(lackActive, u.NIC)
		} else {
			lackStandby = append(lackStandby, u.NIC)
		}
	}
	lb := v.team.LoadBalancing
	if !v.teamOK {
		return "The teaming policy was not collected, so every uplink is taken as active: traffic placed on " + joinAnd(lackActive) + " is lost. Collect `esxcli network vswitch standard policy failover get` and the port group's policy to know when it bites.", true
	}
	if lb == netmodel.LBExplicit && len(v.team.Active) > 0 {
		first := v.team.Active[0]
		for _, n := range lackActive {
			if n == first {
				return fmt.Sprintf("The policy is explicit failover order and %s, the first active uplink, is the one in use: the port group has no connectivity now, and regains it only if %s fails over to an uplink that carries the VLAN.", first, first), true
			}
		}
		return fmt.Sprintf("The policy is explicit failover order: %s carries the traffic today; the loss starts when a failover moves it to %s.", first, joinAnd(append(lackActive, lackStandby...))), false
	}
	if len(lackActive) > 0 {
		return fmt.Sprintf("Load balancing (%s) spreads VMs/flows over the active uplinks, so those placed on %s lose connectivity now while the others work: intermittent loss that follows VM placement, vMotion and reboots.", lbName(lb), joinAnd(lackActive)), true
	}
	return fmt.Sprintf("Only the standby %s lacks the VLAN: nothing is lost today, but the port group goes dark as soon as a failover moves it there (a link or switch failure, a switch reload during maintenance).", joinAnd(lackStandby)), false
}

func lbName(lb string) string {
	switch lb {
	case netmodel.LBPortID:
		return "route based on originating port ID"
	case netmodel.LBMACHash:
		return "route based on source MAC hash"
	case netmodel.LBIPHash:
		return "route based on IP hash"
	case netmodel.LBLoad:
		return "route based on physical NIC load"
	case netmodel.LBExplicit:
		return "explicit failover order"
	case "":
		return "unknown"
	}
	return lb
}

func checkPartial(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, v := range c.verdicts() {
		if len(v.lacking) == 0 || len(v.carrying) == 0 {
			continue
		}
		when, now := v.whenItBites()
		l := v.baseEvidence(c)
		for _, u := range v.lacking {
			u.linkEvidence(l)
			u.portEvidence(l, fmt.Sprintf("%s %s: VLAN %d not allowed", u.Switch.Name, netmodel.ShortIfName(u.ConfigPort()), v.pg.VLAN))
		}
		for _, u := range v.carrying {
			u.linkEvidence(l)
			u.portEvidence(l, fmt.Sprintf("%s %s: VLAN %d allowed", u.Switch.Name, netmodel.ShortIfName(u.ConfigPort()), v.pg.VLAN))
		}
		title := fmt.Sprintf("VLAN %d missing on %d of %d uplinks: ", v.pg.VLAN, len(v.lacking), len(v.lacking)+len(v.carrying)+len(v.access)+len(v.unknown))
		if now {
			title += "intermittent loss now"
		} else {
			title += "loss on failover"
		}
		why := fmt.Sprintf("Port group %s tags VLAN %d (VST), so every uplink it can use must carry VLAN %d on its switch port. It is allowed on %s but not on %s. %s",
			v.pg.Name, v.pg.VLAN, v.pg.VLAN, joinAnd(uplinkNames(v.carrying, v.role)), joinAnd(uplinkNames(v.lacking, v.role)), when)
		if len(v.unknown) > 0 {
			why += fmt.Sprintf(" Not judged: %s (switch port not known).", joinAnd(uplinkNames(v.unknown, v.role)))
		}
		out = append(out, netmodel.Finding{
			ID: VLANPartialUplink, Severity: netmodel.SevCritical, Title: title, Subject: v.subject(),
			Why: why, Evidence: l.out, Fix: addVLANFixes(v.lacking, v.pg.VLAN),
		})
	}
	return out
}

func checkMissingAll(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, v := range c.verdicts() {
		if len(v.lacking) == 0 || len(v.carrying) > 0 || len(v.access) > 0 {
			continue
		}
		l := v.baseEvidence(c)
		for _, u := range v.lacking {
			u.linkEvidence(l)
			u.portEvidence(l, fmt.Sprintf("%s %s: VLAN %d not allowed", u.Switch.Name, netmodel.ShortIfName(u.ConfigPort()), v.pg.VLAN))
		}
		why := fmt.Sprintf("Port group %s tags VLAN %d (VST) but none of its uplinks' switch ports allows VLAN %d (%s): its VMs and VMkernel ports have no connectivity on any uplink.",
			v.pg.Name, v.pg.VLAN, v.pg.VLAN, joinAnd(uplinkNames(v.lacking, v.role)))
		if len(v.unknown) > 0 {
			why += fmt.Sprintf(" Not judged: %s (switch port not known); if one of them carries the VLAN the loss is partial instead.", joinAnd(uplinkNames(v.unknown, v.role)))
		}
		why += fmt.Sprintf(" If VLAN %d does not exist on the switches yet, create it there too (`vlan %d`).", v.pg.VLAN, v.pg.VLAN)
		out = append(out, netmodel.Finding{
			ID: VLANMissingAll, Severity: netmodel.SevCritical,
			Title:   fmt.Sprintf("VLAN %d allowed on none of its uplinks: no connectivity", v.pg.VLAN),
			Subject: v.subject(), Why: why, Evidence: l.out, Fix: addVLANFixes(v.lacking, v.pg.VLAN),
		})
	}
	return out
}

// checkAccessTagged reports, per vSwitch, tagged port groups whose uplinks
// include access ports.
func checkAccessTagged(c *Context) []netmodel.Finding {
	type key struct {
		host *netmodel.Device
		vs   *netmodel.VSwitch
	}
	groups := map[key][]*pgVerdict{}
	var order []key
	for _, v := range c.verdicts() {
		if len(v.access) == 0 {
			continue
		}
		k := key{v.host, v.vs}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], v)
	}
	var out []netmodel.Finding
	for _, k := range order {
		vs := groups[k]
		l := &evList{c: c}
		var pgs []string
		var tagged netmodel.VLANSet
		ports := map[*Uplink]bool{}
		var portList []*Uplink
		for _, v := range vs {
			pgs = append(pgs, fmt.Sprintf("%s (VLAN %d)", v.pg.Name, v.pg.VLAN))
			tagged.Add(v.pg.VLAN)
			l.add(v.host.Name, v.pg.Src, fmt.Sprintf("port group %s tags VLAN %d", v.pg.Name, v.pg.VLAN))
			for _, u := range v.access {
				if !ports[u] {
					ports[u] = true
					portList = append(portList, u)
				}
			}
		}
		var descr []string
		var fixes []netmodel.Fix
		hasEST := false
		for _, pg := range k.host.PortGroups {
			if pg.VSwitch == k.vs.Name && pg.VLANKnown && pg.VLAN == 0 {
				hasEST = true
			}
		}
		for _, u := range portList {
			u.linkEvidence(l)
			u.portEvidence(l, fmt.Sprintf("%s %s is an access port (VLAN %d)", u.Switch.Name, netmodel.ShortIfName(u.ConfigPort()), u.Port.AccessVLAN))
			descr = append(descr, fmt.Sprintf("%s (%s, access VLAN %d)", u.Name(), u.Port.Mode, u.Port.AccessVLAN))
			allowed := tagged
			lines := []string{}
			if hasEST && u.Port.AccessVLAN > 0 {
				allowed.Add(u.Port.AccessVLAN)
				lines = append(lines, fmt.Sprintf("switchport trunk native vlan %d", u.Port.AccessVLAN))
			}
			lines = append(lines, "switchport trunk allowed vlan "+allowed.String(), "switchport mode trunk")
			fixes = append(fixes, ifFix(u.Switch, u.ConfigPort(), lines...))
		}
		verb := "tags its"
		if len(pgs) > 1 {
			verb = "tag their"
		}
		why := fmt.Sprintf("%s on %s/%s %s frames (VST), but %s: an access port drops frames tagged with another VLAN, and tagged frames of its own VLAN are not reliably accepted. Make the switch ports trunks carrying the port groups' VLANs (the recommended VST design). The other way out — setting the port groups to VLAN 0 (EST) — only works when every uplink is an access port in the same VLAN, and needs one uplink pair per VLAN.",
			joinAnd(pgs), k.host.Name, k.vs.Name, verb, joinAnd(descr))
		if hasEST {
			why += " Untagged port groups on this vSwitch keep working through the native VLAN set below."
		}
		out = append(out, netmodel.Finding{
			ID: VLANAccessPortTagged, Severity: netmodel.SevCritical,
			Title:   fmt.Sprintf("tagged port group(s) on access switch port(s): %s dropped", plural(len(vs), "port group")),
			Subject: fmt.Sprintf("%s/%s", k.host.Name, k.vs.Name), Why: why, Evidence: l.out, Fix: fixes,
		})
	}
	return out
}

// portSig is the part of a switch port's config that must match across the
// uplinks of one vSwitch.
type portSig struct {
	mode    string
	native  int
	access  int
	allowed netmodel.VLANSet
}

func sigOf(p *netmodel.SwitchPort) portSig {
	s := portSig{mode: p.Mode}
	if p.Mode == netmodel.ModeTrunk {
		s.native, s.allowed = p.NativeVLAN, p.Allowed
	} else {
		s.access = p.AccessVLAN
	}
	return s
}

func (s portSig) String() string {
	if s.mode == netmodel.ModeTrunk {
		return fmt.Sprintf("trunk, native %d, allowed %s", s.native, s.allowed)
	}
	return fmt.Sprintf("%s, VLAN %d", s.mode, s.access)
}

func checkInconsistent(c *Context) []netmodel.Finding {
	// VLANs already reported per port group, by vSwitch: differences made
	// only of those are not reported again.
	flagged := map[*netmodel.VSwitch]netmodel.VLANSet{}
	for _, v := range c.verdicts() {
		if len(v.lacking) > 0 && len(v.carrying) > 0 {
			s := flagged[v.vs]
			s.Add(v.pg.VLAN)
			flagged[v.vs] = s
		}
	}
	estMismatch := map[*netmodel.VSwitch]bool{}
	for _, f := range estAccessMismatches(c) {
		estMismatch[f.vs] = true
	}
	var out []netmodel.Finding
	for _, h := range c.S.Devices {
		for _, vs := range h.VSwitches {
			var known []*Uplink
			for _, u := range c.Uplinks(h, vs) {
				if u.Known() {
					known = append(known, u)
				}
			}
			if len(known) < 2 || estMismatch[vs] {
				continue
			}
			for _, known := range uplinkGroups(vs, known) {
				if len(known) < 2 {
					continue
				}
				sigs := make([]portSig, len(known))
				var union, inter netmodel.VLANSet
				inter = netmodel.AllVLANs()
				modes, natives, accesses := map[string]bool{}, map[int]bool{}, map[int]bool{}
				trunks := 0
				for i, u := range known {
					sigs[i] = sigOf(u.Port)
					modes[sigs[i].mode] = true
					if sigs[i].mode == netmodel.ModeTrunk {
						trunks++
						union = union.Union(sigs[i].allowed)
						inter = inter.Intersect(sigs[i].allowed)
						natives[sigs[i].native] = true
					} else {
						accesses[sigs[i].access] = true
					}
				}
				if trunks == 0 {
					inter = netmodel.VLANSet{}
				}
				diffVLANs := union.Minus(inter)
				otherDiff := len(modes) > 1 || len(natives) > 1 || len(accesses) > 1
				if !otherDiff && (diffVLANs.IsEmpty() || diffVLANs.Minus(flagged[vs]).IsEmpty()) {
					continue
				}
				l := &evList{c: c}
				var lines []string
				for i, u := range known {
					u.linkEvidence(l)
					u.portEvidence(l, fmt.Sprintf("%s: %s", u.Name(), sigs[i]))
					lines = append(lines, fmt.Sprintf("%s: %s", u.Name(), sigs[i]))
				}
				// Reference: the most common signature, ties to the first uplink.
				ref := 0
				best := 0
				for i := range sigs {
					n := 0
					for j := range sigs {
						if sigs[j].mode == sigs[i].mode && sigs[j].native == sigs[i].native && sigs[j].access == sigs[i].access {
							n++
						}
					}
					if n > best {
						ref, best = i, n
					}
				}
				var fixes []netmodel.Fix
				var diffs []string
				if len(modes) > 1 {
					diffs = append(diffs, "mode")
				}
				if len(natives) > 1 {
					diffs = append(diffs, "native VLAN")
				}
				if len(accesses) > 1 {
					diffs = append(diffs, "access VLAN")
				}
				if !diffVLANs.Minus(flagged[vs]).IsEmpty() {
					diffs = append(diffs, "allowed VLANs ("+diffVLANs.String()+" on some only)")
				}
				for i, u := range known {
					var cmds []string
					if sigs[ref].mode == netmodel.ModeTrunk {
						if sigs[i].mode != netmodel.ModeTrunk {
							cmds = append(cmds, "switchport mode trunk", fmt.Sprintf("switchport trunk native vlan %d", sigs[ref].native), "switchport trunk allowed vlan "+union.String())
						} else {
							if sigs[i].native != sigs[ref].native {
								cmds = append(cmds, fmt.Sprintf("switchport trunk native vlan %d", sigs[ref].native))
							}
							if missing := union.Minus(sigs[i].allowed); !missing.IsEmpty() {
								cmds = append(cmds, "switchport trunk allowed vlan add "+missing.String())
							}
						}
					} else if sigs[i] != sigs[ref] {
						cmds = append(cmds, "switchport mode access", fmt.Sprintf("switchport access vlan %d", sigs[ref].access))
					}
					if len(cmds) > 0 {
						fx := ifFix(u.Switch, u.ConfigPort(), cmds...)
						fx.Note = fmt.Sprintf("aligns %s with %s; check that this is the intended setting", netmodel.ShortIfName(u.ConfigPort()), known[ref].Name())
						fixes = append(fixes, fx)
					}
				}
				kind := "vSwitch"
				if vs.Kind == netmodel.DistributedVSwitch {
					kind = "distributed switch"
				}
				why := fmt.Sprintf("Every uplink of a %s must have identical switch-port config, because any port group's traffic can move to any uplink (load balancing or failover). The switch ports of %s/%s differ in %s:\n  %s\nEven if today's port groups happen to work, the next port group, VLAN change or failover will fail on some uplinks only.",
					kind, h.Name, vs.Name, joinAnd(diffs), strings.Join(lines, "\n  "))
				if len(natives) > 1 {
					why += " A differing native VLAN puts untagged frames (VLAN 0 port groups, some management traffic) in different VLANs depending on the uplink."
				}
				out = append(out, netmodel.Finding{
					ID: VLANUplinkInconsistent, Severity: netmodel.SevWarning,
					Title:   "uplink switch ports differ in " + joinAnd(diffs),
					Subject: fmt.Sprintf("%s/%s", h.Name, vs.Name), Why: why, Evidence: l.out, Fix: fixes,
				})
			}
		}
	}
	return out
}

// uplinkGroups splits the uplinks of a distributed switch whose uplinks are
// all in switch-side channels by channel: each LAG of a vDS is an uplink of
// its own to the port groups that use it, so two LAGs may carry different
// VLANs. Otherwise every uplink is in one group.
func uplinkGroups(vs *netmodel.VSwitch, known []*Uplink) [][]*Uplink {
	if vs.Kind != netmodel.DistributedVSwitch {
		return [][]*Uplink{known}
	}
	var order []string
	by := map[string][]*Uplink{}
	for _, u := range known {
		if u.Channel == "" {
			return [][]*Uplink{known}
		}
		k := u.Switch.Name + "|" + u.Channel
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], u)
	}
	out := make([][]*Uplink, 0, len(order))
	for _, k := range order {
		out = append(out, by[k])
	}
	return out
}

func checkVGT(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.portGroups(func(h *netmodel.Device, vs *netmodel.VSwitch, pg *netmodel.PortGroup) {
		if pg.VLAN != 4095 {
			return
		}
		team, from, teamOK := teaming(h, vs, pg)
		usable := map[string]bool{}
		for _, n := range team.Usable() {
			usable[n] = true
		}
		l := &evList{c: c}
		l.add(h.Name, pg.Src, fmt.Sprintf("port group %s: VLAN 4095 (guest tagging)", pg.Name))
		if teamOK {
			l.addFocus(h.Name, team.Src, "teaming ("+from+")", teamingKeys(from)...)
		}
		var union netmodel.VLANSet
		inter := netmodel.AllVLANs()
		var per, unknown []string
		n := 0
		for _, u := range c.Uplinks(h, vs) {
			if !usable[u.NIC] {
				continue
			}
			if !u.Known() {
				unknown = append(unknown, u.NIC)
				continue
			}
			u.linkEvidence(l)
			u.portEvidence(l, "")
			var reach netmodel.VLANSet
			if u.Port.Mode == netmodel.ModeTrunk {
				reach = u.Port.Allowed
			}
			union, inter = union.Union(reach), inter.Intersect(reach)
			n++
			per = append(per, fmt.Sprintf("%s: %s", u.Name(), reach))
		}
		reachText := "unknown (no uplink's switch port is known)"
		if n > 0 {
			reachText = fmt.Sprintf("%s (%s)", union, plural(union.Len(), "VLAN"))
			if inter != union {
				reachText += fmt.Sprintf("; only %s on every uplink, so what a guest reaches also depends on the uplink it lands on", inter)
			}
		}
		why := fmt.Sprintf("Port group %s uses VLAN 4095: ESXi passes the guest's own 802.1Q tags, so any VM on it picks its VLAN. Through these uplinks it can reach %s.\n  %s\nThe virtualization team cannot see which VLANs its VMs use, and a VM can join any VLAN the trunk carries (VLAN hopping) without anyone changing the port group. Keep VGT for appliances that need it (sniffers, virtual routers/firewalls) with the Promiscuous/Forged Transmits policies and the trunks pruned to what they need; otherwise use a VST port group per VLAN.",
			pg.Name, reachText, strings.Join(per, "\n  "))
		if len(unknown) > 0 {
			why += " Switch port not known for " + joinAnd(unknown) + "."
		}
		out = append(out, netmodel.Finding{
			ID: VLANVGT, Severity: netmodel.SevWarning,
			Title:   fmt.Sprintf("guest VLAN tagging: guests pick any of %s", plural(union.Len(), "VLAN")),
			Subject: fmt.Sprintf("%s/%s/%s (VLAN 4095)", h.Name, vs.Name, pg.Name), Why: why, Evidence: l.out,
			Fix: []netmodel.Fix{esxcliFix(h.Name, fmt.Sprintf("esxcli network vswitch standard portgroup set -p %s --vlan-id <VLAN>", quoteArg(pg.Name)))},
		})
		out[len(out)-1].Fix[0].Note = "if the guests do not need to tag: replace <VLAN> with the one VLAN they use (VST); if they do (a sniffer or virtual router), keep 4095 and prune the trunks to the VLANs it needs"
	})
	return out
}

func checkESTOnTrunk(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.portGroups(func(h *netmodel.Device, vs *netmodel.VSwitch, pg *netmodel.PortGroup) {
		if pg.VLAN != 0 {
			return
		}
		team, from, teamOK := teaming(h, vs, pg)
		usable := map[string]bool{}
		for _, n := range team.Usable() {
			usable[n] = true
		}
		var trunks []*Uplink
		natives := map[int]bool{}
		for _, u := range c.Uplinks(h, vs) {
			if usable[u.NIC] && u.Known() && u.Port.Mode == netmodel.ModeTrunk {
				trunks = append(trunks, u)
				natives[u.Port.NativeVLAN] = true
			}
		}
		if len(trunks) == 0 {
			return
		}
		l := &evList{c: c}
		l.add(h.Name, pg.Src, fmt.Sprintf("port group %s: VLAN 0 (untagged)", pg.Name))
		if teamOK {
			l.addFocus(h.Name, team.Src, "teaming ("+from+")", teamingKeys(from)...)
		}
		var per []string
		for _, u := range trunks {
			u.linkEvidence(l)
			u.portEvidence(l, "")
			per = append(per, fmt.Sprintf("%s: native VLAN %d", u.Name(), u.Port.NativeVLAN))
		}
		sev := netmodel.SevWarning
		var landing string
		if len(natives) == 1 {
			landing = fmt.Sprintf("VLAN %d", trunks[0].Port.NativeVLAN)
		} else {
			sev = netmodel.SevCritical
			landing = "a different VLAN depending on the uplink"
		}
		why := fmt.Sprintf("Port group %s uses VLAN 0 (EST, external switch tagging): its frames leave untagged. Its uplinks are trunk ports, so those frames land in the trunk's native VLAN — %s:\n  %s\nIt works only by accident of the native VLAN, which is often VLAN 1 or a deliberately unused VLAN; a native VLAN change on the switch silently moves these VMs. Tag the port group with the VLAN it is meant to be in (VST) and make sure the trunks allow it.",
			pg.Name, landing, strings.Join(per, "\n  "))
		fix := esxcliFix(h.Name, fmt.Sprintf("esxcli network vswitch standard portgroup set -p %s --vlan-id <VLAN>", quoteArg(pg.Name)))
		fix.Note = "<VLAN> is the VLAN these VMs belong in"
		if len(natives) == 1 {
			fix.Note += fmt.Sprintf(" (today: VLAN %d). If that is the native VLAN of the trunks, also stop sending it untagged (e.g. `vlan dot1q tag native` on IOS) or move the native VLAN to an unused one", trunks[0].Port.NativeVLAN)
		}
		out = append(out, netmodel.Finding{
			ID: VLANESTOnTrunk, Severity: sev,
			Title:   "untagged port group on trunk uplinks lands in " + landing,
			Subject: fmt.Sprintf("%s/%s/%s (VLAN 0)", h.Name, vs.Name, pg.Name), Why: why, Evidence: l.out,
			Fix: []netmodel.Fix{fix},
		})
	})
	return out
}

type estMismatch struct {
	host *netmodel.Device
	vs   *netmodel.VSwitch
	pgs  []*netmodel.PortGroup
	ups  []*Uplink
}

// estAccessMismatches finds vSwitches with untagged port groups whose
// uplinks are access ports in more than one VLAN.
func estAccessMismatches(c *Context) []estMismatch {
	var out []estMismatch
	for _, h := range c.S.Devices {
		for _, vs := range h.VSwitches {
			var pgs []*netmodel.PortGroup
			for _, pg := range h.PortGroups {
				if pg.VSwitch == vs.Name && pg.VLANKnown && pg.VLAN == 0 {
					pgs = append(pgs, pg)
				}
			}
			if len(pgs) == 0 {
				continue
			}
			var ups []*Uplink
			vlans := map[int]bool{}
			for _, u := range c.Uplinks(h, vs) {
				if u.Known() && u.isAccess() {
					ups = append(ups, u)
					vlans[u.Port.AccessVLAN] = true
				}
			}
			if len(vlans) > 1 {
				out = append(out, estMismatch{h, vs, pgs, ups})
			}
		}
	}
	return out
}

func checkESTAccessMismatch(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, m := range estAccessMismatches(c) {
		l := &evList{c: c}
		var names []string
		for _, pg := range m.pgs {
			l.add(m.host.Name, pg.Src, fmt.Sprintf("port group %s: VLAN 0 (untagged)", pg.Name))
			names = append(names, pg.Name)
		}
		count := map[int]int{}
		var per []string
		for _, u := range m.ups {
			u.linkEvidence(l)
			u.portEvidence(l, fmt.Sprintf("%s: access VLAN %d", u.Name(), u.Port.AccessVLAN))
			per = append(per, fmt.Sprintf("%s: access VLAN %d", u.Name(), u.Port.AccessVLAN))
			count[u.Port.AccessVLAN]++
		}
		ref := m.ups[0].Port.AccessVLAN
		for v, n := range count {
			if n > count[ref] || (n == count[ref] && v < ref) {
				ref = v
			}
		}
		var fixes []netmodel.Fix
		for _, u := range m.ups {
			if u.Port.AccessVLAN != ref {
				fx := ifFix(u.Switch, u.ConfigPort(), fmt.Sprintf("switchport access vlan %d", ref))
				fx.Note = fmt.Sprintf("VLAN %d is the one most uplinks use; check that it is the intended one", ref)
				fixes = append(fixes, fx)
			}
		}
		why := fmt.Sprintf("%s on %s/%s send untagged frames (EST), so each uplink's access VLAN decides their VLAN. The uplinks are access ports in different VLANs:\n  %s\nA VM is in one VLAN or the other depending on which uplink its port hashes to or fails over to: intermittent, placement-dependent loss.",
			joinAnd(names), m.host.Name, m.vs.Name, strings.Join(per, "\n  "))
		out = append(out, netmodel.Finding{
			ID: VLANESTAccessMismatch, Severity: netmodel.SevCritical,
			Title:   "untagged port groups: uplinks are access ports in different VLANs",
			Subject: fmt.Sprintf("%s/%s", m.host.Name, m.vs.Name), Why: why, Evidence: l.out, Fix: fixes,
		})
	}
	return out
}

func checkUnknownUplinks(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, h := range c.S.Devices {
		for _, vs := range h.VSwitches {
			var bad []*Uplink
			for _, u := range c.Uplinks(h, vs) {
				if !u.Known() {
					bad = append(bad, u)
				}
			}
			if len(bad) == 0 {
				continue
			}
			l := &evList{c: c}
			l.addFocus(h.Name, vs.Src, fmt.Sprintf("%s uplinks: %s", vs.Name, strings.Join(vs.Uplinks, ",")), "Uplinks")
			var probs, collect []string
			var nics []string
			for _, u := range bad {
				nics = append(nics, u.NIC)
				probs = append(probs, fmt.Sprintf("%s: %s", u.NIC, u.Problem))
				collect = append(collect, u.Collect)
				if u.Link != nil {
					u.linkEvidence(l)
				}
			}
			var pgs []string
			for _, pg := range h.PortGroups {
				if pg.VSwitch == vs.Name && pg.VLANKnown {
					pgs = append(pgs, pg.Name)
				}
			}
			affected := "the port groups on it"
			if len(pgs) > 0 {
				affected = joinAnd(pgs)
			}
			why := fmt.Sprintf("The VLAN checks cannot judge %s of %s/%s, so %s are not proven to work through it; this is not a pass.\n  %s\nTo know, collect: %s.",
				joinAnd(nics), h.Name, vs.Name, affected, strings.Join(probs, "\n  "), strings.Join(dedupe(collect), "; "))
			out = append(out, netmodel.Finding{
				ID: VLANUnknownUplink, Severity: netmodel.SevUnknown,
				Title:   fmt.Sprintf("switch port of %s not known", joinAnd(nics)),
				Subject: fmt.Sprintf("%s/%s", h.Name, vs.Name), Why: why, Evidence: l.out,
			})
		}
	}
	return out
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// l2Platform is the platform whose commands configure d's switching: a
// Linux host whose bonds, trunks and spanning tree were read from Open
// vSwitch outputs (the linux catalog collects ovs-vsctl/ovs-appctl) is an
// Open vSwitch switch, and is configured with ovs-vsctl.
func l2Platform(d *netmodel.Device) netmodel.Platform {
	if d.Platform == netmodel.Linux {
		for _, c := range d.Capabilities {
			if strings.HasPrefix(c, "ovs-") {
				return netmodel.OVS
			}
		}
	}
	return d.Platform
}

func isSwitch(p netmodel.Platform) bool {
	switch p {
	case netmodel.IOS, netmodel.NXOS, netmodel.EOS, netmodel.Junos, netmodel.OVS:
		return true
	}
	return false
}

// nativeShare is the fraction of dev's trunk ports using native VLAN n.
func nativeShare(dev *netmodel.Device, n int) float64 {
	total, same := 0, 0
	for _, p := range dev.SwitchPorts {
		if p.Mode == netmodel.ModeTrunk && p.NativeVLAN > 0 {
			total++
			if p.NativeVLAN == n {
				same++
			}
		}
	}
	if total == 0 {
		return 0
	}
	return float64(same) / float64(total)
}

func checkNativeMismatch(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.switchTrunks(func(lk *netmodel.Link, a, b trunkEnd) {
		da, pa, db, pb := a.d, a.p, b.d, b.p
		if pa.NativeVLAN == 0 || pb.NativeVLAN == 0 || pa.NativeVLAN == pb.NativeVLAN {
			return
		}
		l := &evList{c: c}
		for _, s := range lk.Seen {
			l.addFocus(s.Device, s.Src, fmt.Sprintf("%s: %s %s ↔ %s %s", s.How, da.Name, netmodel.ShortIfName(lk.A.Port), db.Name, netmodel.ShortIfName(lk.B.Port)), neighborKeys...)
		}
		l.add(da.Name, pa.NativeVLANSrc, fmt.Sprintf("%s %s: native VLAN %d", da.Name, netmodel.ShortIfName(lk.A.Port), pa.NativeVLAN))
		l.add(db.Name, pb.NativeVLANSrc, fmt.Sprintf("%s %s: native VLAN %d", db.Name, netmodel.ShortIfName(lk.B.Port), pb.NativeVLAN))
		// Change the end whose native VLAN is the odd one out on its own switch.
		fixDev, fixPort, want, other := db, lk.B.Port, pa.NativeVLAN, da
		if nativeShare(da, pa.NativeVLAN) < nativeShare(db, pb.NativeVLAN) {
			fixDev, fixPort, want, other = da, lk.A.Port, pb.NativeVLAN, db
		}
		fx := ifFix(fixDev, fixPort, fmt.Sprintf("switchport trunk native vlan %d", want))
		fx.Note = fmt.Sprintf("apply on one end only: this end's native VLAN is the odd one out on %s; matching %s instead works too", fixDev.Name, other.Name)
		why := fmt.Sprintf("%s %s sends and receives untagged frames in VLAN %d, %s %s in VLAN %d: untagged traffic (and STP BPDUs of those VLANs) crosses from one VLAN into the other. Hosts in VLAN %d on one side and VLAN %d on the other can talk when they should not, and each VLAN loses what it expects; CDP logs NATIVE_VLAN_MISMATCH, and per-VLAN STP may block or mis-converge on the link.",
			da.Name, netmodel.ShortIfName(lk.A.Port), pa.NativeVLAN, db.Name, netmodel.ShortIfName(lk.B.Port), pb.NativeVLAN, pa.NativeVLAN, pb.NativeVLAN)
		out = append(out, netmodel.Finding{
			ID: VLANNativeMismatch, Severity: netmodel.SevWarning,
			Title:   fmt.Sprintf("native VLAN %d on one end, %d on the other", pa.NativeVLAN, pb.NativeVLAN),
			Subject: fmt.Sprintf("%s %s ↔ %s %s", da.Name, netmodel.ShortIfName(lk.A.Port), db.Name, netmodel.ShortIfName(lk.B.Port)),
			Why:     why, Evidence: l.out, Fix: []netmodel.Fix{fx},
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Subject < out[j].Subject })
	return out
}
