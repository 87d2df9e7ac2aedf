package sshlab

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/internal/fakedevice"
	"github.com/nettui/nettui/internal/netmodel"
)

// FixtureSite is a fixture bundle turned into fake devices: every output
// whose capability the platform's catalog collects becomes the answer to the
// catalog's command line.
type FixtureSite struct {
	Specs     []DeviceSpec
	Platforms map[string]netmodel.Platform
	// Files is the fixture reduced to what a collection can bring back
	// (outputs of collectable capabilities of collectable platforms, links
	// between kept devices), bundle.yaml included.
	Files   map[string][]byte
	Meta    bundle.Meta
	Skipped []string // what was left out, and why
}

// LoadFixtureSite reads the bundle in dir. Devices of the platforms in pty
// answer in interactive mode, with paging on until it is turned off.
func LoadFixtureSite(t testing.TB, dir string, pty map[netmodel.Platform]bool) *FixtureSite {
	t.Helper()
	fsys := os.DirFS(dir)
	raw, err := fs.ReadFile(fsys, "bundle.yaml")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := bundle.ParseMeta(raw)
	if err != nil {
		t.Fatal(err)
	}
	fx := &FixtureSite{Platforms: map[string]netmodel.Platform{}, Files: map[string][]byte{}}
	fx.Meta = *meta
	fx.Meta.Devices = nil
	for _, d := range meta.Devices {
		p := netmodel.Platform(d.Platform)
		def, err := platform.Get(p)
		if err != nil {
			fx.Skipped = append(fx.Skipped, d.Name+": "+err.Error())
			continue
		}
		spec := DeviceSpec{Name: d.Name, Platform: string(p), Outputs: map[string]string{}}
		if pty[p] {
			spec.Mode, spec.Paging = fakedevice.ModePTY, true
		}
		files, err := fs.Glob(fsys, "devices/"+d.Name+"/*.txt")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			base := strings.TrimSuffix(path.Base(f), ".txt")
			capName, arg, _ := strings.Cut(base, "@")
			if arg != "" {
				if arg, err = url.PathUnescape(arg); err != nil {
					t.Fatal(err)
				}
			}
			cmd, err := def.Build(capName, arg)
			if err != nil {
				fx.Skipped = append(fx.Skipped, f+": "+err.Error())
				continue
			}
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				t.Fatal(err)
			}
			spec.Outputs[cmd.Line()] = string(b)
			fx.Files[f] = b
		}
		fx.Specs = append(fx.Specs, spec)
		fx.Platforms[d.Name] = p
		fx.Meta.Devices = append(fx.Meta.Devices, bundle.DeviceMeta{Name: d.Name, Platform: d.Platform, Status: netmodel.StatusOK})
	}
	// Links to devices left out go with them.
	var links [][]string
	for _, l := range fx.Meta.Links {
		a, _, _ := strings.Cut(l[0], ":")
		b, _, _ := strings.Cut(l[1], ":")
		if _, ok := fx.Platforms[a]; !ok {
			continue
		}
		if _, ok := fx.Platforms[b]; !ok {
			continue
		}
		links = append(links, l)
	}
	fx.Meta.Links = links
	y, err := yaml.Marshal(&fx.Meta)
	if err != nil {
		t.Fatal(err)
	}
	fx.Files["bundle.yaml"] = y
	return fx
}

// Site is a started sshd with one port per fake device, the ssh_config
// that reaches them (key, known_hosts) and a nettui inventory of them.
type Site struct {
	Server    *Server
	SSHConfig string // ssh_config file
	Inventory string // inventory.yaml
	Dir       string
}

// StartSite starts the devices and writes the ssh_config and the inventory
// (site "lab", devices on 127.0.0.1 with their platforms, links, expect).
func StartSite(t testing.TB, specs []DeviceSpec, platforms map[string]netmodel.Platform, links [][]string, expect map[string]string) *Site {
	t.Helper()
	var devs []Device
	for _, s := range specs {
		devs = append(devs, NewDevice(t, s))
	}
	srv := Start(t, Options{Devices: devs})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ssh_config")
	writeText(t, cfg, fmt.Sprintf("Host *\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  IdentityAgent none\n",
		srv.User(), srv.ClientKeyFile(), srv.KnownHostsFile()))
	var b strings.Builder
	b.WriteString("site: lab\ndevices:\n")
	names := make([]string, 0, len(specs))
	for _, s := range specs {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  - {name: %s, host: 127.0.0.1, port: %d, platform: %s}\n", n, srv.Port(n), platforms[n])
	}
	if len(links) > 0 {
		b.WriteString("links:\n")
		for _, l := range links {
			fmt.Fprintf(&b, "  - [%q, %q]\n", l[0], l[1])
		}
	}
	if len(expect) > 0 {
		b.WriteString("expect:\n")
		for k, v := range expect {
			fmt.Fprintf(&b, "  %s: %s\n", k, v)
		}
	}
	inv := filepath.Join(dir, "inventory.yaml")
	writeText(t, inv, b.String())
	return &Site{Server: srv, SSHConfig: cfg, Inventory: inv, Dir: dir}
}

func writeText(t testing.TB, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}
