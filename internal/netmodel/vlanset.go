package netmodel

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// MaxVLAN is the highest usable 802.1Q VLAN ID.
const MaxVLAN = 4094

// VLANSet is a set of VLAN IDs 0..4095 as a fixed bitset. The zero value is the
// empty set. It is comparable, so two sets can be checked with ==.
type VLANSet struct {
	w [64]uint64
}

// allVLANs is 1-4094, built once.
var allVLANs = func() VLANSet {
	var s VLANSet
	s.AddRange(1, MaxVLAN)
	return s
}()

// AllVLANs returns the set 1-4094, what "ALL" means on a trunk.
func AllVLANs() VLANSet { return allVLANs }

// VLANs returns a set holding ids.
func VLANs(ids ...int) VLANSet {
	var s VLANSet
	for _, id := range ids {
		s.Add(id)
	}
	return s
}

// Add puts id in the set; ids outside 0..4095 are ignored.
func (s *VLANSet) Add(id int) {
	if id < 0 || id > 4095 {
		return
	}
	s.w[id>>6] |= 1 << (uint(id) & 63)
}

// AddRange adds lo..hi inclusive (clipped to 0..4095), a word at a time.
func (s *VLANSet) AddRange(lo, hi int) {
	lo, hi = max(lo, 0), min(hi, 4095)
	for id := lo; id <= hi; {
		w, b := id>>6, uint(id)&63
		n := min(64-int(b), hi-id+1) // bits to set in this word
		mask := ^uint64(0)
		if n < 64 {
			mask = (1<<uint(n) - 1) << b
		}
		s.w[w] |= mask
		id += n
	}
}

// Remove takes id out of the set.
func (s *VLANSet) Remove(id int) {
	if id < 0 || id > 4095 {
		return
	}
	s.w[id>>6] &^= 1 << (uint(id) & 63)
}

// Has reports whether id is in the set.
func (s VLANSet) Has(id int) bool {
	if id < 0 || id > 4095 {
		return false
	}
	return s.w[id>>6]&(1<<(uint(id)&63)) != 0
}

// Len is the number of VLANs in the set.
func (s VLANSet) Len() int {
	n := 0
	for _, w := range s.w {
		n += bits.OnesCount64(w)
	}
	return n
}

// IsEmpty reports whether the set holds no VLAN.
func (s VLANSet) IsEmpty() bool { return s == VLANSet{} }

// Union returns s ∪ o.
func (s VLANSet) Union(o VLANSet) VLANSet {
	for i := range s.w {
		s.w[i] |= o.w[i]
	}
	return s
}

// Intersect returns s ∩ o.
func (s VLANSet) Intersect(o VLANSet) VLANSet {
	for i := range s.w {
		s.w[i] &= o.w[i]
	}
	return s
}

// Minus returns s \ o.
func (s VLANSet) Minus(o VLANSet) VLANSet {
	for i := range s.w {
		s.w[i] &^= o.w[i]
	}
	return s
}

// IDs lists the members in ascending order.
func (s VLANSet) IDs() []int {
	out := make([]int, 0, s.Len())
	for i, w := range s.w {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			out = append(out, i*64+b)
			w &^= 1 << uint(b)
		}
	}
	return out
}

// String prints the set the way switches do: "1-10,20,4094"; "none" when empty.
func (s VLANSet) String() string {
	ids := s.IDs()
	if len(ids) == 0 {
		return "none"
	}
	var b strings.Builder
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(ids[i]))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(ids[j]))
		}
		i = j + 1
	}
	return b.String()
}

// MarshalText encodes the set as its String form.
func (s VLANSet) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a set written by MarshalText or by a switch.
func (s *VLANSet) UnmarshalText(b []byte) error {
	v, err := ParseVLANSet(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseVLANSet reads a VLAN list as switches print and accept it: "1-10,20",
// "1-10, 20" (spaces after commas), "none", "ALL" (1-4094), "1-4094", and
// lists wrapped onto continuation lines after a comma. Numbers separated by
// blanks without a comma are an error, not one number. The "add"/"remove"/
// "except" forms are read by ApplyVLANCommand.
func ParseVLANSet(text string) (VLANSet, error) {
	var s VLANSet
	t := strings.TrimSpace(text)
	switch strings.ToLower(t) {
	case "", "none":
		return s, nil
	case "all":
		return AllVLANs(), nil
	}
	for _, part := range strings.Split(t, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue // trailing comma before a wrapped line
		}
		if strings.ContainsAny(part, " \t\r\n") {
			return VLANSet{}, fmt.Errorf("vlan list %q: %q lacks a comma between VLANs", text, part)
		}
		lo, hi, ok := strings.Cut(part, "-")
		a, err := parseVLANID(lo)
		if err != nil {
			return VLANSet{}, fmt.Errorf("vlan list %q: %w", text, err)
		}
		b := a
		if ok {
			if b, err = parseVLANID(hi); err != nil {
				return VLANSet{}, fmt.Errorf("vlan list %q: %w", text, err)
			}
			if b < a {
				return VLANSet{}, fmt.Errorf("vlan list %q: range %d-%d is backwards", text, a, b)
			}
		}
		s.AddRange(a, b)
	}
	return s, nil
}

func parseVLANID(s string) (int, error) {
	if s == "" || len(s) > 4 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a VLAN number", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a VLAN number", s)
	}
	if n > 4095 {
		return 0, fmt.Errorf("VLAN %d out of range 0-4095", n)
	}
	return n, nil
}

// ApplyVLANCommand applies the argument of an IOS/NX-OS
// "switchport trunk allowed vlan ..." line to cur: a plain list replaces it,
// "add L" and "remove L" edit it, "except L" is everything but L, "all" and
// "none" are what they say. On error cur is returned unchanged.
func ApplyVLANCommand(cur VLANSet, arg string) (VLANSet, error) {
	f := strings.Fields(arg)
	if len(f) == 0 {
		return cur, fmt.Errorf("empty vlan list")
	}
	op := strings.ToLower(f[0])
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(arg), f[0]))
	switch op {
	case "add", "remove", "except":
		if rest == "" {
			return cur, fmt.Errorf("%q without a vlan list", op)
		}
		v, err := ParseVLANSet(rest)
		if err != nil {
			return cur, err
		}
		switch op {
		case "add":
			return cur.Union(v), nil
		case "remove":
			return cur.Minus(v), nil
		}
		return AllVLANs().Minus(v), nil
	}
	v, err := ParseVLANSet(arg)
	if err != nil {
		return cur, err
	}
	return v, nil
}
