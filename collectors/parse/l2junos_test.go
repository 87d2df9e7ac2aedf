package parse

import (
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

func TestJunosL2CommandRE(t *testing.T) {
	for _, c := range []struct {
		re   interface{ MatchString(string) bool }
		cmd  string
		want bool
	}{
		{junosL2LACPCmdRE, "show lacp interfaces", true},
		{junosL2LACPCmdRE, "sh lacp interfaces ae4 | no-more", true},
		{junosL2LACPCmdRE, "run show lacp interf", true},
		{junosL2LACPCmdRE, "show lacp internal", false},
		{junosL2LACPCmdRE, "show lacp statistics interfaces", false},
		{junosL2EthSwitchCmdRE, "show ethernet-switching interfaces", true},
		{junosL2EthSwitchCmdRE, "show ethernet-switching interface ge-0/0/1.0", true},
		{junosL2EthSwitchCmdRE, "show ethernet-switching table", false},
	} {
		if got := c.re.MatchString(c.cmd); got != c.want {
			t.Errorf("%q: match %v, want %v", c.cmd, got, c.want)
		}
	}
}

// A member whose partner is silent: defaulted, not distributing, "Port
// disabled"-style receive state of two words.
func TestJunosL2LACPDefaultedMember(t *testing.T) {
	in := `Aggregated interface: ae1
    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity
      xe-0/0/1       Actor    No   Yes    No   No   No   Yes     Fast    Active
      xe-0/0/1     Partner    No   Yes    No   No   No   Yes     Fast   Passive
    LACP protocol:        Receive State  Transmit State          Mux State
      xe-0/0/1                Defaulted   Fast periodic           Detached
`
	lags, err := junosL2ParseLACP(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(lags) != 1 || len(lags[0].Members) != 1 {
		t.Fatalf("got %+v", lags)
	}
	l, m := lags[0], lags[0].Members[0]
	if l.Up || m.Bundled || m.Status != "Detached" {
		t.Errorf("lag up %v, member bundled %v status %q", l.Up, m.Bundled, m.Status)
	}
	if !m.ActorState.Has(netmodel.LACPDefaulted|netmodel.LACPActivity) || m.ActorState.Has(netmodel.LACPSync) {
		t.Errorf("actor state %s", m.ActorState)
	}
	if m.PartnerState.Has(netmodel.LACPActivity) {
		t.Errorf("partner state %s: passive partner has no activity bit", m.PartnerState)
	}
}

func TestJunosL2Errors(t *testing.T) {
	_, err := junosL2ParseLACP(strings.NewReader("Aggregated interface: ae0\n    LACP state:  Role\n   xe-0/0/0  Actor  Maybe\n"))
	if pe, ok := err.(*Error); !ok || pe.Line != 3 {
		t.Errorf("bad LACP row: err %v, want line 3", err)
	}
	_, err = junosL2ParseEthSwitch(strings.NewReader("error: syntax error, expecting <command>\n"))
	if pe, ok := err.(*Error); !ok || pe.Line != 1 {
		t.Errorf("refusal: err %v, want line 1", err)
	}
	if _, err := junosL2ParseEthSwitch(strings.NewReader("\n{master:0}\n")); err != nil {
		t.Errorf("blank output: %v", err)
	}
}

// The bridge and interface outputs of one device fill one tree, in either order.
func TestJunosL2STPMerge(t *testing.T) {
	br := "STP bridge parameters\nContext ID : 0\nEnabled protocol : RSTP\n  Root ID : 4096.02:00:5e:0a:0a:01\n  Root port : ae0.0\n  Local parameters\n    Bridge ID : 32768.02:00:5e:0c:0c:01\n"
	ifs := "Spanning tree interface parameters for instance 0\nInterface Port ID Designated Designated Port State Role\n port ID bridge ID Cost\nae0 128:1 128:7 4096.02005e0a0a01 1000 FWD ROOT\n"
	for _, order := range [][2]string{{br, ifs}, {ifs, br}} {
		d := &netmodel.Device{Name: "sw", Platform: netmodel.Junos}
		for _, in := range order {
			e := Lookup(netmodel.Junos, CapJunosSTPBridge)
			if strings.HasPrefix(in, "Spanning") {
				e = Lookup(netmodel.Junos, CapJunosSTPIf)
			}
			if err := e.Apply(strings.NewReader(in), d, "f.txt", ""); err != nil {
				t.Fatal(err)
			}
		}
		if len(d.STP) != 1 {
			t.Fatalf("%d trees", len(d.STP))
		}
		b := d.STP[0]
		if b.Mode != "rstp" || b.RootPort != "ae0" || b.IsRoot || len(b.Ports) != 1 || b.Ports[0].Role != "root" {
			t.Errorf("tree %+v ports %d", b, len(b.Ports))
		}
	}
}
