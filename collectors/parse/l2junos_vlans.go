package parse

// Junos "show vlans [detail] | display json" and "show vlans".
//
// The JSON form (ELS switches: l2ng-l2ald-vlan-instance-information) lists,
// per VLAN, its tag and its member interfaces with their tagging and mode:
// that gives each port's mode and VLANs like "show ethernet-switching
// interfaces". The text form lists members without tagging:
//
//	Routing instance        VLAN name             Tag          Interfaces
//	default-switch          v100-Control           100
//	                                                           ae0.0*
//
// so it only adds the VLANs of ports whose mode is known from another output
// and whose VLANs are not.

import (
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	junosVLANsCmdRE     = regexp.MustCompile(`^show\s+vlans(?:\s+(?:detail|extensive|brief))?\s*$`)
	junosVLANsJSONCmdRE = regexp.MustCompile(`^show\s+vlans(?:\s+(?:detail|extensive))?\s*\|\s*display\s+json(?:\s*\|\s*no-more)?\s*$`)
	junosVLANsHeader    = regexp.MustCompile(`^Routing instance\s+VLAN name\s+Tag\s+Interfaces$`)
)

func init() {
	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosVLANs, Command: "show vlans",
		CommandRE: junosVLANsCmdRE, Detect: junosDetectVLANs, Order: junosL2OrderEthSwitch + 1,
	}, junosParseVLANs, junosMergeVLANMembership)
	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosVLANsJSON, Command: "show vlans detail | display json",
		CommandRE: junosVLANsJSONCmdRE, Detect: junosDetectVLANsJSON, Order: junosL2OrderEthSwitch - 1,
	}, junosParseVLANsJSON, junosL2MergeSwitchPorts)
}

func junosDetectVLANs(lines []string) bool {
	for _, l := range lines {
		if junosVLANsHeader.MatchString(strings.TrimSpace(l)) {
			return true
		}
	}
	return false
}

func junosDetectVLANsJSON(lines []string) bool {
	for i, l := range lines {
		if i > 5 {
			break
		}
		if strings.Contains(l, `"l2ng-l2ald-vlan-instance-information"`) {
			return true
		}
	}
	return false
}

// junosVLANMembership is the text form's result: per port, the VLAN tags
// it is a member of.
type junosVLANMembership struct {
	ports []*junosL2PortVLANs
}

func junosParseVLANs(r io.Reader) (junosVLANMembership, error) {
	lines, err := readLines(r)
	if err != nil {
		return junosVLANMembership{}, err
	}
	var (
		out    junosVLANMembership
		byName = map[string]*junosL2PortVLANs{}
		header bool
		tag    int
		first  error
	)
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		switch {
		case t == "" || strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"):
			continue // blank, or the {master:0} banner
		case junosVLANsHeader.MatchString(t):
			header = true
			continue
		case !header:
			continue
		}
		f := strings.Fields(t)
		if l[0] != ' ' && l[0] != '\t' {
			// instance, VLAN name, tag and maybe the first member
			tag = 0
			if len(f) < 3 {
				if first == nil {
					first = errorf(n, "unrecognised VLAN row %q", t)
				}
				continue
			}
			if v, err := strconv.Atoi(f[2]); err == nil && v > 0 && v < 4095 {
				tag = v
			}
			f = f[3:]
		}
		for _, iface := range f {
			name := junosL2Port(strings.TrimSuffix(iface, "*"))
			p := byName[name]
			if p == nil {
				p = &junosL2PortVLANs{name: name, start: n}
				byName[name] = p
				out.ports = append(out.ports, p)
			}
			p.end = n
			p.members = append(p.members, junosL2Member{tag: tag, line: n})
		}
	}
	if !header {
		return out, errorf(0, "no show vlans table")
	}
	return out, first
}

// junosMergeVLANMembership adds the VLANs of a trunk whose allowed VLANs
// no other output gave.
func junosMergeVLANMembership(d *netmodel.Device, file, _ string, m junosVLANMembership) {
	for _, p := range m.ports {
		sp := d.SwitchPorts[p.name]
		if sp == nil || sp.Mode != netmodel.ModeTrunk || sp.AllowedKnown {
			continue
		}
		var set netmodel.VLANSet
		for _, mb := range p.members {
			if mb.tag == 0 {
				set = netmodel.VLANSet{}
				break
			}
			set.Add(mb.tag)
		}
		if set.IsEmpty() {
			continue
		}
		sp.Allowed, sp.AllowedKnown, sp.AllowedSrc = set, true, setFile(netmodel.Lines(p.start, p.end), file)
	}
}

// junosJSONData is Junos's JSON value wrapper: [{"data": "..."}].
type junosJSONData []struct {
	Data string `json:"data"`
}

func (d junosJSONData) val() string {
	if len(d) == 0 {
		return ""
	}
	return d[0].Data
}

type junosVLANsJSON struct {
	Info []struct {
		Groups []struct {
			Name    junosJSONData `json:"l2ng-l2rtb-vlan-name"`
			Tag     junosJSONData `json:"l2ng-l2rtb-vlan-tag"`
			Members []struct {
				Interface junosJSONData `json:"l2ng-l2rtb-vlan-member-interface"`
				Tagness   junosJSONData `json:"l2ng-l2rtb-vlan-member-tagness"`
				Mode      junosJSONData `json:"l2ng-l2rtb-vlan-member-interface-mode"`
			} `json:"l2ng-l2rtb-vlan-member"`
		} `json:"l2ng-l2ald-vlan-instance-group"`
	} `json:"l2ng-l2ald-vlan-instance-information"`
}

func junosParseVLANsJSON(r io.Reader) ([]*netmodel.SwitchPort, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var v junosVLANsJSON
	if err := json.Unmarshal([]byte(strings.Join(lines, "\n")), &v); err != nil {
		return nil, errorf(jsonErrLine(lines, err), "not Junos show vlans JSON: %v", err)
	}
	if len(v.Info) == 0 {
		return nil, errorf(0, "no l2ng-l2ald-vlan-instance-information")
	}
	// The line of each member, for evidence: the next line (from where the
	// last one was found) holding the member's interface string.
	at := 0
	lineOf := func(s string) int {
		q := `"` + s + `"`
		for i := at; i < len(lines); i++ {
			if strings.Contains(lines[i], q) {
				at = i
				return i + 1
			}
		}
		return at + 1
	}
	var ports []*junosL2PortVLANs
	byName := map[string]*junosL2PortVLANs{}
	for _, info := range v.Info {
		for _, g := range info.Groups {
			tag, _ := strconv.Atoi(g.Tag.val())
			for _, m := range g.Members {
				raw := m.Interface.val()
				if raw == "" {
					continue
				}
				n := lineOf(raw)
				name := junosL2Port(strings.TrimSuffix(raw, "*"))
				p := byName[name]
				if p == nil {
					p = &junosL2PortVLANs{name: name, start: n}
					byName[name] = p
					ports = append(ports, p)
				}
				if n < p.start {
					p.start = n
				}
				if n > p.end {
					p.end = n
				}
				p.members = append(p.members, junosL2Member{vlan: g.Name.val(), tag: tag, tagged: m.Tagness.val(), line: n})
			}
		}
	}
	return junosL2SwitchPorts(ports), nil
}

// jsonErrLine is the line of a JSON syntax error in lines joined by "\n"
// (0 when the error has no offset).
func jsonErrLine(lines []string, err error) int {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return 0
	}
	off := int(se.Offset)
	for i, l := range lines {
		off -= len(l) + 1
		if off <= 0 {
			return i + 1
		}
	}
	return len(lines)
}
