package parse

import (
	"io"
	"net/netip"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// "show crypto ipsec sa [detail]" on IOS/IOS-XE and the ASA. One block per
// (interface, crypto map entry, local identity, remote identity):
//
//	interface: Tunnel2
//	    Crypto map tag: Tunnel2-head-0, local addr 70.70.70.70      (ASA: ", seq num: 10, local addr: A")
//	   protected vrf: (none)                                         (IOS only)
//	   local  ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)
//	   remote ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)
//	   current_peer 71.71.71.71 port 500                             (ASA: "current_peer: A")
//	    #pkts encaps: 4, #pkts encrypt: 4, #pkts digest: 4
//	    #pkts decaps: 12, #pkts decrypt: 915, #pkts verify: 915
//	     local crypto endpt.: 70.70.70.70, remote crypto endpt.: 71.71.71.71
//	     current outbound spi: 0xBFD0E7BA(3218139066)
//	     PFS (Y/N): N, DH group: none
//	     inbound esp sas:
//	      spi: 0x50A0FB1C(1352727324)
//	        transform: esp-gcm ,
//	        in use settings ={Tunnel, esn}
//	         sa timing: remaining key lifetime (k/sec): (3/92)
//	        Status: ACTIVE(ACTIVE)
//	     outbound esp sas:
//	      spi: 0xBFD0E7BA(3218139066)
//	      ...
//
// Each block gives one ChildSA: the SA pair in use (the current outbound
// SPI and the inbound SA at the same position, or the ASA's "current
// inbound spi"), the identities as its selector, the peer and the packet
// counters of the block. A block whose SA lists are empty (a crypto map
// entry or tunnel whose phase 2 is not up) still gives a ChildSA, with
// both SPIs zero, Protocol "" and State "": the configured selector is
// there for the rules to compare, and the zero SPIs say nothing is
// installed.

// ioscrDetectIPsecSA tells IOS from ASA "show crypto ipsec sa" by the
// punctuation of the lines both print.
func ioscrDetectIPsecSA(lines []string) netmodel.Platform {
	ident := false
	ios, asa := 0, 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "local ident (addr/mask/prot/port):") || strings.HasPrefix(t, "local  ident (addr/mask/prot/port):") ||
			strings.HasPrefix(t, "remote ident (addr/mask/prot/port):"):
			ident = true
		case strings.HasPrefix(t, "Crypto map tag:"):
			if strings.Contains(t, "local addr:") || strings.Contains(t, ", seq num:") {
				asa++
			} else if strings.Contains(t, "local addr ") {
				ios++
			}
		case strings.HasPrefix(t, "current_peer:"):
			asa++
		case strings.HasPrefix(t, "current_peer ") && strings.Contains(t, " port "):
			ios++
		case strings.HasPrefix(t, "protected vrf:"):
			ios++
		}
	}
	switch {
	case !ident:
		return netmodel.PlatformUnknown
	case asa > 0 && ios == 0:
		return netmodel.ASA
	case ios > 0 && asa == 0:
		return netmodel.IOS
	}
	return netmodel.PlatformUnknown
}

// ioscrSA is one SA of a block's inbound or outbound list.
type ioscrSA struct {
	spi        uint32
	line       int
	enc, integ string
	mode       string
	encap      bool
	remaining  int
	state      string
	transform  bool
}

// ioscrSABlock is one identity block being read.
type ioscrSABlock struct {
	start, end    int
	iface, tag    string
	localAddr     netip.Addr
	sel           netmodel.Selector
	haveLocal     bool
	haveRemote    bool
	peer          netip.Addr
	peerPort      uint16
	encaps        uint64
	decaps        uint64
	sawEncaps     bool
	sawDecaps     bool
	sawEndpt      bool
	curOut, curIn uint32
	haveCurOut    bool
	haveCurIn     bool
	pfs           string
	sawOutList    bool
	lists         map[string][]*ioscrSA // "inbound esp", "outbound ah", ...
	section       string
}

func ioscrParseIPsecSA(r io.Reader, p netmodel.Platform) ([]*netmodel.ChildSA, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return nil, err
	}
	var (
		out      []*netmodel.ChildSA
		errs     ioscrErrs
		iface    string
		tag      string
		tagAddr  netip.Addr
		b        *ioscrSABlock
		hdrStart int // first header line (interface/map tag/vrf/acl) of the next block
		sawAny   bool
	)
	finish := func(eof bool) {
		if b == nil {
			return
		}
		if cs := ioscrBuildChildSA(p, b, &errs, eof); cs != nil {
			out = append(out, cs)
		}
		b = nil
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		switch {
		case strings.HasPrefix(t, "interface:"):
			finish(false)
			iface = netmodel.CanonicalIfName(p, strings.TrimSpace(strings.TrimPrefix(t, "interface:")))
			tag, tagAddr = "", netip.Addr{}
			hdrStart = ln
			sawAny = true
			continue
		case strings.HasPrefix(t, "Crypto map tag:"):
			finish(false)
			if hdrStart == 0 {
				hdrStart = ln
			}
			tag, tagAddr = ioscrMapTag(t, &errs, ln)
			continue
		case strings.HasPrefix(t, "protected vrf:") || strings.HasPrefix(t, "access-list ") || strings.HasPrefix(t, "Protected vrf"):
			finish(false)
			if hdrStart == 0 {
				hdrStart = ln
			}
			continue
		case strings.HasPrefix(t, "local ident") || strings.HasPrefix(t, "local  ident"):
			finish(false)
			sawAny = true
			start := hdrStart
			if start == 0 {
				start = ln
			}
			hdrStart = 0
			b = &ioscrSABlock{start: start, end: ln, iface: iface, tag: tag, localAddr: tagAddr, lists: map[string][]*ioscrSA{}}
			pr, proto, port, ok := ioscrIdentLine(t)
			if !ok {
				errs.addf(ln, "local identity %q is not (addr/mask/prot/port)", t)
				continue
			}
			b.sel.Local, b.sel.Proto, b.sel.LocalPorts, b.haveLocal = pr, proto, port.rng(), true
			continue
		}
		if b == nil {
			if strings.HasPrefix(t, "There are no ipsec sas") || strings.HasPrefix(t, "There are no IPsec SAs") ||
				strings.HasPrefix(t, "No SAs found") {
				sawAny = true
			}
			continue
		}
		b.end = ln
		ioscrSALine(p, b, &errs, ln, t)
	}
	finish(true)
	if !sawAny {
		errs.addf(0, "no interface or identity blocks found: not \"show crypto ipsec sa\" output")
	}
	return out, errs.err()
}

// ioscrMapTag reads "Crypto map tag: T, local addr A" (IOS) and "Crypto
// map tag: T, seq num: N, local addr: A" (ASA); the name returned is
// "T N" when a sequence number is printed.
func ioscrMapTag(t string, errs *ioscrErrs, ln int) (string, netip.Addr) {
	rest := strings.TrimSpace(strings.TrimPrefix(t, "Crypto map tag:"))
	name := rest
	if i := strings.IndexByte(rest, ','); i >= 0 {
		name = strings.TrimSpace(rest[:i])
	}
	if seq, ok := ioscrAfter(rest, "seq num:"); ok && seq != "" {
		name += " " + seq
	}
	var addr netip.Addr
	i := strings.Index(rest, "local addr")
	if i >= 0 {
		v := strings.TrimLeft(rest[i+len("local addr"):], ": ")
		a, _, ok := ioscrAddr(v)
		if ok {
			addr = a
		} else {
			errs.addf(ln, "crypto map %s: local addr %q is not an address", name, v)
		}
	}
	return name, addr
}

// ioscrIdentLine reads the identity of "local  ident (addr/mask/prot/port): (…)".
func ioscrIdentLine(t string) (netip.Prefix, uint8, ioscrPortNum, bool) {
	i := strings.Index(t, "):")
	if i < 0 {
		return netip.Prefix{}, 0, 0, false
	}
	return ioscrIdent(t[i+2:])
}

// ioscrSALine reads one line inside an identity block.
func ioscrSALine(p netmodel.Platform, b *ioscrSABlock, errs *ioscrErrs, ln int, t string) {
	low := strings.ToLower(t)
	// SA list headers: "inbound esp sas:", "outbound ah sas:".
	if strings.HasSuffix(low, " sas:") && (strings.HasPrefix(low, "inbound ") || strings.HasPrefix(low, "outbound ")) {
		b.section = strings.TrimSuffix(low, " sas:")
		if strings.HasPrefix(b.section, "outbound") {
			b.sawOutList = true
		}
		return
	}
	switch {
	case strings.HasPrefix(t, "remote ident"):
		pr, proto, port, ok := ioscrIdentLine(t)
		if !ok {
			errs.addf(ln, "remote identity %q is not (addr/mask/prot/port)", t)
			return
		}
		b.sel.Remote, b.sel.RemotePorts, b.haveRemote = pr, port.rng(), true
		if b.sel.Proto == 0 {
			b.sel.Proto = proto
		}
	case strings.HasPrefix(t, "current_peer"):
		v := strings.TrimLeft(strings.TrimPrefix(t, "current_peer"), ": ")
		a, _, ok := ioscrAddr(v)
		if !ok {
			errs.addf(ln, "current_peer %q is not an address", strings.Fields(v + " ?")[0])
			return
		}
		b.peer = a
		if port, ok := ioscrAfter(v, " port "); ok {
			if n, ok := ioscrAtoi(port); ok && n < 65536 {
				b.peerPort = uint16(n)
			}
		}
	case strings.HasPrefix(t, "#pkts encaps:"):
		v, _ := ioscrAfter(t, "#pkts encaps:")
		b.encaps, b.sawEncaps = ioscrU64(v, errs, ln, "#pkts encaps"), true
	case strings.HasPrefix(t, "#pkts decaps:"):
		v, _ := ioscrAfter(t, "#pkts decaps:")
		b.decaps, b.sawDecaps = ioscrU64(v, errs, ln, "#pkts decaps"), true
	case strings.HasPrefix(t, "local crypto endpt.:"):
		b.sawEndpt = true
		v, _ := ioscrAfter(t, "local crypto endpt.:")
		if a, _, ok := ioscrAddr(v); ok {
			b.localAddr = a
		} else if !b.localAddr.IsValid() {
			errs.addf(ln, "local crypto endpoint %q is not an address", v)
		}
		if v, ok := ioscrAfter(t, "remote crypto endpt.:"); ok {
			if a, port, ok := ioscrAddr(v); ok {
				if !b.peer.IsValid() {
					b.peer = a
				}
				if port != 0 && b.peerPort == 0 {
					b.peerPort = port
				}
			}
		}
	case strings.HasPrefix(t, "current outbound spi:"):
		v := strings.TrimSpace(strings.TrimPrefix(t, "current outbound spi:"))
		spi, ok := ioscrSPI(v)
		if !ok {
			errs.addf(ln, "current outbound spi %q is not hexadecimal", v)
			return
		}
		b.curOut, b.haveCurOut = spi, true
	case strings.HasPrefix(t, "current inbound spi"):
		_, v, _ := strings.Cut(t, ":")
		if spi, ok := ioscrSPI(v); ok {
			b.curIn, b.haveCurIn = spi, true
		} else {
			errs.addf(ln, "current inbound spi %q is not hexadecimal", strings.TrimSpace(v))
		}
	case strings.HasPrefix(t, "PFS (Y/N):"):
		yn, _ := ioscrAfter(t, "PFS (Y/N):")
		if strings.EqualFold(yn, "Y") {
			g, _ := ioscrAfter(t, "DH group:")
			b.pfs = ioscrDH(g)
		}
	case strings.HasPrefix(t, "spi:"):
		if b.section == "" {
			errs.addf(ln, "spi outside an inbound/outbound SA list")
			return
		}
		v := strings.TrimSpace(strings.TrimPrefix(t, "spi:"))
		spi, ok := ioscrSPI(v)
		if !ok {
			errs.addf(ln, "spi %q is not hexadecimal", v)
			return
		}
		b.lists[b.section] = append(b.lists[b.section], &ioscrSA{spi: spi, line: ln, remaining: -1})
	default:
		sa := ioscrCurSA(b)
		if sa == nil {
			return
		}
		switch {
		case strings.HasPrefix(t, "transform:"):
			sa.transform = true
			sa.enc, sa.integ = ioscrTransform(strings.Fields(strings.TrimPrefix(t, "transform:")))
		case strings.HasPrefix(t, "in use settings"):
			_, v, _ := strings.Cut(t, "{")
			for _, f := range strings.Split(strings.TrimSuffix(v, "}"), ",") {
				f = strings.ToLower(strings.TrimSpace(f))
				switch {
				case f == "tunnel":
					sa.mode = "tunnel"
				case f == "transport" || strings.HasPrefix(f, "transport "):
					sa.mode = "transport"
					if strings.Contains(f, "encaps") {
						sa.encap = true
					}
				case strings.Contains(f, "udp-encaps") || strings.Contains(f, "nat-t-encaps"):
					sa.encap = true
				}
			}
		case strings.HasPrefix(t, "sa timing:"):
			_, v, ok := strings.Cut(t, "):")
			if !ok {
				errs.addf(ln, "sa timing %q", t)
				return
			}
			v = strings.Trim(strings.TrimSpace(v), "()")
			if i := strings.LastIndexByte(v, '/'); i >= 0 {
				v = v[i+1:]
			}
			n, ok := ioscrAtoi(v)
			if !ok {
				errs.addf(ln, "remaining key lifetime %q is not a number of seconds", v)
				return
			}
			sa.remaining = n
		case strings.HasPrefix(t, "Status:"):
			st := strings.TrimSpace(strings.TrimPrefix(t, "Status:"))
			if i := strings.IndexByte(st, '('); i > 0 {
				st = st[:i]
			}
			sa.state = st
		case strings.HasPrefix(t, "SA State:"):
			sa.state = strings.TrimSpace(strings.TrimPrefix(t, "SA State:"))
		}
	}
	_ = p
}

func ioscrCurSA(b *ioscrSABlock) *ioscrSA {
	l := b.lists[b.section]
	if len(l) == 0 {
		return nil
	}
	return l[len(l)-1]
}

func ioscrU64(v string, errs *ioscrErrs, ln int, what string) uint64 {
	n, ok := ioscrAtoi(v)
	if !ok {
		errs.addf(ln, "%s %q is not a number", what, v)
		return 0
	}
	return uint64(n)
}

// ioscrBuildChildSA turns a finished block into a ChildSA, reporting what
// the block lacks (a block cut short at the end of the output is truncated
// output).
func ioscrBuildChildSA(p netmodel.Platform, b *ioscrSABlock, errs *ioscrErrs, eof bool) *netmodel.ChildSA {
	if !b.haveLocal {
		return nil
	}
	what := "identity " + b.sel.Local.String()
	if !b.haveRemote {
		errs.addf(b.start, "%s: no remote identity (output truncated?)", what)
		return nil
	}
	what = "identity " + b.sel.String()
	var missing []string
	if !b.sawEncaps || !b.sawDecaps {
		missing = append(missing, "packet counters")
	}
	if !b.sawEndpt {
		missing = append(missing, "crypto endpoints")
	}
	if p == netmodel.IOS && !b.sawOutList {
		missing = append(missing, "outbound SA list")
	}
	for _, l := range b.lists {
		for _, sa := range l {
			if !sa.transform {
				errs.addf(sa.line, "%s: SA 0x%08X has no transform line (output truncated?)", what, sa.spi)
			}
		}
	}
	if len(missing) > 0 {
		why := ""
		if eof {
			why = " (output truncated?)"
		}
		errs.addf(b.start, "%s: block ends without its %s%s", what, strings.Join(missing, " and "), why)
	}
	cs := &netmodel.ChildSA{
		Name:          b.tag,
		LocalAddr:     b.localAddr,
		RemoteAddr:    b.peer,
		Selectors:     []netmodel.Selector{b.sel},
		PacketsOut:    b.encaps,
		PacketsIn:     b.decaps,
		CountersKnown: b.sawEncaps && b.sawDecaps,
		Remaining:     -1,
		Interface:     b.iface,
		Src:           netmodel.Lines(b.start, b.end),
	}
	cs.Encap = b.peerPort == 4500
	cs.Algs.DH = b.pfs
	proto := "esp"
	in, outl := b.lists["inbound esp"], b.lists["outbound esp"]
	if len(in) == 0 && len(outl) == 0 {
		proto = "ah"
		in, outl = b.lists["inbound ah"], b.lists["outbound ah"]
	}
	if len(in) == 0 && len(outl) == 0 {
		return cs // configured identity, no SA installed
	}
	cs.Protocol = proto
	oi := 0
	for i, sa := range outl {
		if b.haveCurOut && sa.spi == b.curOut {
			oi = i
		}
	}
	ii := oi
	if b.haveCurIn {
		for i, sa := range in {
			if sa.spi == b.curIn {
				ii = i
			}
		}
	}
	var chosen *ioscrSA
	if oi < len(outl) {
		chosen = outl[oi]
		cs.OutSPI = chosen.spi
	}
	if len(in) > 0 {
		if ii >= len(in) {
			ii = 0
		}
		cs.InSPI = in[ii].spi
		if chosen == nil {
			chosen = in[ii]
		}
	}
	cs.Algs.Encryption, cs.Algs.Integrity = chosen.enc, chosen.integ
	cs.Mode = chosen.mode
	cs.Encap = cs.Encap || chosen.encap
	cs.State = chosen.state
	cs.Remaining = chosen.remaining
	if len(in) > 0 && in[ii].remaining >= 0 && (cs.Remaining < 0 || in[ii].remaining < cs.Remaining) {
		cs.Remaining = in[ii].remaining
	}
	return cs
}
