package bundle

import (
	"os"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/nettui/nettui/internal/netmodel"
)

// TestLinuxHostCarriesOVSAndFRR: a Linux host's bundle folder holds the
// outputs nettui collected from the software it runs — Open vSwitch
// (ovs-vsctl) and FRRouting (vtysh) — under their catalog names, with the
// envelope naming the command. They are read by the ovs and frr parsers
// without a "wrong platform" error, as the same outputs of a plain
// Linux command are.
func TestLinuxHostCarriesOVSAndFRR(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	fsys := fstest.MapFS{
		"bundle.yaml":                             {Data: []byte("format: 1\nsite: carried\ndevices:\n  - {name: gw, platform: linux, status: ok}\n")},
		"devices/gw/ovs-vsctl-show.txt":           {Data: read("../parse/testdata/ovs/ovs-vsctl-show/lab-lacp-sw1.txt")},
		"devices/gw/ovs-vsctl-show.json":          {Data: []byte(`{"command": "ovs-vsctl show"}`)},
		"devices/gw/frr-show-ip-route.txt":        {Data: read("../parse/testdata/frr/frr-show-ip-route/lab-rt1-json.txt")},
		"devices/gw/frr-show-ip-route.json":       {Data: []byte(`{"command": "vtysh -c 'show ip route json'"}`)},
		"devices/gw/frr-show-running-config.txt":  {Data: read("../parse/testdata/frr/frr-show-running-config/lab-rt1.txt")},
		"devices/gw/frr-show-running-config.json": {Data: []byte(`{"command": "vtysh -c 'show running-config'"}`)},
		"devices/gw/ip-route.txt":                 {Data: read("../parse/testdata/linux/ip-route/lab-frr-rt1.txt")},
	}
	snap, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Devices) != 1 {
		t.Fatalf("%d devices", len(snap.Devices))
	}
	d := snap.Devices[0]
	if d.Platform != netmodel.Linux {
		t.Errorf("platform %s", d.Platform)
	}
	for _, pe := range d.Errors {
		t.Errorf("parse error: %v", pe)
	}
	for _, u := range snap.Unrecognised {
		t.Errorf("unrecognised %s: %s", u.Path, u.Reason)
	}
	var rib, conf, kernel int
	for _, r := range d.Routes {
		switch {
		case r.Configured:
			conf++
		case r.Metric == 20 || (r.Protocol == "connected" && r.Distance == 0 && r.Src.File == "devices/gw/ip-route.txt"):
			kernel++
		default:
			rib++
		}
	}
	if conf != 11 || kernel+rib != 22 {
		t.Errorf("routes: %d configured, %d from the RIB and the kernel; want 11 and 22", conf, kernel+rib)
	}
	for _, c := range []string{"ovs-vsctl-show", "frr-show-ip-route", "frr-show-running-config", "ip-route"} {
		if !slices.Contains(d.Capabilities, c) {
			t.Errorf("%s not among the parsed capabilities %v", c, d.Capabilities)
		}
	}
}

// TestHandMadeShowIPRoute: "show ip route" is a command of IOS and of FRR
// (vtysh). Pasted with its prompt into a hand-made folder (no bundle.yaml,
// so no platform), each output is read by the parser its content belongs
// to, and the device takes that platform.
func TestHandMadeShowIPRoute(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	fsys := fstest.MapFS{
		"br-rtr/route.txt": {Data: []byte("br-rtr#show ip route\n" + read("../parse/testdata/ios/show-ip-route/ntc-ip-route-1.txt"))},
		"rt1/route.txt":    {Data: []byte("rt1# show ip route\n" + read("../parse/testdata/frr/frr-show-ip-route/lab-rt1.txt"))},
	}
	snap, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]netmodel.Platform{"br-rtr": netmodel.IOS, "rt1": netmodel.FRR} {
		d := snap.Device(name)
		if d == nil || d.Platform != want || len(d.Routes) == 0 || len(d.Errors) > 0 {
			t.Errorf("%s: %+v; want platform %s, routes, no error", name, d, want)
		}
	}
	for _, u := range snap.Unrecognised {
		t.Errorf("unrecognised %s: %s", u.Path, u.Reason)
	}
}
