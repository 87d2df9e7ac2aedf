package lab

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
)

// Capture is a live capture (probes/capture, AF_PACKET) on one or more
// interfaces of a namespace, written to one pcapng file as it runs and
// decoded as it arrives.
type Capture struct {
	// Name, Device and Interface are the bundle.yaml entry it becomes:
	// captures/NAME.pcapng, taken on DEVICE's INTERFACE (for a bond, the
	// bond, its members being the file's interfaces).
	Name, Device, Interface string

	path string
	srcs []*capture.LiveSource
	wg   sync.WaitGroup

	mu   sync.Mutex
	pkts []packet
	sums []capture.Summary
	err  error
	done bool
}

// packet is one captured frame, kept until Stop writes the file in time
// order (frames of several interfaces arrive through several sockets).
type packet struct {
	iface string
	ci    gopacket.CaptureInfo
	data  []byte
}

// CaptureSpec says what StartCapture captures.
type CaptureSpec struct {
	Name, Device, Interface string
	// Ifaces are the interfaces of the namespace to capture on.
	Ifaces []string
	// Filter is a tcpdump filter ("" for everything).
	Filter string
}

// StartCapture opens a live capture on every interface of spec inside ns
// (the packet sockets are opened from a thread switched into it) and
// records until Stop.
func StartCapture(t testing.TB, ns *NS, spec CaptureSpec) *Capture {
	t.Helper()
	c := &Capture{Name: spec.Name, Device: spec.Device, Interface: spec.Interface,
		path: filepath.Join(t.TempDir(), spec.Name+".pcapng")}
	for _, iface := range spec.Ifaces {
		var src *capture.LiveSource
		err := ns.Do(func() (err error) {
			src, err = capture.OpenLive(iface, spec.Filter, 0)
			return err
		})
		if err != nil {
			c.closeSources()
			t.Fatalf("lab: capture on %s %s: %v", ns.Name, iface, err)
		}
		c.srcs = append(c.srcs, src)
	}
	t.Cleanup(func() { c.stop() })
	for _, src := range c.srcs {
		c.wg.Add(1)
		go c.read(src)
	}
	return c
}

func (c *Capture) closeSources() {
	for _, s := range c.srcs {
		s.Close()
	}
}

// read copies one source's packets into the file and the summaries.
func (c *Capture) read(src *capture.LiveSource) {
	defer c.wg.Done()
	d := capture.NewDecoder(layers.LinkTypeEthernet)
	var s capture.Summary
	for {
		data, ci, err := src.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				c.mu.Lock()
				c.err = errors.Join(c.err, err)
				c.mu.Unlock()
			}
			return
		}
		_ = d.Decode(data, ci, src.Name(), &s)
		c.mu.Lock()
		if !c.done {
			c.pkts = append(c.pkts, packet{iface: src.Name(), ci: ci, data: bytes.Clone(data)})
			c.sums = append(c.sums, s)
		}
		c.mu.Unlock()
	}
}

// Summaries returns the decoded frames so far: in arrival order while the
// capture runs, in time order once it is stopped.
func (c *Capture) Summaries() []capture.Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sums)
}

// stop ends the capture and closes the file.
func (c *Capture) stop() error {
	c.closeSources()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return c.err
	}
	c.done = true
	idx := make([]int, len(c.pkts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return c.pkts[idx[a]].ci.Timestamp.Before(c.pkts[idx[b]].ci.Timestamp) })
	w, err := capture.CreateFile(c.path)
	if err != nil {
		c.err = errors.Join(c.err, err)
		return c.err
	}
	sums := make([]capture.Summary, 0, len(idx))
	for _, i := range idx {
		p := c.pkts[i]
		if err := w.WritePacket(p.iface, layers.LinkTypeEthernet, p.ci, p.data); err != nil {
			c.err = errors.Join(c.err, err)
		}
		sums = append(sums, c.sums[i])
	}
	c.sums = sums
	if err := w.Close(); err != nil {
		c.err = errors.Join(c.err, err)
	}
	if len(c.pkts) == 0 && c.err == nil {
		c.err = errors.New("no packet captured")
	}
	return c.err
}

// Stop ends the capture; the file is complete afterwards. A read error of
// any source fails the test.
func (c *Capture) Stop(t testing.TB) {
	t.Helper()
	if err := c.stop(); err != nil {
		t.Fatalf("lab: capture %s: %v", c.Name, err)
	}
}

// Path returns the pcapng file.
func (c *Capture) Path() string { return c.path }

// LoadBundle loads a bundle from fsys the way `nettui diagnose` does:
// the device outputs parsed (bundle.Load) and every capture bundle.yaml
// lists decoded into the snapshot (capture.Summarize). A capture that
// cannot be read is an error here.
func LoadBundle(fsys fs.FS) (*netmodel.Snapshot, error) {
	snap, err := bundle.Load(fsys)
	if err != nil {
		return nil, err
	}
	for i, cm := range snap.Captures {
		f, err := fsys.Open(cm.File)
		if err != nil {
			return nil, fmt.Errorf("capture %s: %w", cm.File, err)
		}
		r, err := capture.NewReader(f, cm.File)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("capture %s: %w", cm.File, err)
		}
		cp, err := capture.Summarize(r, cm.File, cm.Device, cm.Interface)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("capture %s: %w", cm.File, err)
		}
		snap.Captures[i] = cp
	}
	return snap, nil
}

// Findings diagnoses snap and returns each finding as "RULE-ID<TAB>subject",
// sorted (the form of the fixtures' EXPECTED.txt).
func Findings(snap *netmodel.Snapshot) []string {
	var out []string
	for _, f := range diagnose.Run(snap) {
		out = append(out, f.ID+"\t"+f.Subject)
	}
	sort.Strings(out)
	return out
}

// ExpectFindings fails the test unless diagnosing snap gives exactly the
// findings want ("RULE-ID<TAB>subject", any order), printing the
// difference and every finding with its title and evidence.
func ExpectFindings(t testing.TB, what string, snap *netmodel.Snapshot, want []string) {
	t.Helper()
	got := Findings(snap)
	w := slices.Clone(want)
	sort.Strings(w)
	if slices.Equal(w, got) {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: findings differ (-want +got):\n%s\nall findings:", what, cmp.Diff(w, got))
	for _, f := range diagnose.Run(snap) {
		fmt.Fprintf(&b, "\n  %s %s %s | %s", f.Severity, f.ID, f.Subject, f.Title)
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "\n      %s %s:%d-%d %s", e.Device, e.File, e.Start, e.End, e.Text)
		}
	}
	for _, d := range snap.Devices {
		for _, pe := range d.Errors {
			fmt.Fprintf(&b, "\n  parse error: %v", pe)
		}
	}
	for _, u := range snap.Unrecognised {
		fmt.Fprintf(&b, "\n  unrecognised: %s: %s", u.Path, u.Reason)
	}
	t.Error(b.String())
}
