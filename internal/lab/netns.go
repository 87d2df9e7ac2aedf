package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// MaxNameLen bounds the name given to Netns: with the "-xxxx" suffix it
// adds, a namespace name stays within 15 characters, like an interface
// name, so it fits every tool's output columns.
const MaxNameLen = 10

var nsNameRE = regexp.MustCompile(`^ntl[a-z][a-z0-9-]*$`)

// NS is a network namespace the test created. Name is the name under
// /run/netns (with its random suffix).
type NS struct {
	Name string
}

// Netns creates a network namespace for the test and deletes it when the
// test ends. name must start with "ntl" and a letter of its user ("ntlo"
// Open vSwitch, "ntlb" Linux bridge, "ntls" strongSwan, "ntlf" FRR), be at
// most MaxNameLen characters, and gets a random 4-digit suffix, so tests
// and test processes running at the same time never share a namespace.
// The namespace has lo up and IPv6 disabled (no router solicitations or
// MLD in captures and logs).
func Netns(t testing.TB, name string) *NS {
	t.Helper()
	if len(name) > MaxNameLen || !nsNameRE.MatchString(name) {
		t.Fatalf("lab: namespace name %q: want ntl<letter>[a-z0-9-]*, at most %d characters", name, MaxNameLen)
	}
	var ns *NS
	for attempt := 0; ; attempt++ {
		n := name + "-" + suffix(4)
		out, err := exec.Command("ip", "netns", "add", n).CombinedOutput()
		if err == nil {
			ns = &NS{Name: n}
			break
		}
		if attempt < 5 && strings.Contains(string(out), "exists") {
			continue
		}
		t.Fatalf("lab: ip netns add %s: %v: %s", n, err, out)
	}
	t.Cleanup(func() { ns.delete(t) })
	err := ns.Do(func() error {
		for _, p := range []string{"/proc/sys/net/ipv6/conf/all/disable_ipv6", "/proc/sys/net/ipv6/conf/default/disable_ipv6"} {
			if err := os.WriteFile(p, []byte("1\n"), 0o644); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("lab: %s: disabling IPv6: %v", ns.Name, err)
	}
	ns.Must(t, "ip", "link", "set", "lo", "up")
	return ns
}

// delete removes the namespace. Processes still in it are reported, not
// killed: whoever started them must stop them (Start does, before this
// runs, since cleanups run in reverse order).
func (n *NS) delete(t testing.TB) {
	if out, err := exec.Command("ip", "netns", "pids", n.Name).Output(); err == nil {
		if pids := strings.Fields(string(out)); len(pids) > 0 {
			var who []string
			for _, p := range pids {
				comm, _ := os.ReadFile("/proc/" + p + "/comm")
				who = append(who, p+" "+strings.TrimSpace(string(comm)))
			}
			t.Errorf("lab: processes left in namespace %s: %s", n.Name, strings.Join(who, ", "))
		}
	}
	if out, err := exec.Command("ip", "netns", "delete", n.Name).CombinedOutput(); err != nil {
		t.Errorf("lab: ip netns delete %s: %v: %s", n.Name, err, out)
	}
}

// String returns the namespace's name.
func (n *NS) String() string { return n.Name }

// Command returns an exec.Cmd that runs args inside the namespace (through
// ip netns exec, which gives the command a private mount namespace and
// executes it in place, so the Cmd's process is the command's).
func (n *NS) Command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Name}, args...)...)
}

// Run runs args inside the namespace and returns its output (standard
// output and error together). A failure's error holds the command, its
// exit status and the output.
func (n *NS) Run(ctx context.Context, args ...string) (string, error) {
	out, err := n.Command(ctx, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("in %s: %s: %w\n%s", n.Name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// RunTimeout bounds the commands Must runs.
const RunTimeout = 30 * time.Second

// Must runs args inside the namespace and fails the test if it fails.
func (n *NS) Must(t testing.TB, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), RunTimeout)
	defer cancel()
	out, err := n.Run(ctx, args...)
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	return out
}

// Do runs fn on an OS thread switched into the namespace (setns), for
// work done in this process: opening a packet socket for a live capture,
// writing a sysctl. Sockets opened by fn stay in the namespace. The thread
// is switched back afterwards; if that fails it stays locked and ends with
// its goroutine, so no other goroutine ever runs in the namespace by
// accident.
func (n *NS) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
		if err != nil {
			errc <- err
			return
		}
		defer orig.Close()
		f, err := os.Open("/run/netns/" + n.Name)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", n.Name, err)
			return
		}
		err = fn()
		if unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		errc <- err
	}()
	return <-errc
}

// Veth creates a veth pair ifA (in a) ↔ ifB (in b) and sets both ends up.
// The pair goes away with the namespaces.
func Veth(t testing.TB, a *NS, ifA string, b *NS, ifB string) {
	t.Helper()
	a.Must(t, "ip", "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.Name)
	a.Must(t, "ip", "link", "set", ifA, "up")
	b.Must(t, "ip", "link", "set", ifB, "up")
}

// MAC returns the locally administered unicast address 02:00:00:00:a:b,
// for interfaces and bridges whose address a test names.
func MAC(a, b byte) string { return fmt.Sprintf("02:00:00:00:%02x:%02x", a, b) }
