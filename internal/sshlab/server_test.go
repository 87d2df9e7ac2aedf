package sshlab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nettui/nettui/internal/fakedevice"
)

const sshClient = "/usr/bin/ssh"

const trunk = `Port        Mode             Encapsulation  Status        Native vlan
Gi1/0/1     on               802.1q         trunking      1

Port        Vlans allowed on trunk
Gi1/0/1     10,20
`

func longOutput(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Gi1/0/%-2d  connected  %d  a-full  a-1000\n", i, 10+i)
	}
	return b.String()
}

type sshResult struct {
	stdout, stderr string
	code           int
	err            error
	elapsed        time.Duration
}

// sshOpts are the client options for an exec to a device of s.
func sshOpts(s *Server, name string) []string {
	return []string{
		"-F", "/dev/null",
		"-i", s.ClientKeyFile(),
		"-o", "IdentitiesOnly=yes",
		"-o", "UserKnownHostsFile=" + s.KnownHostsFile(),
		"-o", "GlobalKnownHostsFile=/dev/null",
		"-o", "StrictHostKeyChecking=yes",
		"-o", "BatchMode=yes",
		"-o", "ConnectTimeout=10",
		"-o", "LogLevel=ERROR",
		"-p", strconv.Itoa(s.Port(name)),
		"-l", s.User(),
	}
}

// runSSH runs the ssh client with args under a deadline.
func runSSH(t *testing.T, timeout time.Duration, env []string, stdin io.Reader, args ...string) sshResult {
	t.Helper()
	if _, err := os.Stat(sshClient); err != nil {
		t.Fatalf("%s not found: install the OpenSSH client (Debian: apt-get install openssh-client)", sshClient)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, sshClient, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &stdout, &stderr, stdin
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = time.Second
	start := time.Now()
	err := cmd.Run()
	r := sshResult{stdout: stdout.String(), stderr: stderr.String(), err: err, elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.err = ctx.Err()
		r.code = -1
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("ssh: %v", err)
	}
	return r
}

// execOn runs one command on a device of s.
func execOn(t *testing.T, s *Server, name, command string) sshResult {
	t.Helper()
	return runSSH(t, 20*time.Second, nil, nil, append(sshOpts(s, name), "127.0.0.1", command)...)
}

// askpass writes a script that answers every prompt with answer and
// returns the environment that makes ssh use it.
func askpass(t *testing.T, answer string) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "askpass")
	script := "#!/bin/sh\nprintf '%s\\n' " + shellQuote(answer) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{"SSH_ASKPASS=" + path, "SSH_ASKPASS_REQUIRE=force", "DISPLAY=:0"}
}

// replaceOpt returns opts with the argument old replaced by repl.
func replaceOpt(opts []string, old, repl string) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		if o == old {
			o = repl
		}
		out[i] = o
	}
	return out
}

func TestServer(t *testing.T) {
	long := longOutput(60)
	banner := "Authorized access only\n"
	hangAt, resetAt := fakedevice.ByteSize(100), fakedevice.ByteSize(150)
	devices := []Device{
		NewDevice(t, DeviceSpec{Name: "sw1", Platform: "ios", Paging: true, Banner: &banner, Outputs: map[string]string{
			"show interfaces trunk": trunk, "show interfaces status": long,
		}}),
		NewDevice(t, DeviceSpec{Name: "log1", Platform: "ios", Outputs: map[string]string{"show version": "IOS 15.2\n"}}),
		NewDevice(t, DeviceSpec{Name: "r1", Platform: "junos", Outputs: map[string]string{"show route": "inet.0: 3 destinations\n"}}),
		NewDevice(t, DeviceSpec{Name: "esx01", Platform: "esxi", Outputs: map[string]string{"esxcli network nic list": "vmnic0\n"}}),
		NewDevice(t, DeviceSpec{Name: "fw1", Platform: "asa", Mode: fakedevice.ModePTY, Outputs: map[string]string{"show version": "ASA 9.16\n"}}),
		NewDevice(t, DeviceSpec{Name: "faulty", Platform: "ios",
			Outputs: map[string]string{"show hang": long, "show reset": long, "show slow": trunk, "show huge": trunk},
			Faults: fakedevice.Faults{Commands: map[string]fakedevice.Fault{
				"show hang":  {HangAfterBytes: &hangAt},
				"show reset": {ResetAfterBytes: &resetAt},
				"show slow":  {Delay: fakedevice.Duration(100 * time.Millisecond), Trickle: &fakedevice.Trickle{Bytes: 40, Every: fakedevice.Duration(20 * time.Millisecond)}},
				"show huge":  {Huge: 16 << 20},
			}},
		}),
		NewDevice(t, DeviceSpec{Name: "hang", Platform: "ios", Outputs: map[string]string{"show hang": long},
			Faults: fakedevice.Faults{Fault: fakedevice.Fault{HangAfterBytes: &hangAt}}}),
		{Name: "forced", ForceCommand: `echo "forced: $SSH_ORIGINAL_COMMAND home=$HOME"`},
	}
	start := time.Now()
	srv := Start(t, Options{Devices: devices})
	t.Logf("sshd with %d ports up in %v", len(devices), time.Since(start))

	t.Run("exec", func(t *testing.T) {
		t.Parallel()
		r := execOn(t, srv, "sw1", "show interfaces trunk")
		if r.code != 0 || r.stdout != trunk {
			t.Fatalf("exit %d err %v\nstdout %q\nstderr %q", r.code, r.err, r.stdout, r.stderr)
		}
		t.Logf("one exec on a new connection: %v", r.elapsed)
	})

	t.Run("unknown command", func(t *testing.T) {
		t.Parallel()
		r := execOn(t, srv, "sw1", "show bogus")
		if r.code != 1 || !strings.Contains(r.stdout, "% Invalid input detected at '^' marker.") {
			t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
		r = execOn(t, srv, "r1", "show bogus")
		if r.code != 1 || !strings.Contains(r.stdout, "error: syntax error") {
			t.Fatalf("junos: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
		r = execOn(t, srv, "esx01", "vim-cmd vmsvc/getallvms")
		if r.code != 127 || !strings.Contains(r.stderr, "sh: vim-cmd: not found") {
			t.Fatalf("esxi: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("exec refused on a pty-only device", func(t *testing.T) {
		t.Parallel()
		r := execOn(t, srv, "fw1", "show version")
		if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "exec request refused") {
			t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("received commands", func(t *testing.T) {
		t.Parallel()
		for _, c := range []string{"show version", "show  version", "show bogus"} {
			execOn(t, srv, "log1", c)
		}
		got := srv.ReceivedCommands("log1")
		if want := []string{"show version", "show  version", "show bogus"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("ReceivedCommands = %q, want %q", got, want)
		}
	})

	t.Run("force command override", func(t *testing.T) {
		t.Parallel()
		r := execOn(t, srv, "forced", "hello")
		want := "forced: hello home=" + filepath.Join(srv.Dir(), "home") + "\n"
		if r.code != 0 || r.stdout != want {
			t.Fatalf("exit %d stdout %q stderr %q, want %q", r.code, r.stdout, r.stderr, want)
		}
	})

	t.Run("interactive without pty", func(t *testing.T) {
		t.Parallel()
		in := strings.NewReader("show route\nshow bogus\nexit\n")
		r := runSSH(t, 20*time.Second, nil, in, append(sshOpts(srv, "r1"), "-T", "127.0.0.1")...)
		prompt := srv.User() + "@r1> "
		if r.code != 0 || !strings.Contains(r.stdout, prompt+"inet.0: 3 destinations\n"+prompt) ||
			!strings.Contains(r.stdout, "syntax error, expecting <command>.") {
			t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("pty paging", func(t *testing.T) {
		t.Parallel()
		testPTY(t, srv)
	})

	t.Run("pty-only device interactive", func(t *testing.T) {
		t.Parallel()
		in := strings.NewReader("show version\nexit\n")
		r := runSSH(t, 20*time.Second, nil, in, append(sshOpts(srv, "fw1"), "-T", "127.0.0.1")...)
		if r.code != 0 || !strings.Contains(r.stdout, "fw1#ASA 9.16\nfw1#") {
			t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("hashed known_hosts", func(t *testing.T) {
		t.Parallel()
		opts := replaceOpt(sshOpts(srv, "sw1"), "UserKnownHostsFile="+srv.KnownHostsFile(), "UserKnownHostsFile="+srv.HashedKnownHostsFile())
		b, err := os.ReadFile(srv.HashedKnownHostsFile())
		if err != nil || !strings.HasPrefix(string(b), "|1|") || strings.Contains(string(b), "127.0.0.1") {
			t.Fatalf("hashed known_hosts %q, %v", b, err)
		}
		r := runSSH(t, 20*time.Second, nil, nil, append(opts, "127.0.0.1", "show interfaces trunk")...)
		if r.code != 0 || r.stdout != trunk {
			t.Fatalf("exit %d stderr %q", r.code, r.stderr)
		}
	})

	t.Run("known_hosts lines", func(t *testing.T) {
		t.Parallel()
		b, err := os.ReadFile(srv.KnownHostsFile())
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != len(devices) {
			t.Fatalf("%d known_hosts lines for %d ports", len(lines), len(devices))
		}
		want := fmt.Sprintf("[127.0.0.1]:%d ssh-ed25519 ", srv.Port("sw1"))
		if !strings.Contains(string(b), want) {
			t.Fatalf("known_hosts lacks %q:\n%s", want, b)
		}
		if srv.HostKey().Type() != "ssh-ed25519" {
			t.Fatalf("host key type %s", srv.HostKey().Type())
		}
	})

	t.Run("changed host key", func(t *testing.T) {
		t.Parallel()
		other := filepath.Join(t.TempDir(), "known_hosts")
		otherKey, err := os.ReadFile(srv.WrongClientKeyFile() + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("[127.0.0.1]:%d %s", srv.Port("sw1"), otherKey)
		if err := os.WriteFile(other, []byte(line), 0o600); err != nil {
			t.Fatal(err)
		}
		opts := replaceOpt(sshOpts(srv, "sw1"), "UserKnownHostsFile="+srv.KnownHostsFile(), "UserKnownHostsFile="+other)
		r := runSSH(t, 20*time.Second, nil, nil, append(opts, "127.0.0.1", "show interfaces trunk")...)
		if r.code != 255 || r.stdout != "" || !strings.Contains(r.stderr, "Host key verification failed") {
			t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("unauthorized key", func(t *testing.T) {
		t.Parallel()
		opts := replaceOpt(sshOpts(srv, "sw1"), srv.ClientKeyFile(), srv.WrongClientKeyFile())
		r := runSSH(t, 20*time.Second, nil, nil, append(opts, "127.0.0.1", "show interfaces trunk")...)
		if r.code != 255 || r.stdout != "" || !strings.Contains(r.stderr, "Permission denied") {
			t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("encrypted key", func(t *testing.T) {
		t.Parallel()
		key, pass := srv.EncryptedClientKeyFile()
		b, err := os.ReadFile(key)
		if err != nil || !bytes.Contains(b, []byte("OPENSSH PRIVATE KEY")) {
			t.Fatalf("%s: %v", key, err)
		}
		opts := replaceOpt(sshOpts(srv, "sw1"), srv.ClientKeyFile(), key)
		opts = replaceOpt(opts, "BatchMode=yes", "BatchMode=no")
		r := runSSH(t, 20*time.Second, askpass(t, pass), nil, append(opts, "127.0.0.1", "show interfaces trunk")...)
		if r.code != 0 || r.stdout != trunk {
			t.Fatalf("right passphrase: exit %d stderr %q", r.code, r.stderr)
		}
		opts = append(opts, "-o", "NumberOfPasswordPrompts=1")
		r = runSSH(t, 20*time.Second, askpass(t, "wrong"), nil, append(opts, "127.0.0.1", "show interfaces trunk")...)
		if r.code != 255 || r.stdout != "" {
			t.Fatalf("wrong passphrase: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("fault hang", func(t *testing.T) {
		t.Parallel()
		if before := deviceProcs(srv, "hang"); len(before) != 0 {
			t.Fatalf("device processes before the test: %v", before)
		}
		// The client gets the first bytes, then nothing: no more output, no
		// exit status, until its context ends it.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cmd := exec.CommandContext(ctx, sshClient, append(sshOpts(srv, "hang"), "127.0.0.1", "show hang")...)
		out := &expect{}
		cmd.Stdout = out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		wait, stop := context.WithTimeout(ctx, 20*time.Second)
		defer stop()
		out.waitFor(t, wait, long[:hangAt], 0)
		select {
		case err := <-exited:
			t.Fatalf("hanging command ended: %v, output %q", err, out.since(0))
		case <-time.After(300 * time.Millisecond):
		}
		procs := deviceProcs(srv, "hang")
		if len(procs) != 1 {
			t.Fatalf("%d fake device processes serve the hanging command, want 1", len(procs))
		}
		cancel()
		<-exited
		if got := out.since(0); got != long[:hangAt] {
			t.Fatalf("got %q, want the first %d bytes only", got, hangAt)
		}
		// With the client gone the device program ends with its session.
		deadline := time.Now().Add(20 * time.Second)
		for procs[0].alive() {
			if time.Now().After(deadline) {
				t.Fatalf("fake device process %d still runs after the client went away", procs[0].pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("fault reset", func(t *testing.T) {
		t.Parallel()
		r := execOn(t, srv, "faulty", "show reset")
		if r.code != 255 {
			t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
		}
		if r.stdout != long[:resetAt] {
			t.Fatalf("output before the reset %q, want the first %d bytes", r.stdout, resetAt)
		}
		if !strings.Contains(r.stderr, "closed by remote host") {
			t.Fatalf("stderr %q", r.stderr)
		}
		if !srv.Running() {
			t.Fatal("the reset killed the listening sshd")
		}
		if r := execOn(t, srv, "faulty", "show slow"); r.code != 0 {
			t.Fatalf("next command: exit %d", r.code)
		}
	})

	t.Run("fault huge", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, sshClient, append(sshOpts(srv, "faulty"), "127.0.0.1", "show huge")...)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		head := make([]byte, len(trunk)*2)
		n1, _ := io.ReadFull(out, head)
		n2, _ := io.Copy(io.Discard, out)
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
		if n := int64(n1) + n2; n != 16<<20 {
			t.Fatalf("%d bytes, want %d", n, 16<<20)
		}
		if string(head) != trunk+trunk {
			t.Fatalf("huge output starts with %q", head)
		}
		t.Logf("16 MiB in %v", time.Since(start))
	})

	t.Run("fault delay and trickle", func(t *testing.T) {
		t.Parallel()
		r := execOn(t, srv, "faulty", "show slow")
		if r.code != 0 || r.stdout != trunk {
			t.Fatalf("exit %d stdout %q", r.code, r.stdout)
		}
		chunks := (len(trunk) + 39) / 40
		if min := 100*time.Millisecond + time.Duration(chunks-1)*20*time.Millisecond; r.elapsed < min {
			t.Fatalf("answered in %v, want at least %v", r.elapsed, min)
		}
	})

	t.Run("concurrent clients", func(t *testing.T) {
		t.Parallel()
		const n = 16
		var wg sync.WaitGroup
		errs := make(chan string, n)
		for range n {
			wg.Go(func() {
				r := execOn(t, srv, "sw1", "show interfaces trunk")
				if r.code != 0 || r.stdout != trunk {
					errs <- fmt.Sprintf("exit %d stderr %q", r.code, r.stderr)
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	})
}

// testPTY drives an interactive session over a real PTY (ssh -tt).
func testPTY(t *testing.T, srv *Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sshClient, append(sshOpts(srv, "sw1"), "-tt", "127.0.0.1")...)
	term := &expect{}
	cmd.Stdout, cmd.Stderr = term, term
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	send := func(s string) {
		if _, err := io.WriteString(stdin, s); err != nil {
			t.Fatal(err)
		}
	}

	at := term.waitFor(t, ctx, "Authorized access only\r\nsw1#", 0)
	send("show interfaces status\r")
	before := at
	at = term.waitFor(t, ctx, " --More-- ", at)
	page := term.since(before)
	// The tty echoes the command and turns \n into \r\n.
	if !strings.HasPrefix(page, "show interfaces status\r\n") || strings.Count(page, "\r\n") != 25 {
		t.Fatalf("first page:\n%q", page)
	}
	send(" ")
	at = term.waitFor(t, ctx, " --More-- ", at)
	send(" ")
	at = term.waitFor(t, ctx, "Gi1/0/60  connected  70  a-full  a-1000\r\nsw1#", at)

	send("terminal length 0\r")
	at = term.waitFor(t, ctx, "terminal length 0\r\nsw1#", at)
	send("show interfaces status\r")
	at = term.waitFor(t, ctx, "Gi1/0/60  connected  70  a-full  a-1000\r\nsw1#", at)
	if out := term.since(at); strings.Contains(out, "More") {
		t.Fatalf("paging still on after terminal length 0:\n%q", out)
	}
	send("show bogus\r")
	at = term.waitFor(t, ctx, "% Invalid input detected at '^' marker.\r\n\r\nsw1#", at)
	send("exit\r")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ssh after exit: %v\n%q", err, term.since(at))
	}
	got := srv.ReceivedCommands("sw1")
	want := []string{"show interfaces status", "terminal length 0", "show interfaces status", "show bogus", "exit"}
	if !containsSeq(got, want) {
		t.Fatalf("ReceivedCommands = %q, want them to contain %q", got, want)
	}
}

// containsSeq reports whether want appears in order (not necessarily
// adjacent) in got.
func containsSeq(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// expect collects a terminal's output and waits for strings in it.
type expect struct {
	mu     sync.Mutex
	buf    []byte
	notify chan struct{}
}

func (e *expect) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.buf = append(e.buf, p...)
	if e.notify != nil {
		close(e.notify)
		e.notify = nil
	}
	return len(p), nil
}

func (e *expect) since(i int) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return string(e.buf[i:])
}

// waitFor waits until s appears at or after offset from and returns the
// offset just after it.
func (e *expect) waitFor(t *testing.T, ctx context.Context, s string, from int) int {
	t.Helper()
	for {
		e.mu.Lock()
		if i := bytes.Index(e.buf[from:], []byte(s)); i >= 0 {
			e.mu.Unlock()
			return from + i + len(s)
		}
		if e.notify == nil {
			e.notify = make(chan struct{})
		}
		ch := e.notify
		e.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("waiting for %q: %v; output since %d:\n%q", s, ctx.Err(), from, e.since(from))
		}
	}
}

// process identifies a process by pid and start time, so that a reused
// pid is not taken for it.
type process struct {
	pid   int
	start string
}

func newProcess(pid int) (process, bool) {
	start := startTime(pid)
	return process{pid: pid, start: start}, start != ""
}

// alive reports whether the process still runs (a zombie does not).
func (p process) alive() bool { return running(p.pid, p.start) }

// deviceProcs returns the fake device processes under srv that serve the
// named device.
func deviceProcs(srv *Server, name string) []process {
	var dir string
	for _, d := range srv.devices {
		if d.Name == name {
			dir = d.Dir
		}
	}
	var out []process
	for _, pid := range descendants(srv.PID()) {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		if err != nil || commOf(pid) != "fakedevice" || !bytes.Contains(b, []byte(dir)) {
			continue
		}
		if p, ok := newProcess(pid); ok {
			out = append(out, p)
		}
	}
	return out
}

func TestJumpHost(t *testing.T) {
	t.Parallel()
	dev := NewDevice(t, DeviceSpec{Name: "sw1", Outputs: map[string]string{"show interfaces trunk": trunk}})
	devices := Start(t, Options{Devices: []Device{dev}})
	jump := Start(t, Options{Jump: true})

	// One client config for both hops: ssh passes -F to the jump process.
	kh := filepath.Join(t.TempDir(), "known_hosts")
	var both []byte
	for _, f := range []string{devices.KnownHostsFile(), jump.KnownHostsFile()} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		both = append(both, b...)
	}
	if err := os.WriteFile(kh, both, 0o600); err != nil {
		t.Fatal(err)
	}
	if devices.User() != jump.User() {
		t.Fatal("users differ")
	}
	// The device server only accepts its own key, the jump host its own.
	cfg := filepath.Join(t.TempDir(), "ssh_config")
	conf := fmt.Sprintf(`Host *
    User %s
    IdentityFile %s
    IdentityFile %s
    IdentitiesOnly yes
    UserKnownHostsFile %s
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    ConnectTimeout 10
    LogLevel ERROR
`, devices.User(), devices.ClientKeyFile(), jump.ClientKeyFile(), kh)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-F", cfg, "-J", jump.Addr(JumpName), "-p", strconv.Itoa(devices.Port("sw1")), "127.0.0.1", "show interfaces trunk"}
	r := runSSH(t, 20*time.Second, nil, nil, args...)
	if r.code != 0 || r.stdout != trunk {
		t.Fatalf("through the jump host: exit %d stdout %q stderr %q\n%s", r.code, r.stdout, r.stderr, jump.Log())
	}
	if !strings.Contains(jump.Log(), "direct-tcpip") && !strings.Contains(jump.Log(), "Accepted publickey") {
		t.Fatalf("jump host log shows no forwarding:\n%s", jump.Log())
	}

	jump.Stop()
	if jump.Running() {
		t.Fatal("jump host still running after Stop")
	}
	r = runSSH(t, 20*time.Second, nil, nil, args...)
	if r.code != 255 || r.stdout != "" {
		t.Fatalf("with the jump host down: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	// The device is still reachable directly.
	if r := execOn(t, devices, "sw1", "show interfaces trunk"); r.code != 0 {
		t.Fatalf("direct: exit %d stderr %q", r.code, r.stderr)
	}
}

func TestStopKillsSessions(t *testing.T) {
	t.Parallel()
	at := fakedevice.ByteSize(10)
	dev := NewDevice(t, DeviceSpec{Name: "sw1", Outputs: map[string]string{"show hang": trunk},
		Faults: fakedevice.Faults{Fault: fakedevice.Fault{HangAfterBytes: &at}}})
	srv := Start(t, Options{Devices: []Device{dev}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sshClient, append(sshOpts(srv, "sw1"), "127.0.0.1", "show hang")...)
	out := &expect{}
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, ctx, trunk[:at], 0)
	var procs []process
	for _, pid := range descendants(srv.PID()) {
		if p, ok := newProcess(pid); ok {
			procs = append(procs, p)
		}
	}
	if len(deviceProcs(srv, "sw1")) != 1 {
		t.Fatalf("no fake device process among the session processes %v", procs)
	}
	srv.Stop()
	err := cmd.Wait()
	var ee *exec.ExitError
	if ctx.Err() != nil || !errors.As(err, &ee) || ee.ExitCode() != 255 {
		t.Fatalf("ssh after Stop: %v (context %v)", err, ctx.Err())
	}
	for _, p := range procs {
		if p.alive() {
			t.Errorf("process %d (%s) survived Stop", p.pid, commOf(p.pid))
		}
	}
	srv.Stop() // twice is fine
}

func TestPasswordAuth(t *testing.T) {
	t.Parallel()
	shadowBefore, err := os.ReadFile("/etc/shadow")
	if err != nil {
		t.Fatal(err)
	}
	const password = "s3cret pass"
	dev := NewDevice(t, DeviceSpec{Name: "sw1", Outputs: map[string]string{"show interfaces trunk": trunk}})
	srv := Start(t, Options{Devices: []Device{dev}, Password: password})
	opts := func(method string) []string {
		o := replaceOpt(sshOpts(srv, "sw1"), "BatchMode=yes", "BatchMode=no")
		return append(o, "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications="+method,
			"-o", "NumberOfPasswordPrompts=1", "127.0.0.1", "show interfaces trunk")
	}
	for _, method := range []string{"password", "keyboard-interactive"} {
		r := runSSH(t, 20*time.Second, askpass(t, password), nil, opts(method)...)
		if r.code != 0 || r.stdout != trunk {
			t.Fatalf("%s: exit %d stderr %q\n%s", method, r.code, r.stderr, srv.Log())
		}
		r = runSSH(t, 20*time.Second, askpass(t, "wrong"), nil, opts(method)...)
		if r.code != 255 || r.stdout != "" || !strings.Contains(r.stderr, "Permission denied") {
			t.Fatalf("%s with a wrong password: exit %d stdout %q stderr %q", method, r.code, r.stdout, r.stderr)
		}
	}
	if !strings.Contains(srv.Log(), "Accepted password for "+srv.User()) ||
		!strings.Contains(srv.Log(), "Accepted keyboard-interactive/pam for "+srv.User()) {
		t.Fatalf("sshd log lacks the accepted logins:\n%s", srv.Log())
	}
	// Public keys still work.
	if r := execOn(t, srv, "sw1", "show interfaces trunk"); r.code != 0 {
		t.Fatalf("publickey: exit %d stderr %q", r.code, r.stderr)
	}
	shadowAfter, err := os.ReadFile("/etc/shadow")
	if err != nil || !bytes.Equal(shadowBefore, shadowAfter) {
		t.Fatal("/etc/shadow changed")
	}
}

func TestWriteDevice(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "dev")
	at := fakedevice.ByteSize(5)
	WriteDevice(t, dir, DeviceSpec{
		Name: "sw1", Platform: "nxos", Paging: true,
		Outputs: map[string]string{
			"show interfaces trunk": trunk,
			"show interface trunk":  "other\n",
			"show int/trunk":        "x\n",
			"show int trunk":        "y\n",
			"../../etc/passwd":      "z\n",
		},
		Faults: fakedevice.Faults{Commands: map[string]fakedevice.Fault{"show interfaces trunk": {ResetAfterBytes: &at}}},
	})
	d, err := fakedevice.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Spec.Name != "sw1" || d.Spec.Platform != "nxos" || !d.Spec.Paging {
		t.Fatalf("spec %+v", d.Spec)
	}
	for cmd := range d.Spec.Commands {
		if !d.Known(cmd) {
			t.Errorf("%q not known", cmd)
		}
	}
	if got := d.Spec.Commands["show interfaces trunk"]; got != "show-interfaces-trunk.txt" {
		t.Errorf("file name %q", got)
	}
	if a, b := d.Spec.Commands["show int/trunk"], d.Spec.Commands["show int trunk"]; a == b {
		t.Errorf("two commands share the file %q", a)
	}
	if got := d.Spec.Commands["../../etc/passwd"]; strings.Contains(got, "/") {
		t.Errorf("file name %q leaves the directory", got)
	}
	b, err := os.ReadFile(filepath.Join(dir, d.Spec.Commands["show interfaces trunk"]))
	if err != nil || string(b) != trunk {
		t.Fatalf("output file: %q, %v", b, err)
	}
}

func TestBuildFakeDeviceOnce(t *testing.T) {
	t.Parallel()
	a, b := BuildFakeDevice(t), BuildFakeDevice(t)
	if a != b {
		t.Fatalf("built twice: %s, %s", a, b)
	}
	if fi, err := os.Stat(a); err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("%s: %v", a, err)
	}
	// Built from this checkout, the binary is cached under its source key.
	_, key := sourceKey()
	if key == "" {
		t.Fatal("no cache key for the fake device sources")
	}
	if want := filepath.Join(cacheRoot(), key, "fakedevice"); a != want {
		t.Fatalf("binary at %s, want %s", a, want)
	}
}

// fatalRecorder is a testing.TB whose Fatal records the message and ends
// the goroutine, for tests of Start's own failures.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatal(a ...any) { f.Fatalf("%s", fmt.Sprint(a...)) }

func (f *fatalRecorder) Fatalf(format string, a ...any) {
	f.msg = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

func TestStartRejectsBadOptions(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, fakedevice.SpecFile), []byte("platform: vyos\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := NewDevice(t, DeviceSpec{Name: "sw1"})
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"no devices", Options{}, "at least one device"},
		{"no name", Options{Devices: []Device{{Dir: good.Dir}}}, "no name"},
		{"twice", Options{Devices: []Device{good, good}}, "listed twice"},
		{"no dir", Options{Devices: []Device{{Name: "x"}}}, "needs a Dir or a ForceCommand"},
		{"bad device.yaml", Options{Devices: []Device{{Name: "x", Dir: bad}}}, "unknown platform"},
		{"bad config", Options{Devices: []Device{good}, ExtraConfig: []string{"NoSuchOption yes"}}, "NoSuchOption"},
	}
	for _, tt := range tests {
		rec := &fatalRecorder{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			Start(rec, tt.o)
		}()
		<-done
		if !strings.Contains(rec.msg, tt.want) {
			t.Errorf("%s: Start failed with %q, want it to mention %q", tt.name, rec.msg, tt.want)
		}
	}
}
