package diagnose

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// STPChannelMemberStates is the rule ID of the per-member spanning-tree check.
const STPChannelMemberStates = "STP-CHANNEL-MEMBER-STATES"

func init() {
	addRule(Rule{ID: STPChannelMemberStates, Severity: netmodel.SevWarning, Title: "Members of one channel in different spanning-tree states",
		Summary: "Spanning tree sees the members of a channel as separate ports in different states: the channel is not formed, and STP blocks all but one of its links.",
		Check:   checkSTPChannelMembers})
}

func checkSTPChannelMembers(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	for _, d := range c.S.Devices {
		for _, lag := range d.LAGs {
			// instance → state → members
			type inst struct {
				name   string
				states map[string][]*netmodel.STPPort
			}
			var insts []*inst
			for _, b := range d.STP {
				in := &inst{name: b.Instance, states: map[string][]*netmodel.STPPort{}}
				for _, m := range lag.Members {
					for _, p := range b.Ports {
						if p.Name == m.Port && p.State != "" {
							in.states[p.State] = append(in.states[p.State], p)
						}
					}
				}
				if len(in.states) > 1 {
					insts = append(insts, in)
				}
			}
			if len(insts) == 0 {
				continue
			}
			in := insts[0] // the first instance says it; the others repeat it
			var states []string
			for s := range in.states {
				states = append(states, s)
			}
			sort.Strings(states)
			l := &evList{c: c}
			l.add(d.Name, lag.Src, fmt.Sprintf("%s %s", d.Name, lag.Name))
			var parts []string
			for _, s := range states {
				var names []string
				for _, p := range in.states[s] {
					names = append(names, netmodel.ShortIfName(p.Name))
					l.add(d.Name, p.Src, fmt.Sprintf("%s: %s %s", netmodel.ShortIfName(p.Name), p.Role, p.State))
				}
				parts = append(parts, joinAnd(names)+" "+s)
			}
			where := ""
			if in.name != "" {
				where = " in " + in.name
				if len(insts) > 1 {
					where += fmt.Sprintf(" (and %d more instances)", len(insts)-1)
				}
			}
			out = append(out, netmodel.Finding{ID: STPChannelMemberStates, Severity: netmodel.SevWarning,
				Title:   fmt.Sprintf("members of %s in different spanning-tree states", lag.Name),
				Subject: d.Name + " " + lag.Name,
				Why: fmt.Sprintf("Spanning tree runs on a formed channel as one port; here it sees the members as separate ports%s: %s. The channel is not formed (members suspended or individual), so STP treats each link as a path of its own and blocks all but one: the bundle's bandwidth and redundancy are gone. Find why the members did not bundle (see the LACP findings and `show etherchannel summary`), then the states follow.",
					where, strings.Join(parts, "; ")),
				Evidence: l.out})
		}
	}
	return out
}
