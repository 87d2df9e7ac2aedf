// Package bundle reads and writes nettui bundles: a folder (or .tar.gz of
// one) of raw device outputs with a bundle.yaml, or a hand-made folder of
// pasted outputs without one. Loading detects what each file is, runs its
// parser and builds the snapshot the diagnosis reads.
package bundle

import (
	"errors"
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nettui/nettui/internal/netmodel"
)

// FormatVersion is the bundle format this code writes and reads.
const FormatVersion = 1

// Meta is bundle.yaml.
type Meta struct {
	Format   int               `yaml:"format"`
	Site     string            `yaml:"site,omitempty"`
	Created  time.Time         `yaml:"created,omitempty"`
	Devices  []DeviceMeta      `yaml:"devices,omitempty"`
	Links    [][]string        `yaml:"links,omitempty"`
	Expect   map[string]string `yaml:"expect,omitempty"`
	Captures []CaptureMeta     `yaml:"captures,omitempty"`
}

// DeviceMeta is one device entry of bundle.yaml.
type DeviceMeta struct {
	Name     string `yaml:"name"`
	Platform string `yaml:"platform,omitempty"`
	Status   string `yaml:"status,omitempty"`
	Error    string `yaml:"error,omitempty"`
	// Written by live collection: the address used, the time taken and each
	// command sent with its outcome.
	Host     string        `yaml:"host,omitempty"`
	Duration string        `yaml:"duration,omitempty"`
	Commands []CommandMeta `yaml:"commands,omitempty"`
}

// CommandMeta is one command of a collected device.
type CommandMeta struct {
	File      string `yaml:"file,omitempty"` // devices/<device>/<capability>.txt; empty when nothing was saved
	Command   string `yaml:"command"`
	Duration  string `yaml:"duration,omitempty"`
	Exit      *int   `yaml:"exit,omitempty"`
	Truncated bool   `yaml:"truncated,omitempty"`
	Error     string `yaml:"error,omitempty"`
}

// CaptureMeta is one capture entry of bundle.yaml.
type CaptureMeta struct {
	File      string `yaml:"file"`
	Device    string `yaml:"device,omitempty"`
	Interface string `yaml:"interface,omitempty"`
}

// Envelope is the optional devices/<device>/<capability>.json beside an output.
type Envelope struct {
	Command     string    `json:"command"`
	CollectedAt time.Time `json:"collected_at,omitempty"`
	Duration    string    `json:"duration,omitempty"`
	Exit        *int      `json:"exit,omitempty"`
	Truncated   bool      `json:"truncated,omitempty"`
}

// ErrUnusable marks input that cannot be diagnosed at all (no such folder,
// a broken bundle.yaml, nothing recognisable).
var ErrUnusable = errors.New("unusable input")

// MetaError is a problem in bundle.yaml, located by line.
type MetaError struct {
	Line int
	Msg  string
}

func (e *MetaError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("bundle.yaml:%d: %s", e.Line, e.Msg)
	}
	return "bundle.yaml: " + e.Msg
}

func (e *MetaError) Unwrap() error { return ErrUnusable }

// ParseMeta reads and checks bundle.yaml.
func ParseMeta(b []byte) (*Meta, error) {
	var node yaml.Node
	if err := yaml.Unmarshal(b, &node); err != nil {
		return nil, &MetaError{Msg: err.Error()}
	}
	var m Meta
	if err := node.Decode(&m); err != nil {
		return nil, &MetaError{Msg: err.Error()}
	}
	line := func(key string) int {
		if len(node.Content) == 0 {
			return 0
		}
		root := node.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == key {
				return root.Content[i].Line
			}
		}
		return 0
	}
	if m.Format == 0 {
		return nil, &MetaError{Line: 1, Msg: "missing `format: 1`"}
	}
	if m.Format > FormatVersion {
		return nil, &MetaError{Line: line("format"), Msg: fmt.Sprintf("format %d is newer than this nettui reads (%d)", m.Format, FormatVersion)}
	}
	seen := map[string]bool{}
	for i, d := range m.Devices {
		if d.Name == "" {
			return nil, &MetaError{Line: line("devices"), Msg: fmt.Sprintf("device #%d has no name", i+1)}
		}
		if seen[d.Name] {
			return nil, &MetaError{Line: line("devices"), Msg: fmt.Sprintf("device %q listed twice", d.Name)}
		}
		seen[d.Name] = true
	}
	for i, l := range m.Links {
		if len(l) != 2 {
			return nil, &MetaError{Line: line("links"), Msg: fmt.Sprintf("link #%d: want [device:port, device:port]", i+1)}
		}
		for _, e := range l {
			if _, _, ok := splitEndpoint(e); !ok {
				return nil, &MetaError{Line: line("links"), Msg: fmt.Sprintf("link #%d: %q is not device:port", i+1, e)}
			}
		}
	}
	return &m, nil
}

func splitEndpoint(s string) (dev, port string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			dev, port = s[:i], s[i+1:]
			return dev, port, dev != "" && port != ""
		}
	}
	return "", "", false
}

// declaredLinks turns bundle.yaml links into model links.
func (m *Meta) declaredLinks() []netmodel.Link {
	var out []netmodel.Link
	for _, l := range m.Links {
		ad, ap, _ := splitEndpoint(l[0])
		bd, bp, _ := splitEndpoint(l[1])
		out = append(out, netmodel.Link{
			A:    netmodel.Endpoint{Device: ad, Port: ap},
			B:    netmodel.Endpoint{Device: bd, Port: bp},
			Seen: []netmodel.Sighting{{How: "declared", Src: netmodel.Source{File: "bundle.yaml"}}},
		})
	}
	return out
}
