package diagnose

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nettui/nettui/internal/netmodel"
)

// Rule IDs of the capture checks.
const (
	CapVLANUnexpected = "CAP-VLAN-UNEXPECTED"
	CapVLANNotSeen    = "CAP-VLAN-NOT-SEEN"
	CapLACPStopped    = "CAP-LACP-STOPPED"
	CapLACPChanged    = "CAP-LACP-CHANGED"
	CapBPDUOnEdge     = "CAP-BPDU-ON-EDGE"
	CapBPDURoot       = "CAP-BPDU-ROOT"
	CapESPOneWay      = "CAP-ESP-ONE-WAY"
	CapIKENoAnswer    = "CAP-IKE-NO-ANSWER"
	CapIKENoProposal  = "CAP-IKE-NO-PROPOSAL"
	CapFragNeeded     = "CAP-FRAG-NEEDED"
)

func init() {
	addRule(Rule{ID: CapVLANUnexpected, Severity: netmodel.SevWarning, Title: "Tagged frames in VLANs the trunk does not carry",
		Summary: "The capture shows frames tagged with VLANs the switch port of that link does not allow: they are dropped at the switch.", Check: checkCapVLANUnexpected})
	addRule(Rule{ID: CapVLANNotSeen, Severity: netmodel.SevInfo, Title: "Expected VLAN never seen on an uplink",
		Summary: "A port group's VLAN that should use this uplink had no frame in the capture.", Check: checkCapVLANNotSeen})
	addRule(Rule{ID: CapLACPStopped, Severity: netmodel.SevCritical, Title: "LACPDUs stopped",
		Summary: "LACPDUs from a partner stopped during the capture, for longer than the LACP timeout: the member drops out of the bundle.", Check: checkCapLACPStopped})
	addRule(Rule{ID: CapLACPChanged, Severity: netmodel.SevWarning, Title: "LACP partner state changed during the capture",
		Summary: "The actor or partner state in the LACPDUs changed during the capture (a member leaving or joining the bundle).", Check: checkCapLACPChanged})
	addRule(Rule{ID: CapBPDUOnEdge, Severity: netmodel.SevCritical, Title: "BPDUs from behind a host-facing port",
		Summary: "BPDUs from a bridge other than the switch arrive on a port facing a host: something behind the host (a VM bridging two vNICs, a second switch) takes part in spanning tree.", Check: checkCapBPDUOnEdge})
	addRule(Rule{ID: CapBPDURoot, Severity: netmodel.SevCritical, Title: "BPDUs name another root than the expected one",
		Summary: "The root bridge ID in the BPDUs on the wire is not the bridge bundle.yaml expects as root.", Check: checkCapBPDURoot})
	addRule(Rule{ID: CapESPOneWay, Severity: netmodel.SevCritical, Title: "ESP in one direction only",
		Summary: "ESP flows from one peer to the other and nothing comes back during the capture.", Check: checkCapESPOneWay})
	addRule(Rule{ID: CapIKENoAnswer, Severity: netmodel.SevCritical, Title: "IKE requests without answers",
		Summary: "IKE requests to a peer got no response in the capture: UDP 500/4500 blocked on the path, the peer down, or the peer not configured for this address.", Check: checkCapIKENoAnswer})
	addRule(Rule{ID: CapIKENoProposal, Severity: netmodel.SevCritical, Title: "IKE peer answered NO_PROPOSAL_CHOSEN",
		Summary: "The responder rejected every proposal (or the DH group) in an unencrypted IKE_SA_INIT/phase-1 reply.", Check: checkCapIKENoProposal})
	addRule(Rule{ID: CapFragNeeded, Severity: netmodel.SevWarning, Title: "Packets too big for the tunnel path",
		Summary: "ICMP fragmentation-needed / packet-too-big messages, or ESP packets near the 1500-byte MTU: large transfers stall or fragment.", Check: checkCapFragNeeded})
}

// capEv cites packets of a capture.
func capEv(c *netmodel.Capture, first, last uint64, text, note string) netmodel.Evidence {
	if last < first {
		last = first
	}
	return netmodel.Evidence{Device: orStr(c.Device, "capture"), File: c.File, Start: int(first), End: int(last), Text: text, Note: note}
}

// capWhere names a capture's place: "esx01 vmnic2" or its file.
func capWhere(c *netmodel.Capture) string {
	if c.Device != "" && c.Interface != "" {
		return c.Device + " " + c.Interface
	}
	return c.File
}

// capSwitchPort finds the switch port a capture's interface is cabled to,
// or the interface itself when the capture was taken on a switch.
func (c *Context) capSwitchPort(cp *netmodel.Capture) (*netmodel.Device, string, *netmodel.SwitchPort) {
	if cp.Device == "" || cp.Interface == "" {
		return nil, "", nil
	}
	d := c.S.Device(cp.Device)
	if d != nil && isSwitch(l2Platform(d)) {
		name, sp := vlanPort(d, netmodel.CanonicalIfName(d.Platform, cp.Interface))
		return d, name, sp
	}
	ep, _, ok := c.S.Peer(cp.Device, cp.Interface)
	if !ok {
		return nil, "", nil
	}
	sw := c.S.Device(ep.Device)
	if sw == nil {
		return nil, "", nil
	}
	name, sp := vlanPort(sw, ep.Port)
	return sw, name, sp
}

func checkCapVLANUnexpected(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		sw, port, sp := c.capSwitchPort(cp)
		if sp == nil || sp.Mode != netmodel.ModeTrunk || !sp.AllowedKnown {
			continue
		}
		var bad []int
		for v := range cp.VLANs {
			if v != 0 && !sp.Allowed.Has(int(v)) {
				bad = append(bad, int(v))
			}
		}
		if len(bad) == 0 {
			continue
		}
		sort.Ints(bad)
		set := netmodel.VLANs(bad...)
		var ev []netmodel.Evidence
		for _, v := range bad {
			ev = append(ev, capEv(cp, cp.FirstVLAN[uint16(v)], cp.FirstVLAN[uint16(v)], fmt.Sprintf("%d frames tagged VLAN %d", cp.VLANs[uint16(v)], v), "first frame of the VLAN"))
		}
		l := &evList{c: c, out: ev}
		l.add(sw.Name, sp.AllowedSrc, fmt.Sprintf("%s %s allows %s", sw.Name, netmodel.ShortIfName(port), sp.Allowed))
		out = append(out, netmodel.Finding{ID: CapVLANUnexpected, Severity: netmodel.SevWarning,
			Title:   fmt.Sprintf("frames tagged VLAN %s on %s, not allowed on %s %s", set, capWhere(cp), sw.Name, netmodel.ShortIfName(port)),
			Subject: capWhere(cp),
			Why: fmt.Sprintf("The capture on %s shows frames tagged with VLAN %s, which %s %s does not allow (%s): the switch drops them, so whatever sends in those VLANs over this link has no connectivity. Either the port group/guest uses a wrong VLAN, or the trunk lacks the VLAN.",
				capWhere(cp), set, sw.Name, netmodel.ShortIfName(port), sp.Allowed),
			Evidence: l.out, Fix: []netmodel.Fix{trunkAddFix(sw, port, set)}})
	}
	return out
}

func checkCapVLANNotSeen(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		if cp.Duration < 30*time.Second || cp.Device == "" {
			continue // a short capture proves nothing about a quiet VLAN
		}
		h := c.S.Device(cp.Device)
		if h == nil || h.Platform != netmodel.ESXi {
			continue
		}
		want := map[int][]string{}
		for _, vs := range h.VSwitches {
			if !slices.Contains(vs.Uplinks, cp.Interface) {
				continue
			}
			for _, pg := range h.PortGroups {
				if pg.VSwitch == vs.Name && pg.VLANKnown && pg.VLAN > 0 && pg.VLAN < 4095 {
					want[pg.VLAN] = append(want[pg.VLAN], pg.Name)
				}
			}
		}
		var missing []int
		for v := range want {
			if cp.VLANs[uint16(v)] == 0 {
				missing = append(missing, v)
			}
		}
		if len(missing) == 0 {
			continue
		}
		sort.Ints(missing)
		var parts []string
		for _, v := range missing {
			parts = append(parts, fmt.Sprintf("VLAN %d (%s)", v, strings.Join(want[v], ", ")))
		}
		out = append(out, netmodel.Finding{ID: CapVLANNotSeen, Severity: netmodel.SevInfo,
			Title:   fmt.Sprintf("%s: no frame in %s during %s", capWhere(cp), joinAnd(parts), cp.Duration.Round(time.Second)),
			Subject: capWhere(cp),
			Why: fmt.Sprintf("Port groups on the vSwitch of %s use %s, but none of their frames crossed %s in %s of capture. With load balancing their VMs may simply use the other uplinks; if this uplink is their only active one, or they should be busy, check the switch trunk and the VMs.",
				cp.Interface, joinAnd(parts), cp.Interface, cp.Duration.Round(time.Second)),
			Evidence: []netmodel.Evidence{capEv(cp, 1, cp.Packets, fmt.Sprintf("%d frames, VLANs seen: %s", cp.Packets, seenVLANs(cp)), "")},
			Fix:      []netmodel.Fix{esxcliFix(h.Name, "esxcli network vswitch standard portgroup policy failover get -p PORTGROUP   # is this uplink active for it?")}})
	}
	return out
}

func seenVLANs(cp *netmodel.Capture) string {
	var vs []int
	for v := range cp.VLANs {
		vs = append(vs, int(v))
	}
	if len(vs) == 0 {
		return "none"
	}
	sort.Ints(vs)
	var out []string
	for _, v := range vs {
		if v == 0 {
			out = append(out, "untagged")
			continue
		}
		out = append(out, fmt.Sprint(v))
	}
	return strings.Join(out, ",")
}

// lacpTimeout is how long a partner may stay silent: 3 PDUs of its rate.
func lacpTimeout(s netmodel.LACPState) time.Duration {
	if s.Has(netmodel.LACPTimeout) {
		return 3 * time.Second
	}
	return 90 * time.Second
}

func checkCapLACPStopped(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		for _, l := range cp.LACP {
			silent := cp.Duration - l.LastAt
			if l.Count == 0 || silent <= lacpTimeout(l.ActorState) {
				continue
			}
			out = append(out, netmodel.Finding{ID: CapLACPStopped, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("LACPDUs from %s stopped %s before the end of the capture on %s", l.ActorSystem, silent.Round(time.Second), capWhere(cp)),
				Subject: capWhere(cp) + " " + l.Source,
				Why: fmt.Sprintf("%s (system %s, port %d) sent %d LACPDUs, the last one %s before the capture ended, longer than its LACP timeout (%s at the %s rate). Its partner has expired it: the member is out of the bundle. LACP was turned off or the port reconfigured on that side, the link is dropping frames, or its CPU is too busy to send PDUs.",
					l.Source, l.ActorSystem, l.ActorPort, l.Count, silent.Round(time.Second), lacpTimeout(l.ActorState), rateWord(l.ActorState)),
				Evidence: []netmodel.Evidence{capEv(cp, l.Last, l.Last, fmt.Sprintf("last LACPDU from %s: actor %s, partner %s", l.Source, l.ActorState, l.PartnerState), "")},
				Fix:      []netmodel.Fix{{Device: "(the sender, " + l.ActorSystem + ")", Commands: []string{"show lacp counters", "show lacp neighbor detail"}, Note: "check on the device that stopped sending: LACP still on, no errors on the port, CPU not saturated"}}})
		}
	}
	return out
}

func checkCapLACPChanged(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	need := netmodel.LACPSync | netmodel.LACPCollecting | netmodel.LACPDistributing
	for _, cp := range c.S.Captures {
		// The senders of one capture are the two ends of the same link:
		// one finding for the capture.
		var whys, who []string
		var ev []netmodel.Evidence
		down := false
		for _, l := range cp.LACP {
			if l.Changes == 0 {
				continue
			}
			last := fmt.Sprintf("actor %s, partner %s", l.ActorState, l.PartnerState)
			why := fmt.Sprintf("%s (system %s port %d) changed state %d times", l.Source, l.ActorSystem, l.ActorPort, l.Changes)
			if l.Down > 0 {
				why += fmt.Sprintf("; %d of its %d LACPDUs showed the member out of the bundle, the first at packet %d", l.Down, l.Count, l.FirstDown)
			}
			if !l.ActorState.Has(need) || !l.PartnerState.Has(need) {
				down = true
				why += "; not forwarding at the end (" + last + ")"
			}
			whys = append(whys, why)
			who = append(who, l.Source)
			ev = append(ev, capEv(cp, l.First, l.Last, fmt.Sprintf("%d LACPDUs from %s, %d state changes; last: %s", l.Count, l.Source, l.Changes, last), ""))
		}
		if len(whys) == 0 {
			continue
		}
		end := " The member is back in the bundle at the end: it flapped, and traffic hashed to it was lost while it was out."
		if down {
			end = " The member is out of the bundle at the end of the capture."
		}
		out = append(out, netmodel.Finding{ID: CapLACPChanged, Severity: netmodel.SevWarning,
			Title:    fmt.Sprintf("LACP state changed during the capture on %s", capWhere(cp)),
			Subject:  capWhere(cp),
			Why:      "The LACPDUs on this link changed state: " + strings.Join(whys, ". ") + "." + end + " Look for link flaps, LACPDU timeouts and a mismatched LACP rate on both ends.",
			Evidence: ev,
			Fix:      []netmodel.Fix{{Device: "(both ends of the link)", Commands: []string{"show lacp counters", "show logging | include LACP|LINK"}, Note: "the counters and the log say when and why the member left the bundle"}}})
	}
	return out
}

// bridgeMACs are the bridge MACs of a device's spanning-tree instances.
func bridgeMACs(d *netmodel.Device) map[string]bool {
	out := map[string]bool{}
	if d == nil {
		return out
	}
	for _, b := range d.STP {
		if b.BridgeMAC != "" {
			out[strings.ToLower(b.BridgeMAC)] = true
		}
	}
	return out
}

func checkCapBPDUOnEdge(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		sw, port, _ := c.capSwitchPort(cp)
		if sw == nil {
			continue
		}
		own := bridgeMACs(sw)
		if len(own) == 0 {
			continue // the switch's bridge ID was not collected: whose BPDU is whose is unknown
		}
		hostFacing := false
		if d := c.S.Device(cp.Device); d != nil && d.Platform == netmodel.ESXi {
			hostFacing = true
		}
		if ep, _, ok := c.S.Peer(sw.Name, port); ok {
			if pd := c.S.Device(ep.Device); pd != nil && pd.Platform == netmodel.ESXi {
				hostFacing = true
			}
		}
		if !hostFacing {
			continue
		}
		for _, b := range cp.BPDU {
			if own[strings.ToLower(b.BridgeMAC)] || zeroMAC(b.BridgeMAC) {
				continue
			}
			out = append(out, netmodel.Finding{ID: CapBPDUOnEdge, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("BPDUs from bridge %d/%s behind %s", b.BridgePrio, b.BridgeMAC, capWhere(cp)),
				Subject: capWhere(cp) + " " + b.BridgeMAC,
				Why: fmt.Sprintf("%d %s BPDUs on %s come from bridge %d/%s, which is not %s (the switch of this host-facing port). A vSwitch never sends BPDUs: a VM bridging two vNICs, or a switch plugged in behind the host, takes part in spanning tree through this port — it can become root or make the switch block the host. Find it by its MAC, and make the switch port drop such BPDUs (BPDU guard).",
					b.Count, b.Version, capWhere(cp), b.BridgePrio, b.BridgeMAC, sw.Name),
				Evidence: []netmodel.Evidence{capEv(cp, b.First, b.Last, fmt.Sprintf("%d BPDUs from %s: root %d/%s, bridge %d/%s", b.Count, b.Source, b.RootPriority, b.RootMAC, b.BridgePrio, b.BridgeMAC), "")},
				Fix:      []netmodel.Fix{ifFix(sw, port, "spanning-tree bpduguard enable")}})
		}
	}
	return out
}

func checkCapBPDURoot(c *Context) []netmodel.Finding {
	want := c.S.Expect["stp_root"]
	if want == "" {
		return nil
	}
	root := c.S.FindDevice(want)
	macs := bridgeMACs(root)
	if len(macs) == 0 {
		return nil
	}
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		// One finding per root named on the capture's link, citing every
		// bridge whose BPDUs name it.
		type rootKey struct {
			prio int
			mac  string
		}
		var roots []rootKey
		senders := map[rootKey][]netmodel.CapBPDU{}
		for _, b := range cp.BPDU {
			if macs[strings.ToLower(b.RootMAC)] {
				continue
			}
			k := rootKey{b.RootPriority, strings.ToLower(b.RootMAC)}
			if senders[k] == nil {
				roots = append(roots, k)
			}
			senders[k] = append(senders[k], b)
		}
		for _, k := range roots {
			var from []string
			var ev []netmodel.Evidence
			for _, b := range senders[k] {
				from = append(from, b.Source)
				ev = append(ev, capEv(cp, b.First, b.Last, fmt.Sprintf("%d BPDUs: root %d/%s, cost %d, bridge %d/%s", b.Count, b.RootPriority, b.RootMAC, b.RootCost, b.BridgePrio, b.BridgeMAC), ""))
			}
			b := senders[k][0]
			out = append(out, netmodel.Finding{ID: CapBPDURoot, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("BPDUs on %s name root %d/%s, not %s", capWhere(cp), b.RootPriority, b.RootMAC, root.Name),
				Subject: capWhere(cp) + " root " + b.RootMAC,
				Why: fmt.Sprintf("bundle.yaml expects %s as the root bridge; the BPDUs on the wire (from %s) say the root is %d/%s. Traffic follows the tree towards that bridge. Lower %s's priority below every other bridge.",
					root.Name, joinAnd(from), b.RootPriority, b.RootMAC, root.Name),
				Evidence: ev,
				Fix:      []netmodel.Fix{rootPriorityFix(root, &netmodel.STPBridge{Mode: b.Version})}})
		}
	}
	return out
}

func checkCapESPOneWay(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		back := map[[2]netip.Addr]bool{}
		for _, e := range cp.ESP {
			back[[2]netip.Addr{e.Src, e.Dst}] = true
		}
		seen := map[[2]netip.Addr]bool{}
		for _, e := range cp.ESP {
			k := [2]netip.Addr{e.Src, e.Dst}
			if e.Packets < 5 || back[[2]netip.Addr{e.Dst, e.Src}] || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, netmodel.Finding{ID: CapESPOneWay, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("ESP %s → %s only (SPI 0x%08x), nothing back", e.Src, e.Dst, e.SPI),
				Subject: capWhere(cp) + " " + e.Src.String() + " → " + e.Dst.String(),
				Why: fmt.Sprintf("%d ESP packets went from %s to %s (SPI 0x%08x, up to sequence %d) and none came back in the capture. The far end drops them (its SA for this SPI is gone or never installed: a stale SPI after a rekey), cannot route the return traffic into the tunnel, or ESP (IP protocol 50) is blocked on the way back; with NAT in the path, ESP must run in UDP 4500 (NAT-T).",
					e.Packets, e.Src, e.Dst, e.SPI, e.LastSeq),
				Evidence: []netmodel.Evidence{capEv(cp, e.First, e.Last, fmt.Sprintf("ESP %s → %s SPI 0x%08x: %d packets, last seq %d", e.Src, e.Dst, e.SPI, e.Packets, e.LastSeq), "")},
				Fix:      []netmodel.Fix{{Device: "(the peer " + e.Dst.String() + ")", Commands: []string{"show crypto ipsec sa peer " + e.Src.String(), "show security ipsec security-associations", "swanctl --list-sas"}, Note: fmt.Sprintf("look for inbound SPI 0x%08x on the peer; if it is missing, clear the tunnel there so both ends rekey; if present, check its route back into the tunnel and ESP on the path", e.SPI)}}})
		}
	}
	return out
}

func checkCapIKENoAnswer(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		for _, k := range cp.IKE {
			if k.Requests == 0 || k.Responses > 0 {
				continue
			}
			port := "500"
			if k.NATT {
				port = "4500"
			}
			out = append(out, netmodel.Finding{ID: CapIKENoAnswer, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("%d IKE requests from %s to %s, no answer", k.Requests, k.Initiator, k.Responder),
				Subject: capWhere(cp) + " " + k.Initiator.String() + " → " + k.Responder.String(),
				Why: fmt.Sprintf("%s sent %d IKEv%d requests (SPI %016x) to %s on UDP %s and got no response in the capture. UDP 500/4500 is blocked on the path, %s is down or unreachable, or it has no configuration for %s (a wrong peer address or local identity makes some peers drop the request silently).",
					k.Initiator, k.Requests, k.Version, k.InitiatorSPI, k.Responder, port, k.Responder, k.Initiator),
				Evidence: []netmodel.Evidence{capEv(cp, k.First, k.Last, fmt.Sprintf("IKEv%d %s → %s: %d requests, 0 responses", k.Version, k.Initiator, k.Responder, k.Requests), "")},
				Fix:      []netmodel.Fix{{Device: "(the path to " + k.Responder.String() + ")", Commands: []string{"permit udp any host " + k.Responder.String() + " eq 500", "permit udp any host " + k.Responder.String() + " eq 4500", "permit esp any host " + k.Responder.String()}, Note: "on the firewalls between the peers; then check the peer's configuration for " + k.Initiator.String()}}})
		}
	}
	return out
}

func checkCapIKENoProposal(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		for _, k := range cp.IKE {
			var bad []string
			for _, n := range k.Notifies {
				if n == "NO_PROPOSAL_CHOSEN" || n == "INVALID_KE_PAYLOAD" {
					bad = append(bad, n)
				}
			}
			if len(bad) == 0 {
				continue
			}
			why := fmt.Sprintf("%s answered %s's IKE_SA_INIT with %s.", k.Responder, k.Initiator, strings.Join(bad, " and "))
			if slices.Contains(bad, "NO_PROPOSAL_CHOSEN") {
				why += " None of the offered encryption/integrity/PRF/DH combinations is configured on the responder: the two proposals must share at least one transform of each kind."
			}
			if slices.Contains(bad, "INVALID_KE_PAYLOAD") {
				why += " INVALID_KE_PAYLOAD alone is normal once (the initiator retries with the group the responder names); repeated, the DH groups do not match."
			}
			out = append(out, netmodel.Finding{ID: CapIKENoProposal, Severity: netmodel.SevCritical,
				Title:    fmt.Sprintf("%s answered %s to %s", k.Responder, strings.Join(bad, ", "), k.Initiator),
				Subject:  capWhere(cp) + " " + k.Initiator.String() + " ↔ " + k.Responder.String(),
				Why:      why,
				Evidence: []netmodel.Evidence{capEv(cp, k.NotifyAt, k.NotifyAt, fmt.Sprintf("IKEv%d response from %s: notify %s", k.Version, k.Responder, strings.Join(bad, ", ")), "")},
				Fix:      []netmodel.Fix{{Device: "(both peers)", Commands: []string{"show crypto ikev2 proposal", "show security ike proposal", "swanctl --list-conns"}, Note: "compare the IKE proposals of both ends (the IPSEC-PROPOSAL-MISMATCH finding does it when both configurations are collected) and configure one common proposal"}}})
		}
	}
	return out
}

func checkCapFragNeeded(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, cp := range c.S.Captures {
		if len(cp.FragNeeded) == 0 && cp.BigESP == 0 {
			continue
		}
		var ev []netmodel.Evidence
		var parts []string
		for i, f := range cp.FragNeeded {
			if i < 5 {
				ev = append(ev, capEv(cp, f.At, f.At, fmt.Sprintf("ICMP fragmentation needed from %s to %s, MTU %d", f.From, f.To, f.MTU), ""))
			}
		}
		if len(cp.FragNeeded) > 0 {
			parts = append(parts, fmt.Sprintf("%d ICMP fragmentation-needed/packet-too-big messages (next-hop MTU %d)", len(cp.FragNeeded), cp.FragNeeded[0].MTU))
		}
		if cp.BigESP > 0 {
			parts = append(parts, fmt.Sprintf("%d ESP packets over %d bytes", cp.BigESP, netmodel.BigESPBytes))
			ev = append(ev, capEv(cp, cp.BigESPAt, cp.BigESPAt, fmt.Sprintf("first ESP packet over %d bytes", netmodel.BigESPBytes), ""))
		}
		out = append(out, netmodel.Finding{ID: CapFragNeeded, Severity: netmodel.SevWarning,
			Title:   "packets too big for the tunnel path on " + capWhere(cp),
			Subject: capWhere(cp),
			Why: fmt.Sprintf("The capture shows %s. IPsec adds 50-80 bytes to every packet: full-size packets no longer fit a 1500-byte path, so they are fragmented after encryption or dropped where DF is set and the ICMP is filtered (small transfers work, large ones stall). Clamp the TCP MSS on the tunnel (about 1360) and let path-MTU discovery work (permit ICMP type 3 code 4).",
				joinAnd(parts)),
			Evidence: ev,
			Fix: []netmodel.Fix{
				{Device: "(the tunnel endpoint, Cisco IOS)", Platform: netmodel.IOS, Commands: []string{"configure terminal", "interface Tunnel0", " ip tcp adjust-mss 1360", "end"}},
				{Device: "(the tunnel endpoint, Juniper SRX)", Platform: netmodel.Junos, Commands: []string{"configure", "set security flow tcp-mss ipsec-vpn mss 1360", "commit"}},
				{Device: "(the tunnel endpoint, Linux)", Platform: netmodel.Linux, Commands: []string{"iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu"}},
			}})
	}
	return out
}
