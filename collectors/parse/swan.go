package parse

// strongSwan parsers (a strongSwan gateway is a Linux host, so they are
// registered under netmodel.Linux): the table entries and what they share —
// traffic selectors as strongSwan prints them, algorithm names, durations,
// and the merge of IPsec facts into a device.
//
// Every identifier here starts with "swan" so that parsers of other
// platforms can live in the same package without clashing.
//
// What the strongSwan outputs fill, and the conventions they share:
//
//   - IKEConfig / ChildConfig come from swanctl.conf, ipsec.conf,
//     `swanctl --list-conns`, `--list-pols` and the "Connections:" and
//     "Routed Connections:" parts of `ipsec statusall`. A child with local
//     TS L1..Ln and remote TS R1..Rm becomes n×m Selectors: one per policy
//     pair the kernel gets. Shunt children (mode pass/drop) are bypass
//     policies, not tunnels, and are left out.
//   - Lifetime of an IKEConfig / ChildConfig is the renewal interval the
//     daemon schedules: rekey_time (reauth_time when only that is set), as
//     `--list-conns` prints it; for ipsec.conf ikelifetime/lifetime minus
//     margintime, which is what starter hands the daemon.
//   - Lifetime of a ChildSA is its hard lifetime (installed + expires in);
//     Remaining the seconds until it expires, -1 when only the rekey time is
//     printed (ipsec statusall). strongSwan prints no hard expiry for IKE
//     SAs: IKESA.Remaining is the time until it is rekeyed or
//     reauthenticated and IKESA.Lifetime stays 0.
//   - Algorithm names go through the netmodel Norm* functions.

import (
	"io"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Order of application of the strongSwan / Linux IPsec outputs of one
// device: configuration files first, the daemon's loaded configuration,
// then the SAs, then the kernel's view (which fills in what the daemon did
// not print: encapsulation, SPIs of SAs it did not list).
const (
	swanOrderConf     = 10 // swanctl.conf, ipsec.conf
	swanOrderConns    = 20 // swanctl --list-conns
	swanOrderPols     = 25 // swanctl --list-pols
	swanOrderStatus   = 30 // ipsec statusall
	swanOrderSAs      = 40 // swanctl --list-sas
	linuxOrderXfrmPol = 45 // ip xfrm policy
	linuxOrderXfrmSt  = 50 // ip xfrm state
	linuxOrderRoute   = 60 // ip route
	linuxOrderLink    = 5  // ip -j link/addr: first, its addresses help pair xfrm states
)

// Command lines as typed: swanctl takes the command first, then its options
// (--raw, --pretty, --uri X, --ike X, ...).
const (
	swanSudo        = `^(?:sudo\s+)?`
	swanRawOrPretty = `(?:\s+(?:--raw|-r|--pretty|-P|--uri\s+\S+|-u\s+\S+|--ike\s+\S+|-i\s+\S+|--child\s+\S+|-c\s+\S+|--ike-id\s+\S+|--noblock|-N|--utc|-U|--debug\s+\d+|-v\s*\d*|--trap|-t|--drop|-d|--pass|-p))*\s*$`
	swanCatCmd      = `^(?:sudo\s+)?(?:cat|more|less|head|tail)\s+`
)

var (
	swanSAsCmdRE    = regexp.MustCompile(swanSudo + `swanctl\s+(?:--list-sas|-l)` + swanRawOrPretty)
	swanConnsCmdRE  = regexp.MustCompile(swanSudo + `swanctl\s+(?:--list-conns|-L)` + swanRawOrPretty)
	swanPolsCmdRE   = regexp.MustCompile(swanSudo + `swanctl\s+(?:--list-pols|-P)` + swanRawOrPretty)
	swanStatusCmdRE = regexp.MustCompile(swanSudo + `(?:ipsec|strongswan)\s+status(?:all)?(?:\s+\S+)?\s*$`)
	swanConfCmdRE   = regexp.MustCompile(swanCatCmd + `(?:\S*/)?swanctl(?:\.conf|/\S*)(?:\s+\S+)*\s*$`)
	swanIPsecConfRE = regexp.MustCompile(swanCatCmd + `(?:\S*/)?ipsec\.(?:conf|secrets)(?:\s+\S+)*\s*$`)
)

func init() {
	register(Entry{
		Platform: netmodel.Linux, Capability: CapSwanctlSAs, Command: "swanctl --list-sas",
		CommandRE: swanSAsCmdRE, Detect: swanDetectSAs, Order: swanOrderSAs,
	}, swanParseSAs, swanMerge)
	register(Entry{
		Platform: netmodel.Linux, Capability: CapSwanctlConns, Command: "swanctl --list-conns",
		CommandRE: swanConnsCmdRE, Detect: swanDetectConns, Order: swanOrderConns,
	}, swanParseConns, swanMerge)
	register(Entry{
		Platform: netmodel.Linux, Capability: CapSwanctlPols, Command: "swanctl --list-pols",
		CommandRE: swanPolsCmdRE, Detect: swanDetectPols, Order: swanOrderPols,
	}, swanParsePols, swanMerge)
	register(Entry{
		Platform: netmodel.Linux, Capability: CapIPsecStatus, Command: "ipsec statusall",
		CommandRE: swanStatusCmdRE, Detect: swanDetectStatus, Order: swanOrderStatus,
	}, swanParseStatus, swanMerge)
	register(Entry{
		Platform: netmodel.Linux, Capability: CapSwanctlConf,
		Command:   "cat /etc/swanctl/swanctl.conf /etc/swanctl/conf.d/*.conf",
		CommandRE: swanConfCmdRE, Detect: swanDetectConf, Order: swanOrderConf,
	}, swanParseConf, swanMerge)
	register(Entry{
		Platform: netmodel.Linux, Capability: CapIPsecConf, Command: "cat /etc/ipsec.conf",
		CommandRE: swanIPsecConfRE, Detect: swanDetectIPsecConf, Order: swanOrderConf,
	}, swanParseIPsecConf, swanMergeIPsecConf)
}

// ---- small readers ----

// swanNonBlank returns up to n non-blank lines, trimmed.
func swanNonBlank(lines []string, n int) []string {
	var out []string
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			out = append(out, t)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// swanIndent is the number of leading blanks (a tab counts as 8).
func swanIndent(l string) int {
	n := 0
	for _, c := range l {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 8
		default:
			return n
		}
	}
	return n
}

// swanAtoi parses a decimal integer, 0 on failure.
func swanAtoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// swanAtou parses a decimal unsigned integer.
func swanAtou(s string) (uint64, bool) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	return n, err == nil
}

// swanSPI parses an SPI printed in hex (with or without 0x).
func swanSPI(s string) (uint32, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "0x"), "0X")
	if i := strings.IndexByte(s, '('); i >= 0 { // ip -s xfrm: 0xc7ca2ab9(3351915193)
		s = s[:i]
	}
	n, err := strconv.ParseUint(s, 16, 32)
	return uint32(n), err == nil
}

// swanDuration reads a strongSwan time: "3600", "3600s", "60m", "1h", "1d",
// "1.5h" (ipsec.conf allows decimals for m/h/d). ok is false when s is not one.
func swanDuration(s string) (int, bool) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), `"`))
	if s == "" {
		return 0, false
	}
	mul := 1.0
	switch s[len(s)-1] {
	case 's':
		s = s[:len(s)-1]
	case 'm':
		mul, s = 60, s[:len(s)-1]
	case 'h':
		mul, s = 3600, s[:len(s)-1]
	case 'd':
		mul, s = 86400, s[:len(s)-1]
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e9 {
		return 0, false
	}
	return int(f*mul + 0.5), true
}

// swanHumanDuration reads the durations of `ipsec statusall`: "54 minutes",
// "3 hours", "7 hours", "2 days", "33 seconds", "1 second".
func swanHumanDuration(s string) (int, bool) {
	f := strings.Fields(s)
	if len(f) < 2 {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	if err != nil {
		return 0, false
	}
	unit := strings.TrimRight(f[1], ",")
	switch {
	case strings.HasPrefix(unit, "second"):
		return n, true
	case strings.HasPrefix(unit, "minute"):
		return n * 60, true
	case strings.HasPrefix(unit, "hour"):
		return n * 3600, true
	case strings.HasPrefix(unit, "day"):
		return n * 86400, true
	}
	return 0, false
}

// ---- addresses ----

// swanAddr reads one address as strongSwan prints or takes it: "172.31.0.1",
// "172.31.0.1[4500]" (port), "%any" (invalid: dynamic). Lists take the
// first address that is one.
func swanAddr(s string) (netip.Addr, uint16) {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		port := uint16(0)
		if i := strings.IndexByte(f, '['); i > 0 && strings.HasSuffix(f, "]") {
			p, err := strconv.ParseUint(f[i+1:len(f)-1], 10, 16)
			if err == nil {
				port = uint16(p)
			}
			f = f[:i]
		}
		if a, err := netip.ParseAddr(f); err == nil {
			return a.Unmap(), port
		}
	}
	return netip.Addr{}, 0
}

// ---- traffic selectors ----

// swanProtos names IP protocols as strongSwan prints and accepts them.
var swanProtos = map[string]uint8{
	"icmp": 1, "igmp": 2, "ipencap": 4, "ipip": 4, "tcp": 6, "egp": 8, "udp": 17, "ipv6": 41, "gre": 47,
	"esp": 50, "ah": 51, "ipv6-icmp": 58, "icmp6": 58, "icmpv6": 58, "ospf": 89, "pim": 103, "vrrp": 112,
	"l2tp": 115, "sctp": 132, "udplite": 136,
}

// swanServices names the ports strongSwan prints by service name (getservbyport).
var swanServices = map[string]uint16{
	"ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "bootps": 67,
	"bootpc": 68, "tftp": 69, "http": 80, "www": 80, "kerberos": 88, "pop3": 110, "ntp": 123,
	"netbios-ns": 137, "netbios-ssn": 139, "imap2": 143, "imap": 143, "snmp": 161, "snmp-trap": 162,
	"bgp": 179, "ldap": 389, "https": 443, "microsoft-ds": 445, "isakmp": 500, "syslog": 514,
	"submission": 587, "ldaps": 636, "imaps": 993, "pop3s": 995, "l2tp": 1701, "radius": 1812,
	"nfs": 2049, "mysql": 3306, "rdp": 3389, "ms-wbt-server": 3389, "ipsec-nat-t": 4500,
	"postgresql": 5432, "sip": 5060,
}

// swanTS is one traffic selector: a prefix and, optionally, a protocol and
// port range.
type swanTS struct {
	prefix netip.Prefix
	proto  uint8
	ports  netmodel.PortRange
}

// swanParseTS reads one selector as strongSwan prints it: "10.1.0.0/24",
// "10.2.0.1/32[tcp/https]", "10.1.0.0/24[tcp]", "0.0.0.0/0[udp/500]",
// "10.0.0.1..10.0.0.9" (a range becomes the smallest prefix covering it),
// "192.168.56.0/24|/0" (older versions), "10.0.0.1" (a host), "dynamic"
// (ok with an invalid prefix). ok is false when s is not a selector.
func swanParseTS(s string) (swanTS, bool) {
	var ts swanTS
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), ","))
	if s == "" {
		return ts, false
	}
	if i := strings.IndexByte(s, '['); i >= 0 {
		if !strings.HasSuffix(s, "]") {
			return ts, false
		}
		pp := s[i+1 : len(s)-1]
		s = s[:i]
		proto, port, _ := strings.Cut(pp, "/")
		switch proto = strings.ToLower(proto); proto {
		case "", "%any", "any":
		default:
			if p, ok := swanProtos[proto]; ok {
				ts.proto = p
			} else if n, err := strconv.ParseUint(proto, 10, 8); err == nil {
				ts.proto = uint8(n)
			} else {
				return ts, false
			}
		}
		switch port = strings.ToLower(port); port {
		case "", "%any", "any", "0", "0-65535", "opaque", "%opaque":
		default:
			lo, hi, rng := strings.Cut(port, "-")
			a, ok1 := swanPort(lo)
			b := a
			ok2 := true
			if rng {
				b, ok2 = swanPort(hi)
			}
			if !ok1 || !ok2 {
				return ts, false
			}
			ts.ports = netmodel.PortRange{Lo: a, Hi: b}
		}
	}
	if i := strings.IndexByte(s, '|'); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "dynamic", "%dynamic", "":
		return ts, true
	case "%any", "%any4", "0.0.0.0/0":
		ts.prefix = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		return ts, true
	case "%any6", "::/0":
		ts.prefix = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
		return ts, true
	}
	if lo, hi, ok := strings.Cut(s, ".."); ok {
		a, err1 := netip.ParseAddr(lo)
		b, err2 := netip.ParseAddr(hi)
		if err1 != nil || err2 != nil || a.Is4() != b.Is4() {
			return ts, false
		}
		ts.prefix = swanCover(a, b)
		return ts, true
	}
	if strings.IndexByte(s, '/') < 0 {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return ts, false
		}
		ts.prefix = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		return ts, true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return ts, false
	}
	ts.prefix = p.Masked()
	return ts, true
}

func swanPort(s string) (uint16, bool) {
	if p, ok := swanServices[s]; ok {
		return p, true
	}
	n, err := strconv.ParseUint(s, 10, 16)
	return uint16(n), err == nil
}

// swanCover is the smallest prefix holding both a and b.
func swanCover(a, b netip.Addr) netip.Prefix {
	for bits := a.BitLen(); bits >= 0; bits-- {
		p, _ := a.Prefix(bits)
		if p.Contains(b) {
			return p
		}
	}
	return netip.Prefix{}
}

// swanTSList reads a list of selectors separated by blanks and/or commas;
// what is not a selector is skipped and counted in bad.
func swanTSList(s string) (out []swanTS, bad int) {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if ts, ok := swanParseTS(f); ok {
			out = append(out, ts)
		} else {
			bad++
		}
	}
	return out, bad
}

// swanSelectors pairs every local selector with every remote one, the way
// the daemon installs policies. Pairs of different address families, and
// selectors that stayed dynamic, are skipped.
func swanSelectors(local, remote []swanTS) []netmodel.Selector {
	var out []netmodel.Selector
	for _, l := range local {
		for _, r := range remote {
			if !l.prefix.IsValid() || !r.prefix.IsValid() || l.prefix.Addr().Is4() != r.prefix.Addr().Is4() {
				continue
			}
			proto := l.proto
			if proto == 0 {
				proto = r.proto
			}
			out = append(out, netmodel.Selector{
				Local: l.prefix, Remote: r.prefix, Proto: proto, LocalPorts: l.ports, RemotePorts: r.ports,
			})
		}
	}
	return out
}

// swanHostTS replaces dynamic selectors by the host's address (/32, /128),
// as the daemon does: local_ts = dynamic[gre] means "my IKE address".
func swanHostTS(ts []swanTS, host netip.Addr) []swanTS {
	if !host.IsValid() {
		return ts
	}
	out := make([]swanTS, len(ts))
	for i, t := range ts {
		if !t.prefix.IsValid() {
			t.prefix = netip.PrefixFrom(host, host.BitLen())
		}
		out[i] = t
	}
	return out
}

// ---- algorithms ----

// swanAlgKind sorts an algorithm token as strongSwan prints it in SAs
// (AES_CBC-128, HMAC_SHA2_256_128, PRF_HMAC_SHA2_256, MODP_2048,
// AES_GCM_16-256, CURVE_25519, KE1_KYBER_L3, ESN/NO_EXT_SEQ).
func swanAlgKind(t string) string {
	u := strings.ToUpper(t)
	switch {
	case strings.HasPrefix(u, "PRF_"):
		return "prf"
	case strings.HasPrefix(u, "HMAC_") || strings.HasPrefix(u, "AES_XCBC") || strings.HasPrefix(u, "AES_CMAC") ||
		strings.HasPrefix(u, "CAMELLIA_XCBC") || u == "AUTH_NONE":
		return "integ"
	case strings.HasPrefix(u, "MODP_") || strings.HasPrefix(u, "ECP_") || strings.HasPrefix(u, "CURVE_") ||
		strings.HasPrefix(u, "ECC_") || strings.HasPrefix(u, "NTRU_") || strings.HasPrefix(u, "NEWHOPE"):
		return "dh"
	case strings.HasPrefix(u, "KE") && len(u) > 3 && u[2] >= '1' && u[2] <= '7' && u[3] == '_':
		return "ke" // additional key exchanges (RFC 9370): not modelled
	case u == "ESN" || u == "NO_EXT_SEQ" || u == "EXT_SEQ" || u == "NO_ESN":
		return "esn"
	}
	return "enc"
}

// swanAlgs reads a slash-separated algorithm list as printed in list-sas and
// statusall ("AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048").
func swanAlgs(s string) netmodel.Algs {
	var a netmodel.Algs
	for _, t := range strings.Split(strings.TrimSpace(s), "/") {
		if t == "" {
			continue
		}
		switch swanAlgKind(t) {
		case "prf":
			if a.PRF == "" {
				a.PRF = netmodel.NormPRF(t)
			}
		case "integ":
			if a.Integrity == "" {
				a.Integrity = netmodel.NormIntegrity(t)
			}
		case "dh":
			if a.DH == "" {
				a.DH = netmodel.NormDH(t)
			}
		case "enc":
			if a.Encryption == "" {
				a.Encryption = netmodel.NormEncryption(t)
			}
		}
	}
	return a
}

// swanKeyword sorts a proposal keyword of swanctl.conf / ipsec.conf
// (aes128, aes256gcm16, 3des, sha256, prfsha256, modp2048, ecp256, x25519,
// esn, noesn).
func swanKeyword(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	switch {
	case k == "esn" || k == "noesn":
		return "esn"
	case strings.HasPrefix(k, "prf"):
		return "prf"
	case strings.HasPrefix(k, "modp") || strings.HasPrefix(k, "ecp") || strings.HasPrefix(k, "curve") ||
		k == "x25519" || k == "x448" || strings.HasPrefix(k, "ntru") || k == "newhope128" ||
		strings.HasPrefix(k, "ke1_") || strings.HasPrefix(k, "ke2_") || strings.HasPrefix(k, "ke3_") ||
		strings.HasPrefix(k, "kyber") || strings.HasPrefix(k, "mlkem"):
		return "dh"
	case k == "md5" || k == "md5_128" || strings.HasPrefix(k, "sha") || k == "aesxcbc" || k == "aescmac" ||
		k == "camelliaxcbc" || k == "none":
		return "integ"
	}
	return "enc"
}

// swanKeywordDH normalises a DH keyword ("x25519" is curve25519).
func swanKeywordDH(k string) string {
	switch strings.ToLower(k) {
	case "x25519":
		return "curve25519"
	case "x448":
		return "curve448"
	}
	return netmodel.NormDH(k)
}

// swanProposals reads a proposal list ("aes256-sha256-modp2048,aes128-sha1-
// modp1024"); strict is true when it ended with "!" (ipsec.conf). "default"
// expands to the daemon's default for esp (ike false) or IKE (ike true).
// Unknown keywords are kept, normalised, so they still show.
func swanProposals(s string, ike bool) (props []netmodel.Proposal, strict bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if strings.HasSuffix(s, "!") {
		strict, s = true, strings.TrimSuffix(s, "!")
	}
	for _, one := range strings.Split(s, ",") {
		one = strings.TrimSpace(one)
		if one == "" {
			continue
		}
		if strings.EqualFold(one, "default") {
			props = append(props, swanDefaultProposals(ike)...)
			continue
		}
		var p netmodel.Proposal
		for _, k := range strings.Split(one, "-") {
			if k == "" {
				continue
			}
			switch swanKeyword(k) {
			case "prf":
				p.PRF = swanAppend(p.PRF, netmodel.NormPRF(k))
			case "dh":
				if strings.HasPrefix(strings.ToLower(k), "ke") && strings.Contains(k, "_") {
					continue // additional key exchanges: not modelled
				}
				p.DH = swanAppend(p.DH, swanKeywordDH(k))
			case "integ":
				p.Integrity = swanAppend(p.Integrity, netmodel.NormIntegrity(k))
			case "enc":
				p.Encryption = swanAppend(p.Encryption, netmodel.NormEncryption(k))
			}
		}
		if ike && len(p.PRF) == 0 && len(p.Integrity) > 0 {
			// "If no PRF is given, the algorithms defined for integrity are used for the PRF."
			for _, i := range p.Integrity {
				p.PRF = swanAppend(p.PRF, netmodel.NormPRF(i))
			}
		}
		props = append(props, p)
	}
	return props, strict
}

func swanAppend(l []string, s string) []string {
	if s == "" {
		return l
	}
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

func swanNorm(f func(string) string, names ...string) []string {
	var out []string
	for _, n := range names {
		out = swanAppend(out, f(n))
	}
	return out
}

// swanDefaultProposals is what charon 5.9.8 made of the keyword `default`
// (and of absent proposals in swanctl.conf), as logged by the lab's daemon
// (fixtures/lab/strongswan, scenario "defaults", charon.log "proposals ="):
//
//	IKE: AES_CBC_128/192/256 AES_CTR_* CAMELLIA_CBC_* CAMELLIA_CTR_* 3DES_CBC /
//	     HMAC_SHA2_256_128 HMAC_SHA2_384_192 HMAC_SHA2_512_256 HMAC_SHA1_96 /
//	     PRF_HMAC_SHA2_256/384/512 PRF_HMAC_SHA1 / CURVE_25519 CURVE_448 ECP_256
//	     ECP_384 ECP_521 ECP_256_BP ECP_384_BP ECP_512_BP MODP_3072 MODP_4096
//	     MODP_6144 MODP_8192 MODP_2048,
//	IKE: AES_GCM_16_* AES_CCM_16_* CHACHA20_POLY1305 AES_GCM_12_* AES_GCM_8_*
//	     AES_CCM_12_* AES_CCM_8_* / the same PRFs and groups;
//	ESP: AES_GCM_16_128/192/256 (no PFS),
//	ESP: AES_CBC_128/192/256 / HMAC_SHA2_256_128 HMAC_SHA2_384_192
//	     HMAC_SHA2_512_256 HMAC_SHA1_96 AES_XCBC_96 (no PFS).
//
// The set depends on the plugins loaded; this is the one of the lab's
// (openssl aes des sha1 sha2 md5 hmac gmp ...). AES-CTR and AES-CCM are left
// out: the model's algorithm names cannot tell them from AES-CBC.
func swanDefaultProposals(ike bool) []netmodel.Proposal {
	src := swanDefaultESP
	if ike {
		src = swanDefaultIKE
	}
	out := make([]netmodel.Proposal, len(src))
	for i, p := range src {
		out[i] = netmodel.Proposal{
			Encryption: slices.Clone(p.Encryption), Integrity: slices.Clone(p.Integrity),
			PRF: slices.Clone(p.PRF), DH: slices.Clone(p.DH),
		}
	}
	return out
}

var swanDefaultIKE, swanDefaultESP = swanMakeDefaults(true), swanMakeDefaults(false)

func swanMakeDefaults(ike bool) []netmodel.Proposal {
	if !ike {
		return []netmodel.Proposal{
			{Encryption: swanNorm(netmodel.NormEncryption, "AES_GCM_16_128", "AES_GCM_16_192", "AES_GCM_16_256")},
			{
				Encryption: swanNorm(netmodel.NormEncryption, "AES_CBC_128", "AES_CBC_192", "AES_CBC_256"),
				Integrity: swanNorm(netmodel.NormIntegrity, "HMAC_SHA2_256_128", "HMAC_SHA2_384_192",
					"HMAC_SHA2_512_256", "HMAC_SHA1_96", "AES_XCBC_96"),
			},
		}
	}
	prf := swanNorm(netmodel.NormPRF, "PRF_HMAC_SHA2_256", "PRF_HMAC_SHA2_384", "PRF_HMAC_SHA2_512", "PRF_HMAC_SHA1")
	dh := swanNorm(netmodel.NormDH, "CURVE_25519", "CURVE_448", "ECP_256", "ECP_384", "ECP_521", "ECP_256_BP",
		"ECP_384_BP", "ECP_512_BP", "MODP_3072", "MODP_4096", "MODP_6144", "MODP_8192", "MODP_2048")
	return []netmodel.Proposal{
		{
			Encryption: swanNorm(netmodel.NormEncryption, "AES_CBC_128", "AES_CBC_192", "AES_CBC_256",
				"CAMELLIA_CBC_128", "CAMELLIA_CBC_192", "CAMELLIA_CBC_256", "3DES_CBC"),
			Integrity: swanNorm(netmodel.NormIntegrity, "HMAC_SHA2_256_128", "HMAC_SHA2_384_192",
				"HMAC_SHA2_512_256", "HMAC_SHA1_96"),
			PRF: prf, DH: dh,
		},
		{
			Encryption: swanNorm(netmodel.NormEncryption, "AES_GCM_16_128", "AES_GCM_16_192", "AES_GCM_16_256",
				"CHACHA20_POLY1305", "AES_GCM_12_128", "AES_GCM_12_192", "AES_GCM_12_256", "AES_GCM_8_128",
				"AES_GCM_8_192", "AES_GCM_8_256"),
			PRF: prf, DH: dh,
		},
	}
}

// swanVersion reads "IKEv2", "IKEv1", "IKEv1/2", "2", "ikev1", "ike".
func swanVersion(s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "ikev1", "1":
		return 1
	case "ikev2", "2":
		return 2
	}
	return 0
}

// swanAuth reads an authentication method: psk / pre-shared key / secret,
// pubkey / rsasig / public key, eap-*, xauth.
func swanAuth(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return ""
	case s == "psk" || s == "secret" || strings.HasPrefix(s, "pre-shared") || s == "xauthpsk":
		return "psk"
	case s == "pubkey" || s == "rsasig" || s == "ecdsasig" || strings.HasPrefix(s, "public key") ||
		strings.HasPrefix(s, "rsa") || strings.HasPrefix(s, "ecdsa") || s == "xauthrsasig":
		return "pubkey"
	case strings.HasPrefix(s, "eap"):
		return "eap"
	case strings.HasPrefix(s, "xauth"):
		return "xauth"
	}
	return s
}

// ---- merging into a device ----

// swanMerge stamps the file into every Source and merges the IPsec facts
// into the device, completing what an earlier output (in Order) said of the
// same configuration or SA instead of listing it twice.
func swanMerge(d *netmodel.Device, file, _ string, v netmodel.IPsec) {
	x := swanIndex(d)
	for _, c := range v.IKEConfigs {
		c.Src = setFile(c.Src, file)
		c.PSK.Src = setFile(c.PSK.Src, file)
		swanMergeIKEConfig(d, x, c)
	}
	for _, c := range v.Children {
		c.Src = setFile(c.Src, file)
		swanMergeChildConfig(d, x, c)
	}
	for _, s := range v.IKESAs {
		s.Src = setFile(s.Src, file)
		swanMergeIKESA(d, x, s)
	}
	for _, s := range v.ChildSAs {
		s.Src = setFile(s.Src, file)
		swanMergeChildSA(d, x, s)
	}
}

// swanIdx indexes a device's IPsec facts for the merges (a gateway may hold
// thousands of connections).
type swanIdx struct {
	ike     map[string]*netmodel.IKEConfig
	child   map[string][]*netmodel.ChildConfig
	ikesa   map[string]*netmodel.IKESA
	in, out map[uint32]*netmodel.ChildSA
}

func swanIKESAKey(s *netmodel.IKESA) string { return s.Name + "|" + s.InitSPI + "|" + s.RespSPI }

func swanIndex(d *netmodel.Device) *swanIdx {
	x := &swanIdx{
		ike: map[string]*netmodel.IKEConfig{}, child: map[string][]*netmodel.ChildConfig{},
		ikesa: map[string]*netmodel.IKESA{}, in: map[uint32]*netmodel.ChildSA{}, out: map[uint32]*netmodel.ChildSA{},
	}
	for _, c := range d.IPsec.IKEConfigs {
		if _, dup := x.ike[c.Name]; !dup {
			x.ike[c.Name] = c
		}
	}
	for _, c := range d.IPsec.Children {
		x.child[c.Name] = append(x.child[c.Name], c)
	}
	for _, s := range d.IPsec.IKESAs {
		if s.InitSPI != "" {
			x.ikesa[swanIKESAKey(s)] = s
		}
	}
	for _, s := range d.IPsec.ChildSAs {
		x.addChildSA(s)
	}
	return x
}

func (x *swanIdx) addChildSA(s *netmodel.ChildSA) {
	if s.InSPI != 0 {
		if _, dup := x.in[s.InSPI]; !dup {
			x.in[s.InSPI] = s
		}
	}
	if s.OutSPI != 0 {
		if _, dup := x.out[s.OutSPI]; !dup {
			x.out[s.OutSPI] = s
		}
	}
}

func swanMergeIKEConfig(d *netmodel.Device, x *swanIdx, c *netmodel.IKEConfig) {
	if o := x.ike[c.Name]; o != nil {
		// ipsec.conf's left/right may have been taken the wrong way round
		if c.LocalAddr.IsValid() && c.RemoteAddr.IsValid() && c.LocalAddr != c.RemoteAddr &&
			o.LocalAddr == c.RemoteAddr && o.RemoteAddr == c.LocalAddr {
			swanTurnAround(o, d.IPsec.Children)
		}
		// The later output (the daemon's view) wins where it says something.
		if c.Version != 0 {
			o.Version = c.Version
		}
		if c.LocalAddr.IsValid() {
			o.LocalAddr = c.LocalAddr
		}
		if c.RemoteAddr.IsValid() {
			o.RemoteAddr = c.RemoteAddr
		}
		if c.LocalID != "" {
			o.LocalID = c.LocalID
		}
		if c.RemoteID != "" {
			o.RemoteID = c.RemoteID
		}
		o.Aggressive = o.Aggressive || c.Aggressive
		if c.Auth != "" {
			o.Auth = c.Auth
		}
		if len(c.Proposals) > 0 {
			o.Proposals = c.Proposals
		}
		if c.Lifetime != 0 {
			o.Lifetime = c.Lifetime
		}
		if c.PSK.Length > 0 || c.PSK.Hash != "" {
			o.PSK = c.PSK
		}
		return
	}
	x.ike[c.Name] = c
	d.IPsec.IKEConfigs = append(d.IPsec.IKEConfigs, c)
}

func swanMergeChildConfig(d *netmodel.Device, x *swanIdx, c *netmodel.ChildConfig) {
	for _, o := range x.child[c.Name] {
		if o.Name != c.Name || (o.IKE != c.IKE && o.IKE != "" && c.IKE != "") {
			continue
		}
		if o.IKE == "" {
			o.IKE = c.IKE
		}
		o.Selectors = swanUnionSelectors(o.Selectors, c.Selectors)
		if len(c.Proposals) > 0 {
			o.Proposals = c.Proposals
		}
		if c.Lifetime != 0 {
			o.Lifetime = c.Lifetime
		}
		o.RouteBased = o.RouteBased || c.RouteBased
		o.PolicyBased = (o.PolicyBased || c.PolicyBased) && !o.RouteBased
		if c.Interface != "" {
			o.Interface = c.Interface
		}
		return
	}
	x.child[c.Name] = append(x.child[c.Name], c)
	d.IPsec.Children = append(d.IPsec.Children, c)
}

func swanUnionSelectors(a, b []netmodel.Selector) []netmodel.Selector {
	for _, s := range b {
		dup := false
		for _, t := range a {
			if s == t {
				dup = true
				break
			}
		}
		if !dup {
			a = append(a, s)
		}
	}
	return a
}

func swanMergeIKESA(d *netmodel.Device, x *swanIdx, s *netmodel.IKESA) {
	if o := x.ikesa[swanIKESAKey(s)]; o != nil && s.InitSPI != "" {
		// The same SA from another output (statusall and list-sas): complete it.
		if o.Version == 0 {
			o.Version = s.Version
		}
		if !o.LocalAddr.IsValid() {
			o.LocalAddr = s.LocalAddr
		}
		if !o.RemoteAddr.IsValid() {
			o.RemoteAddr = s.RemoteAddr
		}
		if o.LocalPort == 0 {
			o.LocalPort = s.LocalPort
		}
		if o.RemotePort == 0 {
			o.RemotePort = s.RemotePort
		}
		o.State, o.Up = s.State, s.Up
		if s.Algs != (netmodel.Algs{}) {
			o.Algs = s.Algs
		}
		if s.Remaining >= 0 {
			o.Remaining = s.Remaining
		}
		o.Aggressive = o.Aggressive || s.Aggressive
		o.Src = s.Src
		return
	}
	if s.InitSPI != "" {
		x.ikesa[swanIKESAKey(s)] = s
	}
	d.IPsec.IKESAs = append(d.IPsec.IKESAs, s)
}

func swanMergeChildSA(d *netmodel.Device, x *swanIdx, s *netmodel.ChildSA) {
	// two reports of one SA pair share an SPI in the same direction (SPIs
	// are chosen by the receiver, so one direction suffices)
	o := x.in[s.InSPI]
	if o == nil || s.InSPI == 0 {
		o = x.out[s.OutSPI]
		if s.OutSPI == 0 {
			o = nil
		}
	}
	if o != nil {
		if o.Name == "" || strings.HasPrefix(o.Name, "reqid ") && s.Name != "" {
			o.Name = s.Name
		}
		if o.IKE == "" {
			o.IKE = s.IKE
		}
		if !o.LocalAddr.IsValid() {
			o.LocalAddr = s.LocalAddr
		}
		if !o.RemoteAddr.IsValid() {
			o.RemoteAddr = s.RemoteAddr
		}
		if len(o.Selectors) == 0 {
			o.Selectors = s.Selectors
		}
		if o.InSPI == 0 {
			o.InSPI = s.InSPI
		}
		if o.OutSPI == 0 {
			o.OutSPI = s.OutSPI
		}
		if o.Protocol == "" {
			o.Protocol = s.Protocol
		}
		if o.Mode == "" {
			o.Mode = s.Mode
		}
		o.Encap = o.Encap || s.Encap
		if o.Algs == (netmodel.Algs{}) {
			o.Algs = s.Algs
		} else if o.Algs.DH == "" && s.Algs.DH != "" {
			o.Algs.DH = s.Algs.DH
		}
		if s.CountersKnown && !o.CountersKnown {
			o.BytesIn, o.BytesOut, o.PacketsIn, o.PacketsOut = s.BytesIn, s.BytesOut, s.PacketsIn, s.PacketsOut
			o.CountersKnown = true
		}
		if o.Lifetime == 0 {
			o.Lifetime = s.Lifetime
		}
		if o.Remaining < 0 {
			o.Remaining = s.Remaining
		}
		if o.State == "" {
			o.State = s.State
		}
		if o.Interface == "" {
			o.Interface = s.Interface
		}
		x.addChildSA(o)
		return
	}
	x.addChildSA(s)
	d.IPsec.ChildSAs = append(d.IPsec.ChildSAs, s)
}

// swanErrs keeps the first located problem.
type swanErrs struct{ first *Error }

func (e *swanErrs) add(line int, format string, args ...any) {
	if e.first == nil {
		e.first = errorf(line, format, args...)
	}
}

func (e *swanErrs) err() error {
	if e.first == nil {
		return nil
	}
	return e.first
}

// swanRead reads the input lines (see readLines).
func swanRead(r io.Reader) ([]string, error) { return readLines(r) }
