package sshlab

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/nettui/nettui/internal/fakedevice"
)

// SSHD is the OpenSSH server started by Start. It must be an absolute path:
// sshd re-executes itself for every connection.
const SSHD = "/usr/sbin/sshd"

// Passphrase protects the key at EncryptedClientKeyFile.
const Passphrase = "sshlab passphrase"

// JumpName is the name of the single port of a jump host started without
// devices.
const JumpName = "jump"

// readyTimeout bounds how long Start waits for sshd to answer on every port.
const readyTimeout = 15 * time.Second

// Device is one fake device: a listening port of the sshd.
type Device struct {
	// Name identifies the device in Server methods.
	Name string
	// Dir is the fake device directory (device.yaml and outputs, see
	// WriteDevice). The port runs the fake device program on it.
	Dir string
	// ForceCommand, when set, is run for every session on the port instead
	// of the fake device program (through the user's shell).
	ForceCommand string
}

// Options configure Start.
type Options struct {
	// Devices get one port each. A jump host needs none: it then has one
	// port named JumpName.
	Devices []Device
	// Jump makes the server a jump host: AllowTcpForwarding yes (for
	// ProxyJump / direct-tcpip) and no fake device on its ports, which give
	// the user's real shell unless a Device sets ForceCommand.
	Jump bool
	// ExtraConfig lines are added to sshd_config before the per-port Match
	// blocks, so they act globally (a Match line in them starts a block that
	// runs to the end of these lines).
	ExtraConfig []string
	// MaxSessions is sshd's MaxSessions (channels per connection); 0 gives 64.
	MaxSessions int
	// Password, when set, makes the server also accept password and
	// keyboard-interactive authentication of User() with this password. sshd
	// then runs with PAM in a private mount namespace in which /etc/shadow
	// and /etc/pam.d/sshd are replaced by files of the test (the machine's
	// own files are not changed); this needs root and the unshare and mount
	// commands.
	Password string
}

// Server is a running sshd on 127.0.0.1. Start stops it when the test ends.
type Server struct {
	t       testing.TB
	dir     string
	devices []Device
	ports   map[string]int

	hostKey                       ssh.PublicKey
	clientKey, encKey, wrongKey   string
	knownHosts, hashedKnownHosts  string
	logPath, configPath, userName string

	clientPub  ed25519.PublicKey
	clientPriv ed25519.PrivateKey
	encOnce    sync.Once
	encErr     error

	// procs are the sshd processes: OpenSSH listens on at most
	// maxListenPorts ports per process, so larger sites get several, with
	// the same keys and settings.
	procs    []*sshdProc
	stopOnce sync.Once
}

// Start starts an sshd on 127.0.0.1 with one free port per device and
// waits until every port answers with an SSH banner. It fails the test
// (never skips it) when sshd is missing or does not come up, with the sshd
// log in the message.
//
// The server has an ed25519 host key, an authorized ed25519 client key (also
// stored encrypted with Passphrase) and a second, unauthorized client key.
// Sessions run with HOME set to an empty directory of the test, so that
// the user's shell, which sshd runs the forced command through, does not
// source the user's shell start-up files.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	if _, err := os.Stat(SSHD); err != nil {
		t.Fatalf("sshlab: %s not found (%v): install the OpenSSH server (Debian: apt-get install openssh-server)", SSHD, err)
	}
	devices := slices.Clone(o.Devices)
	if o.Jump && len(devices) == 0 {
		devices = []Device{{Name: JumpName}}
	}
	if len(devices) == 0 {
		t.Fatal("sshlab: Start needs at least one device")
	}
	seen := map[string]bool{}
	needFakeDevice := false
	for i, d := range devices {
		if d.Dir != "" {
			// The forced command runs in the user's home directory.
			abs, err := filepath.Abs(d.Dir)
			if err != nil {
				t.Fatalf("sshlab: device %q: %v", d.Name, err)
			}
			d.Dir, devices[i].Dir = abs, abs
		}
		switch {
		case d.Name == "":
			t.Fatal("sshlab: a device has no name")
		case seen[d.Name]:
			t.Fatalf("sshlab: device %q listed twice", d.Name)
		case !o.Jump && d.Dir == "" && d.ForceCommand == "":
			t.Fatalf("sshlab: device %q needs a Dir or a ForceCommand", d.Name)
		}
		seen[d.Name] = true
		if !o.Jump && d.ForceCommand == "" {
			needFakeDevice = true
			if _, err := fakedevice.Load(d.Dir); err != nil {
				t.Fatalf("sshlab: device %q: %v", d.Name, err)
			}
		}
	}
	fakeBin := ""
	if needFakeDevice {
		fakeBin = BuildFakeDevice(t)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	if o.Password != "" && os.Geteuid() != 0 {
		t.Fatal("sshlab: Options.Password needs root (private mount namespace)")
	}

	dir := t.TempDir()
	s := &Server{
		t:          t,
		dir:        dir,
		devices:    devices,
		userName:   u.Username,
		logPath:    filepath.Join(dir, "sshd.log"),
		configPath: filepath.Join(dir, "sshd_config"),
	}
	if strings.ContainsAny(s.dir, " \t\"'\\") {
		t.Fatalf("sshlab: temporary directory %q holds characters sshd_config cannot take", s.dir)
	}
	if err := s.writeKeys(); err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	for _, d := range []string{"home", "/run/sshd"} {
		if !filepath.IsAbs(d) {
			d = filepath.Join(s.dir, d)
		}
		// /run/sshd is sshd's privilege separation directory.
		if err := os.MkdirAll(d, 0o755); err != nil && os.Geteuid() == 0 {
			t.Fatalf("sshlab: %v", err)
		}
	}
	var wrapper []string
	if o.Password != "" {
		wrapper = s.passwordSetup(o.Password)
	}

	// A port found free may be taken before sshd binds it: try again with
	// new ports then.
	for attempt := 1; ; attempt++ {
		err := s.start(o, fakeBin, wrapper)
		if err == nil {
			break
		}
		s.Stop()
		if attempt < 3 && strings.Contains(s.Log(), "Address already in use") {
			_ = os.Remove(s.logPath)
			continue
		}
		t.Fatalf("sshlab: %v\n--- sshd log %s ---\n%s", err, s.logPath, s.Log())
	}
	t.Cleanup(s.Stop)
	return s
}

// maxListenPorts is OpenSSH's MAX_LISTEN_SOCKS: the ports one sshd
// process listens on.
const maxListenPorts = 16

// sshdProc is one sshd process and the devices it serves.
type sshdProc struct {
	devices     []Device
	config, log string
	cmd         *exec.Cmd
	done        chan struct{}
	waitErr     error
}

// start picks ports, writes the configs and known_hosts, starts the sshd
// processes and waits for them.
func (s *Server) start(o Options, fakeBin string, wrapper []string) error {
	s.ports = map[string]int{}
	for _, d := range s.devices {
		p, err := freePort()
		if err != nil {
			return err
		}
		s.ports[d.Name] = p
	}
	if err := s.writeKnownHosts(); err != nil {
		return err
	}
	s.procs = nil
	s.stopOnce = sync.Once{}
	for i := 0; i < len(s.devices); i += maxListenPorts {
		p := &sshdProc{devices: s.devices[i:min(i+maxListenPorts, len(s.devices))], config: s.configPath, log: s.logPath}
		if n := i / maxListenPorts; n > 0 {
			p.config = fmt.Sprintf("%s.%d", s.configPath, n)
			p.log = strings.TrimSuffix(s.logPath, ".log") + fmt.Sprintf(".%d.log", n)
		}
		if err := os.WriteFile(p.config, []byte(s.config(o, fakeBin, p.devices, len(s.procs))), 0o600); err != nil {
			return err
		}
		if out, err := exec.Command(SSHD, "-t", "-f", p.config).CombinedOutput(); err != nil {
			return fmt.Errorf("%s -t -f %s: %v\n%s", SSHD, p.config, err, out)
		}
		// A wrapper (see passwordSetup) ends in exec "$@": sshd keeps its pid.
		args := append(slices.Clone(wrapper), SSHD, "-D", "-f", p.config, "-E", p.log)
		p.cmd = exec.Command(args[0], args[1:]...)
		// Kill sshd if the test process dies without cleaning up.
		p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := p.cmd.Start(); err != nil {
			return err
		}
		p.done = make(chan struct{})
		go func() {
			p.waitErr = p.cmd.Wait()
			close(p.done)
		}()
		s.procs = append(s.procs, p)
	}
	return s.waitReady()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) config(o Options, fakeBin string, devices []Device, n int) string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	line("# sshd for tests: fake devices on 127.0.0.1")
	line("ListenAddress 127.0.0.1")
	for _, d := range devices {
		line("Port %d", s.ports[d.Name])
	}
	line("HostKey %s", filepath.Join(s.dir, "ssh_host_ed25519_key"))
	if n == 0 {
		line("PidFile %s", filepath.Join(s.dir, "sshd.pid"))
	} else {
		line("PidFile %s", filepath.Join(s.dir, fmt.Sprintf("sshd.%d.pid", n)))
	}
	line("AuthorizedKeysFile %s", filepath.Join(s.dir, "authorized_keys"))
	line("# the test directory is under a world-writable temporary directory")
	line("StrictModes no")
	line("PubkeyAuthentication yes")
	if o.Password != "" {
		line("PermitRootLogin yes")
		line("UsePAM yes")
		line("PasswordAuthentication yes")
		line("KbdInteractiveAuthentication yes")
	} else {
		line("PermitRootLogin prohibit-password")
		line("UsePAM no")
		line("PasswordAuthentication no")
		line("KbdInteractiveAuthentication no")
	}
	line("PrintMotd no")
	line("PrintLastLog no")
	line("UseDNS no")
	line("X11Forwarding no")
	line("AllowAgentForwarding no")
	line("PermitTunnel no")
	if o.Jump {
		line("AllowTcpForwarding yes")
	} else {
		line("AllowTcpForwarding no")
	}
	line("LogLevel VERBOSE")
	line("LoginGraceTime 30")
	line("# many concurrent clients: unauthenticated connections, channels per connection")
	line("MaxStartups 256:30:512")
	maxSessions := o.MaxSessions
	if maxSessions <= 0 {
		maxSessions = 64
	}
	line("MaxSessions %d", maxSessions)
	line("# the forced command runs through the user's shell: keep it away from the user's start-up files")
	line("SetEnv HOME=%s", filepath.Join(s.dir, "home"))
	for _, l := range o.ExtraConfig {
		line("%s", l)
	}
	for _, d := range devices {
		cmd := d.ForceCommand
		if cmd == "" && !o.Jump {
			cmd = shellQuote(fakeBin) + " -dir " + shellQuote(d.Dir)
		}
		if cmd == "" {
			continue
		}
		line("Match LocalPort %d", s.ports[d.Name])
		line("    ForceCommand %s", cmd)
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// waitReady waits until every port sends the SSH banner.
func (s *Server) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	for _, p := range s.procs {
		for _, d := range p.devices {
			addr := s.addr(d.Name)
			for {
				err := readBanner(addr, deadline)
				if err == nil {
					break
				}
				select {
				case <-p.done:
					return fmt.Errorf("sshd exited before answering on %s: %v", addr, p.waitErr)
				default:
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("sshd did not answer on %s within %v: %v", addr, readyTimeout, err)
				}
				select {
				case <-p.done:
				case <-time.After(10 * time.Millisecond):
				}
			}
		}
	}
	return nil
}

func readBanner(addr string, deadline time.Time) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	if d := time.Now().Add(2 * time.Second); d.Before(deadline) {
		deadline = d
	}
	_ = c.SetDeadline(deadline)
	l, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(l, "SSH-2.0-") {
		return fmt.Errorf("%s: not an SSH banner: %q", addr, l)
	}
	_, _ = c.Write([]byte("SSH-2.0-sshlab-probe\r\n"))
	return nil
}

func (s *Server) writeKeys() error {
	hostPub, hostPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	if s.hostKey, err = writeKey(filepath.Join(s.dir, "ssh_host_ed25519_key"), hostPub, hostPriv, "sshlab host", ""); err != nil {
		return err
	}
	clientPub, clientPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	s.clientKey = filepath.Join(s.dir, "id_ed25519")
	authorized, err := writeKey(s.clientKey, clientPub, clientPriv, "sshlab client", "")
	if err != nil {
		return err
	}
	// The encrypted copy is written on first use: its bcrypt KDF is slow.
	s.encKey = filepath.Join(s.dir, "id_ed25519_encrypted")
	s.clientPub, s.clientPriv = clientPub, clientPriv
	wrongPub, wrongPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	s.wrongKey = filepath.Join(s.dir, "id_ed25519_unauthorized")
	if _, err := writeKey(s.wrongKey, wrongPub, wrongPriv, "sshlab unauthorized client", ""); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(s.dir, "authorized_keys"), ssh.MarshalAuthorizedKey(authorized), 0o600)
}

// writeKey writes an OpenSSH private key file (encrypted when passphrase
// is set) and its .pub beside it.
func writeKey(path string, pub ed25519.PublicKey, priv ed25519.PrivateKey, comment, passphrase string) (ssh.PublicKey, error) {
	var block *pem.Block
	var err error
	if passphrase != "" {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, comment, []byte(passphrase))
	} else {
		block, err = ssh.MarshalPrivateKey(priv, comment)
	}
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	line := strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(sshPub)), "\n") + " " + comment + "\n"
	return sshPub, os.WriteFile(path+".pub", []byte(line), 0o644)
}

func (s *Server) writeKnownHosts() error {
	var plain, hashed strings.Builder
	for _, d := range s.devices {
		addr := s.addr(d.Name)
		plain.WriteString(knownhosts.Line([]string{addr}, s.hostKey) + "\n")
		hashed.WriteString(knownhosts.Line([]string{knownhosts.HashHostname(knownhosts.Normalize(addr))}, s.hostKey) + "\n")
	}
	s.knownHosts = filepath.Join(s.dir, "known_hosts")
	s.hashedKnownHosts = filepath.Join(s.dir, "known_hosts.hashed")
	if err := os.WriteFile(s.knownHosts, []byte(plain.String()), 0o600); err != nil {
		return err
	}
	return os.WriteFile(s.hashedKnownHosts, []byte(hashed.String()), 0o600)
}

// passwordSetup writes the shadow file and PAM configuration of a password
// server and returns the command that starts sshd with them mounted in a
// private mount namespace.
func (s *Server) passwordSetup(password string) []string {
	t := s.t
	for _, f := range []string{"/etc/shadow", "/etc/pam.d/sshd"} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("sshlab: Options.Password: %v", err)
		}
	}
	for _, c := range []string{"unshare", "mount"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Fatalf("sshlab: Options.Password needs %s (util-linux): %v", c, err)
		}
	}
	orig, err := os.ReadFile("/etc/shadow")
	if err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	entry := s.userName + ":" + sha512Crypt(password, randomSalt()) + ":20000:0:99999:7:::"
	var lines []string
	found := false
	for _, l := range strings.Split(strings.TrimRight(string(orig), "\n"), "\n") {
		if strings.HasPrefix(l, s.userName+":") {
			l, found = entry, true
		}
		lines = append(lines, l)
	}
	if !found {
		lines = append(lines, entry)
	}
	shadow := filepath.Join(s.dir, "shadow")
	pam := filepath.Join(s.dir, "pam-sshd")
	if err := os.WriteFile(shadow, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	pamConf := "auth required pam_unix.so nodelay\naccount required pam_permit.so\nsession required pam_permit.so\npassword required pam_deny.so\n"
	if err := os.WriteFile(pam, []byte(pamConf), 0o644); err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	script := "mount --bind " + shellQuote(shadow) + " /etc/shadow && mount --bind " + shellQuote(pam) + ` /etc/pam.d/sshd && exec "$@"`
	return []string{"unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"}
}

// Addr returns the "127.0.0.1:PORT" of a device.
func (s *Server) Addr(name string) string {
	s.t.Helper()
	if _, ok := s.ports[name]; !ok {
		s.t.Fatalf("sshlab: no device %q", name)
	}
	return s.addr(name)
}

func (s *Server) addr(name string) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.ports[name]))
}

// Port returns the port of a device.
func (s *Server) Port(name string) int {
	s.t.Helper()
	p, ok := s.ports[name]
	if !ok {
		s.t.Fatalf("sshlab: no device %q", name)
	}
	return p
}

// Names returns the device names in the order of Options.Devices.
func (s *Server) Names() []string {
	var out []string
	for _, d := range s.devices {
		out = append(out, d.Name)
	}
	return out
}

// HostKey returns the server's host key.
func (s *Server) HostKey() ssh.PublicKey { return s.hostKey }

// KnownHostsFile returns a known_hosts file with a "[127.0.0.1]:PORT
// ssh-ed25519 ..." line for every port.
func (s *Server) KnownHostsFile() string { return s.knownHosts }

// HashedKnownHostsFile returns the same entries as KnownHostsFile with
// hashed host names ("|1|salt|hash ssh-ed25519 ...").
func (s *Server) HashedKnownHostsFile() string { return s.hashedKnownHosts }

// ClientKeyFile returns the authorized, unencrypted ed25519 private key (its
// public key is beside it with .pub).
func (s *Server) ClientKeyFile() string { return s.clientKey }

// EncryptedClientKeyFile returns the authorized key encrypted with the
// returned passphrase (OpenSSH format, aes256-ctr and bcrypt KDF). The file
// is written on the first call.
func (s *Server) EncryptedClientKeyFile() (path, passphrase string) {
	s.t.Helper()
	s.encOnce.Do(func() {
		_, s.encErr = writeKey(s.encKey, s.clientPub, s.clientPriv, "sshlab client (encrypted)", Passphrase)
	})
	if s.encErr != nil {
		s.t.Fatalf("sshlab: %v", s.encErr)
	}
	return s.encKey, Passphrase
}

// WrongClientKeyFile returns a valid ed25519 private key that the server
// does not accept.
func (s *Server) WrongClientKeyFile() string { return s.wrongKey }

// User returns the user to log in as: the user running the test.
func (s *Server) User() string { return s.userName }

// Dir returns the server's directory (keys, config, log).
func (s *Server) Dir() string { return s.dir }

// ConfigFile returns the path of the generated sshd_config.
func (s *Server) ConfigFile() string { return s.configPath }

// Log returns the sshd log so far (of every sshd process of the server).
func (s *Server) Log() string {
	paths := []string{s.logPath}
	for _, p := range s.procs {
		if p.log != s.logPath {
			paths = append(paths, p.log)
		}
	}
	var out strings.Builder
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(&out, "(no sshd log %s: %v)\n", path, err)
			continue
		}
		out.Write(b)
	}
	return out.String()
}

// PID returns the process id of the (first) listening sshd.
func (s *Server) PID() int { return s.procs[0].cmd.Process.Pid }

// Stop kills sshd and every session process under it (fake devices
// included) now, as a host that goes down would, and waits until they are
// gone. Clients see their connections drop. Stop is called at the end of the test; calling it
// earlier is fine.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		for _, p := range s.procs {
			if p.cmd == nil || p.cmd.Process == nil {
				continue
			}
			select {
			case <-p.done:
				continue
			default:
			}
			killTree(p.cmd.Process.Pid, 10*time.Second)
			select {
			case <-p.done:
			case <-time.After(10 * time.Second):
				s.t.Errorf("sshlab: sshd (pid %d) did not exit after SIGKILL", p.cmd.Process.Pid)
			}
		}
	})
}

// Running reports whether every sshd process is still running.
func (s *Server) Running() bool {
	if len(s.procs) == 0 {
		return false
	}
	for _, p := range s.procs {
		select {
		case <-p.done:
			return false
		default:
		}
	}
	return true
}

// ReceivedCommands returns the commands the fake device has received so
// far, oldest first (exec commands and interactive lines alike).
func (s *Server) ReceivedCommands(name string) []string {
	s.t.Helper()
	var dir string
	for _, d := range s.devices {
		if d.Name == name {
			dir = d.Dir
		}
	}
	if dir == "" {
		s.t.Fatalf("sshlab: no fake device %q", name)
	}
	cmds, err := fakedevice.ReadLog(filepath.Join(dir, fakedevice.LogFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		s.t.Fatalf("sshlab: %v", err)
	}
	return cmds
}
