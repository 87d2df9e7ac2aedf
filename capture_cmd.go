package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
	"github.com/nettui/nettui/ui"
)

type captureOptions struct {
	read      string
	summary   bool
	format    string
	device    string
	iface     string
	bundleDir string
}

func newCaptureCmd(g *globalOptions) *cobra.Command {
	o := &captureOptions{}
	cmd := &cobra.Command{
		Use:   "capture -r FILE [--summary]",
		Short: "Open a pcap/pcapng file in the capture pane, or summarise and judge it (--summary)",
		Long: `Decode a capture (pcap or pcapng, gzip too): frames per VLAN, LACPDUs and
BPDUs per sender, ESP per SPI and direction, IKE exchanges and notifies,
ICMP fragmentation-needed; then the capture findings (CAP-...). With
--bundle, the capture is judged in the site's context (the switch port the
captured interface faces, the expected STP root, the port groups of the
vSwitch); --device and --interface say where it was taken.

Without --summary the dashboard opens with the capture pane on the file and
the findings beside it. With --summary it prints instead; exit status as for
diagnose: 0 no finding, 1 warnings, 2 critical, 3 unusable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.read != "" && !o.summary {
				return runCaptureDashboard(cmd, g, o)
			}
			return runCapture(cmd.OutOrStdout(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.read, "read", "r", "", "capture file to read (pcap or pcapng)")
	f.BoolVar(&o.summary, "summary", false, "print the summary and findings (the only mode without the dashboard)")
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	f.StringVar(&o.device, "device", "", "device the capture was taken on (a device of --bundle)")
	f.StringVar(&o.iface, "interface", "", "interface the capture was taken on")
	f.StringVar(&o.bundleDir, "bundle", "", "judge the capture with this bundle's site")
	return cmd
}

// captureReport is the JSON form of `nettui capture --summary`.
type captureReport struct {
	Capture  *netmodel.Capture  `json:"capture"`
	Error    string             `json:"error,omitempty"`
	Findings []netmodel.Finding `json:"findings"`
}

// judgeFile decodes the capture file of o into a snapshot (the --bundle
// site's, or an empty one) that holds it; rerr is where reading stopped
// early, when it did.
func judgeFile(o *captureOptions) (snap *netmodel.Snapshot, cp *netmodel.Capture, rerr, err error) {
	r, err := capture.OpenFile(o.read)
	if err != nil {
		return nil, nil, nil, &exitError{code: exitUnusable, err: err}
	}
	defer r.Close()
	cp, rerr = capture.Summarize(r, path.Base(o.read), o.device, o.iface)
	if cp == nil || (rerr != nil && cp.Packets == 0) {
		return nil, nil, nil, &exitError{code: exitUnusable, err: rerr}
	}
	snap = &netmodel.Snapshot{Expect: map[string]string{}}
	if o.bundleDir != "" {
		if snap, _, err = loadSite(o.bundleDir); err != nil {
			return nil, nil, nil, &exitError{code: exitUnusable, err: err}
		}
	}
	snap.Captures = append(snap.Captures, cp)
	return snap, cp, rerr, nil
}

// runCaptureDashboard opens the dashboard on a capture file: the capture
// pane replays it and the findings (the capture's, and with --bundle the
// site's) are listed beside it.
func runCaptureDashboard(cmd *cobra.Command, g *globalOptions, o *captureOptions) error {
	opts, err := captureDashboard(g, o)
	if err != nil {
		return err
	}
	return ui.Run(cmd.Context(), opts)
}

func captureDashboard(g *globalOptions, o *captureOptions) (ui.Options, error) {
	snap, _, rerr, err := judgeFile(o)
	if err != nil {
		return ui.Options{}, err
	}
	if snap.Site == "" {
		snap.Site = path.Base(o.read)
	}
	if rerr != nil {
		snap.Unrecognised = append(snap.Unrecognised, netmodel.Unrecognised{Path: o.read, Reason: "capture read stopped: " + rerr.Error()})
	}
	findings := diagnose.Run(snap)
	g.logger.Info("capture opened", "file", o.read, "findings", len(findings))
	name := path.Base(o.read)
	open := func(*netmodel.Finding) (string, func(context.Context) (capture.Source, error), error) {
		return name, func(context.Context) (capture.Source, error) {
			fh, err := os.Open(o.read)
			if err != nil {
				return nil, err
			}
			r, err := capture.NewReader(fh, name)
			if err != nil {
				fh.Close()
				return nil, err
			}
			return r, nil
		}, nil
	}
	return ui.Options{Snapshot: snap, Findings: findings, Source: o.read, Logger: g.logger, OpenCapture: open, StartCapture: true}, nil
}

func runCapture(w io.Writer, g *globalOptions, o *captureOptions) error {
	if o.read == "" || !o.summary {
		return &exitError{code: exitUnusable, err: errors.New("capture needs -r FILE (with --summary to print instead of opening the dashboard)")}
	}
	if o.format != "text" && o.format != "json" {
		return &exitError{code: exitUnusable, err: fmt.Errorf("--format %q: want text or json", o.format)}
	}
	snap, cp, rerr, err := judgeFile(o)
	if err != nil {
		return err
	}
	var findings []netmodel.Finding
	for _, f := range diagnose.Run(snap) {
		if strings.HasPrefix(f.ID, "CAP-") {
			findings = append(findings, f)
		}
	}
	g.logger.Info("capture summarised", "file", o.read, "packets", cp.Packets, "findings", len(findings))
	rep := captureReport{Capture: cp, Findings: findings}
	if rerr != nil {
		rep.Error = rerr.Error()
	}
	if o.format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return &exitError{code: exitUnusable, err: err}
		}
	} else {
		writeCaptureText(w, &rep)
	}
	if code := diagnose.ExitCode(findings); code != 0 {
		return &exitError{code: code}
	}
	return nil
}

func writeCaptureText(w io.Writer, rep *captureReport) {
	cp := rep.Capture
	fmt.Fprintf(w, "%s: %d packets in %s", cp.File, cp.Packets, cp.Duration.Round(time.Millisecond))
	if cp.Device != "" {
		fmt.Fprintf(w, " on %s %s", cp.Device, cp.Interface)
	}
	fmt.Fprintln(w)
	if rep.Error != "" {
		fmt.Fprintf(w, "  read stopped: %s\n", rep.Error)
	}
	var vs []int
	for v := range cp.VLANs {
		vs = append(vs, int(v))
	}
	sort.Ints(vs)
	var parts []string
	for _, v := range vs {
		name := fmt.Sprintf("VLAN %d", v)
		if v == 0 {
			name = "untagged"
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, cp.VLANs[uint16(v)]))
	}
	fmt.Fprintf(w, "  frames: %s\n", strings.Join(parts, ", "))
	for _, l := range cp.LACP {
		fmt.Fprintf(w, "  LACPDU from %s: %d, actor %s port %d key %d [%s], partner %s [%s]; %d state changes\n",
			l.Source, l.Count, l.ActorSystem, l.ActorPort, l.ActorKey, l.ActorState, l.PartnerSystem, l.PartnerState, l.Changes)
	}
	for _, b := range cp.BPDU {
		fmt.Fprintf(w, "  %s BPDU from %s: %d, root %d/%s cost %d, bridge %d/%s port 0x%04x, %d with TC\n",
			strings.ToUpper(b.Version), b.Source, b.Count, b.RootPriority, b.RootMAC, b.RootCost, b.BridgePrio, b.BridgeMAC, b.PortID, b.TC)
	}
	for _, e := range cp.ESP {
		natt := ""
		if e.NATT {
			natt = " (UDP 4500)"
		}
		fmt.Fprintf(w, "  ESP %s → %s SPI 0x%08x%s: %d packets, last seq %d, %d missing\n", e.Src, e.Dst, e.SPI, natt, e.Packets, e.LastSeq, e.Gaps)
	}
	for _, k := range cp.IKE {
		fmt.Fprintf(w, "  IKEv%d %s → %s SPI %016x: %d requests, %d responses, %d unanswered", k.Version, k.Initiator, k.Responder, k.InitiatorSPI, k.Requests, k.Responses, k.Unanswered)
		if len(k.Notifies) > 0 {
			fmt.Fprintf(w, ", notify %s", strings.Join(k.Notifies, ", "))
		}
		fmt.Fprintln(w)
	}
	for _, f := range cp.FragNeeded {
		fmt.Fprintf(w, "  ICMP fragmentation needed from %s to %s, MTU %d (packet %d)\n", f.From, f.To, f.MTU, f.At)
	}
	for _, e := range cp.Errors {
		fmt.Fprintf(w, "  packet %d not decoded: %s\n", e.At, e.Msg)
	}
	fmt.Fprintf(w, "%d findings\n", len(rep.Findings))
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "\n%s %s  %s\n  %s\n  %s\n", strings.ToUpper(f.Severity.String()), f.ID, f.Subject, f.Title, f.Why)
		for _, e := range f.Evidence {
			fmt.Fprintf(w, "    %s %s:%d-%d  — %s\n", e.Device, e.File, e.Start, e.End, e.Text)
		}
		for _, fx := range f.Fix {
			fmt.Fprintf(w, "  fix on %s:\n", fx.Device)
			for _, c := range fx.Commands {
				fmt.Fprintf(w, "    %s\n", c)
			}
			if fx.Note != "" {
				fmt.Fprintf(w, "    # %s\n", fx.Note)
			}
		}
	}
}

// decodeCaptures summarises the captures bundle.yaml lists (the bundle
// only lists them). A capture that cannot be read is noted as unrecognised
// with why; the others are still judged.
func decodeCaptures(fsys fs.FS, snap *netmodel.Snapshot) {
	for i, c := range snap.Captures {
		f, err := fsys.Open(c.File)
		if err != nil {
			snap.Unrecognised = append(snap.Unrecognised, netmodel.Unrecognised{Path: c.File, Reason: "capture: " + err.Error()})
			continue
		}
		r, err := capture.NewReader(f, c.File)
		if err != nil {
			f.Close()
			snap.Unrecognised = append(snap.Unrecognised, netmodel.Unrecognised{Path: c.File, Reason: "capture: " + err.Error()})
			continue
		}
		cp, err := capture.Summarize(r, c.File, c.Device, c.Interface)
		f.Close()
		if err != nil {
			snap.Unrecognised = append(snap.Unrecognised, netmodel.Unrecognised{Path: c.File, Reason: fmt.Sprintf("capture read stopped after %d packets: %v", cp.Packets, err)})
		}
		snap.Captures[i] = cp
	}
}
