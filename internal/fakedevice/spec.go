package fakedevice

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// SpecFile is the name of the device description inside a device directory.
const SpecFile = "device.yaml"

// LogFile is the name of the file, inside a device directory, to which every
// received command is appended (see [AppendLog] and [ReadLog]).
const LogFile = "received.log"

// Modes a device can be in (Spec.Mode).
const (
	// ModeExec accepts exec requests (one command per channel, from
	// $SSH_ORIGINAL_COMMAND) and also runs the interactive CLI when no
	// command is given. This is the default.
	ModeExec = "exec"
	// ModePTY only runs the interactive CLI: an exec request is refused with
	// a message on stderr and exit status 1, as some appliances do.
	ModePTY = "pty"
)

// Spec is the content of device.yaml.
//
//	name: sw1
//	platform: ios            # ios, nxos, eos, asa, junos, linux, esxi
//	mode: exec               # exec (default) or pty
//	prompt: "sw1#"           # default derived from name and platform
//	paging: true             # interactive output stops every page_lines lines
//	page_lines: 24
//	commands:
//	  show interfaces trunk: show-interfaces-trunk.txt
//	faults:
//	  delay: 50ms            # for every command
//	  commands:
//	    show tech-support: {huge: 200MiB}
type Spec struct {
	Name     string `yaml:"name"`
	Platform string `yaml:"platform"`
	Mode     string `yaml:"mode,omitempty"`
	Prompt   string `yaml:"prompt,omitempty"`
	// Banner is printed before the first prompt of an interactive session.
	// Nil gives a one-line default; an empty string prints nothing.
	Banner *string `yaml:"banner,omitempty"`
	// Paging makes interactive output stop with " --More-- " every
	// PageLines lines until the platform's paging-off command is received:
	// "terminal length 0" (ios, nxos, eos; also abbreviated, "term len 0"),
	// "terminal pager 0" (asa), "set cli screen-length 0" (junos). A non-zero
	// length in those commands sets the page length instead. Exec requests
	// and the linux and esxi platforms never page; nxos and junos also take
	// "| no-more" after a command. "terminal width N" (and junos "set cli
	// screen-width N") are accepted and ignored.
	Paging    bool `yaml:"paging,omitempty"`
	PageLines int  `yaml:"page_lines,omitempty"`
	// Commands maps a command line to the file (relative to the device
	// directory) holding its output.
	Commands map[string]string `yaml:"commands,omitempty"`
	Faults   Faults            `yaml:"faults,omitempty"`
}

// Faults are the faults of a device: the inline Fault applies to every
// command, and Commands adds or overrides fields for single commands.
type Faults struct {
	Fault    `yaml:",inline"`
	Commands map[string]Fault `yaml:"commands,omitempty"`
}

// Fault describes how the answer to a command misbehaves. Zero fields are
// off. Byte-counting faults count what the session writes for the command,
// including any " --More-- " prompts.
type Fault struct {
	// HangAfterBytes writes that many bytes of the answer (all of it if it
	// is shorter) and then blocks until the session goes away. Zero hangs
	// before any output.
	HangAfterBytes *ByteSize `yaml:"hang_after_bytes,omitempty"`
	// Trickle writes the answer a few bytes at a time.
	Trickle *Trickle `yaml:"trickle,omitempty"`
	// ResetAfterBytes writes that many bytes (all of it if shorter) and then
	// drops the SSH connection abruptly, without an exit status or a clean
	// channel close.
	ResetAfterBytes *ByteSize `yaml:"reset_after_bytes,omitempty"`
	// Huge answers with this many bytes: the command's file repeated, or
	// generated interface-status lines when the command has no file.
	Huge ByteSize `yaml:"huge,omitempty"`
	// Delay is waited before answering.
	Delay Duration `yaml:"delay,omitempty"`
}

// Trickle writes Bytes bytes, then waits Every, and so on.
type Trickle struct {
	Bytes int      `yaml:"bytes"`
	Every Duration `yaml:"every"`
}

// merge returns f with the set fields of o replacing its own.
func (f Fault) merge(o Fault) Fault {
	if o.HangAfterBytes != nil {
		f.HangAfterBytes = o.HangAfterBytes
	}
	if o.Trickle != nil {
		f.Trickle = o.Trickle
	}
	if o.ResetAfterBytes != nil {
		f.ResetAfterBytes = o.ResetAfterBytes
	}
	if o.Huge != 0 {
		f.Huge = o.Huge
	}
	if o.Delay != 0 {
		f.Delay = o.Delay
	}
	return f
}

// ByteSize is a number of bytes. In YAML it is an integer or a string with
// a unit: B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024).
type ByteSize int64

var byteUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30},
	{"B", 1},
}

// ParseByteSize parses "200MiB", "64KB", "1000" and the like.
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t = strings.TrimSpace(strings.TrimSuffix(t, u.suffix))
			mult = u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid byte size %q", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("byte size %q too large", s)
	}
	return ByteSize(n * mult), nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: byte size must be a scalar", n.Line)
	}
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*b = v
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (b ByteSize) MarshalYAML() (any, error) { return int64(b), nil }

// Duration is a time.Duration written as "50ms", "2s" in YAML.
type Duration time.Duration

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: duration must be a scalar", n.Line)
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: invalid duration %q", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// Device is a loaded device: its Spec, its platform and its outputs.
type Device struct {
	Spec     Spec
	Dir      string
	platform *platform
	outputs  map[string][]byte // normalized command → output
	faults   map[string]Fault  // normalized command → merged fault
	words    [][]string        // words of every known command, for error markers
}

// Load reads DIR/device.yaml and the output files it names.
func Load(dir string) (*Device, error) {
	raw, err := os.ReadFile(filepath.Join(dir, SpecFile))
	if err != nil {
		return nil, err
	}
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, SpecFile), err)
	}
	d, err := New(s, func(name string) ([]byte, error) {
		if filepath.IsAbs(name) {
			return os.ReadFile(name)
		}
		return os.ReadFile(filepath.Join(dir, name))
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, SpecFile), err)
	}
	d.Dir = dir
	return d, nil
}

// New builds a Device from a Spec, reading output files with readFile.
func New(s Spec, readFile func(name string) ([]byte, error)) (*Device, error) {
	if s.Platform == "" {
		s.Platform = "ios"
	}
	p, ok := platforms[s.Platform]
	if !ok {
		return nil, fmt.Errorf("unknown platform %q (known: %s)", s.Platform, strings.Join(platformNames(), ", "))
	}
	switch s.Mode {
	case "":
		s.Mode = ModeExec
	case ModeExec, ModePTY:
	default:
		return nil, fmt.Errorf("unknown mode %q (exec or pty)", s.Mode)
	}
	if s.Name == "" {
		s.Name = "device"
	}
	if s.PageLines == 0 {
		s.PageLines = 24
	}
	if s.PageLines < 0 {
		return nil, errors.New("page_lines must be positive")
	}
	d := &Device{
		Spec:     s,
		platform: p,
		outputs:  map[string][]byte{},
		faults:   map[string]Fault{},
	}
	known := map[string]bool{}
	for cmd, file := range s.Commands {
		n := normalize(cmd)
		if n == "" {
			return nil, errors.New("empty command in commands")
		}
		b, err := readFile(file)
		if err != nil {
			return nil, fmt.Errorf("command %q: %w", cmd, err)
		}
		d.outputs[n] = b
		known[n] = true
	}
	for cmd, f := range s.Faults.Commands {
		n := normalize(cmd)
		if n == "" {
			return nil, errors.New("empty command in faults.commands")
		}
		d.faults[n] = s.Faults.Fault.merge(f)
		known[n] = true
	}
	for _, f := range append([]Fault{s.Faults.Fault}, mapValues(s.Faults.Commands)...) {
		if f.Trickle != nil && (f.Trickle.Bytes <= 0 || f.Trickle.Every < 0) {
			return nil, errors.New("trickle needs bytes > 0")
		}
	}
	cmds := make([]string, 0, len(known))
	for c := range known {
		cmds = append(cmds, c)
	}
	sort.Strings(cmds)
	for _, c := range cmds {
		d.words = append(d.words, strings.Fields(c))
	}
	return d, nil
}

// Known reports whether cmd (after collapsing white space) has an answer.
func (d *Device) Known(cmd string) bool {
	n := normalize(cmd)
	_, out := d.outputs[n]
	_, f := d.faults[n]
	return out || f
}

// Prompt returns the interactive prompt for user.
func (d *Device) Prompt(user string) string {
	if d.Spec.Prompt != "" {
		return d.Spec.Prompt
	}
	return d.platform.prompt(d.Spec.Name, user)
}

func (d *Device) fault(n string) Fault {
	if f, ok := d.faults[n]; ok {
		return f
	}
	return d.Spec.Faults.Fault
}

func mapValues(m map[string]Fault) []Fault {
	out := make([]Fault, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// normalize collapses runs of white space and trims the ends.
func normalize(cmd string) string { return strings.Join(strings.Fields(cmd), " ") }
