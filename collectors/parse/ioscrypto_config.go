package parse

import (
	"io"
	"net/netip"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// IOS/IOS-XE VPN configuration: "show running-config | section
// crypto|access-list|interface Tunnel" (or a whole running-config). What it
// reads, one block per top-level line with its commands indented by one
// space (a keyring peer's by two):
//
//	crypto isakmp policy 10            encr, hash, authentication, group, lifetime
//	crypto isakmp key TOKEN address A  IKEv1 PSK of peer A (type 0/6 keys alike)
//	crypto keyring K                   pre-shared-key address A key TOKEN
//	crypto ikev2 proposal P            encryption, integrity, prf, group
//	crypto ikev2 policy P              proposal P
//	crypto ikev2 keyring K             peer N / address A / pre-shared-key [local|remote] TOKEN
//	crypto ikev2 profile P             match identity remote address A, authentication,
//	                                   keyring local K, lifetime
//	crypto ipsec transform-set T ...   and "mode tunnel|transport"
//	crypto ipsec profile P             set transform-set, set pfs, set security-association
//	                                   lifetime seconds, set ikev2-profile
//	crypto map M SEQ ipsec-isakmp      set peer, set transform-set, set pfs, match address,
//	                                   set security-association lifetime seconds, set ikev2-profile
//	ip access-list extended ACL        permit ip SRC WILDCARD DST WILDCARD (host, any)
//	access-list 1xx permit ...
//	interface TunnelN                  ip address, tunnel source/destination, tunnel mode,
//	                                   tunnel protection ipsec profile, shutdown
//	interface X                        crypto map M (the interface a map is applied to)
//
// Results:
//   - IKEv1: an IKEConfig per peer (crypto isakmp key, keyring, crypto map
//     peers), named by the peer address, with every isakmp policy as a
//     proposal in priority order; the address 0.0.0.0 is a wildcard
//     (dynamic peers) and leaves RemoteAddr unset.
//   - IKEv2: an IKEConfig per profile, named after it, with the proposals of
//     the ikev2 policies (all proposals when no policy names them) and the
//     PSK of the keyring peer that matches the profile's remote identity.
//   - crypto map entries: a policy-based ChildConfig "MAP SEQ" with the ACL
//     permit lines as selectors (n×m for object lists).
//   - tunnel interfaces with tunnel protection: a route-based ChildConfig
//     named after the interface: "tunnel mode ipsec ipv4" (a VTI) has the
//     selector any/any, GRE (the default tunnel mode) protocol 47 between the
//     tunnel source and destination when both addresses are known.
//   - Interfaces for the tunnel interfaces (admin state from "shutdown";
//     operational state is not in the configuration, so Known stays false).
//
// Defaults that the configuration does not print are not guessed, except
// the IKEv1 and IKEv2 SA lifetime of 86400 s and the IPsec SA lifetime of
// 3600 s.

type ioscrRunPolicy struct {
	prio, line          int
	enc, hash, auth, dh string
	encSet              bool
	lifetime            int
}

type ioscrRunKey struct {
	addr   netip.Addr
	wild   bool
	secret netmodel.Secret
	has    bool
	line   int
}

type ioscrRunKeyringPeer struct {
	name          string
	addr          netip.Addr
	remote, local netmodel.Secret
	hasR, hasL    bool
	line          int
}

type ioscrRunProfile struct {
	name, keyring, auth, remoteID string
	remote                        netip.Addr
	lifetime, start, end          int
	psk                           netmodel.Secret
	hasPSK                        bool
}

type ioscrRunTS struct {
	enc, integ, mode string
}

type ioscrRunIPsecProfile struct {
	ts       []string
	pfs      string
	lifetime int
	ikev2    string
	isakmp   string
}

type ioscrRunMap struct {
	name, mapName, acl, ikev2 string
	seq, start, end, aclLine  int
	peers                     []netip.Addr
	ts                        []string
	pfs                       string
	lifetime                  int
	dynamic                   bool
}

type ioscrRunIf struct {
	name       string
	addrs      []netip.Prefix
	src, dst   string
	mode       string
	protection string
	cryptoMap  string
	shutdown   bool
	start, end int
}

type ioscrRunACLLine struct {
	words []string
	line  int
}

// ioscrRun is the configuration read so far.
type ioscrRun struct {
	policies      []*ioscrRunPolicy
	keys          []*ioscrRunKey
	proposals     map[string]netmodel.Proposal
	propOrder     []string
	policyProps   []string
	keyrings      map[string][]*ioscrRunKeyringPeer
	profiles      []*ioscrRunProfile
	transformSets map[string]*ioscrRunTS
	ipsecProfiles map[string]*ioscrRunIPsecProfile
	maps          []*ioscrRunMap
	acls          map[string][]ioscrRunACLLine
	ifaces        []*ioscrRunIf
	globalLife    int
}

// ioscrRunMarkers counts lines only IOS and lines only the ASA write in a
// VPN configuration.
func ioscrRunMarkers(lines []string) (ios, asa int) {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		indented := len(l) > 0 && (l[0] == ' ' || l[0] == '\t')
		switch {
		case strings.HasPrefix(t, "crypto ipsec ikev1 ") || strings.HasPrefix(t, "crypto ipsec ikev2 ") ||
			strings.HasPrefix(t, "crypto ikev1 ") || strings.HasPrefix(t, "tunnel-group ") ||
			strings.HasPrefix(t, "crypto ikev2 enable") || strings.HasPrefix(t, "group-policy "):
			asa++
		case !indented && strings.HasPrefix(t, "access-list ") && strings.Contains(t, " extended "):
			asa++
		case !indented && strings.HasPrefix(t, "crypto map ") && (strings.Contains(t, " match address ") || strings.Contains(t, " set ") || strings.Contains(t, " interface ")):
			asa++
		case strings.HasPrefix(t, "nameif "):
			asa++
		case strings.HasPrefix(t, "crypto isakmp policy ") || strings.HasPrefix(t, "crypto isakmp key ") ||
			strings.HasPrefix(t, "crypto ipsec transform-set ") || strings.HasPrefix(t, "crypto ikev2 proposal ") ||
			strings.HasPrefix(t, "crypto ikev2 keyring ") || strings.HasPrefix(t, "crypto ikev2 profile ") ||
			strings.HasPrefix(t, "crypto keyring ") || strings.HasPrefix(t, "ip access-list extended "):
			ios++
		case !indented && strings.HasPrefix(t, "crypto map ") && strings.Contains(t, " ipsec-isakmp") && !strings.Contains(t, " dynamic "):
			ios++
		}
	}
	return ios, asa
}

// ioscrDetectRunConfig tells IOS from ASA VPN configuration.
func ioscrDetectRunConfig(lines []string) netmodel.Platform {
	ios, asa := ioscrRunMarkers(lines)
	switch {
	case asa > 0:
		return netmodel.ASA
	case ios > 0:
		return netmodel.IOS
	}
	return netmodel.PlatformUnknown
}

func ioscrParseRunConfig(r io.Reader) (ioscrConfig, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return ioscrConfig{}, err
	}
	cfg := &ioscrRun{
		proposals:     map[string]netmodel.Proposal{},
		keyrings:      map[string][]*ioscrRunKeyringPeer{},
		transformSets: map[string]*ioscrRunTS{},
		ipsecProfiles: map[string]*ioscrRunIPsecProfile{},
		acls:          map[string][]ioscrRunACLLine{},
	}
	var errs ioscrErrs
	base := -1
	var block func(depth int, w []string, ln int) // reads a line inside the current block
	var krPeer *ioscrRunKeyringPeer
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" || t[0] == '!' {
			continue
		}
		ind := len(raw) - len(strings.TrimLeft(raw, " \t"))
		if base < 0 {
			base = ind
		}
		w := strings.Fields(t)
		if ind > base && block != nil {
			block(ind-base, w, ln)
			continue
		}
		if ind > base {
			continue // a command of a block nettui does not read
		}
		block, krPeer = nil, nil
		lw := strings.ToLower(t)
		switch {
		case strings.HasPrefix(lw, "crypto isakmp policy ") && len(w) == 4:
			n, ok := ioscrAtoi(w[3])
			if !ok {
				errs.addf(ln, "isakmp policy priority %q is not a number", w[3])
				continue
			}
			pol := &ioscrRunPolicy{prio: n, line: ln}
			cfg.policies = append(cfg.policies, pol)
			block = func(_ int, w []string, ln int) { ioscrRunPolicyLine(pol, w, ln, &errs) }
		case strings.HasPrefix(lw, "crypto isakmp key "):
			ioscrRunIsakmpKey(cfg, w, ln, &errs)
		case strings.HasPrefix(lw, "crypto keyring ") && len(w) >= 3:
			block = func(_ int, w []string, ln int) {
				// pre-shared-key address A [M] key TOKEN
				if len(w) >= 5 && w[0] == "pre-shared-key" && w[1] == "address" {
					k := &ioscrRunKey{line: ln}
					a, err := netip.ParseAddr(w[2])
					if err != nil {
						errs.addf(ln, "keyring pre-shared-key address %q is not an address", w[2])
						return
					}
					k.addr, k.wild = a.Unmap(), a.IsUnspecified()
					k.secret, k.has = ioscrPSK(w[3:], ln)
					cfg.keys = append(cfg.keys, k)
				}
			}
		case strings.HasPrefix(lw, "crypto ikev2 proposal ") && len(w) >= 4:
			name := w[3]
			cfg.propOrder = append(cfg.propOrder, name)
			cfg.proposals[name] = netmodel.Proposal{}
			block = func(_ int, w []string, ln int) { ioscrRunIKEv2Prop(cfg, name, w, ln, &errs) }
		case strings.HasPrefix(lw, "crypto ikev2 policy ") && len(w) >= 4:
			block = func(_ int, w []string, _ int) {
				if len(w) >= 2 && w[0] == "proposal" {
					cfg.policyProps = append(cfg.policyProps, w[1:]...)
				}
			}
		case strings.HasPrefix(lw, "crypto ikev2 keyring ") && len(w) >= 4:
			name := w[3]
			cfg.keyrings[name] = cfg.keyrings[name][:0:0]
			block = func(depth int, w []string, ln int) {
				if depth == 1 && len(w) >= 2 && w[0] == "peer" {
					krPeer = &ioscrRunKeyringPeer{name: w[1], line: ln}
					cfg.keyrings[name] = append(cfg.keyrings[name], krPeer)
					return
				}
				if krPeer == nil || len(w) < 2 {
					return
				}
				switch w[0] {
				case "address":
					a, err := netip.ParseAddr(w[1])
					if err != nil {
						errs.addf(ln, "ikev2 keyring %s peer %s: address %q", name, krPeer.name, w[1])
						return
					}
					krPeer.addr = a.Unmap()
				case "pre-shared-key":
					s, ok := ioscrPSK(w[1:], ln)
					switch {
					case len(w) >= 3 && w[1] == "local":
						krPeer.local, krPeer.hasL = s, ok
					case len(w) >= 3 && w[1] == "remote":
						krPeer.remote, krPeer.hasR = s, ok
					default:
						krPeer.local, krPeer.hasL = s, ok
						krPeer.remote, krPeer.hasR = s, ok
					}
				}
			}
		case strings.HasPrefix(lw, "crypto ikev2 profile ") && len(w) >= 4:
			prof := &ioscrRunProfile{name: w[3], start: ln, end: ln}
			cfg.profiles = append(cfg.profiles, prof)
			block = func(_ int, w []string, ln int) { prof.end = ln; ioscrRunProfileLine(prof, w, ln, &errs) }
		case strings.HasPrefix(lw, "crypto ipsec transform-set ") && len(w) >= 4:
			ts := &ioscrRunTS{}
			ts.enc, ts.integ = ioscrTransform(w[4:])
			if ts.enc == "" && ts.integ == "" {
				errs.addf(ln, "transform-set %s: no algorithm recognised in %q", w[3], strings.Join(w[4:], " "))
			}
			cfg.transformSets[w[3]] = ts
			block = func(_ int, w []string, _ int) {
				if len(w) >= 2 && w[0] == "mode" {
					ts.mode = w[1]
				}
			}
		case strings.HasPrefix(lw, "crypto ipsec profile ") && len(w) >= 4:
			ip := &ioscrRunIPsecProfile{}
			cfg.ipsecProfiles[w[3]] = ip
			block = func(_ int, w []string, ln int) { ioscrRunIPsecProfileLine(ip, w, ln, &errs) }
		case strings.HasPrefix(lw, "crypto ipsec security-association lifetime seconds ") && len(w) == 6:
			if n, ok := ioscrAtoi(w[5]); ok {
				cfg.globalLife = n
			}
		case strings.HasPrefix(lw, "crypto map ") && len(w) >= 5:
			seq, ok := ioscrAtoi(w[3])
			if !ok {
				continue // crypto map M local-address X, crypto map M client ...
			}
			m := &ioscrRunMap{name: w[2] + " " + w[3], mapName: w[2], seq: seq, start: ln, end: ln,
				dynamic: len(w) >= 6 && w[5] == "dynamic"}
			cfg.maps = append(cfg.maps, m)
			block = func(_ int, w []string, ln int) { m.end = ln; ioscrRunMapLine(m, w, ln, &errs) }
		case strings.HasPrefix(lw, "ip access-list extended ") && len(w) >= 4:
			name := w[3]
			cfg.acls[name] = cfg.acls[name][:0:0]
			block = func(_ int, w []string, ln int) {
				cfg.acls[name] = append(cfg.acls[name], ioscrRunACLLine{words: w, line: ln})
			}
		case strings.HasPrefix(lw, "access-list ") && len(w) >= 3:
			cfg.acls[w[1]] = append(cfg.acls[w[1]], ioscrRunACLLine{words: w[2:], line: ln})
		case strings.HasPrefix(lw, "interface ") && len(w) >= 2:
			in := &ioscrRunIf{name: netmodel.CanonicalIfName(netmodel.IOS, strings.Join(w[1:], "")), start: ln, end: ln}
			cfg.ifaces = append(cfg.ifaces, in)
			block = func(_ int, w []string, ln int) { in.end = ln; ioscrRunIfLine(in, w, ln, &errs) }
		}
	}
	c := cfg.result(&errs)
	if len(c.IKE) == 0 && len(c.Children) == 0 && len(c.Interfaces) == 0 && errs.first == nil {
		errs.addf(0, "no crypto, access-list or tunnel configuration found")
	}
	return c, errs.err()
}

func ioscrRunPolicyLine(pol *ioscrRunPolicy, w []string, ln int, errs *ioscrErrs) {
	if len(w) < 2 {
		return
	}
	switch w[0] {
	case "encr", "encryption":
		size := 0
		if len(w) >= 3 {
			size, _ = ioscrAtoi(w[2])
		}
		pol.enc, pol.encSet = ioscrEncName(w[1], size), true
	case "hash":
		pol.hash = ioscrIntegName(w[1])
	case "authentication":
		pol.auth = ioscrAuth(w[1])
	case "group":
		pol.dh = ioscrDH(w[1])
	case "lifetime":
		n, ok := ioscrAtoi(w[1])
		if !ok {
			errs.addf(ln, "isakmp policy %d: lifetime %q", pol.prio, w[1])
			return
		}
		pol.lifetime = n
	}
}

// ioscrAuth names an authentication method the way the model does.
func ioscrAuth(s string) string {
	switch strings.ToLower(s) {
	case "pre-share", "pre-shared", "preshared", "preshrd", "presharedkeys", "psk":
		return "psk"
	case "rsa-sig", "ecdsa-sig", "rsa-encr", "certificate", "rsa", "rsig":
		return "pubkey"
	case "eap":
		return "eap"
	}
	return strings.ToLower(s)
}

// ioscrRunIsakmpKey reads "crypto isakmp key [0|6] KEY address A [MASK]
// [no-xauth]" and "... hostname H".
func ioscrRunIsakmpKey(cfg *ioscrRun, w []string, ln int, errs *ioscrErrs) {
	ai := -1
	for i, x := range w {
		if x == "address" || x == "hostname" {
			ai = i
			break
		}
	}
	if ai < 0 || ai+1 >= len(w) {
		errs.addf(ln, "crypto isakmp key without an address")
		return
	}
	if w[ai] == "hostname" {
		return
	}
	a, err := netip.ParseAddr(w[ai+1])
	if err != nil {
		errs.addf(ln, "crypto isakmp key: address %q", w[ai+1])
		return
	}
	k := &ioscrRunKey{addr: a.Unmap(), wild: a.IsUnspecified(), line: ln}
	k.secret, k.has = ioscrPSK(w[3:ai], ln)
	cfg.keys = append(cfg.keys, k)
}

func ioscrRunIKEv2Prop(cfg *ioscrRun, name string, w []string, ln int, errs *ioscrErrs) {
	if len(w) < 2 {
		return
	}
	p := cfg.proposals[name]
	switch w[0] {
	case "encryption":
		for _, x := range w[1:] {
			p.Encryption = append(p.Encryption, ioscrEncName(x, 0))
		}
	case "integrity":
		for _, x := range w[1:] {
			if n := ioscrIntegName(x); n != "" {
				p.Integrity = append(p.Integrity, n)
			}
		}
	case "prf":
		for _, x := range w[1:] {
			p.PRF = append(p.PRF, netmodel.NormPRF(ioscrIntegName(x)))
		}
	case "group":
		for _, x := range w[1:] {
			if g := ioscrDH(x); g != "" {
				p.DH = append(p.DH, g)
			} else {
				errs.addf(ln, "ikev2 proposal %s: group %q", name, x)
			}
		}
	}
	cfg.proposals[name] = p
}

func ioscrRunProfileLine(prof *ioscrRunProfile, w []string, ln int, errs *ioscrErrs) {
	switch {
	case len(w) >= 5 && w[0] == "match" && w[1] == "identity" && w[2] == "remote":
		switch w[3] {
		case "address":
			a, err := netip.ParseAddr(w[4])
			if err != nil {
				errs.addf(ln, "ikev2 profile %s: remote address %q", prof.name, w[4])
				return
			}
			prof.remoteID = w[4]
			host := len(w) < 6 || w[5] == "255.255.255.255"
			if host && !a.IsUnspecified() {
				prof.remote = a.Unmap()
			}
		default: // fqdn, email, key-id
			prof.remoteID = strings.Join(w[4:], " ")
		}
	case len(w) >= 3 && w[0] == "authentication" && w[1] == "remote":
		prof.auth = ioscrAuth(w[2])
		if s, ok := ioscrPSK(w[3:], ln); ok {
			prof.psk, prof.hasPSK = s, true
		}
	case len(w) >= 3 && w[0] == "keyring" && w[1] == "local":
		prof.keyring = w[2]
	case len(w) >= 2 && w[0] == "lifetime":
		n, ok := ioscrAtoi(w[1])
		if !ok {
			errs.addf(ln, "ikev2 profile %s: lifetime %q", prof.name, w[1])
			return
		}
		prof.lifetime = n
	}
}

func ioscrRunIPsecProfileLine(ip *ioscrRunIPsecProfile, w []string, ln int, errs *ioscrErrs) {
	if len(w) < 2 || w[0] != "set" {
		return
	}
	switch {
	case w[1] == "transform-set":
		ip.ts = append(ip.ts, w[2:]...)
	case w[1] == "pfs":
		ip.pfs = "modp768" // "set pfs" alone is group 1
		if len(w) >= 3 {
			ip.pfs = ioscrDH(w[2])
		}
	case w[1] == "security-association" && len(w) >= 5 && w[2] == "lifetime" && w[3] == "seconds":
		n, ok := ioscrAtoi(w[4])
		if !ok {
			errs.addf(ln, "ipsec profile lifetime %q", w[4])
			return
		}
		ip.lifetime = n
	case w[1] == "ikev2-profile" && len(w) >= 3:
		ip.ikev2 = w[2]
	case w[1] == "isakmp-profile" && len(w) >= 3:
		ip.isakmp = w[2]
	}
}

func ioscrRunMapLine(m *ioscrRunMap, w []string, ln int, errs *ioscrErrs) {
	switch {
	case len(w) >= 3 && w[0] == "set" && w[1] == "peer":
		a, err := netip.ParseAddr(w[2])
		if err != nil {
			errs.addf(ln, "crypto map %s: peer %q is not an address", m.name, w[2])
			return
		}
		m.peers = append(m.peers, a.Unmap())
	case len(w) >= 3 && w[0] == "set" && w[1] == "transform-set":
		m.ts = append(m.ts, w[2:]...)
	case len(w) >= 2 && w[0] == "set" && w[1] == "pfs":
		m.pfs = "modp768"
		if len(w) >= 3 {
			m.pfs = ioscrDH(w[2])
		}
	case len(w) >= 5 && w[0] == "set" && w[1] == "security-association" && w[2] == "lifetime" && w[3] == "seconds":
		n, ok := ioscrAtoi(w[4])
		if !ok {
			errs.addf(ln, "crypto map %s: lifetime %q", m.name, w[4])
			return
		}
		m.lifetime = n
	case len(w) >= 3 && w[0] == "match" && w[1] == "address":
		m.acl, m.aclLine = w[2], ln
	case len(w) >= 3 && w[0] == "set" && w[1] == "ikev2-profile":
		m.ikev2 = w[2]
	}
}

func ioscrRunIfLine(in *ioscrRunIf, w []string, ln int, errs *ioscrErrs) {
	switch {
	case len(w) == 1 && w[0] == "shutdown":
		in.shutdown = true
	case len(w) >= 4 && w[0] == "ip" && w[1] == "address":
		if w[2] == "dhcp" || w[2] == "negotiated" {
			return
		}
		p, ok := ioscrPrefix(w[2], w[3], false)
		if !ok {
			errs.addf(ln, "%s: ip address %s %s", in.name, w[2], w[3])
			return
		}
		a, _ := netip.ParseAddr(w[2])
		in.addrs = append(in.addrs, netip.PrefixFrom(a.Unmap(), p.Bits()))
	case len(w) >= 3 && w[0] == "tunnel" && w[1] == "source":
		in.src = w[2]
	case len(w) >= 3 && w[0] == "tunnel" && w[1] == "destination":
		in.dst = w[2]
	case len(w) >= 3 && w[0] == "tunnel" && w[1] == "mode":
		in.mode = strings.Join(w[2:], " ")
	case len(w) >= 5 && w[0] == "tunnel" && w[1] == "protection" && w[2] == "ipsec" && w[3] == "profile":
		in.protection = w[4]
	case len(w) >= 3 && w[0] == "crypto" && w[1] == "map":
		in.cryptoMap = w[2]
	}
}

// proposalsOf turns transform-set names into ESP proposals with the PFS group.
func (cfg *ioscrRun) proposalsOf(names []string, pfs string, what string, ln int, errs *ioscrErrs) []netmodel.Proposal {
	var out []netmodel.Proposal
	for _, n := range names {
		ts, ok := cfg.transformSets[n]
		if !ok {
			errs.addf(ln, "%s: transform-set %s is not in this output", what, n)
			continue
		}
		var p netmodel.Proposal
		if ts.enc != "" {
			p.Encryption = []string{ts.enc}
		}
		if ts.integ != "" {
			p.Integrity = []string{ts.integ}
		}
		if pfs != "" {
			p.DH = []string{pfs}
		}
		out = append(out, p)
	}
	return out
}

// ifAddr resolves a tunnel source (an address or an interface of this
// output) to an address.
func (cfg *ioscrRun) ifAddr(s string) netip.Addr {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap()
	}
	name := netmodel.CanonicalIfName(netmodel.IOS, s)
	for _, in := range cfg.ifaces {
		if in.name == name && len(in.addrs) > 0 {
			return in.addrs[0].Addr()
		}
	}
	return netip.Addr{}
}

func (cfg *ioscrRun) result(errs *ioscrErrs) ioscrConfig {
	var c ioscrConfig
	sort.SliceStable(cfg.policies, func(i, j int) bool { return cfg.policies[i].prio < cfg.policies[j].prio })
	var v1Props []netmodel.Proposal
	v1Life, v1Auth := 0, ""
	for _, p := range cfg.policies {
		var pr netmodel.Proposal
		if p.enc != "" {
			pr.Encryption = []string{p.enc}
		}
		if p.hash != "" {
			pr.Integrity = []string{p.hash}
		}
		if p.dh != "" {
			pr.DH = []string{p.dh}
		}
		v1Props = append(v1Props, pr)
		if v1Life == 0 {
			v1Life = p.lifetime
			if v1Life == 0 {
				v1Life = 86400
			}
			v1Auth = p.auth
		}
	}
	seen := map[string]*netmodel.IKEConfig{}
	addV1 := func(a netip.Addr, wild bool, line int) *netmodel.IKEConfig {
		name := a.String()
		if k := seen[name]; k != nil {
			return k
		}
		k := &netmodel.IKEConfig{Name: name, Version: 1, Auth: v1Auth, Proposals: v1Props, Lifetime: v1Life, Src: netmodel.Lines(line, line)}
		if !wild {
			k.RemoteAddr = a
		}
		seen[name] = k
		c.IKE = append(c.IKE, k)
		return k
	}
	for _, k := range cfg.keys {
		ike := addV1(k.addr, k.wild, k.line)
		ike.Auth = "psk"
		if k.has {
			ike.PSK = k.secret
		}
	}
	// IKEv2 profiles.
	var v2Props []netmodel.Proposal
	names := cfg.policyProps
	if len(names) == 0 {
		names = cfg.propOrder
	}
	for _, n := range names {
		p, ok := cfg.proposals[n]
		if !ok {
			if n != "default" {
				errs.addf(0, "ikev2 policy names proposal %s, which is not in this output", n)
			}
			continue
		}
		v2Props = append(v2Props, p)
	}
	for _, prof := range cfg.profiles {
		k := &netmodel.IKEConfig{Name: prof.name, Version: 2, RemoteAddr: prof.remote, RemoteID: prof.remoteID, Auth: prof.auth,
			Proposals: v2Props, Lifetime: prof.lifetime, Src: netmodel.Lines(prof.start, prof.end)}
		if k.Lifetime == 0 {
			k.Lifetime = 86400
		}
		if prof.hasPSK {
			k.PSK = prof.psk
		} else if peers, ok := cfg.keyrings[prof.keyring]; ok {
			var match *ioscrRunKeyringPeer
			for _, p := range peers {
				if prof.remote.IsValid() && p.addr == prof.remote {
					match = p
				}
			}
			if match == nil && len(peers) == 1 {
				match = peers[0]
			}
			if match != nil && match.hasR {
				k.PSK = match.remote
			} else if match != nil && match.hasL {
				k.PSK = match.local
			}
			if match != nil && !k.RemoteAddr.IsValid() && match.addr.IsValid() && !match.addr.IsUnspecified() {
				k.RemoteAddr = match.addr
			}
		} else if prof.keyring != "" {
			errs.addf(prof.start, "ikev2 profile %s: keyring %s is not in this output", prof.name, prof.keyring)
		}
		c.IKE = append(c.IKE, k)
	}
	// Crypto map entries.
	ifFor := map[string]string{}
	for _, in := range cfg.ifaces {
		if in.cryptoMap != "" && ifFor[in.cryptoMap] == "" {
			ifFor[in.cryptoMap] = in.name
		}
	}
	for _, m := range cfg.maps {
		if m.dynamic {
			continue
		}
		ch := &netmodel.ChildConfig{Name: m.name, PolicyBased: true, Lifetime: m.lifetime, Interface: ifFor[m.mapName],
			ACL: m.acl, Src: netmodel.Lines(m.start, m.end)}
		if ch.Lifetime == 0 {
			ch.Lifetime = cfg.lifetime()
		}
		ch.Proposals = cfg.proposalsOf(m.ts, m.pfs, "crypto map "+m.name, m.start, errs)
		if m.acl != "" {
			entries, ok := cfg.acls[m.acl]
			if !ok {
				errs.addf(m.aclLine, "crypto map %s: access-list %s is not in this output (collect it with the crypto section)", m.name, m.acl)
			}
			for _, e := range entries {
				ioscrACLInto(&ch.Selectors, e.words, true, nil, e.line, "access-list "+m.acl, errs)
			}
		}
		switch {
		case m.ikev2 != "":
			ch.IKE = m.ikev2
		case len(m.peers) > 0:
			ch.IKE = m.peers[0].String()
		}
		if m.ikev2 == "" {
			for _, p := range m.peers {
				addV1(p, false, m.start)
			}
		}
		c.Children = append(c.Children, ch)
	}
	if len(c.IKE) == 0 && len(v1Props) > 0 {
		c.IKE = append(c.IKE, &netmodel.IKEConfig{Name: "isakmp", Version: 1, Auth: v1Auth, Proposals: v1Props, Lifetime: v1Life,
			Src: netmodel.Lines(cfg.policies[0].line, cfg.policies[0].line)})
	}
	// Tunnel interfaces.
	for _, in := range cfg.ifaces {
		if !strings.HasPrefix(in.name, "Tunnel") {
			continue
		}
		src, dst := cfg.ifAddr(in.src), cfg.ifAddr(in.dst)
		c.Interfaces = append(c.Interfaces, &netmodel.Interface{Name: in.name, AdminUp: !in.shutdown, Addrs: in.addrs,
			Tunnel: true, TunnelSrc: src, TunnelDst: dst, Src: netmodel.Lines(in.start, in.end)})
		if in.protection == "" {
			continue
		}
		ch := &netmodel.ChildConfig{Name: in.name, RouteBased: true, Interface: in.name, Policy: in.protection, Src: netmodel.Lines(in.start, in.end)}
		prof, ok := cfg.ipsecProfiles[in.protection]
		if !ok {
			errs.addf(in.start, "%s: ipsec profile %s is not in this output", in.name, in.protection)
		} else {
			ch.Proposals = cfg.proposalsOf(prof.ts, prof.pfs, "ipsec profile "+in.protection, in.start, errs)
			ch.Lifetime = prof.lifetime
			switch {
			case prof.ikev2 != "":
				ch.IKE = prof.ikev2
			case prof.isakmp != "":
				ch.IKE = prof.isakmp
			}
		}
		if ch.Lifetime == 0 {
			ch.Lifetime = cfg.lifetime()
		}
		mode := strings.ToLower(in.mode)
		switch {
		case strings.HasPrefix(mode, "ipsec "):
			any := ioscrAny
			if strings.HasSuffix(mode, "ipv6") {
				any = netip.MustParsePrefix("::/0")
			}
			ch.Selectors = []netmodel.Selector{{Local: any, Remote: any}}
		case mode == "" || strings.HasPrefix(mode, "gre"):
			if src.IsValid() && dst.IsValid() {
				ch.Selectors = []netmodel.Selector{{Local: ioscrHost(src), Remote: ioscrHost(dst), Proto: 47}}
			}
		}
		if ch.IKE == "" && dst.IsValid() {
			ch.IKE = dst.String() // IKEv1 towards the tunnel destination
		}
		c.Children = append(c.Children, ch)
	}
	return c
}

// lifetime is the IPsec SA lifetime a map or profile without its own uses.
func (cfg *ioscrRun) lifetime() int {
	if cfg.globalLife > 0 {
		return cfg.globalLife
	}
	return 3600
}
