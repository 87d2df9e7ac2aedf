package diagnose

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

func TestPartialUplinkUnderLoadHashing(t *testing.T) {
	b := twoUplinkHost(t, "10,120", "10")
	b.pg("esx1", "vSwitch0", "VM-Prod", 120)
	b.pg("esx1", "vSwitch0", "Mgmt", 10)
	fs := b.run()
	got := only(fs, VLANPartialUplink)
	if len(got) != 1 {
		t.Fatalf("want 1 %s, got:\n%s", VLANPartialUplink, ids(fs))
	}
	f := got[0]
	if f.Severity != netmodel.SevCritical || !strings.Contains(f.Subject, "VM-Prod") || !strings.Contains(f.Title, "intermittent") {
		t.Errorf("finding = %+v", f)
	}
	if !cites(f, "sw1", "GigabitEthernet1/0/2 allowed 10") || !cites(f, "esx1", "portgroup VM-Prod") {
		t.Errorf("evidence does not cite the lacking trunk and the port group: %+v", f.Evidence)
	}
	if !fixHas(f, "sw1", "switchport trunk allowed vlan add 120") || !fixHas(f, "sw1", "interface GigabitEthernet1/0/2") {
		t.Errorf("fix = %+v", f.Fix)
	}
	if len(only(fs, VLANUplinkInconsistent)) != 0 {
		t.Errorf("difference already reported per port group was reported again:\n%s", ids(fs))
	}
}

func TestPartialUplinkOnlyOnFailover(t *testing.T) {
	b := twoUplinkHost(t, "10", "10,20")
	b.pg("esx1", "vSwitch0", "vMotion", 20)
	b.override("esx1", "vMotion", []string{"vmnic1"}, []string{"vmnic0"})
	f := only(b.run(), VLANPartialUplink)
	if len(f) != 1 || !strings.Contains(f[0].Title, "failover") || !strings.Contains(f[0].Why, "standby vmnic0") {
		t.Fatalf("want a failover-only finding, got %+v", f)
	}
}

func TestPartialUplinkExplicitFirstActive(t *testing.T) {
	b := newSite(t)
	b.vswitch("esx1", "vSwitch0", netmodel.LBExplicit, []string{"vmnic0", "vmnic1"}, nil)
	b.trunk("sw1", netmodel.IOS, "GigabitEthernet1/0/1", 1, "10")
	b.trunk("sw1", netmodel.IOS, "GigabitEthernet1/0/2", 1, "10,30")
	b.cable("esx1", "vmnic0", "sw1", "GigabitEthernet1/0/1")
	b.cable("esx1", "vmnic1", "sw1", "GigabitEthernet1/0/2")
	b.pg("esx1", "vSwitch0", "App", 30)
	f := only(b.run(), VLANPartialUplink)
	if len(f) != 1 || !strings.Contains(f[0].Why, "first active uplink") {
		t.Fatalf("explicit failover with the first active lacking the VLAN: %+v", f)
	}
}

func TestPartialUplinkPasses(t *testing.T) {
	b := twoUplinkHost(t, "10,120", "1-4094")
	b.pg("esx1", "vSwitch0", "VM-Prod", 120)
	fs := b.run()
	if len(only(fs, VLANPartialUplink))+len(only(fs, VLANMissingAll)) != 0 {
		t.Fatalf("VLAN carried on every uplink, got:\n%s", ids(fs))
	}
}

func TestMissingAll(t *testing.T) {
	b := twoUplinkHost(t, "10", "10")
	b.pg("esx1", "vSwitch0", "Backup", 150)
	fs := b.run()
	f := only(fs, VLANMissingAll)
	if len(f) != 1 || len(only(fs, VLANPartialUplink)) != 0 {
		t.Fatalf("got:\n%s", ids(fs))
	}
	if len(f[0].Fix) != 1 || !fixHas(f[0], "sw1", "interface GigabitEthernet1/0/1") || !fixHas(f[0], "sw1", "interface GigabitEthernet1/0/2") ||
		strings.Count(strings.Join(f[0].Fix[0].Commands, "\n"), "allowed vlan add 150") != 2 {
		t.Errorf("fix must add VLAN 150 on both ports in one session: %+v", f[0].Fix)
	}
	if len(only(fs, VLANUplinkInconsistent)) != 0 {
		t.Errorf("identical ports reported as inconsistent")
	}
}

func TestMissingAllPasses(t *testing.T) {
	b := twoUplinkHost(t, "10,150", "10,150")
	b.pg("esx1", "vSwitch0", "Backup", 150)
	if fs := b.run(); len(fs) != 0 {
		t.Fatalf("healthy site, got:\n%s", ids(fs))
	}
}

func TestAccessPortTagged(t *testing.T) {
	b := newSite(t)
	b.vswitch("esx3", "vSwitch0", netmodel.LBPortID, []string{"vmnic0", "vmnic1"}, nil)
	b.access("sw1", netmodel.IOS, "GigabitEthernet1/0/3", 10)
	b.access("sw1", netmodel.IOS, "GigabitEthernet2/0/3", 10)
	b.cable("esx3", "vmnic0", "sw1", "GigabitEthernet1/0/3")
	b.cable("esx3", "vmnic1", "sw1", "GigabitEthernet2/0/3")
	b.pg("esx3", "vSwitch0", "Management Network", 10)
	fs := b.run()
	f := only(fs, VLANAccessPortTagged)
	if len(f) != 1 || f[0].Severity != netmodel.SevCritical {
		t.Fatalf("got:\n%s", ids(fs))
	}
	if !fixHas(f[0], "sw1", "switchport mode trunk") || !fixHas(f[0], "sw1", "switchport trunk allowed vlan 10") {
		t.Errorf("fix = %+v", f[0].Fix)
	}
	if len(fs) != 1 {
		t.Errorf("one fault, one finding; got:\n%s", ids(fs))
	}
}

func TestAccessPortUntaggedPasses(t *testing.T) {
	b := newSite(t)
	b.vswitch("esx3", "vSwitch0", netmodel.LBPortID, []string{"vmnic0", "vmnic1"}, nil)
	b.access("sw1", netmodel.IOS, "GigabitEthernet1/0/3", 10)
	b.access("sw1", netmodel.IOS, "GigabitEthernet2/0/3", 10)
	b.cable("esx3", "vmnic0", "sw1", "GigabitEthernet1/0/3")
	b.cable("esx3", "vmnic1", "sw1", "GigabitEthernet2/0/3")
	b.pg("esx3", "vSwitch0", "Management Network", 0) // EST on access ports: fine
	if fs := b.run(); len(fs) != 0 {
		t.Fatalf("EST on matching access ports is healthy, got:\n%s", ids(fs))
	}
}

func TestESTAccessMismatch(t *testing.T) {
	b := newSite(t)
	b.vswitch("esx3", "vSwitch0", netmodel.LBPortID, []string{"vmnic0", "vmnic1"}, nil)
	b.access("sw1", netmodel.IOS, "GigabitEthernet1/0/3", 10)
	b.access("sw1", netmodel.IOS, "GigabitEthernet2/0/3", 11)
	b.cable("esx3", "vmnic0", "sw1", "GigabitEthernet1/0/3")
	b.cable("esx3", "vmnic1", "sw1", "GigabitEthernet2/0/3")
	b.pg("esx3", "vSwitch0", "Legacy", 0)
	fs := b.run()
	if f := only(fs, VLANESTAccessMismatch); len(f) != 1 || len(fs) != 1 {
		t.Fatalf("want exactly one %s, got:\n%s", VLANESTAccessMismatch, ids(fs))
	}
}

func TestUplinkInconsistentNative(t *testing.T) {
	b := newSite(t)
	b.vswitch("esx1", "dvs", netmodel.LBPortID, []string{"vmnic2", "vmnic3"}, nil)
	b.s.Devices[0].VSwitches[0].Kind = netmodel.DistributedVSwitch
	b.trunk("nx1", netmodel.NXOS, "Ethernet1/1", 100, "100-199")
	b.trunk("nx1", netmodel.NXOS, "Ethernet1/2", 1, "100-199")
	b.cable("esx1", "vmnic2", "nx1", "Ethernet1/1")
	b.cable("esx1", "vmnic3", "nx1", "Ethernet1/2")
	fs := b.run()
	f := only(fs, VLANUplinkInconsistent)
	if len(f) != 1 || !strings.Contains(f[0].Title, "native VLAN") || f[0].Severity != netmodel.SevWarning {
		t.Fatalf("got:\n%s", ids(fs))
	}
	if !fixHas(f[0], "nx1", "switchport trunk native vlan") {
		t.Errorf("fix = %+v", f[0].Fix)
	}
}

func TestUplinkInconsistentAllowedWithoutPortGroup(t *testing.T) {
	// The ports differ in VLAN 300 that no port group uses yet: a warning.
	b := twoUplinkHost(t, "10,300", "10")
	b.pg("esx1", "vSwitch0", "Mgmt", 10)
	f := only(b.run(), VLANUplinkInconsistent)
	if len(f) != 1 || !strings.Contains(f[0].Title, "allowed VLANs (300") || !fixHas(f[0], "sw1", "allowed vlan add 300") {
		t.Fatalf("got %+v", f)
	}
}

func TestVGT(t *testing.T) {
	b := twoUplinkHost(t, "10,20,30", "10,20")
	b.pg("esx1", "vSwitch0", "Sniffer", 4095)
	fs := b.run()
	f := only(fs, VLANVGT)
	if len(f) != 1 || !strings.Contains(f[0].Why, "10,20,30") || !strings.Contains(f[0].Why, "only 10,20 on every uplink") {
		t.Fatalf("got %+v", f)
	}
}

func TestVGTPassesWithoutVGT(t *testing.T) {
	b := twoUplinkHost(t, "10,20", "10,20")
	b.pg("esx1", "vSwitch0", "Web", 20)
	if f := only(b.run(), VLANVGT); len(f) != 0 {
		t.Fatalf("got %+v", f)
	}
}

func TestESTOnTrunk(t *testing.T) {
	b := twoUplinkHost(t, "10", "10")
	b.pg("esx1", "vSwitch0", "Legacy-Untagged", 0)
	f := only(b.run(), VLANESTOnTrunk)
	if len(f) != 1 || !strings.Contains(f[0].Title, "VLAN 1") || f[0].Severity != netmodel.SevWarning {
		t.Fatalf("got %+v", f)
	}
}

func TestESTOnTrunkDifferentNativesIsCritical(t *testing.T) {
	b := newSite(t)
	b.vswitch("esx1", "vSwitch0", netmodel.LBPortID, []string{"vmnic0", "vmnic1"}, nil)
	b.trunk("sw1", netmodel.IOS, "GigabitEthernet1/0/1", 1, "10")
	b.trunk("sw1", netmodel.IOS, "GigabitEthernet1/0/2", 5, "10")
	b.cable("esx1", "vmnic0", "sw1", "GigabitEthernet1/0/1")
	b.cable("esx1", "vmnic1", "sw1", "GigabitEthernet1/0/2")
	b.pg("esx1", "vSwitch0", "Legacy", 0)
	f := only(b.run(), VLANESTOnTrunk)
	if len(f) != 1 || f[0].Severity != netmodel.SevCritical {
		t.Fatalf("got %+v", f)
	}
}

func TestUnknownUplink(t *testing.T) {
	b := twoUplinkHost(t, "10", "10")
	b.s.Devices[0].VSwitches[0].Uplinks = append(b.s.Devices[0].VSwitches[0].Uplinks, "vmnic3")
	b.s.Devices[0].VSwitches[0].Teaming.Active = append(b.s.Devices[0].VSwitches[0].Teaming.Active, "vmnic3")
	b.pg("esx1", "vSwitch0", "Mgmt", 10)
	fs := b.run()
	f := only(fs, VLANUnknownUplink)
	if len(f) != 1 || f[0].Severity != netmodel.SevUnknown || !strings.Contains(f[0].Why, "show cdp neighbors detail") {
		t.Fatalf("got:\n%s", ids(fs))
	}
	if len(only(fs, VLANPartialUplink))+len(only(fs, VLANMissingAll)) != 0 {
		t.Errorf("an unknown uplink must not be judged as lacking:\n%s", ids(fs))
	}
}

func TestUnknownUplinkWhenSwitchPortNotCollected(t *testing.T) {
	b := twoUplinkHost(t, "10", "10")
	b.pg("esx1", "vSwitch0", "Mgmt", 10)
	delete(b.s.Device("sw1").SwitchPorts, "GigabitEthernet1/0/2")
	f := only(b.run(), VLANUnknownUplink)
	if len(f) != 1 || !strings.Contains(f[0].Why, "no switchport data for Gi1/0/2 on sw1") {
		t.Fatalf("got %+v", f)
	}
}

func TestNativeMismatch(t *testing.T) {
	b := newSite(t)
	b.trunk("acc", netmodel.IOS, "TenGigabitEthernet1/1/1", 1, "1-4094")
	b.trunk("acc", netmodel.IOS, "GigabitEthernet1/0/1", 1, "10")
	b.trunk("core", netmodel.NXOS, "Ethernet1/49", 999, "1-4094")
	b.trunk("core", netmodel.NXOS, "Ethernet1/1", 1, "10")
	b.trunk("core", netmodel.NXOS, "Ethernet1/2", 1, "10")
	d := b.s.Device("acc")
	d.Neighbors = append(d.Neighbors, netmodel.Neighbor{Protocol: "cdp", LocalPort: "TenGigabitEthernet1/1/1", RemoteName: "core(SAL123)", RemotePort: "Ethernet1/49", Src: b.line("acc", "cdp core")})
	c := b.s.Device("core")
	c.Neighbors = append(c.Neighbors, netmodel.Neighbor{Protocol: "cdp", LocalPort: "Ethernet1/49", RemoteName: "acc.example.net", RemotePort: "TenGigabitEthernet1/1/1", Src: b.line("core", "cdp acc")})
	fs := b.run()
	f := only(fs, VLANNativeMismatch)
	if len(f) != 1 {
		t.Fatalf("one link seen from both ends is one finding, got:\n%s", ids(fs))
	}
	if !cites(f[0], "acc", "cdp core") || !cites(f[0], "core", "cdp acc") {
		t.Errorf("evidence must come from both ends: %+v", f[0].Evidence)
	}
	if len(f[0].Fix) != 1 || f[0].Fix[0].Device != "core" || !fixHas(f[0], "core", "native vlan 1") {
		t.Errorf("the odd one out (core, native 999) should be changed: %+v", f[0].Fix)
	}
}

func TestNativeMatchPasses(t *testing.T) {
	b := newSite(t)
	b.trunk("acc", netmodel.IOS, "TenGigabitEthernet1/1/1", 1, "1-4094")
	b.trunk("core", netmodel.NXOS, "Ethernet1/49", 1, "1-4094")
	d := b.s.Device("acc")
	d.Neighbors = append(d.Neighbors, netmodel.Neighbor{Protocol: "cdp", LocalPort: "Te1/1/1", RemoteName: "core", RemotePort: "Eth1/49", Src: b.line("acc", "cdp core")})
	if fs := b.run(); len(fs) != 0 {
		t.Fatalf("got:\n%s", ids(fs))
	}
}

func TestExitCode(t *testing.T) {
	w := netmodel.Finding{Severity: netmodel.SevWarning}
	c := netmodel.Finding{Severity: netmodel.SevCritical}
	u := netmodel.Finding{Severity: netmodel.SevUnknown}
	for _, tc := range []struct {
		in   []netmodel.Finding
		want int
	}{{nil, 0}, {[]netmodel.Finding{u}, 1}, {[]netmodel.Finding{w}, 1}, {[]netmodel.Finding{w, c}, 2}} {
		if got := ExitCode(tc.in); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
