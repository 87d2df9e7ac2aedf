package diagnose

import (
	"fmt"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ifFix returns the commands that apply lines under interface port on a
// switch of platform p, saved so they survive a reload.
func ifFix(dev *netmodel.Device, port string, lines ...string) netmodel.Fix {
	f := netmodel.Fix{Device: dev.Name, Platform: dev.Platform}
	switch dev.Platform {
	case netmodel.IOS, netmodel.NXOS, netmodel.EOS:
		cmds := []string{"configure terminal", "interface " + port}
		for _, l := range lines {
			cmds = append(cmds, " "+l)
		}
		cmds = append(cmds, "end")
		if dev.Platform == netmodel.EOS {
			cmds = append(cmds, "write memory")
		} else {
			cmds = append(cmds, "copy running-config startup-config")
		}
		f.Commands = cmds
	default:
		f.Commands = lines
		f.Note = fmt.Sprintf("interface %s; the exact syntax for %s is not known to nettui", port, platformName(dev.Platform))
	}
	return f
}

// esxcliFix is a command on an ESXi host.
func esxcliFix(host string, cmds ...string) netmodel.Fix {
	return netmodel.Fix{Device: host, Platform: netmodel.ESXi, Commands: cmds}
}

// quoteArg quotes an esxcli argument when it needs it.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " \t'\"$") {
		return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	return s
}

func platformName(p netmodel.Platform) string {
	switch p {
	case netmodel.IOS:
		return "Cisco IOS/IOS-XE"
	case netmodel.NXOS:
		return "Cisco NX-OS"
	case netmodel.EOS:
		return "Arista EOS"
	case netmodel.ESXi:
		return "ESXi"
	case netmodel.Junos:
		return "Juniper Junos"
	case netmodel.ASA:
		return "Cisco ASA"
	case netmodel.Linux:
		return "Linux / strongSwan"
	case netmodel.OVS:
		return "Open vSwitch"
	case netmodel.FRR:
		return "FRRouting"
	case "":
		return "an unknown platform"
	}
	return string(p)
}

// mergeFixes joins the configuration sessions of one device into one
// (configure terminal, every interface block, end, save), keeping the order
// of devices; fixes with different notes stay apart.
func mergeFixes(in []netmodel.Fix) []netmodel.Fix {
	var out []netmodel.Fix
	isSession := func(f netmodel.Fix) bool {
		n := len(f.Commands)
		return n >= 3 && f.Commands[0] == "configure terminal" && f.Commands[n-2] == "end"
	}
	for _, f := range in {
		merged := false
		if isSession(f) {
			for i := range out {
				o := &out[i]
				if o.Device == f.Device && o.Platform == f.Platform && o.Note == f.Note && isSession(*o) {
					n := len(o.Commands)
					body := append([]string{}, o.Commands[:n-2]...)
					body = append(body, f.Commands[1:len(f.Commands)-2]...)
					o.Commands = append(body, o.Commands[n-2:]...)
					merged = true
					break
				}
			}
		}
		if !merged {
			f.Commands = append([]string(nil), f.Commands...)
			out = append(out, f)
		}
	}
	return out
}
