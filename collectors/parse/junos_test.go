package parse

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nettui/nettui/internal/netmodel"
)

// junosCmp compares the model's netip values by value.
var junosCmp = cmp.Options{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
}

// junosApply runs text through Clean and the Junos parser of capability.
func junosApply(t testing.TB, capability, text string) (*netmodel.Device, error) {
	t.Helper()
	e := Lookup(netmodel.Junos, capability)
	if e == nil {
		t.Fatalf("no parser for junos/%s", capability)
	}
	c := Clean(text)
	d := &netmodel.Device{Name: "srx1", Platform: netmodel.Junos}
	err := e.Apply(NewLinesReader(c.Lines), d, "f.txt", "")
	return d, err
}

func junosFixture(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/junos/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// junosLineErr checks that err is a *Error at line.
func junosLineErr(t *testing.T, err error, line int, contains string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *parse.Error at line %d", err, err, line)
	}
	if pe.Line != line {
		t.Fatalf("error at line %d (%v), want line %d", pe.Line, pe, line)
	}
	if !strings.Contains(pe.Msg, contains) {
		t.Fatalf("error %q does not say %q", pe.Msg, contains)
	}
}

func TestJunosCommandRE(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmd  string
		want string // capability, "" for none
	}{
		{"show security ike security-associations", CapJunosIKESA},
		{"show security ike security-associations detail", CapJunosIKESA},
		{"show security ike sa detail", CapJunosIKESA},
		{"sh sec ike sec det", CapJunosIKESA},
		{"show security ike security-associations index 6226807 detail", CapJunosIKESA},
		{"show security ike security-associations 198.51.100.7 detail | no-more", CapJunosIKESA},
		{"run show security ike security-associations", CapJunosIKESA},
		{"show security ipsec security-associations", CapJunosIPsecSA},
		{"show security ipsec security-associations detail", CapJunosIPsecSA},
		{"show security ipsec sa detail index 131075", CapJunosIPsecSA},
		{"sh sec ips sec", CapJunosIPsecSA},
		{"show configuration security | display set", CapJunosConfigSec},
		{"show configuration security ike | display set", CapJunosConfigSec},
		{"show configuration | display set", CapJunosConfigSec},
		{"show conf security | disp set | no-more", CapJunosConfigSec},
		{"show configuration interfaces | display set", CapJunosConfigIface},
		{"show configuration interfaces st0 | display set", CapJunosConfigIface},
		{"show route", CapJunosRoute},
		{"show route | display json", CapJunosRoute},
		{"show route | display json | no-more", CapJunosRoute},
		{"show route table inet.0", CapJunosRoute},
		{"show route protocol bgp", CapJunosRoute},
		{"show route 10.36.255.252/32", CapJunosRoute},
		{"sh ro table VPN.inet.0", CapJunosRoute},
		{"show interfaces terse", CapJunosIfTerse},
		{"show interfaces st0 terse", CapJunosIfTerse},
		{"show interfaces terse st0.0", CapJunosIfTerse},
		{"sh int ter", CapJunosIfTerse},

		{"show security ike", ""},
		{"show security ipsec statistics", ""},
		{"show configuration security", ""},
		{"show route summary", ""},
		{"show route extensive", ""},
		{"show route | count", ""},
		{"show interfaces", ""},
		{"show interfaces detail", ""},
		{"show configuration | display xml", ""},
	}
	for _, tt := range tests {
		e, _ := MatchCommand(tt.cmd, netmodel.Junos)
		got := ""
		if e != nil {
			got = e.Capability
		}
		if got != tt.want {
			t.Errorf("%q: matched %q, want %q", tt.cmd, got, tt.want)
		}
	}
}

func TestJunosPolicyBased3x3(t *testing.T) {
	t.Parallel()
	d, err := junosApply(t, CapJunosConfigSec, junosFixture(t, "show-configuration-security/constructed-policy-based-3x3.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.IPsec.Children) != 1 {
		t.Fatalf("children = %d, want 1", len(d.IPsec.Children))
	}
	c := d.IPsec.Children[0]
	if !c.PolicyBased || c.RouteBased || c.IKE != "gw-branch" {
		t.Fatalf("child = %+v, want policy-based on gw-branch", c)
	}
	if len(c.Selectors) != 9 {
		t.Fatalf("selectors = %d (%v), want 9 (3 local × 3 remote, the inbound policy mirroring the outbound)", len(c.Selectors), c.Selectors)
	}
	seen := map[netmodel.Selector]bool{}
	for _, s := range c.Selectors {
		if !strings.HasPrefix(s.Local.String(), "10.1.") || !strings.HasPrefix(s.Remote.String(), "10.2.") {
			t.Errorf("selector %v: local must be HQ (10.1.x), remote the branch (10.2.x)", s)
		}
		seen[s] = true
	}
	if len(seen) != 9 {
		t.Errorf("selectors not distinct: %v", c.Selectors)
	}
	ike := d.IPsec.IKEConfigs[0]
	if !ike.Aggressive || ike.Version != 1 || ike.Auth != "psk" {
		t.Errorf("ike = %+v, want IKEv1 aggressive psk", ike)
	}
	want := []netmodel.Proposal{{Encryption: []string{"3des"}, Integrity: []string{"md5"}, DH: []string{"modp1024"}}}
	if diff := cmp.Diff(want, ike.Proposals); diff != "" {
		t.Errorf("IKE proposals (-want +got):\n%s", diff)
	}
	if c.Lifetime != 86400 || ike.Lifetime != 86400 {
		t.Errorf("lifetimes child %d ike %d, want 86400 both", c.Lifetime, ike.Lifetime)
	}
	if ike.Src != (netmodel.Source{File: "f.txt", Start: 9, End: 11}) || c.Src != (netmodel.Source{File: "f.txt", Start: 17, End: 19}) {
		t.Errorf("sources ike %+v child %+v", ike.Src, c.Src)
	}
}

func TestJunosRouteBasedSt0(t *testing.T) {
	t.Parallel()
	// A whole "show configuration | display set": interfaces and security in
	// one file; the gateway's local address comes from its external interface.
	text := junosFixture(t, "show-configuration-interfaces/constructed-gre-st0-disable.txt") +
		junosFixture(t, "show-configuration-security/constructed-route-based-selectors.txt")
	d, err := junosApply(t, CapJunosConfigSec, text)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*netmodel.ChildConfig{}
	for _, c := range d.IPsec.Children {
		byName[c.Name] = c
	}
	rb := byName["vpn-dc2"]
	if rb == nil || !rb.RouteBased || rb.Interface != "st0.0" || len(rb.Selectors) != 0 || rb.PolicyBased {
		t.Fatalf("vpn-dc2 = %+v, want route-based on st0.0 without selectors", rb)
	}
	px := byName["vpn-dc2-proxy"]
	want := []netmodel.Selector{{Local: netip.MustParsePrefix("10.1.0.0/16"), Remote: netip.MustParsePrefix("10.20.0.0/16")}}
	if px == nil || px.RouteBased || px.Interface != "st0.1" || !cmp.Equal(want, px.Selectors, junosCmp) {
		t.Fatalf("vpn-dc2-proxy = %+v, want proxy-identity selector on st0.1", px)
	}
	if ts := byName["vpn-dc2-ts"]; ts == nil || ts.RouteBased || len(ts.Selectors) != 2 {
		t.Fatalf("vpn-dc2-ts = %+v, want two traffic selectors", ts)
	}
	if got := rb.Proposals[0]; got.Encryption[0] != "aes256gcm16" || len(got.Integrity) != 0 || got.DH[0] != "modp2048" {
		t.Errorf("ESP proposal %+v, want aes256gcm16 without integrity, PFS modp2048", got)
	}
	ike := d.IPsec.IKEConfigs[0]
	if ike.LocalAddr != netip.MustParseAddr("192.0.2.10") || ike.Version != 2 || ike.RemoteAddr != netip.MustParseAddr("198.51.100.7") {
		t.Errorf("ike = %+v, want local 192.0.2.10 (from ge-0/0/0.0), v2, remote 198.51.100.7", ike)
	}
	if i := d.FindInterface("gr-0/0/0.0"); i == nil || !i.Tunnel || i.TunnelDst != netip.MustParseAddr("198.51.100.7") {
		t.Errorf("gr-0/0/0.0 = %+v, want a tunnel to 198.51.100.7", i)
	}
	if i := d.FindInterface("ge-0/0/3.0"); i == nil || i.AdminUp {
		t.Errorf("ge-0/0/3.0 = %+v, want admin down (its port is disabled)", i)
	}
}

func TestJunosPSK(t *testing.T) {
	t.Parallel()
	const tok = "REDACTED-L24-D0-3fa9c1d27b44e0aa"
	const raw = "Sup3rS3cretKeyValue"
	for _, tt := range []struct {
		name, key string
		want      netmodel.Secret
	}{
		{"token", `"` + tok + `"`, netmodel.Secret{Hash: "3fa9c1d27b44e0aa", Length: 24, Src: netmodel.Source{File: "f.txt", Start: 2, End: 2}}},
		{"unredacted", `"` + raw + `"`, netmodel.Secret{Src: netmodel.Source{File: "f.txt", Start: 2, End: 2}}},
		{"hexadecimal token", tok, netmodel.Secret{Hash: "3fa9c1d27b44e0aa", Length: 24, Src: netmodel.Source{File: "f.txt", Start: 2, End: 2}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			kind := "ascii-text"
			if strings.HasPrefix(tt.name, "hex") {
				kind = "hexadecimal"
			}
			text := "set security ike policy POL mode main\n" +
				"set security ike policy POL pre-shared-key " + kind + " " + tt.key + "\n" +
				"set security ike gateway GW ike-policy POL\n" +
				"set security ike gateway GW address 198.51.100.7\n"
			d, err := junosApply(t, CapJunosConfigSec, text)
			if err != nil {
				t.Fatal(err)
			}
			got := d.IPsec.IKEConfigs[0].PSK
			if got != tt.want {
				t.Fatalf("PSK = %+v, want %+v", got, tt.want)
			}
			// Neither the token nor any key text is kept anywhere in the device.
			dump := fmt.Sprintf("%+v", d)
			b, _ := json.Marshal(d)
			for _, s := range []string{tok, raw, "REDACTED-"} {
				if strings.Contains(dump, s) || strings.Contains(string(b), s) {
					t.Errorf("device keeps %q", s)
				}
			}
			for _, c := range d.IPsec.IKEConfigs {
				for _, f := range []string{c.Name, c.LocalID, c.RemoteID, c.Auth} {
					if strings.Contains(f, "REDACTED") || strings.Contains(f, raw) {
						t.Errorf("field %q holds key text", f)
					}
				}
			}
		})
	}
}

func TestJunosErrors(t *testing.T) {
	t.Parallel()
	syntax := "user@srx> show security ike security-associations detial\n" +
		"                                                  ^\n" +
		"syntax error, expecting <command>.\n"
	tests := []struct {
		name, capability, text string
		line                   int
		contains               string
	}{
		{"ike syntax error", CapJunosIKESA, syntax, 3, "refused"},
		{"ike error:", CapJunosIKESA, "error: syntax error: detial\n", 1, "refused"},
		{"ike detail truncated", CapJunosIKESA,
			"IKE peer 198.51.100.7, Index 6226807, Gateway Name: gw\n Role: Resp", 1, "incomplete"},
		{"ike table row cut", CapJunosIKESA,
			"Index   State  Initiator cookie  Responder cookie  Mode           Remote Address\n7877087 UP     412c5a43aad7682b  b6d2", 2, "does not fit"},
		{"ipsec table half", CapJunosIPsecSA,
			"  Total active tunnels: 1\n  ID    Algorithm       SPI      Life:sec/kb  Mon lsys Port  Gateway\n" +
				"  <131073 ESP:aes-cbc-128/sha1 a2fde6d8 2618/ unlim - root 500 35.230.59.183\n", 3, "one direction"},
		{"ipsec detail cut", CapJunosIPsecSA,
			"ID: 131073 Virtual-system: root, VPN Name: vpn-dc2\n  Local Gateway: 192.0.2.10, Remote Gateway: 198.51.100.7\n", 1, "truncated"},
		{"ipsec bad identity", CapJunosIPsecSA,
			"ID: 131073 Virtual-system: root, VPN Name: v\n  Local Identity: ipv4_subnet(any:0,[0..7]=10.1.0.0/33)\n" +
				"  Direction: inbound, SPI: 94337ff7, AUX-SPI: 0\n", 2, "not a prefix"},
		{"ipsec syntax error", CapJunosIPsecSA, "error: syntax error: securty\n", 1, "refused"},
		{"route truncated", CapJunosRoute,
			"inet.0: 1 destinations, 1 routes (1 active, 0 holddown, 0 hidden)\n+ = Active Route, - = Last Active, * = Both\n\n" +
				"10.0.0.0/8         *[Static/5] 4d 07:44:55\n", 4, "no next hop"},
		{"route cut in entry", CapJunosRoute,
			"inet.0: 1 destinations, 1 routes (1 active, 0 holddown, 0 hidden)\n\n10.0.0.0/8         *[Sta", 3, "truncated"},
		{"route syntax error", CapJunosRoute, syntax, 3, "refused"},
		{"route json truncated", CapJunosRoute,
			"{\n    \"route-information\" : [\n    {\n        \"route-table\" : [\n        {\n", 5, "truncated"},
		{"terse syntax error", CapJunosIfTerse, "error: syntax error: tersee\n", 1, "refused"},
		{"terse row cut", CapJunosIfTerse,
			"Interface               Admin Link Proto    Local                 Remote\nge-0/0/0                up", 2, "does not fit"},
		{"config brace form", CapJunosConfigSec, "security {\n    ike {\n", 1, "brace form"},
		{"config syntax error", CapJunosConfigSec, "error: syntax error: securty\n", 1, "refused"},
		{"config unknown address", CapJunosConfigSec,
			"set security ipsec vpn V ike gateway GW\n" +
				"set security policies from-zone trust to-zone untrust policy P match source-address nowhere\n" +
				"set security policies from-zone trust to-zone untrust policy P match destination-address any\n" +
				"set security policies from-zone trust to-zone untrust policy P then permit tunnel ipsec-vpn V\n", 2, "nowhere"},
		{"iface config truncated", CapJunosConfigIface,
			"set interfaces st0 unit 0 family inet address 169.254.0.1/30\nset interfaces gr-0/0/0 unit 0 tunnel destination\n", 2, "truncated"},
		{"iface config syntax error", CapJunosConfigIface, "error: syntax error: interfacs\n", 1, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := junosApply(t, tt.capability, tt.text)
			junosLineErr(t, err, tt.line, tt.contains)
		})
	}
	// Clean itself marks the refusal, for the loader.
	if c := Clean(syntax); c.DeviceErr == nil || c.DeviceErr.Line != 3 {
		t.Errorf("Clean did not mark the refusal: %+v", c.DeviceErr)
	}
}

// junosRouteText is the JSON fixture's inet.0 and inet6.0 written as the
// text form prints them.
const junosRouteText = `
inet.0: 13 destinations, 16 routes (13 active, 0 holddown, 0 hidden)
+ = Active Route, - = Last Active, * = Both

0.0.0.0/0          *[Access-internal/12] 07:41:37, metric 0
                    >  to 10.255.5.1 via em0.0
10.0.0.41/32       *[Direct/0] 07:41:37
                    >  via lo0.0
10.255.5.0/24      *[Direct/0] 07:41:37
                    >  via em0.0
10.255.5.250/32    *[Local/0] 07:41:37
                       Local via em0.0
169.254.0.0/24     *[Direct/0] 07:41:37
                    >  via em1.0
169.254.0.2/32     *[Local/0] 07:41:37
                       Local via em1.0
169.254.127.0/31   *[Direct/0] 01:15:38
                    >  via xe-0/0/0.0
169.254.127.0/32   *[Local/0] 01:15:38
                       Local via xe-0/0/0.0
169.254.127.2/31   *[Direct/0] 01:15:38
                    >  via xe-0/0/1.0
169.254.127.2/32   *[Local/0] 01:15:38
                       Local via xe-0/0/1.0
172.16.1.0/24      *[BGP/170] 01:15:34, localpref 100
                      AS path: 64520 65533 64520 I, validation-state: unverified
                    >  to 169.254.127.1 via xe-0/0/0.0
                    [BGP/170] 01:15:34, localpref 100
                      AS path: 64520 65533 64520 I, validation-state: unverified
                    >  to 169.254.127.3 via xe-0/0/1.0
172.16.2.0/24      *[BGP/170] 01:15:34, localpref 100
                      AS path: 64520 65533 64520 I, validation-state: unverified
                    >  to 169.254.127.1 via xe-0/0/0.0
                    [BGP/170] 01:15:34, localpref 100
                      AS path: 64520 65533 64520 I, validation-state: unverified
                    >  to 169.254.127.3 via xe-0/0/1.0
172.16.3.0/24      *[BGP/170] 01:15:34, localpref 100
                      AS path: 64520 65533 64520 I, validation-state: unverified
                    >  to 169.254.127.1 via xe-0/0/0.0
                    [BGP/170] 01:15:34, localpref 100
                      AS path: 64520 65533 64520 I, validation-state: unverified
                    >  to 169.254.127.3 via xe-0/0/1.0

inet6.0: 2 destinations, 2 routes (2 active, 0 holddown, 0 hidden)
+ = Active Route, - = Last Active, * = Both

fe80::205:860f:fc71:c200/128
                   *[Direct/0] 07:41:37
                    >  via lo0.0
ff02::2/128        *[INET6/0] 07:41:39
                       MultiRecv
`

func TestJunosRouteTextJSONSame(t *testing.T) {
	t.Parallel()
	dj, err := junosApply(t, CapJunosRoute, junosFixture(t, "show-route/suzieq-qfx-dcedge01-json.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dt, err := junosApply(t, CapJunosRoute, junosRouteText)
	if err != nil {
		t.Fatal(err)
	}
	if len(dj.Routes) != 18 {
		t.Fatalf("JSON gave %d routes, want 18", len(dj.Routes))
	}
	noSrc := func(rs []netmodel.Route) []netmodel.Route {
		out := append([]netmodel.Route(nil), rs...)
		for i := range out {
			if !out[i].Src.Valid() || out[i].Src.Start > out[i].Src.End {
				t.Errorf("route %v: bad source %+v", out[i].Prefix, out[i].Src)
			}
			out[i].Src = netmodel.Source{}
		}
		return out
	}
	if diff := cmp.Diff(noSrc(dj.Routes), noSrc(dt.Routes), junosCmp); diff != "" {
		t.Errorf("JSON and text forms differ (-json +text):\n%s", diff)
	}
	// The JSON sources frame each rt object.
	lines := strings.Split(junosFixture(t, "show-route/suzieq-qfx-dcedge01-json.txt"), "\n")
	for _, r := range dj.Routes {
		first, last := strings.TrimSpace(lines[r.Src.Start-1]), strings.TrimSpace(lines[r.Src.End-1])
		if first != "{" || !strings.HasPrefix(last, "}") {
			t.Errorf("route %v source %d-%d does not frame an object: %q … %q", r.Prefix, r.Src.Start, r.Src.End, first, last)
		}
	}
}

func TestJunosMergeOrder(t *testing.T) {
	t.Parallel()
	// Configuration then operational state: terse wins on admin state and
	// keeps the tunnel endpoints the configuration gave.
	d := &netmodel.Device{Name: "srx1", Platform: netmodel.Junos}
	for _, f := range []struct{ capability, path string }{
		{CapJunosConfigIface, "show-configuration-interfaces/constructed-gre-st0-disable.txt"},
		{CapJunosIfTerse, "show-interfaces-terse/constructed-srx-tunnels.txt"},
	} {
		c := Clean(junosFixture(t, f.path))
		if err := Lookup(netmodel.Junos, f.capability).Apply(NewLinesReader(c.Lines), d, f.path, ""); err != nil {
			t.Fatal(err)
		}
	}
	gr := d.FindInterface("gr-0/0/0.0")
	if gr == nil || !gr.Known || !gr.OperUp || gr.TunnelSrc != netip.MustParseAddr("192.0.2.10") {
		t.Fatalf("gr-0/0/0.0 = %+v", gr)
	}
	st1 := d.FindInterface("st0.1")
	if st1 == nil || st1.AdminUp || !st1.Known || !st1.Tunnel {
		t.Fatalf("st0.1 = %+v, want known, admin down tunnel", st1)
	}
	if o1, o2 := Lookup(netmodel.Junos, CapJunosConfigIface).Order, Lookup(netmodel.Junos, CapJunosIfTerse).Order; o1 >= o2 {
		t.Errorf("config order %d not before terse %d", o1, o2)
	}
	// Security configuration comes after the interface state: a gateway
	// without local-address takes its external interface's address.
	c := Clean(junosFixture(t, "show-configuration-security/constructed-route-based-selectors.txt"))
	if err := Lookup(netmodel.Junos, CapJunosConfigSec).Apply(NewLinesReader(c.Lines), d, "sec.txt", ""); err != nil {
		t.Fatal(err)
	}
	if got := d.IPsec.IKEConfigs[0].LocalAddr; got != netip.MustParseAddr("192.0.2.10") {
		t.Errorf("gateway local address %v, want 192.0.2.10 from ge-0/0/0.0", got)
	}
	if o1, o2 := Lookup(netmodel.Junos, CapJunosIfTerse).Order, Lookup(netmodel.Junos, CapJunosConfigSec).Order; o1 >= o2 {
		t.Errorf("terse order %d not before security configuration %d", o1, o2)
	}
}

func TestJunosDetectNoFalseHits(t *testing.T) {
	t.Parallel()
	// Outputs of other Junos commands, and the prompt echoes of these, must
	// not be taken for one of ours by content.
	for _, text := range []string{
		"Interface               Admin Link Description\nge-0/0/0                up    up   uplink\n",
		"set system host-name srx1\nset system root-authentication encrypted-password \"x\"\n",
	} {
		c := Clean(text)
		for _, e := range Entries() {
			if e.Platform != netmodel.Junos || e.Detect == nil {
				continue
			}
			if e.Detect(c.Lines) {
				t.Errorf("%s detects %q", e.Capability, text)
			}
		}
	}
}

// junosRouteBenchText writes n routes in the text form of "show route":
// BGP entries with an AS path, OSPF and static ones, as real tables mix them.
func junosRouteBenchText(n int) []string {
	lines := make([]string, 0, 3*n+4)
	lines = append(lines,
		fmt.Sprintf("inet.0: %d destinations, %d routes (%d active, 0 holddown, 0 hidden)", n, n, n),
		"+ = Active Route, - = Last Active, * = Both", "")
	for i := 0; i < n; i++ {
		pfx := fmt.Sprintf("%d.%d.%d.0/24", 10+(i>>16)%200, (i>>8)&255, i&255)
		switch i % 4 {
		case 0, 1:
			lines = append(lines,
				fmt.Sprintf("%-18s *[BGP/170] 3w3d 03:12:24, MED 12003, localpref 120, from 10.169.14.240", pfx),
				"                      AS path: (65151 65000) I, validation-state: unverified",
				"                    >  to 10.169.14.121 via ge-0/0/1.0")
		case 2:
			lines = append(lines,
				fmt.Sprintf("%-18s *[OSPF/10/10] 1w0d 15:44:41, metric 1202", pfx),
				"                    >  to 10.169.14.121 via ge-0/0/1.0")
		default:
			lines = append(lines,
				fmt.Sprintf("%-18s *[Static/5] 4d 07:44:55", pfx),
				"                    >  via st0.0")
		}
	}
	return lines
}

// BenchmarkJunosRoute parses a routing table of n routes as the loader hands
// it over (lines already split by Clean).
func BenchmarkJunosRoute(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		lines := junosRouteBenchText(n)
		b.Run(fmt.Sprintf("routes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var got int
			for b.Loop() {
				routes, err := junosParseRoute(NewLinesReader(lines))
				if err != nil {
					b.Fatal(err)
				}
				got = len(routes)
			}
			if got != n {
				b.Fatalf("parsed %d routes, want %d", got, n)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "routes/s")
		})
	}
}

func TestJunosRouteJSONAfterEcho(t *testing.T) {
	t.Parallel()
	// A pasted session: the prompt and command, a status line, then JSON;
	// sources still point at the lines of the pasted file.
	text := "user@qfx> show route | display json | no-more\n{master:0}\n" +
		junosFixture(t, "show-route/suzieq-qfx-dcedge01-json.txt")
	d, err := junosApply(t, CapJunosRoute, text)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Routes) != 18 {
		t.Fatalf("%d routes, want 18", len(d.Routes))
	}
	lines := strings.Split(text, "\n")
	for _, r := range d.Routes {
		if strings.TrimSpace(lines[r.Src.Start-1]) != "{" {
			t.Errorf("route %v starts at line %d: %q", r.Prefix, r.Src.Start, lines[r.Src.Start-1])
		}
	}
	if e, _ := Detect(Clean(text), ""); e == nil || e.Capability != CapJunosRoute {
		t.Errorf("not detected as junos show route: %v", e)
	}
}

func TestJunosIdentityForms(t *testing.T) {
	for in, want := range map[string]string{
		"ipv4(gre:0,[0..3]=203.0.113.1)":        "203.0.113.1/32 proto 47",
		"ipv4(0.0.0.0-255.255.255.255)":         "0.0.0.0/0 proto 0",
		"ipv4(10.1.0.0-10.1.0.255)":             "10.1.0.0/24 proto 0",
		"ipv4_subnet(any:0,[0..7]=10.1.0.0/24)": "10.1.0.0/24 proto 0",
	} {
		id, err := junosProxyID1(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := fmt.Sprintf("%s proto %d", id.prefix, id.proto); got != want {
			t.Errorf("%s = %s, want %s", in, got, want)
		}
	}
	if _, err := junosProxyID1("ipv4(10.1.0.1-10.1.0.7)"); err == nil {
		t.Error("a range that is no prefix must be an error")
	}
}

// TestJunosRouteJSONScannerMatchesDecoder: the line scanner used for large
// tables gives the same routes as the encoding/json decoder on every JSON
// fixture.
func TestJunosRouteJSONScannerMatchesDecoder(t *testing.T) {
	paths, _ := filepath.Glob("testdata/junos/show-route/*.txt")
	n := 0
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := Clean(string(raw)).Lines
		first := -1
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "{") {
				first = i
				break
			}
		}
		if first < 0 {
			continue
		}
		n++
		fast, ferr, ok := junosScanRouteJSON(lines, first)
		if !ok {
			t.Errorf("%s: the scanner declined a Junos-printed JSON", p)
			continue
		}
		slow, serr := junosParseRouteJSON(lines, first)
		if diff := cmp.Diff(slow, fast, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
			t.Errorf("%s: scanner differs from decoder (-decoder +scanner):\n%s", p, diff)
		}
		if (ferr == nil) != (serr == nil) {
			t.Errorf("%s: errors differ: %v vs %v", p, ferr, serr)
		}
	}
	if n == 0 {
		t.Fatal("no JSON route fixture")
	}
}
