package main

import (
	"context"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/google/go-cmp/cmp"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/parse"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/diagnose/walk"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui"
	"github.com/nettui/nettui/ui/uitest"
	walkui "github.com/nettui/nettui/ui/walk"
)

// walkCase is one walkthrough driven on one fixture bundle: the answers
// given, the verdict it must reach, and the findings (rule ID and
// subject) its conclusion must name — all of them, and no other.
type walkCase struct {
	walk    string
	bundle  string
	answers []string
	verdict walk.Verdict
	cause   []string
	exit    int
}

const (
	demoDir = "fixtures/demo"
	cases   = "fixtures/cases/"
	labDir  = "fixtures/lab/"
)

// walkCases: every seeded fault each walkthrough is meant to find, on the
// demo site (fixtures/demo/README.md) and on every case bundle
// (EXPECTED.txt), the healthy paths next to them, and every walkthrough
// on every case bundle it does not apply to.
var walkCases = []walkCase{
	// Walkthrough 1: demo faults 1-9 and 16 (through esx04's LAG uplinks), healthy port groups.
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx01/vSwitch0/VM-Prod"}, verdict: walk.Fault, cause: []string{"VLAN-PARTIAL-UPLINK esx01/vSwitch0/VM-Prod (VLAN 120)"}, exit: 2},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx01/vSwitch0/Sniffer"}, verdict: walk.Fault, cause: []string{"VLAN-VGT esx01/vSwitch0/Sniffer (VLAN 4095)"}, exit: 1},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx02/vSwitch0/vMotion"}, verdict: walk.Fault, cause: []string{"VLAN-PARTIAL-UPLINK esx02/vSwitch0/vMotion (VLAN 20)"}, exit: 2},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx02/vSwitch0/Backup"}, verdict: walk.Fault, cause: []string{"VLAN-MISSING-ALL esx02/vSwitch0/Backup (VLAN 150)"}, exit: 2},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx02/vSwitch0/Legacy-Untagged"}, verdict: walk.Fault, cause: []string{"VLAN-EST-ON-TRUNK esx02/vSwitch0/Legacy-Untagged (VLAN 0)"}, exit: 1},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx03/vSwitch0/Management Network"}, verdict: walk.Fault, cause: []string{"VLAN-ACCESS-PORT-TAGGED esx03/vSwitch0"}, exit: 2},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx01/dvs-prod"}, verdict: walk.Fault, cause: []string{"VLAN-UPLINK-INCONSISTENT esx01/dvs-prod"}, exit: 1},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx03/dvs-prod"}, verdict: walk.Unknown, cause: []string{"VLAN-UNKNOWN-UPLINK esx03/dvs-prod"}, exit: 1},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=vlan:999"}, verdict: walk.Fault, cause: []string{"VLAN-NATIVE-MISMATCH acc-stack1 Te1/1/1 ↔ nx-core1 Eth1/49"}, exit: 1},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx04/dvs-lacp"}, verdict: walk.Fault, cause: []string{"STP-HOST-PORT-NOT-EDGE acc-stack2 Po20", "STP-HOST-PORT-NOT-EDGE acc-stack2 Po21"}, exit: 1},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx02/vSwitch0/VM-Prod"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=esx01/vSwitch0/VM-Dev"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: demoDir, answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-trunk-mismatch", answers: []string{"portgroup=vlan:20"}, verdict: walk.Fault, cause: []string{"VLAN-TRUNK-ALLOWED-MISMATCH sw1 bond0 ↔ sw2 bond0"}, exit: 1},
	{walk: "vlan", bundle: cases + "l2-ovs-trunk-mismatch", answers: []string{"portgroup=vlan:30"}, verdict: walk.Fault, cause: []string{"VLAN-TRUNK-ALLOWED-MISMATCH sw1 bond0 ↔ sw2 bond0"}, exit: 1},
	{walk: "vlan", bundle: cases + "l2-ovs-trunk-mismatch", answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-healthy", answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-healthy", answers: []string{"portgroup=vlan:20"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-both-passive", answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-lacpdu-timeouts", answers: []string{"portgroup=vlan:20"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-lag-split", answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-peer-lacp-off", answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-rate-mismatch", answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-rstp", verdict: walk.NotApplicable, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-rstp-root-unexpected", verdict: walk.NotApplicable, exit: 0},
	{walk: "vlan", bundle: cases + "l2-ovs-stp-mode-mismatch", verdict: walk.NotApplicable, exit: 0},
	{walk: "vlan", bundle: cases + "ipsec-gre", verdict: walk.NotApplicable, exit: 0},
	{walk: "vlan", bundle: cases + "ipsec-policy-3x3", verdict: walk.NotApplicable, exit: 0},
	{walk: "vlan", bundle: cases + "ipsec-weak", verdict: walk.NotApplicable, exit: 0},

	// Walkthrough 2: demo faults 10-14, the IPsec cases.
	{walk: "ipsec", bundle: demoDir, answers: []string{"tunnel=br-swan@203.0.113.1"}, verdict: walk.Fault,
		cause: []string{"IPSEC-SELECTOR-MISMATCH br-swan ↔ hub-srx", "IPSEC-PSK-REUSE hub-srx PSK 7e3a91c0"}, exit: 2},
	{walk: "ipsec", bundle: demoDir, answers: []string{"tunnel=hub-srx@192.0.2.50"}, verdict: walk.Fault,
		cause: []string{"ROUTE-PROTECTED-MISSING hub-srx → 172.16.50.0/24", "IPSEC-PFS-MISMATCH asa-partner ↔ hub-srx", "IPSEC-PSK-REUSE hub-srx PSK 7e3a91c0", "IPSEC-WEAK-CRYPTO asa-partner ↔ hub-srx phase 1"}, exit: 2},
	{walk: "ipsec", bundle: cases + "ipsec-gre", verdict: walk.OK, exit: 0},
	{walk: "ipsec", bundle: cases + "ipsec-policy-3x3", verdict: walk.Fault, cause: []string{"IPSEC-SELECTOR-EXPLOSION br-rtr → 203.0.113.1"}, exit: 1},
	{walk: "ipsec", bundle: cases + "ipsec-weak", verdict: walk.Fault,
		cause: []string{"IPSEC-WEAK-CRYPTO br-rtr ↔ hq-srx phase 1", "IPSEC-WEAK-CRYPTO br-rtr ↔ hq-srx phase 2", "IPSEC-NO-PFS br-rtr → 203.0.113.1", "IPSEC-NO-PFS hq-srx → 198.51.100.2"}, exit: 1},

	// Walkthrough 3: demo faults 15 and 17, the LACP cases, healthy channels.
	{walk: "lacp", bundle: demoDir, answers: []string{"lag=acc-stack2/Port-channel20"}, verdict: walk.Fault, cause: []string{"LACP-PARTNER-NOT-LACP acc-stack2 Port-channel20"}, exit: 2},
	{walk: "lacp", bundle: demoDir, answers: []string{"lag=tor-b/Port-channel1"}, verdict: walk.Fault, cause: []string{"LACP-PARTNER-SPLIT kvm01 bond0"}, exit: 2},
	{walk: "lacp", bundle: demoDir, answers: []string{"lag=acc-stack2/Port-channel21"}, verdict: walk.OK, exit: 0},
	{walk: "lacp", bundle: demoDir, answers: []string{"lag=acc-stack2/Port-channel1"}, verdict: walk.OK, exit: 0},
	{walk: "lacp", bundle: cases + "l2-ovs-both-passive", verdict: walk.Fault, cause: []string{"LACP-BOTH-PASSIVE sw1 bond0 ↔ sw2 bond0"}, exit: 2},
	{walk: "lacp", bundle: cases + "l2-ovs-peer-lacp-off", verdict: walk.Fault, cause: []string{"LACP-PARTNER-NOT-LACP sw1 bond0"}, exit: 2},
	{walk: "lacp", bundle: cases + "l2-ovs-rate-mismatch", verdict: walk.Fault, cause: []string{"LACP-RATE-MISMATCH sw1 bond0 ↔ sw2 bond0"}, exit: 1},
	{walk: "lacp", bundle: cases + "l2-ovs-lacpdu-timeouts", verdict: walk.Fault, cause: []string{"LACP-PDU-COUNTERS sw1 bond0"}, exit: 1},
	{walk: "lacp", bundle: cases + "l2-ovs-lag-split", verdict: walk.Fault, cause: []string{"LACP-PARTNER-SPLIT kvm01 bond0"}, exit: 2},
	{walk: "lacp", bundle: cases + "l2-ovs-healthy", verdict: walk.OK, exit: 0},
	{walk: "lacp", bundle: cases + "l2-ovs-trunk-mismatch", verdict: walk.OK, exit: 0},
	{walk: "lacp", bundle: cases + "l2-ovs-rstp", verdict: walk.NotApplicable, exit: 0},
	{walk: "lacp", bundle: cases + "l2-ovs-rstp-root-unexpected", verdict: walk.NotApplicable, exit: 0},
	{walk: "lacp", bundle: cases + "l2-ovs-stp-mode-mismatch", verdict: walk.NotApplicable, exit: 0},
	{walk: "lacp", bundle: cases + "ipsec-gre", verdict: walk.NotApplicable, exit: 0},
	{walk: "lacp", bundle: cases + "ipsec-policy-3x3", verdict: walk.NotApplicable, exit: 0},
	{walk: "lacp", bundle: cases + "ipsec-weak", verdict: walk.NotApplicable, exit: 0},

	// Walkthrough 4: demo fault 16, the STP cases.
	{walk: "stp", bundle: demoDir, answers: []string{"tree=VLAN0100"}, verdict: walk.Fault, cause: []string{"STP-HOST-PORT-NOT-EDGE acc-stack2 Po20"}, exit: 1},
	{walk: "stp", bundle: demoDir, answers: []string{"tree=VLAN0010"}, verdict: walk.Fault, cause: []string{"STP-HOST-PORT-NOT-EDGE acc-stack2 Po21"}, exit: 1},
	{walk: "stp", bundle: cases + "l2-ovs-rstp", verdict: walk.OK, exit: 0},
	{walk: "stp", bundle: cases + "l2-ovs-rstp-root-unexpected", verdict: walk.Fault, cause: []string{"STP-ROOT-UNEXPECTED root of br0"}, exit: 2},
	{walk: "stp", bundle: cases + "l2-ovs-stp-mode-mismatch", verdict: walk.Fault, cause: []string{"STP-MODE-MISMATCH sw1 ↔ sw2"}, exit: 1},
	{walk: "stp", bundle: cases + "l2-ovs-healthy", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "l2-ovs-both-passive", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "l2-ovs-lacpdu-timeouts", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "l2-ovs-lag-split", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "l2-ovs-peer-lacp-off", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "l2-ovs-rate-mismatch", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "l2-ovs-trunk-mismatch", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "ipsec-gre", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "ipsec-policy-3x3", verdict: walk.NotApplicable, exit: 0},
	{walk: "stp", bundle: cases + "ipsec-weak", verdict: walk.NotApplicable, exit: 0},

	// Walkthrough 5: the 3×3 case in both designs, the demo's policy-based
	// tunnels, and the cases already route-based.
	{walk: "ipsec-route-based", bundle: cases + "ipsec-policy-3x3", answers: []string{"design=gre"}, verdict: walk.OK, cause: []string{"IPSEC-SELECTOR-EXPLOSION br-rtr → 203.0.113.1"}, exit: 0},
	{walk: "ipsec-route-based", bundle: cases + "ipsec-policy-3x3", answers: []string{"design=vti", "tunnel-net=10.99.0.8/30"}, verdict: walk.OK, cause: []string{"IPSEC-SELECTOR-EXPLOSION br-rtr → 203.0.113.1"}, exit: 0},
	{walk: "ipsec-route-based", bundle: demoDir, answers: []string{"tunnel=hub-srx@198.51.100.10", "design=vti"}, verdict: walk.OK, cause: []string{"IPSEC-SELECTOR-MISMATCH br-swan ↔ hub-srx"}, exit: 0},
	{walk: "ipsec-route-based", bundle: demoDir, answers: []string{"tunnel=asa-partner@203.0.113.1"}, verdict: walk.OK, exit: 0},
	{walk: "ipsec-route-based", bundle: cases + "ipsec-gre", verdict: walk.NotApplicable, exit: 0},
	{walk: "ipsec-route-based", bundle: cases + "ipsec-weak", verdict: walk.NotApplicable, exit: 0},
	{walk: "ipsec", bundle: cases + "l2-ovs-healthy", verdict: walk.NotApplicable, exit: 0},
	{walk: "ipsec-route-based", bundle: cases + "l2-ovs-healthy", verdict: walk.NotApplicable, exit: 0},
}

// The bundles the lab recorded from real software (fixtures/lab/README.md):
// each walkthrough reaches the scenario's verdict, naming the findings the
// lab asserts, and does not apply to the others.
func init() {
	na := func(walks []string, bundles ...string) {
		for _, b := range bundles {
			for _, w := range walks {
				walkCases = append(walkCases, walkCase{walk: w, bundle: labDir + b, verdict: walk.NotApplicable, exit: 0})
			}
		}
	}
	walkCases = append(walkCases,
		walkCase{walk: "lacp", bundle: labDir + "ovs-lacp-healthy", verdict: walk.OK, exit: 0},
		walkCase{walk: "vlan", bundle: labDir + "ovs-lacp-healthy", answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
		walkCase{walk: "vlan", bundle: labDir + "ovs-trunk-mismatch", answers: []string{"portgroup=vlan:20"}, verdict: walk.Fault,
			cause: []string{"VLAN-TRUNK-ALLOWED-MISMATCH sw1 bond0 ↔ sw2 bond0", "CAP-VLAN-UNEXPECTED sw2 bond0"}, exit: 2},
		walkCase{walk: "vlan", bundle: labDir + "ovs-trunk-mismatch", answers: []string{"portgroup=vlan:10"}, verdict: walk.OK, exit: 0},
		walkCase{walk: "lacp", bundle: labDir + "ovs-trunk-mismatch", verdict: walk.OK, exit: 0},
		walkCase{walk: "lacp", bundle: labDir + "ovs-peer-lacp-off", verdict: walk.Fault,
			cause: []string{"LACP-PARTNER-NOT-LACP sw1 bond0", "CAP-LACP-STOPPED sw1 bond0 02:00:00:00:02:01", "CAP-LACP-STOPPED sw1 bond0 02:00:00:00:02:02", "CAP-LACP-CHANGED sw1 bond0"}, exit: 2},
		walkCase{walk: "stp", bundle: labDir + "ovs-rstp-loop", verdict: walk.OK, exit: 0},
		walkCase{walk: "stp", bundle: labDir + "bridge-stp-loop", verdict: walk.OK, exit: 0},
		walkCase{walk: "ipsec", bundle: labDir + "swan-healthy", verdict: walk.OK, exit: 0},
		walkCase{walk: "ipsec-route-based", bundle: labDir + "swan-healthy", answers: []string{"design=vti"}, verdict: walk.OK, exit: 0},
		walkCase{walk: "ipsec", bundle: labDir + "swan-ts-mismatch", verdict: walk.Fault, cause: []string{"IPSEC-SELECTOR-MISMATCH gwa ↔ gwb"}, exit: 2},
		walkCase{walk: "ipsec-route-based", bundle: labDir + "swan-ts-mismatch", answers: []string{"design=gre"}, verdict: walk.OK, cause: []string{"IPSEC-SELECTOR-MISMATCH gwa ↔ gwb"}, exit: 0},
		walkCase{walk: "ipsec-route-based", bundle: labDir + "swan-proposal-mismatch", answers: []string{"design=gre"}, verdict: walk.OK, exit: 0},
		walkCase{walk: "vlan", bundle: labDir + "ovs-peer-lacp-off", verdict: walk.Unknown, exit: 1},
		walkCase{walk: "ipsec", bundle: labDir + "swan-proposal-mismatch", verdict: walk.Fault,
			cause: []string{"IPSEC-PROPOSAL-MISMATCH gwa ↔ gwb phase 1", "CAP-IKE-NO-PROPOSAL gwa ike0 172.31.0.1 ↔ 172.31.0.2"}, exit: 2},
		walkCase{walk: "ipsec", bundle: labDir + "swan-weak", verdict: walk.Fault,
			cause: []string{"IPSEC-WEAK-CRYPTO gwa ↔ gwb phase 1", "IPSEC-WEAK-CRYPTO gwa ↔ gwb phase 2"}, exit: 1},
		walkCase{walk: "ipsec-route-based", bundle: labDir + "swan-weak", answers: []string{"design=vti"}, verdict: walk.OK, exit: 0},
		walkCase{walk: "ipsec", bundle: labDir + "frr-routes", verdict: walk.Fault, cause: []string{"ROUTE-PROTECTED-MISSING rtr → 10.2.1.0/24"}, exit: 2},
		walkCase{walk: "ipsec-route-based", bundle: labDir + "frr-routes", answers: []string{"design=gre"}, verdict: walk.OK, exit: 0},
	)
	na([]string{"ipsec", "stp", "ipsec-route-based"}, "ovs-lacp-healthy", "ovs-trunk-mismatch", "ovs-peer-lacp-off")
	na([]string{"vlan", "ipsec", "lacp", "ipsec-route-based"}, "ovs-rstp-loop", "bridge-stp-loop")
	na([]string{"vlan", "lacp", "stp"}, "swan-healthy", "swan-ts-mismatch", "swan-proposal-mismatch", "swan-weak", "frr-routes")
}

// The IPsec walkthroughs on the Layer 2 cases: nothing to do there.
func init() {
	for _, b := range []string{"l2-ovs-both-passive", "l2-ovs-lacpdu-timeouts", "l2-ovs-lag-split", "l2-ovs-peer-lacp-off",
		"l2-ovs-rate-mismatch", "l2-ovs-rstp", "l2-ovs-rstp-root-unexpected", "l2-ovs-stp-mode-mismatch", "l2-ovs-trunk-mismatch"} {
		walkCases = append(walkCases,
			walkCase{walk: "ipsec", bundle: cases + b, verdict: walk.NotApplicable, exit: 0},
			walkCase{walk: "ipsec-route-based", bundle: cases + b, verdict: walk.NotApplicable, exit: 0})
	}
}

func (c walkCase) name() string {
	return fmt.Sprintf("%s/%s/%s", c.walk, path.Base(c.bundle), strings.Join(c.answers, ","))
}

// TestWalkFixtures drives each case through `nettui walk` (exit status,
// the conclusion's first line naming the first fault) and through the
// engine on the same bundle (the verdict, and the findings named: exactly
// the expected ones).
func TestWalkFixtures(t *testing.T) {
	for _, c := range walkCases {
		t.Run(c.name(), func(t *testing.T) {
			args := []string{"walk", c.walk, "--bundle", c.bundle}
			for _, a := range c.answers {
				args = append(args, "--answer", a)
			}
			out, stderr, code := runCLI(t, args...)
			if code != c.exit {
				t.Fatalf("exit %d, want %d; stderr: %s\n%s", code, c.exit, stderr, out)
			}
			conclusion := regexp.MustCompile(`(?m)^Conclusion \[([a-z ]+)\]\n  (.*)$`).FindStringSubmatch(out)
			if conclusion == nil {
				t.Fatalf("no conclusion in:\n%s", out)
			}
			if conclusion[1] != string(c.verdict) {
				t.Errorf("printed verdict %q, want %q", conclusion[1], c.verdict)
			}
			if len(c.cause) > 0 && !strings.Contains(conclusion[2], c.cause[0]) {
				t.Errorf("the conclusion does not name %s: %s", c.cause[0], conclusion[2])
			}

			snap, src, _, err := loadSiteFS(c.bundle)
			if err != nil {
				t.Fatal(err)
			}
			w := walk.Get(c.walk)
			ans, err := walk.ParseAnswers(w, c.answers)
			if err != nil {
				t.Fatal(err)
			}
			s := walk.New(w, snap, walk.Options{Answers: ans, Source: src})
			if err := s.RunAll(context.Background()); err != nil {
				t.Fatal(err)
			}
			con := s.Conclusion()
			if con.Verdict != c.verdict {
				t.Errorf("verdict %s, want %s: %s", con.Verdict, c.verdict, con.Summary)
			}
			var got []string
			for _, f := range con.Cause {
				got = append(got, f.ID+" "+f.Subject)
			}
			want := slices.Clone(c.cause)
			sort.Strings(got)
			sort.Strings(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings named (-want +got):\n%s", diff)
			}
			checkCitations(t, snap, s.Transcript())
			if c.verdict == walk.Fault {
				checkFixes(t, con)
			}
		})
	}
}

// checkCitations: every verdict (ok, fault, unknown) of a step rests on
// evidence, and every line cited is the snapshot's text at that line.
func checkCitations(t *testing.T, snap *netmodel.Snapshot, tr walk.Transcript) {
	t.Helper()
	for _, e := range tr.Entries {
		r := e.Result
		switch r.Verdict {
		case walk.OK, walk.Fault, walk.Unknown:
		default:
			continue
		}
		if e.Kind == walk.KindQuestion || e.Kind == walk.KindVerify {
			continue
		}
		cites := 0
		for _, f := range r.Facts {
			for _, ev := range f.Evidence {
				cites++
				if ev.Device == "" || ev.File == "" {
					t.Errorf("%s: evidence without device or source: %+v", e.Title, ev)
				}
				raw := snap.File(ev.File)
				if raw == nil || ev.Start <= 0 {
					continue // a capture, or bundle.yaml: no raw lines kept
				}
				if ev.End > len(raw.Lines) {
					t.Errorf("%s: %s cites lines %d-%d of %d", e.Title, ev.File, ev.Start, ev.End, len(raw.Lines))
					continue
				}
				if got := strings.Join(raw.Lines[ev.Start-1:ev.End], "\n"); got != ev.Text {
					t.Errorf("%s: %s:%d-%d is %q, the evidence says %q", e.Title, ev.File, ev.Start, ev.End, got, ev.Text)
				}
			}
		}
		for _, f := range r.Findings {
			cites += len(f.Evidence)
		}
		if cites == 0 && r.Verdict != walk.Unknown {
			t.Errorf("step %q: verdict %s cites nothing", e.Title, r.Verdict)
		}
	}
}

// checkFixes: a fault's conclusion says what to type: the fix, or for a
// fault no setting fixes by itself, the commands that watch it.
func checkFixes(t *testing.T, c *walk.Conclusion) {
	t.Helper()
	if len(c.Fixes) == 0 && len(c.Followup) == 0 {
		t.Errorf("fault without a fix: %s", c.Summary)
	}
	for _, f := range c.Fixes {
		if f.Device == "" || len(f.Commands) == 0 {
			t.Errorf("empty fix %+v", f)
		}
	}
}

// TestWalkFixturesCoverEveryBundle: the table drives every walkthrough on
// the demo site and on every case bundle.
func TestWalkFixturesCoverEveryBundle(t *testing.T) {
	dirs := []string{demoDir}
	ms, err := fs.Glob(os.DirFS("."), cases+"*/bundle.yaml")
	if err != nil || len(ms) == 0 {
		t.Fatalf("no case bundles: %v", err)
	}
	labs, err := fs.Glob(os.DirFS("."), labDir+"*/bundle.yaml")
	if err != nil || len(labs) == 0 {
		t.Fatalf("no lab bundles: %v", err)
	}
	ms = append(ms, labs...)
	for _, m := range ms {
		dirs = append(dirs, path.Dir(m))
	}
	for _, w := range walk.All() {
		for _, d := range dirs {
			if !slices.ContainsFunc(walkCases, func(c walkCase) bool { return c.walk == w.Name && c.bundle == d }) {
				t.Errorf("walkthrough %s is not driven on %s", w.Name, d)
			}
		}
	}
}

// TestWalkCasesMatchExpected: on each case bundle, the walkthrough the
// case is about names exactly the findings of its EXPECTED.txt.
func TestWalkCasesMatchExpected(t *testing.T) {
	about := map[string]string{
		"ipsec-policy-3x3": "ipsec", "ipsec-weak": "ipsec", "ipsec-gre": "ipsec",
		"l2-ovs-both-passive": "lacp", "l2-ovs-healthy": "lacp", "l2-ovs-lacpdu-timeouts": "lacp", "l2-ovs-lag-split": "lacp",
		"l2-ovs-peer-lacp-off": "lacp", "l2-ovs-rate-mismatch": "lacp",
		"l2-ovs-rstp": "stp", "l2-ovs-rstp-root-unexpected": "stp", "l2-ovs-stp-mode-mismatch": "stp",
		"l2-ovs-trunk-mismatch": "vlan",
	}
	for name, w := range about {
		raw, err := os.ReadFile(cases + name + "/EXPECTED.txt")
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			if l != "" {
				want = append(want, strings.Replace(l, "\t", " ", 1))
			}
		}
		sort.Strings(want)
		found := false
		for _, c := range walkCases {
			if c.walk != w || c.bundle != cases+name || (len(want) > 0) != (len(c.cause) > 0) {
				continue
			}
			found = true
			got := slices.Clone(c.cause)
			sort.Strings(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s on %s: the table expects other findings than EXPECTED.txt (-EXPECTED +table):\n%s", w, name, diff)
			}
		}
		if !found {
			t.Errorf("%s on %s: no case with EXPECTED.txt's findings", w, name)
		}
	}
}

func TestWalkList(t *testing.T) {
	out, stderr, code := runCLI(t, "walk")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	last := -1
	for _, w := range walk.All() {
		i := strings.Index(out, "  "+w.Name+" ")
		if i < 0 {
			t.Errorf("%s not listed:\n%s", w.Name, out)
		}
		if i < last {
			t.Errorf("%s listed out of order", w.Name)
		}
		last = i
		if !strings.Contains(out, w.Title) {
			t.Errorf("%s's title not listed", w.Name)
		}
	}
}

// TestWalkNeedsAnswer: several choices and no answer stop the walk with
// exit 4, the transcript so far on stdout and the choices on stderr.
func TestWalkNeedsAnswer(t *testing.T) {
	out, stderr, code := runCLI(t, "walk", "ipsec")
	if code != exitNeedAnswer {
		t.Fatalf("exit %d, want %d", code, exitNeedAnswer)
	}
	if strings.Contains(out, "Conclusion") {
		t.Errorf("concluded without an answer:\n%s", out)
	}
	for _, want := range []string{`"Which tunnel?" has 2 choices: answer with --answer tunnel=VALUE`, "asa-partner@203.0.113.1", "br-swan@203.0.113.1", "asa-partner ↔ hub-srx"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// A later question: the tunnel is the only one, the design is asked.
	out, stderr, code = runCLI(t, "walk", "ipsec-route-based", "--bundle", cases+"ipsec-policy-3x3")
	if code != exitNeedAnswer || !strings.Contains(stderr, "--answer design=VALUE") || !strings.Contains(stderr, "gre") || !strings.Contains(stderr, "vti") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
	if !strings.Contains(out, "answer: br-rtr ↔ hq-srx") || !strings.Contains(out, "the only choice") {
		t.Errorf("the only tunnel was not taken:\n%s", out)
	}
}

func TestWalkBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"walk", "nope"}, exitUnusable, `no walkthrough "nope" (there are: vlan, ipsec, lacp, stp, ipsec-route-based)`},
		{[]string{"walk", "vlan", "--answer", "portgroup"}, exitUnusable, `--answer "portgroup": want KEY=VALUE`},
		{[]string{"walk", "vlan", "--answer", "tunnel=x"}, exitUnusable, `vlan asks no "tunnel" (its keys: portgroup)`},
		{[]string{"walk", "vlan", "--format", "html"}, exitUnusable, `--format "html": want text or markdown`},
		{[]string{"walk", "vlan", "--bundle", "no/such/dir"}, exitUnusable, "no/such/dir"},
		{[]string{"walk", "vlan", "--answer", "portgroup=esx09/vSwitch0/X"}, exitNeedAnswer, "--answer portgroup=esx09/vSwitch0/X is not a choice"},
		{[]string{"walk", "ipsec-route-based", "--bundle", cases + "ipsec-policy-3x3", "--answer", "design=gre", "--answer", "tunnel-net=10.1.0.0/30"},
			exitNeedAnswer, "10.1.0.0/30 overlaps 10.1.0.1/24 on hq-srx ge-0/0/1.0"},
	} {
		_, stderr, code := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.err)
		}
	}
}

func TestWalkMarkdown(t *testing.T) {
	out, _, code := runCLI(t, "walk", "lacp", "--bundle", cases+"l2-ovs-lag-split", "--format", "markdown")
	if code != exitCritical {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"# Walkthrough: LACP bundle not forming or flapping\n",
		"## 1. Which bundle? — answered\n",
		"## Conclusion — fault\n",
		"### What to type\n",
		"ovs-vsctl set port bond0 lacp=off bond\\_mode=active-backup", // in a fence, not escaped: see below
	} {
		if want == "ovs-vsctl set port bond0 lacp=off bond\\_mode=active-backup" {
			if !strings.Contains(out, "```\novs-vsctl set port bond0 lacp=off bond_mode=active-backup\n```") {
				t.Errorf("the fix is not a code block:\n%s", out)
			}
			continue
		}
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	// The capture step used the bundle's decoded captures, citing packets.
	if !strings.Contains(out, "`captures/kvm01-eno2.pcap:") {
		t.Errorf("the capture step cites no packet of the bundle's captures:\n%s", out)
	}
}

// TestWalkCommandTable: the commands the walkthroughs name for missing
// data are the catalog's (parse registry) for that platform and output.
func TestWalkCommandTable(t *testing.T) {
	for _, row := range walk.CommandTable() {
		e := parse.Lookup(netmodel.Platform(row[0]), row[1])
		if e == nil {
			t.Errorf("%s %s: no such capability", row[0], row[1])
			continue
		}
		if e.Command != row[2] {
			t.Errorf("%s %s: walk says %q, the catalog %q", row[0], row[1], row[2], e.Command)
		}
	}
}

// TestWalkRouteBasedConfigsJudgeClean applies the configuration the
// route-based walkthrough produces for both ends of the 3×3 policy-based
// case to the ends' collected configuration (and the routes it installs to
// their routing tables), reads the result with the real parsers, and
// diagnoses it: one selector pair per side, paired ends, and no IPsec or
// routing finding; the IPsec walkthrough then finds no fault, and the
// route-based one has nothing left to move.
func TestWalkRouteBasedConfigsJudgeClean(t *testing.T) {
	for _, design := range []string{"gre", "vti"} {
		t.Run(design, func(t *testing.T) {
			dir := cases + "ipsec-policy-3x3"
			snap, _, _, err := loadSiteFS(dir)
			if err != nil {
				t.Fatal(err)
			}
			s := walk.New(walk.Get("ipsec-route-based"), snap, walk.Options{Answers: map[string]string{"design": design}})
			if err := s.RunAll(context.Background()); err != nil {
				t.Fatal(err)
			}
			c := s.Conclusion()
			fixes := map[string]netmodel.Fix{}
			for _, f := range c.Fixes {
				fixes[f.Device] = f
			}
			if len(fixes) != 2 || len(c.Followup) != 3 {
				t.Fatalf("want configuration for 2 ends and 3 checks, got %d fixes, %d checks", len(fixes), len(c.Followup))
			}
			files := map[string][]byte{}
			err = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(path.Join(dir, p))
				files[p] = b
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			// The SAs are renegotiated by the change: their outputs go.
			for _, p := range []string{"devices/hq-srx/show-security-ike-sa.txt", "devices/hq-srx/show-security-ipsec-sa.txt",
				"devices/br-rtr/show-crypto-ikev2-sa.txt", "devices/br-rtr/show-crypto-ipsec-sa.txt"} {
				delete(files, p)
			}
			applyJunos(t, files, "devices/hq-srx", fixes["hq-srx"].Commands)
			applyIOS(t, files, "devices/br-rtr", fixes["br-rtr"].Commands)

			after, err := bundle.Load(bundle.NewMemFS(files))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range after.Devices {
				for _, pe := range d.Errors {
					t.Errorf("parse error after the change: %v", pe)
				}
			}
			for _, u := range after.Unrecognised {
				t.Errorf("%s not recognised: %s", u.Path, u.Reason)
			}
			for _, f := range diagnose.Run(after) {
				if strings.HasPrefix(f.ID, "IPSEC-") || strings.HasPrefix(f.ID, "ROUTE-") {
					t.Errorf("after the change: %s %s: %s\n%s", f.ID, f.Subject, f.Title, f.Why)
				}
			}
			ends := diagnose.NewContext(after).Tunnels()
			if len(ends) != 2 || ends[0].Partner != ends[1] {
				t.Fatalf("the two ends are not paired after the change: %d ends", len(ends))
			}
			for _, e := range ends {
				if n := len(e.ConfiguredSelectors()); n > 1 {
					t.Errorf("%s: %d selector pairs, want at most 1", e.Name(), n)
				}
				if diagnose.PolicyBased(e) {
					t.Errorf("%s is still policy-based", e.Name())
				}
				if tif := diagnose.TunnelInterface(e); design == "vti" && tif == "" {
					t.Errorf("%s has no tunnel interface", e.Name())
				}
			}
			// Routes: every remote network leaves through the new tunnel interface.
			want := map[string]string{"hq-srx": "gr-0/0/0.0", "br-rtr": "Tunnel10"}
			if design == "vti" {
				want["hq-srx"] = "st0.10"
			}
			for dev, ifname := range want {
				d := after.Device(dev)
				n := 0
				for _, r := range d.Routes {
					if r.Protocol == "static" && r.Interface == ifname {
						n++
					}
				}
				if n != 3 {
					t.Errorf("%s: %d static routes via %s, want 3", dev, n, ifname)
				}
			}
			for name, want := range map[string]walk.Verdict{"ipsec": walk.OK, "ipsec-route-based": walk.NotApplicable} {
				s := walk.New(walk.Get(name), after, walk.Options{})
				if err := s.RunAll(context.Background()); err != nil {
					t.Fatal(err)
				}
				if c := s.Conclusion(); c.Verdict != want {
					t.Errorf("%s after the change: %s (%s), want %s", name, c.Verdict, c.Summary, want)
				}
			}
		})
	}
}

// applyJunos applies `configure` mode commands to a Junos device's
// `show configuration ... | display set` outputs: delete removes the
// statements under a path, set adds one (to the interfaces output for
// interfaces, else to the security one); static routes go into its
// `show route` output as the routing table then shows them.
func applyJunos(t *testing.T, files map[string][]byte, dev string, cmds []string) {
	t.Helper()
	sec, ifs := dev+"/show-configuration-security.txt", dev+"/show-configuration-interfaces.txt"
	lines := map[string][]string{sec: splitLines(files[sec]), ifs: splitLines(files[ifs])}
	var routes []string
	var tunnelIf, tunnelAddr string
	for _, c := range cmds {
		switch {
		case c == "configure" || c == "commit check" || c == "commit":
		case strings.HasPrefix(c, "delete "):
			p := "set " + strings.TrimPrefix(c, "delete ")
			n := 0
			for f, ls := range lines {
				var keep []string
				for _, l := range ls {
					if l == p || strings.HasPrefix(l, p+" ") {
						n++
						continue
					}
					keep = append(keep, l)
				}
				lines[f] = keep
			}
			if n == 0 {
				t.Errorf("%s: %q deletes nothing", dev, c)
			}
		case strings.HasPrefix(c, "set routing-options static route "):
			f := strings.Fields(c)
			routes = append(routes, fmt.Sprintf("%-19s*[Static/5] 00:00:07", f[4]))
			if a, err := netip.ParseAddr(f[6]); err == nil {
				routes = append(routes, fmt.Sprintf("                    >  to %s via %s", a, tunnelIf))
			} else {
				routes = append(routes, "                    >  via "+f[6])
			}
		case strings.HasPrefix(c, "set interfaces "):
			lines[ifs] = append(lines[ifs], c)
			f := strings.Fields(c)
			if len(f) >= 9 && f[5] == "family" && f[6] == "inet" && f[7] == "address" {
				tunnelIf, tunnelAddr = f[2]+"."+f[4], f[8]
			}
		case strings.HasPrefix(c, "set "):
			lines[sec] = append(lines[sec], c)
		default:
			t.Fatalf("%s: cannot apply %q", dev, c)
		}
	}
	for f, ls := range lines {
		files[f] = joinLines(ls)
	}
	// The routing table: the tunnel's connected /30, its local address, the static routes.
	p := netip.MustParsePrefix(tunnelAddr)
	rt := splitLines(files[dev+"/show-route.txt"])
	rt = append(rt,
		fmt.Sprintf("%-19s*[Direct/0] 00:00:07", p.Masked()), "                    >  via "+tunnelIf,
		fmt.Sprintf("%-19s*[Local/0] 00:00:07", netip.PrefixFrom(p.Addr(), 32)), "                       Local via "+tunnelIf)
	rt = append(rt, routes...)
	files[dev+"/show-route.txt"] = joinLines(rt)
	terse := splitLines(files[dev+"/show-interfaces-terse.txt"])
	files[dev+"/show-interfaces-terse.txt"] = joinLines(append(terse, fmt.Sprintf("%-24sup    up   inet     %s", tunnelIf, tunnelAddr)))
}

// applyIOS applies configuration-mode commands to an IOS device's
// `show running-config | section crypto|access-list|interface Tunnel`
// output, which then shows only the sections that still match; ip route
// goes to its `show ip route` output.
func applyIOS(t *testing.T, files map[string][]byte, dev string, cmds []string) {
	t.Helper()
	type block struct{ lines []string }
	var blocks []*block
	for _, l := range splitLines(files[dev+"/show-running-config-crypto.txt"]) {
		if strings.HasPrefix(l, " ") && len(blocks) > 0 {
			blocks[len(blocks)-1].lines = append(blocks[len(blocks)-1].lines, l)
			continue
		}
		blocks = append(blocks, &block{lines: []string{l}})
	}
	head := func(b *block) string { return strings.TrimRight(b.lines[0], " ") }
	find := func(h string) int {
		return slices.IndexFunc(blocks, func(b *block) bool { return head(b) == h || strings.HasPrefix(head(b), h+" ") })
	}
	var cur *block
	var routes []string
	tunnelIf, tunnelAddr := "", ""
	for _, c := range cmds {
		switch {
		case c == "configure terminal" || c == "end" || c == "copy running-config startup-config":
			cur = nil
		case strings.HasPrefix(c, " no "):
			if cur == nil {
				t.Fatalf("%s: %q outside a section", dev, c)
			}
			want := " " + strings.TrimPrefix(c, " no ")
			i := slices.IndexFunc(cur.lines, func(l string) bool { return strings.TrimRight(l, " ") == want })
			if i < 0 {
				t.Errorf("%s: %q removes nothing", dev, c)
				continue
			}
			cur.lines = slices.Delete(cur.lines, i, i+1)
		case strings.HasPrefix(c, " "):
			if cur == nil {
				t.Fatalf("%s: %q outside a section", dev, c)
			}
			cur.lines = append(cur.lines, c)
			if f := strings.Fields(c); len(f) == 4 && f[0] == "ip" && f[1] == "address" {
				tunnelAddr = f[2]
			}
		case strings.HasPrefix(c, "no "):
			i := find(strings.TrimPrefix(c, "no "))
			if i < 0 {
				t.Errorf("%s: %q removes nothing", dev, c)
				continue
			}
			blocks = slices.Delete(blocks, i, i+1)
			cur = nil
		case strings.HasPrefix(c, "ip route "):
			f := strings.Fields(c)
			p := netip.PrefixFrom(netip.MustParseAddr(f[2]), maskBits(f[3]))
			routes = append(routes, fmt.Sprintf("S        %s is directly connected, %s", p, f[4]))
			cur = nil
		default:
			if i := find(c); i >= 0 && head(blocks[i]) == c {
				cur = blocks[i]
			} else {
				cur = &block{lines: []string{c}}
				blocks = append(blocks, cur)
			}
			if strings.HasPrefix(c, "interface Tunnel") {
				tunnelIf = strings.TrimPrefix(c, "interface ")
			}
		}
	}
	section := regexp.MustCompile(`crypto|access-list|interface Tunnel`)
	var out []string
	for _, b := range blocks {
		if slices.ContainsFunc(b.lines, section.MatchString) {
			out = append(out, b.lines...)
		}
	}
	files[dev+"/show-running-config-crypto.txt"] = joinLines(out)
	rt := splitLines(files[dev+"/show-ip-route.txt"])
	rt = append(rt, "      169.254.0.0/16 is variably subnetted, 2 subnets, 2 masks",
		fmt.Sprintf("C        %s is directly connected, %s", netip.PrefixFrom(netip.MustParseAddr(tunnelAddr), 30).Masked(), tunnelIf),
		fmt.Sprintf("L        %s/32 is directly connected, %s", tunnelAddr, tunnelIf))
	rt = append(rt, routes...)
	files[dev+"/show-ip-route.txt"] = joinLines(rt)
}

func maskBits(mask string) int {
	a := netip.MustParseAddr(mask).As4()
	n := 0
	for _, b := range a {
		for i := 7; i >= 0; i-- {
			if b&(1<<i) != 0 {
				n++
			}
		}
	}
	return n
}

func splitLines(b []byte) []string {
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

func joinLines(ls []string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }

// TestDemoDashboardWalk: in the dashboard on the demo site, w on the
// VM-Prod finding, the VLAN walkthrough started from it and run to its
// trunk step: the step next, the switch ports found before.
func TestDemoDashboardWalk(t *testing.T) {
	opts := demoOptions(t)
	opts.Walk = walkConfig(opts.Source, nil, nil)
	tm := teatest.NewTestModel(t, ui.New(opts), teatest.WithInitialTermSize(120, 40))
	for _, k := range []string{"j", "j", "j", "j", "j", "j", "w", "enter", "enter", "enter", "enter", "enter"} {
		tm.Send(runes(k))
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	teatest.RequireEqualOutput(t, []byte(fm.View()))
}

// TestWalkDocs: docs/walkthroughs.md describes every walkthrough and
// step, and its example transcripts are what the command prints.
func TestWalkDocs(t *testing.T) {
	raw, err := os.ReadFile("docs/walkthroughs.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for _, w := range walk.All() {
		if !strings.Contains(doc, "`"+w.Name+"`") || !strings.Contains(doc, w.Title) {
			t.Errorf("%s is not described", w.Name)
		}
		for _, s := range w.Steps {
			if !strings.Contains(doc, "| "+s.Title+" |") {
				t.Errorf("%s: step %q is not in its table", w.Name, s.Title)
			}
			for _, id := range s.Check.Rules {
				if !strings.Contains(doc, id) {
					t.Errorf("%s/%s: rule %s not named", w.Name, s.ID, id)
				}
			}
		}
	}
	examples := regexp.MustCompile("(?s)<!-- example: nettui (walk [^>]*) -->\n```\n(.*?)```\n").FindAllStringSubmatch(doc, -1)
	if len(examples) == 0 {
		t.Fatal("no example transcript")
	}
	for _, ex := range examples {
		out, _, _ := runCLI(t, strings.Fields(ex[1])...)
		if diff := cmp.Diff(ex[2], out); diff != "" {
			t.Errorf("nettui %s: the documented transcript differs (-doc +now):\n%s", ex[1], diff)
		}
	}
}

// TestWalkFixturesInTheDashboard drives the same cases through the
// dashboard's walkthrough view, key by key: the walkthrough picked in the
// list, each question answered by moving to the choice (or typing the
// answer), each step run with enter; the conclusion names the same faults.
func TestWalkFixturesInTheDashboard(t *testing.T) {
	for _, c := range walkCases {
		t.Run(c.name(), func(t *testing.T) {
			snap, src, _, err := loadSiteFS(c.bundle)
			if err != nil {
				t.Fatal(err)
			}
			m := walkui.New(context.Background(), walkui.Config{Source: src}, snap, nil)
			m.SetSize(120, 40)
			press := func(ks ...string) {
				for _, msg := range uitest.Keys(ks...) {
					var cmd tea.Cmd
					m, cmd = m.Update(msg)
					if cmd != nil {
						t.Fatalf("a bundle step ran in a command")
					}
				}
			}
			i := slices.IndexFunc(walk.All(), func(w *walk.Walkthrough) bool { return w.Name == c.walk })
			for range i {
				press("j")
			}
			press("enter")
			if m.Session() == nil || m.Session().Walkthrough().Name != c.walk {
				t.Fatalf("picked %v", m.Session())
			}
			answers, err := walk.ParseAnswers(walk.Get(c.walk), c.answers)
			if err != nil {
				t.Fatal(err)
			}
			for steps := 0; !m.Session().Done(); steps++ {
				if steps > 20 {
					t.Fatal("no conclusion after 20 keys")
				}
				q, choices := m.Session().Choices()
				want, given := "", false
				if q != nil {
					want, given = answers[q.Key]
				}
				switch {
				case q == nil || !given:
					press("enter")
				case slices.ContainsFunc(choices, func(ch walk.Choice) bool { return ch.Value == want }):
					for range slices.IndexFunc(choices, func(ch walk.Choice) bool { return ch.Value == want }) {
						press("j")
					}
					press("enter")
				default:
					press("i")
					press(strings.Split(want, "")...)
					press("enter")
				}
			}
			con := m.Session().Conclusion()
			if con.Verdict != c.verdict {
				t.Errorf("verdict %s, want %s: %s", con.Verdict, c.verdict, con.Summary)
			}
			var got []string
			for _, f := range con.Cause {
				got = append(got, f.ID+" "+f.Subject)
			}
			want := slices.Clone(c.cause)
			sort.Strings(got)
			sort.Strings(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings named (-want +got):\n%s", diff)
			}
			if !strings.Contains(m.View(), "Conclusion — "+string(c.verdict)) {
				t.Errorf("the view does not show the conclusion:\n%s", m.View())
			}
		})
	}
}
