package parse

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

var linuxTokenRE = regexp.MustCompile(`REDACTED-L\d+-D[01]-([0-9a-f]{16})`)

// TestXfrmNoKeyMaterial: nothing of the key tokens (nor any key text) may
// reach the model.
func TestXfrmNoKeyMaterial(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob(filepath.Join("testdata", "linux", CapXfrmState, "*.txt"))
	if len(paths) == 0 {
		t.Fatal("no xfrm state fixtures")
	}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		d := &netmodel.Device{Name: "dut", Platform: netmodel.Linux}
		if err := Lookup(netmodel.Linux, CapXfrmState).Apply(strings.NewReader(string(raw)), d, p, ""); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(d.IPsec.ChildSAs) == 0 {
			t.Fatalf("%s: no SA", p)
		}
		b, _ := json.Marshal(d)
		tokens := linuxTokenRE.FindAllStringSubmatch(string(raw), -1)
		if len(tokens) == 0 {
			t.Fatalf("%s: fixture holds no token", p)
		}
		for _, m := range tokens {
			if strings.Contains(string(b), m[1]) {
				t.Errorf("%s: token hash %s in the model", p, m[1])
			}
		}
		if strings.Contains(string(b), "REDACTED") || strings.Contains(string(b), "0x") {
			t.Errorf("%s: key material in the model: %s", p, b)
		}
	}
	// a key that was not redacted is not stored either
	in := "src 10.0.0.1 dst 10.0.0.2\n\tproto esp spi 0x00000101 reqid 7 mode tunnel\n\treplay-window 0\n" +
		"\tauth-trunc hmac(sha256) 0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 128\n" +
		"\tenc cbc(aes) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
	d := &netmodel.Device{}
	if err := Lookup(netmodel.Linux, CapXfrmState).Apply(strings.NewReader(in), d, "f", ""); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(d)
	if strings.Contains(string(b), "0123456789abcdef") || strings.Contains(string(b), "00112233") {
		t.Errorf("key text in the model: %s", b)
	}
}

func TestXfrmAlgorithms(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line string
		want netmodel.Algs
	}{
		{"enc cbc(aes) REDACTED-L16-D0-0123456789abcdef", netmodel.Algs{Encryption: "aes128"}},
		{"enc cbc(aes) REDACTED-L32-D0-0123456789abcdef", netmodel.Algs{Encryption: "aes256"}},
		{"enc cbc(aes) REDACTED-L24-D0-0123456789abcdef (192 bits)", netmodel.Algs{Encryption: "aes192"}},
		{"enc cbc(des3_ede) REDACTED-L24-D0-0123456789abcdef", netmodel.Algs{Encryption: "3des"}},
		{"enc cbc(aes) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", netmodel.Algs{Encryption: "aes256"}},
		{"aead rfc4106(gcm(aes)) REDACTED-L36-D0-0123456789abcdef 128", netmodel.Algs{Encryption: "aes256gcm16"}},
		{"aead rfc4106(gcm(aes)) REDACTED-L20-D0-0123456789abcdef 64", netmodel.Algs{Encryption: "aes128gcm8"}},
		{"auth-trunc hmac(sha256) REDACTED-L32-D0-0123456789abcdef 128", netmodel.Algs{Integrity: "sha256"}},
		{"auth-trunc hmac(md5) REDACTED-L16-D0-0123456789abcdef 96", netmodel.Algs{Integrity: "md5"}},
		{"auth hmac(sha1) REDACTED-L20-D0-0123456789abcdef", netmodel.Algs{Integrity: "sha1"}},
		{"auth-trunc xcbc(aes) REDACTED-L16-D0-0123456789abcdef 96", netmodel.Algs{Integrity: "aesxcbc"}},
	} {
		var s linuxXfrmState
		linuxXfrmAlg(&s, strings.Fields(c.line))
		if s.algs != c.want {
			t.Errorf("%s: got %+v want %+v", c.line, s.algs, c.want)
		}
	}
}

func TestXfrmPairing(t *testing.T) {
	t.Parallel()
	// without the device's addresses: one ChildSA per state, seen from its sender
	d := swanDevice(t, CapXfrmState, "lab-xfrm-manual.txt")
	if len(d.IPsec.ChildSAs) != 6 {
		t.Fatalf("want 6 unpaired SAs, got %d", len(d.IPsec.ChildSAs))
	}
	for _, c := range d.IPsec.ChildSAs {
		if c.State != "unpaired" || c.InSPI != 0 || c.OutSPI == 0 {
			t.Errorf("%+v", c)
		}
	}
	// with them: pairs
	d = &netmodel.Device{Name: "x", Platform: netmodel.Linux,
		Interfaces: []*netmodel.Interface{{Name: "ike0", Addrs: []netip.Prefix{pfx("172.31.0.1/24")}}}}
	if err := swanApply(t, d, CapXfrmPolicy, "lab-xfrm-manual.txt"); err != nil {
		t.Fatal(err)
	}
	if err := swanApply(t, d, CapXfrmState, "lab-xfrm-manual.txt"); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range d.IPsec.ChildSAs {
		got[c.Name] += fmt.Sprintf("in=%08x out=%08x %s %s encap=%v %s sel=%v;", c.InSPI, c.OutSPI, c.Mode, c.Algs, c.Encap, c.State, c.Selectors)
	}
	want := map[string]string{
		"reqid 1": "in=c1a5b002 out=c1a5b001 tunnel aes128/sha256 encap=false  sel=[10.1.0.0/24 === 10.2.0.0/24];",
		"reqid 2": "in=0b0e0002 out=0b0e0001 tunnel aes256gcm16 encap=true  sel=[10.1.2.0/24 === 10.2.2.0/24 (proto tcp, ports any→443)];",
		"reqid 3": "in=00000000 out=3de50001 tunnel 3des/md5 encap=false unpaired sel=[];",
		"reqid 4": "in=00000000 out=7a000001 transport aes256/sha1 encap=false unpaired sel=[172.31.0.1/32 === 172.31.0.2/32 (proto gre, ports any→any)];",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %s\nwant %s", k, got[k], w)
		}
	}
}

func TestXfrmPolicy(t *testing.T) {
	t.Parallel()
	d := swanDevice(t, CapXfrmPolicy, "lab-route-based-gwa.txt")
	if len(d.IPsec.Children) != 2 {
		t.Fatalf("want 2 (socket policies left out): %+v", d.IPsec.Children)
	}
	for _, c := range d.IPsec.Children {
		if !c.RouteBased || c.PolicyBased || len(c.Selectors) != 1 {
			t.Errorf("%+v", c)
		}
	}
	m := swanDevice(t, CapXfrmPolicy, "lab-xfrm-manual.txt")
	if c := swanChildCfg(m, "reqid 1"); c == nil || !c.PolicyBased || len(c.Selectors) != 1 ||
		c.Selectors[0] != (netmodel.Selector{Local: pfx("10.1.0.0/24"), Remote: pfx("10.2.0.0/24")}) {
		t.Errorf("reqid 1: %+v", c)
	}
	if len(m.IPsec.Children) != 3 { // the block policy has no template
		t.Errorf("children: %+v", m.IPsec.Children)
	}
}

func linuxRoutes(t *testing.T, name string) []netmodel.Route {
	t.Helper()
	d := swanDevice(t, CapLinuxRoute, name)
	for i := range d.Routes {
		d.Routes[i].Src = netmodel.Source{}
	}
	return d.Routes
}

func TestLinuxRouteTextAndJSON(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"lab-good-gwa", "lab-route-based-gwa"} {
		a := linuxRoutes(t, base+".txt")
		b := linuxRoutes(t, base+"-json.txt")
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) || len(a) == 0 {
			t.Errorf("%s: text and JSON differ:\n%s\n%s", base, ja, jb)
		}
	}
	rs := linuxRoutes(t, "lab-good-gwa.txt")
	want := []string{
		"220 10.2.0.0/24 invalid IP ipsec0 static 0 true",
		" 0.0.0.0/0 172.31.0.254 ike0 static 200 true",
		" 172.31.0.0/24 invalid IP ike0 connected 0 true",
		" 198.51.100.0/24 invalid IP blackhole static 0 true",
	}
	var got []string
	for _, r := range rs {
		got = append(got, fmt.Sprintf("%s %s %s %s %s %d %v", r.VRF, r.Prefix, r.NextHop, r.Interface, r.Protocol, r.Metric, r.Active))
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("missing %q in\n%s", w, all)
		}
	}
	if strings.Contains(all, "lo ") || strings.Contains(all, "broadcast") {
		t.Errorf("table local / broadcast routes kept:\n%s", all)
	}
}

func TestLinuxRouteForms(t *testing.T) {
	t.Parallel()
	in := "default proto static metric 100\n" +
		"\tnexthop via 10.0.0.1 dev eth0 weight 1\n" +
		"\tnexthop via 10.0.1.1 dev eth1 weight 1 linkdown\n" +
		"default via fe80::1 dev eth0 proto ra metric 1024 expires 1799sec pref medium\n" +
		"unreachable default dev lo proto kernel metric 4294967295 error -101 pref medium\n" +
		"10.9.0.0/16 via inet6 fe80::2 dev eth0 mtu lock 1400\n" +
		"192.0.2.0/24 nhid 7 via 10.0.0.1 dev eth0 table vrf-blue\n"
	d := &netmodel.Device{}
	if err := Lookup(netmodel.Linux, CapLinuxRoute).Apply(strings.NewReader(in), d, "f", ""); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range d.Routes {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s|%s|%d|%v|%d-%d", r.VRF, r.Prefix, r.NextHop, r.Interface, r.Protocol, r.Metric, r.Active, r.Src.Start, r.Src.End))
	}
	want := []string{
		"|0.0.0.0/0|10.0.0.1|eth0|static|100|true|1-3",
		"|0.0.0.0/0|10.0.1.1|eth1|static|100|false|1-3",
		"|::/0|fe80::1|eth0|ra|1024|true|4-4",
		"|::/0|invalid IP|unreachable|kernel|4294967295|true|5-5",
		"|10.9.0.0/16|fe80::2|eth0|static|0|true|6-6",
		"vrf-blue|192.0.2.0/24|10.0.0.1|eth0|static|0|true|7-7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// linuxRouteText makes n routes in `ip route show table all` form.
func linuxRouteText(n int) string {
	var b strings.Builder
	b.Grow(n * 70)
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "10.%d.%d.0/24 via 172.16.%d.1 dev eth%d proto bgp metric 20\n", i>>16&255, i>>8&255, i&255, i%4)
		case 1:
			fmt.Fprintf(&b, "10.%d.%d.0/24 dev eth%d proto kernel scope link src 10.%d.%d.1\n", i>>16&255, i>>8&255, i%4, i>>16&255, i>>8&255)
		case 2:
			fmt.Fprintf(&b, "10.%d.%d.0/24 via 172.16.%d.1 dev ipsec0 table 220 proto static src 10.1.0.1\n", i>>16&255, i>>8&255, i&255)
		default:
			fmt.Fprintf(&b, "local 10.%d.%d.1 dev eth%d table local proto kernel scope host src 10.%d.%d.1\n", i>>16&255, i>>8&255, i%4, i>>16&255, i>>8&255)
		}
	}
	return b.String()
}

// linuxRouteJSON makes n routes in `ip -j route show table all` form.
func linuxRouteJSON(n int) string {
	var b strings.Builder
	b.Grow(n * 110)
	b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"dst":"10.%d.%d.0/24","gateway":"172.16.%d.1","dev":"eth%d","protocol":"bgp","metric":20,"flags":[]}`, i>>16&255, i>>8&255, i&255, i%4)
	}
	b.WriteString("]\n")
	return b.String()
}

func TestLinuxRouteAllocs(t *testing.T) {
	text := linuxRouteText(4000)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	allocs := testing.AllocsPerRun(5, func() {
		rs, err := linuxParseRoutes(NewLinesReader(lines))
		if err != nil || len(rs) != 3000 {
			t.Fatalf("%d routes, %v", len(rs), err)
		}
	})
	if allocs > 2 {
		t.Errorf("%v allocations for 4000 lines: the text parser must not allocate per route", allocs)
	}
}

func BenchmarkLinuxRoute(b *testing.B) {
	for _, n := range []int{1000, 1000000} {
		text := linuxRouteText(n)
		b.Run(fmt.Sprintf("text/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				rs, err := linuxParseRoutes(strings.NewReader(text))
				if err != nil || len(rs) != n*3/4 {
					b.Fatalf("%d routes, %v", len(rs), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/route")
		})
		js := linuxRouteJSON(n)
		b.Run(fmt.Sprintf("json/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(js)))
			for b.Loop() {
				rs, err := linuxParseRoutes(strings.NewReader(js))
				if err != nil || len(rs) != n {
					b.Fatalf("%d routes, %v", len(rs), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/route")
		})
	}
}

func TestLinuxLink(t *testing.T) {
	t.Parallel()
	d := swanDevice(t, CapLinuxLink, "lab-route-based-gwa.txt")
	vti := d.FindInterface("vti0")
	if vti == nil || !vti.Tunnel || !vti.AdminUp || !vti.OperUp || vti.TunnelSrc != netip.MustParseAddr("172.31.0.1") ||
		vti.TunnelDst != netip.MustParseAddr("172.31.0.2") {
		t.Errorf("vti0: %+v", vti)
	}
	if i := d.FindInterface("ike0"); i == nil || i.Tunnel || !i.OperUp {
		t.Errorf("ike0: %+v", i)
	}
	if i := d.FindInterface("gre0"); i == nil || i.AdminUp || i.OperUp {
		t.Errorf("gre0: %+v", i)
	}
	a := swanDevice(t, CapLinuxLink, "lab-good-gwa-addr.txt")
	if i := a.FindInterface("ike0"); i == nil || len(i.Addrs) != 1 || i.Addrs[0] != pfx("172.31.0.1/24") {
		t.Errorf("ike0 addresses: %+v", i)
	}
	if i := a.FindInterface("ipsec0"); i == nil || !i.Tunnel {
		t.Errorf("ipsec0: %+v", i)
	}
}

func TestLinuxCommands(t *testing.T) {
	t.Parallel()
	for cmd, want := range map[string]string{
		"swanctl --list-sas":                        CapSwanctlSAs,
		"swanctl -l --raw":                          CapSwanctlSAs,
		"sudo swanctl --list-sas --ike site":        CapSwanctlSAs,
		"swanctl --list-conns --raw":                CapSwanctlConns,
		"swanctl --list-pols":                       CapSwanctlPols,
		"ipsec statusall":                           CapIPsecStatus,
		"ipsec status":                              CapIPsecStatus,
		"strongswan statusall site":                 CapIPsecStatus,
		"cat /etc/swanctl/swanctl.conf":             CapSwanctlConf,
		"cat /etc/swanctl/conf.d/a.conf":            CapSwanctlConf,
		"cat /etc/ipsec.conf":                       CapIPsecConf,
		"cat /etc/ipsec.conf /etc/ipsec.secrets":    CapIPsecConf,
		"ip xfrm state":                             CapXfrmState,
		"ip -s xfrm state":                          CapXfrmState,
		"ip x s":                                    CapXfrmState,
		"ip xfrm policy":                            CapXfrmPolicy,
		"ip -s x p list":                            CapXfrmPolicy,
		"ip route show table all":                   CapLinuxRoute,
		"ip -j route show table all":                CapLinuxRoute,
		"ip -4 r":                                   CapLinuxRoute,
		"ip route list vrf blue":                    CapLinuxRoute,
		"ip -d -j link show":                        CapLinuxLink,
		"ip -j -d addr":                             CapLinuxLink,
		"ip route get 10.0.0.1":                     "",
		"ip -d link show":                           "",
		"swanctl --initiate --child net":            "",
		"ip xfrm state add src 1.1.1.1 dst 2.2.2.2": "",
		"ip xfrm state list nokeys":                 CapXfrmState,
		"ip xfrm policy list dir out":               CapXfrmPolicy,
	} {
		e, _ := MatchCommand(cmd, netmodel.Linux)
		got := ""
		if e != nil {
			got = e.Capability
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", cmd, got, want)
		}
	}
}

// TestLinuxSignatures: no Linux/strongSwan signature fires on another
// fixture (of any platform), and each Linux fixture is recognised by its
// own, from content alone.
func TestLinuxSignatures(t *testing.T) {
	t.Parallel()
	for _, fx := range fixtures(t) {
		raw, err := os.ReadFile(fx.path)
		if err != nil {
			t.Fatal(err)
		}
		c := Clean(string(raw))
		if fx.platform == netmodel.Linux && c.Command != "" {
			continue // an empty output recognised by its command line
		}
		for _, e := range Entries() {
			if e.Platform != netmodel.Linux {
				continue
			}
			want := e.Platform == fx.platform && e.Capability == fx.capability
			if got := e.Detect(c.Lines); got != want {
				t.Errorf("%s: %s signature says %v, want %v", fx.path, e.Capability, got, want)
			}
		}
	}
}
