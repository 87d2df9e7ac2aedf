package diagnose

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// wildcard turns a prefix into IOS/ASA address + wildcard or mask.
func ciscoAddr(p netip.Prefix, wildcard bool) string {
	if !p.IsValid() || p.Bits() == 0 {
		return "any"
	}
	if p.Addr().Is4() && p.Bits() == 32 {
		return "host " + p.Addr().String()
	}
	if !p.Addr().Is4() {
		return p.String()
	}
	m := ^uint32(0) << (32 - p.Bits())
	if wildcard {
		m = ^m
	}
	return fmt.Sprintf("%s %d.%d.%d.%d", p.Masked().Addr(), m>>24, m>>16&255, m>>8&255, m&255)
}

// selectorFix returns the commands that make child on dev (or a new child
// when child is nil) offer the selectors want.
func selectorFix(dev *netmodel.Device, child *netmodel.ChildConfig, want []netmodel.Selector) netmodel.Fix {
	name := "VPN"
	if child != nil && child.Name != "" {
		name = child.Name
	}
	f := netmodel.Fix{Device: dev.Name, Platform: dev.Platform}
	switch dev.Platform {
	case netmodel.Junos:
		f.Commands = append(f.Commands, "configure")
		for i, s := range want {
			if child != nil && child.PolicyBased {
				f.Commands = append(f.Commands,
					fmt.Sprintf("set security address-book global address NET-%s %s", strings.ReplaceAll(s.Local.String(), "/", "_"), s.Local),
					fmt.Sprintf("set security address-book global address NET-%s %s", strings.ReplaceAll(s.Remote.String(), "/", "_"), s.Remote))
				continue
			}
			f.Commands = append(f.Commands, fmt.Sprintf("set security ipsec vpn %s traffic-selector ts%d local-ip %s remote-ip %s", name, i+1, s.Local, s.Remote))
		}
		f.Commands = append(f.Commands, "commit check", "commit")
		if child != nil && child.PolicyBased {
			f.Note = "then add the new address-book entries to the source/destination of the security policies that `then permit tunnel ipsec-vpn " + name + "`"
		}
	case netmodel.IOS:
		f.Commands = append(f.Commands, "configure terminal", "ip access-list extended "+aclName(child))
		for _, s := range want {
			f.Commands = append(f.Commands, fmt.Sprintf(" permit ip %s %s", ciscoAddr(s.Local, true), ciscoAddr(s.Remote, true)))
		}
		f.Commands = append(f.Commands, "end", "clear crypto sa peer "+peerOf(dev, child), "copy running-config startup-config")
	case netmodel.ASA:
		f.Commands = append(f.Commands, "configure terminal")
		for _, s := range want {
			f.Commands = append(f.Commands, fmt.Sprintf("access-list %s extended permit ip %s %s", aclName(child), ciscoAddr(s.Local, false), ciscoAddr(s.Remote, false)))
		}
		f.Commands = append(f.Commands, "end", "clear crypto ipsec sa peer "+peerOf(dev, child), "write memory")
	case netmodel.Linux:
		var l, r []string
		for _, s := range want {
			l = append(l, s.Local.String())
			r = append(r, s.Remote.String())
		}
		f.Commands = []string{
			fmt.Sprintf("# in /etc/swanctl/swanctl.conf, connections.*.children.%s:", name),
			"local_ts = " + strings.Join(dedupe(l), ","),
			"remote_ts = " + strings.Join(dedupe(r), ","),
			"swanctl --load-conns",
			"swanctl --initiate --child " + name,
		}
	default:
		for _, s := range want {
			f.Commands = append(f.Commands, "selector "+s.String())
		}
		f.Note = "the configuration syntax for " + platformName(dev.Platform) + " is not known to nettui"
	}
	return f
}

func aclName(c *netmodel.ChildConfig) string {
	if c != nil && c.ACL != "" {
		return c.ACL
	}
	if c != nil && c.Name != "" {
		return c.Name + "-ACL"
	}
	return "VPN-ACL"
}

func peerOf(dev *netmodel.Device, c *netmodel.ChildConfig) string {
	if c != nil {
		for _, k := range dev.IPsec.IKEConfigs {
			if k.Name == c.IKE && k.RemoteAddr.IsValid() {
				return k.RemoteAddr.String()
			}
		}
	}
	return "PEER"
}
