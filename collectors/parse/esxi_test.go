package parse

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nettui/nettui/internal/netmodel"
)

// applyESXi runs one ESXi parser over text (cleaned first, as the loader
// does) and returns the device it built.
func applyESXi(t *testing.T, capability, text, arg string) (*netmodel.Device, error) {
	t.Helper()
	e := Lookup(netmodel.ESXi, capability)
	if e == nil {
		t.Fatalf("no ESXi parser for %s", capability)
	}
	d := &netmodel.Device{Name: "esx01", Platform: netmodel.ESXi}
	err := e.Apply(strings.NewReader(Clean(text).Text()), d, "f.txt", arg)
	return d, err
}

func readFixture(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lineOf returns the line of a *Error, or -1 when err is not one.
func lineOf(err error) int {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Line
	}
	return -1
}

// withoutSources zeroes every line range, so that models read from the text
// and the XML form of one output can be compared.
func withoutSources(d *netmodel.Device) *netmodel.Device {
	c := *d
	c.NICs = append([]netmodel.NIC(nil), d.NICs...)
	for i := range c.NICs {
		c.NICs[i].Src = netmodel.Source{}
	}
	c.VSwitches = nil
	for _, v := range d.VSwitches {
		vc := *v
		vc.Src, vc.Teaming.Src = netmodel.Source{}, netmodel.Source{}
		c.VSwitches = append(c.VSwitches, &vc)
	}
	c.PortGroups = nil
	for _, p := range d.PortGroups {
		pc := *p
		pc.Src, pc.Override.Src = netmodel.Source{}, netmodel.Source{}
		c.PortGroups = append(c.PortGroups, &pc)
	}
	return &c
}

func TestESXiFailoverLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text                string
		wantLB                    string
		wantA, wantS, wantU       []string
		wantKnown                 bool
		wantErrLine               int // 0: no error
		portGroup, wantOverrideUp bool
	}{
		{
			name: "standby and unused empty",
			text: "   Load Balancing: srcport\n   Network Failure Detection: link\n   Notify Switches: true\n   Failback: true\n" +
				"   Active Adapters: vmnic0, vmnic1\n   Standby Adapters: \n   Unused Adapters: \n",
			wantLB: "srcport", wantA: []string{"vmnic0", "vmnic1"}, wantKnown: true,
		},
		{
			name: "empty values without the trailing space",
			text: "   Load Balancing: iphash\n   Network Failure Detection: link\n   Notify Switches: true\n   Failback: true\n" +
				"   Active Adapters: vmnic2,vmnic3\n   Standby Adapters:\n   Unused Adapters:\n",
			wantLB: "iphash", wantA: []string{"vmnic2", "vmnic3"}, wantKnown: true,
		},
		{
			name: "all three lists",
			text: "   Load Balancing: explicit\n   Network Failure Detection: beacon\n   Notify Switches: false\n   Failback: false\n" +
				"   Active Adapters: vmnic4\n   Standby Adapters: vmnic5, vmnic6\n   Unused Adapters: vmnic7\n",
			wantLB: "explicit", wantA: []string{"vmnic4"}, wantS: []string{"vmnic5", "vmnic6"}, wantU: []string{"vmnic7"}, wantKnown: true,
		},
		{
			name: "truncated after the active list",
			text: "   Load Balancing: srcport\n   Network Failure Detection: link\n   Notify Switches: true\n   Failback: true\n" +
				"   Active Adapters: vmnic0\n",
			wantLB: "srcport", wantA: []string{"vmnic0"}, wantKnown: false, wantErrLine: 5,
		},
		{
			name:      "port group keeps the vSwitch order",
			portGroup: true,
			text: "   Load Balancing: srcport\n   Network Failure Detection: link\n   Notify Switches: true\n   Failback: true\n" +
				"   Active Adapters: vmnic0\n   Standby Adapters: vmnic1\n   Unused Adapters: \n" +
				"   Override Vswitch Load Balancing: false\n   Override Vswitch Network Failure Detection: false\n" +
				"   Override Vswitch Notify Switches: false\n   Override Vswitch Failback: false\n   Override Vswitch Uplinks: false\n",
			wantLB: "srcport", wantA: []string{"vmnic0"}, wantS: []string{"vmnic1"}, wantKnown: true,
		},
		{
			name:      "port group overrides the uplinks",
			portGroup: true,
			text: "   Load Balancing: srcport\n   Network Failure Detection: link\n   Notify Switches: true\n   Failback: true\n" +
				"   Active Adapters: vmnic1\n   Standby Adapters: \n   Unused Adapters: vmnic0\n" +
				"   Override Vswitch Load Balancing: false\n   Override Vswitch Network Failure Detection: false\n" +
				"   Override Vswitch Notify Switches: false\n   Override Vswitch Failback: false\n   Override Vswitch Uplinks: true\n",
			wantLB: "srcport", wantA: []string{"vmnic1"}, wantU: []string{"vmnic0"}, wantKnown: true, wantOverrideUp: true,
		},
		{
			name:      "port group output without the override lines",
			portGroup: true,
			text: "   Load Balancing: srcport\n   Network Failure Detection: link\n   Notify Switches: true\n   Failback: true\n" +
				"   Active Adapters: vmnic1\n   Standby Adapters: \n   Unused Adapters: \n",
			wantLB: "srcport", wantA: []string{"vmnic1"}, wantKnown: false, wantErrLine: 7,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			capability, arg := CapVSwitchFailover, "vSwitch1"
			if tc.portGroup {
				capability, arg = CapPortGroupFailover, "VM Network"
			}
			d, err := applyESXi(t, capability, tc.text, arg)
			if got := lineOf(err); tc.wantErrLine == 0 && err != nil || tc.wantErrLine != 0 && got != tc.wantErrLine {
				t.Fatalf("error %v (line %d), want line %d", err, got, tc.wantErrLine)
			}
			var tm netmodel.Teaming
			if tc.portGroup {
				pg := d.PortGroup(arg)
				if pg == nil {
					t.Fatalf("port group %q not created", arg)
				}
				tm = pg.Override
				if pg.OverrideUplinks != tc.wantOverrideUp {
					t.Errorf("OverrideUplinks = %v, want %v", pg.OverrideUplinks, tc.wantOverrideUp)
				}
				if pg.Clients != -1 || pg.VLANKnown {
					t.Errorf("failover output invented Clients/VLAN: %+v", pg)
				}
			} else {
				sw := d.VSwitch(arg)
				if sw == nil {
					t.Fatalf("vSwitch %q not created", arg)
				}
				if sw.Kind != netmodel.StandardVSwitch {
					t.Errorf("Kind = %q", sw.Kind)
				}
				tm = sw.Teaming
			}
			if tm.Known != tc.wantKnown || tm.LoadBalancing != tc.wantLB {
				t.Errorf("Known=%v LB=%q, want %v %q", tm.Known, tm.LoadBalancing, tc.wantKnown, tc.wantLB)
			}
			for _, l := range []struct {
				name      string
				got, want []string
			}{{"Active", tm.Active, tc.wantA}, {"Standby", tm.Standby, tc.wantS}, {"Unused", tm.Unused, tc.wantU}} {
				if len(l.got) != len(l.want) || len(l.want) > 0 && !reflect.DeepEqual(l.got, l.want) {
					t.Errorf("%s = %q, want %q", l.name, l.got, l.want)
				}
			}
			if tm.Src.File != "f.txt" || tm.Src.Start != 1 {
				t.Errorf("Src = %+v", tm.Src)
			}
		})
	}
}

func TestESXiPortGroupNamesWithSpaces(t *testing.T) {
	t.Parallel()
	text := "Name                    Virtual Switch  Active Clients  VLAN ID\n" +
		"----------------------  --------------  --------------  -------\n" +
		"ISCSI 0                 vSwitch3                     1       16\n" +
		"Management Network      vSwitch0                     1        0\n" +
		"Management Network (1)  vSwitch0                     1       28\n" +
		"VM  Network  two        vSwitch0                    12     4095\n"
	d, err := applyESXi(t, CapPortGroupList, text, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, vs      string
		vlan, clients int
		line          int
	}{
		{"ISCSI 0", "vSwitch3", 16, 1, 3},
		{"Management Network", "vSwitch0", 0, 1, 4},
		{"Management Network (1)", "vSwitch0", 28, 1, 5},
		{"VM  Network  two", "vSwitch0", 4095, 12, 6},
	}
	if len(d.PortGroups) != len(want) {
		t.Fatalf("got %d port groups, want %d", len(d.PortGroups), len(want))
	}
	for i, w := range want {
		pg := d.PortGroups[i]
		if pg.Name != w.name || pg.VSwitch != w.vs || pg.VLAN != w.vlan || !pg.VLANKnown || pg.Clients != w.clients ||
			pg.Src.Start != w.line || pg.Src.End != w.line {
			t.Errorf("port group %d = %+v, want %+v", i, pg, w)
		}
	}
}

// TestESXiXMLMatchesText checks that the XML form of each esxcli output
// gives the same model as its text form (line ranges aside).
func TestESXiXMLMatchesText(t *testing.T) {
	t.Parallel()
	pairs := []struct {
		capability, text, xml, arg string
	}{
		{CapVSwitchList, "testdata/esxi/vswitch-standard-list/constructed-two-vss.txt", "testdata/esxi/vswitch-standard-list/constructed-two-vss-xml.txt", ""},
		{CapPortGroupList, "testdata/esxi/vswitch-portgroup-list/constructed-vst-vgt-est.txt", "testdata/esxi/vswitch-portgroup-list/constructed-vst-vgt-est-xml.txt", ""},
		{CapVSwitchFailover, "testdata/esxi/vswitch-failover/constructed-active-standby@vSwitch1.txt", "testdata/esxi/vswitch-failover/constructed-active-standby-xml@vSwitch1.txt", "vSwitch1"},
		{CapPortGroupFailover, "testdata/esxi/portgroup-failover/constructed-override@Storage%20A.txt", "testdata/esxi/portgroup-failover/constructed-override-xml@Storage%20A.txt", "Storage A"},
		{CapDVSList, "testdata/esxi/dvs-list/constructed-indented.txt", "testdata/esxi/dvs-list/constructed-indented-xml.txt", ""},
	}
	for _, p := range pairs {
		t.Run(p.capability, func(t *testing.T) {
			dt, err := applyESXi(t, p.capability, readFixture(t, p.text), p.arg)
			if err != nil {
				t.Fatalf("text: %v", err)
			}
			dx, err := applyESXi(t, p.capability, readFixture(t, p.xml), p.arg)
			if err != nil {
				t.Fatalf("xml: %v", err)
			}
			if diff := cmp.Diff(withoutSources(dt), withoutSources(dx)); diff != "" {
				t.Errorf("text and XML differ (-text +xml):\n%s", diff)
			}
		})
	}

	// The NIC list: the real XML (spyroot/warlock) against the same NICs
	// printed as esxcli's text table.
	text := "Name    PCI Device    Driver  Admin Status  Link Status  Speed  Duplex  MAC Address         MTU  Description\n" +
		"------  ------------  ------  ------------  -----------  -----  ------  -----------------  ----  ---------------------------------\n" +
		"vmnic0  0000:18:00.0  ixgben  Up            Up           10000  Full    78:ac:44:07:b2:c4  1500  Intel(R) Ethernet Controller X550\n" +
		"vmnic1  0000:18:00.1  ixgben  Up            Up           10000  Full    78:ac:44:07:b2:c5  1500  Intel(R) Ethernet Controller X550\n" +
		"vmnic2  0000:19:00.0  igbn    Up            Down             0  Half    78:ac:44:07:b2:c6  1500  Intel(R) I350 Gigabit Network Connection\n"
	dt, err := applyESXi(t, CapNICList, text, "")
	if err != nil {
		t.Fatal(err)
	}
	dx, err := applyESXi(t, CapNICList, readFixture(t, "testdata/esxi/nic-list/warlock-8nics-xml.txt"), "")
	if err != nil {
		t.Fatal(err)
	}
	dx.NICs = dx.NICs[:3]
	if diff := cmp.Diff(withoutSources(dt), withoutSources(dx)); diff != "" {
		t.Errorf("NIC text and XML differ (-text +xml):\n%s", diff)
	}
}

func TestESXiMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, capability, text, arg string
		wantLine                    int
		check                       func(t *testing.T, d *netmodel.Device)
	}{
		{
			name:       "non-numeric VLAN",
			capability: CapPortGroupList,
			text: "Name        Virtual Switch  Active Clients  VLAN ID\n" +
				"----------  --------------  --------------  -------\n" +
				"VM Network  vSwitch0                     0        0\n" +
				"Bad VLAN    vSwitch0                     0      abc\n" +
				"Prod        vSwitch0                     2       20\n",
			wantLine: 4,
			check: func(t *testing.T, d *netmodel.Device) {
				if pg := d.PortGroup("Prod"); pg == nil || pg.VLAN != 20 {
					t.Errorf("rows after the bad one lost: %+v", d.PortGroups)
				}
				if pg := d.PortGroup("Bad VLAN"); pg == nil || pg.VLANKnown {
					t.Errorf("bad VLAN read as known: %+v", pg)
				}
			},
		},
		{
			name:       "row straddling the columns",
			capability: CapPortGroupList,
			text: "Name        Virtual Switch  Active Clients  VLAN ID\n" +
				"----------  --------------  --------------  -------\n" +
				"VM Network  vSwitch0                     0        0\n" +
				"A very long name vSwitch0 1 7\n",
			wantLine: 4,
			check: func(t *testing.T, d *netmodel.Device) {
				if len(d.PortGroups) != 1 {
					t.Errorf("got %d port groups, want the one good row", len(d.PortGroups))
				}
			},
		},
		{
			name:       "table without dashes",
			capability: CapNICList,
			text:       "Name    PCI Device    Driver  Admin Status  Link Status  Speed\nvmnic0  0000:18:00.0  ixgben  Up            Up           10000\n",
			wantLine:   1,
		},
		{
			name:       "NIC speed not a number",
			capability: CapNICList,
			text: "Name    PCI Device    Driver  Admin Status  Link Status  Speed  Duplex  MAC Address         MTU  Description\n" +
				"------  ------------  ------  ------------  -----------  -----  ------  -----------------  ----  -----------\n" +
				"vmnic0  0000:18:00.0  ixgben  Up            Up           fast   Full    00:00:00:00:00:00  1500  X550\n",
			wantLine: 3,
			check: func(t *testing.T, d *netmodel.Device) {
				if n := d.NIC("vmnic0"); n == nil || !n.LinkUp || n.MTU != 1500 {
					t.Errorf("rest of the row lost: %+v", n)
				}
			},
		},
		{
			name:       "truncated vSwitch block",
			capability: CapVSwitchList,
			text: "vSwitch0\n   Name: vSwitch0\n   Class: cswitch\n   MTU: 1500\n   Uplinks: vmnic0\n   Portgroups: VM Network\n\n" +
				"vSwitch1\n   Name: vSwitch1\n   Class: cswitch\n   MTU: 9000\n",
			wantLine: 11,
			check: func(t *testing.T, d *netmodel.Device) {
				v := d.VSwitch("vSwitch1")
				if v == nil || v.MTU != 9000 || v.Uplinks != nil {
					t.Errorf("truncated vSwitch1 = %+v", v)
				}
				if v := d.VSwitch("vSwitch0"); v == nil || len(v.PortGroups) != 1 {
					t.Errorf("vSwitch0 = %+v", v)
				}
			},
		},
		{
			name:       "vSwitch MTU not a number",
			capability: CapVSwitchList,
			text:       "vSwitch0\n   Name: vSwitch0\n   Class: cswitch\n   MTU: jumbo\n   Beacon Required By: \n   Uplinks: vmnic0\n   Portgroups: VM Network\n",
			wantLine:   4,
		},
		{
			name:       "header line without fields",
			capability: CapVSwitchList,
			text:       "vSwitch0\n",
			wantLine:   1,
		},
		{
			name:       "esxcfg-vswitch VLAN not a number",
			capability: CapEsxcfgVSwitch,
			text: "Switch Name      Num Ports   Used Ports  Configured Ports  MTU     Uplinks\n" +
				"vSwitch0         6690        5           128               1500    vmnic0\n\n" +
				"  PortGroup Name        VLAN ID  Used Ports  Uplinks\n" +
				"  VM Network            x        1           vmnic0\n" +
				"  Management Network    0        1           vmnic0\n",
			wantLine: 5,
			check: func(t *testing.T, d *netmodel.Device) {
				if d.PortGroup("Management Network") == nil || d.PortGroup("VM Network") != nil {
					t.Errorf("port groups = %+v", d.PortGroups)
				}
			},
		},
		{
			name:       "esxcfg-vswitch header without its row",
			capability: CapEsxcfgVSwitch,
			text:       "Switch Name      Num Ports   Used Ports  Configured Ports  MTU     Uplinks\n",
			wantLine:   1,
		},
		{
			name:       "esxcfg-nics short row",
			capability: CapEsxcfgNICs,
			text: "Name    PCI          Driver      Link Speed      Duplex MAC Address       MTU    Description\n" +
				"vmnic0  0000:4b:00.0 icen        Up   25000Mbps\n" +
				"vmnic1  0000:4b:00.1 icen        Up   25000Mbps  Full   68:05:ca:aa:bb:cd 1500   Intel(R) E810\n",
			wantLine: 2,
			check: func(t *testing.T, d *netmodel.Device) {
				if len(d.NICs) != 1 || d.NICs[0].Name != "vmnic1" {
					t.Errorf("NICs = %+v", d.NICs)
				}
			},
		},
		{
			name:       "truncated XML",
			capability: CapNICList,
			text: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<output xmlns=\"http://www.vmware.com/Products/ESX/5.0/esxcli\">\n<root>\n" +
				"   <list type=\"structure\">\n      <structure typeName=\"Nic\">\n         <field name=\"Name\">\n            <string>vmnic0</string>\n" +
				"         </field>\n      </structure>\n      <structure typeName=\"Nic\">\n         <field name=\"Name\">\n",
			wantLine: 11,
			check: func(t *testing.T, d *netmodel.Device) {
				if len(d.NICs) != 1 || d.NICs[0].Name != "vmnic0" || d.NICs[0].Src.Start != 5 {
					t.Errorf("NICs = %+v", d.NICs)
				}
			},
		},
		{
			name:       "empty output",
			capability: CapVSwitchFailover,
			text:       "\n  \n",
			arg:        "vSwitch0",
			wantLine:   0,
			check: func(t *testing.T, d *netmodel.Device) {
				if len(d.VSwitches) != 0 {
					t.Errorf("empty output created %+v", d.VSwitches)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := applyESXi(t, tc.capability, tc.text, tc.arg)
			if err == nil {
				t.Fatal("no error")
			}
			if got := lineOf(err); got != tc.wantLine {
				t.Errorf("error %q at line %d, want line %d", err, got, tc.wantLine)
			}
			if tc.check != nil {
				tc.check(t, d)
			}
		})
	}
}

func TestESXiCRLF(t *testing.T) {
	t.Parallel()
	for _, fx := range fixtures(t) {
		if fx.platform != netmodel.ESXi {
			continue
		}
		t.Run(strings.TrimPrefix(fx.path, "testdata/"), func(t *testing.T) {
			raw := readFixture(t, fx.path)
			crlf := strings.ReplaceAll(raw, "\n", "\r\n")
			e := Lookup(fx.platform, fx.capability)
			want := &netmodel.Device{Name: "dut", Platform: fx.platform}
			werr := e.Apply(strings.NewReader(Clean(raw).Text()), want, "f.txt", fx.arg)
			// Through Clean, and straight into the parser without it.
			for _, in := range []string{Clean(crlf).Text(), crlf} {
				if strings.HasPrefix(raw, "[") {
					in = Clean(crlf).Text() // an echoed command line is Clean's business
				}
				got := &netmodel.Device{Name: "dut", Platform: fx.platform}
				gerr := e.Apply(strings.NewReader(in), got, "f.txt", fx.arg)
				if (werr == nil) != (gerr == nil) {
					t.Fatalf("errors differ: LF %v, CRLF %v", werr, gerr)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("CRLF input differs (-LF +CRLF):\n%s", diff)
				}
			}
		})
	}
}

func TestESXiCommandLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmd, capability, arg string
	}{
		{"esxcli network vswitch standard list", CapVSwitchList, ""},
		{"esxcli --formatter=xml network vswitch standard list", CapVSwitchList, ""},
		{"esxcli network vswitch standard list -v vSwitch0", CapVSwitchList, ""},
		{"esxcli network vswitch standard portgroup list", CapPortGroupList, ""},
		{"esxcli --formatter xml network vswitch standard portgroup list", CapPortGroupList, ""},
		{"esxcli network vswitch standard policy failover get -v vSwitch1", CapVSwitchFailover, "vSwitch1"},
		{"esxcli network vswitch standard policy failover get --vswitch-name=vSwitch1", CapVSwitchFailover, "vSwitch1"},
		{"esxcli --formatter=xml network vswitch standard policy failover get -v vSwitch1", CapVSwitchFailover, "vSwitch1"},
		{`esxcli network vswitch standard portgroup policy failover get -p "VM Network"`, CapPortGroupFailover, "VM Network"},
		{`esxcli network vswitch standard portgroup policy failover get --portgroup-name="Management Network"`, CapPortGroupFailover, "Management Network"},
		{"esxcli network vswitch standard portgroup policy failover get -p 'iSCSI A'", CapPortGroupFailover, "iSCSI A"},
		{"esxcli network vswitch standard portgroup policy failover get -p=vMotion", CapPortGroupFailover, "vMotion"},
		{"esxcli network nic list", CapNICList, ""},
		{"esxcli --formatter=xml network nic list", CapNICList, ""},
		{"esxcli network vswitch dvs vmware list", CapDVSList, ""},
		{"esxcli network vswitch dvs vmware list --vds-name dvs-prod", CapDVSList, ""},
		{"esxcfg-vswitch -l", CapEsxcfgVSwitch, ""},
		{"esxcfg-nics -l", CapEsxcfgNICs, ""},
	}
	for _, tc := range tests {
		e, arg := MatchCommand(tc.cmd, netmodel.ESXi)
		if e == nil {
			t.Errorf("%q: no match", tc.cmd)
			continue
		}
		if e.Capability != tc.capability || arg != tc.arg {
			t.Errorf("%q: %s arg %q, want %s arg %q", tc.cmd, e.Capability, arg, tc.capability, tc.arg)
		}
	}
	// Every command nettui sends must be recognised again when echoed.
	for _, e := range Entries() {
		if e.Platform != netmodel.ESXi {
			continue
		}
		cmd := e.CommandFor("VM Network")
		got, arg := MatchCommand(cmd, netmodel.ESXi)
		if got != e {
			t.Errorf("%q not matched back to %s", cmd, e.Capability)
		}
		if e.NeedsArg && arg != "VM Network" {
			t.Errorf("%q: arg %q", cmd, arg)
		}
	}
}

// TestESXiMerge checks that outputs describing the same objects merge into
// them instead of duplicating them, and fill only what they carry.
func TestESXiMerge(t *testing.T) {
	t.Parallel()
	d := &netmodel.Device{Name: "esx01", Platform: netmodel.ESXi}
	apply := func(capability, text, arg string) {
		t.Helper()
		if err := Lookup(netmodel.ESXi, capability).Apply(strings.NewReader(Clean(text).Text()), d, capability+".txt", arg); err != nil {
			t.Fatalf("%s: %v", capability, err)
		}
	}
	apply(CapEsxcfgVSwitch, "Switch Name      Num Ports   Used Ports  Configured Ports  MTU     Uplinks\n"+
		"vSwitch0         6690        5           128               1500    vmnic0,vmnic1\n\n"+
		"  PortGroup Name        VLAN ID  Used Ports  Uplinks\n"+
		"  VM Network            20       1           vmnic0,vmnic1\n\n"+
		"Switch Name      Num Ports   Used Ports  Uplinks\n"+
		"nvds-overlay     2560        8           vmnic2\n", "")
	apply(CapVSwitchList, "vSwitch0\n   Name: vSwitch0\n   Class: cswitch\n   MTU: 9000\n   CDP Status: both\n"+
		"   Beacon Required By: \n   Uplinks: vmnic1, vmnic0\n   Portgroups: VM Network, Management Network\n", "")
	apply(CapPortGroupList, "Name                Virtual Switch  Active Clients  VLAN ID\n"+
		"------------------  --------------  --------------  -------\n"+
		"Management Network  vSwitch0                     1        0\n"+
		"VM Network          vSwitch0                     3       20\n", "")
	apply(CapVSwitchFailover, "   Load Balancing: srcport\n   Network Failure Detection: link\n   Notify Switches: true\n   Failback: true\n"+
		"   Active Adapters: vmnic1\n   Standby Adapters: vmnic0\n   Unused Adapters: \n", "vSwitch0")
	apply(CapPortGroupFailover, "   Load Balancing: srcport\n   Network Failure Detection: link\n   Notify Switches: true\n   Failback: true\n"+
		"   Active Adapters: vmnic0\n   Standby Adapters: vmnic1\n   Unused Adapters: \n"+
		"   Override Vswitch Load Balancing: false\n   Override Vswitch Network Failure Detection: false\n"+
		"   Override Vswitch Notify Switches: false\n   Override Vswitch Failback: false\n   Override Vswitch Uplinks: true\n", "VM Network")
	apply(CapEsxcfgNICs, "Name    PCI          Driver      Link Speed      Duplex MAC Address       MTU    Description\n"+
		"vmnic0  0000:4b:00.0 icen        Up   25000Mbps  Full   68:05:CA:AA:BB:CC 1500   Intel(R) E810\n"+
		"vmnic2  0000:4b:00.2 icen        Down 0Mbps      Half   68:05:ca:aa:bb:ce 1500   Intel(R) E810\n", "")
	apply(CapNICList, "Name    PCI Device    Driver  Admin Status  Link Status  Speed  Duplex  MAC Address         MTU  Description\n"+
		"------  ------------  ------  ------------  -----------  -----  ------  -----------------  ----  -----------\n"+
		"vmnic0  0000:4b:00.0  icen    Up            Up           25000  Full    68:05:ca:aa:bb:cc  9000  Intel(R) E810\n", "")

	if len(d.VSwitches) != 2 {
		t.Fatalf("vSwitches = %d, want 2 (merged)", len(d.VSwitches))
	}
	sw := d.VSwitch("vSwitch0")
	if sw.MTU != 9000 || sw.CDPStatus != "both" || !reflect.DeepEqual(sw.Uplinks, []string{"vmnic1", "vmnic0"}) ||
		!reflect.DeepEqual(sw.PortGroups, []string{"VM Network", "Management Network"}) || sw.Kind != netmodel.StandardVSwitch {
		t.Errorf("vSwitch0 = %+v", sw)
	}
	if sw.Src.File != CapVSwitchList+".txt" || sw.Teaming.Src.File != CapVSwitchFailover+".txt" ||
		!sw.Teaming.Known || !reflect.DeepEqual(sw.Teaming.Active, []string{"vmnic1"}) {
		t.Errorf("vSwitch0 teaming/src = %+v / %+v", sw.Teaming, sw.Src)
	}
	if nv := d.VSwitch("nvds-overlay"); nv == nil || nv.Kind != netmodel.DistributedVSwitch || nv.MTU != 0 ||
		!reflect.DeepEqual(nv.Uplinks, []string{"vmnic2"}) {
		t.Errorf("NSX switch = %+v", nv)
	}
	if len(d.PortGroups) != 2 {
		t.Fatalf("port groups = %+v, want 2 (merged)", d.PortGroups)
	}
	pg := d.PortGroup("VM Network")
	if pg.VLAN != 20 || !pg.VLANKnown || pg.Clients != 3 || pg.VSwitch != "vSwitch0" || !pg.OverrideUplinks ||
		!pg.Override.Known || !reflect.DeepEqual(pg.Override.Active, []string{"vmnic0"}) {
		t.Errorf("VM Network = %+v", pg)
	}
	if len(d.NICs) != 2 {
		t.Fatalf("NICs = %+v, want 2 (merged)", d.NICs)
	}
	n := d.NIC("vmnic0")
	if n.MTU != 9000 || !n.AdminUp || !n.LinkUp || n.SpeedMbps != 25000 || n.MAC != "68:05:ca:aa:bb:cc" || n.Src.File != CapNICList+".txt" {
		t.Errorf("vmnic0 = %+v", n)
	}
	if n := d.NIC("vmnic2"); n.LinkUp || n.AdminUp || n.Src.Start != 3 {
		t.Errorf("vmnic2 = %+v", n)
	}
}

// TestESXiDetectOwnOnly makes sure each ESXi signature fires on its own
// outputs only (TestDetect checks that each fixture finds its parser).
func TestESXiDetectOwnOnly(t *testing.T) {
	t.Parallel()
	for _, fx := range fixtures(t) {
		c := Clean(readFixture(t, fx.path))
		for _, e := range Entries() {
			if e.Platform != netmodel.ESXi || e.Detect == nil {
				continue
			}
			own := fx.platform == e.Platform && fx.capability == e.Capability
			if got := e.Detect(c.Lines); got != own {
				t.Errorf("%s: esxi/%s Detect = %v", fx.path, e.Capability, got)
			}
		}
	}
}
