package capture

import (
	"errors"
	"fmt"
	"io"
	"net"
	"slices"

	"github.com/gopacket/gopacket/layers"

	"github.com/nettui/nettui/internal/netmodel"
)

// maxModelErrors bounds the undecodable packets a summary keeps.
const maxModelErrors = 20

// Summarize reads a whole capture and summarises it for the diagnosis
// (netmodel.Capture): frames per VLAN, LACPDUs and BPDUs per sender, ESP
// per SPI and direction, IKE per initiator SPI, ICMP fragmentation-needed
// and big ESP packets, each with the packet numbers findings cite. A read
// error stops the summary there: what was read is kept and the error
// returned with the packet number.
func Summarize(r *Reader, file, device, iface string) (*netmodel.Capture, error) {
	c := &netmodel.Capture{File: file, Device: device, Interface: iface,
		VLANs: map[uint16]uint64{}, FirstVLAN: map[uint16]uint64{}}
	decoders := map[layers.LinkType]*Decoder{}
	lacp := map[string]int{}
	bpdu := map[string]int{}
	esp := map[[3]string]int{}
	ike := map[uint64]int{}
	type pending struct {
		spi uint64
		id  uint32
	}
	open := map[pending]bool{}
	var s Summary
	var n uint64
	for {
		data, ci, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.Packets = n
			return c, err
		}
		n++
		if n == 1 {
			c.Start = ci.Timestamp
		}
		c.Duration = ci.Timestamp.Sub(c.Start)
		name, link := r.Interface(ci)
		d := decoders[link]
		if d == nil {
			d = NewDecoder(link)
			decoders[link] = d
		}
		if err := d.Decode(data, ci, name, &s); err != nil && len(c.Errors) < maxModelErrors {
			c.Errors = append(c.Errors, netmodel.CapError{At: n, Msg: err.Error()})
		}
		v := uint16(0)
		if s.VLANCount > 0 {
			v = s.VLANs[0]
		}
		if c.VLANs[v] == 0 {
			c.FirstVLAN[v] = n
		}
		c.VLANs[v]++
		at := ci.Timestamp.Sub(c.Start)
		switch s.Proto {
		case ProtoLACP:
			src := net.HardwareAddr(s.SrcMAC[:]).String()
			a, p := netmodel.LACPState(s.LACP.Actor.State), netmodel.LACPState(s.LACP.Partner.State)
			i, ok := lacp[src]
			if !ok {
				i = len(c.LACP)
				lacp[src] = i
				c.LACP = append(c.LACP, netmodel.CapLACP{Source: src, FirstActor: a, FirstPartner: p, First: n})
			}
			l := &c.LACP[i]
			if ok && (l.ActorState != a || l.PartnerState != p) {
				l.Changes++
			}
			l.ActorSystem = net.HardwareAddr(s.LACP.Actor.System[:]).String()
			l.PartnerSystem = net.HardwareAddr(s.LACP.Partner.System[:]).String()
			l.ActorKey, l.PartnerKey = int(s.LACP.Actor.Key), int(s.LACP.Partner.Key)
			l.ActorPort, l.PartnerPort = int(s.LACP.Actor.Port), int(s.LACP.Partner.Port)
			l.ActorState, l.PartnerState = a, p
			if fwd := netmodel.LACPSync | netmodel.LACPCollecting | netmodel.LACPDistributing; !a.Has(fwd) || !p.Has(fwd) {
				if l.Down == 0 {
					l.FirstDown = n
				}
				l.Down++
			}
			l.Count++
			l.Last, l.LastAt = n, at
		case ProtoSTP, ProtoRSTP, ProtoMSTP:
			src := net.HardwareAddr(s.SrcMAC[:]).String()
			if s.BPDU.Type == BPDUTypeTCN {
				// A topology change notification carries no bridge IDs:
				// it counts as a TC of its sender, nothing more.
				if i, ok := bpdu[src]; ok {
					c.BPDU[i].TC++
					c.BPDU[i].LastTC = n
				}
				continue
			}
			i, ok := bpdu[src]
			if !ok {
				i = len(c.BPDU)
				bpdu[src] = i
				c.BPDU = append(c.BPDU, netmodel.CapBPDU{Source: src, First: n})
			}
			b := &c.BPDU[i]
			b.Version = map[Proto]string{ProtoSTP: "stp", ProtoRSTP: "rstp", ProtoMSTP: "mstp"}[s.Proto]
			rm, bm := s.BPDU.RootID.MAC(), s.BPDU.BridgeID.MAC()
			b.RootPriority, b.RootMAC = int(s.BPDU.RootID.Priority()), net.HardwareAddr(rm[:]).String()
			b.BridgePrio, b.BridgeMAC = int(s.BPDU.BridgeID.Priority()), net.HardwareAddr(bm[:]).String()
			b.RootCost, b.PortID = s.BPDU.RootPathCost, s.BPDU.PortID
			b.Count++
			b.Last = n
			if s.BPDU.Flags&BPDUFlagTC != 0 {
				b.TC++
				b.LastTC = n
			}
		case ProtoESP:
			k := [3]string{s.Src.String(), s.Dst.String(), fmt.Sprint(s.ESPSPI)}
			i, ok := esp[k]
			if !ok {
				i = len(c.ESP)
				esp[k] = i
				c.ESP = append(c.ESP, netmodel.CapESP{Src: s.Src, Dst: s.Dst, SPI: s.ESPSPI, First: n, NATT: s.DstPort == 4500 || s.SrcPort == 4500})
			}
			e := &c.ESP[i]
			if e.Packets > 0 && s.ESPSeq > e.LastSeq+1 {
				e.Gaps += uint64(s.ESPSeq - e.LastSeq - 1)
			}
			if s.ESPSeq > e.LastSeq {
				e.LastSeq = s.ESPSeq
			}
			e.Packets++
			e.Last = n
			if s.Length > netmodel.BigESPBytes+14 { // Ethernet header included in Length
				if c.BigESP == 0 {
					c.BigESPAt = n
				}
				c.BigESP++
			}
		case ProtoIKE:
			h := s.IKE
			response := h.Flags&IKEFlagResponse != 0
			if h.Version == 1 {
				// IKEv1 has no response flag: the side that did not send
				// the first packet of the SA answers.
				response = false
				if i, ok := ike[h.InitiatorSPI]; ok && c.IKE[i].Initiator != s.Src {
					response = true
				}
			}
			i, ok := ike[h.InitiatorSPI]
			if !ok {
				i = len(c.IKE)
				ike[h.InitiatorSPI] = i
				ini, resp := s.Src, s.Dst
				if response {
					ini, resp = s.Dst, s.Src
				}
				c.IKE = append(c.IKE, netmodel.CapIKE{Initiator: ini, Responder: resp, InitiatorSPI: h.InitiatorSPI, Version: int(h.Version), First: n})
			}
			k := &c.IKE[i]
			k.Last = n
			k.NATT = k.NATT || s.DstPort == 4500 || s.SrcPort == 4500
			key := pending{h.InitiatorSPI, h.MessageID}
			if response {
				k.Responses++
				delete(open, key)
			} else {
				k.Requests++
				open[key] = true
			}
			for j := 0; j < int(h.NotifyCount) && j < len(h.Notifies); j++ {
				name := NotifyName(h.Notifies[j])
				if h.Notifies[j] < 16384 && k.NotifyAt == 0 { // error types are below 16384
					k.NotifyAt = n
				}
				if !slices.Contains(k.Notifies, name) {
					k.Notifies = append(k.Notifies, name)
				}
			}
		case ProtoICMPv4, ProtoICMPv6:
			typ, code := s.ICMP>>8, s.ICMP&0xff
			if (s.Proto == ProtoICMPv4 && typ == 3 && code == 4) || (s.Proto == ProtoICMPv6 && typ == 2) {
				c.FragNeeded = append(c.FragNeeded, netmodel.CapFragNeeded{From: s.Src, To: s.Dst, At: n, MTU: int(s.DstPort)})
			}
		}
	}
	c.Packets = n
	for k := range open {
		if i, ok := ike[k.spi]; ok {
			c.IKE[i].Unanswered++
		}
	}
	return c, nil
}
