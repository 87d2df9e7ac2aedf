package parse

import (
	"errors"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nettui/nettui/internal/netmodel"
)

// ciscoCmpVLANs compares VLAN sets (a comparable type with unexported
// fields) with ==.
var ciscoCmpVLANs = cmp.Comparer(func(a, b netmodel.VLANSet) bool { return a == b })

// ciscoApply runs text through Clean and the parser of (p, capability).
func ciscoApply(t *testing.T, p netmodel.Platform, capability, text string) (*netmodel.Device, error) {
	t.Helper()
	e := Lookup(p, capability)
	if e == nil {
		t.Fatalf("no parser for %s/%s", p, capability)
	}
	c := Clean(text)
	d := &netmodel.Device{Name: "sw1", Platform: p}
	err := e.Apply(strings.NewReader(c.Text()), d, "f.txt", "")
	return d, err
}

func ciscoGetPort(t *testing.T, d *netmodel.Device, name string) *netmodel.SwitchPort {
	t.Helper()
	p := d.SwitchPorts[name]
	if p == nil {
		names := make([]string, 0, len(d.SwitchPorts))
		for n := range d.SwitchPorts {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Fatalf("no port %q; have %v", name, names)
	}
	return p
}

func ciscoSrc(start, end int) netmodel.Source {
	return netmodel.Source{File: "f.txt", Start: start, End: end}
}

// ciscoLineErr checks that err is a *Error at line.
func ciscoLineErr(t *testing.T, err error, line int) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *parse.Error at line %d", err, err, line)
	}
	if pe.Line != line {
		t.Fatalf("error at line %d (%v), want line %d", pe.Line, pe, line)
	}
}

func TestCiscoCommandRE(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmd  string
		want string // capability, "" for none
	}{
		{"show interfaces trunk", CapInterfacesTrunk},
		{"show interface trunk", CapInterfacesTrunk},
		{"sh int trunk", CapInterfacesTrunk},
		{"sh int tr", CapInterfacesTrunk},
		{"SHOW INTERFACES TRUNK", CapInterfacesTrunk},
		{"show  interfaces   trunk", CapInterfacesTrunk},
		{"show interfaces Gi1/0/1 trunk", CapInterfacesTrunk},
		{"show interface ethernet 1/3 trunk", CapInterfacesTrunk},
		{"sh int trunk | begin Vlans", CapInterfacesTrunk},
		{"show interfaces switchport", CapInterfacesSwitchport},
		{"show interface switchport", CapInterfacesSwitchport},
		{"sh int sw", CapInterfacesSwitchport},
		{"sh int switchport", CapInterfacesSwitchport},
		{"show interfaces Te5/0/1 switchport", CapInterfacesSwitchport},
		{"show running-config | section ^interface", CapRunningConfigIf},
		{"show running-config | section interface", CapRunningConfigIf},
		{"show run | s int", CapRunningConfigIf},
		{"sh run | sec interface", CapRunningConfigIf},
		{"show run | begin interface", CapRunningConfigIf},
		{"show run int Gi1/0/1", CapRunningConfigIf},
		{"sh run int HundredGigE1/0/2", CapRunningConfigIf},
		{"show running-config interface GigabitEthernet1/0/1", CapRunningConfigIf},
		{"show running-config interface ethernet 1/1", CapRunningConfigIf},
		{"show running-config interface", CapRunningConfigIf},
		{"show run interface", CapRunningConfigIf},
		{"show running-config", CapRunningConfigIf},
		{"sh run", CapRunningConfigIf},
		{"show running-config all | section ^interface", CapRunningConfigIf},
		{"show cdp neighbors detail", CapCDPNeighborsDetail},
		{"show cdp neighbor detail", CapCDPNeighborsDetail},
		{"sh cdp nei det", CapCDPNeighborsDetail},
		{"show cdp neighbors Gi1/0/1 detail", CapCDPNeighborsDetail},
		{"show lldp neighbors detail", CapLLDPNeighborsDetail},
		{"sh lldp nei det", CapLLDPNeighborsDetail},
		{"show lldp neighbors interface ethernet 1/1 detail", CapLLDPNeighborsDetail},

		{"show interfaces", ""},
		{"show interfaces status", ""},
		{"show interfaces trunk extra", ""},
		{"show cdp neighbors", ""},
		{"show lldp neighbors", ""},
		{"show run | include hostname", ""},
		{"show ip interface brief", ""},
		{"show vlan brief", ""},
		{"show startup-config", ""},
	}
	for _, p := range []netmodel.Platform{netmodel.IOS, netmodel.NXOS} {
		for _, tt := range tests {
			e, _ := MatchCommand(tt.cmd, p)
			got := ""
			if e != nil {
				got = e.Capability
			}
			if got != tt.want {
				t.Errorf("%s: MatchCommand(%q) = %q, want %q", p, tt.cmd, got, tt.want)
			}
		}
	}
}

// TestCiscoDetectContentOnly: every Cisco fixture is recognised from its
// content alone with no platform declared (a hand-made folder), and no
// Cisco signature fires on another fixture (IOS vs NX-OS, ESXi, ...).
func TestCiscoDetectContentOnly(t *testing.T) {
	t.Parallel()
	for _, fx := range fixtures(t) {
		raw, err := os.ReadFile(fx.path)
		if err != nil {
			t.Fatal(err)
		}
		c := Clean(string(raw))
		for _, e := range Entries() {
			if e.Platform != netmodel.IOS && e.Platform != netmodel.NXOS {
				continue
			}
			want := e.Platform == fx.platform && e.Capability == fx.capability
			if got := e.Detect(c.Lines); got != want {
				t.Errorf("%s: %s/%s signature says %v, want %v", fx.path, e.Platform, e.Capability, got, want)
			}
		}
		if fx.platform != netmodel.IOS && fx.platform != netmodel.NXOS {
			continue
		}
		c.Command = "" // content only
		got, reason := Detect(c, "")
		if got == nil {
			t.Errorf("%s: not detected without a platform: %s", fx.path, reason)
		} else if got.Platform != fx.platform || got.Capability != fx.capability {
			t.Errorf("%s: detected as %s/%s", fx.path, got.Platform, got.Capability)
		}
	}
}

// The NX-OS layout of testdata/nxos/FORMATS.md (80-dash rules, two-line
// header, no blank lines), with other values and a wrapped VLAN list.
const ciscoNXTrunk = `
--------------------------------------------------------------------------------
Port          Native  Status        Port
              Vlan                  Channel
--------------------------------------------------------------------------------
Eth1/5        1       trunking      --
Eth1/47       900     trnk-bndl     Po48
Po48          900     trunking      --
Eth1/48       1       not-trunking  --
--------------------------------------------------------------------------------
Port          Vlans Allowed on Trunk
--------------------------------------------------------------------------------
Eth1/5        1-4094
Eth1/47       10,12,17,33-40,50,64-71,
              1001,1002
Po48          10,12,17,33-40,50,64-71,1001,1002
Eth1/48       none
--------------------------------------------------------------------------------
Port          Vlans Err-disabled on Trunk
--------------------------------------------------------------------------------
Eth1/47       12,17
--------------------------------------------------------------------------------
Port          STP Forwarding
--------------------------------------------------------------------------------
Eth1/47       none
Po48          10,33-40,50,64-71,1001
--------------------------------------------------------------------------------
Port          Vlans in spanning tree forwarding state and not pruned
--------------------------------------------------------------------------------
--------------------------------------------------------------------------------
Port          Vlans Forwarding on FabricPath
--------------------------------------------------------------------------------
Eth1/47       none
Po48          none
`

func TestCiscoNXOSTrunk(t *testing.T) {
	t.Parallel()
	d, err := ciscoApply(t, netmodel.NXOS, CapInterfacesTrunk, ciscoNXTrunk)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.SwitchPorts) != 4 {
		t.Errorf("%d ports, want 4", len(d.SwitchPorts))
	}
	e47 := ciscoGetPort(t, d, "Ethernet1/47")
	want := &netmodel.SwitchPort{
		Name: "Ethernet1/47", Mode: netmodel.ModeTrunk, ModeSrc: ciscoSrc(7, 7),
		NativeVLAN: 900, NativeVLANSrc: ciscoSrc(7, 7),
		Allowed:      netmodel.VLANs(10, 12, 17, 33, 34, 35, 36, 37, 38, 39, 40, 50, 64, 65, 66, 67, 68, 69, 70, 71, 1001, 1002),
		AllowedKnown: true, AllowedSrc: ciscoSrc(14, 15),
		TrunkStatus: "trnk-bndl", ChannelGroup: "port-channel48",
	}
	if diff := cmp.Diff(want, e47, ciscoCmpVLANs); diff != "" {
		t.Errorf("Ethernet1/47 (-want +got):\n%s", diff)
	}
	po := ciscoGetPort(t, d, "port-channel48")
	if po.Allowed != e47.Allowed || po.ChannelGroup != "" || po.TrunkStatus != "trunking" {
		t.Errorf("port-channel48 = %+v", po)
	}
	if p := ciscoGetPort(t, d, "Ethernet1/5"); p.Allowed != netmodel.AllVLANs() || p.NativeVLAN != 1 {
		t.Errorf("Ethernet1/5 = %+v", p)
	}
	// not-trunking on NX-OS: no mode is claimed (link down, or not a trunk).
	p48 := ciscoGetPort(t, d, "Ethernet1/48")
	if p48.Mode != "" || p48.TrunkStatus != "not-trunking" || !p48.AllowedKnown || !p48.Allowed.IsEmpty() {
		t.Errorf("Ethernet1/48 = %+v", p48)
	}
}

// The variant of the Azure Local guide (testdata/nxos/FORMATS.md): 75-dash
// rules and blank lines between sections, one interface.
func TestCiscoNXOSTrunkBlankLines(t *testing.T) {
	t.Parallel()
	in := "ToR1# show interface ethernet 1/3 trunk\n\n" +
		"Port          Native  Status        Port\n" +
		"              Vlan                  Channel\n" +
		strings.Repeat("-", 75) + "\n" +
		"Eth1/3        1       trunking      --\n\n" +
		"Port          Vlans Allowed on Trunk\n" +
		strings.Repeat("-", 75) + "\n" +
		"Eth1/3        1,7,711-712\n\n"
	c := Clean(in)
	if e, _ := Detect(c, ""); e == nil || e.Capability != CapInterfacesTrunk {
		t.Errorf("not detected as a trunk output: %v", e)
	}
	d, err := ciscoApply(t, netmodel.NXOS, CapInterfacesTrunk, in)
	if err != nil {
		t.Fatal(err)
	}
	p := ciscoGetPort(t, d, "Ethernet1/3")
	if p.Allowed != netmodel.VLANs(1, 7, 711, 712) || p.AllowedSrc != ciscoSrc(10, 10) || p.Mode != netmodel.ModeTrunk {
		t.Errorf("Ethernet1/3 = %+v", p)
	}
}

func TestCiscoIOSTrunkWrappedAndRepeatedHeader(t *testing.T) {
	t.Parallel()
	// IOS layout (genie-iosxe-trunk-1.txt), a list wrapped onto a second
	// line, a header printed again in the middle of a table, CRLF endings.
	in := strings.ReplaceAll(`
Port        Mode             Encapsulation  Status        Native vlan
Gi1/0/4     on               802.1q         trunking      99
Te1/1/1     desirable        n-802.1q       trunking      1

Port        Vlans allowed on trunk
Gi1/0/4     1,12,15,31-36,40-42,80,85,101,201,240,410,420,602,604,
            900,910,920,930,940
                  
Port        Vlans allowed on trunk
Te1/1/1     200-211

Port        Vlans allowed and active in management domain
Gi1/0/4     1,12,15,
            900
Te1/1/1     200-211, 300-302
`, "\n", "\r\n")
	d, err := ciscoApply(t, netmodel.IOS, CapInterfacesTrunk, in)
	if err != nil {
		t.Fatal(err)
	}
	gi := ciscoGetPort(t, d, "GigabitEthernet1/0/4")
	wantGi, _ := netmodel.ParseVLANSet("1,12,15,31-36,40-42,80,85,101,201,240,410,420,602,604,900,910,920,930,940")
	if gi.Allowed != wantGi || gi.AllowedSrc != ciscoSrc(7, 8) || gi.NativeVLAN != 99 || gi.Mode != netmodel.ModeTrunk {
		t.Errorf("Gi1/0/4 = %+v (allowed %s)", gi, gi.Allowed)
	}
	te := ciscoGetPort(t, d, "TenGigabitEthernet1/1/1")
	if te.Allowed != netmodel.VLANs(200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211) || te.AllowedSrc != ciscoSrc(11, 11) {
		t.Errorf("Te1/1/1 = %+v", te)
	}
	if te.Mode != netmodel.ModeTrunk {
		t.Errorf("a desirable port that trunks is a trunk, got %q", te.Mode)
	}
}

func TestCiscoIOSTrunkFixtureRepeatedHeader(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/ios/show-interfaces-trunk/genie-iosxe-trunk-1.txt")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ciscoApply(t, netmodel.IOS, CapInterfacesTrunk, string(raw))
	if err != nil {
		t.Fatal(err)
	}
	// Po14 is the only port after the repeated header (line 29).
	po := ciscoGetPort(t, d, "Port-channel14")
	if po.Allowed.String() != "200-211" || po.AllowedSrc != ciscoSrc(14, 14) {
		t.Errorf("Po14 = %+v", po)
	}
	if len(d.SwitchPorts) != 5 {
		t.Errorf("%d ports, want 5", len(d.SwitchPorts))
	}
}

func TestCiscoRunConfigAllowedAdd(t *testing.T) {
	t.Parallel()
	in := `sw1#show running-config | section ^interface
interface GigabitEthernet1/0/10
 description esx01 vmnic2 (uplink)
 switchport trunk native vlan 99
 switchport trunk allowed vlan 10,20,30-40
 switchport trunk allowed vlan add 100,200
 switchport trunk allowed vlan add 300-310
 switchport trunk allowed vlan remove 35
 switchport mode trunk
 channel-group 10 mode active
 spanning-tree portfast edge trunk
 spanning-tree bpduguard enable
!
interface GigabitEthernet1/0/11
 switchport access vlan 20
 switchport mode access
 spanning-tree portfast
interface GigabitEthernet1/0/12
 no switchport
 ip address 192.0.2.1 255.255.255.0
interface Vlan20
 ip address 192.0.2.65 255.255.255.192
end
`
	d, err := ciscoApply(t, netmodel.IOS, CapRunningConfigIf, in)
	if err != nil {
		t.Fatal(err)
	}
	allowed, _ := netmodel.ParseVLANSet("10,20,30-34,36-40,100,200,300-310")
	want := &netmodel.SwitchPort{
		Name: "GigabitEthernet1/0/10", Description: "esx01 vmnic2 (uplink)",
		Mode: netmodel.ModeTrunk, ModeSrc: ciscoSrc(9, 9),
		NativeVLAN: 99, NativeVLANSrc: ciscoSrc(4, 4),
		Allowed: allowed, AllowedKnown: true, AllowedSrc: ciscoSrc(5, 8),
		ChannelGroup: "Port-channel10", PortFast: "trunk", BPDUGuard: true,
	}
	if diff := cmp.Diff(want, ciscoGetPort(t, d, "GigabitEthernet1/0/10"), ciscoCmpVLANs); diff != "" {
		t.Errorf("Gi1/0/10 (-want +got):\n%s", diff)
	}
	acc := ciscoGetPort(t, d, "GigabitEthernet1/0/11")
	if acc.Mode != netmodel.ModeAccess || acc.AccessVLAN != 20 || acc.AccessVLANSrc != ciscoSrc(15, 15) || acc.PortFast != "edge" || acc.AllowedKnown {
		t.Errorf("Gi1/0/11 = %+v", acc)
	}
	if r := ciscoGetPort(t, d, "GigabitEthernet1/0/12"); r.Mode != netmodel.ModeRouted || r.ModeSrc != ciscoSrc(19, 19) {
		t.Errorf("Gi1/0/12 = %+v", r)
	}
	if _, ok := d.SwitchPorts["Vlan20"]; ok {
		t.Error("an SVI was taken for a switch port")
	}
}

func TestCiscoRunConfigNXOS(t *testing.T) {
	t.Parallel()
	in := `!Command: show running-config interface
!Time: Tue Jun 24 11:02:16 2025

version 9.3(8)

interface port-channel10
  description esx01
  switchport mode trunk
  switchport trunk native vlan 10
  switchport trunk allowed vlan 10,20
  switchport trunk allowed vlan add 30
  spanning-tree port type edge trunk
  vpc 10

interface Ethernet1/3
  switchport
  switchport mode trunk
  switchport trunk allowed vlan 10,20,30
  channel-group 10 mode active

interface Ethernet1/4
  switchport access vlan 114
  spanning-tree port type network
  spanning-tree bpduguard disable
`
	c := Clean(in)
	if ciscoDetectRunConfig(c.Lines) != netmodel.NXOS {
		t.Error("not detected as NX-OS configuration")
	}
	d, err := ciscoApply(t, netmodel.NXOS, CapRunningConfigIf, in)
	if err != nil {
		t.Fatal(err)
	}
	po := ciscoGetPort(t, d, "port-channel10")
	if po.Allowed != netmodel.VLANs(10, 20, 30) || po.AllowedSrc != ciscoSrc(10, 11) || po.PortFast != "trunk" || po.NativeVLAN != 10 {
		t.Errorf("port-channel10 = %+v", po)
	}
	if e := ciscoGetPort(t, d, "Ethernet1/3"); e.ChannelGroup != "port-channel10" || e.Mode != netmodel.ModeTrunk {
		t.Errorf("Ethernet1/3 = %+v", e)
	}
	if e := ciscoGetPort(t, d, "Ethernet1/4"); e.AccessVLAN != 114 || e.PortFast != "disabled" || e.BPDUGuard {
		t.Errorf("Ethernet1/4 = %+v", e)
	}
}

func TestCiscoAbbreviationsCanonical(t *testing.T) {
	t.Parallel()
	// Names as devices abbreviate them, in each output: the model keys are
	// the full names of the platform.
	sp := "Name: Fa0/1\nSwitchport: Enabled\nAdministrative Mode: static access\nOperational Mode: static access\nAccess Mode VLAN: 5 (x)\n\n" +
		"Name: Twe1/0/1\nSwitchport: Enabled\nAdministrative Mode: trunk\nOperational Mode: trunk (member of bundle Po7)\nTrunking VLANs Enabled: ALL\n"
	d, err := ciscoApply(t, netmodel.IOS, CapInterfacesSwitchport, sp)
	if err != nil {
		t.Fatal(err)
	}
	ciscoGetPort(t, d, "FastEthernet0/1")
	if p := ciscoGetPort(t, d, "TwentyFiveGigE1/0/1"); p.ChannelGroup != "Port-channel7" || p.Allowed != netmodel.AllVLANs() {
		t.Errorf("Twe1/0/1 = %+v", p)
	}

	cdp := "Device ID: esx01.example.com\nEntry address(es):\n  IP address: 192.0.2.10\nPlatform: VMware ESX,  Capabilities: Switch\n" +
		"Interface: Te1/0/1,  Port ID (outgoing port): vmnic2\nHoldtime : 170 sec\n\n" +
		"-------------------------\nDevice ID: core1\nEntry address(es):\nPlatform: cisco WS-C3850,  Capabilities: Switch\n" +
		"Interface: Gi1/0/48,  Port ID (outgoing port): Gi1/1/1\nHoldtime : 170 sec\n"
	d, err = ciscoApply(t, netmodel.IOS, CapCDPNeighborsDetail, cdp)
	if err != nil {
		t.Fatal(err)
	}
	want := []netmodel.Neighbor{
		{Protocol: "cdp", LocalPort: "TenGigabitEthernet1/0/1", RemoteName: "esx01.example.com", RemotePort: "vmnic2", RemoteAddr: "192.0.2.10", Platform: "VMware ESX", Src: ciscoSrc(1, 6)},
		{Protocol: "cdp", LocalPort: "GigabitEthernet1/0/48", RemoteName: "core1", RemotePort: "GigabitEthernet1/1/1", Platform: "cisco WS-C3850", Src: ciscoSrc(9, 13)},
	}
	if diff := cmp.Diff(want, d.Neighbors, ciscoCmpVLANs); diff != "" {
		t.Errorf("CDP neighbours (-want +got):\n%s", diff)
	}
}

func TestCiscoNXOSCDPSerial(t *testing.T) {
	t.Parallel()
	in := "----------------------------------------\nDevice ID:leaf1(FDO21120U8N)\n\nInterface address(es):\n    IPv4 Address: 192.0.2.1\n" +
		"Platform: N9K-C93180YC-EX, Capabilities: Router Switch\nInterface: Eth1/49, Port ID (outgoing port): Ethernet1/49\nHoldtime: 150 sec\n"
	d, err := ciscoApply(t, netmodel.NXOS, CapCDPNeighborsDetail, in)
	if err != nil {
		t.Fatal(err)
	}
	n := d.Neighbors[0]
	if n.RemoteName != "leaf1" || n.LocalPort != "Ethernet1/49" || n.RemotePort != "Ethernet1/49" || n.RemoteAddr != "192.0.2.1" {
		t.Errorf("neighbour = %+v", n)
	}
}

func TestCiscoCleanRemnants(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/ios/show-interfaces-switchport/ntc-switchport-2.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	// The clean reference: the output with a blank line where the echo
	// will be and one where the trailing prompt will be.
	want, err := ciscoApply(t, netmodel.IOS, CapInterfacesSwitchport, "\n"+strings.Join(lines, "\n")+"\n\n")
	if err != nil {
		t.Fatal(err)
	}
	// The same output as a terminal delivers it: the prompt and command,
	// CRLF, pager prompts erased with backspaces in front of lines (one of
	// them a wrapped VLAN continuation) and the trailing prompt.
	pager := " --More-- " + strings.Repeat("\b", 10) + strings.Repeat(" ", 10) + strings.Repeat("\b", 10)
	for _, i := range []int{20, 21, 40} { // Trunking VLANs Enabled, its continuation, Administrative private-vlan ...
		lines[i] = pager + lines[i]
	}
	dirty := "sw1#show interfaces switchport\r\n" + strings.Join(lines, "\r\n") + "\r\nsw1#"
	c := Clean(dirty)
	if c.Command != "show interfaces switchport" || c.EchoLine != 1 {
		t.Fatalf("echo = %q at %d", c.Command, c.EchoLine)
	}
	for i, l := range c.Lines {
		if strings.ContainsAny(l, "\r\b") || strings.Contains(l, "More") {
			t.Fatalf("line %d not cleaned: %q", i+1, l)
		}
	}
	if e, _ := Detect(c, ""); e == nil || e.Platform != netmodel.IOS || e.Capability != CapInterfacesSwitchport {
		t.Fatalf("detected as %v", e)
	}
	got, err := ciscoApply(t, netmodel.IOS, CapInterfacesSwitchport, dirty)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, ciscoCmpVLANs); diff != "" {
		t.Errorf("terminal output parses differently (-want +got):\n%s", diff)
	}
	if p := ciscoGetPort(t, got, "TenGigabitEthernet5/0/1"); p.AllowedSrc != ciscoSrc(22, 23) || !p.Allowed.Has(940) {
		t.Errorf("wrapped list across a pager prompt: %+v", p)
	}
}

func TestCiscoInvalidInput(t *testing.T) {
	t.Parallel()
	in := "sw1#show interfaces trunk\n                        ^\n% Invalid input detected at '^' marker.\n\nsw1#"
	c := Clean(in)
	if c.DeviceErr == nil || c.DeviceErr.Line != 3 || !strings.HasPrefix(c.DeviceErr.Text, "% Invalid input") {
		t.Fatalf("DeviceErr = %+v", c.DeviceErr)
	}
	if e, _ := Detect(c, netmodel.IOS); e == nil || e.Capability != CapInterfacesTrunk {
		t.Errorf("the command line still says what was asked: %v", e)
	}
	d, err := ciscoApply(t, netmodel.IOS, CapInterfacesTrunk, in)
	if err == nil {
		t.Fatal("no error for a refused command")
	}
	if len(d.SwitchPorts) != 0 {
		t.Errorf("ports from a refused command: %v", d.SwitchPorts)
	}
}

func TestCiscoMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    netmodel.Platform
		cap  string
		in   string
		line int
		// a port that must still be read despite the error
		port string
	}{
		{"trunk row short", netmodel.IOS, CapInterfacesTrunk,
			"Port        Mode             Encapsulation  Status        Native vlan\nGi1/0/1     on               802.1q         trunking\nGi1/0/2     on               802.1q         trunking      1\n",
			2, "GigabitEthernet1/0/2"},
		{"trunk bad native", netmodel.IOS, CapInterfacesTrunk,
			"Port        Mode             Encapsulation  Status        Native vlan\nGi1/0/1     on               802.1q         trunking      x\nGi1/0/2     on               802.1q         trunking      1\n",
			2, "GigabitEthernet1/0/2"},
		{"trunk bad vlan list", netmodel.IOS, CapInterfacesTrunk,
			"Port        Vlans allowed on trunk\nGi1/0/1     10-5\nGi1/0/2     1-10\n",
			2, "GigabitEthernet1/0/2"},
		{"trunk list without comma", netmodel.IOS, CapInterfacesTrunk,
			"Port        Vlans allowed on trunk\nGi1/0/2     1-10\nGi1/0/1     10\n            20\n",
			3, "GigabitEthernet1/0/2"},
		{"trunk no header", netmodel.IOS, CapInterfacesTrunk,
			"Gi1/0/1     on               802.1q         trunking      1\n", 1, ""},
		{"nxos trunk row with mode column", netmodel.NXOS, CapInterfacesTrunk,
			"Port          Native  Status        Port\n              Vlan                  Channel\nEth1/1        on      802.1q        trunking  1\nEth1/2        1       trunking      --\n",
			3, "Ethernet1/2"},
		{"switchport bad access vlan", netmodel.IOS, CapInterfacesSwitchport,
			"Name: Gi1/0/1\nSwitchport: Enabled\nOperational Mode: static access\nAccess Mode VLAN: abc\n\nName: Gi1/0/2\nSwitchport: Enabled\nOperational Mode: trunk\n",
			4, "GigabitEthernet1/0/2"},
		{"switchport bad list", netmodel.NXOS, CapInterfacesSwitchport,
			"Name: Ethernet1/1\n  Switchport: Enabled\n  Operational Mode: trunk\n  Trunking VLANs Allowed: 1-x\nName: Ethernet1/2\n  Switchport: Enabled\n  Operational Mode: access\n",
			4, "Ethernet1/2"},
		{"switchport truncated", netmodel.IOS, CapInterfacesSwitchport,
			"Name: Gi1/0/1\nSwitchport: Enabled\nOperational Mode: trunk\n\nName: Gi1/0/2\n",
			5, "GigabitEthernet1/0/1"},
		{"switchport before name", netmodel.IOS, CapInterfacesSwitchport,
			"Switchport: Enabled\nName: Gi1/0/1\nSwitchport: Enabled\nOperational Mode: trunk\n",
			1, "GigabitEthernet1/0/1"},
		{"config bad allowed", netmodel.IOS, CapRunningConfigIf,
			"interface GigabitEthernet1/0/1\n switchport mode trunk\n switchport trunk allowed vlan 10 20\ninterface GigabitEthernet1/0/2\n switchport mode access\n",
			3, "GigabitEthernet1/0/2"},
		{"config bad access", netmodel.IOS, CapRunningConfigIf,
			"interface GigabitEthernet1/0/1\n switchport access vlan ten\n switchport mode access\n",
			2, "GigabitEthernet1/0/1"},
		{"config add without list", netmodel.NXOS, CapRunningConfigIf,
			"interface Ethernet1/1\n  switchport mode trunk\n  switchport trunk allowed vlan add\n",
			3, "Ethernet1/1"},
		{"config no interface", netmodel.IOS, CapRunningConfigIf,
			"hostname sw1\n!\nend\n", 0, ""},
		{"cdp truncated entry", netmodel.IOS, CapCDPNeighborsDetail,
			"Device ID: a\nEntry address(es):\nPlatform: cisco,  Capabilities: Switch\n-------------------------\nDevice ID: b\nEntry address(es):\nInterface: Gi1/0/2,  Port ID (outgoing port): Gi0/1\nHoldtime : 1 sec\n",
			1, ""},
		{"cdp bad interface line", netmodel.NXOS, CapCDPNeighborsDetail,
			"Device ID:a\nInterface address(es):\nInterface: Ethernet1/1 Port ID: x\nHoldtime: 1 sec\n",
			3, ""},
		{"lldp no port id", netmodel.NXOS, CapLLDPNeighborsDetail,
			"Chassis id: 0011.2233.4455\nLocal Port id: Eth1/1\nSystem Name: x\n\nChassis id: 0011.2233.4466\nPort id: Ethernet1/2\nLocal Port id: Eth1/2\n",
			1, ""},
		{"lldp nothing", netmodel.IOS, CapLLDPNeighborsDetail, "Total entries displayed: 0\n", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := ciscoApply(t, tt.p, tt.cap, tt.in)
			ciscoLineErr(t, err, tt.line)
			if tt.port != "" {
				ciscoGetPort(t, d, tt.port)
			}
		})
	}
}

func TestCiscoEmptyInput(t *testing.T) {
	t.Parallel()
	for _, e := range Entries() {
		if e.Platform != netmodel.IOS && e.Platform != netmodel.NXOS {
			continue
		}
		for _, in := range []string{"", "\n\n", "   \r\n"} {
			d := &netmodel.Device{Name: "sw1", Platform: e.Platform}
			err := e.Apply(strings.NewReader(in), d, "f.txt", "")
			var pe *Error
			if !errors.As(err, &pe) || pe.Line != 0 {
				t.Errorf("%s/%s on %q: error %v, want a *parse.Error at line 0", e.Platform, e.Capability, in, err)
			}
		}
	}
}

// TestCiscoOrder: outputs of one device applied by Order; what the switch
// reports in operation wins over its configuration, and each field keeps the
// source it came from.
func TestCiscoOrder(t *testing.T) {
	t.Parallel()
	outputs := map[string]string{
		CapInterfacesTrunk: "Port        Mode             Encapsulation  Status        Native vlan\n" +
			"Gi1/0/1     on               802.1q         trunking      1\n\n" +
			"Port        Vlans allowed on trunk\nGi1/0/1     10-30\n",
		CapRunningConfigIf: "interface GigabitEthernet1/0/1\n description esx01 vmnic0\n switchport trunk allowed vlan 10-20\n switchport mode trunk\n spanning-tree portfast trunk\n",
	}
	var ents []*Entry
	for c := range outputs {
		ents = append(ents, Lookup(netmodel.IOS, c))
	}
	sort.SliceStable(ents, func(i, j int) bool { return ents[i].Order < ents[j].Order })
	d := &netmodel.Device{Name: "sw1", Platform: netmodel.IOS}
	for _, e := range ents {
		if err := e.Apply(strings.NewReader(outputs[e.Capability]), d, e.Capability+".txt", ""); err != nil {
			t.Fatal(err)
		}
	}
	p := ciscoGetPort(t, d, "GigabitEthernet1/0/1")
	if p.Allowed.String() != "10-30" || p.AllowedSrc.File != CapInterfacesTrunk+".txt" {
		t.Errorf("allowed %s from %s, want 10-30 from the trunk output", p.Allowed, p.AllowedSrc.File)
	}
	if p.Description != "esx01 vmnic0" || p.PortFast != "trunk" {
		t.Errorf("configuration-only fields lost: %+v", p)
	}
}

func TestCiscoRemotePort(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Gi0/1":            "GigabitEthernet0/1",
		"GigabitEthernet0": "GigabitEthernet0",
		"Eth1/52":          "Ethernet1/52",
		"Fa1/0/9":          "FastEthernet1/0/9",
		"vmnic2":           "vmnic2",
		"eth0":             "eth0",
		"ether1":           "ether1",
		"ge-0/0/23":        "ge-0/0/23",
		"1/2.1":            "1/2.1",
		"Po10":             "Po10",
		"":                 "",
	} {
		if got := ciscoRemotePort(in); got != want {
			t.Errorf("ciscoRemotePort(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCiscoDetectEchoAmbiguity: IOS and NX-OS accept the same command lines
// ("show interface trunk", "show running-config interface"), so with no
// platform declared (a hand-made folder) the echoed command cannot tell
// them apart and the content has to. Detect currently returns the first
// entry whose command pattern matches (IOS); this test skips, naming the
// problem, until detect.go falls back to content signatures among the
// entries the command matched.
func TestCiscoDetectEchoAmbiguity(t *testing.T) {
	t.Parallel()
	c := Clean("leaf1# show interface trunk\n" + ciscoNXTrunk)
	if c.Command != "show interface trunk" {
		t.Fatalf("echo = %q", c.Command)
	}
	e, reason := Detect(c, "")
	if e == nil {
		t.Fatalf("not detected: %s", reason)
	}
	if e.Capability != CapInterfacesTrunk {
		t.Fatalf("detected as %s/%s", e.Platform, e.Capability)
	}
	if e.Platform != netmodel.NXOS {
		t.Errorf("an NX-OS output echoing %q is taken for %s when no platform is declared", c.Command, e.Platform)
	}
}
