package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	key := newEd25519(t)
	refused := &ConnectionError{Host: "sw1", Op: "dial", Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	for _, tt := range []struct {
		err  error
		kind string
		hint []string
	}{
		{nil, "", nil},
		{&ChangedHostKeyError{Host: "sw1", Fingerprint: "SHA256:new", Key: key, Want: []string{"/home/eng/.ssh/known_hosts:12"}},
			KindHostKey, []string{"MITM", "/home/eng/.ssh/known_hosts:12", "SHA256:new", "out of band"}},
		{&UnknownHostKeyError{Host: "sw1", Fingerprint: "SHA256:abc", Key: key, File: "/k"}, KindHostKey, []string{"SHA256:abc", "/k"}},
		{&RevokedHostKeyError{Host: "sw1", Fingerprint: "SHA256:r", At: "/k:3"}, KindHostKey, []string{"revoked", "/k:3"}},
		{&JumpError{Hop: "bastion", Err: &UnknownHostKeyError{Host: "b", Fingerprint: "SHA256:j", Key: key}}, KindHostKey, []string{"jump host bastion"}},
		{&AuthError{User: "eng", Host: "sw1", Allowed: []string{"publickey"}}, KindAuth, []string{"no key was offered", "ssh-add"}},
		{&AuthError{User: "eng", Host: "sw1", Tried: []string{"publickey", "password"}, Allowed: []string{"publickey", "password"}, Keys: 2}, KindAuth, []string{"tried publickey, password"}},
		{&JumpError{Hop: "bastion", Err: refused}, KindJump, []string{"bastion", "ssh bastion"}},
		{refused, KindRefused, []string{"refused"}},
		{&ConnectionError{Host: "sw1", Op: "dial through jump host", Err: &ssh.OpenChannelError{Reason: ssh.ConnectionFailed, Message: "Connection refused"}}, KindRefused, []string{"jump host reached"}},
		{&ConnectionError{Host: "sw1", Op: "dial through jump host", Err: &ssh.OpenChannelError{Reason: ssh.ConnectionFailed, Message: "No route to host"}}, KindRefused, []string{"No route to host"}},
		{&ConnectionError{Host: "sw1", Op: "handshake", Err: fmt.Errorf("no answer: %w", ErrTimeout)}, KindTimeout, []string{"sw1 did not answer"}},
		{&ConnectionError{Host: "sw1", Op: "keepalive", Err: fmt.Errorf("x: %w", ErrTimeout)}, KindTimeout, []string{"keepalives"}},
		{fmt.Errorf("sw1: %q: %w", "show x", ErrTimeout), KindTimeout, []string{"did not finish"}},
		{&ConnectionError{Host: "sw1", Op: "exec", Command: "show x", Err: errors.New("channel closed without exit status")}, KindReset, []string{"dropped"}},
		{&ConnectionError{Host: "sw1", Op: "handshake", Err: io.EOF}, KindReset, nil},
		{&ConnectionError{Host: "sw1", Op: "dial", Err: &net.DNSError{Name: "sw1.bad", Err: "no such host", IsNotFound: true}}, KindOther, []string{"sw1.bad"}},
		{fmt.Errorf("x: %w", context.Canceled), KindOther, []string{"cancelled"}},
		{errors.New("something else"), KindOther, []string{"something else"}},
	} {
		kind, hint := Classify(tt.err)
		if kind != tt.kind {
			t.Errorf("Classify(%v) kind = %q, want %q (hint %q)", tt.err, kind, tt.kind, hint)
		}
		for _, h := range tt.hint {
			if !strings.Contains(hint, h) {
				t.Errorf("Classify(%v) hint %q lacks %q", tt.err, hint, h)
			}
		}
	}
}
