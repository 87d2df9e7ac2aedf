package netmodel

import "testing"

func TestLACPState(t *testing.T) {
	s := LACPStateFromWords("activity", "timeout", "aggregation", "synchronized", "collecting", "distributing")
	if s != 0x3f || !s.Has(LACPSync|LACPCollecting) || s.Has(LACPDefaulted) {
		t.Fatalf("state %08b", s)
	}
	if got := s.String(); got != "activity,short-timeout,aggregation,synchronization,collecting,distributing" {
		t.Fatalf("String() = %q", got)
	}
	if LACPState(0).String() != "none" || LACPState(0xc0).String() != "defaulted,expired" {
		t.Fatal("defaulted/expired names")
	}
}
