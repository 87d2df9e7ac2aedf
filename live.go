package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/collect"
	"github.com/nettui/nettui/collectors/inventory"
	"github.com/nettui/nettui/collectors/transport"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/ui"
)

// liveCollector runs collections for the dashboard: it keeps the site
// collected so far (re-collections replace their devices), shows results as
// devices finish, and remembers the unknown host keys the user may accept.
type liveCollector struct {
	g    *globalOptions
	o    *collectOptions
	inv  *inventory.Inventory
	ask  *uiPrompter
	runs int

	mu      sync.Mutex
	site    *collect.Result
	unknown map[string]*transport.UnknownHostKeyError
	saved   string // the last bundle written (with -o)
}

// lastBundle is the folder of the last bundle written with -o, "" when none.
func (l *liveCollector) lastBundle() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.saved
}

func newLiveCollector(g *globalOptions, o *collectOptions, inv *inventory.Inventory, ask *uiPrompter) *liveCollector {
	return &liveCollector{g: g, o: o, inv: inv, ask: ask, unknown: map[string]*transport.UnknownHostKeyError{}}
}

// queuedSite is the inventory as a site whose devices are all queued: what
// the dashboard shows before the first device is done.
func queuedSite(inv *inventory.Inventory) *netmodel.Snapshot {
	s := &netmodel.Snapshot{Site: inv.Site, Expect: inv.Expect}
	for _, d := range inv.Devices {
		s.Devices = append(s.Devices, &netmodel.Device{Name: d.Name, Platform: d.Platform, Status: "queued"})
	}
	return s
}

// minRefresh is the shortest time between two re-diagnoses of a partial site.
const minRefresh = 500 * time.Millisecond

func (l *liveCollector) Collect(ctx context.Context, only []string, progress func(ui.Progress)) (*netmodel.Snapshot, []netmodel.Finding, error) {
	l.mu.Lock()
	partial := &collect.Result{Files: map[string][]byte{}}
	if l.site != nil {
		partial.Meta = l.site.Meta
		partial.Meta.Devices = append([]bundle.DeviceMeta(nil), l.site.Meta.Devices...)
		maps.Copy(partial.Files, l.site.Files)
	}
	l.mu.Unlock()
	var pmu sync.Mutex
	last := time.Time{}
	ro := l.o.runOptions(l.g, func(p collect.Progress) {
		up := ui.Progress{Device: p.Device, State: string(p.State), Done: p.Done, Total: p.Total, Command: p.Command, Kind: p.Kind, Hint: p.Hint}
		if p.Err != nil {
			up.Err = p.Err.Error()
		}
		if p.HostKey != nil {
			up.Fingerprint = p.HostKey.Fingerprint
			l.mu.Lock()
			l.unknown[p.Device] = p.HostKey
			l.mu.Unlock()
		}
		progress(up)
	})
	ro.Prompter = l.ask
	ro.Only = only
	ro.DeviceDone = func(files map[string][]byte, meta bundle.DeviceMeta) {
		pmu.Lock()
		defer pmu.Unlock()
		partial.Merge(&collect.Result{Meta: bundle.Meta{Devices: []bundle.DeviceMeta{meta}}, Files: files})
		if time.Since(last) < minRefresh {
			return
		}
		last = time.Now()
		if snap, err := l.snapshot(partial); err == nil {
			progress(ui.Progress{Device: meta.Name, State: "done", Site: snap, Findings: diagnose.Run(snap)})
		}
	}
	res, err := collect.Run(ctx, l.inv, ro)
	if err != nil {
		return nil, nil, err
	}
	l.mu.Lock()
	if l.site == nil {
		l.site = res
	} else {
		l.site.Merge(res)
	}
	whole := l.site
	l.runs++
	runs := l.runs
	l.mu.Unlock()
	if l.o.out != "" {
		dir := l.o.out
		if runs > 1 {
			dir = fmt.Sprintf("%s-%d", l.o.out, runs)
		}
		if err := whole.Write(dir); err != nil {
			l.g.logger.Error("bundle not saved", "dir", dir, "err", err)
		} else {
			l.g.logger.Info("bundle saved", "dir", dir)
			l.mu.Lock()
			l.saved = dir
			l.mu.Unlock()
		}
	}
	snap, err := l.snapshot(whole)
	if err != nil {
		return nil, nil, err
	}
	return snap, diagnose.Run(snap), nil
}

// snapshot parses a (partial) result, keeping the inventory's devices that
// have no result yet as queued.
func (l *liveCollector) snapshot(r *collect.Result) (*netmodel.Snapshot, error) {
	m := r.Meta
	m.Format, m.Site, m.Expect = bundle.FormatVersion, l.inv.Site, l.inv.Expect
	m.Links = nil
	for _, lk := range l.inv.Links {
		m.Links = append(m.Links, []string{lk[0].Device + ":" + lk[0].Port, lk[1].Device + ":" + lk[1].Port})
	}
	snap, err := (&collect.Result{Meta: m, Files: r.Files}).Snapshot()
	if err != nil && !errors.Is(err, bundle.ErrUnusable) {
		return nil, err
	}
	if snap == nil {
		snap = &netmodel.Snapshot{Site: l.inv.Site}
	}
	for _, d := range l.inv.Devices {
		if snap.Device(d.Name) == nil {
			snap.Devices = append(snap.Devices, &netmodel.Device{Name: d.Name, Platform: d.Platform, Status: "queued"})
		}
	}
	snap.SortDevices()
	return snap, nil
}

func (l *liveCollector) AcceptHostKey(device string) error {
	l.mu.Lock()
	uk := l.unknown[device]
	l.mu.Unlock()
	if uk == nil {
		return fmt.Errorf("%s has presented no unknown host key", device)
	}
	if err := uk.Accept(); err != nil {
		return err
	}
	l.g.logger.Info("host key accepted", "device", device, "host", uk.Host, "fingerprint", uk.Fingerprint, "file", uk.File)
	l.mu.Lock()
	delete(l.unknown, device)
	l.mu.Unlock()
	return nil
}

// uiPrompter asks for passwords and passphrases through the dashboard.
type uiPrompter struct {
	ch chan ui.PromptRequest
}

func newUIPrompter() *uiPrompter { return &uiPrompter{ch: make(chan ui.PromptRequest)} }

func (p *uiPrompter) ask(ctx context.Context, device, question string, secret bool) (string, error) {
	ans := make(chan ui.PromptAnswer, 1)
	select {
	case p.ch <- ui.PromptRequest{Device: device, Question: question, Secret: secret, Answer: ans}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	select {
	case a := <-ans:
		return a.Text, a.Err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p *uiPrompter) Password(ctx context.Context, prompt string) (string, error) {
	return p.ask(ctx, "", prompt, true)
}

func (p *uiPrompter) Passphrase(ctx context.Context, file string) (string, error) {
	return p.ask(ctx, "", "Passphrase for key "+file+": ", true)
}

func (p *uiPrompter) KeyboardInteractive(ctx context.Context, name, instruction string, questions []string, echos []bool) ([]string, error) {
	out := make([]string, len(questions))
	for i, q := range questions {
		if instruction != "" {
			q = instruction + "\n" + q
		}
		a, err := p.ask(ctx, name, q, i >= len(echos) || !echos[i])
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// runLive opens the dashboard on a live collection of an inventory.
func runLive(ctx context.Context, g *globalOptions, o *collectOptions) error {
	inv, err := inventory.Load(o.inventory)
	if err != nil {
		return &exitError{code: exitUnusable, err: err}
	}
	ask := newUIPrompter()
	c := newLiveCollector(g, o, inv, ask)
	g.logger.Info("live collection", "inventory", o.inventory, "devices", len(inv.Devices))
	opener := &captureOpener{iface: g.captureIface, live: c}
	return ui.Run(ctx, ui.Options{Snapshot: queuedSite(inv), Source: "live: " + o.inventory, Logger: g.logger, Collector: c, Prompts: ask.ch, OpenCapture: opener.open, SaveCapture: opener.save,
		Walk: walkConfig("live: "+o.inventory, c, opener)})
}
