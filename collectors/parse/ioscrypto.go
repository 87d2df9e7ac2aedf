package parse

// Cisco IOS/IOS-XE IPsec and routing parsers (this file, ioscrypto_*.go and
// iosroute.go) and the Cisco ASA ones (asa*.go). The two platforms print
// much the same IPsec state ("show crypto ipsec sa" differs in a few
// punctuation marks), so the readers of shared formats live here and take
// the platform.
//
// Identifiers start with "ioscr" (shared and IOS), "iosroute" or "asa" so
// that parsers of other platforms can live in the same package.

import (
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Order of application of one device's IPsec and routing outputs:
// configuration first, then the SAs, then what enriches them (the ASA
// session database adds byte counters to SAs read before).
const (
	ioscrOrderConfig    = 10
	ioscrOrderCryptoMap = 15
	ioscrOrderIKESA     = 30
	ioscrOrderIPsecSA   = 40
	ioscrOrderSession   = 50
	ioscrOrderRoute     = 60
)

func init() {
	p := netmodel.IOS
	register(Entry{
		Platform: p, Capability: CapIOSIsakmpSA, Command: "show crypto isakmp sa detail",
		CommandRE: ioscrIsakmpCmdRE, Detect: ioscrDetectIsakmp, Order: ioscrOrderIKESA,
	}, ioscrParseIsakmp, ioscrMergeIKESAs)
	register(Entry{
		Platform: p, Capability: CapIOSIKEv2SA, Command: "show crypto ikev2 sa detailed",
		CommandRE: ioscrIKEv2CmdRE, Detect: ioscrDetectIKEv2, Order: ioscrOrderIKESA,
	}, ioscrParseIKEv2, ioscrMergeIKESAs)
	register(Entry{
		Platform: p, Capability: CapIPsecSA, Command: "show crypto ipsec sa",
		CommandRE: ioscrIPsecCmdRE, Detect: func(l []string) bool { return ioscrDetectIPsecSA(l) == netmodel.IOS },
		Order: ioscrOrderIPsecSA,
	}, func(r io.Reader) ([]*netmodel.ChildSA, error) { return ioscrParseIPsecSA(r, netmodel.IOS) }, ioscrMergeChildSAs)
	register(Entry{
		Platform: p, Capability: CapIOSCryptoMap, Command: "show crypto map",
		CommandRE: ioscrMapCmdRE, Detect: ioscrDetectCryptoMap, Order: ioscrOrderCryptoMap,
	}, ioscrParseCryptoMap, ioscrMergeConfig)
	register(Entry{
		Platform: p, Capability: CapRunningConfigVPN,
		Command:   "show running-config | section crypto|access-list|interface Tunnel",
		CommandRE: ioscrRunCmdRE, Detect: func(l []string) bool { return ioscrDetectRunConfig(l) == netmodel.IOS },
		Order: ioscrOrderConfig,
	}, ioscrParseRunConfig, ioscrMergeConfig)
	register(Entry{
		Platform: p, Capability: CapIPRoute, Command: "show ip route",
		CommandRE: iosrouteCmdRE, Detect: func(l []string) bool { return iosrouteDetect(l) == netmodel.IOS },
		Order: ioscrOrderRoute,
	}, func(r io.Reader) ([]netmodel.Route, error) { return iosrouteParse(r, netmodel.IOS) }, iosrouteMerge)
}

// ---- command lines as typed ----

// ioscrAbbr matches word or any prefix of it at least min letters long, the
// way the Cisco CLI takes abbreviations ("cry", "crypto").
func ioscrAbbr(word string, min int) string {
	tail := ""
	for i := len(word) - 1; i >= min; i-- {
		tail = "(?:" + regexp.QuoteMeta(word[i:i+1]) + tail + ")?"
	}
	return regexp.QuoteMeta(word[:min]) + tail
}

var (
	ioscrShow   = `(?i)^` + ioscrAbbr("show", 2) + `\s+`
	ioscrCrypto = ioscrShow + ioscrAbbr("crypto", 3) + `\s+`
	ioscrPipe   = `(?:\s*\|.*)?$`
	ioscrArg    = `(?:\s+\S+)`

	// show crypto isakmp sa [detail] [...]
	ioscrIsakmpCmdRE = regexp.MustCompile(ioscrCrypto + ioscrAbbr("isakmp", 3) + `\s+sa` +
		`(?:\s+` + ioscrAbbr("detail", 3) + `)?` + ioscrArg + `*` + ioscrPipe)
	// show crypto ikev2 sa [detailed]
	ioscrIKEv2CmdRE = regexp.MustCompile(ioscrCrypto + `ikev2\s+sa` + ioscrArg + `*` + ioscrPipe)
	// show crypto ipsec sa [detail] [peer X | interface X | map X ...]
	ioscrIPsecCmdRE = regexp.MustCompile(ioscrCrypto + ioscrAbbr("ipsec", 2) + `\s+sa` + ioscrArg + `*` + ioscrPipe)
	// show crypto map [tag X | interface X]
	ioscrMapCmdRE = regexp.MustCompile(ioscrCrypto + ioscrAbbr("map", 2) + ioscrArg + `*` + ioscrPipe)
	// show running-config | section crypto|access-list|interface Tunnel,
	// show run | s crypto, show run | include crypto ...
	ioscrRunCmdRE = regexp.MustCompile(ioscrShow + ioscrAbbr("running-config", 3) + `(?:\s+all)?` +
		`\s*\|\s*(?:` + ioscrAbbr("section", 1) + `|` + ioscrAbbr("include", 1) + `|` + ioscrAbbr("begin", 1) + `)\s+` +
		`.*(?i:crypto|isakmp|ikev2|ipsec|access-list|tunnel).*$`)
)

// ---- reading ----

// ioscrDeviceErr finds the device's refusal of the command ("% Invalid
// input detected at '^' marker.") and returns it as a located error.
func ioscrDeviceErr(lines []string) *Error {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.IndexByte("%EeIsS", t[0]) < 0 {
			continue
		}
		for _, p := range deviceErrorPrefixes {
			if strings.HasPrefix(t, p) {
				return errorf(i+1, "the device refused the command: %s", t)
			}
		}
	}
	return nil
}

// ioscrErrs keeps the first located problem and counts the others.
type ioscrErrs struct {
	first *Error
	more  int
}

func (e *ioscrErrs) add(err *Error) {
	if err == nil {
		return
	}
	if e.first == nil {
		e.first = err
		return
	}
	e.more++
}

func (e *ioscrErrs) addf(line int, format string, args ...any) { e.add(errorf(line, format, args...)) }

func (e *ioscrErrs) err() error {
	if e.first == nil {
		return nil
	}
	if e.more > 0 {
		return &Error{Line: e.first.Line, Msg: fmt.Sprintf("%s (and %d more problems)", e.first.Msg, e.more)}
	}
	return e.first
}

// ioscrBlank reports input with nothing but blank lines.
func ioscrBlank(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return false
		}
	}
	return true
}

// ioscrStart reads the lines and checks for empty output and a device
// refusal; done is true when there is nothing more to read.
func ioscrStart(r io.Reader, emptyIsError bool) (lines []string, done bool, err error) {
	lines, err = readLines(r)
	if err != nil {
		return nil, true, err
	}
	if ioscrBlank(lines) {
		if emptyIsError {
			return lines, true, errorf(0, "empty output")
		}
		return lines, true, nil
	}
	if e := ioscrDeviceErr(lines); e != nil {
		return lines, true, e
	}
	return lines, false, nil
}

// ioscrKV splits "Key: value" and "Key = value".
func ioscrKV(t string) (key, val string, ok bool) {
	i := strings.IndexAny(t, ":=")
	if i < 0 {
		return "", "", false
	}
	return strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+1:]), true
}

// ioscrAfter returns the text after the first occurrence of key in s,
// trimmed, up to the next comma.
func ioscrAfter(s, key string) (string, bool) {
	i := strings.Index(s, key)
	if i < 0 {
		return "", false
	}
	v := s[i+len(key):]
	if j := strings.IndexByte(v, ','); j >= 0 {
		v = v[:j]
	}
	return strings.TrimSpace(v), true
}

// ioscrAddr parses an address, also "1.2.3.4/500" (address/port) and
// "1.2.3.4 port 500"; port is 0 when none was printed.
func ioscrAddr(s string) (netip.Addr, uint16, bool) {
	s = strings.TrimSpace(s)
	if f := strings.Fields(s); len(f) > 0 {
		s = f[0]
	}
	s = strings.TrimRight(s, ",")
	var port uint16
	if i := strings.LastIndexByte(s, '/'); i > 0 {
		n, err := strconv.ParseUint(s[i+1:], 10, 16)
		if err != nil {
			return netip.Addr{}, 0, false
		}
		port, s = uint16(n), s[:i]
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, 0, false
	}
	return a.Unmap(), port, true
}

// ioscrSPI reads an SPI as printed: "0x50A0FB1C(1352727324)",
// "0x1E8246FC (511854332)", "DC15BF68", "0xbe064bdc".
func ioscrSPI(s string) (uint32, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if s == "" || len(s) > 8 {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, false
	}
	return uint32(n), true
}

// ioscrAtoi reads a non-negative decimal.
func ioscrAtoi(s string) (int, bool) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || strings.HasPrefix(s, "+") {
		return 0, false
	}
	return n, true
}

// ioscrClock reads a remaining time "00:01:47" or "12:47:36" as seconds.
func ioscrClock(s string) (int, bool) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	total := 0
	for _, p := range parts {
		n, ok := ioscrAtoi(p)
		if !ok {
			return 0, false
		}
		total = total*60 + n
	}
	return total, true
}

// ---- algorithms ----

// ioscrEncName normalises a Cisco encryption name: IOS transforms
// ("esp-aes", "esp-256-aes", "esp-gcm", "esp-3des"), ASA transforms and
// proposals ("esp-aes-256", "aes-gcm-256", "aes-256"), IKEv2 proposals
// ("aes-cbc-256") and "show" columns ("AES-CBC" with a key size). A bare
// "esp-aes" or "esp-gcm" is the 128-bit default of the transform.
func ioscrEncName(s string, keysize int) string {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "esp-")
	// IOS puts the key size first: esp-256-aes, esp-192-aes, esp-256-gcm.
	for _, k := range []string{"128-", "192-", "256-"} {
		if strings.HasPrefix(t, k) {
			t = strings.TrimPrefix(t, k) + "-" + strings.TrimSuffix(k, "-")
		}
	}
	if strings.HasPrefix(t, "gcm") { // esp-gcm [256]
		t = "aes-" + t
	}
	if keysize > 0 && !strings.ContainsAny(t, "0123456789") {
		t += "-" + strconv.Itoa(keysize)
	}
	return netmodel.NormEncryption(t)
}

// ioscrIntegName normalises a Cisco integrity name: "esp-sha-hmac",
// "esp-sha256-hmac", "sha-512", "SHA96" (HMAC-SHA1-96), "MD596", "sha".
// "N/A" and "null" (AES-GCM) are "".
func ioscrIntegName(s string) string {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "", "n/a", "null", "none", "esp-none":
		return ""
	case "sha96":
		t = "sha1"
	case "md596":
		t = "md5"
	}
	return netmodel.NormIntegrity(t)
}

// ioscrTransform reads the algorithms of a transform set as printed:
// "esp-256-aes esp-sha-hmac", "esp-aes-256 esp-md5-hmac no compression",
// "esp-gcm", "esp-aes 256 esp-sha256-hmac" (configuration).
func ioscrTransform(words []string) (enc, integ string) {
	for i := 0; i < len(words); i++ {
		w := strings.ToLower(strings.Trim(words[i], ",{}"))
		switch {
		case w == "" || w == "no" || w == "compression" || strings.HasPrefix(w, "comp-") || w == "mode":
		case strings.Contains(w, "hmac") || strings.Contains(w, "xcbc") || strings.Contains(w, "gmac"):
			if integ == "" {
				integ = ioscrIntegName(w)
			}
		case strings.HasPrefix(w, "esp-") || strings.HasPrefix(w, "ah-"):
			if enc != "" {
				continue
			}
			size := 0
			if i+1 < len(words) {
				if n, ok := ioscrAtoi(strings.Trim(words[i+1], ",")); ok && (n == 128 || n == 192 || n == 256) {
					size = n
					i++
				}
			}
			if w == "esp-null" || w == "esp-none" {
				enc = "null"
				continue
			}
			if strings.HasPrefix(w, "ah-") {
				continue
			}
			enc = ioscrEncName(w, size)
		}
	}
	return enc, integ
}

// ioscrDH normalises a DH group as printed: "group14", "14", "group 14".
func ioscrDH(s string) string {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" || t == "none" || t == "0" || t == "no" || t == "n/a" {
		return ""
	}
	return netmodel.NormDH(t)
}

// ---- addresses and selectors ----

// ioscrMaskBits reads a netmask ("255.255.255.0") as a prefix length.
func ioscrMaskBits(s string) (int, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, false
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	n := 0
	for v&0x80000000 != 0 {
		n++
		v <<= 1
	}
	if v != 0 {
		return 0, false // not contiguous
	}
	return n, true
}

// ioscrWildcardBits reads an ACL wildcard ("0.0.0.255") as a prefix length.
func ioscrWildcardBits(s string) (int, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, false
	}
	b := a.As4()
	inv := netip.AddrFrom4([4]byte{^b[0], ^b[1], ^b[2], ^b[3]})
	return ioscrMaskBits(inv.String())
}

// ioscrPrefix builds the prefix of an address and a mask or wildcard.
func ioscrPrefix(addr, mask string, wildcard bool) (netip.Prefix, bool) {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return netip.Prefix{}, false
	}
	var bits int
	var ok bool
	if wildcard {
		bits, ok = ioscrWildcardBits(mask)
	} else {
		bits, ok = ioscrMaskBits(mask)
	}
	if !ok {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a.Unmap(), bits).Masked(), true
}

// ioscrHost is the host prefix of a.
func ioscrHost(a netip.Addr) netip.Prefix { return netip.PrefixFrom(a, a.BitLen()) }

// ioscrAny is 0.0.0.0/0.
var ioscrAny = netip.MustParsePrefix("0.0.0.0/0")

// ioscrIdent reads a "show crypto ipsec sa" identity
// "(15.0.0.5/255.255.255.255/0/0)" or an ASA session-database address
// "169.254.44.0/255.255.252.0/0/0", "10.0.0.0/255.255.255.0".
func ioscrIdent(s string) (p netip.Prefix, proto uint8, port ioscrPortNum, ok bool) {
	s = strings.Trim(strings.TrimSpace(s), "()")
	parts := strings.Split(s, "/")
	if len(parts) < 2 {
		return netip.Prefix{}, 0, 0, false
	}
	a, err := netip.ParseAddr(parts[0])
	if err != nil {
		return netip.Prefix{}, 0, 0, false
	}
	if a.Is4() {
		p, ok = ioscrPrefix(parts[0], parts[1], false)
	} else {
		n, okn := ioscrAtoi(parts[1])
		ok = okn && n <= 128
		if ok {
			p = netip.PrefixFrom(a, n).Masked()
		}
	}
	if !ok {
		return netip.Prefix{}, 0, 0, false
	}
	if len(parts) >= 3 {
		n, okp := ioscrAtoi(parts[2])
		if !okp || n > 255 {
			return netip.Prefix{}, 0, 0, false
		}
		proto = uint8(n)
	}
	if len(parts) >= 4 {
		n, okp := ioscrAtoi(parts[3])
		if !okp || n > 65535 {
			return netip.Prefix{}, 0, 0, false
		}
		port = ioscrPortNum(n)
	}
	return p, proto, port, true
}

// ioscrPortNum is a port printed in an identity; 0 is any.
type ioscrPortNum uint16

func (p ioscrPortNum) rng() netmodel.PortRange {
	if p == 0 {
		return netmodel.PortRange{}
	}
	return netmodel.PortRange{Lo: uint16(p), Hi: uint16(p)}
}

// ioscrProtoNum reads an ACL protocol keyword or number.
func ioscrProtoNum(s string) (uint8, bool) {
	switch strings.ToLower(s) {
	case "ip", "ipv4", "ipv6":
		return 0, true
	case "icmp":
		return 1, true
	case "tcp":
		return 6, true
	case "udp":
		return 17, true
	case "gre":
		return 47, true
	case "esp":
		return 50, true
	case "ahp", "ah":
		return 51, true
	case "ospf":
		return 89, true
	}
	n, ok := ioscrAtoi(s)
	if !ok || n > 255 {
		return 0, false
	}
	return uint8(n), true
}

// ioscrPortNames are the port keywords IOS and the ASA print.
var ioscrPortNames = map[string]uint16{
	"ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "www": 80, "http": 80,
	"pop3": 110, "ntp": 123, "snmp": 161, "bgp": 179, "https": 443, "isakmp": 500,
	"syslog": 514, "non500-isakmp": 4500, "tftp": 69, "ldap": 389,
}

func ioscrPort(s string) (uint16, bool) {
	if n, ok := ioscrPortNames[strings.ToLower(s)]; ok {
		return n, true
	}
	n, ok := ioscrAtoi(s)
	if !ok || n > 65535 {
		return 0, false
	}
	return uint16(n), true
}

// ioscrObjects resolves ASA object and object-group names to prefixes.
type ioscrObjects map[string][]netip.Prefix

// ioscrACLAddr reads one address operand of an ACL entry at words[i]:
// "any", "any4", "host A", "A W" (IOS wildcard) or "A M" (ASA mask),
// "A/len", "object X", "object-group X". It returns the prefixes and the
// index after the operand.
func ioscrACLAddr(words []string, i int, wildcard bool, objs ioscrObjects) ([]netip.Prefix, int, error) {
	if i >= len(words) {
		return nil, i, fmt.Errorf("address missing")
	}
	w := strings.ToLower(words[i])
	switch w {
	case "any", "any4":
		return []netip.Prefix{ioscrAny}, i + 1, nil
	case "any6":
		return []netip.Prefix{netip.MustParsePrefix("::/0")}, i + 1, nil
	case "host":
		if i+1 >= len(words) {
			return nil, i + 1, fmt.Errorf("host without an address")
		}
		a, err := netip.ParseAddr(words[i+1])
		if err != nil {
			return nil, i + 2, fmt.Errorf("host %q is not an address", words[i+1])
		}
		return []netip.Prefix{ioscrHost(a.Unmap())}, i + 2, nil
	case "object", "object-group":
		if i+1 >= len(words) {
			return nil, i + 1, fmt.Errorf("%s without a name", w)
		}
		ps, ok := objs[words[i+1]]
		if !ok || len(ps) == 0 {
			return nil, i + 2, fmt.Errorf("%s %s is not defined in this output", w, words[i+1])
		}
		return ps, i + 2, nil
	case "interface":
		return nil, i + 2, fmt.Errorf("interface operands are not resolved")
	}
	if p, err := netip.ParsePrefix(words[i]); err == nil {
		return []netip.Prefix{p.Masked()}, i + 1, nil
	}
	if _, err := netip.ParseAddr(words[i]); err != nil {
		return nil, i + 1, fmt.Errorf("%q is not an address", words[i])
	}
	if i+1 < len(words) {
		if p, ok := ioscrPrefix(words[i], words[i+1], wildcard); ok {
			return []netip.Prefix{p}, i + 2, nil
		}
		if m, err := netip.ParseAddr(words[i+1]); err == nil && m.Is4() {
			return nil, i + 2, fmt.Errorf("%s %s: the mask is not contiguous", words[i], words[i+1])
		}
	}
	if wildcard { // a standard-ACL style bare address is a host
		a, _ := netip.ParseAddr(words[i])
		return []netip.Prefix{ioscrHost(a.Unmap())}, i + 1, nil
	}
	return nil, i + 1, fmt.Errorf("%q has no valid mask", words[i])
}

// ioscrACLPorts reads an optional port operand ("eq 80", "range 1 2",
// "gt 1023", "lt 1024") at words[i].
func ioscrACLPorts(words []string, i int) (netmodel.PortRange, int, error) {
	if i >= len(words) {
		return netmodel.PortRange{}, i, nil
	}
	switch strings.ToLower(words[i]) {
	case "eq":
		if i+1 >= len(words) {
			return netmodel.PortRange{}, i + 1, fmt.Errorf("eq without a port")
		}
		p, ok := ioscrPort(words[i+1])
		if !ok {
			return netmodel.PortRange{}, i + 2, fmt.Errorf("port %q", words[i+1])
		}
		return netmodel.PortRange{Lo: p, Hi: p}, i + 2, nil
	case "range":
		if i+2 >= len(words) {
			return netmodel.PortRange{}, i + 1, fmt.Errorf("range without two ports")
		}
		lo, ok1 := ioscrPort(words[i+1])
		hi, ok2 := ioscrPort(words[i+2])
		if !ok1 || !ok2 || lo > hi {
			return netmodel.PortRange{}, i + 3, fmt.Errorf("port range %s-%s", words[i+1], words[i+2])
		}
		return netmodel.PortRange{Lo: lo, Hi: hi}, i + 3, nil
	case "gt":
		if i+1 < len(words) {
			if p, ok := ioscrPort(words[i+1]); ok && p < 65535 {
				return netmodel.PortRange{Lo: p + 1, Hi: 65535}, i + 2, nil
			}
		}
		return netmodel.PortRange{}, i + 2, fmt.Errorf("gt without a port")
	case "lt":
		if i+1 < len(words) {
			if p, ok := ioscrPort(words[i+1]); ok && p > 1 {
				return netmodel.PortRange{Lo: 1, Hi: p - 1}, i + 2, nil
			}
		}
		return netmodel.PortRange{}, i + 2, fmt.Errorf("lt without a port")
	}
	return netmodel.PortRange{}, i, nil
}

// ioscrACLEntry reads the selectors of one ACL entry, given the words from
// the action on: "permit ip 10.1.1.0 0.0.0.255 10.2.2.0 0.0.0.255",
// "permit gre host 1.1.1.1 host 2.2.2.2", "permit ip object-group L
// object-group R". A source of n prefixes and a destination of m give n×m
// selectors. permit is false for deny entries (which exempt traffic from
// protection and give no selector).
func ioscrACLEntry(words []string, wildcard bool, objs ioscrObjects) (sels []netmodel.Selector, permit bool, err error) {
	if len(words) < 2 {
		return nil, false, fmt.Errorf("incomplete access-list entry")
	}
	switch strings.ToLower(words[0]) {
	case "permit":
		permit = true
	case "deny":
	default:
		return nil, false, fmt.Errorf("access-list action %q", words[0])
	}
	proto, ok := ioscrProtoNum(words[1])
	if !ok {
		if strings.EqualFold(words[1], "object-group") || strings.EqualFold(words[1], "object") {
			return nil, permit, fmt.Errorf("service objects are not resolved")
		}
		return nil, permit, fmt.Errorf("protocol %q", words[1])
	}
	src, i, err := ioscrACLAddr(words, 2, wildcard, objs)
	if err != nil {
		return nil, permit, err
	}
	sp, i, err := ioscrACLPorts(words, i)
	if err != nil {
		return nil, permit, err
	}
	dst, i, err := ioscrACLAddr(words, i, wildcard, objs)
	if err != nil {
		return nil, permit, err
	}
	dp, _, err := ioscrACLPorts(words, i)
	if err != nil {
		return nil, permit, err
	}
	if !permit {
		return nil, false, nil
	}
	for _, s := range src {
		for _, d := range dst {
			sels = append(sels, netmodel.Selector{Local: s, Remote: d, Proto: proto, LocalPorts: sp, RemotePorts: dp})
		}
	}
	return sels, true, nil
}

// ---- merging ----

// ioscrMergeIKESAs appends IKE SAs, stamping the file; an SA already known
// for the same peers and version (the ASA session database after "show
// crypto ikev1 sa") only fills in what was not known.
func ioscrMergeIKESAs(d *netmodel.Device, file, _ string, sas []*netmodel.IKESA) {
	for _, sa := range sas {
		if sa == nil {
			continue
		}
		sa.Src = setFile(sa.Src, file)
		if old := ioscrFindIKESA(d, sa); old != nil {
			ioscrFillIKESA(old, sa)
			continue
		}
		d.IPsec.IKESAs = append(d.IPsec.IKESAs, sa)
	}
}

func ioscrFindIKESA(d *netmodel.Device, sa *netmodel.IKESA) *netmodel.IKESA {
	for _, o := range d.IPsec.IKESAs {
		if o.RemoteAddr == sa.RemoteAddr && o.RemoteAddr.IsValid() && (o.Version == sa.Version || o.Version == 0 || sa.Version == 0) &&
			(!o.LocalAddr.IsValid() || !sa.LocalAddr.IsValid() || o.LocalAddr == sa.LocalAddr) &&
			(o.InitSPI == "" || sa.InitSPI == "" || o.InitSPI == sa.InitSPI) {
			return o
		}
	}
	return nil
}

func ioscrFillIKESA(o, n *netmodel.IKESA) {
	if o.Name == "" {
		o.Name = n.Name
	}
	if o.Version == 0 {
		o.Version = n.Version
	}
	if !o.LocalAddr.IsValid() {
		o.LocalAddr = n.LocalAddr
	}
	if o.LocalPort == 0 {
		o.LocalPort = n.LocalPort
	}
	if o.RemotePort == 0 {
		o.RemotePort = n.RemotePort
	}
	if o.State == "" {
		o.State, o.Up = n.State, n.Up
	}
	if o.InitSPI == "" {
		o.InitSPI, o.RespSPI = n.InitSPI, n.RespSPI
	}
	if o.Algs.Encryption == "" {
		o.Algs.Encryption = n.Algs.Encryption
	}
	if o.Algs.Integrity == "" {
		o.Algs.Integrity = n.Algs.Integrity
	}
	if o.Algs.PRF == "" {
		o.Algs.PRF = n.Algs.PRF
	}
	if o.Algs.DH == "" {
		o.Algs.DH = n.Algs.DH
	}
	if o.Lifetime == 0 {
		o.Lifetime = n.Lifetime
	}
	if o.Remaining < 0 {
		o.Remaining = n.Remaining
	}
	o.Aggressive = o.Aggressive || n.Aggressive
}

// ioscrMergeChildSAs appends child SAs, stamping the file; an SA already
// known (same SPIs, or with no SPIs the same peer and selectors) only
// fills in what was not known, so the ASA session database adds byte
// counters to the SAs of "show crypto ipsec sa".
func ioscrMergeChildSAs(d *netmodel.Device, file, _ string, sas []*netmodel.ChildSA) {
	for _, sa := range sas {
		if sa == nil {
			continue
		}
		sa.Src = setFile(sa.Src, file)
		if old := ioscrFindChildSA(d, sa); old != nil {
			ioscrFillChildSA(old, sa)
			continue
		}
		d.IPsec.ChildSAs = append(d.IPsec.ChildSAs, sa)
	}
}

func ioscrSameSelectors(a, b []netmodel.Selector) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func ioscrFindChildSA(d *netmodel.Device, sa *netmodel.ChildSA) *netmodel.ChildSA {
	for _, o := range d.IPsec.ChildSAs {
		if sa.InSPI != 0 && sa.OutSPI != 0 {
			if o.InSPI == sa.InSPI && o.OutSPI == sa.OutSPI {
				return o
			}
			continue
		}
		if o.RemoteAddr == sa.RemoteAddr && ioscrSameSelectors(o.Selectors, sa.Selectors) {
			return o
		}
	}
	return nil
}

func ioscrFillChildSA(o, n *netmodel.ChildSA) {
	if o.Name == "" {
		o.Name = n.Name
	}
	if o.IKE == "" {
		o.IKE = n.IKE
	}
	if !o.LocalAddr.IsValid() {
		o.LocalAddr = n.LocalAddr
	}
	if !o.RemoteAddr.IsValid() {
		o.RemoteAddr = n.RemoteAddr
	}
	if len(o.Selectors) == 0 {
		o.Selectors = n.Selectors
	}
	if o.Protocol == "" {
		o.Protocol = n.Protocol
	}
	if o.Mode == "" {
		o.Mode = n.Mode
	}
	o.Encap = o.Encap || n.Encap
	if o.Algs.Encryption == "" {
		o.Algs.Encryption = n.Algs.Encryption
	}
	if o.Algs.Integrity == "" {
		o.Algs.Integrity = n.Algs.Integrity
	}
	if o.Algs.DH == "" {
		o.Algs.DH = n.Algs.DH
	}
	if n.CountersKnown {
		if n.BytesIn != 0 || n.BytesOut != 0 {
			o.BytesIn, o.BytesOut = n.BytesIn, n.BytesOut
		}
		if !o.CountersKnown {
			o.PacketsIn, o.PacketsOut = n.PacketsIn, n.PacketsOut
		}
		o.CountersKnown = true
	}
	if o.Lifetime == 0 {
		o.Lifetime = n.Lifetime
	}
	if o.Remaining < 0 {
		o.Remaining = n.Remaining
	}
	if o.State == "" {
		o.State = n.State
	}
	if o.Interface == "" {
		o.Interface = n.Interface
	}
}

// ioscrConfig is what a configuration output says: phase-1 and phase-2
// configuration and tunnel interfaces.
type ioscrConfig struct {
	IKE        []*netmodel.IKEConfig
	Children   []*netmodel.ChildConfig
	Interfaces []*netmodel.Interface
}

// ioscrMergeConfig adds configured IKE and child entries, stamping the
// file; an entry of the same name already known (from the running
// configuration, then "show crypto map") only gets what it lacked.
// Interfaces merge by name.
func ioscrMergeConfig(d *netmodel.Device, file, _ string, c ioscrConfig) {
	for _, k := range c.IKE {
		k.Src = setFile(k.Src, file)
		if o := ioscrFindIKEConfig(d, k.Name); o != nil {
			ioscrFillIKEConfig(o, k)
			continue
		}
		d.IPsec.IKEConfigs = append(d.IPsec.IKEConfigs, k)
	}
	for _, ch := range c.Children {
		ch.Src = setFile(ch.Src, file)
		if o := ioscrFindChildConfig(d, ch.Name); o != nil {
			ioscrFillChildConfig(o, ch)
			continue
		}
		d.IPsec.Children = append(d.IPsec.Children, ch)
	}
	for _, in := range c.Interfaces {
		in.Src = setFile(in.Src, file)
		o := d.FindInterface(in.Name)
		if o == nil {
			d.Interfaces = append(d.Interfaces, in)
			continue
		}
		if len(o.Addrs) == 0 {
			o.Addrs = in.Addrs
		}
		o.Tunnel = o.Tunnel || in.Tunnel
		if !o.TunnelSrc.IsValid() {
			o.TunnelSrc = in.TunnelSrc
		}
		if !o.TunnelDst.IsValid() {
			o.TunnelDst = in.TunnelDst
		}
		if !o.Known {
			o.AdminUp = in.AdminUp
		}
		if !o.Src.Valid() {
			o.Src = in.Src
		}
	}
}

func ioscrFindIKEConfig(d *netmodel.Device, name string) *netmodel.IKEConfig {
	for _, k := range d.IPsec.IKEConfigs {
		if k.Name == name {
			return k
		}
	}
	return nil
}

func ioscrFindChildConfig(d *netmodel.Device, name string) *netmodel.ChildConfig {
	for _, c := range d.IPsec.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func ioscrFillIKEConfig(o, n *netmodel.IKEConfig) {
	if o.Version == 0 {
		o.Version = n.Version
	}
	if !o.LocalAddr.IsValid() {
		o.LocalAddr = n.LocalAddr
	}
	if !o.RemoteAddr.IsValid() {
		o.RemoteAddr = n.RemoteAddr
	}
	if o.LocalID == "" {
		o.LocalID = n.LocalID
	}
	if o.RemoteID == "" {
		o.RemoteID = n.RemoteID
	}
	o.Aggressive = o.Aggressive || n.Aggressive
	if o.Auth == "" {
		o.Auth = n.Auth
	}
	if len(o.Proposals) == 0 {
		o.Proposals = n.Proposals
	}
	if o.Lifetime == 0 {
		o.Lifetime = n.Lifetime
	}
	if o.PSK.Hash == "" {
		o.PSK = n.PSK
	}
}

func ioscrFillChildConfig(o, n *netmodel.ChildConfig) {
	if o.IKE == "" {
		o.IKE = n.IKE
	}
	if len(o.Selectors) == 0 {
		o.Selectors = n.Selectors
	}
	if len(o.Proposals) == 0 {
		o.Proposals = n.Proposals
	}
	if o.Lifetime == 0 {
		o.Lifetime = n.Lifetime
	}
	o.RouteBased = o.RouteBased || n.RouteBased
	o.PolicyBased = o.PolicyBased || n.PolicyBased
	if o.Interface == "" {
		o.Interface = n.Interface
	}
	if o.ACL == "" {
		o.ACL = n.ACL
	}
}

// ioscrPSK reads a redacted pre-shared key token; the key text itself is
// never kept. ok is false when the text holds no token (a key the device
// printed as "*****" or encrypted with type 6/7 says nothing usable).
func ioscrPSK(words []string, line int) (netmodel.Secret, bool) {
	for _, w := range words {
		if s, ok := netmodel.ParseSecretToken(w); ok {
			s.Src = netmodel.Lines(line, line)
			return s, true
		}
	}
	return netmodel.Secret{}, false
}
