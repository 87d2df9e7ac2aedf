package parse

// "show security ike security-associations [detail]" and
// "show security ipsec security-associations [detail]" (Junos SRX).
//
// The IKE table form (one line per SA):
//
//	Index   State  Initiator cookie  Responder cookie  Mode           Remote Address
//	7877087 UP     412c5a43aad7682b  b6d24ef8bf25e9ea  IKEv2          35.187.170.191
//
// The IKE detail form, one block per SA (the field indent varies between
// releases and pastes, so it is ignored):
//
//	IKE peer 198.51.100.7, Index 6226807, Gateway Name: azure-gateway
//	  Role: Responder, State: UP
//	  Initiator cookie: 77034040d34a7428, Responder cookie: 2dfe60279d917d73
//	  Exchange type: IKEv2, Authentication method: Pre-shared-keys
//	  Local: 192.0.2.10:500, Remote: 198.51.100.7:500
//	  Lifetime: Expires in 2148 seconds
//	  Algorithms:
//	   Authentication        : hmac-sha1-96
//	   Encryption            : aes256-cbc
//	   Pseudo random function: hmac-sha1
//	   Diffie-Hellman group  : DH-group-2
//	  ...
//	  Negotiation type: Quick mode, Role: Responder, Message ID: 0
//	   Local: ..., Remote: ...       (a phase-2 negotiation, not the IKE SA)
//
// The IPsec table form, an inbound (<) and an outbound (>) line per tunnel:
//
//	  Total active tunnels: 2
//	  ID    Algorithm       SPI      Life:sec/kb  Mon lsys Port  Gateway
//	  <131073 ESP:aes-cbc-128/sha1 a2fde6d8 2618/ unlim - root 500 35.230.59.183
//	  >131073 ESP:aes-cbc-128/sha1 a1854938 2618/ unlim - root 500 35.230.59.183
//
// The IPsec detail form, one block per tunnel:
//
//	ID: 131073 Virtual-system: root, VPN Name: vpn-a
//	  Local Gateway: 192.0.2.10, Remote Gateway: 198.51.100.7
//	  Local Identity: ipv4_subnet(any:0,[0..7]=10.1.0.0/24)
//	  Remote Identity: ipv4_subnet(any:0,[0..7]=10.2.0.0/24)
//	  Version: IKEv2
//	  DF-bit: clear, Copy-Outer-DSCP Disabled, Bind-interface: st0.0
//	  Port: 500, Nego#: 26, Fail#: 0, Def-Del#: 0 Flag: 0x600a21
//	  Direction: inbound, SPI: 8512d6f5, AUX-SPI: 0
//	    Hard lifetime: Expires in 2010 seconds
//	    Mode: Tunnel(0 0), Type: dynamic, State: installed
//	    Protocol: ESP, Authentication: hmac-sha1-96, Encryption: aes-cbc (256 bits)
//	  Direction: outbound, SPI: 32c3a32a, AUX-SPI: 0
//	    ...

import (
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ---- detection ----

func junosIKETableHeader(t string) bool {
	return junosSameFields(t, "Index", "State", "Initiator", "cookie", "Responder", "cookie", "Mode", "Remote", "Address")
}

func junosIKEDetailHead(t string) bool {
	return strings.HasPrefix(t, "IKE peer ") && strings.Contains(t, ", Index ")
}

func junosDetectIKESA(lines []string) bool {
	for _, t := range junosFirstLines(lines, 20) {
		if junosIKETableHeader(t) || junosIKEDetailHead(t) {
			return true
		}
	}
	return false
}

func junosIPsecTableHeader(t string) bool {
	f := strings.Fields(t)
	return len(f) >= 4 && f[0] == "ID" && f[1] == "Algorithm" && f[2] == "SPI" && strings.HasPrefix(f[3], "Life:")
}

func junosIPsecDetailHead(t string) bool {
	return strings.HasPrefix(t, "ID: ") && strings.Contains(t, "Virtual-system:")
}

func junosDetectIPsecSA(lines []string) bool {
	for _, t := range junosFirstLines(lines, 20) {
		if junosIPsecTableHeader(t) || junosIPsecDetailHead(t) || strings.HasPrefix(t, "Total active tunnels:") {
			return true
		}
	}
	return false
}

// ---- IKE SAs ----

func junosParseIKESA(r io.Reader) ([]*netmodel.IKESA, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	if junosBlank(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		sas    []*netmodel.IKESA
		errs   junosErrs
		cur    *netmodel.IKESA
		inNeg  bool // inside a phase-2 negotiation of the current block
		inAlgs bool
		seen   bool // a header or block was found
		table  bool
		stated bool // the current block printed its state
	)
	finish := func() {
		if cur == nil {
			return
		}
		if !cur.RemoteAddr.IsValid() || !stated {
			errs.addf(cur.Src.Start, "IKE SA block is incomplete (no peer address or state): output truncated?")
		}
		cur = nil
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if junosSkip(t) {
			continue
		}
		if e := junosDeviceError(t); e != "" {
			finish()
			errs.addf(ln, "the device refused the command: %s", e)
			continue
		}
		if junosIKETableHeader(t) {
			finish()
			seen, table = true, true
			continue
		}
		if junosIKEDetailHead(t) {
			finish()
			seen, table, inNeg, inAlgs, stated = true, false, false, false, false
			cur = &netmodel.IKESA{Remaining: -1, Src: netmodel.Lines(ln, ln)}
			sas = append(sas, cur)
			junosIKEHead(cur, t, ln, &errs)
			continue
		}
		if cur != nil {
			cur.Src.End = ln
			junosIKEField(cur, t, &inNeg, &inAlgs, &stated)
			continue
		}
		if table {
			if sa := junosIKERow(t, ln, &errs); sa != nil {
				sas = append(sas, sa)
			}
			continue
		}
		errs.addf(ln, "not part of an IKE SA listing: %q", t)
	}
	finish()
	if !seen && errs.first == nil {
		errs.addf(0, "no IKE SA table or detail block found")
	}
	return sas, errs.err()
}

// junosIKEHead reads "IKE peer 198.51.100.7, Index 6226807, Gateway Name: gw".
func junosIKEHead(sa *netmodel.IKESA, t string, ln int, errs *junosErrs) {
	rest := strings.TrimPrefix(t, "IKE peer ")
	addr, rest, _ := strings.Cut(rest, ",")
	a, err := netip.ParseAddr(strings.TrimSpace(addr))
	if err != nil {
		errs.addf(ln, "IKE peer %q is not an address", strings.TrimSpace(addr))
	} else {
		sa.RemoteAddr = a
	}
	if _, gw, ok := strings.Cut(rest, "Gateway Name:"); ok {
		sa.Name = strings.TrimSpace(gw)
	}
}

// junosIKEField reads one line inside a detail block.
func junosIKEField(sa *netmodel.IKESA, t string, inNeg, inAlgs, stated *bool) {
	if strings.HasPrefix(t, "Negotiation type:") {
		*inNeg, *inAlgs = true, false
		return
	}
	if *inNeg {
		return
	}
	if t == "Algorithms:" {
		*inAlgs = true
		return
	}
	if *inAlgs {
		k, v, ok := junosKV(t)
		if ok {
			switch k {
			case "Authentication":
				sa.Algs.Integrity = netmodel.NormIntegrity(v)
				return
			case "Encryption":
				sa.Algs.Encryption = junosNormEnc(v)
				return
			case "Pseudo random function":
				sa.Algs.PRF = netmodel.NormPRF(v)
				return
			case "Diffie-Hellman group":
				sa.Algs.DH = netmodel.NormDH(v)
				return
			}
		}
		*inAlgs = false
	}
	p := junosPairs(t)
	if v, ok := p["State"]; ok && (strings.HasPrefix(t, "Role:") || strings.HasPrefix(t, "State:")) {
		sa.State = v
		sa.Up = strings.EqualFold(v, "UP")
		*stated = true
	}
	if v, ok := p["Initiator cookie"]; ok {
		sa.InitSPI = v
	}
	if v, ok := p["Responder cookie"]; ok {
		sa.RespSPI = v
	}
	if v, ok := p["Exchange type"]; ok {
		switch strings.ToLower(v) {
		case "ikev2":
			sa.Version = 2
		case "main":
			sa.Version = 1
		case "aggressive":
			sa.Version, sa.Aggressive = 1, true
		}
	}
	if strings.HasPrefix(t, "Local:") {
		if v, ok := p["Local"]; ok {
			if a, port, ok := junosAddrPort(v); ok {
				sa.LocalAddr, sa.LocalPort = a, port
			}
		}
		if v, ok := p["Remote"]; ok {
			if a, port, ok := junosAddrPort(v); ok {
				sa.RemoteAddr, sa.RemotePort = a, port
			}
		}
	}
	if v, ok := p["Lifetime"]; ok && strings.HasPrefix(t, "Lifetime:") {
		if n, ok := junosExpiresIn(v); ok {
			sa.Remaining = n
		}
	}
}

// junosExpiresIn reads "Expires in 2148 seconds".
func junosExpiresIn(v string) (int, bool) {
	f := strings.Fields(v)
	if len(f) >= 3 && f[0] == "Expires" && f[1] == "in" {
		n, err := strconv.Atoi(f[2])
		return n, err == nil && n >= 0
	}
	return 0, false
}

// junosIKERow reads a table row:
// "7877087 UP     412c5a43aad7682b  b6d24ef8bf25e9ea  IKEv2          35.187.170.191".
func junosIKERow(t string, ln int, errs *junosErrs) *netmodel.IKESA {
	f := strings.Fields(t)
	if len(f) != 6 || !junosDigits(f[0]) {
		errs.addf(ln, "IKE SA table row does not fit: %q", t)
		return nil
	}
	sa := &netmodel.IKESA{State: f[1], Up: strings.EqualFold(f[1], "UP"), InitSPI: f[2], RespSPI: f[3],
		Remaining: -1, Src: netmodel.Lines(ln, ln)}
	switch strings.ToLower(f[4]) {
	case "ikev2":
		sa.Version = 2
	case "main":
		sa.Version = 1
	case "aggressive":
		sa.Version, sa.Aggressive = 1, true
	}
	if a, err := netip.ParseAddr(f[5]); err == nil {
		sa.RemoteAddr = a
	}
	return sa
}

func junosMergeIKESA(d *netmodel.Device, file, _ string, sas []*netmodel.IKESA) {
	for _, sa := range sas {
		if sa == nil {
			continue
		}
		sa.Src = setFile(sa.Src, file)
		d.IPsec.IKESAs = append(d.IPsec.IKESAs, sa)
	}
}

// ---- IPsec SAs ----

func junosParseIPsecSA(r io.Reader) ([]*netmodel.ChildSA, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	if junosBlank(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		sas   []*netmodel.ChildSA
		errs  junosErrs
		cur   *netmodel.ChildSA
		dir   string // direction of the detail sub-block being read
		seen  bool
		table bool
		rows  = map[string]*netmodel.ChildSA{} // table: tunnel ID → SA
	)
	finish := func() {
		if cur == nil {
			return
		}
		if cur.InSPI == 0 && cur.OutSPI == 0 {
			errs.addf(cur.Src.Start, "IPsec SA %s has no inbound or outbound SA: output truncated?", cur.Name)
		}
		cur = nil
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if junosSkip(t) {
			continue
		}
		if e := junosDeviceError(t); e != "" {
			finish()
			errs.addf(ln, "the device refused the command: %s", e)
			continue
		}
		switch {
		case strings.HasPrefix(t, "Total active tunnels:"):
			finish()
			seen = true
			continue
		case junosIPsecTableHeader(t):
			finish()
			seen, table = true, true
			continue
		case junosIPsecDetailHead(t):
			finish()
			seen, table, dir = true, false, ""
			cur = &netmodel.ChildSA{Remaining: -1, Src: netmodel.Lines(ln, ln)}
			sas = append(sas, cur)
			if _, name, ok := strings.Cut(t, "VPN Name:"); ok {
				cur.Name = strings.TrimSpace(name)
			}
			continue
		}
		if cur != nil {
			cur.Src.End = ln
			junosIPsecField(cur, t, ln, &dir, &errs)
			continue
		}
		if table && (t[0] == '<' || t[0] == '>') {
			if sa := junosIPsecRow(t, ln, rows, &errs); sa != nil {
				sas = append(sas, sa)
			}
			continue
		}
		errs.addf(ln, "not part of an IPsec SA listing: %q", t)
	}
	finish()
	if table {
		for _, sa := range sas {
			if sa.InSPI == 0 || sa.OutSPI == 0 {
				errs.addf(sa.Src.Start, "IPsec tunnel has only one direction listed: output truncated?")
			}
		}
	}
	if !seen && errs.first == nil {
		errs.addf(0, "no IPsec SA table or detail block found")
	}
	return sas, errs.err()
}

// junosIPsecField reads one line inside a detail block.
func junosIPsecField(sa *netmodel.ChildSA, t string, ln int, dir *string, errs *junosErrs) {
	p := junosPairs(t)
	switch {
	case strings.HasPrefix(t, "Local Gateway:"):
		if a, err := netip.ParseAddr(p["Local Gateway"]); err == nil {
			sa.LocalAddr = a
		}
		if a, err := netip.ParseAddr(p["Remote Gateway"]); err == nil {
			sa.RemoteAddr = a
		}
		return
	case strings.HasPrefix(t, "Local Identity:"), strings.HasPrefix(t, "Remote Identity:"):
		k, v, _ := junosKV(t)
		ids, err := junosProxyIDs(v)
		if err != nil {
			errs.addf(ln, "%s: %v", k, err)
			return
		}
		junosAddIdentity(sa, k == "Local Identity", ids)
		return
	case strings.HasPrefix(t, "Direction:"):
		*dir = p["Direction"]
		spi, err := junosSPI(p["SPI"])
		if err != nil {
			errs.addf(ln, "SPI %q: %v", p["SPI"], err)
			return
		}
		switch *dir {
		case "inbound":
			sa.InSPI = spi
		case "outbound":
			sa.OutSPI = spi
		}
		return
	}
	if v, ok := p["Bind-interface"]; ok {
		sa.Interface = v
	}
	if v, ok := p["Port"]; ok && strings.HasPrefix(t, "Port:") {
		sa.Encap = v == "4500"
	}
	if v, ok := p["Hard lifetime"]; ok {
		if n, ok := junosExpiresIn(v); ok && (sa.Remaining < 0 || n < sa.Remaining) {
			sa.Remaining = n
		}
	}
	if v, ok := p["Mode"]; ok && strings.HasPrefix(t, "Mode:") {
		m, _, _ := strings.Cut(v, "(")
		sa.Mode = strings.ToLower(strings.TrimSpace(m))
		if st, ok := p["State"]; ok && (*dir == "inbound" || sa.State == "") {
			sa.State = st
		}
	}
	if v, ok := p["Protocol"]; ok && strings.HasPrefix(t, "Protocol:") {
		sa.Protocol = strings.ToLower(v)
		junosChildAlgs(sa, p["Encryption"], p["Authentication"])
	}
}

// junosChildAlgs stores an IPsec SA's algorithms as the detail form prints
// them ("aes-cbc (256 bits)", "hmac-sha1-96") or the table form
// ("aes-cbc-128", "sha1"); integrity is left empty for AEAD ciphers, whose
// "None" is not a missing integrity check.
func junosChildAlgs(sa *netmodel.ChildSA, enc, auth string) {
	if b, rest, ok := strings.Cut(enc, "("); ok { // "aes-cbc (256 bits)"
		bits := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), ")"))
		bits = strings.TrimSpace(strings.TrimSuffix(bits, "bits"))
		enc = strings.TrimSpace(b) + "-" + bits
	}
	if enc != "" {
		sa.Algs.Encryption = junosNormEnc(enc)
	}
	if auth != "" && !junosAEAD(sa.Algs.Encryption) {
		sa.Algs.Integrity = netmodel.NormIntegrity(auth)
	}
}

func junosAEAD(enc string) bool {
	return strings.Contains(enc, "gcm") || strings.Contains(enc, "ccm") || strings.HasPrefix(enc, "chacha")
}

// junosSPI reads an SPI printed as "8512d6f5" or "0x8512d6f5".
func junosSPI(s string) (uint32, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "0x"), "0X")
	if s == "" || len(s) > 8 {
		return 0, errorf(0, "not a 32-bit hex SPI")
	}
	n, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, errorf(0, "not a 32-bit hex SPI")
	}
	return uint32(n), nil
}

// junosProxyID is one identity of a proxy ID: a prefix, protocol and ports.
type junosProxyID struct {
	prefix netip.Prefix
	proto  uint8
	ports  netmodel.PortRange
}

// junosProxyIDs reads an identity as the IPsec detail prints it:
// "ipv4_subnet(any:0,[0..7]=10.1.0.0/24)", "ipv4(any:0,[0..3]=10.1.1.1)",
// "ipv6_subnet(...)", or a list of them:
// "list(any:0,ipv4_subnet(any:0-65535,[0..7]=0.0.0.0/1), ipv4_subnet(...))".
func junosProxyIDs(s string) ([]junosProxyID, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "list(") {
		var out []junosProxyID
		rest := s
		for {
			i := strings.Index(rest, "ipv")
			if i < 0 {
				break
			}
			rest = rest[i:]
			j := strings.IndexByte(rest, ')')
			if j < 0 {
				return nil, errorf(0, "unterminated identity %q", rest)
			}
			id, err := junosProxyID1(rest[:j+1])
			if err != nil {
				return nil, err
			}
			out = append(out, id)
			rest = rest[j+1:]
		}
		if len(out) == 0 {
			return nil, errorf(0, "no identity in %q", s)
		}
		return out, nil
	}
	id, err := junosProxyID1(s)
	if err != nil {
		return nil, err
	}
	return []junosProxyID{id}, nil
}

func junosProxyID1(s string) (junosProxyID, error) {
	kind, body, ok := strings.Cut(s, "(")
	if !ok || !strings.HasSuffix(body, ")") {
		return junosProxyID{}, errorf(0, "identity %q not understood", s)
	}
	body = strings.TrimSuffix(body, ")")
	sel, val, ok := strings.Cut(body, "=")
	if !ok {
		// Newer releases print a bare range: ipv4(0.0.0.0-255.255.255.255).
		lo, hi, isRange := strings.Cut(body, "-")
		a, errA := netip.ParseAddr(lo)
		b, errB := netip.ParseAddr(hi)
		if !isRange || errA != nil || errB != nil {
			return junosProxyID{}, errorf(0, "identity %q has no address", s)
		}
		p, ok := rangePrefix(a, b)
		if !ok {
			return junosProxyID{}, errorf(0, "identity %q: range %s-%s is not one prefix", s, a, b)
		}
		return junosProxyID{prefix: p}, nil
	}
	var id junosProxyID
	// sel is "any:0,[0..7]" or "tcp:80,[0..7]"
	pp, _, _ := strings.Cut(sel, ",")
	proto, ports, _ := strings.Cut(pp, ":")
	switch strings.ToLower(proto) {
	case "any", "":
	case "tcp":
		id.proto = 6
	case "udp":
		id.proto = 17
	case "icmp":
		id.proto = 1
	case "gre":
		id.proto = 47
	case "esp":
		id.proto = 50
	default:
		n, err := strconv.Atoi(proto)
		if err != nil || n < 0 || n > 255 {
			return junosProxyID{}, errorf(0, "identity %q: unknown protocol %q", s, proto)
		}
		id.proto = uint8(n)
	}
	lo, hi, isRange := strings.Cut(ports, "-")
	l, err1 := strconv.Atoi(lo)
	h := l
	var err2 error
	if isRange {
		h, err2 = strconv.Atoi(hi)
	}
	if err1 != nil || err2 != nil || l < 0 || h > 65535 || l > h {
		return junosProxyID{}, errorf(0, "identity %q: ports %q not understood", s, ports)
	}
	if !(l == 0 && (h == 0 || h == 65535)) {
		id.ports = netmodel.PortRange{Lo: uint16(l), Hi: uint16(h)}
	}
	switch kind {
	case "ipv4_subnet", "ipv6_subnet":
		p, err := netip.ParsePrefix(val)
		if err != nil {
			return junosProxyID{}, errorf(0, "identity %q: %q is not a prefix", s, val)
		}
		id.prefix = p.Masked()
	case "ipv4", "ipv6":
		a, err := netip.ParseAddr(val)
		if err != nil {
			return junosProxyID{}, errorf(0, "identity %q: %q is not an address", s, val)
		}
		id.prefix = netip.PrefixFrom(a, a.BitLen())
	default:
		return junosProxyID{}, errorf(0, "identity kind %q not understood", kind)
	}
	return id, nil
}

// junosAddIdentity combines a local or remote identity with the other side
// already read into selectors (every local with every remote).
func junosAddIdentity(sa *netmodel.ChildSA, local bool, ids []junosProxyID) {
	// Identities are read local first, then remote: keep the locals as
	// half-filled selectors until the remotes arrive.
	if local {
		sa.Selectors = sa.Selectors[:0]
		for _, id := range ids {
			sa.Selectors = append(sa.Selectors, netmodel.Selector{Local: id.prefix, Proto: id.proto, LocalPorts: id.ports})
		}
		return
	}
	locals := sa.Selectors
	if len(locals) == 0 {
		locals = []netmodel.Selector{{}}
	}
	var out []netmodel.Selector
	for _, l := range locals {
		for _, id := range ids {
			s := l
			s.Remote, s.RemotePorts = id.prefix, id.ports
			if s.Proto == 0 {
				s.Proto = id.proto
			}
			out = append(out, s)
		}
	}
	sa.Selectors = out
}

// junosIPsecRow reads "<131073 ESP:aes-cbc-128/sha1 a2fde6d8 2618/ unlim - root 500 35.230.59.183"
// (the lifetime may also be "21727/unlim", one field).
func junosIPsecRow(t string, ln int, rows map[string]*netmodel.ChildSA, errs *junosErrs) *netmodel.ChildSA {
	f := strings.Fields(t)
	in := t[0] == '<'
	id := f[0][1:]
	if id == "" && len(f) > 1 { // "< 131073 ..."
		id, f = f[1], f[1:]
	}
	if !junosDigits(id) || len(f) < 7 {
		errs.addf(ln, "IPsec SA table row does not fit: %q", t)
		return nil
	}
	alg, spiText := f[1], f[2]
	life := f[3]
	k := 4
	if strings.HasSuffix(life, "/") { // "2618/ unlim"
		k = 5
	}
	if len(f) < k+4 {
		errs.addf(ln, "IPsec SA table row does not fit: %q", t)
		return nil
	}
	port, gw := f[k+2], f[k+3]
	spi, err := junosSPI(spiText)
	if err != nil {
		errs.addf(ln, "SPI %q: %v", spiText, err)
		return nil
	}
	secs, _, _ := strings.Cut(life, "/")
	sa := rows[id]
	fresh := sa == nil
	if fresh {
		sa = &netmodel.ChildSA{Remaining: -1, Src: netmodel.Lines(ln, ln)}
		rows[id] = sa
	}
	sa.Src.End = ln
	if in {
		sa.InSPI = spi
	} else {
		sa.OutSPI = spi
	}
	if n, err := strconv.Atoi(secs); err == nil && n >= 0 && (sa.Remaining < 0 || n < sa.Remaining) {
		sa.Remaining = n
	}
	proto, algs, _ := strings.Cut(alg, ":")
	sa.Protocol = strings.ToLower(proto)
	enc, auth, _ := strings.Cut(algs, "/")
	junosChildAlgs(sa, enc, auth)
	sa.Encap = port == "4500"
	if a, err := netip.ParseAddr(gw); err == nil {
		sa.RemoteAddr = a
	}
	if !fresh {
		return nil
	}
	return sa
}

func junosMergeIPsecSA(d *netmodel.Device, file, _ string, sas []*netmodel.ChildSA) {
	for _, sa := range sas {
		if sa == nil {
			continue
		}
		sa.Src = setFile(sa.Src, file)
		d.IPsec.ChildSAs = append(d.IPsec.ChildSAs, sa)
	}
}

// rangePrefix returns the prefix that is exactly lo..hi, if there is one.
func rangePrefix(lo, hi netip.Addr) (netip.Prefix, bool) {
	if lo.BitLen() != hi.BitLen() {
		return netip.Prefix{}, false
	}
	for bits := 0; bits <= lo.BitLen(); bits++ {
		p := netip.PrefixFrom(lo, bits).Masked()
		if p.Addr() != lo {
			continue
		}
		// The last address of p must be hi.
		last := p.Addr().AsSlice()
		for i := bits; i < lo.BitLen(); i++ {
			last[i/8] |= 0x80 >> (i % 8)
		}
		if l, ok := netip.AddrFromSlice(last); ok && l.Unmap() == hi.Unmap() {
			return p, true
		}
	}
	return netip.Prefix{}, false
}
