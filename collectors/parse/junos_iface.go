package parse

// "show interfaces terse" (Junos):
//
//	Interface               Admin Link Proto    Local                 Remote
//	ge-0/0/0                up    up
//	ge-0/0/0.0              up    up   inet     10.0.1.1/24
//	                                   multiservice
//	em1.0                   up    up   inet     10.0.0.4/8
//	                                            172.16.64.1/2
//	                                   inet6    fe80::250:56ff:fe82:ba52/64
//	lo0.0                   up    up   inet     10.1.1.1            --> 0/0
//
// A row names an interface with its admin and link state and, optionally,
// its first family and address; indented lines add a family or another
// address of the last family. Addresses of inet and inet6 are kept (an
// address without a length, as loopbacks print, is a host prefix).

import (
	"io"
	"net/netip"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

func junosIfTerseHeader(t string) bool {
	return junosSameFields(t, "Interface", "Admin", "Link", "Proto", "Local", "Remote")
}

func junosDetectIfTerse(lines []string) bool {
	for _, t := range junosFirstLines(lines, 10) {
		if junosIfTerseHeader(t) {
			return true
		}
	}
	return false
}

// junosIfAddr reads a Local column value: "10.0.1.1/24", "10.1.1.1",
// "fe80::250:56ff:fe82:ba52/64".
func junosIfAddr(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p, true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

func junosUpDown(s string) (bool, bool) {
	switch s {
	case "up":
		return true, true
	case "down":
		return false, true
	}
	return false, false
}

func junosParseIfTerse(r io.Reader) ([]*netmodel.Interface, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	if junosBlank(lines) {
		return nil, errorf(0, "empty output")
	}
	var (
		out    []*netmodel.Interface
		errs   junosErrs
		cur    *netmodel.Interface
		family string
		seen   bool
	)
	addLocal := func(ln int, local string) {
		if family != "inet" && family != "inet6" {
			return
		}
		p, ok := junosIfAddr(local)
		if !ok {
			errs.addf(ln, "%s: %q is not an address", cur.Name, local)
			return
		}
		cur.Addrs = append(cur.Addrs, p)
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if junosSkip(t) {
			continue
		}
		if e := junosDeviceError(t); e != "" {
			errs.addf(ln, "the device refused the command: %s", e)
			cur = nil
			continue
		}
		if junosIfTerseHeader(t) {
			seen, cur = true, nil
			continue
		}
		f := strings.Fields(t)
		indented := raw[0] == ' ' || raw[0] == '\t'
		if indented {
			if cur == nil {
				errs.addf(ln, "continuation line without an interface: %q", t)
				continue
			}
			cur.Src.End = ln
			if _, ok := junosIfAddr(f[0]); !ok && f[0] != "-->" {
				family, f = f[0], f[1:]
			}
			if len(f) > 0 && f[0] != "-->" {
				addLocal(ln, f[0])
			}
			continue
		}
		if !seen && len(out) == 0 && !strings.Contains(t, " up ") && !strings.Contains(t, " down ") &&
			!strings.HasSuffix(t, " up") && !strings.HasSuffix(t, " down") {
			errs.addf(ln, "not part of an interface table: %q", t)
			continue
		}
		if len(f) < 3 {
			errs.addf(ln, "interface row does not fit (output truncated?): %q", t)
			cur = nil
			continue
		}
		admin, ok1 := junosUpDown(f[1])
		oper, ok2 := junosUpDown(f[2])
		if !ok1 || !ok2 {
			errs.addf(ln, "interface row does not fit: %q", t)
			cur = nil
			continue
		}
		cur = &netmodel.Interface{Name: f[0], AdminUp: admin, OperUp: oper, Known: true,
			Tunnel: junosIsTunnelIf(f[0]), Src: netmodel.Lines(ln, ln)}
		out = append(out, cur)
		family = ""
		if len(f) > 3 {
			family = f[3]
		}
		if len(f) > 4 && f[4] != "-->" {
			addLocal(ln, f[4])
		}
	}
	if !seen && errs.first == nil && len(out) == 0 {
		errs.addf(0, "no interface table found")
	}
	return out, errs.err()
}

func junosMergeIfaces(d *netmodel.Device, file, _ string, ifs []*netmodel.Interface) {
	for _, f := range ifs {
		if f == nil {
			continue
		}
		i := d.Interface(f.Name)
		i.AdminUp, i.OperUp, i.Known = f.AdminUp, f.OperUp, true
		if len(f.Addrs) > 0 {
			i.Addrs = f.Addrs
		}
		if f.Tunnel {
			i.Tunnel = true
		}
		i.Src = setFile(f.Src, file)
	}
}
