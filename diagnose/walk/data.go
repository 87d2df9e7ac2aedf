package walk

import (
	"strings"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// Data is a kind of output a step reads.
type Data string

// The outputs walkthroughs read.
const (
	DataPortGroups Data = "port groups"
	DataVSwitches  Data = "vSwitches"
	DataTeaming    Data = "failover policies"
	DataNeighbors  Data = "CDP/LLDP neighbours"
	DataTrunks     Data = "switch-port VLANs"
	DataSTP        Data = "spanning tree"
	DataLAG        Data = "channels and LACP"
	DataLACPCount  Data = "LACPDU counters"
	DataIPsecConf  Data = "IPsec configuration"
	DataIKESA      Data = "IKE SAs"
	DataChildSA    Data = "IPsec SAs"
	DataRoutes     Data = "routing table"
)

// capability is one collected output: its name in the bundle and the
// command that prints it (as in collectors/platform's catalog; a test in
// package main keeps the two equal).
type capability struct{ name, command string }

// dataCaps lists, per kind and platform, the outputs that hold it: any one
// of them counts as having it; the first is the one to collect.
var dataCaps = map[Data]map[netmodel.Platform][]capability{
	DataPortGroups: {
		netmodel.ESXi: {{"vswitch-portgroup-list", "esxcli --formatter=xml network vswitch standard portgroup list"}, {"esxcfg-vswitch", "esxcfg-vswitch -l"}},
	},
	DataVSwitches: {
		netmodel.ESXi: {{"vswitch-standard-list", "esxcli --formatter=xml network vswitch standard list"}, {"dvs-list", "esxcli --formatter=xml network vswitch dvs vmware list"}, {"esxcfg-vswitch", "esxcfg-vswitch -l"}},
	},
	DataTeaming: {
		netmodel.ESXi: {{"vswitch-failover", "esxcli --formatter=xml network vswitch standard policy failover get -v {arg}"}, {"portgroup-failover", "esxcli --formatter=xml network vswitch standard portgroup policy failover get -p {arg}"}},
	},
	DataNeighbors: {
		netmodel.IOS:  {{"show-cdp-neighbors-detail", "show cdp neighbors detail"}, {"show-lldp-neighbors-detail", "show lldp neighbors detail"}},
		netmodel.NXOS: {{"show-cdp-neighbors-detail", "show cdp neighbors detail"}, {"show-lldp-neighbors-detail", "show lldp neighbors detail"}},
	},
	DataTrunks: {
		netmodel.IOS:   {{"show-interfaces-trunk", "show interfaces trunk"}, {"show-interfaces-switchport", "show interfaces switchport"}, {"show-running-config-interface", "show running-config | section ^interface"}},
		netmodel.NXOS:  {{"show-interfaces-trunk", "show interface trunk"}, {"show-interfaces-switchport", "show interface switchport"}, {"show-running-config-interface", "show running-config interface"}},
		netmodel.Junos: {{"show-ethernet-switching-interfaces", "show ethernet-switching interfaces"}, {"show-vlans", "show vlans"}},
		netmodel.OVS:   {{"ovs-vsctl-show", "ovs-vsctl show"}, {"ovs-list-port", "ovs-vsctl --format=json list port"}},
		netmodel.Linux: {{"bridge-link", "bridge -d -j link show"}},
	},
	DataSTP: {
		netmodel.IOS:   {{"show-spanning-tree", "show spanning-tree"}},
		netmodel.NXOS:  {{"show-spanning-tree", "show spanning-tree detail"}},
		netmodel.Junos: {{"show-spanning-tree-bridge", "show spanning-tree bridge"}, {"show-spanning-tree-interface", "show spanning-tree interface"}},
		netmodel.OVS:   {{"ovs-rstp-show", "ovs-appctl rstp/show"}, {"ovs-stp-show", "ovs-appctl stp/show"}},
		netmodel.Linux: {{"bridge-link", "bridge -d -j link show"}},
	},
	DataLAG: {
		netmodel.IOS:   {{"show-etherchannel-summary", "show etherchannel summary"}, {"show-lacp-internal", "show lacp internal"}, {"show-lacp-neighbor", "show lacp neighbor"}},
		netmodel.NXOS:  {{"show-etherchannel-summary", "show port-channel summary"}, {"show-lacp-neighbor", "show lacp neighbor"}},
		netmodel.EOS:   {{"show-etherchannel-summary", "show port-channel summary"}, {"show-port-channel", "show port-channel all-ports"}, {"show-lacp-neighbor", "show lacp peer"}},
		netmodel.Junos: {{"show-lacp-interfaces", "show lacp interfaces"}},
		netmodel.OVS:   {{"ovs-lacp-show", "ovs-appctl lacp/show"}, {"ovs-bond-show", "ovs-appctl bond/show"}},
		netmodel.Linux: {{"proc-net-bonding", "cat /proc/net/bonding/{arg}"}, {"teamdctl-state", "teamdctl {arg} state dump"}},
	},
	DataLACPCount: {
		netmodel.OVS:   {{"ovs-lacp-stats", "ovs-appctl lacp/show-stats"}},
		netmodel.Linux: {{"proc-net-bonding", "cat /proc/net/bonding/{arg}"}},
	},
	DataIPsecConf: {
		netmodel.Junos: {{"show-configuration-security", "show configuration security | display set"}},
		netmodel.IOS:   {{"show-running-config-crypto", "show running-config | section crypto|access-list|interface Tunnel"}},
		netmodel.ASA:   {{"show-running-config-crypto", "show running-config"}},
		netmodel.Linux: {{"swanctl-conf", "cat /etc/swanctl/swanctl.conf /etc/swanctl/conf.d/*.conf"}, {"swanctl-list-conns", "swanctl --list-conns"}, {"ipsec-conf", "cat /etc/ipsec.conf"}},
	},
	DataIKESA: {
		netmodel.Junos: {{"show-security-ike-sa", "show security ike security-associations detail"}},
		netmodel.IOS:   {{"show-crypto-ikev2-sa", "show crypto ikev2 sa detailed"}, {"show-crypto-isakmp-sa", "show crypto isakmp sa detail"}},
		netmodel.ASA:   {{"show-crypto-ikev2-sa", "show crypto ikev2 sa detail"}, {"show-crypto-ikev1-sa", "show crypto ikev1 sa detail"}, {"show-vpn-sessiondb-l2l", "show vpn-sessiondb detail l2l"}},
		netmodel.Linux: {{"swanctl-list-sas", "swanctl --list-sas"}, {"ipsec-statusall", "ipsec statusall"}},
	},
	DataChildSA: {
		netmodel.Junos: {{"show-security-ipsec-sa", "show security ipsec security-associations detail"}},
		netmodel.IOS:   {{"show-crypto-ipsec-sa", "show crypto ipsec sa"}},
		netmodel.ASA:   {{"show-crypto-ipsec-sa", "show crypto ipsec sa detail"}},
		netmodel.Linux: {{"swanctl-list-sas", "swanctl --list-sas"}, {"ip-xfrm-state", "ip -s xfrm state"}},
	},
	DataRoutes: {
		netmodel.Junos: {{"show-route", "show route"}},
		netmodel.IOS:   {{"show-ip-route", "show ip route"}},
		netmodel.ASA:   {{"show-ip-route", "show route"}},
		netmodel.Linux: {{"ip-route", "ip route show table all"}},
	},
}

// Available reports whether nettui collects data of this kind on p.
func Available(p netmodel.Platform, what Data) bool { return len(dataCaps[what][p]) > 0 }

// Has reports whether d's outputs include data of this kind.
func Has(d *netmodel.Device, what Data) bool {
	for _, p := range []netmodel.Platform{d.Platform, diagnose.L2Platform(d)} {
		for _, c := range dataCaps[what][p] {
			if d.HasCapability(c.name) {
				return true
			}
		}
	}
	return false
}

// Capabilities lists the capability names that hold data of this kind on p.
func Capabilities(p netmodel.Platform, what Data) []string {
	var out []string
	for _, c := range dataCaps[what][p] {
		out = append(out, c.name)
	}
	return out
}

// Command is the command that collects data of this kind on p.
func Command(p netmodel.Platform, what Data) string {
	cs := dataCaps[what][p]
	if len(cs) == 0 {
		return ""
	}
	return strings.NewReplacer("--formatter=xml ", "", "{arg}", "NAME").Replace(cs[0].command)
}

// Describe names data of this kind for a platform: "switch-port VLANs
// (show interfaces trunk)".
func Describe(p netmodel.Platform, what Data) string {
	if c := Command(p, what); c != "" {
		return string(what) + " (" + c + ")"
	}
	return string(what)
}

// CommandTable lists every (platform, capability, command) the
// walkthroughs name, for the test that compares them with the catalog.
func CommandTable() [][3]string {
	var out [][3]string
	for _, what := range []Data{DataPortGroups, DataVSwitches, DataTeaming, DataNeighbors, DataTrunks, DataSTP, DataLAG, DataLACPCount, DataIPsecConf, DataIKESA, DataChildSA, DataRoutes} {
		for _, p := range sortedPlatforms(dataCaps[what]) {
			for _, c := range dataCaps[what][p] {
				out = append(out, [3]string{string(p), c.name, c.command})
			}
		}
	}
	return out
}

func sortedPlatforms(m map[netmodel.Platform][]capability) []netmodel.Platform {
	keys := make(map[string][]capability, len(m))
	for k, v := range m {
		keys[string(k)] = v
	}
	var out []netmodel.Platform
	for _, k := range sortedKeys(keys) {
		out = append(out, netmodel.Platform(k))
	}
	return out
}
