package parse

// Configuration files: swanctl.conf (and conf.d/*.conf, concatenated) and
// the legacy ipsec.conf (optionally followed by ipsec.secrets).
//
// Pre-shared keys arrive replaced by redaction tokens (REDACTED-L..-D.-hex);
// only the described netmodel.Secret is kept. A secret that was not redacted
// is described the same way (length, dictionary word) and reported as an
// error; its text is never stored.
//
// Defaults assumed when a setting is absent (strongSwan 5.9 man pages
// swanctl.conf(5), ipsec.conf(5), and what charon 5.9.8 logged in the lab):
//
//	swanctl.conf: version 0 (either); proposals / esp_proposals "default"
//	  (see swanDefaultProposals: no PFS group for ESP); rekey_time 4h (IKE)
//	  and 1h (child); local_ts / remote_ts "dynamic" (the IKE address);
//	  mode tunnel.
//	ipsec.conf: keyexchange ike (either); ike aes128-sha256-modp3072, esp
//	  aes128-sha256, to which the daemon adds its default proposals unless
//	  the list ends with "!"; ikelifetime 3h, lifetime (keylife) 1h,
//	  margintime (rekeymargin) 9m; authby pubkey; leftsubnet/rightsubnet the
//	  hosts themselves; leftid/rightid the addresses; type tunnel; left is
//	  the local side (swapped when the device's addresses say otherwise).

import (
	"io"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ---- swanctl.conf ----

var swanConfSectionRE = regexp.MustCompile(`^\s*(connections|secrets|authorities|pools)\s*(?::\s*\S+\s*)?\{\s*$`)

func swanDetectConf(lines []string) bool {
	sections, assigns := 0, 0
	for _, l := range lines {
		if swanConfSectionRE.MatchString(l) {
			sections++
		} else if strings.Contains(l, " = ") && !strings.HasSuffix(strings.TrimSpace(l), ";") {
			assigns++
		}
		if sections > 0 && assigns > 0 {
			return true
		}
	}
	return false
}

// swanNode is one section of a strongswan.conf-syntax file.
type swanNode struct {
	name       string
	kv         map[string]swanValue
	subs       []*swanNode
	start, end int
}

type swanValue struct {
	v    string
	line int
}

func (n *swanNode) child(name string) *swanNode {
	for _, s := range n.subs {
		if s.name == name {
			return s
		}
	}
	return nil
}

func (n *swanNode) val(k string) (string, int) {
	v, ok := n.kv[k]
	if !ok {
		return "", 0
	}
	return v.v, v.line
}

// swanConfTree reads the nested sections. Sections of the same name at the
// same place merge (several concatenated files each opening "connections").
func swanConfTree(lines []string) (*swanNode, *Error) {
	root := &swanNode{kv: map[string]swanValue{}}
	stack := []*swanNode{root}
	var bad *Error
	pending := "" // a section name on a line of its own, "{" on the next
	for i := 0; i < len(lines); i++ {
		n := i + 1
		l := swanStripComment(lines[i])
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		for t != "" {
			cur := stack[len(stack)-1]
			switch {
			case t[0] == '}':
				if len(stack) > 1 {
					cur.end = n
					stack = stack[:len(stack)-1]
				} else if bad == nil {
					bad = errorf(n, "unbalanced '}'")
				}
				t = strings.TrimSpace(t[1:])
				continue
			case t[0] == '{' && pending != "":
				stack = append(stack, swanOpen(cur, pending, n))
				pending = ""
				t = strings.TrimSpace(t[1:])
				continue
			}
			if strings.HasPrefix(t, "include ") || t == "include" {
				t = "" // noted, not followed: the other files are concatenated when collected
				continue
			}
			sep := strings.IndexAny(t, "={")
			eq, br := -1, -1
			if sep >= 0 && t[sep] == '=' {
				eq = sep
			} else if sep >= 0 {
				br = sep
			}
			if br >= 0 {
				name := strings.TrimSpace(t[:br])
				if k, _, ok := strings.Cut(name, ":"); ok { // name : template
					name = strings.TrimSpace(k)
				}
				stack = append(stack, swanOpen(cur, name, n))
				t = strings.TrimSpace(t[br+1:])
				continue
			}
			if eq > 0 {
				key := strings.TrimSpace(t[:eq])
				val := strings.TrimSpace(t[eq+1:])
				// a quoted value may run over several lines
				if strings.HasPrefix(val, `"`) && (len(val) == 1 || !strings.HasSuffix(val, `"`)) {
					j := i + 1
					for j < len(lines) && !strings.Contains(lines[j], `"`) {
						j++
					}
					if j == len(lines) {
						j--
					}
					parts := append([]string{val}, lines[i+1:j+1]...)
					val, i = strings.Join(parts, "\n"), j
				}
				closing := 0
				for strings.HasSuffix(val, "}") && !strings.HasPrefix(val, `"`) {
					val = strings.TrimSpace(val[:len(val)-1])
					closing++
				}
				cur.kv[key] = swanValue{v: strings.Trim(val, `"`), line: n}
				for ; closing > 0 && len(stack) > 1; closing-- {
					stack[len(stack)-1].end = n
					stack = stack[:len(stack)-1]
				}
				t = ""
				continue
			}
			if !strings.ContainsAny(t, " \t") {
				pending = t // "name" then "{" on the next line
			} else if bad == nil {
				bad = errorf(n, "unrecognised line %q", strings.TrimSpace(lines[i]))
			}
			t = ""
		}
	}
	if len(stack) > 1 && bad == nil {
		bad = errorf(len(lines), "section %q is not closed", stack[len(stack)-1].name)
	}
	for _, s := range stack[1:] {
		if s.end == 0 {
			s.end = len(lines)
		}
	}
	return root, bad
}

func swanOpen(parent *swanNode, name string, line int) *swanNode {
	if s := parent.child(name); s != nil {
		return s
	}
	s := &swanNode{name: name, kv: map[string]swanValue{}, start: line}
	parent.subs = append(parent.subs, s)
	return s
}

// swanStripComment removes a '#' comment outside quotes.
func swanStripComment(l string) string {
	q := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			q = !q
		case '#':
			if !q {
				return l[:i]
			}
		}
	}
	return l
}

// swanSecret is a pre-shared key and the identities it is for.
type swanSecret struct {
	ids    []string
	secret netmodel.Secret
	src    netmodel.Source
}

// swanReadSecret describes a secret value; raw is true when it was not a
// redaction token.
func swanReadSecret(v string) (s netmodel.Secret, raw bool) {
	if t, ok := netmodel.ParseSecretToken(v); ok {
		return t, false
	}
	v = strings.Trim(strings.TrimSpace(v), `"`)
	return netmodel.Secret{Length: len(v), Dictionary: netmodel.IsDictionaryWord(v)}, true
}

// swanPickSecret chooses the secret for a connection: one naming the remote
// identity or address first, then one naming the local side, then one for
// any peer.
func swanPickSecret(secrets []swanSecret, local, remote []string) (swanSecret, bool) {
	best, bestScore := swanSecret{}, 0
	has := func(ids []string, want []string) bool {
		for _, id := range ids {
			for _, w := range want {
				if w != "" && strings.EqualFold(id, w) {
					return true
				}
			}
		}
		return false
	}
	for _, s := range secrets {
		score := 0
		switch {
		case len(s.ids) == 0 || has(s.ids, []string{"%any", "%any6", "0.0.0.0", "::"}):
			score = 1
		}
		if has(s.ids, local) {
			score = 2
		}
		if has(s.ids, remote) {
			score += 3
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return best, bestScore > 0
}

func swanParseConf(r io.Reader) (netmodel.IPsec, error) {
	lines, err := swanRead(r)
	if err != nil {
		return netmodel.IPsec{}, err
	}
	var out netmodel.IPsec
	var errs swanErrs
	root, bad := swanConfTree(lines)
	if bad != nil {
		errs.add(bad.Line, "%s", bad.Msg)
	}
	// secrets
	var secrets []swanSecret
	if sec := root.child("secrets"); sec != nil {
		for _, s := range sec.subs {
			if !strings.HasPrefix(s.name, "ike") {
				continue // eap, xauth, private keys, ...
			}
			v, line := s.val("secret")
			if line == 0 {
				continue
			}
			ps, raw := swanReadSecret(v)
			if raw {
				errs.add(line, "secret of %q is not redacted (only its length is kept)", s.name)
			}
			ss := swanSecret{secret: ps, src: netmodel.Lines(s.start, s.end)}
			keys := make([]string, 0, len(s.kv))
			for k := range s.kv {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if k == "id" || strings.HasPrefix(k, "id") {
					for _, id := range strings.Split(s.kv[k].v, ",") {
						if id = strings.TrimSpace(id); id != "" {
							ss.ids = append(ss.ids, id)
						}
					}
				}
			}
			secrets = append(secrets, ss)
		}
	}
	conns := root.child("connections")
	if conns == nil {
		return out, errs.err()
	}
	memo := swanPropMemo{}
	for _, c := range conns.subs {
		ike := &netmodel.IKEConfig{Name: c.name, Src: netmodel.Lines(c.start, c.end)}
		v, _ := c.val("version")
		ike.Version = swanVersion(v)
		la, _ := c.val("local_addrs")
		ra, _ := c.val("remote_addrs")
		ike.LocalAddr, _ = swanAddr(la)
		ike.RemoteAddr, _ = swanAddr(ra)
		if p, line := c.val("proposals"); line > 0 {
			ike.Proposals, _ = memo.get(p, true)
		} else {
			ike.Proposals = swanDefaultProposals(true)
		}
		if a, _ := c.val("aggressive"); swanYes(a) {
			ike.Aggressive = true
		}
		rekey := 4 * 3600
		if v, line := c.val("rekey_time"); line > 0 {
			if d, ok := swanDuration(v); ok {
				rekey = d
			} else {
				errs.add(line, "bad rekey_time %q", v)
			}
		}
		reauth := 0
		if v, line := c.val("reauth_time"); line > 0 {
			reauth, _ = swanDuration(v)
		}
		ike.Lifetime = rekey
		if rekey == 0 {
			ike.Lifetime = reauth
		}
		// authentication rounds: local, local-1, local2, ... (first one wins)
		for _, s := range c.subs {
			switch {
			case strings.HasPrefix(s.name, "local"):
				if a, _ := s.val("auth"); a != "" && ike.Auth == "" {
					ike.Auth = swanAuth(a)
				}
				if id, _ := s.val("id"); id != "" && ike.LocalID == "" {
					ike.LocalID = id
				}
			case strings.HasPrefix(s.name, "remote"):
				if id, _ := s.val("id"); id != "" && ike.RemoteID == "" {
					ike.RemoteID = id
				}
			}
		}
		if ike.Auth == "psk" || ike.Auth == "" {
			local := []string{ike.LocalID, swanAddrText(ike.LocalAddr)}
			remote := []string{ike.RemoteID, swanAddrText(ike.RemoteAddr)}
			if s, ok := swanPickSecret(secrets, local, remote); ok && ike.Auth == "psk" {
				ike.PSK = s.secret
				ike.PSK.Src = s.src
			}
		}
		out.IKEConfigs = append(out.IKEConfigs, ike)
		ch := c.child("children")
		if ch == nil {
			continue
		}
		for _, cc := range ch.subs {
			mode, _ := cc.val("mode")
			if mode == "" {
				mode = "tunnel"
			}
			if swanShunt(mode) {
				continue
			}
			child := &netmodel.ChildConfig{Name: cc.name, IKE: c.name, Src: netmodel.Lines(cc.start, cc.end)}
			lv, lline := cc.val("local_ts")
			rv, rline := cc.val("remote_ts")
			if lline == 0 {
				lv = "dynamic"
			}
			if rline == 0 {
				rv = "dynamic"
			}
			lts, lbad := swanTSList(lv)
			rts, rbad := swanTSList(rv)
			if lbad > 0 {
				errs.add(lline, "bad local_ts %q", lv)
			}
			if rbad > 0 {
				errs.add(rline, "bad remote_ts %q", rv)
			}
			child.Selectors = swanSelectors(swanHostTS(lts, ike.LocalAddr), swanHostTS(rts, ike.RemoteAddr))
			if p, line := cc.val("esp_proposals"); line > 0 {
				child.Proposals, _ = memo.get(p, false)
			} else if p, line := cc.val("ah_proposals"); line > 0 {
				child.Proposals, _ = memo.get(p, false)
			} else {
				child.Proposals = swanDefaultProposals(false)
			}
			crekey := 3600
			if v, line := cc.val("rekey_time"); line > 0 {
				if d, ok := swanDuration(v); ok {
					crekey = d
				} else {
					errs.add(line, "bad rekey_time %q", v)
				}
			}
			child.Lifetime = crekey
			if crekey == 0 {
				if v, line := cc.val("life_time"); line > 0 {
					child.Lifetime, _ = swanDuration(v)
				}
			}
			marked := false
			for _, k := range []string{"mark_in", "mark_out", "if_id_in", "if_id_out", "set_mark_in", "set_mark_out"} {
				if v, line := cc.val(k); line > 0 && v != "0" && v != "" {
					marked = true
				}
			}
			child.RouteBased = swanRouteBased(child.Selectors, mode) && (marked || strings.EqualFold(mode, "transport"))
			child.PolicyBased = !child.RouteBased
			out.Children = append(out.Children, child)
		}
	}
	return out, errs.err()
}

func swanYes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "1", "enabled":
		return true
	}
	return false
}

func swanAddrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// ---- ipsec.conf ----

var swanIPsecConnRE = regexp.MustCompile(`^conn\s+\S+\s*$`)

func swanDetectIPsecConf(lines []string) bool {
	conn, kv := false, false
	for _, l := range lines {
		switch {
		case swanIPsecConnRE.MatchString(l) || strings.TrimSpace(l) == "config setup" && swanIndent(l) == 0:
			conn = true
		case conn && swanIndent(l) > 0 && strings.Contains(l, "="):
			k := strings.TrimSpace(l[:strings.IndexByte(l, '=')])
			switch k {
			case "left", "right", "leftsubnet", "rightsubnet", "keyexchange", "auto", "authby", "ike", "esp",
				"also", "leftid", "rightid", "type", "ikelifetime", "keylife", "lifetime", "uniqueids", "charondebug":
				kv = true
			}
		}
		if conn && kv {
			return true
		}
	}
	return false
}

// swanIPsecAliases maps ipsec.conf keyword synonyms to one name.
var swanIPsecAliases = map[string]string{
	"keylife": "lifetime", "salifetime": "lifetime", "rekeymargin": "margintime",
	"ikelifetime": "ikelifetime", "keyingtries": "keyingtries",
}

// swanIPsecSection is one "conn" section (or %default) as written.
type swanIPsecSection struct {
	name       string
	kv         map[string]swanValue
	start, end int
}

// swanIPsecFile is what an ipsec.conf (+ ipsec.secrets) holds.
type swanIPsecFile struct {
	conns    []*swanIPsecSection
	defaults []*swanIPsecSection
	secrets  []swanSecret
}

// swanIPsecResult carries the parsed configuration and, for the merge, the
// left/right addresses of each connection.
type swanIPsecResult struct {
	netmodel.IPsec
}

func swanParseIPsecConf(r io.Reader) (swanIPsecResult, error) {
	lines, err := swanRead(r)
	if err != nil {
		return swanIPsecResult{}, err
	}
	var res swanIPsecResult
	var errs swanErrs
	var f swanIPsecFile
	var cur *swanIPsecSection
	for i, raw := range lines {
		n := i + 1
		l := swanStripComment(raw)
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if swanIndent(l) == 0 {
			cur = nil
			switch {
			case strings.HasPrefix(t, "conn "):
				name := strings.TrimSpace(strings.TrimPrefix(t, "conn "))
				s := &swanIPsecSection{name: name, kv: map[string]swanValue{}, start: n, end: n}
				if name == "%default" {
					f.defaults = append(f.defaults, s)
				} else {
					f.conns = append(f.conns, s)
				}
				cur = s
			case t == "config setup" || strings.HasPrefix(t, "ca ") || strings.HasPrefix(t, "include ") ||
				strings.HasPrefix(t, "version "):
				// nothing the model holds
			case strings.Contains(t, ": PSK") || strings.Contains(t, ":PSK") || strings.HasPrefix(t, ": "):
				// ipsec.secrets: [ids] : PSK "secret"
				ids, rest, _ := strings.Cut(t, ":")
				rest = strings.TrimSpace(rest)
				kind, val, _ := strings.Cut(rest, " ")
				if kind != "PSK" {
					continue // RSA, ECDSA, EAP, XAUTH, PIN ...
				}
				ps, rawS := swanReadSecret(strings.TrimSpace(val))
				if rawS {
					errs.add(n, "PSK is not redacted (only its length is kept)")
				}
				f.secrets = append(f.secrets, swanSecret{ids: strings.Fields(ids), secret: ps, src: netmodel.Lines(n, n)})
			default:
				errs.add(n, "unrecognised line %q", t)
			}
			continue
		}
		if cur == nil {
			continue // config setup parameters
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			errs.add(n, "unrecognised line %q", t)
			continue
		}
		k = strings.TrimSpace(k)
		if a, ok := swanIPsecAliases[k]; ok {
			k = a
		}
		cur.kv[k] = swanValue{v: strings.Trim(strings.TrimSpace(v), `"`), line: n}
		cur.end = n
	}
	memo := swanPropMemo{}
	byName := map[string]*swanIPsecSection{}
	for _, c := range f.conns {
		byName[c.name] = c
	}
	for _, c := range f.conns {
		kv := swanIPsecResolve(c, byName, f.defaults)
		get := func(k string) string { return kv[k].v }
		if strings.EqualFold(get("auto"), "ignore") {
			continue // not loaded: only a base for also=
		}
		ike := &netmodel.IKEConfig{Name: c.name, Src: netmodel.Lines(c.start, c.end)}
		switch strings.ToLower(get("keyexchange")) {
		case "ikev1":
			ike.Version = 1
		case "ikev2":
			ike.Version = 2
		}
		ike.LocalAddr, _ = swanAddr(get("left"))
		ike.RemoteAddr, _ = swanAddr(get("right"))
		ike.LocalID, ike.RemoteID = get("leftid"), get("rightid")
		if ike.LocalID == "" && ike.LocalAddr.IsValid() {
			ike.LocalID = ike.LocalAddr.String()
		}
		if ike.RemoteID == "" && ike.RemoteAddr.IsValid() {
			ike.RemoteID = ike.RemoteAddr.String()
		}
		ike.Aggressive = swanYes(get("aggressive"))
		auth := get("authby")
		if auth == "" {
			auth = get("leftauth")
		}
		if auth == "" {
			auth = "pubkey"
		}
		ike.Auth = swanAuth(auth)
		ike.Proposals = swanIPsecProposals(memo, get("ike"), "aes128-sha256-modp3072", true)
		margin := 9 * 60
		if d, ok := swanDuration(get("margintime")); ok {
			margin = d
		}
		life := 3 * 3600
		if d, ok := swanDuration(get("ikelifetime")); ok {
			life = d
		}
		ike.Lifetime = max(life-margin, 0)
		if ike.Auth == "psk" {
			local := []string{ike.LocalID, get("left")}
			remote := []string{ike.RemoteID, get("right")}
			if s, ok := swanPickSecret(f.secrets, local, remote); ok {
				ike.PSK = s.secret
				ike.PSK.Src = s.src
			}
		}
		res.IKEConfigs = append(res.IKEConfigs, ike)
		typ := strings.ToLower(get("type"))
		if typ == "passthrough" || typ == "pass" || typ == "drop" || typ == "reject" {
			continue
		}
		if typ == "" {
			typ = "tunnel"
		}
		child := &netmodel.ChildConfig{Name: c.name, IKE: c.name, Src: netmodel.Lines(c.start, c.end)}
		lts := swanIPsecSubnets(get("leftsubnet"), get("leftprotoport"), ike.LocalAddr)
		rts := swanIPsecSubnets(get("rightsubnet"), get("rightprotoport"), ike.RemoteAddr)
		child.Selectors = swanSelectors(lts, rts)
		if get("ah") != "" && get("esp") == "" {
			child.Proposals = swanIPsecProposals(memo, get("ah"), "sha256", false)
		} else {
			child.Proposals = swanIPsecProposals(memo, get("esp"), "aes128-sha256", false)
		}
		clife := 3600
		if d, ok := swanDuration(get("lifetime")); ok {
			clife = d
		}
		child.Lifetime = max(clife-margin, 0)
		marked := get("mark") != "" || get("mark_in") != "" || get("mark_out") != ""
		child.RouteBased = swanRouteBased(child.Selectors, typ) && (marked || typ == "transport")
		child.PolicyBased = !child.RouteBased
		res.Children = append(res.Children, child)
	}
	return res, errs.err()
}

// swanIPsecResolve gives a conn's settings: its own, then those of the
// sections it includes with also= (recursively, first found wins), then
// %default.
func swanIPsecResolve(c *swanIPsecSection, byName map[string]*swanIPsecSection, defaults []*swanIPsecSection) map[string]swanValue {
	out := map[string]swanValue{}
	seen := map[string]bool{}
	var add func(s *swanIPsecSection, depth int)
	add = func(s *swanIPsecSection, depth int) {
		if s == nil || seen[s.name] || depth > 16 {
			return
		}
		seen[s.name] = true
		for k, v := range s.kv {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
		if a, ok := s.kv["also"]; ok {
			for _, name := range strings.Fields(strings.ReplaceAll(a.v, ",", " ")) {
				add(byName[name], depth+1)
			}
		}
	}
	add(c, 0)
	for i := len(defaults) - 1; i >= 0; i-- { // a later %default overrides an earlier one
		for k, v := range defaults[i].kv {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
	return out
}

// swanIPsecProposals reads ike=/esp=; absent means def. Without "!" the
// daemon adds its default proposals.
func swanIPsecProposals(memo swanPropMemo, v, def string, ike bool) []netmodel.Proposal {
	if v == "" {
		v = def
	}
	props, strict := memo.get(v, ike)
	if !strict {
		props = append(props, swanDefaultProposals(ike)...)
	}
	return props
}

// swanPropMemo remembers the proposals of a file: a gateway with thousands
// of connections repeats a handful of proposal strings.
type swanPropMemo map[string]swanPropEntry

type swanPropEntry struct {
	props  []netmodel.Proposal
	strict bool
}

func (m swanPropMemo) get(v string, ike bool) ([]netmodel.Proposal, bool) {
	k := v + "|ike"
	if !ike {
		k = v + "|esp"
	}
	e, ok := m[k]
	if !ok {
		e.props, e.strict = swanProposals(v, ike)
		m[k] = e
	}
	return slices.Clone(e.props), e.strict
}

// swanIPsecSubnets reads leftsubnet (a comma list, each possibly with
// [proto/port]) with leftprotoport; absent means the host itself.
func swanIPsecSubnets(subnets, protoport string, host netip.Addr) []swanTS {
	if subnets == "" {
		if !host.IsValid() {
			return nil
		}
		subnets = host.String()
	}
	var out []swanTS
	for _, s := range strings.Split(subnets, ",") {
		s = strings.TrimSpace(s)
		if protoport != "" && !strings.Contains(s, "[") {
			s += "[" + protoport + "]"
		}
		if ts, ok := swanParseTS(s); ok {
			out = append(out, ts)
		}
	}
	return swanHostTS(out, host)
}

// swanMergeIPsecConf merges like swanMerge, first turning a connection
// around when the device's known addresses say that "right" is this host.
func swanMergeIPsecConf(d *netmodel.Device, file, arg string, v swanIPsecResult) {
	own := swanOwnAddrs(d)
	if len(own) > 0 {
		for _, c := range v.IKEConfigs {
			if own[c.RemoteAddr] && !own[c.LocalAddr] {
				swanTurnAround(c, v.Children)
			}
		}
	}
	swanMerge(d, file, arg, v.IPsec)
}

// swanOwnAddrs lists the addresses the device is known to hold.
func swanOwnAddrs(d *netmodel.Device) map[netip.Addr]bool {
	own := map[netip.Addr]bool{}
	for _, i := range d.Interfaces {
		for _, p := range i.Addrs {
			own[p.Addr()] = true
		}
	}
	for _, s := range d.IPsec.IKESAs {
		if s.LocalAddr.IsValid() {
			own[s.LocalAddr] = true
		}
	}
	return own
}

// swanTurnAround swaps the sides of a connection and mirrors its children.
func swanTurnAround(c *netmodel.IKEConfig, children []*netmodel.ChildConfig) {
	c.LocalAddr, c.RemoteAddr = c.RemoteAddr, c.LocalAddr
	c.LocalID, c.RemoteID = c.RemoteID, c.LocalID
	for _, ch := range children {
		if ch.IKE != c.Name {
			continue
		}
		for i, s := range ch.Selectors {
			ch.Selectors[i] = s.Mirror()
		}
	}
}
