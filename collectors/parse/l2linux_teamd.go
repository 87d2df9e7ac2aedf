package parse

// teamdctl <team> state dump: the teamd JSON state of one team device.
//
// Name is team_device.ifinfo.ifname, else the base of setup.pid_file
// (teamd's default /var/run/teamd/<dev>.pid), else the command argument. Protocol is
// lacp for the lacp runner and none otherwise; Mode is active/passive for
// lacp (runner.active) and the runner name otherwise (activebackup,
// loadbalance, roundrobin, broadcast, random); Rate from runner.fast_rate.
// Per port: Speed/Duplex from link; for lacp Status is the port's runner
// state ("current", "expired", "defaulted", ...), Bundled its selected flag
// with the link up, AggregatorID and the actor/partner LACPDU info; for
// activebackup Status is active/backup and Bundled the active port with the
// link up; for other runners Status/Bundled follow the link. The LAG is up
// when some port is bundled (activebackup: when the runner has an active
// port, if the dump lists no ports); Status is "no active port" for an
// activebackup runner without one. The JSON carries no line numbers: sources
// cover the whole output.

import (
	"encoding/json"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

var l2linuxTeamdCmdRE = regexp.MustCompile(`^(?:sudo\s+)?teamdctl(?:\s+-\S+)*\s+([\w.@-]+)\s+state\s+dump\s*$`)

func init() {
	register(Entry{
		Platform: netmodel.Linux, Capability: CapTeamdState, Command: "teamdctl {arg} state dump",
		CommandRE: l2linuxTeamdCmdRE, Detect: l2linuxDetectTeamd, Order: l2linuxOrderTeamd,
	}, l2linuxParseTeamd, l2linuxMergeTeamd)
}

func l2linuxDetectTeamd(lines []string) bool {
	h := swanNonBlank(lines, 1)
	if len(h) == 0 || h[0] != "{" {
		return false
	}
	var dev, runner bool
	for _, l := range lines {
		dev = dev || strings.Contains(l, `"team_device":`)
		runner = runner || strings.Contains(l, `"runner_name":`)
	}
	return dev && runner
}

type l2linuxLACPDU struct {
	System string `json:"system"`
	Key    int    `json:"key"`
	Port   int    `json:"port"`
	State  *int   `json:"state"`
}

type l2linuxTeamdJSON struct {
	Runner struct {
		ActivePort string `json:"active_port"`
		Active     *bool  `json:"active"`
		FastRate   *bool  `json:"fast_rate"`
	} `json:"runner"`
	Setup struct {
		RunnerName string `json:"runner_name"`
		PidFile    string `json:"pid_file"`
	} `json:"setup"`
	TeamDevice struct {
		IfInfo struct {
			IfName string `json:"ifname"`
		} `json:"ifinfo"`
	} `json:"team_device"`
	Ports map[string]struct {
		Link struct {
			Duplex string `json:"duplex"`
			Speed  int    `json:"speed"`
			Up     bool   `json:"up"`
		} `json:"link"`
		Runner struct {
			Aggregator struct {
				ID int `json:"id"`
			} `json:"aggregator"`
			AggregatorID int           `json:"aggregator_id"` // older teamd
			Selected     bool          `json:"selected"`
			State        string        `json:"state"`
			Actor        l2linuxLACPDU `json:"actor_lacpdu_info"`
			Partner      l2linuxLACPDU `json:"partner_lacpdu_info"`
		} `json:"runner"`
	} `json:"ports"`
}

func l2linuxParseTeamd(r io.Reader) (*netmodel.LAG, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	var t l2linuxTeamdJSON
	if err := json.Unmarshal([]byte(strings.Join(lines, "\n")), &t); err != nil {
		return nil, errorf(0, "malformed JSON: %v", err)
	}
	src := netmodel.Lines(1, len(lines))
	runner := t.Setup.RunnerName
	lag := &netmodel.LAG{Name: t.TeamDevice.IfInfo.IfName, Protocol: "none", Mode: runner, Src: src}
	if runner == "lacp" {
		lag.Protocol, lag.Mode = "lacp", ""
		if t.Runner.Active != nil {
			lag.Mode = "passive"
			if *t.Runner.Active {
				lag.Mode = "active"
			}
		}
		if t.Runner.FastRate != nil {
			lag.Rate = "slow"
			if *t.Runner.FastRate {
				lag.Rate = "fast"
			}
		}
	}
	names := make([]string, 0, len(t.Ports))
	for n := range t.Ports {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := t.Ports[n]
		m := &netmodel.LAGMember{Port: n, SpeedMbps: p.Link.Speed, Duplex: p.Link.Duplex, Src: src}
		switch runner {
		case "lacp":
			pr := p.Runner
			m.Status, m.Bundled = pr.State, pr.Selected && p.Link.Up
			m.AggregatorID = pr.Aggregator.ID
			if m.AggregatorID == 0 {
				m.AggregatorID = pr.AggregatorID
			}
			m.ActorSystem, m.ActorKey, m.ActorPort = strings.ToLower(pr.Actor.System), pr.Actor.Key, pr.Actor.Port
			if pr.Actor.State != nil {
				m.ActorState, m.ActorStateKnown = netmodel.LACPState(*pr.Actor.State), true
			}
			m.PartnerSystem, m.PartnerKey, m.PartnerPort = strings.ToLower(pr.Partner.System), pr.Partner.Key, pr.Partner.Port
			if pr.Partner.State != nil {
				m.PartnerState, m.PartnerStateKnown = netmodel.LACPState(*pr.Partner.State), true
			}
		case "activebackup":
			m.Status, m.Bundled = "backup", false
			if n == t.Runner.ActivePort {
				m.Status, m.Bundled = "active", p.Link.Up
			}
		default:
			m.Status, m.Bundled = "down", p.Link.Up
			if p.Link.Up {
				m.Status = "up"
			}
		}
		lag.Members = append(lag.Members, m)
		lag.Up = lag.Up || m.Bundled
	}
	if lag.Name == "" && strings.HasSuffix(t.Setup.PidFile, ".pid") {
		// teamd names its pid file after the device.
		lag.Name = strings.TrimSuffix(path.Base(t.Setup.PidFile), ".pid")
	}
	switch {
	case runner == "activebackup" && t.Runner.ActivePort == "":
		lag.Status, lag.Up = "no active port", false
	case runner == "activebackup" && len(t.Ports) == 0:
		// The dump lists no ports, but the runner has an active one.
		lag.Status, lag.Up = "up", true
	case lag.Up:
		lag.Status = "up"
	case len(t.Ports) > 0:
		lag.Status = "down"
	}
	return lag, nil
}

func l2linuxMergeTeamd(d *netmodel.Device, file, arg string, lag *netmodel.LAG) {
	if lag == nil {
		return
	}
	if lag.Name == "" {
		lag.Name = arg
	}
	if lag.Name == "" {
		return
	}
	l2linuxMergeLAGs(d, file, []*netmodel.LAG{lag})
}
