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

// TestCaptureSudo: a device configured for it captures through sudo -n
// (never a password prompt); the gate accepts exactly that line, and sudo
// with anything else than the capture command is refused.
func TestCaptureSudo(t *testing.T) {
	lin, _ := Get(netmodel.Linux)
	esx, _ := Get(netmodel.ESXi)
	c, err := lin.CaptureSudo("eth0", "ether proto 0x8809")
	if want := "sudo -n tcpdump -U -w - -i eth0 'ether proto 0x8809'"; err != nil || c.Line() != want {
		t.Fatalf("%q %v, want %q", c.Line(), err, want)
	}
	if err := Authorize(netmodel.Linux, c.Line()); err != nil {
		t.Errorf("gate refuses what CaptureSudo built: %v", err)
	}
	if c, err := esx.CaptureSudo("vmnic2", ""); err == nil || !errors.Is(err, ErrNotAllowed) {
		t.Errorf("ESXi has no sudo capture, got %q %v", c.Line(), err)
	}
	if c, err := lin.CaptureSudo("eth0;id", ""); err == nil {
		t.Errorf("bad interface accepted through sudo: %q", c.Line())
	}
	for _, line := range []string{
		"sudo -n ip -d -j addr show",
		"sudo tcpdump -U -w - -i eth0",
		"sudo -n tcpdump -U -w /tmp/x -i eth0",
		"sudo -n -s",
		"sudo -n tcpdump -U -w - -i eth0 'vlan'; id",
	} {
		if err := Authorize(netmodel.Linux, line); err == nil {
			t.Errorf("%q passes the gate", line)
		}
	}
}
