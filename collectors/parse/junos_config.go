package parse

// "show configuration security | display set" and
// "show configuration interfaces | display set" (Junos SRX).
//
// Both read configuration as set commands, one statement a line:
//
//	set security ike proposal P1 authentication-method pre-shared-keys
//	set security ike proposal P1 dh-group group14
//	set security ike policy POL proposals P1
//	set security ike policy POL pre-shared-key ascii-text "REDACTED-L24-D0-..."
//	set security ike gateway GW ike-policy POL
//	set security ike gateway GW address 198.51.100.7
//	set security ipsec vpn V bind-interface st0.0
//	set security ipsec vpn V ike gateway GW
//	set security policies from-zone trust to-zone untrust policy P then permit tunnel ipsec-vpn V
//	set interfaces st0 unit 0 family inet address 169.254.0.2/30
//
// Multi-valued statements print either one value a line or as a list in
// brackets ("proposals [ P1 P2 ]"); both are read. "deactivate ..." lines
// (display set prints them after the statements they deactivate) remove
// the object they name. A whole "show configuration | display set" is read
// by the security parser, including its interfaces.
//
// Pre-shared keys reach the parser already replaced by redaction tokens;
// only the Secret read from the token is kept, never the text.

import (
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Lifetimes an SRX uses when a proposal sets none (seconds).
const (
	junosDefaultIKELifetime   = 28800
	junosDefaultIPsecLifetime = 3600
)

// ---- detection ----

// junosSetLine reports a configuration statement line.
func junosSetLine(t string) bool {
	return strings.HasPrefix(t, "set ") || strings.HasPrefix(t, "deactivate ")
}

func junosDetectConfigSec(lines []string) bool {
	first := junosFirstLines(lines, 1)
	if len(first) == 0 || !junosSetLine(first[0]) {
		return false
	}
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "set security ") {
			return true
		}
	}
	return false
}

func junosDetectConfigIface(lines []string) bool {
	first := junosFirstLines(lines, 1)
	if len(first) == 0 || !junosSetLine(first[0]) {
		return false
	}
	found := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "set security ") {
			return false // a whole configuration: the security parser reads it
		}
		if strings.HasPrefix(t, "set interfaces ") {
			found = true
		}
	}
	return found
}

// ---- tokens ----

// junosTokens splits a statement into words, keeping quoted strings
// together (without their quotes) and brackets as words of their own.
func junosTokens(t string) []string {
	var out []string
	for i := 0; i < len(t); {
		c := t[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '"':
			j := i + 1
			var b strings.Builder
			for j < len(t) && t[j] != '"' {
				if t[j] == '\\' && j+1 < len(t) {
					j++
				}
				b.WriteByte(t[j])
				j++
			}
			out = append(out, b.String())
			i = j + 1
		default:
			j := i
			for j < len(t) && t[j] != ' ' && t[j] != '\t' {
				j++
			}
			out = append(out, t[i:j])
			i = j
		}
	}
	return out
}

// junosValues returns the values of a statement: one word, or the words of
// a bracketed list.
func junosValues(toks []string) []string {
	if len(toks) == 0 {
		return nil
	}
	if toks[0] != "[" {
		return toks[:1]
	}
	var out []string
	for _, v := range toks[1:] {
		if v == "]" {
			break
		}
		out = append(out, v)
	}
	return out
}

// junosSpan extends a source range with a line.
func junosSpan(s *netmodel.Source, ln int) {
	if s.Start == 0 || ln < s.Start {
		s.Start = ln
	}
	if ln > s.End {
		s.End = ln
	}
}

// ---- interfaces ----

// junosIfConf is what configuration says about one interface.
type junosIfConf struct {
	name       string
	addrs      []netip.Prefix
	tunSrc     netip.Addr
	tunDst     netip.Addr
	disabled   bool
	tunnel     bool
	src        netmodel.Source
	deactivate bool
}

type junosIfConfs struct {
	list  []*junosIfConf
	index map[string]*junosIfConf
}

func (c *junosIfConfs) get(name string) *junosIfConf {
	if c.index == nil {
		c.index = map[string]*junosIfConf{}
	}
	if f := c.index[name]; f != nil {
		return f
	}
	f := &junosIfConf{name: name, tunnel: junosIsTunnelIf(name)}
	c.index[name] = f
	c.list = append(c.list, f)
	return f
}

// junosIfStatement reads the words after "set interfaces".
func junosIfStatement(c *junosIfConfs, w []string, ln int, errs *junosErrs) {
	if len(w) < 2 || w[0] == "interface-range" || w[0] == "apply-groups" {
		return
	}
	phys := c.get(w[0])
	junosSpan(&phys.src, ln)
	w = w[1:]
	if w[0] == "disable" {
		phys.disabled = true
		return
	}
	if w[0] != "unit" {
		return
	}
	if len(w) < 2 || !junosDigits(w[1]) {
		errs.addf(ln, "interface %s: unit %q is not a number", phys.name, strings.Join(w[1:], " "))
		return
	}
	u := c.get(phys.name + "." + w[1])
	junosSpan(&u.src, ln)
	w = w[2:]
	switch {
	case len(w) == 1 && w[0] == "disable":
		u.disabled = true
	case len(w) >= 3 && w[0] == "family" && (w[1] == "inet" || w[1] == "inet6") && w[2] == "address":
		if len(w) < 4 {
			errs.addf(ln, "interface %s: address without a value: output truncated?", u.name)
			return
		}
		p, err := netip.ParsePrefix(w[3])
		if err != nil {
			a, aerr := netip.ParseAddr(w[3])
			if aerr != nil {
				errs.addf(ln, "interface %s: %q is not an address", u.name, w[3])
				return
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		for _, x := range u.addrs {
			if x == p {
				return
			}
		}
		u.addrs = append(u.addrs, p)
	case len(w) >= 2 && w[0] == "tunnel" && (w[1] == "source" || w[1] == "destination"):
		if len(w) < 3 {
			errs.addf(ln, "interface %s: tunnel %s without a value: output truncated?", u.name, w[1])
			return
		}
		a, err := netip.ParseAddr(w[2])
		if err != nil {
			errs.addf(ln, "interface %s: tunnel %s %q is not an address", u.name, w[1], w[2])
			return
		}
		if w[1] == "source" {
			u.tunSrc = a
		} else {
			u.tunDst = a
		}
		u.tunnel = true
	}
}

// junosIfDeactivate marks interfaces named by "deactivate interfaces X [unit N]".
func junosIfDeactivate(c *junosIfConfs, w []string) {
	if len(w) == 1 {
		if f := c.index[w[0]]; f != nil {
			f.deactivate = true
		}
		for _, f := range c.list {
			if strings.HasPrefix(f.name, w[0]+".") {
				f.deactivate = true
			}
		}
		return
	}
	if len(w) == 3 && w[1] == "unit" {
		if f := c.index[w[0]+"."+w[2]]; f != nil {
			f.deactivate = true
		}
	}
}

func junosParseConfigIface(r io.Reader) ([]*junosIfConf, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	if junosBlank(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		c    junosIfConfs
		errs junosErrs
	)
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if junosSkip(t) || strings.HasPrefix(t, "#") {
			continue
		}
		if e := junosDeviceError(t); e != "" {
			errs.addf(ln, "the device refused the command: %s", e)
			continue
		}
		if !junosSetLine(t) {
			junosNotSet(&errs, t, ln)
			continue
		}
		w := junosTokens(t)
		switch {
		case len(w) >= 2 && w[0] == "set" && w[1] == "interfaces":
			junosIfStatement(&c, w[2:], ln, &errs)
		case len(w) >= 3 && w[0] == "deactivate" && w[1] == "interfaces":
			junosIfDeactivate(&c, w[2:])
		}
	}
	return c.list, errs.err()
}

// junosNotSet reports a line that is not a set statement.
func junosNotSet(errs *junosErrs, t string, ln int) {
	if strings.HasSuffix(t, "{") || strings.HasSuffix(t, ";") || t == "}" {
		errs.addf(ln, "configuration is in brace form; collect it with \"| display set\"")
		return
	}
	errs.addf(ln, "not a set statement: %q", t)
}

func junosMergeConfigIface(d *netmodel.Device, file, _ string, ifs []*junosIfConf) {
	disabled := map[string]bool{}
	for _, f := range ifs {
		if f.disabled && !f.deactivate {
			disabled[f.name] = true
		}
	}
	for _, f := range ifs {
		if f.deactivate {
			continue
		}
		i := d.Interface(f.name)
		phys, _, _ := strings.Cut(f.name, ".")
		if !i.Known { // operational state, when already read, wins
			i.AdminUp = !f.disabled && !disabled[phys]
		}
		if len(f.addrs) > 0 && !(i.Known && len(i.Addrs) > 0) {
			i.Addrs = append([]netip.Prefix(nil), f.addrs...)
		}
		if f.tunnel {
			i.Tunnel = true
		}
		if f.tunSrc.IsValid() {
			i.TunnelSrc = f.tunSrc
		}
		if f.tunDst.IsValid() {
			i.TunnelDst = f.tunDst
		}
		if !i.Known || !i.Src.Valid() {
			i.Src = setFile(f.src, file)
		}
	}
}

// ---- security ----

type junosIKEProposal struct {
	auth, enc, integ, dh string
	life                 int
}

type junosIKEPolicy struct {
	mode      string
	proposals []string
	psk       netmodel.Secret
	hasPSK    bool
}

type junosGateway struct {
	name, policy     string
	addr             netip.Addr
	extIf            string
	local            netip.Addr
	localID, remotID string
	version          int
	src              netmodel.Source
}

type junosIPsecProposal struct {
	enc, integ string
	life       int
}

type junosIPsecPolicy struct {
	pfs       string
	proposals []string
}

type junosTS struct {
	local, remote []netip.Prefix
}

type junosVPN struct {
	name, gateway, policy, bind string
	proxyLocal, proxyRemote     netip.Prefix
	proxyProto                  uint8
	hasProxy                    bool
	tsNames                     []string
	ts                          map[string]*junosTS
	src                         netmodel.Source
	policyBased                 bool
	selectors                   junosSelectors
}

type junosSecPolicy struct {
	from, to, name string
	srcs, dsts     []string
	apps           []string // match application
	vpn            string
	ln             int // first line, for errors
}

// junosAppProto is the IP protocol a policy's applications restrict its
// selectors to: GRE or ICMP when every application is that protocol's
// predefined one, else any (0).
func junosAppProto(apps []string) uint8 {
	var proto uint8
	for i, a := range apps {
		var p uint8
		switch a {
		case "junos-gre":
			p = 47
		case "junos-icmp-all", "junos-ping":
			p = 1
		default:
			return 0
		}
		if i > 0 && p != proto {
			return 0
		}
		proto = p
	}
	return proto
}

// junosBookEntry is an address-book address (prefixes) or address-set
// (member names).
type junosBookEntry struct {
	prefixes []netip.Prefix
	members  []string
	other    string // a kind we cannot turn into prefixes (range, dns-name, wildcard)
}

// junosConfig is what "show configuration security | display set" yields;
// Ifaces carries the interfaces of a whole pasted configuration.
type junosConfig struct {
	IKE      []*netmodel.IKEConfig
	Children []*netmodel.ChildConfig
	Ifaces   []*junosIfConf
	// extIf names each gateway's external interface, for the merge to take
	// the local address from when the gateway sets none.
	extIf map[string]string
}

type junosSecState struct {
	ikeProps   map[string]*junosIKEProposal
	ikePols    map[string]*junosIKEPolicy
	gws        map[string]*junosGateway
	gwOrder    []string
	ipsProps   map[string]*junosIPsecProposal
	ipsPols    map[string]*junosIPsecPolicy
	vpns       map[string]*junosVPN
	vpnOrder   []string
	pols       map[string]*junosSecPolicy
	polOrder   []string
	book       map[string]map[string]*junosBookEntry // zone ("" = global) → name → entry
	ifZone     map[string]string
	deactivate map[string]bool // "ike gateway X", "ipsec vpn X", "policy A B P"
	ifs        junosIfConfs
}

func junosParseConfigSec(r io.Reader) (*junosConfig, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	if junosBlank(lines) {
		return nil, errorf(0, "empty output")
	}
	st := &junosSecState{
		ikeProps: map[string]*junosIKEProposal{}, ikePols: map[string]*junosIKEPolicy{},
		gws: map[string]*junosGateway{}, ipsProps: map[string]*junosIPsecProposal{},
		ipsPols: map[string]*junosIPsecPolicy{}, vpns: map[string]*junosVPN{},
		pols: map[string]*junosSecPolicy{}, book: map[string]map[string]*junosBookEntry{},
		ifZone: map[string]string{}, deactivate: map[string]bool{},
	}
	var errs junosErrs
	pskSrc := map[string]netmodel.Source{}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if junosSkip(t) || strings.HasPrefix(t, "#") {
			continue
		}
		if e := junosDeviceError(t); e != "" {
			errs.addf(ln, "the device refused the command: %s", e)
			continue
		}
		if !junosSetLine(t) {
			junosNotSet(&errs, t, ln)
			continue
		}
		w := junosTokens(t)
		if w[0] == "deactivate" {
			junosSecDeactivate(st, w[1:])
			continue
		}
		if len(w) < 3 {
			continue
		}
		switch w[1] {
		case "interfaces":
			junosIfStatement(&st.ifs, w[2:], ln, &errs)
		case "security":
			junosSecStatement(st, w[2:], ln, pskSrc, &errs)
		}
	}
	out := junosBuildSec(st, pskSrc, &errs)
	out.Ifaces = st.ifs.list
	return out, errs.err()
}

func junosSecDeactivate(st *junosSecState, w []string) {
	switch {
	case len(w) >= 4 && w[0] == "security" && w[1] == "ike" && w[2] == "gateway":
		st.deactivate["ike gateway "+w[3]] = true
	case len(w) >= 4 && w[0] == "security" && w[1] == "ipsec" && w[2] == "vpn":
		st.deactivate["ipsec vpn "+w[3]] = true
	case len(w) >= 8 && w[0] == "security" && w[1] == "policies" && w[2] == "from-zone" && w[4] == "to-zone" && w[6] == "policy":
		st.deactivate["policy "+w[3]+" "+w[5]+" "+w[7]] = true
	case len(w) >= 2 && w[0] == "interfaces":
		junosIfDeactivate(&st.ifs, w[1:])
	}
}

// junosSecStatement reads the words after "set security".
func junosSecStatement(st *junosSecState, w []string, ln int, pskSrc map[string]netmodel.Source, errs *junosErrs) {
	switch {
	case len(w) >= 4 && w[0] == "ike":
		junosIKEStatement(st, w[1:], ln, pskSrc, errs)
	case len(w) >= 4 && w[0] == "ipsec":
		junosIPsecStatement(st, w[1:], ln, errs)
	case len(w) >= 8 && w[0] == "policies" && w[1] == "from-zone" && w[3] == "to-zone" && w[5] == "policy":
		junosPolicyStatement(st, w[2], w[4], w[6], w[7:], ln)
	case len(w) >= 4 && w[0] == "address-book":
		// set security address-book BOOK address|address-set ... (global or
		// attached books; entries are looked up by name, book names ignored)
		junosBookStatement(st, "", w[2:], ln, errs)
	case len(w) >= 5 && w[0] == "zones" && w[1] == "security-zone":
		zone := w[2]
		switch w[3] {
		case "address-book":
			junosBookStatement(st, zone, w[4:], ln, errs)
		case "interfaces":
			st.ifZone[w[4]] = zone
		}
	}
}

func junosIKEStatement(st *junosSecState, w []string, ln int, pskSrc map[string]netmodel.Source, errs *junosErrs) {
	kind, name, w := w[0], w[1], w[2:]
	switch kind {
	case "proposal":
		p := st.ikeProps[name]
		if p == nil {
			p = &junosIKEProposal{}
			st.ikeProps[name] = p
		}
		v := junosValues(w[1:])
		if len(v) == 0 {
			errs.addf(ln, "IKE proposal %s: %s without a value: output truncated?", name, w[0])
			return
		}
		switch w[0] {
		case "authentication-method":
			p.auth = v[0]
		case "dh-group":
			p.dh = netmodel.NormDH(v[0])
		case "authentication-algorithm":
			p.integ = netmodel.NormIntegrity(v[0])
		case "encryption-algorithm":
			p.enc = junosNormEnc(v[0])
		case "lifetime-seconds":
			n, err := strconv.Atoi(v[0])
			if err != nil || n <= 0 {
				errs.addf(ln, "IKE proposal %s: lifetime %q is not a number of seconds", name, v[0])
				return
			}
			p.life = n
		}
	case "policy":
		p := st.ikePols[name]
		if p == nil {
			p = &junosIKEPolicy{}
			st.ikePols[name] = p
		}
		switch w[0] {
		case "mode":
			if len(w) > 1 {
				p.mode = w[1]
			}
		case "proposals":
			p.proposals = junosAddNames(p.proposals, junosValues(w[1:]))
		case "pre-shared-key":
			p.hasPSK = true
			pskSrc[name] = netmodel.Lines(ln, ln)
			if len(w) >= 3 {
				if s, ok := netmodel.ParseSecretToken(w[2]); ok {
					p.psk = s
				}
			}
		}
	case "gateway":
		g := st.gws[name]
		if g == nil {
			g = &junosGateway{name: name}
			st.gws[name] = g
			st.gwOrder = append(st.gwOrder, name)
		}
		junosSpan(&g.src, ln)
		v := junosValues(w[1:])
		switch w[0] {
		case "ike-policy":
			if len(v) > 0 {
				g.policy = v[0]
			}
		case "address":
			if len(v) > 0 && !g.addr.IsValid() {
				if a, err := netip.ParseAddr(v[0]); err == nil {
					g.addr = a
				}
			}
		case "external-interface":
			if len(v) > 0 {
				g.extIf = v[0]
			}
		case "local-address":
			if len(v) > 0 {
				if a, err := netip.ParseAddr(v[0]); err == nil {
					g.local = a
				}
			}
		case "local-identity", "remote-identity":
			id := junosIdentity(w[1:])
			if w[0] == "local-identity" {
				g.localID = id
			} else {
				g.remotID = id
			}
		case "version":
			switch junosFirst(v) {
			case "v1-only":
				g.version = 1
			case "v2-only":
				g.version = 2
			}
		}
	}
}

func junosFirst(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// junosIdentity reads "inet 192.0.2.1", "hostname vpn.example",
// "user-at-hostname a@b", "distinguished-name" as the identity's value.
func junosIdentity(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[1:], " ")
}

func junosIPsecStatement(st *junosSecState, w []string, ln int, errs *junosErrs) {
	kind, name, w := w[0], w[1], w[2:]
	switch kind {
	case "proposal":
		p := st.ipsProps[name]
		if p == nil {
			p = &junosIPsecProposal{}
			st.ipsProps[name] = p
		}
		v := junosValues(w[1:])
		if len(v) == 0 {
			if w[0] != "description" {
				errs.addf(ln, "IPsec proposal %s: %s without a value: output truncated?", name, w[0])
			}
			return
		}
		switch w[0] {
		case "authentication-algorithm":
			p.integ = netmodel.NormIntegrity(v[0])
		case "encryption-algorithm":
			p.enc = junosNormEnc(v[0])
		case "lifetime-seconds":
			n, err := strconv.Atoi(v[0])
			if err != nil || n <= 0 {
				errs.addf(ln, "IPsec proposal %s: lifetime %q is not a number of seconds", name, v[0])
				return
			}
			p.life = n
		}
	case "policy":
		p := st.ipsPols[name]
		if p == nil {
			p = &junosIPsecPolicy{}
			st.ipsPols[name] = p
		}
		switch {
		case w[0] == "perfect-forward-secrecy" && len(w) >= 3 && w[1] == "keys":
			p.pfs = netmodel.NormDH(w[2])
		case w[0] == "proposals":
			p.proposals = junosAddNames(p.proposals, junosValues(w[1:]))
		}
	case "vpn":
		v := st.vpns[name]
		if v == nil {
			v = &junosVPN{name: name, ts: map[string]*junosTS{}}
			st.vpns[name] = v
			st.vpnOrder = append(st.vpnOrder, name)
		}
		junosSpan(&v.src, ln)
		junosVPNStatement(v, w, ln, errs)
	}
}

func junosVPNStatement(v *junosVPN, w []string, ln int, errs *junosErrs) {
	prefix := func(s string) (netip.Prefix, bool) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				errs.addf(ln, "VPN %s: %q is not a prefix", v.name, s)
				return netip.Prefix{}, false
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		return p.Masked(), true
	}
	switch {
	case w[0] == "bind-interface" && len(w) >= 2:
		v.bind = w[1]
	case w[0] == "ike" && len(w) >= 3 && w[1] == "gateway":
		v.gateway = w[2]
	case w[0] == "ike" && len(w) >= 3 && w[1] == "ipsec-policy":
		v.policy = w[2]
	case w[0] == "ike" && len(w) >= 4 && w[1] == "proxy-identity":
		v.hasProxy = true
		switch w[2] {
		case "local":
			if p, ok := prefix(w[3]); ok {
				v.proxyLocal = p
			}
		case "remote":
			if p, ok := prefix(w[3]); ok {
				v.proxyRemote = p
			}
		case "service":
			switch w[3] {
			case "any":
			case "junos-icmp-all", "junos-ping":
				v.proxyProto = 1
			case "junos-gre":
				v.proxyProto = 47
			}
		}
	case w[0] == "traffic-selector" && len(w) >= 4:
		ts := v.ts[w[1]]
		if ts == nil {
			ts = &junosTS{}
			v.ts[w[1]] = ts
			v.tsNames = append(v.tsNames, w[1])
		}
		for _, s := range junosValues(w[3:]) {
			p, ok := prefix(s)
			if !ok {
				continue
			}
			switch {
			case w[2] == "local-ip" && !slices.Contains(ts.local, p):
				ts.local = append(ts.local, p)
			case w[2] == "remote-ip" && !slices.Contains(ts.remote, p):
				ts.remote = append(ts.remote, p)
			}
		}
	}
}

func junosPolicyStatement(st *junosSecState, from, to, name string, w []string, ln int) {
	key := from + " " + to + " " + name
	p := st.pols[key]
	if p == nil {
		p = &junosSecPolicy{from: from, to: to, name: name, ln: ln}
		st.pols[key] = p
		st.polOrder = append(st.polOrder, key)
	}
	switch {
	case len(w) >= 3 && w[0] == "match" && w[1] == "source-address":
		p.srcs = junosAddNames(p.srcs, junosValues(w[2:]))
	case len(w) >= 3 && w[0] == "match" && w[1] == "destination-address":
		p.dsts = junosAddNames(p.dsts, junosValues(w[2:]))
	case len(w) >= 3 && w[0] == "match" && w[1] == "application":
		p.apps = junosAddNames(p.apps, junosValues(w[2:]))
	case len(w) >= 5 && w[0] == "then" && w[1] == "permit" && w[2] == "tunnel" && w[3] == "ipsec-vpn":
		p.vpn = w[4]
	}
}

// junosAddNames appends the names not yet in list (a statement repeated,
// as a paste of two captures has it, must not multiply selectors).
func junosAddNames(list, names []string) []string {
	for _, n := range names {
		if !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}

// junosBookStatement reads "address NAME 10.1.0.0/24", "address NAME
// ip-prefix 10.1.0.0/24", "address NAME range-address ...", "address-set
// SET address NAME", "address-set SET address-set SET2" of a zone's book
// ("" = global).
func junosBookStatement(st *junosSecState, zone string, w []string, ln int, errs *junosErrs) {
	if len(w) < 3 {
		return
	}
	book := st.book[zone]
	if book == nil {
		book = map[string]*junosBookEntry{}
		st.book[zone] = book
	}
	e := book[w[1]]
	if e == nil {
		e = &junosBookEntry{}
		book[w[1]] = e
	}
	switch w[0] {
	case "address":
		v := w[2]
		if v == "ip-prefix" && len(w) >= 4 {
			v = w[3]
		}
		switch v {
		case "description":
			return
		case "range-address", "dns-name", "wildcard-address":
			e.other = v
			return
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			a, aerr := netip.ParseAddr(v)
			if aerr != nil {
				errs.addf(ln, "address %s: %q is not a prefix", w[1], v)
				return
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if !slices.Contains(e.prefixes, p.Masked()) {
			e.prefixes = append(e.prefixes, p.Masked())
		}
	case "address-set":
		if (w[2] == "address" || w[2] == "address-set") && len(w) >= 4 {
			e.members = junosAddNames(e.members, junosValues(w[3:]))
		}
	}
}

// junosResolve turns an address name used in a policy of zone into
// prefixes, through address sets, looking in the zone's book, then the
// global one. why says what could not be resolved.
func junosResolve(st *junosSecState, zone, name string) (ps []netip.Prefix, why string) {
	r := junosResolver{st: st, zone: zone, done: map[string][]netip.Prefix{}, busy: map[string]bool{}}
	return r.resolve(name)
}

// junosResolver resolves the names of one zone, each once (address sets
// may share members or, misconfigured, contain themselves).
type junosResolver struct {
	st   *junosSecState
	zone string
	done map[string][]netip.Prefix
	busy map[string]bool
}

func (r *junosResolver) resolve(name string) ([]netip.Prefix, string) {
	switch name {
	case "any", "any-ipv4":
		return []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}, ""
	case "any-ipv6":
		return []netip.Prefix{netip.MustParsePrefix("::/0")}, ""
	}
	if ps, ok := r.done[name]; ok {
		return ps, ""
	}
	if r.busy[name] {
		return nil, "address set " + name + " contains itself"
	}
	e := r.st.book[r.zone][name]
	if e == nil {
		e = r.st.book[""][name]
	}
	if e == nil {
		return nil, "address " + name + " is in no address book of zone " + r.zone + " nor the global one"
	}
	if e.other != "" {
		return nil, "address " + name + " is a " + e.other + ", not a prefix"
	}
	r.busy[name] = true
	out := append([]netip.Prefix(nil), e.prefixes...)
	for _, m := range e.members {
		ps, why := r.resolve(m)
		if why != "" {
			return nil, why
		}
		for _, p := range ps {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	delete(r.busy, name)
	r.done[name] = out
	return out, ""
}

// junosBuildSec turns the statements read into IKE and child configs.
func junosBuildSec(st *junosSecState, pskSrc map[string]netmodel.Source, errs *junosErrs) *junosConfig {
	out := &junosConfig{extIf: map[string]string{}}
	for _, name := range st.gwOrder {
		if st.deactivate["ike gateway "+name] {
			continue
		}
		g := st.gws[name]
		c := &netmodel.IKEConfig{
			Name: name, Version: g.version, LocalAddr: g.local, RemoteAddr: g.addr,
			LocalID: g.localID, RemoteID: g.remotID, Policy: g.policy, Src: g.src,
		}
		if c.Version == 0 {
			c.Version = 1 // a Junos gateway speaks IKEv1 unless "version v2-only"
		}
		if g.extIf != "" {
			out.extIf[name] = g.extIf
		}
		if pol := st.ikePols[g.policy]; pol != nil {
			c.Aggressive = pol.mode == "aggressive" && c.Version == 1
			for _, pn := range pol.proposals {
				p := st.ikeProps[pn]
				if p == nil {
					continue
				}
				c.Proposals = append(c.Proposals, junosProposal(p.enc, p.integ, p.dh))
				if c.Lifetime == 0 {
					c.Lifetime = p.life
					if c.Lifetime == 0 {
						c.Lifetime = junosDefaultIKELifetime
					}
				}
				if c.Auth == "" {
					c.Auth = junosAuthMethod(p.auth)
				}
			}
			if pol.hasPSK {
				c.PSK = pol.psk
				c.PSK.Src = pskSrc[g.policy]
				if c.Auth == "" {
					c.Auth = "psk"
				}
			}
		}
		out.IKE = append(out.IKE, c)
	}

	// Policy-based VPNs: every policy that tunnels into a VPN adds a
	// selector per source × destination; the side whose zone holds the
	// gateway's external interface is the remote one.
	for _, key := range st.polOrder {
		p := st.pols[key]
		if p.vpn == "" || st.deactivate["policy "+key] {
			continue
		}
		v := st.vpns[p.vpn]
		if v == nil {
			errs.addf(p.ln, "policy %s tunnels into VPN %s, which is not configured", p.name, p.vpn)
			continue
		}
		v.policyBased = true
		srcs, dsts, ok := junosPolicyPrefixes(st, p, errs)
		if !ok {
			continue
		}
		inbound := false
		if g := st.gws[v.gateway]; g != nil && g.extIf != "" {
			inbound = st.ifZone[g.extIf] == p.from && p.from != p.to
		}
		for _, s := range srcs {
			for _, d := range dsts {
				sel := netmodel.Selector{Local: s, Remote: d, Proto: junosAppProto(p.apps)}
				if inbound {
					sel = sel.Mirror()
				}
				v.selectors.add(sel)
			}
		}
	}

	for _, name := range st.vpnOrder {
		if st.deactivate["ipsec vpn "+name] {
			continue
		}
		v := st.vpns[name]
		c := &netmodel.ChildConfig{Name: name, IKE: v.gateway, Interface: v.bind, PolicyBased: v.policyBased, Policy: v.policy, Src: v.src}
		if pol := st.ipsPols[v.policy]; pol != nil {
			for _, pn := range pol.proposals {
				p := st.ipsProps[pn]
				if p == nil {
					continue
				}
				c.Proposals = append(c.Proposals, junosProposal(p.enc, p.integ, pol.pfs))
				if c.Lifetime == 0 {
					c.Lifetime = p.life
					if c.Lifetime == 0 {
						c.Lifetime = junosDefaultIPsecLifetime
					}
				}
			}
			if len(c.Proposals) == 0 && pol.pfs != "" { // a proposal-set: only the PFS group is known
				c.Proposals = []netmodel.Proposal{{DH: []string{pol.pfs}}}
			}
		}
		hasTS := len(v.tsNames) > 0
		var sels junosSelectors
		switch {
		case v.hasProxy:
			local, remote := v.proxyLocal, v.proxyRemote
			if !local.IsValid() {
				local = netip.MustParsePrefix("0.0.0.0/0")
			}
			if !remote.IsValid() {
				remote = netip.MustParsePrefix("0.0.0.0/0")
			}
			sels.add(netmodel.Selector{Local: local, Remote: remote, Proto: v.proxyProto})
		case hasTS:
			for _, tn := range v.tsNames {
				ts := v.ts[tn]
				for _, l := range ts.local {
					for _, r := range ts.remote {
						sels.add(netmodel.Selector{Local: l, Remote: r})
					}
				}
			}
		}
		if v.policyBased {
			for _, s := range v.selectors.list {
				sels.add(s)
			}
		}
		c.Selectors = sels.list
		c.RouteBased = junosIsTunnelIf(v.bind) && strings.HasPrefix(v.bind, "st") && !v.hasProxy && !hasTS && !v.policyBased
		out.Children = append(out.Children, c)
	}
	return out
}

func junosPolicyPrefixes(st *junosSecState, p *junosSecPolicy, errs *junosErrs) (srcs, dsts []netip.Prefix, ok bool) {
	ok = true
	for _, n := range p.srcs {
		ps, why := junosResolve(st, p.from, n)
		if why != "" {
			errs.addf(p.ln, "policy %s: %s", p.name, why)
			ok = false
		}
		srcs = append(srcs, ps...)
	}
	for _, n := range p.dsts {
		ps, why := junosResolve(st, p.to, n)
		if why != "" {
			errs.addf(p.ln, "policy %s: %s", p.name, why)
			ok = false
		}
		dsts = append(dsts, ps...)
	}
	return srcs, dsts, ok
}

// junosSelectors is a list of selectors without duplicates, in the order
// first seen.
type junosSelectors struct {
	list []netmodel.Selector
	seen map[netmodel.Selector]bool
}

func (s *junosSelectors) add(x netmodel.Selector) {
	if s.seen == nil {
		s.seen = map[netmodel.Selector]bool{}
	}
	if s.seen[x] {
		return
	}
	s.seen[x] = true
	s.list = append(s.list, x)
}

// junosAuthMethod maps an IKE proposal's authentication-method.
func junosAuthMethod(m string) string {
	switch {
	case m == "":
		return ""
	case m == "pre-shared-keys":
		return "psk"
	case strings.HasSuffix(m, "-signatures") || strings.HasPrefix(m, "ecdsa-signatures"):
		return "pubkey"
	}
	return m
}

func junosMergeConfigSec(d *netmodel.Device, file, arg string, c *junosConfig) {
	if c == nil {
		return
	}
	junosMergeConfigIface(d, file, arg, c.Ifaces)
	for _, ike := range c.IKE {
		ike.Src = setFile(ike.Src, file)
		if ike.PSK.Src.Valid() {
			ike.PSK.Src = setFile(ike.PSK.Src, file)
		}
		if !ike.LocalAddr.IsValid() {
			if i := d.FindInterface(c.extIf[ike.Name]); i != nil {
				for _, p := range i.Addrs {
					if p.Addr().Is4() == ike.RemoteAddr.Is4() || !ike.RemoteAddr.IsValid() {
						ike.LocalAddr = p.Addr()
						break
					}
				}
			}
		}
		d.IPsec.IKEConfigs = append(d.IPsec.IKEConfigs, ike)
	}
	for _, ch := range c.Children {
		ch.Src = setFile(ch.Src, file)
		d.IPsec.Children = append(d.IPsec.Children, ch)
	}
}

// junosProposal is one proposal of normalised algorithm names; an AEAD
// cipher carries no separate integrity algorithm.
func junosProposal(enc, integ, dh string) netmodel.Proposal {
	var p netmodel.Proposal
	if enc != "" {
		p.Encryption = []string{enc}
	}
	if integ != "" && !junosAEAD(enc) {
		p.Integrity = []string{integ}
	}
	if dh != "" {
		p.DH = []string{dh}
	}
	return p
}
