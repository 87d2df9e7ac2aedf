package parse

// ovs-vsctl --format=json list port / list interface: OVSDB rows as
// {"headings":[...],"data":[[...]]}, where a set is ["set",[...]] (a
// one-element set is the bare value), a map ["map",[[k,v],...]] and a uuid
// ["uuid","..."]. Any --columns selection is read; absent columns leave the
// model alone.
//
// list port fills Device.SwitchPorts per port name: vlan_mode (empty: access
// when tag is set, trunk otherwise), AccessVLAN = tag for access ports,
// NativeVLAN = tag for native-tagged/native-untagged, Allowed = trunks (all
// VLANs when trunks is empty) for trunks; dot1q-tunnel ports get no mode.
// A port with more than one interface, or with lacp active/passive, is also
// a LAG: Protocol lacp (Mode = the lacp value, Rate = other_config
// lacp-time, default slow) or none (Mode = bond_mode, default
// active-backup). Members are uuids here: they come from ovs-vsctl show or
// lacp/show and bond/show.
//
// list interface fills Device.Interfaces: AdminUp from admin_state, OperUp
// from link_state.

import (
	"encoding/json"
	"io"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	ovsListPortCmdRE  = regexp.MustCompile(`^(?:sudo\s+)?ovs-vsctl(?:\s+-\S+)*\s+(?:-f\s+json\s+|--format[= ]json\s+)(?:-\S+\s+)*list\s+port(?:\s+[\w.-]+)*\s*$`)
	ovsListIfaceCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ovs-vsctl(?:\s+-\S+)*\s+(?:-f\s+json\s+|--format[= ]json\s+)(?:-\S+\s+)*list\s+interface(?:\s+[\w.-]+)*\s*$`)
)

const (
	ovsOrderListPort  = 10 // configuration: first
	ovsOrderListIface = 12
)

func init() {
	register(Entry{
		Platform: netmodel.OVS, Capability: CapOVSListPort, Command: "ovs-vsctl --format=json list port",
		CommandRE: ovsListPortCmdRE, Detect: ovsDetectListPort, Order: ovsOrderListPort,
	}, ovsParseListPort, ovsMergeListPort)
	register(Entry{
		Platform: netmodel.OVS, Capability: CapOVSListIface, Command: "ovs-vsctl --format=json list interface",
		CommandRE: ovsListIfaceCmdRE, Detect: ovsDetectListIface, Order: ovsOrderListIface,
	}, ovsParseListIface, ovsMergeListIface)
}

// ovsdbHeadings returns the headings of an OVSDB JSON table, or nil.
func ovsdbHeadings(lines []string) []string {
	head := strings.TrimSpace(strings.Join(swanNonBlank(lines, 1), ""))
	if !strings.HasPrefix(head, `{"data":[`) && !strings.HasPrefix(head, `{"headings":[`) {
		return nil
	}
	var t struct {
		Headings []string `json:"headings"`
	}
	if json.Unmarshal([]byte(strings.Join(lines, "\n")), &t) != nil {
		return nil
	}
	return t.Headings
}

func ovsHas(hs []string, names ...string) bool {
	for _, h := range hs {
		for _, n := range names {
			if h == n {
				return true
			}
		}
	}
	return false
}

func ovsDetectListPort(lines []string) bool {
	hs := ovsdbHeadings(lines)
	return ovsHas(hs, "name") && ovsHas(hs, "trunks", "tag", "vlan_mode", "bond_mode", "lacp") && !ovsHas(hs, "ofport", "admin_state")
}

func ovsDetectListIface(lines []string) bool {
	hs := ovsdbHeadings(lines)
	return ovsHas(hs, "name") && ovsHas(hs, "admin_state", "link_state", "ofport")
}

// ovsdbRows decodes the table into one map per row, heading → cell.
func ovsdbRows(r io.Reader) ([]map[string]json.RawMessage, int, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, 0, err
	}
	var t struct {
		Headings []string            `json:"headings"`
		Data     [][]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal([]byte(strings.Join(lines, "\n")), &t); err != nil {
		return nil, len(lines), errorf(0, "malformed OVSDB JSON: %v", err)
	}
	var out []map[string]json.RawMessage
	for _, row := range t.Data {
		m := map[string]json.RawMessage{}
		for i, h := range t.Headings {
			if i < len(row) {
				m[h] = row[i]
			}
		}
		out = append(out, m)
	}
	return out, len(lines), nil
}

// ovsdbAtoms returns the elements of a cell: a set's members, a map's [k,v]
// pairs (as two-element slices), or the bare value itself.
func ovsdbAtoms(raw json.RawMessage) []any {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	if a, ok := v.([]any); ok && len(a) == 2 {
		if tag, ok := a[0].(string); ok {
			switch tag {
			case "set", "map":
				items, _ := a[1].([]any)
				return items
			case "uuid", "named-uuid":
				return []any{a[1]}
			}
		}
	}
	return []any{v}
}

func ovsdbString(raw json.RawMessage) string {
	a := ovsdbAtoms(raw)
	if len(a) == 1 {
		if s, ok := a[0].(string); ok {
			return s
		}
	}
	return ""
}

func ovsdbInts(raw json.RawMessage) []int {
	var out []int
	for _, x := range ovsdbAtoms(raw) {
		if f, ok := x.(float64); ok {
			out = append(out, int(f))
		}
	}
	return out
}

func ovsdbMap(raw json.RawMessage) map[string]string {
	m := map[string]string{}
	for _, x := range ovsdbAtoms(raw) {
		if kv, ok := x.([]any); ok && len(kv) == 2 {
			k, _ := kv[0].(string)
			v, _ := kv[1].(string)
			m[k] = v
		}
	}
	return m
}

// ovsPorts is what list port gives.
type ovsPorts struct {
	Ports []*netmodel.SwitchPort
	Srcs  []netmodel.Source
	Known []map[string]bool // per port: which columns were present
	LAGs  []*netmodel.LAG
}

func ovsParseListPort(r io.Reader) (ovsPorts, error) {
	rows, n, err := ovsdbRows(r)
	var out ovsPorts
	src := netmodel.Lines(1, n)
	for _, row := range rows {
		name := ovsdbString(row["name"])
		if name == "" {
			continue
		}
		p := &netmodel.SwitchPort{Name: name}
		known := map[string]bool{}
		_, hasTag := row["tag"]
		_, hasTrunks := row["trunks"]
		_, hasMode := row["vlan_mode"]
		tags := ovsdbInts(row["tag"])
		tag := 0
		if len(tags) == 1 {
			tag = tags[0]
		}
		mode := ovsdbString(row["vlan_mode"])
		if hasMode && mode == "" && hasTag {
			mode = "trunk"
			if tag != 0 {
				mode = "access"
			}
		}
		switch mode {
		case "access":
			p.Mode, p.AccessVLAN = netmodel.ModeAccess, tag
			known["mode"], known["access"] = true, true
		case "trunk", "native-tagged", "native-untagged":
			p.Mode = netmodel.ModeTrunk
			known["mode"] = true
			if mode != "trunk" && hasTag {
				p.NativeVLAN = tag
				known["native"] = true
			}
			if hasTrunks {
				tr := ovsdbInts(row["trunks"])
				if len(tr) == 0 {
					p.Allowed = netmodel.AllVLANs()
				}
				for _, v := range tr {
					p.Allowed.Add(v)
				}
				p.AllowedKnown = true
				known["allowed"] = true
			}
		}
		out.Ports = append(out.Ports, p)
		out.Srcs = append(out.Srcs, src)
		out.Known = append(out.Known, known)

		ifaces := len(ovsdbAtoms(row["interfaces"]))
		lacp := ovsdbString(row["lacp"])
		if ifaces > 1 || lacp == "active" || lacp == "passive" {
			l := &netmodel.LAG{Name: name, Protocol: "none", Src: src}
			if lacp == "active" || lacp == "passive" {
				l.Protocol, l.Mode, l.Rate = "lacp", lacp, "slow"
				if t := ovsdbMap(row["other_config"])["lacp-time"]; t != "" {
					l.Rate = t
				}
			} else if _, ok := row["bond_mode"]; ok {
				l.Mode = ovsdbString(row["bond_mode"])
				if l.Mode == "" {
					l.Mode = "active-backup"
				}
			}
			out.LAGs = append(out.LAGs, l)
		}
	}
	return out, err
}

func ovsMergeListPort(d *netmodel.Device, file, _ string, v ovsPorts) {
	for i, p := range v.Ports {
		o := d.Port(p.Name)
		src := setFile(v.Srcs[i], file)
		k := v.Known[i]
		if k["mode"] {
			o.Mode, o.ModeSrc = p.Mode, src
		}
		if k["access"] {
			o.AccessVLAN, o.AccessVLANSrc = p.AccessVLAN, src
		}
		if k["native"] {
			o.NativeVLAN, o.NativeVLANSrc = p.NativeVLAN, src
		}
		if k["allowed"] {
			o.Allowed, o.AllowedKnown, o.AllowedSrc = p.Allowed, true, src
		}
	}
	l2linuxMergeLAGs(d, file, v.LAGs)
}

func ovsParseListIface(r io.Reader) ([]*netmodel.Interface, error) {
	rows, n, err := ovsdbRows(r)
	var out []*netmodel.Interface
	for _, row := range rows {
		name := ovsdbString(row["name"])
		if name == "" {
			continue
		}
		i := &netmodel.Interface{Name: name, Known: true, Src: netmodel.Lines(1, n)}
		i.AdminUp = ovsdbString(row["admin_state"]) == "up"
		i.OperUp = ovsdbString(row["link_state"]) == "up"
		out = append(out, i)
	}
	return out, err
}

func ovsMergeListIface(d *netmodel.Device, file, _ string, ifs []*netmodel.Interface) {
	for _, i := range ifs {
		i.Src = setFile(i.Src, file)
		o := d.FindInterface(i.Name)
		if o == nil {
			d.Interfaces = append(d.Interfaces, i)
			continue
		}
		o.AdminUp, o.OperUp, o.Known, o.Src = i.AdminUp, i.OperUp, true, i.Src
	}
}
