package transport

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// testServer is an in-process SSH server on 127.0.0.1 for the tests that a
// real sshd cannot easily drive: password and keyboard-interactive logins,
// frozen links, exact channel behaviour.
type testServer struct {
	t        *testing.T
	ln       net.Listener
	cfg      *ssh.ServerConfig
	hostKeys []ssh.Signer
	// exec answers an exec request; it returns the exit status, or -1 to
	// close the channel without one.
	exec func(cmd string, ch ssh.Channel) int

	mu       sync.Mutex
	authLog  []string // "method user" per attempt
	commands []string
}

func genSigner(t testing.TB, kind string) ssh.Signer {
	t.Helper()
	var key any
	switch kind {
	case "ecdsa":
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		key = k
	default:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		key = k
	}
	s, err := ssh.NewSignerFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startTestServer starts a server; setup adds auth callbacks to cfg.
func startTestServer(t *testing.T, setup func(s *testServer, cfg *ssh.ServerConfig), hostKeyKinds ...string) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{t: t, ln: ln, cfg: &ssh.ServerConfig{}}
	if len(hostKeyKinds) == 0 {
		hostKeyKinds = []string{"ed25519"}
	}
	for _, k := range hostKeyKinds {
		hk := genSigner(t, k)
		s.hostKeys = append(s.hostKeys, hk)
		s.cfg.AddHostKey(hk)
	}
	s.cfg.AuthLogCallback = func(md ssh.ConnMetadata, method string, err error) {
		s.mu.Lock()
		s.authLog = append(s.authLog, method+" "+md.User())
		s.mu.Unlock()
	}
	setup(s, s.cfg)
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.serve(c)
			}()
		}
	}()
	return s
}

func (s *testServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *testServer) auths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, a := range s.authLog {
		if !strings.HasPrefix(a, "none ") {
			out = append(out, a)
		}
	}
	return out
}

func (s *testServer) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

func (s *testServer) serve(c net.Conn) {
	defer c.Close()
	sc, chans, reqs, err := ssh.NewServerConn(c, s.cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs) // keepalives get a failure reply, as from OpenSSH
	var wg sync.WaitGroup
	defer wg.Wait()
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "no")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer ch.Close()
			for req := range creqs {
				if req.Type != "exec" || len(req.Payload) < 4 {
					req.Reply(false, nil)
					continue
				}
				cmd := string(req.Payload[4:])
				s.mu.Lock()
				s.commands = append(s.commands, cmd)
				s.mu.Unlock()
				req.Reply(true, nil)
				go func() {
					status := 0
					if s.exec != nil {
						status = s.exec(cmd, ch)
					}
					if status >= 0 {
						var b [4]byte
						binary.BigEndian.PutUint32(b[:], uint32(status))
						ch.SendRequest("exit-status", false, b[:])
					}
					ch.CloseWrite()
					ch.Close()
				}()
			}
		}()
	}
}

// knownHosts writes a known_hosts file trusting the server's first host key.
func (s *testServer) knownHosts(t *testing.T) string {
	t.Helper()
	kh := filepath.Join(t.TempDir(), "known_hosts")
	line := knownhosts.Line([]string{fmt.Sprintf("127.0.0.1:%d", s.port())}, s.hostKeys[0].PublicKey())
	if err := os.WriteFile(kh, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return kh
}

// resolved describes the server as a target with no keys and no agent.
func (s *testServer) resolved(t *testing.T) Resolved {
	return Resolved{
		Name: "dev", HostName: "127.0.0.1", Port: s.port(), User: "eng",
		KnownHostsFiles: []string{s.knownHosts(t)}, StrictHostKeyChecking: "yes",
		PubkeyAuthentication: true, PasswordAuthentication: true, KbdInteractiveAuth: true,
		NumberOfPasswordPrompts: 3, ServerAliveCountMax: 3,
	}
}

// scriptPrompter answers from lists and records the questions.
type scriptPrompter struct {
	mu          sync.Mutex
	passwords   []string
	passphrases []string
	answers     [][]string
	asked       []string
}

func (p *scriptPrompter) pop(l *[]string, what string) (string, error) {
	if len(*l) == 0 {
		return "", fmt.Errorf("no more %s", what)
	}
	v := (*l)[0]
	*l = (*l)[1:]
	return v, nil
}

func (p *scriptPrompter) Password(_ context.Context, prompt string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, "password: "+prompt)
	return p.pop(&p.passwords, "passwords")
}

func (p *scriptPrompter) Passphrase(_ context.Context, file string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, "passphrase: "+filepath.Base(file))
	return p.pop(&p.passphrases, "passphrases")
}

func (p *scriptPrompter) KeyboardInteractive(_ context.Context, name, instruction string, questions []string, echos []bool) ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, "ki: "+strings.Join(questions, "|"))
	if len(p.answers) == 0 {
		return nil, fmt.Errorf("no more answers")
	}
	a := p.answers[0]
	p.answers = p.answers[1:]
	return a, nil
}

func (p *scriptPrompter) questions() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.asked...)
}

// syncBuffer is a logger sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func debugLogger() (*slog.Logger, *syncBuffer) {
	var b syncBuffer
	return slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})), &b
}

// echoExec answers "echo X" with X, "exit N" with status N and "stderr X"
// on stderr.
func echoExec(cmd string, ch ssh.Channel) int {
	switch {
	case strings.HasPrefix(cmd, "echo "):
		io.WriteString(ch, strings.TrimPrefix(cmd, "echo ")+"\n")
	case strings.HasPrefix(cmd, "exit "):
		var n int
		fmt.Sscan(strings.TrimPrefix(cmd, "exit "), &n)
		return n
	case strings.HasPrefix(cmd, "stderr "):
		io.WriteString(ch.Stderr(), strings.TrimPrefix(cmd, "stderr ")+"\n")
	}
	return 0
}
