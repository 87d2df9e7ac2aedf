package diagnose

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Rule IDs of the IPsec checks.
const (
	IPsecSelectorMismatch  = "IPSEC-SELECTOR-MISMATCH"
	IPsecSelectorMissing   = "IPSEC-SELECTOR-NOT-INSTALLED"
	IPsecIKENoChild        = "IPSEC-IKE-NO-CHILD"
	IPsecSelectorExplosion = "IPSEC-SELECTOR-EXPLOSION"
	IPsecProposalMismatch  = "IPSEC-PROPOSAL-MISMATCH"
	IPsecPFSMismatch       = "IPSEC-PFS-MISMATCH"
	IPsecWeakCrypto        = "IPSEC-WEAK-CRYPTO"
	IPsecNoPFS             = "IPSEC-NO-PFS"
	IPsecAggressivePSK     = "IPSEC-AGGRESSIVE-PSK"
	IPsecLifetimeOrder     = "IPSEC-LIFETIME-ORDER"
	IPsecWeakPSK           = "IPSEC-WEAK-PSK"
	IPsecPSKReuse          = "IPSEC-PSK-REUSE"
	IPsecOneWay            = "IPSEC-ONE-WAY"
	IPsecStaleSPI          = "IPSEC-STALE-SPI"
	IPsecExpiring          = "IPSEC-SA-EXPIRING"
)

func init() {
	addRule(Rule{ID: IPsecSelectorMismatch, Severity: netmodel.SevCritical, Title: "Phase-2 selectors of the two ends do not mirror each other",
		Summary: "One end's local/remote traffic selectors are not the other end's remote/local: the child SA fails (or, with IKEv2 narrowing, protects less than configured).",
		Check:   checkSelectorMismatch})
	addRule(Rule{ID: IPsecSelectorMissing, Severity: netmodel.SevCritical, Title: "Configured selector pair without an installed SA",
		Summary: "A configured phase-2 selector pair has no installed child SA while others do: the tunnel is half up.",
		Check:   checkSelectorMissing})
	addRule(Rule{ID: IPsecIKENoChild, Severity: netmodel.SevCritical, Title: "IKE SA up without child SAs",
		Summary: "Phase 1 is established but no phase-2 SA exists: no traffic passes.",
		Check:   checkIKENoChild})
	addRule(Rule{ID: IPsecSelectorExplosion, Severity: netmodel.SevWarning, Title: "Policy-based tunnel with many selector pairs",
		Summary: "N local × M remote networks need N·M selector pairs per side; a route-based tunnel needs one.",
		Check:   checkExplosion})
	addRule(Rule{ID: IPsecProposalMismatch, Severity: netmodel.SevCritical, Title: "No common proposal",
		Summary: "The two ends share no IKE (phase 1) or ESP (phase 2) proposal: negotiation fails with NO_PROPOSAL_CHOSEN.",
		Check:   checkProposalMismatch})
	addRule(Rule{ID: IPsecPFSMismatch, Severity: netmodel.SevWarning, Title: "PFS group differs between the ends",
		Summary: "The ESP proposals agree except for PFS: with IKEv2 the first child SA comes up and the first rekey fails.",
		Check:   checkPFSMismatch})
	addRule(Rule{ID: IPsecWeakCrypto, Severity: netmodel.SevWarning, Title: "Weak algorithm",
		Summary: "DES/3DES, MD5, integrity none, DH groups 1/2/5 in configured or negotiated proposals (RFC 8221, RFC 8247).",
		Check:   checkWeakCrypto})
	addRule(Rule{ID: IPsecNoPFS, Severity: netmodel.SevInfo, Title: "Phase 2 without PFS",
		Summary: "ESP keys derive from the IKE SA's keys; current guidance recommends a DH group for every child SA.",
		Check:   checkNoPFS})
	addRule(Rule{ID: IPsecAggressivePSK, Severity: netmodel.SevWarning, Title: "IKEv1 aggressive mode with a pre-shared key",
		Summary: "Aggressive mode sends a hash an eavesdropper can attack offline to recover the PSK.",
		Check:   checkAggressive})
	addRule(Rule{ID: IPsecLifetimeOrder, Severity: netmodel.SevWarning, Title: "Phase-2 lifetime not shorter than phase 1",
		Summary: "The child SA should rekey more often than the IKE SA that protects its rekeying.",
		Check:   checkLifetimeOrder})
	addRule(Rule{ID: IPsecWeakPSK, Severity: netmodel.SevWarning, Title: "Weak pre-shared key",
		Summary: "A PSK shorter than 15 characters or a dictionary word can be guessed offline.",
		Check:   checkWeakPSK})
	addRule(Rule{ID: IPsecPSKReuse, Severity: netmodel.SevWarning, Title: "The same PSK on several peers",
		Summary: "One PSK for several peers: one leak opens every tunnel that uses it (compared by keyed hash, never shown).",
		Check:   checkPSKReuse})
	addRule(Rule{ID: IPsecOneWay, Severity: netmodel.SevCritical, Title: "One-way IPsec traffic",
		Summary: "Outbound packets are encrypted and sent while nothing comes back on the inbound SA.",
		Check:   checkOneWay})
	addRule(Rule{ID: IPsecStaleSPI, Severity: netmodel.SevCritical, Title: "SPI unknown to the peer",
		Summary: "One end sends with an SPI the other has no SA for (invalid-SPI drops, typically after one end restarted).",
		Check:   checkStaleSPI})
	addRule(Rule{ID: IPsecExpiring, Severity: netmodel.SevWarning, Title: "SA about to expire without a replacement",
		Summary: "An SA is within a minute of its hard lifetime and no newer SA for the same traffic exists: its rekey is failing.",
		Check:   checkExpiring})
}

// endEvidence cites an end's configuration (children or IKE) and SAs.
func endEvidence(l *evList, e *TunnelEnd, config, sas bool) {
	if config {
		for _, k := range e.IKE {
			l.add(e.Dev.Name, k.Src, fmt.Sprintf("%s: IKE %s to %s", e.Dev.Name, k.Name, e.Peer))
		}
		for _, ch := range e.Children {
			l.add(e.Dev.Name, ch.Src, fmt.Sprintf("%s: %s selectors %s", e.Dev.Name, ch.Name, selList(ch.Selectors)))
		}
	}
	if sas {
		for _, sa := range e.IKESAs {
			l.add(e.Dev.Name, sa.Src, fmt.Sprintf("%s: IKE SA to %s %s", e.Dev.Name, e.Peer, sa.State))
		}
		for _, sa := range e.ChildSAs {
			l.add(e.Dev.Name, sa.Src, fmt.Sprintf("%s: child SA %s %s", e.Dev.Name, sa.Name, selList(sa.Selectors)))
		}
	}
}

func selList(s []netmodel.Selector) string {
	var out []string
	for _, x := range s {
		out = append(out, x.String())
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// match classifies how well the peer's selectors accept one proposed
// selector (already mirrored into the peer's view).
type match int

const (
	matchNone    match = iota // disjoint: refused
	matchOverlap              // partly: IKEv2 narrows to the intersection
	matchCovered              // wider on the peer: IKEv2 narrows to the proposal
	matchExact
)

func intersect(a, b netip.Prefix) (netip.Prefix, bool) {
	if !a.IsValid() || !b.IsValid() || !a.Overlaps(b) {
		return netip.Prefix{}, false
	}
	if a.Bits() >= b.Bits() {
		return a, true
	}
	return b, true
}

func classify(want netmodel.Selector, have []netmodel.Selector) (match, netmodel.Selector) {
	best, bestSel := matchNone, netmodel.Selector{}
	for _, h := range have {
		var m match
		switch {
		case h == want:
			m = matchExact
		case h.Covers(want):
			m = matchCovered
		default:
			_, ok1 := intersect(h.Local, want.Local)
			_, ok2 := intersect(h.Remote, want.Remote)
			if ok1 && ok2 && (h.Proto == 0 || want.Proto == 0 || h.Proto == want.Proto) {
				m = matchOverlap
			}
		}
		if m > best {
			best, bestSel = m, h
		}
	}
	return best, bestSel
}

// selectorVerdict compares the configured selectors of a pair: the
// problems in words, the severity (-1 when none matter), and the mirrored
// selectors each side lacks.
type selectorVerdict struct {
	lines      []string
	sev        netmodel.Severity
	fixA, fixB []netmodel.Selector
}

func judgeSelectors(a, b *TunnelEnd) selectorVerdict {
	sv := selectorVerdict{sev: -1}
	as, bs := a.ConfiguredSelectors(), b.ConfiguredSelectors()
	if len(as) == 0 || len(bs) == 0 {
		return sv
	}
	v := a.Version()
	if v == 0 {
		v = b.Version()
	}
	judge := func(from, to *TunnelEnd, sels, peerSels []netmodel.Selector, fix *[]netmodel.Selector) {
		for _, s := range sels {
			m, got := classify(s.Mirror(), peerSels)
			switch m {
			case matchExact:
				continue
			case matchCovered:
				if v == 2 {
					sv.lines = append(sv.lines, fmt.Sprintf("%s proposes %s; %s's wider %s accepts it (IKEv2 narrowing) — works, but the two configurations disagree", from.Dev.Name, s, to.Dev.Name, got))
					sv.sev = max(sv.sev, netmodel.SevInfo)
				} else {
					sv.lines = append(sv.lines, fmt.Sprintf("%s proposes %s; %s has %s: IKEv1 peers such as Junos, IOS and ASA demand an exact mirror, so this quick mode fails", from.Dev.Name, s, to.Dev.Name, got))
					sv.sev = max(sv.sev, netmodel.SevCritical)
					*fix = append(*fix, s.Mirror())
				}
			case matchOverlap:
				li, _ := intersect(s.Local, got.Remote)
				ri, _ := intersect(s.Remote, got.Local)
				if v == 2 {
					sv.lines = append(sv.lines, fmt.Sprintf("%s proposes %s; %s only accepts %s: IKEv2 narrows the SA to %s === %s, and traffic outside it is not protected (dropped or sent in clear)", from.Dev.Name, s, to.Dev.Name, got.Mirror(), li, ri))
					sv.sev = max(sv.sev, netmodel.SevWarning)
				} else {
					sv.lines = append(sv.lines, fmt.Sprintf("%s proposes %s; %s has %s: they overlap only in %s === %s, and IKEv1 needs an exact mirror, so the SA is refused", from.Dev.Name, s, to.Dev.Name, got.Mirror(), li, ri))
					sv.sev = max(sv.sev, netmodel.SevCritical)
				}
				*fix = append(*fix, s.Mirror())
			default:
				sv.lines = append(sv.lines, fmt.Sprintf("%s proposes %s; %s has no selector for it (it would need %s): refused with TS_UNACCEPTABLE / NO_PROPOSAL_CHOSEN", from.Dev.Name, s, to.Dev.Name, s.Mirror()))
				sv.sev = max(sv.sev, netmodel.SevCritical)
				*fix = append(*fix, s.Mirror())
			}
		}
	}
	judge(a, b, as, bs, &sv.fixB)
	judge(b, a, bs, as, &sv.fixA)
	return sv
}

// keepLocal drops from want (selectors end e would add) those whose local
// network e does not have — no connected or specific route covers it — and
// says so: that selector of the peer is the one to correct.
func (c *Context) keepLocal(e, peer *TunnelEnd, want []netmodel.Selector, l *evList, notes []string) ([]netmodel.Selector, []string) {
	t := c.tables(e.Dev)
	if t == nil || len(want) == 0 {
		return want, notes
	}
	var keep []netmodel.Selector
	for _, s := range want {
		r, ok := t.Covering(s.Local)
		if ok && r.Prefix.Bits() > 0 && !isTunnelIf(e.Dev, r.Interface) {
			keep = append(keep, s)
			continue
		}
		notes = append(notes, fmt.Sprintf("%s has no network %s (no route to it but the default): %s's selector naming it is the one to correct.", e.Dev.Name, s.Local, peer.Dev.Name))
	}
	return keep, notes
}

// childFailureExplained reports whether a finding about the pair already
// names why its child SAs fail (selectors or phase-2 proposals), so the
// symptom (IKE up without children) is not reported again.
func childFailureExplained(e *TunnelEnd) bool {
	p := e.Partner
	if p == nil {
		return false
	}
	if judgeSelectors(e, p).sev == netmodel.SevCritical {
		return true
	}
	pa, pb := espProposals(e), espProposals(p)
	return len(pa) > 0 && len(pb) > 0 && !anyCommon(pa, pb, false)
}

func checkSelectorMismatch(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.pairs(func(a, b *TunnelEnd) {
		sv := judgeSelectors(a, b)
		if len(sv.lines) == 0 || sv.sev < netmodel.SevWarning {
			return
		}
		l := &evList{c: c}
		endEvidence(l, a, true, true)
		endEvidence(l, b, true, true)
		// Adding a selector is the fix only where its local network exists:
		// a subnet one end does not have is the other end's typo.
		var notes []string
		sv.fixA, notes = c.keepLocal(a, b, sv.fixA, l, notes)
		sv.fixB, notes = c.keepLocal(b, a, sv.fixB, l, notes)
		var fixes []netmodel.Fix
		if len(sv.fixB) > 0 {
			fixes = append(fixes, selectorFix(b.Dev, firstChild(b), sv.fixB))
		}
		if len(sv.fixA) > 0 {
			fixes = append(fixes, selectorFix(a.Dev, firstChild(a), sv.fixA))
		}
		why := fmt.Sprintf("Phase-2 traffic selectors must mirror each other: %s's local must be %s's remote and the other way round.\n  %s",
			a.Dev.Name, b.Dev.Name, strings.Join(sv.lines, "\n  "))
		if len(notes) > 0 {
			why += "\n" + strings.Join(notes, "\n")
		}
		if len(fixes) > 0 {
			why += "\nThe fix adds the mirrored selectors where they are missing; if the other side is the one that is wrong, change that side instead."
		}
		if !a.IKEUp() && !b.IKEUp() {
			why += "\nNo IKE SA is up either, so this is not yet what stops the tunnel."
		} else if liveChildSAs(a)+liveChildSAs(b) == 0 {
			why += "\nThe IKE SA is up and no child SA exists: this is why."
		}
		out = append(out, netmodel.Finding{
			ID: IPsecSelectorMismatch, Severity: sv.sev,
			Title:   fmt.Sprintf("traffic selectors do not mirror (%s)", plural(len(sv.lines), "problem")),
			Subject: fmt.Sprintf("%s ↔ %s", a.Dev.Name, b.Dev.Name), Why: why, Evidence: l.out, Fix: fixes,
		})
	})
	return out
}

func firstChild(e *TunnelEnd) *netmodel.ChildConfig {
	if len(e.Children) > 0 {
		return e.Children[0]
	}
	return nil
}

// installedCovers reports whether an installed SA carries selector s.
func installedCovers(e *TunnelEnd, s netmodel.Selector) bool {
	for _, sa := range e.ChildSAs {
		if sa.InSPI == 0 && sa.OutSPI == 0 {
			continue
		}
		for _, is := range sa.Selectors {
			if is.Covers(s) || s.Covers(is) {
				return true
			}
		}
	}
	return false
}

func liveChildSAs(e *TunnelEnd) int {
	n := 0
	for _, sa := range e.ChildSAs {
		if sa.InSPI != 0 || sa.OutSPI != 0 {
			n++
		}
	}
	return n
}

func checkSelectorMissing(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		if !e.IKEUp() || liveChildSAs(e) == 0 {
			continue // IPSEC-IKE-NO-CHILD speaks of that
		}
		var missing []netmodel.Selector
		for _, s := range e.ConfiguredSelectors() {
			if s.Local.Bits() == 0 && s.Remote.Bits() == 0 {
				continue
			}
			if !installedCovers(e, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 {
			continue
		}
		l := &evList{c: c}
		endEvidence(l, e, true, true)
		why := fmt.Sprintf("%s has %s configured toward %s, but no installed child SA carries %s: that traffic is dropped or sent in clear while the rest of the tunnel works (half up).",
			e.Dev.Name, plural(len(e.ConfiguredSelectors()), "selector pair"), e.Peer, selList(missing))
		if e.Partner != nil {
			why += fmt.Sprintf(" See %s's selectors (IPSEC-SELECTOR-MISMATCH) and its logs for TS_UNACCEPTABLE.", e.Partner.Dev.Name)
		} else {
			why += " Collect the peer's configuration and SAs to see why it refuses them."
		}
		out = append(out, netmodel.Finding{
			ID: IPsecSelectorMissing, Severity: netmodel.SevCritical,
			Title:   fmt.Sprintf("%s without an installed SA: tunnel half up", plural(len(missing), "selector pair")),
			Subject: e.Name(), Why: why, Evidence: l.out,
			Fix: []netmodel.Fix{initiateFix(e)},
		})
	}
	return out
}

// initiateFix is how to bring the child SAs up again on e's platform once
// the cause is fixed.
func initiateFix(e *TunnelEnd) netmodel.Fix {
	f := netmodel.Fix{Device: e.Dev.Name, Platform: e.Dev.Platform}
	switch e.Dev.Platform {
	case netmodel.Junos:
		f.Commands = []string{"clear security ipsec security-associations vpn-name " + nameOr(firstChild(e), "VPN"), "show security ipsec security-associations detail"}
	case netmodel.IOS:
		f.Commands = []string{"clear crypto sa peer " + e.Peer.String(), "show crypto ipsec sa peer " + e.Peer.String()}
	case netmodel.ASA:
		f.Commands = []string{"clear crypto ipsec sa peer " + e.Peer.String(), "show crypto ipsec sa peer " + e.Peer.String()}
	case netmodel.Linux:
		f.Commands = []string{"swanctl --initiate --child " + nameOr(firstChild(e), "CHILD"), "swanctl --list-sas"}
	default:
		f.Commands = []string{"re-initiate the child SAs to " + e.Peer.String()}
	}
	f.Note = "after fixing the selectors or proposals that the peer refuses"
	return f
}

func nameOr(c *netmodel.ChildConfig, def string) string {
	if c != nil && c.Name != "" {
		return c.Name
	}
	return def
}

func checkIKENoChild(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		if !e.IKEUp() || liveChildSAs(e) > 0 || childFailureExplained(e) {
			continue
		}
		if p := e.Partner; p != nil && p.IKEUp() && liveChildSAs(p) == 0 && p.Dev.Name < e.Dev.Name {
			continue // reported once, from the other end, with both ends' evidence
		}
		l := &evList{c: c}
		endEvidence(l, e, true, true)
		if e.Partner != nil {
			endEvidence(l, e.Partner, true, true)
		}
		why := fmt.Sprintf("The IKE SA between %s and %s is established, so reachability, authentication and the phase-1 proposal are fine; but no child SA exists, so no traffic is protected. The child SA negotiation is what fails: selectors the peer does not accept (TS_UNACCEPTABLE) or no common ESP proposal (NO_PROPOSAL_CHOSEN).",
			e.Dev.Name, e.Peer)
		if cs := e.ConfiguredSelectors(); len(cs) > 0 {
			why += " Configured here: " + selList(cs) + "."
		}
		if e.Partner == nil {
			why += fmt.Sprintf(" Collect %s's configuration and SAs to compare both ends.", e.Peer)
		}
		out = append(out, netmodel.Finding{
			ID: IPsecIKENoChild, Severity: netmodel.SevCritical,
			Title:   "IKE SA up, no child SA: no traffic passes",
			Subject: e.Name(), Why: why, Evidence: l.out, Fix: []netmodel.Fix{initiateFix(e)},
		})
	}
	return out
}

func checkExplosion(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	seen := map[*TunnelEnd]bool{}
	for _, e := range c.Tunnels() {
		if seen[e] {
			continue
		}
		var locals, remotes []netip.Prefix
		lset, rset := map[netip.Prefix]bool{}, map[netip.Prefix]bool{}
		policy := false
		var child *netmodel.ChildConfig
		for _, ch := range e.Children {
			if !ch.PolicyBased && ch.RouteBased {
				continue
			}
			if ch.PolicyBased {
				policy = true
			}
			if child == nil {
				child = ch
			}
			for _, s := range ch.Selectors {
				if !lset[s.Local] {
					lset[s.Local] = true
					locals = append(locals, s.Local)
				}
				if !rset[s.Remote] {
					rset[s.Remote] = true
					remotes = append(remotes, s.Remote)
				}
			}
		}
		n, m := len(locals), len(remotes)
		pairs := 0
		for _, ch := range e.Children {
			if ch.PolicyBased || !ch.RouteBased {
				pairs += len(ch.Selectors)
			}
		}
		if pairs < 4 || !policy {
			continue
		}
		seen[e] = true
		l := &evList{c: c}
		endEvidence(l, e, true, false)
		fixes := []netmodel.Fix{}
		tunLocal, tunRemote := netip.MustParseAddr("169.254.100.1"), netip.MustParseAddr("169.254.100.2")
		name := nameOr(child, "VPN")
		fixes = append(fixes, routeBasedConfig(e, tunLocal, tunRemote, remotes, name))
		partnerNote := ""
		if p := e.Partner; p != nil {
			seen[p] = true
			endEvidence(l, p, true, false)
			fixes = append(fixes, routeBasedConfig(p, tunRemote, tunLocal, locals, nameOr(firstChild(p), "VPN")))
		} else {
			partnerNote = fmt.Sprintf(" The peer %s was not collected: configure its side the same way (tunnel address %s, routes to %s).", e.Peer, tunRemote, joinPrefixes(locals))
		}
		why := fmt.Sprintf("%s protects %d local and %d remote networks with a policy-based tunnel to %s: every local/remote pair is its own selector and its own child SA — %d per side, %d in all (a full mesh of %d×%d needs %d per side), each negotiated, rekeyed and monitored separately, and every new network means editing both ends' policies in step. A route-based tunnel (st0/VTI/XFRM interface, or GRE over IPsec) carries everything with one any/any selector pair — 1 per side, 2 in all — and the networks become plain routes (static or a routing protocol over the tunnel). The configuration below moves both ends (tunnel addresses from 169.254.100.0/30; choose free ones).%s",
			e.Dev.Name, n, m, e.Peer, pairs, 2*pairs, n, m, n*m, partnerNote)
		out = append(out, netmodel.Finding{
			ID: IPsecSelectorExplosion, Severity: netmodel.SevWarning,
			Title:   fmt.Sprintf("%d×%d networks: %d selector pairs per side (%d in all), route-based needs 1", n, m, pairs, 2*pairs),
			Subject: e.Name(), Why: why, Evidence: l.out, Fix: fixes,
		})
	}
	return out
}

func joinPrefixes(ps []netip.Prefix) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

// common reports whether two proposals share an algorithm of each kind they
// both specify (an empty list means "not specified").
func common(a, b netmodel.Proposal, withDH bool) bool {
	share := func(x, y []string) bool {
		if len(x) == 0 || len(y) == 0 {
			return true
		}
		for _, p := range x {
			for _, q := range y {
				if p == q {
					return true
				}
			}
		}
		return false
	}
	ok := share(a.Encryption, b.Encryption) && share(a.Integrity, b.Integrity) && share(a.PRF, b.PRF)
	if withDH {
		// No DH group means "none" (no PFS), not "unspecified".
		ok = ok && (len(a.DH) == 0) == (len(b.DH) == 0) && share(a.DH, b.DH)
	}
	return ok
}

func anyCommon(as, bs []netmodel.Proposal, withDH bool) bool {
	for _, a := range as {
		for _, b := range bs {
			if common(a, b, withDH) {
				return true
			}
		}
	}
	return false
}

func proposals(ps []netmodel.Proposal) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

func ikeProposals(e *TunnelEnd) []netmodel.Proposal {
	var out []netmodel.Proposal
	for _, k := range e.IKE {
		out = append(out, k.Proposals...)
	}
	return out
}

func espProposals(e *TunnelEnd) []netmodel.Proposal {
	var out []netmodel.Proposal
	for _, c := range e.Children {
		out = append(out, c.Proposals...)
	}
	return out
}

// ikeName is the name fixes use for an end's IKE configuration: the object
// holding its policy (Junos IKE policy) or the gateway/connection itself.
func ikeName(e *TunnelEnd) string {
	if len(e.IKE) > 0 {
		return orStr(e.IKE[0].Policy, e.IKE[0].Name)
	}
	return ""
}

func checkProposalMismatch(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.pairs(func(a, b *TunnelEnd) {
		for phase := 1; phase <= 2; phase++ {
			pa, pb := ikeProposals(a), ikeProposals(b)
			if phase == 2 {
				pa, pb = espProposals(a), espProposals(b)
			}
			if len(pa) == 0 || len(pb) == 0 || anyCommon(pa, pb, phase == 1) {
				continue
			}
			if phase == 2 && anyCommon(pa, pb, false) {
				continue // differs only in PFS: IPSEC-PFS-MISMATCH
			}
			if phase == 2 && !a.IKEUp() && !b.IKEUp() && !anyCommon(ikeProposals(a), ikeProposals(b), true) {
				continue // phase 1 already fails; reported once
			}
			l := &evList{c: c}
			endEvidence(l, a, true, true)
			endEvidence(l, b, true, true)
			what := map[int]string{1: "IKE (phase 1)", 2: "ESP (phase 2)"}[phase]
			effect := "no IKE SA at all: the responder answers the first IKE_SA_INIT/main-mode message with NO_PROPOSAL_CHOSEN"
			if phase == 2 {
				effect = "the IKE SA comes up but no child SA does: the responder refuses the ESP proposal with NO_PROPOSAL_CHOSEN"
			}
			why := fmt.Sprintf("%s offers %s; %s offers %s. No pair shares an encryption, integrity/PRF and DH choice, so %s. Configure one strong proposal on both ends (%s).",
				a.Dev.Name, proposals(pa), b.Dev.Name, proposals(pb), effect, map[int]string{1: recIKE, 2: recESP}[phase])
			out = append(out, netmodel.Finding{
				ID: IPsecProposalMismatch, Severity: netmodel.SevCritical,
				Title:   "no common " + what + " proposal",
				Subject: fmt.Sprintf("%s ↔ %s phase %d", a.Dev.Name, b.Dev.Name, phase), Why: why, Evidence: l.out,
				Fix: []netmodel.Fix{proposalFix(a, phase), proposalFix(b, phase)},
			})
		}
	})
	return out
}

// pfsFixes sets one PFS group on the ends that lack it: the group one end
// already uses when it is strong (MODP-2048 or better), else group 14.
func pfsFixes(a, b *TunnelEnd) []netmodel.Fix {
	target := ""
	for _, e := range []*TunnelEnd{a, b} {
		for _, p := range espProposals(e) {
			for _, d := range p.DH {
				if v, weak := judgeAlg("dh", d); target == "" && (!weak || v.sev < netmodel.SevWarning) {
					target = d
				}
			}
		}
	}
	if target == "" {
		target = "modp2048"
	}
	group := "group" + fmt.Sprint(netmodel.DHGroupNumber(target))
	var out []netmodel.Fix
	for _, e := range []*TunnelEnd{a, b} {
		has := false
		for _, p := range espProposals(e) {
			for _, d := range p.DH {
				has = has || d == target
			}
		}
		if !has {
			out = append(out, proposalFixPFS(e, 2, group))
		}
	}
	return out
}

func pfsOf(ps []netmodel.Proposal) string {
	set := map[string]bool{}
	var out []string
	for _, p := range ps {
		if len(p.DH) == 0 && !set["none"] {
			set["none"] = true
			out = append(out, "none")
		}
		for _, d := range p.DH {
			if !set[d] {
				set[d] = true
				out = append(out, d)
			}
		}
	}
	return strings.Join(out, ",")
}

func checkPFSMismatch(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.pairs(func(a, b *TunnelEnd) {
		pa, pb := espProposals(a), espProposals(b)
		if len(pa) == 0 || len(pb) == 0 || anyCommon(pa, pb, true) || !anyCommon(pa, pb, false) {
			return
		}
		l := &evList{c: c}
		endEvidence(l, a, true, true)
		endEvidence(l, b, true, true)
		v := a.Version()
		if v == 0 {
			v = b.Version()
		}
		why := fmt.Sprintf("The ESP proposals agree on encryption and integrity but not on PFS: %s uses %s, %s uses %s.", a.Dev.Name, pfsOf(pa), b.Dev.Name, pfsOf(pb))
		if v == 1 {
			why += " With IKEv1 the PFS group is part of every quick mode, so the child SA fails at once."
		} else {
			why += " With IKEv2 the first child SA is created inside IKE_AUTH without a DH exchange, so the tunnel comes up and passes traffic — and then the first rekey (CREATE_CHILD_SA with KE) fails, typically after the phase-2 lifetime (an hour or so), and the tunnel drops. Easy to miss in a change window."
		}
		out = append(out, netmodel.Finding{
			ID: IPsecPFSMismatch, Severity: netmodel.SevWarning,
			Title:   fmt.Sprintf("PFS %s vs %s: fails at the first rekey", pfsOf(pa), pfsOf(pb)),
			Subject: fmt.Sprintf("%s ↔ %s", a.Dev.Name, b.Dev.Name), Why: why, Evidence: l.out,
			Fix: pfsFixes(a, b),
		})
	})
	return out
}

// verdict on one algorithm: severity and the guidance behind it.
type algVerdict struct {
	sev  netmodel.Severity
	text string
}

// judgeAlg rates an algorithm of kind enc/integ/prf/dh against RFC 8221
// (ESP), RFC 8247 (IKEv2) and strongSwan's recommendations.
func judgeAlg(kind, alg string) (algVerdict, bool) {
	switch kind {
	case "enc":
		switch alg {
		case "des":
			return algVerdict{netmodel.SevCritical, "DES: MUST NOT (RFC 8221, RFC 8247); a 56-bit key is brute-forced in hours"}, true
		case "3des":
			return algVerdict{netmodel.SevWarning, "3DES: SHOULD NOT for ESP (RFC 8221) and only MAY for IKEv2 (RFC 8247); its 64-bit block allows Sweet32 collisions after some GB under one key. Older guides still list it as the safe default; today use AES"}, true
		case "null":
			return algVerdict{netmodel.SevCritical, "NULL encryption: no confidentiality at all"}, true
		}
	case "integ":
		switch alg {
		case "md5":
			return algVerdict{netmodel.SevWarning, "HMAC-MD5: MUST NOT in both RFC 8221 (ESP) and RFC 8247 (IKEv2). HMAC-MD5 itself is not practically forged today, which is why older advice still offers it for phase 2, but every current guidance has removed it"}, true
		case "none":
			return algVerdict{netmodel.SevCritical, "no integrity with a non-AEAD cipher: packets can be altered undetected (RFC 8221 MUST NOT)"}, true
		case "sha1":
			return algVerdict{netmodel.SevInfo, "HMAC-SHA1-96: still allowed (MUST- in RFC 8221/8247: expected to be demoted); plan to move to SHA-256"}, true
		}
	case "prf":
		if alg == "prfmd5" {
			return algVerdict{netmodel.SevWarning, "PRF-HMAC-MD5: MUST NOT (RFC 8247)"}, true
		}
	case "dh":
		switch alg {
		case "modp768":
			return algVerdict{netmodel.SevCritical, "DH group 1 (768-bit MODP): MUST NOT (RFC 8247); broken"}, true
		case "modp1024":
			return algVerdict{netmodel.SevWarning, "DH group 2 (1024-bit MODP): SHOULD NOT (RFC 8247); within reach of well-funded attackers (Logjam). Still the default in many old configurations and blog posts; use group 14, 19 or 31"}, true
		case "modp1536":
			return algVerdict{netmodel.SevWarning, "DH group 5 (1536-bit MODP): SHOULD NOT (RFC 8247); use group 14 or stronger"}, true
		case "modp1024s160", "modp2048s224", "modp2048s256":
			return algVerdict{netmodel.SevWarning, "DH groups 22-24 (MODP with prime-order subgroup): SHOULD NOT (RFC 8247)"}, true
		}
	}
	return algVerdict{}, false
}

// weakItem is one weak choice and where it was seen.
type weakItem struct {
	alg, kind string
	v         algVerdict
	where     string
	src       netmodel.Source
	dev       string
}

func checkWeakCrypto(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		if p := e.Partner; p != nil && p.Dev.Name < e.Dev.Name {
			continue // judged once per pair, from the other end
		}
		ends := []*TunnelEnd{e}
		subject := e.Name()
		if e.Partner != nil {
			ends = append(ends, e.Partner)
			subject = fmt.Sprintf("%s ↔ %s", e.Dev.Name, e.Partner.Dev.Name)
		}
		for phase := 1; phase <= 2; phase++ {
			var items []weakItem
			var good []string
			goodSeen := map[string]bool{}
			for _, end := range ends {
				dev := end.Dev.Name
				add := func(kind, alg, where string, src netmodel.Source) {
					if alg == "" {
						return
					}
					if v, bad := judgeAlg(kind, alg); bad {
						items = append(items, weakItem{alg, kind, v, dev + ": " + where, src, dev})
					} else if !goodSeen[alg] && alg != "none" {
						goodSeen[alg] = true
						good = append(good, alg)
					}
				}
				if phase == 1 {
					for _, k := range end.IKE {
						for _, p := range k.Proposals {
							addProposal(add, p, "configured in "+k.Name, k.Src)
						}
					}
					for _, sa := range end.IKESAs {
						addAlgs(add, sa.Algs, "negotiated on the IKE SA", sa.Src)
					}
				} else {
					for _, ch := range end.Children {
						for _, p := range ch.Proposals {
							addProposal(add, p, "configured in "+ch.Name, ch.Src)
						}
					}
					for _, sa := range end.ChildSAs {
						addAlgs(add, sa.Algs, "negotiated on child SA "+sa.Name, sa.Src)
					}
				}
			}
			if len(items) == 0 {
				continue
			}
			sev := netmodel.SevInfo
			l := &evList{c: c}
			texts := map[string]bool{}
			var lines, algs []string
			negotiated := false
			for _, it := range items {
				sev = max(sev, it.v.sev)
				l.add(it.dev, it.src, it.alg+" "+strings.TrimPrefix(it.where, it.dev+": "))
				negotiated = negotiated || strings.Contains(it.where, "negotiated")
				if !texts[it.v.text] {
					texts[it.v.text] = true
					lines = append(lines, it.v.text+".")
					algs = append(algs, it.alg)
				}
			}
			if sev < netmodel.SevWarning {
				continue // SHA-1 alone: named where it comes with worse, not a finding of its own
			}
			tail := "Move both ends to " + map[int]string{1: recIKE, 2: recESP}[phase] + " (AES-GCM or AES-CBC with SHA-256, DH group 14/19/31)."
			if len(good) > 0 {
				tail = "These hold up today: " + strings.Join(good, ", ") + ". " + tail
			}
			if phase == 2 {
				if p1, p2, _, _ := lifetimes(e); p1 > 0 && p2 > 0 && p2 < p1 {
					tail = fmt.Sprintf("The lifetimes are in the right order (phase 1 %d s, phase 2 %d s). ", p1, p2) + tail
				}
			}
			if negotiated {
				tail = "The weak choice is in use on the live SA, not only offered. " + tail
			}
			why := fmt.Sprintf("Phase %d of %s uses %s.\n  %s\n%s", phase, subject, strings.Join(algs, ", "), strings.Join(lines, "\n  "), tail)
			var fixes []netmodel.Fix
			for _, end := range ends {
				fixes = append(fixes, proposalFix(end, phase))
			}
			out = append(out, netmodel.Finding{
				ID: IPsecWeakCrypto, Severity: sev,
				Title:   fmt.Sprintf("phase %d uses %s", phase, strings.Join(algs, ", ")),
				Subject: fmt.Sprintf("%s phase %d", subject, phase), Why: why, Evidence: l.out, Fix: fixes,
			})
		}
	}
	return out
}

func addProposal(add func(kind, alg, where string, src netmodel.Source), p netmodel.Proposal, where string, src netmodel.Source) {
	for _, a := range p.Encryption {
		add("enc", a, where, src)
	}
	for _, a := range p.Integrity {
		add("integ", a, where, src)
	}
	for _, a := range p.PRF {
		add("prf", a, where, src)
	}
	for _, a := range p.DH {
		add("dh", a, where, src)
	}
}

func addAlgs(add func(kind, alg, where string, src netmodel.Source), a netmodel.Algs, where string, src netmodel.Source) {
	add("enc", a.Encryption, where, src)
	if !strings.Contains(a.Encryption, "gcm") && !strings.Contains(a.Encryption, "chacha") {
		add("integ", a.Integrity, where, src)
	}
	add("prf", a.PRF, where, src)
	add("dh", a.DH, where, src)
}

func checkNoPFS(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		var without []*netmodel.ChildConfig
		for _, ch := range e.Children {
			if len(ch.Proposals) == 0 {
				continue
			}
			pfs := false
			for _, p := range ch.Proposals {
				if len(p.DH) > 0 {
					pfs = true
				}
			}
			if !pfs {
				without = append(without, ch)
			}
		}
		if len(without) == 0 {
			continue
		}
		if p := e.Partner; p != nil {
			pa, pb := espProposals(e), espProposals(p)
			if len(pa) > 0 && len(pb) > 0 && !anyCommon(pa, pb, true) && anyCommon(pa, pb, false) {
				continue // IPSEC-PFS-MISMATCH says it, naming "none"
			}
		}
		l := &evList{c: c}
		var names []string
		for _, ch := range without {
			l.add(e.Dev.Name, ch.Src, ch.Name+": no PFS group")
			names = append(names, ch.Name)
		}
		out = append(out, netmodel.Finding{
			ID: IPsecNoPFS, Severity: netmodel.SevInfo,
			Title:   "phase 2 without PFS",
			Subject: e.Name(),
			Why: fmt.Sprintf("%s on %s negotiate ESP keys without a fresh DH exchange, so whoever recovers one IKE SA's keys can decrypt every child SA made under it. Older advice turned PFS off to avoid interoperability trouble; current guidance (RFC 8247, strongSwan) recommends a DH group on every child SA — and both ends must agree on it (see IPSEC-PFS-MISMATCH).",
				joinAnd(names), e.Dev.Name),
			Evidence: l.out,
			Fix:      []netmodel.Fix{proposalFix(e, 2)},
		})
	}
	return out
}

func checkAggressive(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		var src []netmodel.Source
		psk := false
		for _, k := range e.IKE {
			if k.Aggressive && k.Version != 2 {
				src = append(src, k.Src)
				psk = psk || k.Auth == "psk" || k.PSK.Length > 0
			}
		}
		for _, sa := range e.IKESAs {
			if sa.Aggressive {
				src = append(src, sa.Src)
			}
		}
		if len(src) == 0 {
			continue
		}
		l := &evList{c: c}
		for _, s := range src {
			l.add(e.Dev.Name, s, "aggressive mode")
		}
		why := "IKEv1 aggressive mode sends the responder's identity and a hash keyed with the pre-shared key in clear; anyone who captures one exchange can run an offline dictionary attack on the PSK (ike-scan + psk-crack). Use main mode, or better IKEv2."
		if !psk {
			why += " (The authentication method was not collected; with certificates this is much less of a concern.)"
		}
		fix := netmodel.Fix{Device: e.Dev.Name, Platform: e.Dev.Platform}
		switch e.Dev.Platform {
		case netmodel.Junos:
			fix.Commands = []string{"configure", fmt.Sprintf("set security ike policy %s mode main", ikeName(e)), "commit check", "commit"}
		case netmodel.Linux:
			fix.Commands = []string{"# in /etc/swanctl/swanctl.conf, connections." + ikeName(e) + ":", "aggressive = no", "swanctl --load-conns"}
		case netmodel.IOS, netmodel.ASA:
			fix.Commands = []string{"configure terminal", "crypto isakmp aggressive-mode disable", "end"}
			if e.Dev.Platform == netmodel.ASA {
				fix.Commands[1] = "crypto ikev1 am-disable"
			}
		default:
			fix.Commands = []string{"use main mode or IKEv2"}
		}
		out = append(out, netmodel.Finding{ID: IPsecAggressivePSK, Severity: netmodel.SevWarning, Title: "IKEv1 aggressive mode with a pre-shared key",
			Subject: e.Name(), Why: why, Evidence: l.out, Fix: []netmodel.Fix{fix}})
	}
	return out
}

// lifetimes returns the configured phase-1 and phase-2 lifetimes of an end
// (0 when not configured or not collected) and where each was read.
func lifetimes(e *TunnelEnd) (p1, p2 int, s1, s2 netmodel.Source) {
	for _, k := range e.IKE {
		if k.Lifetime > 0 {
			p1, s1 = k.Lifetime, k.Src
		}
	}
	for _, ch := range e.Children {
		if ch.Lifetime > 0 {
			p2, s2 = ch.Lifetime, ch.Src
		}
	}
	return p1, p2, s1, s2
}

func checkLifetimeOrder(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		p1, p2, s1, s2 := lifetimes(e)
		if p1 == 0 || p2 == 0 || p2 < p1 {
			continue
		}
		l := &evList{c: c}
		l.add(e.Dev.Name, s1, fmt.Sprintf("phase 1 lifetime %d s", p1))
		l.add(e.Dev.Name, s2, fmt.Sprintf("phase 2 lifetime %d s", p2))
		out = append(out, netmodel.Finding{ID: IPsecLifetimeOrder, Severity: netmodel.SevWarning,
			Title:    fmt.Sprintf("phase 2 lives %d s, phase 1 %d s", p2, p1),
			Subject:  e.Name(),
			Why:      fmt.Sprintf("The child SA (phase 2, %d s) should be rekeyed more often than the IKE SA (phase 1, %d s) that negotiates its keys: the usual pairing is about 8 h (28800 s) for IKE and 1 h (3600 s) for ESP. With phase 2 as long as or longer than phase 1, child rekeys coincide with or outlive IKE rekeys, and on IKEv1 peers that delete children with their IKE SA traffic drops at each phase-1 rekey.", p2, p1),
			Evidence: l.out,
			Fix:      []netmodel.Fix{proposalFix(e, 2)},
		})
	}
	return out
}

// pskUse is one configured PSK.
type pskUse struct {
	dev  *netmodel.Device
	ike  *netmodel.IKEConfig
	peer string
}

func psks(c *Context) []pskUse {
	var out []pskUse
	for _, d := range c.S.Devices {
		for _, k := range d.IPsec.IKEConfigs {
			if k.PSK.Length == 0 && k.PSK.Hash == "" {
				continue
			}
			peer := k.RemoteID
			if k.RemoteAddr.IsValid() {
				peer = k.RemoteAddr.String()
			}
			if peer == "" {
				peer = k.Name
			}
			out = append(out, pskUse{d, k, peer})
		}
	}
	return out
}

func pskFix(u pskUse) netmodel.Fix {
	f := netmodel.Fix{Device: u.dev.Name, Platform: u.dev.Platform}
	switch u.dev.Platform {
	case netmodel.Junos:
		f.Commands = []string{"configure", fmt.Sprintf("set security ike policy %s pre-shared-key ascii-text <NEW-KEY>", orStr(u.ike.Policy, u.ike.Name)), "commit"}
	case netmodel.IOS:
		f.Commands = []string{"configure terminal", "crypto isakmp key <NEW-KEY> address " + u.peer, "end"}
	case netmodel.ASA:
		f.Commands = []string{"configure terminal", "tunnel-group " + u.peer + " ipsec-attributes", " ikev2 remote-authentication pre-shared-key <NEW-KEY>", " ikev2 local-authentication pre-shared-key <NEW-KEY>", "end"}
	case netmodel.Linux:
		f.Commands = []string{"# in /etc/swanctl/swanctl.conf, secrets.ike-" + u.ike.Name + ":", "secret = <NEW-KEY>", "swanctl --load-creds"}
	default:
		f.Commands = []string{"set a new pre-shared key for " + u.peer}
	}
	f.Note = "<NEW-KEY>: at least 20 random characters (e.g. `openssl rand -base64 24`), set on both ends, one key per peer"
	return f
}

func checkWeakPSK(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, u := range psks(c) {
		s := u.ike.PSK
		var why []string
		if s.Length > 0 && s.Length < 15 {
			why = append(why, fmt.Sprintf("it is %d characters long (at least 15 recommended; 20+ random characters is better)", s.Length))
		}
		if s.Dictionary {
			why = append(why, "it is a dictionary word or common password")
		}
		if len(why) == 0 {
			continue
		}
		l := &evList{c: c}
		l.add(u.dev.Name, u.ike.Src, "pre-shared key of "+u.ike.Name+" (redacted)")
		if s.Src.Valid() {
			l.add(u.dev.Name, s.Src, "pre-shared key (redacted)")
		}
		out = append(out, netmodel.Finding{ID: IPsecWeakPSK, Severity: netmodel.SevWarning,
			Title:    "weak pre-shared key: " + strings.Join(why, "; "),
			Subject:  fmt.Sprintf("%s IKE %s (peer %s)", u.dev.Name, u.ike.Name, u.peer),
			Why:      "The pre-shared key of " + u.ike.Name + " is weak: " + strings.Join(why, ", and ") + ". A captured IKE exchange (IKEv1 aggressive mode, or an IKEv2 exchange with a rogue responder) lets an attacker test guesses offline at high speed. The key itself is never shown; nettui only kept its length and whether it is a common word.",
			Evidence: l.out, Fix: []netmodel.Fix{pskFix(u)}})
	}
	return out
}

func checkPSKReuse(c *Context) []netmodel.Finding {
	groups := map[string][]pskUse{}
	var order []string
	for _, u := range psks(c) {
		if u.ike.PSK.Hash == "" {
			continue
		}
		if _, ok := groups[u.ike.PSK.Hash]; !ok {
			order = append(order, u.ike.PSK.Hash)
		}
		groups[u.ike.PSK.Hash] = append(groups[u.ike.PSK.Hash], u)
	}
	var out []netmodel.Finding
	for _, h := range order {
		us := groups[h]
		// The two ends of one tunnel share their key by design: count peers
		// per device.
		byDev := map[*netmodel.Device]map[string]bool{}
		for _, u := range us {
			if byDev[u.dev] == nil {
				byDev[u.dev] = map[string]bool{}
			}
			byDev[u.dev][u.peer] = true
		}
		var reusing []*netmodel.Device
		for _, u := range us {
			if len(byDev[u.dev]) > 1 {
				reusing = append(reusing, u.dev)
			}
		}
		if len(reusing) == 0 {
			continue
		}
		l := &evList{c: c}
		var where []string
		var fixes []netmodel.Fix
		for _, u := range us {
			l.add(u.dev.Name, u.ike.Src, fmt.Sprintf("%s: PSK for %s (same keyed hash)", u.dev.Name, u.peer))
			where = append(where, fmt.Sprintf("%s → %s", u.dev.Name, u.peer))
			if len(byDev[u.dev]) > 1 {
				fixes = append(fixes, pskFix(u))
			}
		}
		dev := reusing[0]
		var peers []string
		for p := range byDev[dev] {
			peers = append(peers, p)
		}
		sort.Strings(peers)
		out = append(out, netmodel.Finding{ID: IPsecPSKReuse, Severity: netmodel.SevWarning,
			Title:   fmt.Sprintf("one pre-shared key for %d peers of %s", len(peers), dev.Name),
			Subject: dev.Name + " PSK " + h[:8],
			Why: fmt.Sprintf("%s uses the same pre-shared key (equal keyed hashes; the key is never shown) for %s; it is configured at %s. Whoever learns it from one peer — a leaked branch config, a cracked aggressive-mode exchange — can impersonate %s toward every other peer that uses it. Give each peer its own key, on both ends of each tunnel.",
				dev.Name, joinAnd(peers), joinAnd(where), dev.Name),
			Evidence: l.out, Fix: fixes})
	}
	return out
}

func checkOneWay(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		for _, sa := range e.ChildSAs {
			if !sa.CountersKnown {
				continue
			}
			outN, inN := sa.PacketsOut, sa.PacketsIn
			if outN == 0 && inN == 0 {
				outN, inN = sa.BytesOut, sa.BytesIn
			}
			if outN == 0 || inN != 0 {
				continue
			}
			l := &evList{c: c}
			l.add(e.Dev.Name, sa.Src, fmt.Sprintf("%s: out %d, in %d", e.Dev.Name, outN, inN))
			why := fmt.Sprintf("Child SA %s on %s has sent %d packets (or bytes) toward %s and received none on its inbound SA (SPI %08x).", sa.Name, e.Dev.Name, outN, e.Peer, sa.InSPI)
			var fix netmodel.Fix
			if p := e.Partner; p != nil {
				var peerSA *netmodel.ChildSA
				for _, ps := range p.ChildSAs {
					if ps.InSPI == sa.OutSPI && sa.OutSPI != 0 {
						peerSA = ps
					}
				}
				if peerSA != nil && peerSA.CountersKnown {
					l.add(p.Dev.Name, peerSA.Src, fmt.Sprintf("%s: in %d, out %d", p.Dev.Name, peerSA.PacketsIn, peerSA.PacketsOut))
					if peerSA.PacketsIn > 0 || peerSA.BytesIn > 0 {
						why += fmt.Sprintf(" %s receives and decrypts them (inbound counter %d) but sends nothing back: the return traffic does not reach its SA — check %s's route back to %s's protected networks and its firewall policy for the return direction.", p.Dev.Name, max(peerSA.PacketsIn, peerSA.BytesIn), p.Dev.Name, e.Dev.Name)
						fix = netmodel.Fix{Device: p.Dev.Name, Platform: p.Dev.Platform, Commands: routeCheckCommands(p.Dev, sa.Selectors)}
					} else {
						why += fmt.Sprintf(" %s's matching inbound SA counts nothing either: the ESP packets are lost between the two (ESP or UDP 4500 filtered, a NAT device in the path, or a route toward %s that does not use the expected interface).", p.Dev.Name, e.Peer)
						fix = netmodel.Fix{Device: e.Dev.Name, Platform: e.Dev.Platform, Commands: captureCommands(e.Dev, e.Peer)}
					}
				}
			} else {
				why += " The peer was not collected: either its return traffic never reaches its SA (routing/policy on the peer side) or ESP is lost on the way (ESP/UDP 4500 filtered). Collect the peer's SAs: its inbound counter tells which."
				fix = netmodel.Fix{Device: e.Dev.Name, Platform: e.Dev.Platform, Commands: captureCommands(e.Dev, e.Peer)}
			}
			f := netmodel.Finding{ID: IPsecOneWay, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("one-way: %d out, 0 in", outN),
				Subject: fmt.Sprintf("%s %s", e.Name(), sa.Name), Why: why, Evidence: l.out}
			if len(fix.Commands) > 0 {
				f.Fix = []netmodel.Fix{fix}
			}
			out = append(out, f)
		}
	}
	return out
}

func routeCheckCommands(d *netmodel.Device, sels []netmodel.Selector) []string {
	var dst string
	if len(sels) > 0 {
		dst = sels[0].Local.Addr().String()
	}
	switch d.Platform {
	case netmodel.Junos:
		return []string{"show route " + dst, "show security flow session destination-prefix " + dst}
	case netmodel.IOS:
		return []string{"show ip route " + dst, "show crypto ipsec sa"}
	case netmodel.ASA:
		return []string{"show route " + dst, "packet-tracer input inside icmp " + dst + " 8 0 " + dst}
	case netmodel.Linux:
		return []string{"ip route get " + dst, "ip xfrm policy"}
	}
	return []string{"check the route to " + dst}
}

func captureCommands(d *netmodel.Device, peer netip.Addr) []string {
	switch d.Platform {
	case netmodel.Junos:
		return []string{"monitor traffic interface <outside> matching \"host " + peer.String() + " and (esp or udp port 4500)\""}
	case netmodel.IOS:
		return []string{"show crypto ipsec sa peer " + peer.String(), "monitor capture CAP match ipv4 host " + peer.String() + " any both interface <outside> both", "monitor capture CAP start"}
	case netmodel.ASA:
		return []string{"capture CAP interface outside match ip host " + peer.String() + " any", "show capture CAP"}
	case netmodel.Linux:
		return []string{"tcpdump -ni any 'host " + peer.String() + " and (esp or udp port 4500)'"}
	}
	return []string{"capture ESP to and from " + peer.String()}
}

func checkStaleSPI(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, a := range c.Tunnels() {
		b := a.Partner
		if b == nil || len(b.ChildSAs) == 0 {
			continue
		}
		known := map[uint32]bool{}
		for _, s := range b.ChildSAs {
			if s.InSPI != 0 {
				known[s.InSPI] = true
			}
		}
		for _, sa := range a.ChildSAs {
			if sa.OutSPI == 0 || known[sa.OutSPI] {
				continue
			}
			l := &evList{c: c}
			l.add(a.Dev.Name, sa.Src, fmt.Sprintf("%s sends with SPI %08x", a.Dev.Name, sa.OutSPI))
			for _, s := range b.ChildSAs {
				l.add(b.Dev.Name, s.Src, fmt.Sprintf("%s inbound SPI %08x", b.Dev.Name, s.InSPI))
			}
			out = append(out, netmodel.Finding{ID: IPsecStaleSPI, Severity: netmodel.SevCritical,
				Title:   fmt.Sprintf("outbound SPI %08x unknown to %s", sa.OutSPI, b.Dev.Name),
				Subject: fmt.Sprintf("%s %s", a.Name(), sa.Name),
				Why: fmt.Sprintf("%s encrypts toward %s with SPI %08x, but %s has no inbound SA with that SPI: every packet is dropped there as invalid SPI. This is what a restart or a one-sided clear leaves behind when the other end keeps its old SAs (and no INITIAL_CONTACT or DPD cleared them).",
					a.Dev.Name, b.Dev.Name, sa.OutSPI, b.Dev.Name),
				Evidence: l.out, Fix: []netmodel.Fix{initiateFix(a)}})
		}
	}
	return out
}

func checkExpiring(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, e := range c.Tunnels() {
		for _, sa := range e.ChildSAs {
			if sa.Remaining < 0 || sa.Remaining > 60 || (sa.Remaining == 0 && sa.Lifetime == 0) {
				continue
			}
			newer := false
			for _, o := range e.ChildSAs {
				if o != sa && o.Remaining > sa.Remaining && sameSelectors(o.Selectors, sa.Selectors) {
					newer = true
				}
			}
			if newer {
				continue
			}
			l := &evList{c: c}
			l.add(e.Dev.Name, sa.Src, fmt.Sprintf("expires in %d s", sa.Remaining))
			out = append(out, netmodel.Finding{ID: IPsecExpiring, Severity: netmodel.SevWarning,
				Title:    fmt.Sprintf("child SA expires in %d s with no replacement", sa.Remaining),
				Subject:  fmt.Sprintf("%s %s", e.Name(), sa.Name),
				Why:      fmt.Sprintf("Child SA %s to %s has %d s left and no newer SA for the same selectors exists: the soft-lifetime rekey has not produced one, so when it expires the traffic stops until a new negotiation succeeds. Look at the logs for the failing CREATE_CHILD_SA / quick mode (PFS or proposal mismatch, the peer refusing the rekey).", sa.Name, e.Peer, sa.Remaining),
				Evidence: l.out, Fix: []netmodel.Fix{initiateFix(e)}})
		}
	}
	return out
}

func sameSelectors(a, b []netmodel.Selector) bool {
	if len(a) != len(b) {
		return false
	}
	x := append([]netmodel.Selector(nil), a...)
	y := append([]netmodel.Selector(nil), b...)
	key := func(s netmodel.Selector) string { return s.String() }
	sort.Slice(x, func(i, j int) bool { return key(x[i]) < key(x[j]) })
	sort.Slice(y, func(i, j int) bool { return key(y[i]) < key(y[j]) })
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}
