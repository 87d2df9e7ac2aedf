package lab

import (
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
)

// The strongSwan scenarios: two gateways, gwa and gwb (NewSwanPair), each
// a charon of its own in its own namespace, reached by nettui over SSH as
// Linux hosts. gwa initiates. The capture is taken on gwa's ike0.

// ikeFilter is what the captures keep: IKE and, with kernel-libipsec
// (always UDP-encapsulated), ESP on port 4500.
const ikeFilter = "udp port 500 or udp port 4500"

// Exchange types and notify messages (RFC 7296).
const (
	ikeSAInit        = 34
	ikeAuth          = 35
	noProposalChosen = 14
)

// labPSK is the scenarios' pre-shared key: 25 characters, no dictionary
// word (IPSEC-WEAK-PSK stays silent). It must reach no bundle.
const labPSK = "ntls-lab-Qx7b2K9fM4zR8wT1"

var (
	gwaConn = SwanConn{LocalTS: []string{"10.1.0.0/24"}, RemoteTS: []string{"10.2.0.0/24"},
		IKE: "aes128-sha256-modp2048", ESP: "aes128-sha256-modp2048", PSK: labPSK, LANs: []string{"10.1.0.1/24"}}
	gwbConn = SwanConn{LocalTS: []string{"10.2.0.0/24"}, RemoteTS: []string{"10.1.0.0/24"},
		IKE: "aes128-sha256-modp2048", ESP: "aes128-sha256-modp2048", PSK: labPSK, LANs: []string{"10.2.0.1/24"}}
)

// swanScenarios are the strongSwan scenarios with a fixture.
var swanScenarios = []*scenario{swanHealthy, swanTSMismatch, swanProposalMismatch, swanWeak}

// pings of the scenarios whose tunnel comes up: gwa → gwb, then gwb →
// gwa. Every ICMP packet crosses each SA once.
const (
	pingsAB = 3
	pingsBA = 2
	espEach = pingsAB + pingsBA // ESP packets per direction
)

// swanHealthy: matching configurations, PFS, a strong PSK; the tunnel
// comes up and carries pings both ways. Nothing to report.
var swanHealthy = &scenario{
	dir:  "swan-healthy",
	want: nil,
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		checkTunnelUp(t, snap, "aes128", "modp2048")
	},
}

// swanTSMismatch: gwb expects 10.1.1.0/24 behind gwa, which offers
// 10.1.0.0/24. The IKE SA comes up, the CHILD_SA is refused
// (TS_UNACCEPTABLE).
var swanTSMismatch = &scenario{
	dir:  "swan-ts-mismatch",
	want: []string{"IPSEC-SELECTOR-MISMATCH\tgwa ↔ gwb"},
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		fs := findings(snap, diagnose.IPsecSelectorMismatch)
		if len(fs) != 1 || !strings.Contains(fs[0].Why, "10.1.0.0/24 === 10.2.0.0/24") || !strings.Contains(fs[0].Why, "10.2.0.0/24 === 10.1.1.0/24") {
			t.Errorf("the selector finding must name both ends' selectors, 10.1.0.0/24 === 10.2.0.0/24 and 10.2.0.0/24 === 10.1.1.0/24: %+v", fs)
		}
		for _, name := range []string{"gwa", "gwb"} {
			d := device(t, snap, name)
			if len(d.IPsec.IKESAs) != 1 || !d.IPsec.IKESAs[0].Up || len(d.IPsec.ChildSAs) != 0 {
				t.Errorf("%s: %d IKE SAs, %d child SAs; want one established IKE SA and no child", name, len(d.IPsec.IKESAs), len(d.IPsec.ChildSAs))
			}
		}
		c := onlyCapture(t, snap)
		if len(c.IKE) != 1 || c.IKE[0].Requests != 2 || c.IKE[0].Responses != 2 || c.IKE[0].Unanswered != 0 || len(c.ESP) != 0 {
			t.Errorf("saved capture: IKE %+v, ESP %+v; want IKE_SA_INIT and IKE_AUTH answered, no ESP", c.IKE, c.ESP)
		}
	},
}

// swanProposalMismatch: gwb accepts only aes256-sha384-ecp384 for IKE,
// gwa proposes aes128-sha256-modp2048: gwb answers IKE_SA_INIT with
// NO_PROPOSAL_CHOSEN and no SA exists.
var swanProposalMismatch = &scenario{
	dir: "swan-proposal-mismatch",
	want: []string{
		"CAP-IKE-NO-PROPOSAL\tgwa ike0 172.31.0.1 ↔ 172.31.0.2",
		"IPSEC-PROPOSAL-MISMATCH\tgwa ↔ gwb phase 1",
	},
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		for _, name := range []string{"gwa", "gwb"} {
			if d := device(t, snap, name); len(d.IPsec.IKESAs) != 0 || len(d.IPsec.ChildSAs) != 0 {
				t.Errorf("%s lists SAs: %d IKE, %d child", name, len(d.IPsec.IKESAs), len(d.IPsec.ChildSAs))
			}
		}
		c := onlyCapture(t, snap)
		if len(c.IKE) != 1 || !slices.Contains(c.IKE[0].Notifies, "NO_PROPOSAL_CHOSEN") || c.IKE[0].Initiator != netip.MustParseAddr(GWAOuter) {
			t.Errorf("saved capture IKE: %+v; want gwa's IKE_SA_INIT answered with NO_PROPOSAL_CHOSEN", c.IKE)
		}
	},
}

// swanWeak: both ends agree on 3DES, SHA-1 and DH group 2 (MODP_1024), in
// phase 1 and (with PFS) phase 2: the tunnel comes up and carries traffic
// on algorithms current guidance forbids.
var swanWeak = &scenario{
	dir: "swan-weak",
	want: []string{
		"IPSEC-WEAK-CRYPTO\tgwa ↔ gwb phase 1",
		"IPSEC-WEAK-CRYPTO\tgwa ↔ gwb phase 2",
	},
	check: func(t *testing.T, snap *netmodel.Snapshot) {
		checkTunnelUp(t, snap, "3des", "modp1024")
		for _, f := range findings(snap, diagnose.IPsecWeakCrypto) {
			phase := strings.TrimPrefix(f.Subject, "gwa ↔ gwb ")
			if f.Title != phase+" uses 3des, sha1, modp1024" || !strings.Contains(f.Why, "in use on the live SA") {
				t.Errorf("%s %s: %q; want the negotiated 3des, sha1, modp1024 named, on the live SA:\n%s", f.ID, f.Subject, f.Title, f.Why)
			}
		}
	},
}

// findings returns the findings of one rule.
func findings(snap *netmodel.Snapshot, id string) []netmodel.Finding {
	var out []netmodel.Finding
	for _, f := range diagnose.Run(snap) {
		if f.ID == id {
			out = append(out, f)
		}
	}
	return out
}

// checkTunnelUp asserts what a working tunnel shows in a bundle: one IKE
// SA and one installed child SA on each end, negotiated with enc and dh,
// the ends' SAs paired by the diagnosis (gwa's outbound SPI is gwb's
// inbound one and the other way round), counters both ways (every ping
// crossed each SA once), and in the capture each SPI's ESP packets in its
// direction, UDP-encapsulated.
func checkTunnelUp(t *testing.T, snap *netmodel.Snapshot, enc, dh string) {
	t.Helper()
	sa := map[string]*netmodel.ChildSA{}
	for _, name := range []string{"gwa", "gwb"} {
		d := device(t, snap, name)
		ip := d.IPsec
		if len(ip.IKESAs) != 1 || !ip.IKESAs[0].Up || len(ip.ChildSAs) != 1 {
			t.Fatalf("%s: %d IKE SAs, %d child SAs; want one of each, up", name, len(ip.IKESAs), len(ip.ChildSAs))
		}
		ch := ip.ChildSAs[0]
		sa[name] = ch
		if !ch.Encap || ch.InSPI == 0 || ch.OutSPI == 0 {
			t.Errorf("%s child SA: encap %v, SPIs %08x/%08x; want UDP-encapsulated with both SPIs", name, ch.Encap, ch.InSPI, ch.OutSPI)
		}
		if !ch.CountersKnown || ch.PacketsIn != espEach || ch.PacketsOut != espEach || ch.BytesIn == 0 || ch.BytesOut == 0 {
			t.Errorf("%s child SA counters: in %d packets / %d bytes, out %d / %d; want %d packets each way", name, ch.PacketsIn, ch.BytesIn, ch.PacketsOut, ch.BytesOut, espEach)
		}
		if got := fmt.Sprint(ip.IKESAs[0].Algs, " ", ch.Algs); !strings.Contains(got, enc) || !strings.Contains(got, dh) {
			t.Errorf("%s negotiated %s; want %s and %s", name, got, enc, dh)
		}
	}
	if sa["gwa"].OutSPI != sa["gwb"].InSPI || sa["gwa"].InSPI != sa["gwb"].OutSPI {
		t.Errorf("SPIs not mirrored: gwa in %08x out %08x, gwb in %08x out %08x", sa["gwa"].InSPI, sa["gwa"].OutSPI, sa["gwb"].InSPI, sa["gwb"].OutSPI)
	}
	c := &diagnose.Context{S: snap}
	ends := c.Tunnels()
	if len(ends) != 2 {
		t.Errorf("%d tunnel ends, want 2", len(ends))
	}
	for _, e := range ends {
		if e.Partner == nil {
			t.Errorf("%s: not paired with the other end", e.Name())
		}
	}
	cp := onlyCapture(t, snap)
	a, b := netip.MustParseAddr(GWAOuter), netip.MustParseAddr(GWBOuter)
	want := map[uint32][2]netip.Addr{sa["gwa"].OutSPI: {a, b}, sa["gwa"].InSPI: {b, a}}
	for _, e := range cp.ESP {
		dir, ok := want[e.SPI]
		if !ok {
			t.Errorf("capture: ESP with SPI %08x, which no SA has", e.SPI)
			continue
		}
		if e.Src != dir[0] || e.Dst != dir[1] || !e.NATT || e.Packets != espEach || e.Gaps != 0 {
			t.Errorf("capture: SPI %08x: %s → %s, NAT-T %v, %d packets, %d gaps; want %s → %s in UDP 4500, %d packets", e.SPI, e.Src, e.Dst, e.NATT, e.Packets, e.Gaps, dir[0], dir[1], espEach)
		}
		delete(want, e.SPI)
	}
	for spi := range want {
		t.Errorf("capture: no ESP with SPI %08x", spi)
	}
	if len(cp.IKE) != 1 || cp.IKE[0].Requests < 2 || cp.IKE[0].Unanswered != 0 || cp.IKE[0].Initiator != a {
		t.Errorf("capture: IKE %+v; want gwa's exchanges, all answered", cp.IKE)
	}
}

// noPSK fails if the pre-shared key is anywhere in the bundle's files:
// collection redacts it as it arrives.
func noPSK(t *testing.T, files map[string][]byte, psk string) {
	t.Helper()
	n := 0
	for name, data := range files {
		if strings.Contains(string(data), psk) {
			t.Errorf("%s holds the pre-shared key in clear", name)
		}
		if strings.HasSuffix(name, "swanctl-conf.txt") {
			n++
			if !strings.Contains(string(data), "secret = \""+netmodel.SecretPrefix) {
				t.Errorf("%s: the secret line is not a redaction token:\n%s", name, data)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d swanctl.conf outputs in the bundle, want 2 (one per gateway)", n)
	}
}

// decoded counts the capture's decoded frames by kind.
type decoded struct {
	ikeInit, ikeAuth, noProposal int
	esp                          map[uint32]int // per SPI
	espFrom                      map[uint32]netip.Addr
}

func decode(sums []capture.Summary) decoded {
	d := decoded{esp: map[uint32]int{}, espFrom: map[uint32]netip.Addr{}}
	for _, s := range sums {
		switch s.Proto {
		case capture.ProtoIKE:
			switch s.IKE.Exchange {
			case ikeSAInit:
				d.ikeInit++
			case ikeAuth:
				d.ikeAuth++
			}
			for _, n := range s.IKE.Notifies[:min(int(s.IKE.NotifyCount), len(s.IKE.Notifies))] {
				if n == noProposalChosen {
					d.noProposal++
				}
			}
		case capture.ProtoESP:
			d.esp[s.ESPSPI]++
			d.espFrom[s.ESPSPI] = s.Src
		}
	}
	return d
}

func (d decoded) String() string {
	return fmt.Sprintf("IKE_SA_INIT %d, IKE_AUTH %d, NO_PROPOSAL_CHOSEN %d, ESP %v", d.ikeInit, d.ikeAuth, d.noProposal, d.esp)
}

// runSwan builds a scenario: the pair, a capture on gwa's ike0, gwa's
// initiate (which must succeed or fail as up says), pings both ways when
// up, then collection over SSH. It returns the bundle with the capture.
func runSwan(t *testing.T, sc *scenario, tag string, a, b SwanConn, up bool) (*SwanPair, *Bundle, []capture.Summary) {
	t.Helper()
	tm := startTiming(t)
	p := NewSwanPair(t, tag, a, b)
	tm.step("charons up, conns loaded")
	c := StartCapture(t, p.A.NS, CaptureSpec{Name: "gwa-ike0", Device: "gwa", Interface: "ike0", Ifaces: []string{"ike0"}, Filter: ikeFilter})
	out, ok := p.A.Initiate(t)
	if ok != up {
		t.Fatalf("swanctl --initiate on gwa: succeeded %v, want %v:\n%s\n--- gwa charon.log ---\n%s\n--- gwb charon.log ---\n%s", ok, up, out, tail(p.A.Logs()[0], 6000), tail(p.B.Logs()[0], 6000))
	}
	tm.step("initiate")
	if up {
		sa := p.A.WaitSAs(t, true)
		p.B.WaitSAs(t, true)
		if ok, out := p.A.Ping(t, "10.2.0.1", pingsAB); !ok {
			t.Fatalf("ping gwa → gwb through the tunnel:\n%s", out)
		}
		if ok, out := p.B.Ping(t, "10.1.0.1", pingsBA); !ok {
			t.Fatalf("ping gwb → gwa through the tunnel:\n%s", out)
		}
		in, outSPI := sa.ChildSAs[0].InSPI, sa.ChildSAs[0].OutSPI
		Poll(t, 10*time.Second, fmt.Sprintf("%d ESP packets each way in the capture (SPIs %08x out, %08x in)", espEach, outSPI, in), func() (bool, string) {
			d := decode(c.Summaries())
			return d.esp[outSPI] == espEach && d.esp[in] == espEach, d.String()
		}, p.Logs()...)
		tm.step("SAs installed, pings")
	}
	c.Stop(t)
	sums := c.Summaries()
	f := p.Front(t)
	bu := f.Collect(t, Site{Name: sc.dir})
	bu.AddCapture(t, c)
	tm.step("collect over SSH")
	noPSK(t, bu.Result.Files, labPSK)
	return p, bu, sums
}

func TestLabSwanHealthy(t *testing.T) {
	Require(t, SwanPrograms...)
	t.Parallel()
	sc := swanHealthy
	_, b, sums := runSwan(t, sc, "h", gwaConn, gwbConn, true)
	d := decode(sums)
	if d.ikeInit != 2 || d.ikeAuth != 2 || len(d.esp) != 2 {
		t.Errorf("decoded: %s; want IKE_SA_INIT and IKE_AUTH request and response, ESP on two SPIs", d)
	}
	sc.verify(t, b.Snapshot)
	sc.record(t, b)
}

func TestLabSwanTSMismatch(t *testing.T) {
	Require(t, SwanPrograms...)
	t.Parallel()
	sc := swanTSMismatch
	b := gwbConn
	b.RemoteTS = []string{"10.1.1.0/24"}
	p, bu, sums := runSwan(t, sc, "t", gwaConn, b, false)
	if !strings.Contains(readFile(t, p.A.Logs()[0]), "received TS_UNACCEPTABLE notify, no CHILD_SA built") {
		t.Errorf("gwa's log does not say the child SA was refused with TS_UNACCEPTABLE:\n%s", tail(p.A.Logs()[0], 4000))
	}
	if d := decode(sums); d.ikeInit != 2 || d.ikeAuth != 2 || len(d.esp) != 0 {
		t.Errorf("decoded: %s; want IKE_SA_INIT and IKE_AUTH answered, no ESP", d)
	}
	sc.verify(t, bu.Snapshot)
	sc.record(t, bu)
}

func TestLabSwanProposalMismatch(t *testing.T) {
	Require(t, SwanPrograms...)
	t.Parallel()
	sc := swanProposalMismatch
	b := gwbConn
	b.IKE = "aes256-sha384-ecp384"
	_, bu, sums := runSwan(t, sc, "p", gwaConn, b, false)
	if d := decode(sums); d.ikeInit != 2 || d.noProposal != 1 || d.ikeAuth != 0 {
		t.Errorf("decoded: %s; want an IKE_SA_INIT request and its NO_PROPOSAL_CHOSEN answer, nothing else", d)
	}
	sc.verify(t, bu.Snapshot)
	sc.record(t, bu)
}

func TestLabSwanWeak(t *testing.T) {
	Require(t, SwanPrograms...)
	t.Parallel()
	sc := swanWeak
	a, b := gwaConn, gwbConn
	a.IKE, a.ESP = "3des-sha1-modp1024", "3des-sha1-modp1024"
	b.IKE, b.ESP = a.IKE, a.ESP
	_, bu, sums := runSwan(t, sc, "w", a, b, true)
	if d := decode(sums); d.ikeInit != 2 || d.ikeAuth != 2 || len(d.esp) != 2 {
		t.Errorf("decoded: %s; want IKE_SA_INIT and IKE_AUTH, ESP on two SPIs", d)
	}
	sc.verify(t, bu.Snapshot)
	sc.record(t, bu)
}

// TestLabSwanFixtures diagnoses the saved strongSwan bundles
// (fixtures/lab/swan-*) with the live tests' assertions. No root needed.
func TestLabSwanFixtures(t *testing.T) {
	for _, sc := range swanScenarios {
		t.Run(sc.dir, func(t *testing.T) { verifySaved(t, sc, 2) })
	}
}

// verifySaved loads a scenario's saved bundle as `nettui diagnose` would
// and runs the scenario's assertions, plus: every device a Linux host
// collected in full over SSH, one capture, no secret in clear.
func verifySaved(t *testing.T, sc *scenario, devices int) {
	t.Helper()
	dir := filepath.Join(fixturesDir, sc.dir)
	fsys := os.DirFS(dir)
	raw, err := fs.ReadFile(fsys, "bundle.yaml")
	if err != nil {
		t.Fatalf("%v (record it: sudo NETTUI_LAB_RECORD=1 go test ./internal/lab/ -run 'TestLab(Swan|FRR)')", err)
	}
	meta, err := bundle.ParseMeta(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Devices) != devices {
		t.Errorf("bundle.yaml lists %d devices, want %d", len(meta.Devices), devices)
	}
	for _, d := range meta.Devices {
		if d.Platform != string(netmodel.Linux) || d.Status != netmodel.StatusOK || d.Host == "" || len(d.Commands) == 0 {
			t.Errorf("bundle.yaml device %s: platform %s, status %s, host %q, %d commands; want a linux device collected over SSH", d.Name, d.Platform, d.Status, d.Host, len(d.Commands))
		}
	}
	if len(meta.Captures) != 1 {
		t.Errorf("bundle.yaml lists %d captures, want 1", len(meta.Captures))
	}
	snap, err := LoadBundle(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if p := Problems(snap); len(p) > 0 {
		t.Errorf("the bundle does not load cleanly:\n  %s", strings.Join(p, "\n  "))
	}
	sc.verify(t, snap)
	noSecrets(t, dir)
	files := map[string][]byte{}
	err = fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		files[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	noPSK(t, files, labPSK)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
