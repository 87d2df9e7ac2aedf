package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nettui/nettui/internal/netmodel"
)

// Reporting never waits for the dashboard, and a batch holds only the latest
// step of each device, in the order devices first reported.
func TestHubCoalesces(t *testing.T) {
	t.Parallel()
	h := newHub(context.Background(), 1)
	const devices, steps = 8, 5000
	site := &netmodel.Snapshot{Site: "dc1"}
	var wg sync.WaitGroup
	for d := range devices {
		wg.Go(func() {
			for i := range steps {
				h.progress(Progress{Device: fmt.Sprintf("d%d", d), State: StateCollecting, Done: i + 1, Total: steps})
			}
		})
	}
	wg.Wait() // nobody reads the hub meanwhile: reporting did not block
	h.progress(Progress{Device: "d0", State: StateDone, Site: site})

	msg := h.take()
	if len(msg.events) != devices {
		t.Fatalf("%d events, want %d", len(msg.events), devices)
	}
	for _, ev := range msg.events {
		want := StateCollecting
		if ev.Device == "d0" {
			want = StateDone
		} else if ev.Done != steps {
			t.Errorf("%s: done %d, want the latest (%d)", ev.Device, ev.Done, steps)
		}
		if ev.State != want || ev.Site != nil {
			t.Errorf("%s: state %q, site %v", ev.Device, ev.State, ev.Site)
		}
	}
	if msg.site != site || msg.hasFinds || msg.final {
		t.Errorf("site %v, findings %v, final %v", msg.site, msg.hasFinds, msg.final)
	}
	if again := h.take(); len(again.events) != 0 || again.site != nil {
		t.Errorf("hub not emptied: %+v", again)
	}
}

// Batches come at most every minUpdate, except the last one.
func TestHubPaces(t *testing.T) {
	t.Parallel()
	h := newHub(context.Background(), 1)
	h.progress(Progress{Device: "a", State: StateConnecting})
	if msg, ok := h.next().(progressMsg); !ok || len(msg.events) != 1 {
		t.Fatalf("first batch %#v", msg)
	}
	first := time.Now()
	h.progress(Progress{Device: "a", State: StateCollecting})
	h.progress(Progress{Device: "b", State: StateConnecting})
	msg, ok := h.next().(progressMsg)
	if gap := time.Since(first); gap < minUpdate-5*time.Millisecond {
		t.Errorf("second batch after %v, want at least %v", gap, minUpdate)
	}
	if !ok || len(msg.events) != 2 || msg.events[0].State != StateCollecting {
		t.Fatalf("second batch %#v", msg)
	}

	// Once Collect has returned, the last batch comes at once, with what it
	// returned; later reports are dropped.
	h.progress(Progress{Device: "a", State: StateDone})
	err := errors.New("boom")
	h.finish(nil, nil, err)
	h.progress(Progress{Device: "b", State: StateDone})
	msg, ok = h.next().(progressMsg)
	if !ok || !msg.final || !errors.Is(msg.result.err, err) || len(msg.events) != 1 || msg.events[0].Device != "a" {
		t.Fatalf("last batch %#v", msg)
	}
}

func TestHubStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	h := newHub(ctx, 1)
	cancel()
	if msg := h.next(); msg != nil {
		t.Errorf("cancelled hub returned %#v", msg)
	}
}

func TestSessionStopWaitsForCollections(t *testing.T) {
	t.Parallel()
	s := newSession(context.Background())
	if !s.begin() {
		t.Fatal("begin refused")
	}
	done := make(chan struct{})
	go func() {
		<-s.ctx.Done() // a collection that returns once cancelled
		s.end()
		close(done)
	}()
	s.stop(time.Minute)
	select {
	case <-done:
	default:
		t.Error("stop returned before the collection did")
	}
	select {
	case <-s.closed:
	default:
		t.Error("closed not closed")
	}
	if s.begin() {
		t.Error("begin after stop")
	}
}

func TestFormatElapsed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d       time.Duration
		precise bool
		want    string
	}{
		{12300 * time.Millisecond, true, "12.3s"},
		{12300 * time.Millisecond, false, "12s"},
		{125 * time.Second, true, "2m05s"},
		{2*time.Hour + 3*time.Minute, false, "2h03m"},
		{-time.Second, false, "0s"},
	} {
		if got := formatElapsed(tc.d, tc.precise); got != tc.want {
			t.Errorf("formatElapsed(%v, %v) = %q, want %q", tc.d, tc.precise, got, tc.want)
		}
	}
}

func BenchmarkHubProgress(b *testing.B) {
	h := newHub(context.Background(), 1)
	p := Progress{Device: "esx01", State: StateCollecting, Total: 16}
	b.ReportAllocs()
	for b.Loop() {
		p.Done++
		h.progress(p)
	}
}
