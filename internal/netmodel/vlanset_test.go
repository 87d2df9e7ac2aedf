package netmodel

import (
	"strings"
	"testing"
)

// rangeSet builds a set from lo-hi pairs.
func rangeSet(pairs ...int) VLANSet {
	var s VLANSet
	for i := 0; i+1 < len(pairs); i += 2 {
		s.AddRange(pairs[i], pairs[i+1])
	}
	return s
}

func TestParseVLANSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want VLANSet
	}{
		{"", VLANSet{}},
		{"none", VLANSet{}},
		{"NONE", VLANSet{}},
		{"  none \n", VLANSet{}},
		{"ALL", AllVLANs()},
		{"all", AllVLANs()},
		{"1-4094", AllVLANs()},
		{"1", VLANs(1)},
		{"0", VLANs(0)},
		{"4095", VLANs(4095)},
		{"10-10", VLANs(10)},
		{"1-10,20", rangeSet(1, 10, 20, 20)},
		{"1-10, 20", rangeSet(1, 10, 20, 20)},
		{"200-211, 300-302", rangeSet(200, 211, 300, 302)}, // IOS "allowed and active"
		{"20,1-10", rangeSet(1, 10, 20, 20)},               // order does not matter
		{"1-10,5-15", rangeSet(1, 15)},                     // overlaps merge
		{"5,", VLANs(5)},                                   // trailing comma of a wrapped line
		{",5", VLANs(5)},
		{"1,2,3", rangeSet(1, 3)},
		// "show interfaces switchport" wraps long lists (ntc-switchport-2.txt):
		{"1,12,15,31-36,40-42,80,85,101,201,240,410,420,602,604,\n     900,910,920,930,940",
			VLANs(1, 12, 15, 31, 32, 33, 34, 35, 36, 40, 41, 42, 80, 85, 101, 201, 240, 410, 420, 602, 604, 900, 910, 920, 930, 940)},
		// ... and so does genieparser's iosxe golden_output (three lines, CRLF).
		{"100,101,110-120,121,130,170,180,\r\n    333-355,366-400,540,601-605,606,607,\r\n    1111,1113,1200-1234,1400-1456,1567",
			rangeSet(100, 101, 110, 121, 130, 130, 170, 170, 180, 180, 333, 355, 366, 400, 540, 540, 601, 607, 1111, 1111, 1113, 1113, 1200, 1234, 1400, 1456, 1567, 1567)},
		{"\t1-3,\t7", rangeSet(1, 3, 7, 7)},
	}
	for _, tt := range tests {
		got, err := ParseVLANSet(tt.in)
		if err != nil {
			t.Errorf("ParseVLANSet(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseVLANSet(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseVLANSetErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"abc", "1-", "-5", "10-5", "4096", "1-4096", "-1", "1;2", "1--2", "1-2-3",
		"all,5", "none,5", "1.5", "0x10", "99999999999999999999", "vlan 10", "1,a,3",
	} {
		got, err := ParseVLANSet(in)
		if err == nil {
			t.Errorf("ParseVLANSet(%q) = %s, want an error", in, got)
			continue
		}
		if !got.IsEmpty() {
			t.Errorf("ParseVLANSet(%q) returned %s with its error, want the empty set", in, got)
		}
		if !strings.Contains(err.Error(), "vlan list") {
			t.Errorf("ParseVLANSet(%q) error %q does not say which list", in, err)
		}
	}
}

func TestVLANSetString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    VLANSet
		want string
	}{
		{VLANSet{}, "none"},
		{VLANs(1), "1"},
		{VLANs(1, 2), "1-2"},
		{VLANs(1, 2, 3, 5), "1-3,5"},
		{VLANs(5, 3, 1, 2), "1-3,5"},
		{AllVLANs(), "1-4094"},
		{VLANs(4094), "4094"},
		{VLANs(0, 4095), "0,4095"},
		{rangeSet(0, 4095), "0-4095"},
		{rangeSet(10, 20, 22, 22, 30, 31), "10-20,22,30-31"},
		{rangeSet(63, 64), "63-64"}, // across a word boundary
		{rangeSet(127, 129), "127-129"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestVLANSetRoundTrip(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"none", "1", "1-4094", "0-4095", "1-3,5", "10-20,22,30-31", "4094", "0,4095",
		"1,12,15,31-36,40-42,80,85,101,201,240,410,420,602,604,900,910,920,930,940",
		"2-4094", "1-1000,1002-4094",
	} {
		s, err := ParseVLANSet(in)
		if err != nil {
			t.Fatalf("ParseVLANSet(%q): %v", in, err)
		}
		if got := s.String(); got != in {
			t.Errorf("String(ParseVLANSet(%q)) = %q", in, got)
		}
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back VLANSet
		if err := back.UnmarshalText(b); err != nil {
			t.Fatalf("UnmarshalText(%q): %v", b, err)
		}
		if back != s {
			t.Errorf("text round trip of %q gave %s", in, back)
		}
	}
	var s VLANSet
	if err := s.UnmarshalText([]byte("1-x")); err == nil {
		t.Error("UnmarshalText(1-x) succeeded")
	}
}

func TestVLANSetOps(t *testing.T) {
	t.Parallel()
	var s VLANSet
	if !s.IsEmpty() || s.Len() != 0 || len(s.IDs()) != 0 {
		t.Fatal("zero value is not empty")
	}
	s.Add(-1)
	s.Add(4096)
	if !s.IsEmpty() {
		t.Fatal("out-of-range Add changed the set")
	}
	s.Add(0)
	s.Add(4095)
	s.Add(100)
	if !s.Has(0) || !s.Has(4095) || !s.Has(100) || s.Has(101) || s.Has(-1) || s.Has(4096) {
		t.Fatalf("Has wrong on %s", s)
	}
	if s.Len() != 3 {
		t.Fatalf("Len = %d", s.Len())
	}
	if ids := s.IDs(); len(ids) != 3 || ids[0] != 0 || ids[1] != 100 || ids[2] != 4095 {
		t.Fatalf("IDs = %v", ids)
	}
	s.Remove(100)
	s.Remove(-5)
	s.Remove(9999)
	if s.Has(100) || s.Len() != 2 {
		t.Fatalf("Remove: %s", s)
	}
	if AllVLANs().Len() != MaxVLAN || AllVLANs().Has(0) || AllVLANs().Has(4095) {
		t.Fatal("AllVLANs is not 1-4094")
	}
	a, b := rangeSet(1, 10), rangeSet(5, 15)
	if got := a.Union(b); got != rangeSet(1, 15) {
		t.Errorf("Union = %s", got)
	}
	if got := a.Intersect(b); got != rangeSet(5, 10) {
		t.Errorf("Intersect = %s", got)
	}
	if got := a.Minus(b); got != rangeSet(1, 4) {
		t.Errorf("Minus = %s", got)
	}
	if a != rangeSet(1, 10) {
		t.Error("set operations changed their receiver")
	}
	var r VLANSet
	r.AddRange(10, 5) // backwards: nothing
	r.AddRange(-3, 2)
	r.AddRange(4093, 5000)
	if r.String() != "0-2,4093-4095" {
		t.Errorf("AddRange clamps wrong: %s", r)
	}
}

func TestApplyVLANCommand(t *testing.T) {
	t.Parallel()
	base := rangeSet(1, 10)
	tests := []struct {
		cur  VLANSet
		arg  string
		want VLANSet
	}{
		{base, "20-30", rangeSet(20, 30)},
		{base, "add 20-30", rangeSet(1, 10, 20, 30)},
		{base, "ADD 11", rangeSet(1, 11)},
		{base, "add 20, 22", rangeSet(1, 10, 20, 20, 22, 22)},
		{base, "remove 5-10", rangeSet(1, 4)},
		{base, "remove 99", base},
		{base, "except 2-4094", VLANs(1)},
		{base, "except 1", rangeSet(2, 4094)},
		{base, "all", AllVLANs()},
		{base, "ALL", AllVLANs()},
		{base, "none", VLANSet{}},
		{VLANSet{}, "add 1,2", rangeSet(1, 2)},
		{AllVLANs(), "remove 1", rangeSet(2, 4094)},
	}
	for _, tt := range tests {
		got, err := ApplyVLANCommand(tt.cur, tt.arg)
		if err != nil {
			t.Errorf("ApplyVLANCommand(%s, %q): %v", tt.cur, tt.arg, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ApplyVLANCommand(%s, %q) = %s, want %s", tt.cur, tt.arg, got, tt.want)
		}
	}
}

// TestApplyVLANCommandSequence replays what IOS prints when a trunk's list is
// too long for one line: the list, then "add" lines.
func TestApplyVLANCommandSequence(t *testing.T) {
	t.Parallel()
	cur := AllVLANs() // the default before any line
	for _, arg := range []string{
		"1,12,15,31-36,40-42,80,85,101,201,240,410,420,602,604",
		"add 900,910,920,930,940",
		"add 1000-1010",
		"remove 1005",
	} {
		var err error
		if cur, err = ApplyVLANCommand(cur, arg); err != nil {
			t.Fatalf("%q: %v", arg, err)
		}
	}
	want := "1,12,15,31-36,40-42,80,85,101,201,240,410,420,602,604,900,910,920,930,940,1000-1004,1006-1010"
	if cur.String() != want {
		t.Errorf("got %s\nwant %s", cur, want)
	}
}

func TestApplyVLANCommandErrors(t *testing.T) {
	t.Parallel()
	base := rangeSet(1, 10)
	for _, arg := range []string{"", "   ", "add x", "remove 1-", "bogus", "10-5"} {
		if got, err := ApplyVLANCommand(base, arg); err == nil {
			t.Errorf("ApplyVLANCommand(%q) = %s, want an error", arg, got)
		}
	}
}

// TestVLANSetKnownProblems pins down behaviour of vlanset.go that the Cisco
// parsers work around (collectors/parse/cisco.go ciscoParseVLANs and
// ciscoApplyAllowed). Each case skips, naming the problem, while it is
// there, and passes once vlanset.go is fixed; the cases are the expected
// behaviour.
func TestVLANSetEdgeCases(t *testing.T) {
	t.Parallel()
	known := func(t *testing.T, ok bool, format string, args ...any) {
		t.Helper()
		if !ok {
			t.Errorf(format, args...)
		}
	}
	t.Run("spaces-without-comma", func(t *testing.T) {
		// "10 20" is two VLANs or a mistake, never VLAN 1020.
		got, err := ParseVLANSet("10 20")
		known(t, err != nil, `ParseVLANSet("10 20") = %s, %v; want an error (spaces are removed before splitting)`, got, err)
	})
	t.Run("wrapped-without-comma", func(t *testing.T) {
		got, err := ParseVLANSet("1-10\n 20")
		known(t, err != nil, `ParseVLANSet("1-10\n 20") = %s, %v; want an error, not 1-1020`, got, err)
	})
	t.Run("plus-sign", func(t *testing.T) {
		got, err := ParseVLANSet("+5")
		known(t, err != nil, `ParseVLANSet("+5") = %s, %v; want an error (strconv.Atoi accepts a sign)`, got, err)
	})
	t.Run("add-without-list", func(t *testing.T) {
		got, err := ApplyVLANCommand(VLANs(1), "add")
		known(t, err != nil, `ApplyVLANCommand(1, "add") = %s, %v; want an error`, got, err)
	})
	t.Run("except-error-keeps-cur", func(t *testing.T) {
		got, err := ApplyVLANCommand(VLANs(7), "except x")
		if err == nil {
			t.Fatal("no error for except x")
		}
		known(t, got == VLANs(7), `ApplyVLANCommand(7, "except x") returned %s with its error; want cur unchanged`, got)
	})
	t.Run("list-error-keeps-cur", func(t *testing.T) {
		got, err := ApplyVLANCommand(VLANs(7), "5-1")
		if err == nil {
			t.Fatal("no error for 5-1")
		}
		known(t, got == VLANs(7), `ApplyVLANCommand(7, "5-1") returned %s with its error; want cur unchanged`, got)
	})
	t.Run("add-spaces", func(t *testing.T) {
		got, err := ApplyVLANCommand(VLANSet{}, "add 10 20")
		known(t, err != nil, `ApplyVLANCommand("add 10 20") = %s, %v; want an error (fields are joined without a separator)`, got, err)
	})
}

// FuzzParseVLANSet: no panic; whatever parses prints to a list that parses
// back to the same set, and printing is stable.
func FuzzParseVLANSet(f *testing.F) {
	for _, s := range []string{
		"", "none", "ALL", "1-4094", "1-10,20", "1-10, 20", "0-4095", "4095", "1-", "10-5",
		"1,12,15,31-36,40-42,80,85,101,201,240,410,420,602,604,\n     900,910,920,930,940",
		"200-211, 300-302", "5,", ",,", "1-2-3", "+5", "99999999999999999999999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseVLANSet(in)
		if err != nil {
			if !s.IsEmpty() {
				t.Fatalf("error %v with a non-empty set %s", err, s)
			}
			return
		}
		out := s.String()
		back, err := ParseVLANSet(out)
		if err != nil {
			t.Fatalf("ParseVLANSet(%q) = %q, which does not parse: %v", in, out, err)
		}
		if back != s {
			t.Fatalf("round trip of %q: %q parses to %q", in, out, back.String())
		}
		if back.String() != out {
			t.Fatalf("String not stable: %q then %q", out, back.String())
		}
		if s.Len() != len(s.IDs()) {
			t.Fatalf("Len %d != len(IDs) %d", s.Len(), len(s.IDs()))
		}
		for _, id := range s.IDs() {
			if id < 0 || id > 4095 {
				t.Fatalf("id %d out of range", id)
			}
		}
		if _, err := ApplyVLANCommand(s, "add "+out); err != nil && !s.IsEmpty() {
			t.Fatalf("add %q: %v", out, err)
		}
	})
}

// TestAddRangeMatchesAdd checks the word-at-a-time AddRange against adding
// one VLAN at a time, over ranges crossing word boundaries and the ends.
func TestAddRangeMatchesAdd(t *testing.T) {
	for _, r := range [][2]int{{0, 0}, {1, 4094}, {63, 64}, {60, 130}, {64, 127}, {4000, 4095}, {4090, 5000}, {-5, 3}, {10, 5}} {
		var fast, slow VLANSet
		fast.AddRange(r[0], r[1])
		for id := r[0]; id <= r[1]; id++ {
			slow.Add(id)
		}
		if fast != slow {
			t.Errorf("AddRange(%d, %d) = %s, want %s", r[0], r[1], fast, slow)
		}
	}
}
