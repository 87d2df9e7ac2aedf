package capture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/bpf"
)

// MaxFilterLen is the longest filter expression CompileFilter accepts.
const MaxFilterLen = 1024

// maxBPFInstructions is the kernel's limit on a classic BPF program (BPF_MAXINSNS).
const maxBPFInstructions = 4096

// compileTimeout bounds one run of tcpdump.
const compileTimeout = 10 * time.Second

// ErrFilter is wrapped by every error that means a filter cannot be applied:
// the expression was refused, tcpdump is missing, or tcpdump rejected it.
var ErrFilter = errors.New("the filter cannot be applied")

// FilterError explains why a capture filter cannot be applied. It wraps
// ErrFilter and, when there is one, the underlying error.
type FilterError struct {
	Filter string // the expression as typed
	Reason string // what went wrong, e.g. tcpdump's own message
	Err    error  // underlying error, if any
}

func (e *FilterError) Error() string {
	return fmt.Sprintf("the filter %q cannot be applied: %s", e.Filter, e.Reason)
}

// Unwrap returns ErrFilter and the underlying error.
func (e *FilterError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrFilter, e.Err}
	}
	return []error{ErrFilter}
}

// filterChars are the characters of the pcap-filter(7) grammar: names,
// numbers, addresses (MAC, IPv4, IPv6, CIDR), byte offsets ("ether[0:2]"),
// comparisons and arithmetic, the boolean operators and backslash escapes
// ("ether proto \ip"). Anything else (quotes, ';', '$', '`', '#', control
// characters, non-ASCII) cannot be part of a valid filter.
const filterChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .:/[]()&|!=<>+-*%^_\\,"

// ValidateFilter checks a filter expression before anything runs it: at most
// MaxFilterLen bytes, no leading '-' (it would be taken for an option), and
// only characters of the pcap-filter grammar. The empty expression is valid
// and means no filter. Errors are *FilterError.
func ValidateFilter(filter string) error {
	bad := func(reason string) error { return &FilterError{Filter: filter, Reason: reason} }
	if len(filter) > MaxFilterLen {
		return bad(fmt.Sprintf("it is %d bytes long, the limit is %d", len(filter), MaxFilterLen))
	}
	if t := strings.TrimLeft(filter, " "); strings.HasPrefix(t, "-") {
		return bad("it starts with '-', which is not filter syntax")
	}
	for i, r := range filter {
		if !strings.ContainsRune(filterChars, r) {
			if r < 0x20 || r == 0x7f {
				return bad(fmt.Sprintf("control character %U at byte %d", r, i))
			}
			return bad(fmt.Sprintf("character %q at byte %d is not part of the tcpdump filter syntax", r, i))
		}
	}
	return nil
}

// tcpdumpPaths are tried when tcpdump is not on PATH (it often lives in an
// sbin directory that is only on root's PATH).
var tcpdumpPaths = []string{"/usr/sbin/tcpdump", "/usr/bin/tcpdump", "/sbin/tcpdump", "/usr/local/sbin/tcpdump", "/usr/local/bin/tcpdump"}

// findTcpdump returns the path of the tcpdump binary.
func findTcpdump() (string, error) {
	if p, err := exec.LookPath("tcpdump"); err == nil {
		return p, nil
	}
	for _, p := range tcpdumpPaths {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

// CompileFilter compiles a tcpdump filter expression for Ethernet frames into
// a classic BPF program, with tcpdump's own compiler (`tcpdump -ddd -y EN10MB
// -- FILTER`, run directly, never through a shell, and needing no privilege).
// The expression is checked by ValidateFilter first. The program sees frames
// as they are saved in a capture file, VLAN tags in place. An empty
// expression gives a nil program (accept everything). Errors are
// *FilterError; when tcpdump is missing or refuses the expression the error
// says so with tcpdump's message.
func CompileFilter(ctx context.Context, filter string) ([]bpf.RawInstruction, error) {
	if err := ValidateFilter(filter); err != nil {
		return nil, err
	}
	if strings.TrimSpace(filter) == "" {
		return nil, nil
	}
	path, err := findTcpdump()
	if err != nil {
		return nil, &FilterError{Filter: filter, Reason: "tcpdump, which compiles filters, is not installed or not on PATH", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, compileTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, "-ddd", "-y", "EN10MB", "--", filter)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = []string{"LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		if ctx.Err() != nil {
			msg = "tcpdump did not answer in time"
		}
		return nil, &FilterError{Filter: filter, Reason: "tcpdump: " + strings.TrimPrefix(msg, "tcpdump: "), Err: err}
	}
	prog, err := ParseBPF(stdout.Bytes())
	if err != nil {
		return nil, &FilterError{Filter: filter, Reason: "reading tcpdump's compiled program: " + err.Error(), Err: err}
	}
	if _, err := newFilterVM(prog); err != nil {
		return nil, &FilterError{Filter: filter, Reason: "tcpdump's compiled program is not valid classic BPF: " + err.Error(), Err: err}
	}
	return prog, nil
}

// ParseBPF parses the decimal program `tcpdump -ddd` prints: a line with the
// instruction count, then one "code jt jf k" line per instruction.
func ParseBPF(out []byte) ([]bpf.RawInstruction, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	line := 0
	next := func() (string, bool) {
		for sc.Scan() {
			line++
			if s := strings.TrimSpace(sc.Text()); s != "" {
				return s, true
			}
		}
		return "", false
	}
	first, ok := next()
	if !ok {
		if err := sc.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("empty program")
	}
	n, err := strconv.ParseUint(first, 10, 16)
	if err != nil || n == 0 || n > maxBPFInstructions {
		return nil, fmt.Errorf("line %d: instruction count %q is not a number from 1 to %d", line, first, maxBPFInstructions)
	}
	prog := make([]bpf.RawInstruction, 0, n)
	for len(prog) < int(n) {
		s, ok := next()
		if !ok {
			if err := sc.Err(); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("program ends after %d of %d instructions", len(prog), n)
		}
		f := strings.Fields(s)
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: %q is not \"code jt jf k\"", line, s)
		}
		code, e1 := strconv.ParseUint(f[0], 10, 16)
		jt, e2 := strconv.ParseUint(f[1], 10, 8)
		jf, e3 := strconv.ParseUint(f[2], 10, 8)
		k, e4 := strconv.ParseUint(f[3], 10, 32)
		if err := errors.Join(e1, e2, e3, e4); err != nil {
			return nil, fmt.Errorf("line %d: %q: numbers out of range or malformed", line, s)
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(code), Jt: uint8(jt), Jf: uint8(jf), K: uint32(k)})
	}
	if s, ok := next(); ok {
		return nil, fmt.Errorf("line %d: %q after the %d instructions announced", line, s, n)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return prog, nil
}

// newFilterVM returns a user-space interpreter for prog.
func newFilterVM(prog []bpf.RawInstruction) (*bpf.VM, error) {
	ins := make([]bpf.Instruction, len(prog))
	for i, r := range prog {
		ins[i] = r.Disassemble()
		if _, raw := ins[i].(bpf.RawInstruction); raw {
			return nil, fmt.Errorf("instruction %d (code %d) is not supported", i, r.Op)
		}
	}
	return bpf.NewVM(ins)
}

// MatchFilter runs a compiled program over one frame in user space and
// reports whether it accepts it (a nil program accepts everything).
func MatchFilter(prog []bpf.RawInstruction, frame []byte) (bool, error) {
	if len(prog) == 0 {
		return true, nil
	}
	vm, err := newFilterVM(prog)
	if err != nil {
		return false, err
	}
	n, err := vm.Run(frame)
	return n > 0, err
}
