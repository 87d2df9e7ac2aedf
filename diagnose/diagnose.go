// Package diagnose runs pure rules over a snapshot and returns findings.
// Every finding cites the raw lines it rests on and says what to type to fix
// it; a rule that lacks its inputs says "unknown" and what to collect.
package diagnose

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nettui/nettui/diagnose/rib"
	"github.com/nettui/nettui/internal/netmodel"
)

// Rule is one check over a snapshot.
type Rule struct {
	ID       string
	Severity netmodel.Severity // the severity its findings usually carry
	Title    string
	Summary  string // one line for docs and help
	Check    func(*Context) []netmodel.Finding
}

var rules []Rule

func addRule(r Rule) { rules = append(rules, r) }

// Rules lists every rule, by ID.
func Rules() []Rule {
	out := append([]Rule(nil), rules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Context is what rules read: the snapshot and derived views shared between
// rules (computed once per run).
type Context struct {
	S *netmodel.Snapshot
	// views computed lazily
	uplinks map[*netmodel.VSwitch][]*Uplink
	pgv     []*pgVerdict
	pgDone  bool

	tunnels     []*TunnelEnd
	tunnelsDone bool

	ribs map[*netmodel.Device]map[string]*rib.Table
}

// Run applies every rule and returns the findings, most severe first, then
// by rule and subject.
func Run(s *netmodel.Snapshot) []netmodel.Finding {
	c := &Context{S: s}
	var out []netmodel.Finding
	for _, r := range Rules() {
		for _, f := range r.Check(c) {
			f.Fix = mergeFixes(f.Fix)
			out = append(out, f)
		}
	}
	SortFindings(out)
	return out
}

// SortFindings orders findings most severe first, then by ID and subject.
func SortFindings(f []netmodel.Finding) {
	sort.SliceStable(f, func(i, j int) bool {
		if f[i].Severity != f[j].Severity {
			return f[i].Severity > f[j].Severity
		}
		if f[i].ID != f[j].ID {
			return f[i].ID < f[j].ID
		}
		return f[i].Subject < f[j].Subject
	})
}

// evidence cites src on device with the raw text of those lines.
func (c *Context) evidence(device string, src netmodel.Source, note string) (netmodel.Evidence, bool) {
	if !src.Valid() || src.File == "" {
		return netmodel.Evidence{}, false
	}
	end := src.End
	if end < src.Start {
		end = src.Start
	}
	ev := netmodel.Evidence{Device: device, File: src.File, Start: src.Start, End: end, Note: note}
	if f := c.S.File(src.File); f != nil {
		var lines []string
		for i := src.Start; i <= end && i <= len(f.Lines); i++ {
			lines = append(lines, f.Lines[i-1])
		}
		ev.Text = strings.Join(lines, "\n")
	}
	return ev, true
}

// evList collects evidence, skipping sources that cite nothing and
// duplicates.
type evList struct {
	c   *Context
	out []netmodel.Evidence
}

func (l *evList) add(device string, src netmodel.Source, note string) {
	ev, ok := l.c.evidence(device, src, note)
	if !ok {
		return
	}
	for i, e := range l.out {
		if e.Device == ev.Device && e.File == ev.File && e.Start == ev.Start && e.End == ev.End {
			if note != "" && !strings.Contains(e.Note, note) {
				if l.out[i].Note != "" {
					l.out[i].Note += "; "
				}
				l.out[i].Note += note
			}
			return
		}
	}
	l.out = append(l.out, ev)
}

// addFocus cites only the part of src between the first and the last line
// starting with one of keys (case-insensitive, leading blanks ignored), so a long block (a CDP entry, a
// vSwitch) is cited by the lines that matter. Without a match, all of src.
func (l *evList) addFocus(device string, src netmodel.Source, note string, keys ...string) {
	if f := l.c.S.File(src.File); f != nil && src.Valid() {
		first, last := 0, 0
		for i := src.Start; i <= src.End && i <= len(f.Lines); i++ {
			line := strings.TrimSpace(f.Lines[i-1])
			for _, k := range keys {
				if len(line) >= len(k) && strings.EqualFold(line[:len(k)], k) {
					if first == 0 {
						first = i
					}
					last = i
					break
				}
			}
		}
		if first > 0 {
			src.Start, src.End = first, last
		}
	}
	l.add(device, src, note)
}

// plural returns "1 uplink" / "2 uplinks".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// joinAnd joins names as "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
