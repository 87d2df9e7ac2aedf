package netmodel

import (
	"strings"
)

// ifKind is one interface type: its full name per platform ("" where the
// platform has no such type) and the abbreviations devices print for it.
type ifKind struct {
	ios, nxos, eos string
	short          string
	abbrevs        []string
}

var ifKinds = []ifKind{
	{"TwentyFiveGigE", "", "", "Twe", []string{"twentyfivegigabitethernet", "twentyfivegige", "twe"}},
	{"TwoGigabitEthernet", "", "", "Tw", []string{"twogigabitethernet", "twogige", "tw"}},
	{"FiveGigabitEthernet", "", "", "Fi", []string{"fivegigabitethernet", "fivegige", "fi"}},
	{"TenGigabitEthernet", "", "", "Te", []string{"tengigabitethernet", "tengige", "ten", "te"}},
	{"FortyGigabitEthernet", "", "", "Fo", []string{"fortygigabitethernet", "fortygige", "fo"}},
	{"HundredGigE", "", "", "Hu", []string{"hundredgigabitethernet", "hundredgige", "hu"}},
	{"GigabitEthernet", "", "", "Gi", []string{"gigabitethernet", "gige", "gig", "gi", "ge"}},
	{"FastEthernet", "", "", "Fa", []string{"fastethernet", "fa"}},
	{"Ethernet", "Ethernet", "Ethernet", "Eth", []string{"ethernet", "eth", "et", "e"}},
	{"Port-channel", "port-channel", "Port-Channel", "Po", []string{"port-channel", "portchannel", "po"}},
	{"Vlan", "Vlan", "Vlan", "Vl", []string{"vlan", "vl"}},
	{"Loopback", "loopback", "Loopback", "Lo", []string{"loopback", "lo"}},
	{"Tunnel", "Tunnel", "Tunnel", "Tu", []string{"tunnel", "tu"}},
	{"AppGigabitEthernet", "", "", "Ap", []string{"appgigabitethernet", "ap"}},
	{"", "", "Management", "Ma", []string{"management", "ma"}},
}

// full is the kind's full name on p, "" when p has no such type. Unknown
// platforms use the IOS names.
func (k ifKind) full(p Platform) string {
	switch p {
	case NXOS:
		return k.nxos
	case EOS:
		return k.eos
	}
	return k.ios
}

// splitIf separates the alphabetic type from the numbering ("Gi1/0/1" →
// "Gi", "1/0/1"). ok is false when the name does not look like
// type+number (vmnic0 is handled by the caller).
func splitIf(name string) (typ, num string, ok bool) {
	i := strings.IndexAny(name, "0123456789")
	if i <= 0 {
		return "", "", false
	}
	typ, num = strings.TrimSpace(name[:i]), name[i:]
	return typ, num, typ != ""
}

// CanonicalIfName returns the full, canonical name of an interface on a
// platform: on IOS "Gi1/0/1", "Gig1/0/1" and "GigabitEthernet1/0/1" are all
// "GigabitEthernet1/0/1"; on NX-OS "Eth1/1" is "Ethernet1/1" and "Po10" is
// "port-channel10"; on EOS "Po10" is "Port-Channel10" and "Ma1"
// "Management1". Names of other platforms (vmnic0, eth0, xe-0/0/0), names a
// platform has no type for (NX-OS "mgmt0", "Gi1/0/1" on NX-OS) and
// Linux-style names ("eth0": lowercase "eth" and a plain number, as a server
// announces itself over CDP/LLDP) are returned trimmed and otherwise
// unchanged.
func CanonicalIfName(p Platform, name string) string {
	name = strings.TrimSpace(name)
	switch p {
	case IOS, NXOS, EOS, PlatformUnknown:
	default:
		return name
	}
	typ, num, ok := splitIf(name)
	if !ok {
		return name
	}
	if typ == "eth" && strings.Trim(num, "0123456789") == "" {
		return name // Linux eth0, not a Cisco port
	}
	lt := strings.ToLower(typ)
	for _, k := range ifKinds {
		for _, a := range k.abbrevs {
			if lt != a {
				continue
			}
			full := k.full(p)
			if full == "" {
				return name
			}
			return full + num
		}
	}
	return name
}

// ShortIfName is the abbreviated form for display ("GigabitEthernet1/0/1" →
// "Gi1/0/1", "Ethernet1/1" → "Eth1/1"); unknown names are returned as they are.
func ShortIfName(name string) string {
	typ, num, ok := splitIf(name)
	if !ok {
		return name
	}
	for _, k := range ifKinds {
		for _, full := range [...]string{k.ios, k.nxos, k.eos} {
			if full != "" && strings.EqualFold(typ, full) {
				return k.short + num
			}
		}
	}
	return name
}

// SameIf reports whether two names denote the same interface on p.
func SameIf(p Platform, a, b string) bool {
	return strings.EqualFold(CanonicalIfName(p, a), CanonicalIfName(p, b))
}
