package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/nettui/nettui/collectors/inventory"
)

const inventoryFormats = `An inventory is one of:
  - nettui's own YAML: site, defaults, groups, devices, links, expect;
  - an Ansible YAML inventory (all/children/hosts, ansible_host, ansible_user,
    ansible_port, ansible_network_os; nettui_platform to set or override the
    platform);
  - an OpenSSH client config: each Host without wildcards is a device, its
    platform in a comment "# nettui: platform=ios".
The format is told from the content.`

func newInventoryCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "inventory",
		Short: "Check an inventory file or show the devices it resolves to",
		Long:  inventoryFormats,
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newInventoryCheckCmd(g), newInventoryShowCmd(g))
	return cmd
}

func newInventoryCheckCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE",
		Short: "Report every problem in an inventory, with its line and an explanation",
		Long: `Report every problem in an inventory file as FILE:LINE:COL: message,
each followed by why it matters and how to fix it.

` + inventoryFormats + `

Exit status: 0 no problems, 3 problems (or the file cannot be read).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInventoryCheck(cmd.OutOrStdout(), g, args[0])
		},
	}
}

type inventoryShowOptions struct {
	format string
}

func newInventoryShowCmd(g *globalOptions) *cobra.Command {
	o := &inventoryShowOptions{}
	cmd := &cobra.Command{
		Use:   "show FILE",
		Short: "Print the devices an inventory resolves to (defaults, groups and jumps applied)",
		Long: `Print the devices an inventory resolves to, with defaults, groups and jump
hosts applied. An empty host, port or user is left to ~/.ssh/config (the
device's name is then the SSH host alias).

Problems are printed to standard error; the devices that resolved cleanly are
still shown. Exit status: 0 no problems, 3 problems.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInventoryShow(cmd.OutOrStdout(), cmd.ErrOrStderr(), g, o, args[0])
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json")
	return cmd
}

func runInventoryCheck(w io.Writer, g *globalOptions, path string) error {
	inv, err := inventory.Load(path)
	var ie *inventory.Error
	if errors.As(err, &ie) {
		writeInventoryProblems(w, ie.Problems)
		logInventory(g, "inventory check", path, inv, len(ie.Problems))
		return &exitError{code: exitUnusable, err: fmt.Errorf("%s: %s", path, plural(len(ie.Problems), "problem"))}
	}
	if err != nil {
		return &exitError{code: exitUnusable, err: err}
	}
	logInventory(g, "inventory check", path, inv, 0)
	fmt.Fprintf(w, "%s: %s inventory, %s, %s: no problems\n", path, inv.Format, plural(len(inv.Devices), "device"), plural(len(inv.Links), "link"))
	return nil
}

func runInventoryShow(w, errw io.Writer, g *globalOptions, o *inventoryShowOptions, path string) error {
	if o.format != "text" && o.format != "json" {
		return &exitError{code: exitUnusable, err: fmt.Errorf("--format %q: want text or json", o.format)}
	}
	inv, err := inventory.Load(path)
	var ie *inventory.Error
	if err != nil && (!errors.As(err, &ie) || inv == nil) {
		if ie != nil {
			writeInventoryProblems(errw, ie.Problems)
			return &exitError{code: exitUnusable}
		}
		return &exitError{code: exitUnusable, err: err}
	}
	var problems []inventory.Problem
	if ie != nil {
		problems = ie.Problems
	}
	logInventory(g, "inventory show", path, inv, len(problems))
	if o.format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			*inventory.Inventory
			Problems []inventory.Problem `json:"problems"`
		}{inv, problems}); err != nil {
			return &exitError{code: exitUnusable, err: err}
		}
	} else if err := writeInventoryTable(w, inv); err != nil {
		return &exitError{code: exitUnusable, err: err}
	}
	if len(problems) > 0 {
		writeInventoryProblems(errw, problems)
		return &exitError{code: exitUnusable, err: fmt.Errorf("%s: %s; the devices shown are those that resolved", path, plural(len(problems), "problem"))}
	}
	return nil
}

// writeInventoryProblems prints FILE:LINE:COL: message, then the
// explanation indented below it.
func writeInventoryProblems(w io.Writer, probs []inventory.Problem) {
	for _, p := range probs {
		fmt.Fprintf(w, "%s\n    %s\n", p, p.Explain)
	}
}

func writeInventoryTable(w io.Writer, inv *inventory.Inventory) error {
	site := ""
	if inv.Site != "" {
		site = ", site " + inv.Site
	}
	fmt.Fprintf(w, "%s: %s inventory%s, %s\n\n", inv.File, inv.Format, site, plural(len(inv.Devices), "device"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPLATFORM\tHOST\tPORT\tUSER\tJUMP\tSITE\tTAGS")
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, d := range inv.Devices {
		port := "-"
		if d.Port != 0 {
			port = strconv.Itoa(d.Port)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, d.Platform, dash(d.Host), port, dash(d.User),
			dash(d.Jump), dash(d.Site), dash(strings.Join(d.Tags, ",")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(inv.Links) > 0 {
		fmt.Fprintf(w, "\nlinks:\n")
		for _, l := range inv.Links {
			fmt.Fprintf(w, "  %s -- %s\n", l[0], l[1])
		}
	}
	if len(inv.Expect) > 0 {
		fmt.Fprintf(w, "\nexpect:\n")
		keys := make([]string, 0, len(inv.Expect))
		for k := range inv.Expect {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %s: %s\n", k, inv.Expect[k])
		}
	}
	fmt.Fprintln(w, "\n- : not given; ~/.ssh/config decides (host: the device name as an alias)")
	return nil
}

func logInventory(g *globalOptions, what, path string, inv *inventory.Inventory, problems int) {
	if g == nil || g.logger == nil {
		return
	}
	devices := 0
	if inv != nil {
		devices = len(inv.Devices)
	}
	g.logger.Info(what, "file", path, "devices", devices, "problems", problems)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
