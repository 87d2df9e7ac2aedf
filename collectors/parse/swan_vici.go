package parse

import "strings"

// The --raw form of swanctl's list commands prints each vici message on one
// line:
//
//	list-sa event {site {uniqueid=1 version=2 state=ESTABLISHED ... child-sas {net-1 {name=net ... local-ts=[10.1.0.0/24] remote-ts=[10.2.0.1/32[tcp/https]]}}}}
//	list-sas reply {}
//
// Sections are "name {...}", lists "key=[a b]" (items may hold brackets),
// values are printed as they are, so one may hold blanks ("class=pre-shared
// key", an X.509 subject as an ID): a value runs until a blank followed by
// what can only start the next entry (a lower-case key and "=", a name and
// "{", or "}").

// swanVici is one section of a vici message.
type swanVici struct {
	name  string
	kv    map[string]string
	lists map[string][]string
	subs  []*swanVici
	line  int
}

func (v *swanVici) get(k string) string { return v.kv[k] }

func (v *swanVici) sub(name string) *swanVici {
	for _, s := range v.subs {
		if s.name == name {
			return s
		}
	}
	return nil
}

// swanViciLine is one message: its kind ("list-sa event", "list-sas reply")
// and its top-level section.
type swanViciLine struct {
	kind string
	root *swanVici
}

// swanViciKey reports whether w can be a vici key: lower-case letters,
// digits, '-', '_', '.'.
func swanViciKey(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// swanParseViciLine reads one raw line; ok is false when it is not one.
func swanParseViciLine(l string, n int) (swanViciLine, bool) {
	var out swanViciLine
	i := strings.Index(l, " {")
	if i <= 0 || !strings.HasSuffix(l, "}") {
		return out, false
	}
	out.kind = l[:i]
	newSec := func(name string) *swanVici {
		return &swanVici{name: name, kv: map[string]string{}, lists: map[string][]string{}, line: n}
	}
	root := newSec("")
	stack := []*swanVici{root}
	s := l[i+2:] // after the message's opening brace
	p := 0
	for p < len(s) {
		c := s[p]
		switch {
		case c == ' ':
			p++
			continue
		case c == '}':
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			p++
			continue
		}
		cur := stack[len(stack)-1]
		// a name: up to '=', ' {' or '{'
		j := p
		for j < len(s) && s[j] != '=' && s[j] != '{' && s[j] != '}' && !(s[j] == ' ' && j+1 < len(s) && s[j+1] == '{') {
			j++
		}
		name := strings.TrimSpace(s[p:j])
		switch {
		case j < len(s) && s[j] == '=':
			p = j + 1
			if p < len(s) && s[p] == '[' { // list; items may hold brackets: [10.1.0.0/24[tcp]]
				depth, end := 0, -1
				for q := p; q < len(s) && end < 0; q++ {
					switch s[q] {
					case '[':
						depth++
					case ']':
						if depth--; depth == 0 {
							end = q
						}
					}
				}
				if end < 0 {
					return out, false
				}
				cur.lists[name] = strings.Fields(s[p+1 : end])
				p = end + 1
				continue
			}
			e := swanViciValueEnd(s, p)
			cur.kv[name] = s[p:e]
			p = e
		case j < len(s) && (s[j] == '{' || s[j] == ' '):
			for j < len(s) && s[j] != '{' {
				j++
			}
			sec := newSec(name)
			cur.subs = append(cur.subs, sec)
			stack = append(stack, sec)
			p = j + 1
		default:
			return out, false
		}
	}
	out.root = root
	return out, true
}

// swanViciValueEnd finds where a value that starts at p ends: at a '}' or at
// a blank followed by the start of the next entry (a lower-case key and
// '=', a name and " {", or '}').
func swanViciValueEnd(s string, p int) int {
	for q := p; q < len(s); q++ {
		switch s[q] {
		case '}':
			return q
		case ' ':
			r := q + 1
			if r < len(s) && s[r] == '}' {
				return q
			}
			k := r
			for k < len(s) && s[k] != ' ' && s[k] != '=' && s[k] != '{' && s[k] != '}' {
				k++
			}
			if k < len(s) && s[k] == '=' && swanViciKey(s[r:k]) {
				return q
			}
			if k < len(s) && (s[k] == '{' || s[k] == ' ' && k+1 < len(s) && s[k+1] == '{') && k > r {
				return q
			}
		}
	}
	return len(s)
}

// swanViciMessages reads every raw line of the input. bad counts lines that
// were neither blank nor a message (with the first such line).
func swanViciMessages(lines []string) (msgs []swanViciLine, badLine int) {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		m, ok := swanParseViciLine(t, i+1)
		if !ok {
			if badLine == 0 {
				badLine = i + 1
			}
			continue
		}
		msgs = append(msgs, m)
	}
	return msgs, badLine
}

// swanIsRaw reports whether the output is swanctl's --raw form.
func swanIsRaw(lines []string, kinds ...string) bool {
	first, _ := FirstNonBlank(lines)
	for _, k := range kinds {
		if strings.HasPrefix(first, k+" {") {
			return true
		}
	}
	return false
}
