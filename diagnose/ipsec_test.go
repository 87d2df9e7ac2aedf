package diagnose

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

func sel(l, r string) netmodel.Selector { return netmodel.Selector{Local: pfx(l), Remote: pfx(r)} }

func prop(s string) netmodel.Proposal {
	p := netmodel.Proposal{}
	for _, a := range strings.Split(s, "-") {
		switch {
		case strings.HasPrefix(a, "aes"), a == "3des", a == "des":
			p.Encryption = append(p.Encryption, a)
		case strings.HasPrefix(a, "sha"), a == "md5":
			p.Integrity = append(p.Integrity, a)
		case strings.HasPrefix(a, "modp"), strings.HasPrefix(a, "ecp"):
			p.DH = append(p.DH, a)
		}
	}
	return p
}

// gw adds an IPsec gateway: device name, platform, its address, the peer,
// IKE version and proposals, and one child with selectors and proposals.
func (b *site) gw(name string, p netmodel.Platform, self, peer string, version int, ike string, child string, esp string, sels ...netmodel.Selector) *netmodel.Device {
	d := b.dev(name, p)
	d.IPsec.IKEConfigs = append(d.IPsec.IKEConfigs, &netmodel.IKEConfig{Name: "to-" + peer, Version: version,
		LocalAddr: addr(self), RemoteAddr: addr(peer), Auth: "psk", Proposals: []netmodel.Proposal{prop(ike)},
		Src: b.line(name, "ike to "+peer+" "+ike)})
	var lines []string
	for _, s := range sels {
		lines = append(lines, s.String())
	}
	d.IPsec.Children = append(d.IPsec.Children, &netmodel.ChildConfig{Name: child, IKE: "to-" + peer, Selectors: sels,
		Proposals: []netmodel.Proposal{prop(esp)}, PolicyBased: true, Src: b.line(name, "child "+child+" "+strings.Join(lines, ","))})
	return d
}

func (b *site) ikeSA(name, self, peer string, up bool) {
	d := b.s.Device(name)
	d.IPsec.IKESAs = append(d.IPsec.IKESAs, &netmodel.IKESA{LocalAddr: addr(self), RemoteAddr: addr(peer), Up: up, State: map[bool]string{true: "ESTABLISHED", false: "CONNECTING"}[up],
		Version: 2, Remaining: -1, Src: b.line(name, "ike sa "+peer)})
}

func (b *site) childSA(name, peer string, in, out uint32, pin, pout uint64, sels ...netmodel.Selector) *netmodel.ChildSA {
	d := b.s.Device(name)
	sa := &netmodel.ChildSA{Name: "net", RemoteAddr: addr(peer), InSPI: in, OutSPI: out, Selectors: sels,
		PacketsIn: pin, PacketsOut: pout, CountersKnown: true, Remaining: -1, Src: b.line(name, "child sa "+peer)}
	d.IPsec.ChildSAs = append(d.IPsec.ChildSAs, sa)
	return sa
}

const strongIKE, strongESP = "aes256-sha256-modp2048", "aes256-sha256-modp2048"

// tunnelSite: gwa (Junos, 192.0.2.1, 10.1.0.0/24) and gwb (Linux strongSwan,
// 198.51.100.1, 10.2.0.0/24), mirrored selectors, healthy SAs.
func tunnelSite(t *testing.T) *site {
	b := newSite(t)
	b.gw("gwa", netmodel.Junos, "192.0.2.1", "198.51.100.1", 2, strongIKE, "vpn-b", strongESP, sel("10.1.0.0/24", "10.2.0.0/24"))
	b.gw("gwb", netmodel.Linux, "198.51.100.1", "192.0.2.1", 2, strongIKE, "net", strongESP, sel("10.2.0.0/24", "10.1.0.0/24"))
	b.ikeSA("gwa", "192.0.2.1", "198.51.100.1", true)
	b.ikeSA("gwb", "198.51.100.1", "192.0.2.1", true)
	b.childSA("gwa", "198.51.100.1", 0xa1, 0xb1, 10, 10, sel("10.1.0.0/24", "10.2.0.0/24"))
	b.childSA("gwb", "192.0.2.1", 0xb1, 0xa1, 10, 10, sel("10.2.0.0/24", "10.1.0.0/24"))
	return b
}

func TestHealthyTunnel(t *testing.T) {
	b := tunnelSite(t)
	fs := b.run()
	if len(fs) != 0 {
		t.Fatalf("healthy tunnel, got:\n%s", ids(fs))
	}
	c := &Context{S: b.s}
	for _, e := range c.Tunnels() {
		if e.Partner == nil {
			t.Errorf("%s not paired", e.Name())
		}
	}
}

func TestSelectorMismatchDisjoint(t *testing.T) {
	b := newSite(t)
	b.gw("gwa", netmodel.Junos, "192.0.2.1", "198.51.100.1", 2, strongIKE, "vpn-b", strongESP, sel("10.1.0.0/24", "10.2.0.0/24"))
	b.gw("gwb", netmodel.Linux, "198.51.100.1", "192.0.2.1", 2, strongIKE, "net", strongESP, sel("10.2.0.0/24", "10.1.1.0/24"))
	b.ikeSA("gwa", "192.0.2.1", "198.51.100.1", true)
	b.ikeSA("gwb", "198.51.100.1", "192.0.2.1", true)
	fs := b.run()
	f := only(fs, IPsecSelectorMismatch)
	if len(f) != 1 || f[0].Severity != netmodel.SevCritical {
		t.Fatalf("got:\n%s", ids(fs))
	}
	if !strings.Contains(f[0].Why, "10.1.0.0/24 === 10.2.0.0/24") || !strings.Contains(f[0].Why, "10.2.0.0/24 === 10.1.1.0/24") {
		t.Errorf("why must name the exact subnets: %s", f[0].Why)
	}
	if len(only(fs, IPsecIKENoChild)) != 0 {
		t.Errorf("the selector mismatch already says why no child SA exists: %s", ids(fs))
	}
	if !fixHas(f[0], "gwb", "local_ts = 10.2.0.0/24") || !fixHas(f[0], "gwa", "address-book global address NET-10.1.1.0_24 10.1.1.0/24") {
		t.Errorf("fix for both platforms: %+v", f[0].Fix)
	}
}

func TestSelectorNarrowingIKEv2(t *testing.T) {
	b := tunnelSite(t)
	b.s.Device("gwb").IPsec.Children[0].Selectors = []netmodel.Selector{sel("10.2.0.0/16", "10.1.0.0/16")}
	f := only(b.run(), IPsecSelectorMismatch)
	if len(f) != 1 || f[0].Severity != netmodel.SevWarning || !strings.Contains(f[0].Why, "IKEv2 narrows the SA to 10.2.0.0/24 === 10.1.0.0/24") {
		t.Fatalf("IKEv2 narrows: the SA comes up but protects less than gwb's configuration says: %+v", f)
	}
	// The same with IKEv1 fails.
	b2 := tunnelSite(t)
	for _, d := range []string{"gwa", "gwb"} {
		b2.s.Device(d).IPsec.IKEConfigs[0].Version = 1
		b2.s.Device(d).IPsec.IKESAs[0].Version = 1
	}
	b2.s.Device("gwb").IPsec.Children[0].Selectors = []netmodel.Selector{sel("10.2.0.0/16", "10.1.0.0/16")}
	f = only(b2.run(), IPsecSelectorMismatch)
	if len(f) != 1 || !strings.Contains(f[0].Why, "IKEv1") {
		t.Fatalf("IKEv1 needs an exact mirror: %+v", f)
	}
}

func TestSelectorNotInstalled(t *testing.T) {
	b := tunnelSite(t)
	b.s.Device("gwa").IPsec.Children[0].Selectors = append(b.s.Device("gwa").IPsec.Children[0].Selectors, sel("10.1.9.0/24", "10.2.0.0/24"))
	fs := b.run()
	f := only(fs, IPsecSelectorMissing)
	if len(f) != 1 || f[0].Subject != "gwa → 198.51.100.1" || !strings.Contains(f[0].Why, "10.1.9.0/24") {
		t.Fatalf("got:\n%s", ids(fs))
	}
}

func TestExplosion(t *testing.T) {
	b := newSite(t)
	var sa, sb []netmodel.Selector
	for _, l := range []string{"10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24"} {
		for _, r := range []string{"10.2.0.0/24", "10.2.1.0/24", "10.2.2.0/24"} {
			sa = append(sa, sel(l, r))
			sb = append(sb, sel(r, l))
		}
	}
	b.gw("hub", netmodel.Junos, "192.0.2.1", "198.51.100.1", 2, strongIKE, "vpn-b", strongESP, sa...)
	b.gw("br", netmodel.IOS, "198.51.100.1", "192.0.2.1", 2, strongIKE, "CMAP", strongESP, sb...)
	fs := b.run()
	f := only(fs, IPsecSelectorExplosion)
	if len(f) != 1 || !strings.Contains(f[0].Title, "3×3 networks: 9 selector pairs per side (18 in all)") {
		t.Fatalf("got:\n%s", ids(fs))
	}
	if !fixHas(f[0], "hub", "bind-interface st0.10") || !fixHas(f[0], "br", "tunnel mode ipsec ipv4") || !fixHas(f[0], "br", "ip route 10.1.2.0 255.255.255.0 Tunnel10") {
		t.Errorf("route-based config for both ends: %+v", f[0].Fix)
	}
}

func TestProposalMismatch(t *testing.T) {
	b := tunnelSite(t)
	b.s.Device("gwb").IPsec.IKEConfigs[0].Proposals = []netmodel.Proposal{prop("aes256-sha384-ecp384")}
	b.s.Device("gwa").IPsec.IKEConfigs[0].Proposals = []netmodel.Proposal{prop("aes128-sha256-modp2048")}
	f := only(b.run(), IPsecProposalMismatch)
	if len(f) != 1 || !strings.Contains(f[0].Subject, "phase 1") || len(f[0].Fix) != 2 {
		t.Fatalf("got %+v", f)
	}
}

func TestPFSMismatch(t *testing.T) {
	b := tunnelSite(t)
	b.s.Device("gwb").IPsec.Children[0].Proposals = []netmodel.Proposal{prop("aes256-sha256")}
	fs := b.run()
	f := only(fs, IPsecPFSMismatch)
	if len(f) != 1 || !strings.Contains(f[0].Why, "first rekey") {
		t.Fatalf("got:\n%s", ids(fs))
	}
	if len(only(fs, IPsecProposalMismatch)) != 0 {
		t.Errorf("a PFS-only difference is not a proposal mismatch")
	}
	if len(only(fs, IPsecNoPFS)) != 0 {
		t.Errorf("the PFS mismatch already names gwb's missing PFS: %s", ids(fs))
	}
}

func TestWeakCrypto(t *testing.T) {
	b := tunnelSite(t)
	a := b.s.Device("gwa")
	a.IPsec.IKEConfigs[0].Proposals = []netmodel.Proposal{prop("aes256-sha1-modp1024")}
	a.IPsec.Children[0].Proposals = []netmodel.Proposal{prop("aes128-md5")}
	a.IPsec.Children[0].Lifetime, a.IPsec.IKEConfigs[0].Lifetime = 43200, 86400
	fs := b.run()
	w := only(fs, IPsecWeakCrypto)
	var p1, p2 bool
	for _, f := range w {
		p1 = p1 || f.Subject == "gwa ↔ gwb phase 1" && strings.Contains(f.Why, "DH group 2") && strings.Contains(f.Why, "SHOULD NOT") && len(f.Fix) == 2
		p2 = p2 || f.Subject == "gwa ↔ gwb phase 2" && strings.Contains(f.Why, "HMAC-MD5") && strings.Contains(f.Why, "older advice")
	}
	if !p1 || !p2 || len(w) != 2 {
		t.Fatalf("one finding per pair and phase, got %+v", w)
	}
	if len(only(fs, IPsecLifetimeOrder)) != 0 {
		t.Errorf("43200 s < 86400 s is the right order")
	}
}

func TestLifetimeOrder(t *testing.T) {
	b := tunnelSite(t)
	a := b.s.Device("gwa")
	a.IPsec.Children[0].Lifetime, a.IPsec.IKEConfigs[0].Lifetime = 86400, 28800
	if f := only(b.run(), IPsecLifetimeOrder); len(f) != 1 {
		t.Fatalf("got %+v", f)
	}
}

func TestPSKs(t *testing.T) {
	b := newSite(t)
	b.gw("hub", netmodel.Junos, "192.0.2.1", "198.51.100.1", 2, strongIKE, "vpn-b", strongESP, sel("10.1.0.0/24", "10.2.0.0/24"))
	b.gw("hub", netmodel.Junos, "192.0.2.1", "198.51.100.2", 2, strongIKE, "vpn-c", strongESP, sel("10.1.0.0/24", "10.3.0.0/24"))
	h := b.s.Device("hub")
	h.IPsec.IKEConfigs[0].PSK = netmodel.Secret{Length: 8, Dictionary: true, Hash: "1111111111111111"}
	h.IPsec.IKEConfigs[1].PSK = netmodel.Secret{Length: 8, Dictionary: true, Hash: "1111111111111111"}
	fs := b.run()
	if n := len(only(fs, IPsecWeakPSK)); n != 2 {
		t.Errorf("weak PSK findings: %d\n%s", n, ids(fs))
	}
	r := only(fs, IPsecPSKReuse)
	if len(r) != 1 || !strings.Contains(r[0].Why, "hub → 198.51.100.1 and hub → 198.51.100.2") {
		t.Errorf("reuse: %+v", r)
	}
	h.IPsec.IKEConfigs[1].PSK = netmodel.Secret{Length: 24, Hash: "2222222222222222"}
	b2 := b.run()
	if len(only(b2, IPsecPSKReuse)) != 0 || len(only(b2, IPsecWeakPSK)) != 1 {
		t.Errorf("distinct strong key: %s", ids(b2))
	}
}

func TestOneWayAndStaleSPI(t *testing.T) {
	b := tunnelSite(t)
	b.s.Device("gwa").IPsec.ChildSAs[0].PacketsIn = 0
	b.s.Device("gwb").IPsec.ChildSAs[0].PacketsOut = 0 // gwb decrypts but sends nothing back
	fs := b.run()
	f := only(fs, IPsecOneWay)
	if len(f) != 1 || !strings.Contains(f[0].Why, "gwb receives and decrypts them") || f[0].Fix[0].Device != "gwb" {
		t.Fatalf("got %+v", f)
	}
	// gwb restarted: gwa still sends with the old SPI.
	b2 := tunnelSite(t)
	b2.s.Device("gwb").IPsec.ChildSAs[0].InSPI = 0xc1
	s := only(b2.run(), IPsecStaleSPI)
	if len(s) != 1 || !strings.Contains(s[0].Title, "000000b1") {
		t.Fatalf("got %+v", s)
	}
}

func TestExpiring(t *testing.T) {
	b := tunnelSite(t)
	b.s.Device("gwa").IPsec.ChildSAs[0].Remaining = 20
	if f := only(b.run(), IPsecExpiring); len(f) != 1 {
		t.Fatalf("got %+v", f)
	}
	b.childSA("gwa", "198.51.100.1", 0xa2, 0xb2, 1, 1, sel("10.1.0.0/24", "10.2.0.0/24")).Remaining = 3000
	if f := only(b.run(), IPsecExpiring); len(f) != 0 {
		t.Fatalf("a replacement exists: %+v", f)
	}
}

func TestIKENoChildOncePerPair(t *testing.T) {
	b := tunnelSite(t)
	for _, d := range []string{"gwa", "gwb"} {
		b.s.Device(d).IPsec.ChildSAs = nil
	}
	fs := b.run()
	f := only(fs, IPsecIKENoChild)
	if len(f) != 1 || len(fs) != 1 || !cites(f[0], "gwa", "ike sa") || !cites(f[0], "gwb", "ike sa") {
		t.Fatalf("one finding with both ends' evidence, got:\n%s", ids(fs))
	}
	// Only one end collected: still reported.
	b2 := tunnelSite(t)
	b2.s.Devices = b2.s.Devices[:1]
	b2.s.Device("gwa").IPsec.ChildSAs = nil
	if f := only(b2.run(), IPsecIKENoChild); len(f) != 1 || !strings.Contains(f[0].Why, "Collect 198.51.100.1") {
		t.Fatalf("got %+v", f)
	}
}

func TestNoPFS(t *testing.T) {
	b := tunnelSite(t)
	for _, d := range []string{"gwa", "gwb"} {
		b.s.Device(d).IPsec.Children[0].Proposals = []netmodel.Proposal{prop("aes256-sha256")}
	}
	f := only(b.run(), IPsecNoPFS)
	if len(f) != 2 || !strings.Contains(f[0].Why, "Older advice turned PFS off") {
		t.Fatalf("both ends run without PFS: %+v", f)
	}
}
