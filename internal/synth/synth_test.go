package synth

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nettui/nettui/internal/netmodel"
)

func groupsFor(hosts int) int { return (hosts + HostsPerGroup - 1) / HostsPerGroup }

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, b := Site(60, 7), Site(60, 7)
	if len(a) != len(b) {
		t.Fatalf("same seed: %d files, then %d", len(a), len(b))
	}
	for p, fa := range a {
		fb, ok := b[p]
		if !ok {
			t.Fatalf("same seed: %s missing the second time", p)
		}
		if !bytes.Equal(fa.Data, fb.Data) {
			t.Fatalf("same seed: %s differs", p)
		}
	}
	c := Site(60, 8)
	differ := 0
	for p, fa := range a {
		if fc, ok := c[p]; !ok || !bytes.Equal(fa.Data, fc.Data) {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("seeds 7 and 8 gave the same site")
	}
}

func TestFileCounts(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 23, 24, 25, 100} {
		site := Site(n, 1)
		want := n*FilesPerHost + groupsFor(n)*FilesPerGroup + 1
		if len(site) != want {
			t.Errorf("%d hosts: %d files, want %d", n, len(site), want)
		}
		perDev := map[string]int{}
		for p := range site {
			if !fs.ValidPath(p) {
				t.Errorf("%d hosts: invalid path %q", n, p)
			}
			if d, rest, ok := strings.Cut(strings.TrimPrefix(p, "devices/"), "/"); ok && strings.HasPrefix(p, "devices/") {
				perDev[d]++
				if path.Ext(rest) != ".txt" {
					t.Errorf("%s: not a .txt output", p)
				}
			}
		}
		for d, c := range perDev {
			want := FilesPerGroup / 2
			if strings.HasPrefix(d, "esx") {
				want = FilesPerHost
			}
			if c != want {
				t.Errorf("%d hosts: device %s has %d files, want %d", n, d, c, want)
			}
		}
	}
}

func TestFS(t *testing.T) {
	t.Parallel()
	site := Site(3, 1)
	var files []string
	for p := range site {
		files = append(files, p)
	}
	if err := fstest.TestFS(site, files...); err != nil {
		t.Fatal(err)
	}
}

func TestWriteSite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := WriteSite(dir, 30, 5); err != nil {
		t.Fatal(err)
	}
	site := Site(30, 5)
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want, ok := site[filepath.ToSlash(rel)]
		if !ok {
			t.Errorf("%s written but not in Site", rel)
			return nil
		}
		got, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want.Data) {
			t.Errorf("%s differs from Site", rel)
		}
		if info, _ := d.Info(); info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", rel, info.Mode().Perm())
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(site) {
		t.Errorf("wrote %d files, Site has %d", n, len(site))
	}
}

// roundTrip parses a switch-printed VLAN list and checks it prints back the same.
func roundTrip(t *testing.T, where, list string) netmodel.VLANSet {
	t.Helper()
	set, err := netmodel.ParseVLANSet(list)
	if err != nil {
		t.Fatalf("%s: %q: %v", where, list, err)
	}
	if got := set.String(); got != list {
		t.Fatalf("%s: %q prints back as %q", where, list, got)
	}
	return set
}

func lines(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// trunkAllowed reads the "Vlans allowed on trunk" rows of an IOS or NX-OS
// trunk output: port → list.
func trunkAllowed(b []byte) map[string]string {
	out := map[string]string{}
	in := false
	for _, l := range lines(b) {
		if strings.HasPrefix(l, "Port ") {
			in = strings.Contains(strings.ToLower(l), "vlans allowed on trunk")
			continue
		}
		if f := strings.Fields(l); in && len(f) == 2 && !strings.HasPrefix(l, "-") {
			out[f[0]] = f[1]
		}
	}
	return out
}

// TestVLANs checks that every port-group VLAN and every trunk list survives a
// trip through netmodel.VLANSet, that the outputs of each switch agree, and
// that exactly the seeded VLANs are missing from the host ports.
func TestVLANs(t *testing.T) {
	t.Parallel()
	const hosts = 200
	s := newPlan(hosts, 42)
	site := Site(hosts, 42)
	file := func(dev, name string) []byte {
		f, ok := site[devPath(dev, name)]
		if !ok {
			t.Fatalf("%s/%s missing", dev, name)
		}
		return f.Data
	}

	allowed := map[string]netmodel.VLANSet{} // "device:port" → set
	for g := range s.groups {
		gr := &s.groups[g]
		for _, dev := range []string{gr.acc, gr.nx} {
			for port, list := range trunkAllowed(file(dev, "show-interfaces-trunk.txt")) {
				allowed[dev+":"+port] = roundTrip(t, dev+" trunk "+port, list)
			}
			// the switchport and running-config lists agree with the trunk output
			var name string
			for _, l := range lines(file(dev, "show-interfaces-switchport.txt")) {
				if v, ok := strings.CutPrefix(l, "Name: "); ok {
					name = v
				}
				l = strings.TrimSpace(l)
				for _, key := range []string{"Trunking VLANs Enabled: ", "Trunking VLANs Allowed: "} {
					if v, ok := strings.CutPrefix(l, key); ok && v != "ALL" {
						short := strings.Replace(name, "Ethernet", "Eth", 1)
						set := roundTrip(t, dev+" switchport "+name, v)
						if set != allowed[dev+":"+short] {
							t.Errorf("%s %s: switchport %s, trunk %s", dev, name, set, allowed[dev+":"+short])
						}
					}
				}
			}
			for _, l := range lines(file(dev, "show-running-config-interface.txt")) {
				if v, ok := strings.CutPrefix(strings.TrimSpace(l), "switchport trunk allowed vlan "); ok {
					roundTrip(t, dev+" running-config", v)
				}
			}
		}
	}

	missing := 0
	for i := range s.hosts {
		h := &s.hosts[i]
		gr := &s.groups[h.grp]
		ports := [4]string{
			gr.acc + ":Gi1/0/" + strconv.Itoa(h.slot+1),
			gr.acc + ":Gi2/0/" + strconv.Itoa(h.slot+1),
			gr.nx + ":Eth1/" + strconv.Itoa(2*h.slot+1),
			gr.nx + ":Eth1/" + strconv.Itoa(2*h.slot+2),
		}
		for _, p := range ports {
			if _, ok := allowed[p]; !ok {
				t.Fatalf("%s: no trunk row for %s", h.name, p)
			}
		}
		pgl := lines(file(h.name, "vswitch-portgroup-list.txt"))
		if len(pgl) != PortGroups+2 {
			t.Fatalf("%s: %d port-group lines, want %d", h.name, len(pgl), PortGroups+2)
		}
		var hostSet netmodel.VLANSet
		for _, l := range pgl[2:] {
			f := strings.Fields(l)
			v, err := strconv.Atoi(f[len(f)-1])
			if err != nil || v < 100 || v > 3999 {
				t.Fatalf("%s: bad port-group VLAN in %q", h.name, l)
			}
			roundTrip(t, h.name+" port group", strconv.Itoa(v))
			hostSet.Add(v)
			for u := range 2 {
				has := allowed[ports[u]].Has(v)
				if want := h.missing[u] != v; has != want {
					t.Errorf("%s: VLAN %d on %s: allowed=%v, want %v", h.name, v, ports[u], has, want)
				}
				if !has {
					missing++
				}
			}
			if !allowed[ports[2]].Has(v) || !allowed[ports[3]].Has(v) {
				t.Errorf("%s: VLAN %d missing on the NX-OS ports", h.name, v)
			}
		}
		roundTrip(t, h.name+" port groups", hostSet.String())
		if hostSet.Len() != PortGroups {
			t.Errorf("%s: %d distinct VLANs, want %d", h.name, hostSet.Len(), PortGroups)
		}
	}
	frac := float64(missing) / float64(hosts*PortGroups)
	if frac < 0.01 || frac > 0.03 {
		t.Errorf("%d of %d port groups miss a VLAN on an uplink (%.1f%%), want about 2%%", missing, hosts*PortGroups, 100*frac)
	}
}

func BenchmarkSite(b *testing.B) {
	for _, n := range []int{100, 2000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				site := Site(n, 1)
				size = 0
				for _, f := range site {
					size += len(f.Data)
				}
			}
			b.ReportMetric(float64(size), "bytes/site")
		})
	}
}
