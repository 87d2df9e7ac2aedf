package parse

// swanctl --list-sas, text and --raw:
//
//	site: #1, ESTABLISHED, IKEv2, e0f5d279a56814dc_i* 90bebd2f657d06a0_r
//	  local  'gw-a' @ 172.31.0.1[4500]
//	  remote 'gw-b' @ 172.31.0.2[4500]
//	  AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048
//	  established 2s ago, rekeying in 13802s
//	  net: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-128/HMAC_SHA2_256_128
//	    installed 2s ago, rekeying in 3249s, expires in 3958s
//	    in  b64a9d8c,    420 bytes,     5 packets,     1s ago
//	    out 9cee7053,    420 bytes,     5 packets,     1s ago
//	    local  10.1.0.0/24
//	    remote 10.2.0.0/24
//
// An IKE SA whose CHILD_SA failed (traffic-selector or ESP proposal
// mismatch) is listed with no child; an IKE proposal mismatch leaves no SA
// at all, and the output is empty.

import (
	"io"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	// site: #1, ESTABLISHED, IKEv2, e0f5d279a56814dc_i* 90bebd2f657d06a0_r
	swanIKEHeadRE = regexp.MustCompile(`^(\S+): #(\d+), ([A-Z_]+), IKEv([12])(?:, (\S+) (\S+))?\s*$`)
	// net: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-128/HMAC_SHA2_256_128
	swanChildHeadRE = regexp.MustCompile(`^(\S+): #(\d+), reqid (\d+), ([A-Z_]+), ([A-Za-z_-]+)(?:, [A-Z]+)*?(?:, (ESP|AH)(?::(\S+))?)?\s*$`)
)

func swanDetectSAs(lines []string) bool {
	if swanIsRaw(lines, "list-sa event", "list-sas reply") {
		return true
	}
	first, _ := FirstNonBlank(lines)
	return swanIKEHeadRE.MatchString(first)
}

func swanParseSAs(r io.Reader) (netmodel.IPsec, error) {
	lines, err := swanRead(r)
	if err != nil {
		return netmodel.IPsec{}, err
	}
	if swanIsRaw(lines, "list-sa event", "list-sas reply") {
		return swanParseSAsRaw(lines)
	}
	var out netmodel.IPsec
	var errs swanErrs
	var ike *netmodel.IKESA
	var child *netmodel.ChildSA
	var lts, rts []swanTS
	flush := func() {
		if child != nil {
			child.Selectors = swanSelectors(lts, rts)
		}
		lts, rts = nil, nil
	}
	for i, raw := range lines {
		n := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		ind := swanIndent(raw)
		if ind == 0 {
			flush()
			child = nil
			m := swanIKEHeadRE.FindStringSubmatch(t)
			if m == nil {
				errs.add(n, "unrecognised IKE SA line %q", t)
				ike = nil
				continue
			}
			ike = &netmodel.IKESA{
				Name: m[1], State: m[3], Version: swanAtoi(m[4]), Remaining: -1,
				InitSPI: swanSPIText(m[5]), RespSPI: swanSPIText(m[6]), Src: netmodel.Lines(n, n),
			}
			ike.Up = ike.State == "ESTABLISHED" || ike.State == "REKEYING"
			out.IKESAs = append(out.IKESAs, ike)
			continue
		}
		if ike == nil {
			continue // lines of an SA we could not read
		}
		if m := swanChildHeadRE.FindStringSubmatch(t); m != nil && ind <= 4 {
			flush()
			child = &netmodel.ChildSA{
				Name: m[1], IKE: ike.Name, State: m[4], Remaining: -1,
				LocalAddr: ike.LocalAddr, RemoteAddr: ike.RemoteAddr, Src: netmodel.Lines(n, n),
			}
			swanChildMode(child, m[5])
			child.Protocol = strings.ToLower(m[6])
			child.Algs = swanAlgs(m[7])
			out.ChildSAs = append(out.ChildSAs, child)
			ike.Src.End = n
			continue
		}
		f := strings.Fields(t)
		ike.Src.End = n
		if child != nil && ind > 2 {
			child.Src.End = n
			switch f[0] {
			case "installed":
				swanChildTimes(child, t)
			case "in", "out":
				swanChildCounters(child, f[0], t)
			case "local":
				l, _ := swanTSList(strings.TrimPrefix(t, "local"))
				lts = append(lts, l...)
			case "remote":
				rr, _ := swanTSList(strings.TrimPrefix(t, "remote"))
				rts = append(rts, rr...)
			}
			continue
		}
		// IKE SA detail lines (indent 2)
		switch {
		case f[0] == "local" || f[0] == "remote":
			// local  'gw-a' @ 172.31.0.1[4500] [10.3.0.1]
			// (the model's IKE SA has no identities; the ID is read and dropped)
			_, addr := swanIDAt(t[len(f[0]):])
			a, port := swanAddr(addr)
			if f[0] == "local" {
				ike.LocalAddr, ike.LocalPort = a, port
			} else {
				ike.RemoteAddr, ike.RemotePort = a, port
			}
		case f[0] == "established" || f[0] == "passive" || f[0] == "created":
			swanIKETimes(ike, t)
		case strings.Contains(f[0], "/") || strings.Contains(f[0], "_"):
			ike.Algs = swanAlgs(f[0])
		}
	}
	flush()
	// children were created before the IKE SA's addresses were read
	for _, c := range out.ChildSAs {
		for _, s := range out.IKESAs {
			if s.Name == c.IKE && !c.LocalAddr.IsValid() {
				c.LocalAddr, c.RemoteAddr = s.LocalAddr, s.RemoteAddr
			}
		}
	}
	return out, errs.err()
}

// swanSPIText keeps an IKE SPI as printed, without the _i/_r and the "*"
// that marks the local side.
func swanSPIText(s string) string {
	s = strings.TrimSuffix(s, "*")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "_i"), "_r")
	return s
}

// swanIDAt splits " 'gw-a' @ 172.31.0.1[4500] [10.3.0.1]" into the ID and
// the address.
func swanIDAt(s string) (id, addr string) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, " @ "); i >= 0 {
		id, addr = strings.Trim(strings.TrimSpace(s[:i]), "'"), strings.TrimSpace(s[i+3:])
	} else {
		addr = s
	}
	if f := strings.Fields(addr); len(f) > 0 {
		addr = f[0] // drop the virtual IPs
	}
	return id, addr
}

// swanChildMode reads TUNNEL, TUNNEL-in-UDP, TRANSPORT, TRANSPORT-in-UDP, BEET.
func swanChildMode(c *netmodel.ChildSA, m string) {
	mode, udp := strings.CutSuffix(m, "-in-UDP")
	c.Encap = udp
	c.Mode = strings.ToLower(mode)
}

// swanIKETimes reads "established 2s ago, rekeying in 13802s" / "reauth in".
func swanIKETimes(s *netmodel.IKESA, t string) {
	for _, part := range strings.Split(t, ",") {
		f := strings.Fields(part)
		if len(f) == 3 && (f[0] == "rekeying" || f[0] == "reauth") && f[1] == "in" {
			if n, ok := swanDuration(f[2]); ok && (s.Remaining < 0 || n < s.Remaining) {
				s.Remaining = n
			}
		}
	}
}

// swanChildTimes reads "installed 2s ago, rekeying in 3249s, expires in 3958s".
func swanChildTimes(c *netmodel.ChildSA, t string) {
	installed := -1
	for _, part := range strings.Split(t, ",") {
		f := strings.Fields(part)
		switch {
		case len(f) == 3 && f[0] == "installed" && f[2] == "ago":
			if n, ok := swanDuration(f[1]); ok {
				installed = n
			}
		case len(f) == 3 && f[0] == "expires" && f[1] == "in":
			if n, ok := swanDuration(f[2]); ok {
				c.Remaining = n
			}
		}
	}
	if installed >= 0 && c.Remaining >= 0 {
		c.Lifetime = installed + c.Remaining
	}
}

// swanChildCounters reads "in  b64a9d8c,    420 bytes,     5 packets,     1s ago"
// (a mark may follow the SPI: "in  cf82085c (0x0000002a), ...").
func swanChildCounters(c *netmodel.ChildSA, dir, t string) {
	parts := strings.Split(strings.TrimSpace(strings.TrimPrefix(t, dir)), ",")
	if len(parts) == 0 {
		return
	}
	spiF := strings.Fields(parts[0])
	if len(spiF) == 0 {
		return
	}
	spi, ok := swanSPI(spiF[0])
	if !ok {
		return
	}
	var bytes, pkts uint64
	var haveB, haveP bool
	for _, p := range parts[1:] {
		f := strings.Fields(p)
		if len(f) != 2 {
			continue
		}
		switch f[1] {
		case "bytes":
			bytes, haveB = swanAtou(f[0])
		case "packets":
			pkts, haveP = swanAtou(f[0])
		}
	}
	if dir == "in" {
		c.InSPI, c.BytesIn, c.PacketsIn = spi, bytes, pkts
	} else {
		c.OutSPI, c.BytesOut, c.PacketsOut = spi, bytes, pkts
	}
	if haveB && haveP {
		c.CountersKnown = true
	}
}

// ---- --raw ----

func swanParseSAsRaw(lines []string) (netmodel.IPsec, error) {
	var out netmodel.IPsec
	var errs swanErrs
	msgs, bad := swanViciMessages(lines)
	if bad > 0 {
		errs.add(bad, "unrecognised line in swanctl --raw output")
	}
	for _, m := range msgs {
		if m.kind != "list-sa event" {
			continue
		}
		for _, sa := range m.root.subs {
			ike := &netmodel.IKESA{
				Name: sa.name, State: sa.get("state"), Version: swanAtoi(sa.get("version")), Remaining: -1,
				InitSPI: sa.get("initiator-spi"), RespSPI: sa.get("responder-spi"), Src: netmodel.Lines(sa.line, sa.line),
			}
			ike.Up = ike.State == "ESTABLISHED" || ike.State == "REKEYING"
			ike.LocalAddr, _ = swanAddr(sa.get("local-host"))
			ike.RemoteAddr, _ = swanAddr(sa.get("remote-host"))
			ike.LocalPort = uint16(swanAtoi(sa.get("local-port")))
			ike.RemotePort = uint16(swanAtoi(sa.get("remote-port")))
			ike.Algs = swanRawAlgs(sa)
			for _, k := range []string{"rekey-time", "reauth-time"} {
				if v := sa.get(k); v != "" {
					if n, ok := swanDuration(v); ok && (ike.Remaining < 0 || n < ike.Remaining) {
						ike.Remaining = n
					}
				}
			}
			out.IKESAs = append(out.IKESAs, ike)
			cs := sa.sub("child-sas")
			if cs == nil {
				continue
			}
			for _, c := range cs.subs {
				name := c.get("name")
				if name == "" {
					name = c.name
				}
				ch := &netmodel.ChildSA{
					Name: name, IKE: sa.name, State: c.get("state"), Remaining: -1,
					Protocol: strings.ToLower(c.get("protocol")), Mode: strings.ToLower(c.get("mode")),
					Encap:     c.get("encap") == "yes",
					LocalAddr: ike.LocalAddr, RemoteAddr: ike.RemoteAddr, Src: netmodel.Lines(c.line, c.line),
				}
				ch.InSPI, _ = swanSPI(c.get("spi-in"))
				ch.OutSPI, _ = swanSPI(c.get("spi-out"))
				ch.Algs = swanRawAlgs(c)
				var ok [4]bool
				ch.BytesIn, ok[0] = swanAtou(c.get("bytes-in"))
				ch.BytesOut, ok[1] = swanAtou(c.get("bytes-out"))
				ch.PacketsIn, ok[2] = swanAtou(c.get("packets-in"))
				ch.PacketsOut, ok[3] = swanAtou(c.get("packets-out"))
				ch.CountersKnown = ok[0] && ok[1] && ok[2] && ok[3]
				if v := c.get("life-time"); v != "" {
					if n, ok := swanDuration(v); ok {
						ch.Remaining = n
						if it, ok := swanDuration(c.get("install-time")); ok {
							ch.Lifetime = it + n
						}
					}
				}
				var lts, rts []swanTS
				for _, s := range c.lists["local-ts"] {
					if ts, ok := swanParseTS(s); ok {
						lts = append(lts, ts)
					}
				}
				for _, s := range c.lists["remote-ts"] {
					if ts, ok := swanParseTS(s); ok {
						rts = append(rts, ts)
					}
				}
				ch.Selectors = swanSelectors(lts, rts)
				out.ChildSAs = append(out.ChildSAs, ch)
			}
		}
	}
	return out, errs.err()
}

// swanRawAlgs reads encr-alg/encr-keysize/integ-alg/prf-alg/dh-group.
func swanRawAlgs(v *swanVici) netmodel.Algs {
	var a netmodel.Algs
	if e := v.get("encr-alg"); e != "" {
		if ks := v.get("encr-keysize"); ks != "" {
			e += "-" + ks
		}
		a.Encryption = netmodel.NormEncryption(e)
	}
	if i := v.get("integ-alg"); i != "" {
		a.Integrity = netmodel.NormIntegrity(i)
	}
	if p := v.get("prf-alg"); p != "" {
		a.PRF = netmodel.NormPRF(p)
	}
	if g := v.get("dh-group"); g != "" {
		a.DH = netmodel.NormDH(g)
	}
	return a
}
