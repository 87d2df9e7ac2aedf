// Command nettui is a terminal troubleshooter for the network engineer on
// call: it reads ESXi, switch and router state, diagnoses VLAN, LACP, STP,
// routing and IPsec faults, and shows each finding with its evidence and fix.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/fixtures"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui"
)

// Exit codes of nettui diagnose.
const (
	exitOK       = 0
	exitWarning  = 1 // returned by diagnose.ExitCode
	exitCritical = 2 // returned by diagnose.ExitCode
	exitUnusable = 3
)

// exitError carries an exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

type globalOptions struct {
	logFile      string
	logger       *slog.Logger
	closeLog     func()
	captureIface string // --capture-interface
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line and returns the process exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globalOptions{}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if g.closeLog != nil {
		g.closeLog()
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "nettui:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "nettui:", err)
	if errors.Is(err, bundle.ErrUnusable) {
		return exitUnusable
	}
	return exitUnusable
}

func newRootCmd(g *globalOptions) *cobra.Command {
	live := &collectOptions{}
	root := &cobra.Command{
		Use:   "nettui",
		Short: "Terminal troubleshooter for ESXi, switches and routers",
		Long: `nettui reads ESXi vSwitch/port-group, switch trunk, LACP, STP, routing and
IPsec state, diagnoses it and shows each finding with the evidence it rests on
and the commands that fix it.

Without a command it opens the dashboard on the embedded demo site; with
-i INVENTORY it collects the inventory's devices over SSH (read-only) and
shows the findings as devices finish.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return g.openLog()
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if live.inventory != "" {
				return runLive(cmd.Context(), g, live)
			}
			snap, src, fsys, err := loadSiteFS("")
			if err != nil {
				return err
			}
			return runDashboard(cmd.Context(), g, snap, src, fsys)
		},
	}
	live.flags(root)
	root.Flags().StringVarP(&live.out, "out", "o", "", "with -i: also save each collection as a bundle in this folder (DIR, then DIR-2, ...)")
	root.PersistentFlags().StringVar(&g.logFile, "log", "", "log file (default: $XDG_STATE_HOME/nettui/nettui.log)")
	root.PersistentFlags().StringVar(&g.captureIface, "capture-interface", "", "in the dashboard, c captures on this local interface (AF_PACKET, needs CAP_NET_RAW) when the bundle has no capture for the finding")
	root.AddCommand(newOpenCmd(g), newDiagnoseCmd(g), newCollectCmd(g), newInventoryCmd(g), newCaptureCmd(g), newWalkCmd(g))
	return root
}

// openLog sets up the one logger, writing to a file: the TUI owns the terminal.
func (g *globalOptions) openLog() error {
	p := g.logFile
	if p == "" {
		dir := os.Getenv("XDG_STATE_HOME")
		if dir == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				g.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
				return nil
			}
			dir = filepath.Join(home, ".local", "state")
		}
		p = filepath.Join(dir, "nettui", "nettui.log")
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		g.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		return nil
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		g.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		return nil
	}
	g.logger = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo}))
	g.closeLog = func() { f.Close() }
	return nil
}

// loadSite opens a bundle path, or the embedded demo site when path is "".
func loadSite(path string) (*netmodel.Snapshot, string, error) {
	snap, src, _, err := loadSiteFS(path)
	return snap, src, err
}

// loadSiteFS is loadSite that also returns the bundle's file system (for
// replaying its captures).
func loadSiteFS(path string) (*netmodel.Snapshot, string, fs.FS, error) {
	if path == "" {
		sub, err := fs.Sub(fixtures.Demo, "demo")
		if err != nil {
			return nil, "", nil, err
		}
		snap, err := bundle.Load(sub)
		if err == nil {
			decodeCaptures(sub, snap)
		}
		return snap, "embedded demo site", sub, err
	}
	fsys, err := bundle.OpenFS(path)
	if err != nil {
		return nil, path, nil, err
	}
	snap, err := bundle.Load(fsys)
	if err == nil {
		decodeCaptures(fsys, snap)
	}
	return snap, path, fsys, err
}

// bundleDir is the bundle folder on disk that saved captures go into: the
// path opened when it is a folder holding bundle.yaml, else "" (the
// embedded demo, an archive, a folder of pasted outputs).
func bundleDir(path string, fsys fs.FS) string {
	if path == "" || fsys == nil {
		return ""
	}
	if st, err := os.Stat(filepath.Join(path, "bundle.yaml")); err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return path
}

func runDashboard(ctx context.Context, g *globalOptions, snap *netmodel.Snapshot, src string, fsys fs.FS) error {
	findings := diagnose.Run(snap)
	g.logger.Info("opened", "source", src, "devices", len(snap.Devices), "findings", len(findings))
	opener := &captureOpener{fsys: fsys, snap: snap, iface: g.captureIface, dir: bundleDir(src, fsys)}
	return ui.Run(ctx, ui.Options{Snapshot: snap, Findings: findings, Source: src, Logger: g.logger, OpenCapture: opener.open, SaveCapture: opener.save, Walk: walkConfig(src, nil, nil)})
}

func newOpenCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "open BUNDLE",
		Short: "Open a bundle (folder, .tar.gz, or a folder of pasted outputs) in the dashboard",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			snap, src, fsys, err := loadSiteFS(args[0])
			if err != nil {
				return &exitError{code: exitUnusable, err: err}
			}
			return runDashboard(cmd.Context(), g, snap, src, fsys)
		},
	}
}

type diagnoseOptions struct {
	format      string
	minSeverity string
}

func newDiagnoseCmd(g *globalOptions) *cobra.Command {
	o := &diagnoseOptions{}
	cmd := &cobra.Command{
		Use:   "diagnose [BUNDLE]",
		Short: "Print the findings of a bundle without the dashboard",
		Long: `Print the findings of a bundle (the embedded demo site when none is given).

Exit status: 0 no findings at or above --min-severity, 1 warnings (or
lesser findings), 2 critical findings, 3 unusable input.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			return runDiagnose(cmd.OutOrStdout(), g, o, path)
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&o.minSeverity, "min-severity", "info", "report findings at or above: info, unknown, warning, critical")
	return cmd
}

func runDiagnose(w io.Writer, g *globalOptions, o *diagnoseOptions, path string) error {
	min, ok := netmodel.ParseSeverity(o.minSeverity)
	if !ok {
		return &exitError{code: exitUnusable, err: fmt.Errorf("--min-severity %q: want info, unknown, warning or critical", o.minSeverity)}
	}
	if o.format != "text" && o.format != "json" {
		return &exitError{code: exitUnusable, err: fmt.Errorf("--format %q: want text or json", o.format)}
	}
	snap, src, err := loadSite(path)
	if err != nil {
		return &exitError{code: exitUnusable, err: err}
	}
	findings := diagnose.Filter(diagnose.Run(snap), min)
	g.logger.Info("diagnosed", "source", src, "devices", len(snap.Devices), "findings", len(findings))
	rep := diagnose.NewReport(snap, src, findings)
	if o.format == "json" {
		err = rep.WriteJSON(w)
	} else {
		err = rep.WriteText(w)
	}
	if err != nil {
		return &exitError{code: exitUnusable, err: err}
	}
	if code := diagnose.ExitCode(findings); code != 0 {
		return &exitError{code: code}
	}
	return nil
}
