package parse

// Linux kernel IPsec state: ip xfrm state / ip -s xfrm state, ip xfrm policy.
//
//	src 172.31.0.1 dst 172.31.0.2
//		proto esp spi 0xc928d488 reqid 1 mode tunnel
//		replay-window 0 flag af-unspec
//		auth-trunc hmac(sha256) REDACTED-L32-D0-fc71fb61a058220c 128
//		enc cbc(aes) REDACTED-L16-D0-ecac482c51db5593
//		encap type espinudp sport 4500 dport 4500 addr 0.0.0.0
//		sel src 10.1.0.0/24 dst 10.2.0.0/24
//
// Key material is replaced by a redaction token before parsing; the token
// only tells the key length (L, in bytes), from which the AES key size is
// read (cbc(aes) with L16 is aes128; rfc4106(gcm(aes)) keys carry a 4-byte
// salt: L36 is aes256gcm16). Nothing of the token or the key is stored.
//
// Pairing: the kernel lists one state per direction. States with the same
// reqid and protocol and mirrored addresses become one ChildSA when the
// device's own addresses are known (from its IKE SAs and IPsec
// configuration, or `ip -j addr`, parsed before): the state towards the
// peer gives OutSPI, the one from the peer InSPI; a lone state gives the
// one it is. When they are not known (and iproute2 prints no "dir"), each
// state is its own ChildSA seen from its sender (LocalAddr = src,
// RemoteAddr = dst, only OutSPI set, State "unpaired"). A state whose SPI
// an SA from swanctl or ipsec statusall already has completes that SA
// instead (encapsulation, mode, algorithms, hard lifetime). ChildSAs from
// xfrm alone are named "reqid N".
//
// Policies: the "dir out" policies of one reqid give a ChildConfig's
// selectors (src = local, dst = remote; in/fwd policies are mirrored when
// there is no out policy). When the out policy's template names the SPI of
// a known ChildSA, the ChildConfig takes that child's name and IKE; else it
// is named "reqid N" (ChildSAs of that name get its selectors). Socket
// policies, and policies without a template (allow/block), are not tunnels
// and are left out. PolicyBased is set, RouteBased instead for 0.0.0.0/0
// selectors with a mark or if_id (VTI / XFRM interface) and for GRE in
// transport mode.

import (
	"io"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	// ip xfrm state, ip -s xfrm state, ip x s, ip xfrm state list nokeys
	linuxXfrmStateCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ip(?:\s+-\S+)*\s+(?:x|xf|xfr|xfrm)\s+(?:s|st|sta|stat|state)` +
		`(?:\s+(?:show|list|ls|l))?(?:\s+(?:src|dst|proto|spi|reqid|mode|flag)\s+\S+|\s+nokeys)*\s*$`)
	// ip xfrm policy, ip x p, ip -s xfrm policy list dir out
	linuxXfrmPolicyCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ip(?:\s+-\S+)*\s+(?:x|xf|xfr|xfrm)\s+(?:p|po|pol|poli|polic|policy)` +
		`(?:\s+(?:show|list|ls|l))?(?:\s+(?:src|dst|dir|ptype|index|action|priority|proto|mark)\s+\S+|\s+nosock)*\s*$`)
)

func init() {
	register(Entry{
		Platform: netmodel.Linux, Capability: CapXfrmState, Command: "ip -s xfrm state",
		CommandRE: linuxXfrmStateCmdRE, Detect: linuxDetectXfrmState, Order: linuxOrderXfrmSt,
	}, linuxParseXfrmState, linuxMergeXfrmState)
	register(Entry{
		Platform: netmodel.Linux, Capability: CapXfrmPolicy, Command: "ip xfrm policy",
		CommandRE: linuxXfrmPolicyCmdRE, Detect: linuxDetectXfrmPolicy, Order: linuxOrderXfrmPol,
	}, linuxParseXfrmPolicy, linuxMergeXfrmPolicy)
}

// linuxXfrmHead splits "src A dst B ..." (the first line of a block).
func linuxXfrmHead(t string) (src, dst string, rest []string, ok bool) {
	f := strings.Fields(t)
	if len(f) < 4 || f[0] != "src" || f[2] != "dst" {
		return "", "", nil, false
	}
	return f[1], f[3], f[4:], true
}

func linuxDetectXfrmState(lines []string) bool {
	nb := swanNonBlank(lines, 2)
	if len(nb) < 2 {
		return false
	}
	src, _, _, ok := linuxXfrmHead(nb[0])
	return ok && !strings.Contains(src, "/") && strings.HasPrefix(nb[1], "proto ")
}

func linuxDetectXfrmPolicy(lines []string) bool {
	nb := swanNonBlank(lines, 2)
	if len(nb) < 2 {
		return false
	}
	src, _, _, ok := linuxXfrmHead(nb[0])
	return ok && strings.Contains(src, "/") &&
		(strings.HasPrefix(nb[1], "dir ") || strings.HasPrefix(nb[1], "socket "))
}

// ---- states ----

// linuxXfrmState is one SA as the kernel lists it.
type linuxXfrmState struct {
	src, dst   netip.Addr
	proto      string
	spi        uint32
	reqid      uint32
	mode       string
	encap      bool
	algs       netmodel.Algs
	sel        netmodel.Selector
	bytes      uint64
	packets    uint64
	counters   bool
	hardLife   int
	dir        string // "in"/"out" when iproute2 prints it (kernel ≥ 6.10)
	start, end int
}

func linuxParseXfrmState(r io.Reader) ([]linuxXfrmState, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var out []linuxXfrmState
	var errs swanErrs
	var cur *linuxXfrmState
	inCurrent := false // inside "lifetime current:"
	inConfig := false  // inside "lifetime config:"
	for i, raw := range lines {
		n := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if swanIndent(raw) == 0 {
			inCurrent, inConfig = false, false
			src, dst, _, ok := linuxXfrmHead(t)
			if !ok {
				errs.add(n, "unrecognised xfrm state line %q", t)
				cur = nil
				continue
			}
			out = append(out, linuxXfrmState{start: n, end: n})
			cur = &out[len(out)-1]
			cur.src, _ = swanAddr(src)
			cur.dst, _ = swanAddr(dst)
			if !cur.src.IsValid() || !cur.dst.IsValid() {
				errs.add(n, "bad address in %q", t)
			}
			continue
		}
		if cur == nil {
			continue
		}
		cur.end = n
		f := strings.Fields(t)
		switch f[0] {
		case "proto":
			for j := 0; j+1 < len(f); j += 2 {
				switch f[j] {
				case "proto":
					cur.proto = f[j+1]
				case "spi":
					cur.spi, _ = swanSPI(f[j+1])
				case "reqid":
					v := f[j+1]
					if k := strings.IndexByte(v, '('); k >= 0 {
						v = v[:k]
					}
					r, _ := strconv.ParseUint(v, 10, 32)
					cur.reqid = uint32(r)
				case "mode":
					cur.mode = f[j+1]
				}
			}
		case "enc", "auth", "auth-trunc", "aead":
			if len(f) >= 2 {
				linuxXfrmAlg(cur, f)
			}
		case "encap":
			cur.encap = true
		case "sel":
			cur.sel = linuxXfrmSel(f[1:])
		case "dir":
			if len(f) >= 2 {
				cur.dir = f[1]
			}
		case "lifetime":
			inCurrent = len(f) > 1 && f[1] == "current:"
			inConfig = len(f) > 1 && f[1] == "config:"
		case "expire":
			// expire add: soft 1707(sec), hard 1980(sec)
			if inConfig && len(f) >= 6 && f[1] == "add:" {
				cur.hardLife, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(f[5], ","), "(sec)"))
			}
		default:
			// 336(bytes), 4(packets)
			if inCurrent && strings.HasSuffix(f[0], "(bytes),") && len(f) >= 2 {
				b, ok1 := swanAtou(strings.TrimSuffix(f[0], "(bytes),"))
				p, ok2 := swanAtou(strings.TrimSuffix(f[1], "(packets)"))
				if ok1 && ok2 {
					cur.bytes, cur.packets, cur.counters = b, p, true
				}
			}
		}
	}
	return out, errs.err()
}

// linuxXfrmKeyBits reads the key size from what stands for the key: with
// `ip -s`, the "(128 bits)" iproute2 prints after it; else the redaction
// token, whose L is the key length in bytes (collectors/redact). 0 when
// unknown.
func linuxXfrmKeyBits(f []string) int {
	for i, w := range f {
		if w == "bits)" && i > 0 && strings.HasPrefix(f[i-1], "(") {
			n, _ := strconv.Atoi(strings.TrimPrefix(f[i-1], "("))
			return n
		}
	}
	if len(f) < 3 {
		return 0
	}
	if s, ok := netmodel.ParseSecretToken(f[2]); ok {
		return s.Length * 8
	}
	if h, ok := strings.CutPrefix(f[2], "0x"); ok && len(h)%2 == 0 { // not redacted: only its length is read
		return len(h) * 4
	}
	return 0
}

// linuxXfrmAlg reads an enc/auth/auth-trunc/aead line into the state's
// algorithms (Norm* names).
func linuxXfrmAlg(s *linuxXfrmState, f []string) {
	name := strings.ToLower(f[1])
	bits := linuxXfrmKeyBits(f)
	switch f[0] {
	case "enc":
		s.algs.Encryption = linuxXfrmEnc(name, bits)
	case "auth", "auth-trunc":
		s.algs.Integrity = linuxXfrmInteg(name, bits)
	case "aead":
		icv := 0
		if len(f) >= 4 {
			icv, _ = strconv.Atoi(f[len(f)-1])
		}
		switch {
		case strings.Contains(name, "gcm(aes)") && strings.HasPrefix(name, "rfc4106"):
			s.algs.Encryption = netmodel.NormEncryption("aes" + linuxBits(bits-32) + "gcm" + linuxICV(icv))
		case strings.Contains(name, "gmac") || strings.HasPrefix(name, "rfc4543"):
			s.algs.Encryption = netmodel.NormEncryption("null")
			s.algs.Integrity = netmodel.NormIntegrity("aes" + linuxBits(bits-32) + "gmac")
		case strings.Contains(name, "chacha20"):
			s.algs.Encryption = netmodel.NormEncryption("chacha20poly1305")
		case strings.Contains(name, "ccm(aes)"):
			s.algs.Encryption = netmodel.NormEncryption("aes" + linuxBits(bits-24) + "ccm" + linuxICV(icv))
		default:
			s.algs.Encryption = netmodel.NormEncryption(name)
		}
	}
}

func linuxBits(b int) string {
	switch b {
	case 128, 192, 256:
		return strconv.Itoa(b)
	}
	return ""
}

func linuxICV(bits int) string {
	switch bits {
	case 64:
		return "8"
	case 96:
		return "12"
	}
	return "16"
}

// linuxXfrmEnc maps kernel cipher names: cbc(aes) aes, cbc(des3_ede) 3des,
// cbc(des) des, ecb(cipher_null) null, rfc3686(ctr(aes)) aes (the key
// carries a 4-byte nonce), cbc(camellia) camellia, others as printed.
func linuxXfrmEnc(name string, bits int) string {
	switch {
	case name == "cbc(aes)":
		return netmodel.NormEncryption("aes" + linuxBits(bits))
	case strings.HasPrefix(name, "rfc3686(ctr(aes))"):
		return netmodel.NormEncryption("aes" + linuxBits(bits-32))
	case name == "cbc(des3_ede)":
		return netmodel.NormEncryption("3des")
	case name == "cbc(des)":
		return netmodel.NormEncryption("des")
	case name == "ecb(cipher_null)" || name == "cipher_null":
		return netmodel.NormEncryption("null")
	case name == "cbc(camellia)":
		return netmodel.NormEncryption("camellia" + linuxBits(bits))
	}
	if i := strings.IndexByte(name, '('); i >= 0 && strings.HasSuffix(name, ")") {
		name = name[i+1 : len(name)-1]
	}
	return netmodel.NormEncryption(name)
}

// linuxXfrmInteg maps hmac(sha256) sha256, hmac(sha1) sha1, hmac(md5) md5,
// xcbc(aes) aesxcbc, cmac(aes) aescmac, digest_null none.
func linuxXfrmInteg(name string, _ int) string {
	switch {
	case strings.HasPrefix(name, "hmac(") && strings.HasSuffix(name, ")"):
		return netmodel.NormIntegrity(name[5 : len(name)-1])
	case name == "xcbc(aes)":
		return netmodel.NormIntegrity("aesxcbc")
	case name == "cmac(aes)":
		return netmodel.NormIntegrity("aescmac")
	case name == "digest_null":
		return netmodel.NormIntegrity("none")
	}
	return netmodel.NormIntegrity(name)
}

// linuxXfrmSel reads "src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp sport 1 dport 443".
func linuxXfrmSel(f []string) netmodel.Selector {
	var s netmodel.Selector
	for j := 0; j+1 < len(f); j += 2 {
		switch f[j] {
		case "src":
			s.Local = linuxPrefix(f[j+1])
		case "dst":
			s.Remote = linuxPrefix(f[j+1])
		case "proto":
			s.Proto = linuxProto(f[j+1])
		case "sport":
			if p, err := strconv.ParseUint(f[j+1], 10, 16); err == nil {
				s.LocalPorts = netmodel.PortRange{Lo: uint16(p), Hi: uint16(p)}
			}
		case "dport":
			if p, err := strconv.ParseUint(f[j+1], 10, 16); err == nil {
				s.RemotePorts = netmodel.PortRange{Lo: uint16(p), Hi: uint16(p)}
			}
		default:
			j-- // a word without value (e.g. a flag): step one
		}
	}
	return s
}

func linuxPrefix(s string) netip.Prefix {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked()
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen())
	}
	return netip.Prefix{}
}

func linuxProto(s string) uint8 {
	if p, ok := swanProtos[strings.ToLower(s)]; ok {
		return p
	}
	n, _ := strconv.ParseUint(s, 10, 8)
	return uint8(n)
}

// linuxAnySel reports a selector that is unset (0.0.0.0/0 both ways, any).
func linuxAnySel(s netmodel.Selector) bool {
	return (!s.Local.IsValid() || s.Local.Bits() == 0) && (!s.Remote.IsValid() || s.Remote.Bits() == 0) &&
		s.Proto == 0 && s.LocalPorts.Any() && s.RemotePorts.Any()
}

func linuxMergeXfrmState(d *netmodel.Device, file, _ string, states []linuxXfrmState) {
	own := swanOwnAddrs(d)
	for _, c := range d.IPsec.IKEConfigs {
		if c.LocalAddr.IsValid() {
			own[c.LocalAddr] = true
		}
	}
	used := make([]bool, len(states))
	src := func(s linuxXfrmState) netmodel.Source { return setFile(netmodel.Lines(s.start, s.end), file) }
	// states that complete an SA already known by SPI
	x := swanIndex(d)
	for i, s := range states {
		if s.spi == 0 {
			continue
		}
		c := x.out[s.spi]
		if c == nil || c.RemoteAddr.IsValid() && c.RemoteAddr != s.dst {
			c = x.in[s.spi]
			if c != nil && c.LocalAddr.IsValid() && c.LocalAddr != s.dst {
				c = nil
			}
		}
		if c == nil {
			continue
		}
		used[i] = true
		c.Encap = c.Encap || s.encap
		if c.Mode == "" {
			c.Mode = s.mode
		}
		if c.Protocol == "" {
			c.Protocol = s.proto
		}
		if c.Algs == (netmodel.Algs{}) {
			c.Algs = s.algs
		}
		if c.Lifetime == 0 && s.hardLife > 0 {
			c.Lifetime = s.hardLife
		}
	}
	// the other direction of each state, by reqid, protocol and addresses
	type dirKey struct {
		reqid    uint32
		proto    string
		src, dst netip.Addr
	}
	byDir := map[dirKey][]int{}
	for i, s := range states {
		if !used[i] {
			k := dirKey{s.reqid, s.proto, s.src, s.dst}
			byDir[k] = append(byDir[k], i)
		}
	}
	for i := range states {
		if used[i] {
			continue
		}
		s := states[i]
		peer := -1
		if own[s.src] || own[s.dst] { // the direction is known: pair
			for _, j := range byDir[dirKey{s.reqid, s.proto, s.dst, s.src}] {
				if j != i && !used[j] {
					peer = j
					break
				}
			}
		}
		outS, inS := &states[i], (*linuxXfrmState)(nil)
		switch {
		case s.dir == "in":
			outS, inS = nil, &states[i]
		case s.dir == "out":
		case len(own) > 0 && own[s.dst] && !own[s.src]:
			outS, inS = nil, &states[i]
		}
		if peer >= 0 {
			used[peer] = true
			if outS == nil {
				outS = &states[peer]
			} else {
				inS = &states[peer]
			}
		}
		used[i] = true
		c := &netmodel.ChildSA{Name: "reqid " + strconv.FormatUint(uint64(s.reqid), 10), Remaining: -1}
		first := outS
		if first == nil {
			first = inS
		}
		c.Protocol, c.Mode, c.Encap, c.Algs = first.proto, first.mode, first.encap, first.algs
		c.Lifetime = first.hardLife
		c.Src = src(*first)
		if outS != nil {
			c.LocalAddr, c.RemoteAddr, c.OutSPI = outS.src, outS.dst, outS.spi
			c.BytesOut, c.PacketsOut = outS.bytes, outS.packets
			if !linuxAnySel(outS.sel) {
				c.Selectors = []netmodel.Selector{outS.sel}
			}
		}
		if inS != nil {
			c.LocalAddr, c.RemoteAddr, c.InSPI = inS.dst, inS.src, inS.spi
			c.BytesIn, c.PacketsIn = inS.bytes, inS.packets
			if len(c.Selectors) == 0 && !linuxAnySel(inS.sel) {
				c.Selectors = []netmodel.Selector{inS.sel.Mirror()}
			}
			if outS != nil {
				c.LocalAddr, c.RemoteAddr = outS.src, outS.dst
				lo, hi := min(outS.start, inS.start), max(outS.end, inS.end)
				if hi-lo <= (outS.end-outS.start)+(inS.end-inS.start)+2 { // adjacent blocks
					c.Src = setFile(netmodel.Lines(lo, hi), file)
				}
			}
		}
		c.CountersKnown = (outS == nil || outS.counters) && (inS == nil || inS.counters) && (outS != nil || inS != nil)
		if outS == nil || inS == nil {
			c.State = "unpaired"
		}
		if len(c.Selectors) == 0 && len(own) > 0 && own[c.LocalAddr] {
			// policies are the device's view: they fit a ChildSA seen from it
			for _, cc := range x.child[c.Name] {
				c.Selectors = append(c.Selectors, cc.Selectors...)
			}
		}
		d.IPsec.ChildSAs = append(d.IPsec.ChildSAs, c)
	}
}

// ---- policies ----

type linuxXfrmTmpl struct {
	src, dst netip.Addr
	proto    string
	spi      uint32
	reqid    uint32
	mode     string
}

type linuxXfrmPolicy struct {
	sel        netmodel.Selector // src → Local, dst → Remote, as printed
	dir        string            // in, out, fwd; "" for socket policies
	socket     bool
	action     string
	marked     bool
	tmpls      []linuxXfrmTmpl
	start, end int
}

func linuxParseXfrmPolicy(r io.Reader) ([]linuxXfrmPolicy, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var out []linuxXfrmPolicy
	var errs swanErrs
	var cur *linuxXfrmPolicy
	for i, raw := range lines {
		n := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		f := strings.Fields(t)
		if swanIndent(raw) == 0 {
			if _, _, _, ok := linuxXfrmHead(t); !ok {
				errs.add(n, "unrecognised xfrm policy line %q", t)
				cur = nil
				continue
			}
			out = append(out, linuxXfrmPolicy{start: n, end: n, action: "allow"})
			cur = &out[len(out)-1]
			cur.sel = linuxXfrmSel(f)
			continue
		}
		if cur == nil {
			continue
		}
		cur.end = n
		switch f[0] {
		case "dir", "socket":
			cur.socket = f[0] == "socket"
			if len(f) > 1 {
				cur.dir = f[1]
			}
			for j := 2; j+1 < len(f); j++ {
				if f[j] == "action" {
					cur.action = f[j+1]
				}
			}
		case "mark", "if_id":
			cur.marked = true
		case "tmpl":
			var tp linuxXfrmTmpl
			for j := 1; j+1 < len(f); j += 2 {
				switch f[j] {
				case "src":
					tp.src, _ = swanAddr(f[j+1])
				case "dst":
					tp.dst, _ = swanAddr(f[j+1])
				}
			}
			cur.tmpls = append(cur.tmpls, tp)
		case "proto":
			if len(cur.tmpls) == 0 {
				continue
			}
			tp := &cur.tmpls[len(cur.tmpls)-1]
			for j := 0; j+1 < len(f); j += 2 {
				switch f[j] {
				case "proto":
					tp.proto = f[j+1]
				case "spi":
					tp.spi, _ = swanSPI(f[j+1])
				case "reqid":
					r, _ := strconv.ParseUint(f[j+1], 10, 32)
					tp.reqid = uint32(r)
				case "mode":
					tp.mode = f[j+1]
				default:
					j-- // "level use" and other words
				}
			}
		}
	}
	return out, errs.err()
}

func linuxMergeXfrmPolicy(d *netmodel.Device, file, _ string, pols []linuxXfrmPolicy) {
	type group struct {
		reqid  uint32
		out    []*linuxXfrmPolicy
		in     []*linuxXfrmPolicy
		spi    uint32
		mode   string
		marked bool
	}
	var groups []*group
	byReqid := map[uint32]*group{}
	x := swanIndex(d)
	for i := range pols {
		p := &pols[i]
		if p.socket || len(p.tmpls) == 0 || p.action != "allow" {
			continue
		}
		tp := p.tmpls[len(p.tmpls)-1]
		g := byReqid[tp.reqid]
		if g == nil {
			g = &group{reqid: tp.reqid}
			byReqid[tp.reqid] = g
			groups = append(groups, g)
		}
		g.marked = g.marked || p.marked
		if g.mode == "" {
			g.mode = tp.mode
		}
		switch p.dir {
		case "out":
			g.out = append(g.out, p)
			if tp.spi != 0 {
				g.spi = tp.spi
			}
		case "in", "fwd":
			g.in = append(g.in, p)
		}
	}
	for _, g := range groups {
		var sels []netmodel.Selector
		var first *linuxXfrmPolicy
		for _, p := range g.out {
			sels = swanUnionSelectors(sels, []netmodel.Selector{p.sel})
			if first == nil {
				first = p
			}
		}
		if len(sels) == 0 {
			for _, p := range g.in {
				sels = swanUnionSelectors(sels, []netmodel.Selector{p.sel.Mirror()})
				if first == nil {
					first = p
				}
			}
		}
		if first == nil {
			continue
		}
		c := &netmodel.ChildConfig{
			Name:      "reqid " + strconv.FormatUint(uint64(g.reqid), 10),
			Selectors: sels,
			Src:       setFile(netmodel.Lines(first.start, first.end), file),
		}
		c.RouteBased = swanRouteBased(sels, g.mode) && (g.marked || g.mode == "transport")
		c.PolicyBased = !c.RouteBased
		// the out template names the SPI of a child the daemon listed
		if sa := x.out[g.spi]; sa != nil && g.spi != 0 {
			c.Name, c.IKE = sa.Name, sa.IKE
			if len(sa.Selectors) == 0 {
				sa.Selectors = append([]netmodel.Selector(nil), sels...)
			}
		}
		swanMergeChildConfig(d, x, c)
	}
}
