package main

import (
	"context"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/probes/capture"
)

// TestCaptureFilterFromFinding: each kind of finding gets the filter that
// shows its traffic, and every filter compiles with tcpdump.
func TestCaptureFilterFromFinding(t *testing.T) {
	for _, tc := range []struct {
		f    netmodel.Finding
		want string
	}{
		{netmodel.Finding{ID: "VLAN-PARTIAL-UPLINK", Subject: "esx01/vSwitch0/VM-Prod (VLAN 120)"}, "vlan 120"},
		{netmodel.Finding{ID: "CAP-VLAN-UNEXPECTED", Subject: "esx01 vmnic2", Title: "frames tagged VLAN 30 on esx01 vmnic2, not allowed on sw1 Gi1/0/10"}, "vlan 30"},
		{netmodel.Finding{ID: "LACP-PARTNER-NOT-LACP", Subject: "acc-stack2 Port-channel20"}, "ether proto 0x8809"},
		{netmodel.Finding{ID: "STP-HOST-PORT-NOT-EDGE", Subject: "acc-stack2 Po20"}, "ether dst 01:80:c2:00:00:00"},
		{netmodel.Finding{ID: "IPSEC-ONE-WAY", Subject: "br-swan → 203.0.113.1"}, "(esp or udp port 500 or udp port 4500) and host 203.0.113.1"},
		{netmodel.Finding{ID: "IPSEC-SELECTOR-MISMATCH", Subject: "br-swan ↔ hub-srx"}, "esp or udp port 500 or udp port 4500"},
		{netmodel.Finding{ID: "ROUTE-OVERLAP", Subject: "gwa 10.9.0.0/16"}, "esp or udp port 500 or udp port 4500"},
	} {
		got := captureFilter(&tc.f)
		if got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.f.ID, tc.f.Subject, got, tc.want)
		}
		if _, err := capture.CompileFilter(context.Background(), got); err != nil {
			t.Errorf("%q does not compile: %v", got, err)
		}
	}
}
