package parse

// Juniper EX/QFX spanning tree: "show spanning-tree interface" (ports of
// every instance) and "show spanning-tree bridge" (the bridge parameters of
// STP/RSTP). Instance 0 (the only tree of STP/RSTP, the CIST of MSTP) is
// the STPBridge with Instance ""; MSTP instance N is "MSTN".

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// The bridge parameters come before the port roles of the same tree.
const (
	junosL2OrderSTPBridge = 30
	junosL2OrderSTPIf     = 31
)

func init() {
	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosSTPIf,
		Command:   "show spanning-tree interface",
		CommandRE: junosL2STPIfCmdRE, Detect: junosL2DetectSTPIf, Order: junosL2OrderSTPIf,
	}, junosL2ParseSTPIf, junosL2MergeSTPIf)

	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosSTPBridge,
		Command:   "show spanning-tree bridge",
		CommandRE: junosL2STPBridgeCmdRE, Detect: junosL2DetectSTPBridge, Order: junosL2OrderSTPBridge,
	}, junosL2ParseSTPBridge, junosL2MergeSTPBridge)
}

var (
	// show spanning-tree interface [NAME] [brief] ("detail" is another format)
	junosL2STPIfCmdRE = regexp.MustCompile(junosShow + junosAbbr("spanning-tree", 3) + `\s+` + junosAbbr("interface", 3) +
		`(?:\s+(?:` + junosAbbr("brief", 1) + `|[a-z]{2,3}-[\w\-/.:]*|ae\d+(?:\.\d+)?))*` + junosPipe + `\s*$`)
	// show spanning-tree bridge [brief]
	junosL2STPBridgeCmdRE = regexp.MustCompile(junosShow + junosAbbr("spanning-tree", 3) + `\s+` + junosAbbr("bridge", 2) +
		`(?:\s+` + junosAbbr("brief", 1) + `)?` + junosPipe + `\s*$`)
)

const (
	junosL2STPIfTitle     = "Spanning tree interface parameters for instance"
	junosL2STPBridgeTitle = "STP bridge parameters"
)

func junosL2DetectSTPIf(lines []string) bool {
	first := junosFirstLines(lines, 1)
	return len(first) == 1 && strings.HasPrefix(first[0], junosL2STPIfTitle)
}

func junosL2DetectSTPBridge(lines []string) bool {
	first := junosFirstLines(lines, 2)
	return len(first) == 2 && first[0] == junosL2STPBridgeTitle &&
		(strings.HasPrefix(first[1], "Routing instance name") || strings.HasPrefix(first[1], "Context ID"))
}

// junosL2Instance names MSTP instance n as the model does.
func junosL2Instance(n string) string {
	if n == "0" {
		return ""
	}
	return "MST" + n
}

// junosL2Port is a spanning-tree port name without the ".0" unit of the
// non-ELS outputs, as the ethernet-switching table names it.
func junosL2Port(s string) string { return strings.TrimSuffix(s, ".0") }

var junosL2STPStates = map[string]string{
	"FWD": "forwarding", "BLK": "blocking", "DIS": "disabled", "LRN": "learning",
	"LIS": "listening", "DSC": "discarding", "DSCD": "discarding",
}

var junosL2STPRoles = map[string]string{
	"ROOT": "root", "DESG": "designated", "ALT": "alternate", "BKUP": "backup",
	"DIS": "disabled", "MSTR": "master",
}

// ---- show spanning-tree interface ----
//
//	Spanning tree interface parameters for instance 0
//
//	Interface                  Port ID    Designated         Designated         Port    State  Role
//	                                       port ID           bridge ID          Cost
//	ge-0/0/28                  128:490      128:490   8192.c8fe6a91c080        20000    FWD    DESG

func junosL2ParseSTPIf(r io.Reader) ([]*netmodel.STPBridge, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		out []*netmodel.STPBridge
		cur *netmodel.STPBridge
		e   junosErrs
	)
	for i, l := range lines {
		ln := i + 1
		t := strings.TrimSpace(l)
		if junosSkip(t) {
			continue
		}
		if msg := junosDeviceError(t); msg != "" {
			e.addf(ln, "device refused the command: %s", msg)
			continue
		}
		if rest, ok := strings.CutPrefix(t, junosL2STPIfTitle); ok {
			n := strings.TrimSpace(rest)
			if !junosDigits(n) {
				e.addf(ln, "bad instance %q", n)
				cur = nil
				continue
			}
			cur = &netmodel.STPBridge{Instance: junosL2Instance(n), LastChangeSecs: -1, Src: netmodel.Lines(ln, ln)}
			out = append(out, cur)
			continue
		}
		f := strings.Fields(t)
		if len(f) > 0 && (f[0] == "Interface" || (f[0] == "port" && len(f) >= 2 && f[1] == "ID")) {
			continue // the two header lines
		}
		if cur == nil {
			e.addf(ln, "port row before any instance title: %q", t)
			continue
		}
		if len(f) < 7 {
			e.addf(ln, "unrecognised port row %q", t)
			continue
		}
		cost, cerr := strconv.Atoi(f[4])
		state, sok := junosL2STPStates[f[5]]
		role, rok := junosL2STPRoles[f[6]]
		prio, _, _ := strings.Cut(f[1], ":")
		pr, perr := strconv.Atoi(prio)
		if cerr != nil || perr != nil || !sok || !rok {
			e.addf(ln, "unrecognised port row %q", t)
			continue
		}
		cur.Ports = append(cur.Ports, &netmodel.STPPort{
			Name: junosL2Port(f[0]), Role: role, State: state, Cost: cost, Priority: pr,
			Src: netmodel.Lines(ln, ln),
		})
		cur.Src.End = ln
	}
	if len(out) == 0 && e.first == nil && !junosBlank(lines) {
		e.addf(0, "no spanning-tree instance found")
	}
	return out, e.err()
}

// ---- show spanning-tree bridge ----
//
//	STP bridge parameters
//	Context ID                          : 0
//	Enabled protocol                    : RSTP
//	  Root ID                           : 32768.02:00:5e:10:00:01
//	  Root cost                         : 2000
//	  Root port                         : xe-0/0/5.0
//	  ...
//	  Number of topology changes        : 12
//	  Time since last topology change   : 137 seconds
//	  Topology change initiator         : xe-0/0/4.0
//	  Local parameters
//	    Bridge ID                       : 32768.02:00:5e:10:00:02

// junosL2BridgeID splits "32768.02:00:5e:10:00:01" into priority and MAC.
func junosL2BridgeID(s string) (int, string, bool) {
	p, mac, ok := strings.Cut(s, ".")
	if !ok {
		return 0, "", false
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || len(mac) != 17 || strings.Count(mac, ":") != 5 {
		return 0, "", false
	}
	return n, strings.ToLower(mac), true
}

func junosL2ParseSTPBridge(r io.Reader) ([]*netmodel.STPBridge, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var (
		b      *netmodel.STPBridge
		e      junosErrs
		rootOK bool
		brOK   bool
	)
	for i, l := range lines {
		ln := i + 1
		t := strings.TrimSpace(l)
		if junosSkip(t) {
			continue
		}
		if msg := junosDeviceError(t); msg != "" {
			e.addf(ln, "device refused the command: %s", msg)
			continue
		}
		if t == junosL2STPBridgeTitle {
			if b != nil {
				e.addf(ln, "more than one bridge section (MSTP/VSTP output is not read)")
				break
			}
			b = &netmodel.STPBridge{LastChangeSecs: -1, Src: netmodel.Lines(ln, ln)}
			continue
		}
		if t == "Local parameters" {
			continue
		}
		if b == nil {
			e.addf(ln, "line before %q: %q", junosL2STPBridgeTitle, t)
			continue
		}
		k, v, ok := junosKV(t)
		if !ok {
			e.addf(ln, "unrecognised line %q", t)
			continue
		}
		b.Src.End = ln
		num := func() (int, bool) {
			w, _, _ := strings.Cut(v, " ")
			n, err := strconv.Atoi(w)
			if err != nil || n < 0 {
				e.addf(ln, "bad %s %q", k, v)
				return 0, false
			}
			return n, true
		}
		switch k {
		case "Enabled protocol":
			b.Mode = strings.ToLower(v)
		case "Root ID":
			if b.RootPriority, b.RootMAC, rootOK = junosL2BridgeID(v); !rootOK {
				e.addf(ln, "bad root ID %q", v)
			}
		case "Bridge ID":
			if b.BridgePriority, b.BridgeMAC, brOK = junosL2BridgeID(v); !brOK {
				e.addf(ln, "bad bridge ID %q", v)
			}
		case "Root cost":
			if n, ok := num(); ok {
				b.RootCost = n
			}
		case "Root port":
			b.RootPort = junosL2Port(v)
		case "Number of topology changes":
			if n, ok := num(); ok {
				b.TopologyChanges = n
			}
		case "Time since last topology change":
			if n, ok := num(); ok {
				b.LastChangeSecs = n
			}
		case "Topology change initiator":
			b.LastChangePort = junosL2Port(v)
		}
	}
	if b == nil {
		if e.first == nil && !junosBlank(lines) {
			e.addf(0, "no %q section found", junosL2STPBridgeTitle)
		}
		return nil, e.err()
	}
	b.IsRoot = rootOK && brOK && b.RootMAC == b.BridgeMAC && b.RootPriority == b.BridgePriority
	return []*netmodel.STPBridge{b}, e.err()
}

// junosL2Tree returns the tree of d for instance, creating it from t.
func junosL2Tree(d *netmodel.Device, t *netmodel.STPBridge) (*netmodel.STPBridge, bool) {
	for _, o := range d.STP {
		if o.Instance == t.Instance {
			return o, false
		}
	}
	d.STP = append(d.STP, t)
	return t, true
}

func junosL2Stamp(t *netmodel.STPBridge, file string) {
	t.Src = setFile(t.Src, file)
	for _, p := range t.Ports {
		p.Src = setFile(p.Src, file)
	}
}

// junosL2MergeSTPIf sets the ports of each instance, keeping bridge
// parameters already read.
func junosL2MergeSTPIf(d *netmodel.Device, file, _ string, trees []*netmodel.STPBridge) {
	for _, t := range trees {
		junosL2Stamp(t, file)
		if old, added := junosL2Tree(d, t); !added {
			old.Ports = t.Ports
			if !old.Src.Valid() {
				old.Src = t.Src
			}
		}
	}
}

// junosL2MergeSTPBridge sets the bridge parameters, keeping ports already read.
func junosL2MergeSTPBridge(d *netmodel.Device, file, _ string, trees []*netmodel.STPBridge) {
	for _, t := range trees {
		junosL2Stamp(t, file)
		if old, added := junosL2Tree(d, t); !added {
			ports := old.Ports
			*old = *t
			old.Ports = ports
		}
	}
}
