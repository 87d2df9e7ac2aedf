package parse

import (
	"io"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// "show cdp neighbors detail" and "show lldp neighbors detail", IOS and
// NX-OS. Entries are blocks of "Key: value" lines; separators of dashes
// may or may not be printed between them.
//
// CDP, IOS:                                  CDP, NX-OS:
//
//	Device ID: desktop-switch                   Device ID:dc-lf03(SAL19069XXX)
//	Entry address(es):                          System Name: dc-lf03
//	  IP address: 10.1.1.2                      Interface address(es):
//	Platform: cisco WS-C2960-8TC-L,  Capab...       IPv4 Address: 10.1.100.226
//	Interface: GigabitEthernet1/0/16,  Port...  Platform: N9K-C9372TX, Capabilities: ...
//	Holdtime : 164 sec                          Interface: Ethernet1/1, Port ID (outgoing port): Ethernet1/1
//	advertisement version: 2                    Holdtime: 157 sec
//
// LLDP, IOS:                                 LLDP, NX-OS:
//
//	Local Intf: Gi1/0/2                         Chassis id: 2cc2.6054.dc2c
//	Chassis id: 7c25.86c9.aaaa                  Port id: Eth2/1
//	Port id: 502                                Local Port id: Eth2/1
//	Port Description: ge-0/0/0.0                Port Description: Ethernet2/1
//	System Name - not advertised                System Name: nxos2.madeupdomain.com
//	System Description:                         System Description: Cisco NX-OS(tm) ...
//	Juniper Networks, Inc. ex2200-24t-4g ...    Management Address: 10.0.0.72
//	Management Addresses:
//	    IP: 192.168.1.81
//
// Older IOS prints no "Local Intf:" line at all: those neighbours have no
// local port.

// ---- CDP ----

func ciscoCDPMarkers(lines []string) (outgoing, ios, nx bool) {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.Contains(t, "Port ID (outgoing port):"):
			outgoing = true
		case strings.HasPrefix(t, "Entry address(es)"), strings.HasPrefix(t, "Holdtime :"),
			strings.HasPrefix(t, "advertisement version:"):
			ios = true
		case strings.HasPrefix(t, "Interface address(es)"), strings.HasPrefix(t, "Mgmt address(es)"),
			strings.HasPrefix(t, "Holdtime:"), strings.HasPrefix(t, "Advertisement Version:"):
			nx = true
		}
	}
	return outgoing, ios, nx
}

func ciscoDetectIOSCDP(lines []string) bool {
	out, ios, nx := ciscoCDPMarkers(lines)
	return out && ios && !nx
}

func ciscoDetectNXOSCDP(lines []string) bool {
	out, _, nx := ciscoCDPMarkers(lines)
	return out && nx
}

// ciscoSerialRE is the serial number NX-OS appends to a device ID.
var ciscoSerialRE = regexp.MustCompile(`^(.+?)\s*\([A-Za-z0-9]+\)$`)

type ciscoCDPEntry struct {
	n          netmodel.Neighbor
	deviceID   string
	sysName    string
	addr6      string
	hasIf      bool
	start, end int
}

func ciscoParseCDP(r io.Reader, p netmodel.Platform) ([]netmodel.Neighbor, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		out  []netmodel.Neighbor
		errs ciscoErrs
		e    *ciscoCDPEntry
		seen bool
	)
	finish := func() {
		if e == nil {
			return
		}
		n := e.n
		n.Protocol = "cdp"
		n.RemoteName = e.deviceID
		if m := ciscoSerialRE.FindStringSubmatch(e.deviceID); m != nil {
			n.RemoteName = m[1]
		}
		if e.sysName != "" {
			n.RemoteName = e.sysName
		}
		if n.RemoteAddr == "" {
			n.RemoteAddr = e.addr6
		}
		n.Src = netmodel.Lines(e.start, e.end)
		if !e.hasIf {
			errs.add(errorf(e.start, "CDP entry %q has no Interface line (truncated?)", e.deviceID))
		}
		out = append(out, n)
		e = nil
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if ciscoDashRule(t) || strings.HasPrefix(t, "Total cdp entries displayed") {
			finish()
			continue
		}
		key, val, ok := ciscoKV(t)
		if ok && key == "Device ID" {
			finish()
			seen = true
			e = &ciscoCDPEntry{deviceID: val, start: ln, end: ln}
			if val == "" {
				errs.add(errorf(ln, "CDP entry without a device ID"))
			}
			continue
		}
		if e == nil {
			errs.add(errorf(ln, "not part of a CDP entry (no Device ID line before it): %q", t))
			continue
		}
		e.end = ln
		if !ok {
			continue
		}
		switch key {
		case "System Name":
			e.sysName = val
		case "IP address", "IPv4 Address":
			if e.n.RemoteAddr == "" {
				e.n.RemoteAddr = val
			}
		case "IPv6 address", "IPv6 Address":
			if e.addr6 == "" {
				e.addr6 = val
			}
		case "Platform":
			pl, _, _ := strings.Cut(val, "Capabilities:")
			e.n.Platform = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(pl), ","))
		case "Interface":
			// "Interface: Gi1/0/16,  Port ID (outgoing port): Gi0/1":
			// ciscoKV cut at the first colon, so val holds both.
			local, remote, ok := strings.Cut(val, "Port ID (outgoing port):")
			local = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(local), ","))
			if !ok || local == "" {
				errs.add(errorf(ln, "CDP Interface line does not fit: %q", t))
				continue
			}
			e.hasIf = true
			e.n.LocalPort = ciscoIf(p, local)
			e.n.RemotePort = ciscoRemotePort(remote)
		}
	}
	finish()
	if !seen {
		errs.add(errorf(0, "no CDP entry found"))
	}
	return out, errs.err()
}

// ---- LLDP ----

func ciscoLLDPMarkers(lines []string) (chassis, portID, localPortID, iosKey bool) {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "Chassis id:"):
			chassis = true
		case strings.HasPrefix(t, "Port id:"):
			portID = true
		case strings.HasPrefix(t, "Local Port id:"):
			localPortID = true
		case strings.HasPrefix(t, "Local Intf:"), strings.HasPrefix(t, "Time remaining:"),
			strings.HasPrefix(t, "System Capabilities:"):
			iosKey = true
		}
	}
	return
}

func ciscoDetectIOSLLDP(lines []string) bool {
	c, pid, lpid, ios := ciscoLLDPMarkers(lines)
	return c && pid && !lpid && ios
}

func ciscoDetectNXOSLLDP(lines []string) bool {
	c, _, lpid, _ := ciscoLLDPMarkers(lines)
	return c && lpid
}

// ciscoMACRE matches a MAC address in the forms devices print.
var ciscoMACRE = regexp.MustCompile(`^(?:[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}|[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{12})$`)

// ciscoNotAdvertised is an LLDP value that says nothing.
func ciscoNotAdvertised(v string) bool {
	l := strings.ToLower(strings.TrimSpace(v))
	return l == "" || strings.Contains(l, "not advertised")
}

type ciscoLLDPEntry struct {
	n                      netmodel.Neighbor
	chassis, portID, pdesc string
	sysName, sysDesc       string
	hasLocal, hasChassis   bool
	wantDesc, wantMgmt     bool
	start, end             int
}

func ciscoParseLLDP(r io.Reader, p netmodel.Platform) ([]netmodel.Neighbor, error) {
	lines, err := ciscoReadLines(r)
	if err != nil {
		return nil, err
	}
	if ciscoEmpty(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		out  []netmodel.Neighbor
		errs ciscoErrs
		e    *ciscoLLDPEntry
		seen bool
	)
	finish := func() {
		if e == nil {
			return
		}
		n := e.n
		n.Protocol = "lldp"
		n.RemoteName = e.sysName
		if n.RemoteName == "" {
			n.RemoteName = e.chassis
		}
		rp := e.portID
		// A MAC or a bare number (an ifIndex) says less than the port's
		// description.
		if (ciscoMACRE.MatchString(rp) || rp != "" && strings.Trim(rp, "0123456789") == "") && e.pdesc != "" {
			rp = e.pdesc
		}
		n.RemotePort = ciscoRemotePort(rp)
		n.Platform = e.sysDesc
		n.Src = netmodel.Lines(e.start, e.end)
		if e.portID == "" && e.chassis == "" {
			errs.add(errorf(e.start, "LLDP entry has neither Chassis id nor Port id (truncated?)"))
		} else if e.portID == "" {
			errs.add(errorf(e.start, "LLDP entry of %q has no Port id (truncated?)", e.chassis))
		}
		out = append(out, n)
		e = nil
	}
	begin := func(ln int) {
		finish()
		seen = true
		e = &ciscoLLDPEntry{start: ln, end: ln}
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			if e != nil {
				e.wantDesc, e.wantMgmt = false, false
			}
			continue
		}
		if ciscoDashRule(t) || strings.HasPrefix(t, "Total entries displayed") {
			finish()
			continue
		}
		key, val, ok := ciscoKV(t)
		switch {
		case ok && key == "Local Intf":
			begin(ln)
			e.hasLocal = true
			e.n.LocalPort = ciscoIf(p, val)
			continue
		case ok && key == "Chassis id":
			if e == nil || e.hasChassis {
				begin(ln)
			}
			e.hasChassis, e.chassis, e.end = true, val, ln
			continue
		}
		if e == nil {
			continue // NX-OS legend and column header before the first entry
		}
		e.end = ln
		if e.wantDesc {
			// IOS prints the system description on the lines below.
			e.sysDesc, e.wantDesc = t, false
			continue
		}
		if e.wantMgmt {
			if k, v, ok := ciscoKV(t); ok && (k == "IP" || k == "IPV6" || k == "IPv6") {
				if e.n.RemoteAddr == "" || k == "IP" && strings.Contains(e.n.RemoteAddr, ":") {
					e.n.RemoteAddr = v
				}
				continue
			}
		}
		if !ok {
			continue
		}
		switch key {
		case "Port id":
			e.portID = val
		case "Local Port id":
			e.n.LocalPort = ciscoIf(p, val)
		case "Port Description":
			if !ciscoNotAdvertised(val) {
				e.pdesc = val
			}
		case "System Name":
			if !ciscoNotAdvertised(val) {
				e.sysName = val
			}
		case "System Description":
			if val == "" {
				e.wantDesc = true
			} else if !ciscoNotAdvertised(val) {
				e.sysDesc = val
			}
		case "Management Addresses":
			e.wantMgmt = true
		case "Management Address":
			if !ciscoNotAdvertised(val) && e.n.RemoteAddr == "" {
				e.n.RemoteAddr = val
			}
		}
	}
	finish()
	if !seen {
		errs.add(errorf(0, "no LLDP entry found"))
	}
	return out, errs.err()
}
