package synth

// ESXi outputs. Formats as in collectors/parse/testdata/esxi/FORMATS.md and
// fixtures/demo: esxcli tables sized by their dashes line (numbers
// right-aligned), esxcli "Field: value" blocks indented 3 spaces,
// esxcfg-vswitch/esxcfg-nics fixed columns.

const (
	esxiBuild = "Releasebuild-24022510"
	descX550  = "Intel(R) Ethernet Controller X550"
	descX710  = "Intel(R) Ethernet Controller X710 for 10GbE SFP+"
	numPorts  = 8570
)

// failoverInherited is the failover policy of a port group that follows the
// vSwitch (vmnic0 and vmnic1 active): the same bytes for every such file.
func failoverInherited() []byte {
	var w buf
	failoverBody(&w)
	w.line("   Override Vswitch Load Balancing: false")
	w.line("   Override Vswitch Network Failure Detection: false")
	w.line("   Override Vswitch Notify Switches: false")
	w.line("   Override Vswitch Failback: false")
	w.line("   Override Vswitch Uplinks: false")
	return w.bytes()
}

func failoverBody(w *buf) {
	w.line("   Load Balancing: srcport")
	w.line("   Network Failure Detection: link")
	w.line("   Notify Switches: true")
	w.line("   Failback: true")
	w.line("   Active Adapters: vmnic0, vmnic1")
	w.line("   Standby Adapters: ")
	w.line("   Unused Adapters: ")
}

func (s *plan) renderHost(h *host, inherited []byte, put func(string, []byte)) {
	gr := &s.groups[h.grp]
	clients := make([]int, len(gr.pgs))
	used := 4 // two uplinks and two internal ports
	for k := range gr.pgs {
		clients[k] = s.clients(h, k)
		used += clients[k]
	}

	// esxcli network vswitch standard list
	var w buf
	w.b = make([]byte, 0, 1024)
	w.line("vSwitch0")
	w.line("   Name: vSwitch0")
	w.line("   Class: cswitch")
	w.s("   Num Ports: ")
	w.i(numPorts)
	w.nl()
	w.s("   Used Ports: ")
	w.i(used)
	w.nl()
	w.line("   Configured Ports: 1024")
	w.line("   MTU: 1500")
	w.line("   CDP Status: both")
	w.line("   Beacon Enabled: false")
	w.line("   Beacon Interval: 1")
	w.line("   Beacon Threshold: 3")
	w.line("   Beacon Required By: ")
	w.line("   Uplinks: vmnic0, vmnic1")
	w.s("   Portgroups: ")
	for k := len(gr.pgs) - 1; k >= 0; k-- {
		w.s(gr.pgs[k].name)
		if k > 0 {
			w.s(", ")
		}
	}
	w.nl()
	put(devPath(h.name, "vswitch-standard-list.txt"), w.bytes())

	// esxcli network vswitch standard portgroup list
	nameW := len("Name")
	for _, p := range gr.pgs {
		nameW = max(nameW, len(p.name))
	}
	w = buf{b: make([]byte, 0, 64*(len(gr.pgs)+2))}
	w.left("Name", nameW)
	w.line("  Virtual Switch  Active Clients  VLAN ID")
	for range nameW {
		w.b = append(w.b, '-')
	}
	w.line("  --------------  --------------  -------")
	for _, p := range gr.byName {
		w.left(p.name, nameW)
		w.s("  ")
		w.left("vSwitch0", 14)
		w.s("  ")
		w.rightInt(clients[p.k], 14)
		w.s("  ")
		w.rightInt(p.vlan, 7)
		w.nl()
	}
	put(devPath(h.name, "vswitch-portgroup-list.txt"), w.bytes())

	// failover policies
	w = buf{b: make([]byte, 0, 256)}
	failoverBody(&w)
	put(devPath(h.name, "vswitch-failover@vSwitch0.txt"), w.bytes())
	for _, p := range gr.pgs {
		put(devPath(h.name, p.file), inherited)
	}

	// NICs
	type nic struct {
		name, pci, driver string
		speed, mtu        int
		oui               string
		mac               int
		desc              string
	}
	a, b, c := macBytes(h.idx*4 + 0x100)
	nics := [4]nic{
		{"vmnic0", "0000:18:00.0", "ixgben", 1000, 1500, "b4:96:91:", 0, descX550},
		{"vmnic1", "0000:18:00.1", "ixgben", 1000, 1500, "b4:96:91:", 1, descX550},
		{"vmnic2", "0000:3b:00.0", "i40en", 10000, 9000, "3c:fd:fe:", 0, descX710},
		{"vmnic3", "0000:3b:00.1", "i40en", 10000, 9000, "3c:fd:fe:", 1, descX710},
	}
	mac := func(w *buf, n nic) {
		w.s(n.oui)
		w.hex2(a)
		w.b = append(w.b, ':')
		w.hex2(b)
		w.b = append(w.b, ':')
		w.hex2(c | n.mac)
	}
	w = buf{b: make([]byte, 0, 768)}
	w.line("Name    PCI Device    Driver  Admin Status  Link Status  Speed  Duplex  MAC Address         MTU  Description")
	w.line("------  ------------  ------  ------------  -----------  -----  ------  -----------------  ----  ------------------------------------------------")
	for _, n := range nics {
		w.left(n.name, 6)
		w.s("  ")
		w.left(n.pci, 12)
		w.s("  ")
		w.left(n.driver, 6)
		w.s("  Up            Up           ")
		w.rightInt(n.speed, 5)
		w.s("  Full    ")
		mac(&w, n)
		w.s("  ")
		w.rightInt(n.mtu, 4)
		w.s("  ")
		w.line(n.desc)
	}
	put(devPath(h.name, "nic-list.txt"), w.bytes())

	w = buf{b: make([]byte, 0, 640)}
	w.line("Name    PCI          Driver      Link Speed      Duplex MAC Address       MTU    Description")
	for _, n := range nics {
		w.left(n.name, 8)
		w.left(n.pci, 13)
		w.left(n.driver, 12)
		w.left("Up", 5)
		start := len(w.b)
		w.i(n.speed)
		w.s("Mbps")
		w.spaces(11 - (len(w.b) - start))
		w.left("Full", 7)
		mac(&w, n)
		w.s(" ")
		w.leftInt(n.mtu, 7)
		w.line(n.desc)
	}
	put(devPath(h.name, "esxcfg-nics.txt"), w.bytes())

	// distributed switch clients: the two uplinks and two VMs
	type dvPort struct {
		client, pg string
		id         int
	}
	vm := "vm" + pad(h.idx*2+1, 5)
	vm2 := "vm" + pad(h.idx*2+2, 5)
	dv := [4]dvPort{
		{"vmnic2", "dvportgroup-1002", 2 * h.slot},
		{"vmnic3", "dvportgroup-1002", 2*h.slot + 1},
		{vm + ".eth0", "dvportgroup-1003", 128 + 2*h.slot},
		{vm2 + ".eth0", "dvportgroup-1004", 129 + 2*h.slot},
	}

	// esxcfg-vswitch -l
	w = buf{b: make([]byte, 0, 80*(len(gr.pgs)+12))}
	w.line("Switch Name      Num Ports   Used Ports  Configured Ports  MTU     Uplinks")
	w.left("vSwitch0", 17)
	w.leftInt(numPorts, 12)
	w.leftInt(used, 12)
	w.left("1024", 18)
	w.left("1500", 8)
	w.line("vmnic0,vmnic1")
	w.nl()
	w.line("  PortGroup Name                            VLAN ID  Used Ports  Uplinks")
	for k := len(gr.pgs) - 1; k >= 0; k-- {
		w.s("  ")
		w.left(gr.pgs[k].name, 42)
		w.leftInt(gr.pgs[k].vlan, 9)
		w.leftInt(clients[k], 12)
		w.line("vmnic0,vmnic1")
	}
	w.nl()
	w.line("DVS Name         Num Ports   Used Ports  Configured Ports  MTU     Uplinks")
	w.left(gr.dvs, 17)
	w.leftInt(numPorts, 12)
	w.leftInt(len(dv)+2, 12)
	w.left("512", 18)
	w.left("9000", 8)
	w.line("vmnic3,vmnic2")
	w.nl()
	w.line("  DVPort ID                               In Use      Client")
	for _, d := range dv {
		w.s("  ")
		w.leftInt(d.id, 40)
		w.left("1", 12)
		w.line(d.client)
	}
	put(devPath(h.name, "esxcfg-vswitch.txt"), w.bytes())

	// esxcli network vswitch dvs vmware list
	w = buf{b: make([]byte, 0, 1024)}
	w.line(gr.dvs)
	w.line("   Name: " + gr.dvs)
	w.line("   VDS ID: " + gr.vdsID)
	w.line("   Class: cswitch")
	w.s("   Num Ports: ")
	w.i(numPorts)
	w.nl()
	w.s("   Used Ports: ")
	w.i(len(dv) + 2)
	w.nl()
	w.line("   Configured Ports: 512")
	w.line("   MTU: 9000")
	w.line("   CDP Status: both")
	w.line("   Beacon Timeout: -1")
	w.line("   Uplinks: vmnic3, vmnic2")
	w.line("   VMware Branded: true")
	w.line("   DVPort: ")
	for k, d := range dv {
		if k > 0 {
			w.line("      ")
		}
		w.line("         Client: " + d.client)
		w.line("         DVPortgroup ID: " + d.pg)
		w.line("         In Use: true")
		w.s("         Port ID: ")
		w.i(d.id)
		w.nl()
	}
	put(devPath(h.name, "dvs-list.txt"), w.bytes())
}
