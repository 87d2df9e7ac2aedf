package capture

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/muesli/termenv"
	probe "github.com/nettui/nettui/probes/capture"
	"github.com/nettui/nettui/ui/uitest"
)

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
}

func testdata(name string) string {
	return filepath.Join("..", "..", "probes", "capture", "testdata", name)
}

// fileOptions captures a testdata file.
func fileOptions(name string) Options {
	path := testdata(name)
	return Options{
		Name: name,
		Open: func(context.Context) (probe.Source, error) { return probe.OpenFile(path) },
		Now:  func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) },
	}
}

// finish starts m and feeds it snapshots until the capture ends.
func finish(t *testing.T, m Model) Model {
	t.Helper()
	cmd := m.Init()
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			t.Fatal("capture closed before it finished")
		}
		m, cmd = m.Update(msg)
	}
	if !m.Finished() {
		t.Fatal("not finished")
	}
	return m
}

// await feeds m snapshots until cond holds; it returns the command that
// waits for the next one.
func await(t *testing.T, m Model, cmd tea.Cmd, cond func(Model) bool) (Model, tea.Cmd) {
	t.Helper()
	for !cond(m) {
		if cmd == nil {
			t.Fatal("no more snapshots")
		}
		msg := cmd()
		if msg == nil {
			t.Fatal("capture closed")
		}
		m, cmd = m.Update(msg)
	}
	return m, cmd
}

func keys(m Model, ks ...string) (Model, tea.Cmd) {
	var cmd tea.Cmd
	for _, msg := range uitest.Keys(ks...) {
		m, cmd = m.Update(msg)
	}
	return m, cmd
}

// reference decodes a file directly.
func reference(t *testing.T, name string) probe.Snapshot {
	t.Helper()
	r, err := probe.OpenFile(testdata(name))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	st := probe.NewStats(probe.StatsConfig{})
	if err := probe.Run(context.Background(), r, st, nil); err != nil {
		t.Fatal(err)
	}
	return st.Snapshot()
}

func TestFileCaptureCountersAndRows(t *testing.T) {
	t.Parallel()
	ref := reference(t, "ovs-lacp-a1.pcap")
	m := New(context.Background(), fileOptions("ovs-lacp-a1.pcap"))
	m.SetSize(120, 30)
	m = finish(t, m)
	if m.Packets() != ref.Packets || m.Len() != len(ref.Recent) {
		t.Fatalf("packets %d rows %d, want %d and %d", m.Packets(), m.Len(), ref.Packets, len(ref.Recent))
	}
	c := m.Counters()
	var lacp, vlan uint64
	for _, p := range ref.Protocols {
		if p.Proto == probe.ProtoLACP {
			lacp = p.Count
		}
	}
	for k, n := range ref.VLANs {
		if k.VLAN >= 0 {
			vlan += n
		}
	}
	if c.LACP != lacp || c.VLAN != vlan || c.LACP == 0 || c.VLAN == 0 || c.LACP+c.STP+c.IKE+c.ESP+c.Other != ref.Packets {
		t.Errorf("counters %+v, want lacp %d vlan %d of %d", c, lacp, vlan, ref.Packets)
	}
	rows := m.Rows()
	for i := range rows {
		if want := ref.Recent[i].String(); rows[i] != want {
			t.Fatalf("row %d = %q, want %q", i, rows[i], want)
		}
	}
	v := m.View()
	for _, want := range []string{"finished", "lacp " + itoa(lacp), "vlan-tagged " + itoa(vlan), "actor 02:00:00:00:00:01"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// Following: the newest packet is selected and in view at the bottom.
	if !m.Following() || m.Selected() != m.Len()-1 {
		t.Errorf("selected %d of %d, following %v", m.Selected(), m.Len(), m.Following())
	}
	m, _ = keys(m, "k")
	if m.Following() || m.Selected() != m.Len()-2 {
		t.Errorf("after k: selected %d, following %v", m.Selected(), m.Following())
	}
	m, _ = keys(m, "home")
	if m.Selected() != 0 || !strings.Contains(m.View(), "▸ 1 ") {
		t.Errorf("home: selected %d\n%s", m.Selected(), m.View())
	}
	m, _ = keys(m, "end")
	if !m.Following() {
		t.Error("end does not follow")
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

func TestFilter(t *testing.T) {
	t.Parallel()
	m := New(context.Background(), fileOptions("ike-esp-good.pcap"))
	m.SetSize(120, 30)
	m = finish(t, m)
	total := m.Len()
	// The interface name is the file's, "ike-esp-good.pcap": match the
	// protocol and the address after it.
	m, _ = keys(m, "/", "ESP 172", "enter")
	if m.Filter() != "ESP 172" || m.Capturing() {
		t.Fatalf("filter %q, editing %v", m.Filter(), m.Capturing())
	}
	if m.Len() != 6 || total != 10 {
		t.Fatalf("%d of %d rows match", m.Len(), total)
	}
	for _, r := range m.Rows() {
		if !strings.Contains(r, "esp 172.31.0.") {
			t.Errorf("row %q does not match", r)
		}
	}
	if v := m.View(); !strings.Contains(v, "filter: ESP 172") {
		t.Errorf("view:\n%s", v)
	}
	m, _ = keys(m, "/", "esc")
	if m.Filter() != "" || m.Len() != total {
		t.Errorf("cleared: filter %q, %d rows", m.Filter(), m.Len())
	}
	m.SetFilter("no such packet")
	if m.Len() != 0 || !strings.Contains(m.View(), "No packets match.") {
		t.Errorf("no match:\n%s", m.View())
	}
}

// feed is a Source whose packets a test hands over one batch at a time;
// Next blocks until there is one or the source is closed.
type feed struct {
	pkts   chan []byte
	closed chan struct{}
	once   sync.Once
	n      int
}

func newFeed() *feed { return &feed{pkts: make(chan []byte, 1024), closed: make(chan struct{})} }

func (f *feed) Next() ([]byte, gopacket.CaptureInfo, error) {
	select {
	case p := <-f.pkts:
		f.n++
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(f.n/10), 0), CaptureLength: len(p), Length: len(p)}
		return p, ci, nil
	case <-f.closed:
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
}

func (f *feed) Interface(gopacket.CaptureInfo) (string, layers.LinkType) {
	return "eth0", layers.LinkTypeEthernet
}

func (f *feed) Close() error { f.once.Do(func() { close(f.closed) }); return nil }

// frames returns the frames of a testdata file.
func frames(t *testing.T, name string) [][]byte {
	t.Helper()
	r, err := probe.OpenFile(testdata(name))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out [][]byte
	for {
		data, _, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]byte(nil), data...))
	}
}

func feedOptions(f *feed) Options {
	return Options{Name: "eth0", Open: func(context.Context) (probe.Source, error) { return f, nil }}
}

func TestPauseResume(t *testing.T) {
	t.Parallel()
	fr := frames(t, "ovs-lacp-a1.pcap")
	f := newFeed()
	m := New(context.Background(), feedOptions(f))
	m.SetSize(120, 30)
	t.Cleanup(func() { m.Close(); <-m.Done() })
	cmd := m.Init()
	for _, p := range fr[:10] {
		f.pkts <- p
	}
	m, cmd = await(t, m, cmd, func(m Model) bool { return m.Packets() == 10 })
	m, _ = keys(m, " ")
	if !m.Paused() || !strings.Contains(m.View(), "PAUSED") {
		t.Fatalf("not paused:\n%s", m.View())
	}
	for _, p := range fr[10:15] {
		f.pkts <- p
	}
	m, cmd = await(t, m, cmd, func(m Model) bool { return m.pending != nil && m.pending.snap.Packets == 15 })
	if m.Packets() != 10 || m.Len() != 10 || !strings.Contains(m.View(), "5 new") {
		t.Fatalf("paused view moved: %d packets\n%s", m.Packets(), m.View())
	}
	m, _ = keys(m, " ")
	if m.Paused() || m.Packets() != 15 || m.Len() != 15 {
		t.Fatalf("resumed: paused %v, %d packets", m.Paused(), m.Packets())
	}
	_ = cmd
}

func TestSaveReadsBack(t *testing.T) {
	t.Parallel()
	opts := fileOptions("ovs-lacp-a1.pcap")
	opts.SaveDir = t.TempDir()
	m := New(context.Background(), opts)
	m.SetSize(120, 30)
	m = finish(t, m)
	m, cmd := keys(m, "s")
	want := filepath.Join(opts.SaveDir, "capture-ovs-lacp-a1-20250102-030405.pcapng")
	if !strings.Contains(m.Status(), "saving to "+want) {
		t.Errorf("status %q", m.Status())
	}
	m, _ = m.Update(cmd())
	if !strings.HasPrefix(m.Status(), "saved ") {
		t.Fatalf("status %q", m.Status())
	}
	if !strings.Contains(m.View(), want) {
		t.Errorf("footer lacks the file name:\n%s", m.View())
	}
	r, err := probe.OpenFile(want)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	st := probe.NewStats(probe.StatsConfig{})
	if err := probe.Run(context.Background(), r, st, nil); err != nil {
		t.Fatal(err)
	}
	if r.Format() != probe.FormatPcapng || st.Snapshot().Packets != m.Packets() {
		t.Errorf("read back %s with %d packets, want pcapng with %d", r.Format(), st.Snapshot().Packets, m.Packets())
	}
	if !strings.Contains(m.Status(), "saved "+itoa(m.Packets())+" packets") {
		t.Errorf("status %q", m.Status())
	}
}

func TestSaveCallsSavedHook(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		hookErr error
		want    string
	}{
		{"listed", nil, "saved "},
		{"not listed", errors.New("bundle.yaml is read-only"), "(not listed in the bundle: bundle.yaml is read-only)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := fileOptions("ovs-lacp-a1.pcap")
			opts.SaveDir = t.TempDir()
			var got []string
			opts.Saved = func(path string) error {
				got = append(got, path)
				return tc.hookErr
			}
			m := New(context.Background(), opts)
			m.SetSize(120, 30)
			m = finish(t, m)
			m, cmd := keys(m, "s")
			m, _ = m.Update(cmd())
			want := filepath.Join(opts.SaveDir, "capture-ovs-lacp-a1-20250102-030405.pcapng")
			if len(got) != 1 || got[0] != want {
				t.Fatalf("hook called with %q, want [%s]", got, want)
			}
			if _, err := os.Stat(want); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.Status(), tc.want) {
				t.Errorf("status %q lacks %q", m.Status(), tc.want)
			}
		})
	}
}

func TestRawBufferBounded(t *testing.T) {
	t.Parallel()
	f := newFeed()
	rec := newRecorder(f, 4, 100)
	for _, n := range []int{30, 30, 30, 30, 30} {
		f.pkts <- make([]byte, n)
		if _, _, err := rec.Next(); err != nil {
			t.Fatal(err)
		}
	}
	got := rec.copyOut()
	if len(got) != 3 || rec.bytes != 90 {
		t.Errorf("kept %d packets, %d bytes; want 3 and 90", len(got), rec.bytes)
	}
}

func TestCloseStopsCapture(t *testing.T) {
	t.Parallel()
	f := newFeed()
	m := New(context.Background(), feedOptions(f))
	m.SetSize(120, 30)
	cmd := m.Init()
	f.pkts <- frames(t, "ovs-lacp-a1.pcap")[0]
	m, cmd = await(t, m, cmd, func(m Model) bool { return m.Packets() == 1 })
	m, _ = keys(m, "c")
	if _, ok := m.TakeAction().(CloseMsg); !ok {
		t.Fatal("c did not ask to close")
	}
	select {
	case <-m.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("capture goroutine still running")
	}
	select {
	case <-f.closed:
	default:
		t.Error("source not closed")
	}
	if msg := cmd(); msg != nil {
		t.Errorf("listener after close got %T", msg)
	}
}

func TestCloseBeforeStart(t *testing.T) {
	t.Parallel()
	m := New(context.Background(), fileOptions("ovs-lacp-a1.pcap"))
	m.Close()
	<-m.Done()
}

func TestOpenError(t *testing.T) {
	t.Parallel()
	m := New(context.Background(), Options{Name: "sw1 Gi1/0/1", Open: func(context.Context) (probe.Source, error) {
		return nil, errors.New("no route to sw1")
	}})
	m.SetSize(100, 10)
	m = finish(t, m)
	if m.Err() == nil || !strings.Contains(m.View(), "failed: no route to sw1") {
		t.Errorf("view:\n%s", m.View())
	}
}

// bigRing is a model showing a ring of n packets, without a capture.
func bigRing(n int) Model {
	m := New(context.Background(), Options{Name: "big"})
	recent := make([]probe.Summary, n)
	t0 := time.Unix(1700000000, 0)
	for i := range recent {
		recent[i] = probe.Summary{Time: t0.Add(time.Duration(i) * time.Microsecond), Iface: "eth0", Length: 60, Proto: probe.ProtoLACP}
	}
	m.apply(&update{snap: probe.Snapshot{Packets: uint64(n), First: t0, Last: recent[n-1].Time, Recent: recent}})
	m.SetSize(120, 30)
	return m
}

func TestRenderFormatsOnlyVisibleRows(t *testing.T) {
	t.Parallel()
	m := bigRing(100_000)
	calls := 0
	m.format = func(s *probe.Summary) string { calls++; return s.String() }
	start := time.Now()
	v := m.View()
	t.Logf("100k-packet ring drawn in %v", time.Since(start))
	if calls > m.listHeight() || calls == 0 {
		t.Errorf("formatted %d rows, %d visible", calls, m.listHeight())
	}
	if !strings.Contains(v, "100000") || lipgloss.Height(v) != 30 {
		t.Errorf("view:\n%s", v)
	}
	calls = 0
	m, _ = keys(m, "home", "pgdown")
	m.View()
	if calls > m.listHeight() {
		t.Errorf("after paging: formatted %d rows", calls)
	}
}

func BenchmarkView100k(b *testing.B) {
	m := bigRing(100_000)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkUIAt100kpps is the UI goroutine's share of one core under a
// 100,000 packets/s stream: each second the pane takes 10 snapshots (the
// publisher's limit), each with a full 100,000-packet ring and 100,000 more
// packets counted, and draws after each. The decoding and the snapshots
// themselves are made on the capture goroutines and are not counted.
func BenchmarkUIAt100kpps(b *testing.B) {
	b.Run("no-filter", func(b *testing.B) { benchUIAt100kpps(b, "") })
	b.Run("filter", func(b *testing.B) { benchUIAt100kpps(b, "esp") })
}

func benchUIAt100kpps(b *testing.B, filter string) {
	const rate, ring, perSecond = 100_000, 100_000, 10
	m := New(context.Background(), Options{Name: "stream"})
	m.SetSize(120, 40)
	if filter != "" {
		m.SetFilter(filter)
	}
	t0 := time.Unix(1700000000, 0)
	recent := make([]probe.Summary, ring)
	for i := range recent {
		recent[i] = probe.Summary{Time: t0.Add(time.Duration(i) * 10 * time.Microsecond), Iface: "eth0", Length: 98, Proto: probe.ProtoESP, ESPSPI: 0xc0ffee01, ESPSeq: uint32(i)}
	}
	// One second of updates, prepared in advance (capture-side work).
	var ups []*update
	for i := 1; i <= perSecond; i++ {
		n := uint64(i * rate / perSecond)
		ups = append(ups, &update{snap: probe.Snapshot{Packets: n, First: t0, Last: t0.Add(time.Duration(i) * time.Second / perSecond), Recent: recent},
			rates: []uint64{rate}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, u := range ups {
			m, _ = m.Update(updateMsg{id: m.id, u: u})
			_ = m.View()
		}
	}
	perSec := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perSec)/float64(time.Second)*100, "ui-%-of-a-core")
}
