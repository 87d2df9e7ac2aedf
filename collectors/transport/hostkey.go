package transport

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// knownHostsNormalize is the known_hosts spelling of host:port.
func knownHostsNormalize(hostport string) string { return knownhosts.Normalize(hostport) }

// Fingerprint is the key's SHA256 fingerprint as ssh prints it.
func Fingerprint(key ssh.PublicKey) string { return ssh.FingerprintSHA256(key) }

// AcceptHostKey records key for host in the known_hosts file, creating the
// file (0600) and its directory (0700) if needed. host is "host", "host:port"
// or "[host]:port"; hash writes the name hashed, as HashKnownHosts does. This
// is the user's explicit decision to trust a key: call it only after showing
// the fingerprint.
func AcceptHostKey(file, host string, key ssh.PublicKey, hash bool) error {
	if file == "" {
		return errors.New("accept host key: no known_hosts file")
	}
	if key == nil || host == "" {
		return errors.New("accept host key: no host or key")
	}
	name := knownhosts.Normalize(host)
	if strings.ContainsAny(name, " \t\n,#") {
		return fmt.Errorf("accept host key: bad host name %q", host)
	}
	if hash {
		name = knownhosts.HashHostname(name)
	}
	line := knownhosts.Line([]string{name}, key) + "\n"

	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return fmt.Errorf("accept host key: %w", err)
	}
	knownHostsMu.Lock()
	defer knownHostsMu.Unlock()
	f, err := os.OpenFile(file, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("accept host key: %w", err)
	}
	// Start on a fresh line if the file does not end with one.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			line = "\n" + line
		}
	}
	if _, err := io.WriteString(f, line); err != nil {
		f.Close()
		return fmt.Errorf("accept host key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("accept host key: %w", err)
	}
	return nil
}

// knownHostsMu serialises appends from this process.
var knownHostsMu sync.Mutex

// hostKeyChecker checks one hop's host key against known_hosts.
type hostKeyChecker struct {
	r     Resolved
	files []string
	db    ssh.HostKeyCallback // nil when no file exists
	log   *slog.Logger
}

func newHostKeyChecker(r Resolved, log *slog.Logger) (*hostKeyChecker, error) {
	h := &hostKeyChecker{r: r, log: log}
	for _, f := range append(append([]string(nil), r.KnownHostsFiles...), r.GlobalKnownHostsFiles...) {
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
			h.files = append(h.files, f)
		}
	}
	if len(h.files) > 0 {
		db, err := knownhosts.New(h.files...)
		if err != nil {
			return nil, fmt.Errorf("known_hosts: %w", err)
		}
		h.db = db
	}
	return h, nil
}

// lookupName is the host:port string given to the knownhosts database.
func (h *hostKeyChecker) lookupName() string {
	host := h.r.HostName
	if h.r.HostKeyAlias != "" {
		host = h.r.HostKeyAlias
	}
	return net.JoinHostPort(host, strconv.Itoa(h.r.Port))
}

var zeroAddr = &net.TCPAddr{IP: net.IPv4zero}

// probeKey never matches a real host key; checking it lists the known keys.
var probeKey = sync.OnceValue(func() ssh.PublicKey {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return k
})

// knownTypes lists the key types recorded for the host, so that key exchange
// can prefer them as ssh does (otherwise a server offering another type first
// would look like a changed key).
func (h *hostKeyChecker) knownTypes() []string {
	if h.db == nil {
		return nil
	}
	var ke *knownhosts.KeyError
	if err := h.db(h.lookupName(), zeroAddr, probeKey()); !errors.As(err, &ke) {
		return nil
	}
	var types []string
	for _, k := range ke.Want {
		if t := k.Key.Type(); !containsStr(types, t) {
			types = append(types, t)
		}
	}
	return types
}

// check is the ssh.HostKeyCallback. Every error aborts the handshake before
// authentication.
func (h *hostKeyChecker) check(_ string, remote net.Addr, key ssh.PublicKey) error {
	name := h.r.KnownHostsName()
	fp := ssh.FingerprintSHA256(key)
	if remote == nil {
		remote = zeroAddr
	}
	var err error
	if h.db == nil {
		err = &knownhosts.KeyError{}
	} else {
		err = h.db(h.lookupName(), remote, key)
	}
	if err == nil {
		h.log.Debug("host key verified", "host", name, "fingerprint", fp)
		return nil
	}
	var ke *knownhosts.KeyError
	var re *knownhosts.RevokedError
	switch {
	case errors.As(err, &re):
		h.log.Error("host key revoked", "host", name, "fingerprint", fp)
		return &RevokedHostKeyError{Host: name, Fingerprint: fp, At: re.Revoked.String()}
	case errors.As(err, &ke) && len(ke.Want) == 0:
		file := ""
		if len(h.r.KnownHostsFiles) > 0 {
			file = h.r.KnownHostsFiles[0]
		}
		if h.r.StrictHostKeyChecking == "accept-new" && file != "" {
			if aerr := AcceptHostKey(file, name, key, h.r.HashKnownHosts); aerr != nil {
				return fmt.Errorf("accept-new: %w", aerr)
			}
			h.log.Warn("new host key accepted (StrictHostKeyChecking accept-new)", "host", name, "fingerprint", fp, "file", file)
			return nil
		}
		h.log.Warn("unknown host key", "host", name, "fingerprint", fp)
		return &UnknownHostKeyError{Host: name, Fingerprint: fp, Key: key, File: file, Hash: h.r.HashKnownHosts}
	case errors.As(err, &ke):
		ce := &ChangedHostKeyError{Host: name, Fingerprint: fp, Key: key}
		for _, w := range ke.Want {
			ce.Want = append(ce.Want, w.Filename+":"+strconv.Itoa(w.Line))
			ce.WantFingerprints = append(ce.WantFingerprints, ssh.FingerprintSHA256(w.Key))
		}
		h.log.Error("HOST KEY CHANGED: connection refused", "host", name, "fingerprint", fp, "known", strings.Join(ce.Want, ","))
		return ce
	default:
		return fmt.Errorf("host key check for %s: %w", name, err)
	}
}

// hostKeyAlgorithms orders the allowed host key algorithms so that types
// already recorded for the host come first.
func hostKeyAlgorithms(allowed, known []string) []string {
	var first, rest []string
	for _, a := range allowed {
		if containsStr(known, keyFormat(a)) {
			first = append(first, a)
		} else {
			rest = append(rest, a)
		}
	}
	return append(first, rest...)
}

// keyFormat maps a signature algorithm to its key type.
func keyFormat(algo string) string {
	switch algo {
	case ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSASHA512:
		return ssh.KeyAlgoRSA
	case ssh.CertAlgoRSASHA256v01, ssh.CertAlgoRSASHA512v01:
		return ssh.CertAlgoRSAv01
	}
	return algo
}

// algoList applies an ssh_config algorithm spec to defaults: "+a,b" appends,
// "-a,b*" removes (wildcards allowed), "^a,b" prepends, anything else
// replaces. Names this library does not implement are dropped.
func algoList(kind, spec string, defaults, known []string) ([]string, error) {
	if spec == "" {
		return defaults, nil
	}
	op := spec[0]
	names := spec
	if op == '+' || op == '-' || op == '^' {
		names = spec[1:]
	}
	var list []string
	for _, n := range strings.Split(names, ",") {
		if n = strings.TrimSpace(n); n != "" {
			list = append(list, n)
		}
	}
	keep := func(l []string) []string {
		var out []string
		for _, n := range l {
			if containsStr(known, n) && !containsStr(out, n) {
				out = append(out, n)
			}
		}
		return out
	}
	var out []string
	switch op {
	case '+':
		out = keep(append(append([]string(nil), defaults...), list...))
	case '^':
		out = keep(append(append([]string(nil), list...), defaults...))
	case '-':
		for _, d := range defaults {
			drop := false
			for _, p := range list {
				if globMatch(p, d) {
					drop = true
				}
			}
			if !drop {
				out = append(out, d)
			}
		}
	default:
		out = keep(list)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s %q: no algorithm left that this client implements", kind, spec)
	}
	return out, nil
}
