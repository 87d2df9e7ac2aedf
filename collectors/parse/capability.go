package parse

// Capability names: stable identifiers, also used as file names in bundles
// (devices/<device>/<capability>.txt, or <capability>@<arg>.txt for
// per-object commands).
const (
	// ESXi
	CapVSwitchList       = "vswitch-standard-list"  // esxcli network vswitch standard list
	CapPortGroupList     = "vswitch-portgroup-list" // esxcli network vswitch standard portgroup list
	CapVSwitchFailover   = "vswitch-failover"       // esxcli network vswitch standard policy failover get -v NAME
	CapPortGroupFailover = "portgroup-failover"     // esxcli network vswitch standard portgroup policy failover get -p NAME
	CapNICList           = "nic-list"               // esxcli network nic list
	CapEsxcfgVSwitch     = "esxcfg-vswitch"         // esxcfg-vswitch -l
	CapEsxcfgNICs        = "esxcfg-nics"            // esxcfg-nics -l
	CapDVSList           = "dvs-list"               // esxcli network vswitch dvs vmware list

	// Cisco IOS/IOS-XE and NX-OS
	CapInterfacesTrunk      = "show-interfaces-trunk"
	CapInterfacesSwitchport = "show-interfaces-switchport"
	CapRunningConfigIf      = "show-running-config-interface"
	CapCDPNeighborsDetail   = "show-cdp-neighbors-detail"
	CapLLDPNeighborsDetail  = "show-lldp-neighbors-detail"
)

// IPsec and routing capabilities.
const (
	// Juniper Junos (SRX)
	CapJunosIKESA       = "show-security-ike-sa"          // show security ike security-associations [detail]
	CapJunosIPsecSA     = "show-security-ipsec-sa"        // show security ipsec security-associations [detail]
	CapJunosConfigSec   = "show-configuration-security"   // show configuration security | display set
	CapJunosRoute       = "show-route"                    // show route [| display json]
	CapJunosIfTerse     = "show-interfaces-terse"         // show interfaces terse
	CapJunosConfigIface = "show-configuration-interfaces" // show configuration interfaces | display set

	// Cisco IOS/IOS-XE
	CapIOSIsakmpSA      = "show-crypto-isakmp-sa"      // show crypto isakmp sa [detail]
	CapIOSIKEv2SA       = "show-crypto-ikev2-sa"       // show crypto ikev2 sa detailed
	CapIPsecSA          = "show-crypto-ipsec-sa"       // show crypto ipsec sa (IOS and ASA)
	CapIOSCryptoMap     = "show-crypto-map"            // show crypto map
	CapRunningConfigVPN = "show-running-config-crypto" // IOS: show running-config | section crypto|access-list|interface Tunnel; ASA: show running-config crypto + access-list
	CapIPRoute          = "show-ip-route"              // IOS show ip route [vrf X]; ASA show route

	// Cisco ASA
	CapASAIKEv1SA    = "show-crypto-ikev1-sa"   // show crypto ikev1 sa detail
	CapASAIKEv2SA    = "show-crypto-ikev2-sa"   // show crypto ikev2 sa detail
	CapASASessionL2L = "show-vpn-sessiondb-l2l" // show vpn-sessiondb detail l2l

	// strongSwan and Linux
	CapSwanctlSAs   = "swanctl-list-sas"   // swanctl --list-sas [--raw]
	CapSwanctlConns = "swanctl-list-conns" // swanctl --list-conns [--raw]
	CapSwanctlPols  = "swanctl-list-pols"  // swanctl --list-pols [--raw]
	CapIPsecStatus  = "ipsec-statusall"    // ipsec statusall
	CapSwanctlConf  = "swanctl-conf"       // cat /etc/swanctl/swanctl.conf /etc/swanctl/conf.d/*.conf
	CapIPsecConf    = "ipsec-conf"         // cat /etc/ipsec.conf
	CapXfrmState    = "ip-xfrm-state"      // ip xfrm state
	CapXfrmPolicy   = "ip-xfrm-policy"     // ip xfrm policy
	CapLinuxRoute   = "ip-route"           // ip route show table all / ip -j route

	// FRRouting (platform frr; on a Linux host through vtysh -c)
	CapFRRRoute     = "frr-show-ip-route"       // show ip route [vrf X|all] [json]
	CapFRRRunConfig = "frr-show-running-config" // show running-config
)

// Layer-2 capabilities: LACP, STP, trunks on every platform.
const (
	// Linux and Open vSwitch
	CapProcBonding  = "proc-net-bonding"   // cat /proc/net/bonding/<bond>
	CapTeamdState   = "teamdctl-state"     // teamdctl <dev> state dump
	CapBridgeLink   = "bridge-link"        // bridge -d -j link show
	CapOVSLACP      = "ovs-lacp-show"      // ovs-appctl lacp/show
	CapOVSBond      = "ovs-bond-show"      // ovs-appctl bond/show
	CapOVSSTP       = "ovs-stp-show"       // ovs-appctl stp/show
	CapOVSRSTP      = "ovs-rstp-show"      // ovs-appctl rstp/show
	CapOVSVsctlShow = "ovs-vsctl-show"     // ovs-vsctl show
	CapOVSListPort  = "ovs-list-port"      // ovs-vsctl --format=json list port
	CapOVSListIface = "ovs-list-interface" // ovs-vsctl --format=json list interface
	CapOVSLACPStats = "ovs-lacp-stats"     // ovs-appctl lacp/show-stats

	// Cisco IOS/IOS-XE, NX-OS, Arista EOS
	CapEtherchannelSummary = "show-etherchannel-summary" // IOS show etherchannel summary; NX-OS/EOS show port-channel summary
	CapLACPNeighbor        = "show-lacp-neighbor"        // show lacp neighbor [detail] / EOS show lacp peer
	CapLACPInternal        = "show-lacp-internal"        // show lacp internal
	CapSpanningTree        = "show-spanning-tree"        // show spanning-tree [detail]
	CapSpanningTreeRoot    = "show-spanning-tree-root"   // show spanning-tree root
	CapPortChannel         = "show-port-channel"         // EOS show port-channel [detail]

	// Juniper EX/QFX
	CapJunosLACP        = "show-lacp-interfaces"               // show lacp interfaces
	CapJunosSTPIf       = "show-spanning-tree-interface"       // show spanning-tree interface
	CapJunosSTPBridge   = "show-spanning-tree-bridge"          // show spanning-tree bridge
	CapJunosEthSwitchIf = "show-ethernet-switching-interfaces" // show ethernet-switching interface(s)
	CapJunosVLANs       = "show-vlans"                         // show vlans
	CapJunosVLANsJSON   = "show-vlans-json"                    // show vlans detail | display json

	// ESXi
	CapDVSLACPStatus = "dvs-lacp-status" // esxcli network vswitch dvs vmware lacp status get
	CapDVSLACPConfig = "dvs-lacp-config" // esxcli network vswitch dvs vmware lacp config get
)
