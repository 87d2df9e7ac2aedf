package transport

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func passwordServer(t *testing.T, good string) *testServer {
	return startTestServer(t, func(s *testServer, cfg *ssh.ServerConfig) {
		cfg.PasswordCallback = func(md ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if string(pw) == good {
				return nil, nil
			}
			return nil, errors.New("denied")
		}
		s.exec = echoExec
	})
}

func TestPasswordAuthSecretsNotLogged(t *testing.T) {
	t.Parallel()
	const wrong, good = "wrong-Secret-41", "right-Secret-42"
	s := passwordServer(t, good)
	log, buf := debugLogger()
	p := &scriptPrompter{passwords: []string{wrong, good}}
	c, err := Dial(context.Background(), s.resolved(t), DialOpts{Prompter: p, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Exec(context.Background(), cmd("echo hello"), RunOpts{})
	if err != nil || string(res.Output) != "hello\n" || res.Exit != 0 {
		t.Fatalf("Exec = %q exit %d, %v", res.Output, res.Exit, err)
	}
	want := []string{"password: eng@127.0.0.1's password: ", "password: eng@127.0.0.1's password: "}
	if d := cmp.Diff(want, p.questions()); d != "" {
		t.Errorf("prompts (-want +got):\n%s", d)
	}
	logs := buf.String()
	if !strings.Contains(logs, "password prompt") {
		t.Errorf("debug log lacks the prompt event:\n%s", logs)
	}
	for _, secret := range []string{wrong, good} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains a secret:\n%s", logs)
		}
	}
}

func TestKeyboardInteractive(t *testing.T) {
	t.Parallel()
	const otp = "otp-Secret-777"
	s := startTestServer(t, func(s *testServer, cfg *ssh.ServerConfig) {
		cfg.KeyboardInteractiveCallback = func(md ssh.ConnMetadata, ch ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			a, err := ch("eng", "token please", []string{"Token: "}, []bool{false})
			if err != nil || len(a) != 1 || a[0] != otp {
				return nil, errors.New("denied")
			}
			return nil, nil
		}
		s.exec = echoExec
	})
	log, buf := debugLogger()
	p := &scriptPrompter{answers: [][]string{{otp}}}
	c, err := Dial(context.Background(), s.resolved(t), DialOpts{Prompter: p, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if d := cmp.Diff([]string{"ki: Token: "}, p.questions()); d != "" {
		t.Errorf("questions (-want +got):\n%s", d)
	}
	if strings.Contains(buf.String(), otp) {
		t.Errorf("log contains the answer:\n%s", buf.String())
	}
}

func TestAuthErrorTyped(t *testing.T) {
	t.Parallel()
	s := passwordServer(t, "never")
	r := s.resolved(t)
	p := &scriptPrompter{passwords: []string{"a-Secret-1", "a-Secret-2", "a-Secret-3"}}
	log, buf := debugLogger()
	_, err := Dial(context.Background(), r, DialOpts{Prompter: p, Logger: log})
	var ae *AuthError
	if !errors.As(err, &ae) || !errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	if !containsStr(ae.Tried, "password") || ae.User != "eng" || ae.Host != "dev" {
		t.Errorf("AuthError = %+v", ae)
	}
	if len(p.questions()) != 3 {
		t.Errorf("asked %d times, want NumberOfPasswordPrompts=3", len(p.questions()))
	}
	if k, _ := Classify(err); k != KindAuth {
		t.Errorf("Classify = %q", k)
	}
	if strings.Contains(buf.String(), "a-Secret") || strings.Contains(err.Error(), "a-Secret") {
		t.Error("a password leaked into the log or the error")
	}

	// No prompter, no keys: nothing to try.
	_, err = Dial(context.Background(), r, DialOpts{})
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	if ae.Keys != 0 || len(ae.Tried) != 0 {
		t.Errorf("AuthError = %+v", ae)
	}
}

// writeKey writes an OpenSSH private key file, encrypted if pass is set.
// Encrypted keys are made by ssh-keygen with one KDF round when it is
// installed (the library's 16 rounds are slow under the race detector).
func writeKey(t *testing.T, dir, name, pass string) (string, ssh.PublicKey) {
	t.Helper()
	if kg, err := exec.LookPath("ssh-keygen"); err == nil && pass != "" {
		f := filepath.Join(dir, name)
		out, err := exec.Command(kg, "-q", "-t", "ed25519", "-a", "1", "-N", pass, "-C", "", "-f", f).CombinedOutput()
		if err != nil {
			t.Fatalf("ssh-keygen: %v: %s", err, out)
		}
		pb, err := os.ReadFile(f + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(f + ".pub") // the public key must come from the key file itself
		pub, _, _, _, err := ssh.ParseAuthorizedKey(pb)
		if err != nil {
			t.Fatal(err)
		}
		return f, pub
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var blk *pem.Block
	if pass != "" {
		blk, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte(pass))
	} else {
		blk, err = ssh.MarshalPrivateKey(priv, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, pem.EncodeToMemory(blk), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return f, s.PublicKey()
}

func keyServer(t *testing.T, allowed ...ssh.PublicKey) *testServer {
	return startTestServer(t, func(s *testServer, cfg *ssh.ServerConfig) {
		cfg.PublicKeyCallback = func(md ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			for _, a := range allowed {
				if bytes.Equal(a.Marshal(), k.Marshal()) {
					return nil, nil
				}
			}
			return nil, errors.New("unknown key")
		}
		s.exec = echoExec
	})
}

func TestEncryptedKeyAskedOnlyWhenAccepted(t *testing.T) {
	t.Parallel()
	const pass = "pass-Phrase-99"
	dir := t.TempDir()
	plainFile, _ := writeKey(t, dir, "id_plain", "")
	encFile, encPub := writeKey(t, dir, "id_enc", pass)

	// Server accepts the encrypted key: asked (wrong, then right).
	s := keyServer(t, encPub)
	r := s.resolved(t)
	r.IdentityFiles = []string{encFile, plainFile}
	log, buf := debugLogger()
	p := &scriptPrompter{passphrases: []string{"not-it", pass}}
	c, err := Dial(context.Background(), r, DialOpts{Prompter: p, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if d := cmp.Diff([]string{"passphrase: id_enc", "passphrase: id_enc"}, p.questions()); d != "" {
		t.Errorf("prompts (-want +got):\n%s", d)
	}
	if strings.Contains(buf.String(), pass) || strings.Contains(buf.String(), "not-it") {
		t.Errorf("log contains a passphrase:\n%s", buf.String())
	}

	// Server accepts only the plain key: never asked.
	_, plainPub := writeKey(t, dir, "id_other", "")
	s2 := keyServer(t, plainPub)
	r2 := s2.resolved(t)
	r2.IdentityFiles = []string{encFile, filepath.Join(dir, "id_other")}
	p2 := &scriptPrompter{}
	c2, err := Dial(context.Background(), r2, DialOpts{Prompter: p2})
	if err != nil {
		t.Fatal(err)
	}
	c2.Close()
	if q := p2.questions(); len(q) != 0 {
		t.Errorf("asked %q although the server refused that key", q)
	}
}

func TestHostKeyRefusedBeforeAuth(t *testing.T) {
	t.Parallel()
	s := passwordServer(t, "pw")
	p := &scriptPrompter{passwords: []string{"pw"}}

	// Unknown: empty known_hosts.
	r := s.resolved(t)
	r.KnownHostsFiles = []string{filepath.Join(t.TempDir(), "known_hosts")}
	_, err := Dial(context.Background(), r, DialOpts{Prompter: p})
	var u *UnknownHostKeyError
	if !errors.As(err, &u) || u.Fingerprint != ssh.FingerprintSHA256(s.hostKeys[0].PublicKey()) {
		t.Fatalf("err = %v, want *UnknownHostKeyError with the server's fingerprint", err)
	}
	// Changed: another key recorded for the host.
	r2 := s.resolved(t)
	line := knownhosts.Line([]string{r2.Addr()}, newEd25519(t))
	os.WriteFile(r2.KnownHostsFiles[0], []byte(line+"\n"), 0o600)
	_, err = Dial(context.Background(), r2, DialOpts{Prompter: p})
	var ch *ChangedHostKeyError
	if !errors.As(err, &ch) || len(ch.Want) != 1 || !strings.HasSuffix(ch.Want[0], "known_hosts:1") {
		t.Fatalf("err = %v, want *ChangedHostKeyError at known_hosts:1", err)
	}
	kind, hint := Classify(err)
	if kind != KindHostKey || !strings.Contains(hint, "known_hosts:1") || !strings.Contains(hint, "MITM") {
		t.Errorf("Classify = %q, %q", kind, hint)
	}
	if a := s.auths(); len(a) != 0 {
		t.Errorf("server saw authentication attempts %q", a)
	}
	if q := p.questions(); len(q) != 0 {
		t.Errorf("user was prompted %q", q)
	}

	// Accepting makes the next dial work.
	if err := u.Accept(); err != nil {
		t.Fatal(err)
	}
	c, err := Dial(context.Background(), r, DialOpts{Prompter: p})
	if err != nil {
		t.Fatalf("after accept: %v", err)
	}
	c.Close()
}

func TestKnownKeyTypePreferred(t *testing.T) {
	t.Parallel()
	// The server offers ECDSA and Ed25519; only Ed25519 is recorded.
	// Without preferring the recorded type, ECDSA would be negotiated and
	// look like a changed key.
	s := startTestServer(t, func(s *testServer, cfg *ssh.ServerConfig) {
		cfg.NoClientAuth = true
	}, "ed25519", "ecdsa")
	r := s.resolved(t)
	c, err := Dial(context.Background(), r, DialOpts{})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func TestExecResults(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	s := startTestServer(t, func(s *testServer, cfg *ssh.ServerConfig) {
		cfg.NoClientAuth = true
		s.exec = func(c string, ch ssh.Channel) int {
			switch c {
			case "hang":
				io.WriteString(ch, "partial\n")
				<-release
				return 0
			case "cutoff":
				io.WriteString(ch, "half an answer\n")
				return -1
			case "huge":
				b := bytes.Repeat([]byte("x"), 64<<10)
				for i := 0; i < 160; i++ { // 10 MiB
					if _, err := ch.Write(b); err != nil {
						return 0
					}
				}
				return 0
			}
			return echoExec(c, ch)
		}
	})
	t.Cleanup(func() { close(release) })
	c, err := Dial(context.Background(), s.resolved(t), DialOpts{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	res, err := c.Exec(ctx, cmd("exit 3"), RunOpts{})
	if err != nil || res.Exit != 3 {
		t.Errorf("exit 3: %+v %v", res, err)
	}
	res, err = c.Exec(ctx, cmd("stderr oops"), RunOpts{Failures: []string{"oops"}})
	if err != nil || string(res.Stderr) != "oops\n" || res.Failed != "oops" {
		t.Errorf("stderr: %+v %v", res, err)
	}
	res, err = c.Exec(ctx, cmd("hang"), RunOpts{Timeout: time.Second})
	if !errors.Is(err, ErrTimeout) || string(res.Output) != "partial\n" {
		t.Errorf("hang: %q %v, want partial output and ErrTimeout", res.Output, err)
	}
	res, err = c.Exec(ctx, cmd("cutoff"), RunOpts{})
	var ce *ConnectionError
	if !errors.As(err, &ce) || string(res.Output) != "half an answer\n" || res.Exit != -1 {
		t.Errorf("cutoff: %+v %v, want *ConnectionError", res, err)
	}
	res, err = c.Exec(ctx, cmd("huge"), RunOpts{MaxOutput: 1 << 20})
	if err != nil || !res.Truncated || len(res.Output) != 1<<20 {
		t.Errorf("huge: truncated %v, %d bytes, %v", res.Truncated, len(res.Output), err)
	}
	// The connection is still usable after all that.
	res, err = c.Exec(ctx, cmd("echo still here"), RunOpts{})
	if err != nil || string(res.Output) != "still here\n" {
		t.Errorf("after: %q %v", res.Output, err)
	}
	if _, err := c.Exec(ctx, cmd("echo a\necho b"), RunOpts{}); !errors.Is(err, ErrBadCommand) {
		t.Errorf("newline in command: %v", err)
	}
}

func TestExecConcurrencyLimit(t *testing.T) {
	t.Parallel()
	var cur, peak atomic.Int32
	gate := make(chan struct{})
	running := make(chan struct{}, 6)
	s := startTestServer(t, func(s *testServer, cfg *ssh.ServerConfig) {
		cfg.NoClientAuth = true
		s.exec = func(c string, ch ssh.Channel) int {
			n := cur.Add(1)
			running <- struct{}{}
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			<-gate
			cur.Add(-1)
			return 0
		}
	})
	c, err := Dial(context.Background(), s.resolved(t), DialOpts{MaxSessions: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Exec(context.Background(), cmd("wait"), RunOpts{})
			errs <- err
		}()
	}
	// Two run at once; each release lets one more start.
	<-running
	<-running
	for i := 0; i < 6; i++ {
		gate <- struct{}{}
		if i < 4 {
			<-running
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrent channels = %d, want 2", p)
	}
}

// freezer is a TCP relay that can stop forwarding without closing, like a
// link that silently drops everything.
type freezer struct {
	ln     net.Listener
	frozen atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
}

func newFreezer(t *testing.T, target string) *freezer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln}
	t.Cleanup(func() {
		ln.Close()
		f.mu.Lock()
		for _, c := range f.conns {
			c.Close()
		}
		f.mu.Unlock()
	})
	go func() {
		for {
			a, err := ln.Accept()
			if err != nil {
				return
			}
			b, err := net.Dial("tcp", target)
			if err != nil {
				a.Close()
				continue
			}
			f.mu.Lock()
			f.conns = append(f.conns, a, b)
			f.mu.Unlock()
			go f.pipe(a, b)
			go f.pipe(b, a)
		}
	}()
	return f
}

func (f *freezer) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if f.frozen.Load() {
			continue // swallow
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

func (f *freezer) port() int { return f.ln.Addr().(*net.TCPAddr).Port }

func TestKeepaliveDeclaresDead(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	s := startTestServer(t, func(s *testServer, cfg *ssh.ServerConfig) {
		cfg.NoClientAuth = true
		s.exec = func(string, ssh.Channel) int { <-release; return 0 }
	})
	t.Cleanup(func() { close(release) })
	f := newFreezer(t, s.ln.Addr().String())
	r := s.resolved(t)
	// The key is recorded for the server's port; dial the relay under
	// that name.
	r.Port = f.port()
	os.WriteFile(r.KnownHostsFiles[0], []byte(knownhosts.Line([]string{r.Addr()}, s.hostKeys[0].PublicKey())+"\n"), 0o600)
	r.ServerAliveInterval = 50 * time.Millisecond
	r.ServerAliveCountMax = 3
	c, err := Dial(context.Background(), r, DialOpts{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	errc := make(chan error, 1)
	go func() {
		_, err := c.Exec(context.Background(), cmd("long"), RunOpts{Timeout: -1})
		errc <- err
	}()
	f.frozen.Store(true)
	<-c.Done()
	var ce *ConnectionError
	if err := c.Err(); !errors.As(err, &ce) || ce.Op != "keepalive" || !errors.Is(err, ErrTimeout) {
		t.Fatalf("Err = %v, want keepalive *ConnectionError", c.Err())
	}
	if k, _ := Classify(c.Err()); k != KindTimeout {
		t.Errorf("Classify = %q", k)
	}
	if err := <-errc; !errors.As(err, &ce) {
		t.Errorf("running Exec: %v, want *ConnectionError", err)
	}
	if _, err := c.Exec(context.Background(), cmd("echo x"), RunOpts{}); !errors.As(err, &ce) {
		t.Errorf("Exec after death: %v", err)
	}
}

// silentListener accepts TCP connections and never speaks SSH.
func silentListener(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestConnectTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	port := silentListener(t)
	r := Resolved{Name: "mute", HostName: "127.0.0.1", Port: port, User: "eng", StrictHostKeyChecking: "yes",
		ConnectTimeout: 200 * time.Millisecond}
	_, err := Dial(context.Background(), r, DialOpts{})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if k, _ := Classify(err); k != KindTimeout {
		t.Errorf("Classify = %q", k)
	}

	r.ConnectTimeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := Dial(ctx, r, DialOpts{})
		errc <- err
	}()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Dial did not return within 1s of cancel")
	}
}

func TestCancelClosesConnection(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	running := make(chan struct{}, 1)
	s := startTestServer(t, func(s *testServer, cfg *ssh.ServerConfig) {
		cfg.NoClientAuth = true
		s.exec = func(string, ssh.Channel) int { running <- struct{}{}; <-release; return 0 }
	})
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithCancel(context.Background())
	c, err := Dial(ctx, s.resolved(t), DialOpts{})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := c.Exec(context.Background(), cmd("long"), RunOpts{Timeout: -1})
		errc <- err
	}()
	<-running
	cancel()
	select {
	case err := <-errc:
		var ce *ConnectionError
		if !errors.As(err, &ce) {
			t.Errorf("err = %v, want *ConnectionError", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Exec did not return within 1s of cancel")
	}
	select {
	case <-c.Done():
	case <-time.After(time.Second):
		t.Fatal("client not closed within 1s of cancel")
	}
}

func TestRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r := Resolved{Name: "gone", HostName: "127.0.0.1", Port: port, User: "eng", StrictHostKeyChecking: "yes"}
	_, err = Dial(context.Background(), r, DialOpts{})
	if k, _ := Classify(err); k != KindRefused {
		t.Errorf("Classify(%v) = %q, want refused", err, k)
	}
	// As the first hop of a chain, the same failure is the jump host's.
	target := r
	target.Name = "behind"
	target.Jumps = []Resolved{r}
	_, err = Dial(context.Background(), target, DialOpts{})
	var je *JumpError
	if !errors.As(err, &je) || je.Hop != "gone" {
		t.Fatalf("err = %v, want *JumpError for gone", err)
	}
	if k, _ := Classify(err); k != KindJump {
		t.Errorf("Classify = %q, want %q", k, KindJump)
	}
}
