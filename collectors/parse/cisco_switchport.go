package parse

import (
	"io"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// "show interfaces switchport" (IOS) and "show interface switchport"
// (NX-OS): one block of "Key: value" lines per port, starting at "Name:".
//
// IOS (lines not indented; a long VLAN list wraps onto indented lines):
//
//	Name: Te5/0/1
//	Switchport: Enabled
//	Administrative Mode: trunk
//	Operational Mode: trunk
//	Access Mode VLAN: 1 (default)
//	Trunking Native Mode VLAN: 1 (default)
//	Trunking VLANs Enabled: 1,12,15,31-36,40-42,80,85,101,201,240,410,420,602,604,
//	     900,910,920,930,940
//
// NX-OS (fields indented by two spaces, no administrative mode):
//
//	Name: Ethernet2/2
//	  Switchport: Enabled
//	  Operational Mode: trunk
//	  Access Mode VLAN: 1 (default)
//	  Trunking Native Mode VLAN: 1 (default)
//	  Trunking VLANs Allowed: 100,300

func ciscoDetectSwitchport(lines []string, p netmodel.Platform) bool {
	var name, iosKey, nxKey bool
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "Name:"):
			name = true
		case strings.HasPrefix(t, "Administrative Mode:"), strings.HasPrefix(t, "Negotiation of Trunking:"),
			strings.HasPrefix(t, "Trunking VLANs Enabled:"):
			iosKey = true
		case strings.HasPrefix(t, "Trunking VLANs Allowed:"):
			nxKey = true
		}
	}
	if !name {
		return false
	}
	if p == netmodel.NXOS {
		return nxKey && !iosKey
	}
	return iosKey
}

func ciscoDetectIOSSwitchport(lines []string) bool { return ciscoDetectSwitchport(lines, netmodel.IOS) }
func ciscoDetectNXOSSwitchport(lines []string) bool {
	return ciscoDetectSwitchport(lines, netmodel.NXOS)
}

// ciscoSPBlock is one "Name:" block being read.
type ciscoSPBlock struct {
	port               *ciscoPort
	name               string
	start              int
	fields             int // known keys seen
	disabled           bool
	disabledLine       int
	adminMode, opMode  string
	adminLine, opLine  int
	list               []string // VLAN list being read
	listStart, listEnd int
	listOpen           bool
}

func ciscoParseSwitchport(r io.Reader, p netmodel.Platform) ([]*ciscoPort, error) {
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
		b     *ciscoSPBlock
	)
	closeList := func() {
		if b == nil || b.listStart == 0 || !b.listOpen {
			return
		}
		b.listOpen = false
		set, err := ciscoParseVLANs(strings.Join(b.list, " "))
		if err != nil {
			errs.add(errorf(b.listStart, "%s: %v", b.name, err))
			return
		}
		b.port.Allowed = set
		b.port.AllowedSrc = netmodel.Lines(b.listStart, b.listEnd)
	}
	finish := func() {
		if b == nil {
			return
		}
		closeList()
		f := b.port
		switch {
		case b.disabled:
			f.Mode, f.ModeSrc = netmodel.ModeRouted, netmodel.Lines(b.disabledLine, b.disabledLine)
		case ciscoMode(b.opMode) != "":
			f.Mode, f.ModeSrc = ciscoMode(b.opMode), netmodel.Lines(b.opLine, b.opLine)
		case ciscoMode(b.adminMode) != "":
			// Operational mode "down": say what it is configured as.
			f.Mode, f.ModeSrc = ciscoMode(b.adminMode), netmodel.Lines(b.adminLine, b.adminLine)
		}
		if b.fields == 0 {
			errs.add(errorf(b.start, "%s: entry has no switchport fields (truncated?)", b.name))
		}
		b = nil
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			closeList()
			continue
		}
		if b != nil && b.listOpen && ciscoVLANCont.MatchString(t) {
			b.list = append(b.list, t)
			b.listEnd = ln
			continue
		}
		closeList()
		key, val, ok := ciscoKV(t)
		if ok && key == "Name" {
			finish()
			if val == "" {
				errs.add(errorf(ln, "Name: without an interface"))
				continue
			}
			b = &ciscoSPBlock{name: val, start: ln, port: ports.get(ciscoIf(p, val))}
			continue
		}
		if b == nil {
			errs.add(errorf(ln, "not part of a switchport entry (no Name: line before it): %q", t))
			continue
		}
		if !ok {
			continue // "Capture Mode Disabled", continuation of private-vlan mappings
		}
		switch key {
		case "Switchport":
			b.fields++
			if strings.EqualFold(val, "Disabled") {
				b.disabled, b.disabledLine = true, ln
			}
		case "Administrative Mode":
			b.fields++
			b.adminMode, b.adminLine = val, ln
		case "Operational Mode":
			b.fields++
			b.opMode, b.opLine = val, ln
			if _, m, ok := strings.Cut(val, "member of bundle "); ok {
				po := strings.TrimSpace(strings.TrimRight(m, ")"))
				if ciscoLooksLikeIf(po) {
					b.port.ChannelGroup = ciscoIf(p, po)
				}
			}
		case "Access Mode VLAN":
			b.fields++
			if n, ok := ciscoLeadingInt(val); ok {
				if n > 0 {
					b.port.AccessVLAN, b.port.AccessVLANSrc = n, netmodel.Lines(ln, ln)
				}
			} else if !ciscoNoVLAN(val) {
				errs.add(errorf(ln, "%s: access VLAN %q is not a VLAN number", b.name, val))
			}
		case "Trunking Native Mode VLAN":
			b.fields++
			if n, ok := ciscoLeadingInt(val); ok {
				if n > 0 { // 0 (Inactive): no native VLAN in use
					b.port.NativeVLAN, b.port.NativeVLANSrc = n, netmodel.Lines(ln, ln)
				}
			} else if !ciscoNoVLAN(val) {
				errs.add(errorf(ln, "%s: native VLAN %q is not a VLAN number", b.name, val))
			}
		case "Trunking VLANs Enabled", "Trunking VLANs Allowed":
			b.fields++
			b.list, b.listStart, b.listEnd, b.listOpen = []string{val}, ln, ln, true
		}
	}
	finish()
	return ports.list, errs.err()
}

// ciscoNoVLAN is a VLAN field that says there is none.
func ciscoNoVLAN(v string) bool {
	switch strings.ToLower(strings.Fields(v + " x")[0]) {
	case "none", "unassigned", "n/a":
		return true
	}
	return false
}
