package parse

// Juniper Junos (SRX) parsers: the table entries and what the parsers
// share. Every identifier here starts with "junos" so that parsers of other
// platforms can live in the same package without clashing.
//
// Junos prints the same few things around any output, which every parser
// skips: on a chassis cluster a "node0:" header and a rule of dashes before
// each node's part, "{primary:node0}" / "{master:0}" status lines, and, when
// a session was pasted, prompts with the command ("user@srx> show ...",
// "root@srx# run show ...", "[edit]"). A refusal ("error: syntax error",
// "syntax error, expecting <command>", "error: ...") is reported as a
// located error.

import (
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Order of application of the Junos outputs of one device: interface
// configuration, then interface state (which wins over it), then security
// configuration (which takes a gateway's local address from its external
// interface), then the routing table and the SAs.
const (
	junosOrderConfigIface = 10
	junosOrderIfTerse     = 15
	junosOrderConfigSec   = 20
	junosOrderRoute       = 40
	junosOrderIKESA       = 50
	junosOrderIPsecSA     = 60
)

func init() {
	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosIKESA,
		Command:   "show security ike security-associations detail",
		CommandRE: junosIKESACmdRE, Detect: junosDetectIKESA, Order: junosOrderIKESA,
	}, junosParseIKESA, junosMergeIKESA)

	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosIPsecSA,
		Command:   "show security ipsec security-associations detail",
		CommandRE: junosIPsecSACmdRE, Detect: junosDetectIPsecSA, Order: junosOrderIPsecSA,
	}, junosParseIPsecSA, junosMergeIPsecSA)

	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosConfigSec,
		Command:   "show configuration security | display set",
		CommandRE: junosConfigSecCmdRE, Detect: junosDetectConfigSec, Order: junosOrderConfigSec,
	}, junosParseConfigSec, junosMergeConfigSec)

	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosRoute,
		Command:   "show route",
		CommandRE: junosRouteCmdRE, Detect: junosDetectRoute, Order: junosOrderRoute,
	}, junosParseRoute, junosMergeRoutes)

	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosIfTerse,
		Command:   "show interfaces terse",
		CommandRE: junosIfTerseCmdRE, Detect: junosDetectIfTerse, Order: junosOrderIfTerse,
	}, junosParseIfTerse, junosMergeIfaces)

	register(Entry{
		Platform: netmodel.Junos, Capability: CapJunosConfigIface,
		Command:   "show configuration interfaces | display set",
		CommandRE: junosConfigIfaceCmdRE, Detect: junosDetectConfigIface, Order: junosOrderConfigIface,
	}, junosParseConfigIface, junosMergeConfigIface)
}

// ---- command lines as typed ----

// junosAbbr matches word or any prefix of it at least min letters long: the
// Junos CLI completes any unambiguous prefix ("sh sec ike sec det").
func junosAbbr(word string, min int) string {
	tail := ""
	for i := len(word) - 1; i >= min; i-- {
		tail = "(?:" + regexp.QuoteMeta(word[i:i+1]) + tail + ")?"
	}
	return regexp.QuoteMeta(word[:min]) + tail
}

var (
	// "run show ..." from configuration mode is the same command.
	junosShow = `(?i)^(?:run\s+)?` + junosAbbr("show", 2) + `\s+`
	// Pipes that do not change the format: no-more, match, except, count is
	// excluded (it replaces the output), last, trim, find, save.
	junosPipe = `(?:\s*\|\s*(?:` + junosAbbr("no-more", 2) + `|` + junosAbbr("match", 1) + `\s.*|` +
		junosAbbr("except", 1) + `\s.*|` + junosAbbr("find", 1) + `\s.*|` + junosAbbr("last", 1) + `(?:\s+\d+)?|` +
		junosAbbr("trim", 1) + `\s+\d+|` + junosAbbr("save", 2) + `\s.*))*`
	junosSAs    = `(?:` + junosAbbr("security-associations", 3) + `|sa)`
	junosDetail = `(?:\s+(?:` + junosAbbr("detail", 1) + `|` + junosAbbr("brief", 1) + `|` + junosAbbr("index", 2) + `\s+\d+|` +
		junosAbbr("family", 2) + `\s+\S+|` + junosAbbr("node", 2) + `\s+\S+|` + junosAbbr("fpc", 2) + `\s+\d+|` +
		junosAbbr("pic", 2) + `\s+\d+|` + junosAbbr("vpn-name", 2) + `\s+\S+|` + `\d+\.\d+\.\d+\.\d+|[0-9a-fA-F:]+:[0-9a-fA-F:]*))*`

	// show security ike security-associations [detail] [index N] [ADDR]
	junosIKESACmdRE = regexp.MustCompile(junosShow + junosAbbr("security", 3) + `\s+ike\s+` + junosSAs + junosDetail + junosPipe + `\s*$`)
	// show security ipsec security-associations [detail] [index N]
	junosIPsecSACmdRE = regexp.MustCompile(junosShow + junosAbbr("security", 3) + `\s+` + junosAbbr("ipsec", 3) + `\s+` + junosSAs + junosDetail + junosPipe + `\s*$`)
	// show configuration security | display set
	junosConfigSecCmdRE = regexp.MustCompile(junosShow + junosAbbr("configuration", 4) + `(?:\s+` + junosAbbr("security", 3) +
		`(?:\s+(?:ike|` + junosAbbr("ipsec", 3) + `|` + junosAbbr("policies", 3) + `|` + junosAbbr("zones", 1) + `|` + junosAbbr("address-book", 2) + `))?)?` +
		`\s*\|\s*` + junosAbbr("display", 2) + `\s+set` + junosPipe + `\s*$`)
	// show configuration interfaces [NAME] | display set
	junosConfigIfaceCmdRE = regexp.MustCompile(junosShow + junosAbbr("configuration", 4) + `\s+` + junosAbbr("interfaces", 3) +
		`(?:\s+[a-z][\w\-/.]*)?\s*\|\s*` + junosAbbr("display", 2) + `\s+set` + junosPipe + `\s*$`)
	// show route [table T] [protocol P] [PREFIX] [exact|active-path] [| display json]
	junosRouteCmdRE = regexp.MustCompile(junosShow + junosAbbr("route", 2) +
		`(?:\s+(?:` + junosAbbr("table", 2) + `\s+\S+|` + junosAbbr("protocol", 2) + `\s+\S+|` + junosAbbr("exact", 2) + `|` +
		junosAbbr("active-path", 3) + `|` + junosAbbr("all", 2) + `|` + junosAbbr("logical-system", 3) + `\s+\S+|` +
		junosAbbr("next-hop", 3) + `\s+\S+|` + junosAbbr("instance", 3) + `\s+\S+|[0-9a-fA-F.:]+(?:/\d+)?))*` +
		`(?:\s*\|\s*` + junosAbbr("display", 2) + `\s+json)?` + junosPipe + `\s*$`)
	// show interfaces [NAME] terse
	junosIfTerseCmdRE = regexp.MustCompile(junosShow + junosAbbr("interfaces", 3) + `(?:\s+[a-z][\w\-/.*]*)?\s+` +
		junosAbbr("terse", 2) + `(?:\s+[a-z][\w\-/.*]*)?` + junosPipe + `\s*$`)
)

// ---- reading ----

// junosSkip reports lines that are never data: blanks, cluster node
// headers and their rules, status lines, pasted prompts and echoes.
func junosSkip(t string) bool {
	if t == "" {
		return true
	}
	switch t[0] {
	case '-':
		return strings.Trim(t, "-") == ""
	case '^': // the caret under a refused word
		return t == "^"
	case '{':
		return t[len(t)-1] == '}' && !strings.Contains(t, " ") // {master:0}, {primary:node0}
	case '[':
		return t == "[edit]" || strings.HasPrefix(t, "[edit ")
	case 'n':
		return len(t) >= 6 && t[len(t)-1] == ':' && strings.HasPrefix(t, "node") && junosDigits(t[4:len(t)-1])
	}
	return junosEcho(t)
}

// junosEcho reports a pasted prompt with a command ("user@srx> show ...",
// "root@srx# run show ...", "> show ...") or a bare command echo ("show
// route" above the output, as some captures have it).
func junosEcho(t string) bool {
	if strings.HasPrefix(t, "show ") {
		return true
	}
	i := strings.IndexAny(t, ">#")
	if i < 0 || i > 64 {
		return false
	}
	head := t[:i]
	if strings.ContainsAny(head, " \t") && strings.TrimSpace(head) != "" && !strings.Contains(strings.TrimSpace(head), "@") {
		return false
	}
	rest := strings.TrimSpace(t[i+1:])
	rest = strings.TrimPrefix(rest, "run ")
	return strings.HasPrefix(rest, "show ") || rest == ""
}

// junosDeviceError returns the text of a refusal line, "" for data.
func junosDeviceError(t string) string {
	switch {
	case strings.HasPrefix(t, "error:"), strings.HasPrefix(t, "syntax error"),
		strings.HasPrefix(t, "unknown command"):
		return t
	}
	return ""
}

func junosDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// junosErrs keeps the first located problem and counts the others.
type junosErrs struct {
	first *Error
	more  int
}

func (e *junosErrs) add(err *Error) {
	if e.first == nil {
		e.first = err
		return
	}
	e.more++
}

// addf formats only the first problem: the others are counted.
func (e *junosErrs) addf(line int, format string, args ...any) {
	if e.first != nil {
		e.more++
		return
	}
	e.first = errorf(line, format, args...)
}

func (e *junosErrs) err() error {
	if e.first == nil {
		return nil
	}
	if e.more > 0 {
		return &Error{Line: e.first.Line, Msg: fmt.Sprintf("%s (and %d more problems)", e.first.Msg, e.more)}
	}
	return e.first
}

// junosBlank reports input with nothing but skippable lines.
func junosBlank(lines []string) bool {
	for _, l := range lines {
		if !junosSkip(strings.TrimSpace(l)) {
			return false
		}
	}
	return true
}

// junosFirstLines returns up to n trimmed lines that are not skipped, for
// the detectors (which must stay cheap on a million-line routing table).
func junosFirstLines(lines []string, n int) []string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if junosSkip(t) {
			continue
		}
		out = append(out, t)
		if len(out) == n {
			break
		}
	}
	return out
}

// junosSameFields reports whether t, split on blanks, is exactly want.
func junosSameFields(t string, want ...string) bool {
	f := strings.Fields(t)
	if len(f) != len(want) {
		return false
	}
	for i := range f {
		if f[i] != want[i] {
			return false
		}
	}
	return true
}

// junosKV splits "Key: value" at the first colon.
func junosKV(t string) (string, string, bool) {
	k, v, ok := strings.Cut(t, ":")
	return strings.TrimSpace(k), strings.TrimSpace(v), ok
}

// junosPairs reads "A: x, B: y, C: z" (the detail outputs put several
// fields on a line) into key → value. Values may hold colons (addresses
// with ports) but not ", ".
func junosPairs(t string) map[string]string {
	m := map[string]string{}
	for _, part := range strings.Split(t, ", ") {
		k, v, ok := junosKV(part)
		if ok && k != "" {
			m[k] = v
		}
	}
	return m
}

// junosAddrPort reads "192.0.2.1:500", "[2001:db8::1]:500" or
// "2001:db8::1:500" (Junos prints v6 unbracketed; the port is after the
// last colon).
func junosAddrPort(s string) (netip.Addr, uint16, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), ap.Port(), true
	}
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		a, err := netip.ParseAddr(s)
		return a, 0, err == nil
	}
	a, err := netip.ParseAddr(s[:i])
	if err != nil {
		return netip.Addr{}, 0, false
	}
	var port int
	if _, err := fmt.Sscanf(s[i+1:], "%d", &port); err != nil || port < 0 || port > 65535 {
		return netip.Addr{}, 0, false
	}
	return a, uint16(port), true
}

// junosIsTunnelIf reports interfaces that are tunnels: st0 (secure tunnel,
// route-based IPsec), gr- (GRE), ip- (IP-in-IP), lt- (logical tunnel).
func junosIsTunnelIf(name string) bool {
	switch {
	case strings.HasPrefix(name, "gr-"), strings.HasPrefix(name, "ip-"), strings.HasPrefix(name, "lt-"):
		return true
	case strings.HasPrefix(name, "st"):
		n, _, _ := strings.Cut(name[2:], ".")
		return junosDigits(n)
	}
	return false
}

// junosReader streams lines joined by newlines without building the whole
// text (for the JSON decoder on a large routing table).
type junosReader struct {
	lines []string
	i     int // next line
	off   int // bytes of lines[i] already given
	nl    bool
}

func (r *junosReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if r.nl {
			p[n] = '\n'
			n++
			r.nl = false
			continue
		}
		if r.i >= len(r.lines) {
			break
		}
		l := r.lines[r.i]
		c := copy(p[n:], l[r.off:])
		n += c
		r.off += c
		if r.off == len(l) {
			r.i++
			r.off = 0
			r.nl = r.i < len(r.lines)
		}
	}
	if n == 0 && r.i >= len(r.lines) && !r.nl {
		return 0, io.EOF
	}
	return n, nil
}

// junosLineCursor maps byte offsets of the joined text to 1-based line
// numbers; offsets must not decrease between calls. Offsets count from the
// start of the line the cursor was made at (i), as a junosReader made at
// the same line gives them.
type junosLineCursor struct {
	lines []string
	i     int // current line index
	start int // offset of lines[i]
}

// line returns the 1-based line holding offset off.
func (c *junosLineCursor) line(off int) int {
	for c.i < len(c.lines)-1 && off >= c.start+len(c.lines[c.i])+1 {
		c.start += len(c.lines[c.i]) + 1
		c.i++
	}
	return c.i + 1
}

// next returns the line of the first byte at or after off that is neither
// blank nor the comma between two array elements.
func (c *junosLineCursor) next(off int) int {
	c.line(off)
	col := off - c.start
	for c.i < len(c.lines) {
		l := c.lines[c.i]
		for ; col < len(l); col++ {
			if l[col] != ' ' && l[col] != '\t' && l[col] != '\r' && l[col] != ',' {
				return c.i + 1
			}
		}
		if c.i == len(c.lines)-1 {
			break
		}
		c.start += len(l) + 1
		c.i++
		col = 0
	}
	return c.i + 1
}

// junosNormEnc names an encryption algorithm through netmodel.NormEncryption,
// correcting its reading of 128-bit AES-GCM ("aes-128-gcm" comes out as
// aes128gcm12 there, from the "12" of "128"): Junos GCM ciphers all use a
// 16-octet ICV.
func junosNormEnc(s string) string {
	n := netmodel.NormEncryption(s)
	if !strings.HasPrefix(n, "aes") || !strings.Contains(n, "gcm") {
		return n
	}
	t := strings.ToLower(s)
	for _, bits := range []string{"128", "192", "256"} {
		if strings.Contains(t, bits) {
			return "aes" + bits + "gcm16"
		}
	}
	return n
}
