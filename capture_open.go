package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/collect"
	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
)

// openLocal starts a local live capture: AF_PACKET in pure Go, or libpcap
// in a build with -tags pcap (capture_pcap.go).
var openLocal = func(iface, filter string) (capture.Source, error) {
	src, err := capture.OpenLive(iface, filter, 0)
	if err != nil {
		return nil, err
	}
	return src, nil
}

// captureOpener starts the dashboard's captures: a capture of the bundle
// that the finding cites or that was taken on its device (replayed, with
// the finding's filter), else a live capture on a local interface when one
// was given (--capture-interface).
type captureOpener struct {
	fsys  fs.FS // the bundle; nil for a live site
	snap  *netmodel.Snapshot
	iface string         // local interface for live captures
	live  *liveCollector // a live site: capture on the device over SSH
	// dir is the bundle folder on disk, where saved captures go (and are
	// listed in bundle.yaml); "" for the embedded demo, an archive or a
	// live site without -o.
	dir string

	mu      sync.Mutex
	targets map[string][2]string // capture name -> device, interface
}

// target remembers which device and interface a capture name stands for,
// so that saving it into the bundle can say so in bundle.yaml.
func (o *captureOpener) target(name, device, iface string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.targets == nil {
		o.targets = map[string][2]string{}
	}
	o.targets[name] = [2]string{device, iface}
}

// save is the dashboard's SaveCapture: into the bundle's captures folder
// (listed in bundle.yaml, so that reopening the bundle decodes it) when
// there is a bundle folder, else the current folder.
func (o *captureOpener) save(name string) (string, func(string) error) {
	dir := o.dir
	if dir == "" && o.live != nil {
		dir = o.live.lastBundle()
	}
	if dir == "" {
		return "", nil
	}
	o.mu.Lock()
	t := o.targets[name]
	o.mu.Unlock()
	capDir := filepath.Join(dir, "captures")
	if err := os.MkdirAll(capDir, bundle.DirMode); err != nil {
		return "", nil
	}
	return capDir, func(path string) error {
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		return bundle.AddCapture(dir, bundle.CaptureMeta{File: filepath.ToSlash(rel), Device: t[0], Interface: t[1]})
	}
}

func (o *captureOpener) open(f *netmodel.Finding) (string, func(context.Context) (capture.Source, error), error) {
	filter := captureFilter(f)
	if c := o.bundleCapture(f); c != nil && o.fsys != nil {
		name := c.File
		if filter != "" && !strings.HasPrefix(fID(f), "CAP-") {
			name += " [" + filter + "]"
		} else {
			filter = "" // a CAP finding's capture is shown whole
		}
		o.target(name, c.Device, c.Interface)
		return name, func(ctx context.Context) (capture.Source, error) {
			fh, err := o.fsys.Open(c.File)
			if err != nil {
				return nil, err
			}
			r, err := capture.NewReader(fh, c.File)
			if err != nil {
				fh.Close()
				return nil, err
			}
			if filter == "" {
				return r, nil
			}
			prog, err := capture.CompileFilter(ctx, filter)
			if err != nil {
				r.Close()
				return nil, err
			}
			return &filteredSource{Source: r, prog: prog}, nil
		}, nil
	}
	if o.live != nil {
		if name, open, err := o.remote(f, filter); err == nil || o.iface == "" {
			return name, open, err
		}
	}
	if o.iface != "" {
		name := o.iface
		if filter != "" {
			name += " [" + filter + "]"
		}
		o.target(name, "", o.iface)
		return name, func(ctx context.Context) (capture.Source, error) {
			return openLocal(o.iface, filter)
		}, nil
	}
	what := "this site"
	if f != nil {
		what = f.ID + " " + f.Subject
	}
	return "", nil, fmt.Errorf("no capture for %s: the bundle holds none on its device and no local interface was given (--capture-interface IF); the filter would be %q", what, filter)
}

func fID(f *netmodel.Finding) string {
	if f == nil {
		return ""
	}
	return f.ID
}

// bundleCapture is the capture a finding cites, or one taken on a device
// the finding concerns.
func (o *captureOpener) bundleCapture(f *netmodel.Finding) *netmodel.Capture {
	if o.snap == nil || len(o.snap.Captures) == 0 {
		return nil
	}
	if f == nil {
		return o.snap.Captures[0]
	}
	for _, e := range f.Evidence {
		for _, c := range o.snap.Captures {
			if e.File == c.File {
				return c
			}
		}
	}
	devices := map[string]bool{}
	for _, e := range f.Evidence {
		devices[e.Device] = true
	}
	for _, c := range o.snap.Captures {
		if devices[c.Device] {
			return c
		}
	}
	return nil
}

// filteredSource applies a compiled tcpdump filter to a replayed capture.
type filteredSource struct {
	capture.Source
	prog []bpf.RawInstruction
}

func (s *filteredSource) Next() ([]byte, gopacket.CaptureInfo, error) {
	for {
		data, ci, err := s.Source.Next()
		if err != nil {
			return data, ci, err
		}
		if _, link := s.Source.Interface(ci); link != layers.LinkTypeEthernet {
			return data, ci, nil // the filter is compiled for Ethernet frames
		}
		ok, err := capture.MatchFilter(s.prog, data)
		if err != nil {
			return nil, ci, errors.Join(errors.New("filter"), err)
		}
		if ok {
			return data, ci, nil
		}
	}
}

var vmnicIn = regexp.MustCompile(`\bvmnic\d+\b`)

// remote captures on the device a finding concerns, over its SSH
// connection: tcpdump on Linux (on every interface, with the finding's
// filter), pktcap-uw on the ESXi uplink the finding names (the filter is
// then applied to the stream).
func (o *captureOpener) remote(f *netmodel.Finding, filter string) (string, func(context.Context) (capture.Source, error), error) {
	if f == nil {
		return "", nil, errors.New("select a finding: the capture runs on the device it concerns")
	}
	for _, e := range f.Evidence {
		d := o.live.inv.Device(e.Device)
		if d == nil {
			continue
		}
		def, err := platform.Get(d.Platform)
		if err != nil || def.CaptureCommand == "" {
			continue
		}
		iface, streamFilter := "any", ""
		if d.Platform == netmodel.ESXi {
			iface = vmnicIn.FindString(f.Subject + " " + f.Title + " " + e.Text)
			if iface == "" {
				continue
			}
			streamFilter, filter = filter, ""
		}
		build := def.Capture
		if d.CaptureSudo {
			build = def.CaptureSudo
		}
		cmd, err := build(iface, filter)
		if err != nil {
			return "", nil, err
		}
		name := fmt.Sprintf("%s %s", d.Name, iface)
		if f := filter + streamFilter; f != "" {
			name += " [" + f + "]"
		}
		o.target(name, d.Name, iface)
		return name, func(ctx context.Context) (capture.Source, error) {
			client, err := collect.Connect(ctx, o.live.inv, d.Name, o.live.o.runOptions(o.live.g, nil))
			if err != nil {
				return nil, err
			}
			stream, err := client.Stream(ctx, cmd)
			if err != nil {
				client.Close()
				return nil, err
			}
			r, err := capture.NewReader(stream, name)
			if err != nil {
				stream.Close()
				client.Close()
				return nil, fmt.Errorf("%s: %q gave no capture: %w", d.Name, cmd.Line(), err)
			}
			var src capture.Source = &closingSource{Source: r, closers: []func() error{stream.Close, client.Close}}
			if streamFilter != "" {
				prog, err := capture.CompileFilter(ctx, streamFilter)
				if err != nil {
					src.Close()
					return nil, err
				}
				src = &filteredSource{Source: src, prog: prog}
			}
			return src, nil
		}, nil
	}
	return "", nil, fmt.Errorf("no device of %s %s can capture here (Linux and ESXi hosts can; for ESXi the finding must name a vmnic)", f.ID, f.Subject)
}

// closingSource closes the stream and the connection with the source.
type closingSource struct {
	capture.Source
	closers []func() error
}

func (s *closingSource) Close() error {
	err := s.Source.Close()
	for _, c := range s.closers {
		c()
	}
	return err
}
