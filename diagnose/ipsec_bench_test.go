package diagnose

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// ipsecSite builds a hub with n tunnels to n branches, each tunnel
// protecting sels selector pairs (policy-based), with IKE and child SAs up on
// both ends, counters both ways and routes on every device: what a large
// hub-and-spoke bundle looks like once parsed.
func ipsecSite(n, sels int) *netmodel.Snapshot {
	s := &netmodel.Snapshot{}
	hub := &netmodel.Device{Name: "hub", Platform: netmodel.Junos, Status: netmodel.StatusOK}
	s.Devices = append(s.Devices, hub)
	hubAddr := netip.MustParseAddr("203.0.113.1")
	prop := []netmodel.Proposal{{Encryption: []string{"aes256"}, Integrity: []string{"sha256"}, DH: []string{"modp2048"}}}
	hub.Routes = append(hub.Routes, netmodel.Route{Prefix: netip.MustParsePrefix("0.0.0.0/0"), NextHop: netip.MustParseAddr("203.0.113.254"), Protocol: "static", Active: true},
		netmodel.Route{Prefix: netip.MustParsePrefix("203.0.113.0/24"), Interface: "ge-0/0/0.0", Protocol: "direct", Active: true})
	for i := 0; i < n; i++ {
		peer := netip.AddrFrom4([4]byte{198, 18, byte(i >> 8), byte(i)})
		br := &netmodel.Device{Name: fmt.Sprintf("br%04d", i), Platform: netmodel.Linux, Status: netmodel.StatusOK}
		s.Devices = append(s.Devices, br)
		var hs, bs []netmodel.Selector
		for j := 0; j < sels; j++ {
			l := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(j), 0}), 24)
			r := netip.PrefixFrom(netip.AddrFrom4([4]byte{100, byte(64 + i>>8), byte(i), 0}), 24)
			if j%2 == 1 {
				r = netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16 + byte(j), byte(i), 0}), 24)
			}
			sel := netmodel.Selector{Local: l, Remote: r}
			hs = append(hs, sel)
			bs = append(bs, sel.Mirror())
		}
		for side, d := range []*netmodel.Device{hub, br} {
			self, other := hubAddr, peer
			mine := hs
			if side == 1 {
				self, other, mine = peer, hubAddr, bs
			}
			name := fmt.Sprintf("t%d", i)
			d.IPsec.IKEConfigs = append(d.IPsec.IKEConfigs, &netmodel.IKEConfig{Name: name, Version: 2, LocalAddr: self, RemoteAddr: other, Proposals: prop,
				PSK: netmodel.Secret{Length: 24, Hash: fmt.Sprintf("%016x", i)}})
			d.IPsec.Children = append(d.IPsec.Children, &netmodel.ChildConfig{Name: name, IKE: name, Selectors: mine, Proposals: prop, PolicyBased: true})
			d.IPsec.IKESAs = append(d.IPsec.IKESAs, &netmodel.IKESA{LocalAddr: self, RemoteAddr: other, Up: true, Version: 2, Remaining: -1})
			for j, sl := range mine {
				in, out := uint32(i<<8|j)|1<<31, uint32(i<<8|j)
				if side == 1 {
					in, out = out, in
				}
				d.IPsec.ChildSAs = append(d.IPsec.ChildSAs, &netmodel.ChildSA{Name: name, RemoteAddr: other, Selectors: []netmodel.Selector{sl},
					InSPI: in, OutSPI: out, PacketsIn: 5, PacketsOut: 5, CountersKnown: true, Remaining: -1})
			}
		}
		br.Routes = append(br.Routes, netmodel.Route{Prefix: netip.MustParsePrefix("0.0.0.0/0"), NextHop: netip.AddrFrom4([4]byte{198, 18, byte(i >> 8), 254}), Protocol: "static", Active: true},
			netmodel.Route{Prefix: netip.PrefixFrom(peer, 24).Masked(), Interface: "eth0", Protocol: "kernel", Active: true})
	}
	s.ResolveLinks()
	return s
}

// BenchmarkIPsecDiagnose: the whole diagnosis (every rule: IPsec, routes,
// VLAN) of a hub with 1,000 tunnels × 10 selectors, both ends collected.
func BenchmarkIPsecDiagnose(b *testing.B) {
	s := ipsecSite(1000, 10)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Run(s))
	}
	b.ReportMetric(float64(n), "findings")
}

func TestIPsecSiteHealthy(t *testing.T) {
	s := ipsecSite(20, 10)
	fs := Run(s)
	// 10 policy-based selector pairs per tunnel: the explosion finding only.
	for _, f := range fs {
		if f.ID != IPsecSelectorExplosion {
			t.Fatalf("unexpected %s %s: %s", f.ID, f.Subject, f.Why)
		}
	}
	if len(fs) != 20 {
		t.Fatalf("%d findings, want 20 explosion findings", len(fs))
	}
}
