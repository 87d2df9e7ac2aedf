package parse

import (
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// "show crypto map" (IOS/IOS-XE): one entry per crypto map sequence.
//
//	Crypto Map IPv4 "CMAP" 1 ipsec-isakmp
//	        Peer = 56.2.11.33
//	        IKEv2 Profile: ikev2profile
//	        Extended IP access list 100
//	            access-list 100 permit ip 10.0.0.0 0.255.255.255 10.70.140.0 0.0.0.255
//	        Current peer: 56.2.11.33
//	        Security association lifetime: 4608000 kilobytes/3600 seconds
//	        PFS (Y/N): Y
//	        DH group:  group15
//	        Transform sets={
//	                TSET:  { esp-256-aes esp-sha-hmac  } ,
//	        }
//	        Interfaces using crypto map CMAP:
//	                GigabitEthernet1/0
//
// Each entry gives a ChildConfig named "MAP SEQ" with the crypto ACL's
// permit lines as selectors (n source × m destination networks give n×m),
// and, when it names peers, an IKEConfig per peer (named by the address,
// as the running-configuration parser names IKEv1 peers) or one named
// after the IKEv2 profile. Maps that IOS builds for tunnel protection
// ("Tunnel1-head-0") are route-based: their interface is the tunnel, and
// the entry is named after it.

func ioscrDetectCryptoMap(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "Crypto Map ") && strings.Contains(t, "\"") &&
			(strings.Contains(t, " ipsec-isakmp") || strings.Contains(t, " ipsec-manual") || strings.Contains(t, " gdoi")) {
			return true
		}
	}
	return false
}

// ioscrMapEntry is one crypto map entry being read.
type ioscrMapEntry struct {
	name       string // "MAP SEQ"
	mapName    string
	acl        string
	start, end int
	peers      []netip.Addr
	profile    string
	version    int
	sels       []netmodel.Selector
	props      []netmodel.Proposal
	pfs        string
	lifetime   int
	ifaces     []string
	inTS       bool // inside "Transform sets={ ... }"
	tsLine     int
	inIfaces   bool
}

func ioscrParseCryptoMap(r io.Reader) (ioscrConfig, error) {
	lines, done, err := ioscrStart(r, true)
	if done {
		return ioscrConfig{}, err
	}
	var (
		errs    ioscrErrs
		entries []*ioscrMapEntry
		cur     *ioscrMapEntry
	)
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "Crypto Map ") && strings.Contains(t, "\"") {
			if strings.Contains(t, " idb:") { // old IOS: "Crypto Map: "m" idb: Ethernet0 local address: A"
				continue
			}
			cur = ioscrMapHeader(t, ln, &errs)
			if cur != nil {
				entries = append(entries, cur)
			}
			continue
		}
		if cur == nil {
			errs.addf(ln, "unexpected line before the first crypto map entry: %q", t)
			continue
		}
		cur.end = ln
		ioscrMapLine(cur, t, ln, &errs)
	}
	if len(entries) == 0 && errs.first == nil {
		errs.addf(0, "no crypto map entries found")
	}
	var c ioscrConfig
	for _, e := range entries {
		if e.inTS {
			errs.addf(e.tsLine, "crypto map %s: transform set list not closed (output truncated?)", e.name)
		}
		ioscrMapResult(e, &c)
	}
	return c, errs.err()
}

// ioscrMapHeader reads `Crypto Map IPv4 "NAME" SEQ ipsec-isakmp`.
func ioscrMapHeader(t string, ln int, errs *ioscrErrs) *ioscrMapEntry {
	q1 := strings.IndexByte(t, '"')
	q2 := strings.LastIndexByte(t, '"')
	if q1 < 0 || q2 <= q1 {
		errs.addf(ln, "crypto map header %q: no quoted name", t)
		return nil
	}
	name := t[q1+1 : q2]
	f := strings.Fields(t[q2+1:])
	if len(f) < 1 {
		errs.addf(ln, "crypto map %s: no sequence number", name)
		return nil
	}
	if _, ok := ioscrAtoi(f[0]); !ok {
		errs.addf(ln, "crypto map %s: sequence %q is not a number", name, f[0])
		return nil
	}
	return &ioscrMapEntry{name: name + " " + f[0], mapName: name, start: ln, end: ln, version: 1}
}

func ioscrMapLine(e *ioscrMapEntry, t string, ln int, errs *ioscrErrs) {
	if e.inTS {
		if strings.HasPrefix(t, "}") {
			e.inTS = false
			return
		}
		e.addTransformSet(t)
		return
	}
	if e.inIfaces {
		if !strings.ContainsAny(t, " :=") {
			e.ifaces = append(e.ifaces, netmodel.CanonicalIfName(netmodel.IOS, t))
			return
		}
		e.inIfaces = false
	}
	k, v, _ := ioscrKV(t)
	switch {
	case strings.HasPrefix(t, "Peer = ") || strings.HasPrefix(t, "Peer ="):
		a, err := netip.ParseAddr(v)
		if err != nil {
			errs.addf(ln, "crypto map %s: peer %q is not an address", e.name, v)
			return
		}
		e.peers = append(e.peers, a.Unmap())
	case k == "IKEv2 Profile":
		e.profile, e.version = v, 2
	case k == "ISAKMP Profile" || k == "Profile name":
		if e.profile == "" {
			e.profile = v
		}
	case strings.HasPrefix(t, "Extended IP access list ") || strings.HasPrefix(t, "Extended IPv6 access list "):
		f := strings.Fields(t)
		e.acl = f[len(f)-1]
	case strings.HasPrefix(t, "access-list "):
		w := strings.Fields(t)
		if len(w) < 3 {
			errs.addf(ln, "crypto map %s: access-list line %q is incomplete", e.name, t)
			return
		}
		ioscrACLInto(&e.sels, w[2:], true, nil, ln, "crypto map "+e.name, errs)
	case k == "Security association lifetime":
		if i := strings.LastIndexByte(v, '/'); i >= 0 {
			s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v[i+1:]), "seconds"))
			if n, ok := ioscrAtoi(s); ok {
				e.lifetime = n
				return
			}
		}
		errs.addf(ln, "crypto map %s: lifetime %q", e.name, v)
	case k == "PFS (Y/N)":
		if strings.EqualFold(v, "Y") && e.pfs == "" {
			e.pfs = "modp768" // "set pfs" without a group is group 1 until a DH group line says otherwise
		}
	case k == "DH group":
		e.pfs = ioscrDH(v)
	case strings.HasPrefix(t, "Transform sets={"):
		e.inTS, e.tsLine = true, ln
		rest := strings.TrimSpace(strings.TrimPrefix(t, "Transform sets={"))
		if strings.HasSuffix(rest, "}") { // old IOS: "Transform sets={ t1,  }"
			e.inTS = false
			rest = strings.TrimSuffix(rest, "}")
		}
		if rest != "" {
			e.addTransformSet(rest)
		}
	case strings.HasPrefix(t, "Interfaces using crypto map"):
		e.inIfaces = true
	}
}

// addTransformSet reads "aes256-sha1:  { esp-aes esp-sha-hmac  } ,"; a bare
// name (old IOS) says nothing about the algorithms.
func (e *ioscrMapEntry) addTransformSet(t string) {
	_, algs, ok := strings.Cut(t, "{")
	if !ok {
		return
	}
	algs, _, _ = strings.Cut(algs, "}")
	enc, integ := ioscrTransform(strings.Fields(algs))
	if enc == "" && integ == "" {
		return
	}
	p := netmodel.Proposal{}
	if enc != "" {
		p.Encryption = []string{enc}
	}
	if integ != "" {
		p.Integrity = []string{integ}
	}
	e.props = append(e.props, p)
}

// ioscrACLInto adds the selectors of one ACL entry (words from the action)
// to sels, reporting a problem at line ln.
func ioscrACLInto(sels *[]netmodel.Selector, words []string, wildcard bool, objs ioscrObjects, ln int, what string, errs *ioscrErrs) {
	if len(words) > 0 {
		if _, err := strconv.Atoi(words[0]); err == nil { // sequence number
			words = words[1:]
		}
	}
	if len(words) > 0 && (strings.EqualFold(words[0], "remark") || strings.EqualFold(words[0], "extended")) {
		if strings.EqualFold(words[0], "remark") {
			return
		}
		words = words[1:]
	}
	s, _, err := ioscrACLEntry(words, wildcard, objs)
	if err != nil {
		errs.addf(ln, "%s: access-list entry %q: %v", what, strings.Join(words, " "), err)
		return
	}
	*sels = append(*sels, s...)
}

func ioscrMapResult(e *ioscrMapEntry, c *ioscrConfig) {
	ch := &netmodel.ChildConfig{
		Name:        e.name,
		Selectors:   e.sels,
		ACL:         e.acl,
		Lifetime:    e.lifetime,
		PolicyBased: true,
		Src:         netmodel.Lines(e.start, e.end),
	}
	for _, p := range e.props {
		if e.pfs != "" {
			p.DH = []string{e.pfs}
		}
		ch.Proposals = append(ch.Proposals, p)
	}
	if len(e.ifaces) > 0 {
		ch.Interface = e.ifaces[0]
	}
	if strings.Contains(e.mapName, "-head-") { // tunnel protection
		ch.RouteBased, ch.PolicyBased = true, false
		if ch.Interface == "" {
			ch.Interface = netmodel.CanonicalIfName(netmodel.IOS, e.mapName[:strings.Index(e.mapName, "-head-")])
		}
		// Named after the tunnel, as the running configuration names it,
		// so that both outputs describe one entry.
		ch.Name = ch.Interface
	}
	switch {
	case e.profile != "" && e.version == 2:
		ch.IKE = e.profile
		k := &netmodel.IKEConfig{Name: e.profile, Version: 2, Src: ch.Src}
		if len(e.peers) > 0 {
			k.RemoteAddr = e.peers[0]
		}
		c.IKE = append(c.IKE, k)
	default:
		for i, p := range e.peers {
			if i == 0 {
				ch.IKE = p.String()
			}
			c.IKE = append(c.IKE, &netmodel.IKEConfig{Name: p.String(), Version: e.version, RemoteAddr: p, Src: ch.Src})
		}
	}
	c.Children = append(c.Children, ch)
}
