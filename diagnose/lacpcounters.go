package diagnose

import (
	"fmt"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// LACPPDUCounters is the rule ID of the LACPDU counter check.
const LACPPDUCounters = "LACP-PDU-COUNTERS"

func init() {
	addRule(Rule{ID: LACPPDUCounters, Severity: netmodel.SevWarning, Title: "LACPDU counters show timeouts or no PDUs received",
		Summary: "A member's LACPDU counters show no PDU received, bad PDUs, or partner information that timed out (LACPDUs lost): the member drops out of the bundle now and then.",
		Check:   checkLACPCounters})
}

func checkLACPCounters(c *Context) []netmodel.Finding {
	var out []netmodel.Finding
	c.lacpLAGs(func(d *netmodel.Device, lag *netmodel.LAG) {
		var silent, flapping, bad []*netmodel.LAGMember
		for _, m := range lag.Members {
			if !m.CountersKnown || notLACPPartner(m) {
				continue // no counters, or LACP-PARTNER-NOT-LACP already says the partner is silent now
			}
			stateKnown := m.ActorStateKnown || m.PartnerStateKnown
			switch {
			case m.PDUsIn == 0 && m.PDUsOut >= 3 && !stateKnown:
				silent = append(silent, m)
			case m.Expired > 0 || m.Defaulted > 0:
				flapping = append(flapping, m)
			}
			if m.RxErrors > 0 {
				bad = append(bad, m)
			}
		}
		if len(silent)+len(flapping)+len(bad) == 0 {
			return
		}
		sev := netmodel.SevWarning
		var why []string
		var title string
		if len(silent) > 0 {
			sev = netmodel.SevCritical
			title = fmt.Sprintf("%s of %s received no LACPDU", joinAnd(memberNames(silent)), lag.Name)
			for _, m := range silent {
				why = append(why, fmt.Sprintf("%s: %d LACPDUs sent, none received: the other end does not speak LACP on this link (static channel, plain port, LACP off) or the PDUs are dropped on the way.", netmodel.ShortIfName(m.Port), m.PDUsOut))
			}
		}
		if len(flapping) > 0 {
			if title == "" {
				title = fmt.Sprintf("LACPDUs timed out on %s of %s", joinAnd(memberNames(flapping)), lag.Name)
			}
			for _, m := range flapping {
				why = append(why, fmt.Sprintf("%s: the partner's information expired %d and fell back to defaults %d times (%d LACPDUs received, %d sent); each time the member left the bundle for at least the LACP timeout.", netmodel.ShortIfName(m.Port), m.Expired, m.Defaulted, m.PDUsIn, m.PDUsOut))
			}
			why = append(why, "LACPDUs lost now and then come from CPU load on either end, a saturated link, LACP rate fast on one end only, or the other end being reconfigured or reloaded. If the counters keep rising, check the other end's CPU and the link's drops; clear the counters to see whether it is still happening.")
		}
		if len(bad) > 0 {
			if title == "" {
				title = fmt.Sprintf("Bad LACPDUs received on %s of %s", joinAnd(memberNames(bad)), lag.Name)
			}
			for _, m := range bad {
				why = append(why, fmt.Sprintf("%s: %d malformed or unexpected LACPDUs received.", netmodel.ShortIfName(m.Port), m.RxErrors))
			}
		}
		l := &evList{c: c}
		l.add(d.Name, lag.Src, fmt.Sprintf("%s %s", d.Name, lag.Name))
		for _, m := range append(append(append([]*netmodel.LAGMember(nil), silent...), flapping...), bad...) {
			l.add(d.Name, m.CountersSrc, fmt.Sprintf("%s LACPDU counters: rx %d, tx %d, bad %d, expired %d, defaulted %d", netmodel.ShortIfName(m.Port), m.PDUsIn, m.PDUsOut, m.RxErrors, m.Expired, m.Defaulted))
		}
		out = append(out, netmodel.Finding{ID: LACPPDUCounters, Severity: sev, Title: title,
			Subject:  d.Name + " " + lag.Name,
			Why:      strings.Join(why, "\n"),
			Evidence: l.out})
	})
	return out
}
