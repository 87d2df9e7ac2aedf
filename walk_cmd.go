package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nettui/nettui/diagnose/walk"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
	"github.com/nettui/nettui/ui"
	walkui "github.com/nettui/nettui/ui/walk"
)

// Exit statuses of nettui walk: as diagnose for the conclusion (0 no fault
// or not applicable, 1 a warning or not judged, 2 a critical fault, 3
// unusable input), and 4 when a question needs an answer.
const exitNeedAnswer = 4

type walkOptions struct {
	bundle  string
	answers []string
	format  string
}

func newWalkCmd(g *globalOptions) *cobra.Command {
	o := &walkOptions{}
	cmd := &cobra.Command{
		Use:   "walk [NAME]",
		Short: "Guided walkthrough of a classic incident, printed as a transcript",
		Long: `Lead from a symptom to its cause and fix, step by step, over a bundle (the
embedded demo site when --bundle is not given), and print the transcript:
each step, what it checked, the lines it rests on and its verdict, then the
conclusion with what to type.

Without NAME, list the walkthroughs. Questions (which port group, tunnel,
bundle, tree...) take their answer from --answer KEY=VALUE, or their only
choice; with several choices and no answer, the choices are printed.

Exit status: 0 no fault found (or the walkthrough does not apply), 1 a
warning or a step not judged, 2 a critical fault, 3 unusable input, 4 a
question needs an answer.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return listWalks(cmd.OutOrStdout())
			}
			return runWalk(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), g, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.bundle, "bundle", "", "bundle to walk through (folder, .tar.gz or pasted outputs; default: the embedded demo site)")
	cmd.Flags().StringArrayVar(&o.answers, "answer", nil, "answer a question: KEY=VALUE (repeatable)")
	cmd.Flags().StringVar(&o.format, "format", "text", "transcript format: text or markdown")
	return cmd
}

func listWalks(w io.Writer) error {
	var b strings.Builder
	b.WriteString("Walkthroughs (nettui walk NAME [--bundle DIR] [--answer KEY=VALUE ...]):\n")
	for _, wk := range walk.All() {
		fmt.Fprintf(&b, "\n  %-18s %s\n", wk.Name, wk.Title)
		if len(wk.Aliases) > 0 {
			fmt.Fprintf(&b, "  %-18s also: %s\n", "", strings.Join(wk.Aliases, ", "))
		}
		var steps []string
		for _, s := range wk.Steps {
			steps = append(steps, s.Title)
		}
		fmt.Fprintf(&b, "  %-18s steps: %s\n", "", strings.Join(steps, " → "))
		fmt.Fprintf(&b, "  %-18s answers: %s\n", "", strings.Join(wk.Questions(), ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func runWalk(ctx context.Context, stdout, stderr io.Writer, g *globalOptions, o *walkOptions, name string) error {
	wk := walk.Get(name)
	if wk == nil {
		return &exitError{code: exitUnusable, err: fmt.Errorf("no walkthrough %q (there are: %s)", name, strings.Join(walk.Names(), ", "))}
	}
	if o.format != "text" && o.format != "markdown" {
		return &exitError{code: exitUnusable, err: fmt.Errorf("--format %q: want text or markdown", o.format)}
	}
	answers, err := walk.ParseAnswers(wk, o.answers)
	if err != nil {
		return &exitError{code: exitUnusable, err: err}
	}
	snap, src, _, err := loadSiteFS(o.bundle)
	if err != nil {
		return &exitError{code: exitUnusable, err: err}
	}
	sess := walk.New(wk, snap, walk.Options{Answers: answers, Source: src})
	runErr := sess.RunAll(ctx)
	tr := sess.Transcript()
	if o.format == "markdown" {
		err = tr.WriteMarkdown(stdout)
	} else {
		err = tr.WriteText(stdout)
	}
	if err != nil {
		return &exitError{code: exitUnusable, err: err}
	}
	g.logger.Info("walk", "walkthrough", wk.Name, "source", src, "steps", len(tr.Entries), "done", tr.Done)
	var need *walk.NeedAnswer
	if errors.As(runErr, &need) {
		fmt.Fprintln(stderr, needAnswerText(need))
		return &exitError{code: exitNeedAnswer}
	}
	if runErr != nil {
		return &exitError{code: exitUnusable, err: runErr}
	}
	return walkExit(tr.Conclusion)
}

// needAnswerText says which question waits and lists its choices.
func needAnswerText(n *walk.NeedAnswer) string {
	var b strings.Builder
	if n.Bad != "" {
		fmt.Fprintf(&b, "nettui: walk %s: --answer %s=%s is not a choice of %q", n.Walkthrough, n.Key, n.Bad, n.Prompt)
		if n.Why != "" {
			fmt.Fprintf(&b, ": %s", n.Why)
		}
		b.WriteString("\n")
	} else {
		fmt.Fprintf(&b, "nettui: walk %s: %q has %d choices: answer with --answer %s=VALUE\n", n.Walkthrough, n.Prompt, len(n.Choices), n.Key)
	}
	width := 0
	for _, c := range n.Choices {
		width = max(width, len(c.Value))
	}
	for _, c := range n.Choices {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, c.Value, c.Label)
	}
	return strings.TrimRight(b.String(), "\n")
}

// walkExit maps a conclusion to the exit status.
func walkExit(c walk.Conclusion) error {
	switch c.Verdict {
	case walk.Fault:
		for _, f := range c.Cause {
			if f.Severity >= netmodel.SevCritical {
				return &exitError{code: exitCritical}
			}
		}
		return &exitError{code: exitWarning}
	case walk.Unknown:
		return &exitError{code: exitWarning}
	}
	return nil
}

// walkConfig is the dashboard's walkthrough view: on a live site its steps
// collect and capture through the live collection.
func walkConfig(src string, live *liveCollector, opener *captureOpener) *walkui.Config {
	cfg := &walkui.Config{Source: src}
	if live != nil {
		cfg.Collector = walkCollector{live}
		if opener != nil {
			cfg.Capturer = walkCapturer{opener}
		}
	}
	return cfg
}

// walkCollector collects a device again for a walkthrough step (all its
// outputs: the catalog collects per device).
type walkCollector struct{ l *liveCollector }

func (c walkCollector) Collect(ctx context.Context, device string, _ []string) (*netmodel.Snapshot, error) {
	snap, _, err := c.l.Collect(ctx, []string{device}, func(ui.Progress) {})
	return snap, err
}

// walkCaptureTime and walkCapturePackets bound a walkthrough's capture.
const (
	walkCaptureTime    = 15 * time.Second
	walkCapturePackets = 20000
)

// walkCapturer captures on a live device for a walkthrough step, through
// the dashboard's capture opener, and decodes what it saw.
type walkCapturer struct{ o *captureOpener }

func (c walkCapturer) Capture(ctx context.Context, device, iface, filter string) (*netmodel.Capture, error) {
	f := &netmodel.Finding{ID: "WALK", Subject: device + " " + iface, Evidence: []netmodel.Evidence{{Device: device, Text: iface}}}
	name, open, err := c.o.remote(f, filter)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, walkCaptureTime)
	defer cancel()
	src, err := open(ctx)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { src.Close() })
	defer stop()
	var buf bytes.Buffer
	w := capture.NewWriter(&buf)
	for n := 0; n < walkCapturePackets; n++ {
		data, ci, err := src.Next()
		if err != nil {
			break // io.EOF, or the source closed at the deadline
		}
		ifname, link := src.Interface(ci)
		if err := w.WritePacket(ifname, link, ci, data); err != nil {
			src.Close()
			return nil, err
		}
	}
	src.Close()
	if err := w.Close(); err != nil {
		return nil, err
	}
	r, err := capture.NewReader(bytes.NewReader(buf.Bytes()), name)
	if err != nil {
		return nil, fmt.Errorf("%s: nothing captured in %s: %w", name, walkCaptureTime, err)
	}
	defer r.Close()
	return capture.Summarize(r, name, device, iface)
}
