package lab

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// OVSSchema is the Open vSwitch database schema (Debian: openvswitch-common).
const OVSSchema = "/usr/share/openvswitch/vswitch.ovsschema"

// OVSPrograms are the programs an Open vSwitch lab needs (for Require).
var OVSPrograms = []string{"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl", "/usr/sbin/sshd"}

// OVSStartTimeout bounds how long an instance may take to answer.
const OVSStartTimeout = 20 * time.Second

// OVS is one Open vSwitch instance (ovsdb-server and ovs-vswitchd, both in
// the foreground, owned by the test) in its own namespace, with every
// socket, pidfile, database and log in Dir, which is its OVS_RUNDIR: with
// Env set, the plain commands (`ovs-vsctl show`, `ovs-appctl lacp/show`)
// reach this instance and no other.
type OVS struct {
	Name string // device name
	NS   *NS
	Dir  string

	DB, VSwitchd *Proc
}

// StartOVS creates a namespace (name "ntlo"+short) and starts an Open
// vSwitch instance in it, its state under dir/name, and waits until
// ovs-vswitchd answers.
func StartOVS(t testing.TB, name, short, dir string) *OVS {
	t.Helper()
	o := &OVS{Name: name, NS: Netns(t, "ntlo"+short), Dir: filepath.Join(dir, name)}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		t.Fatalf("lab: %v", err)
	}
	db := filepath.Join(o.Dir, "conf.db")
	if out, err := exec.Command("ovsdb-tool", "create", db, OVSSchema).CombinedOutput(); err != nil {
		t.Fatalf("lab: ovsdb-tool create %s: %v: %s", db, err, out)
	}
	o.DB = StartDaemon(t, o.NS, Daemon{
		Args: []string{"ovsdb-server", db, "--remote=punix:" + o.sock(), "--pidfile", "--unixctl=" + filepath.Join(o.Dir, "ovsdb-server.ctl"),
			"--log-file=" + filepath.Join(o.Dir, "ovsdb-server.log"), "-vconsole:off"},
		Env: o.Env(), Log: filepath.Join(o.Dir, "ovsdb-server.out"),
	})
	Poll(t, OVSStartTimeout, name+" ovsdb-server answering on "+o.sock(), func() (bool, string) {
		out, err := o.vsctl(context.Background(), "--no-wait", "init")
		return err == nil, out
	}, o.Logs()...)
	// Default pidfile and control socket names, so that ovs-appctl
	// without --target finds this ovs-vswitchd through OVS_RUNDIR.
	o.VSwitchd = StartDaemon(t, o.NS, Daemon{
		Args: []string{"ovs-vswitchd", "unix:" + o.sock(), "--pidfile",
			"--log-file=" + filepath.Join(o.Dir, "ovs-vswitchd.log"), "-vconsole:off"},
		Env: o.Env(), Log: filepath.Join(o.Dir, "ovs-vswitchd.out"),
	})
	Poll(t, OVSStartTimeout, name+" ovs-vswitchd answering", func() (bool, string) {
		out, err := o.appctl(context.Background(), "version")
		return err == nil, out
	}, o.Logs()...)
	return o
}

func (o *OVS) sock() string { return filepath.Join(o.Dir, "db.sock") }

// Env is the environment that points the Open vSwitch tools at this
// instance.
func (o *OVS) Env() []string {
	return []string{"OVS_RUNDIR=" + o.Dir, "OVS_LOGDIR=" + o.Dir, "OVS_DBDIR=" + o.Dir}
}

// Logs are the instance's log files, for failure messages.
func (o *OVS) Logs() []string {
	var out []string
	for _, f := range []string{"ovsdb-server.log", "ovsdb-server.out", "ovs-vswitchd.log", "ovs-vswitchd.out"} {
		out = append(out, filepath.Join(o.Dir, f))
	}
	return out
}

// tool runs an Open vSwitch client with the instance's environment. Unix
// sockets are not tied to a namespace: the tools run from the test's.
func (o *OVS) tool(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, RunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(os.Environ(), o.Env()...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), &toolError{args: args, err: err, out: string(out)}
	}
	return string(out), nil
}

type toolError struct {
	args []string
	err  error
	out  string
}

func (e *toolError) Error() string {
	return strings.Join(e.args, " ") + ": " + e.err.Error() + "\n" + e.out
}

func (o *OVS) vsctl(ctx context.Context, args ...string) (string, error) {
	return o.tool(ctx, append([]string{"ovs-vsctl", "--timeout=10"}, args...)...)
}

func (o *OVS) appctl(ctx context.Context, args ...string) (string, error) {
	return o.tool(ctx, append([]string{"ovs-appctl", "--timeout=10"}, args...)...)
}

// Vsctl runs ovs-vsctl against the instance (waiting, as ovs-vsctl does,
// until ovs-vswitchd has applied the change) and fails the test on error.
func (o *OVS) Vsctl(t testing.TB, args ...string) string {
	t.Helper()
	out, err := o.vsctl(context.Background(), args...)
	if err != nil {
		t.Fatalf("lab: %s: %v\n--- %s ---\n%s", o.Name, err, o.Logs()[2], tail(o.Logs()[2], 4000))
	}
	return out
}

// Appctl runs ovs-appctl against the instance's ovs-vswitchd.
func (o *OVS) Appctl(args ...string) (string, error) {
	return o.appctl(context.Background(), args...)
}

// FrontDevice is the instance as a device of the front sshd: platform
// linux (whose catalog collects the Open vSwitch outputs), commands run in
// its namespace with its OVS_RUNDIR, the lab machine's own services hidden
// (HideHost): a Linux host running Open vSwitch and nothing else.
func (o *OVS) FrontDevice(t testing.TB) FrontDevice {
	t.Helper()
	return FrontDevice{Name: o.Name, NS: o.NS, Env: o.Env(), Binds: HideHost(t, o.Dir)}
}

// OVSPair is two Open vSwitch "switches", sw1 and sw2, each with bridge
// br0 (userspace datapath, bridge MAC 02:00:00:00:00:0N), joined by two
// veth pairs: sw1:a1 ↔ sw2:b1 and sw1:a2 ↔ sw2:b2. Member MACs are fixed:
// a1 02:00:00:00:01:01, a2 …:01:02, b1 …:02:01, b2 …:02:02.
type OVSPair struct {
	Dir      string
	Sw1, Sw2 *OVS
}

// OVSLinks are the pair's veth links as bundle.yaml declares them.
var OVSLinks = [][2]string{{"sw1:a1", "sw2:b1"}, {"sw1:a2", "sw2:b2"}}

// NewOVSPair starts both switches and links them.
// tag goes into the namespace names ("ntlo" + tag + "1"/"2"), to tell the
// scenarios' namespaces apart.
func NewOVSPair(t testing.TB, tag string) *OVSPair {
	t.Helper()
	p := &OVSPair{Dir: TempDir(t, "ntlo")}
	p.Sw1 = StartOVS(t, "sw1", tag+"1", p.Dir)
	p.Sw2 = StartOVS(t, "sw2", tag+"2", p.Dir)
	Veth(t, p.Sw1.NS, "a1", p.Sw2.NS, "b1")
	Veth(t, p.Sw1.NS, "a2", p.Sw2.NS, "b2")
	p.Sw1.NS.Must(t, "ip", "link", "set", "a1", "address", MAC(1, 1))
	p.Sw1.NS.Must(t, "ip", "link", "set", "a2", "address", MAC(1, 2))
	p.Sw2.NS.Must(t, "ip", "link", "set", "b1", "address", MAC(2, 1))
	p.Sw2.NS.Must(t, "ip", "link", "set", "b2", "address", MAC(2, 2))
	for i, sw := range []*OVS{p.Sw1, p.Sw2} {
		sw.Vsctl(t, "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "other_config:hwaddr="+MAC(0, byte(i+1)))
		sw.NS.Must(t, "ip", "link", "set", "br0", "up")
	}
	return p
}

// Bond adds bond0 over the switch's two links (LACP mode lacp: active,
// passive or off; fast LACP rate; balance-tcp) as a trunk of trunks.
func (p *OVSPair) Bond(t testing.TB, sw *OVS, lacp, trunks string) {
	t.Helper()
	m1, m2 := "a1", "a2"
	if sw == p.Sw2 {
		m1, m2 = "b1", "b2"
	}
	sw.Vsctl(t, "add-bond", "br0", "bond0", m1, m2, "lacp="+lacp, "bond_mode=balance-tcp", "trunks="+trunks, "other_config:lacp-time=fast")
}

// AccessPort adds an internal port (a host on the switch) in VLAN tag with
// a fixed MAC and an address, e.g. AccessPort(t, sw1, "v10", 10, MAC(1, 0x10), "10.0.10.1/24").
func (p *OVSPair) AccessPort(t testing.TB, sw *OVS, name string, tag int, mac, cidr string) {
	t.Helper()
	sw.Vsctl(t, "add-port", "br0", name, "tag="+strconv.Itoa(tag), "--", "set", "interface", name, "type=internal", `mac="`+mac+`"`)
	sw.NS.Must(t, "ip", "link", "set", name, "up")
	sw.NS.Must(t, "ip", "addr", "add", cidr, "dev", name)
}

// Front starts the front sshd for both switches.
func (p *OVSPair) Front(t testing.TB) *Frontend {
	t.Helper()
	return Front(t, []FrontDevice{p.Sw1.FrontDevice(t), p.Sw2.FrontDevice(t)})
}

// Logs are both switches' logs.
func (p *OVSPair) Logs() []string { return append(p.Sw1.Logs(), p.Sw2.Logs()...) }

// WaitBond polls until sw's bond0 is negotiated and settled: bond/show
// says lacp_status: negotiated with both members enabled, and lacp/show
// has both members current and attached, with the actor and the partner in
// sync, collecting and distributing (nothing expired or defaulted).
func (p *OVSPair) WaitBond(t testing.TB, sw *OVS) {
	t.Helper()
	Poll(t, 20*time.Second, sw.Name+" bond0 negotiated and settled", func() (bool, string) {
		bond, err := sw.Appctl("bond/show", "bond0")
		if err != nil {
			return false, err.Error()
		}
		if !strings.Contains(bond, "lacp_status: negotiated") || strings.Count(bond, ": enabled") != 2 {
			return false, bond
		}
		lacp, err := sw.Appctl("lacp/show", "bond0")
		if err != nil {
			return false, err.Error()
		}
		inSync := strings.Count(lacp, "state: activity timeout aggregation synchronized collecting distributing\n")
		return strings.Count(lacp, ": current attached") == 2 && inSync == 4 &&
			!strings.Contains(lacp, "expired") && !strings.Contains(lacp, "defaulted"), lacp
	}, p.Logs()...)
}
