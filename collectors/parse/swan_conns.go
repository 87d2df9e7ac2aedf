package parse

// swanctl --list-conns and --list-pols, text and --raw.
//
//	site: IKEv2, no reauthentication, rekeying every 14400s, dpd delay 30s
//	  local:  172.31.0.1
//	  remote: 172.31.0.2
//	  local pre-shared key authentication:
//	    id: gw-a
//	  remote pre-shared key authentication:
//	    id: gw-b
//	  net: TUNNEL, rekeying every 3600s, dpd action is none
//	    local:  10.1.0.0/24
//	    remote: 10.2.0.0/24
//
// --list-conns prints no proposals: IKEConfig/ChildConfig.Proposals stay
// empty (swanctl.conf has them). --list-pols lists only trap and shunt
// policies (start_action=trap, mode=pass/drop): for the usual
// start_action=none child the output is empty, which is no error.

import (
	"io"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	// site: IKEv2, no reauthentication, rekeying every 14400s, dpd delay 30s
	swanConnHeadRE = regexp.MustCompile(`^(\S+): IKEv(1|2|1/2)(?:,|$)`)
	// net: TUNNEL, rekeying every 3600s, dpd action is none
	swanConnChildRE = regexp.MustCompile(`^(\S+): (TUNNEL|TRANSPORT|TRANSPORT_PROXY|BEET|PASS|DROP)(?:,|$)`)
	// site/net, TUNNEL   (older versions: "net, TUNNEL")
	swanPolHeadRE = regexp.MustCompile(`^(\S+), (TUNNEL|TRANSPORT|TRANSPORT_PROXY|BEET|PASS|DROP)\s*$`)
	// every 14400s
	swanEveryRE = regexp.MustCompile(`(rekeying|reauthentication) every (\d+)s`)
)

func swanDetectConns(lines []string) bool {
	if swanIsRaw(lines, "list-conn event", "list-conns reply") {
		return true
	}
	first, _ := FirstNonBlank(lines)
	return swanConnHeadRE.MatchString(first) && !strings.Contains(first, "...")
}

func swanDetectPols(lines []string) bool {
	if swanIsRaw(lines, "list-policy event", "list-policies reply") {
		return true
	}
	nb := swanNonBlank(lines, 2)
	return len(nb) == 2 && swanPolHeadRE.MatchString(nb[0]) && strings.HasPrefix(nb[1], "local:")
}

// swanShunt reports modes that are bypass/drop policies rather than tunnels.
func swanShunt(mode string) bool {
	m := strings.ToUpper(mode)
	return m == "PASS" || m == "DROP"
}

// swanRouteBased: 0.0.0.0/0 (or ::/0) selectors on both sides mean routing
// (a VTI / XFRM interface with marks or if_id) decides what is protected.
func swanRouteBased(sel []netmodel.Selector, mode string) bool {
	if len(sel) == 0 {
		return false
	}
	for _, s := range sel {
		if strings.EqualFold(mode, "transport") && s.Proto == 47 {
			continue // GRE over IPsec
		}
		if s.Local.Bits() != 0 || s.Remote.Bits() != 0 || s.Proto != 0 {
			return false
		}
	}
	return true
}

func swanParseConns(r io.Reader) (netmodel.IPsec, error) {
	lines, err := swanRead(r)
	if err != nil {
		return netmodel.IPsec{}, err
	}
	if swanIsRaw(lines, "list-conn event", "list-conns reply") {
		return swanParseConnsRaw(lines)
	}
	var out netmodel.IPsec
	var errs swanErrs
	var ike *netmodel.IKEConfig
	var child *netmodel.ChildConfig
	var childMode string
	var lts, rts []swanTS
	side := "" // "local"/"remote" while in an authentication round
	flush := func() {
		if child != nil {
			child.Selectors = swanSelectors(swanHostTS(lts, ike.LocalAddr), swanHostTS(rts, ike.RemoteAddr))
			child.RouteBased = swanRouteBased(child.Selectors, childMode)
			child.PolicyBased = !child.RouteBased
			if !swanShunt(childMode) {
				out.Children = append(out.Children, child)
			}
		}
		child, lts, rts = nil, nil, nil
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
			side = ""
			m := swanConnHeadRE.FindStringSubmatch(t)
			if m == nil {
				errs.add(n, "unrecognised connection line %q", t)
				ike = nil
				continue
			}
			ike = &netmodel.IKEConfig{Name: m[1], Version: swanVersion("ikev" + m[2]), Src: netmodel.Lines(n, n)}
			if mm := swanEveryRE.FindStringSubmatch(t); mm != nil {
				ike.Lifetime = swanAtoi(mm[2])
			}
			out.IKEConfigs = append(out.IKEConfigs, ike)
			continue
		}
		if ike == nil {
			continue
		}
		ike.Src.End = n
		if ind <= 2 {
			if m := swanConnChildRE.FindStringSubmatch(t); m != nil {
				flush()
				side = ""
				childMode = m[2]
				child = &netmodel.ChildConfig{Name: m[1], IKE: ike.Name, Src: netmodel.Lines(n, n)}
				if mm := swanEveryRE.FindStringSubmatch(t); mm != nil {
					child.Lifetime = swanAtoi(mm[2])
				}
				continue
			}
			flush()
			switch {
			case strings.HasPrefix(t, "local:"):
				ike.LocalAddr, _ = swanAddr(strings.TrimPrefix(t, "local:"))
			case strings.HasPrefix(t, "remote:"):
				ike.RemoteAddr, _ = swanAddr(strings.TrimPrefix(t, "remote:"))
			case strings.HasSuffix(t, "authentication:"):
				// local pre-shared key authentication:
				f := strings.Fields(t)
				side = f[0]
				method := swanAuth(strings.TrimSuffix(strings.TrimPrefix(t, side), "authentication:"))
				if side == "local" && ike.Auth == "" {
					ike.Auth = method
				}
			}
			continue
		}
		if child != nil {
			child.Src.End = n
			switch {
			case strings.HasPrefix(t, "local:"):
				l, _ := swanTSList(strings.TrimPrefix(t, "local:"))
				lts = append(lts, l...)
			case strings.HasPrefix(t, "remote:"):
				rr, _ := swanTSList(strings.TrimPrefix(t, "remote:"))
				rts = append(rts, rr...)
			}
			continue
		}
		if id, ok := strings.CutPrefix(t, "id:"); ok {
			switch side {
			case "local":
				ike.LocalID = strings.TrimSpace(id)
			case "remote":
				ike.RemoteID = strings.TrimSpace(id)
			}
		}
	}
	flush()
	return out, errs.err()
}

func swanParseConnsRaw(lines []string) (netmodel.IPsec, error) {
	var out netmodel.IPsec
	var errs swanErrs
	msgs, bad := swanViciMessages(lines)
	if bad > 0 {
		errs.add(bad, "unrecognised line in swanctl --raw output")
	}
	for _, m := range msgs {
		if m.kind != "list-conn event" {
			continue
		}
		for _, c := range m.root.subs {
			ike := &netmodel.IKEConfig{Name: c.name, Version: swanVersion(c.get("version")), Src: netmodel.Lines(c.line, c.line)}
			ike.LocalAddr, _ = swanAddr(strings.Join(c.lists["local_addrs"], " "))
			ike.RemoteAddr, _ = swanAddr(strings.Join(c.lists["remote_addrs"], " "))
			ike.Lifetime = swanAtoi(c.get("rekey_time"))
			if ike.Lifetime == 0 {
				ike.Lifetime = swanAtoi(c.get("reauth_time"))
			}
			ike.Aggressive = c.get("aggressive") == "yes"
			for _, s := range c.subs {
				switch {
				case strings.HasPrefix(s.name, "local"):
					if ike.LocalID == "" {
						ike.LocalID = s.get("id")
					}
					if ike.Auth == "" {
						ike.Auth = swanAuth(s.get("class"))
					}
				case strings.HasPrefix(s.name, "remote"):
					if ike.RemoteID == "" {
						ike.RemoteID = s.get("id")
					}
				}
			}
			out.IKEConfigs = append(out.IKEConfigs, ike)
			ch := c.sub("children")
			if ch == nil {
				continue
			}
			for _, cc := range ch.subs {
				mode := cc.get("mode")
				if swanShunt(mode) {
					continue
				}
				child := &netmodel.ChildConfig{Name: cc.name, IKE: c.name, Lifetime: swanAtoi(cc.get("rekey_time")), Src: netmodel.Lines(cc.line, cc.line)}
				child.Selectors = swanSelectors(swanHostTS(swanRawTS(cc.lists["local-ts"]), ike.LocalAddr),
					swanHostTS(swanRawTS(cc.lists["remote-ts"]), ike.RemoteAddr))
				child.RouteBased = swanRouteBased(child.Selectors, mode)
				child.PolicyBased = !child.RouteBased
				out.Children = append(out.Children, child)
			}
		}
	}
	return out, errs.err()
}

func swanRawTS(l []string) []swanTS {
	var out []swanTS
	for _, s := range l {
		if ts, ok := swanParseTS(s); ok {
			out = append(out, ts)
		}
	}
	return out
}

// ---- --list-pols ----

func swanParsePols(r io.Reader) (netmodel.IPsec, error) {
	lines, err := swanRead(r)
	if err != nil {
		return netmodel.IPsec{}, err
	}
	var out netmodel.IPsec
	var errs swanErrs
	if swanIsRaw(lines, "list-policy event", "list-policies reply") {
		msgs, bad := swanViciMessages(lines)
		if bad > 0 {
			errs.add(bad, "unrecognised line in swanctl --raw output")
		}
		for _, m := range msgs {
			if m.kind != "list-policy event" {
				continue
			}
			for _, p := range m.root.subs {
				if swanShunt(p.get("mode")) {
					continue
				}
				name, ike := p.get("child"), p.get("ike")
				if name == "" {
					ike, name = swanPolName(p.name)
				}
				c := &netmodel.ChildConfig{Name: name, IKE: ike, Src: netmodel.Lines(p.line, p.line)}
				c.Selectors = swanSelectors(swanRawTS(p.lists["local-ts"]), swanRawTS(p.lists["remote-ts"]))
				c.RouteBased = swanRouteBased(c.Selectors, p.get("mode"))
				c.PolicyBased = !c.RouteBased
				out.Children = append(out.Children, c)
			}
		}
		return out, errs.err()
	}
	var cur *netmodel.ChildConfig
	var mode string
	var lts, rts []swanTS
	flush := func() {
		if cur != nil {
			cur.Selectors = swanSelectors(lts, rts)
			cur.RouteBased = swanRouteBased(cur.Selectors, mode)
			cur.PolicyBased = !cur.RouteBased
			if !swanShunt(mode) {
				out.Children = append(out.Children, cur)
			}
		}
		cur, lts, rts = nil, nil, nil
	}
	for i, raw := range lines {
		n := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if swanIndent(raw) == 0 {
			flush()
			m := swanPolHeadRE.FindStringSubmatch(t)
			if m == nil {
				errs.add(n, "unrecognised policy line %q", t)
				continue
			}
			ike, name := swanPolName(m[1])
			mode = m[2]
			cur = &netmodel.ChildConfig{Name: name, IKE: ike, Src: netmodel.Lines(n, n)}
			continue
		}
		if cur == nil {
			continue
		}
		cur.Src.End = n
		switch {
		case strings.HasPrefix(t, "local:"):
			l, _ := swanTSList(strings.TrimPrefix(t, "local:"))
			lts = append(lts, l...)
		case strings.HasPrefix(t, "remote:"):
			rr, _ := swanTSList(strings.TrimPrefix(t, "remote:"))
			rts = append(rts, rr...)
		}
	}
	flush()
	return out, errs.err()
}

// swanPolName splits "site/net" into the connection and the child.
func swanPolName(s string) (ike, child string) {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}
