package netmodel

import (
	"sort"
	"strings"
)

// FindDevice matches a name as announced by CDP/LLDP (often a FQDN, for
// NX-OS sometimes with a serial in parentheses) against the snapshot's
// devices: exact, case-insensitive, the first DNS label, or the device's own
// hostname.
func (s *Snapshot) FindDevice(announced string) *Device {
	byName, byLabel := s.nameIndex()
	return s.find(byName, byLabel, announced)
}

func (s *Snapshot) find(byName, byLabel map[string]*Device, announced string) *Device {
	a := strings.TrimSpace(announced)
	if i := strings.IndexByte(a, '('); i > 0 {
		a = a[:i]
	}
	if a == "" {
		return nil
	}
	if d := s.Device(a); d != nil {
		return d
	}
	if d := byName[strings.ToLower(a)]; d != nil {
		return d
	}
	return byLabel[strings.ToLower(dnsLabel(a))]
}

func dnsLabel(x string) string {
	if i := strings.IndexByte(x, '.'); i > 0 {
		return x[:i]
	}
	return x
}

// nameIndex maps lower-cased device names and hostnames, and their first
// DNS labels, to devices (the first device wins a clash).
func (s *Snapshot) nameIndex() (byName, byLabel map[string]*Device) {
	byName, byLabel = map[string]*Device{}, map[string]*Device{}
	put := func(m map[string]*Device, k string, d *Device) {
		if _, ok := m[k]; !ok && k != "" {
			m[k] = d
		}
	}
	for _, d := range s.Devices {
		put(byName, strings.ToLower(d.Name), d)
		put(byName, strings.ToLower(d.Hostname), d)
	}
	for _, d := range s.Devices {
		put(byLabel, strings.ToLower(dnsLabel(d.Name)), d)
		put(byLabel, strings.ToLower(dnsLabel(d.Hostname)), d)
	}
	return byName, byLabel
}

func (e Endpoint) less(o Endpoint) bool {
	if e.Device != o.Device {
		return e.Device < o.Device
	}
	return e.Port < o.Port
}

// ResolveLinks builds Links from every device's CDP/LLDP neighbours and the
// declared links, merging sightings of the same link from both ends. A
// neighbour that is not a device of the snapshot makes no link.
func (s *Snapshot) ResolveLinks() {
	byName, byLabel := s.nameIndex()
	find := func(announced string) *Device { return s.find(byName, byLabel, announced) }
	byKey := map[[2]Endpoint]*Link{}
	var order [][2]Endpoint
	add := func(a, b Endpoint, sg Sighting) {
		if b.less(a) {
			a, b = b, a
		}
		k := [2]Endpoint{a, b}
		l := byKey[k]
		if l == nil {
			l = &Link{A: a, B: b}
			byKey[k] = l
			order = append(order, k)
		}
		l.Seen = append(l.Seen, sg)
	}
	for _, d := range s.Devices {
		for _, n := range d.Neighbors {
			if n.LocalPort == "" || n.RemotePort == "" {
				continue // older IOS LLDP omits the local interface
			}
			r := find(n.RemoteName)
			if r == nil || r == d {
				continue
			}
			a := Endpoint{d.Name, CanonicalIfName(d.Platform, n.LocalPort)}
			b := Endpoint{r.Name, CanonicalIfName(r.Platform, n.RemotePort)}
			add(a, b, Sighting{Device: d.Name, How: n.Protocol, Src: n.Src})
		}
	}
	for _, l := range s.Declared {
		a, b := l.A, l.B
		if d := s.Device(a.Device); d != nil {
			a.Port = CanonicalIfName(d.Platform, a.Port)
		}
		if d := s.Device(b.Device); d != nil {
			b.Port = CanonicalIfName(d.Platform, b.Port)
		}
		var src Source
		if len(l.Seen) > 0 {
			src = l.Seen[0].Src
		}
		add(a, b, Sighting{How: "declared", Src: src})
	}
	s.Links = s.Links[:0]
	for _, k := range order {
		s.Links = append(s.Links, *byKey[k])
	}
	sort.SliceStable(s.Links, func(i, j int) bool {
		if s.Links[i].A != s.Links[j].A {
			return s.Links[i].A.less(s.Links[j].A)
		}
		return s.Links[i].B.less(s.Links[j].B)
	})
	s.linkIdx = make(map[Endpoint]int, 2*len(s.Links))
	for i, l := range s.Links {
		for _, e := range []Endpoint{l.A, l.B} {
			if _, ok := s.linkIdx[e]; !ok {
				s.linkIdx[e] = i
			}
		}
	}
}

// Peer returns the far end of the link at device:port and the link itself.
func (s *Snapshot) Peer(device, port string) (Endpoint, *Link, bool) {
	if s.linkIdx != nil {
		i, ok := s.linkIdx[Endpoint{device, port}]
		if !ok || i >= len(s.Links) {
			return Endpoint{}, nil, false
		}
		l := &s.Links[i]
		if l.A == (Endpoint{device, port}) {
			return l.B, l, true
		}
		return l.A, l, true
	}
	for i := range s.Links {
		l := &s.Links[i]
		if l.A.Device == device && l.A.Port == port {
			return l.B, l, true
		}
		if l.B.Device == device && l.B.Port == port {
			return l.A, l, true
		}
	}
	return Endpoint{}, nil, false
}
