package walk

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/diagnose/rib"
	"github.com/nettui/nettui/internal/netmodel"
)

// Walkthrough 2: an IPsec tunnel is down, or passes traffic one way.
func init() {
	tunnelQ := func() *Question {
		return &Question{Key: "tunnel", Prompt: "Which tunnel?", Free: "DEVICE@PEER of either end", choices: tunnelChoices, accept: tunnelAccept,
			none: func(r *Run) Result {
				return Result{Verdict: NotApplicable, Summary: "the bundle has no IPsec configuration or SA"}
			}}
	}
	register(&Walkthrough{
		order:   2,
		Name:    "ipsec",
		Aliases: []string{"ipsec-down"},
		Title:   "IPsec tunnel down or one-way",
		Symptom: "A site-to-site tunnel does not come up, comes up without passing traffic, passes it in one direction only, or drops at every rekey.",
		Suggest: []string{"IPSEC-", "ROUTE-", "CAP-ESP-", "CAP-IKE-", "CAP-FRAG-NEEDED"},
		Steps: []Step{
			{
				ID: "tunnel", Title: "Which tunnel?",
				Why:   "The two ends of a tunnel are paired by their addresses and SPIs; every later step compares them.",
				Read:  "Pick the tunnel as device@peer (either end names it).",
				Check: Check{Kind: KindQuestion, Question: tunnelQ()},
			},
			{
				ID: "phase1", Title: "Phase 1 (IKE SA)",
				Why:     "Without an IKE SA nothing else happens: reachability of the peer on UDP 500/4500, the IKE proposal and the authentication come first.",
				Read:    "Both ends should list the IKE SA as established (UP, READY, ESTABLISHED, MM_ACTIVE).",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataIKESA}},
				Branch:  "down: proposals, then the routes to the peer and a capture of IKE; up: proposals, phase 2, selectors, routes",
				devices: tunnelDevices, eval: evalPhase1,
			},
			{
				ID: "proposals", Title: "Proposals of both ends",
				Why:  "Phase 1 needs one common IKE proposal; phase 2 one common ESP proposal and the same PFS group (a PFS mismatch passes the first child SA and fails at the first rekey). Weak algorithms are flagged against RFC 8221/8247.",
				Read: "Each end's IKE and ESP proposals, side by side.",
				Check: Check{Kind: KindCollect, Collect: []Data{DataIPsecConf}, Rules: []string{diagnose.IPsecProposalMismatch, diagnose.IPsecPFSMismatch, diagnose.IPsecWeakCrypto,
					diagnose.IPsecNoPFS, diagnose.IPsecAggressivePSK, diagnose.IPsecLifetimeOrder, diagnose.IPsecWeakPSK, diagnose.IPsecPSKReuse}},
				devices: tunnelDevices, eval: evalProposals,
			},
			{
				ID: "phase2", Title: "Phase 2 (IPsec SAs)",
				Why:  "The child SAs carry the traffic: none while the IKE SA is up points at the selectors or the ESP proposal; packets counted out but not in is one-way traffic.",
				Read: "Each end should have a child SA per selector pair, its outbound SPI being the other end's inbound one, with counters rising both ways.",
				Check: Check{Kind: KindCollect, Collect: []Data{DataChildSA}, Rules: []string{diagnose.IPsecIKENoChild, diagnose.IPsecSelectorMissing, diagnose.IPsecOneWay,
					diagnose.IPsecStaleSPI, diagnose.IPsecExpiring}},
				devices: tunnelDevices, eval: evalPhase2,
			},
			{
				ID: "selectors", Title: "Selectors of both ends",
				Why:     "Phase-2 traffic selectors (proxy IDs, crypto ACLs) must mirror each other, or the responder refuses the child SA (TS_UNACCEPTABLE); policy-based designs need one pair per local/remote network pair.",
				Read:    "Each end's local === remote, and whether the other end holds the mirror.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataIPsecConf}, Rules: []string{diagnose.IPsecSelectorMismatch, diagnose.IPsecSelectorExplosion}},
				devices: tunnelDevices, eval: evalSelectors,
			},
			{
				ID: "routes", Title: "Routes into the tunnel and to the peer",
				Why:  "A route-based tunnel encrypts only what is routed into its interface; a policy-based one only what leaves towards the peer; the peer's own address must never be routed into the tunnel.",
				Read: "The peer via the outside interface; every remote network into the tunnel interface (or towards the peer).",
				Check: Check{Kind: KindCollect, Collect: []Data{DataRoutes}, Rules: []string{diagnose.RouteProtectedMissing, diagnose.RoutePeerMissing, diagnose.RoutePeerRecursive,
					diagnose.RouteTunnelDown, diagnose.RouteOverlap, diagnose.RouteAsymmetric, diagnose.RouteNextHopUnresolved}},
				devices: tunnelDevices, eval: evalRoutes,
			},
			{
				ID: "capture", Title: "Capture IKE and ESP",
				Why:  "On the wire: IKE requests without answers (UDP blocked, peer down or unconfigured), NO_PROPOSAL_CHOSEN, ESP leaving without ESP coming back.",
				Read: "IKE requests should be answered; ESP should flow both ways with the SPIs of phase 2.",
				Check: Check{Kind: KindCapture, Live: true, Rules: []string{diagnose.CapIKENoAnswer, diagnose.CapIKENoProposal, diagnose.CapESPOneWay, diagnose.CapFragNeeded},
					Capture: &CaptureSpec{Describe: "(esp or udp port 500 or udp port 4500) and host <the peer>", filter: ipsecFilter, points: tunnelPoints}},
				eval: evalIPsecCapture,
			},
		},
		concerns: tunnelConcerns,
		prefill:  tunnelPrefill,
	})
}

func tunnelKey(e *diagnose.TunnelEnd) string { return e.Dev.Name + "@" + e.Peer.String() }

func tunnelLabel(e *diagnose.TunnelEnd) string {
	if e.Partner != nil {
		return fmt.Sprintf("%s ↔ %s (%s → %s, %s → %s)", e.Dev.Name, e.Partner.Dev.Name, e.Dev.Name, e.Peer, e.Partner.Dev.Name, e.Partner.Peer)
	}
	return fmt.Sprintf("%s → %s (the peer was not collected)", e.Dev.Name, e.Peer)
}

// canonical returns the end a tunnel is named after: the one of the
// device that sorts first.
func canonical(e *diagnose.TunnelEnd) *diagnose.TunnelEnd {
	if e.Partner != nil && e.Partner.Dev.Name < e.Dev.Name {
		return e.Partner
	}
	return e
}

func tunnelChoices(r *Run) []Choice {
	var out []Choice
	for _, e := range r.C.Tunnels() {
		if canonical(e) != e || (len(e.IKE) == 0 && len(e.Children) == 0 && len(e.IKESAs) == 0 && len(e.ChildSAs) == 0) {
			continue
		}
		out = append(out, Choice{Value: tunnelKey(e), Label: tunnelLabel(e)})
	}
	return out
}

func tunnelAccept(r *Run, v string) (Choice, error) {
	for _, e := range r.C.Tunnels() {
		if strings.EqualFold(tunnelKey(e), v) {
			c := canonical(e)
			return Choice{Value: tunnelKey(c), Label: tunnelLabel(c)}, nil
		}
	}
	return Choice{}, fmt.Errorf("no tunnel DEVICE@PEER of this bundle is %s", v)
}

// tunnel returns the chosen tunnel's ends: the canonical end first.
func (r *Run) tunnel(key string) []*diagnose.TunnelEnd {
	v := r.Var(key)
	for _, e := range r.C.Tunnels() {
		if tunnelKey(e) == v {
			if e.Partner != nil {
				return []*diagnose.TunnelEnd{e, e.Partner}
			}
			return []*diagnose.TunnelEnd{e}
		}
	}
	return nil
}

func tunnelDevices(r *Run) []*netmodel.Device {
	var out []*netmodel.Device
	for _, e := range r.tunnel("tunnel") {
		out = append(out, e.Dev)
	}
	return out
}

// tunnelPrefill names the tunnel of an IPsec or routing finding.
func tunnelPrefill(s *netmodel.Snapshot, f *netmodel.Finding) map[string]string {
	r := &Run{S: s, C: diagnose.NewContext(s), vars: map[string]string{}}
	for _, e := range r.C.Tunnels() {
		r.vars["tunnel"] = tunnelKey(canonical(e))
		if tunnelConcerns(r, f) {
			return map[string]string{"tunnel": tunnelKey(canonical(e))}
		}
	}
	return nil
}

func evalPhase1(r *Run) Result {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return skipped("no tunnel chosen")
	}
	res := Result{Verdict: OK}
	var up, down, unknown []string
	for _, e := range ends {
		if r.lacks(e.Dev, DataIKESA) || (!Has(e.Dev, DataIKESA) && len(e.IKESAs) == 0) {
			unknown = append(unknown, e.Dev.Name)
			continue
		}
		if len(e.IKESAs) == 0 {
			down = append(down, e.Dev.Name)
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: no IKE SA to %s", e.Dev.Name, e.Peer), Evidence: r.ikeConfigEvidence(e)})
			continue
		}
		any := false
		for _, sa := range e.IKESAs {
			algs := ""
			if a := sa.Algs.String(); a != "" {
				algs = ", " + a
			}
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: IKEv%d SA to %s %s%s", e.Dev.Name, sa.Version, e.Peer, sa.State, algs),
				Evidence: r.citeHead(e.Dev.Name, sa.Src, 2, fmt.Sprintf("IKE SA %s", sa.State))})
			any = any || sa.Up
		}
		if any {
			up = append(up, e.Dev.Name)
		} else {
			down = append(down, e.Dev.Name)
		}
	}
	switch {
	case len(down) > 0:
		res.Verdict = Fault
		res.Summary = "phase 1 is not established on " + joinAnd(down)
		r.set("_p1", "down")
	case len(up) > 0:
		res.Summary = "phase 1 is up on " + joinAnd(up)
		r.set("_p1", "up")
	default:
		return skipped("the IKE SAs of " + joinAnd(unknown) + " are not in the bundle")
	}
	if len(unknown) > 0 {
		res.Summary += "; not collected on " + joinAnd(unknown)
	}
	return res
}

func (r *Run) ikeConfigEvidence(e *diagnose.TunnelEnd) []netmodel.Evidence {
	var out []netmodel.Evidence
	for _, k := range e.IKE {
		out = append(out, r.cite(e.Dev.Name, k.Src, "IKE configuration for "+e.Peer.String())...)
	}
	return out
}

func proposalList(ps []netmodel.Proposal) string {
	var s []string
	for _, p := range ps {
		if x := p.String(); x != "" {
			s = append(s, x)
		}
	}
	return orNone(s)
}

func evalProposals(r *Run) Result {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return skipped("no tunnel chosen")
	}
	res := Result{Verdict: OK}
	var lacking []string
	for _, e := range ends {
		if len(e.IKE) == 0 && len(e.Children) == 0 {
			lacking = append(lacking, e.Dev.Name)
			continue
		}
		for _, k := range e.IKE {
			mode := ""
			if k.Aggressive {
				mode = ", aggressive mode"
			}
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s IKE %s (IKEv%d%s): %s", e.Dev.Name, k.Name, k.Version, mode, proposalList(k.Proposals)),
				Evidence: r.cite(e.Dev.Name, k.Src, "IKE "+k.Name)})
		}
		for _, ch := range e.Children {
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s ESP %s: %s", e.Dev.Name, ch.Name, proposalList(ch.Proposals)),
				Evidence: r.cite(e.Dev.Name, ch.Src, "IPsec "+ch.Name)})
		}
	}
	if len(res.Facts) == 0 {
		return skipped("the IPsec configuration of " + joinAnd(lacking) + " is not in the bundle")
	}
	res.Summary = "proposals read on both ends"
	if len(lacking) > 0 {
		res.Summary = "proposals read; the configuration of " + joinAnd(lacking) + " is not in the bundle"
	}
	if r.Var("_p1") == "down" {
		res.Goto = "routes"
	}
	return res
}

func evalPhase2(r *Run) Result {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return skipped("no tunnel chosen")
	}
	res := Result{Verdict: OK}
	var none, oneWay, fine, lacking []string
	for _, e := range ends {
		if !Has(e.Dev, DataChildSA) && len(e.ChildSAs) == 0 {
			lacking = append(lacking, e.Dev.Name)
			continue
		}
		if len(e.ChildSAs) == 0 {
			none = append(none, e.Dev.Name)
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: no IPsec SA to %s", e.Dev.Name, e.Peer), Evidence: r.ikeSAEvidence(e)})
			continue
		}
		in, out := uint64(0), uint64(0)
		known := false
		for _, sa := range e.ChildSAs {
			text := fmt.Sprintf("%s %s: SPI in 0x%08x, out 0x%08x, %s", e.Dev.Name, orNone([]string{sa.Name}), sa.InSPI, sa.OutSPI, selectorList(sa.Selectors))
			if sa.CountersKnown {
				text += fmt.Sprintf(", packets in %d, out %d", sa.PacketsIn, sa.PacketsOut)
				in += sa.PacketsIn
				out += sa.PacketsOut
				known = true
			}
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: r.citeFocus(e.Dev.Name, sa.Src, "child SA", childSAKeys...)})
		}
		switch {
		case known && out > 0 && in == 0:
			oneWay = append(oneWay, fmt.Sprintf("%s (out %d, in 0)", e.Dev.Name, out))
		default:
			fine = append(fine, fmt.Sprintf("%s (%s)", e.Dev.Name, plural(len(e.ChildSAs), "child SA")))
		}
	}
	switch {
	case len(none) > 0:
		res.Verdict = Fault
		res.Summary = "no child SA on " + joinAnd(none)
		if r.Var("_p1") == "up" {
			res.Summary += " although the IKE SA is up: the selectors or the ESP proposal are refused"
		}
	case len(oneWay) > 0:
		res.Verdict = Fault
		res.Summary = "one-way: " + joinAnd(oneWay)
	case len(fine) > 0:
		res.Summary = "child SAs up: " + joinAnd(fine)
	default:
		return skipped("the IPsec SAs of " + joinAnd(lacking) + " are not in the bundle")
	}
	if len(lacking) > 0 {
		res.Summary += "; not collected on " + joinAnd(lacking)
	}
	return res
}

func (r *Run) ikeSAEvidence(e *diagnose.TunnelEnd) []netmodel.Evidence {
	var out []netmodel.Evidence
	for _, sa := range e.IKESAs {
		out = append(out, r.citeHead(e.Dev.Name, sa.Src, 2, "IKE SA "+sa.State)...)
	}
	return out
}

func selectorList(ss []netmodel.Selector) string {
	var out []string
	for _, s := range ss {
		out = append(out, s.String())
	}
	return orNone(out)
}

// mirrored reports whether every selector of a has its mirror in b's.
func mirrored(a, b []netmodel.Selector) (missing []netmodel.Selector) {
	for _, s := range a {
		m := s.Mirror()
		if !slices.ContainsFunc(b, func(x netmodel.Selector) bool { return x.Covers(m) || m.Covers(x) }) {
			missing = append(missing, s)
		}
	}
	return missing
}

func evalSelectors(r *Run) Result {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return skipped("no tunnel chosen")
	}
	res := Result{Verdict: OK}
	var bad []string
	for _, e := range ends {
		for _, ch := range e.Children {
			kind := "policy-based"
			if ch.RouteBased && !ch.PolicyBased {
				kind = "route-based"
			}
			if ch.Interface != "" {
				kind += " on " + ch.Interface
			}
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s %s (%s): %s", e.Dev.Name, ch.Name, kind, selectorList(ch.Selectors)),
				Evidence: r.cite(e.Dev.Name, ch.Src, "selectors of "+ch.Name)})
		}
	}
	if len(res.Facts) == 0 {
		return skipped("no configured selector in the bundle")
	}
	if len(ends) == 2 {
		a, b := ends[0], ends[1]
		sa, sb := a.ConfiguredSelectors(), b.ConfiguredSelectors()
		if len(sa) > 0 && len(sb) > 0 {
			for _, s := range mirrored(sa, sb) {
				bad = append(bad, fmt.Sprintf("%s's %s has no mirror on %s", a.Dev.Name, s, b.Dev.Name))
			}
			for _, s := range mirrored(sb, sa) {
				bad = append(bad, fmt.Sprintf("%s's %s has no mirror on %s", b.Dev.Name, s, a.Dev.Name))
			}
		}
	}
	n := 0
	for _, e := range ends {
		if diagnose.PolicyBased(e) {
			n = max(n, len(e.ConfiguredSelectors()))
		}
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
	case n > 1:
		res.Summary = fmt.Sprintf("the selectors mirror; %d selector pairs per side (policy-based)", n)
	default:
		res.Summary = "the selectors mirror"
	}
	return res
}

func evalRoutes(r *Run) Result {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return skipped("no tunnel chosen")
	}
	res := Result{Verdict: OK}
	var bad, lacking []string
	unjudged := 0 // remote subnets whose route waits for their child SA
	for _, e := range ends {
		if len(e.Dev.Routes) == 0 {
			lacking = append(lacking, e.Dev.Name)
			continue
		}
		// The table the rules read: strongSwan's table 220 first on Linux.
		t := r.C.Forwarding(e.Dev)
		if t == nil {
			lacking = append(lacking, e.Dev.Name)
			continue
		}
		tif := diagnose.TunnelInterface(e)
		peerRes, perr := t.Resolve(e.Peer)
		if perr != nil {
			bad = append(bad, fmt.Sprintf("%s has no route to its peer %s", e.Dev.Name, e.Peer))
			res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: no route to the peer %s (%v)", e.Dev.Name, e.Peer, perr)})
		} else {
			res.Facts = append(res.Facts, r.routeFact(e.Dev, fmt.Sprintf("%s reaches the peer %s via %s", e.Dev.Name, e.Peer, peerRes.Interface), peerRes))
			if diagnose.IsTunnelInterface(e.Dev, peerRes.Interface) {
				bad = append(bad, fmt.Sprintf("%s routes its peer into %s", e.Dev.Name, peerRes.Interface))
			}
		}
		for _, n := range diagnose.RemoteNets(e) {
			if diagnose.RoutesFollowSAs(e) && !diagnose.ChildSAFor(e, n) {
				unjudged++
				res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: %s is routed into %s by strongSwan once a child SA protects it; none does, so its route is not judged (phase 2 says why)", e.Dev.Name, n, orNone([]string{tif}))})
				continue
			}
			res2, err := t.Resolve(n.Addr())
			if err != nil {
				bad = append(bad, fmt.Sprintf("%s has no route to %s", e.Dev.Name, n))
				res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: no route to the remote network %s", e.Dev.Name, n)})
				continue
			}
			where := res2.Interface
			okHere := true
			switch {
			case tif != "":
				okHere = where == tif || where == strings.TrimSuffix(tif, ".0")
			case perr == nil:
				okHere = where == peerRes.Interface
			}
			text := fmt.Sprintf("%s routes %s via %s", e.Dev.Name, n, orNone([]string{where}))
			if !okHere {
				want := tif
				if want == "" {
					want = peerRes.Interface + " (towards the peer)"
				}
				text += ", not into " + want
				bad = append(bad, fmt.Sprintf("%s: %s not routed into the tunnel", e.Dev.Name, n))
			}
			res.Facts = append(res.Facts, r.routeFact(e.Dev, text, res2))
		}
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
	case len(res.Facts) > 0 && unjudged > 0:
		res.Summary = "the peer is reached outside the tunnel; the routes into it wait for the child SAs (not judged while they are down)"
	case len(res.Facts) > 0:
		res.Summary = "the peer is reached outside the tunnel and every remote network is routed into it"
	default:
		return skipped("the routing tables of " + joinAnd(lacking) + " are not in the bundle")
	}
	if len(lacking) > 0 {
		res.Summary += "; routing table of " + joinAnd(lacking) + " not collected"
	}
	return res
}

func (r *Run) routeFact(d *netmodel.Device, text string, res rib.Resolution) Fact {
	f := Fact{Text: text}
	for i, rt := range res.Chain {
		note := ""
		if i == 0 {
			note = text
		}
		f.Evidence = append(f.Evidence, r.cite(d.Name, rt.Src, note)...)
	}
	return f
}

func ipsecFilter(r *Run) string {
	base := "(esp or udp port 500 or udp port 4500)"
	if ends := r.tunnel("tunnel"); len(ends) > 0 && ends[0].Peer.IsValid() {
		return base + " and host " + ends[0].Peer.String()
	}
	return "esp or udp port 500 or udp port 4500"
}

func tunnelPoints(r *Run) []Point {
	var out []Point
	for _, e := range r.tunnel("tunnel") {
		out = append(out, Point{Device: e.Dev.Name})
	}
	return out
}

func evalIPsecCapture(r *Run) Result {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return skipped("no tunnel chosen")
	}
	if len(r.caps) == 0 {
		return Result{Verdict: Skipped, Summary: "no capture of the tunnel's endpoints"}
	}
	addrs := map[netip.Addr]bool{}
	for _, e := range ends {
		addrs[e.Peer] = true
		if e.Local.IsValid() {
			addrs[e.Local] = true
		}
	}
	res := Result{Verdict: OK}
	var bad []string
	ike, esp := 0, 0
	for _, c := range r.caps {
		for _, k := range c.IKE {
			if !addrs[k.Initiator] && !addrs[k.Responder] {
				continue
			}
			text := fmt.Sprintf("%s: IKEv%d %s → %s: %d requests, %d responses, %d unanswered", capWhere(c), k.Version, k.Initiator, k.Responder, k.Requests, k.Responses, k.Unanswered)
			if len(k.Notifies) > 0 {
				text += ", notify " + strings.Join(k.Notifies, ", ")
			}
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: []netmodel.Evidence{capEvidence(c, k.First, k.Last, text, "")}})
			ike++
			if k.Requests > 0 && k.Responses == 0 {
				bad = append(bad, fmt.Sprintf("IKE from %s unanswered", k.Initiator))
			}
		}
		back := map[[2]netip.Addr]bool{}
		for _, s := range c.ESP {
			back[[2]netip.Addr{s.Src, s.Dst}] = true
		}
		for _, s := range c.ESP {
			if !addrs[s.Src] && !addrs[s.Dst] {
				continue
			}
			text := fmt.Sprintf("%s: ESP %s → %s SPI 0x%08x: %d packets", capWhere(c), s.Src, s.Dst, s.SPI, s.Packets)
			res.Facts = append(res.Facts, Fact{Text: text, Evidence: []netmodel.Evidence{capEvidence(c, s.First, s.Last, text, "")}})
			esp++
			if s.Packets >= 5 && !back[[2]netip.Addr{s.Dst, s.Src}] {
				bad = append(bad, fmt.Sprintf("ESP %s → %s with nothing back", s.Src, s.Dst))
			}
		}
	}
	switch {
	case len(bad) > 0:
		res.Verdict = Fault
		res.Summary = strings.Join(bad, "; ")
	case len(res.Facts) == 0:
		res.Verdict = Unknown
		res.Summary = "the captures hold no IKE or ESP of this tunnel"
		res.Reason = res.Summary
	case esp == 0:
		res.Summary = "IKE answered; no ESP in the capture"
	case ike == 0:
		res.Summary = "ESP both ways"
	default:
		res.Summary = "IKE answered and ESP both ways"
	}
	return res
}

// hasPrefixWord reports whether s starts with p followed by the end of s
// or a space.
func hasPrefixWord(s, p string) bool {
	return s == p || strings.HasPrefix(s, p+" ")
}

// tunnelConcerns: findings about the pair, about one of its ends (its
// peer, its remote networks, its tunnel interface, its PSK), and the
// captures of its endpoints that show their traffic.
func tunnelConcerns(r *Run, f *netmodel.Finding) bool {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return false
	}
	s := f.Subject
	if len(ends) == 2 {
		a, b := ends[0].Dev.Name, ends[1].Dev.Name
		if hasPrefixWord(s, a+" ↔ "+b) || hasPrefixWord(s, b+" ↔ "+a) {
			return true
		}
	}
	if strings.HasPrefix(f.ID, "CAP-") {
		for _, e := range ends {
			for _, c := range r.S.Captures {
				if c != nil && c.Device == e.Dev.Name && strings.HasPrefix(s, capWhere(c)+" ") &&
					(strings.Contains(s, e.Peer.String()) || (e.Local.IsValid() && strings.Contains(s, e.Local.String()))) {
					return true
				}
			}
		}
		return false
	}
	for _, e := range ends {
		d := e.Dev.Name
		switch {
		case hasPrefixWord(s, e.Name()):
			return true
		case strings.HasPrefix(s, d+" PSK "):
			return true
		case strings.HasPrefix(s, d+" IKE ") && strings.HasSuffix(s, "(peer "+e.Peer.String()+")"):
			return true
		case e.Partner != nil && strings.HasPrefix(s, d+" → "+e.Partner.Dev.Name+" → "):
			return true
		case strings.HasPrefix(s, d+" → "):
			if p, err := netip.ParsePrefix(strings.Fields(strings.TrimPrefix(s, d+" → "))[0]); err == nil {
				for _, n := range diagnose.RemoteNets(e) {
					if n.Overlaps(p) {
						return true
					}
				}
			}
		case strings.HasPrefix(s, d+" ") && !strings.HasPrefix(s, d+" → "):
			rest := strings.TrimPrefix(s, d+" ")
			if tif := diagnose.TunnelInterface(e); tif != "" && rest == tif {
				return true
			}
			if p, err := netip.ParsePrefix(rest); err == nil {
				if p.Contains(e.Peer) {
					return true
				}
				for _, n := range diagnose.RemoteNets(e) {
					if n.Overlaps(p) {
						return true
					}
				}
			}
		}
	}
	// A router on a gateway's protected side that has no route for one of
	// the tunnel's remote subnets.
	if f.ID == diagnose.RouteProtectedMissing {
		if _, rest, ok := strings.Cut(s, " → "); ok {
			if p, err := netip.ParsePrefix(strings.Fields(rest + " ")[0]); err == nil {
				for _, e := range ends {
					for _, n := range diagnose.RemoteNets(e) {
						if n.Overlaps(p) {
							return true
						}
					}
				}
			}
		}
	}
	return false
}
