package netmodel

import (
	"strconv"
	"strings"
)

// Algorithm names in the model follow strongSwan's proposal keywords:
// encryption aes128 aes192 aes256 aes128gcm16 aes256gcm16 3des des null
// chacha20poly1305; integrity md5 sha1 sha256 sha384 sha512 aesxcbc none;
// PRF prfsha1 prfsha256 ...; DH modp768 modp1024 modp1536 modp2048 modp3072
// modp4096 ecp256 ecp384 ecp521 curve25519 ... The Norm* functions map what
// each platform prints to these names; unknown names are returned lower-cased
// so they still show.

// dhGroups maps IANA DH group numbers to names.
var dhGroups = map[int]string{
	1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096",
	17: "modp6144", 18: "modp8192", 19: "ecp256", 20: "ecp384", 21: "ecp521", 22: "modp1024s160",
	23: "modp2048s224", 24: "modp2048s256", 25: "ecp192", 26: "ecp224", 27: "ecp224bp", 28: "ecp256bp",
	29: "ecp384bp", 30: "ecp512bp", 31: "curve25519", 32: "curve448",
}

// DHGroupName names DH group n ("group 14" → modp2048).
func DHGroupName(n int) string {
	if s, ok := dhGroups[n]; ok {
		return s
	}
	return "group" + strconv.Itoa(n)
}

// DHGroupNumber is the IANA number of a DH name, 0 if unknown.
func DHGroupNumber(name string) int {
	for n, s := range dhGroups {
		if s == name {
			return n
		}
	}
	return 0
}

var squasher = strings.NewReplacer("-", "", "_", "", " ", "", ".", "")

func squash(s string) string {
	return squasher.Replace(strings.ToLower(strings.TrimSpace(s)))
}

// NormDH maps "group2", "group 14", "MODP_2048", "modp2048", "DH Group 14",
// "ECP_256", "19" to the model's name.
func NormDH(s string) string {
	t := squash(s)
	t = strings.TrimPrefix(t, "dh")
	if t == "" || t == "none" || t == "nopfs" || t == "no" {
		return ""
	}
	t = strings.TrimPrefix(t, "group")
	if n, err := strconv.Atoi(t); err == nil {
		return DHGroupName(n)
	}
	if strings.HasPrefix(t, "ecp") || strings.HasPrefix(t, "modp") || strings.HasPrefix(t, "curve") {
		return t
	}
	return t
}

// NormEncryption maps "aes-256-cbc", "AES_CBC_256", "AES_CBC-256",
// "esp-aes 256", "aes256", "AES-GCM-128", "aes-gcm-256", "3des-cbc",
// "esp-3des", "DES", "AES_GCM_16_256" to the model's name.
func NormEncryption(s string) string {
	t := squash(s)
	t = strings.TrimPrefix(t, "esp")
	t = strings.TrimSuffix(t, "cbc")
	t = strings.Replace(t, "cbc", "", 1)
	switch {
	case t == "3des" || t == "des3" || t == "tripledes":
		return "3des"
	case t == "des" || t == "des56":
		return "des"
	case t == "null" || t == "none":
		return "null"
	case strings.HasPrefix(t, "chacha20"):
		return "chacha20poly1305"
	case strings.HasPrefix(t, "aes"):
		bits, icv, gcm := "128", "16", false
		for _, tok := range algTokens(s) {
			switch tok {
			case "gcm":
				gcm = true
			case "128", "192", "256":
				bits = tok
			case "8", "12", "16":
				icv = tok
			}
		}
		if gcm {
			return "aes" + bits + "gcm" + icv
		}
		return "aes" + bits
	}
	return t
}

// NormIntegrity maps "hmac-sha1-96", "HMAC_SHA1_96", "esp-sha-hmac", "sha",
// "SHA256", "HMAC_SHA2_256_128", "esp-sha256-hmac", "md5", "hmac-md5-96",
// "none" to the model's name.
func NormIntegrity(s string) string {
	t := squash(s)
	t = strings.TrimPrefix(t, "esp")
	t = strings.TrimPrefix(t, "ah")
	t = strings.TrimPrefix(t, "hmac")
	t = strings.TrimSuffix(t, "hmac")
	switch {
	case t == "" || t == "none" || t == "null":
		return "none"
	case strings.HasPrefix(t, "md5"):
		return "md5"
	case strings.HasPrefix(t, "sha2256") || strings.HasPrefix(t, "sha256"):
		return "sha256"
	case strings.HasPrefix(t, "sha2384") || strings.HasPrefix(t, "sha384"):
		return "sha384"
	case strings.HasPrefix(t, "sha2512") || strings.HasPrefix(t, "sha512"):
		return "sha512"
	case t == "sha" || strings.HasPrefix(t, "sha1"):
		return "sha1"
	case strings.HasPrefix(t, "aesxcbc"):
		return "aesxcbc"
	}
	return t
}

// NormPRF maps "PRF_HMAC_SHA2_256", "prfsha256", "sha256" to prfsha256.
func NormPRF(s string) string {
	t := squash(s)
	t = strings.TrimPrefix(t, "prf")
	if t == "" {
		return ""
	}
	return "prf" + NormIntegrity(t)
}

// algTokens splits an algorithm name into lower-case words and numbers:
// "AES_GCM_16_256" → aes gcm 16 256, "aes128gcm16" → aes 128 gcm 16.
func algTokens(s string) []string {
	var out []string
	cur := []byte{}
	kind := 0 // 1 letter, 2 digit
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		k := 0
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			k = 1
		case c >= 'a' && c <= 'z':
			k = 1
		case c >= '0' && c <= '9':
			k = 2
		}
		if k == 0 || k != kind {
			flush()
		}
		kind = k
		if k != 0 {
			cur = append(cur, c)
		}
	}
	flush()
	return out
}
