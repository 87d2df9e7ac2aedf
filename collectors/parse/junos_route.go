package parse

// "show route" and "show route | display json" (Junos). The input is
// sniffed: JSON starts with "{".
//
// The text form, per table:
//
//	inet.0: 929 destinations, 1615 routes (929 active, 0 holddown, 0 hidden)
//	+ = Active Route, - = Last Active, * = Both
//
//	10.1.0.0/24         *[Direct/0] 29w6d 21:35:55
//	                    >  via fxp0.0
//	                    [OSPF/150/10] 3w3d 03:12:45, metric 20, tag 0
//	                    >  to 10.169.14.121 via ge-0/0/1.0
//	10.1.0.101/32       *[Local/0] 29w6d 21:35:55
//	                       Local via fxp0.0
//	10.220.0.0/16      *[BGP/170] 3w3d 03:12:24, MED 12003, localpref 120, from 10.169.14.240
//	                    AS path: (65151 65000) I, validation-state: unverified
//	                    >  to 10.169.14.121 via ge-0/0/1.0
//
// A prefix line starts a destination and its first route entry
// ("*[protocol/preference] age, metric N"); further entries of the same
// destination start with "[" on an indented line. "*" (or "+") marks the
// active entry, ">" the next hop in use. A prefix too long for its column
// stands alone on its line, its first entry on the next.
//
// Each entry becomes one Route per selected next hop (the first next hop
// when none is selected). Tables inet.0 and inet6.0 are the default VRF,
// NAME.inet.0 and NAME.inet6.0 routing instance NAME; other tables (inet.3,
// mpls.0, ...) are skipped. Protocol names are lower-cased as printed
// (direct, local, static, ospf, bgp, access-internal, ...).
//
// The parser is written for tables of a million routes: no regular
// expressions and no allocation per line beyond the routes themselves.

import (
	"encoding/json"
	"errors"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ---- detection ----

// junosRouteTableHeader returns the table name of
// "inet.0: 929 destinations, 1615 routes (929 active, 0 holddown, 0 hidden)".
func junosRouteTableHeader(l string) (name string, routes int, ok bool) {
	i := strings.Index(l, ": ")
	if i <= 0 || l[0] == ' ' {
		return "", 0, false
	}
	rest := l[i+2:]
	j := strings.Index(rest, " destinations, ")
	if j <= 0 || !junosDigits(rest[:j]) {
		return "", 0, false
	}
	rest = rest[j+len(" destinations, "):]
	k := strings.Index(rest, " routes")
	if k <= 0 || !junosDigits(rest[:k]) {
		return "", 0, false
	}
	n, _ := strconv.Atoi(rest[:k])
	return l[:i], n, true
}

func junosDetectRoute(lines []string) bool {
	first := junosFirstLines(lines, 8)
	if len(first) > 0 && strings.HasPrefix(first[0], "{") {
		for _, t := range first {
			if strings.Contains(t, `"route-information"`) {
				return true
			}
		}
		return false
	}
	for _, t := range first {
		if _, _, ok := junosRouteTableHeader(t); ok {
			return true
		}
	}
	return false
}

// junosRouteVRF maps a table name to a VRF; keep is false for tables that
// hold no IP forwarding routes.
func junosRouteVRF(table string) (vrf string, keep bool) {
	switch table {
	case "inet.0", "inet6.0":
		return "", true
	}
	if strings.HasPrefix(table, "__") {
		return "", false
	}
	if v, ok := strings.CutSuffix(table, ".inet.0"); ok && v != "" {
		return v, true
	}
	if v, ok := strings.CutSuffix(table, ".inet6.0"); ok && v != "" {
		return v, true
	}
	return "", false
}

// ---- text ----

type junosNH struct {
	addr     netip.Addr
	iface    string
	selected bool
}

type junosRouteParser struct {
	routes []netmodel.Route
	errs   junosErrs
	protos map[string]string // printed → lower-cased, so each name is allocated once

	vrf    string
	keep   bool
	prefix netip.Prefix

	inEntry bool
	entry   netmodel.Route // protocol, distance, metric, active, Src
	nhs     []junosNH
}

func junosParseRoute(r io.Reader) ([]netmodel.Route, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, err
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if junosSkip(t) {
			continue
		}
		if t[0] == '{' {
			if routes, err, ok := junosScanRouteJSON(lines, i); ok {
				return routes, err
			}
			return junosParseRouteJSON(lines, i)
		}
		break
	}
	p := &junosRouteParser{protos: map[string]string{}, nhs: make([]junosNH, 0, 8)}
	return p.run(lines)
}

func (p *junosRouteParser) run(lines []string) ([]netmodel.Route, error) {
	seen := false
	for i, l := range lines {
		ln := i + 1
		if len(l) == 0 {
			continue
		}
		if l[0] != ' ' && l[0] != '\t' {
			if name, n, ok := junosRouteTableHeader(l); ok {
				p.flush()
				p.prefix = netip.Prefix{}
				p.vrf, p.keep = junosRouteVRF(name)
				seen = true
				if p.keep {
					p.routes = slices.Grow(p.routes, n)
				}
				continue
			}
			if !p.keep {
				if !seen {
					p.top(l, ln)
				}
				continue
			}
			p.prefixLine(l, ln)
			continue
		}
		if !p.keep {
			continue
		}
		p.indented(l, ln)
	}
	if p.inEntry && len(p.nhs) == 0 {
		p.errs.addf(p.entry.Src.Start, "route %s has no next hop: output truncated?", p.prefix)
	}
	p.flush()
	if !seen && p.errs.first == nil {
		p.errs.addf(0, "no routing table found")
	}
	return p.routes, p.errs.err()
}

// top reads a non-indented line before the first table: a refusal is
// reported; anything else (an echo, a banner) is passed over, and input
// without any table is reported at the end.
func (p *junosRouteParser) top(l string, ln int) {
	if e := junosDeviceError(strings.TrimSpace(l)); e != "" {
		p.errs.addf(ln, "the device refused the command: %s", e)
	}
}

// prefixLine reads "10.1.0.0/24         *[Direct/0] 29w6d 21:35:55", a
// prefix alone, the legend, or a refusal.
func (p *junosRouteParser) prefixLine(l string, ln int) {
	end := strings.IndexByte(l, ' ')
	if end < 0 {
		end = len(l)
	}
	word := l[:end]
	pfx, err := netip.ParsePrefix(word)
	if err != nil {
		if a, aerr := netip.ParseAddr(word); aerr == nil {
			pfx, err = netip.PrefixFrom(a, a.BitLen()), nil
		}
	}
	if err != nil {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "+ = Active Route") || junosSkip(t) {
			return
		}
		if e := junosDeviceError(t); e != "" {
			p.flush()
			p.errs.addf(ln, "the device refused the command: %s", e)
			return
		}
		p.errs.addf(ln, "not a route: %q", t)
		return
	}
	p.flush()
	p.prefix = pfx
	rest := strings.TrimSpace(l[end:])
	if rest == "" {
		return // the entry follows on the next line
	}
	p.entryLine(rest, ln)
}

// indented reads an indented line: another entry of the destination, a
// next hop, or an attribute line of the entry (AS path, ...).
func (p *junosRouteParser) indented(l string, ln int) {
	t := junosTrimLeft(l)
	if t == "" {
		return
	}
	switch t[0] {
	case '[', '*', '+', '-':
		if t[0] == '[' || (len(t) > 1 && t[1] == '[') {
			if !p.prefix.IsValid() {
				p.errs.addf(ln, "route entry without a destination: %q", strings.TrimSpace(t))
				return
			}
			p.flush()
			p.entryLine(strings.TrimRight(t, " \t"), ln)
			return
		}
	}
	if !p.inEntry {
		if !p.prefix.IsValid() {
			if e := junosDeviceError(strings.TrimSpace(t)); e != "" {
				p.errs.addf(ln, "the device refused the command: %s", e)
			}
		}
		return
	}
	p.entry.Src.End = ln
	sel := false
	if t[0] == '>' {
		sel = true
		t = junosTrimLeft(t[1:])
	}
	var nh junosNH
	nh.selected = sel
	switch {
	case strings.HasPrefix(t, "to "):
		rest := t[3:]
		if strings.HasPrefix(rest, "table ") {
			break // "to table X": a lookup in another table
		}
		sp := strings.IndexByte(rest, ' ')
		addr := rest
		if sp >= 0 {
			addr = rest[:sp]
		}
		if c := strings.IndexByte(addr, ','); c >= 0 {
			addr = addr[:c]
		}
		a, err := netip.ParseAddr(addr)
		if err != nil {
			p.errs.addf(ln, "next hop %q is not an address", addr)
			return
		}
		nh.addr = a
		if sp >= 0 {
			nh.iface = junosViaIf(rest[sp:])
		}
	case strings.HasPrefix(t, "via "):
		nh.iface = junosViaIf(t)
	case strings.HasPrefix(t, "Local via "):
		nh.iface = junosViaIf(t[len("Local"):])
	case t == "Discard" || t == "Reject" || t == "Receive" || t == "MultiRecv" ||
		strings.HasPrefix(t, "Discard") || strings.HasPrefix(t, "Reject"):
	default:
		if sel {
			p.errs.addf(ln, "selected next hop not understood: %q", strings.TrimSpace(t))
		}
		return // an attribute line (AS path, ...)
	}
	p.nhs = append(p.nhs, nh)
}

// junosViaIf reads the interface of " via ge-0/0/1.0, Push 118420".
func junosViaIf(s string) string {
	i := strings.Index(s, "via ")
	if i < 0 {
		return ""
	}
	s = s[i+4:]
	for j := 0; j < len(s); j++ {
		if s[j] == ' ' || s[j] == ',' || s[j] == '\t' {
			return s[:j]
		}
	}
	return s
}

// entryLine reads "*[OSPF/10/10] 1w0d 15:44:41, metric 1202".
func (p *junosRouteParser) entryLine(t string, ln int) {
	active := false
	switch t[0] {
	case '*', '+':
		active = true
		t = t[1:]
	case '-':
		t = t[1:]
	}
	if len(t) == 0 || t[0] != '[' {
		p.errs.addf(ln, "route entry not understood: %q", t)
		return
	}
	end := strings.IndexByte(t, ']')
	if end < 0 {
		p.errs.addf(ln, "route entry not understood (output truncated?): %q", t)
		return
	}
	inner := t[1:end]
	slash := strings.IndexByte(inner, '/')
	proto, pref := inner, ""
	if slash >= 0 {
		proto, pref = inner[:slash], inner[slash+1:]
		if s2 := strings.IndexByte(pref, '/'); s2 >= 0 {
			pref = pref[:s2]
		}
	}
	dist, err := strconv.Atoi(pref)
	if slash < 0 || err != nil || proto == "" {
		p.errs.addf(ln, "route entry %q has no protocol/preference", inner)
		return
	}
	metric := 0
	if m := strings.Index(t[end:], ", metric "); m >= 0 {
		s := t[end+m+len(", metric "):]
		k := 0
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		metric, _ = strconv.Atoi(s[:k])
	}
	lc, ok := p.protos[proto]
	if !ok {
		lc = strings.ToLower(proto)
		p.protos[proto] = lc
	}
	p.inEntry = true
	p.entry = netmodel.Route{VRF: p.vrf, Prefix: p.prefix, Protocol: lc, Distance: dist, Metric: metric,
		Active: active, Src: netmodel.Source{Start: ln, End: ln}}
	p.nhs = p.nhs[:0]
}

// flush emits the entry being read.
func (p *junosRouteParser) flush() {
	if !p.inEntry {
		return
	}
	p.inEntry = false
	emitted := false
	for i := range p.nhs {
		if p.nhs[i].selected {
			p.emit(&p.nhs[i])
			emitted = true
		}
	}
	if emitted {
		return
	}
	if len(p.nhs) > 0 {
		p.emit(&p.nhs[0])
		return
	}
	p.emit(nil)
}

// emit appends the entry with a next hop, filling it in place (a Route is
// large: copying it once less per route shows on a million of them).
func (p *junosRouteParser) emit(nh *junosNH) {
	p.routes = append(p.routes, p.entry)
	if nh != nil {
		r := &p.routes[len(p.routes)-1]
		r.NextHop, r.Interface = nh.addr, nh.iface
	}
}

// junosTrimLeft drops leading blanks without the cutset machinery of
// strings.TrimLeft.
func junosTrimLeft(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return s[i:]
}

// ---- JSON ----

// junosJStr is a Junos JSON leaf: [{"data": "value"}].
type junosJStr []struct {
	Data string `json:"data"`
}

func (s junosJStr) get() string {
	if len(s) == 0 {
		return ""
	}
	return s[0].Data
}

type junosJRt struct {
	Dest   junosJStr `json:"rt-destination"`
	Len    junosJStr `json:"rt-prefix-length"`
	Entrys []struct {
		ActiveTag junosJStr `json:"active-tag"`
		Proto     junosJStr `json:"protocol-name"`
		Pref      junosJStr `json:"preference"`
		Metric    junosJStr `json:"metric"`
		NH        []struct {
			Selected []json.RawMessage `json:"selected-next-hop"`
			To       junosJStr         `json:"to"`
			Via      junosJStr         `json:"via"`
			LocalIf  junosJStr         `json:"nh-local-interface"`
		} `json:"nh"`
	} `json:"rt-entry"`
}

// junosJSONRoutes walks {"route-information": [{"route-table": [{"table-name":
// ..., "rt": [...]}]}]} with a streaming decoder, one rt at a time.
type junosJSONRoutes struct {
	dec    *json.Decoder
	cur    junosLineCursor
	routes []netmodel.Route
	errs   junosErrs
	protos map[string]string
}

// junosParseRouteJSON decodes the JSON starting at lines[first] (what
// precedes it, a cluster or status line, is not JSON).
func junosParseRouteJSON(lines []string, first int) ([]netmodel.Route, error) {
	j := &junosJSONRoutes{
		dec:    json.NewDecoder(&junosReader{lines: lines, i: first}),
		cur:    junosLineCursor{lines: lines, i: first},
		protos: map[string]string{},
	}
	err := j.top()
	if err != nil {
		line := j.cur.line(int(j.dec.InputOffset()))
		var se *json.SyntaxError
		if errors.As(err, &se) {
			c := junosLineCursor{lines: lines, i: first}
			line = c.line(int(se.Offset))
		}
		msg := err.Error()
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			msg = "JSON ends early: output truncated?"
			line = len(lines)
		}
		j.errs.addf(line, "%s", msg)
	}
	return j.routes, j.errs.err()
}

func (j *junosJSONRoutes) delim(want json.Delim) error {
	tok, err := j.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return errorf(j.cur.line(int(j.dec.InputOffset())), "JSON: expected %q, found %v", want, tok)
	}
	return nil
}

// object calls f for each key of an object (the "{" already read is not
// expected: object reads it).
func (j *junosJSONRoutes) object(f func(key string) error) error {
	if err := j.delim('{'); err != nil {
		return err
	}
	for j.dec.More() {
		tok, err := j.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if err := f(key); err != nil {
			return err
		}
	}
	return j.delim('}')
}

// array calls f for each element of an array.
func (j *junosJSONRoutes) array(f func() error) error {
	if err := j.delim('['); err != nil {
		return err
	}
	for j.dec.More() {
		if err := f(); err != nil {
			return err
		}
	}
	return j.delim(']')
}

func (j *junosJSONRoutes) skip() error {
	var raw json.RawMessage
	return j.dec.Decode(&raw)
}

func (j *junosJSONRoutes) top() error {
	found := false
	err := j.object(func(key string) error {
		if key != "route-information" {
			return j.skip()
		}
		found = true
		return j.array(func() error {
			return j.object(func(key string) error {
				if key != "route-table" {
					return j.skip()
				}
				return j.array(j.table)
			})
		})
	})
	if err == nil && !found {
		return errorf(0, "JSON holds no route-information")
	}
	return err
}

func (j *junosJSONRoutes) table() error {
	start := len(j.routes)
	name := ""
	err := j.object(func(key string) error {
		switch key {
		case "table-name":
			var s junosJStr
			if err := j.dec.Decode(&s); err != nil {
				return err
			}
			name = s.get()
			return nil
		case "rt":
			return j.array(func() error {
				from := j.cur.next(int(j.dec.InputOffset()))
				var rt junosJRt
				if err := j.dec.Decode(&rt); err != nil {
					return err
				}
				to := j.cur.line(int(j.dec.InputOffset()) - 1)
				j.rt(&rt, netmodel.Lines(from, to))
				return nil
			})
		}
		return j.skip()
	})
	if err != nil {
		return err
	}
	vrf, keep := junosRouteVRF(name)
	if !keep {
		j.routes = j.routes[:start]
		return nil
	}
	for i := start; i < len(j.routes); i++ {
		j.routes[i].VRF = vrf
	}
	return nil
}

func (j *junosJSONRoutes) rt(rt *junosJRt, src netmodel.Source) {
	dest := rt.Dest.get()
	if !strings.Contains(dest, "/") && rt.Len.get() != "" {
		dest += "/" + rt.Len.get()
	}
	pfx, err := netip.ParsePrefix(dest)
	if err != nil {
		if strings.Contains(dest, ".") || strings.Contains(dest, ":") {
			j.errs.addf(src.Start, "destination %q is not a prefix", dest)
		}
		return // not an IP table (mpls.0 labels, ...)
	}
	for _, e := range rt.Entrys {
		proto := e.Proto.get()
		lc, ok := j.protos[proto]
		if !ok {
			lc = strings.ToLower(proto)
			j.protos[proto] = lc
		}
		dist, _ := strconv.Atoi(e.Pref.get())
		metric, _ := strconv.Atoi(e.Metric.get())
		tag := e.ActiveTag.get()
		base := netmodel.Route{Prefix: pfx, Protocol: lc, Distance: dist, Metric: metric,
			Active: tag == "*" || tag == "+", Src: src}
		emitted := false
		for _, nh := range e.NH {
			if len(nh.Selected) == 0 {
				continue
			}
			r := base
			r.NextHop, r.Interface = junosJNH(nh.To.get()), nh.Via.get()
			if r.Interface == "" {
				r.Interface = nh.LocalIf.get()
			}
			j.routes = append(j.routes, r)
			emitted = true
		}
		if emitted {
			continue
		}
		r := base
		if len(e.NH) > 0 {
			nh := e.NH[0]
			r.NextHop, r.Interface = junosJNH(nh.To.get()), nh.Via.get()
			if r.Interface == "" {
				r.Interface = nh.LocalIf.get()
			}
		}
		j.routes = append(j.routes, r)
	}
}

func junosJNH(s string) netip.Addr {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a
}

func junosMergeRoutes(d *netmodel.Device, file, _ string, routes []netmodel.Route) {
	for i := range routes {
		routes[i].Src.File = file
	}
	if len(d.Routes) == 0 {
		d.Routes = routes
		return
	}
	d.Routes = append(d.Routes, routes...)
}
