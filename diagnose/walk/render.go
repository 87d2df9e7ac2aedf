package walk

import (
	"fmt"
	"io"
	"strings"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// Where is "file:12-14" (or "file" when the evidence has no line).
func Where(e netmodel.Evidence) string {
	switch {
	case e.Start <= 0:
		return e.File
	case e.End > e.Start:
		return fmt.Sprintf("%s:%d-%d", e.File, e.Start, e.End)
	}
	return fmt.Sprintf("%s:%d", e.File, e.Start)
}

// Lines returns the cited text as numbered lines ("   12 | text").
func Lines(e netmodel.Evidence) []string {
	if e.Text == "" {
		return nil
	}
	var out []string
	for i, l := range strings.Split(e.Text, "\n") {
		if e.Start > 0 {
			out = append(out, fmt.Sprintf("%5d | %s", e.Start+i, l))
		} else {
			out = append(out, "      | "+l)
		}
	}
	return out
}

// maxCites bounds the citations listed per finding in a transcript (the
// facts of each step carry the cited text).
const maxCites = 8

// WriteText writes the transcript for a terminal or a plain-text ticket.
func (t Transcript) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "nettui walk %s — %s\n", t.Walkthrough, t.Title)
	fmt.Fprintf(&b, "site %s (%s)\n", orDash(t.Site), orDash(t.Source))
	for i, e := range t.Entries {
		r := e.Result
		fmt.Fprintf(&b, "\n%d. %s  [%s]\n", i+1, e.Title, r.Verdict)
		if e.Kind == KindQuestion {
			if r.Answer != nil {
				fmt.Fprintf(&b, "   answer: %s (%s=%s, %s)\n", r.Answer.Label, questionKey(t, e), r.Answer.Value, r.Via)
			} else {
				fmt.Fprintf(&b, "   %s\n", r.Summary)
			}
		} else {
			if e.Why != "" {
				fmt.Fprintf(&b, "   why: %s\n", e.Why)
			}
			if r.Summary != "" {
				fmt.Fprintf(&b, "   result: %s\n", r.Summary)
			}
			if r.Via != "" {
				fmt.Fprintf(&b, "   from: %s\n", r.Via)
			}
		}
		if r.Filter != "" {
			fmt.Fprintf(&b, "   capture filter: %s\n", r.Filter)
		}
		for _, f := range r.Facts {
			fmt.Fprintf(&b, "   - %s\n", f.Text)
			for _, ev := range f.Evidence {
				writeEvidenceText(&b, ev, "       ")
			}
		}
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "   finding %s %s  %s\n     %s\n", strings.ToUpper(f.Severity.String()), f.ID, f.Subject, f.Title)
			for i, ev := range f.Evidence {
				if i == maxCites {
					fmt.Fprintf(&b, "       … and %d more\n", len(f.Evidence)-maxCites)
					break
				}
				fmt.Fprintf(&b, "       cites %s %s\n", ev.Device, Where(ev))
			}
		}
		for _, m := range r.Missing {
			fmt.Fprintf(&b, "   missing: %s\n", m)
		}
		if r.Verdict == Skipped && r.Reason != "" && len(r.Missing) == 0 {
			fmt.Fprintf(&b, "   skipped: %s\n", r.Reason)
		}
		if len(r.Fixes) > 0 {
			fmt.Fprintf(&b, "   configuration for %s: in the conclusion\n", plural(len(r.Fixes), "device"))
		}
		if len(r.Followup) > 0 {
			fmt.Fprintf(&b, "   %s: in the conclusion\n", plural(len(r.Followup), "check"))
		}
		if e.Next != "" {
			fmt.Fprintf(&b, "   next: %s\n", e.Next)
		}
	}
	if t.Done {
		c := t.Conclusion
		fmt.Fprintf(&b, "\nConclusion [%s]\n  %s\n", c.Verdict, c.Summary)
		if len(c.Fixes) > 0 {
			b.WriteString("  what to type:\n")
			writeFixesText(&b, c.Fixes, "  ")
		}
		if len(c.Followup) > 0 {
			b.WriteString("  then check:\n")
			writeFollowupText(&b, c.Followup, "  ")
		}
		if len(c.NotChecked) > 0 {
			b.WriteString("  not checked:\n")
			for _, n := range c.NotChecked {
				fmt.Fprintf(&b, "    - %s\n", n)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func questionKey(t Transcript, e Entry) string {
	if w := Get(t.Walkthrough); w != nil {
		if st := w.Step(e.Step); st != nil && st.Check.Question != nil {
			return st.Check.Question.Key
		}
	}
	return e.Step
}

func writeEvidenceText(b *strings.Builder, ev netmodel.Evidence, indent string) {
	note := ""
	if ev.Note != "" {
		note = "  — " + ev.Note
	}
	fmt.Fprintf(b, "%s%s %s%s\n", indent, ev.Device, Where(ev), note)
	for _, l := range Lines(ev) {
		fmt.Fprintf(b, "%s  %s\n", indent, l)
	}
}

func writeFixesText(b *strings.Builder, fixes []netmodel.Fix, indent string) {
	for _, fx := range fixes {
		fmt.Fprintf(b, "%s  on %s (%s):\n", indent, fx.Device, diagnose.PlatformName(fx.Platform))
		for _, c := range fx.Commands {
			fmt.Fprintf(b, "%s    %s\n", indent, c)
		}
		if fx.Note != "" {
			fmt.Fprintf(b, "%s    # %s\n", indent, fx.Note)
		}
	}
}

func writeFollowupText(b *strings.Builder, fs []Followup, indent string) {
	for i, f := range fs {
		fmt.Fprintf(b, "%s  %d. %s: %s\n", indent, i+1, f.Title, f.Expect)
		writeFixesText(b, f.Commands, indent+"  ")
	}
}

// fence returns a Markdown code fence longer than any run of backticks in s.
func fence(s string) string {
	n, run := 3, 0
	for _, c := range s {
		if c == '`' {
			run++
			if run >= n {
				n = run + 1
			}
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", n)
}

// mdText escapes text for a Markdown paragraph or list item: characters
// that would start markup, and HTML.
func mdText(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]", "|", "\\|", "#", "\\#", "\n", " ")
	return r.Replace(s)
}

func mdCode(s string) string {
	f := "`"
	for strings.Contains(s, f) {
		f += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return f + " " + s + " " + f
	}
	return f + s + f
}

// WriteMarkdown writes the transcript as Markdown, for a ticket.
func (t Transcript) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Walkthrough: %s\n\n", mdText(t.Title))
	fmt.Fprintf(&b, "Site %s (%s), walkthrough %s.\n", mdCode(orDash(t.Site)), mdText(orDash(t.Source)), mdCode(t.Walkthrough))
	if len(t.Answers) > 0 {
		var as []string
		for _, a := range t.Answers {
			as = append(as, mdCode(a[0]+"="+a[1]))
		}
		fmt.Fprintf(&b, "Answers: %s.\n", strings.Join(as, ", "))
	}
	for i, e := range t.Entries {
		r := e.Result
		fmt.Fprintf(&b, "\n## %d. %s — %s\n\n", i+1, mdText(e.Title), r.Verdict)
		if e.Kind == KindQuestion {
			if r.Answer != nil {
				fmt.Fprintf(&b, "Answer: **%s** (%s, %s)\n", mdText(r.Answer.Label), mdCode(questionKey(t, e)+"="+r.Answer.Value), mdText(r.Via))
			} else {
				fmt.Fprintf(&b, "%s\n", mdText(r.Summary))
			}
		} else {
			if e.Why != "" {
				fmt.Fprintf(&b, "*Why:* %s\n\n", mdText(e.Why))
			}
			if r.Summary != "" {
				fmt.Fprintf(&b, "**Result:** %s\n", mdText(r.Summary))
			}
		}
		if r.Filter != "" {
			fmt.Fprintf(&b, "\nCapture filter: %s\n", mdCode(r.Filter))
		}
		if len(r.Facts) > 0 {
			b.WriteString("\n")
		}
		for _, f := range r.Facts {
			fmt.Fprintf(&b, "- %s\n", mdText(f.Text))
			for _, ev := range f.Evidence {
				writeEvidenceMD(&b, ev, "  ")
			}
		}
		if len(r.Findings) > 0 {
			b.WriteString("\nFindings:\n\n")
		}
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "- **%s** %s %s: %s\n", strings.ToUpper(f.Severity.String()), mdCode(f.ID), mdText(f.Subject), mdText(f.Title))
			for i, ev := range f.Evidence {
				if i == maxCites {
					fmt.Fprintf(&b, "  - … and %d more\n", len(f.Evidence)-maxCites)
					break
				}
				fmt.Fprintf(&b, "  - cites %s %s\n", mdText(ev.Device), mdCode(Where(ev)))
			}
		}
		if len(r.Missing) > 0 {
			b.WriteString("\nMissing:\n\n")
			for _, m := range r.Missing {
				fmt.Fprintf(&b, "- %s\n", mdText(m))
			}
		}
		if r.Verdict == Skipped && r.Reason != "" && len(r.Missing) == 0 {
			fmt.Fprintf(&b, "\nSkipped: %s\n", mdText(r.Reason))
		}
		if len(r.Fixes) > 0 {
			fmt.Fprintf(&b, "\nConfiguration for %s: see the conclusion.\n", plural(len(r.Fixes), "device"))
		}
		if len(r.Followup) > 0 {
			fmt.Fprintf(&b, "\n%s: see the conclusion.\n", plural(len(r.Followup), "check"))
		}
		if e.Next != "" {
			fmt.Fprintf(&b, "\nNext: %s\n", mdText(e.Next))
		}
	}
	if t.Done {
		c := t.Conclusion
		fmt.Fprintf(&b, "\n## Conclusion — %s\n\n%s\n", c.Verdict, mdText(c.Summary))
		if len(c.Fixes) > 0 {
			b.WriteString("\n### What to type\n")
			writeFixesMD(&b, c.Fixes)
		}
		if len(c.Followup) > 0 {
			b.WriteString("\n### Then check\n")
			writeFollowupMD(&b, c.Followup)
		}
		if len(c.NotChecked) > 0 {
			b.WriteString("\n### Not checked\n\n")
			for _, n := range c.NotChecked {
				fmt.Fprintf(&b, "- %s\n", mdText(n))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeEvidenceMD(b *strings.Builder, ev netmodel.Evidence, indent string) {
	note := ""
	if ev.Note != "" {
		note = " — " + mdText(ev.Note)
	}
	fmt.Fprintf(b, "%s- %s %s%s\n", indent, mdText(ev.Device), mdCode(Where(ev)), note)
	if ls := Lines(ev); len(ls) > 0 {
		body := strings.Join(ls, "\n")
		f := fence(body)
		fmt.Fprintf(b, "\n%s  %s\n", indent, f)
		for _, l := range ls {
			fmt.Fprintf(b, "%s  %s\n", indent, l)
		}
		fmt.Fprintf(b, "%s  %s\n", indent, f)
	}
}

func writeFixesMD(b *strings.Builder, fixes []netmodel.Fix) {
	for _, fx := range fixes {
		fmt.Fprintf(b, "\nOn **%s** (%s):\n\n", mdText(fx.Device), mdText(diagnose.PlatformName(fx.Platform)))
		body := strings.Join(fx.Commands, "\n")
		f := fence(body)
		fmt.Fprintf(b, "%s\n%s\n%s\n", f, body, f)
		if fx.Note != "" {
			fmt.Fprintf(b, "\n%s\n", mdText(fx.Note))
		}
	}
}

func writeFollowupMD(b *strings.Builder, fs []Followup) {
	for i, f := range fs {
		fmt.Fprintf(b, "\n%d. **%s**: %s\n", i+1, mdText(f.Title), mdText(f.Expect))
		writeFixesMD(b, f.Commands)
	}
}
