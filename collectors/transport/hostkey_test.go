package transport

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func newEd25519(t testing.TB) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newECDSA(t testing.TB) ssh.PublicKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var tcpAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 22}

func checkerFor(t *testing.T, r Resolved) *hostKeyChecker {
	t.Helper()
	h, err := newHostKeyChecker(r, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHostKeyCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kh := filepath.Join(dir, "known_hosts")
	plain, hashed, ported, other := newEd25519(t), newEd25519(t), newEd25519(t), newEd25519(t)
	lines := []string{
		"# comment",
		knownhosts.Line([]string{"sw1.example.net"}, plain),
		knownhosts.Line([]string{knownhosts.HashHostname("10.9.9.9")}, hashed),
		knownhosts.Line([]string{"[sw2.example.net]:2222"}, ported),
		"@revoked * " + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(other))),
	}
	if err := os.WriteFile(kh, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := Resolved{KnownHostsFiles: []string{kh, filepath.Join(dir, "absent")}, StrictHostKeyChecking: "yes"}
	at := func(host string, port int) Resolved {
		r := base
		r.Name, r.HostName, r.Port = host, host, port
		return r
	}

	for _, tt := range []struct {
		name string
		r    Resolved
		key  ssh.PublicKey
		want string // "", "unknown", "changed:<line>", "revoked"
	}{
		{"plain", at("sw1.example.net", 22), plain, ""},
		{"hashed", at("10.9.9.9", 22), hashed, ""},
		{"host:port", at("sw2.example.net", 2222), ported, ""},
		{"port matters", at("sw2.example.net", 22), ported, "unknown"},
		{"unknown", at("new.example.net", 22), newEd25519(t), "unknown"},
		{"changed", at("sw1.example.net", 22), newEd25519(t), "changed:2"},
		{"changed hashed", at("10.9.9.9", 22), newEd25519(t), "changed:3"},
		{"revoked", at("sw1.example.net", 22), other, "revoked"},
		{"alias", func() Resolved { r := at("10.0.0.1", 22); r.HostKeyAlias = "sw1.example.net"; return r }(), plain, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := checkerFor(t, tt.r).check("ignored:22", tcpAddr, tt.key)
			var u *UnknownHostKeyError
			var c *ChangedHostKeyError
			var rv *RevokedHostKeyError
			switch {
			case tt.want == "":
				if err != nil {
					t.Fatalf("check = %v, want nil", err)
				}
				return
			case err == nil:
				t.Fatalf("check = nil, want %s", tt.want)
			case !errors.Is(err, ErrHostKey):
				t.Errorf("errors.Is(%v, ErrHostKey) = false", err)
			}
			fp := ssh.FingerprintSHA256(tt.key)
			switch {
			case tt.want == "unknown" && errors.As(err, &u):
				if u.Fingerprint != fp || !strings.HasPrefix(u.Fingerprint, "SHA256:") || ssh.FingerprintSHA256(u.Key) != fp || u.File != kh || u.Host != tt.r.KnownHostsName() {
					t.Errorf("unknown error = %+v", u)
				}
			case strings.HasPrefix(tt.want, "changed:") && errors.As(err, &c):
				want := []string{kh + ":" + strings.TrimPrefix(tt.want, "changed:")}
				if d := cmp.Diff(want, c.Want); d != "" || c.Fingerprint != fp {
					t.Errorf("changed error = %+v (-want +got Want):\n%s", c, d)
				}
				if !strings.Contains(c.Error(), "CHANGED") {
					t.Errorf("message not loud: %q", c.Error())
				}
			case tt.want == "revoked" && errors.As(err, &rv):
			default:
				t.Errorf("check = %T %v, want %s", err, err, tt.want)
			}
		})
	}
}

func TestHostKeyNoFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := Resolved{Name: "sw1", HostName: "sw1", Port: 22, KnownHostsFiles: []string{filepath.Join(dir, "known_hosts")}, StrictHostKeyChecking: "yes"}
	err := checkerFor(t, r).check("", tcpAddr, newEd25519(t))
	var u *UnknownHostKeyError
	if !errors.As(err, &u) {
		t.Fatalf("check = %v, want *UnknownHostKeyError", err)
	}
	if _, serr := os.Stat(r.KnownHostsFiles[0]); !os.IsNotExist(serr) {
		t.Error("strict checking must not write known_hosts")
	}
}

func TestAcceptHostKey(t *testing.T) {
	t.Parallel()
	for _, hash := range []bool{false, true} {
		dir := t.TempDir()
		kh := filepath.Join(dir, "sub", "known_hosts")
		r := Resolved{Name: "sw3", HostName: "sw3.example.net", Port: 2200, KnownHostsFiles: []string{kh}, StrictHostKeyChecking: "yes", HashKnownHosts: hash}
		key := newEd25519(t)
		err := checkerFor(t, r).check("", tcpAddr, key)
		var u *UnknownHostKeyError
		if !errors.As(err, &u) {
			t.Fatalf("check = %v", err)
		}
		if err := u.Accept(); err != nil {
			t.Fatal(err)
		}
		if err := checkerFor(t, r).check("", tcpAddr, key); err != nil {
			t.Errorf("hash=%v: after accept, check = %v", hash, err)
		}
		data, err := os.ReadFile(kh)
		if err != nil {
			t.Fatal(err)
		}
		if hash == strings.Contains(string(data), "sw3.example.net") {
			t.Errorf("hash=%v: line %q", hash, data)
		}
		if !hash && !strings.HasPrefix(string(data), "[sw3.example.net]:2200 ssh-ed25519 ") {
			t.Errorf("line %q", data)
		}
		st, _ := os.Stat(kh)
		dst, _ := os.Stat(filepath.Dir(kh))
		if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
			t.Errorf("modes %v %v, want 0600 file in 0700 dir", st.Mode().Perm(), dst.Mode().Perm())
		}
	}
}

func TestAcceptHostKeyAppendsOnNewLine(t *testing.T) {
	t.Parallel()
	kh := filepath.Join(t.TempDir(), "known_hosts")
	first := newEd25519(t)
	// A file whose last line has no newline.
	if err := os.WriteFile(kh, []byte(knownhosts.Line([]string{"a"}, first)), 0o600); err != nil {
		t.Fatal(err)
	}
	second := newEd25519(t)
	if err := AcceptHostKey(kh, "b:22", second, false); err != nil {
		t.Fatal(err)
	}
	for host, key := range map[string]ssh.PublicKey{"a": first, "b": second} {
		r := Resolved{HostName: host, Port: 22, KnownHostsFiles: []string{kh}}
		if err := checkerFor(t, r).check("", tcpAddr, key); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
	for _, bad := range []string{"", "a b", "x,y"} {
		if err := AcceptHostKey(kh, bad, second, false); err == nil {
			t.Errorf("AcceptHostKey(%q) accepted", bad)
		}
	}
}

func TestAcceptNew(t *testing.T) {
	t.Parallel()
	kh := filepath.Join(t.TempDir(), "known_hosts")
	r := Resolved{HostName: "sw4", Port: 22, KnownHostsFiles: []string{kh}, StrictHostKeyChecking: "accept-new"}
	key := newEd25519(t)
	if err := checkerFor(t, r).check("", tcpAddr, key); err != nil {
		t.Fatalf("accept-new: unknown key refused: %v", err)
	}
	// Recorded now; a different key is a change and is refused.
	var c *ChangedHostKeyError
	if err := checkerFor(t, r).check("", tcpAddr, newEd25519(t)); !errors.As(err, &c) {
		t.Fatalf("accept-new: changed key = %v, want *ChangedHostKeyError", err)
	}
	if err := checkerFor(t, r).check("", tcpAddr, key); err != nil {
		t.Errorf("recorded key refused: %v", err)
	}
}

func TestKnownTypesOrdering(t *testing.T) {
	t.Parallel()
	kh := filepath.Join(t.TempDir(), "known_hosts")
	ec := newECDSA(t)
	if err := os.WriteFile(kh, []byte(knownhosts.Line([]string{"sw5"}, ec)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := checkerFor(t, Resolved{HostName: "sw5", Port: 22, KnownHostsFiles: []string{kh}})
	known := h.knownTypes()
	if d := cmp.Diff([]string{ssh.KeyAlgoECDSA256}, known); d != "" {
		t.Fatalf("knownTypes (-want +got):\n%s", d)
	}
	got := hostKeyAlgorithms(ssh.SupportedAlgorithms().HostKeys, known)
	if got[0] != ssh.KeyAlgoECDSA256 || len(got) != len(ssh.SupportedAlgorithms().HostKeys) {
		t.Errorf("hostKeyAlgorithms = %q", got)
	}
	got = hostKeyAlgorithms([]string{ssh.KeyAlgoED25519, ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256}, []string{ssh.KeyAlgoRSA})
	if d := cmp.Diff([]string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoED25519}, got); d != "" {
		t.Errorf("rsa preference (-want +got):\n%s", d)
	}
}

func TestAlgoList(t *testing.T) {
	t.Parallel()
	def := []string{"a", "b", "c"}
	known := []string{"a", "b", "c", "old", "older"}
	for _, tt := range []struct {
		spec string
		want []string
		bad  bool
	}{
		{"", def, false},
		{"+old", []string{"a", "b", "c", "old"}, false},
		{"^old,older", []string{"old", "older", "a", "b", "c"}, false},
		{"-b,c*", []string{"a"}, false},
		{"old,unknown,a", []string{"old", "a"}, false},
		{"unknown", nil, true},
		{"-*", nil, true},
	} {
		got, err := algoList("Test", tt.spec, def, known)
		if (err != nil) != tt.bad || !cmp.Equal(tt.want, got) {
			t.Errorf("algoList(%q) = %q, %v; want %q bad=%v", tt.spec, got, err, tt.want, tt.bad)
		}
	}
}
