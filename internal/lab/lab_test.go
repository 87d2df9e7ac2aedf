package lab

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fakeTB records failures instead of failing the real test, and keeps the
// cleanups for the test to run, so the harness's own failure paths can be
// checked.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	errs     []string
	fatal    bool
	cleanups []func()
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Error(args ...any) { f.Errorf("%s", fmt.Sprint(args...)) }
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.mu.Lock()
	f.fatal = true
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeTB) Fatal(args ...any)    { f.Fatalf("%s", fmt.Sprint(args...)) }
func (f *fakeTB) Cleanup(fn func())    { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) TempDir() string      { return f.TB.TempDir() }
func (f *fakeTB) Logf(string, ...any)  {}
func (f *fakeTB) Skip(args ...any)     { f.Fatal(args...) }
func (f *fakeTB) Skipf(string, ...any) { f.Fatal("skipped") }

// run calls fn with f on a goroutine of its own (a Fatal ends it) and
// waits for it.
func (f *fakeTB) run(fn func(tb testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
}

// cleanup runs the recorded cleanups, last first, as testing does.
func (f *fakeTB) cleanup() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	f.cleanups = nil
}

func (f *fakeTB) failures() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.errs, "\n")
}

func TestMAC(t *testing.T) {
	if got := MAC(0x0b, 0x12); got != "02:00:00:00:0b:12" {
		t.Errorf("MAC(0x0b, 0x12) = %s", got)
	}
}

// TestRequireMissing: as root, a missing program fails the test with the
// package that installs it.
func TestRequireMissing(t *testing.T) {
	Require(t)
	packages["ntl-no-such-tool"] = "ntl-no-such-package"
	defer delete(packages, "ntl-no-such-tool")
	f := &fakeTB{TB: t}
	f.run(func(tb testing.TB) { Require(tb, "ntl-no-such-tool", "/nonexistent/ntl-other", "ip") })
	want := "lab: missing /nonexistent/ntl-other, ntl-no-such-tool (Debian package ntl-no-such-package); install with: apt-get install -y ntl-no-such-package"
	if !f.fatal || f.failures() != want {
		t.Errorf("Require with missing programs:\n got %q\nwant %q", f.failures(), want)
	}
}

func TestPackage(t *testing.T) {
	for prog, want := range map[string]string{"ovs-vswitchd": "openvswitch-switch", "/usr/sbin/ovs-vswitchd": "openvswitch-switch",
		"ip": "iproute2", "/usr/lib/ipsec/charon": "strongswan-charon", "nonesuch": ""} {
		if got := Package(prog); got != want {
			t.Errorf("Package(%s) = %q, want %q", prog, got, want)
		}
	}
}

// TestPollTimeout: a state never reached fails with what was awaited, the
// last thing seen and the logs named.
func TestPollTimeout(t *testing.T) {
	log := filepath.Join(t.TempDir(), "daemon.log")
	if err := os.WriteFile(log, []byte("WARN|something the daemon said\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &fakeTB{TB: t}
	calls := 0
	start := time.Now()
	f.run(func(tb testing.TB) {
		Poll(tb, 300*time.Millisecond, "the bond negotiated", func() (bool, string) {
			calls++
			return false, "lacp_status: configured " + strconv.Itoa(calls)
		}, log)
	})
	msg := f.failures()
	if !f.fatal || !strings.Contains(msg, "timed out after 300ms waiting for the bond negotiated") ||
		!strings.Contains(msg, "last seen: lacp_status: configured "+strconv.Itoa(calls)) ||
		!strings.Contains(msg, "--- "+log+" ---\nWARN|something the daemon said") {
		t.Errorf("Poll timeout message:\n%s", msg)
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 2*time.Second || calls < 3 {
		t.Errorf("Poll gave up after %v and %d calls", d, calls)
	}
	f2 := &fakeTB{TB: t}
	n := 0
	f2.run(func(tb testing.TB) {
		if got := Poll(tb, time.Second, "the third call", func() (bool, string) { n++; return n == 3, "call " + strconv.Itoa(n) }); got != "call 3" {
			t.Errorf("Poll returned %q", got)
		}
	})
	if f2.fatal || n != 3 {
		t.Errorf("Poll of a state reached on the third call: fatal %v, %d calls: %s", f2.fatal, n, f2.failures())
	}
}

var nsRE = regexp.MustCompile(`^ntlotest-[0-9a-f]{4}$`)

// TestNetnsAndVeth: namespaces get unique suffixed names, lo up and IPv6
// off, a veth pair joins them, commands run inside, and everything is gone
// after the test.
func TestNetnsAndVeth(t *testing.T) {
	Require(t, "ping")
	var names []string
	t.Run("lab", func(t *testing.T) {
		a, b := Netns(t, "ntlotest"), Netns(t, "ntlotest")
		names = []string{a.Name, b.Name}
		if a.Name == b.Name || !nsRE.MatchString(a.Name) || !nsRE.MatchString(b.Name) {
			t.Fatalf("namespace names %q, %q: want distinct ntlotest-xxxx", a.Name, b.Name)
		}
		if out := a.Must(t, "cat", "/proc/sys/net/ipv6/conf/all/disable_ipv6"); strings.TrimSpace(out) != "1" {
			t.Errorf("IPv6 in %s: disable_ipv6 = %q", a.Name, out)
		}
		if out := a.Must(t, "ip", "-o", "link", "show", "lo"); !strings.Contains(out, "UP") {
			t.Errorf("lo in %s: %s", a.Name, out)
		}
		Veth(t, a, "x1", b, "y1")
		a.Must(t, "ip", "addr", "add", "10.9.9.1/24", "dev", "x1")
		b.Must(t, "ip", "addr", "add", "10.9.9.2/24", "dev", "y1")
		if out := a.Must(t, "ping", "-n", "-c", "1", "-W", "2", "10.9.9.2"); !strings.Contains(out, "1 received") {
			t.Errorf("ping across the veth pair: %s", out)
		}
		// The test's own namespace does not see them.
		if _, err := os.Stat("/sys/class/net/x1"); err == nil {
			t.Error("x1 is visible outside its namespace")
		}
		_, err := a.Run(context.Background(), "ip", "link", "show", "nonesuch0")
		if err == nil || !strings.Contains(err.Error(), a.Name) || !strings.Contains(err.Error(), "nonesuch0") || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("a failing command's error: %v", err)
		}
		var inside string
		if err := a.Do(func() error {
			b, err := os.ReadFile("/proc/sys/net/ipv6/conf/all/disable_ipv6")
			inside = string(b)
			return err
		}); err != nil || strings.TrimSpace(inside) != "1" {
			t.Errorf("Do in %s: %q, %v", a.Name, inside, err)
		}
	})
	for _, n := range names {
		if _, err := os.Stat("/run/netns/" + n); err == nil {
			t.Errorf("namespace %s still there after its test", n)
		}
	}
	f := &fakeTB{TB: t}
	f.run(func(tb testing.TB) { Netns(tb, "bad name") })
	if !f.fatal || !strings.Contains(f.failures(), `namespace name "bad name"`) {
		t.Errorf("a bad namespace name: %s", f.failures())
	}
	f.run(func(tb testing.TB) { Netns(tb, "ntlotoolongname") })
	if !strings.Contains(f.failures(), "at most 10 characters") {
		t.Errorf("a long namespace name: %s", f.failures())
	}
}

// TestStartDaemon: a daemon runs in its namespace with its environment and
// bind mounts, keeps the PID Start gave, is stopped and waited for at the
// end; one that exits early fails the test with its log.
func TestStartDaemon(t *testing.T) {
	Require(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	dst := filepath.Join(dir, "dst")
	for _, d := range []string{src, dst} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(src, "marker"), []byte("bound\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "daemon.log")
	var pid int
	var ns *NS
	f := &fakeTB{TB: t}
	f.run(func(tb testing.TB) {
		ns = Netns(tb, "ntlotest")
		p := StartDaemon(tb, ns, Daemon{
			Args:  []string{"sh", "-c", `cat "$1"/marker; echo "env=$LABTEST"; exec sleep 600`, "sh", dst},
			Env:   []string{"LABTEST=yes"},
			Binds: []Bind{{Src: src, Dst: dst}},
			Log:   log,
		})
		pid = p.PID()
		Poll(tb, 5*time.Second, "the daemon's output", func() (bool, string) {
			b, _ := os.ReadFile(log)
			return strings.Contains(string(b), "bound\nenv=yes\n"), string(b)
		}, log)
		Poll(tb, 5*time.Second, "the daemon exec'd in place", func() (bool, string) {
			b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
			return strings.TrimSpace(string(b)) == "sleep", string(b)
		})
	})
	if f.fatal {
		f.cleanup()
		t.Fatal(f.failures())
	}
	link, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/ns/net")
	var want string
	_ = ns.Do(func() (err error) {
		want, err = os.Readlink(fmt.Sprintf("/proc/self/task/%d/ns/net", syscall.Gettid()))
		return err
	})
	if link == "" || link != want {
		t.Errorf("daemon's network namespace %s, want %s (%s)", link, want, ns.Name)
	}
	if _, err := os.Stat(filepath.Join(dst, "marker")); err == nil {
		t.Error("the bind mount leaked out of the daemon's mount namespace")
	}
	f.cleanup()
	if s := f.failures(); s != "" {
		t.Errorf("cleanup of a running daemon: %s", s)
	}
	if startTime(pid) != "" {
		t.Errorf("daemon pid %d still running after cleanup", pid)
	}

	// A daemon that dies before the end fails the test, with its log.
	f = &fakeTB{TB: t}
	log2 := filepath.Join(dir, "early.log")
	f.run(func(tb testing.TB) {
		ns := Netns(tb, "ntlotest")
		p := StartDaemon(tb, ns, Daemon{Args: []string{"sh", "-c", "echo giving up; exit 3"}, Log: log2})
		Poll(tb, 5*time.Second, "the daemon to exit", func() (bool, string) { done, _ := p.Exited(); return done, "" })
	})
	f.cleanup()
	if s := f.failures(); !strings.Contains(s, "exited before the end of the test: exit status 3") || !strings.Contains(s, "giving up") {
		t.Errorf("a daemon that exited early: %q", s)
	}
}

// TestAdopt: a daemon that detached itself is stopped at the end by the
// PID in its pidfile.
func TestAdopt(t *testing.T) {
	Require(t)
	pidfile := filepath.Join(t.TempDir(), "sleeper.pid")
	f := &fakeTB{TB: t}
	var pid int
	f.run(func(tb testing.TB) {
		ns := Netns(tb, "ntlotest")
		ns.Must(tb, "sh", "-c", "sleep 600 >/dev/null 2>&1 & echo $! > "+shellQuote(pidfile))
		pid = Adopt(tb, "sleeper", pidfile, 5*time.Second)
	})
	if f.fatal || pid <= 1 || startTime(pid) == "" {
		f.cleanup()
		t.Fatalf("Adopt: pid %d, %s", pid, f.failures())
	}
	if comm, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm"); strings.TrimSpace(string(comm)) != "sleep" {
		t.Errorf("adopted pid %d is %q", pid, comm)
	}
	f.cleanup()
	if s := f.failures(); s != "" {
		t.Errorf("cleanup: %s", s)
	}
	if startTime(pid) != "" {
		t.Errorf("adopted pid %d still running after cleanup", pid)
	}
}

// TestFront: each port of the front runs the command it is sent inside its
// device's namespace, with the device's environment and mounts.
func TestFront(t *testing.T) {
	Require(t, "/usr/sbin/sshd", "ssh")
	a, b := Netns(t, "ntlotest"), Netns(t, "ntlotest")
	Veth(t, a, "fa0", b, "fb0")
	dir := t.TempDir()
	etc := filepath.Join(dir, "etc-a")
	if err := os.Mkdir(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(etc, "device.conf"), []byte("device a's file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "mnt")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	f := Front(t, []FrontDevice{
		{Name: "deva", NS: a, Env: []string{"LAB_DEVICE=a"}, Binds: []Bind{{Src: etc, Dst: target}}},
		{Name: "devb", NS: b, Env: []string{"LAB_DEVICE=b"}},
	})
	ssh := func(dev, cmd string) (string, error) {
		out, err := exec.Command("ssh", "-F", f.SSHConfig, "-p", strconv.Itoa(f.Server.Port(dev)), "-o", "BatchMode=yes", "127.0.0.1", cmd).CombinedOutput()
		return string(out), err
	}
	for dev, want := range map[string][]string{
		"deva": {"device=a", "fa0", "device a's file"},
		"devb": {"device=b", "fb0", "cat: " + target + "/device.conf: No such file or directory"},
	} {
		out, _ := ssh(dev, "echo device=$LAB_DEVICE; ip -o link show; cat "+target+"/device.conf")
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", dev, w, out)
			}
		}
	}
	if out, err := ssh("deva", ""); err == nil || !strings.Contains(out, "one command per session") {
		t.Errorf("a session without a command: %v\n%s", err, out)
	}
}
