package walk

import (
	"fmt"
	"strings"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// cite returns the evidence of src on device (nil when it cites no line).
func (r *Run) cite(device string, src netmodel.Source, note string) []netmodel.Evidence {
	if ev, ok := r.C.Cite(device, src, note); ok {
		return []netmodel.Evidence{ev}
	}
	return nil
}

// citeFocus cites the lines of src starting with one of keys.
func (r *Run) citeFocus(device string, src netmodel.Source, note string, keys ...string) []netmodel.Evidence {
	if ev, ok := r.C.CiteFocus(device, src, note, keys...); ok {
		return []netmodel.Evidence{ev}
	}
	return nil
}

// citeHead cites the first n lines of src (a long block's heading).
func (r *Run) citeHead(device string, src netmodel.Source, n int, note string) []netmodel.Evidence {
	if src.Valid() && src.End > src.Start+n-1 {
		src.End = src.Start + n - 1
	}
	return r.cite(device, src, note)
}

// childSAKeys pick the selector and counter lines of an IPsec SA block
// (Junos, IOS/ASA, swanctl).
var childSAKeys = []string{"ID:", "Local Identity", "Remote Identity", "local  ident", "local ident", "remote ident",
	"#pkts encaps", "#pkts decaps", "in  ", "out ", "local ", "remote "}

// linkEvidence cites where a link was learnt: the CDP/LLDP lines of each
// side that saw it, or bundle.yaml for a declared link (which has no line
// the model keeps).
func (r *Run) linkEvidence(lk *netmodel.Link, note string) []netmodel.Evidence {
	if lk == nil {
		return nil
	}
	var out []netmodel.Evidence
	for _, s := range lk.Seen {
		if s.How == "declared" {
			out = append(out, netmodel.Evidence{Device: "bundle.yaml", File: "bundle.yaml", Note: "declared under links: " + note})
			continue
		}
		out = append(out, r.citeFocus(s.Device, s.Src, s.How+": "+note, diagnose.NeighborKeys()...)...)
	}
	return out
}

// capEvidence cites packets of a capture (its packet numbers are its lines).
func capEvidence(c *netmodel.Capture, first, last uint64, text, note string) netmodel.Evidence {
	if last < first {
		last = first
	}
	dev := c.Device
	if dev == "" {
		dev = "capture"
	}
	return netmodel.Evidence{Device: dev, File: c.File, Start: int(first), End: int(last), Text: text, Note: note}
}

// capWhere names a capture's place as the CAP-* findings do.
func capWhere(c *netmodel.Capture) string {
	if c.Device != "" && c.Interface != "" {
		return c.Device + " " + c.Interface
	}
	return c.File
}

// subjectParts splits a finding subject "a ↔ b" into its ends.
func subjectParts(s string) []string {
	parts := strings.Split(s, " ↔ ")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// portTokens names a switch port the ways findings do: "sw Gi1/0/1" and
// "sw GigabitEthernet1/0/1".
func portTokens(dev, port string) []string {
	return []string{dev + " " + port, dev + " " + netmodel.ShortIfName(port)}
}

// joinAnd joins names as "a, b and c", as the findings do.
func joinAnd(items []string) string { return diagnose.JoinAnd(items) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// worst combines verdicts: fault over unknown over ok.
func worst(a, b Verdict) Verdict {
	rank := func(v Verdict) int {
		switch v {
		case Fault:
			return 3
		case Unknown:
			return 2
		case OK:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// skipped is the result of a step that had nothing to read.
func skipped(summary string) Result {
	return Result{Verdict: Skipped, Summary: summary, Reason: summary}
}
