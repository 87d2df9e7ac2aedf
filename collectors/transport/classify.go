package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"golang.org/x/crypto/ssh"
)

// Error kinds returned by Classify.
const (
	KindAuth    = "auth"
	KindHostKey = "host key"
	KindTimeout = "timeout"
	KindRefused = "refused"
	KindJump    = "jump host unreachable"
	KindReset   = "reset"
	KindOther   = "other"
)

// Classify maps an error from this package to a kind (one of the Kind
// constants) and a one-line hint for the engineer. It returns "", "" for nil.
func Classify(err error) (kind, hint string) {
	if err == nil {
		return "", ""
	}
	var (
		jump    *JumpError
		changed *ChangedHostKeyError
		unknown *UnknownHostKeyError
		revoked *RevokedHostKeyError
		auth    *AuthError
		conn    *ConnectionError
		oce     *ssh.OpenChannelError
		dns     *net.DNSError
	)
	where := ""
	if errors.As(err, &jump) {
		where = "on jump host " + jump.Hop + ": "
	}
	switch {
	case errors.As(err, &changed):
		return KindHostKey, fmt.Sprintf("%shost key of %s changed (now %s): possible MITM or re-installed device; remove the old line from %s only after verifying the new fingerprint out of band",
			where, changed.Host, changed.Fingerprint, strings.Join(changed.Want, ", "))
	case errors.As(err, &revoked):
		return KindHostKey, fmt.Sprintf("%shost key %s of %s is marked @revoked (%s): do not connect until the device's key is replaced",
			where, revoked.Fingerprint, revoked.Host, revoked.At)
	case errors.As(err, &unknown):
		file := unknown.File
		if file == "" {
			file = "known_hosts"
		}
		return KindHostKey, fmt.Sprintf("%shost key of %s is not known (%s %s): compare the fingerprint with the device's own out of band, then accept it (written to %s)",
			where, unknown.Host, unknown.Key.Type(), unknown.Fingerprint, file)
	case errors.As(err, &auth):
		h := fmt.Sprintf("%suser %q was refused by %s", where, auth.User, auth.Host)
		if len(auth.Tried) > 0 {
			h += " (tried " + strings.Join(auth.Tried, ", ") + ")"
		}
		switch {
		case auth.Keys == 0 && containsStr(auth.Allowed, "publickey") && !containsStr(auth.Tried, "password"):
			h += ": no key was offered; load one into ssh-agent (ssh-add) or set IdentityFile"
		case len(auth.Allowed) > 0:
			h += ": check the user name and credentials; the server accepts " + strings.Join(auth.Allowed, ", ")
		default:
			h += ": check the user name and credentials"
		}
		return KindAuth, h
	case jump != nil:
		return KindJump, fmt.Sprintf("jump host %s unreachable (%s): check it on its own with \"ssh %s\" and the ProxyJump line", jump.Hop, short(jump.Err), jump.Hop)
	case errors.Is(err, context.Canceled):
		return KindOther, "cancelled"
	case errors.Is(err, ErrTimeout) || errors.Is(err, context.DeadlineExceeded) || isNetTimeout(err):
		if errors.As(err, &conn) {
			switch conn.Op {
			case "dial", "dial through jump host", "handshake":
				return KindTimeout, fmt.Sprintf("%s did not answer: wrong address, a firewall dropping SSH, or the device is down", conn.Host)
			case "keepalive":
				return KindTimeout, fmt.Sprintf("%s stopped answering keepalives: link down or the device hung", conn.Host)
			}
		}
		return KindTimeout, "the command did not finish in time: raise the timeout, or check the device's load and that the prompt pattern matches"
	case errors.Is(err, syscall.ECONNREFUSED):
		return KindRefused, "connection refused: SSH is disabled, on another port, or an ACL rejects this jump host"
	case errors.As(err, &oce) && oce.Reason == ssh.ConnectionFailed:
		if strings.Contains(strings.ToLower(oce.Message), "refused") {
			return KindRefused, "the jump host reached the device but the connection was refused: SSH disabled, other port, or an ACL"
		}
		return KindRefused, "the jump host could not reach the device (" + oce.Message + "): check routing and ACLs from the jump host"
	case errors.As(err, &dns):
		return KindOther, fmt.Sprintf("name %q does not resolve: check the inventory or HostName", dns.Name)
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.EPIPE):
		return KindReset, "the connection dropped: device reboot, session limit, idle timer, or a firewall reset it; retry, then check the device's logs"
	case errors.As(err, &conn):
		switch conn.Op {
		case "exec", "shell", "connection", "keepalive":
			return KindReset, "the connection dropped mid-command: device reboot, session limit, idle timer, or a firewall reset it"
		}
		return KindOther, short(conn.Err)
	case errors.Is(err, ErrBadCommand):
		return KindOther, "the command line was refused before sending: " + short(err)
	}
	return KindOther, short(err)
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func short(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	s = strings.TrimPrefix(s, "ssh: handshake failed: ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
