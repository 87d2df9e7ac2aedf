package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/nettui/nettui/collectors/collect"
	"github.com/nettui/nettui/collectors/inventory"
	"github.com/nettui/nettui/collectors/transport"
	"github.com/nettui/nettui/diagnose"
)

type collectOptions struct {
	inventory      string
	out            string
	sshConfig      string
	concurrency    int
	cmdTimeout     time.Duration
	deviceTimeout  time.Duration
	maxOutput      int64
	acceptHostKeys []string // NAME=SHA256:...
}

func (o *collectOptions) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&o.inventory, "inventory", "i", "", "inventory file (nettui YAML, Ansible YAML inventory or an ssh_config)")
	f.StringVar(&o.sshConfig, "ssh-config", "", "ssh_config to read instead of ~/.ssh/config")
	f.IntVar(&o.concurrency, "concurrency", collect.DefaultConcurrency, "devices collected at once")
	f.DurationVar(&o.cmdTimeout, "timeout", collect.DefaultCommandTimeout, "time limit of one command")
	f.DurationVar(&o.deviceTimeout, "device-timeout", collect.DefaultDeviceTimeout, "time limit of one device, connection included")
	f.Int64Var(&o.maxOutput, "max-output", collect.DefaultMaxOutput, "bytes kept of one command's output (the rest is dropped and the output marked truncated)")
	f.StringArrayVar(&o.acceptHostKeys, "accept-host-key", nil, "accept a device's new host key when it has this fingerprint: NAME=SHA256:... (repeatable)")
}

func (o *collectOptions) runOptions(g *globalOptions, progress func(collect.Progress)) collect.Options {
	return collect.Options{
		SSH:            transport.Config{UserConfigFile: o.sshConfig},
		Prompter:       newTermPrompter(),
		Logger:         g.logger,
		Concurrency:    o.concurrency,
		CommandTimeout: o.cmdTimeout,
		DeviceTimeout:  o.deviceTimeout,
		MaxOutput:      o.maxOutput,
		Progress:       progress,
	}
}

func newCollectCmd(g *globalOptions) *cobra.Command {
	o := &collectOptions{}
	cmd := &cobra.Command{
		Use:   "collect -i INVENTORY -o DIR",
		Short: "Collect a site over SSH into a bundle, without the dashboard",
		Long: `Connect to every device of the inventory (read-only commands from each
platform's catalog, host keys checked against known_hosts), save the outputs
redacted into a new bundle folder and print the diagnosis summary.

Exit status: 0 every device collected, 1 some devices failed or were partly
collected, 3 nothing could be collected or the inventory is unusable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.inventory == "" || o.out == "" {
				return &exitError{code: exitUnusable, err: errors.New("collect needs -i INVENTORY and -o DIR")}
			}
			inv, err := inventory.Load(o.inventory)
			if err != nil {
				return &exitError{code: exitUnusable, err: err}
			}
			res, err := collectWithHostKeys(cmd.Context(), g, o, inv, cmd.ErrOrStderr(), cmd.InOrStdin())
			if err != nil {
				return &exitError{code: exitUnusable, err: err}
			}
			if err := res.Write(o.out); err != nil {
				return &exitError{code: exitUnusable, err: err}
			}
			return summarise(cmd.OutOrStdout(), res, o.out)
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVarP(&o.out, "out", "o", "", "bundle folder to create (must not exist or be empty)")
	return cmd
}

// collectWithHostKeys runs the collection and, for devices that stopped on
// an unknown host key, asks (on a terminal) or checks --accept-host-key,
// writes the accepted keys to known_hosts and collects those devices again.
func collectWithHostKeys(ctx context.Context, g *globalOptions, o *collectOptions, inv *inventory.Inventory, errw io.Writer, in io.Reader) (*collect.Result, error) {
	var mu sync.Mutex
	unknown := map[string]*transport.UnknownHostKeyError{}
	progress := func(p collect.Progress) {
		mu.Lock()
		defer mu.Unlock()
		switch p.State {
		case collect.Failed:
			fmt.Fprintf(errw, "%-20s failed (%s): %v\n", p.Device, p.Kind, p.Err)
			if p.Hint != "" {
				fmt.Fprintf(errw, "%-20s   %s\n", "", p.Hint)
			}
			if p.HostKey != nil {
				unknown[p.Device] = p.HostKey
			}
		case collect.Done:
			fmt.Fprintf(errw, "%-20s done (%d commands)\n", p.Device, p.Total)
		case collect.Collecting:
			if p.Err != nil {
				fmt.Fprintf(errw, "%-20s command failed (%s): %v\n", p.Device, p.Kind, p.Err)
			}
		}
	}
	res, err := collect.Run(ctx, inv, o.runOptions(g, progress))
	if err != nil || len(unknown) == 0 {
		return res, err
	}
	accepted := map[string]string{}
	for _, a := range o.acceptHostKeys {
		name, fp, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fmt.Errorf("--accept-host-key %q: want NAME=SHA256:...", a)
		}
		accepted[name] = fp
	}
	tty := false
	if f, ok := in.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		tty = true
	}
	var again []string
	rd := bufio.NewReader(in)
	for _, d := range inv.Devices {
		uk := unknown[d.Name]
		if uk == nil {
			continue
		}
		ok := false
		switch fp, given := accepted[d.Name]; {
		case given && fp == uk.Fingerprint:
			ok = true
		case given:
			fmt.Fprintf(errw, "%s: host key %s does not match the fingerprint given (%s): not accepted\n", d.Name, uk.Fingerprint, fp)
		case tty:
			fmt.Fprintf(errw, "\n%s (%s) presents an unknown %s host key\n  %s\nCompare it with the fingerprint from the device's console. Accept and write it to %s? [y/N] ", d.Name, uk.Host, uk.Key.Type(), uk.Fingerprint, uk.File)
			line, _ := rd.ReadString('\n')
			ok = strings.EqualFold(strings.TrimSpace(line), "y") || strings.EqualFold(strings.TrimSpace(line), "yes")
		default:
			fmt.Fprintf(errw, "%s: to trust this key after checking it out of band, run again with --accept-host-key %s=%s\n", d.Name, d.Name, uk.Fingerprint)
		}
		if !ok {
			continue
		}
		if err := uk.Accept(); err != nil {
			return nil, err
		}
		g.logger.Info("host key accepted", "device", d.Name, "host", uk.Host, "fingerprint", uk.Fingerprint, "file", uk.File)
		again = append(again, d.Name)
	}
	if len(again) == 0 {
		return res, nil
	}
	ro := o.runOptions(g, progress)
	ro.Only = again
	more, err := collect.Run(ctx, inv, ro)
	if err != nil {
		return nil, err
	}
	res.Merge(more)
	return res, nil
}

// summarise prints what was collected and the findings' counts.
func summarise(w io.Writer, res *collect.Result, dir string) error {
	var ok, partial, failed int
	for _, d := range res.Meta.Devices {
		switch d.Status {
		case "ok":
			ok++
		case "partial":
			partial++
		default:
			failed++
		}
	}
	fmt.Fprintf(w, "collected %d devices into %s: %d ok, %d partial, %d failed\n", len(res.Meta.Devices), dir, ok, partial, failed)
	if ok+partial == 0 {
		return &exitError{code: exitUnusable, err: errors.New("no device could be collected")}
	}
	if snap, err := res.Snapshot(); err == nil {
		fmt.Fprintf(w, "%d findings; see them with: nettui open %s   or   nettui diagnose %s\n", len(diagnose.Run(snap)), dir, dir)
	}
	if failed+partial > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d devices failed, %d partly collected", failed, partial)}
	}
	return nil
}
