package ui_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/google/go-cmp/cmp"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui"
	"github.com/nettui/nettui/ui/pane"
	"github.com/nettui/nettui/ui/uitest"
)

const fingerprint = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"

// fakeCollector records its calls; each Collect runs the next script (the
// last one again when they run out).
type fakeCollector struct {
	mu        sync.Mutex
	calls     []string
	ctxs      []context.Context
	scripts   []func(ctx context.Context, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error)
	called    chan struct{} // receives once per Collect, when not nil
	acceptErr error
}

func (f *fakeCollector) Collect(ctx context.Context, only []string, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
	f.mu.Lock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, "collect") {
			n++
		}
	}
	f.calls = append(f.calls, fmt.Sprintf("collect %v", only))
	f.ctxs = append(f.ctxs, ctx)
	script := f.scripts[min(n, len(f.scripts)-1)]
	f.mu.Unlock()
	if f.called != nil {
		f.called <- struct{}{}
	}
	return script(ctx, progress)
}

func (f *fakeCollector) AcceptHostKey(device string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "accept "+device)
	return f.acceptErr
}

func (f *fakeCollector) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// steps reports the usual life of every device of the test site: esx01 and
// acc-stack1 done, nx-core1 stopped on an unknown host key.
func steps(progress func(ui.Progress)) {
	for _, d := range []string{"esx01", "acc-stack1", "nx-core1"} {
		progress(ui.Progress{Device: d, State: ui.StateConnecting})
	}
	for i := range 16 {
		progress(ui.Progress{Device: "esx01", State: ui.StateCollecting, Done: i, Total: 16, Command: "esxcli network nic list"})
		progress(ui.Progress{Device: "acc-stack1", State: ui.StateCollecting, Done: i, Total: 16, Command: "show interfaces trunk"})
	}
	site, fs := uitest.Partial("esx01")
	progress(ui.Progress{Device: "esx01", State: ui.StateDone, Done: 16, Total: 16, Site: site, Findings: fs})
	site, fs = uitest.Partial("esx01", "acc-stack1")
	progress(ui.Progress{Device: "acc-stack1", State: ui.StateDone, Done: 16, Total: 16, Site: site, Findings: fs})
	progress(hostKeyFailure())
}

func hostKeyFailure() ui.Progress {
	return ui.Progress{
		Device: "nx-core1", State: ui.StateFailed, Kind: "host key",
		Err:         "ssh: handshake failed: knownhosts: key is unknown",
		Hint:        "nx-core1 (10.0.0.3:22) is not in known_hosts; check the fingerprint with its owner before accepting it",
		Fingerprint: fingerprint,
	}
}

// failedSite is the site with nx-core1 failed on its host key.
func failedSite() (*netmodel.Snapshot, []netmodel.Finding) {
	site, fs := uitest.Partial("esx01", "acc-stack1")
	d := site.Device("nx-core1")
	d.Status, d.Error = netmodel.StatusFailed, "host key: knownhosts: key is unknown"
	return site, fs
}

// withHostKeyFailure collects the site; nx-core1 stops on its host key.
func withHostKeyFailure(_ context.Context, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
	steps(progress)
	site, fs := failedSite()
	return site, fs, nil
}

// everything collects the whole site.
func everything(_ context.Context, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
	for _, d := range []string{"esx01", "acc-stack1", "nx-core1"} {
		progress(ui.Progress{Device: d, State: ui.StateDone, Done: 16, Total: 16})
	}
	site, fs := uitest.Site()
	return site, fs, nil
}

// clock starts at t0 and reads t0+12.3s ever after.
func clock() func() time.Time {
	t0 := time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC)
	var mu sync.Mutex
	first := true
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		if first {
			first = false
			return t0
		}
		return t0.Add(12300 * time.Millisecond)
	}
}

func liveOptions(c ui.Collector) ui.Options {
	return ui.Options{Snapshot: uitest.Inventory(), Source: "inventory.yaml", Collector: c}
}

// liveModel is a live dashboard at 120x40 whose collection has not been
// started: tests feed it Progress.
func liveModel(t *testing.T, c ui.Collector) ui.Model {
	t.Helper()
	m, _ := uitest.Drive(ui.NewWithClock(liveOptions(c), clock()), uitest.Size(120, 40))
	return m.(ui.Model)
}

// started runs the model's Init as a program would (one command after the
// other): the collection runs to its end.
func started(t *testing.T, m ui.Model) ui.Model {
	t.Helper()
	out, _ := uitest.DriveCmd(m, m.Init())
	return out.(ui.Model)
}

// line returns the line of the view containing sub, trimmed.
func line(v, sub string) string {
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, sub) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

func TestLiveStateColumn(t *testing.T) {
	m := liveModel(t, &fakeCollector{})
	v := m.View()
	if n := strings.Count(v, "  queued"); n != 3 {
		t.Errorf("%d devices queued, want 3:\n%s", n, v)
	}
	m = send(m,
		ui.Progress{Device: "esx01", State: ui.StateDone, Done: 16, Total: 16},
		ui.Progress{Device: "acc-stack1", State: ui.StateCollecting, Done: 3, Total: 16, Command: "show spanning-tree detail"},
		ui.Progress{Device: "nx-core1", State: ui.StateConnecting},
	)
	v = m.View()
	for _, want := range []string{"│  done  C0 W0 U0 I0", "│  collecting 3/16", "│  connecting"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	m = send(m, ui.Progress{Device: "nx-core1", State: ui.StateFailed, Kind: "auth", Err: "ssh: unable to authenticate"})
	v = m.View()
	for _, want := range []string{"│  ✗ failed: auth", "│  ssh: unable to"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestLiveProgressLine(t *testing.T) {
	m := liveModel(t, &fakeCollector{})
	m = send(m,
		ui.Progress{Device: "esx01", State: ui.StateDone},
		ui.Progress{Device: "acc-stack1", State: ui.StateCollecting, Done: 8, Total: 16},
		ui.Progress{Device: "nx-core1", State: ui.StateFailed, Kind: "timeout"},
	)
	got := strings.Split(m.View(), "\n")[1]
	// (1 + 0.5 + 1) / 3 devices
	for _, want := range []string{"collecting: 1 done, 1 failed of 3 devices", "█", "░", " 83%", "12s"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line lacks %q: %q", want, got)
		}
	}
	if w := ansi.StringWidth(got); w != 120 {
		t.Errorf("progress line is %d wide", w)
	}

	m = started(t, liveModel(t, &fakeCollector{scripts: scripts(withHostKeyFailure)}))
	if m.Collecting() {
		t.Fatal("still collecting after Collect returned")
	}
	v := m.View()
	if got := line(v, "collected"); got != "collected 3 devices (1 failed) in 12.3s" {
		t.Errorf("summary %q", got)
	}
	if got := line(v, "nettui"); !strings.HasSuffix(got, "1 critical  1 warning  0 unknown  1 info") {
		t.Errorf("header %q", got)
	}
}

func scripts(s ...func(context.Context, func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error)) []func(context.Context, func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
	return s
}

func TestLiveFailedDeviceAndAccept(t *testing.T) {
	fc := &fakeCollector{scripts: scripts(withHostKeyFailure, everything)}
	m := started(t, liveModel(t, fc))
	if diff := cmp.Diff([]string{"collect []"}, fc.Calls()); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	if strings.Contains(m.View(), "a accept host key") {
		t.Error("a offered with no failed device selected")
	}
	m = send(m, uitest.Keys("1", "j", "j", "j")...) // nx-core1
	v := m.View()
	for _, want := range []string{
		"[Device] Evidence Raw · nx-core1 failed",
		"nx-core1 (nxos)  ✗ failed: host key",
		"ssh: handshake failed: knownhosts: key is unknown",
		"check the fingerprint with its owner",
		fingerprint,
		"press a to accept this host key and collect the device again",
		"a accept host key",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}

	// a asks first, showing the fingerprint again; n leaves it.
	m = send(m, uitest.Key("a"))
	if m.Confirming() != "nx-core1" {
		t.Fatalf("confirming %q", m.Confirming())
	}
	v = m.View()
	if !strings.Contains(v, "Accept host key?") || !strings.Contains(v, "┃   "+fingerprint) {
		t.Errorf("confirmation does not show the fingerprint:\n%s", v)
	}
	m = send(m, uitest.Key("n"))
	if m.Confirming() != "" || len(fc.Calls()) != 1 {
		t.Fatalf("n: confirming %q, calls %q", m.Confirming(), fc.Calls())
	}
	// Other keys do nothing while it asks.
	m = send(m, uitest.Keys("a", "q", "r", "j")...)
	if m.Confirming() != "nx-core1" || m.Devices().Selected() != "nx-core1" || len(fc.Calls()) != 1 {
		t.Fatalf("keys leaked past the dialog: confirming %q, selected %q, calls %q", m.Confirming(), m.Devices().Selected(), fc.Calls())
	}

	m = send(m, uitest.Key("y"))
	if diff := cmp.Diff([]string{"collect []", "accept nx-core1", "collect [nx-core1]"}, fc.Calls()); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	v = m.View()
	if strings.Contains(v, "✗ failed") || strings.Contains(v, "[Device]") {
		t.Errorf("nx-core1 still shown as failed:\n%s", v)
	}
	// (The clock stands still after the first run.)
	if got := line(v, "collected"); got != "collected 1 device (0 failed) in 0.0s · 2 new, 0 resolved" {
		t.Errorf("summary %q", got)
	}
	// nx-core1's findings arrive, marked new; the others stay.
	want := []string{
		"VLAN-UPLINK-MISMATCH|esx01/vSwitch1",
		"LACP-PARTNER-MISMATCH|nx-core1/port-channel10 new",
		"STP-EDGE-MISSING|acc-stack1/Gi1/0/10",
		"CAP-STP-MISSING|nx-core1 new",
		"VLAN-VGT-PORTGROUP|esx01/Sniffer",
	}
	if diff := cmp.Diff(want, m.List()); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestLiveAcceptFails(t *testing.T) {
	fc := &fakeCollector{scripts: scripts(withHostKeyFailure), acceptErr: errors.New("known_hosts: permission denied")}
	m := started(t, liveModel(t, fc))
	m = send(m, uitest.Keys("1", "j", "j", "j", "a", "y")...)
	if diff := cmp.Diff([]string{"collect []", "accept nx-core1"}, fc.Calls()); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	if v := m.View(); !strings.Contains(v, "writing known_hosts failed: known_hosts: permission denied") {
		t.Errorf("error not shown:\n%s", v)
	}
}

func TestLiveFindingsReplaced(t *testing.T) {
	m := liveModel(t, &fakeCollector{})
	if !strings.Contains(m.View(), "No findings yet") {
		t.Errorf("empty list:\n%s", m.View())
	}
	site, fs := uitest.Partial("esx01")
	m = send(m, ui.Progress{Device: "esx01", State: ui.StateDone, Site: site, Findings: fs})
	if diff := cmp.Diff([]string{"VLAN-VGT-PORTGROUP|esx01/Sniffer"}, m.Findings().Visible()); diff != "" {
		t.Errorf("after esx01 (-want +got):\n%s", diff)
	}
	// The evidence cites the new site's raw files.
	if v := m.View(); !strings.Contains(v, "›5 │ Sniffer") {
		t.Errorf("evidence not from the new site:\n%s", v)
	}

	site, fs = uitest.Partial("esx01", "acc-stack1")
	m = send(m, ui.Progress{Device: "acc-stack1", State: ui.StateDone, Site: site, Findings: fs})
	want := []string{"VLAN-UPLINK-MISMATCH|esx01/vSwitch1", "STP-EDGE-MISSING|acc-stack1/Gi1/0/10", "VLAN-VGT-PORTGROUP|esx01/Sniffer"}
	if diff := cmp.Diff(want, m.Findings().Visible()); diff != "" {
		t.Errorf("after acc-stack1 (-want +got):\n%s", diff)
	}
	// The selection follows the finding, not the row.
	if f := m.Findings().Selected(); f == nil || f.ID != "VLAN-VGT-PORTGROUP" {
		t.Errorf("selected %v, want VLAN-VGT-PORTGROUP still", f)
	}
	m = send(m, uitest.Key("k")) // STP-EDGE-MISSING
	site, fs = uitest.Site()
	m = send(m, ui.Progress{Device: "nx-core1", State: ui.StateDone, Site: site, Findings: fs})
	if f := m.Findings().Selected(); f == nil || f.Key() != "STP-EDGE-MISSING|acc-stack1/Gi1/0/10" || m.Findings().Len() != 5 {
		t.Errorf("selected %v of %d", f, m.Findings().Len())
	}
	if f := m.Evidence().Finding(); f == nil || f.ID != "STP-EDGE-MISSING" {
		t.Errorf("evidence shows %v", f)
	}
	if got := line(m.View(), "nettui"); !strings.HasSuffix(got, "2 critical  1 warning  1 unknown  1 info") {
		t.Errorf("header %q", got)
	}
}

func TestRecollectMarksNewAndResolved(t *testing.T) {
	first := func(_ context.Context, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
		site, fs := uitest.Site()
		return site, fs[:4], nil // no VLAN-VGT-PORTGROUP yet
	}
	second := func(_ context.Context, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
		site, fs := uitest.Site()
		return site, slices.Delete(fs, 2, 3), nil // STP-EDGE-MISSING fixed
	}
	fc := &fakeCollector{scripts: scripts(first, second)}
	m := liveModel(t, fc)

	// r is ignored while the collection runs (Init has not run it yet).
	if _, cmd := m.Update(uitest.Key("r")); cmd != nil || len(fc.Calls()) != 0 {
		t.Fatalf("r while collecting: cmd %v, calls %q", cmd, fc.Calls())
	}
	if strings.Contains(m.View(), "re-collect") {
		t.Error("r offered while collecting")
	}
	m = started(t, m)
	if v := m.View(); !strings.Contains(v, "r re-collect") || strings.Contains(v, "NEW") {
		t.Errorf("after the first run:\n%s", v)
	}
	m = send(m, uitest.Key("r"))
	if diff := cmp.Diff([]string{"collect []", "collect []"}, fc.Calls()); diff != "" {
		t.Fatalf("calls (-want +got):\n%s", diff)
	}
	want := []string{
		"VLAN-UPLINK-MISMATCH|esx01/vSwitch1",
		"LACP-PARTNER-MISMATCH|nx-core1/port-channel10",
		"CAP-STP-MISSING|nx-core1",
		"VLAN-VGT-PORTGROUP|esx01/Sniffer new",
		"STP-EDGE-MISSING|acc-stack1/Gi1/0/10 resolved",
	}
	if diff := cmp.Diff(want, m.List()); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	v := m.View()
	if l := line(v, "VLAN-VGT-PORTGROUP"); !strings.Contains(l, "esx01/Sniffer            NEW Port group Sniffer") {
		t.Errorf("new finding row %q", l)
	}
	if l := line(v, "STP-EDGE-MISSING"); !strings.Contains(l, "RESOLVED Gi1/0/10 faces") {
		t.Errorf("resolved finding row %q", l)
	}
	// Resolved findings are not counted.
	if got := line(v, "nettui"); !strings.HasSuffix(got, "2 critical  0 warning  1 unknown  1 info") {
		t.Errorf("header %q", got)
	}
	// (The clock stands still after the first run.)
	if got := line(v, "collected"); got != "collected 3 devices (0 failed) in 0.0s · 1 new, 1 resolved" {
		t.Errorf("summary %q", got)
	}
	// A third run like the second: nothing new, nothing resolved.
	m = send(m, uitest.Key("r"))
	want = []string{
		"VLAN-UPLINK-MISMATCH|esx01/vSwitch1",
		"LACP-PARTNER-MISMATCH|nx-core1/port-channel10",
		"CAP-STP-MISSING|nx-core1",
		"VLAN-VGT-PORTGROUP|esx01/Sniffer",
	}
	if diff := cmp.Diff(want, m.List()); diff != "" {
		t.Errorf("third run (-want +got):\n%s", diff)
	}
}

// A finding of a device that failed this time is not "resolved": nothing
// was seen.
func TestRecollectFailedDeviceResolvesNothing(t *testing.T) {
	fc := &fakeCollector{scripts: scripts(everything, withHostKeyFailure)}
	m := started(t, liveModel(t, fc))
	m = send(m, uitest.Key("r"))
	for _, f := range m.List() {
		if strings.HasSuffix(f, " resolved") {
			t.Errorf("%s", f)
		}
	}
}

func TestHelpShowsLiveKeysOnlyWithCollector(t *testing.T) {
	static := drive(t, 120, 40, "?").View()
	if strings.Contains(static, "re-collect") || strings.Contains(static, "accept host key") {
		t.Errorf("static help shows live keys:\n%s", static)
	}
	m := started(t, liveModel(t, &fakeCollector{scripts: scripts(withHostKeyFailure)}))
	m = send(m, uitest.Key("?"))
	if v := m.View(); !strings.Contains(v, "re-collect") || strings.Contains(v, "accept host key") {
		t.Errorf("live help: want r, and a only once it applies:\n%s", v)
	}
	m = send(m, uitest.Keys("?", "1", "j", "j", "j", "?")...) // nx-core1, failed on its host key
	if v := m.View(); !strings.Contains(v, "re-collect") || !strings.Contains(v, "accept host key") {
		t.Errorf("live help lacks r and a:\n%s", v)
	}
}

func TestQuitCancelsCollection(t *testing.T) {
	fc := &fakeCollector{called: make(chan struct{}, 1)}
	fc.scripts = scripts(func(ctx context.Context, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
		progress(ui.Progress{Device: "esx01", State: ui.StateConnecting})
		<-ctx.Done()
		return nil, nil, ctx.Err()
	})
	tm := teatest.NewTestModel(t, ui.New(liveOptions(fc)), teatest.WithInitialTermSize(120, 40))
	select {
	case <-fc.called:
	case <-time.After(5 * time.Second):
		t.Fatal("Collect not called")
	}
	tm.Send(uitest.Key("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(time.Second))
	fc.mu.Lock()
	ctx := fc.ctxs[0]
	fc.mu.Unlock()
	if ctx.Err() == nil {
		t.Error("the collection's context was not cancelled")
	}
}

func TestPromptMasksSecret(t *testing.T) {
	var logs bytes.Buffer
	opts := liveOptions(&fakeCollector{})
	opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m, _ := uitest.Drive(ui.New(opts), uitest.Size(120, 40))
	um := m.(ui.Model)

	first := make(chan ui.PromptAnswer, 1)
	second := make(chan ui.PromptAnswer, 1)
	um = send(um,
		ui.PromptRequest{Device: "nx-core1", Question: "Password for admin@10.0.0.3:", Secret: true, Answer: first},
		ui.PromptRequest{Device: "acc-stack1", Question: "Verification code:", Answer: second},
	)
	um = send(um, uitest.Keys("hunter2", "backspace", "3")...)
	v := um.View()
	for _, want := range []string{"nx-core1 · 1 more waiting", "Password for admin@10.0.0.3:", "> •••••••█", "enter send"} {
		if !strings.Contains(v, want) {
			t.Errorf("dialog lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "hunter") {
		t.Errorf("secret on screen:\n%s", v)
	}
	// Keys went to the dialog, not to the dashboard.
	if um.Findings().Filter() != "" || um.Focus() != pane.Findings {
		t.Error("keys leaked past the dialog")
	}
	um = send(um, uitest.Key("enter"))
	select {
	case a := <-first:
		if a.Text != "hunter3" || a.Err != nil {
			t.Errorf("answer %q, %v", a.Text, a.Err)
		}
	default:
		t.Fatal("no answer sent")
	}
	// The next request opens; what is typed there shows.
	v = um.View()
	if um.Prompting() != 1 || !strings.Contains(v, "Verification code:") || strings.Contains(v, "> •") {
		t.Errorf("second prompt:\n%s", v)
	}
	um = send(um, uitest.Keys("123", "esc")...)
	if a := <-second; !errors.Is(a.Err, ui.ErrCancelled) || a.Text != "" {
		t.Errorf("esc answered %q, %v", a.Text, a.Err)
	}
	if um.Prompting() != 0 || strings.Contains(um.View(), "Verification") {
		t.Error("dialog still open")
	}
	if strings.Contains(logs.String(), "hunter") {
		t.Errorf("the log saw the secret:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "prompt answered") {
		t.Errorf("log:\n%s", logs.String())
	}
}

func TestPromptsFromChannel(t *testing.T) {
	prompts := make(chan ui.PromptRequest)
	opts := ui.Options{Snapshot: uitest.Snapshot(), Prompts: prompts}
	tm := teatest.NewTestModel(t, ui.New(opts), teatest.WithInitialTermSize(100, 30))
	answer := make(chan ui.PromptAnswer) // unbuffered: the dashboard must not wait on it
	prompts <- ui.PromptRequest{Device: "esx01", Question: "Passphrase for key:", Secret: true, Answer: answer}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Passphrase for key:")) },
		teatest.WithDuration(5*time.Second))
	tm.Type("s3cret")
	tm.Send(uitest.Key("enter"))
	select {
	case a := <-answer:
		if a.Text != "s3cret" {
			t.Errorf("answer %q", a.Text)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no answer")
	}
	// Quitting answers what is still queued.
	pending := make(chan ui.PromptAnswer, 1)
	prompts <- ui.PromptRequest{Device: "esx01", Question: "Password:", Secret: true, Answer: pending}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Password:")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(uitest.Key("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(time.Second))
	select {
	case a := <-pending:
		if !errors.Is(a.Err, ui.ErrCancelled) {
			t.Errorf("pending prompt answered %q, %v", a.Text, a.Err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("pending prompt not answered")
	}
}

// Every live screen is exactly the terminal's size, dialogs included.
func TestLiveViewFitsTerminal(t *testing.T) {
	for _, size := range [][2]int{{60, 15}, {80, 24}, {120, 40}, {200, 60}} {
		w, h := size[0], size[1]
		m, _ := uitest.Drive(ui.NewWithClock(liveOptions(&fakeCollector{scripts: scripts(withHostKeyFailure)}), clock()), uitest.Size(w, h))
		um := m.(ui.Model)
		states := map[string]ui.Model{"collecting": um}
		um = started(t, um)
		states["finished"] = um
		um = send(um, uitest.Keys("1", "j", "j", "j")...)
		states["failed device"] = um
		states["confirm"] = send(um, uitest.Key("a"))
		states["prompt"] = send(um, ui.PromptRequest{Device: "nx-core1", Question: strings.Repeat("long question ", 20), Secret: true, Answer: make(chan ui.PromptAnswer, 1)})
		states["help"] = send(um, uitest.Key("?"))
		for name, s := range states {
			lines := strings.Split(s.View(), "\n")
			if len(lines) != h {
				t.Errorf("%dx%d %s: %d lines", w, h, name, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw != w {
					t.Errorf("%dx%d %s: line %d is %d wide: %q", w, h, name, i, lw, l)
					break
				}
			}
		}
	}
}

// liveGolden runs a live dashboard at 120x40 in a teatest program until the
// output shows until, sends keys, waits for after (when set), quits and
// compares the final screen with testdata/<test name>.golden.
func liveGolden(t *testing.T, fc *fakeCollector, until string, ks []string, after string) {
	t.Helper()
	tm := teatest.NewTestModel(t, ui.NewWithClock(liveOptions(fc), clock()), teatest.WithInitialTermSize(120, 40))
	wait := func(s string) {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	wait(until)
	for _, msg := range uitest.Keys(ks...) {
		tm.Send(msg)
	}
	if after != "" {
		wait(after)
	}
	tm.Send(uitest.Key("ctrl+c"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	teatest.RequireEqualOutput(t, []byte(fm.View()))
}

// Mid-collection: esx01 done (its findings shown), acc-stack1 collecting,
// nx-core1 connecting.
func TestGoldenLiveCollecting(t *testing.T) {
	fc := &fakeCollector{}
	fc.scripts = scripts(func(ctx context.Context, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
		site, fs := uitest.Partial("esx01")
		progress(ui.Progress{Device: "esx01", State: ui.StateDone, Done: 16, Total: 16, Site: site, Findings: fs})
		progress(ui.Progress{Device: "nx-core1", State: ui.StateConnecting})
		progress(ui.Progress{Device: "acc-stack1", State: ui.StateCollecting, Done: 5, Total: 16, Command: "show interfaces trunk"})
		<-ctx.Done()
		return nil, nil, ctx.Err()
	})
	liveGolden(t, fc, "collecting 5/16", nil, "")
}

// Finished, nx-core1 failed on an unknown host key and selected.
func TestGoldenLiveFinished(t *testing.T) {
	fc := &fakeCollector{scripts: scripts(withHostKeyFailure)}
	liveGolden(t, fc, "collected 3 devices", []string{"1", "j", "j", "j"}, "press a to accept")
}
