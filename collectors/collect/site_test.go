package collect

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/inventory"
	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/collectors/transport"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/fakedevice"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/internal/sshlab"
)

// fixtureSite turns a fixture bundle into fake devices: every output whose
// capability the platform's catalog collects becomes the answer to the
// catalog's command line. It returns the fake devices, the platform of each
// device, and the fixture reduced to what a collection can bring back (the
// outputs of collectable capabilities, of collectable platforms).
type fixtureSite struct {
	specs     []sshlab.DeviceSpec
	platforms map[string]netmodel.Platform
	files     map[string][]byte // the reduced fixture, bundle.yaml included
	meta      bundle.Meta
	skipped   []string
}

func loadFixtureSite(t *testing.T, dir string, ptyFor map[netmodel.Platform]bool) *fixtureSite {
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
	fx := &fixtureSite{platforms: map[string]netmodel.Platform{}, files: map[string][]byte{}}
	fx.meta = *meta
	fx.meta.Devices = nil
	for _, d := range meta.Devices {
		p := netmodel.Platform(d.Platform)
		def, err := platform.Get(p)
		if err != nil {
			fx.skipped = append(fx.skipped, d.Name+": "+err.Error())
			continue
		}
		spec := sshlab.DeviceSpec{Name: d.Name, Platform: string(p), Outputs: map[string]string{}}
		if ptyFor[p] {
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
				fx.skipped = append(fx.skipped, f+": "+err.Error())
				continue
			}
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				t.Fatal(err)
			}
			spec.Outputs[cmd.Line()] = string(b)
			fx.files[f] = b
		}
		fx.specs = append(fx.specs, spec)
		fx.platforms[d.Name] = p
		fx.meta.Devices = append(fx.meta.Devices, bundle.DeviceMeta{Name: d.Name, Platform: d.Platform, Status: netmodel.StatusOK})
	}
	// Links to devices left out go with them.
	var links [][]string
	for _, l := range fx.meta.Links {
		a, _, _ := strings.Cut(l[0], ":")
		b, _, _ := strings.Cut(l[1], ":")
		if _, ok := fx.platforms[a]; !ok {
			continue
		}
		if _, ok := fx.platforms[b]; !ok {
			continue
		}
		links = append(links, l)
	}
	fx.meta.Links = links
	y, err := yaml.Marshal(&fx.meta)
	if err != nil {
		t.Fatal(err)
	}
	fx.files["bundle.yaml"] = y
	return fx
}

// labSite starts one real sshd with a port per fake device and writes the
// ssh_config and the inventory that reach them.
type labSite struct {
	srv       *sshlab.Server
	sshConfig string
	inv       *inventory.Inventory
	dir       string
}

func startLabSite(t testing.TB, specs []sshlab.DeviceSpec, platforms map[string]netmodel.Platform, links [][]string, expect map[string]string, extra string) *labSite {
	t.Helper()
	var devs []sshlab.Device
	for _, s := range specs {
		devs = append(devs, sshlab.NewDevice(t, s))
	}
	srv := sshlab.Start(t, sshlab.Options{Devices: devs})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ssh_config")
	writeFile(t, cfg, fmt.Sprintf("Host *\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  IdentityAgent none\n",
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
	b.WriteString(extra)
	invPath := filepath.Join(dir, "inventory.yaml")
	writeFile(t, invPath, b.String())
	inv, err := inventory.Load(invPath)
	if err != nil {
		t.Fatalf("inventory:\n%s\n%v", b.String(), err)
	}
	return &labSite{srv: srv, sshConfig: cfg, inv: inv, dir: dir}
}

func writeFile(t testing.TB, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (l *labSite) options() Options {
	return Options{SSH: transport.Config{UserConfigFile: l.sshConfig, SystemConfigFile: "none"}, CommandTimeout: 20 * time.Second, DeviceTimeout: 60 * time.Second}
}

// judged is what the comparison looks at: every finding's rule, severity,
// subject, title and the cited evidence.
func judged(fs []netmodel.Finding) []string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("%s %s %s | %s", f.Severity, f.ID, f.Subject, f.Title)
		for _, e := range f.Evidence {
			s += fmt.Sprintf("\n    %s %s:%d-%d %s", e.Device, e.File, e.Start, e.End, e.Text)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// TestCollectJudgedLikeFixture collects the demo site and an IPsec case
// from fake devices behind a real sshd — exec sessions for ESXi, IOS,
// Junos and Linux, interactive PTY sessions with paging for NX-OS and the
// ASA — and checks that the diagnosis of the collected bundle, in memory
// and as written to disk, is exactly that of the fixture.
func TestCollectJudgedLikeFixture(t *testing.T) {
	for _, dir := range []string{"../../fixtures/demo", "../../fixtures/cases/ipsec-policy-3x3"} {
		t.Run(path.Base(dir), func(t *testing.T) {
			fx := loadFixtureSite(t, dir, map[netmodel.Platform]bool{netmodel.NXOS: true, netmodel.ASA: true, netmodel.EOS: true})
			for _, s := range fx.skipped {
				t.Logf("not collectable, left out of both sides: %s", s)
			}
			want, err := bundle.Load(bundle.NewMemFS(fx.files))
			if err != nil {
				t.Fatal(err)
			}
			site := startLabSite(t, fx.specs, fx.platforms, fx.meta.Links, fx.meta.Expect, "")
			res, err := Run(context.Background(), site.inv, site.options())
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Meta.Devices {
				if d.Status == netmodel.StatusFailed {
					t.Errorf("%s failed: %s", d.Name, d.Error)
				}
			}
			got, err := res.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			wantF := diagnose.Run(want)
			if len(wantF) == 0 || len(got.Devices) != len(fx.specs) {
				t.Fatalf("a comparison needs findings and every device: %d findings, %d/%d devices", len(wantF), len(got.Devices), len(fx.specs))
			}
			t.Logf("%d devices, %d files, %d findings", len(got.Devices), len(res.Files), len(wantF))
			if diff := cmp.Diff(judged(wantF), judged(diagnose.Run(got))); diff != "" {
				t.Errorf("collected bundle judged differently (-fixture +collected):\n%s", diff)
			}
			out := filepath.Join(t.TempDir(), "bundle")
			if err := res.Write(out); err != nil {
				t.Fatal(err)
			}
			onDisk, err := bundle.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(judged(diagnose.Run(want)), judged(diagnose.Run(onDisk))); diff != "" {
				t.Errorf("written bundle judged differently (-fixture +written):\n%s", diff)
			}
		})
	}
}
