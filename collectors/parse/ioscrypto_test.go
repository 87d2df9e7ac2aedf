package parse

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// ioscrApply runs text through Clean and the parser of (p, capability).
func ioscrApply(t *testing.T, p netmodel.Platform, capability, text string) (*netmodel.Device, error) {
	t.Helper()
	e := Lookup(p, capability)
	if e == nil {
		t.Fatalf("no parser for %s/%s", p, capability)
	}
	d := &netmodel.Device{Name: "r1", Platform: p}
	err := e.Apply(strings.NewReader(Clean(text).Text()), d, "f.txt", "")
	return d, err
}

func ioscrWantLine(t *testing.T, err error, line int) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *parse.Error at line %d", err, err, line)
	}
	if pe.Line != line {
		t.Fatalf("error at line %d (%v), want line %d", pe.Line, pe, line)
	}
}

func ioscrSel(l, r string, proto uint8) netmodel.Selector {
	return netmodel.Selector{Local: netip.MustParsePrefix(l), Remote: netip.MustParsePrefix(r), Proto: proto}
}

func TestIOSCryptoWildcardACL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []netmodel.Selector
	}{
		{"permit ip 10.1.1.0 0.0.0.255 10.2.0.0 0.0.255.255", []netmodel.Selector{ioscrSel("10.1.1.0/24", "10.2.0.0/16", 0)}},
		{"permit ip host 192.0.2.1 any", []netmodel.Selector{ioscrSel("192.0.2.1/32", "0.0.0.0/0", 0)}},
		{"permit gre host 172.16.4.2 host 172.16.5.2", []netmodel.Selector{ioscrSel("172.16.4.2/32", "172.16.5.2/32", 47)}},
		{"permit ip 10.16.0.0 0.15.255.255 10.0.0.0 0.0.0.0", []netmodel.Selector{ioscrSel("10.16.0.0/12", "10.0.0.0/32", 0)}},
		{"deny ip any any", nil},
	}
	for _, tt := range tests {
		got, _, err := ioscrACLEntry(strings.Fields(tt.in), true, nil)
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q: %v, want %v", tt.in, got, tt.want)
		}
	}
	tcp, _, err := ioscrACLEntry(strings.Fields("permit tcp 10.1.1.0 0.0.0.255 host 10.2.2.2 eq 443"), true, nil)
	if err != nil || len(tcp) != 1 || tcp[0].Proto != 6 || tcp[0].RemotePorts != (netmodel.PortRange{Lo: 443, Hi: 443}) {
		t.Errorf("tcp eq 443: %v %v", tcp, err)
	}
	for _, bad := range []string{"permit ip 10.1.1.0 0.0.255.0 any", "permit ip any", "permit bogus any any", "allow ip any any"} {
		if _, _, err := ioscrACLEntry(strings.Fields(bad), true, nil); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// A crypto map whose ACL lists 3 local × 3 remote networks has 9 selectors.
func TestIOSCryptoMap3x3(t *testing.T) {
	t.Parallel()
	d, err := ioscrApply(t, netmodel.IOS, CapIOSCryptoMap, readFixture(t, "testdata/ios/show-crypto-map/constructed-3x3-acl.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.IPsec.Children) != 1 {
		t.Fatalf("children: %d", len(d.IPsec.Children))
	}
	c := d.IPsec.Children[0]
	if len(c.Selectors) != 9 || !c.PolicyBased || c.RouteBased || c.ACL != "VPN-ACL" || c.Interface != "GigabitEthernet0/1" {
		t.Fatalf("child: %+v", c)
	}
	locals, remotes := map[netip.Prefix]bool{}, map[netip.Prefix]bool{}
	for _, s := range c.Selectors {
		locals[s.Local], remotes[s.Remote] = true, true
	}
	if len(locals) != 3 || len(remotes) != 3 {
		t.Errorf("locals %v remotes %v", locals, remotes)
	}
	if p := c.Proposals; len(p) != 1 || p[0].Encryption[0] != "aes256" || p[0].Integrity[0] != "sha256" || p[0].DH[0] != "modp2048" || c.Lifetime != 3600 {
		t.Errorf("proposals %+v lifetime %d", p, c.Lifetime)
	}
}

const ioscrTunnelConfig = `R1#show running-config | section crypto|interface Tunnel
crypto ikev2 keyring KR
 peer HUB
  address 203.0.113.1
  pre-shared-key local REDACTED-L12-D0-1111111111111111
  pre-shared-key remote REDACTED-L14-D0-2222222222222222
crypto ikev2 profile PROF
 match identity remote address 203.0.113.1 255.255.255.255
 authentication remote pre-share
 authentication local pre-share
 keyring local KR
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
crypto isakmp key REDACTED-L9-D1-3333333333333333 address 198.51.100.7
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode tunnel
crypto ipsec transform-set TS-T esp-aes esp-sha-hmac
 mode transport
crypto ipsec profile VTI
 set transform-set TS
 set pfs group19
 set security-association lifetime seconds 1800
 set ikev2-profile PROF
crypto ipsec profile GRE
 set transform-set TS-T
interface Tunnel0
 ip address 10.255.0.1 255.255.255.252
 tunnel source 192.0.2.10
 tunnel mode ipsec ipv4
 tunnel destination 203.0.113.1
 tunnel protection ipsec profile VTI
interface Tunnel1
 ip address 10.255.1.1 255.255.255.252
 shutdown
 tunnel source GigabitEthernet1
 tunnel destination 198.51.100.7
 tunnel protection ipsec profile GRE
interface GigabitEthernet1
 ip address 192.0.2.20 255.255.255.0
`

// A VTI (tunnel mode ipsec ipv4) is any/any; GRE with tunnel protection
// protects protocol 47 between the tunnel's ends.
func TestIOSCryptoVTIAndGRE(t *testing.T) {
	t.Parallel()
	d, err := ioscrApply(t, netmodel.IOS, CapRunningConfigVPN, ioscrTunnelConfig)
	if err != nil {
		t.Fatal(err)
	}
	vti, gre := ioscrChild(t, d, "Tunnel0"), ioscrChild(t, d, "Tunnel1")
	if !vti.RouteBased || vti.PolicyBased || vti.Interface != "Tunnel0" || vti.IKE != "PROF" || vti.Lifetime != 1800 {
		t.Errorf("VTI: %+v", vti)
	}
	if want := []netmodel.Selector{ioscrSel("0.0.0.0/0", "0.0.0.0/0", 0)}; fmt.Sprint(vti.Selectors) != fmt.Sprint(want) {
		t.Errorf("VTI selectors %v", vti.Selectors)
	}
	if len(vti.Proposals) != 1 || vti.Proposals[0].DH[0] != "ecp256" {
		t.Errorf("VTI proposals %+v", vti.Proposals)
	}
	if want := []netmodel.Selector{ioscrSel("192.0.2.20/32", "198.51.100.7/32", 47)}; fmt.Sprint(gre.Selectors) != fmt.Sprint(want) {
		t.Errorf("GRE selectors %v (tunnel source is an interface of the output)", gre.Selectors)
	}
	if !gre.RouteBased || gre.IKE != "198.51.100.7" || gre.Lifetime != 3600 {
		t.Errorf("GRE: %+v", gre)
	}
	t1 := d.FindInterface("Tunnel1")
	if t1 == nil || t1.AdminUp || !t1.Tunnel || t1.TunnelSrc != netip.MustParseAddr("192.0.2.20") || t1.TunnelDst != netip.MustParseAddr("198.51.100.7") {
		t.Errorf("Tunnel1 interface %+v", t1)
	}
	if t0 := d.FindInterface("Tunnel0"); t0 == nil || !t0.AdminUp || len(t0.Addrs) != 1 || t0.Addrs[0] != netip.MustParsePrefix("10.255.0.1/30") {
		t.Errorf("Tunnel0 interface %+v", t0)
	}
}

func ioscrChild(t *testing.T, d *netmodel.Device, name string) *netmodel.ChildConfig {
	t.Helper()
	for _, c := range d.IPsec.Children {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no child config %q", name)
	return nil
}

func ioscrIKECfg(t *testing.T, d *netmodel.Device, name string) *netmodel.IKEConfig {
	t.Helper()
	for _, k := range d.IPsec.IKEConfigs {
		if k.Name == name {
			return k
		}
	}
	t.Fatalf("no IKE config %q", name)
	return nil
}

// PSK tokens become Secrets; no key text reaches the model.
func TestIOSCryptoPSKTokens(t *testing.T) {
	t.Parallel()
	d, err := ioscrApply(t, netmodel.IOS, CapRunningConfigVPN, ioscrTunnelConfig)
	if err != nil {
		t.Fatal(err)
	}
	v2 := ioscrIKECfg(t, d, "PROF")
	if v2.PSK.Hash != "2222222222222222" || v2.PSK.Length != 14 || v2.RemoteAddr != netip.MustParseAddr("203.0.113.1") || v2.Auth != "psk" {
		t.Errorf("IKEv2 profile: %+v (the remote key is the one the peer must present)", v2)
	}
	v1 := ioscrIKECfg(t, d, "198.51.100.7")
	if v1.PSK.Hash != "3333333333333333" || !v1.PSK.Dictionary || v1.PSK.Length != 9 || v1.Version != 1 {
		t.Errorf("IKEv1 peer: %+v", v1)
	}
	// A key that was not redacted is not stored at all.
	d2, _ := ioscrApply(t, netmodel.IOS, CapRunningConfigVPN, "crypto isakmp key Cisco!23 address 0.0.0.0\ncrypto isakmp policy 1\n authentication pre-share\n")
	b, _ := json.Marshal(d2)
	if strings.Contains(string(b), "Cisco!23") || strings.Contains(string(b), "Cisco") {
		t.Errorf("key text in the model: %s", b)
	}
	if k := ioscrIKECfg(t, d2, "0.0.0.0"); k.PSK != (netmodel.Secret{}) || k.RemoteAddr.IsValid() {
		t.Errorf("wildcard key: %+v", k)
	}
	b, _ = json.Marshal(d)
	if strings.Contains(string(b), "REDACTED") {
		t.Errorf("token text in the model: %s", b)
	}
}

func TestIOSCryptoInvalidInput(t *testing.T) {
	t.Parallel()
	in := "R1#show crypto ikev2 sa detailed\n                   ^\n% Invalid input detected at '^' marker.\n\nR1#"
	for _, p := range []netmodel.Platform{netmodel.IOS, netmodel.ASA} {
		for _, e := range Entries() {
			if e.Platform != p || !strings.HasPrefix(e.Capability, "show-") || (p == netmodel.IOS && !ioscrOwned(e.Capability)) {
				continue
			}
			d := &netmodel.Device{Name: "r1", Platform: p}
			err := e.Apply(strings.NewReader(Clean(in).Text()), d, "f.txt", "")
			ioscrWantLine(t, err, 3)
			if len(d.IPsec.IKESAs)+len(d.IPsec.ChildSAs)+len(d.IPsec.Children)+len(d.Routes) != 0 {
				t.Errorf("%s/%s: data from a refused command", p, e.Capability)
			}
		}
	}
}

func ioscrOwned(c string) bool {
	switch c {
	case CapIOSIsakmpSA, CapIOSIKEv2SA, CapIPsecSA, CapIOSCryptoMap, CapRunningConfigVPN, CapIPRoute:
		return true
	}
	return false
}

// Output cut short gives a located error; what was read is kept.
func TestIOSCryptoTruncated(t *testing.T) {
	t.Parallel()
	full := readFixture(t, "testdata/ios/show-crypto-ipsec-sa/genie-iosxe-ipsec-sa-detail-tunnel.txt")
	lines := strings.Split(full, "\n")
	cut := strings.Join(lines[:30], "\n") // inside the inbound SA list, before "transform:"
	d, err := ioscrApply(t, netmodel.IOS, CapIPsecSA, cut)
	ioscrWantLine(t, err, 30)
	if len(d.IPsec.ChildSAs) != 1 || d.IPsec.ChildSAs[0].PacketsOut != 4 {
		t.Errorf("kept: %+v", d.IPsec.ChildSAs)
	}
	cut = strings.Join(lines[:8], "\n") // before the counters
	_, err = ioscrApply(t, netmodel.IOS, CapIPsecSA, cut)
	ioscrWantLine(t, err, 1)

	v2 := readFixture(t, "testdata/ios/show-crypto-ikev2-sa/genie-iosxe-ikev2-sa-1.txt")
	_, err = ioscrApply(t, netmodel.IOS, CapIOSIKEv2SA, strings.Join(strings.Split(v2, "\n")[:4], "\n"))
	ioscrWantLine(t, err, 4)

	_, err = ioscrApply(t, netmodel.IOS, CapIOSIsakmpSA, "IPv4 Crypto ISAKMP SA\ndst             src             state          conn-id status\n100.0.10.2      100.13.220.2    QM_IDLE")
	ioscrWantLine(t, err, 3)

	_, err = ioscrApply(t, netmodel.IOS, CapIPRoute, "Codes: C - connected\nO E2    10.63.184.0/23 ")
	ioscrWantLine(t, err, 2)

	m := readFixture(t, "testdata/ios/show-crypto-map/constructed-3x3-acl.txt")
	_, err = ioscrApply(t, netmodel.IOS, CapIOSCryptoMap, strings.Join(strings.Split(m, "\n")[:19], "\n"))
	ioscrWantLine(t, err, 19)
}

func TestIOSCryptoIPsecCounters(t *testing.T) {
	t.Parallel()
	d, err := ioscrApply(t, netmodel.IOS, CapIPsecSA, readFixture(t, "testdata/ios/show-crypto-ipsec-sa/ntc-ipsec-sa-detail-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.IPsec.ChildSAs) != 2 {
		t.Fatalf("%d child SAs", len(d.IPsec.ChildSAs))
	}
	c := d.IPsec.ChildSAs[1]
	if !c.CountersKnown || c.PacketsOut != 13133657 || c.PacketsIn != 12013064 {
		t.Errorf("counters: %+v", c)
	}
	// Two SA pairs after a rekey: the pair in use is the current outbound SPI's.
	if c.OutSPI != 0x4321DCBA || c.InSPI != 0x1234DCBA || c.Algs.Integrity != "sha1" || !c.Encap || c.Mode != "transport" {
		t.Errorf("SA pair: %+v", c)
	}
	// No SA installed: the configured selector is still there, SPIs zero.
	d, err = ioscrApply(t, netmodel.IOS, CapIPsecSA, readFixture(t, "testdata/ios/show-crypto-ipsec-sa/genie-iosxe-ipsec-sa-detail-no-sa.txt"))
	if err != nil || len(d.IPsec.ChildSAs) != 1 {
		t.Fatalf("%v %+v", err, d.IPsec.ChildSAs)
	}
	if c := d.IPsec.ChildSAs[0]; c.InSPI != 0 || c.OutSPI != 0 || c.Protocol != "" || len(c.Selectors) != 1 || c.Selectors[0] != ioscrSel("15.0.0.5/32", "14.0.0.6/32", 0) {
		t.Errorf("no-SA entry: %+v", c)
	}
}

func TestIOSCryptoCommandRE(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p   netmodel.Platform
		cmd string
		cap string
	}{
		{netmodel.IOS, "show crypto isakmp sa", CapIOSIsakmpSA},
		{netmodel.IOS, "sh cry isa sa det", CapIOSIsakmpSA},
		{netmodel.IOS, "show crypto ikev2 sa detailed", CapIOSIKEv2SA},
		{netmodel.IOS, "sh crypto ipsec sa", CapIPsecSA},
		{netmodel.IOS, "show crypto ipsec sa peer 1.2.3.4", CapIPsecSA},
		{netmodel.IOS, "show crypto map", CapIOSCryptoMap},
		{netmodel.IOS, "show running-config | section crypto|access-list|interface Tunnel", CapRunningConfigVPN},
		{netmodel.IOS, "sh run | s crypto", CapRunningConfigVPN},
		{netmodel.IOS, "show ip route vrf TRI", CapIPRoute},
		{netmodel.IOS, "sh ip ro", CapIPRoute},
		{netmodel.ASA, "show crypto ikev1 sa detail", CapASAIKEv1SA},
		{netmodel.ASA, "show crypto isakmp sa", CapASAIKEv1SA},
		{netmodel.ASA, "show crypto ikev2 sa detail", CapASAIKEv2SA},
		{netmodel.ASA, "show crypto ipsec sa detail", CapIPsecSA},
		{netmodel.ASA, "show vpn-sessiondb detail l2l", CapASASessionL2L},
		{netmodel.ASA, "show running-config crypto", CapRunningConfigVPN},
		{netmodel.ASA, "show run tunnel-group", CapRunningConfigVPN},
		{netmodel.ASA, "more system:running-config", CapRunningConfigVPN},
		{netmodel.ASA, "show route", CapIPRoute},
		{netmodel.IOS, "show run | include hostname", ""},
		{netmodel.IOS, "show crypto session detail", ""},
	}
	for _, tt := range tests {
		e, _ := MatchCommand(tt.cmd, tt.p)
		got := ""
		if e != nil {
			got = e.Capability
		}
		if got != tt.cap {
			t.Errorf("%s %q: %q, want %q", tt.p, tt.cmd, got, tt.cap)
		}
	}
	for _, e := range Entries() {
		if e.Platform != netmodel.ASA && !(e.Platform == netmodel.IOS && ioscrOwned(e.Capability)) {
			continue
		}
		if got, _ := MatchCommand(e.Command, e.Platform); got != e {
			t.Errorf("%s %q not matched back", e.Platform, e.Command)
		}
	}
}

// The session database adds byte counters and the DH group to the SAs
// that "show crypto ipsec sa" and "show crypto ikev1 sa" gave.
func TestIOSCryptoMergeOrder(t *testing.T) {
	t.Parallel()
	d := &netmodel.Device{Name: "fw", Platform: netmodel.ASA}
	ike := "IKEv1 SAs:\n\n1   IKE Peer: 172.16.0.1\n    Type    : L2L             Role    : initiator\n    Rekey   : no              State   : MM_ACTIVE\n"
	sa := "interface: outside\n    Crypto map tag: M, seq num: 1, local addr: 192.0.2.1\n\n      local ident (addr/mask/prot/port): (10.0.0.0/255.255.255.0/0/0)\n      remote ident (addr/mask/prot/port): (209.165.201.0/255.255.255.0/0/0)\n      current_peer: 172.16.0.1\n\n      #pkts encaps: 5, #pkts encrypt: 5, #pkts digest: 5\n      #pkts decaps: 7, #pkts decrypt: 7, #pkts verify: 7\n      local crypto endpt.: 192.0.2.1/0, remote crypto endpt.: 172.16.0.1/0\n      current outbound spi: 50023DDC\n      current inbound spi : 32F752FF\n    inbound esp sas:\n      spi: 0x32F752FF (855069439)\n         transform: esp-aes-256 esp-sha-hmac no compression\n    outbound esp sas:\n      spi: 0x50023DDC (1342324188)\n         transform: esp-aes-256 esp-sha-hmac no compression\n"
	for _, x := range []struct{ cap, in string }{{CapASAIKEv1SA, ike}, {CapIPsecSA, sa}, {CapASASessionL2L, readFixture(t, "testdata/asa/show-vpn-sessiondb-l2l/ntc-asa-l2l-detail-1.txt")}} {
		if err := Lookup(netmodel.ASA, x.cap).Apply(strings.NewReader(x.in), d, x.cap+".txt", ""); err != nil {
			t.Fatalf("%s: %v", x.cap, err)
		}
	}
	if len(d.IPsec.IKESAs) != 1 || d.IPsec.IKESAs[0].Algs.DH != "modp1536" || d.IPsec.IKESAs[0].Src.File != CapASAIKEv1SA+".txt" {
		t.Errorf("IKE SAs: %+v", d.IPsec.IKESAs)
	}
	var c *netmodel.ChildSA
	for _, x := range d.IPsec.ChildSAs {
		if x.OutSPI == 0x50023DDC {
			c = x
		}
	}
	if c == nil || c.BytesOut == 0 || c.BytesIn == 0 || c.PacketsOut != 5 || c.Lifetime != 28800 {
		t.Errorf("child SA: %+v", c)
	}
}
