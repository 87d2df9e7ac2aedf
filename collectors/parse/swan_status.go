package parse

// ipsec statusall / ipsec status (the legacy stroke interface; RHEL calls it
// "strongswan statusall"):
//
//	Connections:
//	        site:  172.31.0.1...172.31.0.2  IKEv1 Aggressive
//	        site:   local:  [172.31.0.1] uses pre-shared key authentication
//	        site:   remote: [172.31.0.2] uses pre-shared key authentication
//	        site:   child:  10.1.0.0/24 === 10.2.0.0/24 TUNNEL
//	Routed Connections:
//	         net{1}:  ROUTED, TUNNEL, reqid 1
//	         net{1}:   10.1.0.0/24 === 10.2.0.0/24
//	Security Associations (1 up, 0 connecting):
//	        site[1]: ESTABLISHED 6 seconds ago, 172.31.0.1[172.31.0.1]...172.31.0.2[172.31.0.2]
//	        site[1]: IKEv1 SPIs: 6efb11034d33c678_i* 2e0245bad5744ced_r, pre-shared key reauthentication in 7 hours
//	        site[1]: IKE proposal: AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048
//	        site{1}:  INSTALLED, TUNNEL, reqid 1, ESP in UDP SPIs: 710dff48_i 8decf477_o
//	        site{1}:  AES_CBC_128/HMAC_SHA1_96, 420 bytes_i (5 pkts, 4s ago), 420 bytes_o (5 pkts, 4s ago), rekeying in 54 minutes
//	        site{1}:   10.1.0.0/24 === 10.2.0.0/24
//
// A CHILD_SA belongs to the IKE SA listed above it. statusall prints the
// child's rekey time, not its expiry: ChildSA.Remaining stays -1. A
// connection marked "Aggressive" marks the IKE SAs of that name too.
// "Shunted Connections" (bypass/drop) are left out.

import (
	"io"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

func swanDetectStatus(lines []string) bool {
	nb := swanNonBlank(lines, 1)
	if len(nb) == 0 {
		return false
	}
	if strings.HasPrefix(nb[0], "Status of IKE charon daemon") || strings.HasPrefix(nb[0], "Status of IKEv1 pluto daemon") {
		return true
	}
	// ipsec status: no header; its sections still say what it is
	switch {
	case strings.HasPrefix(nb[0], "Security Associations ("), nb[0] == "Shunted Connections:",
		nb[0] == "Routed Connections:":
		return true
	}
	return false
}

// swanStatusName splits the prefix of a statusall line: "site[1]" (IKE SA),
// "net{1}" (CHILD_SA) or "site" (connection), and the rest of the line.
func swanStatusName(t string) (name, kind, rest string, ok bool) {
	i := strings.Index(t, ": ")
	if i <= 0 {
		if strings.HasSuffix(t, ":") {
			i = len(t) - 1
		} else {
			return "", "", "", false
		}
	}
	name, rest = t[:i], strings.TrimSpace(t[i+1:])
	if strings.ContainsAny(name, " \t") {
		return "", "", "", false
	}
	switch {
	case strings.HasSuffix(name, "]") && strings.Contains(name, "["):
		return name[:strings.IndexByte(name, '[')], "ike", rest, true
	case strings.HasSuffix(name, "}") && strings.Contains(name, "{"):
		return name[:strings.IndexByte(name, '{')], "child", rest, true
	}
	return name, "conn", rest, true
}

func swanParseStatus(r io.Reader) (netmodel.IPsec, error) {
	lines, err := swanRead(r)
	if err != nil {
		return netmodel.IPsec{}, err
	}
	var out netmodel.IPsec
	var errs swanErrs
	section := ""
	var conn *netmodel.IKEConfig
	var routed *netmodel.ChildConfig
	var routedMode string
	ikeSAs := map[string]*netmodel.IKESA{} // by name[id]
	childSAs := map[string]*netmodel.ChildSA{}
	var lastIKE *netmodel.IKESA
	for i, raw := range lines {
		n := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if swanIndent(raw) == 0 || strings.HasPrefix(t, "Security Associations (") {
			switch {
			case strings.HasPrefix(t, "Status of "):
				section = "header"
				continue
			case t == "Listening IP addresses:":
				section = "listen"
				continue
			case t == "Connections:":
				section = "conns"
				continue
			case t == "Shunted Connections:":
				section = "shunted"
				continue
			case t == "Routed Connections:":
				section = "routed"
				continue
			case strings.HasPrefix(t, "Security Associations ("):
				section = "sas"
				continue
			}
		}
		switch section {
		case "header", "listen", "shunted":
			continue
		}
		if t == "none" {
			continue
		}
		name, kind, rest, ok := swanStatusName(t)
		if !ok {
			errs.add(n, "unrecognised line %q", t)
			continue
		}
		switch section {
		case "conns":
			swanStatusConn(&out, &conn, name, rest, n)
		case "routed":
			if kind != "child" {
				continue
			}
			if strings.HasPrefix(rest, "ROUTED") {
				routed = &netmodel.ChildConfig{Name: name, Src: netmodel.Lines(n, n)}
				routedMode = ""
				for _, f := range strings.Split(rest, ",") {
					if f = strings.TrimSpace(f); f == "TUNNEL" || f == "TRANSPORT" || f == "BEET" {
						routedMode = f
					}
				}
				out.Children = append(out.Children, routed)
			} else if routed != nil && routed.Name == name && strings.Contains(rest, "===") {
				l, rr, _ := strings.Cut(rest, "===")
				lts, _ := swanTSList(l)
				rts, _ := swanTSList(rr)
				routed.Selectors = swanSelectors(lts, rts)
				routed.RouteBased = swanRouteBased(routed.Selectors, routedMode)
				routed.PolicyBased = !routed.RouteBased
				routed.Src.End = n
			}
		case "sas":
			switch kind {
			case "ike":
				key := t[:strings.IndexByte(t, ']')+1]
				s := ikeSAs[key]
				if s == nil {
					s = &netmodel.IKESA{Name: name, Remaining: -1, Src: netmodel.Lines(n, n)}
					ikeSAs[key] = s
					out.IKESAs = append(out.IKESAs, s)
				}
				s.Src.End = n
				lastIKE = s
				swanStatusIKESA(s, rest)
			case "child":
				key := t[:strings.IndexByte(t, '}')+1]
				c := childSAs[key]
				if c == nil {
					c = &netmodel.ChildSA{Name: name, Remaining: -1, Src: netmodel.Lines(n, n)}
					if lastIKE != nil {
						c.IKE, c.LocalAddr, c.RemoteAddr = lastIKE.Name, lastIKE.LocalAddr, lastIKE.RemoteAddr
					}
					childSAs[key] = c
					out.ChildSAs = append(out.ChildSAs, c)
				}
				c.Src.End = n
				swanStatusChildSA(c, rest)
			}
		default:
			errs.add(n, "line outside any section: %q", t)
		}
	}
	for _, s := range out.IKESAs {
		for _, c := range out.IKEConfigs {
			if c.Name == s.Name && c.Aggressive {
				s.Aggressive = true
			}
		}
	}
	return out, errs.err()
}

// swanStatusConn reads one line of "Connections:".
func swanStatusConn(out *netmodel.IPsec, conn **netmodel.IKEConfig, name, rest string, n int) {
	switch {
	case strings.HasPrefix(rest, "local:") || strings.HasPrefix(rest, "remote:"):
		c := *conn
		if c == nil || c.Name != name {
			return
		}
		c.Src.End = n
		side, v, _ := strings.Cut(rest, ":")
		v = strings.TrimSpace(v)
		id := ""
		if strings.HasPrefix(v, "[") {
			if j := strings.IndexByte(v, ']'); j > 0 {
				id, v = v[1:j], strings.TrimSpace(v[j+1:])
			}
		}
		method := ""
		if m, ok := strings.CutPrefix(v, "uses "); ok {
			method = swanAuth(strings.TrimSuffix(m, " authentication"))
		}
		if side == "local" {
			c.LocalID = id
			if method != "" {
				c.Auth = method
			}
		} else {
			c.RemoteID = id
		}
	case strings.HasPrefix(rest, "child:"):
		c := *conn
		if c == nil {
			return
		}
		c.Src.End = n
		v := strings.TrimSpace(strings.TrimPrefix(rest, "child:"))
		l, rr, _ := strings.Cut(v, "===")
		mode := ""
		for _, f := range strings.Fields(rr) {
			switch f = strings.TrimRight(f, ","); f {
			case "TUNNEL", "TRANSPORT", "TRANSPORT_PROXY", "BEET", "PASS", "DROP":
				mode = f
			}
		}
		if swanShunt(mode) {
			return
		}
		lts, _ := swanTSList(l)
		rts, _ := swanTSList(rr)
		ch := &netmodel.ChildConfig{Name: name, IKE: c.Name, Src: netmodel.Lines(n, n),
			Selectors: swanSelectors(swanHostTS(lts, c.LocalAddr), swanHostTS(rts, c.RemoteAddr))}
		ch.RouteBased = swanRouteBased(ch.Selectors, mode)
		ch.PolicyBased = !ch.RouteBased
		out.Children = append(out.Children, ch)
	case strings.Contains(rest, "..."):
		// site:  172.31.0.1...172.31.0.2  IKEv2, dpddelay=30s
		f := strings.Fields(rest)
		c := &netmodel.IKEConfig{Name: name, Src: netmodel.Lines(n, n)}
		la, ra, _ := strings.Cut(f[0], "...")
		c.LocalAddr, _ = swanAddr(la)
		c.RemoteAddr, _ = swanAddr(ra)
		for _, w := range f[1:] {
			w = strings.TrimRight(w, ",")
			switch {
			case strings.HasPrefix(w, "IKEv"):
				c.Version = swanVersion(w)
			case w == "Aggressive":
				c.Aggressive = true
			}
		}
		out.IKEConfigs = append(out.IKEConfigs, c)
		*conn = c
	default:
		if c := *conn; c != nil && c.Name == name {
			c.Src.End = n // cert:, groups:, ...
		}
	}
}

// swanStatusIKESA reads one line about an IKE SA.
func swanStatusIKESA(s *netmodel.IKESA, rest string) {
	switch {
	case strings.HasPrefix(rest, "IKE proposal:"):
		s.Algs = swanAlgs(strings.TrimSpace(strings.TrimPrefix(rest, "IKE proposal:")))
	case strings.Contains(rest, " SPIs: "):
		// IKEv2 SPIs: e0f5d279a56814dc_i* 90bebd2f657d06a0_r, rekeying in 3 hours
		v, spis, _ := strings.Cut(rest, " SPIs: ")
		s.Version = swanVersion(v)
		head, tail, _ := strings.Cut(spis, ",")
		f := strings.Fields(head)
		if len(f) >= 2 {
			s.InitSPI, s.RespSPI = swanSPIText(f[0]), swanSPIText(f[1])
		}
		if j := strings.Index(tail, " in "); j >= 0 {
			if d, ok := swanHumanDuration(tail[j+4:]); ok {
				s.Remaining = d
			}
		}
	default:
		// ESTABLISHED 3 seconds ago, 172.31.0.1[gw-a]...172.31.0.2[gw-b]
		f := strings.Fields(rest)
		if len(f) == 0 || strings.ToUpper(f[0]) != strings.TrimRight(f[0], ",") {
			return
		}
		switch st := strings.TrimRight(f[0], ","); st {
		case "CREATED", "CONNECTING", "ESTABLISHED", "PASSIVE", "REKEYING", "REKEYED", "DELETING", "DESTROYING":
			s.State = st
			s.Up = st == "ESTABLISHED" || st == "REKEYING"
		default:
			return
		}
		if j := strings.LastIndex(rest, ", "); j >= 0 {
			if la, ra, ok := strings.Cut(rest[j+2:], "..."); ok {
				s.LocalAddr, _ = swanAddr(la)
				s.RemoteAddr, _ = swanAddr(ra)
			}
		}
	}
}

// swanStatusChildSA reads one line about a CHILD_SA.
func swanStatusChildSA(c *netmodel.ChildSA, rest string) {
	switch {
	case strings.Contains(rest, "SPIs:"):
		// INSTALLED, TUNNEL, reqid 1, ESP in UDP SPIs: b64a9d8c_i 9cee7053_o
		for _, part := range strings.Split(rest, ",") {
			part = strings.TrimSpace(part)
			switch {
			case part == "TUNNEL" || part == "TRANSPORT" || part == "BEET" || part == "TRANSPORT_PROXY":
				c.Mode = strings.ToLower(part)
			case strings.Contains(part, "SPIs:"):
				proto, spis, _ := strings.Cut(part, " SPIs:")
				c.Encap = strings.HasSuffix(proto, " in UDP")
				c.Protocol = strings.ToLower(strings.Fields(proto)[0])
				for _, x := range strings.Fields(spis) {
					if v, ok := strings.CutSuffix(x, "_i"); ok {
						c.InSPI, _ = swanSPI(v)
					} else if v, ok := strings.CutSuffix(x, "_o"); ok {
						c.OutSPI, _ = swanSPI(v)
					}
				}
			case !strings.Contains(part, " ") && strings.ToUpper(part) == part && c.State == "":
				c.State = part
			}
		}
	case strings.Contains(rest, "bytes_i"):
		// AES_CBC_128/HMAC_SHA2_256_128, 420 bytes_i (5 pkts, 2s ago), 420 bytes_o (5 pkts, 2s ago), rekeying in 54 minutes
		algs, _, _ := strings.Cut(rest, ",")
		c.Algs = swanAlgs(algs)
		var okI, okO bool
		c.BytesIn, c.PacketsIn, okI = swanStatusCounter(rest, "bytes_i")
		c.BytesOut, c.PacketsOut, okO = swanStatusCounter(rest, "bytes_o")
		c.CountersKnown = okI && okO
	case strings.Contains(rest, "==="):
		l, rr, _ := strings.Cut(rest, "===")
		lts, _ := swanTSList(l)
		rts, _ := swanTSList(rr)
		c.Selectors = append(c.Selectors, swanSelectors(lts, rts)...)
	}
}

// swanStatusCounter finds "420 bytes_i (5 pkts, 2s ago)" (or "0 bytes_i").
func swanStatusCounter(s, unit string) (bytes, pkts uint64, ok bool) {
	j := strings.Index(s, " "+unit)
	if j < 0 {
		return 0, 0, false
	}
	k := strings.LastIndexAny(s[:j], " ,") + 1
	bytes, ok = swanAtou(s[k:j])
	if !ok {
		return 0, 0, false
	}
	tail := s[j+1+len(unit):]
	if strings.HasPrefix(tail, " (") {
		f := strings.Fields(tail[2:])
		if len(f) >= 2 && strings.TrimRight(f[1], ",)") == "pkts" {
			pkts, _ = swanAtou(f[0])
			return bytes, pkts, true
		}
	}
	return bytes, 0, bytes == 0
}
