package platform

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nettui/nettui/collectors/parse"
	"github.com/nettui/nettui/internal/netmodel"
)

// picker reads the names of the objects a per-object command runs for out
// of the output of another command.
type picker struct {
	platform   netmodel.Platform
	capability string
	pick       func(output string) ([]string, error)
}

var pickers = map[string]picker{
	// Standard vSwitch names, from esxcli network vswitch standard list.
	"vswitches": {netmodel.ESXi, parse.CapVSwitchList, func(out string) ([]string, error) {
		d, err := parseInto(netmodel.ESXi, parse.CapVSwitchList, out)
		var names []string
		for _, v := range d.VSwitches {
			if v.Kind == netmodel.StandardVSwitch {
				names = append(names, v.Name)
			}
		}
		return names, err
	}},
	// Port-group names, from esxcli network vswitch standard portgroup list.
	"portgroups": {netmodel.ESXi, parse.CapPortGroupList, func(out string) ([]string, error) {
		d, err := parseInto(netmodel.ESXi, parse.CapPortGroupList, out)
		var names []string
		for _, pg := range d.PortGroups {
			names = append(names, pg.Name)
		}
		return names, err
	}},
	// Bonding masters, from ip -d -j addr/link show (linkinfo.info_kind).
	"bonds": {netmodel.Linux, parse.CapLinuxLink, func(out string) ([]string, error) {
		return linkKind(out, "bond")
	}},
	// teamd devices, likewise.
	"teams": {netmodel.Linux, parse.CapLinuxLink, func(out string) ([]string, error) {
		return linkKind(out, "team")
	}},
}

func pickerNames() []string {
	var names []string
	for n := range pickers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// parseInto reads an output with the parser that reads it when loading a
// bundle, so names are taken exactly as the diagnosis will see them.
func parseInto(p netmodel.Platform, capability, out string) (*netmodel.Device, error) {
	d := &netmodel.Device{Platform: p}
	e := parse.Lookup(p, capability)
	if e == nil {
		return d, fmt.Errorf("no parser for %s/%s", p, capability)
	}
	c := parse.Clean(out)
	if c.DeviceErr != nil {
		return d, fmt.Errorf("line %d: the device refused the command: %s", c.DeviceErr.Line, c.DeviceErr.Text)
	}
	err := e.Apply(parse.NewLinesReader(c.Lines), d, capability, "")
	return d, err
}

// linkKind lists the interfaces of one link kind in ip -j link/addr output.
func linkKind(out, kind string) ([]string, error) {
	text := strings.TrimSpace(parse.Clean(out).Text())
	var links []struct {
		IfName   string `json:"ifname"`
		LinkInfo struct {
			InfoKind string `json:"info_kind"`
		} `json:"linkinfo"`
	}
	if err := json.Unmarshal([]byte(text), &links); err != nil {
		return nil, fmt.Errorf("ip -j output: %w", err)
	}
	var names []string
	for _, l := range links {
		if l.LinkInfo.InfoKind == kind && l.IfName != "" {
			names = append(names, l.IfName)
		}
	}
	return names, nil
}

// Objects returns the commands of a per-object capability for every object
// listed in source, the output of the command named by its ArgFrom. A name
// that cannot be sent safely is left out and reported in the error, which
// joins one error per refused name (and one if source could not be read);
// the commands returned are good to send even when the error is not nil.
func (d *Definition) Objects(capability, source string) ([]Cmd, error) {
	def, err := lookup(d.Platform)
	if err != nil {
		return nil, err
	}
	c, ok := def.Command(capability)
	if !ok {
		return nil, fmt.Errorf("%s: capability %q: %w", def.Platform, capability, ErrNotAllowed)
	}
	if !c.PerObject() {
		return nil, fmt.Errorf("%s: %s is not a per-object command", def.Platform, capability)
	}
	names, perr := pickers[c.ArgPick].pick(source)
	var errs []error
	if perr != nil {
		errs = append(errs, fmt.Errorf("%s: reading %s for %s names: %w", def.Platform, c.ArgFrom, c.ArgPick, perr))
	}
	var out []Cmd
	var seen []string
	for _, n := range names {
		if slices.Contains(seen, n) {
			continue
		}
		seen = append(seen, n)
		cmd, err := def.build(capability, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, cmd)
	}
	return out, errors.Join(errs...)
}
