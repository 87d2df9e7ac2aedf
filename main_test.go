package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/fixtures"
)

// demoFindings is every fault seeded into the demo site
// (fixtures/demo/README.md), each exactly once, and nothing else.
var demoFindings = []string{
	"IPSEC-PFS-MISMATCH asa-partner ↔ hub-srx",
	"IPSEC-PSK-REUSE hub-srx PSK 7e3a91c0",
	"IPSEC-SELECTOR-MISMATCH br-swan ↔ hub-srx",
	"IPSEC-WEAK-CRYPTO asa-partner ↔ hub-srx phase 1",
	"LACP-PARTNER-NOT-LACP acc-stack2 Port-channel20",
	"LACP-PARTNER-SPLIT kvm01 bond0",
	"ROUTE-PROTECTED-MISSING hub-srx → 172.16.50.0/24",
	"STP-HOST-PORT-NOT-EDGE acc-stack2 Po20",
	"STP-HOST-PORT-NOT-EDGE acc-stack2 Po21",
	"VLAN-ACCESS-PORT-TAGGED esx03/vSwitch0",
	"VLAN-EST-ON-TRUNK esx02/vSwitch0/Legacy-Untagged (VLAN 0)",
	"VLAN-MISSING-ALL esx02/vSwitch0/Backup (VLAN 150)",
	"VLAN-NATIVE-MISMATCH acc-stack1 Te1/1/1 ↔ nx-core1 Eth1/49",
	"VLAN-PARTIAL-UPLINK esx01/vSwitch0/VM-Prod (VLAN 120)",
	"VLAN-PARTIAL-UPLINK esx02/vSwitch0/vMotion (VLAN 20)",
	"VLAN-UNKNOWN-UPLINK esx03/dvs-prod",
	"VLAN-UPLINK-INCONSISTENT esx01/dvs-prod",
	"VLAN-VGT esx01/vSwitch0/Sniffer (VLAN 4095)",
}

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runCLIlog(t, filepath.Join(t.TempDir(), "log"), args...)
}

func runCLIlog(t *testing.T, logFile string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--log", logFile}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

func reportKeys(t *testing.T, js string) ([]string, *diagnose.Report) {
	t.Helper()
	var r diagnose.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, js)
	}
	var keys []string
	for _, f := range r.Findings {
		keys = append(keys, f.ID+" "+f.Subject)
	}
	sort.Strings(keys)
	return keys, &r
}

// TestDiagnoseDemo is the end-to-end check: the demo bundle on disk gives
// exactly the seeded findings, each with evidence and a fix (or, for an
// unknown, what to collect), and exit status 2.
func TestDiagnoseDemo(t *testing.T) {
	out, stderr, code := runCLI(t, "diagnose", "fixtures/demo", "--format", "json")
	if code != 2 {
		t.Fatalf("exit %d, want 2 (critical); stderr %s", code, stderr)
	}
	keys, r := reportKeys(t, out)
	if diff := cmp.Diff(demoFindings, keys); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}
	for _, f := range r.Findings {
		if len(f.Evidence) == 0 {
			t.Errorf("%s %s: no evidence", f.ID, f.Subject)
		}
		for _, e := range f.Evidence {
			b, err := os.ReadFile(filepath.Join("fixtures/demo", e.File))
			if err != nil {
				t.Errorf("%s: evidence file: %v", f.ID, err)
				continue
			}
			lines := strings.Split(string(b), "\n")
			if e.Start < 1 || e.End > len(lines) || strings.Join(lines[e.Start-1:e.End], "\n") != e.Text {
				t.Errorf("%s: evidence %s:%d-%d does not match the file", f.ID, e.File, e.Start, e.End)
			}
		}
		if f.Severity.String() != "unknown" && len(f.Fix) == 0 {
			t.Errorf("%s %s: no fix", f.ID, f.Subject)
		}
	}
	if r.Summary.Critical != 8 || r.Summary.Total != len(demoFindings) {
		t.Errorf("summary %+v", r.Summary)
	}
	for _, d := range r.Devices {
		if d.Status != "ok" || len(d.Errors) != 0 {
			t.Errorf("device %s: %s %v", d.Name, d.Status, d.Errors)
		}
	}
}

func TestDiagnoseEmbeddedDemoMatchesDisk(t *testing.T) {
	disk, _, _ := runCLI(t, "diagnose", "fixtures/demo", "--format", "json")
	emb, _, code := runCLI(t, "diagnose", "--format", "json")
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
	a, _ := reportKeys(t, disk)
	b, _ := reportKeys(t, emb)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("embedded demo differs from fixtures/demo (-disk +embedded):\n%s", diff)
	}
}

func TestDiagnoseText(t *testing.T) {
	out, _, code := runCLI(t, "diagnose", "fixtures/demo")
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"18 findings: 8 critical, 9 warning, 1 unknown, 0 info",
		"CRITICAL VLAN-PARTIAL-UPLINK  esx01/vSwitch0/VM-Prod (VLAN 120)",
		"switchport trunk allowed vlan add 120",
		"devices/acc-stack1/show-interfaces-trunk.txt:13",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
}

func TestDiagnoseMinSeverityAndExitCodes(t *testing.T) {
	out, _, code := runCLI(t, "diagnose", "fixtures/demo", "--format", "json", "--min-severity", "critical")
	keys, _ := reportKeys(t, out)
	if code != 2 || len(keys) != 8 {
		t.Fatalf("critical only: exit %d, %d findings", code, len(keys))
	}
	// A bundle whose only fault is a warning exits 1.
	dir := t.TempDir()
	copyDemo(t, dir, func(p string) bool {
		return strings.HasPrefix(p, "devices/acc-stack1/") || strings.HasPrefix(p, "devices/nx-core1/")
	})
	out, _, code = runCLI(t, "diagnose", dir, "--format", "json")
	keys, _ = reportKeys(t, out)
	if code != 1 || len(keys) != 1 || !strings.HasPrefix(keys[0], "VLAN-NATIVE-MISMATCH") {
		t.Fatalf("switches only: exit %d, findings %v", code, keys)
	}
	if _, _, code := runCLI(t, "diagnose", dir, "--min-severity", "critical"); code != 0 {
		t.Fatalf("no critical finding: exit %d, want 0", code)
	}
	if _, stderr, code := runCLI(t, "diagnose", filepath.Join(dir, "nope")); code != 3 || !strings.Contains(stderr, "unusable input") {
		t.Fatalf("missing bundle: exit %d, stderr %q", code, stderr)
	}
	if _, _, code := runCLI(t, "diagnose", dir, "--min-severity", "loud"); code != 3 {
		t.Fatalf("bad flag value: exit %d", code)
	}
}

// TestHandMadeDemo pastes the demo outputs into a folder without
// bundle.yaml, each file with the prompt and command it was typed at:
// detection must find every platform and command, and the diagnosis is the
// demo's, plus the one link that only bundle.yaml declared.
func TestHandMadeDemo(t *testing.T) {
	dir := t.TempDir()
	sub, _ := fs.Sub(fixtures.Demo, "demo")
	n := 0
	err := fs.WalkDir(sub, "devices", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		parts := strings.Split(p, "/")
		dev, name := parts[1], parts[2]
		content := string(b)
		if strings.Contains(name, "@") { // keep per-object names recoverable from the prompt line
			cmd := map[bool]string{true: "esxcli network vswitch standard portgroup policy failover get -p", false: "esxcli network vswitch standard policy failover get -v"}[strings.HasPrefix(name, "portgroup")]
			arg := strings.TrimSuffix(strings.SplitN(name, "@", 2)[1], ".txt")
			arg = strings.ReplaceAll(arg, "%20", " ")
			content = "[root@" + dev + ":~] " + cmd + " \"" + arg + "\"\n" + content
		}
		n++ // file names say nothing: detection works from the content
		out := filepath.Join(dir, dev, fmt.Sprintf("paste-%02d.txt", n))
		if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
			return err
		}
		return os.WriteFile(out, []byte(content), 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, "diagnose", dir, "--format", "json")
	if code != 2 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	keys, r := reportKeys(t, out)
	// Without bundle.yaml, the declared links are gone: esx02 vmnic3's uplink
	// is unknown, and tor-b's member is not known to face the split bond of
	// kvm01, so tor-b's own view of it (out of sync) is reported as well.
	want := append(append([]string{}, demoFindings...), "VLAN-UNKNOWN-UPLINK esx02/dvs-prod", "LACP-MEMBER-NOT-FORWARDING tor-b Port-channel1")
	sort.Strings(want)
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}
	if len(r.Unrecognised) != 0 {
		t.Errorf("unrecognised: %+v", r.Unrecognised)
	}
}

// copyDemo copies the demo bundle's files accepted by keep (and bundle.yaml).
func copyDemo(t *testing.T, dir string, keep func(string) bool) {
	t.Helper()
	sub, _ := fs.Sub(fixtures.Demo, "demo")
	err := fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (p != "bundle.yaml" && !keep(p)) {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		if p == "bundle.yaml" {
			b = []byte("format: 1\nsite: switches-only\ndevices:\n  - {name: acc-stack1, platform: ios}\n  - {name: nx-core1, platform: nxos}\n")
		}
		out := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
