package lab

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// RecordEnv names the environment variable that makes the scenario tests
// write what they produce (bundles, captures) into fixtures/lab/ as
// regression fixtures. Unset, nothing under fixtures/ is written.
const RecordEnv = "NETTUI_LAB_RECORD"

// Recording reports whether this run should rewrite the lab fixtures.
func Recording() bool { return os.Getenv(RecordEnv) == "1" }

// packages maps the programs the lab runs to the Debian package that
// installs them, for the message of a missing program.
var packages = map[string]string{
	"ip":                     "iproute2",
	"bridge":                 "iproute2",
	"ovs-vswitchd":           "openvswitch-switch",
	"ovs-vsctl":              "openvswitch-switch",
	"ovsdb-server":           "openvswitch-common",
	"ovsdb-tool":             "openvswitch-common",
	"ovs-appctl":             "openvswitch-common",
	"sshd":                   "openssh-server",
	"/usr/sbin/sshd":         "openssh-server",
	"ssh":                    "openssh-client",
	"tcpdump":                "tcpdump",
	"tshark":                 "tshark",
	"ping":                   "iputils-ping",
	"mount":                  "mount",
	"unshare":                "util-linux",
	"nsenter":                "util-linux",
	"sh":                     "dash",
	"swanctl":                "strongswan-swanctl",
	"/usr/lib/ipsec/charon":  "strongswan-charon",
	"ipsec":                  "strongswan-starter",
	"/usr/lib/frr/zebra":     "frr",
	"/usr/lib/frr/staticd":   "frr",
	"vtysh":                  "frr",
	"lldpd":                  "lldpd",
	"lldpcli":                "lldpd",
	"/usr/lib/ipsec/starter": "strongswan-starter",
}

// Package returns the Debian package that installs program, or "".
func Package(program string) string {
	if p, ok := packages[program]; ok {
		return p
	}
	return packages[filepath.Base(program)]
}

// lookPath finds a program: an absolute path as given, else in PATH or in
// the sbin directories a non-login PATH may lack.
func lookPath(program string) (string, error) {
	if filepath.IsAbs(program) {
		st, err := os.Stat(program)
		if err != nil {
			return "", err
		}
		if st.IsDir() || st.Mode()&0o111 == 0 {
			return "", fmt.Errorf("%s is not an executable file", program)
		}
		return program, nil
	}
	if p, err := exec.LookPath(program); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/local/sbin", "/usr/sbin", "/sbin"} {
		p := filepath.Join(dir, program)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found in PATH", program)
}

// Require checks that the lab can run here: as root, with every program
// named (a name looked up in PATH and the sbin directories, or an absolute
// path) plus ip, which every lab uses.
//
// Without root the test is skipped, with the reason (and any missing
// program) printed: namespaces, veths and daemons need root. As root a
// missing program is a failure naming the Debian package to install: CI
// runs the lab as root and installs them, so a missing one there is a
// broken setup, not a reason to pass silently.
func Require(t testing.TB, programs ...string) {
	t.Helper()
	progs := append([]string{"ip"}, programs...)
	var missing []string
	for _, p := range progs {
		if _, err := lookPath(p); err != nil {
			m := p
			if pkg := Package(p); pkg != "" {
				m += " (Debian package " + pkg + ")"
			}
			missing = append(missing, m)
		}
	}
	sort.Strings(missing)
	if os.Geteuid() != 0 {
		why := "lab: skipped: this test builds network namespaces, veth pairs and daemons, which needs root (CI runs it as root: sudo go test ./internal/lab/)"
		if len(missing) > 0 {
			why += "; also missing here: " + strings.Join(missing, ", ")
		}
		// A plain (non -v) run does not show skip messages: print it there.
		if !testing.Verbose() {
			fmt.Fprintln(os.Stderr, t.Name()+": "+why)
		}
		t.Skip(why)
	}
	if len(missing) > 0 {
		var pkgs []string
		seen := map[string]bool{}
		for _, p := range progs {
			if _, err := lookPath(p); err == nil {
				continue
			}
			if pkg := Package(p); pkg != "" && !seen[pkg] {
				seen[pkg] = true
				pkgs = append(pkgs, pkg)
			}
		}
		sort.Strings(pkgs)
		msg := "lab: missing " + strings.Join(missing, ", ")
		if len(pkgs) > 0 {
			msg += "; install with: apt-get install -y " + strings.Join(pkgs, " ")
		}
		t.Fatal(msg)
	}
}

// suffix returns n random lower-case hex digits.
func suffix(n int) string {
	b := make([]byte, (n+1)/2)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return hex.EncodeToString(b)[:n]
}

// TempDir makes a directory with a short path for daemon state (unix
// socket paths are limited to 107 bytes, and t.TempDir paths grow with the
// test name), removed when the test ends. prefix should say whose it is
// ("ntlo", "ntlb").
func TempDir(t testing.TB, prefix string) string {
	t.Helper()
	d, err := os.MkdirTemp("", prefix+"-")
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(d); err != nil {
			t.Errorf("lab: removing %s: %v", d, err)
		}
	})
	return d
}

// tail returns the last max bytes of a file, for failure messages.
func tail(path string, max int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	if len(b) > max {
		b = append([]byte("[...]\n"), b[len(b)-max:]...)
	}
	if len(b) == 0 {
		return "(empty)"
	}
	return string(b)
}
