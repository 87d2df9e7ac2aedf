package capture

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden")

// decodeFile runs a capture file through Run and returns its summaries and stats.
func decodeFile(t testing.TB, path string) ([]Summary, Snapshot) {
	t.Helper()
	r, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	st := NewStats(StatsConfig{RingSize: 1000})
	var out []Summary
	if err := Run(context.Background(), r, st, func(s *Summary) { out = append(out, *s) }); err != nil {
		t.Fatal(err)
	}
	return out, st.Snapshot()
}

func goldenText(sums []Summary, sn Snapshot) string {
	var b strings.Builder
	for i := range sums {
		s := sums[i]
		s.Iface = filepath.Base(s.Iface)
		fmt.Fprintf(&b, "%s %s\n", s.Time.UTC().Format("15:04:05.000000"), s.String())
	}
	fmt.Fprintf(&b, "--- stats: %d packets, %d bytes, %d malformed, %d truncated\n", sn.Packets, sn.Bytes, sn.Malformed, sn.Truncated)
	for _, p := range sn.Protocols {
		fmt.Fprintf(&b, "proto %s %d\n", p.Proto, p.Count)
	}
	var lines []string
	for k, v := range sn.VLANs {
		lines = append(lines, fmt.Sprintf("vlan %d %d", k.VLAN, v))
	}
	for k, v := range sn.LACP {
		lines = append(lines, fmt.Sprintf("lacp actor %s port %d: %d pdus, actor %s, partner %s key %d %s, partner changes %d",
			macString(k.ActorSystem[:]), k.ActorPort, v.Count, LACPStateString(v.Actor.State),
			macString(v.Partner.System[:]), v.Partner.Key, LACPStateString(v.Partner.State), v.PartnerChanges))
	}
	for k, v := range sn.BPDU {
		lines = append(lines, fmt.Sprintf("bpdu bridge %s port %04x: %d %s, root %s cost %d, tc %d, root changes %d",
			k.BridgeID, k.PortID, v.Count, v.Proto, v.RootID, v.RootPathCost, v.TCCount, v.RootChanges))
	}
	for k, v := range sn.ESP {
		lines = append(lines, fmt.Sprintf("esp %s > %s spi 0x%08x: %d packets, last seq %d, gaps %d, reordered %d, natt %v",
			k.Src, k.Dst, k.SPI, v.Packets, v.LastSeq, v.Gaps, v.Reordered, v.NATT))
	}
	for n, c := range sn.Notifies {
		lines = append(lines, fmt.Sprintf("notify %s %d", NotifyName(n), c))
	}
	for _, t := range sn.TopTalkers {
		lines = append(lines, fmt.Sprintf("talker %s %d packets %d bytes", t.Addr, t.Packets, t.Bytes))
	}
	slices.Sort(lines)
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	fmt.Fprintf(&b, "ike requests %d responses %d answered %d retransmits %d unmatched responses %d\n",
		sn.IKE.Requests, sn.IKE.Responses, sn.IKE.Answered, sn.IKE.Retransmits, sn.IKE.UnmatchedResponses)
	for _, x := range sn.IKEUnanswered {
		fmt.Fprintf(&b, "ike unanswered %s msgid %d %s > %s retransmits %d\n", ExchangeName(x.Version, x.Exchange), x.MessageID, x.Requester, x.Responder, x.Retransmits)
	}
	return b.String()
}

func TestGoldenRealCaptures(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.pcap")
	if len(files) < 9 {
		t.Fatalf("expected the 9 recorded captures in testdata, found %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sums, sn := decodeFile(t, f)
			got := goldenText(sums, sn)
			gf := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(f), ".pcap")+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(gf), 0o755)
				if err := os.WriteFile(gf, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(gf)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("decode of %s differs (-want +got):\n%s", f, d)
			}
		})
	}
}

// Facts about the real captures that hold independently of the goldens.
func TestRealCaptureFacts(t *testing.T) {
	t.Run("lacp", func(t *testing.T) {
		_, sn := decodeFile(t, "testdata/ovs-lacp-a1.pcap")
		sw2 := [6]byte{2, 0, 0, 0, 0, 2}
		var fromSW1 *LACPPortStats
		for k, v := range sn.LACP {
			if k.ActorSystem == [6]byte{2, 0, 0, 0, 0, 1} {
				fromSW1 = &v
			}
		}
		if fromSW1 == nil {
			t.Fatalf("no LACPDUs from sw1's actor system 02:00:00:00:00:01: %v", sn.LACP)
		}
		if fromSW1.Partner.System != sw2 {
			t.Errorf("partner system = %x, want 02:00:00:00:00:02", fromSW1.Partner.System)
		}
		if fromSW1.PartnerChanges == 0 {
			t.Error("the peer turned LACP off and on: partner state changes expected")
		}
		if sn.VLANs[IfaceVLAN{"testdata/ovs-lacp-a1.pcap", 10}] == 0 {
			t.Errorf("no VLAN 10 frames counted: %v", sn.VLANs)
		}
	})
	t.Run("rstp", func(t *testing.T) {
		sums, _ := decodeFile(t, "testdata/ovs-rstp.pcap")
		var proposal, agreement bool
		for _, s := range sums {
			if s.Proto != ProtoRSTP {
				t.Errorf("frame is %s, want rstp", s.Proto)
			}
			proposal = proposal || s.BPDU.Flags&BPDUFlagProposal != 0
			agreement = agreement || s.BPDU.Flags&BPDUFlagAgreement != 0
		}
		if !proposal || !agreement {
			t.Errorf("proposal %v agreement %v: both expected in an RSTP handshake", proposal, agreement)
		}
	})
	t.Run("bridge-stp-tc", func(t *testing.T) {
		_, sn := decodeFile(t, "testdata/bridge-stp.pcap")
		var tc uint64
		for _, v := range sn.BPDU {
			tc += v.TCCount
		}
		if tc == 0 {
			t.Error("root port went down: topology change BPDUs expected")
		}
	})
	t.Run("ike-proposal-mismatch", func(t *testing.T) {
		_, sn := decodeFile(t, "testdata/ike-proposal-mismatch.pcap")
		if sn.Notifies[NotifyNoProposalChosen] != 1 {
			t.Errorf("notifies %v: want one NO_PROPOSAL_CHOSEN", sn.Notifies)
		}
		if sn.IKE.Answered != 1 || len(sn.IKEUnanswered) != 0 {
			t.Errorf("ike %+v unanswered %d: want the INIT request answered", sn.IKE, len(sn.IKEUnanswered))
		}
	})
	t.Run("ike-no-answer", func(t *testing.T) {
		_, sn := decodeFile(t, "testdata/ike-no-answer.pcap")
		if len(sn.IKEUnanswered) != 1 || sn.IKEUnanswered[0].Retransmits == 0 || sn.IKE.Answered != 0 {
			t.Errorf("unanswered %+v ike %+v: want one retransmitted, unanswered IKE_SA_INIT", sn.IKEUnanswered, sn.IKE)
		}
	})
	t.Run("ike-esp-good", func(t *testing.T) {
		_, sn := decodeFile(t, "testdata/ike-esp-good.pcap")
		if len(sn.ESP) != 2 {
			t.Fatalf("ESP directions %v: want 2 (both ways)", sn.ESP)
		}
		for k, v := range sn.ESP {
			if v.Gaps != 0 || !v.NATT || v.Packets == 0 {
				t.Errorf("ESP %v: %+v", k, v)
			}
		}
		if len(sn.IKEUnanswered) != 0 || sn.IKE.Answered < 2 {
			t.Errorf("ike %+v, unanswered %v", sn.IKE, sn.IKEUnanswered)
		}
	})
}
