package parse

import (
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// Interface configuration: IOS "show running-config | section ^interface",
// "show running-config interface X" or a whole running-config; NX-OS
// "show running-config interface". One block per interface: the
// "interface NAME" line, then its commands indented (one space on IOS, two
// on NX-OS). Everything outside interface blocks is ignored.

var ciscoIfLineRE = regexp.MustCompile(`^(\s*)interface\s+(\S.*?)\s*$`)

// ciscoDetectRunConfig tells IOS from NX-OS interface configuration by the
// indentation of the first command under an interface (relative to the
// interface line, so text pasted with a margin still works).
func ciscoDetectRunConfig(lines []string) netmodel.Platform {
	// A configuration with crypto, tunnel-groups or ASA nameifs is a VPN
	// device's: the crypto parser reads it (tunnel interfaces included).
	for _, l := range lines {
		if strings.HasPrefix(l, "crypto ") || strings.HasPrefix(l, "tunnel-group ") || strings.HasPrefix(l, " nameif ") {
			return netmodel.PlatformUnknown
		}
	}
	base := -1
	for _, l := range lines {
		if m := ciscoIfLineRE.FindStringSubmatch(l); m != nil {
			base = len(m[1])
			continue
		}
		if strings.HasPrefix(l, "!Command: show running-config") {
			return netmodel.NXOS
		}
		if base < 0 || strings.TrimSpace(l) == "" {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		switch ind - base {
		case 1:
			return netmodel.IOS
		case 2:
			return netmodel.NXOS
		}
		base = -1
	}
	return netmodel.PlatformUnknown
}

// ciscoRunBlock is one interface block being read.
type ciscoRunBlock struct {
	port    *ciscoPort
	name    string
	allowed netmodel.VLANSet
	hasAddr int // line of an "ip address" (routed port on a router)
	l2      bool
}

func ciscoParseRunConfig(r io.Reader, p netmodel.Platform) ([]*ciscoPort, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		out  []*ciscoPort
		errs ciscoErrs
		b    *ciscoRunBlock
		base int
		seen bool
	)
	finish := func() {
		if b == nil {
			return
		}
		f := b.port
		if f.Mode == "" && !b.l2 && b.hasAddr > 0 {
			// An address on a port with no switchport command at all is
			// a routed port (routers print no "no switchport").
			f.Mode, f.ModeSrc = netmodel.ModeRouted, netmodel.Lines(b.hasAddr, b.hasAddr)
		}
		// Only Ethernet ports and port-channels are switch ports: SVIs,
		// loopbacks, tunnels and subinterfaces are left out.
		if ciscoIsSwitchPortName(f.Name) && (b.l2 || f.Mode != "" || f.DescriptionSet) {
			out = append(out, f)
		}
		b = nil
	}
	for i, raw := range lines {
		ln := i + 1
		if m := ciscoIfLineRE.FindStringSubmatch(raw); m != nil {
			finish()
			seen = true
			base = len(m[1])
			name := ciscoIf(p, m[2])
			// Allowed starts as the default, all VLANs, so that "add" and
			// "remove" without a list before them mean what they mean on
			// the device.
			b = &ciscoRunBlock{name: name, port: &ciscoPort{Name: name}, allowed: netmodel.AllVLANs()}
			continue
		}
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		ind := len(raw) - len(strings.TrimLeft(raw, " \t"))
		if ind <= base {
			finish() // "!", "end", or any other top-level line
			continue
		}
		if b == nil {
			continue
		}
		ciscoRunCommand(p, b, &errs, ln, t)
	}
	finish()
	if !seen {
		errs.add(errorf(0, "no interface configuration found"))
	}
	// Several blocks of one interface (a pasted config twice) merge in order.
	return out, errs.err()
}

// ciscoIsSwitchPortName reports physical Ethernet ports and port-channels,
// not SVIs, loopbacks, tunnels or subinterfaces.
func ciscoIsSwitchPortName(name string) bool {
	if strings.Contains(name, ".") {
		return false
	}
	l := strings.ToLower(name)
	return strings.Contains(l, "ethernet") || strings.Contains(l, "gige") || strings.HasPrefix(l, "port-channel")
}

// ciscoRunCommand reads one command of an interface block.
func ciscoRunCommand(p netmodel.Platform, b *ciscoRunBlock, errs *ciscoErrs, ln int, t string) {
	f := b.port
	src := netmodel.Lines(ln, ln)
	w := strings.Fields(t)
	lw := make([]string, len(w))
	for i, x := range w {
		lw[i] = strings.ToLower(x)
	}
	has := func(words ...string) bool {
		if len(lw) < len(words) {
			return false
		}
		for i, x := range words {
			if lw[i] != x {
				return false
			}
		}
		return true
	}
	switch {
	case has("description"):
		f.Description = strings.TrimSpace(strings.TrimPrefix(t, w[0]))
		f.DescriptionSet = true

	case has("no", "switchport") && len(lw) == 2:
		f.Mode, f.ModeSrc = netmodel.ModeRouted, src
		b.l2 = false

	case has("switchport", "mode") && len(lw) >= 3:
		b.l2 = true
		if m := ciscoMode(strings.Join(lw[2:], " ")); m != "" {
			f.Mode, f.ModeSrc = m, src
		}

	case has("switchport", "access", "vlan") && len(lw) == 4:
		b.l2 = true
		n, err := strconv.Atoi(w[3])
		if err != nil || n < 1 || n > netmodel.MaxVLAN {
			errs.add(errorf(ln, "%s: access VLAN %q is not a VLAN number", b.name, w[3]))
			return
		}
		f.AccessVLAN, f.AccessVLANSrc = n, src

	case has("switchport", "trunk", "native", "vlan") && len(lw) == 5:
		b.l2 = true
		if lw[4] == "tag" { // NX-OS: tag the native VLAN
			return
		}
		n, err := strconv.Atoi(w[4])
		if err != nil || n < 1 || n > netmodel.MaxVLAN {
			errs.add(errorf(ln, "%s: native VLAN %q is not a VLAN number", b.name, w[4]))
			return
		}
		f.NativeVLAN, f.NativeVLANSrc = n, src

	case has("switchport", "trunk", "allowed", "vlan"):
		b.l2 = true
		arg := strings.Join(w[4:], " ")
		set, err := ciscoApplyAllowed(b.allowed, arg)
		if err != nil {
			errs.add(errorf(ln, "%s: %v", b.name, err))
			return
		}
		switch {
		case len(lw) > 4 && (lw[4] == "add" || lw[4] == "remove") && f.AllowedSrc.Valid():
			// IOS splits a long list into "add" lines: one source.
			f.AllowedSrc.End = ln
		default:
			f.AllowedSrc = src
		}
		b.allowed, f.Allowed = set, set

	case has("switchport"):
		b.l2 = true // "switchport", "switchport voice vlan", port-security, ...

	case has("channel-group") && len(w) >= 2:
		if _, err := strconv.Atoi(w[1]); err != nil {
			errs.add(errorf(ln, "%s: channel-group %q is not a number", b.name, w[1]))
			return
		}
		f.ChannelGroup = ciscoPortChannel(p, w[1])

	case has("spanning-tree", "portfast"):
		// IOS: portfast [edge] [trunk] | disable | network
		rest := strings.Join(lw[2:], " ")
		switch rest {
		case "", "edge":
			f.PortFast, f.PortFastSet = "edge", true
		case "trunk", "edge trunk":
			f.PortFast, f.PortFastSet = "trunk", true
		case "disable", "network":
			f.PortFast, f.PortFastSet = "disabled", true
		}

	case has("spanning-tree", "port", "type") && len(lw) >= 4:
		// NX-OS: port type edge [trunk] | network | normal
		switch strings.Join(lw[3:], " ") {
		case "edge":
			f.PortFast, f.PortFastSet = "edge", true
		case "edge trunk":
			f.PortFast, f.PortFastSet = "trunk", true
		case "network", "normal":
			f.PortFast, f.PortFastSet = "disabled", true
		}

	case has("spanning-tree", "bpduguard") && len(lw) == 3:
		switch lw[2] {
		case "enable":
			f.BPDUGuard, f.BPDUGuardSet = true, true
		case "disable":
			f.BPDUGuard, f.BPDUGuardSet = false, true
		}

	case has("ip", "address") && len(lw) >= 3:
		if b.hasAddr == 0 {
			b.hasAddr = ln
		}
	}
}
