package redact

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

func TestLine(t *testing.T) {
	r := NewWithKey([]byte("test key"))
	for _, tc := range []struct{ in, secret string }{
		{`set security ike policy IKE-POL pre-shared-key ascii-text "$9$abcdEFGH1234"`, "$9$abcdEFGH1234"},
		{`set security ike gateway GW pre-shared-key ascii-text "juniper123"`, "juniper123"},
		{`set system root-authentication encrypted-password "$6$xyz$abcdefghijk"`, "$6$xyz$abcdefghijk"},
		{`crypto isakmp key cisco123 address 203.0.113.2`, "cisco123"},
		{`crypto isakmp key 6 Fh]dDHXOYbBPEhRYRKgZ address 0.0.0.0`, "Fh]dDHXOYbBPEhRYRKgZ"},
		{`  pre-shared-key local Branch-Key-77`, "Branch-Key-77"},
		{`  pre-shared-key remote 6 ZZYY`, "ZZYY"},
		{` ikev1 pre-shared-key S3cr3t-PSK!`, "S3cr3t-PSK!"},
		{` ikev2 remote-authentication pre-shared-key VeryLongKey0987`, "VeryLongKey0987"},
		{`enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM`, "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM"},
		{`username admin privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0`, "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0"},
		{`snmp-server community public RO`, "public"},
		{`        secret = "branch-psk"`, "branch-psk"},
		{`@gwa @gwb : PSK "s3cret"`, "s3cret"},
		{`	enc cbc(aes) 0x0123456789abcdef0123456789abcdef`, "0x0123456789abcdef0123456789abcdef"},
		{`	auth-trunc hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128`, "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"},
		{`	aead rfc4106(gcm(aes)) 0xdeadbeefdeadbeefdeadbeefdeadbeefcafebabe 128`, "0xdeadbeefdeadbeefdeadbeefdeadbeefcafebabe"},
	} {
		got := r.Line(tc.in)
		if strings.Contains(got, tc.secret) {
			t.Errorf("secret left in %q", got)
		}
		if _, ok := netmodel.ParseSecretToken(got); !ok {
			t.Errorf("no token in %q", got)
		}
		if r.Line(got) != got {
			t.Errorf("redacting twice changed %q", got)
		}
	}
}

// TestFRRSecrets: the secrets of an FRR running-config — daemon and enable
// passwords (the first two lines as recorded from FRR 8.4), BGP neighbor
// passwords, IS-IS, RIP, OSPFv3 and NHRP keys — become tokens, and the
// words around them stay.
func TestFRRSecrets(t *testing.T) {
	r := NewWithKey([]byte("test key"))
	for _, tc := range []struct{ in, secret, kept string }{
		{"password nettui-vty-pw-1", "nettui-vty-pw-1", "password "},
		{"enable password nettui-enable-pw-2", "nettui-enable-pw-2", "enable password "},
		{" neighbor 10.9.0.2 password nettui-bgp-pw-3", "nettui-bgp-pw-3", " neighbor 10.9.0.2 password "},
		{" neighbor PEERS password 8 Hd3Kq9xZ", "Hd3Kq9xZ", " neighbor PEERS password 8 "},
		{" password 8 Hd3Kq9xZ", "Hd3Kq9xZ", " password 8 "},
		{" area-password md5 isis-area-key authenticate snp validate", "isis-area-key", " area-password md5 "},
		{" domain-password clear isis-dom-key", "isis-dom-key", " domain-password clear "},
		{" isis password md5 isis-circ-key", "isis-circ-key", " isis password md5 "},
		{" ip rip authentication string rip-key-1", "rip-key-1", " ip rip authentication string "},
		{" ipv6 ospf6 authentication keyid 1 hash-algo sha256 key ospf6-key", "ospf6-key", " key "},
		{" ip nhrp authentication nhrp-key", "nhrp-key", " ip nhrp authentication "},
	} {
		got := r.Line(tc.in)
		if strings.Contains(got, tc.secret) || !strings.Contains(got, tc.kept) {
			t.Errorf("%q redacted to %q", tc.in, got)
		}
		if len(Find(tc.in)) == 0 {
			t.Errorf("Find(%q) finds no secret", tc.in)
		}
		if len(Find(got)) != 0 {
			t.Errorf("Find(%q) still finds %v", got, Find(got))
		}
	}
	for _, l := range []string{"service password-encryption", "no service password-encryption", "frr defaults traditional", " ip rip authentication mode md5"} {
		if got := r.Line(l); got != l {
			t.Errorf("%q changed to %q", l, got)
		}
	}
}

func TestLineKeepsOthers(t *testing.T) {
	r := NewWithKey([]byte("k"))
	for _, l := range []string{
		" tunnel-group 203.0.113.2 ipsec-attributes",
		" ikev1 pre-shared-key *****",
		"crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac",
		"   Authentication: hmac-sha256-128",
		"Gi1/0/1     10,20,100-130,200",
		"set security ike proposal P authentication-method pre-shared-keys",
	} {
		if got := r.Line(l); got != l {
			t.Errorf("%q changed to %q", l, got)
		}
	}
}

func TestReuseAndFacts(t *testing.T) {
	r := NewWithKey([]byte("bundle key"))
	a, _ := netmodel.ParseSecretToken(r.Line("crypto isakmp key cisco123 address 192.0.2.1"))
	b, _ := netmodel.ParseSecretToken(r.Line(` ikev1 pre-shared-key cisco123`))
	c, _ := netmodel.ParseSecretToken(r.Line(` ikev1 pre-shared-key x9#Kq2!vLr8@Tz4p`))
	if a.Hash != b.Hash || a.Hash == c.Hash {
		t.Errorf("same key must hash alike, different keys differently: %v %v %v", a, b, c)
	}
	if a.Length != 8 || !a.Dictionary || c.Dictionary || c.Length != 16 {
		t.Errorf("facts: %+v %+v", a, c)
	}
	other, _ := netmodel.ParseSecretToken(NewWithKey([]byte("other")).Line("crypto isakmp key cisco123 address 192.0.2.1"))
	if other.Hash == a.Hash {
		t.Errorf("the hash must depend on the bundle key")
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{`crypto isakmp key abc address 1.2.3.4`, `secret = "x"`, `enc cbc(aes) 0xabcd`, "plain"} {
		f.Add(s)
	}
	r := NewWithKey([]byte("k"))
	f.Fuzz(func(t *testing.T, s string) {
		out := r.Line(s)
		if r.Line(out) != out {
			t.Fatalf("not idempotent: %q → %q → %q", s, out, r.Line(out))
		}
	})
}
