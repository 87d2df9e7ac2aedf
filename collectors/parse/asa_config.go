package parse

import (
	"io"
	"net/netip"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ASA VPN configuration: "show running-config" (or its crypto, tunnel-group,
// access-list and object parts pasted together). What it reads:
//
//	access-list ACL extended permit ip SRC MASK DST MASK   (host, any, object, object-group)
//	object network N / subnet A M | host A
//	object-group network G / network-object A M | host A | object N, group-object G
//	crypto ipsec ikev1 transform-set T esp-aes-256 esp-sha-hmac
//	crypto ipsec ikev2 ipsec-proposal P / protocol esp encryption …, protocol esp integrity …
//	crypto ipsec profile P / set ikev1 transform-set, set ikev2 ipsec-proposal, set pfs,
//	                         set security-association lifetime seconds
//	crypto map M SEQ match address ACL | set peer A | set ikev1 transform-set T… |
//	                 set ikev2 ipsec-proposal P… | set pfs [groupN] |
//	                 set security-association lifetime seconds N | set ikev1 phase1-mode aggressive
//	crypto map M interface IF
//	crypto ikev1 policy N (crypto isakmp policy N) / authentication, encryption, hash, group, lifetime
//	crypto ikev2 policy N / encryption, integrity, group, prf, lifetime seconds
//	tunnel-group NAME ipsec-attributes / ikev1 pre-shared-key TOKEN,
//	                 ikev2 remote-authentication pre-shared-key TOKEN
//	interface TunnelN / nameif, ip address, tunnel source interface IF, tunnel destination A,
//	                   tunnel mode ipsec ipv4, tunnel protection ipsec profile P
//
// Results: an IKEConfig per tunnel group (named after it: the peer
// address for LAN-to-LAN groups) and per crypto map peer without one, with
// the IKEv1 or IKEv2 policies as proposals; a policy-based ChildConfig
// "MAP SEQ" per crypto map entry (selectors from the ACL, objects resolved
// when their definitions are in the same output); a route-based
// ChildConfig per VTI (any/any), named after its nameif. "show
// running-config" prints keys as "*****": only "more
// system:running-config" (redacted by the loader) gives the PSK a
// Secret. "set pfs" without a group is group 2, the ASA default; an IPsec
// SA lifetime not configured is 28800 s, an IKE one 86400 s.

type asaPolicy struct {
	prio     int
	version  int
	prop     netmodel.Proposal
	auth     string
	lifetime int
	line     int
}

type asaMap struct {
	name, mapName, acl  string
	start, end, aclLine int
	peers               []string
	ts, props           []string
	pfs                 string
	lifetime            int
	aggressive, dynamic bool
}

type asaTunnelGroup struct {
	name              string
	l2l               bool
	v1, v2r, v2l      netmodel.Secret
	hasV1, hasR, hasL bool
	psk               bool
	line              int
}

type asaIf struct {
	name, nameif     string
	addrs            []netip.Prefix
	srcIf, dst, mode string
	protection       string
	shutdown         bool
	start, end       int
}

type asaIPsecProfile struct {
	ts, props []string
	pfs       string
	lifetime  int
}

type asaRun struct {
	policies   []*asaPolicy
	ts         map[string]netmodel.Proposal
	props      map[string]netmodel.Proposal
	profiles   map[string]*asaIPsecProfile
	maps       []*asaMap
	mapIf      map[string]string
	groups     map[string]*asaTunnelGroup
	groupOrder []string
	acls       map[string][]ioscrRunACLLine
	objs       ioscrObjects
	objRefs    map[string][]string // object-group → nested object/group names
	ifaces     []*asaIf
	globalLife int
}

func asaParseRunConfig(r io.Reader) (ioscrConfig, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return ioscrConfig{}, err
	}
	cfg := &asaRun{
		ts: map[string]netmodel.Proposal{}, props: map[string]netmodel.Proposal{}, profiles: map[string]*asaIPsecProfile{},
		mapIf: map[string]string{}, groups: map[string]*asaTunnelGroup{}, acls: map[string][]ioscrRunACLLine{},
		objs: ioscrObjects{}, objRefs: map[string][]string{},
	}
	var errs ioscrErrs
	var block func(w []string, ln int)
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" || t[0] == '!' || t[0] == ':' {
			continue
		}
		w := strings.Fields(t)
		if raw[0] == ' ' || raw[0] == '\t' {
			if block != nil {
				block(w, ln)
			}
			continue
		}
		block = nil
		switch {
		case w[0] == "access-list" && len(w) >= 4 && w[2] == "extended":
			cfg.acls[w[1]] = append(cfg.acls[w[1]], ioscrRunACLLine{words: w[3:], line: ln})
		case w[0] == "object" && len(w) >= 3 && w[1] == "network":
			name := w[2]
			block = func(w []string, ln int) { cfg.objLine(name, w, ln, &errs) }
		case w[0] == "object-group" && len(w) >= 3 && w[1] == "network":
			name := w[2]
			block = func(w []string, ln int) { cfg.objLine(name, w, ln, &errs) }
		case strings.HasPrefix(t, "crypto ipsec ikev1 transform-set ") && len(w) >= 6:
			if w[5] == "mode" {
				continue
			}
			enc, integ := ioscrTransform(w[5:])
			p := netmodel.Proposal{}
			if enc != "" {
				p.Encryption = []string{enc}
			}
			if integ != "" {
				p.Integrity = []string{integ}
			}
			cfg.ts[w[4]] = p
		case strings.HasPrefix(t, "crypto ipsec ikev2 ipsec-proposal ") && len(w) >= 5:
			name := w[4]
			cfg.props[name] = netmodel.Proposal{}
			block = func(w []string, ln int) {
				if len(w) < 4 || w[0] != "protocol" || w[1] != "esp" {
					return
				}
				p := cfg.props[name]
				for _, x := range w[3:] {
					switch w[2] {
					case "encryption":
						if strings.EqualFold(x, "null") {
							p.Encryption = append(p.Encryption, "null")
							continue
						}
						p.Encryption = append(p.Encryption, ioscrEncName(x, 0))
					case "integrity":
						if n := ioscrIntegName(x); n != "" {
							p.Integrity = append(p.Integrity, n)
						}
					}
				}
				cfg.props[name] = p
			}
		case strings.HasPrefix(t, "crypto ipsec profile ") && len(w) >= 4:
			prof := &asaIPsecProfile{}
			cfg.profiles[w[3]] = prof
			block = func(w []string, ln int) {
				m := &asaMap{}
				asaSetLine(m, w, ln, &errs, "ipsec profile")
				prof.ts = append(prof.ts, m.ts...)
				prof.props = append(prof.props, m.props...)
				if m.pfs != "" {
					prof.pfs = m.pfs
				}
				if m.lifetime != 0 {
					prof.lifetime = m.lifetime
				}
			}
		case strings.HasPrefix(t, "crypto ipsec security-association lifetime seconds ") && len(w) >= 6:
			if n, ok := ioscrAtoi(w[5]); ok {
				cfg.globalLife = n
			}
		case w[0] == "crypto" && len(w) >= 5 && w[1] == "map":
			if w[3] == "interface" {
				cfg.mapIf[w[2]] = w[4]
				continue
			}
			if _, ok := ioscrAtoi(w[3]); !ok {
				continue
			}
			m := cfg.mapEntry(w[2], w[3], ln)
			m.end = ln
			switch {
			case w[4] == "match" && len(w) >= 7 && w[5] == "address":
				m.acl, m.aclLine = w[6], ln
			case w[4] == "set":
				asaSetLine(m, w[4:], ln, &errs, "crypto map "+m.name)
			case w[4] == "ipsec-isakmp" && len(w) >= 6 && w[5] == "dynamic":
				m.dynamic = true
			}
		case (strings.HasPrefix(t, "crypto ikev1 policy ") || strings.HasPrefix(t, "crypto isakmp policy ")) && len(w) == 4:
			pol := &asaPolicy{version: 1, line: ln}
			pol.prio, _ = ioscrAtoi(w[3])
			cfg.policies = append(cfg.policies, pol)
			block = func(w []string, ln int) { asaPolicyLine(pol, w, ln, &errs) }
		case strings.HasPrefix(t, "crypto ikev2 policy ") && len(w) == 4:
			pol := &asaPolicy{version: 2, line: ln, auth: "psk"}
			pol.prio, _ = ioscrAtoi(w[3])
			cfg.policies = append(cfg.policies, pol)
			block = func(w []string, ln int) { asaPolicyLine(pol, w, ln, &errs) }
		case w[0] == "tunnel-group" && len(w) >= 3:
			g := cfg.group(w[1], ln)
			switch {
			case w[2] == "type" && len(w) >= 4:
				g.l2l = w[3] == "ipsec-l2l"
			case w[2] == "ipsec-attributes":
				block = func(w []string, ln int) { asaGroupLine(g, w, ln) }
			}
		case w[0] == "interface" && len(w) >= 2:
			in := &asaIf{name: strings.Join(w[1:], ""), start: ln, end: ln}
			cfg.ifaces = append(cfg.ifaces, in)
			block = func(w []string, ln int) { in.end = ln; asaIfLine(in, w, ln, &errs) }
		}
	}
	c := cfg.result(&errs)
	if len(c.IKE) == 0 && len(c.Children) == 0 && len(c.Interfaces) == 0 && errs.first == nil {
		errs.addf(0, "no crypto, tunnel-group or tunnel interface configuration found")
	}
	return c, errs.err()
}

func (cfg *asaRun) objLine(name string, w []string, ln int, errs *ioscrErrs) {
	switch {
	case len(w) >= 2 && (w[0] == "network-object" || w[0] == "subnet" || w[0] == "host"):
		args := w
		if w[0] == "network-object" {
			args = w[1:]
		}
		if len(args) >= 2 && (args[0] == "object" || args[0] == "object-group") {
			cfg.objRefs[name] = append(cfg.objRefs[name], args[1])
			return
		}
		if args[0] == "subnet" {
			args = args[1:]
		}
		ps, _, err := ioscrACLAddr(args, 0, false, nil)
		if err != nil {
			errs.addf(ln, "object %s: %v", name, err)
			return
		}
		cfg.objs[name] = append(cfg.objs[name], ps...)
	case len(w) >= 2 && w[0] == "group-object":
		cfg.objRefs[name] = append(cfg.objRefs[name], w[1])
	}
}

// resolveObjects adds the networks of nested objects and groups.
func (cfg *asaRun) resolveObjects() {
	var expand func(name string, depth int) []netip.Prefix
	expand = func(name string, depth int) []netip.Prefix {
		out := append([]netip.Prefix(nil), cfg.objs[name]...)
		if depth > 8 {
			return out
		}
		for _, ref := range cfg.objRefs[name] {
			out = append(out, expand(ref, depth+1)...)
		}
		return out
	}
	names := make([]string, 0, len(cfg.objRefs))
	for n := range cfg.objRefs {
		names = append(names, n)
	}
	sort.Strings(names)
	resolved := map[string][]netip.Prefix{}
	for _, n := range names {
		resolved[n] = expand(n, 0)
	}
	for n, ps := range resolved {
		cfg.objs[n] = ps
	}
}

func (cfg *asaRun) mapEntry(name, seq string, ln int) *asaMap {
	full := name + " " + seq
	for _, m := range cfg.maps {
		if m.name == full {
			return m
		}
	}
	m := &asaMap{name: full, mapName: name, start: ln, end: ln}
	cfg.maps = append(cfg.maps, m)
	return m
}

func (cfg *asaRun) group(name string, ln int) *asaTunnelGroup {
	g := cfg.groups[name]
	if g == nil {
		g = &asaTunnelGroup{name: name, line: ln}
		cfg.groups[name] = g
		cfg.groupOrder = append(cfg.groupOrder, name)
	}
	return g
}

// asaSetLine reads "set …" of a crypto map entry or an IPsec profile (w
// starts at "set").
func asaSetLine(m *asaMap, w []string, ln int, errs *ioscrErrs, what string) {
	if len(w) < 2 || w[0] != "set" {
		return
	}
	switch {
	case w[1] == "peer":
		m.peers = append(m.peers, w[2:]...)
	case w[1] == "ikev1" && len(w) >= 4 && w[2] == "transform-set":
		m.ts = append(m.ts, w[3:]...)
	case w[1] == "ikev1" && len(w) >= 4 && w[2] == "phase1-mode":
		m.aggressive = w[3] == "aggressive"
	case w[1] == "ikev2" && len(w) >= 4 && w[2] == "ipsec-proposal":
		m.props = append(m.props, w[3:]...)
	case w[1] == "pfs":
		m.pfs = "modp1024" // "set pfs" alone is group 2 on the ASA
		if len(w) >= 3 {
			m.pfs = ioscrDH(w[2])
		}
	case w[1] == "security-association" && len(w) >= 5 && w[2] == "lifetime" && w[3] == "seconds":
		n, ok := ioscrAtoi(w[4])
		if !ok {
			errs.addf(ln, "%s: lifetime %q", what, w[4])
			return
		}
		m.lifetime = n
	}
}

func asaPolicyLine(pol *asaPolicy, w []string, ln int, errs *ioscrErrs) {
	if len(w) < 2 {
		return
	}
	switch w[0] {
	case "authentication":
		pol.auth = ioscrAuth(w[1])
	case "encryption":
		for _, x := range w[1:] {
			pol.prop.Encryption = append(pol.prop.Encryption, ioscrEncName(x, 0))
		}
	case "hash", "integrity":
		for _, x := range w[1:] {
			if n := ioscrIntegName(x); n != "" {
				pol.prop.Integrity = append(pol.prop.Integrity, n)
			}
		}
	case "prf":
		for _, x := range w[1:] {
			pol.prop.PRF = append(pol.prop.PRF, netmodel.NormPRF(ioscrIntegName(x)))
		}
	case "group":
		for _, x := range w[1:] {
			if g := ioscrDH(x); g != "" {
				pol.prop.DH = append(pol.prop.DH, g)
			}
		}
	case "lifetime":
		v := w[1]
		if v == "seconds" && len(w) >= 3 {
			v = w[2]
		}
		n, ok := ioscrAtoi(v)
		if !ok {
			if v != "none" {
				errs.addf(ln, "ike policy %d: lifetime %q", pol.prio, v)
			}
			return
		}
		pol.lifetime = n
	}
}

func asaGroupLine(g *asaTunnelGroup, w []string, ln int) {
	switch {
	case len(w) >= 3 && w[0] == "ikev1" && w[1] == "pre-shared-key":
		g.psk = true
		g.v1, g.hasV1 = ioscrPSK(w[2:], ln)
	case len(w) >= 2 && w[0] == "pre-shared-key": // before ASA 8.4
		g.psk = true
		g.v1, g.hasV1 = ioscrPSK(w[1:], ln)
	case len(w) >= 4 && w[0] == "ikev2" && w[1] == "remote-authentication" && w[2] == "pre-shared-key":
		g.psk = true
		g.v2r, g.hasR = ioscrPSK(w[3:], ln)
	case len(w) >= 4 && w[0] == "ikev2" && w[1] == "local-authentication" && w[2] == "pre-shared-key":
		g.v2l, g.hasL = ioscrPSK(w[3:], ln)
	}
}

func asaIfLine(in *asaIf, w []string, ln int, errs *ioscrErrs) {
	switch {
	case len(w) == 1 && w[0] == "shutdown":
		in.shutdown = true
	case len(w) >= 2 && w[0] == "nameif":
		in.nameif = w[1]
	case len(w) >= 4 && w[0] == "ip" && w[1] == "address":
		p, ok := ioscrPrefix(w[2], w[3], false)
		if !ok {
			errs.addf(ln, "%s: ip address %s %s", in.name, w[2], w[3])
			return
		}
		a, _ := netip.ParseAddr(w[2])
		in.addrs = append(in.addrs, netip.PrefixFrom(a.Unmap(), p.Bits()))
	case len(w) >= 4 && w[0] == "tunnel" && w[1] == "source" && w[2] == "interface":
		in.srcIf = w[3]
	case len(w) >= 3 && w[0] == "tunnel" && w[1] == "destination":
		in.dst = w[2]
	case len(w) >= 3 && w[0] == "tunnel" && w[1] == "mode":
		in.mode = strings.Join(w[2:], " ")
	case len(w) >= 5 && w[0] == "tunnel" && w[1] == "protection" && w[2] == "ipsec" && w[3] == "profile":
		in.protection = w[4]
	}
}

func (cfg *asaRun) proposals(ts, props []string, pfs, what string, ln int, errs *ioscrErrs) []netmodel.Proposal {
	var out []netmodel.Proposal
	for _, n := range ts {
		p, ok := cfg.ts[n]
		if !ok { // "show running-config crypto map" alone: unknown, not an error
			continue
		}
		if pfs != "" {
			p.DH = []string{pfs}
		}
		out = append(out, p)
	}
	for _, n := range props {
		p, ok := cfg.props[n]
		if !ok {
			continue
		}
		if pfs != "" {
			p.DH = []string{pfs}
		}
		out = append(out, p)
	}
	return out
}

func (cfg *asaRun) childLifetime(own int) int {
	switch {
	case own > 0:
		return own
	case cfg.globalLife > 0:
		return cfg.globalLife
	}
	return 28800
}

func (cfg *asaRun) ikePolicies(version int) ([]netmodel.Proposal, int, string) {
	var props []netmodel.Proposal
	life, auth := 0, ""
	for _, p := range cfg.policies {
		if p.version != version {
			continue
		}
		props = append(props, p.prop)
		if life == 0 {
			life, auth = p.lifetime, p.auth
			if life == 0 {
				life = 86400
			}
		}
	}
	return props, life, auth
}

func (cfg *asaRun) result(errs *ioscrErrs) ioscrConfig {
	var c ioscrConfig
	cfg.resolveObjects()
	sort.SliceStable(cfg.policies, func(i, j int) bool { return cfg.policies[i].prio < cfg.policies[j].prio })
	// Versions each peer is used with, from the crypto maps.
	peerVer := map[string]int{}
	peerAggr := map[string]bool{}
	for _, m := range cfg.maps {
		v := 0
		switch {
		case len(m.ts) > 0 && len(m.props) == 0:
			v = 1
		case len(m.props) > 0 && len(m.ts) == 0:
			v = 2
		}
		for _, p := range m.peers {
			if old, ok := peerVer[p]; ok && old != v {
				v = 0
			}
			peerVer[p] = v
			peerAggr[p] = peerAggr[p] || m.aggressive
		}
	}
	ike := map[string]*netmodel.IKEConfig{}
	add := func(name string, line int) *netmodel.IKEConfig {
		if k := ike[name]; k != nil {
			return k
		}
		k := &netmodel.IKEConfig{Name: name, Version: peerVer[name], Aggressive: peerAggr[name], Src: netmodel.Lines(line, line)}
		if a, err := netip.ParseAddr(name); err == nil {
			k.RemoteAddr = a.Unmap()
		}
		ike[name] = k
		c.IKE = append(c.IKE, k)
		return k
	}
	for _, name := range cfg.groupOrder {
		g := cfg.groups[name]
		if !g.l2l && !g.psk {
			continue // remote-access groups
		}
		k := add(name, g.line)
		if k.Version == 0 {
			switch {
			case g.hasR || g.hasL:
				k.Version = 2
			case g.hasV1:
				k.Version = 1
			}
		}
		if g.psk {
			k.Auth = "psk"
		}
		switch {
		case k.Version != 1 && g.hasR:
			k.PSK = g.v2r
		case k.Version != 2 && g.hasV1:
			k.PSK = g.v1
		case g.hasL:
			k.PSK = g.v2l
		}
	}
	for _, m := range cfg.maps {
		for _, p := range m.peers {
			add(p, m.start)
		}
	}
	for _, in := range cfg.ifaces {
		if in.protection != "" && in.dst != "" {
			k := add(in.dst, in.start)
			if k.Version == 0 {
				if prof := cfg.profiles[in.protection]; prof != nil && len(prof.props) > 0 {
					k.Version = 2
				}
			}
		}
	}
	for _, k := range c.IKE {
		v := k.Version
		if v == 0 {
			v = 2
			if props, _, _ := cfg.ikePolicies(2); len(props) == 0 {
				v = 1
			}
		}
		props, life, auth := cfg.ikePolicies(v)
		k.Proposals, k.Lifetime = props, life
		if k.Auth == "" {
			k.Auth = auth
		}
	}
	// Crypto map entries.
	for _, m := range cfg.maps {
		if m.dynamic {
			continue
		}
		ch := &netmodel.ChildConfig{Name: m.name, PolicyBased: true, Interface: cfg.mapIf[m.mapName], ACL: m.acl,
			Lifetime: cfg.childLifetime(m.lifetime), Src: netmodel.Lines(m.start, m.end)}
		if len(m.peers) > 0 {
			ch.IKE = m.peers[0]
		}
		ch.Proposals = cfg.proposals(m.ts, m.props, m.pfs, "crypto map "+m.name, m.start, errs)
		if m.acl != "" {
			// An ACL not in the output ("show running-config crypto" alone)
			// leaves the selectors unknown.
			entries := cfg.acls[m.acl]
			for _, e := range entries {
				ioscrACLInto(&ch.Selectors, e.words, false, cfg.objs, e.line, "access-list "+m.acl, errs)
			}
		}
		c.Children = append(c.Children, ch)
	}
	// Tunnel interfaces (VTI).
	nameifAddr := map[string]netip.Addr{}
	for _, in := range cfg.ifaces {
		if in.nameif != "" && len(in.addrs) > 0 {
			nameifAddr[in.nameif] = in.addrs[0].Addr()
		}
	}
	for _, in := range cfg.ifaces {
		if !strings.HasPrefix(strings.ToLower(in.name), "tunnel") {
			continue
		}
		name := in.name
		if in.nameif != "" {
			name = in.nameif
		}
		dst, _ := netip.ParseAddr(in.dst)
		c.Interfaces = append(c.Interfaces, &netmodel.Interface{Name: name, AdminUp: !in.shutdown, Addrs: in.addrs, Tunnel: true,
			TunnelSrc: nameifAddr[in.srcIf], TunnelDst: dst.Unmap(), Src: netmodel.Lines(in.start, in.end)})
		if in.protection == "" {
			continue
		}
		ch := &netmodel.ChildConfig{Name: name, RouteBased: true, Interface: name, IKE: in.dst, Policy: in.protection, Src: netmodel.Lines(in.start, in.end)}
		if prof := cfg.profiles[in.protection]; prof != nil {
			ch.Proposals = cfg.proposals(prof.ts, prof.props, prof.pfs, "ipsec profile "+in.protection, in.start, errs)
			ch.Lifetime = cfg.childLifetime(prof.lifetime)
		} else {
			errs.addf(in.start, "%s: ipsec profile %s is not in this output", in.name, in.protection)
			ch.Lifetime = cfg.childLifetime(0)
		}
		if strings.HasPrefix(in.mode, "ipsec") {
			any := ioscrAny
			if strings.HasSuffix(in.mode, "ipv6") {
				any = netip.MustParsePrefix("::/0")
			}
			ch.Selectors = []netmodel.Selector{{Local: any, Remote: any}}
		}
		c.Children = append(c.Children, ch)
	}
	return c
}
