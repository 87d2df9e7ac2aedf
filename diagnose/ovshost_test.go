package diagnose

import (
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/internal/netmodel"
)

// ovsHosts: two Linux hosts whose switching was read from Open vSwitch
// outputs (the linux catalog collects ovs-vsctl/ovs-appctl), joined by a
// declared link between their bond0 trunks, as nettui collects the real
// Open vSwitch lab (internal/lab, fixtures/lab/ovs-trunk-mismatch).
func ovsHosts(t *testing.T, allowed2 string) *site {
	b := newSite(t)
	for _, sw := range []struct{ name, member, allowed string }{{"sw1", "a1", "10,20"}, {"sw2", "b1", allowed2}} {
		d := b.dev(sw.name, netmodel.Linux)
		d.Capabilities = []string{"ip-link", "ovs-lacp-show", "ovs-vsctl-show"}
		b.trunk(sw.name, netmodel.Linux, "bond0", 0, sw.allowed)
		b.access(sw.name, netmodel.Linux, "v20", 20)
		d.LAGs = append(d.LAGs, &netmodel.LAG{Name: "bond0", Protocol: "lacp", Members: []*netmodel.LAGMember{{Port: sw.member, Bundled: true}},
			Src: b.line(sw.name, "---- bond0 ----")})
	}
	b.s.Declared = append(b.s.Declared, netmodel.Link{A: netmodel.Endpoint{Device: "sw1", Port: "a1"}, B: netmodel.Endpoint{Device: "sw2", Port: "b1"}})
	return b
}

// TestLinuxHostedOVS: a Linux host running Open vSwitch is judged as the
// switch it is — the trunk rule compares its trunks with its neighbour's,
// a capture on it is checked against its own trunk — and its fixes are
// ovs-vsctl commands, not Linux bridge ones. A Linux host without Open
// vSwitch outputs is not a switch for these rules.
func TestLinuxHostedOVS(t *testing.T) {
	b := ovsHosts(t, "10")
	b.s.Captures = append(b.s.Captures, &netmodel.Capture{File: "captures/sw2-bond0.pcapng", Device: "sw2", Interface: "bond0",
		Packets: 10, Duration: 2 * time.Second, VLANs: map[uint16]uint64{10: 8, 20: 2}, FirstVLAN: map[uint16]uint64{10: 1, 20: 7}})
	fs := b.run()
	m := only(fs, VLANTrunkAllowedMismatch)
	if len(m) != 1 || m[0].Subject != "sw1 bond0 ↔ sw2 bond0" || m[0].Severity != netmodel.SevCritical ||
		!fixHas(m[0], "sw2", "ovs-vsctl add port bond0 trunks 20") || m[0].Fix[0].Platform != netmodel.OVS {
		t.Fatalf("trunk mismatch between Open vSwitch hosts: %s", ids(fs))
	}
	c := only(fs, CapVLANUnexpected)
	if len(c) != 1 || c[0].Subject != "sw2 bond0" || !fixHas(c[0], "sw2", "ovs-vsctl add port bond0 trunks 20") {
		t.Fatalf("VLAN 20 captured on sw2 bond0: %s", ids(fs))
	}
	for _, f := range fs {
		for _, fx := range f.Fix {
			for _, cmd := range fx.Commands {
				if strings.HasPrefix(cmd, "bridge vlan") || strings.HasPrefix(cmd, "ip link set") {
					t.Errorf("%s: a Linux bridge/bond command for an Open vSwitch host: %s", f.ID, cmd)
				}
			}
		}
	}

	// The same facts on Linux hosts without Open vSwitch outputs: not
	// switches, so no switch-to-switch trunk to compare.
	plain := ovsHosts(t, "10")
	for _, d := range plain.s.Devices {
		d.Capabilities = []string{"ip-link", "bridge-link"}
	}
	if fs := only(plain.run(), VLANTrunkAllowedMismatch); len(fs) != 0 {
		t.Errorf("plain Linux hosts judged as switches: %s", ids(fs))
	}
}
