package walk

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	dwalk "github.com/nettui/nettui/diagnose/walk"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/theme"
)

// ProseWidth caps the width prose wraps at.
const ProseWidth = 100

// Marks of the verdicts, so that they read without colour.
func mark(v dwalk.Verdict) string {
	switch v {
	case dwalk.OK:
		return "✓"
	case dwalk.Fault:
		return "✗"
	case dwalk.Unknown:
		return "?"
	case dwalk.Skipped:
		return "–"
	case dwalk.Answered:
		return "•"
	}
	return "·"
}

type lines struct {
	out []string
	w   int
	t   *theme.Theme
}

func (l *lines) add(s ...string) {
	for _, x := range s {
		l.out = append(l.out, pane.Truncate(x, l.w))
	}
}

// words wraps s at spaces only (rule IDs and paths keep their hyphens and
// slashes), breaking a word longer than a line.
func words(s string, w int) []string {
	var out []string
	cur := ""
	for _, f := range strings.Fields(s) {
		for ansi.StringWidth(f) > w {
			if cur != "" {
				out = append(out, cur)
				cur = ""
			}
			out = append(out, ansi.Truncate(f, w, ""))
			f = ansi.TruncateLeft(f, w, "")
		}
		switch {
		case cur == "":
			cur = f
		case ansi.StringWidth(cur)+1+ansi.StringWidth(f) <= w:
			cur += " " + f
		default:
			out = append(out, cur)
			cur = f
		}
	}
	if cur != "" || len(out) == 0 {
		out = append(out, cur)
	}
	return out
}

// wrap adds s word-wrapped after a prefix (hanging indent).
func (l *lines) wrap(indent int, lead, s string, style func(...string) string) {
	width := max(1, min(l.w, ProseWidth)-indent-len([]rune(lead)))
	for i, x := range words(s, width) {
		p := strings.Repeat(" ", indent) + lead
		if i > 0 {
			p = strings.Repeat(" ", indent+len([]rune(lead)))
		}
		l.add(p + style(x))
	}
}

func plain(s ...string) string { return strings.Join(s, "") }

func (m Model) verdictStyle(v dwalk.Verdict) func(...string) string {
	switch v {
	case dwalk.Fault:
		return m.t.Severity(netmodel.SevCritical).Render
	case dwalk.Unknown:
		return m.t.Severity(netmodel.SevUnknown).Render
	case dwalk.OK:
		return m.t.StatusOK.Render
	}
	return m.t.Muted.Render
}

// render rebuilds the content for the current mode and width.
func (m *Model) render() {
	if m.w <= 0 {
		return
	}
	l := &lines{w: m.w, t: m.t}
	switch {
	case m.sess == nil:
		m.renderPicker(l)
	case m.sess.Done():
		m.renderDone(l)
	default:
		m.renderStep(l)
	}
	m.vp.SetContent(strings.Join(l.out, "\n"))
}

func (m *Model) renderPicker(l *lines) {
	t := m.t
	head := "Guided walkthroughs: from the symptom to the cause and the fix"
	if m.from != nil {
		head = fmt.Sprintf("Guided walkthroughs — for %s %s", m.from.ID, m.from.Subject)
	}
	l.add(t.Bold.Render(head), "")
	nameW := 0
	for _, w := range m.list {
		nameW = max(nameW, len(w.Name))
	}
	for i, w := range m.list {
		cur := theme.NoCursor
		if i == m.cursor {
			cur = theme.Cursor
		}
		row := fmt.Sprintf("%-*s  %s", nameW, w.Name, w.Title)
		if i < m.suggested {
			row += "  ★ suggested"
		}
		if i == m.cursor {
			row = t.Selected.Render(row)
		}
		l.add(cur + row)
	}
	if len(m.list) == 0 {
		return
	}
	w := m.list[pane.Clamp(m.cursor, 0, len(m.list)-1)]
	l.add("")
	l.wrap(0, "", w.Symptom, plain)
	l.add("", t.Heading.Render("Steps"))
	for i, s := range w.Steps {
		l.wrap(2, fmt.Sprintf("%d. ", i+1), s.Title, plain)
	}
}

// checkLine says what a step checks, from its data.
func checkLine(st *dwalk.Step) string {
	c := st.Check
	var parts []string
	switch c.Kind {
	case dwalk.KindQuestion:
		parts = append(parts, "a question: "+c.Question.Prompt)
	case dwalk.KindCapture:
		parts = append(parts, "a capture with the filter "+c.Capture.Describe)
	case dwalk.KindConfig:
		parts = append(parts, "produces the configuration")
	case dwalk.KindVerify:
		parts = append(parts, "the checks to run after the change")
	}
	if len(c.Collect) > 0 {
		var ds []string
		for _, d := range c.Collect {
			ds = append(ds, string(d))
		}
		parts = append(parts, "reads "+strings.Join(ds, ", "))
	}
	if len(c.Rules) > 0 {
		parts = append(parts, "rules "+strings.Join(c.Rules, ", "))
	}
	if c.Live {
		parts = append(parts, "live data (on a bundle: what it holds)")
	}
	return strings.Join(parts, " · ")
}

func (m *Model) renderStep(l *lines) {
	t := m.t
	w := m.sess.Walkthrough()
	st := m.sess.Current()
	l.add(t.Bold.Render(w.Title))
	l.add(t.Muted.Render(fmt.Sprintf("site %s · step %d of %d", orDash(m.sess.Snapshot().Site), index(w, st.ID)+1, len(w.Steps))), "")
	l.add(t.HeaderTitle.Render(fmt.Sprintf("▸ Next: %s", st.Title)) + t.Muted.Render("  ["+string(st.Check.Kind)+"]"))
	l.wrap(2, "Checks: ", checkLine(st), plain)
	l.wrap(2, "Why:    ", st.Why, plain)
	l.wrap(2, "Read:   ", st.Read, plain)
	if st.Branch != "" {
		l.wrap(2, "Then:   ", st.Branch, t.Muted.Render)
	}
	if q, choices := m.sess.Choices(); q != nil {
		l.add("")
		l.wrap(2, "", q.Prompt, t.Bold.Render)
		m.choiceLine = len(l.out)
		for i, c := range choices {
			cur := theme.NoCursor
			row := c.Label
			if i == m.cursor {
				cur = theme.Cursor
				row = t.Selected.Render(row)
			}
			l.add("  " + cur + row)
		}
		if len(choices) == 0 {
			l.add("  " + t.Muted.Render("(no choice in this site: enter concludes)"))
		}
		switch {
		case m.typing:
			m.input.Width = max(10, min(m.w, ProseWidth)-2)
			l.add("", "  "+m.input.View())
			l.add("", t.Muted.Render("  "+q.Free+" · enter answer · esc drop"))
		case q.Free != "":
			l.add("  "+t.Muted.Render("or type one: "+q.Free), "", t.Muted.Render("  enter choose · i type · b back · esc close"))
		default:
			l.add("", t.Muted.Render("  enter choose · b back · esc close"))
		}
	} else {
		l.add("", t.Muted.Render("  enter run this step · s skip · b back · esc close"))
	}
	if m.busy {
		l.add("", t.StateActive.Render("  running on the live site…"))
	}
	if m.errMsg != "" {
		l.add("")
		l.wrap(2, "", m.errMsg, t.Error.Render)
	}
	if m.status != "" {
		l.add("", t.Muted.Render("  "+m.status))
	}
	es := m.sess.Entries()
	if len(es) == 0 {
		return
	}
	l.add("", t.Heading.Render("Previous step"))
	m.entry(l, len(es), es[len(es)-1])
}

// entry draws one step of the transcript with its evidence.
func (m *Model) entry(l *lines, n int, e dwalk.Entry) {
	t := m.t
	r := e.Result
	vs := m.verdictStyle(r.Verdict)
	l.add(vs(mark(r.Verdict)+" ") + t.Bold.Render(fmt.Sprintf("%d. %s", n, e.Title)) + " — " + vs(string(r.Verdict)))
	if r.Answer != nil {
		l.wrap(2, "Answer: ", r.Answer.Label+" ("+r.Via+")", plain)
	} else if r.Summary != "" {
		l.wrap(2, "Result: ", r.Summary, plain)
	}
	if r.Filter != "" {
		l.add("  Capture filter: " + t.Code.Render(r.Filter))
	}
	for _, f := range r.Facts {
		l.wrap(2, "• ", f.Text, plain)
		for _, ev := range f.Evidence {
			m.evidence(l, ev)
		}
	}
	for _, f := range r.Findings {
		l.wrap(2, "", fmt.Sprintf("%s %s %s: %s", theme.Badge(f.Severity), f.ID, f.Subject, f.Title), t.Severity(f.Severity).Render)
	}
	for _, x := range r.Missing {
		l.wrap(2, "Missing: ", x, t.Muted.Render)
	}
	if r.Verdict == dwalk.Skipped && r.Reason != "" && len(r.Missing) == 0 {
		l.wrap(2, "Skipped: ", r.Reason, t.Muted.Render)
	}
	if len(r.Fixes) > 0 {
		l.add("  " + t.Muted.Render(fmt.Sprintf("configuration for %d device(s): in the conclusion", len(r.Fixes))))
	}
}

func (m *Model) evidence(l *lines, ev netmodel.Evidence) {
	t := m.t
	where := ev.Device + " · " + dwalk.Where(ev)
	if ev.Note != "" {
		where += " — " + ev.Note
	}
	l.add("    " + t.Muted.Render(pane.Clean(where)))
	for _, x := range dwalk.Lines(ev) {
		l.add("      " + t.CitedNo.Render(pane.Clean(x)))
	}
}

func (m *Model) renderDone(l *lines) {
	t := m.t
	tr := m.sess.Transcript()
	c := tr.Conclusion
	vs := m.verdictStyle(c.Verdict)
	l.add(t.Bold.Render(tr.Title))
	l.add(t.Muted.Render("site "+orDash(tr.Site)), "")
	l.add(vs(mark(c.Verdict) + " Conclusion — " + string(c.Verdict)))
	l.wrap(2, "", c.Summary, plain)
	if len(c.Cause) > 1 {
		l.add("", t.Heading.Render("Findings named"))
		for _, f := range c.Cause {
			l.wrap(2, "", fmt.Sprintf("%s %s %s: %s", theme.Badge(f.Severity), f.ID, f.Subject, f.Title), t.Severity(f.Severity).Render)
		}
	}
	if len(c.Fixes) > 0 {
		l.add("", t.Heading.Render("What to type"))
		m.fixes(l, c.Fixes, 2)
	}
	if len(c.Followup) > 0 {
		l.add("", t.Heading.Render("Then check"))
		for i, f := range c.Followup {
			l.wrap(2, fmt.Sprintf("%d. ", i+1), f.Title+": "+f.Expect, plain)
			m.fixes(l, f.Commands, 5)
		}
	}
	if len(c.NotChecked) > 0 {
		l.add("", t.Heading.Render("Not checked"))
		for _, n := range c.NotChecked {
			l.wrap(2, "– ", n, t.Muted.Render)
		}
	}
	l.add("", t.Heading.Render("Transcript"))
	for i, e := range tr.Entries {
		r := e.Result
		what := r.Summary
		if r.Answer != nil {
			what = r.Answer.Label
		}
		l.wrap(2, fmt.Sprintf("%s %d. ", mark(r.Verdict), i+1), fmt.Sprintf("%s — %s: %s", e.Title, r.Verdict, what), plain)
	}
	if m.status != "" {
		l.add("", t.Muted.Render("  "+m.status))
	}
	l.add("", t.Muted.Render("  e export Markdown · b back · esc close"))
}

func (m *Model) fixes(l *lines, fs []netmodel.Fix, indent int) {
	t := m.t
	pad := strings.Repeat(" ", indent)
	for _, x := range fs {
		head := x.Device
		if x.Platform != "" {
			head += " (" + string(x.Platform) + ")"
		}
		l.add(pad + t.Bold.Render(head))
		for _, c := range x.Commands {
			l.add(pad + "  " + t.CodeBar.Render("│") + " " + t.Code.Render(pane.Clean(c)))
		}
		if x.Note != "" {
			l.wrap(indent+2, "# ", x.Note, t.Muted.Render)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
