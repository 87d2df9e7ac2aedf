package parse

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// junosScanRouteJSON reads `show route | display json` line by line, the way
// Junos prints it: one key per line, leaves as [{"data" : "value"}] spread
// over lines. It avoids encoding/json, which reads every value twice and
// allocates per field — too slow for full tables (a million routes is 3 GB
// of this text). ok is false when the text is not laid out that way (then
// the caller decodes it as plain JSON).
func junosScanRouteJSON(lines []string, first int) (routes []netmodel.Route, err error, ok bool) {
	type frame struct {
		name string // key of an array/object, "" for an anonymous element
		line int
	}
	var (
		stack  []frame
		errs   junosErrs
		protos = map[string]string{}
		table  string
		tStart int // index in routes where the table's routes start
		// current rt, entry and next hop
		dest, plen             string
		rtStart, rtFirst       int // line of the rt, index of its first route
		entry                  netmodel.Route
		tag                    string
		entryStart             int // index in routes of the entry's first route
		nhTo, nhVia, nhLocal   string
		nhSel                  bool
		firstNH                *[3]string
		anyNH, selectedInEntry bool
		pfx                    netip.Prefix
		pfxOK                  bool
	)
	parent := func() string { // nearest named frame
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].name != "" {
				return stack[i].name
			}
		}
		return ""
	}
	for i := first; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		ln := i + 1
		switch t[0] {
		case '{', '[':
			if len(t) > 1 && t != "{" && t != "[" {
				return nil, nil, false // not the one-token-per-line layout
			}
			owner := parent()
			if t == "{" && len(stack) > 0 && stack[len(stack)-1].name == "" {
				// an element of an anonymous array: not Junos's layout
				owner = ""
			}
			stack = append(stack, frame{"", ln})
			if t == "{" {
				switch owner {
				case "rt":
					dest, plen, rtStart, pfxOK, rtFirst = "", "", ln, false, len(routes)
				case "rt-entry":
					entry, tag = netmodel.Route{}, ""
					entryStart, anyNH, selectedInEntry, firstNH = len(routes), false, false, nil
				case "nh":
					nhTo, nhVia, nhLocal, nhSel = "", "", "", false
				}
			}
			continue
		case '}', ']':
			if len(stack) == 0 {
				return nil, nil, false
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.name != "" || t[0] != '}' {
				continue
			}
			switch parent() {
			case "nh":
				anyNH = true
				if firstNH == nil {
					firstNH = &[3]string{nhTo, nhVia, nhLocal}
				}
				if nhSel && pfxOK {
					selectedInEntry = true
					r := entry
					r.NextHop, r.Interface = junosJNH(nhTo), orStrP(nhVia, nhLocal)
					routes = append(routes, r)
				}
			case "rt-entry":
				if pfxOK && !selectedInEntry {
					r := entry
					if anyNH && firstNH != nil {
						r.NextHop, r.Interface = junosJNH(firstNH[0]), orStrP(firstNH[1], firstNH[2])
					}
					routes = append(routes, r)
				}
				for k := entryStart; k < len(routes); k++ {
					routes[k].Active = tag == "*" || tag == "+"
				}
			case "rt":
				for k := rtFirst; k < len(routes); k++ {
					routes[k].Src.End = ln
				}
			case "route-table":
				vrf, keep := junosRouteVRF(table)
				if !keep {
					routes = routes[:tStart]
				} else {
					for k := tStart; k < len(routes); k++ {
						routes[k].VRF = vrf
					}
				}
				tStart = len(routes)
			}
			continue
		case '"':
		default:
			return nil, nil, false
		}
		// "key" : value
		end := strings.IndexByte(t[1:], '"')
		if end < 0 {
			return nil, nil, false
		}
		key := t[1 : end+1]
		rest := strings.TrimSpace(t[end+2:])
		if !strings.HasPrefix(rest, ":") {
			return nil, nil, false
		}
		rest = strings.TrimSpace(rest[1:])
		switch {
		case rest == "[" || rest == "{":
			stack = append(stack, frame{key, ln})
			if key == "selected-next-hop" {
				nhSel = true
			}
			continue
		case key == "selected-next-hop":
			nhSel = true
			continue
		case key != "data":
			continue // a one-line value (attributes, ...)
		}
		val := strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(rest, ",")), ",")
		if len(val) < 2 || val[0] != '"' {
			continue // [null]
		}
		val = val[1 : len(val)-1]
		switch parent() {
		case "table-name":
			table = val
		case "total-route-count":
			if n, err := strconv.Atoi(val); err == nil && cap(routes) == 0 && n > 0 && n < 1<<24 {
				routes = make([]netmodel.Route, 0, n)
			}
		case "rt-destination":
			dest = val
		case "rt-prefix-length":
			plen = val
		case "active-tag":
			tag = val
		case "protocol-name":
			lc, ok := protos[val]
			if !ok {
				lc = strings.ToLower(val)
				protos[val] = lc
			}
			entry.Protocol = lc
			d := dest
			if !strings.Contains(d, "/") && plen != "" {
				d += "/" + plen
			}
			p, err := netip.ParsePrefix(d)
			pfx, pfxOK = p, err == nil
			if err != nil && (strings.Contains(d, ".") || strings.Contains(d, ":")) {
				errs.addf(rtStart, "destination %q is not a prefix", d)
			}
			entry.Prefix, entry.Src = pfx, netmodel.Lines(rtStart, rtStart)
		case "preference":
			entry.Distance, _ = strconv.Atoi(val)
		case "metric":
			entry.Metric, _ = strconv.Atoi(val)
		case "to":
			nhTo = val
		case "via":
			nhVia = val
		case "nh-local-interface":
			nhLocal = val
		}
	}
	if len(stack) != 0 {
		errs.addf(len(lines), "JSON ends inside %d open brackets: output truncated?", len(stack))
	}
	if len(routes) == 0 && table == "" {
		return nil, nil, false
	}
	return routes, errs.err(), true
}

func orStrP(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
