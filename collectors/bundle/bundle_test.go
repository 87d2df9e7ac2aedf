package bundle

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nettui/nettui/collectors/parse"
	"github.com/nettui/nettui/fixtures"
	"github.com/nettui/nettui/internal/netmodel"
)

// demoFile returns one output of the embedded demo site.
func demoFile(t *testing.T, dev, name string) string {
	t.Helper()
	b, err := fs.ReadFile(fixtures.Demo, "demo/devices/"+dev+"/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDemo(t *testing.T) {
	sub, err := fs.Sub(fixtures.Demo, "demo")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	if s.Site != "dc1-demo" || len(s.Devices) != 13 {
		t.Fatalf("site %q with %d devices", s.Site, len(s.Devices))
	}
	for _, d := range s.Devices {
		if len(d.Errors) > 0 || d.Status != netmodel.StatusOK {
			t.Errorf("%s: status %s, errors %v", d.Name, d.Status, d.Errors)
		}
	}
	if len(s.Unrecognised) != 0 {
		t.Errorf("unrecognised: %+v", s.Unrecognised)
	}
	// esx01 vmnic1 is learnt from the stack's CDP; esx02 vmnic3 is declared.
	if p, _, ok := s.Peer("esx01", "vmnic1"); !ok || p != (netmodel.Endpoint{Device: "acc-stack1", Port: "GigabitEthernet2/0/1"}) {
		t.Errorf("esx01 vmnic1 peer = %v %v", p, ok)
	}
	if p, l, ok := s.Peer("esx02", "vmnic3"); !ok || p.Port != "Ethernet1/4" || l.Seen[0].How != "declared" {
		t.Errorf("esx02 vmnic3 peer = %v %v", p, ok)
	}
	// The uplink between the switches is seen from both ends: one link.
	_, l, ok := s.Peer("acc-stack1", "TenGigabitEthernet1/1/1")
	if !ok || len(l.Seen) < 2 {
		t.Errorf("switch link sightings: %+v", l)
	}
}

// TestHandMadeFolder opens a folder of outputs pasted from terminals: no
// bundle.yaml, prompts and command lines above the output, CRLF, colour
// escapes, a pager remnant, a refused command and a file that is not an
// output at all.
func TestHandMadeFolder(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "esx01/pg.txt", "[root@esx01:~] esxcli network vswitch standard portgroup list\n"+demoFile(t, "esx01", "vswitch-portgroup-list.txt")+"[root@esx01:~] \n")
	write(t, dir, "esx01/teaming vm-prod.txt", "[root@esx01:~] esxcli network vswitch standard portgroup policy failover get -p \"VM-Prod\"\n"+demoFile(t, "esx01", "portgroup-failover@VM-Prod.txt"))
	write(t, dir, "esx01/no-name.txt", demoFile(t, "esx01", "portgroup-failover@Sniffer.txt"))
	write(t, dir, "esx01/vswitches.txt", strings.ReplaceAll(demoFile(t, "esx01", "vswitch-standard-list.txt"), "\n", "\r\n"))
	trunk := demoFile(t, "acc-stack1", "show-interfaces-trunk.txt")
	trunk = strings.Replace(trunk, "Vlans allowed on trunk", "\x1b[1mVlans allowed on trunk\x1b[0m", 1)
	write(t, dir, "acc-stack1/trunk.txt", "acc-stack1#show interfaces trunk\n"+trunk+"acc-stack1#")
	write(t, dir, "acc-stack1/cdp.log", demoFile(t, "acc-stack1", "show-cdp-neighbors-detail.txt"))
	write(t, dir, "acc-stack1/bad.txt", "acc-stack1#show interfaces trunkk\n                                   ^\n% Invalid input detected at '^' marker.\n\nacc-stack1#")
	write(t, dir, "acc-stack1/notes.txt", "called the NOC at 03:10, they see CRC errors\n")
	write(t, dir, "readme.txt", "outputs from the incident\n")

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	esx, sw := s.Device("esx01"), s.Device("acc-stack1")
	if esx == nil || sw == nil || esx.Platform != netmodel.ESXi || sw.Platform != netmodel.IOS {
		t.Fatalf("devices: %+v %+v", esx, sw)
	}
	for _, c := range []string{parse.CapPortGroupList, parse.CapPortGroupFailover, parse.CapVSwitchList} {
		if !esx.HasCapability(c) {
			t.Errorf("esx01 lacks %s (has %v, errors %v)", c, esx.Capabilities, esx.Errors)
		}
	}
	if pg := esx.PortGroup("VM-Prod"); pg == nil || !pg.Override.Known {
		t.Errorf("VM-Prod failover policy not read from the pasted command line: %+v", pg)
	}
	if vs := esx.VSwitch("vSwitch0"); vs == nil || len(vs.Uplinks) != 2 {
		t.Errorf("CRLF output: %+v", vs)
	}
	p := sw.SwitchPorts["GigabitEthernet2/0/1"]
	if p == nil || !p.AllowedKnown || p.Allowed.Has(120) || !p.Allowed.Has(119) {
		t.Errorf("trunk with ANSI escapes: %+v", p)
	}
	if len(sw.Neighbors) == 0 {
		t.Errorf("CDP output in a .log file not read")
	}
	// The refused command and the per-object output without a name are
	// located errors; the notes are listed as unrecognised with a reason.
	var refused, noName bool
	for _, e := range append(sw.Errors, esx.Errors...) {
		if e.File == "acc-stack1/bad.txt" && e.Line == 3 && strings.Contains(e.Msg, "% Invalid input") {
			refused = true
		}
		if e.File == "esx01/no-name.txt" && strings.Contains(e.Msg, "without the object's name") {
			noName = true
		}
	}
	if !refused || !noName {
		t.Errorf("errors: esx01 %v, acc-stack1 %v", esx.Errors, sw.Errors)
	}
	if sw.Status != netmodel.StatusPartial {
		t.Errorf("acc-stack1 status %s, want partial", sw.Status)
	}
	un := map[string]string{}
	for _, u := range s.Unrecognised {
		un[u.Path] = u.Reason
	}
	if !strings.Contains(un["acc-stack1/notes.txt"], "matches no known command") {
		t.Errorf("notes.txt: %q", un["acc-stack1/notes.txt"])
	}
	if !strings.Contains(un["readme.txt"], "not inside a device folder") {
		t.Errorf("readme.txt: %q", un["readme.txt"])
	}
}

func TestBadBundleYAML(t *testing.T) {
	for name, tc := range map[string]struct{ yaml, want string }{
		"syntax":    {"format: 1\ndevices: [\n", "bundle.yaml"},
		"no format": {"site: x\n", "missing `format: 1`"},
		"newer":     {"format: 9\n", "bundle.yaml:1: format 9 is newer"},
		"dup":       {"format: 1\ndevices:\n  - {name: a}\n  - {name: a}\n", `bundle.yaml:2: device "a" listed twice`},
		"link":      {"format: 1\nlinks:\n  - [a:1]\n", "bundle.yaml:2: link #1"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "bundle.yaml", tc.yaml)
			_, err := Open(dir)
			if err == nil || !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want unusable containing %q", err, tc.want)
			}
		})
	}
}

func TestNothingRecognisable(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "sw1/x.txt", "hello\n")
	if _, err := Open(dir); !errors.Is(err, ErrUnusable) {
		t.Fatalf("err = %v", err)
	}
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, ErrUnusable) {
		t.Fatalf("missing folder: err = %v", err)
	}
}

func TestEnvelopeCommandAndTruncation(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "bundle.yaml", "format: 1\nsite: t\ndevices:\n  - {name: sw1, platform: ios}\n")
	// The file name says nothing; the envelope's command does.
	write(t, dir, "devices/sw1/out1.txt", demoFile(t, "acc-stack1", "show-interfaces-trunk.txt"))
	write(t, dir, "devices/sw1/out1.json", `{"command":"show interfaces trunk","truncated":true}`)
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := s.Device("sw1")
	if !d.HasCapability(parse.CapInterfacesTrunk) {
		t.Fatalf("envelope command not used: %v %v", d.Capabilities, s.Unrecognised)
	}
	if len(d.Errors) != 1 || !strings.Contains(d.Errors[0].Msg, "truncated") || d.Errors[0].Command != "show interfaces trunk" {
		t.Errorf("errors = %v", d.Errors)
	}
}

func TestFailedDevice(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "bundle.yaml", "format: 1\ndevices:\n  - {name: sw1, platform: ios}\n  - {name: sw2, platform: ios, status: failed, error: \"auth: permission denied\"}\n")
	write(t, dir, "devices/sw1/show-interfaces-trunk.txt", demoFile(t, "acc-stack1", "show-interfaces-trunk.txt"))
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Device("sw2"); d == nil || d.Status != netmodel.StatusFailed || d.Error != "auth: permission denied" {
		t.Fatalf("sw2 = %+v", d)
	}
}

func TestTarGz(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "b.tar.gz")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	add := func(name, body string) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	add("incident-42/bundle.yaml", "format: 1\nsite: tgz\ndevices:\n  - {name: sw1, platform: ios}\n")
	add("incident-42/devices/sw1/show-interfaces-trunk.txt", demoFile(t, "acc-stack1", "show-interfaces-trunk.txt"))
	for _, c := range []interface{ Close() error }{tw, gz, f} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Site != "tgz" || !s.Device("sw1").HasCapability(parse.CapInterfacesTrunk) {
		t.Fatalf("tar.gz bundle: %+v", s.Device("sw1"))
	}
}
