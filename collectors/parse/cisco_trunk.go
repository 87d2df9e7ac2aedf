package parse

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// "show interfaces trunk" (IOS) and "show interface trunk" (NX-OS).
//
// IOS prints four tables separated by blank lines, each with a one-line
// header, and may print a header again in the middle of a table:
//
//	Port        Mode             Encapsulation  Status        Native vlan
//	Gi1/0/4     on               802.1q         trunking      1
//
//	Port        Vlans allowed on trunk
//	Gi1/0/4     200-211
//
// NX-OS frames each table with 80-dash rules, has a two-line header on the
// first table and no mode or encapsulation column (see
// testdata/nxos/FORMATS.md):
//
//	Port          Native  Status        Port
//	              Vlan                  Channel
//	Eth1/47       900     trnk-bndl     Po48
//
//	Port          Vlans Allowed on Trunk
//	Eth1/47       10,12,17,33-40,50,64-71,1001
//
// Long VLAN lists wrap onto continuation lines of numbers and commas.

type ciscoTrunkSection int

const (
	ciscoSecNone    ciscoTrunkSection = iota
	ciscoSecStatus                    // mode/native/status table
	ciscoSecAllowed                   // Vlans allowed on trunk
	ciscoSecOther                     // active, STP forwarding, err-disabled, FabricPath
)

var (
	ciscoIOSTrunkStatusHdr  = regexp.MustCompile(`^Port\s+Mode\s+Encapsulation\s+Status\s+Native vlan$`)
	ciscoIOSTrunkAllowedHdr = regexp.MustCompile(`^Port\s+Vlans allowed on trunk$`)
	ciscoIOSTrunkOtherHdr   = regexp.MustCompile(`^Port\s+Vlans (?:allowed and active in management domain|in spanning tree forwarding state and not pruned)$`)

	ciscoNXTrunkStatusHdr  = regexp.MustCompile(`^Port\s+Native\s+Status\s+Port$`)
	ciscoNXTrunkStatusHdr2 = regexp.MustCompile(`^Vlan\s+Channel$`)
	ciscoNXTrunkAllowedHdr = regexp.MustCompile(`^Port\s+Vlans Allowed on Trunk$`)
	ciscoNXTrunkOtherHdr   = regexp.MustCompile(`^Port\s+(?:Vlans Err-disabled on Trunk|STP Forwarding|Vlans in spanning tree forwarding state and not pruned|Vlans Forwarding on FabricPath)$`)
)

func ciscoTrunkHeader(p netmodel.Platform, t string) ciscoTrunkSection {
	if p == netmodel.NXOS {
		switch {
		case ciscoNXTrunkStatusHdr.MatchString(t):
			return ciscoSecStatus
		case ciscoNXTrunkAllowedHdr.MatchString(t):
			return ciscoSecAllowed
		case ciscoNXTrunkOtherHdr.MatchString(t):
			return ciscoSecOther
		}
		return ciscoSecNone
	}
	switch {
	case ciscoIOSTrunkStatusHdr.MatchString(t):
		return ciscoSecStatus
	case ciscoIOSTrunkAllowedHdr.MatchString(t):
		return ciscoSecAllowed
	case ciscoIOSTrunkOtherHdr.MatchString(t):
		return ciscoSecOther
	}
	return ciscoSecNone
}

func ciscoDetectTrunk(lines []string, p netmodel.Platform) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch ciscoTrunkHeader(p, t) {
		case ciscoSecStatus, ciscoSecAllowed:
			return true
		}
	}
	return false
}

func ciscoDetectIOSTrunk(lines []string) bool  { return ciscoDetectTrunk(lines, netmodel.IOS) }
func ciscoDetectNXOSTrunk(lines []string) bool { return ciscoDetectTrunk(lines, netmodel.NXOS) }

// ciscoListRow is a row of a VLAN-list table being read, with its
// continuation lines.
type ciscoListRow struct {
	port       string
	text       []string
	start, end int
	sec        ciscoTrunkSection
}

func ciscoParseTrunk(r io.Reader, p netmodel.Platform) ([]*ciscoPort, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		ports ciscoPorts
		errs  ciscoErrs
		sec   = ciscoSecNone
		seen  bool
		row   *ciscoListRow
	)
	flush := func() {
		if row == nil {
			return
		}
		r := row
		row = nil
		set, err := ciscoParseVLANs(strings.Join(r.text, " "))
		if err != nil {
			errs.add(errorf(r.start, "%s: %v", r.port, err))
			return
		}
		if r.sec != ciscoSecAllowed {
			return
		}
		f := ports.get(ciscoIf(p, r.port))
		f.Allowed = set
		f.AllowedSrc = netmodel.Lines(r.start, r.end)
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" || ciscoDashRule(t) {
			flush()
			continue
		}
		if h := ciscoTrunkHeader(p, t); h != ciscoSecNone {
			flush()
			sec, seen = h, true
			continue
		}
		if p == netmodel.NXOS && sec == ciscoSecStatus && ciscoNXTrunkStatusHdr2.MatchString(t) {
			continue // second line of the NX-OS header
		}
		if row != nil && ciscoVLANCont.MatchString(t) {
			row.text = append(row.text, t)
			row.end = ln
			continue
		}
		flush()
		f := strings.Fields(t)
		switch sec {
		case ciscoSecNone:
			errs.add(errorf(ln, "not part of a trunk table: %q", t))
		case ciscoSecStatus:
			ciscoTrunkStatusRow(p, &ports, &errs, ln, t, f)
		default:
			if len(f) < 2 || !ciscoLooksLikeIf(f[0]) {
				errs.add(errorf(ln, "VLAN table row does not fit: %q", t))
				continue
			}
			row = &ciscoListRow{port: f[0], text: []string{strings.Join(f[1:], " ")}, start: ln, end: ln, sec: sec}
		}
	}
	flush()
	if !seen {
		errs.add(errorf(0, "no trunk table found"))
	}
	return ports.list, errs.err()
}

// ciscoTrunkStatusRow reads a row of the first table:
// IOS "Gi1/0/4  on  802.1q  trunking  1",
// NX-OS "Eth1/47  900  trnk-bndl  Po48".
func ciscoTrunkStatusRow(p netmodel.Platform, ports *ciscoPorts, errs *ciscoErrs, ln int, t string, f []string) {
	var port, mode, status, native, channel string
	switch {
	case p == netmodel.NXOS && len(f) == 4 && ciscoLooksLikeIf(f[0]):
		port, native, status, channel = f[0], f[1], f[2], f[3]
	case p != netmodel.NXOS && len(f) == 5 && ciscoLooksLikeIf(f[0]):
		port, mode, status, native = f[0], f[1], f[3], f[4]
	default:
		errs.add(errorf(ln, "trunk table row does not fit: %q", t))
		return
	}
	vlan, err := strconv.Atoi(native)
	if err != nil || vlan < 0 || vlan > 4095 {
		errs.add(errorf(ln, "%s: native VLAN %q is not a VLAN number", port, native))
		return
	}
	src := netmodel.Lines(ln, ln)
	pf := ports.get(ciscoIf(p, port))
	pf.TrunkStatus = status
	if vlan > 0 {
		pf.NativeVLAN, pf.NativeVLANSrc = vlan, src
	}
	trunking := status == "trunking" || status == "trnk-bndl"
	switch strings.ToLower(mode) {
	case "on", "nonegotiate":
		// Configured as a trunk ("switchport mode trunk"), up or not.
		trunking = true
	case "auto", "desirable":
		if !trunking {
			pf.Mode, pf.ModeSrc = netmodel.ModeDynamic, src
		}
	}
	if trunking {
		pf.Mode, pf.ModeSrc = netmodel.ModeTrunk, src
	}
	if channel != "" && channel != "--" {
		pf.ChannelGroup = ciscoIf(p, channel)
	}
}
