package parse

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

const asaVTIConfig = `interface GigabitEthernet1/3
 nameif outside-1
 ip address 209.119.82.226 255.255.255.248
!
crypto ipsec ikev2 ipsec-proposal GCP
 protocol esp encryption aes-gcm-256
 protocol esp integrity sha-512
crypto ipsec profile GCP
 set ikev2 ipsec-proposal GCP
 set pfs group14
 set security-association lifetime seconds 10800
crypto ikev2 policy 10
 encryption aes-gcm-256
 group 14
 prf sha512
 lifetime seconds 36000
tunnel-group 35.242.106.213 type ipsec-l2l
tunnel-group 35.242.106.213 ipsec-attributes
 ikev2 remote-authentication pre-shared-key REDACTED-L40-D0-a1b2c3d4e5f60718
 ikev2 local-authentication pre-shared-key REDACTED-L40-D0-a1b2c3d4e5f60718
interface Tunnel10
 nameif gcp-if-0
 ip address 169.254.163.218 255.255.255.252
 tunnel source interface outside-1
 tunnel destination 35.242.106.213
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile GCP
`

func TestASAConfigVTI(t *testing.T) {
	t.Parallel()
	d, err := ioscrApply(t, netmodel.ASA, CapRunningConfigVPN, asaVTIConfig)
	if err != nil {
		t.Fatal(err)
	}
	c := ioscrChild(t, d, "gcp-if-0")
	if !c.RouteBased || c.IKE != "35.242.106.213" || c.Lifetime != 10800 || fmt.Sprint(c.Selectors) != fmt.Sprint([]netmodel.Selector{ioscrSel("0.0.0.0/0", "0.0.0.0/0", 0)}) {
		t.Errorf("VTI: %+v", c)
	}
	if len(c.Proposals) != 1 || c.Proposals[0].Encryption[0] != "aes256gcm16" || c.Proposals[0].DH[0] != "modp2048" {
		t.Errorf("proposals: %+v", c.Proposals)
	}
	k := ioscrIKECfg(t, d, "35.242.106.213")
	if k.Version != 2 || k.PSK.Hash != "a1b2c3d4e5f60718" || k.Lifetime != 36000 || k.Proposals[0].PRF[0] != "prfsha512" {
		t.Errorf("IKE: %+v", k)
	}
	in := d.FindInterface("gcp-if-0")
	if in == nil || in.TunnelSrc != netip.MustParseAddr("209.119.82.226") || in.TunnelDst != netip.MustParseAddr("35.242.106.213") {
		t.Errorf("tunnel interface: %+v", in)
	}
}

func TestASAConfigObjectGroups(t *testing.T) {
	t.Parallel()
	d, err := ioscrApply(t, netmodel.ASA, CapRunningConfigVPN, readFixture(t, "testdata/asa/show-running-config-crypto/constructed-l2l.txt"))
	if err != nil {
		t.Fatal(err)
	}
	c := ioscrChild(t, d, "outside_map 10")
	want := []netmodel.Selector{ioscrSel("10.33.0.0/24", "10.11.0.0/24", 0), ioscrSel("10.34.0.10/32", "10.11.0.0/24", 0)}
	if fmt.Sprint(c.Selectors) != fmt.Sprint(want) || c.ACL != "asa-strongswan-vpn" || c.Interface != "outside" {
		t.Errorf("crypto map 10: %+v", c)
	}
	// "set pfs" alone is group 2; "*****" gives no secret.
	c20 := ioscrChild(t, d, "outside_map 20")
	if c20.Proposals[0].DH[0] != "modp1024" {
		t.Errorf("crypto map 20: %+v", c20.Proposals)
	}
	if k := ioscrIKECfg(t, d, "203.0.113.50"); k.PSK != (netmodel.Secret{}) || k.Auth != "psk" {
		t.Errorf("masked key: %+v", k)
	}
	if k := ioscrIKECfg(t, d, "192.168.255.11"); k.PSK.Length != 8 || !k.PSK.Dictionary || k.Version != 1 {
		t.Errorf("ikev1 key: %+v", k)
	}
}

func TestASAIPsecSACounters(t *testing.T) {
	t.Parallel()
	d, _ := ioscrApply(t, netmodel.ASA, CapIPsecSA, readFixture(t, "testdata/asa/show-crypto-ipsec-sa/ntc-asa-ipsec-sa-1.txt"))
	var c *netmodel.ChildSA
	for _, x := range d.IPsec.ChildSAs {
		if x.Name == "COLO-MAP 2" {
			c = x
		}
	}
	if c == nil || c.PacketsOut != 13915315 || c.PacketsIn != 23606461 || c.InSPI != 0x32F752FF || c.OutSPI != 0x50023DDC ||
		!c.Encap || c.Interface != "COLO" || c.Remaining != 25461 || c.Algs.Encryption != "aes256" {
		t.Errorf("COLO-MAP 2: %+v", c)
	}
}

func TestASATruncatedAndRefused(t *testing.T) {
	t.Parallel()
	_, err := ioscrApply(t, netmodel.ASA, CapIPsecSA, readFixture(t, "testdata/asa/show-crypto-ipsec-sa/gcp-community-asa5506-vti-partial.txt"))
	ioscrWantLine(t, err, 1)
	v1 := "IKEv1 SAs:\n\n1   IKE Peer: 198.51.100.2\n    Type    : L2L             Role    : initiator\n"
	_, err = ioscrApply(t, netmodel.ASA, CapASAIKEv1SA, v1)
	ioscrWantLine(t, err, 3)
	_, err = ioscrApply(t, netmodel.ASA, CapIPRoute, "fw# show route\nERROR: % Invalid input detected at '^' marker.\n")
	ioscrWantLine(t, err, 2)
	_, err = ioscrApply(t, netmodel.ASA, CapIPRoute, "S        10.54.6.0 255.255.255.0\n")
	ioscrWantLine(t, err, 1)
}

func TestASARouteDetect(t *testing.T) {
	t.Parallel()
	ios := "Codes: L - local, C - connected\nC        10.10.254.0/29 is directly connected, Vlan3101\n"
	asa := "Codes: L - local, C - connected\nC        192.168.1.0 255.255.255.0 is directly connected, outside\n"
	eos := "VRF: default\nCodes: C - connected\n C        10.1.1.0/24 is directly connected, Vlan10\n"
	linux := "default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2\n"
	for in, want := range map[string]netmodel.Platform{ios: netmodel.IOS, asa: netmodel.ASA, eos: netmodel.PlatformUnknown, linux: netmodel.PlatformUnknown} {
		if got := iosrouteDetect(strings.Split(in, "\n")); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
