package parse

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ESXi parsers. esxcli commands are collected with --formatter=xml, but
// people paste the plain text form, so every esxcli parser reads both: the
// input is sniffed and turned into records (one per vSwitch, port group,
// NIC or policy) keyed by normalised field names, which are the same for
// both forms ("Active Clients" in text, ActiveClients in XML). The model is
// then built from the records by one converter per output, so the text and
// XML forms cannot drift apart. esxcfg-* commands have no XML form.

// esxcliPrefix matches "esxcli" and the global options people put before
// the namespace (--formatter=xml, --formatter xml, --debug, ...).
const esxcliPrefix = `^esxcli(?:\s+--formatter\s+\w+|\s+--[\w-]+(?:=\S+)?)*\s+`

// argRE captures one command argument: quoted (with spaces) or a bare word.
const argRE = `("[^"]*"|'[^']*'|\S+)`

func init() {
	register(Entry{
		Platform:   netmodel.ESXi,
		Capability: CapEsxcfgVSwitch,
		Command:    "esxcfg-vswitch -l",
		CommandRE:  regexp.MustCompile(`^(?:/usr/sbin/)?esxcfg-vswitch\s+(?:-l|--list)\s*$`),
		Detect:     detectEsxcfgVSwitch,
		Order:      10,
	}, parseEsxcfgVSwitch, mergeEsxcfgVSwitch)
	register(Entry{
		Platform:   netmodel.ESXi,
		Capability: CapEsxcfgNICs,
		Command:    "esxcfg-nics -l",
		CommandRE:  regexp.MustCompile(`^(?:/usr/sbin/)?esxcfg-nics\s+(?:-l|--list)\s*$`),
		Detect:     detectEsxcfgNICs,
		Order:      10,
	}, parseEsxcfgNICs, mergeNICs)
	register(Entry{
		Platform:   netmodel.ESXi,
		Capability: CapVSwitchList,
		Command:    "esxcli --formatter=xml network vswitch standard list",
		CommandRE:  regexp.MustCompile(esxcliPrefix + `network\s+vswitch\s+standard\s+list(?:\s.*)?$`),
		Detect:     detectVSwitchList,
		Order:      20,
	}, parseVSwitchList, mergeVSwitches)
	register(Entry{
		Platform:   netmodel.ESXi,
		Capability: CapDVSList,
		Command:    "esxcli --formatter=xml network vswitch dvs vmware list",
		CommandRE:  regexp.MustCompile(esxcliPrefix + `network\s+vswitch\s+dvs\s+vmware\s+list(?:\s.*)?$`),
		Detect:     detectDVSList,
		Order:      20,
	}, parseDVSList, mergeVSwitches)
	register(Entry{
		Platform:   netmodel.ESXi,
		Capability: CapNICList,
		Command:    "esxcli --formatter=xml network nic list",
		CommandRE:  regexp.MustCompile(esxcliPrefix + `network\s+nic\s+list\s*$`),
		Detect:     detectNICList,
		Order:      20,
	}, parseNICList, mergeNICs)
	register(Entry{
		Platform:   netmodel.ESXi,
		Capability: CapPortGroupList,
		Command:    "esxcli --formatter=xml network vswitch standard portgroup list",
		CommandRE:  regexp.MustCompile(esxcliPrefix + `network\s+vswitch\s+standard\s+portgroup\s+list(?:\s.*)?$`),
		Detect:     detectPortGroupList,
		Order:      30,
	}, parsePortGroupList, mergePortGroups)
	register(Entry{
		Platform:   netmodel.ESXi,
		Capability: CapVSwitchFailover,
		Command:    "esxcli --formatter=xml network vswitch standard policy failover get -v {arg}",
		CommandRE: regexp.MustCompile(esxcliPrefix +
			`network\s+vswitch\s+standard\s+policy\s+failover\s+get\s+(?:-v|--vswitch-name)(?:=|\s+)` + argRE + `\s*$`),
		Detect:   detectVSwitchFailover,
		Order:    40,
		NeedsArg: true,
	}, parseVSwitchFailover, mergeVSwitchFailover)
	register(Entry{
		Platform:   netmodel.ESXi,
		Capability: CapPortGroupFailover,
		Command:    "esxcli --formatter=xml network vswitch standard portgroup policy failover get -p {arg}",
		CommandRE: regexp.MustCompile(esxcliPrefix +
			`network\s+vswitch\s+standard\s+portgroup\s+policy\s+failover\s+get\s+(?:-p|--portgroup-name)(?:=|\s+)` + argRE + `\s*$`),
		Detect:   detectPortGroupFailover,
		Order:    50,
		NeedsArg: true,
	}, parsePortGroupFailover, mergePortGroupFailover)
}

// ---------------------------------------------------------------------------
// Results of the parsers (what the merges put into the device).

// esxVSwitch is a vSwitch as one output describes it; the has* flags say
// which fields the output carries.
type esxVSwitch struct {
	Name       string
	Kind       netmodel.VSwitchKind
	Uplinks    []string
	MTU        int
	CDPStatus  string
	PortGroups []string
	Src        netmodel.Source

	hasUplinks, hasMTU, hasCDP, hasPortGroups bool
}

// esxPortGroup is a standard port group as one output describes it.
type esxPortGroup struct {
	Name      string
	VSwitch   string
	VLAN      int
	VLANKnown bool
	Clients   int // -1 when the output does not say
	Src       netmodel.Source
}

// esxNIC is a physical NIC as one output describes it.
type esxNIC struct {
	netmodel.NIC
	hasAdmin, hasLink, hasSpeed, hasMTU bool
}

// esxFailover is one failover policy (vSwitch or port group).
type esxFailover struct {
	Teaming netmodel.Teaming
	// OverrideUplinks and HasOverride: port groups only.
	OverrideUplinks bool
	HasOverride     bool
	read            bool // anything was read at all
}

// esxcfgVSwitch is what esxcfg-vswitch -l describes.
type esxcfgVSwitch struct {
	VSwitches  []esxVSwitch
	PortGroups []esxPortGroup
}

// ---------------------------------------------------------------------------
// Reading input.

// esxLines reads the whole input as lines, numbered like Clean numbers them.
// It fails on empty (all blank) input.
func esxLines(r io.Reader) ([]string, error) {
	lines, err := readLines(r)
	if err != nil {
		return nil, errorf(0, "reading output: %v", err)
	}
	blank := true
	copied := false
	for i, l := range lines {
		if strings.IndexByte(l, '\t') >= 0 {
			if !copied { // the slice may be the reader's own
				lines, copied = append([]string(nil), lines...), true
			}
			lines[i] = strings.ReplaceAll(l, "\t", "    ")
		}
		if strings.TrimSpace(l) != "" {
			blank = false
		}
	}
	if blank {
		return nil, errorf(0, "empty output")
	}
	return lines, nil
}

// errs keeps the first located error of a parse and goes on.
type errs struct{ first *Error }

func (e *errs) add(err *Error) {
	if err != nil && e.first == nil {
		e.first = err
	}
}

// addErr records any error, located or not (line 0).
func (e *errs) addErr(err error) {
	if err == nil {
		return
	}
	var pe *Error
	if !errors.As(err, &pe) {
		pe = errorf(0, "%v", err)
	}
	e.add(pe)
}

func (e *errs) err() error {
	if e.first == nil {
		return nil
	}
	return e.first
}

// normKey turns a field label or XML field name into a comparable key:
// lower case letters and digits only ("VLAN ID" and VLANID → "vlanid").
func normKey(s string) string {
	var buf [64]byte
	b := normKeyBytes(buf[:0], s)
	if k, ok := commonKeys[string(b)]; ok { // no allocation for the usual labels
		return k
	}
	return string(b)
}

// commonKeys are the normalised labels esxcli prints most, kept as
// constants so reading them allocates nothing.
var commonKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{
		"name", "class", "numports", "usedports", "configuredports", "mtu", "cdpstatus",
		"beaconenabled", "beaconinterval", "beaconthreshold", "beaconrequiredby", "uplinks", "portgroups",
		"loadbalancing", "networkfailuredetection", "notifyswitches", "failback", "activeadapters",
		"standbyadapters", "unusedadapters", "overridevswitchloadbalancing", "overridevswitchnetworkfailuredetection",
		"overridevswitchnotifyswitches", "overridevswitchfailback", "overridevswitchuplinks",
		"virtualswitch", "activeclients", "vlanid", "pcidevice", "driver", "adminstatus", "linkstatus",
		"speed", "duplex", "macaddress", "description", "vdsid", "beacontimeout", "vmwarebranded", "dvport",
	} {
		m[k] = k
	}
	return m
}()

// normKeyBytes appends the lower-cased letters and digits of s to b.
func normKeyBytes(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return b
}

// esxField is one field of a record.
type esxField struct {
	val    string   // scalar value as printed
	list   []string // list items (XML list)
	isList bool
	line   int
}

// items returns the field as a list: the XML list, or the printed value
// split on commas ("vmnic0, vmnic1").
func (f esxField) items() []string {
	if f.isList {
		return f.list
	}
	return splitList(f.val)
}

// esxRecord is one structure of an esxcli output: a vSwitch block, a table
// row, an XML <structure>.
type esxRecord struct {
	header     string
	fields     []namedField // in output order; a dozen at most, so a slice beats a map
	start, end int
}

// namedField is a field under its normalised key.
type namedField struct {
	key string
	esxField
}

// newRecord starts a record; n is the expected number of fields.
func newRecord(header string, line, n int) *esxRecord {
	return &esxRecord{header: header, start: line, end: line, fields: make([]namedField, 0, n)}
}

// set stores a field, replacing one of the same key.
func (r *esxRecord) set(k string, f esxField) {
	for i := range r.fields {
		if r.fields[i].key == k {
			r.fields[i].esxField = f
			return
		}
	}
	r.fields = append(r.fields, namedField{k, f})
}

func (r *esxRecord) get(keys ...string) (esxField, bool) {
	for _, k := range keys {
		for i := range r.fields {
			if r.fields[i].key == k {
				return r.fields[i].esxField, true
			}
		}
	}
	return esxField{}, false
}

// splitList splits an esxcli list value ("vmnic1, vmnic0", "vmnic9,vmnic8").
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func indentOf(s string) int {
	return len(s) - len(strings.TrimLeft(s, " "))
}

// splitField splits "Name: value" (or "Name:" with no value).
func splitField(t string) (key, val string, ok bool) {
	if i := strings.Index(t, ": "); i > 0 {
		return strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+2:]), true
	}
	if strings.HasSuffix(t, ":") && len(t) > 1 {
		return strings.TrimSpace(t[:len(t)-1]), "", true
	}
	return "", "", false
}

// kvBlocks reads esxcli's text form of structures: an optional header line
// (the object's name, not indented, no colon) followed by "Field: value"
// lines, indented 3 spaces (0 when an upstream flattened them). Lines
// indented deeper than the first field are items of a nested list
// (DVPort:) and are skipped. Fields without a header line form one record.
func kvBlocks(lines []string) ([]*esxRecord, error) {
	var recs []*esxRecord
	var cur *esxRecord
	var e errs
	base := -1
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		ind := indentOf(raw)
		key, val, isField := splitField(t)
		if ind == 0 && !isField {
			cur = newRecord(t, ln, 12)
			recs = append(recs, cur)
			base = -1
			continue
		}
		if cur == nil {
			cur = newRecord("", ln, 12)
			recs = append(recs, cur)
			base = -1
		}
		cur.end = ln
		if base < 0 {
			base = ind
		}
		if ind > base {
			continue // item of a nested list (DVPort)
		}
		if !isField {
			e.add(errorf(ln, "expected \"Field: value\", got %q", t))
			continue
		}
		k := normKey(key)
		if k == "" {
			e.add(errorf(ln, "field without a name: %q", t))
			continue
		}
		cur.set(k, esxField{val: val, line: ln})
	}
	return recs, e.err()
}

// tableCol is one column of an esxcli table, placed by its dashes.
type tableCol struct {
	key        string
	start, end int // [start, end) in the line; end of the last is open
}

var multiSpaceRE = regexp.MustCompile(`\s{2,}`)

// esxTable reads esxcli's text table: a header line, a line of dashes giving
// the columns, one row per line. Values are cut at the column positions (so
// names may contain spaces). A row whose text straddles a column boundary is
// re-read by splitting on runs of 2+ spaces; if that does not give one value
// per column either, it is reported and skipped. It returns the records
// and the header's line (1-based).
func esxTable(lines []string) ([]*esxRecord, []tableCol, int, error) {
	_, h := FirstNonBlank(lines)
	if h < 0 {
		return nil, nil, 0, errorf(0, "empty output")
	}
	if h+1 >= len(lines) || !isDashes(lines[h+1]) {
		return nil, nil, h + 1, errorf(h+1, "table header without the line of dashes under it")
	}
	header, dashes := lines[h], lines[h+1]
	var cols []tableCol
	for i := 0; i < len(dashes); {
		if dashes[i] != '-' {
			i++
			continue
		}
		j := i
		for j < len(dashes) && dashes[j] == '-' {
			j++
		}
		cols = append(cols, tableCol{start: i, end: j})
		i = j
	}
	for i := range cols {
		end := len(header)
		if i+1 < len(cols) {
			end = cols[i+1].start
		}
		cols[i].key = normKey(cut(header, cols[i].start, end))
	}
	var recs []*esxRecord
	var e errs
	for i := h + 2; i < len(lines); i++ {
		ln := i + 1
		row := lines[i]
		if strings.TrimSpace(row) == "" {
			continue
		}
		vals, ok := cutRow(row, cols)
		if !ok {
			parts := multiSpaceRE.Split(strings.TrimSpace(row), -1)
			if len(parts) != len(cols) {
				e.add(errorf(ln, "row does not fit the table's %d columns: %q", len(cols), strings.TrimSpace(row)))
				continue
			}
			vals = parts
		}
		rec := newRecord("", ln, len(cols))
		for c, col := range cols {
			rec.set(col.key, esxField{val: vals[c], line: ln})
		}
		recs = append(recs, rec)
	}
	return recs, cols, h + 1, e.err()
}

// cutRow cuts a table row at the column positions; ok is false when text
// sits in the blanks between the columns' dashes (a value that does not fit
// its column, or a row whose spacing was changed).
func cutRow(row string, cols []tableCol) ([]string, bool) {
	if strings.TrimSpace(cut(row, 0, cols[0].start)) != "" {
		return nil, false
	}
	vals := make([]string, len(cols))
	for c, col := range cols {
		end := len(row)
		if c+1 < len(cols) {
			end = cols[c+1].start
			if strings.TrimSpace(cut(row, col.end, end)) != "" {
				return nil, false
			}
		}
		vals[c] = cut(row, col.start, end)
	}
	return vals, true
}

// cut returns s[start:end] trimmed, clamped to s.
func cut(s string, start, end int) string {
	if start >= len(s) {
		return ""
	}
	if end > len(s) {
		end = len(s)
	}
	if end < start {
		return ""
	}
	return strings.TrimSpace(s[start:end])
}

func isDashes(s string) bool {
	t := strings.TrimSpace(s)
	return t != "" && strings.Trim(t, "- ") == "" && strings.Contains(t, "--")
}

// esxcliRecords reads an esxcli output, XML or text; text is read by
// textForm (kvBlocks or a table reader).
func esxcliRecords(r io.Reader, textForm func([]string) ([]*esxRecord, error)) ([]*esxRecord, error) {
	lines, err := esxLines(r)
	if err != nil {
		return nil, err
	}
	if isXMLOutput(lines) {
		return xmlRecords(lines)
	}
	return textForm(lines)
}

func atoiField(f esxField, what string) (int, *Error) {
	n, err := strconv.Atoi(strings.TrimSpace(f.val))
	if err != nil {
		return 0, errorf(f.line, "%s %q is not a number", what, f.val)
	}
	return n, nil
}

// upDown reads "Up"/"Down".
func upDown(f esxField, what string) (bool, *Error) {
	switch strings.ToLower(strings.TrimSpace(f.val)) {
	case "up":
		return true, nil
	case "down":
		return false, nil
	}
	return false, errorf(f.line, "%s %q is neither Up nor Down", what, f.val)
}

func boolField(f esxField, what string) (bool, *Error) {
	switch strings.ToLower(strings.TrimSpace(f.val)) {
	case "true", "yes":
		return true, nil
	case "false", "no":
		return false, nil
	}
	return false, errorf(f.line, "%s %q is neither true nor false", what, f.val)
}

// ---------------------------------------------------------------------------
// esxcli network vswitch standard list / dvs vmware list

func parseVSwitchList(r io.Reader) ([]esxVSwitch, error) {
	return vswitchRecords(r, netmodel.StandardVSwitch)
}

func parseDVSList(r io.Reader) ([]esxVSwitch, error) {
	return vswitchRecords(r, netmodel.DistributedVSwitch)
}

func vswitchRecords(r io.Reader, kind netmodel.VSwitchKind) ([]esxVSwitch, error) {
	recs, err := esxcliRecords(r, func(lines []string) ([]*esxRecord, error) { return kvBlocks(lines) })
	var e errs
	e.addErr(err)
	var out []esxVSwitch
	for _, rec := range recs {
		v, perr := recordVSwitch(rec, kind)
		e.add(perr)
		if v.Name != "" {
			out = append(out, v)
		}
	}
	if len(out) == 0 && len(recs) > 0 && e.first == nil {
		e.add(errorf(recs[0].start, "no vSwitch found"))
	}
	return out, e.err()
}

// recordVSwitch builds a vSwitch from a record; it reports the first
// problem and still returns what it read.
func recordVSwitch(rec *esxRecord, kind netmodel.VSwitchKind) (esxVSwitch, *Error) {
	v := esxVSwitch{Kind: kind, Src: netmodel.Lines(rec.start, rec.end)}
	var e errs
	if len(rec.fields) == 0 {
		return v, errorf(rec.start, "%q has no fields: truncated output?", rec.header)
	}
	if f, ok := rec.get("name"); ok && f.val != "" {
		v.Name = f.val
	} else {
		v.Name = rec.header
	}
	if v.Name == "" {
		return v, errorf(rec.start, "vSwitch without a Name")
	}
	if f, ok := rec.get("mtu"); ok {
		n, err := atoiField(f, "MTU")
		e.add(err)
		v.MTU, v.hasMTU = n, err == nil
	}
	if f, ok := rec.get("cdpstatus"); ok {
		v.CDPStatus, v.hasCDP = f.val, true
	}
	if f, ok := rec.get("uplinks"); ok {
		v.Uplinks, v.hasUplinks = f.items(), true
	} else {
		e.add(errorf(rec.end, "%s: no Uplinks field: truncated output?", v.Name))
	}
	if kind == netmodel.StandardVSwitch {
		if f, ok := rec.get("portgroups"); ok {
			v.PortGroups, v.hasPortGroups = f.items(), true
		} else {
			e.add(errorf(rec.end, "%s: no Portgroups field: truncated output?", v.Name))
		}
	}
	return v, e.first
}

func mergeVSwitches(d *netmodel.Device, file, _ string, vs []esxVSwitch) {
	for _, v := range vs {
		mergeVSwitch(d, file, v)
	}
}

func mergeVSwitch(d *netmodel.Device, file string, v esxVSwitch) {
	sw := d.VSwitch(v.Name)
	if sw == nil {
		sw = &netmodel.VSwitch{Name: v.Name}
		d.VSwitches = append(d.VSwitches, sw)
	}
	if v.Kind != "" {
		sw.Kind = v.Kind
	}
	if v.hasUplinks {
		sw.Uplinks = v.Uplinks
	}
	if v.hasMTU {
		sw.MTU = v.MTU
	}
	if v.hasCDP {
		sw.CDPStatus = v.CDPStatus
	}
	if v.hasPortGroups {
		sw.PortGroups = v.PortGroups
	}
	sw.Src = setFile(v.Src, file)
}

// ---------------------------------------------------------------------------
// esxcli network vswitch standard portgroup list

func parsePortGroupList(r io.Reader) ([]esxPortGroup, error) {
	var headerErr *Error
	recs, err := esxcliRecords(r, func(lines []string) ([]*esxRecord, error) {
		recs, cols, hl, err := esxTable(lines)
		if cols != nil && !hasCols(cols, "name", "virtualswitch", "vlanid") {
			headerErr = errorf(hl, "not a port group table: the header needs Name, Virtual Switch and VLAN ID")
			return nil, nil
		}
		return recs, err
	})
	var e errs
	e.add(headerErr)
	e.addErr(err)
	var out []esxPortGroup
	for _, rec := range recs {
		pg := esxPortGroup{Clients: -1, Src: netmodel.Lines(rec.start, rec.end)}
		f, ok := rec.get("name")
		if !ok || f.val == "" {
			e.add(errorf(rec.start, "port group without a Name"))
			continue
		}
		pg.Name = f.val
		if f, ok := rec.get("virtualswitch"); ok {
			pg.VSwitch = f.val
		}
		if f, ok := rec.get("vlanid"); ok {
			n, err := atoiField(f, "VLAN ID")
			if err == nil && (n < 0 || n > 4095) {
				err = errorf(f.line, "VLAN ID %d is out of range 0-4095", n)
			}
			e.add(err)
			if err == nil {
				pg.VLAN, pg.VLANKnown = n, true
			}
		} else {
			e.add(errorf(rec.end, "%s: no VLAN ID: truncated output?", pg.Name))
		}
		if f, ok := rec.get("activeclients"); ok {
			n, err := atoiField(f, "Active Clients")
			e.add(err)
			if err == nil {
				pg.Clients = n
			}
		}
		out = append(out, pg)
	}
	return out, e.err()
}

func hasCols(cols []tableCol, keys ...string) bool {
	for _, k := range keys {
		found := false
		for _, c := range cols {
			if c.key == k {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func mergePortGroups(d *netmodel.Device, file, _ string, pgs []esxPortGroup) {
	for _, p := range pgs {
		mergePortGroup(d, file, p)
	}
}

func mergePortGroup(d *netmodel.Device, file string, p esxPortGroup) {
	pg := d.PortGroup(p.Name)
	if pg == nil {
		pg = &netmodel.PortGroup{Name: p.Name, Clients: -1}
		d.PortGroups = append(d.PortGroups, pg)
	}
	if p.VSwitch != "" {
		pg.VSwitch = p.VSwitch
	}
	if p.VLANKnown {
		pg.VLAN, pg.VLANKnown = p.VLAN, true
	}
	if p.Clients >= 0 {
		pg.Clients = p.Clients
	}
	pg.Src = setFile(p.Src, file)
}

// ---------------------------------------------------------------------------
// esxcli network nic list

func parseNICList(r io.Reader) ([]esxNIC, error) {
	var headerErr *Error
	recs, err := esxcliRecords(r, func(lines []string) ([]*esxRecord, error) {
		recs, cols, hl, err := esxTable(lines)
		if cols != nil && !hasCols(cols, "name", "driver", "linkstatus") {
			headerErr = errorf(hl, "not a NIC table: the header needs Name, Driver and Link Status")
			return nil, nil
		}
		return recs, err
	})
	var e errs
	e.add(headerErr)
	e.addErr(err)
	var out []esxNIC
	for _, rec := range recs {
		f, ok := rec.get("name")
		if !ok || f.val == "" {
			e.add(errorf(rec.start, "NIC without a Name"))
			continue
		}
		n := esxNIC{NIC: netmodel.NIC{Name: f.val, Src: netmodel.Lines(rec.start, rec.end)}}
		if f, ok := rec.get("driver"); ok {
			n.Driver = f.val
		}
		if f, ok := rec.get("adminstatus"); ok {
			up, err := upDown(f, "Admin Status")
			e.add(err)
			n.AdminUp, n.hasAdmin = up, err == nil
		}
		if f, ok := rec.get("linkstatus", "link"); ok {
			up, err := upDown(f, "Link Status")
			e.add(err)
			n.LinkUp, n.hasLink = up, err == nil
		}
		if f, ok := rec.get("speed"); ok {
			v, err := atoiField(f, "Speed")
			e.add(err)
			n.SpeedMbps, n.hasSpeed = v, err == nil
		}
		if f, ok := rec.get("duplex"); ok {
			n.Duplex = f.val
		}
		if f, ok := rec.get("macaddress"); ok {
			n.MAC = strings.ToLower(f.val)
		}
		if f, ok := rec.get("mtu"); ok {
			v, err := atoiField(f, "MTU")
			e.add(err)
			n.MTU, n.hasMTU = v, err == nil
		}
		if f, ok := rec.get("description"); ok {
			n.Desc = f.val
		}
		out = append(out, n)
	}
	return out, e.err()
}

func mergeNICs(d *netmodel.Device, file, _ string, nics []esxNIC) {
	for _, n := range nics {
		nic := d.NIC(n.Name)
		if nic == nil {
			d.NICs = append(d.NICs, netmodel.NIC{Name: n.Name})
			nic = &d.NICs[len(d.NICs)-1]
		}
		if n.Driver != "" {
			nic.Driver = n.Driver
		}
		if n.MAC != "" {
			nic.MAC = n.MAC
		}
		if n.hasAdmin {
			nic.AdminUp = n.AdminUp
		} else if n.hasLink && n.LinkUp {
			nic.AdminUp = true // a link cannot be up on an admin-down NIC
		}
		if n.hasLink {
			nic.LinkUp = n.LinkUp
		}
		if n.hasSpeed {
			nic.SpeedMbps = n.SpeedMbps
		}
		if n.Duplex != "" {
			nic.Duplex = n.Duplex
		}
		if n.hasMTU {
			nic.MTU = n.MTU
		}
		if n.Desc != "" {
			nic.Desc = n.Desc
		}
		nic.Src = setFile(n.Src, file)
	}
}

// ---------------------------------------------------------------------------
// esxcli network vswitch standard [portgroup] policy failover get

func parseVSwitchFailover(r io.Reader) (esxFailover, error) {
	return failoverRecord(r, false)
}

func parsePortGroupFailover(r io.Reader) (esxFailover, error) {
	return failoverRecord(r, true)
}

func failoverRecord(r io.Reader, portGroup bool) (esxFailover, error) {
	var out esxFailover
	recs, err := esxcliRecords(r, func(lines []string) ([]*esxRecord, error) { return kvBlocks(lines) })
	var e errs
	e.addErr(err)
	if len(recs) == 0 {
		if e.first == nil {
			e.add(errorf(0, "no failover policy found"))
		}
		return out, e.err()
	}
	rec := recs[0]
	if len(recs) > 1 {
		e.add(errorf(recs[1].start, "more than one failover policy in one output"))
	}
	if rec.header != "" && len(rec.fields) == 0 {
		e.add(errorf(rec.start, "expected \"Field: value\", got %q", rec.header))
		return out, e.err()
	}
	t := netmodel.Teaming{Src: netmodel.Lines(rec.start, rec.end)}
	complete := true
	missing := func(what string) {
		complete = false
		e.add(errorf(rec.end, "no %s line: truncated output?", what))
	}
	if f, ok := rec.get("loadbalancing"); ok {
		t.LoadBalancing = strings.ToLower(f.val)
		out.read = true
	} else {
		missing("Load Balancing")
	}
	lists := []struct {
		key, what string
		dst       *[]string
	}{
		{"activeadapters", "Active Adapters", &t.Active},
		{"standbyadapters", "Standby Adapters", &t.Standby},
		{"unusedadapters", "Unused Adapters", &t.Unused},
	}
	for _, l := range lists {
		if f, ok := rec.get(l.key); ok {
			*l.dst = f.items()
			out.read = true
		} else {
			missing(l.what)
		}
	}
	if portGroup {
		if f, ok := overrideUplinksField(rec); ok {
			v, err := boolField(f, "Override Vswitch Uplinks")
			e.add(err)
			out.OverrideUplinks, out.HasOverride = v, err == nil
		} else {
			missing("Override Vswitch Uplinks")
		}
	}
	t.Known = complete
	out.Teaming = t
	return out, e.err()
}

// overrideUplinksField finds "Override Vswitch Uplinks" (XML:
// OverrideVswitchUplinks); any override field about uplinks is accepted.
func overrideUplinksField(rec *esxRecord) (esxField, bool) {
	if f, ok := rec.get("overridevswitchuplinks"); ok {
		return f, true
	}
	for _, f := range rec.fields {
		if strings.HasPrefix(f.key, "override") && strings.Contains(f.key, "uplink") {
			return f.esxField, true
		}
	}
	return esxField{}, false
}

func mergeVSwitchFailover(d *netmodel.Device, file, arg string, v esxFailover) {
	if arg == "" || !v.read {
		return
	}
	sw := d.VSwitch(arg)
	if sw == nil {
		sw = &netmodel.VSwitch{Name: arg, Kind: netmodel.StandardVSwitch}
		d.VSwitches = append(d.VSwitches, sw)
	}
	if !v.Teaming.Known && sw.Teaming.Known {
		return // keep a complete policy over a truncated one
	}
	t := v.Teaming
	t.Src = setFile(t.Src, file)
	sw.Teaming = t
}

func mergePortGroupFailover(d *netmodel.Device, file, arg string, v esxFailover) {
	if arg == "" || !v.read {
		return
	}
	pg := d.PortGroup(arg)
	if pg == nil {
		pg = &netmodel.PortGroup{Name: arg, Clients: -1}
		d.PortGroups = append(d.PortGroups, pg)
	}
	if !v.Teaming.Known && pg.Override.Known {
		return
	}
	t := v.Teaming
	t.Src = setFile(t.Src, file)
	pg.Override = t
	if v.HasOverride {
		pg.OverrideUplinks = v.OverrideUplinks
	}
}

// ---------------------------------------------------------------------------
// esxcfg-vswitch -l

// fieldPos is a whitespace-separated word and where it starts.
type fieldPos struct {
	text  string
	start int
}

func fieldsPos(s string) []fieldPos {
	var out []fieldPos
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		out = append(out, fieldPos{s[i:j], i})
		i = j
	}
	return out
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// esxcfgSwitchHeader describes a "Switch Name"/"DVS Name" header line.
type esxcfgSwitchHeader struct {
	kind    netmodel.VSwitchKind
	numeric []string // names of the numeric columns, in order
	uplinks bool
}

var esxcfgHeaderRE = regexp.MustCompile(`^(Switch|DVS) Name\s+Num Ports\s+Used Ports`)

func readEsxcfgHeader(t string) (esxcfgSwitchHeader, bool) {
	m := esxcfgHeaderRE.FindStringSubmatch(t)
	if m == nil {
		return esxcfgSwitchHeader{}, false
	}
	h := esxcfgSwitchHeader{kind: netmodel.StandardVSwitch, uplinks: strings.Contains(t, "Uplinks")}
	for _, c := range []string{"Num Ports", "Used Ports", "Configured Ports", "MTU"} {
		if strings.Contains(t, c) {
			h.numeric = append(h.numeric, c)
		}
	}
	// A DVS section is a distributed switch; a "Switch Name" section without
	// Configured Ports and MTU is an NSX opaque switch (N-VDS), which is a
	// distributed switch managed by NSX rather than a standard vSwitch.
	if m[1] == "DVS" || !strings.Contains(t, "Configured Ports") {
		h.kind = netmodel.DistributedVSwitch
	}
	return h, true
}

// esxcfgTrailing reads a row whose last column is an optional uplink list
// and the n columns before it numbers; the rest at the front is the name
// (which may contain spaces). Columns are whitespace-separated and not
// aligned (long names push them right), so the row is read from the right.
func esxcfgTrailing(row string, n int, uplinks bool) (name string, nums []int, ups []string, bad string, ok bool) {
	fs := fieldsPos(row)
	if uplinks && len(fs) > 0 && !isNumber(fs[len(fs)-1].text) {
		ups = splitList(fs[len(fs)-1].text)
		fs = fs[:len(fs)-1]
	}
	if len(fs) < n+1 {
		return "", nil, ups, "", false
	}
	numFs := fs[len(fs)-n:]
	for _, f := range numFs {
		v, err := strconv.Atoi(f.text)
		if err != nil {
			return "", nil, ups, f.text, false
		}
		nums = append(nums, v)
	}
	name = strings.TrimSpace(row[:numFs[0].start])
	return name, nums, ups, "", name != ""
}

func parseEsxcfgVSwitch(r io.Reader) (esxcfgVSwitch, error) {
	var out esxcfgVSwitch
	lines, err := esxLines(r)
	if err != nil {
		return out, err
	}
	var e errs
	const (
		stNone = iota
		stSwitchRow
		stSwitch
		stPortGroups
		stDVPorts
	)
	state := stNone
	var hdr esxcfgSwitchHeader
	var cur *esxVSwitch
	pgUplinks := false
	flush := func() {
		if cur != nil {
			out.VSwitches = append(out.VSwitches, *cur)
			cur = nil
		}
	}
	for i, raw := range lines {
		ln := i + 1
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if h, ok := readEsxcfgHeader(t); ok && indentOf(raw) == 0 {
			flush()
			hdr, state = h, stSwitchRow
			cur = &esxVSwitch{Kind: h.kind, Src: netmodel.Lines(ln, ln)}
			continue
		}
		switch {
		case state == stSwitchRow:
			name, nums, ups, bad, ok := esxcfgTrailing(t, len(hdr.numeric), hdr.uplinks)
			if !ok {
				if bad != "" {
					e.add(errorf(ln, "%q is not a number in the switch row %q", bad, t))
				} else {
					e.add(errorf(ln, "switch row does not fit its header: %q", t))
				}
				cur, state = nil, stNone
				continue
			}
			cur.Name = name
			cur.Src.End = ln
			for k, c := range hdr.numeric {
				if c == "MTU" {
					cur.MTU, cur.hasMTU = nums[k], true
				}
			}
			if hdr.uplinks {
				cur.Uplinks, cur.hasUplinks = ups, true
			}
			state = stSwitch
		case cur != nil && strings.HasPrefix(t, "PortGroup Name"):
			state, pgUplinks = stPortGroups, strings.Contains(t, "Uplinks")
			cur.hasPortGroups = true
			cur.Src.End = ln
		case cur != nil && strings.HasPrefix(t, "DVPort ID"):
			state = stDVPorts
			cur.Src.End = ln
		case state == stPortGroups && indentOf(raw) > 0:
			cur.Src.End = ln
			name, nums, _, bad, ok := esxcfgTrailing(t, 2, pgUplinks)
			if !ok {
				if bad != "" {
					e.add(errorf(ln, "%q is not a number in the port group row %q", bad, t))
				} else {
					e.add(errorf(ln, "port group row does not fit its header: %q", t))
				}
				continue
			}
			vlan := nums[0]
			if vlan < 0 || vlan > 4095 {
				e.add(errorf(ln, "VLAN ID %d is out of range 0-4095", vlan))
				continue
			}
			cur.PortGroups = append(cur.PortGroups, name)
			out.PortGroups = append(out.PortGroups, esxPortGroup{
				Name: name, VSwitch: cur.Name, VLAN: vlan, VLANKnown: true, Clients: -1, Src: netmodel.Lines(ln, ln),
			})
		case state == stDVPorts && indentOf(raw) > 0:
			cur.Src.End = ln // DVPort rows say which client uses which port; not modelled
		default:
			e.add(errorf(ln, "unexpected line in esxcfg-vswitch output: %q", t))
		}
	}
	if state == stSwitchRow {
		e.add(errorf(len(lines), "switch header without its switch row: truncated output?"))
		cur = nil
	}
	flush()
	if len(out.VSwitches) == 0 && e.first == nil {
		e.add(errorf(0, "no switch found"))
	}
	return out, e.err()
}

func mergeEsxcfgVSwitch(d *netmodel.Device, file, _ string, v esxcfgVSwitch) {
	for _, sw := range v.VSwitches {
		mergeVSwitch(d, file, sw)
	}
	for _, pg := range v.PortGroups {
		mergePortGroup(d, file, pg)
	}
}

// ---------------------------------------------------------------------------
// esxcfg-nics -l

var esxcfgNICsHeaderRE = regexp.MustCompile(`^Name\s+PCI\s+Driver\s+Link\s+Speed\s+Duplex\s+MAC Address\s+MTU\s+Description`)

func parseEsxcfgNICs(r io.Reader) ([]esxNIC, error) {
	lines, err := esxLines(r)
	if err != nil {
		return nil, err
	}
	var e errs
	first, h := FirstNonBlank(lines)
	if !esxcfgNICsHeaderRE.MatchString(first) {
		return nil, errorf(h+1, "not an esxcfg-nics -l table: %q", first)
	}
	var out []esxNIC
	for i := h + 1; i < len(lines); i++ {
		ln := i + 1
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		fs := fieldsPos(t)
		if len(fs) < 8 {
			e.add(errorf(ln, "row does not fit the table's columns: %q", t))
			continue
		}
		n := esxNIC{NIC: netmodel.NIC{Name: fs[0].text, Driver: fs[2].text, Src: netmodel.Lines(ln, ln)}}
		up, perr := upDown(esxField{val: fs[3].text, line: ln}, "Link")
		if perr != nil {
			e.add(perr)
			continue
		}
		n.LinkUp, n.hasLink = up, true
		sp := strings.TrimSuffix(strings.ToLower(fs[4].text), "mbps")
		if v, err := strconv.Atoi(sp); err == nil {
			n.SpeedMbps, n.hasSpeed = v, true
		} else {
			e.add(errorf(ln, "Speed %q is not a number of Mbps", fs[4].text))
		}
		n.Duplex = fs[5].text
		n.MAC = strings.ToLower(fs[6].text)
		if v, err := strconv.Atoi(fs[7].text); err == nil {
			n.MTU, n.hasMTU = v, true
		} else {
			e.add(errorf(ln, "MTU %q is not a number", fs[7].text))
		}
		if len(fs) > 8 {
			n.Desc = strings.TrimSpace(t[fs[8].start:])
		}
		out = append(out, n)
	}
	return out, e.err()
}

// ---------------------------------------------------------------------------
// Detection from content.

// hasLinePrefix reports whether a line, trimmed, starts with prefix.
func hasLinePrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			return true
		}
	}
	return false
}

func detectEsxcfgVSwitch(lines []string) bool {
	t, _ := FirstNonBlank(lines)
	return esxcfgHeaderRE.MatchString(t)
}

func detectEsxcfgNICs(lines []string) bool {
	t, _ := FirstNonBlank(lines)
	return esxcfgNICsHeaderRE.MatchString(t)
}

func detectVSwitchList(lines []string) bool {
	if isXMLOutput(lines) {
		f := xmlFieldNames(lines)
		return f["portgroups"] && f["uplinks"] && !f["vdsid"]
	}
	return hasLinePrefix(lines, "Portgroups:") && hasLinePrefix(lines, "Uplinks:") &&
		(hasLinePrefix(lines, "Class:") || hasLinePrefix(lines, "Configured Ports:")) && !hasLinePrefix(lines, "VDS ID:")
}

func detectDVSList(lines []string) bool {
	if isXMLOutput(lines) {
		f := xmlFieldNames(lines)
		return f["uplinks"] && (f["vdsid"] || f["dvport"] || f["vmwarebranded"])
	}
	return hasLinePrefix(lines, "VDS ID:") && hasLinePrefix(lines, "Class:") && hasLinePrefix(lines, "Uplinks:")
}

var (
	nicListHeaderRE = regexp.MustCompile(`^Name\s+PCI Device\s+Driver\s+Admin Status\s+Link Status\s+Speed\s+Duplex\s+MAC Address\s+MTU\s+Description`)
	pgListHeaderRE  = regexp.MustCompile(`^Name\s+Virtual Switch\s+Active Clients\s+VLAN ID\s*$`)
)

func detectNICList(lines []string) bool {
	if isXMLOutput(lines) {
		f := xmlFieldNames(lines)
		return f["adminstatus"] && f["linkstatus"] && f["macaddress"] && f["pcidevice"]
	}
	t, i := FirstNonBlank(lines)
	return nicListHeaderRE.MatchString(t) && i+1 < len(lines) && isDashes(lines[i+1])
}

func detectPortGroupList(lines []string) bool {
	if isXMLOutput(lines) {
		f := xmlFieldNames(lines)
		return f["virtualswitch"] && f["vlanid"] && f["activeclients"]
	}
	t, i := FirstNonBlank(lines)
	return pgListHeaderRE.MatchString(t) && i+1 < len(lines) && isDashes(lines[i+1])
}

// failoverKeys reports whether the output looks like a failover policy and
// whether it has port-group override fields.
func failoverKeys(lines []string) (policy, override bool) {
	if isXMLOutput(lines) {
		f := xmlFieldNames(lines)
		policy = f["loadbalancing"] && f["activeadapters"] && f["standbyadapters"]
		for k := range f {
			if strings.HasPrefix(k, "override") {
				override = true
			}
		}
		return policy, override
	}
	policy = hasLinePrefix(lines, "Load Balancing:") && hasLinePrefix(lines, "Active Adapters:") &&
		hasLinePrefix(lines, "Standby Adapters:")
	return policy, hasLinePrefix(lines, "Override Vswitch")
}

func detectVSwitchFailover(lines []string) bool {
	p, o := failoverKeys(lines)
	return p && !o
}

func detectPortGroupFailover(lines []string) bool {
	p, o := failoverKeys(lines)
	return p && o
}
