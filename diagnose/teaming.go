package diagnose

import (
	"fmt"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// LACPTeamingMismatch is the rule ID for ESXi teaming that does not match
// the switch's channel configuration.
const LACPTeamingMismatch = "LACP-ESXI-TEAMING-MISMATCH"

func init() {
	addRule(Rule{ID: LACPTeamingMismatch, Severity: netmodel.SevCritical, Title: "ESXi teaming does not match the switch channel",
		Summary: "IP-hash teaming needs a static channel (a standard vSwitch cannot run LACP); port-ID/MAC-hash teaming must face plain ports, not a channel.",
		Check:   checkTeamingVsChannel})
}

// channelOf returns the LAG a switch port belongs to, and its protocol
// ("" when not known).
func channelOf(sw *netmodel.Device, p *netmodel.SwitchPort) (name, proto string) {
	name = p.ChannelGroup
	for _, lag := range sw.LAGs {
		for _, m := range lag.Members {
			if m.Port == p.Name {
				return lag.Name, lag.Protocol
			}
		}
		if name != "" && netmodel.SameIf(sw.Platform, lag.Name, name) {
			return lag.Name, lag.Protocol
		}
	}
	return name, ""
}

func checkTeamingVsChannel(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, h := range c.S.Devices {
		for _, vs := range h.VSwitches {
			if vs.Kind != netmodel.StandardVSwitch || !vs.Teaming.Known {
				continue
			}
			lb := vs.Teaming.LoadBalancing
			var inChan, plain, lacp []*Uplink
			for _, u := range c.Uplinks(h, vs) {
				if u.Port == nil {
					continue
				}
				name, proto := channelOf(u.Switch, u.Port)
				switch {
				case name == "":
					plain = append(plain, u)
				case proto == "lacp":
					lacp = append(lacp, u)
					inChan = append(inChan, u)
				default:
					inChan = append(inChan, u)
				}
			}
			var why string
			var fixes []netmodel.Fix
			var cited []*Uplink
			switch {
			case lb == netmodel.LBIPHash && len(lacp) > 0:
				cited = lacp
				why = fmt.Sprintf("%s/%s uses route based on IP hash, which needs its uplinks in one static EtherChannel (mode on) — a standard vSwitch cannot run LACP. %s are in an LACP channel: the switch waits for LACPDUs that never come, so the members stay individual/suspended (or, with LACP fallback, forward independently and flap MAC addresses).",
					h.Name, vs.Name, joinAnd(uplinkNames(lacp, nil)))
				for _, u := range lacp {
					name, _ := channelOf(u.Switch, u.Port)
					fixes = append(fixes, ifFix(u.Switch, u.Peer.Port, "channel-group "+strings.TrimLeft(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")+" mode on"))
				}
			case lb == netmodel.LBIPHash && len(plain) > 0 && len(plain)+len(inChan) > 1:
				cited = plain
				why = fmt.Sprintf("%s/%s uses route based on IP hash: one VM's flows leave on several uplinks, so its MAC address appears on several switch ports. %s are plain ports, not one static EtherChannel: the switch sees the MAC flap between them and drops or misdelivers return traffic. Bundle all the vSwitch's uplinks in one static channel (mode on), or use route based on originating port ID.",
					h.Name, vs.Name, joinAnd(uplinkNames(plain, nil)))
			case lb != netmodel.LBIPHash && len(inChan) > 0:
				cited = inChan
				why = fmt.Sprintf("%s/%s uses %s teaming, which expects independent switch ports, but %s are in a channel: the switch hashes return traffic to any member, including uplinks the vSwitch does not expect it on, so frames are dropped (a vSwitch discards frames for a VM arriving on another uplink than the VM's). Use IP-hash teaming with a static channel, or remove the channel.",
					h.Name, vs.Name, lbName(lb), joinAnd(uplinkNames(inChan, nil)))
			default:
				continue
			}
			l := &evList{c: c}
			l.addFocus(h.Name, vs.Teaming.Src, "teaming: "+lbName(lb), teamingKeys("vSwitch policy")...)
			for _, u := range cited {
				u.linkEvidence(l)
				if u.Port.ModeSrc.Valid() {
					l.add(u.Switch.Name, u.Port.ModeSrc, "")
				}
			}
			out = append(out, netmodel.Finding{ID: LACPTeamingMismatch, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("%s teaming on %s/%s does not match the switch ports", lbName(lb), h.Name, vs.Name),
				Subject: h.Name + "/" + vs.Name, Why: why, Evidence: l.out, Fix: fixes})
		}
	}
	return out
}
