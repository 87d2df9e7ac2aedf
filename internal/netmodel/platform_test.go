package netmodel

import "testing"

// TestCarries: a Linux host holds the outputs of the Open vSwitch and FRR
// it runs besides its own; no other platform holds another's.
func TestCarries(t *testing.T) {
	for _, c := range []struct {
		p, q Platform
		want bool
	}{
		{Linux, Linux, true}, {Linux, OVS, true}, {Linux, FRR, true}, {IOS, IOS, true},
		{Linux, IOS, false}, {OVS, Linux, false}, {FRR, Linux, false}, {IOS, FRR, false}, {PlatformUnknown, FRR, false},
	} {
		if got := c.p.Carries(c.q); got != c.want {
			t.Errorf("%q.Carries(%q) = %v, want %v", c.p, c.q, got, c.want)
		}
	}
}
