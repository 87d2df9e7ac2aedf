package transport

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// Prompter asks the user for secrets. Answers are passed straight to the SSH
// library: this package never stores, logs or returns them. Each call may
// block for as long as the user takes (connect timeouts are paused meanwhile)
// and must return when ctx is done.
type Prompter interface {
	// Password asks for a password; prompt reads like ssh's
	// ("user@host's password: ").
	Password(ctx context.Context, prompt string) (string, error)
	// Passphrase asks for the passphrase of an encrypted private key file.
	Passphrase(ctx context.Context, file string) (string, error)
	// KeyboardInteractive answers a keyboard-interactive challenge: one
	// answer per question; echos[i] false means the answer is secret.
	KeyboardInteractive(ctx context.Context, name, instruction string, questions []string, echos []bool) ([]string, error)
}

// authState records what authentication did, for AuthError.
type authState struct {
	mu      sync.Mutex
	keys    int
	tried   []string
	allowed []string
	started bool
	lazy    []*lazySigner
	agent   io.Closer
}

func (a *authState) callback(ac *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.started = true
	a.tried = a.tried[:0]
	for _, m := range ac.TriedMethods {
		if m != "none" {
			a.tried = append(a.tried, m)
		}
	}
	a.allowed = append(a.allowed[:0], ac.AllowedMethods...)
	return nil, nil
}

// release drops decrypted keys and the agent connection once the handshake
// is over.
func (a *authState) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, l := range a.lazy {
		l.forget()
	}
	if a.agent != nil {
		a.agent.Close()
		a.agent = nil
	}
}

func (a *authState) asError(r Resolved, err error) *AuthError {
	a.mu.Lock()
	defer a.mu.Unlock()
	return &AuthError{
		User: r.User, Host: r.Name,
		Tried:   append([]string(nil), a.tried...),
		Allowed: append([]string(nil), a.allowed...),
		Keys:    a.keys, Err: err,
	}
}

// isAuthFailure tells an authentication failure from other handshake errors.
func isAuthFailure(err error) bool {
	s := err.Error()
	return strings.Contains(s, "unable to authenticate") ||
		strings.Contains(s, "no supported methods remain") ||
		strings.Contains(s, "too many authentication") ||
		strings.Contains(s, "Too many authentication failures")
}

// authMethods builds the methods in ssh's default order: publickey (agent,
// then identity files), keyboard-interactive, password. pause stops the
// connect timer while the user is being asked.
func authMethods(ctx context.Context, r Resolved, p Prompter, log *slog.Logger, pause func(bool), st *authState) []ssh.AuthMethod {
	var methods []ssh.AuthMethod
	canPrompt := p != nil && !r.BatchMode
	tries := r.NumberOfPasswordPrompts
	if tries < 1 {
		tries = 1
	}
	if r.PubkeyAuthentication {
		signers := loadSigners(ctx, r, p, canPrompt, tries, log, pause, st)
		st.keys = len(signers)
		if len(signers) > 0 {
			methods = append(methods, ssh.PublicKeys(signers...))
		}
	}
	if canPrompt && r.KbdInteractiveAuth {
		methods = append(methods, ssh.RetryableAuthMethod(ssh.KeyboardInteractive(
			func(name, instruction string, questions []string, echos []bool) ([]string, error) {
				if len(questions) == 0 {
					return []string{}, nil
				}
				pause(true)
				defer pause(false)
				log.Debug("keyboard-interactive challenge", "host", r.Name, "questions", len(questions))
				ans, err := p.KeyboardInteractive(ctx, name, instruction, questions, echos)
				if err == nil && len(ans) != len(questions) {
					err = fmt.Errorf("keyboard-interactive: %d answers for %d questions", len(ans), len(questions))
				}
				return ans, err
			}), tries))
	}
	if canPrompt && r.PasswordAuthentication {
		prompt := fmt.Sprintf("%s@%s's password: ", r.User, r.HostName)
		methods = append(methods, ssh.RetryableAuthMethod(ssh.PasswordCallback(func() (string, error) {
			pause(true)
			defer pause(false)
			log.Debug("password prompt", "host", r.Name, "user", r.User)
			return p.Password(ctx, prompt)
		}), tries))
	}
	return methods
}

// loadSigners collects the public keys to offer, in the order ssh uses:
// agent keys that match an IdentityFile, other agent keys (unless
// IdentitiesOnly), then the files themselves. Encrypted files come last and
// are decrypted only if the server accepts their public key.
func loadSigners(ctx context.Context, r Resolved, p Prompter, canPrompt bool, tries int, log *slog.Logger, pause func(bool), st *authState) []ssh.Signer {
	type fileKey struct {
		file   string
		pub    ssh.PublicKey // nil if unknown before decryption
		signer ssh.Signer    // nil if encrypted
		data   []byte
	}
	var files []fileKey
	for _, f := range r.IdentityFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			if !r.DefaultIdentities || !errors.Is(err, os.ErrNotExist) {
				log.Warn("identity file not usable", "file", f, "err", err)
			}
			continue
		}
		fk := fileKey{file: f, data: data}
		s, err := ssh.ParsePrivateKey(data)
		var pm *ssh.PassphraseMissingError
		switch {
		case err == nil:
			fk.signer, fk.pub = s, s.PublicKey()
		case errors.As(err, &pm):
			fk.pub = pm.PublicKey
			if fk.pub == nil {
				if pb, err := os.ReadFile(f + ".pub"); err == nil {
					fk.pub, _, _, _, _ = ssh.ParseAuthorizedKey(pb)
				}
			}
		default:
			log.Warn("identity file not usable", "file", f, "err", err)
			continue
		}
		files = append(files, fk)
	}

	var agentSigners []ssh.Signer
	if r.IdentityAgent != "" {
		conn, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "unix", r.IdentityAgent)
		if err != nil {
			log.Warn("ssh-agent not reachable", "socket", r.IdentityAgent, "err", err)
		} else {
			st.agent = conn
			agentSigners, err = agent.NewClient(conn).Signers()
			if err != nil {
				log.Warn("ssh-agent keys not listed", "socket", r.IdentityAgent, "err", err)
			}
		}
	}
	inAgent := func(pub ssh.PublicKey) ssh.Signer {
		if pub == nil {
			return nil
		}
		for _, s := range agentSigners {
			if bytes.Equal(s.PublicKey().Marshal(), pub.Marshal()) {
				return s
			}
		}
		return nil
	}

	var out []ssh.Signer
	used := map[string]bool{}
	add := func(s ssh.Signer) {
		k := string(s.PublicKey().Marshal())
		if !used[k] {
			used[k] = true
			out = append(out, s)
		}
	}
	for _, fk := range files {
		if s := inAgent(fk.pub); s != nil {
			add(s)
		}
	}
	if !r.IdentitiesOnly {
		for _, s := range agentSigners {
			add(s)
		}
	}
	for _, fk := range files {
		if fk.signer != nil {
			add(withCert(fk.file, fk.signer, log))
		}
	}
	for _, fk := range files {
		if fk.signer != nil || (fk.pub != nil && used[string(fk.pub.Marshal())]) {
			continue
		}
		if !canPrompt {
			log.Info("encrypted identity file skipped: no way to ask for its passphrase", "file", fk.file)
			continue
		}
		if fk.pub == nil {
			// Old PEM format: the public key is only known after
			// decryption, so ask now, as ssh does.
			l := &lazySigner{file: fk.file, data: fk.data, ctx: ctx, p: p, pause: pause, tries: tries, log: log}
			s, err := l.load()
			if err != nil {
				log.Warn("identity file not decrypted", "file", fk.file, "err", err)
				continue
			}
			st.lazy = append(st.lazy, l)
			add(withCert(fk.file, s, log))
			continue
		}
		l := &lazySigner{pub: fk.pub, file: fk.file, data: fk.data, ctx: ctx, p: p, pause: pause, tries: tries, log: log}
		st.lazy = append(st.lazy, l)
		add(withCert(fk.file, l, log))
	}
	return out
}

// withCert pairs a key with its certificate (file-cert.pub) when there is one.
func withCert(file string, s ssh.Signer, log *slog.Logger) ssh.Signer {
	b, err := os.ReadFile(file + "-cert.pub")
	if err != nil {
		return s
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey(b)
	cert, ok := pub.(*ssh.Certificate)
	if err != nil || !ok {
		log.Warn("certificate not usable", "file", file+"-cert.pub")
		return s
	}
	cs, err := ssh.NewCertSigner(cert, s)
	if err != nil {
		log.Warn("certificate does not match its key", "file", file+"-cert.pub", "err", err)
		return s
	}
	return cs
}

// lazySigner is an encrypted identity file. Its public key is offered as is;
// the passphrase is asked for only when the server accepts the key and a
// signature is needed.
type lazySigner struct {
	pub   ssh.PublicKey
	file  string
	data  []byte
	ctx   context.Context
	p     Prompter
	pause func(bool)
	tries int
	log   *slog.Logger

	mu     sync.Mutex
	signer ssh.Signer
	err    error
}

func (l *lazySigner) PublicKey() ssh.PublicKey { return l.pub }

func (l *lazySigner) load() (ssh.Signer, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.signer != nil || l.err != nil {
		return l.signer, l.err
	}
	// Neither the user's typing nor the key derivation counts against the
	// connect timeout.
	l.pause(true)
	defer l.pause(false)
	for i := 0; i < l.tries; i++ {
		pass, err := l.p.Passphrase(l.ctx, l.file)
		if err != nil {
			l.err = fmt.Errorf("passphrase for %s: %w", l.file, err)
			return nil, l.err
		}
		pb := []byte(pass)
		s, err := ssh.ParsePrivateKeyWithPassphrase(l.data, pb)
		clear(pb)
		if err == nil {
			if l.pub != nil && !bytes.Equal(s.PublicKey().Marshal(), l.pub.Marshal()) {
				l.err = fmt.Errorf("%s: private key does not match its public key", l.file)
				return nil, l.err
			}
			l.pub = s.PublicKey()
			l.signer = s
			return s, nil
		}
		if !errors.Is(err, x509.IncorrectPasswordError) {
			l.err = fmt.Errorf("%s: %w", l.file, err)
			return nil, l.err
		}
		l.log.Warn("wrong passphrase", "file", l.file, "attempt", i+1)
	}
	l.err = fmt.Errorf("%s: wrong passphrase %d times", l.file, l.tries)
	return nil, l.err
}

// forget drops the decrypted key.
func (l *lazySigner) forget() {
	l.mu.Lock()
	l.signer = nil
	l.data = nil
	if l.err == nil {
		l.err = errors.New("key released after authentication")
	}
	l.mu.Unlock()
}

func (l *lazySigner) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	s, err := l.load()
	if err != nil {
		return nil, err
	}
	return s.Sign(rand, data)
}

func (l *lazySigner) SignWithAlgorithm(rand io.Reader, data []byte, algorithm string) (*ssh.Signature, error) {
	s, err := l.load()
	if err != nil {
		return nil, err
	}
	if as, ok := s.(ssh.AlgorithmSigner); ok {
		return as.SignWithAlgorithm(rand, data, algorithm)
	}
	if algorithm != "" && algorithm != s.PublicKey().Type() {
		return nil, fmt.Errorf("%s: key cannot sign with %s", l.file, algorithm)
	}
	return s.Sign(rand, data)
}
