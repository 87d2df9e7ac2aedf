package parse

import (
	"net/netip"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// TestJunosPolicyApplicationProto: a policy that tunnels only GRE (or only
// ICMP) into a VPN gives selectors of that protocol, as the SRX proposes
// them (proxy ID ipv4(gre:0,...)); any other application leaves them any.
func TestJunosPolicyApplicationProto(t *testing.T) {
	t.Parallel()
	base := `set security ike gateway gw address 198.51.100.2
set security ike gateway gw external-interface ge-0/0/0.0
set security ipsec vpn v ike gateway gw
set security address-book global address me 203.0.113.1/32
set security address-book global address peer 198.51.100.2/32
set security zones security-zone untrust interfaces ge-0/0/0.0
set security policies from-zone junos-host to-zone untrust policy out match source-address me
set security policies from-zone junos-host to-zone untrust policy out match destination-address peer
`
	for _, tc := range []struct {
		apps []string
		want uint8
	}{
		{[]string{"junos-gre"}, 47},
		{[]string{"junos-ping"}, 1},
		{[]string{"junos-icmp-all", "junos-ping"}, 1},
		{[]string{"junos-gre", "junos-ping"}, 0},
		{[]string{"any"}, 0},
		{[]string{"junos-ssh"}, 0},
	} {
		text := base
		for _, a := range tc.apps {
			text += "set security policies from-zone junos-host to-zone untrust policy out match application " + a + "\n"
		}
		text += "set security policies from-zone junos-host to-zone untrust policy out then permit tunnel ipsec-vpn v\n"
		d, err := junosApply(t, CapJunosConfigSec, text)
		if err != nil {
			t.Fatalf("%v: %v", tc.apps, err)
		}
		want := netmodel.Selector{Local: netip.MustParsePrefix("203.0.113.1/32"), Remote: netip.MustParsePrefix("198.51.100.2/32"), Proto: tc.want}
		if len(d.IPsec.Children) != 1 || len(d.IPsec.Children[0].Selectors) != 1 || d.IPsec.Children[0].Selectors[0] != want {
			t.Errorf("%v: children %+v, want one selector %v", tc.apps, d.IPsec.Children, want)
		}
	}
}
