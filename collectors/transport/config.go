package transport

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kevinburke/ssh_config"
)

// None, as Config.UserConfigFile or Config.SystemConfigFile, skips that file.
const None = "none"

// maxHops bounds a ProxyJump chain (after expanding hops' own ProxyJump).
const maxHops = 8

// Config says where ssh configuration comes from and describes the local
// side. The zero value reads ~/.ssh/config and /etc/ssh/ssh_config as the
// current user, like ssh(1).
type Config struct {
	// UserConfigFile is the user's ssh_config; "" means ~/.ssh/config and None
	// skips it. A missing file is not an error.
	UserConfigFile string
	// SystemConfigFile is read after the user file; "" means
	// /etc/ssh/ssh_config and None skips it.
	SystemConfigFile string
	// Home is the local home directory used for "~" and %d; "" means the
	// current user's.
	Home string
	// LocalUser is %u and the remote user when nothing else names one; ""
	// means the current user.
	LocalUser string
	// Getenv looks up ${VAR} references and SSH_AUTH_SOCK; nil means
	// os.Getenv.
	Getenv func(string) string
}

// Target is one device from the inventory. Non-zero fields override what the
// ssh config says.
type Target struct {
	// Name is the inventory name; ssh config Host patterns are matched
	// against it (as in "ssh sw1").
	Name string
	// Host is the address or DNS name; Host patterns are matched against it
	// too, and it overrides HostName.
	Host string
	Port int
	User string
	// Jump is a ProxyJump spec ("[user@]host[:port],..." or "none").
	Jump string
}

// Resolved is a target after ssh config resolution: everything Dial needs.
type Resolved struct {
	// Name is the inventory name, or the hop as written in ProxyJump.
	Name string
	// HostName and Port are what is dialled.
	HostName string
	Port     int
	User     string
	// Jumps are the ProxyJump hops, first hop first; each hop is fully
	// resolved and has no Jumps of its own.
	Jumps []Resolved

	// IdentityFiles are private key files to offer, in order.
	// DefaultIdentities is true when they are ssh's defaults rather than
	// configured, in which case missing files are skipped silently.
	IdentityFiles     []string
	DefaultIdentities bool
	IdentitiesOnly    bool
	// IdentityAgent is the agent socket; "" means no agent.
	IdentityAgent string

	PubkeyAuthentication    bool
	PasswordAuthentication  bool
	KbdInteractiveAuth      bool
	BatchMode               bool
	NumberOfPasswordPrompts int

	// ConnectTimeout bounds TCP connect and SSH handshake (0: Dial's default).
	ConnectTimeout time.Duration
	// ServerAliveInterval is the keepalive period (0: Dial's default);
	// after ServerAliveCountMax unanswered keepalives the connection is
	// declared dead.
	ServerAliveInterval time.Duration
	ServerAliveCountMax int

	// KnownHostsFiles are the user files, checked and written (the first);
	// GlobalKnownHostsFiles are only read.
	KnownHostsFiles       []string
	GlobalKnownHostsFiles []string
	// StrictHostKeyChecking is "yes" or "accept-new"; "no" is never
	// honoured.
	StrictHostKeyChecking string
	HashKnownHosts        bool
	// HostKeyAlias replaces the host name in known_hosts look-ups.
	HostKeyAlias string

	// Algorithm lists as written in the config ("+ssh-rsa", "^...", "-...",
	// or a full list); empty means the library's defaults.
	Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms string

	// Warnings notes config settings that were ignored or not honoured.
	Warnings []string
}

// Addr is host:port as dialled.
func (r Resolved) Addr() string { return net.JoinHostPort(r.HostName, strconv.Itoa(r.Port)) }

// KnownHostsName is the name the host key is recorded under: "host" on port
// 22, "[host]:port" otherwise, or the HostKeyAlias.
func (r Resolved) KnownHostsName() string {
	h := r.HostName
	if r.HostKeyAlias != "" {
		h = r.HostKeyAlias
	}
	return knownHostsNormalize(net.JoinHostPort(h, strconv.Itoa(r.Port)))
}

// String is a short description for logs: user@host:port via hops.
func (r Resolved) String() string {
	s := r.User + "@" + r.Addr()
	for i := len(r.Jumps) - 1; i >= 0; i-- {
		s += " via " + r.Jumps[i].User + "@" + r.Jumps[i].Addr()
	}
	return s
}

// Resolve applies the ssh configuration to t the way ssh(1) would: the user
// file then the system file, first obtained value wins, Host and Match blocks
// matched against t.Name and t.Host. Non-zero fields of t override the
// config. ProxyJump hops are resolved through the config again.
func Resolve(cfg Config, t Target) (Resolved, error) {
	e, err := newResolver(cfg)
	if err != nil {
		return Resolved{}, err
	}
	hops := 0
	return e.resolve(t, &hops)
}

// resolver holds the parsed files and the local facts for one Resolve.
type resolver struct {
	files     []*parsedConfig
	home      string
	localUser string
	localHost string
	getenv    func(string) string
}

func newResolver(cfg Config) (*resolver, error) {
	e := &resolver{home: cfg.Home, localUser: cfg.LocalUser, getenv: cfg.Getenv}
	if e.getenv == nil {
		e.getenv = os.Getenv
	}
	if e.home == "" || e.localUser == "" {
		u, err := user.Current()
		if e.home == "" {
			if err == nil && u.HomeDir != "" {
				e.home = u.HomeDir
			} else if h, herr := os.UserHomeDir(); herr == nil {
				e.home = h
			} else {
				return nil, errors.New("ssh config: cannot find the home directory")
			}
		}
		if e.localUser == "" {
			if err != nil {
				return nil, fmt.Errorf("ssh config: local user: %w", err)
			}
			e.localUser = u.Username
		}
	}
	e.localHost, _ = os.Hostname()

	userFile := cfg.UserConfigFile
	if userFile == "" {
		userFile = filepath.Join(e.home, ".ssh", "config")
	}
	sysFile := cfg.SystemConfigFile
	if sysFile == "" {
		sysFile = "/etc/ssh/ssh_config"
	}
	for _, f := range []struct {
		path   string
		system bool
	}{{userFile, false}, {sysFile, true}} {
		if f.path == None {
			continue
		}
		pc, err := parseConfigFile(f.path, f.system, e.home)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		e.files = append(e.files, pc)
	}
	return e, nil
}

// lookupCtx is what Host and Match blocks are matched against.
type lookupCtx struct {
	hosts []string // lower-cased candidates: inventory name, address
	user  string   // remote user for "Match user", if known
	local string   // local user for "Match localuser"
}

// get returns the first value of key, or "".
func (e *resolver) get(lc lookupCtx, key string) string {
	for _, f := range e.files {
		if v := f.values(lc, key, false); len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// getRaw is get for keys taking several arguments: the value as written,
// quotes kept (the library strips a pair around the whole value, which
// breaks `"a b" "c"`).
func (e *resolver) getRaw(lc lookupCtx, key string) string {
	for _, f := range e.files {
		if v := f.rawValue(lc, key); v != "" {
			return v
		}
	}
	return ""
}

// getAll returns every value of key across both files, in order.
func (e *resolver) getAll(lc lookupCtx, key string) []string {
	var out []string
	for _, f := range e.files {
		out = append(out, f.values(lc, key, true)...)
	}
	return out
}

func (e *resolver) resolve(t Target, hops *int) (Resolved, error) {
	name := t.Name
	if name == "" {
		name = t.Host
	}
	if name == "" {
		return Resolved{}, errors.New("ssh config: target has neither name nor host")
	}
	alias := t.Host // %h before HostName is applied / %n
	if alias == "" {
		alias = t.Name
	}
	lc := lookupCtx{local: e.localUser, user: t.User}
	for _, h := range []string{t.Name, t.Host} {
		if h != "" {
			lc.hosts = append(lc.hosts, strings.ToLower(h))
		}
	}
	if lc.user == "" {
		lc.user = e.localUser
	}
	r := Resolved{Name: name}
	fail := func(key string, err error) (Resolved, error) {
		return Resolved{}, fmt.Errorf("ssh config for %s: %s: %w", name, key, err)
	}

	// HostName.
	r.HostName = t.Host
	if r.HostName == "" {
		if v := e.get(lc, "HostName"); v != "" {
			hn, err := e.expand(v, tokens{'h': alias}, false)
			if err != nil {
				return fail("HostName", err)
			}
			r.HostName = hn
		} else {
			r.HostName = alias
		}
	}
	// Port.
	r.Port = t.Port
	if r.Port == 0 {
		r.Port = 22
		if v := e.get(lc, "Port"); v != "" {
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 65535 {
				return fail("Port", fmt.Errorf("bad port %q", v))
			}
			r.Port = p
		}
	}
	if t.Port < 0 || t.Port > 65535 {
		return fail("Port", fmt.Errorf("bad port %d", t.Port))
	}
	// User.
	r.User = t.User
	if r.User == "" {
		if v := e.get(lc, "User"); v != "" {
			u, err := e.expand(v, tokens{'u': e.localUser, 'd': e.home}, false)
			if err != nil {
				return fail("User", err)
			}
			r.User = u
		} else {
			r.User = e.localUser
		}
	}

	// ProxyJump: inventory, then config; ProxyCommand is refused rather than
	// silently bypassed.
	jump := t.Jump
	if jump == "" {
		jump = e.get(lc, "ProxyJump")
		if pc := e.get(lc, "ProxyCommand"); pc != "" && !strings.EqualFold(pc, "none") {
			if jump == "" || e.firstOf(lc, "ProxyCommand", "ProxyJump") == "proxycommand" {
				return fail("ProxyCommand", errors.New("ProxyCommand is not supported; use ProxyJump"))
			}
		}
	}

	tk := tokens{
		'h': r.HostName, 'p': strconv.Itoa(r.Port), 'r': r.User, 'n': alias,
		'u': e.localUser, 'd': e.home, 'l': e.localHost, 'L': shortHost(e.localHost),
		'i': strconv.Itoa(os.Getuid()), 'k': r.HostName, 'j': jumpToken(jump),
	}
	tk['C'] = connHash(tk)

	// Identities.
	if ids := e.getAll(lc, "IdentityFile"); len(ids) > 0 {
		for _, id := range ids {
			p, err := e.expand(id, tk, true)
			if err != nil {
				return fail("IdentityFile", err)
			}
			if !containsStr(r.IdentityFiles, p) {
				r.IdentityFiles = append(r.IdentityFiles, p)
			}
		}
	} else {
		r.DefaultIdentities = true
		for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			r.IdentityFiles = append(r.IdentityFiles, filepath.Join(e.home, ".ssh", n))
		}
	}
	var err error
	if r.IdentitiesOnly, err = e.yesNo(lc, "IdentitiesOnly", false); err != nil {
		return fail("IdentitiesOnly", err)
	}
	switch v := e.get(lc, "IdentityAgent"); {
	case v == "" || v == "SSH_AUTH_SOCK":
		r.IdentityAgent = e.getenv("SSH_AUTH_SOCK")
	case strings.EqualFold(v, "none"):
		r.IdentityAgent = ""
	default:
		if strings.HasPrefix(v, "$") && !strings.HasPrefix(v, "${") {
			r.IdentityAgent = e.getenv(v[1:])
		} else if r.IdentityAgent, err = e.expand(v, tk, true); err != nil {
			return fail("IdentityAgent", err)
		}
	}
	for _, b := range []struct {
		dst  *bool
		keys []string
	}{
		{&r.PubkeyAuthentication, []string{"PubkeyAuthentication"}},
		{&r.PasswordAuthentication, []string{"PasswordAuthentication"}},
		{&r.KbdInteractiveAuth, []string{"KbdInteractiveAuthentication", "ChallengeResponseAuthentication"}},
	} {
		*b.dst = true
		for _, k := range b.keys {
			if e.get(lc, k) != "" {
				if *b.dst, err = e.yesNo(lc, k, true); err != nil {
					return fail(k, err)
				}
				break
			}
		}
	}
	if r.BatchMode, err = e.yesNo(lc, "BatchMode", false); err != nil {
		return fail("BatchMode", err)
	}
	if r.NumberOfPasswordPrompts, err = e.uint(lc, "NumberOfPasswordPrompts", 3); err != nil {
		return fail("NumberOfPasswordPrompts", err)
	}

	// Timers.
	secs, err := e.uint(lc, "ConnectTimeout", 0)
	if err != nil {
		return fail("ConnectTimeout", err)
	}
	r.ConnectTimeout = time.Duration(secs) * time.Second
	if secs, err = e.uint(lc, "ServerAliveInterval", 0); err != nil {
		return fail("ServerAliveInterval", err)
	}
	r.ServerAliveInterval = time.Duration(secs) * time.Second
	if r.ServerAliveCountMax, err = e.uint(lc, "ServerAliveCountMax", 3); err != nil {
		return fail("ServerAliveCountMax", err)
	}

	// Host keys.
	if v := e.getRaw(lc, "UserKnownHostsFile"); v != "" {
		for _, f := range splitArgs(v) {
			if strings.EqualFold(f, "none") {
				continue
			}
			p, err := e.expand(f, tk, true)
			if err != nil {
				return fail("UserKnownHostsFile", err)
			}
			r.KnownHostsFiles = append(r.KnownHostsFiles, p)
		}
	} else {
		r.KnownHostsFiles = []string{
			filepath.Join(e.home, ".ssh", "known_hosts"),
			filepath.Join(e.home, ".ssh", "known_hosts2"),
		}
	}
	if v := e.getRaw(lc, "GlobalKnownHostsFile"); v != "" {
		for _, f := range splitArgs(v) {
			if strings.EqualFold(f, "none") {
				continue
			}
			p, err := e.expand(f, tk, true)
			if err != nil {
				return fail("GlobalKnownHostsFile", err)
			}
			r.GlobalKnownHostsFiles = append(r.GlobalKnownHostsFiles, p)
		}
	} else {
		r.GlobalKnownHostsFiles = []string{"/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"}
	}
	r.StrictHostKeyChecking = "yes"
	switch v := strings.ToLower(e.get(lc, "StrictHostKeyChecking")); v {
	case "", "yes", "ask", "true":
	case "accept-new":
		r.StrictHostKeyChecking = "accept-new"
	case "no", "off", "false":
		r.Warnings = append(r.Warnings, "StrictHostKeyChecking "+v+" is not honoured: unknown and changed host keys are refused")
	default:
		return fail("StrictHostKeyChecking", fmt.Errorf("unknown value %q", v))
	}
	if r.HashKnownHosts, err = e.yesNo(lc, "HashKnownHosts", false); err != nil {
		return fail("HashKnownHosts", err)
	}
	if v := e.get(lc, "HostKeyAlias"); v != "" {
		r.HostKeyAlias = v
	}

	r.Ciphers = e.get(lc, "Ciphers")
	r.MACs = e.get(lc, "MACs")
	r.KexAlgorithms = e.get(lc, "KexAlgorithms")
	r.HostKeyAlgorithms = e.get(lc, "HostKeyAlgorithms")
	for _, f := range e.files {
		r.Warnings = append(r.Warnings, f.warnings...)
	}

	// Jump chain.
	if jump != "" && !strings.EqualFold(jump, "none") {
		specs := strings.Split(jump, ",")
		for i, spec := range specs {
			hu, hh, hp, err := parseJumpSpec(spec)
			if err != nil {
				return fail("ProxyJump", err)
			}
			*hops++
			if *hops > maxHops {
				return fail("ProxyJump", fmt.Errorf("more than %d hops (a loop?)", maxHops))
			}
			// The first hop is reached the way "ssh hop" would reach it
			// (its own ProxyJump applies); later hops through the chain.
			ht := Target{Name: hh, User: hu, Port: hp}
			if i > 0 {
				ht.Jump = "none"
			}
			hop, err := e.resolve(ht, hops)
			if err != nil {
				return Resolved{}, fmt.Errorf("ssh config for %s: jump host %s: %w", name, strings.TrimSpace(spec), err)
			}
			hop.Name = strings.TrimSpace(spec)
			r.Jumps = append(r.Jumps, hop.Jumps...)
			hop.Jumps = nil
			r.Jumps = append(r.Jumps, hop)
		}
	}
	return r, nil
}

// firstOf reports which of two keys is obtained first (lower-cased), or "".
func (e *resolver) firstOf(lc lookupCtx, a, b string) string {
	for _, f := range e.files {
		if k := f.firstKey(lc, a, b); k != "" {
			return k
		}
	}
	return ""
}

func (e *resolver) yesNo(lc lookupCtx, key string, def bool) (bool, error) {
	switch v := strings.ToLower(e.get(lc, key)); v {
	case "":
		return def, nil
	case "yes", "true":
		return true, nil
	case "no", "false":
		return false, nil
	default:
		return false, fmt.Errorf("want yes or no, got %q", v)
	}
}

func (e *resolver) uint(lc lookupCtx, key string, def int) (int, error) {
	v := e.get(lc, key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("want a number, got %q", v)
	}
	return n, nil
}

// tokens maps ssh_config %-tokens to values.
type tokens map[byte]string

// expand replaces %-tokens, and for paths a leading ~ and ${VAR}.
func (e *resolver) expand(s string, tk tokens, path bool) (string, error) {
	if path {
		if s == "~" {
			s = e.home
		} else if strings.HasPrefix(s, "~/") {
			s = filepath.Join(e.home, s[2:])
		} else if strings.HasPrefix(s, "~") {
			return "", fmt.Errorf("%q: ~user is not supported", s)
		}
		var err error
		if s, err = e.expandEnv(s); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("%q: lone %% at the end", s)
		}
		i++
		if s[i] == '%' {
			b.WriteByte('%')
			continue
		}
		v, ok := tk[s[i]]
		if !ok {
			return "", fmt.Errorf("%q: token %%%c is not supported here", s, s[i])
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

func (e *resolver) expandEnv(s string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("%q: unterminated ${", s)
		}
		name := s[i+2 : i+j]
		v := e.getenv(name)
		if v == "" {
			return "", fmt.Errorf("%q: environment variable %s is not set", s, name)
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+1:]
	}
}

// splitArgs splits a value on blanks, honouring double quotes.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	inQ, any := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			inQ, any = !inQ, true
		case (c == ' ' || c == '\t') && !inQ:
			if any {
				out = append(out, cur.String())
				cur.Reset()
				any = false
			}
		default:
			cur.WriteByte(c)
			any = true
		}
	}
	if any {
		out = append(out, cur.String())
	}
	return out
}

func shortHost(h string) string {
	if i := strings.IndexByte(h, '.'); i >= 0 {
		return h[:i]
	}
	return h
}

func jumpToken(j string) string {
	if strings.EqualFold(j, "none") {
		return ""
	}
	return j
}

// connHash is ssh's %C: SHA-1 over %l%h%p%r%j in hex.
func connHash(tk tokens) string {
	sum := sha1.Sum([]byte(tk['l'] + tk['h'] + tk['p'] + tk['r'] + tk['j']))
	return hex.EncodeToString(sum[:])
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// parseJumpSpec splits "[user@]host[:port]" or "ssh://[user@]host[:port]".
func parseJumpSpec(spec string) (usr, host string, port int, err error) {
	s := strings.TrimSpace(spec)
	s = strings.TrimPrefix(s, "ssh://")
	s = strings.TrimSuffix(s, "/")
	if s == "" {
		return "", "", 0, fmt.Errorf("empty hop in %q", spec)
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		usr, s = s[:i], s[i+1:]
		if usr == "" {
			return "", "", 0, fmt.Errorf("hop %q: empty user", spec)
		}
	}
	host = s
	if strings.HasPrefix(s, "[") || strings.Count(s, ":") == 1 {
		h, p, serr := net.SplitHostPort(s)
		if serr != nil {
			if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
				h, p = s[1:len(s)-1], ""
			} else {
				return "", "", 0, fmt.Errorf("hop %q: %v", spec, serr)
			}
		}
		host = h
		if p != "" {
			port, err = strconv.Atoi(p)
			if err != nil || port < 1 || port > 65535 {
				return "", "", 0, fmt.Errorf("hop %q: bad port %q", spec, p)
			}
		}
	}
	if host == "" || strings.ContainsAny(host, " \t/") {
		return "", "", 0, fmt.Errorf("hop %q: bad host", spec)
	}
	return usr, host, port, nil
}

// parsedConfig is one config file (with its Includes inlined) decoded by
// ssh_config, plus the conditions of its Match blocks, which the library
// cannot evaluate.
type parsedConfig struct {
	cfg      *ssh_config.Config
	matches  map[string]matchCond // marker pattern → condition
	warnings []string
}

// matchMarker prefixes the Host pattern that stands for a rewritten Match.
const matchMarker = "nettui.match."

// matchCond is a Match line: all criteria must hold.
type matchCond []matchCrit

type matchCrit struct {
	neg  bool
	kind string // all, host, originalhost, user, localuser, never
	list []string
}

// parseConfigFile reads path, inlines Include directives (restoring the
// enclosing block afterwards, as ssh does), rewrites Match lines to marker
// Host lines and decodes the result.
func parseConfigFile(path string, system bool, home string) (*parsedConfig, error) {
	pc := &parsedConfig{matches: map[string]matchCond{}}
	var out bytes.Buffer
	if err := pc.inline(&out, path, system, home, 0, "Host *"); err != nil {
		return nil, err
	}
	cfg, err := ssh_config.DecodeBytes(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("ssh config %s: %w", path, err)
	}
	pc.cfg = cfg
	return pc, nil
}

// header is the block line in force where the file is included.
func (pc *parsedConfig) inline(out *bytes.Buffer, path string, system bool, home string, depth int, header string) error {
	top := depth == 0
	if depth > 16 {
		return fmt.Errorf("ssh config %s: Include nested too deeply", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if top {
			return err
		}
		return fmt.Errorf("ssh config: Include %s: %w", path, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := strings.TrimRight(sc.Text(), "\r")
		key, rest := splitKeyword(line)
		switch strings.ToLower(key) {
		case "host":
			header = line
		case "match":
			marker := fmt.Sprintf("%s%d", matchMarker, len(pc.matches))
			cond, warn := parseMatch(rest)
			if warn != "" {
				pc.warnings = append(pc.warnings, fmt.Sprintf("%s:%d: %s", path, lineNo, warn))
			}
			pc.matches[marker] = cond
			line = "Host " + marker
			header = line
		case "include":
			for _, pat := range strings.Fields(rest) {
				pat = strings.Trim(pat, `"`)
				if strings.HasPrefix(pat, "~/") {
					pat = filepath.Join(home, pat[2:])
				} else if !filepath.IsAbs(pat) {
					if system {
						pat = filepath.Join("/etc/ssh", pat)
					} else {
						pat = filepath.Join(home, ".ssh", pat)
					}
				}
				names, err := filepath.Glob(pat)
				if err != nil {
					return fmt.Errorf("ssh config %s:%d: Include %q: %w", path, lineNo, pat, err)
				}
				for _, n := range names {
					if err := pc.inline(out, n, system, home, depth+1, header); err != nil {
						return err
					}
				}
				// ssh restores the enclosing block after an Include.
				out.WriteString(header + "\n")
			}
			continue
		}
		out.WriteString(line + "\n")
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("ssh config %s: %w", path, err)
	}
	return nil
}

// splitKeyword splits a config line into keyword and the rest ("Key value",
// "Key=value", "Key = value").
func splitKeyword(line string) (string, string) {
	s := strings.TrimLeft(line, " \t")
	if s == "" || s[0] == '#' {
		return "", ""
	}
	i := strings.IndexAny(s, " \t=")
	if i < 0 {
		return s, ""
	}
	key, rest := s[:i], strings.TrimLeft(s[i:], " \t")
	rest = strings.TrimPrefix(rest, "=")
	rest = strings.TrimSpace(rest)
	if j := strings.Index(rest, " #"); j >= 0 {
		rest = strings.TrimSpace(rest[:j])
	}
	return key, rest
}

// parseMatch reads the criteria of a Match line. Criteria that cannot be
// evaluated here (exec, canonical, final, tagged, ...) make the block never
// apply, with a warning.
func parseMatch(s string) (matchCond, string) {
	f := strings.Fields(s)
	var cond matchCond
	for i := 0; i < len(f); i++ {
		c := matchCrit{kind: strings.ToLower(f[i])}
		if strings.HasPrefix(c.kind, "!") {
			c.neg, c.kind = true, c.kind[1:]
		}
		switch c.kind {
		case "all", "canonical", "final":
			if c.kind != "all" {
				return matchCond{{kind: "never"}}, "Match " + c.kind + " is not supported: block ignored"
			}
		case "host", "originalhost", "user", "localuser":
			if i+1 >= len(f) {
				return matchCond{{kind: "never"}}, "Match " + c.kind + " without a pattern: block ignored"
			}
			i++
			for _, p := range strings.Split(strings.Trim(f[i], `"`), ",") {
				c.list = append(c.list, strings.ToLower(p))
			}
		default:
			return matchCond{{kind: "never"}}, "Match " + c.kind + " is not supported: block ignored"
		}
		cond = append(cond, c)
	}
	if len(cond) == 0 {
		return matchCond{{kind: "never"}}, "Match without criteria: block ignored"
	}
	return cond, ""
}

func (c matchCond) holds(lc lookupCtx) bool {
	for _, cr := range c {
		var ok bool
		switch cr.kind {
		case "never":
			return false
		case "all":
			ok = true
		case "host", "originalhost":
			ok = patternListMatch(cr.list, lc.hosts)
		case "user":
			ok = patternListMatch(cr.list, []string{strings.ToLower(lc.user)})
		case "localuser":
			ok = patternListMatch(cr.list, []string{strings.ToLower(lc.local)})
		}
		if ok == cr.neg {
			return false
		}
	}
	return true
}

// applies reports whether a Host (or rewritten Match) block applies.
func (pc *parsedConfig) applies(h *ssh_config.Host, lc lookupCtx) bool {
	pats := make([]string, 0, len(h.Patterns))
	for _, p := range h.Patterns {
		s := p.String()
		if cond, ok := pc.matches[s]; ok {
			return cond.holds(lc)
		}
		pats = append(pats, strings.ToLower(s))
	}
	return patternListMatch(pats, lc.hosts)
}

// patternListMatch is ssh's pattern-list rule: some positive pattern matches
// a candidate and no negated pattern matches any.
func patternListMatch(pats, cands []string) bool {
	found := false
	for _, p := range pats {
		neg := strings.HasPrefix(p, "!")
		if neg {
			p = p[1:]
		}
		for _, c := range cands {
			if globMatch(p, c) {
				if neg {
					return false
				}
				found = true
			}
		}
	}
	return found
}

// globMatch matches ssh patterns: * any run, ? exactly one character.
func globMatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if globMatch(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
		}
		p, s = p[1:], s[1:]
	}
	return s == ""
}

// values returns the first (or all) values of key in applicable blocks.
func (pc *parsedConfig) values(lc lookupCtx, key string, all bool) []string {
	var out []string
	for _, h := range pc.cfg.Hosts {
		if !pc.applies(h, lc) {
			continue
		}
		for _, n := range h.Nodes {
			kv, ok := n.(*ssh_config.KV)
			if !ok || !strings.EqualFold(kv.Key, key) {
				continue
			}
			out = append(out, kv.Value)
			if !all {
				return out
			}
		}
	}
	return out
}

// rawValue returns the first value of key as written in the file.
func (pc *parsedConfig) rawValue(lc lookupCtx, key string) string {
	for _, h := range pc.cfg.Hosts {
		if !pc.applies(h, lc) {
			continue
		}
		for _, n := range h.Nodes {
			if kv, ok := n.(*ssh_config.KV); ok && strings.EqualFold(kv.Key, key) {
				_, rest := splitKeyword(kv.String())
				return rest
			}
		}
	}
	return ""
}

// firstKey returns whichever of a and b (lower-cased) appears first.
func (pc *parsedConfig) firstKey(lc lookupCtx, a, b string) string {
	for _, h := range pc.cfg.Hosts {
		if !pc.applies(h, lc) {
			continue
		}
		for _, n := range h.Nodes {
			if kv, ok := n.(*ssh_config.KV); ok {
				if strings.EqualFold(kv.Key, a) || strings.EqualFold(kv.Key, b) {
					return strings.ToLower(kv.Key)
				}
			}
		}
	}
	return ""
}
