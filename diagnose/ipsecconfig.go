package diagnose

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// The proposals nettui recommends when it has to name one: AES-256 with
// SHA-256 and DH group 14 (MODP-2048) in both phases, PFS on. Every current
// guidance (RFC 8221, RFC 8247, strongSwan) accepts it and every platform
// here supports it.
const (
	recIKE = "aes256-sha256-modp2048"
	recESP = "aes256-sha256-modp2048"
)

// proposalFix returns the commands that set the recommended proposal for
// phase (1 = IKE, 2 = ESP) on end e's device, in the objects its
// configuration uses (Junos IKE/IPsec policy, IOS/ASA crypto map entry or
// tunnel IPsec profile, swanctl connection/child).
func proposalFix(e *TunnelEnd, phase int) netmodel.Fix {
	return proposalFixPFS(e, phase, "group14")
}

// proposalFixPFS is proposalFix with the PFS group to set in phase 2
// (IANA "groupN" form).
func proposalFixPFS(e *TunnelEnd, phase int, pfs string) netmodel.Fix {
	dev := e.Dev
	f := netmodel.Fix{Device: dev.Name, Platform: dev.Platform}
	var ike *netmodel.IKEConfig
	if len(e.IKE) > 0 {
		ike = e.IKE[0]
	}
	child := firstChild(e)
	ikePolicy, childName, childPolicy := "PEER", "VPN", ""
	if ike != nil {
		ikePolicy = orStr(ike.Policy, ike.Name)
	}
	if child != nil {
		childName, childPolicy = child.Name, child.Policy
	}
	version := e.Version()
	pfsNum := strings.TrimPrefix(pfs, "group")
	switch dev.Platform {
	case netmodel.Junos:
		if phase == 1 {
			f.Commands = []string{"configure",
				"set security ike proposal IKE-AES256-SHA256-G14 authentication-method pre-shared-keys",
				"set security ike proposal IKE-AES256-SHA256-G14 dh-group group14",
				"set security ike proposal IKE-AES256-SHA256-G14 authentication-algorithm sha-256",
				"set security ike proposal IKE-AES256-SHA256-G14 encryption-algorithm aes-256-cbc",
				"set security ike proposal IKE-AES256-SHA256-G14 lifetime-seconds 28800",
				"delete security ike policy " + ikePolicy + " proposals",
				"delete security ike policy " + ikePolicy + " proposal-set",
				"set security ike policy " + ikePolicy + " proposals IKE-AES256-SHA256-G14",
				"commit check", "commit"}
		} else {
			pol := orStr(childPolicy, childName+"-POL")
			f.Commands = []string{"configure",
				"set security ipsec proposal ESP-AES256-SHA256 protocol esp",
				"set security ipsec proposal ESP-AES256-SHA256 authentication-algorithm hmac-sha-256-128",
				"set security ipsec proposal ESP-AES256-SHA256 encryption-algorithm aes-256-cbc",
				"set security ipsec proposal ESP-AES256-SHA256 lifetime-seconds 3600",
				"delete security ipsec policy " + pol + " proposals",
				"delete security ipsec policy " + pol + " proposal-set",
				"set security ipsec policy " + pol + " proposals ESP-AES256-SHA256",
				"set security ipsec policy " + pol + " perfect-forward-secrecy keys " + pfs,
				"commit check", "commit"}
		}
	case netmodel.IOS:
		switch {
		case phase == 1 && version == 2:
			f.Commands = []string{"configure terminal", "crypto ikev2 proposal AES256-SHA256-G14", " encryption aes-cbc-256", " integrity sha256", " group 14",
				"crypto ikev2 policy AES256-SHA256-G14", " proposal AES256-SHA256-G14", "end", "copy running-config startup-config"}
		case phase == 1:
			f.Commands = []string{"configure terminal", "crypto isakmp policy 10", " encryption aes 256", " hash sha256", " authentication pre-share", " group 14", " lifetime 28800", "end", "copy running-config startup-config"}
		default:
			f.Commands = []string{"configure terminal", "crypto ipsec transform-set ESP-AES256-SHA256 esp-aes 256 esp-sha256-hmac", " mode tunnel"}
			if child != nil && child.RouteBased && childPolicy != "" {
				f.Commands = append(f.Commands, "crypto ipsec profile "+childPolicy)
			} else {
				f.Commands = append(f.Commands, "crypto map "+childName+" ipsec-isakmp")
			}
			f.Commands = append(f.Commands, " set transform-set ESP-AES256-SHA256", " set pfs "+pfs, " set security-association lifetime seconds 3600", "end", "copy running-config startup-config")
		}
	case netmodel.ASA:
		if phase == 1 {
			f.Commands = []string{"configure terminal", "crypto ikev2 policy 10", " encryption aes-256", " integrity sha256", " group 14", " prf sha256", " lifetime seconds 28800", "end", "write memory"}
		} else {
			f.Commands = []string{"configure terminal", "crypto ipsec ikev2 ipsec-proposal AES256-SHA256", " protocol esp encryption aes-256", " protocol esp integrity sha-256"}
			if child != nil && child.RouteBased && childPolicy != "" {
				f.Commands = append(f.Commands, "crypto ipsec profile "+childPolicy, " set ikev2 ipsec-proposal AES256-SHA256", " set pfs "+pfs, " set security-association lifetime seconds 3600")
			} else {
				f.Commands = append(f.Commands, "crypto map "+childName+" set ikev2 ipsec-proposal AES256-SHA256", "crypto map "+childName+" set pfs "+pfs,
					"crypto map "+childName+" set security-association lifetime seconds 3600")
			}
			f.Commands = append(f.Commands, "end", "write memory")
		}
	case netmodel.Linux:
		if phase == 1 {
			f.Commands = []string{fmt.Sprintf("# in /etc/swanctl/swanctl.conf, connections.%s:", ikePolicy), "proposals = " + recIKE, "rekey_time = 8h", "swanctl --load-conns"}
		} else {
			esp := "aes256-sha256-" + netmodel.DHGroupName(atoiOr(pfsNum, 14))
			f.Commands = []string{fmt.Sprintf("# in /etc/swanctl/swanctl.conf, children.%s:", childName), "esp_proposals = " + esp, "rekey_time = 1h", "swanctl --load-conns"}
		}
	default:
		f.Commands = []string{map[int]string{1: "IKE proposal " + recIKE, 2: "ESP proposal " + recESP}[phase]}
		f.Note = "the configuration syntax for " + platformName(dev.Platform) + " is not known to nettui"
	}
	return f
}

func atoiOr(s string, def int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	if s == "" {
		return def
	}
	return n
}

// routeBasedConfig generates the configuration that replaces a policy-based
// tunnel by a route-based one on end e: a tunnel interface with a /30 from
// 169.254.0.0/16, one any/any selector pair, and a static route per remote
// network. local is the tunnel address of this end.
func routeBasedConfig(e *TunnelEnd, local, remote netip.Addr, remoteNets []netip.Prefix, childName string) netmodel.Fix {
	d := e.Dev
	f := netmodel.Fix{Device: d.Name, Platform: d.Platform}
	peer := e.Peer.String()
	mask := "255.255.255.252"
	prof := strings.NewReplacer(" ", "-", "/", "-").Replace(childName) + "-PROF"
	switch d.Platform {
	case netmodel.Junos:
		f.Commands = []string{"configure",
			fmt.Sprintf("set interfaces st0 unit 10 family inet address %s/30", local),
			"set security zones security-zone vpn interfaces st0.10",
			fmt.Sprintf("delete security ipsec vpn %s ike proxy-identity", childName),
			fmt.Sprintf("delete security ipsec vpn %s traffic-selector", childName),
			fmt.Sprintf("set security ipsec vpn %s bind-interface st0.10", childName),
			fmt.Sprintf("set security ipsec vpn %s establish-tunnels immediately", childName)}
		for _, n := range remoteNets {
			f.Commands = append(f.Commands, fmt.Sprintf("set routing-options static route %s next-hop st0.10", n))
		}
		f.Commands = append(f.Commands, "commit check", "commit")
		f.Note = "then replace the `then permit tunnel ipsec-vpn " + childName + "` policies by plain permit policies between the internal zone and zone vpn"
	case netmodel.IOS:
		f.Commands = []string{"configure terminal",
			"crypto ipsec transform-set ESP-AES256-SHA256 esp-aes 256 esp-sha256-hmac", " mode tunnel",
			"crypto ipsec profile " + prof, " set transform-set ESP-AES256-SHA256", " set pfs group14"}
		if e.Version() == 2 && len(e.IKE) > 0 && e.IKE[0].Name != "" {
			f.Commands = append(f.Commands, " set ikev2-profile "+e.IKE[0].Name)
		}
		f.Commands = append(f.Commands,
			"interface Tunnel10", fmt.Sprintf(" ip address %s %s", local, mask),
			fmt.Sprintf(" tunnel source %s", e.Local), " tunnel mode ipsec ipv4",
			" tunnel destination "+peer, " tunnel protection ipsec profile "+prof)
		for _, n := range remoteNets {
			f.Commands = append(f.Commands, fmt.Sprintf("ip route %s %s Tunnel10", n.Masked().Addr(), maskOf(n)))
		}
		f.Commands = append(f.Commands, "end", "copy running-config startup-config")
		f.Note = "remove the crypto map entry for " + peer + " from the outside interface once the tunnel is up"
	case netmodel.ASA:
		f.Commands = []string{"configure terminal",
			"crypto ipsec ikev2 ipsec-proposal AES256-SHA256", " protocol esp encryption aes-256", " protocol esp integrity sha-256",
			"crypto ipsec profile " + prof, " set ikev2 ipsec-proposal AES256-SHA256", " set pfs group14",
			"interface Tunnel10", " nameif vpn-" + strings.ReplaceAll(peer, ".", "-"), fmt.Sprintf(" ip address %s %s", local, mask),
			" tunnel source interface outside", " tunnel destination " + peer, " tunnel mode ipsec ipv4", " tunnel protection ipsec profile " + prof}
		for _, n := range remoteNets {
			f.Commands = append(f.Commands, fmt.Sprintf("route vpn-%s %s %s %s", strings.ReplaceAll(peer, ".", "-"), n.Masked().Addr(), maskOf(n), remote))
		}
		f.Commands = append(f.Commands, "end", "write memory")
		f.Note = "remove the crypto map entry for " + peer + " once the VTI is up"
	case netmodel.Linux:
		f.Commands = []string{
			"ip link add ipsec10 type xfrm dev $(ip -o route get " + peer + " | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p') if_id 10",
			fmt.Sprintf("ip addr add %s/30 dev ipsec10", local), "ip link set ipsec10 up",
			fmt.Sprintf("# in /etc/swanctl/swanctl.conf, children.%s: local_ts = 0.0.0.0/0, remote_ts = 0.0.0.0/0, if_id_in = 10, if_id_out = 10", childName),
			"swanctl --load-conns"}
		for _, n := range remoteNets {
			f.Commands = append(f.Commands, fmt.Sprintf("ip route add %s dev ipsec10", n))
		}
	default:
		f.Commands = []string{"tunnel interface " + local.String() + "/30 to " + peer}
		f.Note = "the configuration syntax for " + platformName(d.Platform) + " is not known to nettui"
	}
	return f
}

func maskOf(p netip.Prefix) string {
	if !p.Addr().Is4() {
		return p.String()
	}
	m := ^uint32(0) << (32 - p.Bits())
	if p.Bits() == 0 {
		m = 0
	}
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&255, m>>8&255, m&255)
}
