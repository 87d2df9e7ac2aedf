package netmodel

import "sort"

// Platform names a device operating system. The values are the ones used in
// bundle.yaml and the inventory.
type Platform string

// Platforms nettui knows.
const (
	PlatformUnknown Platform = ""
	ESXi            Platform = "esxi"
	IOS             Platform = "ios" // Cisco IOS and IOS-XE
	NXOS            Platform = "nxos"
	EOS             Platform = "eos"
	Junos           Platform = "junos"
	ASA             Platform = "asa"
	Linux           Platform = "linux"
	OVS             Platform = "ovs"
	FRR             Platform = "frr" // FRRouting (vtysh)
)

// Carries reports whether a device of platform p can hold outputs read by
// the parsers of platform q: its own, and on a Linux host those of the
// software it runs — Open vSwitch (ovs) and FRRouting (frr).
func (p Platform) Carries(q Platform) bool {
	if p == q {
		return true
	}
	for _, c := range p.Carried() {
		if c == q {
			return true
		}
	}
	return false
}

// Carried lists the platforms whose outputs a device of platform p holds
// besides its own (see Carries).
func (p Platform) Carried() []Platform {
	if p == Linux {
		return []Platform{OVS, FRR}
	}
	return nil
}

// NormPlatform maps the names people use for a platform to the model's:
// "strongswan" (a Linux gateway running strongSwan) is linux, "iosxe" is ios.
func NormPlatform(p string) Platform {
	switch p {
	case "strongswan", "libreswan":
		return Linux
	case "iosxe", "ios-xe", "cisco_ios", "cisco_xe":
		return IOS
	case "cisco_nxos", "nx-os":
		return NXOS
	case "cisco_asa":
		return ASA
	case "junos", "srx", "juniper_junos":
		return Junos
	case "arista_eos":
		return EOS
	}
	return Platform(p)
}

// Source locates what a value was read from: a file of a device's raw output
// (path relative to the bundle root, e.g. devices/esx01/nic-list.txt) and the
// 1-based inclusive line range. Parsers fill the lines; the loader fills File.
type Source struct {
	File  string `json:"file"`
	Start int    `json:"line_start"`
	End   int    `json:"line_end"`
}

// Lines returns a Source covering start..end of no file yet.
func Lines(start, end int) Source { return Source{Start: start, End: end} }

// Valid reports whether the source names at least one line.
func (s Source) Valid() bool { return s.Start > 0 }

// Snapshot is everything known about a site at one time.
type Snapshot struct {
	Site    string
	Devices []*Device
	// Links are the physical adjacencies, from CDP/LLDP on either side or
	// declared in bundle.yaml. Built by ResolveLinks.
	Links []Link
	// Declared links from bundle.yaml, as written there.
	Declared []Link
	// Expect holds the intent from bundle.yaml `expect:` (e.g. stp_root).
	Expect map[string]string
	// Files are the raw outputs the snapshot was parsed from, for evidence.
	Files []*RawFile
	// Unrecognised lists inputs that could not be used, with the reason.
	Unrecognised []Unrecognised
	// Captures summarise the packet captures of the bundle (or live).
	Captures []*Capture

	// Lookup indexes, rebuilt when the slices they index have grown.
	devIdx  map[string]*Device
	fileIdx map[string]*RawFile
	linkIdx map[Endpoint]int
}

// Device returns the named device or nil.
func (s *Snapshot) Device(name string) *Device {
	if len(s.devIdx) != len(s.Devices) {
		s.devIdx = make(map[string]*Device, len(s.Devices))
		for _, d := range s.Devices {
			if _, dup := s.devIdx[d.Name]; !dup {
				s.devIdx[d.Name] = d
			}
		}
		if len(s.devIdx) != len(s.Devices) { // duplicate names: no index
			s.devIdx = nil
			for _, d := range s.Devices {
				if d.Name == name {
					return d
				}
			}
			return nil
		}
	}
	return s.devIdx[name]
}

// File returns the raw file at path or nil.
func (s *Snapshot) File(path string) *RawFile {
	if len(s.fileIdx) != len(s.Files) {
		s.fileIdx = make(map[string]*RawFile, len(s.Files))
		for _, f := range s.Files {
			if _, dup := s.fileIdx[f.Path]; !dup {
				s.fileIdx[f.Path] = f
			}
		}
		if len(s.fileIdx) != len(s.Files) {
			s.fileIdx = nil
			for _, f := range s.Files {
				if f.Path == path {
					return f
				}
			}
			return nil
		}
	}
	return s.fileIdx[path]
}

// SortDevices orders devices by name.
func (s *Snapshot) SortDevices() {
	sort.Slice(s.Devices, func(i, j int) bool { return s.Devices[i].Name < s.Devices[j].Name })
}

// Device status values.
const (
	StatusOK      = "ok"
	StatusFailed  = "failed"
	StatusPartial = "partial"
)

// Device is one host, switch or router.
type Device struct {
	Name     string
	Platform Platform
	Status   string // ok, partial, failed
	Error    string // why the device failed, when it did
	Hostname string // as the device calls itself, when it says

	NICs        []NIC                  `json:",omitempty"`
	VSwitches   []*VSwitch             `json:",omitempty"`
	PortGroups  []*PortGroup           `json:",omitempty"`
	SwitchPorts map[string]*SwitchPort `json:",omitempty"` // keyed by canonical interface name
	Neighbors   []Neighbor             `json:",omitempty"`

	// Link aggregation and spanning tree.
	LAGs []*LAG       `json:",omitempty"`
	STP  []*STPBridge `json:",omitempty"`

	// Layer 3 and IPsec.
	Interfaces []*Interface `json:",omitempty"`
	Routes     []Route      `json:",omitempty"`
	IPsec      IPsec        `json:",omitzero"`

	// Capabilities lists what was parsed successfully (capability names).
	Capabilities []string `json:",omitempty"`
	// Errors are parse errors located in this device's files.
	Errors []*ParseError `json:",omitempty"`
}

// HasCapability reports whether cap was parsed for the device.
func (d *Device) HasCapability(cap string) bool {
	for _, c := range d.Capabilities {
		if c == cap {
			return true
		}
	}
	return false
}

// Port returns the switch port with canonical name n, creating it if needed.
func (d *Device) Port(n string) *SwitchPort {
	if d.SwitchPorts == nil {
		d.SwitchPorts = map[string]*SwitchPort{}
	}
	p := d.SwitchPorts[n]
	if p == nil {
		p = &SwitchPort{Name: n}
		d.SwitchPorts[n] = p
	}
	return p
}

// VSwitch returns the vSwitch/vDS named n, or nil.
func (d *Device) VSwitch(n string) *VSwitch {
	for _, v := range d.VSwitches {
		if v.Name == n {
			return v
		}
	}
	return nil
}

// PortGroup returns the port group named n, or nil.
func (d *Device) PortGroup(n string) *PortGroup {
	for _, p := range d.PortGroups {
		if p.Name == n {
			return p
		}
	}
	return nil
}

// FindInterface returns the layer-3/tunnel interface named n, or nil.
func (d *Device) FindInterface(n string) *Interface {
	for _, i := range d.Interfaces {
		if i.Name == n {
			return i
		}
	}
	return nil
}

// Interface returns the layer-3/tunnel interface named n, creating it.
func (d *Device) Interface(n string) *Interface {
	for _, i := range d.Interfaces {
		if i.Name == n {
			return i
		}
	}
	i := &Interface{Name: n}
	d.Interfaces = append(d.Interfaces, i)
	return i
}

// NIC returns the physical NIC named n, or nil.
func (d *Device) NIC(n string) *NIC {
	for i := range d.NICs {
		if d.NICs[i].Name == n {
			return &d.NICs[i]
		}
	}
	return nil
}

// NIC is a physical network adapter of a host (ESXi vmnic, Linux ethN).
type NIC struct {
	Name      string
	Driver    string
	MAC       string
	AdminUp   bool
	LinkUp    bool
	SpeedMbps int
	Duplex    string
	MTU       int
	Desc      string
	Src       Source
}

// VSwitchKind tells a standard vSwitch from a distributed one.
type VSwitchKind string

// vSwitch kinds.
const (
	StandardVSwitch    VSwitchKind = "standard"
	DistributedVSwitch VSwitchKind = "distributed"
)

// VSwitch is an ESXi standard vSwitch or a host's view of a distributed switch.
type VSwitch struct {
	Name       string
	Kind       VSwitchKind
	Uplinks    []string
	MTU        int
	CDPStatus  string
	PortGroups []string // names, as the vSwitch lists them
	// Teaming is the switch-level failover policy; Known is false when the
	// policy was not collected.
	Teaming Teaming
	Src     Source
}

// Load-balancing policies as esxcli names them.
const (
	LBPortID   = "srcport"
	LBMACHash  = "srcmac"
	LBIPHash   = "iphash"
	LBExplicit = "explicit" // explicit failover order
	LBLoad     = "loadbased"
)

// Teaming is a failover/teaming policy: load balancing and uplink order.
type Teaming struct {
	Known         bool
	LoadBalancing string
	Active        []string
	Standby       []string
	Unused        []string
	Src           Source
}

// Usable lists the uplinks traffic can use: active then standby.
func (t Teaming) Usable() []string {
	out := make([]string, 0, len(t.Active)+len(t.Standby))
	out = append(out, t.Active...)
	return append(out, t.Standby...)
}

// PortGroup is a standard port group (or a distributed port group when its
// VLAN is known).
type PortGroup struct {
	Name    string
	VSwitch string
	// VLAN: 0 = EST (untagged), 1-4094 = VST, 4095 = VGT (guest tagging).
	VLAN      int
	VLANKnown bool
	// Clients is the number of active clients (VMs/vmknics), -1 when unknown.
	Clients int
	// Override is the port group's failover policy when collected; when
	// Override.Known is false the vSwitch policy applies. OverrideUplinks
	// says whether the port group overrides the vSwitch's uplink order.
	Override        Teaming
	OverrideUplinks bool
	Src             Source
}

// Port modes of a switch port.
const (
	ModeUnknown = ""
	ModeAccess  = "access"
	ModeTrunk   = "trunk"
	ModeDynamic = "dynamic" // negotiated (DTP) and not trunking
	ModeRouted  = "routed"
)

// SwitchPort is a physical or logical switch port's layer-2 configuration,
// merged from every output that speaks of it. Each field remembers where it
// was read.
type SwitchPort struct {
	Name        string // canonical
	Description string

	Mode    string // ModeAccess, ModeTrunk, ...
	ModeSrc Source

	AccessVLAN    int
	AccessVLANSrc Source

	NativeVLAN    int // 0 = not known
	NativeVLANSrc Source

	Allowed      VLANSet
	AllowedKnown bool
	AllowedSrc   Source

	// Status as printed by "show interfaces trunk" (trunking, not-trunking).
	TrunkStatus string
	// ChannelGroup is the port-channel this port is a member of (canonical), if any.
	ChannelGroup string
	PortFast     string // "", "edge", "trunk", "disabled"
	BPDUGuard    bool
}

// Neighbor is one CDP or LLDP neighbour entry seen by a device.
type Neighbor struct {
	Protocol   string // cdp or lldp
	LocalPort  string // canonical local interface
	RemoteName string // device ID / system name as announced
	RemotePort string // port ID as announced (canonicalised where recognised)
	RemoteAddr string
	Platform   string
	Src        Source
}

// Endpoint is one end of a link: a device and its interface.
type Endpoint struct {
	Device string `json:"device"`
	Port   string `json:"port"`
}

func (e Endpoint) String() string { return e.Device + ":" + e.Port }

// Link joins two endpoints, learnt from CDP/LLDP on either side or declared.
type Link struct {
	A, B Endpoint
	// Seen lists every place the link shows: CDP/LLDP entries on one or both
	// ends, or the declaration in bundle.yaml.
	Seen []Sighting
}

// Sighting is one piece of evidence for a link.
type Sighting struct {
	Device string // device whose output shows it ("" for bundle.yaml)
	How    string // cdp, lldp, declared
	Src    Source
}

// RawFile is one raw output as stored in the bundle, kept for evidence.
type RawFile struct {
	Device     string
	Path       string // relative to the bundle root
	Platform   Platform
	Capability string
	Command    string
	Lines      []string // after normalisation: same count as the stored file
	Errors     []*ParseError
}

// Unrecognised is an input that was not used, and why.
type Unrecognised struct {
	Path   string `json:"path"`
	Device string `json:"device,omitempty"`
	Reason string `json:"reason"`
}
