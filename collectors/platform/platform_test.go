package platform

import (
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nettui/nettui/collectors/parse"
	"github.com/nettui/nettui/internal/netmodel"
)

func mustGet(t testing.TB, p netmodel.Platform) *Definition {
	t.Helper()
	d, err := Get(p)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCatalogLoads(t *testing.T) {
	if _, err := loadCatalog(); err != nil {
		t.Fatal(err)
	}
	want := []netmodel.Platform{netmodel.ESXi, netmodel.Linux, netmodel.IOS, netmodel.NXOS, netmodel.EOS, netmodel.Junos, netmodel.ASA}
	if diff := cmp.Diff(want, Platforms()); diff != "" {
		t.Errorf("Platforms (-want +got):\n%s", diff)
	}
	sessions := map[netmodel.Platform][]Kind{
		netmodel.ESXi:  {Exec},
		netmodel.Linux: {Exec},
		netmodel.IOS:   {Exec, PTY},
		netmodel.Junos: {Exec, PTY},
		netmodel.NXOS:  {PTY},
		netmodel.EOS:   {PTY},
		netmodel.ASA:   {PTY},
	}
	for p, ks := range sessions {
		d := mustGet(t, p)
		if diff := cmp.Diff(ks, d.Sessions); diff != "" || d.Session != ks[0] {
			t.Errorf("%s sessions %v (default %s), want %v", p, d.Sessions, d.Session, ks)
		}
	}
	paging := map[netmodel.Platform]string{
		netmodel.IOS: "terminal length 0", netmodel.NXOS: "terminal length 0", netmodel.EOS: "terminal length 0",
		netmodel.Junos: "set cli screen-length 0", netmodel.ASA: "terminal pager 0",
	}
	for p, l := range paging {
		if d := mustGet(t, p); !slices.Contains(d.PagingOff, l) {
			t.Errorf("%s paging off %v lacks %q", p, d.PagingOff, l)
		}
	}
}

func TestGetRefuses(t *testing.T) {
	for _, p := range []netmodel.Platform{netmodel.PlatformUnknown, netmodel.OVS, "iosxr", "IOS"} {
		if d, err := Get(p); err == nil {
			t.Errorf("Get(%q) = %v, want an error", p, d.Platform)
		}
	}
	_, err := Get(netmodel.OVS)
	if err == nil || !strings.Contains(err.Error(), "linux") {
		t.Errorf("Get(ovs) error %v should point to linux", err)
	}
}

// sampleArgs are names each argument kind must carry through a command and
// back out of the parser's command pattern unchanged.
var sampleArgs = map[string][]string{
	"name":   {"vSwitch0", "VM Network", "DMZ/Web (prod)", "Mgmt#1", "vlan=20,backup"},
	"ifname": {"bond0", "team0.100", "bond_lab-1"},
}

// allLines returns every line the catalog of d can produce, per-object
// commands built with the sample arguments.
func allLines(t *testing.T, d *Definition) []Cmd {
	t.Helper()
	out := d.SessionSetup()
	for _, c := range d.Commands {
		args := []string{""}
		if c.PerObject() {
			args = sampleArgs[c.ArgKind]
		}
		for _, a := range args {
			cmd, err := d.Build(c.Capability, a)
			if err != nil {
				t.Fatalf("%s: Build(%s, %q): %v", d.Platform, c.Capability, a, err)
			}
			out = append(out, cmd)
		}
	}
	return out
}

// TestCommandsReadBack: every collected output is read back by the parser
// of its capability: the line matches that parser's command pattern (the
// bundle loader's first way of recognising an output) with the same
// argument.
func TestCommandsReadBack(t *testing.T) {
	for _, p := range Platforms() {
		d := mustGet(t, p)
		for _, cmd := range allLines(t, d) {
			if cmd.Setup() {
				continue
			}
			c, _ := d.Command(cmd.Capability())
			e := parse.Lookup(c.Parser, c.Capability)
			if e == nil {
				t.Errorf("%s: %s has no parser %s/%s", p, c.Capability, c.Parser, c.Capability)
				continue
			}
			if e.NeedsArg && !c.PerObject() {
				t.Errorf("%s: %s: the parser needs the object's name but the command takes none", p, c.Capability)
			}
			got, arg := parse.MatchCommand(cmd.Line(), c.Parser)
			if got == nil || got.Capability != c.Capability {
				name := "nothing"
				if got != nil {
					name = got.Capability
				}
				t.Errorf("%s: %q is read as %s, want %s", p, cmd.Line(), name, c.Capability)
				continue
			}
			if arg != cmd.Arg() {
				t.Errorf("%s: %q reads back argument %q, want %q", p, cmd.Line(), arg, cmd.Arg())
			}
		}
	}
}

// TestParsersCovered: every parser of a collected platform (ovs: on Linux)
// is either collected or listed as not collected with a reason.
func TestParsersCovered(t *testing.T) {
	for _, e := range parse.Entries() {
		host := e.Platform
		if netmodel.Linux.Carries(host) {
			host = netmodel.Linux
		}
		d, err := Get(host)
		if err != nil {
			t.Errorf("parser %s/%s: platform not collected: %v", e.Platform, e.Capability, err)
			continue
		}
		if why := coverage(d, e); why != "" {
			t.Errorf("%s/%s: %s", e.Platform, e.Capability, why)
		}
	}
}

// coverage says what is wrong with how d covers parser e ("" when fine).
func coverage(d *Definition, e *parse.Entry) string {
	if c, ok := d.Command(e.Capability); ok {
		if c.Parser != e.Platform {
			return "collected on " + string(d.Platform) + " but read by the " + string(c.Parser) + " parser"
		}
		return ""
	}
	for _, s := range d.NotCollected {
		if s.Capability == e.Capability {
			return ""
		}
	}
	return "neither collected on " + string(d.Platform) + " nor listed under not_collected with a reason"
}

func TestCoverageReportsGaps(t *testing.T) {
	d := &Definition{Platform: netmodel.Linux, Commands: []Command{{Capability: "ovs-lacp-show", Parser: netmodel.Linux}}}
	if coverage(d, &parse.Entry{Platform: netmodel.Linux, Capability: "ip-route"}) == "" {
		t.Error("a parser missing from commands and not_collected passed")
	}
	if coverage(d, &parse.Entry{Platform: netmodel.OVS, Capability: "ovs-lacp-show"}) == "" {
		t.Error("an output collected for the wrong parser passed")
	}
	d.NotCollected = []Skipped{{Capability: "ip-route", Reason: "r"}}
	if why := coverage(d, &parse.Entry{Platform: netmodel.Linux, Capability: "ip-route"}); why != "" {
		t.Errorf("not_collected entry not honoured: %s", why)
	}
}

// Words that change a device or start something, as the first word of a
// line or anywhere in it.
var (
	forbiddenFirst = []string{
		"configure", "conf", "config", "edit", "set", "write", "wr", "copy", "reload", "delete", "del",
		"request", "clear", "commit", "rollback", "load", "save", "erase", "format", "debug", "undebug",
		"shutdown", "no", "reboot", "restart", "install", "upgrade", "start", "test", "ping", "traceroute",
		"rm", "mv", "cp", "kill", "tee", "dd", "sed", "sh", "bash", "sudo", "su", "enable", "disable",
		"vim-cmd", "localcli", "esxcfg-advcfg", "systemctl", "service",
	}
	forbiddenAnywhere = []string{
		"set", "add", "del", "delete", "remove", "flush", "reset", "restart", "reload", "clear",
		"shutdown", "up", "down", "stop", "--initiate", "--terminate", "--load-all", "--load-conns",
		"--load-creds", "--reload-settings", "--rekey", "--redirect", "rereadall", "purgeike",
		"redirect", "append", "tee", "save", "commit",
	}
	allowedSet = []string{"set cli screen-length 0", "set cli screen-width 0"}
	// After a CLI "|", only filters that print.
	allowedPipes = []string{"section", "include", "begin", "exclude", "display", "no-more", "count", "match"}
)

// TestNoConfigCommands: nothing in the catalog configures, writes, reloads
// or clears anything.
func TestNoConfigCommands(t *testing.T) {
	for _, p := range Platforms() {
		d := mustGet(t, p)
		for _, cmd := range allLines(t, d) {
			if err := readOnly(d, cmd.Line()); err != "" {
				t.Errorf("%s: %q: %s", p, cmd.Line(), err)
			}
		}
	}
}

func readOnly(d *Definition, line string) string {
	if slices.Contains(allowedSet, line) {
		return ""
	}
	words := strings.Fields(strings.ToLower(line))
	if slices.Contains(forbiddenFirst, words[0]) {
		return "starts with " + words[0]
	}
	for i, w := range words {
		// "| display set" is Junos' output format, not a set command.
		if slices.Contains(forbiddenAnywhere, w) && !(w == "set" && i > 0 && words[i-1] == "display") {
			return "contains " + w
		}
		if strings.HasPrefix(w, "add-") || strings.HasPrefix(w, "del-") || slices.Contains([]string{"create", "destroy", "init", "emer-reset"}, w) {
			return "contains " + w
		}
		if w == "|" && d.Quote == QuoteNone && i+1 < len(words) && !slices.Contains(allowedPipes, words[i+1]) {
			return "pipes into " + words[i+1]
		}
	}
	if strings.ContainsAny(line, ";&$`<>\\\"") {
		return "contains a shell or CLI metacharacter"
	}
	if d.Quote == QuoteShell && strings.Contains(line, "|") {
		return "pipes on a shell"
	}
	if words[0] == "esxcli" && words[len(words)-1] != "list" && !slices.Contains(words, "get") {
		return "an esxcli command other than list/get"
	}
	if words[0] == "ovs-appctl" && !strings.Contains(words[len(words)-1], "/show") {
		return "an ovs-appctl command other than a show"
	}
	if words[0] == "ovs-vsctl" && !slices.Contains(words, "show") && !slices.Contains(words, "list") {
		return "an ovs-vsctl command other than show/list"
	}
	if words[0] == "vtysh" && !vtyshShowOnly(line) {
		return "a vtysh command other than one -c 'show ...'"
	}
	if strings.HasPrefix(words[0], "esxcfg-") && (len(words) != 2 || words[1] != "-l") {
		return "an esxcfg command other than -l"
	}
	if p := d.Platform; (p == netmodel.IOS || p == netmodel.NXOS || p == netmodel.EOS || p == netmodel.ASA || p == netmodel.Junos) &&
		words[0] != "show" && !slices.Contains(d.PagingOff, line) {
		return "a CLI command that is not show"
	}
	return ""
}

// vtyshShowOnly reports whether line is `vtysh -c 'show ...'` and nothing
// else: vtysh runs every -c in turn (a second could configure) and -b / -f
// apply configuration.
func vtyshShowOnly(line string) bool {
	rest, ok := strings.CutPrefix(line, "vtysh -c '")
	if !ok || !strings.HasSuffix(rest, "'") {
		return false
	}
	inner := strings.TrimSuffix(rest, "'")
	return strings.HasPrefix(inner, "show ") && !strings.ContainsAny(inner, "'|")
}

// TestReadOnlyCheckBites proves the check above refuses what it is meant
// to refuse.
func TestReadOnlyCheckBites(t *testing.T) {
	ios, linux, esxi, junos := mustGet(t, netmodel.IOS), mustGet(t, netmodel.Linux), mustGet(t, netmodel.ESXi), mustGet(t, netmodel.Junos)
	for _, c := range []struct {
		d    *Definition
		line string
	}{
		{ios, "configure terminal"}, {ios, "conf t"}, {ios, "write memory"}, {ios, "copy running-config startup-config"},
		{ios, "reload"}, {ios, "clear ip bgp *"}, {ios, "show ip route | redirect flash:x"}, {ios, "show run | tee flash:x"},
		{ios, "terminal monitor"}, {junos, "set system host-name x"}, {junos, "request system reboot"},
		{junos, "show route | save /var/tmp/x"}, {linux, "ip link set bond0 down"}, {linux, "cat /etc/ipsec.conf > /tmp/x"},
		{linux, "swanctl --terminate --ike x"}, {linux, "ovs-vsctl del-port br0 p1"}, {linux, "ip route show | sh"},
		{linux, "ovs-vsctl --format=json list port -- set port p1 tag=5"}, {linux, "ovs-appctl bond/set-active-member bond0 p1"},
		{linux, "ovs-appctl vlog/set dbg"}, {linux, "ovs-vsctl emer-reset"},
		{linux, "vtysh -c 'configure terminal' -c 'no ip route 10.0.0.0/8 eth0'"}, {linux, "vtysh -c 'show ip route' -c 'write memory'"},
		{linux, "vtysh -b"}, {linux, "vtysh -c 'clear ip bgp *'"},
		{esxi, "esxcli network vswitch standard portgroup set -p x --vlan-id 5"}, {esxi, "esxcfg-vswitch -A pg vSwitch0"},
		{esxi, "esxcli network vswitch standard portgroup remove -p x -v vSwitch0"},
	} {
		if readOnly(c.d, c.line) == "" {
			t.Errorf("%s: %q passed the read-only check", c.d.Platform, c.line)
		}
	}
}

// TestCatalogAccepted: Authorize accepts exactly what Build and
// SessionSetup produce.
func TestCatalogAccepted(t *testing.T) {
	for _, p := range Platforms() {
		d := mustGet(t, p)
		for _, cmd := range allLines(t, d) {
			if err := Authorize(p, cmd.Line()); err != nil {
				t.Errorf("%s: catalog line refused: %v", p, err)
			}
			got, err := d.Match(cmd.Line())
			if err != nil || got != cmd {
				t.Errorf("%s: Match(%q) = %+v, %v; want %+v", p, cmd.Line(), got, err, cmd)
			}
		}
	}
}

func TestAuthorizeRefusesHostile(t *testing.T) {
	pg := "esxcli --formatter=xml network vswitch standard portgroup policy failover get -p "
	hostile := map[netmodel.Platform][]string{
		netmodel.IOS: {
			"", "show run; reload", "show running-config; reload", "show ip route\nreload", "show ip route\r\nreload",
			"show ip route\n", "show ip route ", " show ip route", "SHOW IP ROUTE", "sh ip ro", "show ip route\x00",
			"conf t", "configure terminal", "reload", "write memory", "copy running-config startup-config",
			"show ip route | redirect flash:x", "show running-config | section crypto|access-list|interface Tunnel | tee flash:x",
			"terminal length 0; reload", "terminal length 0\nconf t", "show ip route $(reload)", "show ip route `reload`",
			"show running-config", "show interfaces trunk | include Gi1/0/1",
		},
		netmodel.NXOS: {"show run", "configure terminal", "show interface trunk ; reload", "terminal pager 0"},
		netmodel.EOS:  {"show port-channel summary\nconfigure", "bash sudo reboot", "show port-channel summary | json"},
		netmodel.Junos: {
			"set cli screen-length 0; request system reboot", "set cli screen-length 0\nconfigure", "request system reboot",
			"configure", "edit", "set system host-name x", "show route | save /var/tmp/x", "show route | no-more",
			"start shell", "show configuration",
		},
		netmodel.ASA: {"terminal pager 0\nreload", "show running-config | redirect disk0:/x", "write memory", "terminal pager 24"},
		netmodel.Linux: {
			"cat /proc/net/bonding/bond0; reboot", "cat /proc/net/bonding/bond0 && reboot", "cat /proc/net/bonding/bond0|sh",
			"cat /proc/net/bonding/../../etc/shadow", "cat /proc/net/bonding/..", "cat /proc/net/bonding/$(reboot)",
			"cat /proc/net/bonding/`reboot`", "cat /proc/net/bonding/bond0 > /tmp/x", "cat /proc/net/bonding/bond0\nreboot",
			"cat /proc/net/bonding/'bond0'", "cat /proc/net/bonding/bond0 /etc/shadow", "cat /proc/net/bonding/",
			"cat /proc/net/bonding/-n", "cat /proc/net/bonding/bondnamefartoolong0", "teamdctl -D state dump",
			"teamdctl team0 state set", "teamdctl team0;reboot state dump", "ip link set bond0 down", "sudo ip route show table all",
			"ip route show table all && reboot", "cat /etc/ipsec.secrets", "cat /etc/swanctl/swanctl.conf", "reboot",
			"ip -s xfrm state deleteall",
		},
		netmodel.ESXi: {
			pg + "'VM Network'; reboot'", pg + "'x'\"'\"'y'", pg + "\"$(reboot)\"", pg + "'$(reboot)'", pg + "VM Network",
			pg + "'evil'\\''quote'", pg + "-rf", pg + "'a  b'", pg + "''", pg + "'VM Network", pg + "\"VM Network\"",
			pg + "'VM\nNetwork'", pg + "'caf\u00e9'", pg + "VM-Prod ; reboot", pg + "'VM-Prod'", pg + "'x' -v vSwitch0",
			"esxcli network vswitch standard portgroup set -p x --vlan-id 1", "esxcfg-vswitch -l; reboot", "esxcli network nic list",
		},
	}
	for p, lines := range hostile {
		for _, l := range lines {
			err := Authorize(p, l)
			if err == nil {
				t.Errorf("%s: Authorize(%q) accepted", p, l)
				continue
			}
			if !errors.Is(err, ErrNotAllowed) {
				t.Errorf("%s: Authorize(%q) = %v, want ErrNotAllowed", p, l, err)
			}
		}
	}
	for _, p := range []netmodel.Platform{netmodel.OVS, netmodel.PlatformUnknown, "vyos"} {
		if err := Authorize(p, "show version"); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("Authorize(%q, ...) = %v, want ErrNotAllowed", p, err)
		}
	}
}

func TestBuildArgs(t *testing.T) {
	esxi, linux, ios := mustGet(t, netmodel.ESXi), mustGet(t, netmodel.Linux), mustGet(t, netmodel.IOS)
	pg := "esxcli --formatter=xml network vswitch standard portgroup policy failover get -p "
	good := []struct {
		d         *Definition
		cap, arg  string
		want      string
		wantFile  string
		wantSetup bool
	}{
		{esxi, "portgroup-failover", "VM Network", pg + "'VM Network'", "portgroup-failover@VM%20Network", false},
		{esxi, "portgroup-failover", "VM-Prod", pg + "VM-Prod", "portgroup-failover@VM-Prod", false},
		{esxi, "portgroup-failover", "DMZ/Web (prod)", pg + "'DMZ/Web (prod)'", "portgroup-failover@DMZ%2FWeb%20%28prod%29", false},
		{esxi, "vswitch-failover", "vSwitch1", "esxcli --formatter=xml network vswitch standard policy failover get -v vSwitch1", "vswitch-failover@vSwitch1", false},
		{linux, "proc-net-bonding", "bond0", "cat /proc/net/bonding/bond0", "proc-net-bonding@bond0", false},
		{linux, "teamdctl-state", "team0", "teamdctl team0 state dump", "teamdctl-state@team0", false},
		{ios, "show-ip-route", "", "show ip route", "show-ip-route", false},
	}
	for _, g := range good {
		cmd, err := g.d.Build(g.cap, g.arg)
		if err != nil {
			t.Errorf("Build(%s, %q): %v", g.cap, g.arg, err)
			continue
		}
		if cmd.Line() != g.want || cmd.File() != g.wantFile || cmd.Arg() != g.arg || cmd.Capability() != g.cap || cmd.Setup() != g.wantSetup || cmd.Platform() != g.d.Platform {
			t.Errorf("Build(%s, %q) = %q file %q arg %q; want %q file %q", g.cap, g.arg, cmd.Line(), cmd.File(), cmd.Arg(), g.want, g.wantFile)
		}
	}
	bad := []struct {
		d        *Definition
		cap, arg string
	}{
		{esxi, "portgroup-failover", ""},
		{esxi, "portgroup-failover", "x';reboot;'"},
		{esxi, "portgroup-failover", "$(reboot)"},
		{esxi, "portgroup-failover", "`reboot`"},
		{esxi, "portgroup-failover", `say "hi"`},
		{esxi, "portgroup-failover", `back\slash`},
		{esxi, "portgroup-failover", "a\nb"},
		{esxi, "portgroup-failover", "a\rb"},
		{esxi, "portgroup-failover", "tab\there"},
		{esxi, "portgroup-failover", "-rf"},
		{esxi, "portgroup-failover", " leading"},
		{esxi, "portgroup-failover", "trailing "},
		{esxi, "portgroup-failover", "two  spaces"},
		{esxi, "portgroup-failover", "glob*"},
		{esxi, "portgroup-failover", "a|b"},
		{esxi, "portgroup-failover", "a&b"},
		{esxi, "portgroup-failover", "a>b"},
		{esxi, "portgroup-failover", "caf\u00e9"},
		{esxi, "portgroup-failover", strings.Repeat("x", 81)},
		{linux, "proc-net-bonding", "../../etc/shadow"},
		{linux, "proc-net-bonding", "bond0/x"},
		{linux, "proc-net-bonding", "bond 0"},
		{linux, "proc-net-bonding", "bond0123456789ab"},
		{linux, "teamdctl-state", "-D"},
		{ios, "show-ip-route", "vrf x"},
		{ios, "configure", ""},
		{ios, "show-running-config", ""},
	}
	for _, b := range bad {
		if cmd, err := b.d.Build(b.cap, b.arg); err == nil {
			t.Errorf("Build(%s, %q) = %q, want an error", b.cap, b.arg, cmd.Line())
		} else if !errors.Is(err, ErrBadArg) && !errors.Is(err, ErrNotAllowed) {
			t.Errorf("Build(%s, %q): %v is neither ErrBadArg nor ErrNotAllowed", b.cap, b.arg, err)
		}
	}
}

// TestDefinitionCopyCannotWiden: changing a Definition, or making one by
// hand, does not change what Build, Match or SessionSetup produce.
func TestDefinitionCopyCannotWiden(t *testing.T) {
	d := mustGet(t, netmodel.IOS)
	d.Commands[0].Command = "reload"
	d.PagingOff = append(d.PagingOff, "configure terminal")
	d.Quote = QuoteShell
	cmd, err := d.Build(d.Commands[0].Capability, "")
	if err != nil || cmd.Line() == "reload" {
		t.Fatalf("Build after changing the copy = %q, %v", cmd.Line(), err)
	}
	for _, l := range []string{"reload", "configure terminal"} {
		if _, err := d.Match(l); err == nil {
			t.Errorf("Match(%q) accepted after changing the copy", l)
		}
		if err := Authorize(netmodel.IOS, l); err == nil {
			t.Errorf("Authorize(%q) accepted after changing a copy", l)
		}
	}
	for _, c := range d.SessionSetup() {
		if c.Line() == "configure terminal" {
			t.Error("SessionSetup returned a line added to a copy")
		}
	}
	if fresh := mustGet(t, netmodel.IOS); fresh.Commands[0].Command == "reload" || len(fresh.PagingOff) != 2 {
		t.Error("changing a copy changed the catalog")
	}
	hand := &Definition{Platform: netmodel.IOS, Commands: []Command{{Capability: "x", Command: "reload"}}}
	if _, err := hand.Build("x", ""); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("hand-made definition built %v", err)
	}
	var zero Cmd
	if !zero.IsZero() || zero.Setup() {
		t.Error("the zero Cmd must be IsZero and not Setup")
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lines(cmds []Cmd) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.Line())
	}
	return out
}

func TestObjects(t *testing.T) {
	esxi, linux := mustGet(t, netmodel.ESXi), mustGet(t, netmodel.Linux)
	pg := "esxcli --formatter=xml network vswitch standard portgroup policy failover get -p "

	// The demo site's esx01, text form.
	cmds, err := esxi.Objects("portgroup-failover", readTestdata(t, "testdata/esxi-portgroup-list.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{pg + "'Management Network'", pg + "Sniffer", pg + "VM-Dev", pg + "VM-Prod", pg + "vMotion"}
	if diff := cmp.Diff(want, lines(cmds)); diff != "" {
		t.Errorf("port groups (-want +got):\n%s", diff)
	}
	cmds, err = esxi.Objects("vswitch-failover", readTestdata(t, "testdata/esxi-vswitch-standard-list.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"esxcli --formatter=xml network vswitch standard policy failover get -v vSwitch0"}, lines(cmds)); diff != "" {
		t.Errorf("vSwitches (-want +got):\n%s", diff)
	}

	// Hostile names are refused one by one; the good ones still come
	// back, the duplicate once.
	cmds, err = esxi.Objects("portgroup-failover", readTestdata(t, "testdata/esxi-portgroup-list-hostile.xml.txt"))
	want = []string{pg + "'Management Network'", pg + "'DMZ/Web (prod)'", pg + "VM-Prod"}
	if diff := cmp.Diff(want, lines(cmds)); diff != "" {
		t.Errorf("hostile port groups (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrBadArg) {
		t.Fatalf("hostile names: err %v, want ErrBadArg", err)
	}
	for _, n := range []string{`evil';reboot;'`, "$(reboot)", "-rf"} {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("error does not name the refused %q: %v", n, err)
		}
	}

	ipLink := readTestdata(t, "testdata/linux-ip-link-bond-team.json.txt")
	cmds, err = linux.Objects("proc-net-bonding", ipLink)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"cat /proc/net/bonding/bond0", "cat /proc/net/bonding/bond1"}, lines(cmds)); diff != "" {
		t.Errorf("bonds (-want +got):\n%s", diff)
	}
	cmds, err = linux.Objects("teamdctl-state", ipLink)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"teamdctl team0 state dump"}, lines(cmds)); diff != "" {
		t.Errorf("teams (-want +got):\n%s", diff)
	}

	if _, err := linux.Objects("proc-net-bonding", "Cannot open netlink socket: Permission denied\n"); err == nil {
		t.Error("an output that is not ip -j JSON gave no error")
	}
	if _, err := linux.Objects("ip-route", ipLink); err == nil {
		t.Error("Objects on a command without an argument gave no error")
	}
	if _, err := linux.Objects("reboot", ipLink); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("Objects on an unknown capability: %v", err)
	}
}

func TestFailed(t *testing.T) {
	cases := []struct {
		p      netmodel.Platform
		out    string
		failed bool
	}{
		{netmodel.IOS, "show ip rout\n              ^\n% Invalid input detected at '^' marker.\n", true},
		{netmodel.IOS, "% Incomplete command.\n", true},
		{netmodel.NXOS, "                     ^\n% Invalid command at '^' marker.\n", true},
		{netmodel.EOS, "% Invalid input (privileged mode required)\n", true},
		{netmodel.Junos, "\nsyntax error, expecting <command>.\n", true},
		{netmodel.ASA, "ERROR: % Invalid input detected at '^' marker.\n", true},
		{netmodel.ESXi, "Error: Unknown command or namespace network vswitch standard portgroup policy\n", true},
		{netmodel.Linux, "cat: /proc/net/bonding/bond9: No such file or directory\n", true},
		{netmodel.Linux, "bash: line 1: swanctl: command not found\n", true},
		{netmodel.IOS, "Codes: L - local, C - connected\nGateway of last resort is not set\n", false},
		// Failure words deep in real data are data.
		{netmodel.IOS, "interface Gi1/0/1\n\n\n a\n b\n c\n d\n description syntax error desk\n", false},
		{netmodel.Junos, strings.Repeat("ge-0/0/0 up up\n", 10) + "description unknown command\n", false},
	}
	for _, c := range cases {
		if _, got := mustGet(t, c.p).Failed(c.out); got != c.failed {
			t.Errorf("%s Failed(%q) = %v, want %v", c.p, c.out, got, c.failed)
		}
	}
}

func TestPrompts(t *testing.T) {
	cases := []struct {
		p             netmodel.Platform
		prompts, cfgs []string
	}{
		{netmodel.IOS, []string{"sw1#", "sw1>", "acc-stack1.dc1#", "rtr-01# "}, []string{"sw1(config)#", "sw1(config-if)#", "rtr(config-router)#"}},
		{netmodel.NXOS, []string{"nx-core1#", "nx-core1# "}, []string{"nx-core1(config)#", "nx-core1(config-if)# "}},
		{netmodel.EOS, []string{"leaf1#", "leaf1>"}, []string{"leaf1(config)#", "leaf1(config-if-Et1)#"}},
		{netmodel.Junos, []string{"netops@hub-srx>", "root@srx1> "}, []string{"netops@hub-srx#", "root@srx1# "}},
		{netmodel.ASA, []string{"fw#", "fw>", "fw/admin#", "asa-partner# "}, []string{"fw(config)#", "fw(config-tunnel-general)#"}},
		{netmodel.ESXi, []string{"[root@esx01:~] ", "[root@esx01:/tmp]"}, nil},
		{netmodel.Linux, []string{"root@gw1:~# ", "netops@br-swan:~$ ", "[root@gw1 ~]# "}, nil},
	}
	for _, c := range cases {
		d := mustGet(t, c.p)
		for _, s := range c.prompts {
			if !d.Prompt.MatchString(s) {
				t.Errorf("%s: prompt %q not recognised", c.p, s)
			}
			if d.ConfigPrompt != nil && d.ConfigPrompt.MatchString(s) && c.p != netmodel.Junos {
				t.Errorf("%s: operational prompt %q taken for configuration mode", c.p, s)
			}
		}
		for _, s := range c.cfgs {
			if d.ConfigPrompt == nil || !d.ConfigPrompt.MatchString(s) {
				t.Errorf("%s: configuration prompt %q not recognised", c.p, s)
			}
			if d.Prompt.MatchString(s) {
				t.Errorf("%s: configuration prompt %q taken for an operational one", c.p, s)
			}
		}
	}
}

func TestParseCatalogRefuses(t *testing.T) {
	base := `platforms:
  - platform: linux
    sessions: [exec]
    prompt: '[$#] $'
    quote: shell
    failures: ["command not found"]
    commands:
      - capability: ip-link
        command: ip -d -j addr show
`
	cases := map[string]string{
		"unknown key":           base + "        colour: red\n",
		"unknown platform":      strings.Replace(base, "platform: linux", "platform: vyos", 1),
		"ovs platform":          strings.Replace(base, "platform: linux", "platform: ovs", 1),
		"bad session":           strings.Replace(base, "[exec]", "[telnet]", 1),
		"pty without paging":    strings.Replace(base, "[exec]", "[pty]", 1),
		"bad prompt":            strings.Replace(base, "'[$#] $'", "'[$#'", 1),
		"bad quote":             strings.Replace(base, "quote: shell", "quote: double", 1),
		"no failures":           strings.Replace(base, `failures: ["command not found"]`, "failures: []", 1),
		"arg without args":      base + "      - capability: proc-net-bonding\n        command: cat /proc/net/bonding/{arg}\n",
		"args without arg":      base + "      - capability: ip-route\n        command: ip route\n        args: {from: ip-link, pick: bonds, kind: ifname}\n",
		"args from later":       strings.Replace(base, "    commands:\n", "    commands:\n      - capability: proc-net-bonding\n        command: cat /proc/net/bonding/{arg}\n        args: {from: ip-link, pick: bonds, kind: ifname}\n", 1),
		"unknown pick":          base + "      - capability: proc-net-bonding\n        command: cat /proc/net/bonding/{arg}\n        args: {from: ip-link, pick: disks, kind: ifname}\n",
		"pick of other output":  base + "      - capability: proc-net-bonding\n        command: cat /proc/net/bonding/{arg}\n        args: {from: ip-link, pick: portgroups, kind: ifname}\n",
		"unknown kind":          base + "      - capability: proc-net-bonding\n        command: cat /proc/net/bonding/{arg}\n        args: {from: ip-link, pick: bonds, kind: anything}\n",
		"two args":              base + "      - capability: proc-net-bonding\n        command: cat {arg} {arg}\n        args: {from: ip-link, pick: bonds, kind: ifname}\n",
		"newline in command":    base + "      - capability: ip-route\n        command: \"ip route\\nreboot\"\n",
		"duplicate capability":  base + "      - capability: ip-link\n        command: ip -j link show\n",
		"duplicate platform":    base + strings.TrimPrefix(base, "platforms:\n"),
		"foreign parser":        base + "      - capability: ip-route\n        command: ip route\n        parser: ios\n",
		"reasonless skip":       base + "    not_collected:\n      - {capability: ip-route}\n",
		"skip of collected one": base + "    not_collected:\n      - {capability: ip-link, reason: r}\n",
		"no platforms":          "platforms: []\n",
	}
	if _, err := parseCatalog([]byte(base)); err != nil {
		t.Fatalf("base catalog: %v", err)
	}
	for name, y := range cases {
		if _, err := parseCatalog([]byte(y)); err == nil {
			t.Errorf("%s: catalog accepted", name)
		}
	}
}

// FuzzAuthorize: whatever Authorize accepts is exactly a line the catalog
// builds, and never carries a metacharacter or control character.
func FuzzAuthorize(f *testing.F) {
	ps := Platforms()
	for i, p := range ps {
		d, _ := Get(p)
		for _, c := range d.Commands {
			line := c.Command
			if c.PerObject() {
				line = strings.Replace(line, argToken, "'VM Network'", 1)
			}
			f.Add(uint8(i), line)
			f.Add(uint8(i), line+"; reboot")
		}
		for _, l := range d.PagingOff {
			f.Add(uint8(i), l)
		}
	}
	f.Add(uint8(0), "esxcli --formatter=xml network vswitch standard portgroup policy failover get -p '$(x)'")
	meta := regexp.MustCompile("[;&$`<>\\\\\"\\x00-\\x1f\\x7f]")
	f.Fuzz(func(t *testing.T, pi uint8, line string) {
		p := ps[int(pi)%len(ps)]
		if err := Authorize(p, line); err != nil {
			return
		}
		d := mustGet(t, p)
		cmd, err := d.Match(line)
		if err != nil || cmd.Line() != line {
			t.Fatalf("Authorize accepted %q but Match gives %q, %v", line, cmd.Line(), err)
		}
		if meta.MatchString(line) {
			t.Fatalf("accepted %q with a metacharacter", line)
		}
		if cmd.Setup() {
			if !slices.Contains(d.PagingOff, line) {
				t.Fatalf("accepted setup line %q not in paging_off", line)
			}
			return
		}
		again, err := d.Build(cmd.Capability(), cmd.Arg())
		if err != nil || again != cmd {
			t.Fatalf("accepted %q is not what Build(%s, %q) gives: %q, %v", line, cmd.Capability(), cmd.Arg(), again.Line(), err)
		}
	})
}
