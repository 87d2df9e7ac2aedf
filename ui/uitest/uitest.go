// Package uitest has what the dashboard's tests share: a small but realistic
// site (an ESXi host, an access switch stack and an NX-OS core, with raw
// outputs and findings citing them) and helpers to drive a model without a
// terminal.
package uitest

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nettui/nettui/internal/netmodel"
)

// Source is what the test dashboard says it opened.
const Source = "testdata/site-dc1"

// Raw outputs, as a device printed them.
const (
	vswitchList = `[root@esx01:~] esxcli network vswitch standard list
vSwitch0
   Name: vSwitch0
   Class: cswitch
   Num Ports: 5632
   Used Ports: 6
   Configured Ports: 128
   MTU: 1500
   CDP Status: listen
   Beacon Enabled: false
   Beacon Interval: 1
   Beacon Threshold: 3
   Beacon Required By:
   Uplinks: vmnic1, vmnic0
   Portgroups: VM Network, Management Network

vSwitch1
   Name: vSwitch1
   Class: cswitch
   Num Ports: 5632
   Used Ports: 12
   Configured Ports: 1024
   MTU: 9000
   CDP Status: both
   Beacon Enabled: false
   Beacon Interval: 1
   Beacon Threshold: 3
   Beacon Required By:
   Uplinks: vmnic3, vmnic2
   Portgroups: VM-Prod, VM-Dev, Sniffer, vMotion`

	portgroupList = `[root@esx01:~] esxcli network vswitch standard portgroup list
Name                Virtual Switch  Active Clients  VLAN ID
------------------  --------------  --------------  -------
Management Network  vSwitch0                     1        0
Sniffer             vSwitch1                     1     4095
VM Network          vSwitch0                     4        0
VM-Dev              vSwitch1                     3       20
VM-Prod             vSwitch1                     6       30
vMotion             vSwitch1                     1       10`

	nicList = `[root@esx01:~] esxcli network nic list
Name    PCI Device    Driver  Admin Status  Link Status  Speed  Duplex  MAC Address         MTU  Description
------  ------------  ------  ------------  -----------  -----  ------  -----------------  ----  -----------
vmnic0  0000:01:00.0  ntg3    Up            Up            1000  Full    3c:ec:ef:10:20:01  1500  Broadcom Corporation NetXtreme BCM5720 Gigabit Ethernet
vmnic1  0000:01:00.1  ntg3    Up            Up            1000  Full    3c:ec:ef:10:20:02  1500  Broadcom Corporation NetXtreme BCM5720 Gigabit Ethernet
vmnic2  0000:3b:00.0  i40en   Up            Up           10000  Full    3c:fd:fe:a1:b2:10  9000  Intel(R) Ethernet Controller X710 for 10GbE SFP+
vmnic3  0000:3b:00.1  i40en   Up            Up           10000  Full    3c:fd:fe:a1:b2:11  9000  Intel(R) Ethernet Controller X710 for 10GbE SFP+`

	trunk = `acc-stack1#show interfaces trunk

Port        Mode             Encapsulation  Status        Native vlan
Gi1/0/10    on               802.1q         trunking      1
Gi2/0/10    on               802.1q         trunking      1
Po1         on               802.1q         trunking      1

Port        Vlans allowed on trunk
Gi1/0/10    10,20,30
Gi2/0/10    10,20
Po1         1-4094

Port        Vlans allowed and active in management domain
Gi1/0/10    10,20,30
Gi2/0/10    10,20
Po1         1,10,20,30,99

Port        Vlans in spanning tree forwarding state and not pruned
Gi1/0/10    10,20,30
Gi2/0/10    10,20
Po1         1,10,20,30,99
acc-stack1#`

	stp = `acc-stack1#show spanning-tree interface GigabitEthernet1/0/10 detail
 Port 10 (GigabitEthernet1/0/10) of VLAN0010 is designated forwarding
   Port path cost 4, Port priority 128, Port Identifier 128.10.
   Designated root has priority 4106, address 0050.56aa.0001
   Designated bridge has priority 32778, address 00a3.8e11.2200
   Designated port id is 128.10, designated path cost 4
   Timers: message age 0, forward delay 0, hold 0
   Number of transitions to forwarding state: 1
   Link type is point-to-point by default
   BPDU: sent 120433, received 0

 Port 10 (GigabitEthernet1/0/10) of VLAN0020 is designated forwarding
   Port path cost 4, Port priority 128, Port Identifier 128.10.
   Designated root has priority 4116, address 0050.56aa.0001
   Designated bridge has priority 32788, address 00a3.8e11.2200
   Designated port id is 128.10, designated path cost 4
   Timers: message age 0, forward delay 0, hold 0
   Number of transitions to forwarding state: 1
   Link type is point-to-point by default
   BPDU: sent 120433, received 0

 Port 10 (GigabitEthernet1/0/10) of VLAN0030 is designated forwarding
   Port path cost 4, Port priority 128, Port Identifier 128.10.
   Designated root has priority 4126, address 0050.56aa.0001
   Designated bridge has priority 32798, address 00a3.8e11.2200
   Designated port id is 128.10, designated path cost 4
   Timers: message age 0, forward delay 0, hold 0
   Number of transitions to forwarding state: 1
   Link type is point-to-point by default
   BPDU: sent 120433, received 0`

	portChannel = `nx-core1# show port-channel summary
Flags:  D - Down        P - Up in port-channel (members)
        I - Individual  H - Hot-standby (LACP only)
        s - Suspended   r - Module-removed
        b - BFD Session Wait
        S - Switched    R - Routed
        U - Up (port-channel)
        p - Up in delay-lacp mode (member)
        M - Not in use. Min-links not met
--------------------------------------------------------------------------------
Group Port-       Type     Protocol  Member Ports
      Channel
--------------------------------------------------------------------------------
10    Po10(SU)    Eth      LACP      Eth1/1(P)    Eth1/2(s)
20    Po20(SU)    Eth      LACP      Eth1/3(P)    Eth1/4(P)`

	lacpNeighbor = `nx-core1# show lacp neighbor interface port-channel 10
Flags:  S - Device is sending Slow LACPDUs F - Device is sending Fast LACPDUs
        A - Device is in Active mode       P - Device is in Passive mode
port-channel10 neighbors
Partner's information
            Partner                Partner                     Partner
Port        System ID              Port Number     Age         Flags
Eth1/1      32768,0-50-56-aa-0-1   0x1             1192        SA

            LACP Partner           Partner                     Partner
            Port Priority          Oper Key                    Port State
            32768                  0x1                         0x3d

Partner's information
            Partner                Partner                     Partner
Port        System ID              Port Number     Age         Flags
Eth1/2      32768,0-50-56-bb-0-2   0x2             1191        SA

            LACP Partner           Partner                     Partner
            Port Priority          Oper Key                    Port State
            32768                  0x2                         0x45`

	vlanBrief = `nx-core1# show vlan brief

VLAN Name                             Status    Ports
---- -------------------------------- --------- -------------------------------
1    default                          active    Eth1/5, Eth1/6
10   vmotion                          active    Po10, Po20
20   vm-dev                           active    Po10, Po20
30   vm-prod                          active    Po10, Po20
99   mgmt                             act/lshut Po10`
)

func lines(s string) []string { return strings.Split(s, "\n") }

// lineOf returns the 1-based number of the first line of text containing
// sub (after the n-th such line when n > 0), so citations follow edits to
// the outputs above.
func lineOf(text, sub string, n int) int {
	for i, l := range lines(text) {
		if strings.Contains(l, sub) {
			if n == 0 {
				return i + 1
			}
			n--
		}
	}
	panic(fmt.Sprintf("uitest: %q not in output", sub))
}

func file(dev string, p netmodel.Platform, capability, name, text string) *netmodel.RawFile {
	ls := lines(text)
	return &netmodel.RawFile{
		Device: dev, Path: "devices/" + dev + "/" + name, Platform: p, Capability: capability,
		Command: strings.TrimSpace(ls[0][strings.IndexAny(ls[0], "]#")+1:]),
		Lines:   ls,
	}
}

func cite(f *netmodel.RawFile, text, sub string, n, count int) netmodel.Evidence {
	start := lineOf(text, sub, n)
	end := start + count - 1
	return netmodel.Evidence{
		Device: f.Device, File: f.Path, Start: start, End: end,
		Text: strings.Join(f.Lines[start-1:end], "\n"),
	}
}

// Snapshot returns a fresh test site "dc1": esx01 (ok), acc-stack1 (ok),
// nx-core1 (partial: spanning tree timed out, one parse error), their raw
// files, and two unrecognised inputs.
func Snapshot() *netmodel.Snapshot {
	s, _ := Site()
	return s
}

// Findings returns the test site's findings, most severe first.
func Findings() []netmodel.Finding {
	_, f := Site()
	return f
}

// Site returns the snapshot and findings together.
func Site() (*netmodel.Snapshot, []netmodel.Finding) {
	vsw := file("esx01", netmodel.ESXi, "vswitch", "vswitch-list.txt", vswitchList)
	pg := file("esx01", netmodel.ESXi, "portgroups", "portgroup-list.txt", portgroupList)
	nic := file("esx01", netmodel.ESXi, "nics", "nic-list.txt", nicList)
	tr := file("acc-stack1", netmodel.IOS, "trunks", "show-interfaces-trunk.txt", trunk)
	st := file("acc-stack1", netmodel.IOS, "stp", "show-spanning-tree-detail.txt", stp)
	pc := file("nx-core1", netmodel.NXOS, "lag", "show-port-channel-summary.txt", portChannel)
	ln := file("nx-core1", netmodel.NXOS, "lacp", "show-lacp-neighbor.txt", lacpNeighbor)
	vb := file("nx-core1", netmodel.NXOS, "vlans", "show-vlan-brief.txt", vlanBrief)
	vbErr := &netmodel.ParseError{Device: "nx-core1", File: vb.Path, Command: vb.Command,
		Line: lineOf(vlanBrief, "act/lshut", 0), Msg: `unknown VLAN status "act/lshut"`}
	vb.Errors = []*netmodel.ParseError{vbErr}

	snap := &netmodel.Snapshot{
		Site: "dc1",
		Devices: []*netmodel.Device{
			{Name: "esx01", Platform: netmodel.ESXi, Status: netmodel.StatusOK, Hostname: "esx01.dc1.example.net",
				Capabilities: []string{"vswitch", "portgroups", "nics"}},
			{Name: "acc-stack1", Platform: netmodel.IOS, Status: netmodel.StatusOK,
				Capabilities: []string{"trunks", "stp"}},
			{Name: "nx-core1", Platform: netmodel.NXOS, Status: netmodel.StatusPartial,
				Error:        "show spanning-tree detail: timed out after 30s",
				Capabilities: []string{"lag", "lacp"}, Errors: []*netmodel.ParseError{vbErr}},
		},
		Files: []*netmodel.RawFile{vsw, pg, nic, tr, st, pc, ln, vb},
		Unrecognised: []netmodel.Unrecognised{
			{Path: "devices/esx01/notes.txt", Device: "esx01", Reason: "no command line, and the text matches no known output"},
			{Path: "captures/uplink-vmnic2.pcapng", Reason: "capture not listed in bundle.yaml"},
		},
	}

	vlanEv := []netmodel.Evidence{
		cite(pg, portgroupList, "VM-Prod", 0, 1),
		cite(vsw, vswitchList, "Uplinks: vmnic3, vmnic2", 0, 1),
		cite(tr, trunk, "Gi1/0/10    10,20,30", 0, 2),
	}
	vlanEv[0].Note = "VM-Prod tags VLAN 30 (VST)"
	vlanEv[2].Note = "vmnic2 → Gi1/0/10 and vmnic3 → Gi2/0/10 (CDP); Gi2/0/10 lacks VLAN 30"

	stpEv := cite(st, stp, "Link type is point-to-point", 0, 2)
	stpEv.Note = "no \"portfast\" line: the port is not an edge port"

	lagEv := cite(pc, portChannel, "Po10(SU)", 0, 1)
	lagPartner := cite(ln, lacpNeighbor, "Eth1/2 ", 0, 1)
	lagPartner.Note = "partner system 0-50-56-bb-0-2 differs from Eth1/1's 0-50-56-aa-0-1"

	findings := []netmodel.Finding{
		{
			ID: "VLAN-UPLINK-MISMATCH", Severity: netmodel.SevCritical,
			Title:   "VLAN 30 (VM-Prod) is not allowed on every uplink of vSwitch1",
			Subject: "esx01/vSwitch1",
			Why: "vSwitch1 uses VST: every uplink must carry the same VLANs. VM-Prod (VLAN 30) can hash or fail " +
				"over to vmnic3, whose switch port Gi2/0/10 does not allow VLAN 30, so part of VM-Prod's " +
				"traffic is dropped: intermittent loss that follows the VM, not the switch.",
			Evidence: vlanEv,
			Fix: []netmodel.Fix{{Device: "acc-stack1", Platform: netmodel.IOS, Commands: []string{
				"interface GigabitEthernet2/0/10",
				" switchport trunk allowed vlan add 30",
			}}},
		},
		{
			ID: "LACP-PARTNER-MISMATCH", Severity: netmodel.SevCritical,
			Title:   "port-channel10 members see two different LACP partners",
			Subject: "nx-core1/port-channel10",
			Why: "Eth1/1 and Eth1/2 are cabled to two switches that are not a stack or MLAG pair, so the partner " +
				"system IDs differ and Eth1/2 is suspended: the bundle runs on one link.",
			Evidence: []netmodel.Evidence{lagEv, lagPartner},
			Fix: []netmodel.Fix{{Device: "nx-core1", Platform: netmodel.NXOS, Note: "after recabling Eth1/2 to the same partner:",
				Commands: []string{"interface Ethernet1/2", "  shutdown", "  no shutdown"}}},
		},
		{
			ID: "STP-EDGE-MISSING", Severity: netmodel.SevWarning,
			Title:   "Gi1/0/10 faces ESXi host esx01 but is not an edge port",
			Subject: "acc-stack1/Gi1/0/10",
			Why: "A vSwitch runs no STP. Without PortFast the port goes through listening and learning after " +
				"every link flap (30 s of loss on failover), and each flap sends a topology change.",
			Evidence: []netmodel.Evidence{stpEv},
			Fix: []netmodel.Fix{{Device: "acc-stack1", Platform: netmodel.IOS, Commands: []string{
				"interface GigabitEthernet1/0/10",
				" spanning-tree portfast trunk",
				" spanning-tree bpduguard enable",
			}}},
		},
		{
			ID: "CAP-STP-MISSING", Severity: netmodel.SevUnknown,
			Title:   "Spanning tree state of nx-core1 was not collected",
			Subject: "nx-core1",
			Why:     "The command timed out, so the STP rules could not check nx-core1 (root placement, edge ports).",
			Fix: []netmodel.Fix{{Device: "nx-core1", Platform: netmodel.NXOS, Note: "collect, then re-run:",
				Commands: []string{"show spanning-tree detail"}}},
		},
		{
			ID: "VLAN-VGT-PORTGROUP", Severity: netmodel.SevInfo,
			Title:    "Port group Sniffer uses VLAN 4095 (guest tagging)",
			Subject:  "esx01/Sniffer",
			Why:      "With VGT the guest chooses its VLANs; the virtualization admin does not see which.",
			Evidence: []netmodel.Evidence{cite(pg, portgroupList, "Sniffer", 0, 1)},
		},
	}
	return snap, findings
}

// Inventory is the test site as a live collection starts from it: the
// devices with their platforms, all queued, nothing collected.
func Inventory() *netmodel.Snapshot {
	snap, _ := Site()
	out := &netmodel.Snapshot{Site: snap.Site}
	for _, d := range snap.Devices {
		out.Devices = append(out.Devices, &netmodel.Device{Name: d.Name, Platform: d.Platform, Status: "queued"})
	}
	return out
}

// Partial is the test site as collected so far: the devices in done as in
// Site, the others still queued (no files, no status), and the findings
// that concern only devices in done.
func Partial(done ...string) (*netmodel.Snapshot, []netmodel.Finding) {
	snap, findings := Site()
	out := &netmodel.Snapshot{Site: snap.Site}
	for _, d := range snap.Devices {
		if slices.Contains(done, d.Name) {
			out.Devices = append(out.Devices, d)
		} else {
			out.Devices = append(out.Devices, &netmodel.Device{Name: d.Name, Platform: d.Platform, Status: "queued"})
		}
	}
	for _, f := range snap.Files {
		if slices.Contains(done, f.Device) {
			out.Files = append(out.Files, f)
		}
	}
	for _, u := range snap.Unrecognised {
		if u.Device == "" || slices.Contains(done, u.Device) {
			out.Unrecognised = append(out.Unrecognised, u)
		}
	}
	var fs []netmodel.Finding
	for _, f := range findings {
		if onlyOn(&f, done) {
			fs = append(fs, f)
		}
	}
	return out, fs
}

// onlyOn reports whether every device f names is in devs.
func onlyOn(f *netmodel.Finding, devs []string) bool {
	for _, e := range f.Evidence {
		if !slices.Contains(devs, e.Device) {
			return false
		}
	}
	for _, x := range f.Fix {
		if !slices.Contains(devs, x.Device) {
			return false
		}
	}
	dev, _, _ := strings.Cut(f.Subject, "/")
	return slices.Contains(devs, dev)
}

// Key builds the key message for a key name as key.Binding spells it
// ("j", "tab", "shift+tab", "enter", "esc", "pgdown", "ctrl+c", ...).
func Key(k string) tea.KeyMsg {
	switch k {
	case " ", "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	for t, name := range keyNames {
		if name == k {
			return tea.KeyMsg{Type: t}
		}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

var keyNames = map[tea.KeyType]string{
	tea.KeyEnter: "enter", tea.KeyTab: "tab", tea.KeyShiftTab: "shift+tab", tea.KeyEsc: "esc",
	tea.KeyBackspace: "backspace", tea.KeyUp: "up", tea.KeyDown: "down", tea.KeyLeft: "left",
	tea.KeyRight: "right", tea.KeyPgUp: "pgup", tea.KeyPgDown: "pgdown", tea.KeyHome: "home",
	tea.KeyEnd: "end", tea.KeyCtrlC: "ctrl+c", tea.KeyDelete: "delete",
}

// Keys turns each argument into key messages: names from Key, and any
// other multi-character string typed rune by rune.
func Keys(ks ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range ks {
		msg := Key(k)
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
			for _, r := range msg.Runes {
				out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
			continue
		}
		out = append(out, msg)
	}
	return out
}

// Size is a window size message.
func Size(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// Wheel is a mouse wheel event at x, y (down when down is set).
func Wheel(x, y int, down bool) tea.MouseMsg {
	b := tea.MouseButtonWheelUp
	if down {
		b = tea.MouseButtonWheelDown
	}
	return tea.MouseMsg{X: x, Y: y, Button: b, Action: tea.MouseActionPress}
}

// Click is a left click at x, y.
func Click(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
}

// Drive sends msgs to m one by one, and after each runs the commands m
// returns, feeding their messages back in, as a program would (without a
// terminal, and synchronously: the dashboard's commands never block).
// Quit is reported rather than stopping the drive.
func Drive(m tea.Model, msgs ...tea.Msg) (tea.Model, bool) {
	quit := false
	var step func(tea.Msg)
	step = func(msg tea.Msg) {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		for _, next := range run(cmd) {
			if _, ok := next.(tea.QuitMsg); ok {
				quit = true
				continue
			}
			step(next)
		}
	}
	for _, msg := range msgs {
		step(msg)
	}
	return m, quit
}

// DriveCmd runs cmd as Drive runs the commands m returns, feeding its
// messages to m (to start what Init returns).
func DriveCmd(m tea.Model, cmd tea.Cmd) (tea.Model, bool) {
	return Drive(m, run(cmd)...)
}

// run executes cmd and flattens batches into their messages.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}
