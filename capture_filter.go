package main

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var (
	vlanInSubject = regexp.MustCompile(`\(VLAN (\d{1,4})\)`)
	addrInText    = regexp.MustCompile(`\b(\d{1,3}(?:\.\d{1,3}){3})\b`)
)

// captureFilter is the tcpdump filter that shows on the wire what a finding
// is about: the VLAN of a VLAN finding, LACPDUs, BPDUs, or IKE and ESP to
// the peer of an IPsec or routing finding. "" means no filter.
func captureFilter(f *netmodel.Finding) string {
	if f == nil {
		return ""
	}
	id := f.ID
	switch {
	case strings.HasPrefix(id, "VLAN-"), id == "CAP-VLAN-UNEXPECTED", id == "CAP-VLAN-NOT-SEEN":
		if m := vlanInSubject.FindStringSubmatch(f.Subject); m != nil {
			return "vlan " + m[1]
		}
		if m := regexp.MustCompile(`VLAN (\d{1,4})`).FindStringSubmatch(f.Title); m != nil {
			return "vlan " + m[1]
		}
		return "vlan"
	case strings.HasPrefix(id, "LACP-"), strings.HasPrefix(id, "CAP-LACP-"):
		return "ether proto 0x8809"
	case strings.HasPrefix(id, "STP-"), strings.HasPrefix(id, "CAP-BPDU-"):
		return "ether dst 01:80:c2:00:00:00"
	case strings.HasPrefix(id, "IPSEC-"), strings.HasPrefix(id, "ROUTE-"), strings.HasPrefix(id, "CAP-ESP-"), strings.HasPrefix(id, "CAP-IKE-"), id == "CAP-FRAG-NEEDED":
		base := "esp or udp port 500 or udp port 4500"
		if id == "CAP-FRAG-NEEDED" {
			base = "esp or udp port 4500 or icmp[icmptype] == icmp-unreach or icmp6"
		}
		text := f.Subject + " " + f.Title
		for _, m := range addrInText.FindAllStringSubmatchIndex(text, -1) {
			if m[1] < len(text) && text[m[1]] == '/' {
				continue // a prefix, not a peer
			}
			if a, err := netip.ParseAddr(text[m[2]:m[3]]); err == nil && a.Is4() {
				return "(" + base + ") and host " + a.String()
			}
		}
		return base
	}
	return ""
}
