package diagnose

import (
	"fmt"

	"github.com/nettui/nettui/internal/netmodel"
)

// Uplink is one physical uplink of a vSwitch followed to its switch port.
type Uplink struct {
	Host   *netmodel.Device
	VS     *netmodel.VSwitch
	NIC    string
	Peer   netmodel.Endpoint
	Link   *netmodel.Link
	Switch *netmodel.Device
	Port   *netmodel.SwitchPort
	// Channel is the port-channel/bond the switch port is a member of, whose
	// configuration Port is ("" for a plain port).
	Channel string
	// Problem says why the switch port's configuration is not known; ""
	// when it is. Collect says what to collect to know it.
	Problem string
	Collect string
}

// Known reports whether the uplink's switch-port VLAN configuration is known.
func (u *Uplink) Known() bool { return u.Problem == "" }

// Name is "vmnic1 → acc-stack1 Gi2/0/1" (or just the NIC when unknown).
func (u *Uplink) Name() string {
	if u.Switch == nil {
		return u.NIC
	}
	return fmt.Sprintf("%s → %s %s", u.NIC, u.Switch.Name, netmodel.ShortIfName(u.Peer.Port))
}

// Uplinks follows every uplink of vs on host to its switch port.
func (c *Context) Uplinks(host *netmodel.Device, vs *netmodel.VSwitch) []*Uplink {
	if c.uplinks == nil {
		c.uplinks = map[*netmodel.VSwitch][]*Uplink{}
	}
	if u, ok := c.uplinks[vs]; ok {
		return u
	}
	var out []*Uplink
	for _, nic := range vs.Uplinks {
		out = append(out, c.follow(host, vs, nic))
	}
	c.uplinks[vs] = out
	return out
}

func (c *Context) follow(host *netmodel.Device, vs *netmodel.VSwitch, nic string) *Uplink {
	u := &Uplink{Host: host, VS: vs, NIC: nic}
	peer, link, ok := c.S.Peer(host.Name, nic)
	if !ok {
		u.Problem = fmt.Sprintf("no CDP/LLDP neighbour and no declared link for %s %s", host.Name, nic)
		u.Collect = fmt.Sprintf("`show cdp neighbors detail` or `show lldp neighbors detail` from the switch %s is cabled to (the vSwitch must advertise CDP/LLDP), or declare it in bundle.yaml: links: [[%s:%s, SWITCH:PORT]]", nic, host.Name, nic)
		return u
	}
	u.Peer, u.Link = peer, link
	u.Switch = c.S.Device(peer.Device)
	if u.Switch == nil {
		u.Problem = fmt.Sprintf("%s is not in the bundle", peer.Device)
		u.Collect = fmt.Sprintf("the switch-port outputs of %s", peer.Device)
		return u
	}
	if u.Switch.Status == netmodel.StatusFailed {
		u.Problem = fmt.Sprintf("%s was not collected (%s)", u.Switch.Name, u.Switch.Error)
		u.Collect = fmt.Sprintf("`show interfaces trunk` and `show interfaces switchport` from %s", u.Switch.Name)
		return u
	}
	name, sp := vlanPort(u.Switch, peer.Port)
	u.Port = sp
	if name != peer.Port {
		u.Channel = name
	}
	switch {
	case u.Port == nil || u.Port.Mode == netmodel.ModeUnknown:
		u.Problem = fmt.Sprintf("no switchport data for %s on %s", netmodel.ShortIfName(peer.Port), u.Switch.Name)
		u.Collect = fmt.Sprintf("`show interfaces switchport` and `show interfaces trunk` from %s", u.Switch.Name)
	case u.Port.Mode == netmodel.ModeTrunk && !u.Port.AllowedKnown:
		u.Problem = fmt.Sprintf("the allowed VLANs of trunk %s on %s were not collected", netmodel.ShortIfName(peer.Port), u.Switch.Name)
		u.Collect = fmt.Sprintf("`show interfaces trunk` from %s", u.Switch.Name)
	}
	return u
}

// ConfigPort is the switch interface that holds the uplink's VLAN
// configuration: its channel, or the port itself.
func (u *Uplink) ConfigPort() string {
	if u.Channel != "" {
		return u.Channel
	}
	return u.Peer.Port
}

// carries reports whether the uplink's port passes frames tagged with vlan.
func (u *Uplink) carries(vlan int) bool {
	return u.Port != nil && u.Port.Mode == netmodel.ModeTrunk && u.Port.Allowed.Has(vlan)
}

// isAccess reports whether the port is not a trunk (access, negotiated and
// not trunking, or routed): tagged frames do not pass.
func (u *Uplink) isAccess() bool {
	return u.Port != nil && u.Port.Mode != netmodel.ModeTrunk && u.Port.Mode != netmodel.ModeUnknown
}

// linkEvidence cites where the uplink's cabling was learnt.
func (u *Uplink) linkEvidence(l *evList) {
	if u.Link == nil {
		return
	}
	for _, s := range u.Link.Seen {
		dev := s.Device
		if dev == "" {
			dev = "bundle.yaml"
		}
		l.addFocus(dev, s.Src, fmt.Sprintf("%s: %s %s is cabled to %s %s", s.How, u.Host.Name, u.NIC, u.Switch.Name, netmodel.ShortIfName(u.Peer.Port)), neighborKeys...)
	}
}

// neighborKeys pick the lines of a CDP/LLDP entry that name the neighbour
// and the ports.
var neighborKeys = []string{"Device ID", "System Name", "Interface:", "Port ID", "Local Intf", "Local Port"}

// teamingKeys pick the decisive lines of a failover policy: load balancing
// and the uplink order, and whether a port group overrides that order.
func teamingKeys(from string) []string {
	k := []string{"Load Balancing:", "Active Adapters", "Standby Adapters"}
	if from == "port group override" {
		k = append(k, "Override Vswitch Uplinks")
	}
	return k
}

// portEvidence cites the switch port's mode and allowed/native VLANs; note
// describes the allowed-VLANs line of a trunk (or the mode line of another
// port), and defaults to what that line says.
func (u *Uplink) portEvidence(l *evList, note string) {
	if u.Port == nil {
		return
	}
	p := u.Port
	name := u.Switch.Name + " " + netmodel.ShortIfName(p.Name)
	if p.Mode == netmodel.ModeTrunk {
		if note == "" {
			note = fmt.Sprintf("%s allows VLANs %s", name, p.Allowed)
		}
		l.add(u.Switch.Name, p.AllowedSrc, note)
		if p.NativeVLANSrc != p.AllowedSrc {
			l.add(u.Switch.Name, p.NativeVLANSrc, fmt.Sprintf("%s: native VLAN %d", name, p.NativeVLAN))
		}
		return
	}
	if note == "" {
		note = fmt.Sprintf("%s: %s port", name, p.Mode)
	}
	l.add(u.Switch.Name, p.ModeSrc, note)
	if p.AccessVLANSrc != p.ModeSrc {
		l.add(u.Switch.Name, p.AccessVLANSrc, fmt.Sprintf("%s: access VLAN %d", name, p.AccessVLAN))
	}
}

// teaming returns the failover policy that applies to pg on host: the port
// group's override when it overrides the uplink order, else the vSwitch's.
// known is false when neither was collected (then every uplink counts as
// active).
func teaming(host *netmodel.Device, vs *netmodel.VSwitch, pg *netmodel.PortGroup) (t netmodel.Teaming, from string, known bool) {
	switch {
	case pg != nil && pg.Override.Known && pg.OverrideUplinks:
		return pg.Override, "port group override", true
	case pg != nil && pg.Override.Known:
		t = pg.Override
		if vs.Teaming.Known && len(t.Active)+len(t.Standby) == 0 {
			t.Active, t.Standby, t.Unused = vs.Teaming.Active, vs.Teaming.Standby, vs.Teaming.Unused
		}
		return t, "port group policy, vSwitch order", true
	case vs.Teaming.Known:
		return vs.Teaming, "vSwitch policy", true
	}
	return netmodel.Teaming{LoadBalancing: "", Active: vs.Uplinks}, "not collected", false
}
