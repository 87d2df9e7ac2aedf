// Package redact replaces the secrets found in device output — pre-shared
// keys, passwords and enable secrets, SNMP communities, Junos $9$/$1$/$6$
// strings, IPsec key material in `ip xfrm state` — by tokens that keep what
// diagnosis needs (length, dictionary word, a keyed hash so reuse shows) and
// nothing from which the secret could be recovered. Every output is redacted
// before it is parsed, shown, logged or saved.
package redact

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Redactor replaces secrets using one key, so equal secrets in one bundle
// get equal tokens.
type Redactor struct {
	key []byte
}

// New returns a redactor with a fresh random key.
func New() *Redactor {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("redact: no randomness: " + err.Error())
	}
	return &Redactor{key: k}
}

// NewWithKey returns a redactor with a given key (for tests and for
// re-redacting with a bundle's key).
func NewWithKey(key []byte) *Redactor { return &Redactor{key: append([]byte(nil), key...)} }

// Token describes secret as a token.
func (r *Redactor) Token(secret string) string {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(secret))
	s := netmodel.Secret{Length: len(secret), Dictionary: netmodel.IsDictionaryWord(secret), Hash: hex.EncodeToString(m.Sum(nil)[:8])}
	return netmodel.SecretToken(s)
}

// hexToken describes hex key material (0x...) by its length in bytes.
func (r *Redactor) hexToken(h string) string {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(strings.ToLower(h)))
	s := netmodel.Secret{Length: (len(h) - 2) / 2, Hash: hex.EncodeToString(m.Sum(nil)[:8])}
	return netmodel.SecretToken(s)
}

// pattern finds one kind of secret: the value is the last capture group
// named "s" (with its quotes, if any, outside the group).
type pattern struct {
	re  *regexp.Regexp
	hex bool // 0x... key material
}

var patterns = []pattern{
	// Junos: pre-shared-key ascii-text "x" / hexadecimal x; any $9$/$1$/$5$/$6$ string.
	{re: regexp.MustCompile(`pre-shared-key\s+(?:ascii-text|hexadecimal)\s+"?(?P<s>[^"\s;]+)`)},
	{re: regexp.MustCompile(`"(?P<s>\$[1569]\$[^"]+)"`)},
	{re: regexp.MustCompile(`(?:secret|authentication-key|encrypted-password|password|key)\s+(?P<s>\$[1569]\$[^\s";]+)`)},
	// IOS: crypto isakmp key [0|6] x address|hostname ...
	{re: regexp.MustCompile(`crypto isakmp key\s+(?:[06]\s+)?(?P<s>\S+)\s+(?:address|hostname)`)},
	// IOS keyring / ikev2 keyring / ASA: pre-shared-key [local|remote] [0|6|8] x
	{re: regexp.MustCompile(`pre-shared-key\s+(?:(?:local|remote)\s+)?(?:[068]\s+)?(?P<s>[^\s*][^\s]*)\s*$`)},
	// ASA: ikev1 pre-shared-key x, ikev2 local/remote-authentication pre-shared-key x
	{re: regexp.MustCompile(`(?:authentication\s+)?pre-shared-key\s+(?:[08]\s+)?(?P<s>[^\s*][^\s]*)\s*$`)},
	// IOS: enable secret/password, username ... secret/password, key-string,
	// tacacs/radius key, OSPF/BGP keys.
	{re: regexp.MustCompile(`enable\s+(?:secret|password)\s+(?:(?:level\s+\d+\s+)?[0-9]\s+)?(?P<s>\S+)`)},
	{re: regexp.MustCompile(`username\s+\S+.*?\s(?:secret|password)\s+(?:[0-9]\s+)?(?P<s>\S+)`)},
	{re: regexp.MustCompile(`(?:key-string|authentication-key|message-digest-key\s+\d+\s+md5)\s+(?:[0-9]\s+)?(?P<s>\S+)`)},
	{re: regexp.MustCompile(`(?:tacacs-server|radius-server)\s+(?:.*\s)?key\s+(?:[0-9]\s+)?(?P<s>\S+)`)},
	{re: regexp.MustCompile(`^\s*key\s+(?:[0-9]\s+)?(?P<s>\S+)\s*$`)},
	{re: regexp.MustCompile(`neighbor\s+\S+\s+password\s+(?:[0-9]\s+)?(?P<s>\S+)`)},
	// FRRouting (and IOS line vty): a daemon's or line's password; IS-IS
	// area/domain/circuit passwords; RIP and OSPFv3 authentication keys;
	// NHRP authentication.
	{re: regexp.MustCompile(`^\s*password\s+(?:[0-9]\s+)?(?P<s>\S+)\s*$`)},
	{re: regexp.MustCompile(`(?:area-password|domain-password|isis\s+password|openfabric\s+password)\s+(?:clear|md5)\s+(?P<s>\S+)`)},
	{re: regexp.MustCompile(`rip\s+authentication\s+string\s+(?P<s>\S+)`)},
	{re: regexp.MustCompile(`authentication\s+keyid\s+\d+\s+hash-algo\s+\S+\s+key\s+(?P<s>\S+)`)},
	{re: regexp.MustCompile(`nhrp\s+authentication\s+(?P<s>\S+)`)},
	// SNMP communities (IOS, NX-OS, ASA, Junos set form).
	{re: regexp.MustCompile(`snmp-server\s+community\s+(?P<s>\S+)`)},
	{re: regexp.MustCompile(`set snmp community\s+"?(?P<s>[^"\s]+)`)},
	// swanctl.conf / strongswan secrets: secret = x / secret = "x"
	{re: regexp.MustCompile(`^\s*secret\s*=\s*"?(?P<s>[^"\s#]+)`)},
	// ipsec.secrets: ... : PSK "x" / : XAUTH x / : EAP "x"
	{re: regexp.MustCompile(`:\s*(?:PSK|XAUTH|EAP)\s+"?(?P<s>[^"\s]+)`)},
	// ip xfrm state: enc/auth/auth-trunc/aead ALG 0xKEY
	{re: regexp.MustCompile(`(?:enc|auth|auth-trunc|aead|comp)\s+\S+\s+(?P<s>0x[0-9a-fA-F]+)`), hex: true},
}

// Line redacts one line.
func (r *Redactor) Line(line string) string {
	if !mightHold(line) {
		return line
	}
	for _, p := range patterns {
		idx := p.re.SubexpIndex("s")
		for guard := 0; guard < 8; guard++ {
			m := p.re.FindStringSubmatchIndex(line)
			if m == nil || m[2*idx] < 0 {
				break
			}
			val := line[m[2*idx]:m[2*idx+1]]
			if strings.HasPrefix(val, netmodel.SecretPrefix) || strings.Trim(val, "*") == "" {
				break // already a token, or masked by the device itself
			}
			tok := r.Token(val)
			if p.hex {
				tok = r.hexToken(val)
			}
			line = line[:m[2*idx]] + tok + line[m[2*idx+1]:]
		}
	}
	return line
}

// Find returns the secrets Line would replace in line, for tests that
// prove none of them reaches an output.
func Find(line string) []string {
	if !mightHold(line) {
		return nil
	}
	var out []string
	for _, p := range patterns {
		idx := p.re.SubexpIndex("s")
		for _, m := range p.re.FindAllStringSubmatch(line, -1) {
			v := m[idx]
			if v != "" && !strings.HasPrefix(v, netmodel.SecretPrefix) && strings.Trim(v, "*") != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// Lines redacts every line in place.
func (r *Redactor) Lines(lines []string) {
	for i, l := range lines {
		lines[i] = r.Line(l)
	}
}

// mightHold is a cheap filter so most lines skip the regular expressions.
func mightHold(l string) bool {
	for i := 0; i < len(l); i++ {
		if i > 0 && isLetter(l[i-1]) {
			continue // every hint starts a word ("pre-shared-key", "enable secret", "$9$")
		}
		c := l[i] | 0x20 // ASCII lower case (and harmless for '$')
		if l[i] == '$' {
			c = '$'
		}
		for _, h := range hintsByFirst[c] {
			if hasPrefixFold(l[i:], h) {
				return true
			}
		}
	}
	return false
}

var hints = []string{"key", "secret", "password", "community", "psk", "xauth", "eap", "$9$", "$1$", "$5$", "$6$", "enc ", "auth", "aead", "comp "}

// hintsByFirst indexes hints by their first byte.
var hintsByFirst = func() (m [256][]string) {
	for _, h := range hints {
		m[h[0]] = append(m[h[0]], h)
	}
	return m
}()

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix
// in any letter case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for j := 0; j < len(prefix); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[j] {
			return false
		}
	}
	return true
}
