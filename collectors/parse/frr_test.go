package parse

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nettui/nettui/internal/netmodel"
)

// TestFRRCommandLines: the command lines that produce FRR's route table
// and configuration are read as such — from a shell through vtysh (the
// catalog's form) or typed at the vtysh prompt — and nothing narrower.
func TestFRRCommandLines(t *testing.T) {
	for _, c := range []struct {
		line, capability string
	}{
		{"vtysh -c 'show ip route json'", CapFRRRoute},
		{"vtysh -c 'show ip route'", CapFRRRoute},
		{`vtysh -c "show ip route vrf all json"`, CapFRRRoute},
		{"sudo vtysh --vty_socket /run/frr -c 'show ip route vrf blue'", CapFRRRoute},
		{"show ip route", CapFRRRoute},
		{"sh ip ro json", CapFRRRoute},
		{"vtysh -c 'show running-config'", CapFRRRunConfig},
		{"show running-config", CapFRRRunConfig},
		{"sh run", CapFRRRunConfig},
		{"show ip route 10.2.0.0/24", ""},
		{"show ip route static", ""},
		{"vtysh -c 'show ip route 10.2.0.0/24 json'", ""},
		{"vtysh -c 'show running-config zebra'", ""},
	} {
		e, _ := MatchCommand(c.line, netmodel.FRR)
		got := ""
		if e != nil {
			got = e.Capability
		}
		if got != c.capability {
			t.Errorf("%q: read as %q, want %q", c.line, got, c.capability)
		}
	}
}

// TestFRRDetectWithoutPlatform: FRR outputs pasted into a hand-made
// folder (no platform known) are recognised as FRR's, with or without the
// vtysh prompt and command above them, and the route tables of IOS and ASA
// (whose command line is the same "show ip route") are not taken for FRR's.
func TestFRRDetectWithoutPlatform(t *testing.T) {
	for _, fx := range fixtures(t) {
		raw, err := os.ReadFile(fx.path)
		if err != nil {
			t.Fatal(err)
		}
		got, reason := Detect(Clean(string(raw)), "")
		switch {
		case fx.platform == netmodel.FRR:
			if got == nil || got.Platform != netmodel.FRR || got.Capability != fx.capability {
				t.Errorf("%s: detected as %v (%s), want frr/%s", fx.path, got, reason, fx.capability)
			}
			cmd := map[string]string{CapFRRRoute: "show ip route", CapFRRRunConfig: "show running-config"}[fx.capability]
			if strings.HasSuffix(fx.path, "-json.txt") {
				cmd += " json"
			}
			pasted := "rt1# " + cmd + "\n" + string(raw)
			got, reason = Detect(Clean(pasted), "")
			if got == nil || got.Platform != netmodel.FRR || got.Capability != fx.capability {
				t.Errorf("%s pasted after %q: detected as %v (%s)", fx.path, "rt1# "+cmd, got, reason)
			}
		case got != nil && got.Platform == netmodel.FRR:
			t.Errorf("%s (%s/%s) detected as frr/%s", fx.path, fx.platform, fx.capability, got.Capability)
		}
	}
}

func parseFRRFile(t *testing.T, path string, parse func([]string) ([]netmodel.Route, error)) []netmodel.Route {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := parse(Clean(string(raw)).Lines)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return routes
}

func frrRoutesOf(lines []string) ([]netmodel.Route, error) {
	return frrParseRoutes(NewLinesReader(lines))
}
func frrConfigOf(lines []string) ([]netmodel.Route, error) {
	return frrParseRunConfig(NewLinesReader(lines))
}

// TestFRRTextAndJSONAgree: the recorded `show ip route` and `show ip route
// json` of the same router give the same routes (sources aside).
func TestFRRTextAndJSONAgree(t *testing.T) {
	dir := filepath.Join("testdata", "frr", CapFRRRoute)
	text := parseFRRFile(t, filepath.Join(dir, "lab-rt1.txt"), frrRoutesOf)
	js := parseFRRFile(t, filepath.Join(dir, "lab-rt1-json.txt"), frrRoutesOf)
	for _, rs := range [][]netmodel.Route{text, js} {
		for i := range rs {
			rs[i].Src = netmodel.Source{}
		}
	}
	if !slices.Equal(text, js) {
		t.Errorf("text and JSON differ:\ntext %+v\njson %+v", text, js)
	}
	if len(text) != 11 {
		t.Errorf("%d routes, want 11 (10 prefixes, one of them ECMP)", len(text))
	}
}

// TestFRRRecordedSemantics checks, on the recorded router, what the rules
// rely on: a recursive static keeps its own next hop without an interface
// (the resolving next hop is not a route of its own), ECMP gives one route
// per next hop, the blackhole is one, and the configuration holds the two
// statics the RIB lacks (their next hops do not resolve).
func TestFRRRecordedSemantics(t *testing.T) {
	rib := parseFRRFile(t, filepath.Join("testdata", "frr", CapFRRRoute, "lab-rt1-json.txt"), frrRoutesOf)
	by := map[string][]netmodel.Route{}
	for _, r := range rib {
		by[r.Prefix.String()] = append(by[r.Prefix.String()], r)
	}
	if rs := by["10.2.2.0/24"]; len(rs) != 1 || rs[0].NextHop != netip.MustParseAddr("10.2.0.5") || rs[0].Interface != "" || !rs[0].Active {
		t.Errorf("recursive static: %+v", rs)
	}
	if rs := by["10.2.4.0/24"]; len(rs) != 2 || rs[0].Interface != "eth0" || rs[1].Interface != "up0" {
		t.Errorf("ECMP static: %+v", rs)
	}
	if rs := by["198.51.100.0/24"]; len(rs) != 1 || rs[0].Interface != "blackhole" || rs[0].NextHop.IsValid() {
		t.Errorf("blackhole: %+v", rs)
	}
	if rs := by["10.1.0.0/24"]; len(rs) != 1 || rs[0].Protocol != "connected" || rs[0].Interface != "lan0" {
		t.Errorf("connected: %+v", rs)
	}
	for _, p := range []string{"10.3.0.0/24", "10.7.0.0/24", "10.8.0.0/24"} {
		if len(by[p]) > 0 {
			t.Errorf("%s is in the RIB: %+v", p, by[p])
		}
	}
	conf := parseFRRFile(t, filepath.Join("testdata", "frr", CapFRRRunConfig, "lab-rt1.txt"), frrConfigOf)
	want := map[string]string{"10.3.0.0/24": "10.9.9.9", "10.7.0.0/24": "198.18.0.1"}
	for _, r := range conf {
		if !r.Configured || r.Active || r.Protocol != "static" {
			t.Errorf("configured static %+v: want Configured, not Active, static", r)
		}
		if nh, ok := want[r.Prefix.String()]; ok && r.VRF == "" {
			if r.NextHop.String() != nh {
				t.Errorf("%s via %s, want %s", r.Prefix, r.NextHop, nh)
			}
			delete(want, r.Prefix.String())
		}
	}
	if len(want) > 0 {
		t.Errorf("configured statics missing: %v", want)
	}
}

// TestFRRRoutesJSONVRFs: `show ip route vrf all json` as releases print it
// with several VRFs — wrapped in an object per VRF name, or one table
// object after the other — gives each route its VRF. The inputs are built
// from the recorded entries (the lab kernel has no VRF devices).
func TestFRRRoutesJSONVRFs(t *testing.T) {
	entry := func(pfx, vrf, nh, ifc string) string {
		return `"` + pfx + `":[{"prefix":"` + pfx + `","prefixLen":24,"protocol":"static","vrfName":"` + vrf +
			`","selected":true,"distance":1,"metric":0,"installed":true,"nexthops":[{"fib":true,"ip":"` + nh +
			`","afi":"ipv4","interfaceName":"` + ifc + `","active":true,"weight":1}]}]`
	}
	wrapped := "{\n\"default\":{\n" + entry("10.2.0.0/24", "default", "10.9.0.2", "eth0") + "\n},\n\"blue\":{\n" + entry("10.8.0.0/24", "blue", "10.9.1.2", "eth1") + "\n}\n}\n"
	concatenated := "{\n" + entry("10.2.0.0/24", "default", "10.9.0.2", "eth0") + "\n}\n{\n" + entry("10.8.0.0/24", "blue", "10.9.1.2", "eth1") + "\n}\n"
	for name, in := range map[string]string{"wrapped": wrapped, "concatenated": concatenated} {
		routes, err := frrParseRoutes(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(routes) != 2 || routes[0].VRF != "" || routes[1].VRF != "blue" || routes[1].Interface != "eth1" || !routes[1].Active {
			t.Errorf("%s: %+v", name, routes)
		}
		if routes[1].Src.Start < 4 {
			t.Errorf("%s: second route's source starts at line %d", name, routes[1].Src.Start)
		}
	}
	if _, err := frrParseRoutes(strings.NewReader("{\n\"10.0.0.0/8\":[{\"prefix\":\"10.0.0.0/8\",\n")); err == nil {
		t.Error("truncated JSON: no error")
	}
}

// TestFRRRoutesTextForms covers text lines the recorded router does not
// print: VRF headings, an inactive next hop, a non-selected route, a
// recursive next hop resolved two levels deep, an ICMP-unreachable route.
// The lines follow the layout of the recorded output (zebra_vty.c).
func TestFRRRoutesTextForms(t *testing.T) {
	in := strings.Join([]string{
		"VRF default:",
		"S>* 10.2.0.0/24 [1/0] via 10.9.0.2, eth0, weight 1, 00:00:38",
		"S   10.5.0.0/24 [1/0] via 10.9.0.2 inactive, weight 1, 00:00:38",
		"O   10.1.0.0/24 [110/10] is directly connected, lan0, weight 1, 00:01:00",
		"B>  10.6.0.0/16 [20/0] via 10.2.0.5 (recursive), weight 1, 00:00:39",
		"  *                      via 10.2.0.5 (recursive), weight 1, 00:00:39",
		"  *                        via 10.9.0.2, eth0, weight 1, 00:00:39",
		"S>* 203.0.113.0/24 [1/0] unreachable (ICMP unreachable), weight 1, 00:00:39",
		"",
		"VRF blue:",
		"C>* 10.8.0.0/24 is directly connected, eth1, 00:00:39",
	}, "\n")
	routes, err := frrParseRoutes(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		VRF, Prefix, NextHop, Interface, Protocol string
		Distance, Metric                          int
		Active                                    bool
		Line                                      int
	}
	var got []row
	for _, r := range routes {
		nh := ""
		if r.NextHop.IsValid() {
			nh = r.NextHop.String()
		}
		got = append(got, row{r.VRF, r.Prefix.String(), nh, r.Interface, r.Protocol, r.Distance, r.Metric, r.Active, r.Src.Start})
	}
	want := []row{
		{"", "10.2.0.0/24", "10.9.0.2", "eth0", "static", 1, 0, true, 2},
		{"", "10.5.0.0/24", "10.9.0.2", "", "static", 1, 0, false, 3},
		{"", "10.1.0.0/24", "", "lan0", "ospf", 110, 10, false, 4},
		{"", "10.6.0.0/16", "10.2.0.5", "", "bgp", 20, 0, true, 5},
		{"", "203.0.113.0/24", "", "unreachable", "static", 1, 0, true, 8},
		{"blue", "10.8.0.0/24", "", "eth1", "connected", 0, 0, true, 11},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	if _, err := frrParseRoutes(strings.NewReader("S>* 10.2.0.0/24 [1/0] via 10.9.0.2, eth0\nS>* nonsense\n")); err == nil || !strings.HasPrefix(err.Error(), "line 2:") {
		t.Errorf("bad line: error %v, want one at line 2", err)
	}
}

// TestFRRRunConfigForms covers static-route forms FRR accepts and prints
// (frr-reload and staticd's "ip route" grammar).
func TestFRRRunConfigForms(t *testing.T) {
	in := strings.Join([]string{
		"frr version 8.4.4",
		"ip route 10.1.0.0 255.255.255.0 10.9.0.2",
		"ip route 10.2.0.0/24 10.9.0.2 eth0 tag 7 200",
		"ip route 10.3.0.0/24 Null0",
		"ip route 10.4.0.0/24 reject 254",
		"ip route 10.5.0.0/24 ipsec0",
		"ip route 10.6.0.0/24 10.9.0.9 vrf red nexthop-vrf default",
		"ipv6 route 2001:db8::/32 2001:db8:ffff::1",
		"vrf blue",
		" ip route 10.8.0.0/24 10.9.1.2",
		"exit-vrf",
		"ip route 10.9.0.0/24 10.9.0.2 eth0 frobnicate",
	}, "\n")
	routes, err := frrParseRunConfig(strings.NewReader(in))
	if err == nil || !strings.HasPrefix(err.Error(), "line 12:") {
		t.Errorf("error %v, want one at line 12 (unknown word)", err)
	}
	type row struct {
		VRF, Prefix, NextHop, Interface string
		Distance                        int
	}
	var got []row
	for _, r := range routes {
		nh := ""
		if r.NextHop.IsValid() {
			nh = r.NextHop.String()
		}
		got = append(got, row{r.VRF, r.Prefix.String(), nh, r.Interface, r.Distance})
	}
	want := []row{
		{"", "10.1.0.0/24", "10.9.0.2", "", 1},
		{"", "10.2.0.0/24", "10.9.0.2", "eth0", 200},
		{"", "10.3.0.0/24", "", "blackhole", 1},
		{"", "10.4.0.0/24", "", "unreachable", 254},
		{"", "10.5.0.0/24", "", "ipsec0", 1},
		{"red", "10.6.0.0/24", "10.9.0.9", "", 1},
		{"", "2001:db8::/32", "2001:db8:ffff::1", "", 1},
		{"blue", "10.8.0.0/24", "10.9.1.2", "", 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statics (-want +got):\n%s", diff)
	}
}

// FuzzFRR feeds arbitrary text to the FRR parsers, seeded with the
// recorded outputs: no panic, an error's line is within the input, every
// route has a valid masked prefix and a protocol, and a configured static
// is never active.
func FuzzFRR(f *testing.F) {
	for _, fx := range fixtures(f) {
		if fx.platform != netmodel.FRR {
			continue
		}
		raw, err := os.ReadFile(fx.path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(fx.capability == CapFRRRunConfig, string(raw))
	}
	f.Fuzz(func(t *testing.T, config bool, raw string) {
		parse := frrParseRoutes
		if config {
			parse = frrParseRunConfig
		}
		routes, err := parse(strings.NewReader(raw))
		if pe, ok := err.(*Error); ok && (pe.Line < 0 || pe.Line > strings.Count(raw, "\n")+1) {
			t.Fatalf("error line %d outside the input", pe.Line)
		}
		for _, r := range routes {
			if !r.Prefix.IsValid() || r.Prefix != r.Prefix.Masked() || r.Protocol == "" {
				t.Fatalf("route %+v: bad prefix or no protocol", r)
			}
			if r.Configured && r.Active {
				t.Fatalf("configured static %+v is active", r)
			}
		}
	})
}
