package transport

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Sentinel errors. The typed errors below match them with errors.Is, so a
// caller that only needs the broad class can test for it without a type switch.
var (
	// ErrTimeout: a command, a connection attempt or a prompt did not finish in
	// time.
	ErrTimeout = errors.New("timed out")
	// ErrAuth: the server accepted none of the credentials offered.
	ErrAuth = errors.New("authentication failed")
	// ErrHostKey: the server's host key is unknown, changed or revoked.
	ErrHostKey = errors.New("host key not trusted")
	// ErrClosed: the client or shell was closed before or during the call.
	ErrClosed = errors.New("connection closed")
	// ErrBadCommand: a command line is empty or holds a control character
	// (a newline would smuggle a second command into an interactive shell).
	ErrBadCommand = errors.New("bad command line")
)

// UnknownHostKeyError reports a server whose key is in none of the known_hosts
// files. The connection was aborted during key exchange, before any
// credential or command was sent. Trusting the key is the user's explicit
// choice: show Fingerprint, and only then call Accept (or AcceptHostKey).
type UnknownHostKeyError struct {
	// Host is the known_hosts name of the server: "host" or "[host]:port".
	Host string
	// Fingerprint is the key's SHA256 fingerprint, as ssh prints it
	// ("SHA256:...").
	Fingerprint string
	// Key is the key the server presented.
	Key ssh.PublicKey
	// File is where Accept writes the key: the first UserKnownHostsFile.
	File string
	// Hash tells Accept to hash the host name (HashKnownHosts yes).
	Hash bool
}

func (e *UnknownHostKeyError) Error() string {
	return fmt.Sprintf("host key for %s is not known: %s key %s", e.Host, e.Key.Type(), e.Fingerprint)
}

// Is reports that e is an ErrHostKey.
func (e *UnknownHostKeyError) Is(target error) bool { return target == ErrHostKey }

// Accept appends the key to e.File so the next connection trusts it. Call it
// only after the user has compared the fingerprint.
func (e *UnknownHostKeyError) Accept() error {
	return AcceptHostKey(e.File, e.Host, e.Key, e.Hash)
}

// ChangedHostKeyError reports a server whose key differs from the one(s)
// recorded for it. The connection was aborted during key exchange: nothing was
// authenticated and no command was sent. Nothing in this package replaces the
// recorded key.
type ChangedHostKeyError struct {
	// Host is the known_hosts name of the server.
	Host string
	// Fingerprint is the SHA256 fingerprint of the key the server presented.
	Fingerprint string
	// Key is the key the server presented.
	Key ssh.PublicKey
	// Want lists the recorded keys as "file:line" (with their fingerprints
	// in WantFingerprints, same order).
	Want             []string
	WantFingerprints []string
}

func (e *ChangedHostKeyError) Error() string {
	return fmt.Sprintf("HOST KEY CHANGED for %s: server presented %s key %s, known_hosts has %s",
		e.Host, e.Key.Type(), e.Fingerprint, strings.Join(e.Want, ", "))
}

// Is reports that e is an ErrHostKey.
func (e *ChangedHostKeyError) Is(target error) bool { return target == ErrHostKey }

// RevokedHostKeyError reports a server key marked @revoked in known_hosts.
type RevokedHostKeyError struct {
	Host        string
	Fingerprint string
	// At is the "file:line" of the @revoked entry.
	At string
}

func (e *RevokedHostKeyError) Error() string {
	return fmt.Sprintf("host key %s for %s is revoked (%s)", e.Fingerprint, e.Host, e.At)
}

// Is reports that e is an ErrHostKey.
func (e *RevokedHostKeyError) Is(target error) bool { return target == ErrHostKey }

// AuthError reports that the server accepted none of the credentials.
type AuthError struct {
	User string
	Host string
	// Tried lists the methods attempted, in order ("publickey",
	// "keyboard-interactive", "password"); "none" is left out.
	Tried []string
	// Allowed lists the methods the server said could continue.
	Allowed []string
	// Keys is the number of public keys offered (agent and files).
	Keys int
	// Err is the underlying error from the SSH library.
	Err error
}

func (e *AuthError) Error() string {
	tried := "no method"
	if len(e.Tried) > 0 {
		tried = strings.Join(e.Tried, ", ")
	}
	s := fmt.Sprintf("authentication failed for %s@%s: tried %s (%d keys offered)", e.User, e.Host, tried, e.Keys)
	if len(e.Allowed) > 0 {
		s += "; server allows " + strings.Join(e.Allowed, ", ")
	}
	return s
}

// Unwrap returns the underlying error.
func (e *AuthError) Unwrap() error { return e.Err }

// Is reports that e is an ErrAuth.
func (e *AuthError) Is(target error) bool { return target == ErrAuth }

// JumpError reports that a ProxyJump hop could not be reached or logged into;
// the target itself was never contacted.
type JumpError struct {
	// Hop is the hop as written in ProxyJump ("user@bastion:2222") or its
	// config alias.
	Hop string
	Err error
}

func (e *JumpError) Error() string { return fmt.Sprintf("jump host %s: %v", e.Hop, e.Err) }

// Unwrap returns the hop's error.
func (e *JumpError) Unwrap() error { return e.Err }

// ConnectionError reports a connection that failed or died: refused, reset,
// closed by the server, keepalives unanswered, or a command whose channel
// ended without an exit status.
type ConnectionError struct {
	// Host is the target (or hop) name.
	Host string
	// Op says what was being done: "dial", "handshake", "exec", "shell",
	// "keepalive".
	Op string
	// Command is the command line running when the connection broke, if any.
	Command string
	Err     error
}

func (e *ConnectionError) Error() string {
	s := e.Host + ": " + e.Op
	if e.Command != "" {
		s += " " + strconv.Quote(e.Command)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *ConnectionError) Unwrap() error { return e.Err }
