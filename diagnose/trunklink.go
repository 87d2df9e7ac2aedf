package diagnose

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// VLANTrunkAllowedMismatch is the rule ID of the switch-to-switch allowed-set check.
const VLANTrunkAllowedMismatch = "VLAN-TRUNK-ALLOWED-MISMATCH"

func init() {
	addRule(Rule{ID: VLANTrunkAllowedMismatch, Severity: netmodel.SevWarning, Title: "Trunk between two switches allows different VLANs on each end",
		Summary: "The two ends of a switch-to-switch trunk (or channel) allow different VLAN sets: a VLAN allowed on one end only does not cross the link.",
		Check:   checkTrunkAllowedMismatch})
}

// vlanPort returns the switch port that holds the VLAN configuration of a
// link endpoint: the port-channel/bond it is a member of when that has a
// configuration, else the port itself.
func vlanPort(d *netmodel.Device, port string) (string, *netmodel.SwitchPort) {
	sp := d.SwitchPorts[port]
	if sp != nil && sp.ChannelGroup != "" {
		if cp := d.SwitchPorts[sp.ChannelGroup]; cp != nil {
			return sp.ChannelGroup, cp
		}
	}
	for _, lag := range d.LAGs {
		for _, m := range lag.Members {
			if m.Port == port {
				if cp := d.SwitchPorts[lag.Name]; cp != nil {
					return lag.Name, cp
				}
			}
		}
	}
	return port, sp
}

// vlansInUse is every VLAN a device uses on an access port or as a native VLAN.
func vlansInUse(d *netmodel.Device) netmodel.VLANSet {
	var s netmodel.VLANSet
	for _, p := range d.SwitchPorts {
		if p.Mode == netmodel.ModeAccess && p.AccessVLAN > 0 {
			s.Add(p.AccessVLAN)
		}
	}
	return s
}

// trunkEnd is one end of a switch-to-switch trunk: the device, the
// interface that holds the VLAN configuration (the channel for a member)
// and that configuration.
type trunkEnd struct {
	d    *netmodel.Device
	name string
	p    *netmodel.SwitchPort
}

// switchTrunks yields every link between two switches whose ends are both
// trunks, with the configuration of each end.
func (c *Context) switchTrunks(fn func(lk *netmodel.Link, a, b trunkEnd)) {
	for i := range c.S.Links {
		lk := &c.S.Links[i]
		da, db := c.S.Device(lk.A.Device), c.S.Device(lk.B.Device)
		if da == nil || db == nil || !isSwitch(l2Platform(da)) || !isSwitch(l2Platform(db)) {
			continue
		}
		na, pa := vlanPort(da, lk.A.Port)
		nb, pb := vlanPort(db, lk.B.Port)
		if pa == nil || pb == nil || pa.Mode != netmodel.ModeTrunk || pb.Mode != netmodel.ModeTrunk {
			continue
		}
		fn(lk, trunkEnd{da, na, pa}, trunkEnd{db, nb, pb})
	}
}

func checkTrunkAllowedMismatch(c *Context) []netmodel.Finding {
	type key struct{ da, pa, db, pb string }
	seen := map[key]bool{}
	var out []netmodel.Finding
	c.switchTrunks(func(lk *netmodel.Link, a, b trunkEnd) {
		da, na, pa, db, nb, pb := a.d, a.name, a.p, b.d, b.name, b.p
		if !pa.AllowedKnown || !pb.AllowedKnown {
			return
		}
		onlyA, onlyB := pa.Allowed.Minus(pb.Allowed), pb.Allowed.Minus(pa.Allowed)
		if onlyA.IsEmpty() && onlyB.IsEmpty() {
			return
		}
		k := key{da.Name, na, db.Name, nb}
		if seen[k] {
			return // another member link of the same channel pair
		}
		seen[k] = true
		// Every physical link of this channel pair, for the evidence.
		l := &evList{c: c}
		var links []string
		for j := range c.S.Links {
			o := &c.S.Links[j]
			if o.A.Device != da.Name || o.B.Device != db.Name {
				continue
			}
			if x, _ := vlanPort(da, o.A.Port); x != na {
				continue
			}
			if y, _ := vlanPort(db, o.B.Port); y != nb {
				continue
			}
			links = append(links, fmt.Sprintf("%s ↔ %s", netmodel.ShortIfName(o.A.Port), netmodel.ShortIfName(o.B.Port)))
			for _, s := range o.Seen {
				l.addFocus(s.Device, s.Src, fmt.Sprintf("%s: %s %s ↔ %s %s", s.How, da.Name, netmodel.ShortIfName(o.A.Port), db.Name, netmodel.ShortIfName(o.B.Port)), neighborKeys...)
			}
		}
		l.add(da.Name, pa.AllowedSrc, fmt.Sprintf("%s %s allows %s", da.Name, netmodel.ShortIfName(na), pa.Allowed))
		l.add(db.Name, pb.AllowedSrc, fmt.Sprintf("%s %s allows %s", db.Name, netmodel.ShortIfName(nb), pb.Allowed))

		var parts, used []string
		var fixes []netmodel.Fix
		if !onlyA.IsEmpty() {
			parts = append(parts, fmt.Sprintf("VLAN %s only on %s %s", onlyA, da.Name, netmodel.ShortIfName(na)))
			fixes = append(fixes, trunkAddFix(db, nb, onlyA))
			if u := onlyA.Intersect(vlansInUse(db)); !u.IsEmpty() {
				used = append(used, fmt.Sprintf("%s has access ports in VLAN %s", db.Name, u))
			}
		}
		if !onlyB.IsEmpty() {
			parts = append(parts, fmt.Sprintf("VLAN %s only on %s %s", onlyB, db.Name, netmodel.ShortIfName(nb)))
			fixes = append(fixes, trunkAddFix(da, na, onlyB))
			if u := onlyB.Intersect(vlansInUse(da)); !u.IsEmpty() {
				used = append(used, fmt.Sprintf("%s has access ports in VLAN %s", da.Name, u))
			}
		}
		sev := netmodel.SevWarning
		why := fmt.Sprintf("%s allows %s, %s allows %s: %s. Frames of a VLAN that one end sends and the other end does not allow are dropped on arrival, so that VLAN does not cross the link (over %s).",
			da.Name+" "+netmodel.ShortIfName(na), pa.Allowed, db.Name+" "+netmodel.ShortIfName(nb), pb.Allowed, strings.Join(parts, "; "), strings.Join(links, ", "))
		if len(used) > 0 {
			sev = netmodel.SevCritical
			why += " " + strings.Join(used, "; ") + ": hosts in the same VLAN on the two switches cannot reach each other."
		} else {
			why += " If the pruning is deliberate, prune the same VLANs on both ends; otherwise add them where they are missing."
		}
		for i := range fixes {
			fixes[i].Note = strings.TrimSpace(fixes[i].Note + " add only what the site needs: a VLAN allowed on one end only may have been pruned on purpose")
		}
		out = append(out, netmodel.Finding{ID: VLANTrunkAllowedMismatch, Severity: sev,
			Title:    fmt.Sprintf("trunk allows %s on one end, %s on the other", pa.Allowed, pb.Allowed),
			Subject:  fmt.Sprintf("%s %s ↔ %s %s", da.Name, netmodel.ShortIfName(na), db.Name, netmodel.ShortIfName(nb)),
			Why:      why,
			Evidence: l.out, Fix: fixes})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Subject < out[j].Subject })
	return out
}

// trunkAddFix allows more VLANs on a trunk port, in the platform's syntax.
func trunkAddFix(d *netmodel.Device, port string, vlans netmodel.VLANSet) netmodel.Fix {
	switch p := l2Platform(d); p {
	case netmodel.IOS, netmodel.NXOS, netmodel.EOS:
		return ifFix(d, port, "switchport trunk allowed vlan add "+vlans.String())
	case netmodel.Junos:
		cmds := []string{"configure"}
		for _, v := range vlans.IDs() {
			cmds = append(cmds, fmt.Sprintf("set interfaces %s unit 0 family ethernet-switching vlan members %d", port, v))
		}
		return netmodel.Fix{Device: d.Name, Platform: p, Commands: append(cmds, "commit")}
	case netmodel.OVS:
		var cmds []string
		for _, v := range vlans.IDs() {
			cmds = append(cmds, fmt.Sprintf("ovs-vsctl add port %s trunks %d", port, v))
		}
		return netmodel.Fix{Device: d.Name, Platform: p, Commands: cmds}
	case netmodel.Linux:
		var cmds []string
		for _, v := range vlans.IDs() {
			cmds = append(cmds, fmt.Sprintf("bridge vlan add dev %s vid %d", port, v))
		}
		return netmodel.Fix{Device: d.Name, Platform: p, Commands: cmds}
	}
	return ifFix(d, port, "switchport trunk allowed vlan add "+vlans.String())
}
