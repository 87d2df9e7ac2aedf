package netmodel

import (
	"regexp"
	"strconv"
	"strings"
)

// A secret found in device output (a pre-shared key, a password, an SNMP
// community, IPsec key material) is replaced, before anything is parsed,
// shown or saved, by a token that keeps what the rules need — its length,
// whether it is a dictionary word, and a keyed hash so the same key on two
// peers can be recognised — and nothing from which it could be recovered:
//
//	REDACTED-L12-D0-3fa9c1d27b44e0aa
//
// L is the length, D1 a dictionary word, then 16 hex digits of an
// HMAC-SHA-256 under a key of the bundle.
const SecretPrefix = "REDACTED-"

var secretTokenRE = regexp.MustCompile(`REDACTED-L(\d{1,4})-D([01])-([0-9a-f]{16})`)

// SecretToken writes the token for a described secret.
func SecretToken(s Secret) string {
	d := "0"
	if s.Dictionary {
		d = "1"
	}
	return SecretPrefix + "L" + strconv.Itoa(s.Length) + "-D" + d + "-" + s.Hash
}

// ParseSecretToken reads a token (possibly quoted or inside a longer word);
// ok is false when text holds none.
func ParseSecretToken(text string) (Secret, bool) {
	m := secretTokenRE.FindStringSubmatch(text)
	if m == nil {
		return Secret{}, false
	}
	n, _ := strconv.Atoi(m[1])
	return Secret{Length: n, Dictionary: m[2] == "1", Hash: m[3]}, true
}

// ContainsSecretToken reports whether text holds a token.
func ContainsSecretToken(text string) bool {
	return strings.Contains(text, SecretPrefix) && secretTokenRE.MatchString(text)
}

// weakWords are words and passwords that appear in every cracking list and
// in vendor examples; a PSK equal to one (ignoring case and trailing digits
// or punctuation) is a dictionary word.
var weakWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
password passw0rd secret secret123 cisco cisco123 juniper juniper123 admin administrator root
letmein welcome qwerty abc123 test testing changeme default vpn ipsec ikev2 psk sharedkey
sharedsecret presharedkey key mykey mysecret tunnel tunnel123 strongswan fortinet paloalto
sonicwall checkpoint netscreen firewall router switch network internet company office branch
headquarters datacenter monday summer winter spring autumn dragon monkey letmein123 iloveyou
princess football baseball master shadow sunshine trustno1 superman batman whatever freedom
hello charlie donald starwars access login guest pass passphrase example example123 testkey
`) {
		weakWords[w] = true
	}
}

// IsDictionaryWord reports whether s is a common word or password, alone or
// with digits/punctuation appended ("Cisco123!").
func IsDictionaryWord(s string) bool {
	t := strings.ToLower(s)
	if weakWords[t] {
		return true
	}
	t = strings.TrimRight(t, "0123456789!@#$%^&*.-_")
	return t != "" && weakWords[t]
}
