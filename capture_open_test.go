package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/collectors/collect"
	"github.com/nettui/nettui/collectors/inventory"
	"github.com/nettui/nettui/collectors/transport"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/sshlab"

	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
)

// bundleWithCapture copies the healthy OVS case and adds the real LACP
// capture of the same lab, placed on sw1 a1 by bundle.yaml.
func bundleWithCapture(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "b")
	copyTree(t, "fixtures/cases/l2-ovs-healthy", dir)
	if err := os.MkdirAll(filepath.Join(dir, "captures"), 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("probes/capture/testdata/ovs-lacp-a1.pcap")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "captures/sw1-a1.pcap"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(filepath.Join(dir, "bundle.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	y = append(y, []byte("captures:\n  - {file: captures/sw1-a1.pcap, device: sw1, interface: a1}\n")...)
	if err := os.WriteFile(filepath.Join(dir, "bundle.yaml"), y, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func countPackets(t *testing.T, open func(context.Context) (capture.Source, error)) uint64 {
	t.Helper()
	src, err := open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st := capture.NewStats(capture.StatsConfig{})
	if err := capture.RunSource(context.Background(), src, st, nil); err != nil {
		t.Fatal(err)
	}
	return st.Snapshot().Packets
}

// TestBundleCaptureJudgedAndReplayed: a capture listed in bundle.yaml is
// decoded and judged with the site (its LACP flap is a finding citing the
// capture's packets), and the dashboard's capture key replays it — whole
// for the capture's own finding, filtered to the VLAN for a VLAN finding.
func TestBundleCaptureJudgedAndReplayed(t *testing.T) {
	dir := bundleWithCapture(t)
	snap, _, fsys, err := loadSiteFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ := runCLI(t, "diagnose", dir, "--format", "json")
	keys, _ := reportKeys(t, out)
	if strings.Join(keys, "\n") != "CAP-LACP-CHANGED sw1 a1" {
		t.Fatalf("findings: %v", keys)
	}
	o := &captureOpener{fsys: fsys, snap: snap}
	capFinding := &netmodel.Finding{ID: "CAP-LACP-CHANGED", Subject: "sw1 a1", Evidence: []netmodel.Evidence{{Device: "sw1", File: "captures/sw1-a1.pcap", Start: 1, End: 32}}}
	name, open, err := o.open(capFinding)
	if err != nil || name != "captures/sw1-a1.pcap" {
		t.Fatalf("open: %q %v", name, err)
	}
	if n := countPackets(t, open); n != 32 {
		t.Errorf("whole capture: %d packets, want 32", n)
	}
	vlan := &netmodel.Finding{ID: "VLAN-TRUNK-ALLOWED-MISMATCH", Subject: "sw1 bond0 (VLAN 10)", Evidence: []netmodel.Evidence{{Device: "sw1", File: "devices/sw1/ovs-vsctl-show.txt"}}}
	name, open, err = o.open(vlan)
	if err != nil || !strings.Contains(name, "[vlan 10]") {
		t.Fatalf("open: %q %v", name, err)
	}
	if n := countPackets(t, open); n != 6 {
		t.Errorf("vlan 10 replay: %d packets, want the 6 VLAN 10 frames", n)
	}
	other := &captureOpener{snap: &netmodel.Snapshot{}}
	if _, _, err := other.open(vlan); err == nil || !strings.Contains(err.Error(), "--capture-interface") {
		t.Errorf("no capture: %v", err)
	}
}

// TestRemoteCaptureOverSSH: in a live site, c on a finding of a Linux host
// runs the catalog's tcpdump with the finding's filter over the device's
// SSH connection (a real sshd; the fake device answers with a real pcap)
// and decodes the stream.
func TestRemoteCaptureOverSSH(t *testing.T) {
	pcap, err := os.ReadFile("probes/capture/testdata/ovs-lacp-a1.pcap")
	if err != nil {
		t.Fatal(err)
	}
	line := "tcpdump -U -w - -i any 'ether proto 0x8809'"
	specs := []sshlab.DeviceSpec{{Name: "kvm1", Platform: "linux", Outputs: map[string]string{line: string(pcap)}}}
	site := sshlab.StartSite(t, specs, map[string]netmodel.Platform{"kvm1": netmodel.Linux}, nil, nil)
	inv, err := inventory.Load(site.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	g := &globalOptions{logger: slog.New(slog.DiscardHandler)}
	o := &collectOptions{inventory: site.Inventory, sshConfig: site.SSHConfig, concurrency: 4, cmdTimeout: 30 * time.Second, deviceTimeout: time.Minute, maxOutput: 1 << 20}
	c := newLiveCollector(g, o, inv, newUIPrompter())
	opener := &captureOpener{live: c}
	f := &netmodel.Finding{ID: "LACP-PARTNER-NOT-LACP", Subject: "kvm1 bond0", Evidence: []netmodel.Evidence{{Device: "kvm1", File: "devices/kvm1/proc-net-bonding@bond0.txt"}}}
	name, open, err := opener.open(f)
	if err != nil || name != "kvm1 any [ether proto 0x8809]" {
		t.Fatalf("open: %q %v", name, err)
	}
	if n := countPackets(t, open); n != 32 {
		t.Errorf("%d packets over SSH, want 32", n)
	}
	// A capture line that is not the catalog's never leaves.
	client, err := collect.Connect(context.Background(), inv, "kvm1", o.runOptions(g, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := client.Stream(context.Background(), rawLine{"tcpdump -U -w /tmp/x -i any", netmodel.Linux}); !errors.Is(err, transport.ErrNotAllowed) {
		t.Errorf("forged capture line: %v", err)
	}
	if got := site.Server.ReceivedCommands("kvm1"); len(got) != 1 || got[0] != line {
		t.Errorf("device received %q", got)
	}
}

// TestRemoteCaptureWithSudo: a device whose inventory entry says
// capture_sudo: true captures through sudo -n, and nothing else is sent.
func TestRemoteCaptureWithSudo(t *testing.T) {
	pcap, err := os.ReadFile("probes/capture/testdata/ovs-lacp-a1.pcap")
	if err != nil {
		t.Fatal(err)
	}
	line := "sudo -n tcpdump -U -w - -i any 'ether proto 0x8809'"
	specs := []sshlab.DeviceSpec{{Name: "kvm2", Platform: "linux", Outputs: map[string]string{line: string(pcap)}}}
	site := sshlab.StartSite(t, specs, map[string]netmodel.Platform{"kvm2": netmodel.Linux}, nil, nil)
	inv, err := inventory.Load(site.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	inv.Device("kvm2").CaptureSudo = true
	g := &globalOptions{logger: slog.New(slog.DiscardHandler)}
	o := &collectOptions{inventory: site.Inventory, sshConfig: site.SSHConfig, concurrency: 4, cmdTimeout: 30 * time.Second, deviceTimeout: time.Minute, maxOutput: 1 << 20}
	opener := &captureOpener{live: newLiveCollector(g, o, inv, newUIPrompter())}
	f := &netmodel.Finding{ID: "LACP-PARTNER-NOT-LACP", Subject: "kvm2 bond0", Evidence: []netmodel.Evidence{{Device: "kvm2", File: "devices/kvm2/proc-net-bonding@bond0.txt"}}}
	_, open, err := opener.open(f)
	if err != nil {
		t.Fatal(err)
	}
	if n := countPackets(t, open); n != 32 {
		t.Errorf("%d packets over SSH through sudo, want 32", n)
	}
	if got := site.Server.ReceivedCommands("kvm2"); len(got) != 1 || got[0] != line {
		t.Errorf("device received %q, want [%s]", got, line)
	}
}

// rawLine is a command line built outside the catalog.
type rawLine struct {
	line string
	p    netmodel.Platform
}

func (r rawLine) Line() string                { return r.line }
func (r rawLine) Platform() netmodel.Platform { return r.p }

// TestDemoCaptureReplay: on the embedded demo site, c on the split bundle
// of kvm01 replays the site's capture of kvm01 (real OVS LACPDUs),
// filtered to LACP.
func TestDemoCaptureReplay(t *testing.T) {
	snap, _, fsys, err := loadSiteFS("")
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Captures) != 2 || snap.Captures[0].Packets == 0 || len(snap.Captures[0].LACP) != 2 {
		t.Fatalf("demo captures not decoded: %+v", snap.Captures)
	}
	var split *netmodel.Finding
	for _, f := range diagnose.Run(snap) {
		if f.ID == "LACP-PARTNER-SPLIT" {
			split = &f
		}
	}
	if split == nil {
		t.Fatal("no LACP-PARTNER-SPLIT in the demo")
	}
	o := &captureOpener{fsys: fsys, snap: snap}
	name, open, err := o.open(split)
	if err != nil || name != "captures/kvm01-eno1.pcap [ether proto 0x8809]" {
		t.Fatalf("open: %q %v", name, err)
	}
	if n := countPackets(t, open); n != 16 {
		t.Errorf("%d LACPDUs replayed, want 16", n)
	}
}

// A capture saved from the pane while a bundle folder is open goes into the
// bundle's captures folder and into bundle.yaml, so that opening the bundle
// again decodes it and judges it with the rest.
func TestSavedCaptureJoinsTheBundle(t *testing.T) {
	dir := bundleWithCapture(t)
	snap, src, fsys, err := loadSiteFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := &captureOpener{fsys: fsys, snap: snap, dir: bundleDir(src, fsys)}
	if o.dir != dir {
		t.Fatalf("bundle folder %q, want %q", o.dir, dir)
	}
	f := &netmodel.Finding{ID: "CAP-LACP-CHANGED", Subject: "sw1 a1", Evidence: []netmodel.Evidence{{Device: "sw1", File: "captures/sw1-a1.pcap"}}}
	name, _, err := o.open(f)
	if err != nil {
		t.Fatal(err)
	}
	saveDir, saved := o.save(name)
	if saveDir != filepath.Join(dir, "captures") || saved == nil {
		t.Fatalf("save goes to %q (hook %v), want the bundle's captures folder", saveDir, saved != nil)
	}
	// What the pane writes: a pcapng of the packets it holds.
	b, err := os.ReadFile("probes/capture/testdata/ovs-lacp-a1.pcap")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(saveDir, "capture-sw1-a1-20261128-050000.pcap")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := saved(path); err != nil {
		t.Fatal(err)
	}
	if err := saved(path); err != nil { // saved twice, listed once
		t.Fatal(err)
	}
	again, _, err := loadSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range again.Captures {
		got = append(got, c.File+" "+c.Device+" "+c.Interface)
	}
	want := []string{"captures/sw1-a1.pcap sw1 a1", "captures/capture-sw1-a1-20261128-050000.pcap sw1 a1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("captures after reopening: %q, want %q", got, want)
	}
	if again.Captures[1].Packets == 0 {
		t.Errorf("the saved capture was not decoded on reopening: %+v", again.Captures[1])
	}

	// The embedded demo has no folder on disk: saves go to the current folder.
	demo, src, dfs, err := loadSiteFS("")
	if err != nil {
		t.Fatal(err)
	}
	d := &captureOpener{fsys: dfs, snap: demo, dir: bundleDir(src, dfs)}
	if dir, hook := d.save("captures/kvm01-eno1.pcap"); dir != "" || hook != nil {
		t.Errorf("demo saves to %q (hook %v), want the current folder", dir, hook != nil)
	}
}
