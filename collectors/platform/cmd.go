package platform

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ErrNotAllowed is returned (wrapped) for any line or capability that is
// not in the platform catalog.
var ErrNotAllowed = errors.New("not in the platform catalog")

// ErrBadArg is returned (wrapped) for an object name that cannot be put
// into a command safely.
var ErrBadArg = errors.New("unsafe argument")

// maxLine bounds any line Match considers.
const maxLine = 512

// Cmd is a command line that may be sent to a device. Its fields are
// unexported: a Cmd comes only from Build, SessionSetup or Match, so
// holding one means the line passed the catalog. The zero Cmd is not
// sendable (IsZero); a transport must refuse it.
type Cmd struct {
	line       string
	platform   netmodel.Platform
	capability string
	arg        string
}

// Line is the exact text to send, without a line ending.
func (c Cmd) Line() string { return c.line }

// String returns the line.
func (c Cmd) String() string { return c.line }

// Platform is the platform whose catalog the line came from.
func (c Cmd) Platform() netmodel.Platform { return c.platform }

// Capability is the output's capability; "" for a session-setup command.
func (c Cmd) Capability() string { return c.capability }

// Arg is the object's name of a per-object command, unquoted; "" otherwise.
func (c Cmd) Arg() string { return c.arg }

// IsZero reports whether c is the zero Cmd, which must never be sent.
func (c Cmd) IsZero() bool { return c.line == "" }

// Setup reports whether c is a session-setup (paging-off) command, whose
// output is not kept.
func (c Cmd) Setup() bool { return c.line != "" && c.capability == "" }

// File is the bundle file stem of the output: the capability, or
// capability@NAME for a per-object command with NAME path-escaped (the
// bundle reader unescapes it).
func (c Cmd) File() string {
	if c.arg == "" {
		return c.capability
	}
	return c.capability + "@" + url.PathEscape(c.arg)
}

// Build returns the command of a capability, with arg as the object's
// name for a per-object command ("" otherwise). The argument is checked
// against the command's argument kind and quoted for the platform; the
// catalog itself is consulted, never the fields of d.
func (d *Definition) Build(capability, arg string) (Cmd, error) {
	def, err := lookup(d.Platform)
	if err != nil {
		return Cmd{}, err
	}
	return def.build(capability, arg)
}

func (d *Definition) build(capability, arg string) (Cmd, error) {
	c, ok := d.Command(capability)
	if !ok {
		return Cmd{}, fmt.Errorf("%s: capability %q: %w", d.Platform, capability, ErrNotAllowed)
	}
	if !c.PerObject() {
		if arg != "" {
			return Cmd{}, fmt.Errorf("%s: %s takes no argument (got %q): %w", d.Platform, capability, arg, ErrBadArg)
		}
		return Cmd{line: c.Command, platform: d.Platform, capability: capability}, nil
	}
	if err := checkArg(c.ArgKind, arg); err != nil {
		return Cmd{}, fmt.Errorf("%s: %s: %w", d.Platform, capability, err)
	}
	q, err := quoteArg(d.Quote, arg)
	if err != nil {
		return Cmd{}, fmt.Errorf("%s: %s: %w", d.Platform, capability, err)
	}
	line := strings.Replace(c.Command, argToken, q, 1)
	return Cmd{line: line, platform: d.Platform, capability: capability, arg: arg}, nil
}

// SessionSetup returns the paging-off commands, in order, to send at the
// start of a PTY session.
func (d *Definition) SessionSetup() []Cmd {
	def, err := lookup(d.Platform)
	if err != nil {
		return nil
	}
	out := make([]Cmd, len(def.PagingOff))
	for i, l := range def.PagingOff {
		out[i] = Cmd{line: l, platform: def.Platform}
	}
	return out
}

// Match returns the Cmd whose line is exactly line: a paging-off command,
// a catalog command, or a per-object command whose argument passes the
// same checks as in Build and is quoted the same way. Anything else is
// refused with ErrNotAllowed.
func (d *Definition) Match(line string) (Cmd, error) {
	def, err := lookup(d.Platform)
	if err != nil {
		return Cmd{}, err
	}
	return def.match(line)
}

func (d *Definition) match(line string) (Cmd, error) {
	if err := checkLine(line); err != nil {
		return Cmd{}, fmt.Errorf("%s: %q: %w: %v", d.Platform, clip(line), ErrNotAllowed, err)
	}
	for _, l := range d.PagingOff {
		if line == l {
			return Cmd{line: l, platform: d.Platform}, nil
		}
	}
	for _, c := range d.Commands {
		if !c.PerObject() {
			if line == c.Command {
				return Cmd{line: line, platform: d.Platform, capability: c.Capability}, nil
			}
			continue
		}
		pre, suf, _ := strings.Cut(c.Command, argToken)
		if len(line) <= len(pre)+len(suf) || !strings.HasPrefix(line, pre) || !strings.HasSuffix(line, suf) {
			continue
		}
		arg := unquoteArg(d.Quote, line[len(pre):len(line)-len(suf)])
		cmd, err := d.build(c.Capability, arg)
		if err != nil {
			return Cmd{}, fmt.Errorf("%s: %q: %w: %v", d.Platform, clip(line), ErrNotAllowed, err)
		}
		if cmd.line == line {
			return cmd, nil
		}
	}
	for _, sudo := range []bool{false, true} {
		tmpl := d.captureTemplate(sudo)
		if tmpl == "" {
			continue
		}
		pre, post, _ := strings.Cut(tmpl, "{iface}")
		if rest, ok := strings.CutPrefix(line, pre); ok {
			iface, tail, _ := strings.Cut(rest, " ")
			filter := ""
			if strings.Contains(post, "{filter}") {
				filter = unquoteArg(d.Quote, tail)
			}
			// Rebuilt and compared: a lax parse cannot let anything through.
			if cmd, err := d.capture(iface, filter, sudo); err == nil && cmd.line == line {
				return cmd, nil
			}
		}
	}
	return Cmd{}, fmt.Errorf("%s: %q: %w", d.Platform, clip(line), ErrNotAllowed)
}

// Authorize is the allow-list gate for a plain string: it returns nil only
// when line is exactly a line the catalog of p produces (see Match).
func Authorize(p netmodel.Platform, line string) error {
	d, err := lookup(p)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotAllowed, err)
	}
	_, err = d.match(line)
	return err
}

func checkLine(line string) error {
	if line == "" {
		return errors.New("empty line")
	}
	if len(line) > maxLine {
		return fmt.Errorf("longer than %d bytes", maxLine)
	}
	for i := 0; i < len(line); i++ {
		if line[i] < 0x20 || line[i] > 0x7e {
			return fmt.Errorf("byte %#x at %d (control or non-ASCII)", line[i], i)
		}
	}
	return nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// ---------------------------------------------------------------------------
// Arguments.

// argKind describes the names one kind of argument may take.
type argKind struct {
	max   int
	allow func(c byte) bool
	space bool // single spaces inside the name are allowed
	what  string
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

var argKinds = map[string]argKind{
	// Linux interface names: at most 15 bytes (IFNAMSIZ-1), and nothing
	// that could leave /proc/net/bonding/ or be taken for an option.
	"ifname": {
		max:   15,
		allow: func(c byte) bool { return alnum(c) || c == '.' || c == '_' || c == '-' },
		what:  "an interface name: letters, digits, '.', '_', '-'",
	},
	// ESXi vSwitch and port-group names: may contain single spaces and a
	// few punctuation marks, never a quote, backslash, '$', '`', ';', '|',
	// '&', '<', '>', '*', '?', '~', '!' or a control character.
	"filter": {
		max:   512,
		allow: func(c byte) bool { return alnum(c) || strings.IndexByte(".:/()[]=!<>&|-_*+", c) >= 0 },
		space: true,
		what:  "a tcpdump filter: letters, digits, spaces and . : / ( ) [ ] = ! < > & | - _ * +",
	},
	"name": {
		max:   80,
		allow: func(c byte) bool { return alnum(c) || strings.IndexByte("._-:@/+,()#=", c) >= 0 },
		space: true,
		what:  "a name: letters, digits, single spaces and . _ - : @ / + , ( ) # =",
	},
}

// Capture returns the platform's packet capture command (a stream of pcap
// on standard output) on interface iface with a tcpdump filter ("" for
// none). Both are checked against strict kinds and quoted for the
// platform; a platform without a capture command refuses.
func (d *Definition) Capture(iface, filter string) (Cmd, error) {
	def, err := lookup(d.Platform)
	if err != nil {
		return Cmd{}, err
	}
	return def.capture(iface, filter, false)
}

// CaptureSudo is Capture through sudo -n (the catalog's capture_sudo), for
// a device whose user may capture only as root.
func (d *Definition) CaptureSudo(iface, filter string) (Cmd, error) {
	def, err := lookup(d.Platform)
	if err != nil {
		return Cmd{}, err
	}
	return def.capture(iface, filter, true)
}

func (d *Definition) captureTemplate(sudo bool) string {
	if sudo {
		return d.CaptureSudoCommand
	}
	return d.CaptureCommand
}

func (d *Definition) capture(iface, filter string, sudo bool) (Cmd, error) {
	tmpl := d.captureTemplate(sudo)
	if tmpl == "" {
		what := "no packet capture command"
		if sudo {
			what = "no packet capture command through sudo"
		}
		return Cmd{}, fmt.Errorf("%s: %s: %w", d.Platform, what, ErrNotAllowed)
	}
	if err := checkArg("ifname", iface); err != nil {
		return Cmd{}, fmt.Errorf("%s: capture interface: %w", d.Platform, err)
	}
	line := strings.Replace(tmpl, "{iface}", iface, 1)
	if strings.Contains(line, "{filter}") {
		q := ""
		var err error
		if filter != "" {
			if err := checkArg("filter", filter); err != nil {
				return Cmd{}, fmt.Errorf("%s: capture filter: %w", d.Platform, err)
			}
			if q, err = quoteArg(d.Quote, filter); err != nil {
				return Cmd{}, fmt.Errorf("%s: capture filter: %w", d.Platform, err)
			}
		}
		line = strings.TrimSpace(strings.Replace(line, "{filter}", q, 1))
	} else if filter != "" {
		return Cmd{}, fmt.Errorf("%s: the capture command takes no filter (apply it to the stream): %w", d.Platform, ErrBadArg)
	}
	return Cmd{line: line, platform: d.Platform, capability: CaptureCapability, arg: iface}, nil
}

// CaptureCapability names capture commands (Cmd.Capability).
const CaptureCapability = "packet-capture"

// checkArg checks an object's name against its kind.
func checkArg(kind, arg string) error {
	k, ok := argKinds[kind]
	if !ok {
		return fmt.Errorf("argument kind %q: %w", kind, ErrBadArg)
	}
	bad := func(why string) error {
		return fmt.Errorf("%q %s; want %s: %w", clip(arg), why, k.what, ErrBadArg)
	}
	switch {
	case arg == "":
		return bad("is empty")
	case len(arg) > k.max:
		return bad(fmt.Sprintf("is longer than %d bytes", k.max))
	case !alnum(arg[0]) && !(kind == "filter" && (arg[0] == '(' || arg[0] == '!')):
		return bad("does not start with a letter or digit")
	case arg[len(arg)-1] == ' ':
		return bad("ends with a space")
	case strings.Contains(arg, "  "):
		return bad("has two spaces in a row")
	}
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		if c == ' ' && k.space || k.allow(c) {
			continue
		}
		if c < 0x20 || c > 0x7e {
			return bad(fmt.Sprintf("has byte %#x", c))
		}
		return bad(fmt.Sprintf("has %q", c))
	}
	return nil
}

// plainWord is what a POSIX shell passes through unchanged unquoted.
func plainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !alnum(s[i]) && strings.IndexByte("._-@:+,/=", s[i]) < 0 {
			return false
		}
	}
	return s != ""
}

// quoteArg quotes a checked argument for the platform.
func quoteArg(style, arg string) (string, error) {
	if plainWord(arg) {
		return arg, nil
	}
	if style == QuoteShell && !strings.ContainsRune(arg, '\'') {
		return "'" + arg + "'", nil
	}
	return "", fmt.Errorf("%q would need quoting, which this platform's commands do not take: %w", arg, ErrBadArg)
}

// unquoteArg undoes quoteArg (for Match; the result is rebuilt and
// compared, so a lax unquote cannot let anything through).
func unquoteArg(style, s string) string {
	if style == QuoteShell && len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}
