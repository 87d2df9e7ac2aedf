package capture

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	probe "github.com/nettui/nettui/probes/capture"
)

// Pacing and bounds of a capture.
const (
	// publishEvery is the shortest time between two snapshots handed to the
	// model (at most ten a second).
	publishEvery = 100 * time.Millisecond
	// Samples is the number of packets/s samples the sparkline shows.
	Samples = 60
	// DefaultRingSize is the number of recent packets kept when
	// Options.RingSize is zero.
	DefaultRingSize = 10000
	// DefaultMaxRawBytes bounds the raw packets kept for saving when
	// Options.MaxRawBytes is zero.
	DefaultMaxRawBytes = 32 << 20
)

// update is one snapshot of a running capture, handed from the capture
// goroutines to the model. It is never changed once published.
type update struct {
	snap  probe.Snapshot
	rates []uint64 // packets per second of capture time, oldest first, ≤ Samples
	raw   int      // raw packets held for saving
	done  bool     // the capture ended (err says why, nil at a clean end)
	err   error
}

// engine runs one capture in the background. Every copy of the model
// shares it.
type engine struct {
	ctx    context.Context
	cancel context.CancelFunc
	open   func(context.Context) (probe.Source, error)
	stats  *probe.Stats
	ring   int
	max    int

	start sync.Once
	done  chan struct{} // closed when every goroutine of the capture ended
	out   chan *update  // capacity 1: only the latest snapshot waits

	seq atomic.Uint64 // packets seen, for the publisher

	mu    sync.Mutex
	rec   *recorder
	rates []uint64 // completed seconds, ≤ Samples
	sec   int64    // second of capture time being counted
	cur   uint64   // packets in that second
}

func newEngine(parent context.Context, opts Options) *engine {
	ctx, cancel := context.WithCancel(parent)
	ring := opts.RingSize
	if ring <= 0 {
		ring = DefaultRingSize
	}
	maxRaw := opts.MaxRawBytes
	if maxRaw <= 0 {
		maxRaw = DefaultMaxRawBytes
	}
	return &engine{
		ctx: ctx, cancel: cancel, open: opts.Open,
		stats: probe.NewStats(probe.StatsConfig{RingSize: ring}),
		ring:  ring, max: maxRaw,
		done: make(chan struct{}), out: make(chan *update, 1),
	}
}

// launch starts the capture once.
func (e *engine) launch() { e.start.Do(func() { go e.run() }) }

// stop cancels the capture; its goroutines end soon after (see done).
func (e *engine) stop() {
	e.cancel()
	e.start.Do(func() { close(e.done) }) // never started: nothing to wait for
}

// run opens the source, reads it to the end (or until cancelled) and
// publishes snapshots while it does.
func (e *engine) run() {
	defer close(e.done)
	if e.open == nil {
		e.publish(true, errors.New("no capture source"))
		return
	}
	src, err := e.open(e.ctx)
	if err != nil {
		e.publish(true, err)
		return
	}
	if src == nil {
		e.publish(true, errors.New("no capture source"))
		return
	}
	rec := newRecorder(src, e.ring, e.max)
	e.mu.Lock()
	e.rec = rec
	e.mu.Unlock()
	e.publish(false, nil)

	stopPub, pubDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(pubDone)
		t := time.NewTicker(publishEvery)
		defer t.Stop()
		var seen uint64
		for {
			select {
			case <-stopPub:
				return
			case <-t.C:
				if n := e.seq.Load(); n != seen {
					seen = n
					e.publish(false, nil)
				}
			}
		}
	}()
	err = probe.RunSource(e.ctx, rec, e.stats, e.count)
	close(stopPub)
	<-pubDone
	src.Close() //nolint:errcheck // a second close after a cancel reports nothing useful
	if e.ctx.Err() != nil && errors.Is(err, e.ctx.Err()) {
		err = nil // stopped by the user
	}
	e.publish(true, err)
}

// count is called by the capture loop for every packet: it counts packets
// per second of capture time for the sparkline.
func (e *engine) count(s *probe.Summary) {
	sec := s.Time.Unix()
	e.mu.Lock()
	switch {
	case e.sec == 0 && e.cur == 0 && len(e.rates) == 0:
		e.sec = sec
	case sec > e.sec:
		e.rates = append(e.rates, e.cur)
		for range min(sec-e.sec-1, Samples) { // seconds without packets
			e.rates = append(e.rates, 0)
		}
		if n := len(e.rates); n > Samples {
			e.rates = append(e.rates[:0], e.rates[n-Samples:]...)
		}
		e.sec, e.cur = sec, 0
	}
	e.cur++
	e.mu.Unlock()
	e.seq.Add(1)
}

// publish hands the latest snapshot to the model without ever waiting: an
// older snapshot the model has not taken yet is replaced.
func (e *engine) publish(done bool, err error) {
	u := &update{snap: e.stats.Snapshot(), done: done, err: err}
	e.mu.Lock()
	u.rates = append(make([]uint64, 0, len(e.rates)+1), e.rates...)
	if e.cur > 0 || len(e.rates) > 0 {
		u.rates = append(u.rates, e.cur)
	}
	if len(u.rates) > Samples {
		u.rates = u.rates[len(u.rates)-Samples:]
	}
	if e.rec != nil {
		u.raw = e.rec.len()
	}
	e.mu.Unlock()
	// Single producer: after draining, the send cannot block.
	select {
	case e.out <- u:
	default:
		select {
		case <-e.out:
		default:
		}
		e.out <- u
	}
}

// next waits for the next snapshot; nil once the capture was closed.
func (e *engine) next() *update {
	select {
	case u := <-e.out:
		if e.ctx.Err() != nil {
			return nil // closed meanwhile: the pane is gone
		}
		return u
	case <-e.ctx.Done():
		return nil
	}
}

// recorded returns a copy of the raw packets held for saving.
func (e *engine) recorded() []rawPacket {
	e.mu.Lock()
	rec := e.rec
	e.mu.Unlock()
	if rec == nil {
		return nil
	}
	return rec.copyOut()
}

// rawPacket is one packet as captured, with where it was captured.
type rawPacket struct {
	iface string
	link  layers.LinkType
	ci    gopacket.CaptureInfo
	data  []byte
}

// recorder is a Source that keeps the raw bytes of the last packets it
// returned (as many as the summary ring holds, and at most max bytes), so
// that what the packet list shows can be saved. Buffers are reused: in
// steady state it allocates nothing.
type recorder struct {
	probe.Source
	mu    sync.Mutex
	ring  []rawPacket
	start int // oldest
	n     int
	bytes int
	max   int
}

func newRecorder(src probe.Source, size, maxBytes int) *recorder {
	return &recorder{Source: src, ring: make([]rawPacket, size), max: maxBytes}
}

// Next implements probe.Source.
func (r *recorder) Next() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := r.Source.Next()
	if err == nil {
		iface, link := r.Source.Interface(ci)
		r.keep(iface, link, ci, data)
	}
	return data, ci, err
}

func (r *recorder) keep(iface string, link layers.LinkType, ci gopacket.CaptureInfo, data []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == len(r.ring) {
		r.bytes -= len(r.ring[r.start].data)
		r.start = (r.start + 1) % len(r.ring)
		r.n--
	}
	p := &r.ring[(r.start+r.n)%len(r.ring)]
	p.iface, p.link, p.ci = iface, link, ci
	p.data = append(p.data[:0], data...)
	r.n++
	r.bytes += len(data)
	for r.bytes > r.max && r.n > 1 {
		old := &r.ring[r.start]
		r.bytes -= len(old.data)
		old.data = nil // give the memory back
		r.start = (r.start + 1) % len(r.ring)
		r.n--
	}
}

func (r *recorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// copyOut returns the packets held, oldest first, in one allocation.
func (r *recorder) copyOut() []rawPacket {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]rawPacket, r.n)
	buf := make([]byte, 0, r.bytes)
	for i := range out {
		p := r.ring[(r.start+i)%len(r.ring)]
		off := len(buf)
		buf = append(buf, p.data...)
		p.data = buf[off:len(buf):len(buf)]
		out[i] = p
	}
	return out
}

// writeFile saves packets as pcapng to path.
func writeFile(path string, pkts []rawPacket) error {
	w, err := probe.CreateFile(path)
	if err != nil {
		return err
	}
	for _, p := range pkts {
		if err := w.WritePacket(p.iface, p.link, p.ci, p.data); err != nil {
			w.Close() //nolint:errcheck // the write error is the one to report
			return err
		}
	}
	return w.Close()
}
