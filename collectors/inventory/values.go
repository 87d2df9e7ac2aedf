package inventory

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/internal/netmodel"
)

// Explanations, one per kind of problem.
const (
	explainRead        = "nettui needs the inventory file to know which devices to log into."
	explainFormat      = "nettui reads its own YAML inventory, an Ansible YAML inventory or an OpenSSH config file (Host blocks)."
	explainYAML        = "The file is not valid YAML, so nothing in it can be read; fix the syntax at that line (indentation, a missing ':' or an unclosed quote are the usual causes)."
	explainTooLarge    = "Reading stops past this size so a mistaken or hostile file cannot exhaust memory."
	explainCaptureSudo = "capture_sudo: true makes the packet capture run as sudo -n tcpdump ...; the value is true or false."
	explainUnknown     = "nettui reads only the keys it knows; a misspelt key would otherwise be ignored without a word."
	explainType        = "The value has the wrong shape for this key (a list where one value is wanted, or the reverse)."
	explainDupKey      = "A key given twice in the same mapping is ambiguous: which value counts depends on the tool reading it."
	explainName        = "A device name is the folder its outputs are saved in and the name links refer to: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."
	explainNoName      = "Every device needs a name: it is the folder its outputs are saved in."
	explainDupDevice   = "Device names must be unique, also ignoring case (two devices must not share an output folder on a case-insensitive file system)."
	explainHost        = "host is the address or DNS name nettui connects to; leave the key out to let ~/.ssh/config resolve the device's name."
	explainPort        = "An SSH port is a whole number from 1 to 65535; leave it out to use ~/.ssh/config or 22."
	explainUser        = "user is the login name; leave it out to use ~/.ssh/config or the local user name."
	explainPlatform    = "The platform decides which commands nettui sends and which parsers read the outputs. Valid platforms: "
	explainNoPlat      = "nettui only sends a device the commands of its platform, so it must know it. Set platform on the device, on a group or in defaults. Valid platforms: "
	explainJump        = "A jump host must itself be a device of this inventory, so nettui knows how to reach it (address, user, port, host key)."
	explainJumpLoop    = "Following the jump hosts comes back to where it started, so no connection could ever be opened."
	explainLink        = "A link is written [device:interface, device:interface] and joins two devices of this inventory."
	explainLinkDup     = "A port is cabled to one other port; an interface in two links is a typo in one of them."
	explainExpect      = "expect says what the site should look like, for rules that compare it with what the devices report."
	explainSite        = "The site name is written into the bundle: letters, digits, '.', '_' and '-'."
	explainCommands    = "nettui sends only read-only commands from its catalog for the platform (see collectors/platform/catalog.yaml); commands: picks among them, it cannot add others."
	explainTag         = "Tags select devices and groups: letters, digits, '.', '_', '-' and '/'."
	explainGroup       = "A group gives its settings to the devices listed under it (devices) or to the devices carrying one of its match_tags."
	explainConflict    = "Two groups that both apply to this device set different values, and neither wins over the other."
	explainAnsible     = "nettui reads an Ansible YAML inventory: groups with hosts, children and vars."
	explainTemplate    = "nettui reads inventory values as written and does not evaluate Jinja templates."
	explainSSH         = "In an OpenSSH config file, each Host entry without wildcards is a device; nettui reads the platform from a comment '# nettui: platform=NAME' in the entry."
	explainInclude     = "nettui reads the devices of this file only and does not follow Include; list the devices in this file."
)

// validPlatforms is the list shown in platform problems.
func validPlatforms() string {
	var names []string
	for _, p := range platform.Platforms() {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}

// field is one setting as written: its value, where it was written, and
// whether it was given at all or given but invalid (already reported).
type field struct {
	val string
	at  pos
	set bool
	bad bool
}

// ok reports whether the field holds a usable value.
func (f field) ok() bool { return f.set && !f.bad }

// normPlatform maps the names people use (also Ansible's collection form
// cisco.ios.ios) to nettui's.
func normPlatform(s string) netmodel.Platform {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		s = s[i+1:]
	}
	switch s {
	case "esx", "vmware_esxi", "vmware-esxi":
		return netmodel.ESXi
	case "juniper":
		return netmodel.Junos
	}
	return netmodel.NormPlatform(s)
}

func (c *ctx) platformField(val string, at pos) field {
	f := field{val: val, at: at, set: true}
	p := normPlatform(val)
	if slices.Contains(platform.Platforms(), p) {
		f.val = string(p)
		return f
	}
	f.bad = true
	switch {
	case strings.TrimSpace(val) == "":
		c.problem(at, "platform is empty", explainPlatform+validPlatforms()+".")
	case p == netmodel.OVS:
		c.problem(at, "platform ovs: Open vSwitch is collected from its Linux host; use platform: linux", explainPlatform+validPlatforms()+".")
	default:
		c.problemf(at, explainPlatform+validPlatforms()+".", "unknown platform %q%s", val, didYouMean(strings.ToLower(val), platformNames()))
	}
	return f
}

func platformNames() []string {
	var out []string
	for _, p := range platform.Platforms() {
		out = append(out, string(p))
	}
	return out
}

func (c *ctx) portField(val string, at pos) field {
	f := field{val: val, at: at, set: true}
	n, err := strconv.Atoi(strings.TrimSpace(val))
	if err != nil || n < 1 || n > 65535 {
		f.bad = true
		c.problemf(at, explainPort, "port %q is not a port number (1-65535)", val)
		return f
	}
	f.val = strconv.Itoa(n)
	return f
}

// hostOK accepts an IP address or a DNS name / SSH alias: no spaces, no
// leading '-' (it would be read as an ssh option), nothing a shell or the
// ssh command line treats specially.
func hostOK(s string) bool {
	if s == "" || len(s) > 253 || s[0] == '-' || s[0] == '.' {
		return false
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	for i := 0; i < len(s); i++ {
		if !alnum(s[i]) && strings.IndexByte("._-", s[i]) < 0 {
			return false
		}
	}
	return true
}

func (c *ctx) hostField(val string, at pos) field {
	f := field{val: val, at: at, set: true}
	switch {
	case val == "":
		f.bad = true
		c.problem(at, "host is empty", explainHost)
	case !hostOK(val):
		f.bad = true
		c.problemf(at, explainHost, "host %q is not an IP address or host name", val)
	}
	return f
}

func userOK(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !alnum(s[i]) && strings.IndexByte("._-@\\", s[i]) < 0 {
			return false
		}
	}
	return true
}

func (c *ctx) userField(val string, at pos) field {
	f := field{val: val, at: at, set: true}
	switch {
	case val == "":
		f.bad = true
		c.problem(at, "user is empty", explainUser)
	case !userOK(val):
		f.bad = true
		c.problemf(at, explainUser, "user %q has characters a login name does not have", val)
	}
	return f
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

// NameOK reports whether s is a valid device name: safe as a folder name
// and in a device:interface link endpoint.
func NameOK(s string) bool {
	if s == "" || len(s) > 64 || !alnum(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !alnum(s[i]) && strings.IndexByte("._-", s[i]) < 0 {
			return false
		}
	}
	return true
}

func (c *ctx) nameField(val string, at pos) field {
	f := field{val: val, at: at, set: true}
	switch {
	case val == "":
		f.bad = true
		c.problem(at, "device name is empty", explainNoName)
	case !NameOK(val):
		f.bad = true
		c.problemf(at, explainName, "device name %q cannot be used as a folder name", val)
	}
	return f
}

// jumpField checks the syntax of a jump; that it names a device, and that
// jumps do not loop, is checked once every device is known.
func (c *ctx) jumpField(val string, at pos) field {
	f := field{val: val, at: at, set: true}
	if !NameOK(val) {
		f.bad = true
		c.problemf(at, explainJump, "jump %q is not a device name", val)
	}
	return f
}

func (c *ctx) siteField(val string, at pos) field {
	f := field{val: val, at: at, set: true}
	if !NameOK(val) {
		f.bad = true
		c.problemf(at, explainSite, "site %q is not a usable site name", val)
	}
	return f
}

func tagOK(s string) bool {
	if s == "" || len(s) > 64 || !alnum(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !alnum(s[i]) && strings.IndexByte("._-/", s[i]) < 0 {
			return false
		}
	}
	return true
}

// ifaceOK accepts an interface name as a device prints it.
func ifaceOK(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' || s[i] == ',' || s[i] == '[' || s[i] == ']' {
			return false
		}
	}
	return true
}

// didYouMean suggests the closest of candidates to s, or lists them all.
func didYouMean(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, cand := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(cand))
		if d < bestD {
			best, bestD = cand, d
		}
	}
	limit := 2
	if len(s) <= 3 {
		limit = 1
	}
	if best != "" && (bestD <= limit || strings.HasPrefix(strings.ToLower(best), strings.ToLower(s)) && len(s) >= 3) {
		return "; did you mean " + best + "?"
	}
	if len(candidates) == 0 || len(candidates) > 8 {
		return ""
	}
	return " (want one of " + strings.Join(candidates, ", ") + ")"
}

// editDistance is the Levenshtein distance, on bytes, capped for long input.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
