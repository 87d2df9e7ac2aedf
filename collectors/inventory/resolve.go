package inventory

import (
	"github.com/nettui/nettui/collectors/platform"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// finish runs the checks that need every device (duplicates, missing
// platforms, jump hosts, links, expect) and builds the resolved view.
func (c *ctx) finish(inv *Inventory, r *result) {
	if r.site.ok() {
		inv.Site = r.site.val
	}
	// Unique names, first one wins.
	byName := map[string]*draft{}
	byFold := map[string]*draft{}
	var devs []*draft
	for _, d := range r.devices {
		if !d.name.ok() {
			continue
		}
		if first := byFold[strings.ToLower(d.name.val)]; first != nil {
			if first.name.val == d.name.val {
				c.problemf(d.name.at, explainDupDevice, "device %s is defined twice (first at line %d)", d.name.val, first.name.at.line)
			} else {
				c.problemf(d.name.at, explainDupDevice, "device %s differs only in case from device %s (line %d)", d.name.val, first.name.val, first.name.at.line)
			}
			continue
		}
		byFold[strings.ToLower(d.name.val)] = d
		byName[d.name.val] = d
		devs = append(devs, d)
	}
	names := make([]string, len(devs))
	for i, d := range devs {
		names[i] = d.name.val
	}

	// Jump hosts name devices of the inventory.
	for _, d := range devs {
		if !d.jump.ok() {
			continue
		}
		if d.jump.val == d.name.val {
			c.problemf(d.jump.at, explainJumpLoop, "device %s names itself as its jump host", d.name.val)
			d.jump.bad = true
			continue
		}
		if byName[d.jump.val] == nil {
			c.problemf(d.jump.at, explainJump, "jump %q is not a device of this inventory%s", d.jump.val, didYouMean(d.jump.val, names))
			d.jump.bad = true
		}
	}
	// No loops: follow each chain; a loop is reported once, at the first
	// of its devices in file order.
	reported := map[string]bool{}
	for _, d := range devs {
		seen := []string{d.name.val}
		for cur := d; cur.jump.ok(); {
			next := byName[cur.jump.val]
			if i := slices.Index(seen, next.name.val); i >= 0 {
				loop := append(slices.Clone(seen[i:]), next.name.val)
				key := loopKey(seen[i:])
				if !reported[key] {
					reported[key] = true
					first := byName[minByLine(seen[i:], byName)]
					c.problemf(first.jump.at, explainJumpLoop, "jump hosts loop: %s", strings.Join(loop, " → "))
				}
				for _, n := range seen[i:] {
					byName[n].jump.bad = true
				}
				break
			}
			seen = append(seen, next.name.val)
			cur = next
		}
	}

	platforms := explainNoPlat + validPlatforms() + "."
	for _, d := range devs {
		if !d.platform.set {
			msg, explain := "device %s has no platform", platforms
			if r.noPlatform != "" {
				msg, explain = r.noPlatform, r.noPlatformExplain
			}
			c.problemf(d.name.at, explain, msg, d.name.val)
		}
		if !d.platform.ok() {
			continue
		}
		dev := Device{
			Name:     d.name.val,
			Platform: netmodel.Platform(d.platform.val),
			Tags:     d.tags,
			Line:     d.name.at.line,
		}
		if d.host.ok() {
			dev.Host = d.host.val
		}
		if d.port.ok() {
			dev.Port, _ = strconv.Atoi(d.port.val)
		}
		if d.user.ok() {
			dev.User = d.user.val
		}
		if d.jump.ok() {
			dev.Jump = d.jump.val
		}
		dev.CaptureSudo = d.captureSudo
		if d.commands != nil {
			def, err := platform.Get(dev.Platform)
			for i, line := range d.commands {
				if err != nil {
					break
				}
				if _, merr := def.Match(line); merr != nil {
					c.problemf(d.commandAts[i], explainCommands, "command %q is not one nettui may send to %s", line, dev.Platform)
					continue
				}
				dev.Commands = append(dev.Commands, line)
			}
		}
		dev.Site = inv.Site
		if d.site.ok() {
			dev.Site = d.site.val
		}
		inv.Devices = append(inv.Devices, dev)
	}

	// A device whose jump host was left out (its problem is reported)
	// cannot be reached: leave it out too, down the chain.
	kept := map[string]bool{}
	for _, d := range inv.Devices {
		kept[d.Name] = true
	}
	for changed := true; changed; {
		changed = false
		for _, d := range inv.Devices {
			if kept[d.Name] && d.Jump != "" && !kept[d.Jump] {
				kept[d.Name], changed = false, true
			}
		}
	}
	inv.Devices = slices.DeleteFunc(inv.Devices, func(d Device) bool { return !kept[d.Name] })

	// Links join devices of the inventory, each port at most once.
	used := map[netmodel.Endpoint]pos{}
	for _, l := range r.links {
		good := true
		var eps [2]netmodel.Endpoint
		for i, e := range l.ends {
			d := byName[e.dev]
			if d == nil {
				c.problemf(e.at, explainLink, "link end %s:%s: %q is not a device of this inventory%s", e.dev, e.port, e.dev, didYouMean(e.dev, names))
				good = false
				continue
			}
			eps[i] = netmodel.Endpoint{Device: e.dev, Port: e.port}
			key := netmodel.Endpoint{Device: e.dev, Port: netmodel.CanonicalIfName(netmodel.Platform(d.platform.val), e.port)}
			if first, dup := used[key]; dup {
				c.problemf(e.at, explainLinkDup, "interface %s:%s is already in the link at line %d", e.dev, e.port, first.line)
				good = false
				continue
			}
			used[key] = e.at
		}
		// A link to a device left out for its problems is left out too.
		if good && kept[eps[0].Device] && kept[eps[1].Device] {
			inv.Links = append(inv.Links, eps)
		}
	}

	for _, e := range r.expect {
		switch e.key {
		case "stp_root":
			if len(e.vals) != 1 {
				c.problemf(e.at, explainExpect, "stp_root names one device, not %d", len(e.vals))
				continue
			}
			if byName[e.vals[0]] == nil {
				c.problemf(e.ats[0], explainExpect, "stp_root %q is not a device of this inventory%s", e.vals[0], didYouMean(e.vals[0], names))
				continue
			}
			if !kept[e.vals[0]] {
				continue // its device has problems, reported
			}
		case "site_subnets":
			good := true
			for i, v := range e.vals {
				if p, err := netip.ParsePrefix(v); err != nil || p.Masked() != p {
					c.problemf(e.ats[i], explainExpect, "site_subnets: %q is not a prefix (like 10.20.0.0/16)", v)
					good = false
				}
			}
			if !good {
				continue
			}
		}
		if inv.Expect == nil {
			inv.Expect = map[string]string{}
		}
		inv.Expect[e.key] = strings.Join(e.vals, ",")
	}
}

func loopKey(names []string) string {
	s := slices.Clone(names)
	slices.Sort(s)
	return strings.Join(s, "\x00")
}

func minByLine(names []string, byName map[string]*draft) string {
	best := names[0]
	for _, n := range names[1:] {
		if byName[n].name.at.line < byName[best].name.at.line {
			best = n
		}
	}
	return best
}
