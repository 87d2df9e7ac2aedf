package parse

import (
	"io"
	"net/netip"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Cisco ASA IPsec and routing parsers. "show crypto ipsec sa" and "show
// route" share their readers with IOS (ioscrypto_ipsecsa.go, iosroute.go).

func init() {
	p := netmodel.ASA
	register(Entry{
		Platform: p, Capability: CapASAIKEv1SA, Command: "show crypto ikev1 sa detail",
		CommandRE: asaIKEv1CmdRE, Detect: asaDetectIKEv1, Order: ioscrOrderIKESA,
	}, asaParseIKE, ioscrMergeSAs)
	register(Entry{
		Platform: p, Capability: CapASAIKEv2SA, Command: "show crypto ikev2 sa detail",
		CommandRE: asaIKEv2CmdRE, Detect: asaDetectIKEv2, Order: ioscrOrderIKESA,
	}, asaParseIKE, ioscrMergeSAs)
	register(Entry{
		Platform: p, Capability: CapIPsecSA, Command: "show crypto ipsec sa detail",
		CommandRE: ioscrIPsecCmdRE, Detect: func(l []string) bool { return ioscrDetectIPsecSA(l) == netmodel.ASA },
		Order: ioscrOrderIPsecSA,
	}, func(r io.Reader) ([]*netmodel.ChildSA, error) { return ioscrParseIPsecSA(r, netmodel.ASA) }, ioscrMergeChildSAs)
	register(Entry{
		Platform: p, Capability: CapASASessionL2L, Command: "show vpn-sessiondb detail l2l",
		CommandRE: asaSessionCmdRE, Detect: asaDetectSession, Order: ioscrOrderSession,
	}, asaParseSession, ioscrMergeSAs)
	register(Entry{
		Platform: p, Capability: CapRunningConfigVPN, Command: "show running-config",
		CommandRE: asaRunCmdRE, Detect: func(l []string) bool { return ioscrDetectRunConfig(l) == netmodel.ASA },
		Order: ioscrOrderConfig,
	}, asaParseRunConfig, ioscrMergeConfig)
	register(Entry{
		Platform: p, Capability: CapIPRoute, Command: "show route",
		CommandRE: asaRouteCmdRE, Detect: func(l []string) bool { return iosrouteDetect(l) == netmodel.ASA },
		Order: ioscrOrderRoute,
	}, func(r io.Reader) ([]netmodel.Route, error) { return iosrouteParse(r, netmodel.ASA) }, iosrouteMerge)
}

var (
	// show crypto ikev1 sa [detail]; show crypto isakmp sa [detail] (ASA: both versions)
	asaIKEv1CmdRE = regexp.MustCompile(ioscrCrypto + `(?:ikev1|` + ioscrAbbr("isakmp", 3) + `)\s+sa` + ioscrArg + `*` + ioscrPipe)
	asaIKEv2CmdRE = ioscrIKEv2CmdRE
	// show vpn-sessiondb [detail] l2l [filter ...]
	asaSessionCmdRE = regexp.MustCompile(ioscrShow + `vpn-sessiondb\s+(?:` + ioscrAbbr("detail", 3) + `\s+)?l2l` + ioscrArg + `*` + ioscrPipe)
	// show running-config [all] [crypto|tunnel-group|access-list|object|object-group ...]; more system:running-config
	asaRunCmdRE = regexp.MustCompile(`(?i)^(?:` + ioscrAbbr("show", 2) + `\s+` + ioscrAbbr("running-config", 3) + `(?:\s+all)?` +
		`(?:\s+(?:crypto|tunnel-group|access-list|object-group|object|interface)(?:\s+\S+)*)?` +
		`|more\s+system:running-config)` + ioscrPipe)
)

// ioscrSAs is what an SA output says: IKE SAs and child SAs.
type ioscrSAs struct {
	IKE   []*netmodel.IKESA
	Child []*netmodel.ChildSA
}

// ioscrMergeSAs merges both kinds.
func ioscrMergeSAs(d *netmodel.Device, file, arg string, s ioscrSAs) {
	ioscrMergeIKESAs(d, file, arg, s.IKE)
	ioscrMergeChildSAs(d, file, arg, s.Child)
}

// asaPairs splits a line of "Key : value" pairs set in columns ("Type    :
// L2L             Role    : initiator", "Bytes Tx     : 1  Bytes Rx : 2")
// at runs of two or more spaces.
func asaPairs(t string) [][2]string {
	var chunks []string
	for _, c := range regexpTwoSpaces.Split(strings.TrimSpace(t), -1) {
		if c != "" {
			chunks = append(chunks, c)
		}
	}
	var out [][2]string
	key := ""
	for _, c := range chunks {
		switch {
		case strings.HasPrefix(c, ":"):
			out = append(out, [2]string{key, strings.TrimSpace(c[1:])})
			key = ""
		case strings.Contains(c, ":"):
			k, v, _ := strings.Cut(c, ":")
			out = append(out, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
			key = ""
		default:
			key = c
		}
	}
	return out
}

var regexpTwoSpaces = regexp.MustCompile(`\s{2,}`)

// ---- show crypto ikev1 sa detail / show crypto ikev2 sa detail ----
//
// IKEv1 (ASA 8.4 and later):
//
//	IKEv1 SAs:
//	   Active SA: 1
//	    Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)
//	Total IKE SA: 1
//	1   IKE Peer: 192.168.255.11
//	    Type    : L2L             Role    : initiator
//	    Rekey   : no              State   : MM_ACTIVE
//	    Encrypt : aes-256         Hash    : SHA
//	    Auth    : preshared       Lifetime: 86400
//
// Older releases print a table ("IKE Peer Type Dir Rky State Encrypt Hash
// Auth Lifetime", a header before each row). IKEv2:
//
//	IKEv2 SAs:
//	Session-id:1, Status:UP-ACTIVE, IKE count:1, CHILD count:2
//	Tunnel-id Local                Remote                 Status         Role
//	  3686011 2001:db8:2:1::1/500  2001:db8:2:1::2/500     READY    INITIATOR
//	      Encr: 3DES, Hash: SHA96, DH Grp:2, Auth sign: PSK, Auth verify: PSK
//	      Life/Active Time: 43200/880 sec
//	Child sa: local selector  2001:db8:1:2::/0 - 2001:db8:1:2:ffff:ffff:ffff:ffff/65535
//	          remote selector 2001:db8:3:2::/0 - 2001:db8:3:2:ffff:ffff:ffff:ffff/65535
//	          ESP spi in/out: 0xbe064bdc/0x5db6eff3
//
// "show crypto isakmp sa" prints both sections; one reader takes them all.
// The child SAs of the IKEv2 listing become ChildSAs (SPIs and selectors);
// "show crypto ipsec sa" adds their counters.

func asaDetectIKEv1(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "IKEv1 SAs:") || (strings.HasPrefix(t, "IKE Peer") && strings.Contains(t, "Rky")) {
			return true
		}
	}
	return false
}

func asaDetectIKEv2(lines []string) bool {
	v1 := asaDetectIKEv1(lines)
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if !v1 && (strings.HasPrefix(t, "IKEv2 SAs:") ||
			strings.HasPrefix(t, "Tunnel-id") && strings.Contains(t, "Role") && !strings.Contains(t, "fvrf")) {
			return true
		}
	}
	return false
}

func asaParseIKE(r io.Reader) (ioscrSAs, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return ioscrSAs{}, err
	}
	var (
		out    ioscrSAs
		errs   ioscrErrs
		v1     *netmodel.IKESA
		v2     *ioscrIKEv2SA
		v2cols []string
		child  *netmodel.ChildSA
		oldHdr bool
		sawAny bool
	)
	flushV1 := func() {
		if v1 != nil {
			if v1.State == "" {
				errs.addf(v1.Src.Start, "IKEv1 SA %s: no State line (output truncated?)", v1.RemoteAddr)
			}
			out.IKE = append(out.IKE, v1)
			v1 = nil
		}
	}
	flushChild := func() {
		if child != nil {
			if child.InSPI == 0 && child.OutSPI == 0 {
				errs.addf(child.Src.Start, "IKEv2 child SA: no SPI line (output truncated?)")
			}
			out.Child = append(out.Child, child)
			child = nil
		}
	}
	flushV2 := func(eof bool) {
		flushChild()
		if v2 != nil {
			out.IKE = append(out.IKE, v2.finish(&errs, eof))
			v2 = nil
		}
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		f := strings.Fields(t)
		if len(f) == 0 {
			continue
		}
		switch {
		case strings.HasPrefix(t, "IKEv1 SAs:") || strings.HasPrefix(t, "IKEv2 SAs:") ||
			strings.HasPrefix(t, "There are no IKEv1 SAs") || strings.HasPrefix(t, "There are no IKEv2 SAs"):
			flushV1()
			flushV2(false)
			sawAny = true
			continue
		case strings.HasPrefix(t, "Active SA:") || strings.HasPrefix(t, "Rekey SA:") || strings.HasPrefix(t, "Total IKE SA:") ||
			strings.HasPrefix(t, "Session-id:"):
			continue
		case strings.HasPrefix(t, "IKE Peer") && strings.Contains(t, "Rky"):
			flushV1()
			oldHdr, sawAny = true, true
			continue
		case strings.HasPrefix(t, "Tunnel-id"):
			flushV1()
			flushV2(false)
			v2cols, sawAny = f, true
			continue
		}
		// IKEv1, current format: "1   IKE Peer: A".
		if len(f) >= 4 && f[1] == "IKE" && f[2] == "Peer:" {
			flushV1()
			flushV2(false)
			a, _, ok := ioscrAddr(f[3])
			if !ok {
				errs.addf(ln, "IKE Peer %q is not an address", f[3])
				continue
			}
			v1 = &netmodel.IKESA{Version: 1, RemoteAddr: a, Remaining: -1, Src: netmodel.Lines(ln, ln)}
			continue
		}
		// IKEv1, old table row: "1 209.165.200.225 User Resp No AM_Active 3des SHA preshrd 86400".
		if oldHdr && len(f) >= 10 {
			if _, ok := ioscrAtoi(f[0]); ok {
				if a, _, ok := ioscrAddr(f[1]); ok {
					flushV1()
					sa := &netmodel.IKESA{Version: 1, RemoteAddr: a, Remaining: -1, Src: netmodel.Lines(ln, ln)}
					asaIKEv1State(sa, f[5])
					sa.Algs.Encryption = ioscrEncName(f[6], 0)
					sa.Algs.Integrity = ioscrIntegName(f[7])
					sa.Lifetime, _ = ioscrAtoi(f[9])
					out.IKE = append(out.IKE, sa)
					continue
				}
			}
		}
		if v1 != nil {
			v1.Src.End = ln
			for _, kv := range asaPairs(t) {
				asaIKEv1Pair(v1, kv[0], kv[1], ln, &errs)
			}
			continue
		}
		// IKEv2 tunnel row: "<id> <local>/<port> <remote>/<port> <status> <role>".
		if v2cols != nil && len(f) >= 4 {
			if _, ok := ioscrAtoi(f[0]); ok {
				if _, _, ok := ioscrAddr(f[1]); ok {
					flushV2(false)
					v2 = ioscrIKEv2Row(v2cols, f, ln, &errs)
					for k, c := range v2cols {
						if c == "Role" && k < len(f) {
							switch strings.ToUpper(f[k]) {
							case "INITIATOR":
								v2.initiator = 1
							case "RESPONDER":
								v2.initiator = -1
							}
						}
					}
					continue
				}
			}
		}
		if v2 == nil {
			errs.addf(ln, "unexpected line outside an SA: %q", t)
			continue
		}
		v2.sa.Src.End = ln
		switch {
		case strings.HasPrefix(t, "Child sa:"):
			flushChild()
			child = &netmodel.ChildSA{Protocol: "esp", LocalAddr: v2.sa.LocalAddr, RemoteAddr: v2.sa.RemoteAddr,
				Remaining: -1, Src: netmodel.Lines(ln, ln), Selectors: []netmodel.Selector{{}}}
			asaChildSel(child, strings.TrimSpace(strings.TrimPrefix(t, "Child sa:")), ln, &errs)
		case child != nil && (strings.HasPrefix(t, "remote selector") || strings.HasPrefix(t, "local selector")):
			child.Src.End = ln
			asaChildSel(child, t, ln, &errs)
		case child != nil && (strings.HasPrefix(t, "ESP spi in/out:") || strings.HasPrefix(t, "AH spi in/out:")):
			child.Src.End = ln
			if strings.HasPrefix(t, "AH") {
				child.Protocol = "ah"
			}
			_, v, _ := strings.Cut(t, ":")
			in, outs, ok := strings.Cut(strings.TrimSpace(v), "/")
			si, ok1 := ioscrSPI(in)
			so, ok2 := ioscrSPI(outs)
			if !ok || !ok1 || !ok2 {
				errs.addf(ln, "child SA spi in/out %q", strings.TrimSpace(v))
				continue
			}
			child.InSPI, child.OutSPI = si, so
		default:
			ioscrIKEv2Detail(v2, t, ln, &errs)
		}
	}
	flushV1()
	flushV2(true)
	if !sawAny {
		errs.addf(0, "no IKEv1 or IKEv2 SA listing found")
	}
	return out, errs.err()
}

func asaIKEv1State(sa *netmodel.IKESA, st string) {
	sa.State = st
	u := strings.ToUpper(st)
	sa.Up = u == "MM_ACTIVE" || u == "AM_ACTIVE"
	sa.Aggressive = strings.HasPrefix(u, "AM_")
}

func asaIKEv1Pair(sa *netmodel.IKESA, k, v string, ln int, errs *ioscrErrs) {
	switch k {
	case "State":
		asaIKEv1State(sa, v)
	case "Encrypt":
		sa.Algs.Encryption = ioscrEncName(v, 0)
	case "Hash":
		sa.Algs.Integrity = ioscrIntegName(v)
	case "Lifetime":
		n, ok := ioscrAtoi(v)
		if !ok {
			errs.addf(ln, "IKEv1 SA %s: lifetime %q", sa.RemoteAddr, v)
			return
		}
		sa.Lifetime = n
	case "Lifetime Remaining":
		if n, ok := ioscrAtoi(v); ok {
			sa.Remaining = n
		}
	}
}

// asaChildSel reads "local selector  A/port - B/port" or "remote selector …".
func asaChildSel(c *netmodel.ChildSA, t string, ln int, errs *ioscrErrs) {
	local := strings.HasPrefix(t, "local selector")
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "local selector"), "remote selector"))
	lo, hi, ok := strings.Cut(rest, " - ")
	if !ok {
		errs.addf(ln, "child SA selector %q is not a range", rest)
		return
	}
	a1, p1, ok1 := ioscrAddr(lo)
	a2, p2, ok2 := ioscrAddr(hi)
	if !ok1 || !ok2 {
		errs.addf(ln, "child SA selector %q", rest)
		return
	}
	pr, ok := ioscrRangePrefix(a1, a2)
	if !ok {
		errs.addf(ln, "child SA selector %s - %s is not one prefix", a1, a2)
		return
	}
	ports := netmodel.PortRange{Lo: p1, Hi: p2}
	if ports.Any() {
		ports = netmodel.PortRange{}
	}
	if local {
		c.Selectors[0].Local, c.Selectors[0].LocalPorts = pr, ports
	} else {
		c.Selectors[0].Remote, c.Selectors[0].RemotePorts = pr, ports
	}
}

// ioscrRangePrefix is the prefix covering exactly lo..hi, if there is one.
func ioscrRangePrefix(lo, hi netip.Addr) (netip.Prefix, bool) {
	if lo.Is4() != hi.Is4() {
		return netip.Prefix{}, false
	}
	for bits := lo.BitLen(); bits >= 0; bits-- {
		p := netip.PrefixFrom(lo, bits).Masked()
		if p.Addr() != lo {
			break
		}
		if ioscrLast(p) == hi {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// ioscrLast is the last address of p.
func ioscrLast(p netip.Prefix) netip.Addr {
	b := p.Addr().As16()
	off := 0
	if p.Addr().Is4() {
		off = 96
	}
	for i := off + p.Bits(); i < 128; i++ {
		b[i/8] |= 1 << (7 - uint(i%8))
	}
	a := netip.AddrFrom16(b)
	if p.Addr().Is4() {
		return a.Unmap()
	}
	return a
}

// ---- show vpn-sessiondb detail l2l ----
//
//	Session Type: LAN-to-LAN Detailed
//	Connection   : 172.16.0.1
//	Index        : 1                      IP Addr      : 172.16.0.1
//	Protocol     : IKEv1 IPsec
//	Bytes Tx     : 48484156               Bytes Rx     : 875049248
//	IKEv1:
//	  Tunnel ID    : 79.1
//	  UDP Src Port : 500                    UDP Dst Port : 500
//	  IKE Neg Mode : Main                   Auth Mode    : preSharedKeys
//	  Encryption   : 3DES                   Hashing      : SHA1
//	  Rekey Int (T): 28800 Seconds          Rekey Left(T): 18795 Seconds
//	  D/H Group    : 2
//	IPsec:
//	  Tunnel ID    : 79.3
//	  Local Addr   : 169.254.20.22/255.255.255.255/0/0
//	  Remote Addr  : 192.168.6.74/255.255.255.255/0/0
//	  Encryption   : 3DES                   Hashing      : MD5
//	  Encapsulation: Tunnel                 PFS Group    : 2
//	  Rekey Int (T): 28800 Seconds          Rekey Left(T): 18904 Seconds
//	  Bytes Tx     : 12721728               Bytes Rx     : 2387175
//	  Pkts Tx      : 29085                  Pkts Rx      : 29509
//
// Each IKE block gives an IKESA (adding the DH group and negotiation mode
// to the one "show crypto ikev1 sa" gave), each IPsec block a ChildSA with
// byte and packet counters (added to the SA of "show crypto ipsec sa" with
// the same peer and selector).

func asaDetectSession(lines []string) bool {
	conn, enc := false, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "Session Type: LAN-to-LAN") {
			return true
		}
		if strings.HasPrefix(t, "Connection") && strings.Contains(t, ":") {
			conn = true
		}
		if strings.HasPrefix(t, "Encapsulation:") || strings.HasPrefix(t, "IKE Neg Mode") {
			enc = true
		}
	}
	return conn && enc
}

func asaParseSession(r io.Reader) (ioscrSAs, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return ioscrSAs{}, err
	}
	var (
		out     ioscrSAs
		errs    ioscrErrs
		name    string
		peer    netip.Addr
		section string
		ike     *netmodel.IKESA
		child   *netmodel.ChildSA
		sawConn bool
	)
	flush := func() {
		if ike != nil {
			out.IKE = append(out.IKE, ike)
			ike = nil
		}
		if child != nil {
			if len(child.Selectors) == 0 || !child.Selectors[0].Local.IsValid() || !child.Selectors[0].Remote.IsValid() {
				errs.addf(child.Src.Start, "%s: IPsec block without Local/Remote Addr (output truncated?)", name)
				child.Selectors = nil
			}
			out.Child = append(out.Child, child)
			child = nil
		}
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if strings.HasSuffix(t, ":") && !strings.Contains(strings.TrimSuffix(t, ":"), ":") && !strings.Contains(t, "  ") {
			head := strings.TrimSuffix(t, ":")
			switch head {
			case "IKE", "IKEv1", "IKEv2":
				flush()
				section = "ike"
				ike = &netmodel.IKESA{Name: name, Version: 1, RemoteAddr: peer, Up: true, Remaining: -1, Src: netmodel.Lines(ln, ln)}
				if head == "IKEv2" {
					ike.Version = 2
				}
				continue
			case "IPsec", "IPSec":
				flush()
				section = "ipsec"
				child = &netmodel.ChildSA{Name: name, IKE: name, RemoteAddr: peer, Protocol: "esp", Remaining: -1,
					Src: netmodel.Lines(ln, ln), Selectors: []netmodel.Selector{{}}}
				continue
			case "NAC", "IPsecOverNatT", "SSL-Tunnel", "DTLS-Tunnel", "Clientless":
				flush()
				section = "other"
				continue
			}
		}
		pairs := asaPairs(t)
		if len(pairs) > 0 && pairs[0][0] == "Connection" {
			flush()
			section, sawConn = "", true
			name = pairs[0][1]
			peer = netip.Addr{}
			if a, err := netip.ParseAddr(name); err == nil {
				peer = a.Unmap()
			}
			continue
		}
		switch section {
		case "":
			for _, kv := range pairs {
				if kv[0] == "IP Addr" && !peer.IsValid() {
					if a, err := netip.ParseAddr(kv[1]); err == nil {
						peer = a.Unmap()
						if name == "" {
							name = kv[1]
						}
					}
				}
			}
		case "ike":
			ike.Src.End = ln
			for _, kv := range pairs {
				asaSessionIKE(ike, kv[0], kv[1], ln, &errs)
			}
		case "ipsec":
			child.Src.End = ln
			for _, kv := range pairs {
				asaSessionChild(child, kv[0], kv[1], ln, &errs)
			}
		}
	}
	flush()
	if !sawConn {
		errs.addf(0, "no Connection found: not \"show vpn-sessiondb detail l2l\" output")
	}
	return out, errs.err()
}

// asaSeconds reads "86400 Seconds".
func asaSeconds(v string) (int, bool) {
	f := strings.Fields(v)
	if len(f) == 0 {
		return 0, false
	}
	return ioscrAtoi(f[0])
}

func asaSessionIKE(sa *netmodel.IKESA, k, v string, ln int, errs *ioscrErrs) {
	switch k {
	case "UDP Src Port":
		if n, ok := ioscrAtoi(v); ok && n < 65536 {
			sa.LocalPort = uint16(n)
		}
	case "UDP Dst Port":
		if n, ok := ioscrAtoi(v); ok && n < 65536 {
			sa.RemotePort = uint16(n)
		}
	case "IKE Neg Mode":
		sa.Aggressive = strings.EqualFold(v, "Aggressive")
	case "Encryption":
		sa.Algs.Encryption = ioscrEncName(v, 0)
	case "Hashing":
		sa.Algs.Integrity = ioscrIntegName(v)
	case "PRF":
		sa.Algs.PRF = netmodel.NormPRF(ioscrIntegName(v))
	case "D/H Group":
		sa.Algs.DH = ioscrDH(v)
	case "Rekey Int (T)":
		if n, ok := asaSeconds(v); ok {
			sa.Lifetime = n
		} else {
			errs.addf(ln, "%s: rekey interval %q", sa.Name, v)
		}
	case "Rekey Left(T)":
		if n, ok := asaSeconds(v); ok {
			sa.Remaining = n
		}
	}
}

func asaSessionChild(c *netmodel.ChildSA, k, v string, ln int, errs *ioscrErrs) {
	u64 := func() (uint64, bool) {
		n, ok := ioscrAtoi(v)
		if !ok {
			errs.addf(ln, "%s: %s %q is not a number", c.Name, k, v)
		}
		return uint64(n), ok
	}
	switch k {
	case "Local Addr", "Remote Addr":
		p, proto, port, ok := ioscrIdent(v)
		if !ok {
			errs.addf(ln, "%s: %s %q is not addr/mask[/prot/port]", c.Name, k, v)
			return
		}
		if k == "Local Addr" {
			c.Selectors[0].Local, c.Selectors[0].LocalPorts = p, port.rng()
		} else {
			c.Selectors[0].Remote, c.Selectors[0].RemotePorts = p, port.rng()
		}
		if proto != 0 {
			c.Selectors[0].Proto = proto
		}
	case "Encryption":
		c.Algs.Encryption = ioscrEncName(v, 0)
	case "Hashing":
		c.Algs.Integrity = ioscrIntegName(v)
	case "PFS Group":
		c.Algs.DH = ioscrDH(v)
	case "Encapsulation":
		c.Mode = strings.ToLower(strings.Fields(v + " ")[0])
	case "Rekey Int (T)":
		if n, ok := asaSeconds(v); ok {
			c.Lifetime = n
		}
	case "Rekey Left(T)":
		if n, ok := asaSeconds(v); ok {
			c.Remaining = n
		}
	case "Bytes Tx":
		if n, ok := u64(); ok {
			c.BytesOut, c.CountersKnown = n, true
		}
	case "Bytes Rx":
		if n, ok := u64(); ok {
			c.BytesIn, c.CountersKnown = n, true
		}
	case "Pkts Tx":
		if n, ok := u64(); ok {
			c.PacketsOut = n
		}
	case "Pkts Rx":
		if n, ok := u64(); ok {
			c.PacketsIn = n
		}
	}
}
