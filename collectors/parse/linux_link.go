package parse

// ip -d -j link show (and ip -d -j addr show, which adds the addresses):
// interfaces with their admin/oper state, and which of them are tunnels
// (vti, vti6, xfrm, gre, gretap, ip6gre, ipip, sit, ip6tnl, wireguard, and
// the TUN "ipsecN" strongSwan's kernel-libipsec creates) with their outer
// addresses.
//
// AdminUp is the UP flag. OperUp is operstate UP, or UNKNOWN with
// LOWER_UP (loopback and tunnels report UNKNOWN while they pass traffic).
//
// Linux bridges with STP on, and their ports, also give Device.STP (see
// l2linux_bridge.go).

import (
	"io"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// CapLinuxLink is `ip -d -j link show` / `ip -d -j addr show`.
// (It belongs with the others in capability.go.)
const CapLinuxLink = "ip-link"

// Only the JSON form (-j / -json) is read.
var linuxLinkCmdRE = regexp.MustCompile(`^(?:sudo\s+)?ip(?:\s+-\S+)*\s+-j(?:son)?(?:\s+-\S+)*\s+(?:l|li|lin|link|a|ad|add|addr|addre|addres|address)(?:\s+(?:show|list|ls|l|s|sh))?(?:\s+(?:dev\s+)?[\w.@-]+)?\s*$`)

func init() {
	register(Entry{
		Platform: netmodel.Linux, Capability: CapLinuxLink, Command: "ip -d -j addr show",
		CommandRE: linuxLinkCmdRE, Detect: linuxDetectLink, Order: linuxOrderLink,
	}, linuxParseLinks, linuxMergeLinks)
}

func linuxDetectLink(lines []string) bool {
	head := strings.ReplaceAll(strings.Join(swanNonBlank(lines, 3), ""), " ", "")
	return strings.HasPrefix(head, `[{"ifindex":`) && !l2linuxIsBridgeLink(lines)
}

var linuxTunnelKinds = map[string]bool{
	"vti": true, "vti6": true, "xfrm": true, "gre": true, "gretap": true, "ip6gre": true, "ip6gretap": true,
	"ipip": true, "sit": true, "ip6tnl": true, "wireguard": true, "erspan": true, "ip6erspan": true,
}

// linuxLinks is what ip -d -j link/addr gives: interfaces, and the
// spanning tree of each Linux bridge.
type linuxLinks struct {
	Ifs []*netmodel.Interface
	STP []*netmodel.STPBridge
}

func linuxParseLinks(r io.Reader) (linuxLinks, error) {
	var text string
	if lr, ok := r.(*LinesReader); ok && lr.r == nil {
		text = strings.Join(lr.lines, "\n")
	} else {
		b, err := io.ReadAll(r)
		if err != nil {
			return linuxLinks{}, err
		}
		text = string(b)
	}
	j := &linuxJSON{s: text, line: 1}
	var out []*netmodel.Interface
	var br l2linuxBridges
	j.array(func() {
		start := j.line
		i := &netmodel.Interface{Known: true}
		var up, lowerUp bool
		var oper, kind string
		var local, remote string
		var master, slaveKind string
		var infoData, slaveData map[string]string
		j.object(func(k string) {
			switch k {
			case "ifname":
				i.Name = strings.Clone(j.str())
			case "flags":
				j.strs(func(f string) {
					switch f {
					case "UP":
						up = true
					case "LOWER_UP":
						lowerUp = true
					}
				})
			case "operstate":
				oper = j.str()
			case "master":
				master = j.str()
			case "linkinfo":
				j.object(func(k2 string) {
					switch k2 {
					case "info_kind":
						kind = j.str()
					case "info_slave_kind":
						slaveKind = j.str()
					case "info_data":
						if kind == "bridge" {
							infoData = l2linuxFlatObject(j)
							break
						}
						j.object(func(k3 string) {
							switch k3 {
							case "local":
								local = j.str()
							case "remote":
								remote = j.str()
							default:
								j.skip()
							}
						})
					case "info_slave_data":
						if slaveKind == "bridge" {
							slaveData = l2linuxFlatObject(j)
							break
						}
						j.skip()
					default:
						j.skip()
					}
				})
			case "addr_info":
				j.array(func() {
					var a string
					bits := -1
					j.object(func(k2 string) {
						switch k2 {
						case "local":
							a = j.str()
						case "prefixlen":
							bits, _ = strconv.Atoi(j.scalar())
						default:
							j.skip()
						}
					})
					if ad, err := netip.ParseAddr(a); err == nil && bits >= 0 {
						if p, err := ad.Prefix(bits); err == nil {
							i.Addrs = append(i.Addrs, netip.PrefixFrom(ad, p.Bits()))
						}
					}
				})
			default:
				j.skip()
			}
		})
		if j.bad || i.Name == "" {
			return
		}
		i.AdminUp = up
		i.OperUp = oper == "UP" || (oper == "UNKNOWN" && up && lowerUp)
		i.Tunnel = linuxTunnelKinds[kind] || (kind == "tun" && strings.HasPrefix(i.Name, "ipsec"))
		if i.Tunnel {
			i.TunnelSrc, _ = netip.ParseAddr(local)
			i.TunnelDst, _ = netip.ParseAddr(remote)
		}
		i.Src = netmodel.Lines(start, j.line)
		out = append(out, i)
		if kind == "bridge" && infoData != nil {
			br.bridge(i.Name, infoData, i.Src)
		}
		if slaveKind == "bridge" && slaveData != nil && master != "" {
			br.port(i.Name, master, slaveData, i.Src)
		}
	})
	res := linuxLinks{Ifs: out, STP: br.trees()}
	if j.bad {
		return res, errorf(j.line, "malformed JSON")
	}
	return res, nil
}

func linuxMergeLinks(d *netmodel.Device, file, _ string, links linuxLinks) {
	l2linuxMergeSTP(d, file, "", links.STP)
	for _, i := range links.Ifs {
		i.Src = setFile(i.Src, file)
		o := d.FindInterface(i.Name)
		if o == nil {
			d.Interfaces = append(d.Interfaces, i)
			continue
		}
		o.AdminUp, o.OperUp, o.Known = i.AdminUp, i.OperUp, true
		o.Tunnel = o.Tunnel || i.Tunnel
		if i.TunnelSrc.IsValid() {
			o.TunnelSrc, o.TunnelDst = i.TunnelSrc, i.TunnelDst
		}
		for _, a := range i.Addrs {
			dup := false
			for _, b := range o.Addrs {
				dup = dup || a == b
			}
			if !dup {
				o.Addrs = append(o.Addrs, a)
			}
		}
		o.Src = i.Src
	}
}
