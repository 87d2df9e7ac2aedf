package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/nettui/nettui/internal/fakedevice"
	"github.com/nettui/nettui/internal/sshlab"
)

// These tests run the client against a real OpenSSH sshd (internal/sshlab)
// whose sessions are fake devices, and resolve every target through an
// ssh_config file, as the engineer's own ssh would.

const (
	showVersion = "Cisco IOS Software, C3750E Software, Version 15.2(4)E10\nsw1 uptime is 3 weeks, 2 days\n"
	showTrunk   = "Port        Mode             Encapsulation  Status        Native vlan\nGi1/0/1     on               802.1q         trunking      1\n\nPort        Vlans allowed on trunk\nGi1/0/1     1-4094\n"
)

func longOutput(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Gi1/0/%-3d connected    %4d   a-full a-1000 10/100/1000BaseTX\n", i, 100+i)
	}
	return b.String()
}

func bs(n fakedevice.ByteSize) *fakedevice.ByteSize { return &n }

// labDevice is the fake switch used by most tests.
func labDevice(t *testing.T, mode string) sshlab.Device {
	return sshlab.NewDevice(t, sshlab.DeviceSpec{
		Name: "sw1", Platform: "ios", Mode: mode, Paging: true, PageLines: 10,
		Outputs: map[string]string{
			"show version":           showVersion,
			"show interfaces trunk":  showTrunk,
			"show interfaces status": longOutput(57),
			"show logging":           longOutput(40),
			"show hang":              longOutput(20),
			"show slow":              longOutput(30),
			"show reset":             longOutput(100),
			"show tech":              showVersion,
		},
		Faults: fakedevice.Faults{Commands: map[string]fakedevice.Fault{
			"show hang":    {HangAfterBytes: bs(100)},
			"show slow":    {Trickle: &fakedevice.Trickle{Bytes: 64, Every: fakedevice.Duration(5 * time.Millisecond)}},
			"show reset":   {ResetAfterBytes: bs(1000)},
			"show tech":    {Huge: 200 << 20},
			"show logging": {Trickle: &fakedevice.Trickle{Bytes: 200, Every: fakedevice.Duration(20 * time.Millisecond)}},
		}},
	})
}

// sshConfigFile writes an ssh_config and returns a Config reading only it.
func sshConfigFile(t *testing.T, blocks ...string) Config {
	t.Helper()
	home := t.TempDir()
	f := filepath.Join(home, "ssh_config")
	if err := os.WriteFile(f, []byte(strings.Join(blocks, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return Config{UserConfigFile: f, SystemConfigFile: None, Home: home, Getenv: func(string) string { return "" }}
}

// hostBlock is the ssh_config block for a lab port.
func hostBlock(srv *sshlab.Server, alias, device string, extra ...string) string {
	lines := []string{
		"Host " + alias,
		"  HostName 127.0.0.1",
		fmt.Sprintf("  Port %d", srv.Port(device)),
		"  User " + srv.User(),
		"  IdentityFile " + srv.ClientKeyFile(),
		"  IdentitiesOnly yes",
		"  IdentityAgent none",
		"  UserKnownHostsFile " + srv.KnownHostsFile(),
		"  ConnectTimeout 10",
	}
	for _, e := range extra {
		lines = append(lines, "  "+e)
	}
	return strings.Join(lines, "\n")
}

func mustResolve(t *testing.T, cfg Config, target Target) Resolved {
	t.Helper()
	r, err := Resolve(cfg, target)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustDial(t *testing.T, ctx context.Context, r Resolved, opts DialOpts) *Client {
	t.Helper()
	c, err := Dial(ctx, r, opts)
	if err != nil {
		t.Fatalf("Dial %s: %v", r, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var iosPrompt = regexp.MustCompile(`^sw1#\s*$`)

func TestIntegrationExec(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}})
	cfg := sshConfigFile(t, hostBlock(srv, "sw1", "sw1"))
	log, buf := debugLogger()
	c := mustDial(t, context.Background(), mustResolve(t, cfg, Target{Name: "sw1"}), DialOpts{Logger: log})
	ctx := context.Background()

	// Several channels at once on the one connection.
	cmds := map[string]string{"show version": showVersion, "show interfaces trunk": showTrunk, "show interfaces status": longOutput(57)}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		for line, want := range cmds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := c.Exec(ctx, cmd(line), RunOpts{Failures: []string{"% Invalid input"}})
				if err != nil {
					t.Errorf("%s: %v", line, err)
					return
				}
				if string(res.Output) != want || res.Exit != 0 || res.Failed != "" || res.Truncated {
					t.Errorf("%s: exit %d failed %q output %q", line, res.Exit, res.Failed, res.Output)
				}
			}()
		}
	}
	wg.Wait()
	if got := len(srv.ReceivedCommands("sw1")); got != 9 {
		t.Errorf("device received %d commands, want 9", got)
	}

	res, err := c.Exec(ctx, cmd("show bogus"), RunOpts{Failures: []string{"% Invalid input"}})
	if err != nil || res.Exit == 0 || res.Failed != "% Invalid input" {
		t.Errorf("unknown command: exit %d failed %q err %v", res.Exit, res.Failed, err)
	}
	if !strings.Contains(buf.String(), "connected") {
		t.Errorf("no connection event in the log:\n%s", buf.String())
	}
}

func TestIntegrationShellPaging(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModePTY)}})
	cfg := sshConfigFile(t, hostBlock(srv, "sw1", "sw1"))
	c := mustDial(t, context.Background(), mustResolve(t, cfg, Target{Name: "sw1"}), DialOpts{})
	ctx := context.Background()

	// The device refuses exec requests.
	res, err := c.Exec(ctx, cmd("show version"), RunOpts{})
	if err != nil || res.Exit == 0 {
		t.Errorf("exec on a pty-only device: exit %d, %v", res.Exit, err)
	}

	for _, pagingOff := range [][]Command{nil, {cmd("terminal length 0")}} {
		t.Run(fmt.Sprintf("paging-off=%v", pagingOff != nil), func(t *testing.T) {
			sh, err := c.Shell(ctx, ShellOpts{Prompt: iosPrompt, PagingOff: pagingOff, Failures: []string{"% Invalid input"}, Timeout: 20 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer sh.Close()
			for _, tc := range []struct{ line, want string }{
				{"show interfaces status", longOutput(57)},
				{"show version", showVersion},
				{"show interfaces trunk", showTrunk},
				{"show logging", longOutput(40)}, // trickled, paged
			} {
				res, err := sh.Run(ctx, cmd(tc.line))
				if err != nil {
					t.Fatalf("%s: %v", tc.line, err)
				}
				if got := strings.TrimRight(string(res.Output), "\n"); got != strings.TrimRight(tc.want, "\n") {
					t.Errorf("%s:\n got %q\nwant %q", tc.line, res.Output, tc.want)
				}
				if bytes.Contains(res.Output, []byte("More")) || res.Failed != "" {
					t.Errorf("%s: paging prompt left or failure %q", tc.line, res.Failed)
				}
			}
			res, err := sh.Run(ctx, cmd("show bogus"))
			if err != nil || res.Failed != "% Invalid input" {
				t.Errorf("show bogus: failed %q, %v", res.Failed, err)
			}
		})
	}
	got := srv.ReceivedCommands("sw1")
	if len(got) == 0 || !containsStr(got, "terminal length 0") {
		t.Errorf("received %q", got)
	}
}

func TestIntegrationEncryptedKey(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}})
	enc, pass := srv.EncryptedClientKeyFile()
	cfg := sshConfigFile(t, strings.Replace(hostBlock(srv, "sw1", "sw1"), srv.ClientKeyFile(), enc, 1))
	log, buf := debugLogger()
	p := &scriptPrompter{passphrases: []string{pass}}
	c := mustDial(t, context.Background(), mustResolve(t, cfg, Target{Name: "sw1"}), DialOpts{Prompter: p, Logger: log})
	if res, err := c.Exec(context.Background(), cmd("show version"), RunOpts{}); err != nil || string(res.Output) != showVersion {
		t.Errorf("Exec: %q %v", res.Output, err)
	}
	if q := p.questions(); len(q) != 1 || q[0] != "passphrase: "+filepath.Base(enc) {
		t.Errorf("prompts %q", q)
	}
	if strings.Contains(buf.String(), pass) {
		t.Errorf("passphrase in the log:\n%s", buf.String())
	}
}

func TestIntegrationPassword(t *testing.T) {
	t.Parallel()
	const pw = "lab-Password-314"
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}, Password: pw})
	cfg := sshConfigFile(t, strings.Replace(hostBlock(srv, "sw1", "sw1"), srv.ClientKeyFile(), srv.WrongClientKeyFile(), 1))
	log, buf := debugLogger()
	p := &scriptPrompter{passwords: []string{"not-" + pw, pw}, answers: [][]string{{"not-" + pw}, {pw}}}
	c := mustDial(t, context.Background(), mustResolve(t, cfg, Target{Name: "sw1"}), DialOpts{Prompter: p, Logger: log})
	if res, err := c.Exec(context.Background(), cmd("show version"), RunOpts{}); err != nil || string(res.Output) != showVersion {
		t.Errorf("Exec: %q %v", res.Output, err)
	}
	if len(p.questions()) < 2 {
		t.Errorf("prompts %q", p.questions())
	}
	if strings.Contains(buf.String(), pw) {
		t.Errorf("password in the log:\n%s", buf.String())
	}
}

// countingAgent counts signatures made by the agent.
type countingAgent struct {
	agent.Agent
	signs atomic.Int32
}

func (a *countingAgent) Sign(key ssh.PublicKey, data []byte) (*ssh.Signature, error) {
	a.signs.Add(1)
	return a.Agent.Sign(key, data)
}

func (a *countingAgent) SignWithFlags(key ssh.PublicKey, data []byte, flags agent.SignatureFlags) (*ssh.Signature, error) {
	a.signs.Add(1)
	return a.Agent.(agent.ExtendedAgent).SignWithFlags(key, data, flags)
}

func (a *countingAgent) Extension(string, []byte) ([]byte, error) {
	return nil, agent.ErrExtensionUnsupported
}

// startAgent serves an in-process ssh-agent holding key on a unix socket.
func startAgent(t *testing.T, keyFile string) (string, *countingAgent) {
	t.Helper()
	b, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ssh.ParseRawPrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	a := &countingAgent{Agent: agent.NewKeyring()}
	if err := a.Add(agent.AddedKey{PrivateKey: raw}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				agent.ServeAgent(a, c)
			}()
		}
	}()
	return sock, a
}

func TestIntegrationAgent(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}})
	sock, a := startAgent(t, srv.ClientKeyFile())
	// No usable key file: only the agent can log in. The socket comes from
	// $SSH_AUTH_SOCK as for ssh.
	block := strings.Replace(hostBlock(srv, "sw1", "sw1"), srv.ClientKeyFile(), srv.WrongClientKeyFile(), 1)
	block = strings.Replace(block, "  IdentitiesOnly yes\n  IdentityAgent none\n", "", 1)
	cfg := sshConfigFile(t, block)
	cfg.Getenv = func(k string) string {
		if k == "SSH_AUTH_SOCK" {
			return sock
		}
		return ""
	}
	r := mustResolve(t, cfg, Target{Name: "sw1"})
	if r.IdentityAgent != sock {
		t.Fatalf("IdentityAgent = %q", r.IdentityAgent)
	}
	c := mustDial(t, context.Background(), r, DialOpts{})
	if res, err := c.Exec(context.Background(), cmd("show version"), RunOpts{}); err != nil || string(res.Output) != showVersion {
		t.Errorf("Exec: %q %v", res.Output, err)
	}
	if a.signs.Load() != 1 {
		t.Errorf("agent signed %d times, want 1", a.signs.Load())
	}
}

func TestIntegrationChangedHostKey(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	// A hashed entry for the port with another key: the device "changed".
	line := knownhosts.Line([]string{knownhosts.HashHostname(knownhosts.Normalize(srv.Addr("sw1")))}, newEd25519(t))
	if err := os.WriteFile(kh, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := sshConfigFile(t, strings.Replace(hostBlock(srv, "sw1", "sw1"), srv.KnownHostsFile(), kh, 1))
	p := &scriptPrompter{}
	_, err := Dial(context.Background(), mustResolve(t, cfg, Target{Name: "sw1"}), DialOpts{Prompter: p})
	var ce *ChangedHostKeyError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *ChangedHostKeyError", err)
	}
	if ce.Fingerprint != ssh.FingerprintSHA256(srv.HostKey()) || len(ce.Want) != 1 || ce.Want[0] != kh+":1" {
		t.Errorf("error = %+v", ce)
	}
	if kind, hint := Classify(err); kind != KindHostKey || !strings.Contains(hint, kh+":1") {
		t.Errorf("Classify = %q %q", kind, hint)
	}
	// Nothing was sent: no command reached the device, no credential the
	// server.
	if got := srv.ReceivedCommands("sw1"); len(got) != 0 {
		t.Errorf("device received %q", got)
	}
	if l := srv.Log(); strings.Contains(l, "publickey") || strings.Contains(l, "Accepted") {
		t.Errorf("sshd saw authentication:\n%s", l)
	}
	if q := p.questions(); len(q) != 0 {
		t.Errorf("prompted %q", q)
	}
}

func TestIntegrationUnknownHostKeyAccept(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}})
	kh := filepath.Join(t.TempDir(), "ssh", "known_hosts")
	cfg := sshConfigFile(t, strings.Replace(hostBlock(srv, "sw1", "sw1", "HashKnownHosts yes"), srv.KnownHostsFile(), kh, 1))
	r := mustResolve(t, cfg, Target{Name: "sw1"})
	_, err := Dial(context.Background(), r, DialOpts{})
	var ue *UnknownHostKeyError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want *UnknownHostKeyError", err)
	}
	if ue.Fingerprint != ssh.FingerprintSHA256(srv.HostKey()) || ue.File != kh || !ue.Hash || ue.Host != knownhosts.Normalize(srv.Addr("sw1")) {
		t.Errorf("error = %+v", ue)
	}
	if got := srv.ReceivedCommands("sw1"); len(got) != 0 {
		t.Errorf("device received %q", got)
	}
	if err := ue.Accept(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(kh)
	if !strings.HasPrefix(string(b), "|1|") {
		t.Errorf("known_hosts line not hashed: %q", b)
	}
	c := mustDial(t, context.Background(), r, DialOpts{})
	if res, err := c.Exec(context.Background(), cmd("show version"), RunOpts{}); err != nil || string(res.Output) != showVersion {
		t.Errorf("after accept: %q %v", res.Output, err)
	}
	// The lab's own hashed file works as well.
	cfg2 := sshConfigFile(t, strings.Replace(hostBlock(srv, "sw1", "sw1"), srv.KnownHostsFile(), srv.HashedKnownHostsFile(), 1))
	mustDial(t, context.Background(), mustResolve(t, cfg2, Target{Name: "sw1"}), DialOpts{})
}

func TestIntegrationAuthFailure(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}})
	cfg := sshConfigFile(t, strings.Replace(hostBlock(srv, "sw1", "sw1"), srv.ClientKeyFile(), srv.WrongClientKeyFile(), 1))
	_, err := Dial(context.Background(), mustResolve(t, cfg, Target{Name: "sw1"}), DialOpts{})
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	if !containsStr(ae.Tried, "publickey") || ae.Keys != 1 || ae.User != srv.User() {
		t.Errorf("AuthError = %+v", ae)
	}
	if kind, _ := Classify(err); kind != KindAuth {
		t.Errorf("Classify = %q", kind)
	}
	if got := srv.ReceivedCommands("sw1"); len(got) != 0 {
		t.Errorf("device received %q", got)
	}
}

func TestIntegrationFaults(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}})
	cfg := sshConfigFile(t, hostBlock(srv, "sw1", "sw1"))
	r := mustResolve(t, cfg, Target{Name: "sw1"})
	ctx := context.Background()
	c := mustDial(t, ctx, r, DialOpts{})

	t.Run("hang mid-output", func(t *testing.T) {
		res, err := c.Exec(ctx, cmd("show hang"), RunOpts{Timeout: 3 * time.Second})
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		if len(res.Output) != 100 {
			t.Errorf("partial output %d bytes, want 100", len(res.Output))
		}
		if kind, _ := Classify(err); kind != KindTimeout {
			t.Errorf("Classify = %q", kind)
		}
		// The connection survives a hung channel.
		if res, err := c.Exec(ctx, cmd("show version"), RunOpts{}); err != nil || string(res.Output) != showVersion {
			t.Errorf("after hang: %q %v", res.Output, err)
		}
	})
	t.Run("trickle completes", func(t *testing.T) {
		res, err := c.Exec(ctx, cmd("show slow"), RunOpts{Timeout: time.Minute})
		if err != nil || res.Exit != 0 || string(res.Output) != longOutput(30) {
			t.Errorf("trickle: %d bytes exit %d, %v", len(res.Output), res.Exit, err)
		}
	})
	t.Run("200 MiB capped", func(t *testing.T) {
		start := time.Now()
		res, err := c.Exec(ctx, cmd("show tech"), RunOpts{Timeout: 2 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Truncated || len(res.Output) != DefaultMaxOutput {
			t.Errorf("Truncated %v, %d bytes, want %d", res.Truncated, len(res.Output), DefaultMaxOutput)
		}
		t.Logf("64 MiB of a 200 MiB answer in %s", time.Since(start))
		if res, err := c.Exec(ctx, cmd("show version"), RunOpts{}); err != nil || string(res.Output) != showVersion {
			t.Errorf("after cap: %q %v", res.Output, err)
		}
	})
	t.Run("reset mid-command", func(t *testing.T) {
		c2 := mustDial(t, ctx, r, DialOpts{})
		res, err := c2.Exec(ctx, cmd("show reset"), RunOpts{Timeout: 30 * time.Second})
		var ce *ConnectionError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v, want *ConnectionError", err)
		}
		if len(res.Output) > 1000 {
			t.Errorf("%d bytes after a reset at 1000", len(res.Output))
		}
		if kind, _ := Classify(err); kind != KindReset {
			t.Errorf("Classify(%v) = %q", err, kind)
		}
		select {
		case <-c2.Done():
		case <-time.After(10 * time.Second):
			t.Error("client not closed after the connection dropped")
		}
	})
}

func TestIntegrationShellFaults(t *testing.T) {
	t.Parallel()
	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModePTY)}})
	cfg := sshConfigFile(t, hostBlock(srv, "sw1", "sw1"))
	ctx := context.Background()
	c := mustDial(t, ctx, mustResolve(t, cfg, Target{Name: "sw1"}), DialOpts{})
	opts := ShellOpts{Prompt: iosPrompt, PagingOff: []Command{cmd("terminal length 0")}, Timeout: 2 * time.Second}

	sh, err := c.Shell(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sh.Run(ctx, cmd("show hang")); !errors.Is(err, ErrTimeout) {
		t.Errorf("hang: %v, want ErrTimeout", err)
	}
	if _, err := sh.Run(ctx, cmd("show version")); !errors.Is(err, ErrClosed) {
		t.Errorf("after timeout: %v, want ErrClosed", err)
	}

	opts.Timeout = time.Minute
	opts.MaxOutput = 1 << 20
	sh, err = c.Shell(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sh.Run(ctx, cmd("show tech"))
	if err != nil || !res.Truncated || len(res.Output) > 1<<20 {
		t.Errorf("huge in a shell: truncated %v, %d bytes, %v", res.Truncated, len(res.Output), err)
	}
	sh.Close()

	// Shell slots are released: more shells than MaxSessions over time.
	for i := 0; i < DefaultMaxSessions+2; i++ {
		sh, err := c.Shell(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := sh.Run(ctx, cmd("show version")); err != nil || strings.TrimRight(string(res.Output), "\n") != strings.TrimRight(showVersion, "\n") {
			t.Errorf("shell %d: %q %v", i, res.Output, err)
		}
		sh.Close()
	}

	sh, err = c.Shell(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sh.Run(ctx, cmd("show reset"))
	var ce *ConnectionError
	if !errors.As(err, &ce) {
		t.Errorf("reset: %v, want *ConnectionError", err)
	}
	if kind, _ := Classify(err); kind != KindReset {
		t.Errorf("Classify(%v) = %q", err, kind)
	}
}

// jumpLab starts a device and a jump host and returns a config reaching
// the device through the jump host.
func jumpLab(t *testing.T) (dev, jump *sshlab.Server, cfg Config) {
	dev = sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{labDevice(t, fakedevice.ModeExec)}})
	jump = sshlab.Start(t, sshlab.Options{Jump: true})
	kh := fmt.Sprintf("%q %q", dev.KnownHostsFile(), jump.KnownHostsFile())
	devBlock := strings.Replace(hostBlock(dev, "sw1", "sw1", "ProxyJump bastion"), "UserKnownHostsFile "+dev.KnownHostsFile(), "UserKnownHostsFile "+kh, 1)
	jumpBlock := strings.Replace(hostBlock(jump, "bastion", sshlab.JumpName), "UserKnownHostsFile "+jump.KnownHostsFile(), "UserKnownHostsFile "+kh, 1)
	return dev, jump, sshConfigFile(t, devBlock, jumpBlock)
}

func TestIntegrationJumpHost(t *testing.T) {
	t.Parallel()
	dev, jump, cfg := jumpLab(t)
	r := mustResolve(t, cfg, Target{Name: "sw1"})
	if len(r.Jumps) != 1 || r.Jumps[0].Port != jump.Port(sshlab.JumpName) {
		t.Fatalf("jumps %+v", r.Jumps)
	}
	c := mustDial(t, context.Background(), r, DialOpts{})
	if res, err := c.Exec(context.Background(), cmd("show version"), RunOpts{}); err != nil || string(res.Output) != showVersion {
		t.Errorf("through the jump host: %q %v", res.Output, err)
	}
	if got := dev.ReceivedCommands("sw1"); len(got) != 1 {
		t.Errorf("device received %q", got)
	}

	// The hop's host key is checked too.
	empty := filepath.Join(t.TempDir(), "known_hosts")
	r2 := r
	r2.Jumps = []Resolved{r.Jumps[0]}
	r2.Jumps[0].KnownHostsFiles = []string{empty}
	_, err := Dial(context.Background(), r2, DialOpts{})
	var je *JumpError
	var ue *UnknownHostKeyError
	if !errors.As(err, &je) || !errors.As(err, &ue) || ue.Fingerprint != ssh.FingerprintSHA256(jump.HostKey()) {
		t.Fatalf("unknown hop key: %v", err)
	}
	if kind, hint := Classify(err); kind != KindHostKey || !strings.Contains(hint, "jump host bastion") {
		t.Errorf("Classify = %q %q", kind, hint)
	}

	// Jump host down: a typed error naming the hop.
	jump.Stop()
	_, err = Dial(context.Background(), r, DialOpts{})
	if !errors.As(err, &je) || je.Hop != "bastion" {
		t.Fatalf("jump host down: %v, want *JumpError for bastion", err)
	}
	if kind, _ := Classify(err); kind != KindJump {
		t.Errorf("Classify = %q", kind)
	}
	if _, err := c.Exec(context.Background(), cmd("show version"), RunOpts{}); err == nil {
		t.Error("Exec through a stopped jump host succeeded")
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Error("client through the stopped jump host not closed")
	}
}

func TestIntegrationCancel(t *testing.T) {
	t.Parallel()
	dev, _, cfg := jumpLab(t)
	r := mustResolve(t, cfg, Target{Name: "sw1"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := mustDial(t, ctx, r, DialOpts{})
	sh, err := c.Shell(context.Background(), ShellOpts{Prompt: iosPrompt, Timeout: -1})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		what string
		err  error
	}
	results := make(chan result, 2)
	go func() {
		_, err := c.Exec(context.Background(), cmd("show hang"), RunOpts{Timeout: -1})
		results <- result{"exec", err}
	}()
	go func() {
		_, err := sh.Run(context.Background(), cmd("show hang"))
		results <- result{"shell", err}
	}()
	// Both commands are running once the device has logged them.
	for deadline := time.Now().Add(20 * time.Second); ; {
		n := strings.Count(strings.Join(dev.ReceivedCommands("sw1"), "\n"), "show hang")
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("device received %q", dev.ReceivedCommands("sw1"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	cancel()
	for i := 0; i < 2; i++ {
		select {
		case res := <-results:
			if res.err == nil {
				t.Errorf("%s: no error after cancel", res.what)
			}
		case <-time.After(time.Second):
			t.Fatalf("commands still running 1s after cancel")
		}
	}
	select {
	case <-c.Done():
	case <-time.After(time.Second - time.Since(start)):
		t.Fatal("client not closed within 1s of cancel")
	}
}
