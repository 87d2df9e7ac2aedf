package parse

// Cisco IOS/IOS-XE and NX-OS parsers: the table entries, and what the
// parsers share (reading lines, VLAN lists, port facts and their merge).
//
// Every identifier here starts with "cisco" so that parsers of other
// platforms can live in the same package without clashing.

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Order of application of the Cisco outputs of one device: configuration
// first, operational state last, so what the switch says it does wins over
// what it was told to do.
const (
	ciscoOrderRunConfig  = 10
	ciscoOrderSwitchport = 20
	ciscoOrderTrunk      = 30
	ciscoOrderNeighbors  = 40
)

func init() {
	for _, p := range []netmodel.Platform{netmodel.IOS, netmodel.NXOS} {
		p := p
		trunkCmd, trunkDetect := "show interfaces trunk", ciscoDetectIOSTrunk
		spCmd, spDetect := "show interfaces switchport", ciscoDetectIOSSwitchport
		runCmd := "show running-config | section ^interface"
		cdpDetect, lldpDetect := ciscoDetectIOSCDP, ciscoDetectIOSLLDP
		if p == netmodel.NXOS {
			trunkCmd, trunkDetect = "show interface trunk", ciscoDetectNXOSTrunk
			spCmd, spDetect = "show interface switchport", ciscoDetectNXOSSwitchport
			runCmd = "show running-config interface"
			cdpDetect, lldpDetect = ciscoDetectNXOSCDP, ciscoDetectNXOSLLDP
		}
		runDetect := func(lines []string) bool { return ciscoDetectRunConfig(lines) == p }

		register(Entry{
			Platform: p, Capability: CapInterfacesTrunk, Command: trunkCmd,
			CommandRE: ciscoTrunkCmdRE, Detect: trunkDetect, Order: ciscoOrderTrunk,
		}, func(r io.Reader) ([]*ciscoPort, error) { return ciscoParseTrunk(r, p) }, ciscoMergePorts)

		register(Entry{
			Platform: p, Capability: CapInterfacesSwitchport, Command: spCmd,
			CommandRE: ciscoSwitchportCmdRE, Detect: spDetect, Order: ciscoOrderSwitchport,
		}, func(r io.Reader) ([]*ciscoPort, error) { return ciscoParseSwitchport(r, p) }, ciscoMergePorts)

		register(Entry{
			Platform: p, Capability: CapRunningConfigIf, Command: runCmd,
			CommandRE: ciscoRunConfigCmdRE, Detect: runDetect, Order: ciscoOrderRunConfig,
		}, func(r io.Reader) ([]*ciscoPort, error) { return ciscoParseRunConfig(r, p) }, ciscoMergePorts)

		register(Entry{
			Platform: p, Capability: CapCDPNeighborsDetail, Command: "show cdp neighbors detail",
			CommandRE: ciscoCDPCmdRE, Detect: cdpDetect, Order: ciscoOrderNeighbors,
		}, func(r io.Reader) ([]netmodel.Neighbor, error) { return ciscoParseCDP(r, p) }, ciscoMergeNeighbors)

		register(Entry{
			Platform: p, Capability: CapLLDPNeighborsDetail, Command: "show lldp neighbors detail",
			CommandRE: ciscoLLDPCmdRE, Detect: lldpDetect, Order: ciscoOrderNeighbors,
		}, func(r io.Reader) ([]netmodel.Neighbor, error) { return ciscoParseLLDP(r, p) }, ciscoMergeNeighbors)
	}
}

// ---- command lines as typed ----

// ciscoAbbr matches word or any prefix of it at least min letters long, the
// way the Cisco CLI accepts abbreviations ("int", "inte", ... "interfaces").
func ciscoAbbr(word string, min int) string {
	tail := ""
	for i := len(word) - 1; i >= min; i-- {
		tail = "(?:" + regexp.QuoteMeta(word[i:i+1]) + tail + ")?"
	}
	return regexp.QuoteMeta(word[:min]) + tail
}

var (
	// An interface typed on the command line: "Gi1/0/1", "ethernet 1/3",
	// "port-channel 10", "Po10".
	ciscoIfArg = `[A-Za-z][A-Za-z-]*\s*\d[\w/.:]*`
	ciscoShow  = `(?i)^` + ciscoAbbr("show", 2) + `\s+`
	ciscoPipe  = `(?:\s*\|.*)?$`

	// show interfaces trunk, sh int trunk, show interface Gi1/0/1 trunk, ...
	ciscoTrunkCmdRE = regexp.MustCompile(ciscoShow + ciscoAbbr("interfaces", 3) +
		`(?:\s+` + ciscoIfArg + `)?\s+` + ciscoAbbr("trunk", 2) + ciscoPipe)
	// show interfaces switchport, sh int sw, show interface Eth1/1 switchport
	ciscoSwitchportCmdRE = regexp.MustCompile(ciscoShow + ciscoAbbr("interfaces", 3) +
		`(?:\s+` + ciscoIfArg + `)?\s+` + ciscoAbbr("switchport", 2) + ciscoPipe)
	// show running-config [all] [interface [X]] [| section ^interface]
	ciscoRunConfigCmdRE = regexp.MustCompile(ciscoShow + ciscoAbbr("running-config", 3) + `(?:\s+all)?` +
		`(?:\s+` + ciscoAbbr("interface", 3) + `(?:\s+` + ciscoIfArg + `)?)?` +
		`(?:\s*\|\s*(?:` + ciscoAbbr("section", 1) + `|` + ciscoAbbr("begin", 1) + `)\s+\^?` +
		ciscoAbbr("interface", 3) + `.*)?$`)
	// show cdp neighbors [X] detail
	ciscoCDPCmdRE = regexp.MustCompile(ciscoShow + `cdp\s+` + ciscoAbbr("neighbors", 3) +
		`(?:\s+(?:` + ciscoAbbr("interface", 3) + `\s+)?` + ciscoIfArg + `)?\s+` + ciscoAbbr("detail", 3) + ciscoPipe)
	// show lldp neighbors [interface X] detail
	ciscoLLDPCmdRE = regexp.MustCompile(ciscoShow + `lldp\s+` + ciscoAbbr("neighbors", 3) +
		`(?:\s+(?:` + ciscoAbbr("interface", 3) + `\s+)?` + ciscoIfArg + `)?\s+` + ciscoAbbr("detail", 3) + ciscoPipe)
)

// ---- reading ----

// ciscoReadLines reads the whole input as lines, without CR.
func ciscoReadLines(r io.Reader) ([]string, error) { return readLines(r) }

// ciscoEmpty reports input with nothing but blank lines.
func ciscoEmpty(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return false
		}
	}
	return true
}

// ciscoErrs keeps the first located problem and counts the others.
type ciscoErrs struct {
	first *Error
	more  int
}

func (e *ciscoErrs) add(err *Error) {
	if e.first == nil {
		e.first = err
		return
	}
	e.more++
}

func (e *ciscoErrs) err() error {
	if e.first == nil {
		return nil
	}
	if e.more > 0 {
		return &Error{Line: e.first.Line, Msg: fmt.Sprintf("%s (and %d more problems)", e.first.Msg, e.more)}
	}
	return e.first
}

// ciscoKV splits "Key: value" (the key trimmed, also of a space before the
// colon as NX-OS prints "Switchport Isolated : Not enabled").
func ciscoKV(t string) (key, val string, ok bool) {
	k, v, ok := strings.Cut(t, ":")
	if !ok {
		return "", "", false
	}
	return strings.TrimSpace(k), strings.TrimSpace(v), true
}

// ciscoDashRule is a line of dashes only ("-----", table rules and entry
// separators).
func ciscoDashRule(t string) bool {
	return len(t) >= 3 && strings.Trim(t, "-") == ""
}

// ciscoLooksLikeIf reports whether a table's first column is an interface
// name: a letter first and a digit somewhere ("Gi1/0/1", "Po12", "mgmt0").
func ciscoLooksLikeIf(s string) bool {
	if s == "" || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	return strings.ContainsAny(s, "0123456789")
}

// ---- VLAN lists ----

// ciscoVLANCont matches a wrapped continuation of a VLAN list: only
// numbers, ranges and commas ("     900,910,920,930,940").
var ciscoVLANCont = regexp.MustCompile(`^[0-9][0-9,\- ]*$`)

// ciscoParseVLANs reads a VLAN list as printed, rejecting what
// netmodel.ParseVLANSet would silently misread: numbers separated by
// spaces only ("10 20" is not "1020") and signs.
func ciscoParseVLANs(s string) (netmodel.VLANSet, error) {
	t := strings.TrimSpace(s)
	for _, part := range strings.Split(t, ",") {
		if f := strings.Fields(part); len(f) > 1 {
			return netmodel.VLANSet{}, fmt.Errorf("VLAN list %q: %q lacks a comma", t, strings.TrimSpace(part))
		}
	}
	if strings.ContainsAny(t, "+") {
		return netmodel.VLANSet{}, fmt.Errorf("VLAN list %q: unexpected '+'", t)
	}
	return netmodel.ParseVLANSet(t)
}

// ciscoApplyAllowed applies the argument of "switchport trunk allowed vlan"
// to cur: a list replaces it, "add"/"remove" edit it, "except" is all but
// the list, "all"/"none". On error cur is returned unchanged.
func ciscoApplyAllowed(cur netmodel.VLANSet, arg string) (netmodel.VLANSet, error) {
	f := strings.Fields(arg)
	if len(f) == 0 {
		return cur, fmt.Errorf("allowed vlan: no VLAN list")
	}
	kw := strings.ToLower(f[0])
	switch kw {
	case "add", "remove", "except":
		if len(f) < 2 {
			return cur, fmt.Errorf("allowed vlan %s: no VLAN list", kw)
		}
		v, err := ciscoParseVLANs(strings.Join(f[1:], " "))
		if err != nil {
			return cur, err
		}
		switch kw {
		case "add":
			return cur.Union(v), nil
		case "remove":
			return cur.Minus(v), nil
		}
		return netmodel.AllVLANs().Minus(v), nil
	}
	v, err := ciscoParseVLANs(strings.Join(f, " "))
	if err != nil {
		return cur, err
	}
	return v, nil
}

// ciscoLeadingInt reads the number at the start of "1 (default)",
// "100 (Vlan not created)".
func ciscoLeadingInt(s string) (int, bool) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 0 || n > 4095 || strings.HasPrefix(f[0], "+") {
		return 0, false
	}
	return n, true
}

// ciscoMode maps a mode as "show interfaces switchport" or the
// configuration prints it to a model mode; "" when it says nothing
// usable ("down", "private-vlan host", "fex-fabric").
func ciscoMode(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	switch s {
	case "trunk":
		return netmodel.ModeTrunk
	case "access", "static access":
		return netmodel.ModeAccess
	case "dynamic auto", "dynamic desirable":
		return netmodel.ModeDynamic
	case "routed":
		return netmodel.ModeRouted
	}
	return netmodel.ModeUnknown
}

// ---- interface names ----

// ciscoIf canonicalises a local interface name.
func ciscoIf(p netmodel.Platform, name string) string {
	return netmodel.CanonicalIfName(p, name)
}

// ciscoPortChannel is the canonical name of channel-group n.
func ciscoPortChannel(p netmodel.Platform, n string) string {
	return netmodel.CanonicalIfName(p, "Po"+n)
}

// ciscoRemotePort canonicalises a neighbour's port when it is a Cisco-style
// name ("Gi0/2", "Eth1/52", "GigabitEthernet0"), and leaves other names
// (vmnic0, eth0, ether1, ge-0/0/23, 1/2.1) as they were announced.
func ciscoRemotePort(name string) string {
	name = strings.TrimSpace(name)
	i := strings.IndexAny(name, "0123456789")
	if i <= 0 {
		return name
	}
	typ, num := name[:i], name[i:]
	if !strings.Contains(num, "/") {
		// Only full Cisco names without a slash ("GigabitEthernet0",
		// "Ethernet1", "Port-channel10") are taken for Cisco names.
		c := netmodel.CanonicalIfName(netmodel.IOS, name)
		if !strings.EqualFold(strings.TrimRight(c, "0123456789/.:"), typ) {
			return name
		}
		return c
	}
	return netmodel.CanonicalIfName(netmodel.IOS, name)
}

// ---- port facts ----

// ciscoPort is what one output says about one switch port: only fields
// whose source line is set (or flag is true) are known.
type ciscoPort struct {
	Name string // canonical

	Description    string
	DescriptionSet bool

	Mode    string
	ModeSrc netmodel.Source

	AccessVLAN    int
	AccessVLANSrc netmodel.Source

	NativeVLAN    int
	NativeVLANSrc netmodel.Source

	Allowed    netmodel.VLANSet
	AllowedSrc netmodel.Source

	TrunkStatus  string
	ChannelGroup string

	PortFast    string
	PortFastSet bool

	BPDUGuard    bool
	BPDUGuardSet bool
}

// ciscoPorts keeps ports in order of first appearance.
type ciscoPorts struct {
	list  []*ciscoPort
	index map[string]*ciscoPort
}

func (ps *ciscoPorts) get(name string) *ciscoPort {
	if ps.index == nil {
		ps.index = map[string]*ciscoPort{}
	}
	if p := ps.index[name]; p != nil {
		return p
	}
	p := &ciscoPort{Name: name}
	ps.index[name] = p
	ps.list = append(ps.list, p)
	return p
}

// ciscoMergePorts writes what was read into the device's switch ports,
// stamping the file into every source.
func ciscoMergePorts(d *netmodel.Device, file, _ string, ports []*ciscoPort) {
	for _, f := range ports {
		if f == nil || f.Name == "" {
			continue
		}
		p := d.Port(f.Name)
		if f.DescriptionSet {
			p.Description = f.Description
		}
		if f.Mode != "" && f.ModeSrc.Valid() {
			p.Mode = f.Mode
			p.ModeSrc = setFile(f.ModeSrc, file)
		}
		if f.AccessVLANSrc.Valid() {
			p.AccessVLAN = f.AccessVLAN
			p.AccessVLANSrc = setFile(f.AccessVLANSrc, file)
		}
		if f.NativeVLANSrc.Valid() {
			p.NativeVLAN = f.NativeVLAN
			p.NativeVLANSrc = setFile(f.NativeVLANSrc, file)
		}
		if f.AllowedSrc.Valid() {
			p.Allowed = f.Allowed
			p.AllowedKnown = true
			p.AllowedSrc = setFile(f.AllowedSrc, file)
		}
		if f.TrunkStatus != "" {
			p.TrunkStatus = f.TrunkStatus
		}
		if f.ChannelGroup != "" {
			p.ChannelGroup = f.ChannelGroup
		}
		if f.PortFastSet {
			p.PortFast = f.PortFast
		}
		if f.BPDUGuardSet {
			p.BPDUGuard = f.BPDUGuard
		}
	}
}

// ciscoMergeNeighbors appends the neighbours read, stamping the file.
func ciscoMergeNeighbors(d *netmodel.Device, file, _ string, ns []netmodel.Neighbor) {
	for _, n := range ns {
		n.Src = setFile(n.Src, file)
		d.Neighbors = append(d.Neighbors, n)
	}
}
