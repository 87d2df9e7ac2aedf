package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui/devices"
	"github.com/nettui/nettui/ui/pane"
)

// Collector runs a live collection for the dashboard.
type Collector interface {
	// Collect collects the named devices (every device when only is nil). It
	// sends each step to progress, from any goroutine, and returns when every
	// device is done or failed, or ctx is cancelled. The returned site and
	// findings replace the dashboard's.
	Collect(ctx context.Context, only []string, progress func(Progress)) (*netmodel.Snapshot, []netmodel.Finding, error)
	// AcceptHostKey writes the unknown host key the device last presented to
	// known_hosts (the user's explicit choice, after seeing the fingerprint).
	AcceptHostKey(device string) error
}

// Progress is one step of one device.
//
// The dashboard keeps only the latest step of each device and redraws at
// most ten times a second, so a collector may report as often as it likes;
// reporting never blocks.
type Progress struct {
	Device string
	State  string // "queued", "connecting", "collecting", "done", "failed"
	// Done and Total count the device's commands.
	Done, Total int
	Command     string
	// Err, Kind and Hint say why the device failed (Kind: auth, host key,
	// timeout, refused, jump host unreachable, reset, other).
	Err, Kind, Hint string
	// Fingerprint is set when the device stopped on an unknown host key.
	Fingerprint string
	// Site and Findings, when non-nil, are the site collected so far and its
	// findings: the dashboard shows them at once (findings appear as devices
	// finish). The dashboard reads them from its own goroutine, so the
	// collector must not change them once sent.
	Site     *netmodel.Snapshot
	Findings []netmodel.Finding
}

// Device states of a collection (Progress.State).
const (
	StateQueued     = "queued"
	StateConnecting = "connecting"
	StateCollecting = "collecting"
	StateDone       = "done"
	StateFailed     = "failed"
)

// PromptRequest asks the user for a password, passphrase or
// keyboard-interactive answer.
type PromptRequest struct {
	Device, Question string
	Secret           bool // mask the answer
	// Answer receives exactly one answer. Give it room for one (a buffered
	// channel) so the dashboard never waits; the requester should also
	// watch its context, since a dashboard that quits answers ErrCancelled
	// only on a best-effort basis.
	Answer chan<- PromptAnswer
}

// PromptAnswer is the user's answer to a PromptRequest.
type PromptAnswer struct {
	Text string
	Err  error // set when the user cancels (esc): ErrCancelled
}

// ErrCancelled is the error of a PromptAnswer the user cancelled, by esc or
// by quitting.
var ErrCancelled = errors.New("cancelled by the user")

// Refresh pacing of a live collection.
const (
	// minUpdate is the shortest time between two progress updates.
	minUpdate = 100 * time.Millisecond
	// tickEvery redraws the elapsed time while nothing else happens.
	tickEvery = time.Second
	// stopWait is how long Run waits for a cancelled collection to return.
	stopWait = 500 * time.Millisecond
)

// session is what every copy of the model shares: the context the
// collections run under and the count of collections running.
type session struct {
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	active  int
	drained chan struct{} // closed when active drops to 0 during stop
	closed  chan struct{} // closed by stop: blocked answers give up
	once    sync.Once
}

func newSession(parent context.Context) *session {
	ctx, cancel := context.WithCancel(parent)
	return &session{ctx: ctx, cancel: cancel, closed: make(chan struct{})}
}

// begin counts a collection in; false when the session already ended.
func (s *session) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return false
	}
	s.active++
	return true
}

func (s *session) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	if s.active == 0 && s.drained != nil {
		close(s.drained)
		s.drained = nil
	}
}

// stop cancels every collection and waits up to d for them to return.
func (s *session) stop(d time.Duration) {
	s.cancel()
	defer s.once.Do(func() { close(s.closed) })
	s.mu.Lock()
	if s.active == 0 {
		s.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	s.drained = ch
	s.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	}
}

// hub takes a collection's progress from the collector's goroutines and
// hands it to the model in batches: the latest step of each device, the
// latest site and findings, and finally what Collect returned. Reporting
// only takes a mutex for a moment; the model waits for a batch in a tea.Cmd,
// at most one every minUpdate.
type hub struct {
	run int
	ctx context.Context

	mu       sync.Mutex
	order    []string
	latest   map[string]Progress
	site     *netmodel.Snapshot
	findings []netmodel.Finding
	hasFinds bool
	done     bool
	result   collectResult
	last     time.Time

	wake     chan struct{} // capacity 1: something new
	finished chan struct{} // closed when Collect returned
}

type collectResult struct {
	site     *netmodel.Snapshot
	findings []netmodel.Finding
	err      error
}

// progressMsg is a batch of a collection's progress.
type progressMsg struct {
	run      int
	events   []Progress // latest per device, Site and Findings cleared
	site     *netmodel.Snapshot
	findings []netmodel.Finding
	hasFinds bool
	final    bool // Collect returned: result holds what it returned
	result   collectResult
}

// tickMsg redraws the elapsed time of a collection.
type tickMsg struct{ run int }

// promptMsg is a PromptRequest read from Options.Prompts.
type promptMsg struct{ req PromptRequest }

// acceptedMsg reports AcceptHostKey.
type acceptedMsg struct {
	device string
	err    error
}

// answerMsg reports an answer the model could not hand over at once.
type answerMsg struct{}

func newHub(ctx context.Context, run int) *hub {
	return &hub{
		run: run, ctx: ctx, latest: map[string]Progress{},
		wake: make(chan struct{}, 1), finished: make(chan struct{}),
	}
}

// progress is the collector's callback. It never blocks.
func (h *hub) progress(p Progress) {
	h.mu.Lock()
	if h.done {
		h.mu.Unlock()
		return
	}
	if p.Site != nil {
		h.site = p.Site
	}
	if p.Findings != nil {
		h.findings, h.hasFinds = p.Findings, true
	}
	p.Site, p.Findings = nil, nil
	if p.Device != "" {
		if _, ok := h.latest[p.Device]; !ok {
			h.order = append(h.order, p.Device)
		}
		h.latest[p.Device] = p
	}
	h.mu.Unlock()
	h.poke()
}

func (h *hub) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// finish records what Collect returned.
func (h *hub) finish(site *netmodel.Snapshot, findings []netmodel.Finding, err error) {
	h.mu.Lock()
	if h.done {
		h.mu.Unlock()
		return
	}
	h.done = true
	h.result = collectResult{site, findings, err}
	h.mu.Unlock()
	close(h.finished)
	h.poke()
}

// take empties the hub into a message.
func (h *hub) take() progressMsg {
	h.mu.Lock()
	defer h.mu.Unlock()
	msg := progressMsg{run: h.run, site: h.site, findings: h.findings, hasFinds: h.hasFinds}
	for _, d := range h.order {
		msg.events = append(msg.events, h.latest[d])
	}
	h.order, h.latest, h.site, h.findings, h.hasFinds = nil, map[string]Progress{}, nil, nil, false
	if h.done {
		msg.final, msg.result = true, h.result
	}
	h.last = time.Now()
	return msg
}

func (h *hub) sinceLast() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last.IsZero() {
		return minUpdate
	}
	return time.Since(h.last)
}

// next waits for the next batch: something new (no sooner than minUpdate
// after the previous batch, unless Collect returned), or a tick after
// tickEvery of silence. It returns nil once the run is cancelled.
func (h *hub) next() tea.Msg {
	t := time.NewTimer(tickEvery)
	defer t.Stop()
	select {
	case <-h.wake:
	case <-h.finished:
	case <-t.C:
		return tickMsg{run: h.run}
	case <-h.ctx.Done():
		return nil
	}
	if gap := minUpdate - h.sinceLast(); gap > 0 {
		pace := time.NewTimer(gap)
		defer pace.Stop()
		select {
		case <-pace.C:
		case <-h.finished:
		case <-h.ctx.Done():
			return nil
		}
	}
	return h.take()
}

// liveState is the model's part of a live collection.
type liveState struct {
	run      int                 // current (or last) run
	running  bool                // a collection runs
	hub      *hub                // of the current run
	cancel   context.CancelFunc  // of the current run
	devs     []string            // devices counted in the progress line
	states   map[string]Progress // latest step per device (copied on write)
	started  time.Time
	elapsed  time.Duration
	err      error    // of the last run, when it failed as a whole
	pending  []string // devices to collect again once the run ends
	ran      bool     // a run has finished: the next one is compared with it
	baseline []netmodel.Finding
	raw      []netmodel.Finding // the collector's latest findings
}

// startRun starts a collection of only (every device when nil) and returns
// the commands that run it and wait for its progress.
func (m *Model) startRun(only []string) tea.Cmd {
	lv := &m.live
	lv.run++
	ctx, cancel := context.WithCancel(m.sess.ctx)
	h := newHub(ctx, lv.run)
	lv.hub, lv.cancel, lv.running = h, cancel, true
	m.findings.SetEmptyText("No findings yet: they appear as devices finish.")
	lv.err = nil
	lv.started, lv.elapsed = m.now(), 0
	lv.baseline = nil
	if lv.ran {
		lv.baseline = lv.raw
	}
	lv.devs = slices.Clone(only)
	if only == nil {
		for _, d := range m.snap.Devices {
			lv.devs = append(lv.devs, d.Name)
		}
	}
	states := maps.Clone(lv.states)
	if states == nil {
		states = map[string]Progress{}
	}
	for _, d := range lv.devs {
		states[d] = Progress{Device: d, State: StateQueued}
	}
	lv.states = states
	m.devices.SetLive(m.liveDevices())
	m.log.Info("collection started", "run", lv.run, "devices", len(lv.devs))

	coll, sess := m.opts.Collector, m.sess
	collect := func() tea.Msg {
		if !sess.begin() {
			h.finish(nil, nil, context.Canceled)
			return nil
		}
		defer sess.end()
		site, findings, err := coll.Collect(ctx, only, h.progress)
		h.finish(site, findings, err)
		return nil
	}
	// collect first: a caller running commands one after the other (tests)
	// then finds the run finished when it waits.
	return tea.Batch(collect, h.next)
}

// onProgress applies a batch of the current run.
func (m *Model) onProgress(msg progressMsg) tea.Cmd {
	lv := &m.live
	if msg.run != lv.run || !lv.running {
		return nil // a run that was replaced
	}
	m.applyProgress(msg.events, msg.site, msg.findings, msg.hasFinds, false)
	if !msg.final {
		return lv.hub.next
	}
	return m.finishRun(msg.result)
}

// applyProgress takes device steps and, when set, a new site and findings.
func (m *Model) applyProgress(events []Progress, site *netmodel.Snapshot, findings []netmodel.Finding, hasFinds, final bool) {
	lv := &m.live
	if len(events) > 0 {
		states := maps.Clone(lv.states)
		if states == nil {
			states = map[string]Progress{}
		}
		sel := m.devices.Selected()
		for _, ev := range events {
			ev.Site, ev.Findings = nil, nil
			if ev.Device == "" {
				continue
			}
			if _, ok := states[ev.Device]; !ok && lv.running && !contains(lv.devs, ev.Device) {
				lv.devs = append(lv.devs, ev.Device)
			}
			if ev.State == StateFailed && states[ev.Device].State != StateFailed {
				m.log.Warn("device failed", "device", ev.Device, "kind", ev.Kind, "err", ev.Err)
				if ev.Device == sel {
					m.devDetail = true // the device selected just failed: show why
				}
			}
			states[ev.Device] = ev
		}
		lv.states = states
	}
	if site != nil {
		m.snap = site
		m.evidence.SetSnapshot(site)
		m.raw.SetSnapshot(site)
	}
	if hasFinds {
		lv.raw = findings
	}
	if site != nil || hasFinds || final {
		m.setFindings(final)
	}
	m.devices.SetLive(m.liveDevices())
}

// setFindings shows the collector's latest findings, marked against the
// previous run: new ones as "new", and, once the run is over, the previous
// run's findings that are gone as "resolved", after the others.
func (m *Model) setFindings(final bool) {
	lv := &m.live
	shown := markFindings(lv.baseline, lv.raw, final && lv.ran, m.failedDevices())
	m.list = shown
	m.counts = [4]int{}
	for i := range shown {
		if s := shown[i].Severity; s >= 0 && int(s) < len(m.counts) && shown[i].Status != "resolved" {
			m.counts[s]++
		}
	}
	m.findings.SetFindings(shown)
	m.devices.SetSite(m.snap, shown)
}

// markFindings compares cur with the previous run's findings (base; nil
// for none: no marking). A finding that is gone is listed as resolved only
// when every device it concerns was collected this time: a device that
// failed proves nothing.
func markFindings(base, cur []netmodel.Finding, resolved bool, failed map[string]bool) []netmodel.Finding {
	out := make([]netmodel.Finding, 0, len(cur))
	if base == nil {
		return append(out, cur...)
	}
	before := make(map[string]bool, len(base))
	for i := range base {
		before[base[i].Key()] = true
	}
	now := make(map[string]bool, len(cur))
	for _, f := range cur {
		now[f.Key()] = true
		if !before[f.Key()] {
			f.Status = "new"
		} else if f.Status == "new" || f.Status == "resolved" {
			f.Status = ""
		}
		out = append(out, f)
	}
	if !resolved {
		return out
	}
	for _, f := range base {
		if now[f.Key()] || concernsAny(&f, failed) {
			continue
		}
		f.Status = "resolved"
		out = append(out, f)
	}
	return out
}

func concernsAny(f *netmodel.Finding, devs map[string]bool) bool {
	for d := range devs {
		if pane.Concerns(f, d) {
			return true
		}
	}
	return false
}

func (m Model) failedDevices() map[string]bool {
	out := map[string]bool{}
	for d, p := range m.live.states {
		if p.State == StateFailed {
			out[d] = true
		}
	}
	return out
}

// finishRun records the end of the current run and starts the devices
// queued meanwhile (host keys accepted during the run).
func (m *Model) finishRun(res collectResult) tea.Cmd {
	lv := &m.live
	lv.running = false
	lv.cancel()
	lv.elapsed = m.now().Sub(lv.started)
	if res.err != nil && !errors.Is(res.err, context.Canceled) {
		lv.err = res.err
		m.log.Error("collection failed", "err", res.err)
	}
	// Devices the collector left without a last word take the site's status.
	states := maps.Clone(lv.states)
	site := res.site
	if site == nil {
		site = m.snap
	}
	for _, name := range lv.devs {
		p := states[name]
		if p.State == StateDone || p.State == StateFailed {
			continue
		}
		if d := site.Device(name); d != nil {
			switch d.Status {
			case netmodel.StatusOK, netmodel.StatusPartial:
				p.State = StateDone
			case netmodel.StatusFailed:
				p.State, p.Err = StateFailed, d.Error
			}
			p.Device = name
			states[name] = p
		}
	}
	lv.states = states
	lv.ran = true
	m.findings.SetEmptyText("No findings.")
	m.applyProgress(nil, res.site, res.findings, res.site != nil || res.findings != nil, true)
	done, failed, _ := m.runCounts()
	m.log.Info("collection finished", "run", lv.run, "devices", done+failed, "failed", failed, "elapsed", lv.elapsed)
	if len(lv.pending) > 0 {
		only := lv.pending
		lv.pending = nil
		return m.startRun(only)
	}
	return nil
}

// onTick refreshes the elapsed time and waits on.
func (m *Model) onTick(msg tickMsg) tea.Cmd {
	if msg.run != m.live.run || !m.live.running {
		return nil
	}
	return m.live.hub.next
}

// recollect is r: every device again, unless a collection runs.
func (m *Model) recollect() tea.Cmd {
	if m.opts.Collector == nil || m.live.running {
		return nil
	}
	m.log.Info("re-collect requested")
	return m.startRun(nil)
}

// acceptHostKey runs AcceptHostKey for device (after the user confirmed).
func (m *Model) acceptHostKey(device string) tea.Cmd {
	coll := m.opts.Collector
	m.log.Info("host key accepted by the user", "device", device)
	return func() tea.Msg {
		return acceptedMsg{device: device, err: coll.AcceptHostKey(device)}
	}
}

// onAccepted collects the device again once its key is in known_hosts (at
// once, or after the running collection).
func (m *Model) onAccepted(msg acceptedMsg) tea.Cmd {
	lv := &m.live
	if msg.err != nil {
		m.log.Error("accepting the host key failed", "device", msg.device, "err", msg.err)
		states := maps.Clone(lv.states)
		p := states[msg.device]
		p.Hint = "writing known_hosts failed: " + msg.err.Error()
		states[msg.device] = p
		lv.states = states
		return nil
	}
	states := maps.Clone(lv.states)
	states[msg.device] = Progress{Device: msg.device, State: StateQueued}
	lv.states = states
	m.devices.SetLive(m.liveDevices())
	if lv.running {
		if !contains(lv.pending, msg.device) {
			lv.pending = append(lv.pending, msg.device)
		}
		return nil
	}
	return m.startRun([]string{msg.device})
}

// liveDevices is the devices pane's view of the states (nil without a
// collector).
func (m Model) liveDevices() map[string]devices.Live {
	if m.opts.Collector == nil {
		return nil
	}
	out := make(map[string]devices.Live, len(m.live.states))
	for d, p := range m.live.states {
		out[d] = devices.Live{State: p.State, Done: p.Done, Total: p.Total, Kind: p.Kind, Err: p.Err}
	}
	return out
}

// runCounts counts the devices of the current (or last) run that are done
// and failed, and how far the run is, from 0 to 1.
func (m Model) runCounts() (done, failed int, frac float64) {
	lv := m.live
	if len(lv.devs) == 0 {
		return 0, 0, 0
	}
	sum := 0.0
	for _, d := range lv.devs {
		p := lv.states[d]
		switch p.State {
		case StateDone:
			done++
			sum++
		case StateFailed:
			failed++
			sum++
		case StateCollecting:
			if p.Total > 0 {
				sum += float64(min(p.Done, p.Total)) / float64(p.Total)
			}
		}
	}
	return done, failed, sum / float64(len(lv.devs))
}

// hostKeyDevice is the device whose unknown host key a can accept: the
// selected device, when it failed on one.
func (m Model) hostKeyDevice() (string, Progress, bool) {
	if m.opts.Collector == nil {
		return "", Progress{}, false
	}
	d := m.devices.Selected()
	p, ok := m.live.states[d]
	if !ok || d == "" || p.State != StateFailed || p.Fingerprint == "" {
		return "", Progress{}, false
	}
	return d, p, true
}

// failedSelected is the selected device's step when it failed.
func (m Model) failedSelected() (Progress, bool) {
	if m.opts.Collector == nil {
		return Progress{}, false
	}
	d := m.devices.Selected()
	p, ok := m.live.states[d]
	return p, ok && d != "" && p.State == StateFailed
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// formatElapsed is "12s" or "2m05s" while running, "12.3s" once finished.
func formatElapsed(d time.Duration, precise bool) string {
	if d < 0 {
		d = 0
	}
	if d < time.Minute {
		if precise {
			return fmt.Sprintf("%.1fs", d.Seconds())
		}
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	d = d.Round(time.Second)
	if d < time.Hour {
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
