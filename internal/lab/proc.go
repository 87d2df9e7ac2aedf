package lab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Bind is a bind mount made in a process's private mount namespace (the
// one ip netns exec gives it): Src is mounted over Dst, for that process
// only. Both must exist.
type Bind struct {
	Src, Dst string
}

// Daemon describes a process Start runs inside a namespace.
type Daemon struct {
	// Name is used in messages; default: the base name of Args[0].
	Name string
	// Args is the command line; the program runs in the foreground (no
	// --detach), so that its process is the one Start started.
	Args []string
	// Env is added to the test's environment (KEY=VALUE).
	Env []string
	// Binds are mounted before the program starts (see Bind).
	Binds []Bind
	// Log receives the program's standard output and error (appended).
	// Required: it is what a failure prints.
	Log string
	// StopSignal stops it at the end; default SIGTERM, then SIGKILL after
	// StopTimeout.
	StopSignal syscall.Signal
}

// StopTimeout is how long a stopped daemon gets to exit before SIGKILL.
const StopTimeout = 10 * time.Second

// Proc is a daemon Start started. The test owns exactly this process: it
// is stopped, and waited for, when the test ends.
type Proc struct {
	Name string
	Log  string

	t        testing.TB
	cmd      *exec.Cmd
	sig      syscall.Signal
	done     chan struct{}
	waitErr  error
	stopOnce sync.Once
	stopping bool
	mu       sync.Mutex
}

// Start runs args in ns as a daemon the test owns, with standard output and
// error appended to logPath (see StartDaemon).
func Start(t testing.TB, ns *NS, logPath string, args ...string) *Proc {
	t.Helper()
	return StartDaemon(t, ns, Daemon{Args: args, Log: logPath})
}

// StartDaemon starts d in ns and returns at once (wait for the daemon to be
// ready with Poll). When the test ends the process is sent d.StopSignal,
// given StopTimeout to exit, then killed, and always waited for; a daemon
// that exited before that on its own fails the test with its log. Only
// this process is signalled, by its PID, never by name. It also gets
// SIGKILL if the test process dies.
func StartDaemon(t testing.TB, ns *NS, d Daemon) *Proc {
	t.Helper()
	if len(d.Args) == 0 {
		t.Fatal("lab: StartDaemon without a command")
	}
	if d.Log == "" {
		t.Fatalf("lab: %s: StartDaemon needs a log file", d.Args[0])
	}
	if d.Name == "" {
		d.Name = filepath.Base(d.Args[0])
	}
	if d.StopSignal == 0 {
		d.StopSignal = syscall.SIGTERM
	}
	logf, err := os.OpenFile(d.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatalf("lab: %s: %v", d.Name, err)
	}
	defer logf.Close()
	args := d.Args
	if len(d.Binds) > 0 {
		// sh mounts, then execs the daemon in its place (same PID).
		var script []string
		for _, b := range d.Binds {
			script = append(script, "mount --bind "+shellQuote(b.Src)+" "+shellQuote(b.Dst))
		}
		script = append(script, `exec "$@"`)
		args = append([]string{"sh", "-c", strings.Join(script, " && "), "sh"}, args...)
	}
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name}, args...)...)
	cmd.Env = append(os.Environ(), d.Env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("lab: starting %s in %s: %v", d.Name, ns.Name, err)
	}
	p := &Proc{Name: d.Name, Log: d.Log, t: t, cmd: cmd, sig: d.StopSignal, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
			p.mu.Lock()
			stopping := p.stopping
			p.mu.Unlock()
			if !stopping {
				t.Errorf("lab: %s (pid %d) exited before the end of the test: %v\n--- %s ---\n%s", p.Name, p.PID(), p.waitErr, p.Log, tail(p.Log, 4000))
			}
		default:
		}
		p.Stop()
	})
	return p
}

// PID returns the daemon's process ID.
func (p *Proc) PID() int { return p.cmd.Process.Pid }

// Exited reports whether the daemon has exited, and how.
func (p *Proc) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.waitErr
	default:
		return false, nil
	}
}

// Stop stops the daemon now (its stop signal, then SIGKILL after
// StopTimeout) and waits until it is gone. Stopping twice is harmless.
func (p *Proc) Stop() {
	p.mu.Lock()
	p.stopping = true
	p.mu.Unlock()
	p.stopOnce.Do(func() {
		select {
		case <-p.done:
			return
		default:
		}
		_ = p.cmd.Process.Signal(p.sig)
		select {
		case <-p.done:
			return
		case <-time.After(StopTimeout):
		}
		_ = p.cmd.Process.Kill()
		select {
		case <-p.done:
		case <-time.After(StopTimeout):
			p.t.Errorf("lab: %s (pid %d) did not exit after SIGKILL", p.Name, p.PID())
		}
	})
}

// Adopt takes charge of a daemon that detached itself (when it cannot run
// in the foreground): it waits up to timeout for its pidfile, and when the
// test ends signals that PID (SIGTERM, then SIGKILL after StopTimeout),
// provided it is still the same process (same start time), and waits
// until it is gone. It returns the PID.
func Adopt(t testing.TB, name, pidfile string, timeout time.Duration, logs ...string) int {
	t.Helper()
	var pid int
	var start string
	Poll(t, timeout, name+" pidfile "+pidfile, func() (bool, string) {
		b, err := os.ReadFile(pidfile)
		if err != nil {
			return false, err.Error()
		}
		pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 1 {
			return false, fmt.Sprintf("pidfile holds %q", b)
		}
		start = startTime(pid)
		return start != "", "no such process " + strconv.Itoa(pid)
	}, logs...)
	t.Cleanup(func() {
		if startTime(pid) != start {
			return // gone already (or the PID was reused: not ours)
		}
		_ = syscall.Kill(pid, syscall.SIGTERM)
		deadline := time.Now().Add(StopTimeout)
		for startTime(pid) == start && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if startTime(pid) == start {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			deadline = time.Now().Add(StopTimeout)
			for startTime(pid) == start && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
		}
		if startTime(pid) == start {
			t.Errorf("lab: %s (pid %d) did not exit", name, pid)
		}
	})
	return pid
}

// startTime returns a running (not zombie) process's start time in clock
// ticks since boot, or "".
func startTime(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 || f[0] == "Z" || f[0] == "X" {
		return ""
	}
	return f[19]
}

// Poll calls cond until it returns true, waiting a little longer between
// calls each time (10 ms up to 200 ms), for at most timeout. cond returns
// whether the awaited state is reached and a description of what it saw.
// On timeout the test fails with what was awaited, the last description
// and the named log files (the last 8 KB of each). Poll returns the last
// description.
func Poll(t testing.TB, timeout time.Duration, what string, cond func() (bool, string), logs ...string) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	wait := 10 * time.Millisecond
	for {
		ok, seen := cond()
		if ok {
			return seen
		}
		if time.Now().After(deadline) {
			var b strings.Builder
			fmt.Fprintf(&b, "lab: timed out after %v waiting for %s\nlast seen: %s", timeout, what, seen)
			for _, l := range logs {
				fmt.Fprintf(&b, "\n--- %s ---\n%s", l, tail(l, 8000))
			}
			t.Fatal(b.String())
		}
		time.Sleep(wait)
		wait = min(wait*3/2, 200*time.Millisecond)
	}
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
