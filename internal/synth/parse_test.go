package synth_test

import (
	"io/fs"
	"net/url"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/nettui/nettui/collectors/parse"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/internal/synth"
)

// TestParses runs every file of a small synthetic site through the parser
// registered for its platform and capability: the generated formats are the
// ones nettui reads, with no parse error, device error or stray output.
func TestParses(t *testing.T) {
	t.Parallel()
	site := synth.Site(30, 11) // two groups, the second one partial
	var b struct {
		Devices []struct{ Name, Platform string } `yaml:"devices"`
	}
	raw, err := fs.ReadFile(site, "bundle.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	platform := map[string]netmodel.Platform{}
	for _, d := range b.Devices {
		platform[d.Name] = netmodel.Platform(d.Platform)
	}
	paths, err := fs.Glob(site, "devices/*/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(site)-1 {
		t.Fatalf("%d outputs, want %d", len(paths), len(site)-1)
	}
	devices := map[string]*netmodel.Device{}
	for _, p := range paths {
		parts := strings.Split(p, "/")
		capability, arg, _ := strings.Cut(strings.TrimSuffix(parts[2], ".txt"), "@")
		if arg, err = url.PathUnescape(arg); err != nil {
			t.Fatal(err)
		}
		pl, ok := platform[parts[1]]
		if !ok {
			t.Fatalf("%s: device not in bundle.yaml", p)
		}
		e := parse.Lookup(pl, capability)
		if e == nil {
			t.Fatalf("%s: no parser for %s/%s", p, pl, capability)
		}
		data, _ := fs.ReadFile(site, p)
		c := parse.Clean(string(data))
		if c.DeviceErr != nil || c.Command != "" {
			t.Errorf("%s: device error %v, command echo %q", p, c.DeviceErr, c.Command)
		}
		if got, _ := parse.Detect(c, pl); got != e {
			t.Errorf("%s: not recognised from its content as %s/%s", p, pl, capability)
		}
		d := devices[parts[1]]
		if d == nil {
			d = &netmodel.Device{Name: parts[1], Platform: pl}
			devices[parts[1]] = d
		}
		if err := e.Apply(strings.NewReader(c.Text()), d, p, arg); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for name, d := range devices {
		for _, pe := range d.Errors {
			t.Errorf("%s: %v", name, pe)
		}
		switch d.Platform {
		case netmodel.ESXi:
			if len(d.PortGroups) != synth.PortGroups || len(d.NICs) != 4 || len(d.VSwitches) != 2 {
				t.Errorf("%s: %d port groups, %d NICs, %d switches", name, len(d.PortGroups), len(d.NICs), len(d.VSwitches))
			}
			for _, pg := range d.PortGroups {
				if !pg.VLANKnown || !pg.Override.Known {
					t.Errorf("%s: port group %q: VLAN or failover policy not read", name, pg.Name)
				}
			}
		default:
			if len(d.Neighbors) == 0 || len(d.SwitchPorts) == 0 {
				t.Errorf("%s: %d neighbours, %d switch ports", name, len(d.Neighbors), len(d.SwitchPorts))
			}
		}
	}
}
