package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/collect"
	"github.com/nettui/nettui/collectors/inventory"
	"github.com/nettui/nettui/collectors/transport"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/internal/sshlab"
)

// FrontDevice is one lab device as nettui reaches it: a port of the front
// sshd whose sessions run the command they were sent inside the device's
// namespace, with its environment and mounts, the way a shell on that
// device would run it.
type FrontDevice struct {
	// Name is the device's name in the inventory and the bundle.
	Name string
	// NS is where its commands run.
	NS *NS
	// Platform is its platform in the catalog; default linux.
	Platform netmodel.Platform
	// Env is set for every command (KEY=VALUE): OVS_RUNDIR=DIR makes plain
	// `ovs-vsctl show` and `ovs-appctl lacp/show` reach this device's Open
	// vSwitch; STRONGSWAN_CONF=FILE points swanctl at its charon.
	Env []string
	// Binds are mounted, for each command, in the private mount namespace
	// the command runs in: e.g. the device's own directory over
	// /etc/swanctl, so `cat /etc/swanctl/swanctl.conf` reads its file; an
	// empty directory over one the device does not have.
	Binds []Bind
	// Commands, when set, limits what the collection asks this device to
	// these catalog command lines (the inventory's `commands:`); default:
	// the platform's whole catalog.
	Commands []string
}

// HostState are the lab machine's paths through which a device's commands
// would reach the machine's own services and configuration instead of the
// device's: strongSwan's configuration and vici socket, Open vSwitch's and
// FRR's run directories (their default sockets).
var HostState = []string{"/etc/swanctl", "/etc/ipsec.conf", "/run/charon.vici", "/run/openvswitch", "/run/frr"}

// HideHost returns binds that put something empty (a directory made under
// dir, or an empty file) over every HostState path the machine has, so a
// device that runs none of those services answers as such a host does,
// and nothing of the machine's is collected as the device's. A device that
// runs one of them binds its own over that path instead (or points the
// tools elsewhere, like OVS_RUNDIR).
func HideHost(t testing.TB, dir string) []Bind {
	t.Helper()
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatalf("lab: %v", err)
	}
	emptyFile := filepath.Join(dir, "empty-file")
	if err := os.WriteFile(emptyFile, nil, 0o644); err != nil {
		t.Fatalf("lab: %v", err)
	}
	var out []Bind
	for _, p := range HostState {
		st, err := os.Stat(p)
		switch {
		case err != nil:
		case st.IsDir():
			out = append(out, Bind{Src: empty, Dst: p})
		default:
			out = append(out, Bind{Src: emptyFile, Dst: p})
		}
	}
	return out
}

// Site is what the inventory says about the site besides its devices.
type Site struct {
	// Name is the site (bundle.yaml site:).
	Name string
	// Links are declared links ("sw1:a1", "sw2:b1"): the veth pairs, since
	// nothing in the lab speaks LLDP/CDP.
	Links [][2]string
	// Expect is the site's intent (e.g. stp_root).
	Expect map[string]string
}

// Frontend is a running front sshd: one port per FrontDevice.
type Frontend struct {
	Server *sshlab.Server
	// SSHConfig is an ssh_config (key, known_hosts, user) that reaches
	// every device.
	SSHConfig string
	Dir       string
	devices   []FrontDevice
}

// Front starts a real OpenSSH sshd on 127.0.0.1 with one port per device
// (internal/sshlab). Each port's ForceCommand runs $SSH_ORIGINAL_COMMAND
// through /bin/sh inside the device's namespace (ip netns exec), with the
// device's Env and Binds, so what nettui's collector receives is what the
// real tools print for that device. A session without a command is
// refused. The sshd is stopped when the test ends.
func Front(t testing.TB, devices []FrontDevice) *Frontend {
	t.Helper()
	if len(devices) == 0 {
		t.Fatal("lab: Front needs at least one device")
	}
	ip, err := lookPath("ip")
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	dir := TempDir(t, "ntlfront")
	f := &Frontend{Dir: dir, devices: devices}
	var devs []sshlab.Device
	seen := map[string]bool{}
	for _, d := range devices {
		if d.Name == "" || d.NS == nil || seen[d.Name] || strings.ContainsAny(d.Name, "/ \t\n'\"") {
			t.Fatalf("lab: front device %+v: needs a unique plain name and a namespace", d)
		}
		seen[d.Name] = true
		script := filepath.Join(dir, d.Name+".sh")
		if err := os.WriteFile(script, []byte(deviceScript(ip, d)), 0o755); err != nil {
			t.Fatalf("lab: %v", err)
		}
		devs = append(devs, sshlab.Device{Name: d.Name, ForceCommand: shellQuote(script)})
	}
	f.Server = sshlab.Start(t, sshlab.Options{Devices: devs})
	f.SSHConfig = filepath.Join(dir, "ssh_config")
	cfg := fmt.Sprintf("Host *\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  IdentityAgent none\n",
		f.Server.User(), f.Server.ClientKeyFile(), f.Server.KnownHostsFile())
	if err := os.WriteFile(f.SSHConfig, []byte(cfg), 0o600); err != nil {
		t.Fatalf("lab: %v", err)
	}
	return f
}

// deviceScript is the forced command of one device's port.
func deviceScript(ip string, d FrontDevice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/sh\n# lab device %s: the command sent over SSH runs in network namespace %s\n", d.Name, d.NS.Name)
	fmt.Fprintf(&b, "[ -n \"$SSH_ORIGINAL_COMMAND\" ] || { echo '%s: a lab device runs one command per session' >&2; exit 1; }\n", d.Name)
	inner := `exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"`
	if len(d.Binds) > 0 {
		var m []string
		for _, bd := range d.Binds {
			m = append(m, "mount --bind "+shellQuote(bd.Src)+" "+shellQuote(bd.Dst))
		}
		inner = strings.Join(m, " && ") + " && " + inner
	}
	fmt.Fprintf(&b, "exec %s netns exec %s /usr/bin/env", shellQuote(ip), shellQuote(d.NS.Name))
	for _, e := range d.Env {
		b.WriteString(" " + shellQuote(e))
	}
	fmt.Fprintf(&b, " /bin/sh -c %s\n", shellQuote(inner))
	return b.String()
}

// Inventory writes the site's nettui inventory (every device on 127.0.0.1
// at its port, with its platform, links and expect) into the front's
// directory and loads it.
func (f *Frontend) Inventory(t testing.TB, s Site) *inventory.Inventory {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "site: %s\ndevices:\n", orStr(s.Name, "lab"))
	for _, d := range f.devices {
		p := d.Platform
		if p == "" {
			p = netmodel.Linux
		}
		fmt.Fprintf(&b, "  - name: %s\n    host: 127.0.0.1\n    port: %d\n    platform: %s\n", d.Name, f.Server.Port(d.Name), p)
		if len(d.Commands) > 0 {
			b.WriteString("    commands:\n")
			for _, c := range d.Commands {
				fmt.Fprintf(&b, "      - %q\n", c)
			}
		}
	}
	if len(s.Links) > 0 {
		b.WriteString("links:\n")
		for _, l := range s.Links {
			fmt.Fprintf(&b, "  - [%q, %q]\n", l[0], l[1])
		}
	}
	if len(s.Expect) > 0 {
		b.WriteString("expect:\n")
		keys := make([]string, 0, len(s.Expect))
		for k := range s.Expect {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %s: %q\n", k, s.Expect[k])
		}
	}
	path := filepath.Join(f.Dir, orStr(s.Name, "lab")+".inventory.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatalf("lab: %v", err)
	}
	inv, err := inventory.Load(path)
	if err != nil {
		t.Fatalf("lab: inventory %s: %v\n%s", path, err, b.String())
	}
	return inv
}

// Options are the collection options that reach the front's devices: its
// ssh_config, no system ssh_config, generous timeouts.
func (f *Frontend) Options() collect.Options {
	return collect.Options{
		SSH:            transport.Config{UserConfigFile: f.SSHConfig, SystemConfigFile: "none"},
		CommandTimeout: time.Minute,
		DeviceTimeout:  3 * time.Minute,
	}
}

// CollectTimeout bounds a whole collection of a lab site.
const CollectTimeout = 3 * time.Minute

// Collect collects the site through nettui's own SSH collection
// (collectors/collect.Run: the platform catalog's allow-listed commands,
// host keys checked, outputs redacted as they arrive) and loads the
// result as a bundle. A device that is not collected in full fails the
// test, with what bundle.yaml says about each command.
func (f *Frontend) Collect(t testing.TB, s Site) *Bundle {
	t.Helper()
	inv := f.Inventory(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), CollectTimeout)
	defer cancel()
	res, err := collect.Run(ctx, inv, f.Options())
	if err != nil {
		t.Fatalf("lab: collect %s: %v", s.Name, err)
	}
	for _, d := range res.Meta.Devices {
		if d.Status != netmodel.StatusOK {
			var cmds []string
			for _, c := range d.Commands {
				cmds = append(cmds, fmt.Sprintf("  %s: %s", c.Command, orStr(c.Error, "ok")))
			}
			t.Fatalf("lab: collect %s: device %s is %s: %s\n%s\n--- sshd log ---\n%s", s.Name, d.Name, d.Status, d.Error, strings.Join(cmds, "\n"), f.Server.Log())
		}
	}
	b := &Bundle{Result: res}
	b.load(t)
	return b
}

// Bundle is a collected bundle, in memory, and its snapshot.
type Bundle struct {
	// Result is the collection's bundle (redacted outputs, bundle.yaml
	// with every command sent and its outcome), plus added captures.
	Result *collect.Result
	// Snapshot is the bundle as the diagnosis reads it: parsed outputs
	// and decoded captures. It is reloaded when a capture is added.
	Snapshot *netmodel.Snapshot
}

// load (re)builds the snapshot from the bundle's files, exactly as a
// saved copy of the bundle would load. Every output must be recognised
// and parse cleanly: the lab's outputs are real, and nettui must read them.
func (b *Bundle) load(t testing.TB) {
	t.Helper()
	snap, err := LoadBundle(b.Result.FS())
	if err != nil {
		t.Fatalf("lab: loading the collected bundle: %v", err)
	}
	if p := Problems(snap); len(p) > 0 {
		t.Fatalf("lab: the collected bundle does not load cleanly:\n  %s", strings.Join(p, "\n  "))
	}
	b.Snapshot = snap
}

// Problems lists what a snapshot could not use: outputs not recognised,
// parse errors, devices not fully collected.
func Problems(snap *netmodel.Snapshot) []string {
	var out []string
	for _, u := range snap.Unrecognised {
		out = append(out, "not recognised: "+u.Path+": "+u.Reason)
	}
	for _, d := range snap.Devices {
		if d.Status != netmodel.StatusOK {
			out = append(out, fmt.Sprintf("device %s is %s: %s", d.Name, d.Status, d.Error))
		}
		for _, pe := range d.Errors {
			out = append(out, "parse error: "+pe.Error())
		}
	}
	return out
}

// AddCapture puts a stopped capture into the bundle (captures/NAME.pcapng,
// listed in bundle.yaml with its device and interface) and reloads the
// snapshot so the capture is decoded into it.
func (b *Bundle) AddCapture(t testing.TB, c *Capture) {
	t.Helper()
	data, err := os.ReadFile(c.Path())
	if err != nil {
		t.Fatalf("lab: capture %s: %v", c.Name, err)
	}
	file := "captures/" + c.Name + ".pcapng"
	b.Result.Files[file] = data
	b.Result.Meta.Captures = append(b.Result.Meta.Captures, bundle.CaptureMeta{File: file, Device: c.Device, Interface: c.Interface})
	b.load(t)
}

// Write saves the bundle into dir, which must not exist or be empty
// (bundle.Write: atomic, files 0600).
func (b *Bundle) Write(t testing.TB, dir string) {
	t.Helper()
	if err := b.Result.Write(dir); err != nil {
		t.Fatalf("lab: writing bundle: %v", err)
	}
}

func orStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
