package walk

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// Walkthrough 5: move a policy-based tunnel to a route-based one (GRE over
// IPsec, or st0/VTI).
func init() {
	register(&Walkthrough{
		order:   5,
		Name:    "ipsec-route-based",
		Title:   "Move a policy-based IPsec tunnel to route-based (GRE over IPsec or st0/VTI)",
		Symptom: "A policy-based tunnel needs one selector pair (and one child SA) per local/remote network pair and both ends edited in step for every new network: move it to one pair per side and plain routes.",
		Suggest: []string{diagnose.IPsecSelectorExplosion},
		Steps: []Step{
			{
				ID: "tunnel", Title: "Which policy-based tunnel?",
				Why:  "Only tunnels that pick their traffic with selectors (crypto ACLs, security policies, traffic selectors) have something to move.",
				Read: "Pick the tunnel as device@peer.",
				Check: Check{Kind: KindQuestion, Question: &Question{Key: "tunnel", Prompt: "Which policy-based tunnel?", Free: "DEVICE@PEER of either end", choices: policyTunnelChoices, accept: policyTunnelAccept,
					none: noPolicyTunnel}},
			},
			{
				ID: "count", Title: "Count today's selectors",
				Why:     "N local × M remote networks are N×M selector pairs per side, each its own child SA to negotiate, rekey and monitor; route-based needs one.",
				Read:    "Networks on each side, the selector pairs configured and the child SAs installed.",
				Check:   Check{Kind: KindCollect, Collect: []Data{DataIPsecConf, DataChildSA}, Rules: []string{diagnose.IPsecSelectorExplosion, diagnose.IPsecSelectorMismatch}},
				devices: tunnelDevices, eval: evalCount,
			},
			{
				ID: "design", Title: "GRE over IPsec or st0/VTI?",
				Why:   "GRE over IPsec protects one GRE host-to-host pair and can carry multicast and routing protocols; a VTI (st0, Tunnel mode ipsec, XFRM interface) protects any/any on a tunnel interface with less overhead. Both make the networks plain routes.",
				Read:  "Only the designs both platforms can build are offered.",
				Check: Check{Kind: KindQuestion, Question: &Question{Key: "design", Prompt: "Which route-based design?", choices: designChoices}},
			},
			{
				ID: "addresses", Title: "Pick addresses for the tunnel endpoints",
				Why:   "The tunnel interfaces need a /30 that neither end uses for an interface or a route.",
				Read:  "The first free /30 of 169.254.100.0/22 and up is offered; any other free IPv4 /30 can be given.",
				Check: Check{Kind: KindQuestion, Question: &Question{Key: "tunnel-net", Prompt: "Which /30 for the tunnel interfaces?", Free: "any IPv4 /30 free on both ends", choices: netChoices, accept: netAccept}},
			},
			{
				ID: "config", Title: "Configuration for both ends",
				Why:     "Remove what picks the traffic today (crypto map and ACL, tunnel policies, proxy IDs), add the tunnel interface with its one selector pair, and route the far networks into it.",
				Read:    "Apply each end's commands in one change window; the old SAs go away, one new child SA comes up.",
				Check:   Check{Kind: KindConfig, Collect: []Data{DataIPsecConf}},
				devices: tunnelDevices, eval: evalConfig,
			},
			{
				ID: "verify", Title: "Verification steps",
				Why:   "Prove it in layers: the IPsec link first, then the tunnel across it, then the routes — each failing layer points at its own cause.",
				Read:  "Run them in order once both ends are configured; then collect again: `nettui diagnose` should show no IPSEC finding for the tunnel.",
				Check: Check{Kind: KindVerify, Live: true},
				eval:  evalVerify,
			},
		},
		concerns: tunnelConcerns,
		prefill:  tunnelPrefill,
	})
}

func policyTunnelChoices(r *Run) []Choice {
	var out []Choice
	for _, e := range r.C.Tunnels() {
		if canonical(e) != e {
			continue
		}
		pb := diagnose.PolicyBased(e) || (e.Partner != nil && diagnose.PolicyBased(e.Partner))
		if pb {
			out = append(out, Choice{Value: tunnelKey(e), Label: tunnelLabel(e)})
		}
	}
	return out
}

func policyTunnelAccept(r *Run, v string) (Choice, error) {
	c, err := tunnelAccept(r, v)
	if err != nil {
		return c, err
	}
	for _, pc := range policyTunnelChoices(r) {
		if pc.Value == c.Value {
			return c, nil
		}
	}
	return Choice{}, fmt.Errorf("%s is already route-based on both ends", v)
}

// design describes how an end picks its traffic today.
func (r *Run) designOf(e *diagnose.TunnelEnd) (string, []netmodel.Evidence) {
	var ev []netmodel.Evidence
	kind := "no configuration collected"
	for _, ch := range e.Children {
		ev = append(ev, r.cite(e.Dev.Name, ch.Src, ch.Name)...)
		switch {
		case diagnose.PolicyBased(e):
			kind = "policy-based"
		case ch.RouteBased && ch.Interface != "":
			kind = "route-based on " + ch.Interface
		default:
			kind = "GRE over IPsec (one host-to-host pair)"
		}
	}
	if !diagnose.PolicyBased(e) && len(e.Children) > 0 {
		for _, ch := range e.Children {
			if ch.PolicyBased {
				kind = "GRE over IPsec: the policy protects only GRE between the gateways"
			}
		}
	}
	return kind, ev
}

func noPolicyTunnel(r *Run) Result {
	res := Result{Verdict: NotApplicable, Summary: "no policy-based tunnel in this bundle: nothing to move"}
	n := 0
	for _, e := range r.C.Tunnels() {
		if len(e.Children) == 0 {
			continue
		}
		n++
		kind, ev := r.designOf(e)
		res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: %s", e.Name(), kind), Evidence: ev})
	}
	if n == 0 {
		res.Summary = "the bundle has no IPsec tunnel configuration"
	} else {
		res.Summary = "every tunnel is already route-based: nothing to move"
	}
	return res
}

func evalCount(r *Run) Result {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return skipped("no tunnel chosen")
	}
	res := Result{Verdict: OK}
	maxPairs := 0
	var parts []string
	for _, e := range ends {
		kind, ev := r.designOf(e)
		sels := e.ConfiguredSelectors()
		l, m := diagnose.LocalNets(e), diagnose.RemoteNets(e)
		text := fmt.Sprintf("%s (%s): %d local × %d remote networks, %s configured", e.Dev.Name, kind, len(l), len(m), plural(len(sels), "selector pair"))
		if len(e.ChildSAs) > 0 {
			text += fmt.Sprintf(", %s installed", plural(len(e.ChildSAs), "child SA"))
			for _, sa := range e.ChildSAs {
				ev = append(ev, r.citeHead(e.Dev.Name, sa.Src, 1, "child SA "+selectorList(sa.Selectors))...)
			}
		}
		res.Facts = append(res.Facts, Fact{Text: text, Evidence: ev})
		if diagnose.PolicyBased(e) {
			maxPairs = max(maxPairs, len(sels))
		}
		parts = append(parts, fmt.Sprintf("%s %d", e.Dev.Name, len(sels)))
	}
	res.Summary = fmt.Sprintf("selector pairs today: %s; route-based: 1 per side", strings.Join(parts, ", "))
	if maxPairs <= 1 {
		res.Summary += " (a single pair: the move is about routing flexibility, not scale)"
	}
	return res
}

func (r *Run) endPlatforms() []netmodel.Platform {
	var out []netmodel.Platform
	for _, e := range r.tunnel("tunnel") {
		out = append(out, e.Dev.Platform)
	}
	return out
}

func designChoices(r *Run) []Choice {
	var out []Choice
	for _, d := range diagnose.MigrationDesigns(r.endPlatforms()...) {
		switch d {
		case diagnose.DesignGRE:
			out = append(out, Choice{Value: d, Label: "GRE over IPsec", Detail: "one GRE host-to-host selector pair; carries multicast and routing protocols"})
		case diagnose.DesignVTI:
			out = append(out, Choice{Value: d, Label: "st0/VTI (route-based IPsec)", Detail: "one any/any selector pair on a tunnel interface"})
		}
	}
	return out
}

func (r *Run) tunnelDevs() []*netmodel.Device {
	var out []*netmodel.Device
	for _, e := range r.tunnel("tunnel") {
		out = append(out, e.Dev)
	}
	return out
}

func netLabel(r *Run, p netip.Prefix) string {
	ends := r.tunnel("tunnel")
	a := p.Addr().Next()
	parts := []string{}
	for _, e := range ends {
		parts = append(parts, fmt.Sprintf("%s %s", e.Dev.Name, a))
		a = a.Next()
	}
	return fmt.Sprintf("%s (%s; free on both ends)", p, strings.Join(parts, ", "))
}

func netChoices(r *Run) []Choice {
	p := diagnose.FreeTunnelNet(r.tunnelDevs()...)
	if !p.IsValid() {
		return nil
	}
	return []Choice{{Value: p.String(), Label: netLabel(r, p)}}
}

func netAccept(r *Run, v string) (Choice, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(v))
	if err != nil {
		return Choice{}, fmt.Errorf("not a prefix (A.B.C.D/30): %v", err)
	}
	if err := diagnose.TunnelNetFree(p, r.tunnelDevs()...); err != nil {
		return Choice{}, err
	}
	return Choice{Value: p.String(), Label: netLabel(r, p)}, nil
}

func (r *Run) plan() (*diagnose.Migration, error) {
	ends := r.tunnel("tunnel")
	if len(ends) == 0 {
		return nil, fmt.Errorf("no tunnel chosen")
	}
	p, err := netip.ParsePrefix(r.Var("tunnel-net"))
	if err != nil {
		return nil, fmt.Errorf("no tunnel addresses chosen")
	}
	if r.Var("design") == "" {
		return nil, fmt.Errorf("no design chosen")
	}
	return diagnose.PlanMigration(r.S, ends[0], r.Var("design"), p)
}

func evalConfig(r *Run) Result {
	m, err := r.plan()
	if err != nil {
		return Result{Verdict: Skipped, Summary: "no configuration: " + err.Error(), Reason: err.Error()}
	}
	res := Result{Verdict: OK}
	ends := r.tunnel("tunnel")
	for i, me := range m.Ends {
		_, ev := r.designOf(ends[i])
		var routes []string
		for _, n := range me.Routes {
			routes = append(routes, n.String())
		}
		res.Facts = append(res.Facts, Fact{Text: fmt.Sprintf("%s: %s %s/30, routes %s into it; replaces the lines cited", me.Device, me.Interface, me.Addr, strings.Join(routes, ", ")), Evidence: ev})
		res.Fixes = append(res.Fixes, me.Config)
	}
	name := "GRE over IPsec"
	if m.Design == diagnose.DesignVTI {
		name = "a route-based VTI"
	}
	res.Summary = fmt.Sprintf("%s on %s for %s", name, m.Net, plural(len(m.Ends), "end"))
	return res
}

func evalVerify(r *Run) Result {
	m, err := r.plan()
	if err != nil {
		return Result{Verdict: Skipped, Summary: "nothing to verify: " + err.Error(), Reason: err.Error()}
	}
	res := Result{Verdict: Skipped, Summary: "to run once both ends are configured", Reason: "run after the change, on the live devices"}
	for _, v := range m.Verify {
		res.Followup = append(res.Followup, Followup{Title: v.Title, Expect: v.Expect, Commands: v.Commands})
	}
	return res
}
