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
