package platform

import (
	"errors"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// TestCaptureCommands: the packet capture command of Linux and ESXi is
// built from a checked interface and filter, quoted for the shell, and the
// gate accepts exactly the lines Capture builds.
func TestCaptureCommands(t *testing.T) {
	lin, _ := Get(netmodel.Linux)
	esx, _ := Get(netmodel.ESXi)
	ios, _ := Get(netmodel.IOS)
	for _, tc := range []struct {
		d             *Definition
		iface, filter string
		want          string
	}{
		{lin, "eth0", "ether proto 0x8809", "tcpdump -U -w - -i eth0 'ether proto 0x8809'"},
		{lin, "any", "(esp or udp port 500 or udp port 4500) and host 192.0.2.1", "tcpdump -U -w - -i any '(esp or udp port 500 or udp port 4500) and host 192.0.2.1'"},
		{lin, "bond0", "", "tcpdump -U -w - -i bond0"},
		{lin, "eth0", "vlan", "tcpdump -U -w - -i eth0 vlan"},
		{esx, "vmnic2", "", "pktcap-uw --uplink vmnic2 -o -"},
	} {
		c, err := tc.d.Capture(tc.iface, tc.filter)
		if err != nil || c.Line() != tc.want {
			t.Errorf("%s %q %q: %q %v, want %q", tc.d.Platform, tc.iface, tc.filter, c.Line(), err, tc.want)
			continue
		}
		if err := Authorize(tc.d.Platform, c.Line()); err != nil {
			t.Errorf("gate refuses what Capture built: %q: %v", c.Line(), err)
		}
		if c.Capability() != CaptureCapability || c.Platform() != tc.d.Platform {
			t.Errorf("%q: capability %q platform %q", c.Line(), c.Capability(), c.Platform())
		}
	}
	for _, tc := range []struct {
		d             *Definition
		iface, filter string
	}{
		{lin, "eth0;reboot", ""},
		{lin, "-w", ""},
		{lin, "eth0 -w /tmp/x", ""},
		{lin, "eth0", "x'; reboot; '"},
		{lin, "eth0", "$(id)"},
		{lin, "eth0", "`id`"},
		{lin, "eth0", "port 22\nreboot"},
		{esx, "vmnic2", "vlan 10"},
		{ios, "Gi1/0/1", ""},
	} {
		if c, err := tc.d.Capture(tc.iface, tc.filter); err == nil {
			t.Errorf("%s %q %q accepted: %q", tc.d.Platform, tc.iface, tc.filter, c.Line())
		} else if !errors.Is(err, ErrBadArg) && !errors.Is(err, ErrNotAllowed) {
			t.Errorf("%s %q %q: %v", tc.d.Platform, tc.iface, tc.filter, err)
		}
	}
	for _, line := range []string{
		"tcpdump -U -w /tmp/x -i eth0",
		"tcpdump -U -w - -i eth0 'vlan' ; reboot",
		"tcpdump -U -w - -i eth0 -z /bin/sh",
		"tcpdump -U -w - -i eth0 'a'b'",
		"pktcap-uw --uplink vmnic2 -o /tmp/x",
	} {
		for _, p := range []netmodel.Platform{netmodel.Linux, netmodel.ESXi} {
			if err := Authorize(p, line); err == nil {
				t.Errorf("%s: %q passes the gate", p, line)
			}
		}
	}
}
