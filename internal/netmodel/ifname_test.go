package netmodel

import "testing"

func TestCanonicalIfName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p        Platform
		in, want string
	}{
		// IOS / IOS-XE: every abbreviation devices print, and the full name.
		{IOS, "Gi1/0/1", "GigabitEthernet1/0/1"},
		{IOS, "Gig1/0/1", "GigabitEthernet1/0/1"},
		{IOS, "gi1/0/1", "GigabitEthernet1/0/1"},
		{IOS, "GigabitEthernet1/0/1", "GigabitEthernet1/0/1"},
		{IOS, "GigabitEthernet 1/0/1", "GigabitEthernet1/0/1"},
		{IOS, "  Gi1/0/1 ", "GigabitEthernet1/0/1"},
		{IOS, "Fa0/1", "FastEthernet0/1"},
		{IOS, "Te5/0/1", "TenGigabitEthernet5/0/1"},
		{IOS, "Ten1/1/1", "TenGigabitEthernet1/1/1"},
		{IOS, "Tw2/0/33", "TwoGigabitEthernet2/0/33"},
		{IOS, "Twe1/0/1", "TwentyFiveGigE1/0/1"},
		{IOS, "Fi1/0/35", "FiveGigabitEthernet1/0/35"},
		{IOS, "Fo1/1/1", "FortyGigabitEthernet1/1/1"},
		{IOS, "Hu1/0/2", "HundredGigE1/0/2"},
		{IOS, "HundredGigE1/0/2", "HundredGigE1/0/2"},
		{IOS, "Ap1/0/1", "AppGigabitEthernet1/0/1"},
		{IOS, "Et0/0", "Ethernet0/0"},
		{IOS, "Po12", "Port-channel12"},
		{IOS, "Port-channel12", "Port-channel12"},
		{IOS, "port-channel12", "Port-channel12"},
		{IOS, "Port-channel 12", "Port-channel12"},
		{IOS, "Vl10", "Vlan10"},
		{IOS, "Lo0", "Loopback0"},
		{IOS, "Tu100", "Tunnel100"},
		{IOS, "Gi0/0.100", "GigabitEthernet0/0.100"},
		{IOS, "Gi2/0/4.223415", "GigabitEthernet2/0/4.223415"},
		{IOS, "Serial0/0/0", "Serial0/0/0"}, // unknown type: as it is
		{IOS, "Cellular0/1/0", "Cellular0/1/0"},
		{IOS, "eth0", "eth0"}, // a server's port seen over CDP
		{IOS, "ether1", "ether1"},
		{IOS, "vmnic0", "vmnic0"},
		{IOS, "1/2.1", "1/2.1"},
		{IOS, "Gi", "Gi"},
		{IOS, "", ""},

		// NX-OS: lowercase full names for port-channel and loopback.
		{NXOS, "Eth1/1", "Ethernet1/1"},
		{NXOS, "e1/47", "Ethernet1/47"},
		{NXOS, "ethernet 1/3", "Ethernet1/3"},
		{NXOS, "Ethernet101/1/10", "Ethernet101/1/10"},
		{NXOS, "Po10", "port-channel10"},
		{NXOS, "Port-channel10", "port-channel10"},
		{NXOS, "port-channel10", "port-channel10"},
		{NXOS, "Lo0", "loopback0"},
		{NXOS, "Vlan200", "Vlan200"},
		{NXOS, "vlan 200", "Vlan200"},
		{NXOS, "mgmt0", "mgmt0"},
		{NXOS, "nve1", "nve1"},
		{NXOS, "Gi1/0/1", "Gi1/0/1"}, // no such type on NX-OS
		{NXOS, "eth0", "eth0"},

		// EOS.
		{EOS, "Et1", "Ethernet1"},
		{EOS, "Ethernet49/1", "Ethernet49/1"},
		{EOS, "Po10", "Port-Channel10"},
		{EOS, "Port-Channel10", "Port-Channel10"},
		{EOS, "Ma1", "Management1"},
		{EOS, "Management1", "Management1"},
		{EOS, "Gi1", "Gi1"},

		// Unknown platform: IOS names.
		{PlatformUnknown, "Gi1/0/1", "GigabitEthernet1/0/1"},
		{PlatformUnknown, "Eth1/1", "Ethernet1/1"},
		{PlatformUnknown, "eth0", "eth0"},

		// Other platforms: trimmed only.
		{ESXi, "vmnic0", "vmnic0"},
		{ESXi, " vmnic1 ", "vmnic1"},
		{Linux, "eth0", "eth0"},
		{Linux, "Gi1/0/1", "Gi1/0/1"},
		{Junos, "xe-0/0/0", "xe-0/0/0"},
		{Junos, "ge-0/0/23", "ge-0/0/23"},
	}
	for _, tt := range tests {
		if got := CanonicalIfName(tt.p, tt.in); got != tt.want {
			t.Errorf("CanonicalIfName(%q, %q) = %q, want %q", tt.p, tt.in, got, tt.want)
		}
	}
}

func TestCanonicalIfNameIdempotent(t *testing.T) {
	t.Parallel()
	for _, p := range []Platform{IOS, NXOS, EOS, PlatformUnknown, ESXi} {
		for _, in := range []string{"Gi1/0/1", "Eth1/1", "Po10", "Lo0", "Vl10", "Ma1", "Twe1/0/1", "mgmt0", "eth0", "vmnic0", "Te1/1/1.100"} {
			once := CanonicalIfName(p, in)
			if twice := CanonicalIfName(p, once); twice != once {
				t.Errorf("%s: %q → %q → %q", p, in, once, twice)
			}
		}
	}
}

func TestShortIfName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"GigabitEthernet1/0/1", "Gi1/0/1"},
		{"TenGigabitEthernet5/0/1", "Te5/0/1"},
		{"TwentyFiveGigE1/0/1", "Twe1/0/1"},
		{"TwoGigabitEthernet2/0/33", "Tw2/0/33"},
		{"FastEthernet0/1", "Fa0/1"},
		{"HundredGigE1/0/2", "Hu1/0/2"},
		{"Ethernet1/1", "Eth1/1"},
		{"Port-channel12", "Po12"},
		{"port-channel12", "Po12"},
		{"Port-Channel12", "Po12"},
		{"Management1", "Ma1"},
		{"loopback0", "Lo0"},
		{"Vlan10", "Vl10"},
		{"Gi1/0/1", "Gi1/0/1"}, // already short: not a full name, as it is
		{"vmnic0", "vmnic0"},
		{"mgmt0", "mgmt0"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ShortIfName(tt.in); got != tt.want {
			t.Errorf("ShortIfName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSameIf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Platform
		a, b string
		want bool
	}{
		{IOS, "Gi1/0/1", "GigabitEthernet1/0/1", true},
		{IOS, "gi1/0/1", "GIGABITETHERNET1/0/1", true},
		{IOS, "Gi1/0/1", "Gi1/0/2", false},
		{IOS, "Gi1/0/1", "Te1/0/1", false},
		{NXOS, "Eth1/1", "ethernet1/1", true},
		{NXOS, "Po10", "Port-channel10", true},
		{EOS, "Po10", "port-channel10", true},
		{ESXi, "vmnic0", "vmnic0", true},
		{ESXi, "vmnic0", "vmnic1", false},
	}
	for _, tt := range tests {
		if got := SameIf(tt.p, tt.a, tt.b); got != tt.want {
			t.Errorf("SameIf(%s, %q, %q) = %v, want %v", tt.p, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestShortCanonicalRoundTrip(t *testing.T) {
	t.Parallel()
	names := map[Platform][]string{
		IOS:  {"GigabitEthernet1/0/1", "TenGigabitEthernet1/1/1", "TwentyFiveGigE1/0/1", "Ethernet0/0", "Port-channel1", "Vlan5", "Loopback0"},
		NXOS: {"Ethernet1/1", "port-channel1", "Vlan5", "loopback0"},
		EOS:  {"Ethernet1", "Port-Channel1", "Management1", "Vlan5", "Loopback0"},
	}
	for p, list := range names {
		for _, full := range list {
			if c := CanonicalIfName(p, full); c != full {
				t.Errorf("%s: %q is not canonical (%q)", p, full, c)
			}
			if back := CanonicalIfName(p, ShortIfName(full)); back != full {
				t.Errorf("%s: %q → short %q → %q", p, full, ShortIfName(full), back)
			}
		}
	}
}
