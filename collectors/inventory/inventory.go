// Package inventory reads the list of devices nettui collects from: its own
// YAML format, an Ansible YAML inventory, or an OpenSSH client config file
// (the format is told from the content). Every problem is reported with its
// file, line and column and an explanation, and the result is a resolved
// view: one Device per device with its defaults, groups and jump host
// applied.
//
// Host, port and user stay empty when the file does not give them, so the
// SSH layer can fill them from ~/.ssh/config (an empty Host means: connect
// to the device's name as an SSH host alias).
package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/nettui/nettui/internal/netmodel"
)

// Format is the kind of file an inventory was read from.
type Format string

// Formats nettui reads.
const (
	FormatNative    Format = "nettui"     // nettui's own YAML
	FormatAnsible   Format = "ansible"    // Ansible YAML inventory
	FormatSSHConfig Format = "ssh_config" // OpenSSH client configuration
)

// Inventory is the resolved view of an inventory file.
type Inventory struct {
	File   string `json:"file"`
	Format Format `json:"format"`
	Site   string `json:"site,omitempty"`
	// Devices in file order.
	Devices []Device `json:"devices"`
	// Links declared between devices (nettui format only).
	Links [][2]netmodel.Endpoint `json:"links,omitempty"`
	// Expect is the site's intent (stp_root, site_subnets), as bundle.yaml
	// carries it; list values are joined with ",".
	Expect map[string]string `json:"expect,omitempty"`
}

// Device is one device to collect from.
type Device struct {
	// Name is unique in the inventory and safe as a folder name.
	Name string `json:"name"`
	// Host, Port and User are empty/0 when not given: the SSH layer then
	// uses ~/.ssh/config, with Name as the host alias.
	Host     string            `json:"host,omitempty"`
	Port     int               `json:"port,omitempty"`
	User     string            `json:"user,omitempty"`
	Platform netmodel.Platform `json:"platform"`
	// Jump names another device of the inventory to connect through.
	Jump string   `json:"jump,omitempty"`
	Site string   `json:"site,omitempty"`
	Tags []string `json:"tags,omitempty"`
	// Commands, when given, limits the collection to these lines, each one
	// of the platform catalog's commands (a per-object command with its
	// object's name); nothing else is collected from the device.
	Commands []string `json:"commands,omitempty"`
	// CaptureSudo runs the packet capture command through sudo -n (the
	// user may capture only as root; sudo must not ask for a password).
	CaptureSudo bool `json:"capture_sudo,omitempty"`
	// Line is where the device is defined in the file.
	Line int `json:"line,omitempty"`
}

// Device returns the device named name, or nil.
func (inv *Inventory) Device(name string) *Device {
	for i := range inv.Devices {
		if inv.Devices[i].Name == name {
			return &inv.Devices[i]
		}
	}
	return nil
}

// Problem is one thing wrong in an inventory file.
type Problem struct {
	File string `json:"file"`
	// Line and Col are 1-based; 0 when the problem concerns the whole file.
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Msg  string `json:"message"`
	// Explain says why it matters and how to fix it.
	Explain string `json:"explanation"`
}

// String formats the problem as FILE:LINE:COL: message.
func (p Problem) String() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Error is returned by Load when the file has problems.
type Error struct {
	File     string
	Problems []Problem
}

// Error summarises the problems: the only one, or the count and the first.
func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0].String()
	}
	return fmt.Sprintf("%s: %d problems, the first: %s", e.File, len(e.Problems), e.Problems[0].String())
}

// ErrProblems matches (errors.Is) any *Error.
var ErrProblems = errors.New("inventory has problems")

// Is makes errors.Is(err, ErrProblems) true for an *Error.
func (e *Error) Is(target error) bool { return target == ErrProblems }

// Load reads and resolves an inventory file. When the file has problems it
// returns them in an *Error, together with the devices that resolved
// cleanly (nil only when the file could not be read at all).
func Load(path string) (*Inventory, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Problems: []Problem{{File: path, Msg: readErrMsg(err), Explain: explainRead}}}
	}
	inv, probs := Parse(path, b)
	if len(probs) > 0 {
		return inv, &Error{File: path, Problems: probs}
	}
	return inv, nil
}

// Check reads an inventory file and returns its problems, ordered by
// position; nil when it is fine.
func Check(path string) []Problem {
	_, err := Load(path)
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}

func readErrMsg(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return "cannot read the inventory: " + pe.Err.Error()
	}
	return "cannot read the inventory: " + err.Error()
}

// Parse reads an inventory from data; file names it in problems.
func Parse(file string, data []byte) (*Inventory, []Problem) {
	return parseBudget(file, data, maxNodes)
}

// parseBudget is Parse with a bound on the YAML entries visited.
func parseBudget(file string, data []byte, budget int) (*Inventory, []Problem) {
	c := &ctx{file: file, seen: map[string]bool{}, budget: budget}
	inv := &Inventory{File: file}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		c.problem(pos{}, "not a text file (binary or not UTF-8)", explainFormat)
		return inv, c.sorted()
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if strings.TrimSpace(string(data)) == "" {
		c.problem(pos{}, "the inventory is empty", explainFormat)
		return inv, c.sorted()
	}
	var r *result
	inv.Format, r = c.read(data)
	if r != nil {
		c.finish(inv, r)
	}
	return inv, c.sorted()
}

// pos is a 1-based line and column; zero for the whole file.
type pos struct{ line, col int }

// ctx collects problems while reading one file.
type ctx struct {
	file   string
	probs  []Problem
	seen   map[string]bool
	budget int
	over   bool
}

// maxNodes bounds the work on one file (YAML aliases can multiply it).
const maxNodes = 200_000

// problem records a problem once (the same message at the same place is
// kept once, e.g. a bad default inherited by many devices).
func (c *ctx) problem(at pos, msg, explain string) {
	key := fmt.Sprintf("%d:%d:%s", at.line, at.col, msg)
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.probs = append(c.probs, Problem{File: c.file, Line: at.line, Col: at.col, Msg: msg, Explain: explain})
}

func (c *ctx) problemf(at pos, explain, format string, args ...any) {
	c.problem(at, fmt.Sprintf(format, args...), explain)
}

// spend takes n from the work budget; false once it is exhausted.
func (c *ctx) spend(n int) bool {
	if c.over {
		return false
	}
	c.budget -= n
	if c.budget < 0 {
		c.over = true
		c.problem(pos{}, "the inventory is too large or repeats YAML aliases too often; split it", explainTooLarge)
		return false
	}
	return true
}

func (c *ctx) sorted() []Problem {
	sort.SliceStable(c.probs, func(i, j int) bool {
		a, b := c.probs[i], c.probs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	if len(c.probs) == 0 {
		return nil
	}
	return c.probs
}
