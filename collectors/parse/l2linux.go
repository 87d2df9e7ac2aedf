package parse

// Shared helpers of the Linux (bonding, teamd) and Open vSwitch layer-2
// parsers: merging LAGs into a device.

import (
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

const (
	l2linuxOrderBonding = 20 // /proc/net/bonding/<bond>
	l2linuxOrderTeamd   = 20 // teamdctl <team> state dump
	ovsOrderBond        = 20 // ovs-appctl bond/show
	ovsOrderLACP        = 30 // ovs-appctl lacp/show: LACP detail wins
)

// l2linuxMergeLAGs merges parsed LAGs into d.LAGs: a LAG already known by name
// takes the fields that are set in the new one, members likewise by port.
func l2linuxMergeLAGs(d *netmodel.Device, file string, lags []*netmodel.LAG) {
	for _, l := range lags {
		l.Src = setFile(l.Src, file)
		for _, m := range l.Members {
			m.Src = setFile(m.Src, file)
			if m.CountersKnown {
				m.CountersSrc = setFile(m.CountersSrc, file)
			}
		}
		var o *netmodel.LAG
		for _, x := range d.LAGs {
			if x.Name == l.Name {
				o = x
				break
			}
		}
		if o == nil {
			d.LAGs = append(d.LAGs, l)
			continue
		}
		l2linuxSetStr(&o.Protocol, l.Protocol)
		l2linuxSetStr(&o.Mode, l.Mode)
		l2linuxSetStr(&o.Rate, l.Rate)
		if l.Status != "" {
			o.Status, o.Up = l.Status, l.Up
			o.Src = l.Src
		}
		for _, m := range l.Members {
			var om *netmodel.LAGMember
			for _, x := range o.Members {
				if x.Port == m.Port {
					om = x
					break
				}
			}
			if om == nil {
				o.Members = append(o.Members, m)
				continue
			}
			l2linuxMergeMember(om, m)
		}
	}
}

func l2linuxMergeMember(o, m *netmodel.LAGMember) {
	if m.Status != "" {
		o.Status, o.Bundled = m.Status, m.Bundled
	}
	l2linuxSetStr(&o.ActorSystem, m.ActorSystem)
	l2linuxSetStr(&o.PartnerSystem, m.PartnerSystem)
	l2linuxSetInt(&o.ActorKey, m.ActorKey)
	l2linuxSetInt(&o.ActorPort, m.ActorPort)
	l2linuxSetInt(&o.PartnerKey, m.PartnerKey)
	l2linuxSetInt(&o.PartnerPort, m.PartnerPort)
	if m.ActorStateKnown {
		o.ActorState, o.ActorStateKnown = m.ActorState, true
	}
	if m.PartnerStateKnown {
		o.PartnerState, o.PartnerStateKnown = m.PartnerState, true
	}
	l2linuxSetInt(&o.AggregatorID, m.AggregatorID)
	l2linuxSetInt(&o.SpeedMbps, m.SpeedMbps)
	l2linuxSetStr(&o.Duplex, m.Duplex)
	if m.CountersKnown {
		o.PDUsIn, o.PDUsOut, o.RxErrors, o.CountersKnown = m.PDUsIn, m.PDUsOut, m.RxErrors, true
		o.Expired, o.Defaulted, o.CountersSrc = m.Expired, m.Defaulted, m.CountersSrc
	}
	if m.Status != "" || m.ActorStateKnown || m.PartnerStateKnown {
		o.Src = m.Src
	}
}

func l2linuxSetStr(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func l2linuxSetInt(dst *int, v int) {
	if v != 0 {
		*dst = v
	}
}

// l2linuxKV splits "Key: value" (trimmed); ok is false without a colon.
func l2linuxKV(l string) (k, v string, ok bool) {
	k, v, ok = strings.Cut(strings.TrimSpace(l), ":")
	return strings.TrimSpace(k), strings.TrimSpace(v), ok
}
