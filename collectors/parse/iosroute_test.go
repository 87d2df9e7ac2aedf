package parse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nettui/nettui/internal/netmodel"
)

// iosrouteTable writes n routes in the format of
// testdata/ios/show-ip-route/ntc-ip-route-1.txt: OSPF routes with a next
// hop, age and interface, connected routes, and every tenth route with a
// second next hop on a continuation line.
func iosrouteTable(n int) string {
	var b strings.Builder
	b.WriteString("Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n")
	b.WriteString("       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area \n\n")
	b.WriteString("Gateway of last resort is 194.0.0.2 to network 0.0.0.0\n\n")
	b.WriteString("      10.0.0.0/8 is variably subnetted, 5 subnets, 3 masks\n")
	for i := 0; i < n; i++ {
		a, c := (i>>8)&255, i&255
		switch {
		case i%10 == 8 && i+1 < n:
			fmt.Fprintf(&b, "O E2    10.%d.%d.0/24 [110/20] via 10.64.3.13, 12:54:36, Port-channel202\n", a, c)
			b.WriteString("                        [110/20] via 10.64.1.9, 12:54:36, Port-channel201\n")
			i++
		case i%5 == 0:
			fmt.Fprintf(&b, "C       11.%d.%d.0/30 is directly connected, TenGigabitEthernet1/15\n", a, c)
		default:
			fmt.Fprintf(&b, "O       172.%d.%d.0/24 [110/11] via 194.0.0.2, 00:05:45, FastEthernet0/0.100\n", 16+(i>>16)&15, (i>>8)&255)
		}
	}
	return b.String()
}

func TestIOSRouteGenerated(t *testing.T) {
	t.Parallel()
	rs, err := iosrouteParse(strings.NewReader(iosrouteTable(1000)), netmodel.IOS)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1000 {
		t.Fatalf("%d routes", len(rs))
	}
	if r := rs[8]; r.Protocol != "ospf" || r.Interface != "Port-channel202" || r.Distance != 110 || r.Metric != 20 {
		t.Errorf("%+v", r)
	}
	if r := rs[9]; r.NextHop.String() != "10.64.1.9" || r.Prefix != rs[8].Prefix || r.Src.Start != r.Src.End {
		t.Errorf("continuation %+v", r)
	}
}

// BenchmarkIOSRoute parses a table of a million routes (b.N tables) the
// way the loader hands it over: as lines.
func BenchmarkIOSRoute(b *testing.B) {
	lines := Clean(iosrouteTable(1_000_000)).Lines
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rs, err := iosrouteParse(NewLinesReader(lines), netmodel.IOS)
		if err != nil || len(rs) != 1_000_000 {
			b.Fatalf("%d routes, %v", len(rs), err)
		}
	}
}
