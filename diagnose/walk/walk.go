// Package walk leads an engineer from a symptom to its cause and fix, one
// step at a time: a guided walkthrough of a classic incident (a VM that
// cannot reach its gateway, an IPsec tunnel down, an LACP bundle not
// forming, spanning-tree trouble, moving a policy-based tunnel to
// route-based).
//
// A walkthrough is data: its steps, each saying what is checked and why,
// the check (a question with choices computed from the snapshot, the
// outputs to read, a subset of the diagnosis rules, a capture with a filter
// derived from the earlier answers), how to read the result and where to go
// next. The engine (Session) runs the steps over a snapshot, records a
// transcript (step, evidence, verdict) and ends with a conclusion naming
// the fault and what to type to fix it.
//
// The engine is pure: it reads the snapshot and runs the rules of package
// diagnose. Live data (collecting a command again, capturing on a device)
// goes through the Collector and Capturer the caller injects; without them
// (a bundle), a step uses what the bundle holds or says it was skipped and
// why, with the command or capture filter that would have answered it.
package walk

import (
	"slices"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Kind is what a step does to find its answer.
type Kind string

// Step kinds.
const (
	KindQuestion Kind = "question" // ask the user to choose
	KindCollect  Kind = "collect"  // read outputs (collected again on a live site)
	KindRules    Kind = "rules"    // the findings of some rules
	KindCapture  Kind = "capture"  // look at packets
	KindConfig   Kind = "config"   // produce configuration
	KindVerify   Kind = "verify"   // checks to run after a change
)

// Verdict is the outcome of a step or of a walkthrough.
type Verdict string

// Verdicts.
const (
	OK            Verdict = "ok"             // checked: nothing wrong here
	Fault         Verdict = "fault"          // a fault found here
	Unknown       Verdict = "unknown"        // could not be judged
	Skipped       Verdict = "skipped"        // not run: no data, or the user skipped it
	Answered      Verdict = "answered"       // a question answered
	NotApplicable Verdict = "not applicable" // the walkthrough does not apply to this site
)

// End as a branch target concludes the walkthrough.
const End = "end"

// Walkthrough is one guided incident.
type Walkthrough struct {
	Name    string   // what `nettui walk NAME` takes
	Aliases []string // other names it answers to
	Title   string
	Symptom string // when to use it
	// Suggest are the rule IDs, or prefixes ending in "-", of the findings
	// this walkthrough is the one to start from.
	Suggest []string
	Steps   []Step

	order int // place in the documented order
	// concerns reports whether a finding is about the subject chosen in r
	// (the port group, tunnel, LAG or tree).
	concerns func(r *Run, f *netmodel.Finding) bool
	// prefill answers the first question from a finding, when it names
	// the subject.
	prefill func(s *netmodel.Snapshot, f *netmodel.Finding) map[string]string
}

// Step is one step of a walkthrough.
type Step struct {
	ID    string
	Title string // what is checked
	Why   string // why it matters
	Read  string // how to read the result
	Check Check
	// Branches by verdict: a step ID, End, or "" for the next step in
	// order. A step's evaluation may also pick the next step itself (for
	// instance from the answer chosen); Branch says so for people.
	OnFault, OnOK, OnUnknown string
	Branch                   string

	// devices lists the devices whose outputs (Check.Collect) the step reads.
	devices func(r *Run) []*netmodel.Device
	eval    func(r *Run) Result
}

// Check is how a step finds its answer.
type Check struct {
	Kind Kind
	// Collect are the outputs the step reads from its devices: on a bundle
	// taken from it, on a live site collected again when missing.
	Collect []Data
	// Rules are the rule IDs whose findings about the subject become this
	// step's verdict (with their evidence and fixes).
	Rules []string
	// Capture is what to capture and where (KindCapture).
	Capture *CaptureSpec
	// Question is what to ask (KindQuestion).
	Question *Question
	// Live says the step needs a live site to run fully; on a bundle it
	// uses what the bundle holds.
	Live bool
}

// CaptureSpec is a capture a step looks at.
type CaptureSpec struct {
	// Describes the filter for people, e.g. "vlan <the port group's VLAN>".
	Describe string
	filter   func(r *Run) string
	points   func(r *Run) []Point
}

// Point is where to capture: a device and interface ("" = any).
type Point struct {
	Device    string
	Interface string
}

func (p Point) String() string {
	if p.Interface == "" {
		return p.Device
	}
	return p.Device + " " + p.Interface
}

// Question is a question to the user.
type Question struct {
	Key    string // the --answer key
	Prompt string
	// Free describes what else is accepted besides the choices ("" = only
	// the choices).
	Free string

	choices func(r *Run) []Choice
	accept  func(r *Run, v string) (Choice, error)
	none    func(r *Run) Result
}

// Choice is one answer to a question.
type Choice struct {
	Value  string // what --answer KEY=VALUE takes
	Label  string // what the user reads
	Detail string
	// Goto is the step to go to when this choice is taken ("" = the
	// step's branches).
	Goto string
}

// Result is what one step found.
type Result struct {
	Verdict Verdict
	Summary string // one line
	Facts   []Fact
	// Findings are the rules' findings about the subject that this step
	// confirms (each reported once per walkthrough).
	Findings []netmodel.Finding
	// Answer is the choice taken (questions).
	Answer *Choice
	// Via says how the answer or the data came: "--answer", "the only
	// choice", "chosen", "bundle", "collected live", "captured live".
	Via string
	// Filter is the capture filter used, or that would be (captures).
	Filter string
	// Missing lists the outputs or captures the step lacked, with what
	// would provide them.
	Missing []string
	// Reason says why a step was skipped or could not judge.
	Reason string
	// Fixes is configuration this step produced (KindConfig).
	Fixes []netmodel.Fix
	// Followup are checks to run later (KindVerify).
	Followup []Followup
	// Goto overrides the branches: the step to go to next.
	Goto string
}

// Fact is one thing a step read, with the lines it rests on.
type Fact struct {
	Text     string
	Evidence []netmodel.Evidence
}

// Followup is a check to run later, with the commands per device.
type Followup struct {
	Title    string
	Expect   string
	Commands []netmodel.Fix
}

var all []*Walkthrough

func register(w *Walkthrough) {
	all = append(all, w)
	slices.SortStableFunc(all, func(a, b *Walkthrough) int { return a.order - b.order })
}

// All lists the walkthroughs in their documented order.
func All() []*Walkthrough { return slices.Clone(all) }

// Get returns the walkthrough called name, or nil.
func Get(name string) *Walkthrough {
	for _, w := range all {
		if w.Name == name || slices.Contains(w.Aliases, name) {
			return w
		}
	}
	return nil
}

// Names lists the walkthroughs' names.
func Names() []string {
	var out []string
	for _, w := range all {
		out = append(out, w.Name)
	}
	return out
}

// Step returns the step called id, or nil.
func (w *Walkthrough) Step(id string) *Step {
	for i := range w.Steps {
		if w.Steps[i].ID == id {
			return &w.Steps[i]
		}
	}
	return nil
}

func (w *Walkthrough) index(id string) int {
	for i := range w.Steps {
		if w.Steps[i].ID == id {
			return i
		}
	}
	return -1
}

// Questions lists the keys the walkthrough's questions take.
func (w *Walkthrough) Questions() []string {
	var out []string
	for _, s := range w.Steps {
		if q := s.Check.Question; q != nil {
			out = append(out, q.Key)
		}
	}
	return out
}

// Matches reports whether f is a finding this walkthrough starts from.
func (w *Walkthrough) Matches(f *netmodel.Finding) bool {
	if f == nil {
		return false
	}
	for _, s := range w.Suggest {
		if f.ID == s || (strings.HasSuffix(s, "-") && strings.HasPrefix(f.ID, s)) {
			return true
		}
	}
	return false
}

// Suggested orders the walkthroughs with the ones matching f first (the
// most specific match — an exact rule ID — before a prefix match), the
// others after in their usual order.
func Suggested(f *netmodel.Finding) []*Walkthrough {
	rank := func(w *Walkthrough) int {
		if f == nil {
			return 2
		}
		for _, s := range w.Suggest {
			if f.ID == s {
				return 0
			}
		}
		if w.Matches(f) {
			return 1
		}
		return 2
	}
	out := All()
	slices.SortStableFunc(out, func(a, b *Walkthrough) int { return rank(a) - rank(b) })
	return out
}

// Prefill returns the answers f gives to w's questions (the port group,
// tunnel or LAG it is about), to start w from that finding.
func (w *Walkthrough) Prefill(s *netmodel.Snapshot, f *netmodel.Finding) map[string]string {
	if f == nil || w.prefill == nil || !w.Matches(f) {
		return nil
	}
	return w.prefill(s, f)
}
