package synth

// Cisco outputs: an IOS-XE stack and an NX-OS switch per group. Formats as
// in fixtures/demo (IOS-XE 17 on a Catalyst 9300 stack, NX-OS 9.3 on a
// Nexus 9300), grounded in the real captures listed in fixtures/demo/README.md.

import "strconv"

const (
	iosVersion1 = "Cisco IOS Software [Bengaluru], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.6.5, RELEASE SOFTWARE (fc2)"
	iosVersion2 = "Technical Support: http://www.cisco.com/techsupport"
	iosVersion3 = "Copyright (c) 1986-2023 by Cisco Systems, Inc."
	iosVersion4 = "Compiled Wed 25-Jan-23 16:15 by mcpre"
	nxosVersion = "Cisco Nexus Operating System (NX-OS) Software, Version 9.3(10)"
	parkVLAN    = 999
	accessPorts = 48
	dashes80    = "--------------------------------------------------------------------------------"
)

type iosPort struct {
	full, short string
	member      int
	kind        int // 0 access GigabitEthernet m/0/x, 1 Gi m/1/x, 2 Te m/1/x
	num         int
}

// iosPorts lists a stack's ports in ifIndex order: per member the 48 access
// ports, the four 1G and eight 10G network-module ports.
func iosPorts() []iosPort {
	var out []iosPort
	for m := 1; m <= 2; m++ {
		ms := strconv.Itoa(m)
		for p := 1; p <= accessPorts; p++ {
			ps := strconv.Itoa(p)
			out = append(out, iosPort{"GigabitEthernet" + ms + "/0/" + ps, "Gi" + ms + "/0/" + ps, m, 0, p})
		}
		for p := 1; p <= 4; p++ {
			ps := strconv.Itoa(p)
			out = append(out, iosPort{"GigabitEthernet" + ms + "/1/" + ps, "Gi" + ms + "/1/" + ps, m, 1, p})
		}
		for p := 1; p <= 8; p++ {
			ps := strconv.Itoa(p)
			out = append(out, iosPort{"TenGigabitEthernet" + ms + "/1/" + ps, "Te" + ms + "/1/" + ps, m, 2, p})
		}
	}
	return out
}

var stackPorts = iosPorts()

// iosRole says what a stack port is: a host trunk (host index >= 0, uplink
// 0 or 1), the uplink to the NX-OS switch, or parked.
type iosRole struct {
	host   int // -1 when not a host port
	uplink int
	core   bool
}

func (gr *group) iosRole(p iosPort) iosRole {
	if p.kind == 0 && p.num <= gr.n {
		return iosRole{host: gr.first + p.num - 1, uplink: p.member - 1}
	}
	if p.kind == 2 && p.member == 1 && p.num == 1 {
		return iosRole{host: -1, core: true}
	}
	return iosRole{host: -1}
}

func (s *plan) allowedIOS(gr *group, r iosRole) string {
	if r.core {
		return gr.all
	}
	if miss := s.hosts[r.host].missing[r.uplink]; miss != 0 {
		return vlanList(gr.vlans, miss)
	}
	return gr.all
}

func (s *plan) renderIOS(gr *group, put func(string, []byte)) {
	// show running-config | section ^interface
	var w buf
	w.b = make([]byte, 0, 24*1024)
	w.line("interface GigabitEthernet0/0")
	w.line(" vrf forwarding Mgmt-vrf")
	w.s(" ip address 10.0.0.")
	w.i(11 + gr.idx%200)
	w.line(" 255.255.255.0")
	w.line(" negotiation auto")
	for _, p := range stackPorts {
		r := gr.iosRole(p)
		w.line("interface " + p.full)
		switch {
		case r.host >= 0:
			w.s(" description ")
			w.s(s.hosts[r.host].name)
			w.s(" vmnic")
			w.i(r.uplink)
			w.nl()
			w.line(" switchport trunk allowed vlan " + s.allowedIOS(gr, r))
			w.line(" switchport mode trunk")
			w.line(" switchport nonegotiate")
			w.line(" spanning-tree portfast trunk")
			w.line(" spanning-tree bpduguard enable")
		case r.core:
			w.line(" description UPLINK " + gr.nx + " Eth1/49")
			w.line(" switchport trunk allowed vlan " + gr.all)
			w.line(" switchport mode trunk")
		default:
			w.line(" switchport access vlan 999")
			w.line(" switchport mode access")
			w.line(" shutdown")
			w.line(" spanning-tree portfast")
			w.line(" spanning-tree bpduguard enable")
		}
	}
	w.line("interface Vlan1")
	w.line(" no ip address")
	w.line(" shutdown")
	put(devPath(gr.acc, "show-running-config-interface.txt"), w.bytes())

	// show interfaces switchport
	w = buf{b: make([]byte, 0, 1100*len(stackPorts))}
	for _, p := range stackPorts {
		r := gr.iosRole(p)
		trunk := r.host >= 0 || r.core
		w.line("Name: " + p.short)
		w.line("Switchport: Enabled")
		if trunk {
			w.line("Administrative Mode: trunk")
			w.line("Operational Mode: trunk")
			w.line("Administrative Trunking Encapsulation: dot1q")
			w.line("Operational Trunking Encapsulation: dot1q")
			if r.core {
				w.line("Negotiation of Trunking: On")
			} else {
				w.line("Negotiation of Trunking: Off")
			}
			w.line("Access Mode VLAN: 1 (default)")
		} else {
			w.line("Administrative Mode: static access")
			w.line("Operational Mode: down")
			w.line("Administrative Trunking Encapsulation: dot1q")
			w.line("Operational Trunking Encapsulation: native")
			w.line("Negotiation of Trunking: Off")
			w.line("Access Mode VLAN: 999 (PARKING)")
		}
		w.line("Trunking Native Mode VLAN: 1 (default)")
		w.line("Administrative Native VLAN tagging: enabled")
		w.line("Voice VLAN: none")
		w.line("Administrative private-vlan host-association: none ")
		w.line("Administrative private-vlan mapping: none ")
		w.line("Administrative private-vlan trunk native VLAN: none")
		w.line("Administrative private-vlan trunk Native VLAN tagging: enabled")
		w.line("Administrative private-vlan trunk encapsulation: dot1q")
		w.line("Administrative private-vlan trunk normal VLANs: none")
		w.line("Administrative private-vlan trunk associations: none")
		w.line("Administrative private-vlan trunk mappings: none")
		w.line("Operational private-vlan: none")
		if trunk {
			w.line("Trunking VLANs Enabled: " + s.allowedIOS(gr, r))
		} else {
			w.line("Trunking VLANs Enabled: ALL")
		}
		w.line("Pruning VLANs Enabled: 2-1001")
		w.line("Capture Mode Disabled")
		w.line("Capture VLANs Allowed: ALL")
		w.nl()
		w.line("Protected: false")
		w.line("Unknown unicast blocked: disabled")
		w.line("Unknown multicast blocked: disabled")
		w.line("Vepa Enabled: false")
		w.line("Appliance trust: none")
		w.nl()
	}
	put(devPath(gr.acc, "show-interfaces-switchport.txt"), w.bytes())

	// show interfaces trunk
	type trunk struct{ port, allowed string }
	var trunks []trunk
	for _, p := range stackPorts {
		if r := gr.iosRole(p); r.host >= 0 || r.core {
			trunks = append(trunks, trunk{p.short, s.allowedIOS(gr, r)})
		}
	}
	w = buf{b: make([]byte, 0, 4*64*(len(trunks)+2))}
	w.nl()
	w.line("Port        Mode             Encapsulation  Status        Native vlan")
	for _, t := range trunks {
		w.left(t.port, 12)
		w.line("on               802.1q         trunking      1")
	}
	for _, title := range [...]string{
		"Vlans allowed on trunk",
		"Vlans allowed and active in management domain",
		"Vlans in spanning tree forwarding state and not pruned",
	} {
		w.nl()
		w.line("Port        " + title)
		for _, t := range trunks {
			w.left(t.port, 12)
			w.line(t.allowed)
		}
	}
	put(devPath(gr.acc, "show-interfaces-trunk.txt"), w.bytes())

	// show cdp neighbors detail
	w = buf{b: make([]byte, 0, 400*(2*gr.n+1))}
	w.line("-------------------------")
	w.s("Device ID: ")
	w.s(gr.nx)
	w.line("(FDO2411" + pad(gr.idx%10000, 4) + ")")
	w.line("Entry address(es):")
	w.s("  IP address: 10.0.1.")
	w.i(1 + gr.idx%250)
	w.nl()
	w.line("Platform: N9K-C93180YC-FX,  Capabilities: Router Switch IGMP CVTA phone port")
	w.line("Interface: TenGigabitEthernet1/1/1,  Port ID (outgoing port): Ethernet1/49")
	w.line("Holdtime : 147 sec")
	w.nl()
	w.line("Version :")
	w.line(nxosVersion)
	w.nl()
	w.line("advertisement version: 2")
	w.line("Native VLAN: 1")
	w.line("Duplex: full")
	w.nl()
	entries := 1
	for k := range gr.n {
		h := &s.hosts[gr.first+k]
		for m := 1; m <= 2; m++ {
			w.line("-------------------------")
			w.line("Device ID: " + h.name + ".synth.example.net")
			w.line("Entry address(es):")
			w.line("Platform: VMware ESXi,  Capabilities: Switch")
			w.s("Interface: GigabitEthernet")
			w.i(m)
			w.s("/0/")
			w.i(k + 1)
			w.s(",  Port ID (outgoing port): vmnic")
			w.i(m - 1)
			w.nl()
			w.s("Holdtime : ")
			w.i(120 + int(s.rand(6, uint64(h.idx), uint64(m))%60))
			w.line(" sec")
			w.nl()
			w.line("Version :")
			w.line(esxiBuild)
			w.nl()
			w.line("advertisement version: 2")
			w.line("VTP Management Domain: ''")
			w.line("Duplex: full")
			w.nl()
			entries++
		}
	}
	w.nl()
	w.s("Total cdp entries displayed : ")
	w.i(entries)
	w.nl()
	put(devPath(gr.acc, "show-cdp-neighbors-detail.txt"), w.bytes())

	// show lldp neighbors detail: the NX-OS switch on the uplink
	w = buf{b: make([]byte, 0, 1024)}
	w.line("------------------------------------------------")
	w.line("Local Intf: Te1/1/1")
	w.s("Chassis id: 34ed.1bd4.")
	w.hex2(gr.idx >> 8)
	w.hex2(gr.idx)
	w.nl()
	w.line("Port id: Ethernet1/49")
	w.line("Port Description: " + gr.acc + " Te1/1/1")
	w.line("System Name: " + gr.nx)
	w.nl()
	w.line("System Description:")
	w.line("Cisco Nexus Operating System (NX-OS) Software 9.3(10)")
	w.line("TAC support: http://www.cisco.com/tac")
	w.line("Copyright (c) 2002-2022, Cisco Systems, Inc. All rights reserved.")
	w.nl()
	w.line("Time remaining: 111 seconds")
	w.line("System Capabilities: B,R")
	w.line("Enabled Capabilities: B,R")
	w.line("Management Addresses:")
	w.s("    IP: 10.0.1.")
	w.i(1 + gr.idx%250)
	w.nl()
	w.line("Auto Negotiation - not supported")
	w.line("Physical media capabilities - not advertised")
	w.line("Media Attachment Unit type - not advertised")
	w.line("Vlan ID: 1")
	w.nl()
	w.nl()
	w.line("Total entries displayed: 1")
	w.nl()
	put(devPath(gr.acc, "show-lldp-neighbors-detail.txt"), w.bytes())
}

// nxRole is what an NX-OS port is: a host port (host index, uplink 2 or 3),
// the uplink to the stack, or unused (routed by default, not listed in
// switchport and trunk outputs).
func (gr *group) nxRole(port int) (host, uplink int, core bool) {
	if port <= 2*gr.n {
		return gr.first + (port-1)/2, 2 + (port-1)%2, false
	}
	return -1, 0, port == 49
}

func (s *plan) renderNXOS(gr *group, put func(string, []byte)) {
	const ports = 54
	// show running-config interface
	var w buf
	w.b = make([]byte, 0, 16*1024)
	w.nl()
	w.line("!Command: show running-config interface")
	w.line("!Running configuration last done at: Thu Nov 26 17:48:09 2026")
	w.line("!Time: Sat Nov 28 03:12:44 2026")
	w.nl()
	w.line("version 9.3(10) Bios:version 05.47 ")
	w.nl()
	w.line("interface Vlan1")
	w.nl()
	for p := 1; p <= ports; p++ {
		host, uplink, core := gr.nxRole(p)
		w.s("interface Ethernet1/")
		w.i(p)
		w.nl()
		switch {
		case host >= 0:
			w.s("  description ")
			w.s(s.hosts[host].name)
			w.s(" vmnic")
			w.i(uplink)
			w.nl()
			w.line("  switchport")
			w.line("  switchport mode trunk")
			w.line("  switchport trunk allowed vlan " + gr.all)
			w.line("  spanning-tree port type edge trunk")
			w.line("  spanning-tree bpduguard enable")
			w.line("  mtu 9216")
			w.line("  no shutdown")
		case core:
			w.line("  description " + gr.acc + " Te1/1/1")
			w.line("  switchport")
			w.line("  switchport mode trunk")
			w.line("  switchport trunk allowed vlan " + gr.all)
			w.line("  no shutdown")
		}
		w.nl()
	}
	w.line("interface mgmt0")
	w.line("  vrf member management")
	w.s("  ip address 10.0.1.")
	w.i(1 + gr.idx%250)
	w.line("/24")
	put(devPath(gr.nx, "show-running-config-interface.txt"), w.bytes())

	var l2 []int
	for p := 1; p <= ports; p++ {
		if host, _, core := gr.nxRole(p); host >= 0 || core {
			l2 = append(l2, p)
		}
	}

	// show interface switchport
	w = buf{b: make([]byte, 0, 1000*len(l2))}
	for _, p := range l2 {
		w.s("Name: Ethernet1/")
		w.i(p)
		w.nl()
		w.line("  Switchport: Enabled")
		w.line("  Switchport Monitor: Not enabled")
		w.line("  Switchport Isolated : Not enabled")
		w.line("  Switchport Block Multicast: Not enabled")
		w.line("  Switchport Block Unicast: Not enabled")
		w.line("  Operational Mode: trunk")
		w.line("  Access Mode VLAN: 1 (default)")
		w.line("  Trunking Native Mode VLAN: 1 (default)")
		w.line("  Trunking VLANs Allowed: " + gr.all)
		w.line("  Voice VLAN: none")
		w.line("  Extended Trust State : not trusted [COS = 0]")
		w.line("  Administrative private-vlan primary host-association: none")
		w.line("  Administrative private-vlan secondary host-association: none")
		w.line("  Administrative private-vlan primary mapping: none")
		w.line("  Administrative private-vlan secondary mapping: none")
		w.line("  Administrative private-vlan trunk native VLAN: none")
		w.line("  Administrative private-vlan trunk encapsulation: dot1q")
		w.line("  Administrative private-vlan trunk normal VLANs: none")
		w.line("  Administrative private-vlan trunk private VLANs: none")
		w.line("  Operational private-vlan: none")
	}
	put(devPath(gr.nx, "show-interfaces-switchport.txt"), w.bytes())

	// show interface trunk
	w = buf{b: make([]byte, 0, 6*48*(len(l2)+4))}
	row := func(p int, val string) {
		start := len(w.b)
		w.s("Eth1/")
		w.i(p)
		w.spaces(14 - (len(w.b) - start))
		w.line(val)
	}
	section := func(title string) {
		w.line(dashes80)
		w.line("Port          " + title)
		w.line(dashes80)
	}
	w.nl()
	w.line(dashes80)
	w.line("Port          Native  Status        Port")
	w.line("              Vlan                  Channel")
	w.line(dashes80)
	for _, p := range l2 {
		row(p, "1       trunking      --")
	}
	section("Vlans Allowed on Trunk")
	for _, p := range l2 {
		row(p, gr.all)
	}
	section("Vlans Err-disabled on Trunk")
	for _, p := range l2 {
		row(p, "none")
	}
	section("STP Forwarding")
	for _, p := range l2 {
		row(p, gr.all)
	}
	section("Vlans in spanning tree forwarding state and not pruned")
	section("Vlans Forwarding on FabricPath")
	for _, p := range l2 {
		row(p, "none")
	}
	put(devPath(gr.nx, "show-interfaces-trunk.txt"), w.bytes())

	// show cdp neighbors detail
	w = buf{b: make([]byte, 0, 360*(2*gr.n+2))}
	w.line("----------------------------------------")
	w.line("Device ID:" + gr.acc)
	w.line("VTP Management Domain Name: null")
	w.nl()
	w.line("Interface address(es):")
	w.s("    IPv4 Address: 10.0.0.")
	w.i(11 + gr.idx%200)
	w.nl()
	w.line("Platform: cisco C9300-48P, Capabilities: Router Switch IGMP Filtering")
	w.line("Interface: Ethernet1/49, Port ID (outgoing port): TenGigabitEthernet1/1/1")
	w.line("Holdtime: 134 sec")
	w.nl()
	w.line("Version:")
	w.line(iosVersion1)
	w.line(iosVersion2)
	w.line(iosVersion3)
	w.line(iosVersion4)
	w.nl()
	w.line("Advertisement Version: 2")
	w.nl()
	w.line("Native VLAN: 1")
	w.line("Duplex: full")
	w.line("Mgmt address(es):")
	w.s("    IPv4 Address: 10.0.0.")
	w.i(11 + gr.idx%200)
	w.nl()
	for p := 1; p <= 2*gr.n; p++ {
		host, uplink, _ := gr.nxRole(p)
		h := &s.hosts[host]
		w.line("----------------------------------------")
		w.line("Device ID:" + h.name + ".synth.example.net")
		w.line("VTP Management Domain Name: null")
		w.nl()
		w.line("Interface address(es): 0")
		w.line("Platform: VMware ESXi, Capabilities: Switch")
		w.s("Interface: Ethernet1/")
		w.i(p)
		w.s(", Port ID (outgoing port): vmnic")
		w.i(uplink)
		w.nl()
		w.s("Holdtime: ")
		w.i(120 + int(s.rand(6, uint64(h.idx), uint64(uplink))%60))
		w.line(" sec")
		w.nl()
		w.line("Version:")
		w.line(esxiBuild)
		w.nl()
		w.line("Advertisement Version: 2")
		w.nl()
		w.line("Duplex: full")
	}
	put(devPath(gr.nx, "show-cdp-neighbors-detail.txt"), w.bytes())

	// show lldp neighbors detail: the stack on the uplink
	w = buf{b: make([]byte, 0, 1024)}
	w.line("Capability codes:")
	w.line("  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device")
	w.line("  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other")
	w.line("Device ID            Local Intf      Hold-time  Capability  Port ID  ")
	w.nl()
	w.s("Chassis id: 70b3.171d.")
	w.hex2(gr.idx >> 8)
	w.hex2(gr.idx)
	w.nl()
	w.line("Port id: Te1/1/1")
	w.line("Local Port id: Eth1/49")
	w.line("Port Description: UPLINK " + gr.nx + " Eth1/49")
	w.line("System Name: " + gr.acc)
	w.line("System Description: " + iosVersion1)
	w.line(iosVersion2)
	w.line(iosVersion3)
	w.line(iosVersion4)
	w.line("Time remaining: 98 seconds")
	w.line("System Capabilities: B, R")
	w.line("Enabled Capabilities: B, R")
	w.s("Management Address: 10.0.0.")
	w.i(11 + gr.idx%200)
	w.nl()
	w.line("Management Address IPV6: not advertised")
	w.line("Vlan ID: 1")
	w.nl()
	w.line("Total entries displayed: 1")
	put(devPath(gr.nx, "show-lldp-neighbors-detail.txt"), w.bytes())
}
