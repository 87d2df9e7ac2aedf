package inventory

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/internal/netmodel"
)

func TestLoad(t *testing.T) {
	inv, err := Load("testdata/good-native.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if inv.Format != FormatNative || inv.Site != "dc1" || len(inv.Devices) != 9 {
		t.Fatalf("format %s site %q devices %d", inv.Format, inv.Site, len(inv.Devices))
	}
	want := Device{Name: "esx03", Host: "10.10.0.13", Port: 2222, User: "root", Platform: netmodel.ESXi,
		Jump: "bastion", Site: "dc1", Tags: []string{"esxi"}, Line: 15}
	if diff := cmp.Diff(&want, inv.Device("esx03")); diff != "" {
		t.Errorf("esx03 (-want +got):\n%s", diff)
	}
	if inv.Device("nope") != nil {
		t.Error("Device of an unknown name is not nil")
	}
	// A device left without host, port and user keeps them empty for
	// ~/.ssh/config to fill.
	if d := inv.Device("br-swan"); d.Host != "" || d.Port != 0 || d.User != "netops" {
		t.Errorf("br-swan host %q port %d user %q", d.Host, d.Port, d.User)
	}
	if Check("testdata/good-native.yaml") != nil {
		t.Error("Check of a good inventory reported problems")
	}

	inv, err = Load("testdata/bad-native.yaml")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrProblems) {
		t.Fatalf("bad inventory: err %v, want *Error", err)
	}
	if len(e.Problems) != len(Check("testdata/bad-native.yaml")) || e.File != "testdata/bad-native.yaml" {
		t.Errorf("Load and Check disagree: %d vs %d", len(e.Problems), len(Check("testdata/bad-native.yaml")))
	}
	if inv == nil || inv.Device("core1") == nil || inv.Device("lab1") != nil {
		t.Error("the partial inventory should hold the clean devices and not the broken ones")
	}
	if !strings.HasPrefix(err.Error(), "testdata/bad-native.yaml: 28 problems, the first: testdata/bad-native.yaml:4:3: unknown key") {
		t.Errorf("error text %q", err)
	}

	missing := filepath.Join(t.TempDir(), "nope.yaml")
	probs := Check(missing)
	if len(probs) != 1 || probs[0].Line != 0 || !strings.Contains(probs[0].String(), "no such file") {
		t.Errorf("missing file: %v", probs)
	}
}

func TestProblemString(t *testing.T) {
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "i.yaml", Line: 3, Col: 7, Msg: "m"}, "i.yaml:3:7: m"},
		{Problem{File: "i.yaml", Line: 3, Msg: "m"}, "i.yaml:3: m"},
		{Problem{File: "i.yaml", Msg: "m"}, "i.yaml: m"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}

func parseStr(s string) (*Inventory, []Problem) { return Parse("t.yaml", []byte(s)) }

func msgs(probs []Problem) string {
	var out []string
	for _, p := range probs {
		out = append(out, p.String())
	}
	return strings.Join(out, "\n")
}

func TestFormatDetection(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Format
	}{
		{"devices:\n  - {name: a, platform: ios}\n", FormatNative},
		{"site: x\n", FormatNative},
		{"all:\n  hosts:\n    a:\n", FormatAnsible},
		{"switches:\n  hosts:\n    a:\n      ansible_network_os: ios\n", FormatAnsible},
		{"Host a # nettui: platform=ios\n", FormatSSHConfig},
		{"# lab\n\nHostName=x\n", FormatSSHConfig},
		{"host: x\n", FormatNative}, // YAML, reported as an unknown key
	} {
		inv, probs := parseStr(c.in)
		if inv.Format != c.want {
			t.Errorf("%q: format %q, want %q (%s)", c.in, inv.Format, c.want, msgs(probs))
		}
	}
	for _, in := range []string{"", "  \n\n", "- a\n- b\n", "just words\n", "\x00\x01", "\xff\xfe"} {
		if _, probs := parseStr(in); len(probs) == 0 {
			t.Errorf("%q: no problem reported", in)
		}
	}
}

func TestNameOK(t *testing.T) {
	for _, ok := range []string{"sw1", "esx01.dc1.example.net", "10.0.0.1", "core_sw-1", strings.Repeat("a", 64)} {
		if !NameOK(ok) {
			t.Errorf("NameOK(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", ".", "..", "../x", "a/b", `a\b`, "a b", "-sw", "_sw", "sw:1", "fe80::1", "sw1\n", "caf\u00e9", strings.Repeat("a", 65)} {
		if NameOK(bad) {
			t.Errorf("NameOK(%q) = true", bad)
		}
	}
}

func TestPlatformProblemsListValidOnes(t *testing.T) {
	_, probs := parseStr("devices:\n  - {name: a, platform: vyos}\n")
	if len(probs) != 1 {
		t.Fatalf("problems: %s", msgs(probs))
	}
	for _, p := range platform.Platforms() {
		if !strings.Contains(probs[0].Explain, string(p)) {
			t.Errorf("explanation %q does not list %s", probs[0].Explain, p)
		}
	}
	if probs[0].Line != 2 || probs[0].Col != 25 {
		t.Errorf("position %d:%d, want 2:25", probs[0].Line, probs[0].Col)
	}
	// Names people use for a platform are accepted.
	inv, probs := parseStr("devices:\n  - {name: a, platform: cisco_ios}\n  - {name: b, platform: IOS-XE}\n  - {name: c, platform: arista.eos.eos}\n  - {name: d, platform: srx}\n")
	if len(probs) != 0 {
		t.Fatal(msgs(probs))
	}
	var got []netmodel.Platform
	for _, d := range inv.Devices {
		got = append(got, d.Platform)
	}
	if diff := cmp.Diff([]netmodel.Platform{netmodel.IOS, netmodel.IOS, netmodel.EOS, netmodel.Junos}, got); diff != "" {
		t.Error(diff)
	}
}

func TestJumps(t *testing.T) {
	inv, probs := parseStr(`defaults: {platform: linux, jump: j1}
devices:
  - {name: j1, jump: j2}
  - {name: j2}
  - {name: a}
`)
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "loop: j1 → j2 → j1") {
		t.Fatalf("want one loop through the default jump: %s", msgs(probs))
	}
	if inv.Device("a").Jump != "j1" {
		t.Errorf("a jumps through %q", inv.Device("a").Jump)
	}

	inv, probs = parseStr(`defaults: {platform: linux, jump: bastion}
devices:
  - {name: bastion}
  - {name: inner, jump: mid}
  - {name: mid}
`)
	if len(probs) != 0 {
		t.Fatal(msgs(probs))
	}
	got := map[string]string{}
	for _, d := range inv.Devices {
		got[d.Name] = d.Jump
	}
	if diff := cmp.Diff(map[string]string{"bastion": "", "inner": "mid", "mid": "bastion"}, got); diff != "" {
		t.Errorf("jumps (-want +got):\n%s", diff)
	}

	_, probs = parseStr("devices:\n  - {name: a, platform: linux, jump: a}\n")
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "names itself") {
		t.Errorf("self jump: %s", msgs(probs))
	}
	_, probs = parseStr("devices:\n  - {name: a, platform: linux, jump: b}\n  - {name: b, platform: linux, jump: c}\n  - {name: c, platform: linux, jump: a}\n")
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "a → b → c → a") || probs[0].Line != 2 {
		t.Errorf("three-device loop: %s", msgs(probs))
	}
}

func TestExpandHostRange(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"sw1", []string{"sw1"}},
		{"sw[1:3]", []string{"sw1", "sw2", "sw3"}},
		{"esx[08:10].dc1", []string{"esx08.dc1", "esx09.dc1", "esx10.dc1"}},
		{"r[a:c]", []string{"ra", "rb", "rc"}},
		{"db[0:6:3]", []string{"db0", "db3", "db6"}},
		{"x[1:2]y[a:b]", []string{"x1ya", "x1yb", "x2ya", "x2yb"}},
	} {
		got, err := expandHostRange(c.in)
		if err != "" || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v %q, want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"sw[3:1]", "sw[1:99999]", "sw[a:zz]", "sw[1:5:0]", "s[0:999][0:999]"} {
		if got, err := expandHostRange(bad); err == "" {
			t.Errorf("%s: expanded to %d hosts, want an error", bad, len(got))
		}
	}
}

func TestAnsibleInheritance(t *testing.T) {
	inv, probs := Parse("good-ansible.yaml", mustRead(t, "testdata/good-ansible.yaml"))
	if len(probs) != 0 {
		t.Fatal(msgs(probs))
	}
	// Host vars beat group vars, a child group beats its parent, all is
	// below everything.
	for name, want := range map[string][2]string{
		"asa-partner":           {"admin", "asa"},
		"esx02.dc1.example.net": {"root", "esxi"},
		"acc-stack2":            {"netops", "ios"},
	} {
		d := inv.Device(name)
		if d == nil || d.User != want[0] || string(d.Platform) != want[1] {
			t.Errorf("%s: %+v, want user %s platform %s", name, d, want[0], want[1])
		}
	}
	// The jump in all's ssh args does not make the jump host jump to itself.
	if d := inv.Device("bastion"); d.Jump != "" {
		t.Errorf("bastion jumps through %q", d.Jump)
	}

	// Sibling groups: the later name wins, as in Ansible.
	inv, probs = parseStr(`all:
  children:
    b_group:
      vars: {ansible_user: from_b}
      hosts: {h1: }
    a_group:
      vars: {ansible_user: from_a}
      hosts: {h1: }
`)
	if len(probs) != 0 || inv.Device("h1").User != "from_b" {
		t.Errorf("h1 user %q (%s)", inv.Device("h1").User, msgs(probs))
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIncludeNotFollowed: an ssh config's Include never makes nettui read
// another file.
func TestIncludeNotFollowed(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.conf")
	if err := os.WriteFile(other, []byte("Host sneaky # nettui: platform=linux\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inv, probs := Parse("c", []byte("Include "+other+"\nHost sw1 # nettui: platform=ios\n"))
	if inv.Device("sneaky") != nil || inv.Device("sw1") == nil {
		t.Errorf("devices %+v", inv.Devices)
	}
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "is not followed") || probs[0].Line != 1 {
		t.Errorf("problems: %s", msgs(probs))
	}
}

// TestAliasBomb: YAML aliases that would multiply the work (each level of
// groups naming the one below twice) are read once each.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("all:\n  vars:\n    g0: &g0 {hosts: {h1: , h2: }}\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "    g%d: &g%d {children: {a%d: *g%d, b%d: *g%d}}\n", i, i, i, i-1, i, i-1)
	}
	b.WriteString("  children:\n    top: *g39\n")
	inv, probs := parseStr(b.String())
	if len(probs) != 0 || len(inv.Devices) != 2 {
		t.Fatalf("%d devices: %s", len(inv.Devices), msgs(probs))
	}
	if tags := inv.Device("h1").Tags; len(tags) != 79 || !slices.Contains(tags, "a1") || !slices.Contains(tags, "top") {
		t.Errorf("h1 is in %d groups, want 79 (a1..a39, b1..b39, top): %v", len(tags), tags)
	}
	checkInvariants(t, inv, probs)
}

// TestBudget: past the work budget reading stops with a problem.
func TestBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("devices:\n")
	for i := range 50 {
		fmt.Fprintf(&b, "  - {name: d%d, platform: ios}\n", i)
	}
	inv, probs := parseBudget("t.yaml", []byte(b.String()), 40)
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "too large") {
		t.Fatalf("problems: %s", msgs(probs))
	}
	checkInvariants(t, inv, probs)
	if _, probs := parseBudget("t.yaml", []byte(b.String()), maxNodes); len(probs) != 0 {
		t.Fatalf("within the budget: %s", msgs(probs))
	}
}

// checkInvariants are what any parsed inventory guarantees, whatever the
// input.
func checkInvariants(t *testing.T, inv *Inventory, probs []Problem) {
	t.Helper()
	for _, p := range probs {
		if p.Msg == "" || p.Explain == "" || p.Line < 0 || p.Col < 0 || p.File != inv.File {
			t.Fatalf("malformed problem %+v", p)
		}
	}
	names := map[string]bool{}
	folded := map[string]bool{}
	valid := platform.Platforms()
	for _, d := range inv.Devices {
		if !NameOK(d.Name) || folded[strings.ToLower(d.Name)] {
			t.Fatalf("device name %q unsafe or repeated", d.Name)
		}
		names[d.Name], folded[strings.ToLower(d.Name)] = true, true
		if !slices.Contains(valid, d.Platform) {
			t.Fatalf("device %s platform %q", d.Name, d.Platform)
		}
		if d.Port < 0 || d.Port > 65535 || d.Host != "" && !hostOK(d.Host) {
			t.Fatalf("device %s host %q port %d", d.Name, d.Host, d.Port)
		}
	}
	for _, d := range inv.Devices {
		seen := map[string]bool{d.Name: true}
		for j := d.Jump; j != ""; j = inv.Device(j).Jump {
			if !names[j] {
				t.Fatalf("device %s jumps through unknown %q", d.Name, j)
			}
			if seen[j] {
				t.Fatalf("device %s: jump loop through %s", d.Name, j)
			}
			seen[j] = true
		}
	}
	for _, l := range inv.Links {
		for _, e := range l {
			if !names[e.Device] || e.Port == "" {
				t.Fatalf("link end %v", e)
			}
		}
	}
	if root, ok := inv.Expect["stp_root"]; ok && !names[root] {
		t.Fatalf("stp_root %q is not a device", root)
	}
}

func TestInvariantsOnTestdata(t *testing.T) {
	for _, in := range inputs(t) {
		inv, probs := Parse(filepath.Base(in), mustRead(t, in))
		checkInvariants(t, inv, probs)
	}
}

func FuzzLoad(f *testing.F) {
	for _, in := range inputs(f) {
		b, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, probs := Parse("fuzz", data)
		checkInvariants(t, inv, probs)
	})
}

func TestCaptureSudo(t *testing.T) {
	inv, probs := parseStr("devices:\n  - {name: a, platform: linux, capture_sudo: true}\n  - {name: b, platform: linux, capture_sudo: no}\n  - {name: c, platform: linux}\n")
	if len(probs) != 0 {
		t.Fatal(msgs(probs))
	}
	var got []bool
	for _, d := range inv.Devices {
		got = append(got, d.CaptureSudo)
	}
	if diff := cmp.Diff([]bool{true, false, false}, got); diff != "" {
		t.Error(diff)
	}
	_, probs = parseStr("devices:\n  - {name: a, platform: linux, capture_sudo: always}\n")
	if len(probs) != 1 || probs[0].Line != 2 || probs[0].Col != 46 || !strings.Contains(probs[0].Msg, `"always"`) {
		t.Errorf("problems: %s", msgs(probs))
	}
}
