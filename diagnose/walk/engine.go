package walk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// Collector brings a device's outputs again on a live site.
type Collector interface {
	// Collect runs the commands of the given capabilities on device and
	// returns the site's snapshot with them parsed in.
	Collect(ctx context.Context, device string, capabilities []string) (*netmodel.Snapshot, error)
}

// Capturer captures on a live device.
type Capturer interface {
	// Capture captures on device's interface (every interface when "")
	// with a tcpdump filter for a short while and returns what it saw.
	Capture(ctx context.Context, device, iface, filter string) (*netmodel.Capture, error)
}

// Options is how a session runs.
type Options struct {
	// Answers answer questions by key, as --answer KEY=VALUE does.
	Answers map[string]string
	// Collector and Capturer reach a live site; nil on a bundle.
	Collector Collector
	Capturer  Capturer
	// Source says what the snapshot came from, for the transcript.
	Source string
}

// NeedAnswer is the error a session stops with when a question has
// several choices and no answer was given.
type NeedAnswer struct {
	Walkthrough string
	Step        string
	Key         string
	Prompt      string
	Choices     []Choice
	Bad         string // the answer given, when it matched no choice
	Why         string // why it matched none
}

func (e *NeedAnswer) Error() string {
	var b strings.Builder
	if e.Bad != "" {
		fmt.Fprintf(&b, "%s: %s=%s is not one of the choices", e.Walkthrough, e.Key, e.Bad)
		if e.Why != "" {
			fmt.Fprintf(&b, " (%s)", e.Why)
		}
	} else {
		fmt.Fprintf(&b, "%s: %s has %d choices; answer with --answer %s=VALUE", e.Walkthrough, e.Prompt, len(e.Choices), e.Key)
	}
	return b.String()
}

// Run is what a step's evaluation reads: the snapshot, the rules' views
// and findings, and the answers so far.
type Run struct {
	S        *netmodel.Snapshot
	C        *diagnose.Context
	Findings []netmodel.Finding

	w       *Walkthrough
	vars    map[string]string
	ctx     context.Context
	opts    *Options
	missing map[string]bool // device|data lacking, for the current step
	caps    []*netmodel.Capture
	capVia  string
}

// Var returns an answer (or a value a step recorded), "" when unset.
func (r *Run) Var(k string) string { return r.vars[k] }

func (r *Run) set(k, v string) { r.vars[k] = v }

// lacks reports whether the current step lacks data of d.
func (r *Run) lacks(d *netmodel.Device, what Data) bool {
	return d != nil && r.missing[d.Name+"|"+string(what)]
}

// Entry is one step of a transcript.
type Entry struct {
	Step   string
	Title  string
	Kind   Kind
	Why    string
	Read   string
	Result Result
	Next   string // title of the step taken next; "" at the end
}

// Conclusion ends a walkthrough.
type Conclusion struct {
	Verdict Verdict
	Summary string
	// Cause are the faults found on the way, most severe first: the first
	// is the cause, the others also need fixing.
	Cause []netmodel.Finding
	// Observed are faults steps saw that no rule names (a phase 1 down).
	Observed []string
	// Fixes are what to type, from the cause's findings (or, for a
	// configuration walkthrough, the configuration produced).
	Fixes []netmodel.Fix
	// Followup are the checks to run once the fix or change is in.
	Followup []Followup
	// NotChecked lists the steps skipped or not judged, with why.
	NotChecked []string
}

// Transcript is the record of a session, for the ticket.
type Transcript struct {
	Walkthrough string
	Title       string
	Site        string
	Source      string
	Answers     [][2]string // key, value in the order asked
	Entries     []Entry
	Done        bool
	Conclusion  Conclusion
}

// frame is the state before a step, for going back.
type frame struct {
	cur      int
	vars     map[string]string
	snap     *netmodel.Snapshot
	findings []netmodel.Finding
	entries  int
	answers  int
}

// Session runs one walkthrough over a snapshot.
type Session struct {
	w       *Walkthrough
	opts    Options
	run     *Run
	cur     int // index of the current step; len(steps) when done
	entries []Entry
	answers [][2]string
	history []frame
	concl   *Conclusion
}

// New starts w over s.
func New(w *Walkthrough, s *netmodel.Snapshot, o Options) *Session {
	if o.Answers == nil {
		o.Answers = map[string]string{}
	}
	ss := &Session{w: w, opts: o}
	ss.run = &Run{w: w, vars: map[string]string{}, opts: &ss.opts}
	ss.setSnapshot(s)
	return ss
}

func (ss *Session) setSnapshot(s *netmodel.Snapshot) {
	if s == nil {
		s = &netmodel.Snapshot{}
	}
	ss.run.S = s
	ss.run.C = diagnose.NewContext(s)
	ss.run.Findings = diagnose.Run(s)
}

// Clone returns an independent copy of the session (sharing the
// snapshot, which steps never modify), to run a step away from the UI's
// goroutine.
func (ss *Session) Clone() *Session {
	// Build the snapshot's lookup indexes here, so that the copy only
	// reads them; the copy gets its own rule views.
	ss.run.S.Device("")
	ss.run.S.File("")
	c := *ss
	c.opts.Answers = maps.Clone(ss.opts.Answers)
	r := *ss.run
	r.C = diagnose.NewContext(r.S)
	r.vars = maps.Clone(ss.run.vars)
	r.opts = &c.opts
	c.run = &r
	c.entries = slices.Clone(ss.entries)
	c.answers = slices.Clone(ss.answers)
	c.history = slices.Clone(ss.history)
	if ss.concl != nil {
		k := *ss.concl
		c.concl = &k
	}
	return &c
}

// Walkthrough returns the walkthrough run.
func (ss *Session) Walkthrough() *Walkthrough { return ss.w }

// Snapshot returns the snapshot the session reads (a live collection may
// have replaced the one it started with).
func (ss *Session) Snapshot() *netmodel.Snapshot { return ss.run.S }

// Done reports whether the walkthrough has concluded.
func (ss *Session) Done() bool { return ss.concl != nil }

// Current returns the step to run next, nil when done.
func (ss *Session) Current() *Step {
	if ss.Done() || ss.cur >= len(ss.w.Steps) {
		return nil
	}
	return &ss.w.Steps[ss.cur]
}

// Entries returns the steps run so far.
func (ss *Session) Entries() []Entry { return slices.Clone(ss.entries) }

// Live reports whether the session can reach a live site.
func (ss *Session) Live() bool { return ss.opts.Collector != nil || ss.opts.Capturer != nil }

// NeedsIO reports whether running the current step may do I/O (collect
// or capture on a live site): callers off the main loop run it then.
func (ss *Session) NeedsIO() bool {
	st := ss.Current()
	if st == nil || !ss.Live() {
		return false
	}
	return len(st.Check.Collect) > 0 || st.Check.Kind == KindCapture
}

// Choices returns the current step's question and its choices, when the
// current step is a question.
func (ss *Session) Choices() (*Question, []Choice) {
	st := ss.Current()
	if st == nil || st.Check.Question == nil {
		return nil, nil
	}
	q := st.Check.Question
	ss.run.ctx = context.Background()
	return q, q.choices(ss.run)
}

// Answered returns the answers given so far, in order.
func (ss *Session) Answered() [][2]string { return slices.Clone(ss.answers) }

// Next runs the current step and moves to the one its result leads to. A
// question takes its answer from Options.Answers, or its only choice;
// with several choices and no answer it returns a *NeedAnswer and stays.
func (ss *Session) Next(ctx context.Context) error {
	return ss.step(ctx, "", false)
}

// Answer answers the current question with value and moves on.
func (ss *Session) Answer(ctx context.Context, value string) error {
	return ss.step(ctx, value, true)
}

// Skip records the current step as skipped by the user and moves to the
// next step in order.
func (ss *Session) Skip() {
	st := ss.Current()
	if st == nil {
		return
	}
	ss.push()
	res := Result{Verdict: Skipped, Summary: "skipped by the user", Reason: "skipped by the user"}
	ss.record(st, res, ss.cur+1)
}

// Back undoes the last step; it reports whether there was one.
func (ss *Session) Back() bool {
	if len(ss.history) == 0 {
		return false
	}
	f := ss.history[len(ss.history)-1]
	ss.history = ss.history[:len(ss.history)-1]
	ss.cur = f.cur
	ss.run.vars = maps.Clone(f.vars)
	if f.snap != ss.run.S {
		ss.run.S = f.snap
		ss.run.C = diagnose.NewContext(f.snap)
		ss.run.Findings = f.findings
	}
	ss.entries = ss.entries[:f.entries]
	ss.answers = ss.answers[:f.answers]
	ss.concl = nil
	return true
}

// RunAll runs steps until the walkthrough concludes or a question needs
// an answer (a *NeedAnswer).
func (ss *Session) RunAll(ctx context.Context) error {
	for !ss.Done() {
		if err := ss.Next(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (ss *Session) push() {
	ss.history = append(ss.history, frame{cur: ss.cur, vars: maps.Clone(ss.run.vars), snap: ss.run.S,
		findings: ss.run.Findings, entries: len(ss.entries), answers: len(ss.answers)})
}

func (ss *Session) step(ctx context.Context, answer string, given bool) error {
	st := ss.Current()
	if st == nil {
		return nil
	}
	r := ss.run
	r.ctx = ctx
	if q := st.Check.Question; q != nil {
		res, err := ss.ask(st, q, answer, given)
		if err != nil {
			return err
		}
		ss.push()
		if res.Answer != nil {
			r.set(q.Key, res.Answer.Value)
			ss.answers = append(ss.answers, [2]string{q.Key, res.Answer.Value})
		}
		ss.record(st, res, ss.branch(st, res))
		return nil
	}
	ss.push()
	res := ss.evaluate(st)
	ss.record(st, res, ss.branch(st, res))
	return nil
}

// ask resolves a question's answer.
func (ss *Session) ask(st *Step, q *Question, answer string, given bool) (Result, error) {
	r := ss.run
	choices := q.choices(r)
	via := "chosen"
	if !given {
		if a, ok := ss.opts.Answers[q.Key]; ok {
			answer, given, via = a, true, "--answer"
		}
	}
	need := &NeedAnswer{Walkthrough: ss.w.Name, Step: st.ID, Key: q.Key, Prompt: q.Prompt, Choices: choices}
	if !given {
		switch len(choices) {
		case 0:
			res := Result{Verdict: NotApplicable, Summary: "nothing to choose from", Goto: End}
			if q.none != nil {
				res = q.none(r)
				if res.Goto == "" {
					res.Goto = End
				}
			}
			return res, nil
		case 1:
			c := choices[0]
			return Result{Verdict: Answered, Summary: c.Label, Answer: &c, Via: "the only choice", Goto: c.Goto}, nil
		}
		return Result{}, need
	}
	c, err := match(r, q, choices, answer)
	if err != nil {
		need.Bad, need.Why = answer, err.Error()
		return Result{}, need
	}
	return Result{Verdict: Answered, Summary: c.Label, Answer: &c, Via: via, Goto: c.Goto}, nil
}

func match(r *Run, q *Question, choices []Choice, v string) (Choice, error) {
	v = strings.TrimSpace(v)
	for _, c := range choices {
		if c.Value == v {
			return c, nil
		}
	}
	for _, c := range choices {
		if strings.EqualFold(c.Value, v) {
			return c, nil
		}
	}
	if q.accept != nil {
		return q.accept(r, v)
	}
	return Choice{}, errors.New("not a listed choice")
}

// evaluate runs a step that is not a question: data first, then the
// step's own reading, then its rules.
func (ss *Session) evaluate(st *Step) Result {
	r := ss.run
	r.missing = map[string]bool{}
	r.caps, r.capVia = nil, ""
	var missing []string
	via := "bundle"
	if len(st.Check.Collect) > 0 && st.devices != nil {
		for _, d := range st.devices(r) {
			for _, what := range st.Check.Collect {
				if Has(d, what) || !Available(d.Platform, what) {
					continue
				}
				if ss.opts.Collector != nil {
					snap, err := ss.opts.Collector.Collect(r.ctx, d.Name, Capabilities(d.Platform, what))
					if err == nil && snap != nil {
						ss.setSnapshot(snap)
						via = "collected live"
						if nd := snap.Device(d.Name); nd != nil && Has(nd, what) {
							continue
						}
					} else if err != nil {
						missing = append(missing, fmt.Sprintf("%s: %s could not be collected: %v", d.Name, Describe(d.Platform, what), err))
						r.missing[d.Name+"|"+string(what)] = true
						continue
					}
				}
				r.missing[d.Name+"|"+string(what)] = true
				missing = append(missing, fmt.Sprintf("%s: %s not in the bundle (collect `%s`)", d.Name, what, Command(d.Platform, what)))
			}
		}
	}
	var filter string
	if cs := st.Check.Capture; cs != nil {
		filter = cs.filter(r)
		var lacking []string
		for _, p := range cs.points(r) {
			found := false
			for _, c := range r.S.Captures {
				if c != nil && c.Device == p.Device && (p.Interface == "" || c.Interface == p.Interface) && !slices.Contains(r.caps, c) {
					r.caps = append(r.caps, c)
					found = true
				}
			}
			if found {
				continue
			}
			if ss.opts.Capturer != nil {
				c, err := ss.opts.Capturer.Capture(r.ctx, p.Device, p.Interface, filter)
				if err == nil && c != nil {
					r.caps = append(r.caps, c)
					r.capVia = "captured live"
					continue
				}
				if err != nil {
					lacking = append(lacking, fmt.Sprintf("%s: capture failed: %v", p, err))
					continue
				}
			}
			lacking = append(lacking, p.String())
		}
		if len(lacking) > 0 && len(r.caps) == 0 {
			missing = append(missing, fmt.Sprintf("no capture of %s in the bundle (capture with the filter `%s`)", strings.Join(lacking, ", "), filter))
		} else if len(lacking) > 0 {
			missing = append(missing, fmt.Sprintf("no capture of %s", strings.Join(lacking, ", ")))
		}
		if r.capVia != "" {
			via = r.capVia
		}
	}
	res := Result{Verdict: OK}
	if st.eval != nil {
		res = st.eval(r)
	}
	res.Filter = filter
	res.Missing = append(res.Missing, missing...)
	if res.Via == "" {
		via2 := via
		if res.Verdict == Skipped || res.Verdict == NotApplicable {
			via2 = ""
		}
		res.Via = via2
	}
	// The rules' findings about the subject, each reported once.
	evalVerdict := res.Verdict
	reported := map[string]bool{}
	for _, e := range ss.entries {
		for _, f := range e.Result.Findings {
			reported[f.Key()] = true
		}
	}
	for _, f := range r.Findings {
		if !slices.Contains(st.Check.Rules, f.ID) || reported[f.Key()] {
			continue
		}
		if ss.w.concerns == nil || !ss.w.concerns(r, &f) {
			continue
		}
		reported[f.Key()] = true
		res.Findings = append(res.Findings, f)
		switch {
		case f.Severity >= netmodel.SevWarning:
			res.Verdict = Fault
		case f.Severity == netmodel.SevUnknown && res.Verdict != Fault:
			res.Verdict = Unknown
		}
	}
	if res.Verdict == "" {
		res.Verdict = OK
	}
	if res.Verdict == Fault && evalVerdict != Fault {
		// The reading alone found nothing wrong: the summary says what the
		// rules found instead of contradicting the verdict.
		var titles []string
		for _, f := range res.Findings {
			if f.Severity >= netmodel.SevWarning {
				titles = append(titles, f.ID+": "+f.Title)
			}
		}
		res.Summary = strings.Join(titles, "; ")
	}
	if res.Verdict == Skipped && res.Reason == "" && len(res.Missing) > 0 {
		res.Reason = strings.Join(res.Missing, "; ")
	}
	return res
}

func (ss *Session) branch(st *Step, res Result) int {
	next := res.Goto
	if next == "" {
		switch res.Verdict {
		case Fault:
			next = st.OnFault
		case OK:
			next = st.OnOK
		case Unknown:
			next = st.OnUnknown
		}
	}
	switch next {
	case "":
		return ss.cur + 1
	case End:
		return len(ss.w.Steps)
	}
	if i := ss.w.index(next); i >= 0 {
		return i
	}
	return ss.cur + 1
}

func (ss *Session) record(st *Step, res Result, next int) {
	e := Entry{Step: st.ID, Title: st.Title, Kind: st.Check.Kind, Why: st.Why, Read: st.Read, Result: res}
	if next < len(ss.w.Steps) {
		e.Next = ss.w.Steps[next].Title
	}
	ss.entries = append(ss.entries, e)
	ss.cur = next
	if ss.cur >= len(ss.w.Steps) {
		ss.conclude()
	}
}

// conclude sums up the entries.
func (ss *Session) conclude() {
	c := &Conclusion{}
	seen := map[string]bool{}
	var unknown bool
	for _, e := range ss.entries {
		res := e.Result
		switch res.Verdict {
		case NotApplicable:
			if e.Kind == KindQuestion && len(ss.entries) == 1 {
				c.Verdict = NotApplicable
				c.Summary = "Does not apply to this site: " + res.Summary
				ss.concl = c
				return
			}
		case Skipped:
			why := res.Reason
			if why == "" {
				why = res.Summary
			}
			c.NotChecked = append(c.NotChecked, e.Title+": "+why)
		case Unknown:
			unknown = true
			why := res.Reason
			if why == "" {
				why = res.Summary
			}
			c.NotChecked = append(c.NotChecked, e.Title+": not judged: "+why)
		case Fault:
			if len(res.Findings) == 0 {
				c.Observed = append(c.Observed, e.Title+": "+res.Summary)
			}
		}
		for _, f := range res.Findings {
			if !seen[f.Key()] {
				seen[f.Key()] = true
				c.Cause = append(c.Cause, f)
			}
		}
		c.Fixes = append(c.Fixes, res.Fixes...)
		c.Followup = append(c.Followup, res.Followup...)
	}
	diagnose.SortFindings(c.Cause)
	// Of equally severe faults, the configuration or state that causes it
	// comes first; a capture finding is the symptom on the wire.
	sort.SliceStable(c.Cause, func(i, j int) bool {
		a, b := c.Cause[i], c.Cause[j]
		return a.Severity == b.Severity && !strings.HasPrefix(a.ID, "CAP-") && strings.HasPrefix(b.ID, "CAP-")
	})
	var faults []netmodel.Finding
	for _, f := range c.Cause {
		if f.Severity >= netmodel.SevWarning {
			faults = append(faults, f)
		}
	}
	config := len(c.Fixes) > 0 // a configuration step produced them
	if !config {
		for _, f := range faults {
			c.Fixes = append(c.Fixes, f.Fix...)
		}
	}
	switch {
	case config:
		c.Verdict = OK
		c.Summary = "Configuration for both ends produced; apply it in a change window and run the checks below."
		if len(faults) > 0 {
			var what []string
			for _, f := range faults {
				what = append(what, fmt.Sprintf("%s %s (%s)", f.ID, f.Subject, f.Title))
			}
			c.Summary += " It replaces the design behind " + strings.Join(what, "; ") + "."
		}
	case len(faults) > 0:
		c.Verdict = Fault
		f := faults[0]
		if f.Severity >= netmodel.SevCritical {
			c.Summary = fmt.Sprintf("Cause: %s %s: %s.", f.ID, f.Subject, f.Title)
		} else {
			c.Summary = fmt.Sprintf("Fault (warning): %s %s: %s. Nothing on this path stops traffic outright; this degrades or endangers it.", f.ID, f.Subject, f.Title)
		}
		if len(faults) > 1 {
			var also []string
			for _, g := range faults[1:] {
				also = append(also, g.ID+" "+g.Subject)
			}
			c.Summary += " Also: " + strings.Join(also, "; ") + "."
		}
	case len(c.Observed) > 0:
		c.Verdict = Fault
		c.Summary = "Fault seen, no rule names it: " + strings.Join(c.Observed, "; ") + "."
	case unknown:
		c.Verdict = Unknown
		c.Summary = "No fault found in what could be judged; some steps could not be judged (below)."
		var nj []string
		for _, f := range c.Cause {
			if f.Severity == netmodel.SevUnknown {
				nj = append(nj, fmt.Sprintf("%s %s: %s", f.ID, f.Subject, f.Title))
			}
		}
		if len(nj) > 0 {
			c.Summary = "Not judged: " + strings.Join(nj, "; ") + ". No fault found in the rest."
		}
	default:
		c.Verdict = OK
		c.Summary = "No fault found on this path."
	}
	for _, f := range c.Cause {
		if f.Severity == netmodel.SevUnknown {
			for _, x := range f.Fix {
				c.NotChecked = append(c.NotChecked, fmt.Sprintf("%s %s: on %s: %s", f.ID, f.Subject, x.Device, strings.Join(x.Commands, "; ")))
			}
		}
	}
	ss.concl = c
}

// Transcript returns the record so far (Done and a Conclusion once the
// walkthrough has concluded).
func (ss *Session) Transcript() Transcript {
	t := Transcript{Walkthrough: ss.w.Name, Title: ss.w.Title, Site: ss.run.S.Site, Source: ss.opts.Source,
		Answers: slices.Clone(ss.answers), Entries: slices.Clone(ss.entries)}
	if ss.concl != nil {
		t.Done = true
		t.Conclusion = *ss.concl
	}
	return t
}

// Conclusion returns the conclusion, nil before the end.
func (ss *Session) Conclusion() *Conclusion { return ss.concl }

// sortedKeys lists m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
