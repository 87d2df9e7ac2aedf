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
	a := strings.TrimSpace(announced)
	if i := strings.IndexByte(a, '('); i > 0 {
		a = a[:i]
	}
	if a == "" {
		return nil
	}
	label := func(x string) string {
		if i := strings.IndexByte(x, '.'); i > 0 {
			return x[:i]
		}
		return x
	}
	for _, d := range s.Devices {
		if d.Name == a {
			return d
		}
	}
	for _, d := range s.Devices {
		if strings.EqualFold(d.Name, a) || (d.Hostname != "" && strings.EqualFold(d.Hostname, a)) {
			return d
		}
	}
	for _, d := range s.Devices {
		if strings.EqualFold(label(d.Name), label(a)) || (d.Hostname != "" && strings.EqualFold(label(d.Hostname), label(a))) {
			return d
		}
	}
	return nil
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
			r := s.FindDevice(n.RemoteName)
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
}

// Peer returns the far end of the link at device:port and the link itself.
func (s *Snapshot) Peer(device, port string) (Endpoint, *Link, bool) {
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
