// Package parse turns raw device output into the model. Every parser is pure:
// func(io.Reader) (T, error), one per (platform, capability), listed in one
// table with the command that produces its input and how to recognise that
// input when it was pasted by hand.
package parse

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Entry describes one (platform, capability): the command that produces it,
// how to recognise it and how to read it into a device.
type Entry struct {
	Platform   netmodel.Platform
	Capability string
	// Command is the command sent to collect it; "{arg}" stands for the
	// argument of per-object commands (a vSwitch or port-group name).
	Command string
	// CommandRE matches a command line as typed or pasted (after the
	// prompt). Its first group, when it has one, is the argument.
	CommandRE *regexp.Regexp
	// Detect recognises the output itself (normalised lines) when no command
	// line says what it is. Signatures must be specific to this platform and
	// command.
	Detect func(lines []string) bool
	// Order decides the order in which outputs of one device are applied:
	// lower first, so operational state (applied later) wins over config.
	Order int
	// NeedsArg is true for per-object commands whose output does not name
	// the object (failover policy of one port group).
	NeedsArg bool

	apply func(r io.Reader, d *netmodel.Device, file, arg string) error
}

// Apply parses r and merges the result into d. file is the bundle path
// (recorded in every Source); arg the command argument, if any. On a parse
// error, what could be read is still merged and the error returned.
func (e *Entry) Apply(r io.Reader, d *netmodel.Device, file, arg string) error {
	return e.apply(r, d, file, arg)
}

// CommandFor returns the command line for an argument.
func (e *Entry) CommandFor(arg string) string {
	if !strings.Contains(e.Command, "{arg}") {
		return e.Command
	}
	q := arg
	if strings.ContainsAny(arg, " \t'\"") {
		q = `"` + strings.ReplaceAll(arg, `"`, `\"`) + `"`
	}
	return strings.TrimSpace(strings.ReplaceAll(e.Command, "{arg}", q))
}

var registry []*Entry

// register adds a typed parser to the table.
func register[T any](e Entry, parse func(io.Reader) (T, error), merge func(d *netmodel.Device, file, arg string, v T)) {
	ent := e
	ent.apply = func(r io.Reader, d *netmodel.Device, file, arg string) error {
		v, err := parse(r)
		merge(d, file, arg, v)
		return err
	}
	registry = append(registry, &ent)
	sort.SliceStable(registry, func(i, j int) bool {
		if registry[i].Platform != registry[j].Platform {
			return registry[i].Platform < registry[j].Platform
		}
		return registry[i].Capability < registry[j].Capability
	})
}

// Entries lists every parser, ordered by platform and capability.
func Entries() []*Entry { return registry }

// Lookup finds the entry for a platform and capability.
func Lookup(p netmodel.Platform, capability string) *Entry {
	for _, e := range registry {
		if e.Platform == p && e.Capability == capability {
			return e
		}
	}
	return nil
}

// Error is a parse problem at a line of the input (1-based; 0 = whole input).
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// errorf builds a located *Error.
func errorf(line int, format string, args ...any) *Error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// setFile stamps the bundle path into a Source.
func setFile(s netmodel.Source, file string) netmodel.Source {
	s.File = file
	return s
}
