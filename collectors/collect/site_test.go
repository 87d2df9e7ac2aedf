package collect

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nettui/nettui/collectors/bundle"
	"github.com/nettui/nettui/collectors/inventory"
	"github.com/nettui/nettui/collectors/transport"
	"github.com/nettui/nettui/diagnose"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/internal/sshlab"
)

// labSite is a started fake site and its loaded inventory.
type labSite struct {
	srv       *sshlab.Server
	sshConfig string
	inv       *inventory.Inventory
	dir       string
}

func startLabSite(t testing.TB, specs []sshlab.DeviceSpec, platforms map[string]netmodel.Platform, links [][]string, expect map[string]string) *labSite {
	t.Helper()
	site := sshlab.StartSite(t, specs, platforms, links, expect)
	inv, err := inventory.Load(site.Inventory)
	if err != nil {
		t.Fatalf("inventory: %v", err)
	}
	return &labSite{srv: site.Server, sshConfig: site.SSHConfig, inv: inv, dir: site.Dir}
}

func writeFile(t testing.TB, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (l *labSite) options() Options {
	return Options{SSH: transport.Config{UserConfigFile: l.sshConfig, SystemConfigFile: "none"}, CommandTimeout: time.Minute, DeviceTimeout: 3 * time.Minute}
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
			fx := sshlab.LoadFixtureSite(t, dir, map[netmodel.Platform]bool{netmodel.NXOS: true, netmodel.ASA: true, netmodel.EOS: true})
			for _, s := range fx.Skipped {
				t.Logf("not collectable, left out of both sides: %s", s)
			}
			want, err := bundle.Load(bundle.NewMemFS(fx.Files))
			if err != nil {
				t.Fatal(err)
			}
			site := startLabSite(t, fx.Specs, fx.Platforms, fx.Meta.Links, fx.Meta.Expect)
			res, err := Run(context.Background(), site.inv, site.options())
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Meta.Devices {
				if d.Status != netmodel.StatusOK {
					t.Errorf("%s %s: %s", d.Name, d.Status, d.Error)
				}
			}
			got, err := res.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			wantF := diagnose.Run(want)
			if len(wantF) == 0 || len(got.Devices) != len(fx.Specs) {
				t.Fatalf("a comparison needs findings and every device: %d findings, %d/%d devices", len(wantF), len(got.Devices), len(fx.Specs))
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
