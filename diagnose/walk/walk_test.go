package walk

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
)

// site builds a small snapshot whose every fact is a line of a raw file,
// so that steps cite real lines.
type site struct {
	s     *netmodel.Snapshot
	files map[string]*netmodel.RawFile
}

func newSite() *site {
	return &site{s: &netmodel.Snapshot{Site: "lab", Expect: map[string]string{}}, files: map[string]*netmodel.RawFile{}}
}

func (b *site) dev(name string, p netmodel.Platform, caps ...string) *netmodel.Device {
	if d := b.s.Device(name); d != nil {
		return d
	}
	d := &netmodel.Device{Name: name, Platform: p, Status: netmodel.StatusOK, Capabilities: caps}
	b.s.Devices = append(b.s.Devices, d)
	return d
}

// line adds text to the device's file of capability cap and returns its source.
func (b *site) line(dev, cap, text string) netmodel.Source {
	p := "devices/" + dev + "/" + cap + ".txt"
	f := b.files[p]
	if f == nil {
		f = &netmodel.RawFile{Device: dev, Path: p, Capability: cap}
		b.files[p] = f
		b.s.Files = append(b.s.Files, f)
	}
	f.Lines = append(f.Lines, text)
	n := len(f.Lines)
	return netmodel.Source{File: p, Start: n, End: n}
}

func (b *site) link(a, ap, z, zp string) {
	b.s.Declared = append(b.s.Declared, netmodel.Link{A: netmodel.Endpoint{Device: a, Port: ap}, B: netmodel.Endpoint{Device: z, Port: zp},
		Seen: []netmodel.Sighting{{How: "declared", Src: netmodel.Source{File: "bundle.yaml"}}}})
}

// bridge adds an RSTP bridge of tree inst to dev, its ports given as
// name, role, state.
func (b *site) bridge(dev, inst, mac, root string, prio int, ports ...[3]string) *netmodel.STPBridge {
	d := b.dev(dev, netmodel.OVS)
	if !d.HasCapability("ovs-rstp-show") {
		d.Capabilities = append(d.Capabilities, "ovs-rstp-show")
	}
	br := &netmodel.STPBridge{Mode: "rstp", Instance: inst, BridgeMAC: mac, BridgePriority: prio, RootMAC: root, RootPriority: 28672,
		IsRoot: mac == root, LastChangeSecs: -1}
	br.Src = b.line(dev, "ovs-rstp-show", "---- "+inst+" ----")
	for _, p := range ports {
		br.Ports = append(br.Ports, &netmodel.STPPort{Name: p[0], Role: p[1], State: p[2], Src: b.line(dev, "ovs-rstp-show", p[0]+" "+p[1]+" "+p[2])})
	}
	d.STP = append(d.STP, br)
	return br
}

// loop is two OVS switches joined twice, one RSTP tree br0: sw1 root.
func loop() *site {
	b := newSite()
	b.bridge("sw1", "br0", "02:00:00:00:00:01", "02:00:00:00:00:01", 28672, [3]string{"a1", "designated", "forwarding"}, [3]string{"a2", "designated", "forwarding"})
	b.bridge("sw2", "br0", "02:00:00:00:00:02", "02:00:00:00:00:01", 32768, [3]string{"b1", "root", "forwarding"}, [3]string{"b2", "alternate", "discarding"})
	b.link("sw1", "a1", "sw2", "b1")
	b.link("sw1", "a2", "sw2", "b2")
	b.s.ResolveLinks()
	return b
}

func TestWalkthroughsWellFormed(t *testing.T) {
	if got, want := Names(), []string{"vlan", "ipsec", "lacp", "stp", "ipsec-route-based"}; !slices.Equal(got, want) {
		t.Errorf("walkthroughs %v, want %v in that order", got, want)
	}
	rules := map[string]bool{}
	for _, r := range diagnose.Rules() {
		rules[r.ID] = true
	}
	for _, w := range All() {
		if w.Title == "" || w.Symptom == "" || len(w.Suggest) == 0 || w.concerns == nil || w.prefill == nil {
			t.Errorf("%s: title, symptom, suggestions, concerns and prefill are required", w.Name)
		}
		if len(w.Steps) == 0 || w.Steps[0].Check.Kind != KindQuestion {
			t.Errorf("%s: the first step must ask what to look at", w.Name)
		}
		ids := map[string]bool{}
		for _, s := range w.Steps {
			if ids[s.ID] {
				t.Errorf("%s: step %s twice", w.Name, s.ID)
			}
			ids[s.ID] = true
			if s.Title == "" || s.Why == "" || s.Read == "" {
				t.Errorf("%s/%s: what, why and how to read are required", w.Name, s.ID)
			}
			c := s.Check
			switch {
			case c.Kind == KindQuestion && (c.Question == nil || c.Question.Key == "" || c.Question.choices == nil):
				t.Errorf("%s/%s: a question needs a key and choices", w.Name, s.ID)
			case c.Kind != KindQuestion && s.eval == nil:
				t.Errorf("%s/%s: no evaluation", w.Name, s.ID)
			case c.Kind == KindCapture && (c.Capture == nil || c.Capture.filter == nil || c.Capture.points == nil || c.Capture.Describe == ""):
				t.Errorf("%s/%s: a capture needs a filter and points", w.Name, s.ID)
			case len(c.Collect) > 0 && s.devices == nil:
				t.Errorf("%s/%s: collects without devices", w.Name, s.ID)
			}
			for _, id := range c.Rules {
				if !rules[id] {
					t.Errorf("%s/%s: no rule %s", w.Name, s.ID, id)
				}
			}
		}
		for _, s := range w.Steps {
			for _, to := range []string{s.OnFault, s.OnOK, s.OnUnknown} {
				if to != "" && to != End && !ids[to] {
					t.Errorf("%s/%s: branch to unknown step %q", w.Name, s.ID, to)
				}
			}
		}
	}
}

// TestOnlyChoiceTaken: one tree, no answer needed; the walk concludes
// with every step's verdict and nothing wrong.
func TestOnlyChoiceTaken(t *testing.T) {
	s := New(Get("stp"), loop().s, Options{})
	if err := s.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	tr := s.Transcript()
	if !tr.Done || tr.Conclusion.Verdict != OK {
		t.Fatalf("done %v verdict %s: %s", tr.Done, tr.Conclusion.Verdict, tr.Conclusion.Summary)
	}
	first := tr.Entries[0].Result
	if first.Answer == nil || first.Answer.Value != "br0" || first.Via != "the only choice" {
		t.Errorf("first step: %+v", first)
	}
	if got := tr.Answers; !slices.Equal(got, [][2]string{{"tree", "br0"}}) {
		t.Errorf("answers %v", got)
	}
	var titles []string
	for _, e := range tr.Entries {
		titles = append(titles, e.Title)
	}
	var want []string
	for _, st := range Get("stp").Steps {
		want = append(want, st.Title)
	}
	if !slices.Equal(titles, want) {
		t.Errorf("steps run %v, want every step %v", titles, want)
	}
	// The roles step saw the alternate port as the redundant path.
	roles := tr.Entries[2].Result
	if roles.Verdict != OK || !strings.Contains(roles.Summary, "sw2 b2 (alternate)") {
		t.Errorf("roles: %s %s", roles.Verdict, roles.Summary)
	}
}

func TestNeedAnswerAndAnswers(t *testing.T) {
	b := loop()
	b.bridge("sw1", "br1", "02:00:00:00:00:01", "02:00:00:00:00:01", 28672, [3]string{"a3", "designated", "forwarding"})
	s := New(Get("stp"), b.s, Options{})
	err := s.Next(context.Background())
	var na *NeedAnswer
	if !errors.As(err, &na) {
		t.Fatalf("err %v, want a NeedAnswer", err)
	}
	if na.Key != "tree" || len(na.Choices) != 2 || na.Choices[0].Value != "br0" || na.Choices[1].Value != "br1" || na.Bad != "" {
		t.Errorf("need %+v", na)
	}
	if len(s.Entries()) != 0 || s.Current().ID != "tree" {
		t.Errorf("a refused step must not move: %d entries, at %s", len(s.Entries()), s.Current().ID)
	}
	// A wrong answer: the same error, saying which and why.
	s = New(Get("stp"), b.s, Options{Answers: map[string]string{"tree": "br9"}})
	if err := s.Next(context.Background()); !errors.As(err, &na) || na.Bad != "br9" || na.Why == "" {
		t.Errorf("bad answer: %v", err)
	}
	// Answered through the options, case aside.
	s = New(Get("stp"), b.s, Options{Answers: map[string]string{"tree": "BR1"}})
	if err := s.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := s.Entries()[0].Result; r.Answer.Value != "br1" || r.Via != "--answer" {
		t.Errorf("answer %+v via %s", r.Answer, r.Via)
	}
	// Answered interactively.
	s = New(Get("stp"), b.s, Options{})
	if err := s.Answer(context.Background(), "br0"); err != nil {
		t.Fatal(err)
	}
	if r := s.Entries()[0].Result; r.Answer.Value != "br0" || r.Via != "chosen" || s.Current().ID != "root" {
		t.Errorf("answer %+v via %s, at %s", r.Answer, r.Via, s.Current().ID)
	}
}

func TestBackAndSkip(t *testing.T) {
	ctx := context.Background()
	s := New(Get("stp"), loop().s, Options{})
	if s.Back() {
		t.Error("back before any step")
	}
	for range 2 {
		if err := s.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if s.Current().ID != "roles" || len(s.Entries()) != 2 {
		t.Fatalf("at %s after %d steps", s.Current().ID, len(s.Entries()))
	}
	s.Skip()
	if e := s.Entries()[2]; e.Result.Verdict != Skipped || e.Step != "roles" || s.Current().ID != "edge" {
		t.Errorf("skip: %+v, now at %s", e.Result, s.Current().ID)
	}
	if !s.Back() || s.Current().ID != "roles" || len(s.Entries()) != 2 {
		t.Errorf("back: at %s, %d entries", s.Current().ID, len(s.Entries()))
	}
	if err := s.RunAll(ctx); err != nil {
		t.Fatal(err)
	}
	if !s.Done() || s.Entries()[2].Result.Verdict != OK {
		t.Errorf("roles after back: %+v", s.Entries()[2].Result)
	}
	// Back from the conclusion reopens the last step.
	if !s.Back() || s.Done() || s.Current().ID != "capture" {
		t.Errorf("back from the end: done %v at %v", s.Done(), s.Current())
	}
	// Back to the first question forgets its answer.
	for s.Back() {
	}
	if len(s.Answered()) != 0 || s.Current().ID != "tree" || s.run.Var("tree") != "" {
		t.Errorf("after going back to the start: answers %v, at %s", s.Answered(), s.Current().ID)
	}
}

// TestCloneIsIndependent: a step run on a clone (as the dashboard does for
// live steps) leaves the original where it was.
func TestCloneIsIndependent(t *testing.T) {
	s := New(Get("stp"), loop().s, Options{})
	if err := s.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	if err := c.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.Done() || len(s.Entries()) != 1 || s.Current().ID != "root" {
		t.Errorf("the original moved: %d entries", len(s.Entries()))
	}
	if !c.Done() {
		t.Error("the clone did not conclude")
	}
}

type fakeCollector struct {
	calls [][2]string
	snap  *netmodel.Snapshot
}

func (f *fakeCollector) Collect(_ context.Context, device string, caps []string) (*netmodel.Snapshot, error) {
	f.calls = append(f.calls, [2]string{device, strings.Join(caps, ",")})
	return f.snap, nil
}

type fakeCapturer struct {
	calls [][3]string
	c     *netmodel.Capture
}

func (f *fakeCapturer) Capture(_ context.Context, device, iface, filter string) (*netmodel.Capture, error) {
	f.calls = append(f.calls, [3]string{device, iface, filter})
	if f.c == nil {
		return nil, errors.New("no capture here")
	}
	c := *f.c
	c.Device, c.Interface = device, iface
	return &c, nil
}

// TestMissingDataOnABundle: a step whose outputs the bundle lacks says so
// with the command that collects them; a capture step without a capture
// names the filter it would use.
func TestMissingDataOnABundle(t *testing.T) {
	b := loop()
	sw2 := b.s.Device("sw2")
	sw2.Capabilities = nil // sw2's spanning tree "not collected"
	s := New(Get("stp"), b.s, Options{})
	if err := s.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	es := s.Entries()
	root := es[1].Result
	if !slices.Contains(root.Missing, "sw2: spanning tree not in the bundle (collect `ovs-appctl rstp/show`)") || root.Via != "bundle" {
		t.Errorf("root step missing %q via %s", root.Missing, root.Via)
	}
	capt := es[len(es)-1].Result
	if capt.Verdict != Skipped || capt.Filter != "ether dst 01:80:c2:00:00:00" || len(capt.Missing) != 1 ||
		!strings.Contains(capt.Missing[0], "capture with the filter `ether dst 01:80:c2:00:00:00`") || !strings.Contains(capt.Missing[0], "sw1 a1") {
		t.Errorf("capture step: %+v", capt)
	}
	if c := s.Conclusion(); !slices.ContainsFunc(c.NotChecked, func(n string) bool { return strings.HasPrefix(n, "Capture BPDUs: no capture of") }) {
		t.Errorf("not checked %v", c.NotChecked)
	}
}

// TestLiveCollectAndCapture: on a live site the step collects what the
// snapshot lacks and captures where the bundle has no capture.
func TestLiveCollectAndCapture(t *testing.T) {
	partial := loop()
	partial.s.Device("sw2").Capabilities = nil
	full := loop()
	col := &fakeCollector{snap: full.s}
	capt := &fakeCapturer{c: &netmodel.Capture{File: "live", Packets: 40, BPDU: []netmodel.CapBPDU{{Source: "02:00:00:00:00:01", Version: "rstp",
		RootPriority: 28672, RootMAC: "02:00:00:00:00:01", BridgePrio: 28672, BridgeMAC: "02:00:00:00:00:01", Count: 20, First: 1, Last: 39}}}}
	s := New(Get("stp"), partial.s, Options{Collector: col, Capturer: capt})
	if !s.Live() {
		t.Fatal("not live")
	}
	if err := s.Next(context.Background()); err != nil { // the tree
		t.Fatal(err)
	}
	if !s.NeedsIO() {
		t.Error("the root step collects: it needs I/O on a live site")
	}
	if err := s.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(col.calls, [2]string{"sw2", "ovs-rstp-show,ovs-stp-show"}) {
		t.Errorf("collector calls %v", col.calls)
	}
	es := s.Entries()
	if r := es[1].Result; r.Via != "collected live" || len(r.Missing) != 0 || !strings.Contains(r.Summary, "the root is sw1") {
		t.Errorf("root step: via %s missing %v: %s", r.Via, r.Missing, r.Summary)
	}
	if s.Snapshot() != full.s {
		t.Error("the session does not read the collected snapshot")
	}
	last := es[len(es)-1].Result
	if last.Verdict != OK || last.Via != "captured live" || len(capt.calls) != 4 || capt.calls[0] != [3]string{"sw1", "a1", "ether dst 01:80:c2:00:00:00"} {
		t.Errorf("capture: %s via %s, calls %v", last.Verdict, last.Via, capt.calls)
	}
	if ev := last.Facts[0].Evidence[0]; ev.File != "live" || ev.Start != 1 || ev.End != 39 || ev.Device != "sw1" {
		t.Errorf("capture evidence %+v", ev)
	}
	// A capture that fails says why.
	capt.c = nil
	s = New(Get("stp"), full.s, Options{Capturer: capt})
	if err := s.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	es = s.Entries()
	if r := es[len(es)-1].Result; r.Verdict != Skipped || !strings.Contains(strings.Join(r.Missing, " "), "sw1 a1: capture failed: no capture here") {
		t.Errorf("failed capture: %+v", r)
	}
}

// TestVerdictsCiteEvidence: on the synthetic site, every ok or fault
// verdict of a step cites lines, and those lines are the file's.
func TestVerdictsCiteEvidence(t *testing.T) {
	b := loop()
	b.s.Expect["stp_root"] = "sw2"
	s := New(Get("stp"), b.s, Options{})
	if err := s.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := s.Conclusion()
	if c.Verdict != Fault || len(c.Cause) != 1 || c.Cause[0].ID != diagnose.STPRootUnexpected || c.Cause[0].Subject != "root of br0" {
		t.Fatalf("conclusion %s %v", c.Verdict, c.Cause)
	}
	if !strings.HasPrefix(c.Summary, "Cause: STP-ROOT-UNEXPECTED root of br0: ") || len(c.Fixes) == 0 {
		t.Errorf("summary %q fixes %v", c.Summary, c.Fixes)
	}
	for _, e := range s.Entries() {
		if e.Result.Verdict != OK && e.Result.Verdict != Fault {
			continue
		}
		n := 0
		for _, f := range e.Result.Facts {
			for _, ev := range f.Evidence {
				n++
				if ev.Device == "bundle.yaml" {
					continue
				}
				raw := b.s.File(ev.File)
				if raw == nil || ev.Start < 1 || raw.Lines[ev.Start-1] != strings.Split(ev.Text, "\n")[0] {
					t.Errorf("%s: evidence %+v is not the file's line", e.Title, ev)
				}
			}
		}
		if n == 0 && len(e.Result.Findings) == 0 {
			t.Errorf("%s: %s without evidence", e.Title, e.Result.Verdict)
		}
	}
}

func TestSuggested(t *testing.T) {
	names := func(ws []*Walkthrough) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w.Name)
		}
		return out
	}
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"", []string{"vlan", "ipsec", "lacp", "stp", "ipsec-route-based"}},
		{"LACP-PARTNER-SPLIT", []string{"lacp", "vlan", "ipsec", "stp", "ipsec-route-based"}},
		{"IPSEC-SELECTOR-EXPLOSION", []string{"ipsec-route-based", "ipsec", "vlan", "lacp", "stp"}},
		{"ROUTE-PROTECTED-MISSING", []string{"ipsec", "vlan", "lacp", "stp", "ipsec-route-based"}},
		{"CAP-BPDU-ROOT", []string{"stp", "vlan", "ipsec", "lacp", "ipsec-route-based"}},
		{"VLAN-VGT", []string{"vlan", "ipsec", "lacp", "stp", "ipsec-route-based"}},
	} {
		var f *netmodel.Finding
		if tc.id != "" {
			f = &netmodel.Finding{ID: tc.id}
		}
		if got := names(Suggested(f)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestPrefill(t *testing.T) {
	s := loop().s
	for _, tc := range []struct {
		walk string
		f    netmodel.Finding
		want map[string]string
	}{
		{"vlan", netmodel.Finding{ID: "VLAN-PARTIAL-UPLINK", Subject: "esx01/vSwitch0/VM-Prod (VLAN 120)"}, map[string]string{"portgroup": "esx01/vSwitch0/VM-Prod"}},
		{"vlan", netmodel.Finding{ID: "VLAN-UPLINK-INCONSISTENT", Subject: "esx01/dvs-prod"}, map[string]string{"portgroup": "esx01/dvs-prod"}},
		{"vlan", netmodel.Finding{ID: "VLAN-NATIVE-MISMATCH", Subject: "sw1 Te1/1/1 ↔ sw2 Eth1/49"}, nil},
		{"lacp", netmodel.Finding{ID: "LACP-RATE-MISMATCH", Subject: "sw1 bond0 ↔ sw2 bond0"}, map[string]string{"lag": "sw1/bond0"}},
		{"stp", netmodel.Finding{ID: "STP-ROOT-UNEXPECTED", Subject: "root of br0"}, map[string]string{"tree": "br0"}},
		{"stp", netmodel.Finding{ID: "STP-TOPOLOGY-CHANGES", Subject: "sw1 br0"}, map[string]string{"tree": "br0"}},
		{"stp", netmodel.Finding{ID: "VLAN-VGT", Subject: "root of br0"}, nil}, // not a finding stp starts from
	} {
		if got := Get(tc.walk).Prefill(s, &tc.f); !maps2Equal(got, tc.want) {
			t.Errorf("%s from %s %s: %v, want %v", tc.walk, tc.f.ID, tc.f.Subject, got, tc.want)
		}
	}
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestParseAnswers(t *testing.T) {
	w := Get("ipsec-route-based")
	got, err := ParseAnswers(w, []string{"tunnel=hub@192.0.2.1", " design = gre ", "tunnel-net=169.254.9.0/30"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"tunnel": "hub@192.0.2.1", "design": "gre", "tunnel-net": "169.254.9.0/30"}
	if !maps2Equal(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
	for _, tc := range []struct{ arg, err string }{
		{"design", `want KEY=VALUE`},
		{"=gre", `"" is not a key`},
		{"Design=gre", `"Design" is not a key`},
		{"portgroup=x", `ipsec-route-based asks no "portgroup" (its keys: tunnel, design, tunnel-net)`},
		{"design=", "empty value"},
		{"design=a\x1bb", "control character"},
	} {
		if _, err := ParseAnswers(w, []string{tc.arg}); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: %v, want %q", tc.arg, err, tc.err)
		}
	}
	if _, err := ParseAnswers(w, []string{"design=gre", "design=vti"}); err == nil || !strings.Contains(err.Error(), "design given twice") {
		t.Errorf("twice: %v", err)
	}
}

func FuzzParseAnswers(f *testing.F) {
	for _, s := range []string{"portgroup=esx01/vSwitch0/VM-Prod", "tunnel=br-swan@203.0.113.1", "design=gre", "tunnel-net=169.254.100.0/30", "=", "a==b", "lag=", "tree=VLAN0100\x00"} {
		f.Add(s, "design=vti")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, w := range All() {
			got, err := ParseAnswers(w, []string{a, b})
			if err != nil {
				continue
			}
			for k, v := range got {
				if !slices.Contains(w.Questions(), k) || v == "" || v != strings.TrimSpace(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
					t.Fatalf("%s: accepted %q=%q from %q, %q", w.Name, k, v, a, b)
				}
			}
		}
	})
}

// TestMarkdownFences: cited text holding backticks gets a longer fence,
// and prose markup is escaped.
func TestMarkdownFences(t *testing.T) {
	tr := Transcript{Walkthrough: "stp", Title: "T", Site: "s", Done: true,
		Entries: []Entry{{Step: "root", Title: "Root *placement*", Kind: KindCollect, Result: Result{Verdict: OK, Summary: "a_b <c>",
			Facts: []Fact{{Text: "x", Evidence: []netmodel.Evidence{{Device: "d", File: "f.txt", Start: 3, End: 3, Text: "```danger```"}}}}}}},
		Conclusion: Conclusion{Verdict: OK, Summary: "ok", Fixes: []netmodel.Fix{{Device: "d", Commands: []string{"echo ````"}}}}}
	var b strings.Builder
	if err := tr.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"## 1. Root \\*placement\\* — ok", "**Result:** a\\_b &lt;c&gt;", "\n    ````\n        3 | ```danger```\n    ````\n", "`````\necho ````\n`````"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestFreeTunnelNet(t *testing.T) {
	d := &netmodel.Device{Name: "gw", Interfaces: []*netmodel.Interface{{Name: "t0", Addrs: []netip.Prefix{mustPrefix("169.254.100.1/30")}}},
		Routes: []netmodel.Route{{Prefix: mustPrefix("169.254.100.4/31")}}}
	if got := diagnose.FreeTunnelNet(d).String(); got != "169.254.100.8/30" {
		t.Errorf("free /30: %s", got)
	}
	for _, tc := range []struct{ p, err string }{
		{"169.254.100.0/30", "overlaps 169.254.100.1/30 on gw t0"},
		{"169.254.100.4/30", "overlaps the route 169.254.100.4/31 on gw"},
		{"169.254.100.1/30", "not an IPv4 /30 network address"},
		{"169.254.100.0/29", "not an IPv4 /30 network address"},
	} {
		if err := diagnose.TunnelNetFree(mustPrefix(tc.p), d); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: %v, want %q", tc.p, err, tc.err)
		}
	}
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
