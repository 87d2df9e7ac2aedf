// Package synth generates synthetic site bundles for benchmarks: N ESXi hosts
// with a standard vSwitch and a distributed switch, the Cisco IOS-XE access
// stacks and NX-OS switches they are cabled to, every file in the exact text
// format the real platform prints (the same formats as fixtures/demo). A
// small, deterministic fraction of port groups have their VLAN missing on one
// uplink's switch port, so the VLAN rules have work to do.
//
// Layout, per group of 24 hosts (the last group may be smaller):
//   - hosts esxNNNN: vmnic0..vmnic3; vSwitch0 (vmnic0+vmnic1, srcport, both
//     active) with 50 port groups whose VLANs lie in 100-3999 (three
//     contiguous blocks per group); a distributed switch on vmnic2+vmnic3;
//   - acc-stackNNN, a 2-member IOS-XE stack: host k's vmnic0 on
//     GigabitEthernet1/0/k+1, vmnic1 on GigabitEthernet2/0/k+1;
//   - nx-leafNNN, an NX-OS switch: vmnic2 on Ethernet1/2k+1, vmnic3 on
//     Ethernet1/2k+2;
//   - the stack's TenGigabitEthernet1/1/1 to the NX-OS Ethernet1/49.
//
// CDP runs on every switch port facing a host and on the inter-switch link.
package synth

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"testing/fstest"
	"time"
)

const (
	// HostsPerGroup is how many hosts share one access stack and one NX-OS switch.
	HostsPerGroup = 24
	// PortGroups is the number of standard port groups per host.
	PortGroups = 50
	// FilesPerHost is the number of files written for each ESXi host.
	FilesPerHost = 7 + PortGroups
	// FilesPerGroup is the number of files written for each group's two switches.
	FilesPerGroup = 10

	vlanBlocks = 3
)

// Site returns the synthetic bundle for hosts ESXi hosts; the same seed gives
// the same bytes. The bundle root is the root of the returned file system.
// Identical outputs (the failover policy of every port group) share one
// Data slice: read the files, do not modify them.
func Site(hosts int, seed int64) fstest.MapFS {
	s := newPlan(hosts, seed)
	out := make(fstest.MapFS, hosts*FilesPerHost+s.numGroups()*FilesPerGroup+1)
	put := func(p string, b []byte) { out[p] = &fstest.MapFile{Data: b, Mode: 0o600} }
	s.render(put)
	return out
}

// WriteSite writes the synthetic bundle for hosts hosts under dir (created if
// needed), folders 0700 and files 0600 as a saved bundle is.
func WriteSite(dir string, hosts int, seed int64) error {
	s := newPlan(hosts, seed)
	var err error
	made := map[string]bool{}
	s.render(func(p string, b []byte) {
		if err != nil {
			return
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		d := filepath.Dir(full)
		if !made[d] {
			if err = os.MkdirAll(d, 0o700); err != nil {
				return
			}
			made[d] = true
		}
		err = os.WriteFile(full, b, 0o600)
	})
	return err
}

// created is the bundle's creation time; fixed so output is reproducible.
var created = time.Date(2026, 11, 28, 3, 12, 0, 0, time.UTC)

// plan is the site before it is rendered.
type plan struct {
	seed   uint64
	hosts  []host
	groups []group
}

type group struct {
	idx   int
	acc   string // IOS-XE stack
	nx    string // NX-OS switch
	dvs   string
	vdsID string
	first int // index of the group's first host
	n     int // hosts in the group
	// pgs are the group's port groups in creation order: "Management
	// Network" first, then VM-NNNN by VLAN.
	pgs []portGroup
	// byName is pgs sorted by name, as esxcli lists them.
	byName []portGroup
	vlans  []int // all port-group VLANs, ascending
	all    string
}

type portGroup struct {
	k    int // position in creation order
	name string
	file string // escaped file name of its failover output
	vlan int
}

type host struct {
	name string
	idx  int
	grp  int
	slot int // position in the group, 0-based
	// missing[u] is the VLAN absent from the switch port of vmnic u (u = 0, 1),
	// 0 when none. These are the seeded faults.
	missing [2]int
}

func (s *plan) numGroups() int { return len(s.groups) }

// mix is splitmix64: a cheap, well-distributed hash for per-object randomness
// that does not depend on generation order.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (s *plan) rand(kind, a, b uint64) uint64 {
	return mix(s.seed ^ mix(kind<<56^a<<28^b))
}

func pad(n, width int) string {
	v := strconv.Itoa(n)
	for len(v) < width {
		v = "0" + v
	}
	return v
}

func newPlan(hosts int, seed int64) *plan {
	if hosts < 0 {
		hosts = 0
	}
	s := &plan{seed: uint64(seed)}
	ng := (hosts + HostsPerGroup - 1) / HostsPerGroup
	hw := max(4, len(strconv.Itoa(hosts)))
	gw := max(3, len(strconv.Itoa(ng)))
	s.groups = make([]group, ng)
	for g := range s.groups {
		gr := &s.groups[g]
		gr.idx = g
		gr.acc = "acc-stack" + pad(g+1, gw)
		gr.nx = "nx-leaf" + pad(g+1, gw)
		gr.dvs = "dvs-c" + pad(g+1, gw)
		gr.first = g * HostsPerGroup
		gr.n = min(HostsPerGroup, hosts-gr.first)
		gr.vdsID = s.vdsID(g)
		s.groupVLANs(gr)
	}
	s.hosts = make([]host, hosts)
	for i := range s.hosts {
		h := &s.hosts[i]
		h.idx = i
		h.name = "esx" + pad(i+1, hw)
		h.grp = i / HostsPerGroup
		h.slot = i % HostsPerGroup
		s.seedFaults(h)
	}
	return s
}

// groupVLANs picks three non-adjacent blocks of VLANs in 100-3999 holding the
// group's 50 port groups (17, 17 and 16 VLANs).
func (s *plan) groupVLANs(gr *group) {
	sizes := [vlanBlocks]int{17, 17, 16}
	// 100-3999 as 195 slots of 20 VLANs; a block starts on a slot.
	const slots = (4000 - 100) / 20
	var picked [vlanBlocks]int
	for b, n := 0, uint64(0); b < vlanBlocks; n++ {
		c := int(s.rand(1, uint64(gr.idx), n) % slots)
		dup := false
		for _, p := range picked[:b] {
			if p == c {
				dup = true
			}
		}
		if !dup {
			picked[b] = c
			b++
		}
	}
	sort.Ints(picked[:])
	gr.vlans = make([]int, 0, PortGroups)
	for b, slot := range picked {
		start := 100 + slot*20
		for v := start; v < start+sizes[b]; v++ {
			gr.vlans = append(gr.vlans, v)
		}
	}
	gr.pgs = make([]portGroup, 0, PortGroups)
	for k, v := range gr.vlans {
		name := "VM-" + pad(v, 4)
		if k == 0 {
			name = "Management Network"
		}
		gr.pgs = append(gr.pgs, portGroup{k: k, name: name, file: "portgroup-failover@" + url.PathEscape(name) + ".txt", vlan: v})
	}
	gr.byName = append([]portGroup(nil), gr.pgs...)
	sort.Slice(gr.byName, func(i, j int) bool { return gr.byName[i].name < gr.byName[j].name })
	gr.all = vlanList(gr.vlans, 0)
}

// seedFaults removes, with probability 1/2 each, one port group's VLAN from
// the switch port of vmnic0 and (another one) from that of vmnic1: one fault
// per host on average, 2% of its 50 port groups. The VLAN is taken from the
// inside of a block, so every list keeps runs of three or more.
func (s *plan) seedFaults(h *host) {
	gr := &s.groups[h.grp]
	var used int
	for u := range 2 {
		r := s.rand(2, uint64(h.idx), uint64(u))
		if r&1 == 0 {
			continue
		}
		for try := uint64(0); try < 16; try++ {
			k := int(s.rand(3, uint64(h.idx), uint64(u)<<8|try) % PortGroups)
			if k == 0 || !interior(gr.vlans, k) || gr.vlans[k] == used {
				continue
			}
			h.missing[u] = gr.vlans[k]
			used = gr.vlans[k]
			break
		}
	}
}

// interior reports whether vlans[k] has three consecutive VLANs on each side.
func interior(vlans []int, k int) bool {
	if k < 3 || k+3 >= len(vlans) {
		return false
	}
	return vlans[k-3] == vlans[k]-3 && vlans[k+3] == vlans[k]+3
}

// vlanList prints the ascending list without skip (0 = none) the way switches
// print VLAN sets: "100-116,480-496".
func vlanList(vlans []int, skip int) string {
	var w buf
	for i := 0; i < len(vlans); {
		if vlans[i] == skip {
			i++
			continue
		}
		j := i
		for j+1 < len(vlans) && vlans[j+1] == vlans[j]+1 && vlans[j+1] != skip {
			j++
		}
		if len(w.b) > 0 {
			w.b = append(w.b, ',')
		}
		w.i(vlans[i])
		if j > i {
			w.b = append(w.b, '-')
			w.i(vlans[j])
		}
		i = j + 1
	}
	return string(w.b)
}

func (s *plan) vdsID(g int) string {
	var w buf
	a, b := s.rand(4, uint64(g), 0), s.rand(4, uint64(g), 1)
	bs := [16]byte{}
	for k := range 8 {
		bs[k] = byte(a >> (8 * k))
		bs[8+k] = byte(b >> (8 * k))
	}
	bs[0] = 0x50 // vCenter-made VDS IDs start 50
	for k, c := range bs {
		switch {
		case k == 8:
			w.b = append(w.b, '-')
		case k > 0:
			w.b = append(w.b, ' ')
		}
		w.hex2(int(c))
	}
	return string(w.b)
}

// clients is a host's deterministic count of VMs on a port group.
func (s *plan) clients(h *host, k int) int {
	if k == 0 {
		return 1 // vmk0
	}
	return int(s.rand(5, uint64(h.idx), uint64(k)) % 4)
}

// render writes every file of the site through put, in a fixed order.
func (s *plan) render(put func(path string, data []byte)) {
	put("bundle.yaml", s.bundleYAML())
	shared := failoverInherited()
	for i := range s.hosts {
		s.renderHost(&s.hosts[i], shared, put)
	}
	for g := range s.groups {
		s.renderIOS(&s.groups[g], put)
		s.renderNXOS(&s.groups[g], put)
	}
}

func (s *plan) bundleYAML() []byte {
	var w buf
	w.line("format: 1")
	w.line("site: synth-" + strconv.Itoa(len(s.hosts)))
	w.line("created: " + created.Format(time.RFC3339))
	w.line("devices:")
	dev := func(name, platform string) {
		w.s("  - {name: ")
		w.s(name)
		w.s(", platform: ")
		w.s(platform)
		w.line(", status: ok}")
	}
	for i := range s.hosts {
		dev(s.hosts[i].name, "esxi")
	}
	for g := range s.groups {
		dev(s.groups[g].acc, "ios")
		dev(s.groups[g].nx, "nxos")
	}
	w.line("links: []")
	w.line("captures: []")
	return w.bytes()
}

func devPath(dev, file string) string { return path.Join("devices", dev, file) }

// macBytes spreads n over three bytes for locally unique MAC suffixes.
func macBytes(n int) (int, int, int) {
	return (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff
}
