package diagnose

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// site builds a snapshot for rule tests. Every fact it adds is also written
// as a line of a per-device file, so findings can cite real line numbers.
type site struct {
	t *testing.T
	s *netmodel.Snapshot
}

func newSite(t *testing.T) *site {
	return &site{t: t, s: &netmodel.Snapshot{Expect: map[string]string{}}}
}

func (b *site) dev(name string, p netmodel.Platform) *netmodel.Device {
	if d := b.s.Device(name); d != nil {
		return d
	}
	d := &netmodel.Device{Name: name, Platform: p, Status: netmodel.StatusOK}
	b.s.Devices = append(b.s.Devices, d)
	return d
}

// line appends text to device's file and returns its Source.
func (b *site) line(device, text string) netmodel.Source {
	path := "devices/" + device + "/facts.txt"
	f := b.s.File(path)
	if f == nil {
		f = &netmodel.RawFile{Device: device, Path: path}
		b.s.Files = append(b.s.Files, f)
	}
	f.Lines = append(f.Lines, text)
	n := len(f.Lines)
	return netmodel.Source{File: path, Start: n, End: n}
}

// vswitch adds a standard vSwitch with uplinks and a teaming policy
// ("srcport" etc.; active/standby lists).
func (b *site) vswitch(host, name, lb string, active, standby []string) *netmodel.VSwitch {
	h := b.dev(host, netmodel.ESXi)
	up := append(append([]string{}, active...), standby...)
	vs := &netmodel.VSwitch{Name: name, Kind: netmodel.StandardVSwitch, Uplinks: up,
		Src: b.line(host, fmt.Sprintf("vswitch %s uplinks %s", name, strings.Join(up, ",")))}
	if lb != "" {
		vs.Teaming = netmodel.Teaming{Known: true, LoadBalancing: lb, Active: active, Standby: standby,
			Src: b.line(host, fmt.Sprintf("failover %s lb=%s active=%v standby=%v", name, lb, active, standby))}
	}
	h.VSwitches = append(h.VSwitches, vs)
	return vs
}

func (b *site) pg(host, vs, name string, vlan int) *netmodel.PortGroup {
	h := b.dev(host, netmodel.ESXi)
	pg := &netmodel.PortGroup{Name: name, VSwitch: vs, VLAN: vlan, VLANKnown: true, Clients: -1,
		Src: b.line(host, fmt.Sprintf("portgroup %s %s vlan %d", name, vs, vlan))}
	h.PortGroups = append(h.PortGroups, pg)
	return pg
}

func (b *site) override(host, pgName string, active, standby []string) {
	pg := b.dev(host, netmodel.ESXi).PortGroup(pgName)
	pg.Override = netmodel.Teaming{Known: true, LoadBalancing: netmodel.LBPortID, Active: active, Standby: standby,
		Src: b.line(host, fmt.Sprintf("override %s active=%v standby=%v", pgName, active, standby))}
	pg.OverrideUplinks = true
}

func (b *site) trunk(sw string, p netmodel.Platform, port string, native int, allowed string) *netmodel.SwitchPort {
	d := b.dev(sw, p)
	set, err := netmodel.ParseVLANSet(allowed)
	if err != nil {
		b.t.Fatal(err)
	}
	sp := d.Port(port)
	sp.Mode, sp.NativeVLAN, sp.Allowed, sp.AllowedKnown = netmodel.ModeTrunk, native, set, true
	sp.ModeSrc = b.line(sw, port+" mode trunk")
	sp.AllowedSrc = b.line(sw, port+" allowed "+allowed)
	sp.NativeVLANSrc = b.line(sw, fmt.Sprintf("%s native %d", port, native))
	return sp
}

func (b *site) access(sw string, p netmodel.Platform, port string, vlan int) *netmodel.SwitchPort {
	sp := b.dev(sw, p).Port(port)
	sp.Mode, sp.AccessVLAN = netmodel.ModeAccess, vlan
	sp.ModeSrc = b.line(sw, port+" mode access")
	sp.AccessVLANSrc = b.line(sw, fmt.Sprintf("%s access vlan %d", port, vlan))
	return sp
}

// cable records a CDP sighting on the switch of host:nic.
func (b *site) cable(host, nic, sw, port string) {
	d := b.s.Device(sw)
	d.Neighbors = append(d.Neighbors, netmodel.Neighbor{Protocol: "cdp", LocalPort: port, RemoteName: host + ".example.net", RemotePort: nic,
		Src: b.line(sw, fmt.Sprintf("cdp %s -> %s %s", port, host, nic))})
}

func (b *site) run() []netmodel.Finding {
	b.s.ResolveLinks()
	return Run(b.s)
}

// only returns the findings of one rule.
func only(fs []netmodel.Finding, id string) []netmodel.Finding {
	var out []netmodel.Finding
	for _, f := range fs {
		if f.ID == id {
			out = append(out, f)
		}
	}
	return out
}

// ids lists "ID subject" of every finding, for failure messages.
func ids(fs []netmodel.Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.ID+" "+f.Subject)
	}
	return strings.Join(s, "\n")
}

// cites reports whether some evidence of f cites device's line containing text.
func cites(f netmodel.Finding, device, text string) bool {
	for _, e := range f.Evidence {
		if e.Device == device && strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

// fixHas reports whether a fix on device contains a command with text.
func fixHas(f netmodel.Finding, device, text string) bool {
	for _, fx := range f.Fix {
		if fx.Device != device {
			continue
		}
		for _, c := range fx.Commands {
			if strings.Contains(c, text) {
				return true
			}
		}
	}
	return false
}

// twoUplinkHost is the common setup: esx1 vSwitch0 (vmnic0, vmnic1 active,
// srcport) cabled to sw1 Gi1/0/1 and Gi1/0/2.
func twoUplinkHost(t *testing.T, allowed0, allowed1 string) *site {
	b := newSite(t)
	b.vswitch("esx1", "vSwitch0", netmodel.LBPortID, []string{"vmnic0", "vmnic1"}, nil)
	b.trunk("sw1", netmodel.IOS, "GigabitEthernet1/0/1", 1, allowed0)
	b.trunk("sw1", netmodel.IOS, "GigabitEthernet1/0/2", 1, allowed1)
	b.cable("esx1", "vmnic0", "sw1", "GigabitEthernet1/0/1")
	b.cable("esx1", "vmnic1", "sw1", "GigabitEthernet1/0/2")
	return b
}
