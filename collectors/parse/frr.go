package parse

// FRRouting parsers. FRR's outputs are read as platform frr: the vtysh
// shell of an FRR router (prompt "rt1#"), or, on a Linux host, the same
// commands sent as `vtysh -c '...'` (a Linux device carries frr outputs,
// see netmodel.Platform.Carries, as it carries Open vSwitch's).
//
//   - frr-show-ip-route: `show ip route [vrf NAME|all] [json]`, the RIB as
//     zebra holds it, text or JSON (recognised by its first character).
//     One Route per next hop, as the IOS and Linux parsers give.
//   - frr-show-running-config: `show running-config`, read for the static
//     routes staticd was given (ip route / ipv6 route, at the top level and
//     in vrf blocks): Routes with Configured set. staticd only hands zebra
//     a route whose next hop resolves, so a configured static may be
//     missing from the RIB altogether: the rules compare the two.
//
// Every identifier here starts with "frr".

import (
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Order: the configuration first, then the RIB.
const (
	frrOrderConfig = 15
	frrOrderRoute  = 60
)

// Command lines as typed in vtysh ("show ip route json", "sh ip ro") or
// given to it from a shell (vtysh -c 'show ip route json', vtysh -c "sh
// run"). A filtered table (show ip route static, show ip route 10.0.0.0/8)
// is not the table: those are left to other readers.
const (
	frrVtysh = `^(?:sudo\s+)?(?:vtysh(?:\s+--?[\w-]+(?:[=\s]+[^-\s'"]\S*)?)*?\s+-c\s+)?['"]?`
	frrShow  = `(?i)sh(?:o|ow)?\s+`
)

var (
	frrRouteCmdRE = regexp.MustCompile(frrVtysh + frrShow + `ip\s+ro(?:u|ut|ute)?(?:\s+vrf\s+\S+)?(?:\s+json)?\s*['"]?\s*$`)
	frrRunCmdRE   = regexp.MustCompile(frrVtysh + frrShow + `run(?:n|ni|nin|ning|ning-|ning-c|ning-co|ning-con|ning-conf|ning-confi|ning-config)?\s*['"]?\s*$`)
)

func init() {
	register(Entry{
		Platform: netmodel.FRR, Capability: CapFRRRoute, Command: "vtysh -c 'show ip route json'",
		CommandRE: frrRouteCmdRE, Detect: frrDetectRoute, Order: frrOrderRoute,
	}, frrParseRoutes, linuxMergeRoutes)
	register(Entry{
		Platform: netmodel.FRR, Capability: CapFRRRunConfig, Command: "vtysh -c 'show running-config'",
		CommandRE: frrRunCmdRE, Detect: frrDetectRunConfig, Order: frrOrderConfig,
	}, frrParseRunConfig, linuxMergeRoutes)
}

// frrProtocols maps the route codes of `show ip route` to the protocol
// names of its JSON (and of the model).
var frrProtocols = map[byte]string{
	'K': "kernel", 'C': "connected", 'L': "local", 'S': "static", 'R': "rip", 'O': "ospf", 'I': "isis",
	'B': "bgp", 'E': "eigrp", 'N': "nhrp", 'T': "table", 'v': "vnc", 'V': "vnc-direct", 'A': "babel",
	'F': "pbr", 'f': "openfabric", 'D': "sharp",
}

// frrProtocolName returns FRR's protocol name as a constant of this
// package when it is a known one, so the model does not keep the input
// alive for it.
func frrProtocolName(p string) string {
	for _, k := range frrProtocols {
		if p == k {
			return k
		}
	}
	return p
}

// frrVRF is the model's VRF name for FRR's: "" for the default VRF.
func frrVRF(v string) string {
	if v == "default" {
		return ""
	}
	return v
}

// frrDetectRunConfig recognises FRR's `show running-config`: its header
// names the FRR version and defaults.
func frrDetectRunConfig(lines []string) bool {
	for _, l := range swanNonBlank(lines, 8) {
		if strings.HasPrefix(l, "frr version ") || strings.HasPrefix(l, "frr defaults ") {
			return true
		}
	}
	return false
}
