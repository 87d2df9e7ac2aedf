package inventory

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/nettui/nettui/collectors/platform"
)

// Ansible YAML inventory: groups (all, or any names at the top) with
// hosts (name → host vars), children (name → group) and vars. Variables
// are inherited the way Ansible does it: all, then parent groups before
// child groups (by depth below all, then by name), then the host's own.

type aVar struct {
	val string
	at  pos
	ok  bool // a plain value (not a mapping, list or template)
}

type aGroup struct {
	name     string
	at       pos
	vars     map[string]aVar
	children []string
	parents  []string
	depth    int
}

type groupNode struct {
	name string
	n    *yaml.Node
}

type aHost struct {
	name   string
	at     pos
	vars   map[string]aVar
	groups []string
}

type ansible struct {
	// read holds the (group, YAML node) pairs already read: a group that
	// aliases name again adds nothing, however often it is repeated.
	read   map[groupNode]bool
	groups map[string]*aGroup
	gOrder []string
	hosts  map[string]*aHost
	hOrder []string
}

// maxHosts bounds host-range expansion (web[001:999]).
const maxHosts = 10_000

func (c *ctx) readAnsible(root *yaml.Node) *result {
	a := &ansible{read: map[groupNode]bool{}, groups: map[string]*aGroup{}, hosts: map[string]*aHost{}}
	for _, p := range c.pairs(root, "the inventory") {
		if p.key == "_meta" {
			c.problem(at(p.k), "this is the JSON of ansible-inventory --list; nettui reads the YAML inventory: ansible-inventory -i FILE --list --yaml", explainAnsible)
			continue
		}
		g := c.readAGroup(a, p, "")
		if p.key != "all" && !slices.Contains(g.parents, "all") {
			g.parents = append(g.parents, "all")
		}
	}
	if a.groups["all"] == nil {
		a.groups["all"] = &aGroup{name: "all", vars: map[string]aVar{}}
	}
	c.ansibleDepths(a)

	r := &result{}
	names := a.hOrder
	for _, hn := range names {
		h := a.hosts[hn]
		r.devices = append(r.devices, c.ansibleDevice(a, h))
	}
	return r
}

// readAGroup reads one group (it may appear several times, under several
// parents; Ansible merges them).
func (c *ctx) readAGroup(a *ansible, p kv, parent string) *aGroup {
	g := a.groups[p.key]
	if g == nil {
		g = &aGroup{name: p.key, at: at(p.k), vars: map[string]aVar{}}
		a.groups[p.key] = g
		a.gOrder = append(a.gOrder, p.key)
	}
	if parent != "" && !slices.Contains(g.parents, parent) {
		g.parents = append(g.parents, parent)
		a.groups[parent].children = append(a.groups[parent].children, p.key)
	}
	if key := (groupNode{p.key, c.deref(p.v)}); !isNull(key.n) {
		if a.read[key] {
			return g
		}
		a.read[key] = true
	}
	where := "group " + p.key
	ps, _ := c.mapping(p.v, where)
	for _, q := range ps {
		switch q.key {
		case "vars":
			c.readAVars(g.vars, q.v, "vars of "+where)
		case "hosts":
			hs, _ := c.mapping(q.v, "hosts of "+where)
			for _, h := range hs {
				c.readAHost(a, h, p.key)
			}
		case "children":
			cs, _ := c.mapping(q.v, "children of "+where)
			for _, ch := range cs {
				if ch.key == p.key || c.isAncestor(a, ch.key, p.key) {
					c.problemf(at(ch.k), explainAnsible, "group %s is its own ancestor", ch.key)
					continue
				}
				c.readAGroup(a, ch, p.key)
			}
		default:
			c.unknownKey(q, where, ansibleGroup)
		}
	}
	return g
}

// isAncestor reports whether group anc is g or above it.
func (c *ctx) isAncestor(a *ansible, anc, g string) bool {
	seen := map[string]bool{}
	var up func(string) bool
	up = func(n string) bool {
		if n == anc {
			return true
		}
		if seen[n] {
			return false
		}
		seen[n] = true
		if gr := a.groups[n]; gr != nil {
			for _, p := range gr.parents {
				if up(p) {
					return true
				}
			}
		}
		return false
	}
	return up(g)
}

func (c *ctx) readAHost(a *ansible, p kv, group string) {
	names, err := expandHostRange(p.key)
	if err != "" {
		c.problemf(at(p.k), explainAnsible, "host pattern %q: %s", p.key, err)
		return
	}
	if !c.spend(len(names)) || len(a.hOrder)+len(names) > maxHosts {
		if !c.over {
			c.over = true
			c.problemf(at(p.k), explainTooLarge, "more than %d hosts", maxHosts)
		}
		return
	}
	vars := map[string]aVar{}
	c.readAVars(vars, p.v, "vars of host "+p.key)
	for _, n := range names {
		h := a.hosts[n]
		if h == nil {
			h = &aHost{name: n, at: at(p.k), vars: map[string]aVar{}}
			a.hosts[n] = h
			a.hOrder = append(a.hOrder, n)
		}
		for k, v := range vars {
			h.vars[k] = v
		}
		if !slices.Contains(h.groups, group) {
			h.groups = append(h.groups, group)
		}
	}
}

var templateRE = regexp.MustCompile(`\{\{|\{%`)

func (c *ctx) readAVars(into map[string]aVar, n *yaml.Node, where string) {
	ps, _ := c.mapping(n, where)
	for _, p := range ps {
		d := c.deref(p.v)
		v := aVar{at: at(p.v)}
		if d != nil && d.Kind == yaml.ScalarNode {
			v.val = d.Value
			v.ok = !templateRE.MatchString(d.Value)
		}
		into[p.key] = v
	}
}

// ansibleDepths sets each group's depth below all (the longest path, as
// Ansible computes it).
func (c *ctx) ansibleDepths(a *ansible) {
	memo := map[string]int{}
	var depth func(name string, guard int) int
	depth = func(name string, guard int) int {
		if d, ok := memo[name]; ok {
			return d
		}
		g := a.groups[name]
		if g == nil || name == "all" || guard > len(a.groups) {
			return 0
		}
		d := 0
		for _, p := range g.parents {
			d = max(d, depth(p, guard+1)+1)
		}
		memo[name] = d
		return d
	}
	for _, name := range a.gOrder {
		a.groups[name].depth = depth(name, 0)
	}
}

// ansibleVars is how nettui reads Ansible's variables.
var (
	ansHost     = []string{"ansible_host", "ansible_ssh_host"}
	ansPort     = []string{"ansible_port", "ansible_ssh_port"}
	ansUser     = []string{"ansible_user", "ansible_ssh_user"}
	ansPlatform = []string{"nettui_platform", "ansible_network_os"}
	ansJumpArgs = []string{"ansible_ssh_common_args", "ansible_ssh_extra_args"}
	proxyJumpRE = regexp.MustCompile(`(?:-J\s*|ProxyJump[= ]\s*)([^\s'"]+)`)
)

func (c *ctx) ansibleDevice(a *ansible, h *aHost) *draft {
	// Groups the host is in, with their ancestors, parents first.
	var gs []*aGroup
	seen := map[string]bool{}
	var add func(string)
	add = func(n string) {
		g := a.groups[n]
		if g == nil || seen[n] {
			return
		}
		seen[n] = true
		gs = append(gs, g)
		for _, p := range g.parents {
			add(p)
		}
	}
	for _, n := range h.groups {
		add(n)
	}
	add("all")
	slices.SortStableFunc(gs, func(x, y *aGroup) int {
		if x.depth != y.depth {
			return x.depth - y.depth
		}
		return strings.Compare(x.name, y.name)
	})
	vars := map[string]aVar{}
	var tags []string
	for _, g := range gs {
		for k, v := range g.vars {
			vars[k] = v
		}
		if g.name != "all" && g.name != "ungrouped" {
			tags = append(tags, g.name)
		}
	}
	for k, v := range h.vars {
		vars[k] = v
	}
	slices.Sort(tags)

	d := &draft{at: h.at, tags: tags}
	d.name = field{val: h.name, at: h.at, set: true}
	if !NameOK(h.name) {
		d.name.bad = true
		c.problemf(h.at, explainName, "host %q cannot be a device name (a folder name); name it with letters, digits, '.', '_', '-' and put its address in ansible_host", h.name)
	}
	get := func(keys []string) (string, aVar, bool) {
		for _, k := range keys {
			if v, ok := vars[k]; ok {
				if !v.ok {
					c.problemf(v.at, explainTemplate, "%s: %q is not a plain value", k, v.val)
					return k, v, false
				}
				return k, v, true
			}
		}
		return "", aVar{}, false
	}
	if _, v, ok := get(ansHost); ok {
		d.host = c.hostField(v.val, v.at)
	}
	if _, v, ok := get(ansPort); ok {
		d.port = c.portField(v.val, v.at)
	}
	if _, v, ok := get(ansUser); ok {
		d.user = c.userField(v.val, v.at)
	}
	if k, v, ok := get(ansPlatform); ok {
		if k == "ansible_network_os" && !slices.Contains(platform.Platforms(), normPlatform(v.val)) {
			d.platform = field{val: v.val, at: v.at, set: true, bad: true}
			c.problemf(v.at, explainPlatform+validPlatforms()+".", "ansible_network_os %q is not a platform nettui collects from; set nettui_platform on the host or its group", v.val)
		} else {
			d.platform = c.platformField(v.val, v.at)
		}
	} else if k := firstPresent(vars, ansPlatform); k != "" {
		// Given but not plain (reported): not a missing platform.
		d.platform = field{val: vars[k].val, at: vars[k].at, set: true, bad: true}
	} else {
		// A host Ansible reaches over plain SSH is a Linux host unless said otherwise.
		d.platform = field{val: "linux", at: h.at, set: true}
	}
	if _, v, ok := get([]string{"nettui_site"}); ok {
		d.site = c.siteField(v.val, v.at)
	}
	if _, v, ok := get([]string{"nettui_jump"}); ok {
		d.jump = c.jumpField(v.val, v.at)
	} else if _, v, ok := get(ansJumpArgs); ok {
		if m := proxyJumpRE.FindStringSubmatch(v.val); m != nil {
			d.jump = c.jumpField(jumpName(m[1]), v.at)
		}
	}
	if d.jump.set && d.jump.val == d.name.val {
		// Group-wide ssh args also reach the jump host itself.
		d.jump = field{}
	}
	return d
}

// jumpName takes the host out of user@host:port; a chain (a,b) keeps
// its last hop, the one next to the device.
func jumpName(s string) string {
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.Contains(s[:i], ":") {
		s = s[:i]
	}
	return s
}

var rangeRE = regexp.MustCompile(`\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::([0-9]+))?\]`)

// expandHostRange expands Ansible host ranges: db[01:03] → db01 db02 db03,
// [a:c], with an optional step.
func expandHostRange(s string) ([]string, string) {
	m := rangeRE.FindStringSubmatchIndex(s)
	if m == nil {
		return []string{s}, ""
	}
	pre, lo, hi, post := s[:m[0]], s[m[2]:m[3]], s[m[4]:m[5]], s[m[1]:]
	step := 1
	if m[6] >= 0 {
		step, _ = strconv.Atoi(s[m[6]:m[7]])
		if step < 1 {
			return nil, "range step must be 1 or more"
		}
	}
	var items []string
	if a, err1 := strconv.Atoi(lo); err1 == nil {
		b, err2 := strconv.Atoi(hi)
		if err2 != nil || b < a {
			return nil, "range end is not a number at or above the start"
		}
		if (b-a)/step >= maxHosts {
			return nil, fmt.Sprintf("range of more than %d hosts", maxHosts)
		}
		width := 0
		if len(lo) > 1 && lo[0] == '0' {
			width = len(lo)
		}
		for i := a; i <= b; i += step {
			items = append(items, fmt.Sprintf("%0*d", width, i))
		}
	} else {
		if len(lo) != 1 || len(hi) != 1 || hi[0] < lo[0] {
			return nil, "a letter range is [a:z], one letter each end"
		}
		for ch := lo[0]; ch <= hi[0]; ch += byte(step) {
			items = append(items, string(ch))
			if int(ch)+step > 255 {
				break
			}
		}
	}
	rest, err := expandHostRange(post)
	if err != "" {
		return nil, err
	}
	var out []string
	for _, it := range items {
		for _, r := range rest {
			out = append(out, pre+it+r)
			if len(out) > maxHosts {
				return nil, fmt.Sprintf("range of more than %d hosts", maxHosts)
			}
		}
	}
	return out, ""
}

func firstPresent(vars map[string]aVar, keys []string) string {
	for _, k := range keys {
		if _, ok := vars[k]; ok {
			return k
		}
	}
	return ""
}
