// Package platform holds what nettui collects from each platform and how it
// talks to it, as data: session kind, prompts, paging-off commands, failure
// strings and the capability → command table, read from an embedded
// catalog.yaml.
//
// The catalog is the allow-list of everything nettui sends to a device. A
// sendable command is a Cmd, and a Cmd only comes out of Build (a catalog
// command, with its argument checked and quoted), SessionSetup (the
// paging-off commands) or Match (a line equal to one of those). Authorize
// is the same gate for a plain string. No configuration command is in the
// catalog, and tests keep it that way.
package platform

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/nettui/nettui/internal/netmodel"
)

//go:embed catalog.yaml
var catalogYAML []byte

// Kind is how a session runs commands.
type Kind string

// Session kinds.
const (
	// Exec runs each command on its own SSH channel and reads to EOF; the
	// exit status tells success.
	Exec Kind = "exec"
	// PTY opens one interactive shell and reads each output up to the
	// prompt.
	PTY Kind = "pty"
)

// Quote styles for command arguments.
const (
	// QuoteShell puts an argument that is not a plain word in single
	// quotes (the device runs the line through a POSIX shell).
	QuoteShell = "shell"
	// QuoteNone sends arguments as they are; an argument that would need
	// quoting is refused.
	QuoteNone = "none"
)

// Definition is how nettui collects from one platform.
type Definition struct {
	Platform netmodel.Platform
	// Session is the default session kind; Sessions lists every kind the
	// platform supports, Session first.
	Session  Kind
	Sessions []Kind
	// Prompt matches the prompt of an operational shell, tried on the last
	// line of output without its line ending.
	Prompt *regexp.Regexp
	// ConfigPrompt matches a configuration-mode prompt; nil when the
	// platform has none. A session that sees it must stop. Check it before
	// Prompt.
	ConfigPrompt *regexp.Regexp
	// PagingOff are sent first in a PTY session (see SessionSetup).
	PagingOff []string
	// Quote is how arguments are quoted: QuoteShell or QuoteNone.
	Quote string
	// Failures are texts that, near the top of an output, mean the device
	// refused the command (see Failed).
	Failures []string
	// CaptureCommand streams a packet capture as pcap on standard output:
	// "{iface}" is the interface, "{filter}" (when present) a tcpdump
	// filter. "" when the platform has none.
	CaptureCommand string
	// CaptureSudoCommand is CaptureCommand run through sudo -n, for
	// devices configured for it; "" when the platform has none.
	CaptureSudoCommand string
	// Commands are collected in this order; a per-object command comes
	// after the command whose output lists its objects.
	Commands []Command
	// NotCollected lists capabilities the parsers read (when pasted) that
	// are never sent to this platform, each with the reason.
	NotCollected []Skipped
}

// Command is one catalog entry.
type Command struct {
	// Capability names the output (collectors/parse capability, also its
	// file name in a bundle).
	Capability string
	// Command is the exact line; "{arg}" stands for an object's name in a
	// per-object command.
	Command string
	// Parser is the platform whose parser reads the output: the
	// definition's platform, or ovs / frr for Open vSwitch and FRRouting
	// outputs on Linux.
	Parser netmodel.Platform
	// ArgFrom is, for a per-object command, the capability whose output
	// lists the objects; ArgPick says what is read from it (vswitches,
	// portgroups, bonds, teams) and ArgKind how each name is checked
	// (name, ifname).
	ArgFrom string
	ArgPick string
	ArgKind string
	// Optional marks commands of software a host may not run (strongSwan,
	// Open vSwitch, teamd): their failure is recorded, the device is not
	// failed for it.
	Optional bool
}

// PerObject reports whether the command takes an object's name.
func (c Command) PerObject() bool { return strings.Contains(c.Command, argToken) }

// Skipped is a capability that is read but not collected.
type Skipped struct {
	Capability string
	Reason     string
}

const argToken = "{arg}"

// catalog is the parsed catalog.yaml. Build and Match read it, never a
// caller's copy of a Definition, so changing a Definition returned by Get
// cannot widen the allow-list.
type catalog struct {
	order []netmodel.Platform
	defs  map[netmodel.Platform]*Definition
}

var loadCatalog = sync.OnceValues(func() (*catalog, error) { return parseCatalog(catalogYAML) })

// collected are the platforms a catalog may define: every platform the
// parsers know except ovs and frr, whose outputs are collected on Linux
// hosts.
var collected = []netmodel.Platform{
	netmodel.ESXi, netmodel.Linux, netmodel.IOS, netmodel.NXOS, netmodel.EOS, netmodel.Junos, netmodel.ASA,
}

// Platforms lists the platforms nettui collects from, in catalog order.
func Platforms() []netmodel.Platform {
	c, err := loadCatalog()
	if err != nil {
		return nil
	}
	return slices.Clone(c.order)
}

// Get returns a copy of the definition of platform p.
func Get(p netmodel.Platform) (*Definition, error) {
	d, err := lookup(p)
	if err != nil {
		return nil, err
	}
	return d.clone(), nil
}

// lookup returns the catalog's own definition of p.
func lookup(p netmodel.Platform) (*Definition, error) {
	c, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	if d := c.defs[p]; d != nil {
		return d, nil
	}
	names := make([]string, len(c.order))
	for i, q := range c.order {
		names[i] = string(q)
	}
	switch p {
	case netmodel.PlatformUnknown:
		return nil, fmt.Errorf("no platform given: nettui collects from %s", strings.Join(names, ", "))
	case netmodel.OVS:
		return nil, fmt.Errorf("platform ovs: Open vSwitch outputs are collected on Linux hosts (platform linux)")
	case netmodel.FRR:
		return nil, fmt.Errorf("platform frr: FRRouting outputs are collected on Linux hosts through vtysh (platform linux)")
	}
	return nil, fmt.Errorf("platform %q: nettui collects from %s", p, strings.Join(names, ", "))
}

func (d *Definition) clone() *Definition {
	c := *d
	c.Sessions = slices.Clone(d.Sessions)
	c.PagingOff = slices.Clone(d.PagingOff)
	c.Failures = slices.Clone(d.Failures)
	c.Commands = slices.Clone(d.Commands)
	c.NotCollected = slices.Clone(d.NotCollected)
	return &c
}

// Supports reports whether the platform can run a session of kind k.
func (d *Definition) Supports(k Kind) bool { return slices.Contains(d.Sessions, k) }

// Command returns the catalog command of a capability.
func (d *Definition) Command(capability string) (Command, bool) {
	for _, c := range d.Commands {
		if c.Capability == capability {
			return c, true
		}
	}
	return Command{}, false
}

// failureLines is how many non-blank lines from the top of an output are
// searched for a failure string: a refusal is printed at once, while the
// same words deeper down are data (a banner, a description).
const failureLines = 5

// Failed reports whether output is the device refusing the command, and
// which failure string said so.
func (d *Definition) Failed(output string) (string, bool) {
	n := 0
	for line := range strings.Lines(output) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		for _, f := range d.Failures {
			if strings.Contains(line, f) {
				return f, true
			}
		}
		if n++; n == failureLines {
			break
		}
	}
	return "", false
}

// ---------------------------------------------------------------------------
// Reading catalog.yaml.

type fileYAML struct {
	Platforms []platformYAML `yaml:"platforms"`
}

type platformYAML struct {
	Platform     string        `yaml:"platform"`
	Sessions     []string      `yaml:"sessions"`
	Prompt       string        `yaml:"prompt"`
	ConfigPrompt string        `yaml:"config_prompt"`
	PagingOff    []string      `yaml:"paging_off"`
	Capture      string        `yaml:"capture"`
	CaptureSudo  string        `yaml:"capture_sudo"`
	Quote        string        `yaml:"quote"`
	Failures     []string      `yaml:"failures"`
	Commands     []commandYAML `yaml:"commands"`
	NotCollected []skippedYAML `yaml:"not_collected"`
}

type commandYAML struct {
	Capability string    `yaml:"capability"`
	Command    string    `yaml:"command"`
	Parser     string    `yaml:"parser"`
	Args       *argsYAML `yaml:"args"`
	Optional   bool      `yaml:"optional"`
}

type argsYAML struct {
	From string `yaml:"from"`
	Pick string `yaml:"pick"`
	Kind string `yaml:"kind"`
}

type skippedYAML struct {
	Capability string `yaml:"capability"`
	Reason     string `yaml:"reason"`
}

// parseCatalog reads and checks a catalog. Any mistake in it is an error:
// a catalog that loads is one every other function can trust.
func parseCatalog(b []byte) (*catalog, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f fileYAML
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("platform catalog: %w", err)
	}
	c := &catalog{defs: map[netmodel.Platform]*Definition{}}
	var errs []error
	for _, py := range f.Platforms {
		d, err := buildDefinition(py)
		if err != nil {
			errs = append(errs, fmt.Errorf("platform catalog: %s: %w", py.Platform, err))
			continue
		}
		if c.defs[d.Platform] != nil {
			errs = append(errs, fmt.Errorf("platform catalog: %s defined twice", d.Platform))
			continue
		}
		c.defs[d.Platform] = d
		c.order = append(c.order, d.Platform)
	}
	if len(c.order) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("platform catalog: no platforms"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

func buildDefinition(py platformYAML) (*Definition, error) {
	p := netmodel.Platform(py.Platform)
	if !slices.Contains(collected, p) {
		return nil, fmt.Errorf("unknown platform (want one of %v)", collected)
	}
	d := &Definition{Platform: p, Quote: py.Quote, PagingOff: py.PagingOff, Failures: py.Failures, CaptureCommand: py.Capture, CaptureSudoCommand: py.CaptureSudo}
	if len(py.Sessions) == 0 {
		return nil, errors.New("no sessions")
	}
	for _, s := range py.Sessions {
		k := Kind(s)
		if k != Exec && k != PTY {
			return nil, fmt.Errorf("session %q: want exec or pty", s)
		}
		if d.Supports(k) {
			return nil, fmt.Errorf("session %q listed twice", s)
		}
		d.Sessions = append(d.Sessions, k)
	}
	d.Session = d.Sessions[0]
	var err error
	if py.Prompt == "" {
		return nil, errors.New("no prompt")
	}
	if d.Prompt, err = regexp.Compile(py.Prompt); err != nil {
		return nil, fmt.Errorf("prompt: %w", err)
	}
	if py.ConfigPrompt != "" {
		if d.ConfigPrompt, err = regexp.Compile(py.ConfigPrompt); err != nil {
			return nil, fmt.Errorf("config_prompt: %w", err)
		}
	}
	if d.Supports(PTY) && len(d.PagingOff) == 0 {
		return nil, errors.New("a pty platform needs paging_off commands")
	}
	for _, l := range d.PagingOff {
		if err := checkLiteral(l); err != nil {
			return nil, fmt.Errorf("paging_off %q: %w", l, err)
		}
	}
	if d.Quote != QuoteShell && d.Quote != QuoteNone {
		return nil, fmt.Errorf("quote %q: want %s or %s", d.Quote, QuoteShell, QuoteNone)
	}
	if len(d.Failures) == 0 {
		return nil, errors.New("no failure strings")
	}
	for _, cy := range py.Commands {
		cmd, err := buildCommand(d, cy)
		if err != nil {
			return nil, fmt.Errorf("command %s: %w", cy.Capability, err)
		}
		d.Commands = append(d.Commands, cmd)
	}
	if len(d.Commands) == 0 {
		return nil, errors.New("no commands")
	}
	for _, s := range py.NotCollected {
		if s.Capability == "" || strings.TrimSpace(s.Reason) == "" {
			return nil, fmt.Errorf("not_collected %q: needs a capability and a reason", s.Capability)
		}
		if _, ok := d.Command(s.Capability); ok {
			return nil, fmt.Errorf("not_collected %s: also in commands", s.Capability)
		}
		d.NotCollected = append(d.NotCollected, Skipped(s))
	}
	return d, nil
}

func buildCommand(d *Definition, cy commandYAML) (Command, error) {
	c := Command{Capability: cy.Capability, Command: cy.Command, Parser: d.Platform, Optional: cy.Optional}
	if c.Capability == "" || c.Command == "" {
		return c, errors.New("needs a capability and a command")
	}
	if _, dup := d.Command(c.Capability); dup {
		return c, errors.New("listed twice")
	}
	if cy.Parser != "" {
		c.Parser = netmodel.Platform(cy.Parser)
		if !d.Platform.Carries(c.Parser) {
			return c, fmt.Errorf("parser %q: only linux hosts carry another platform's outputs (ovs, frr)", cy.Parser)
		}
	}
	if err := checkLiteral(strings.Replace(c.Command, argToken, "x", 1)); err != nil {
		return c, err
	}
	n := strings.Count(c.Command, argToken)
	switch {
	case n > 1:
		return c, errors.New("more than one {arg}")
	case n == 1 && cy.Args == nil:
		return c, errors.New("has {arg} but no args: where its objects come from")
	case n == 0 && cy.Args != nil:
		return c, errors.New("has args but no {arg}")
	}
	if cy.Args == nil {
		return c, nil
	}
	c.ArgFrom, c.ArgPick, c.ArgKind = cy.Args.From, cy.Args.Pick, cy.Args.Kind
	src, ok := d.Command(c.ArgFrom)
	if !ok {
		return c, fmt.Errorf("args.from %q is not an earlier command of %s", c.ArgFrom, d.Platform)
	}
	if src.PerObject() {
		return c, fmt.Errorf("args.from %q is itself per-object", c.ArgFrom)
	}
	pk, ok := pickers[c.ArgPick]
	if !ok {
		return c, fmt.Errorf("args.pick %q: want one of %s", c.ArgPick, strings.Join(pickerNames(), ", "))
	}
	if pk.platform != src.Parser || pk.capability != src.Capability {
		return c, fmt.Errorf("args.pick %q reads %s/%s, not %s/%s", c.ArgPick, pk.platform, pk.capability, src.Parser, src.Capability)
	}
	if _, ok := argKinds[c.ArgKind]; !ok {
		return c, fmt.Errorf("args.kind %q: want name or ifname", c.ArgKind)
	}
	return c, nil
}

// checkLiteral refuses catalog text no device should ever receive:
// control characters (a newline would be a second command) and anything
// outside printable ASCII.
func checkLiteral(s string) error {
	if strings.TrimSpace(s) != s || s == "" {
		return errors.New("empty or padded with spaces")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return fmt.Errorf("byte %#x at %d is not printable ASCII", s[i], i)
		}
	}
	return nil
}
