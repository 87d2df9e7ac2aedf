package capture

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

var (
	filterMacA = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x0f, 0x01}
	filterMacB = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x0f, 0x02}
	lacpDst    = net.HardwareAddr{0x01, 0x80, 0xc2, 0x00, 0x00, 0x02}
	stpDst     = net.HardwareAddr{0x01, 0x80, 0xc2, 0x00, 0x00, 0x00}
)

// filterFrame serializes layers into a frame.
func filterFrame(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// testLACPDU is an LACPDU from src, tagged with vlan when vlan > 0.
func testLACPDU(t testing.TB, src net.HardwareAddr, key uint16, vlan uint16) []byte {
	l := &LACP{Version: 1, CollectorMaxDelay: 5,
		Actor:   LACPInfo{SystemPriority: 32768, System: [6]byte(src), Key: key, PortPriority: 255, Port: 3, State: LACPStateActivity | LACPStateAggregation | LACPStateSync},
		Partner: LACPInfo{SystemPriority: 1, System: [6]byte{0, 0x1c, 0x73, 9, 8, 7}, Key: 0x1001, PortPriority: 128, Port: 0x0107, State: 0x3d}}
	eth := &layers.Ethernet{SrcMAC: src, DstMAC: lacpDst, EthernetType: EthernetTypeSlowProtocols}
	if vlan > 0 {
		eth.EthernetType = layers.EthernetTypeDot1Q
		return filterFrame(t, eth, &layers.Dot1Q{VLANIdentifier: vlan, Type: EthernetTypeSlowProtocols}, l)
	}
	return filterFrame(t, eth, l)
}

// testUDP4 is an IPv4 UDP frame, tagged with vlan when vlan > 0.
func testUDP4(t testing.TB, src net.HardwareAddr, dstIP net.IP, sport, dport layers.UDPPort, vlan uint16) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{198, 51, 100, 7}, DstIP: dstIP}
	u := &layers.UDP{SrcPort: sport, DstPort: dport}
	u.SetNetworkLayerForChecksum(ip)
	eth := &layers.Ethernet{SrcMAC: src, DstMAC: filterMacB, EthernetType: layers.EthernetTypeIPv4}
	payload := gopacket.Payload([]byte("nettui live capture test"))
	if vlan > 0 {
		eth.EthernetType = layers.EthernetTypeDot1Q
		return filterFrame(t, eth, &layers.Dot1Q{VLANIdentifier: vlan, Type: layers.EthernetTypeIPv4}, ip, u, payload)
	}
	return filterFrame(t, eth, ip, u, payload)
}

// testESP is an IPv4 ESP frame to dstIP.
func testESP(t testing.TB, dstIP net.IP) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolESP, SrcIP: net.IP{198, 51, 100, 7}, DstIP: dstIP}
	esp := gopacket.Payload([]byte{0, 0, 0x10, 0x01, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef})
	return filterFrame(t, &layers.Ethernet{SrcMAC: filterMacA, DstMAC: filterMacB, EthernetType: layers.EthernetTypeIPv4}, ip, esp)
}

func needTcpdump(t *testing.T) {
	t.Helper()
	if _, err := findTcpdump(); err != nil {
		t.Fatal("tcpdump is needed to compile capture filters (install the tcpdump package):", err)
	}
}

func compile(t *testing.T, filter string) []bpf.RawInstruction {
	t.Helper()
	prog, err := CompileFilter(context.Background(), filter)
	if err != nil {
		t.Fatalf("CompileFilter(%q): %v", filter, err)
	}
	if len(prog) == 0 {
		t.Fatalf("CompileFilter(%q): empty program", filter)
	}
	return prog
}

func match(t *testing.T, prog []bpf.RawInstruction, frame []byte) bool {
	t.Helper()
	ok, err := MatchFilter(prog, frame)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestCompileFilterLACP(t *testing.T) {
	needTcpdump(t)
	prog := compile(t, "ether proto 0x8809")
	// ldh [12]; jeq #0x8809
	if prog[0] != (bpf.RawInstruction{Op: 0x28, K: 12}) {
		t.Errorf("first instruction %+v, want ldh [12] (the ethertype)", prog[0])
	}
	if r := prog[1]; r.Op != 0x15 || r.K != 0x8809 { // jmp|jeq|k
		t.Errorf("second instruction %+v, want jeq #0x8809", r)
	}
	if !match(t, prog, testLACPDU(t, filterMacA, 7, 0)) {
		t.Error("LACPDU rejected")
	}
	if match(t, prog, testUDP4(t, filterMacA, net.IP{192, 0, 2, 1}, 500, 500, 0)) {
		t.Error("IPv4 UDP frame accepted")
	}
	// As in a saved capture: the tag is in place, the ethertype is 0x8100.
	if match(t, prog, testLACPDU(t, filterMacA, 7, 10)) {
		t.Error("VLAN-tagged LACPDU accepted by a filter without 'vlan'")
	}
}

func TestCompileFilterVLAN(t *testing.T) {
	needTcpdump(t)
	prog := compile(t, "vlan 10")
	var tpid, vid bool
	for _, r := range prog {
		if r.Op == 0x15 { // jmp|jeq|k
			tpid = tpid || r.K == 0x8100
			vid = vid || r.K == 10
		}
	}
	if !tpid || !vid {
		t.Errorf("program does not test TPID 0x8100 and VLAN 10: %v", prog)
	}
	for _, c := range []struct {
		name  string
		frame []byte
		want  bool
	}{
		{"udp vlan 10", testUDP4(t, filterMacA, net.IP{192, 0, 2, 1}, 53, 53, 10), true},
		{"lacp vlan 10", testLACPDU(t, filterMacA, 1, 10), true},
		{"udp vlan 20", testUDP4(t, filterMacA, net.IP{192, 0, 2, 1}, 53, 53, 20), false},
		{"udp untagged", testUDP4(t, filterMacA, net.IP{192, 0, 2, 1}, 53, 53, 0), false},
	} {
		if got := match(t, prog, c.frame); got != c.want {
			t.Errorf("%s: accepted=%v, want %v", c.name, got, c.want)
		}
	}
}

func TestCompileFilterIPsec(t *testing.T) {
	needTcpdump(t)
	// pcap-filter: 'and' and 'or' have the same precedence, left to right:
	// ((esp or udp port 500) or udp port 4500) and host 192.0.2.1.
	prog := compile(t, "esp or udp port 500 or udp port 4500 and host 192.0.2.1")
	peer, other := net.IP{192, 0, 2, 1}, net.IP{203, 0, 113, 9}
	for _, c := range []struct {
		name  string
		frame []byte
		want  bool
	}{
		{"ike to peer", testUDP4(t, filterMacA, peer, 500, 500, 0), true},
		{"nat-t to peer", testUDP4(t, filterMacA, peer, 4500, 4500, 0), true},
		{"esp to peer", testESP(t, peer), true},
		{"esp elsewhere", testESP(t, other), false},
		{"ike elsewhere", testUDP4(t, filterMacA, other, 500, 500, 0), false},
		{"dns to peer", testUDP4(t, filterMacA, peer, 53, 53, 0), false},
		{"lacp", testLACPDU(t, filterMacA, 1, 0), false},
	} {
		if got := match(t, prog, c.frame); got != c.want {
			t.Errorf("%s: accepted=%v, want %v", c.name, got, c.want)
		}
	}
}

func TestCompileFilterEtherDst(t *testing.T) {
	needTcpdump(t)
	prog := compile(t, "ether dst 01:80:c2:00:00:00")
	bpdu := filterFrame(t, &layers.Ethernet{SrcMAC: filterMacA, DstMAC: stpDst, EthernetType: layers.EthernetTypeLLC, Length: 38},
		&layers.LLC{DSAP: 0x42, SSAP: 0x42, Control: 3}, gopacket.Payload(make([]byte, 35)))
	if !match(t, prog, bpdu) {
		t.Error("frame to 01:80:c2:00:00:00 rejected")
	}
	if match(t, prog, testLACPDU(t, filterMacA, 1, 0)) {
		t.Error("LACPDU (to 01:80:c2:00:00:02) accepted")
	}
}

func TestCompileFilterEmpty(t *testing.T) {
	for _, f := range []string{"", "   "} {
		prog, err := CompileFilter(context.Background(), f)
		if err != nil || prog != nil {
			t.Errorf("CompileFilter(%q) = %v, %v; want no program", f, prog, err)
		}
	}
	if ok, err := MatchFilter(nil, []byte{1, 2, 3}); !ok || err != nil {
		t.Errorf("MatchFilter(nil) = %v, %v", ok, err)
	}
}

func TestCompileFilterInvalid(t *testing.T) {
	needTcpdump(t)
	for _, f := range []string{"ether proto", "vlan 5000", "host", "udp port 99999", "tcp and ("} {
		_, err := CompileFilter(context.Background(), f)
		var fe *FilterError
		if !errors.As(err, &fe) || !errors.Is(err, ErrFilter) {
			t.Errorf("CompileFilter(%q) = %v; want a *FilterError", f, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "cannot be applied") || !strings.Contains(msg, "tcpdump: ") || !strings.Contains(msg, f) {
			t.Errorf("CompileFilter(%q): unclear error %q", f, msg)
		}
	}
}

// fakeTcpdump puts a tcpdump on PATH that records each run in the returned
// file and prints a one-instruction program.
func fakeTcpdump(t *testing.T) (ran string) {
	dir := t.TempDir()
	ran = filepath.Join(dir, "ran")
	script := fmt.Sprintf("#!/bin/sh\necho \"$@\" >> %s\necho 1\necho 6 0 0 262144\n", ran)
	if err := os.WriteFile(filepath.Join(dir, "tcpdump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	old := tcpdumpPaths
	tcpdumpPaths = nil
	t.Cleanup(func() { tcpdumpPaths = old })
	return ran
}

func TestCompileFilterRefusesHostileInput(t *testing.T) {
	ran := fakeTcpdump(t)
	for _, f := range []string{
		"-w /tmp/x", " -w /tmp/x", "--help", "; rm -rf /", "host 192.0.2.1; rm -rf /",
		"host $(id)", "host `id`", "host 'a'", "host \"a\"", "tcp\nport 22", "tcp\x00", "udp\tport 53",
		"host a # comment", "ether host ü", strings.Repeat("tcp or ", 200) + "udp",
	} {
		_, err := CompileFilter(context.Background(), f)
		if !errors.Is(err, ErrFilter) || !strings.Contains(err.Error(), "cannot be applied") {
			t.Errorf("CompileFilter(%q) = %v; want it refused", f, err)
		}
		if _, err := os.Stat(ran); err == nil {
			b, _ := os.ReadFile(ran)
			t.Fatalf("tcpdump ran for %q: %s", f, b)
		}
	}
	// The fake is used for a valid filter, so the checks above mean something;
	// the expression goes after "--", as one argument.
	if _, err := CompileFilter(context.Background(), `ether proto \ip and tcp[13] & 2 != 0`); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(ran)
	if err != nil || string(b) != "-ddd -y EN10MB -- ether proto \\ip and tcp[13] & 2 != 0\n" {
		t.Fatalf("fake tcpdump args %q, %v", b, err)
	}
}

func TestCompileFilterWithoutTcpdump(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	old := tcpdumpPaths
	tcpdumpPaths = nil
	t.Cleanup(func() { tcpdumpPaths = old })
	_, err := CompileFilter(context.Background(), "ether proto 0x8809")
	if !errors.Is(err, ErrFilter) || !strings.Contains(err.Error(), "tcpdump") || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("got %v", err)
	}
	// A live capture does not fall back to capturing everything.
	if s, err := OpenLive("lo", "ether proto 0x8809", 0); err == nil || !errors.Is(err, ErrFilter) {
		if s != nil {
			s.Close()
		}
		t.Errorf("OpenLive without tcpdump: %v; want the filter error", err)
	}
}

func TestParseBPF(t *testing.T) {
	files, _ := filepath.Glob("testdata/filter/*.ddd")
	if len(files) == 0 {
		t.Fatal("no testdata/filter/*.ddd")
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := ParseBPF(b)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if n := strings.Count(strings.TrimSpace(string(b)), "\n"); len(prog) != n {
			t.Errorf("%s: %d instructions, want %d", p, len(prog), n)
		}
	}
	b, _ := os.ReadFile("testdata/filter/lacp.ddd")
	prog, _ := ParseBPF(b)
	want := []bpf.RawInstruction{{Op: 40, K: 12}, {Op: 21, Jf: 1, K: 34825}, {Op: 6, K: 262144}, {Op: 6}}
	if fmt.Sprint(prog) != fmt.Sprint(want) {
		t.Errorf("lacp.ddd: %v, want %v", prog, want)
	}
	for _, bad := range []string{"", "0\n", "x\n", "2\n6 0 0 1\n", "1\n6 0 0\n", "1\n6 0 0 1\n6 0 0 1\n",
		"1\n70000 0 0 1\n", "1\n6 256 0 1\n", "1\n6 0 0 4294967296\n", "1\n6 0 0 -1\n", "5000\n"} {
		if _, err := ParseBPF([]byte(bad)); err == nil {
			t.Errorf("ParseBPF(%q) accepted", bad)
		}
	}
}

func FuzzParseBPF(f *testing.F) {
	files, _ := filepath.Glob("testdata/filter/*.ddd")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("1\n6 0 0 0\n"))
	f.Add([]byte("2\n6 0 0 0\n"))
	f.Add([]byte("1 \n 6  0 0 65535 \n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		prog, err := ParseBPF(b)
		if err != nil {
			return
		}
		if len(prog) == 0 || len(prog) > maxBPFInstructions {
			t.Fatalf("%d instructions", len(prog))
		}
		var sb strings.Builder
		fmt.Fprintf(&sb, "%d\n", len(prog))
		for _, r := range prog {
			fmt.Fprintf(&sb, "%d %d %d %d\n", r.Op, r.Jt, r.Jf, r.K)
		}
		again, err := ParseBPF([]byte(sb.String()))
		if err != nil || fmt.Sprint(again) != fmt.Sprint(prog) {
			t.Fatalf("round trip: %v, %v != %v", err, again, prog)
		}
		// The interpreter must refuse or run any parsed program without panicking.
		if vm, err := newFilterVM(prog); err == nil {
			_, _ = vm.Run(make([]byte, 64))
		}
	})
}

func TestValidateFilter(t *testing.T) {
	for _, f := range []string{"", "ether proto 0x8809", "vlan 10", "ether dst 01:80:c2:00:00:00",
		"esp or udp port 500 or udp port 4500 and host 192.0.2.1", "net 10.0.0.0/8 and not (tcp port 22)",
		"ip6 host fe80::1", `ether proto \arp`, "tcp[tcpflags] & (tcp-syn|tcp-ack) != 0", "len <= 128 && !icmp"} {
		if err := ValidateFilter(f); err != nil {
			t.Errorf("ValidateFilter(%q): %v", f, err)
		}
	}
}

func TestSourceInterfaceRunSource(t *testing.T) {
	// RunSource over a Reader gives what Run gives.
	files, _ := filepath.Glob("testdata/*.pcap")
	if len(files) == 0 {
		t.Fatal("no testdata/*.pcap")
	}
	for _, p := range files {
		r1, err := OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		st1 := NewStats(StatsConfig{})
		if err := Run(context.Background(), r1, st1, nil); err != nil {
			t.Fatal(err)
		}
		r1.Close()
		r2, err := OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		st2 := NewStats(StatsConfig{})
		var src Source = r2
		n := 0
		if err := RunSource(context.Background(), src, st2, func(*Summary) { n++ }); err != nil {
			t.Fatal(err)
		}
		r2.Close()
		a, b := st1.Snapshot(), st2.Snapshot()
		if a.Packets != b.Packets || uint64(n) != b.Packets || fmt.Sprint(a.Protocols) != fmt.Sprint(b.Protocols) {
			t.Errorf("%s: Run %d packets %v, RunSource %d packets %v", p, a.Packets, a.Protocols, b.Packets, b.Protocols)
		}
	}
	// A cancelled context stops RunSource with the context's error.
	r, err := OpenFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := RunSource(ctx, r, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("RunSource on a cancelled context: %v", err)
	}
}
