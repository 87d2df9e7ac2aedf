package fakedevice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

type tty struct{ fd uintptr }

// OpenTerminal returns f as a Terminal, or nil when f is not a terminal.
func OpenTerminal(f *os.File) Terminal {
	t := tty{fd: f.Fd()}
	if _, err := t.get(); err != nil {
		return nil
	}
	return t
}

func (t tty) get() (syscall.Termios, error) {
	var st syscall.Termios
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, t.fd, syscall.TCGETS, uintptr(unsafe.Pointer(&st)))
	if e != 0 {
		return st, e
	}
	return st, nil
}

func (t tty) set(st *syscall.Termios) error {
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, t.fd, syscall.TCSETS, uintptr(unsafe.Pointer(st)))
	if e != 0 {
		return e
	}
	return nil
}

// KeyMode turns off line editing and echo so that one key can be read.
func (t tty) KeyMode() (func(), error) {
	old, err := t.get()
	if err != nil {
		return nil, err
	}
	raw := old
	raw.Lflag &^= syscall.ICANON | syscall.ECHO
	raw.Cc[syscall.VMIN] = 1
	raw.Cc[syscall.VTIME] = 0
	if err := t.set(&raw); err != nil {
		return nil, err
	}
	return func() { _ = t.set(&old) }, nil
}

// Drain waits, up to timeout, until the reader of f (a pipe or a terminal)
// has taken everything written to it, then a little longer so that sshd
// can pass it on to the client: bytes written before a reset fault then
// reach the client before the connection drops.
func Drain(f *os.File, timeout time.Duration) {
	req := uintptr(syscall.TIOCOUTQ) // terminal: bytes not yet read by the master
	if OpenTerminal(f) == nil {
		req = syscall.TIOCINQ // pipe: FIONREAD, bytes not yet read
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var n int32
		_, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(unsafe.Pointer(&n)))
		if e != 0 || n == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}

// proc returns the command name and parent of a process from /proc.
func proc(pid int) (comm string, ppid int, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0, err
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0, fmt.Errorf("pid %d: bad stat", pid)
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 2 {
		return "", 0, fmt.Errorf("pid %d: bad stat", pid)
	}
	ppid, err = strconv.Atoi(f[1])
	return s[open+1 : end], ppid, err
}

// KillSSHSession drops the SSH connection this program serves, without an
// exit status or channel close: it kills (SIGKILL) the nearest sshd
// ancestor that is a per-user session process ("sshd: user@notty",
// "sshd: user@pts/N"). It never kills the listening sshd.
func KillSSHSession() error {
	pid := os.Getppid()
	for range 8 {
		if pid <= 1 {
			break
		}
		comm, ppid, err := proc(pid)
		if err != nil {
			return err
		}
		if comm == "sshd" {
			title, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
			if err != nil {
				return err
			}
			title = bytes.TrimRight(bytes.ReplaceAll(title, []byte{0}, []byte{' '}), " ")
			if !bytes.HasPrefix(title, []byte("sshd: ")) || !bytes.Contains(title, []byte("@")) ||
				bytes.Contains(title, []byte("[listener]")) {
				return fmt.Errorf("sshd ancestor %d (%q) is not a session process", pid, title)
			}
			return syscall.Kill(pid, syscall.SIGKILL)
		}
		pid = ppid
	}
	return errors.New("no sshd session process among the ancestors")
}

// WatchParent returns a context that is cancelled when this process's
// parent goes away (it is reparented), checking every interval; a device
// program blocked by a hang fault then ends with its SSH session.
func WatchParent(ctx context.Context, interval time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	parent := os.Getppid()
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if os.Getppid() != parent {
					cancel()
					return
				}
			}
		}
	}()
	return ctx, cancel
}
