package lab

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FRR (zebra and staticd) on a lab router: the daemons run in the
// router's namespace with its run directory over /run, so their pid
// files, zserv socket and vty sockets land in run/frr — where `vtysh -c
// '...'`, sent over SSH with the same mount, finds them. Their
// configuration and logs are in the router's frr/ directory.

// FRR daemons (Debian: frr).
const (
	Zebra   = "/usr/lib/frr/zebra"
	Staticd = "/usr/lib/frr/staticd"
)

// FRRPrograms are the programs an FRR lab needs (for Require).
var FRRPrograms = []string{Zebra, Staticd, "vtysh"}

// FRRTimeout bounds the daemons' start and a route reaching the RIB.
const FRRTimeout = 20 * time.Second

// FRR is zebra and staticd on one router.
type FRR struct {
	Name           string // device name
	NS             *NS
	Dir            string // the router's directory: frr/ (configuration, logs), run/
	Zebra, Staticd *Proc
}

func (f *FRR) run() string  { return filepath.Join(f.Dir, "run") }
func (f *FRR) conf() string { return filepath.Join(f.Dir, "frr") }

// StartFRR starts zebra and staticd in ns for the router name, its state
// under dir (which must be reachable by user frr), staticd with the given
// configuration lines (ip route ...), and waits until zebra answers.
func StartFRR(t testing.TB, name string, ns *NS, dir string, statics ...string) *FRR {
	t.Helper()
	f := &FRR{Name: name, NS: ns, Dir: dir}
	uid, gid := frrIDs(t)
	rundir := filepath.Join(f.run(), "frr")
	for _, d := range []string{f.conf(), rundir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("lab: %v", err)
		}
		// the daemons drop to user frr: it writes pid files, sockets, logs
		if err := os.Chown(d, uid, gid); err != nil {
			t.Fatalf("lab: %v", err)
		}
	}
	host := "hostname " + name + "\n"
	for file, text := range map[string]string{
		"zebra.conf":   host,
		"staticd.conf": host + strings.Join(statics, "\n") + "\n",
	} {
		if err := os.WriteFile(filepath.Join(f.conf(), file), []byte(text), 0o644); err != nil {
			t.Fatalf("lab: %v", err)
		}
	}
	start := func(prog string) *Proc {
		d := filepath.Base(prog)
		return StartDaemon(t, ns, Daemon{
			Name: name + " " + d,
			// -F traditional: FRR's defaults for a plain router; -P 0: no
			// TCP vty (vtysh uses the unix socket).
			Args:  []string{prog, "-F", "traditional", "-P", "0", "-f", filepath.Join(f.conf(), d+".conf"), "--log", "file:" + filepath.Join(f.conf(), d+".log")},
			Binds: []Bind{{Src: f.run(), Dst: "/run"}},
			Log:   filepath.Join(f.conf(), d+".out"),
		})
	}
	f.Zebra = start(Zebra)
	Poll(t, FRRTimeout, name+" zebra's zserv socket", func() (bool, string) {
		_, err := os.Stat(filepath.Join(rundir, "zserv.api"))
		return err == nil, fmt.Sprint(err)
	}, f.Logs()...)
	f.Staticd = start(Staticd)
	return f
}

// Logs are the daemons' log files.
func (f *FRR) Logs() []string {
	var out []string
	for _, n := range []string{"zebra", "staticd"} {
		out = append(out, filepath.Join(f.conf(), n+".log"), filepath.Join(f.conf(), n+".out"))
	}
	return out
}

// Vtysh runs one vtysh command against the router's FRR (its vty sockets
// are unix sockets, reachable from the test's namespace).
func (f *FRR) Vtysh(ctx context.Context, command string) (string, error) {
	out, err := exec.CommandContext(ctx, "vtysh", "--vty_socket", filepath.Join(f.run(), "frr"), "-c", command).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: vtysh -c %q: %w\n%s", f.Name, command, err, out)
	}
	return string(out), nil
}

// FrontDevice is the router as nettui reaches it: its commands run in its
// namespace with its own run directory over /run (FRR's vty sockets; no
// charon, no Open vSwitch), and the lab machine's strongSwan
// configuration hidden (HideHost).
func (f *FRR) FrontDevice(t testing.TB) FrontDevice {
	t.Helper()
	binds := []Bind{{Src: f.run(), Dst: "/run"}}
	for _, b := range HideHost(t, f.Dir) {
		if !strings.HasPrefix(b.Dst, "/run/") { // already the router's own
			binds = append(binds, b)
		}
	}
	return FrontDevice{Name: f.Name, NS: f.NS, Binds: binds}
}

// WaitRoute polls until zebra's RIB has a selected route for prefix
// (`show ip route PREFIX` names it "best").
func (f *FRR) WaitRoute(t testing.TB, prefix string) {
	t.Helper()
	Poll(t, FRRTimeout, f.Name+" FRR route "+prefix, func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, err := f.Vtysh(ctx, "show ip route "+prefix)
		return err == nil && strings.Contains(out, "Routing entry for "+prefix) && strings.Contains(out, "best"), out
	}, f.Logs()...)
}

// frrIDs returns the uid and gid of user frr, which the daemons run as.
func frrIDs(t testing.TB) (int, int) {
	t.Helper()
	u, err := user.Lookup("frr")
	if err != nil {
		t.Fatalf("lab: user frr: %v (Debian package frr)", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		t.Fatalf("lab: user frr: uid %q gid %q", u.Uid, u.Gid)
	}
	return uid, gid
}
