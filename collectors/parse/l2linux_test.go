package parse

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// No real `teamdctl state dump` of an LACP team is available as a fixture
// (the lab kernel has no team driver). This input follows the shape
// libteam's teamd_runner_lacp.c dumps and teamdctl's stateview reads: runner
// active/fast_rate, per port runner.aggregator{id,selected}, selected,
// state, actor_lacpdu_info/partner_lacpdu_info {system, key, port, state}.
func TestTeamdLACPShape(t *testing.T) {
	in := `{
    "ports": {
        "eth1": {
            "link": {"duplex": "full", "speed": 1000, "up": true},
            "runner": {
                "actor_lacpdu_info": {"key": 9, "port": 1, "port_priority": 255, "state": 61, "system": "AA:BB:CC:DD:EE:FF", "system_priority": 65535},
                "aggregator": {"id": 3, "selected": true},
                "key": 9, "prio": 255,
                "partner_lacpdu_info": {"key": 1, "port": 5, "port_priority": 255, "state": 61, "system": "11:22:33:44:55:66", "system_priority": 65535},
                "selected": true,
                "state": "current"
            }
        },
        "eth2": {
            "link": {"duplex": "full", "speed": 1000, "up": true},
            "runner": {
                "actor_lacpdu_info": {"key": 9, "port": 2, "port_priority": 255, "state": 69, "system": "aa:bb:cc:dd:ee:ff", "system_priority": 65535},
                "aggregator": {"id": 4, "selected": false},
                "key": 9, "prio": 255,
                "partner_lacpdu_info": {"key": 0, "port": 0, "port_priority": 0, "state": 2, "system": "00:00:00:00:00:00", "system_priority": 0},
                "selected": false,
                "state": "defaulted"
            }
        }
    },
    "runner": {"active": true, "fast_rate": true, "select_policy": "lacp_prio", "sys_prio": 65535},
    "setup": {"runner_name": "lacp", "kernel_team_mode_name": "loadbalance"},
    "team_device": {"ifinfo": {"dev_addr": "aa:bb:cc:dd:ee:ff", "ifindex": 7, "ifname": "team0"}}
}`
	if !l2linuxDetectTeamd(strings.Split(in, "\n")) {
		t.Fatal("not detected")
	}
	lag, err := l2linuxParseTeamd(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if lag.Name != "team0" || lag.Protocol != "lacp" || lag.Mode != "active" || lag.Rate != "fast" || !lag.Up || len(lag.Members) != 2 {
		t.Fatalf("lag %+v", lag)
	}
	a, b := lag.Members[0], lag.Members[1]
	if a.Port != "eth1" || !a.Bundled || a.Status != "current" || a.AggregatorID != 3 || a.ActorSystem != "aa:bb:cc:dd:ee:ff" ||
		a.ActorKey != 9 || a.PartnerPort != 5 || !a.PartnerState.Has(netmodel.LACPSync|netmodel.LACPCollecting|netmodel.LACPDistributing) || a.SpeedMbps != 1000 {
		t.Errorf("eth1 %+v", a)
	}
	if b.Bundled || b.Status != "defaulted" || !b.ActorState.Has(netmodel.LACPDefaulted) || b.PartnerSystem != "00:00:00:00:00:00" {
		t.Errorf("eth2 %+v", b)
	}
}
