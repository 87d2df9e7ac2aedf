package lab

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/collectors/parse"
	"github.com/nettui/nettui/internal/netmodel"
)

// strongSwan gateways: one charon per namespace, ESP done in userspace by
// the kernel-libipsec plugin (a TUN device ipsec0, always UDP-encapsulated:
// the lab kernel has no ESP), reached by nettui as Linux hosts.
//
//	gwa  ike0 172.31.0.1/24   lan0 (SwanConn.LANs, protected)
//	gwb  ike0 172.31.0.2/24   lan0 (SwanConn.LANs, protected)
//
// ike0 is a veth pair between the two namespaces; lan0 is a veth whose
// other end (lan0p) stays in the same namespace (LAN), so the protected
// networks are connected routes as on a real gateway.
//
// Each gateway has a directory of its own (GW.Dir) holding what a real
// gateway keeps in /etc and /run: strongswan.conf, swanctl/ (swanctl.conf
// including conf.d/NAME.conf with the connection and its PSK) and run/
// (charon.pid, charon.vici). charon runs with run/ mounted over /run in
// its private mount namespace (its pid file and the vici socket's default
// path are compiled in), and the commands nettui sends over SSH run with
// the same mount plus swanctl/ over /etc/swanctl and an empty
// /etc/ipsec.conf, so plain `swanctl --list-sas` and `cat
// /etc/swanctl/swanctl.conf /etc/swanctl/conf.d/*.conf` reach this gateway
// and no other, and the tools of software it does not run (vtysh,
// ovs-vsctl) find nothing, as on such a host.

// Charon is strongSwan's IKE daemon (Debian: strongswan-charon).
const Charon = "/usr/lib/ipsec/charon"

// SwanPrograms are the programs a strongSwan lab needs (for Require).
var SwanPrograms = []string{Charon, "swanctl", "ping", "mount", "/usr/sbin/sshd"}

// swanPlugins are charon plugins the lab loads that come in packages of
// their own (Require checks programs only): the file and its package.
var swanPlugins = [][2]string{
	{"/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so", "libcharon-extra-plugins"},
	{"/usr/lib/ipsec/plugins/libstrongswan-openssl.so", "libstrongswan-standard-plugins"},
}

// requirePlugins fails the test, naming the package, when a plugin charon
// must load is not installed (charon would start without it and no SA
// would ever work).
func requirePlugins(t testing.TB) {
	t.Helper()
	for _, p := range swanPlugins {
		if _, err := os.Stat(p[0]); err != nil {
			t.Fatalf("lab: strongSwan plugin %s missing; install with: apt-get install -y %s", p[0], p[1])
		}
	}
}

// SwanTimeout bounds charon's start and an SA coming up.
const SwanTimeout = 20 * time.Second

// Addresses of the two gateways.
const (
	GWAOuter = "172.31.0.1"
	GWBOuter = "172.31.0.2"
)

// SwanConn is one gateway's IPsec configuration: one connection "site"
// with one child "net".
type SwanConn struct {
	// LocalTS and RemoteTS are the child's traffic selectors.
	LocalTS, RemoteTS []string
	// IKE and ESP are the proposals (swanctl syntax).
	IKE, ESP string
	// PSK is the pre-shared key (the same on both ends).
	PSK string
	// LANs are the addresses (with their length) put on lan0, the
	// gateway's protected network; none, no lan0.
	LANs []string
}

// GW is one strongSwan gateway.
type GW struct {
	Name    string // device name: gwa, gwb
	NS      *NS
	Dir     string
	Outer   string // ike0 address
	Peer    string // the other gateway's outer address
	LocalID string
	Conn    SwanConn
	Charon  *Proc

	logs []string
}

// SwanPair is the two gateways, linked by ike0.
type SwanPair struct {
	Dir    string
	A, B   *GW
	extras []string
}

// NewSwanPair creates both gateways' namespaces (named "ntls"+tag+"a" and
// "b"), links them, writes their configurations, starts both charons,
// waits until each answers on its vici socket and loads its connection.
// No SA is initiated.
func NewSwanPair(t testing.TB, tag string, a, b SwanConn) *SwanPair {
	t.Helper()
	requirePlugins(t)
	p := &SwanPair{Dir: TempDir(t, "ntls")}
	// The FRR daemons, which run as user frr, must reach their state
	// under this directory.
	if err := os.Chmod(p.Dir, 0o755); err != nil {
		t.Fatalf("lab: %v", err)
	}
	p.A = &GW{Name: "gwa", Outer: GWAOuter, Peer: GWBOuter, LocalID: "gw-a", Conn: a}
	p.B = &GW{Name: "gwb", Outer: GWBOuter, Peer: GWAOuter, LocalID: "gw-b", Conn: b}
	for _, g := range []*GW{p.A, p.B} {
		g.NS = Netns(t, "ntls"+tag+g.Name[2:])
		g.Dir = filepath.Join(p.Dir, g.Name)
		g.logs = []string{filepath.Join(g.Dir, "charon.log"), filepath.Join(g.Dir, "charon.out")}
		g.writeConfig(t)
		if len(g.Conn.LANs) > 0 {
			LAN(t, g.NS, "lan0", g.Conn.LANs...)
		}
	}
	Veth(t, p.A.NS, "ike0", p.B.NS, "ike0")
	p.A.NS.Must(t, "ip", "addr", "add", GWAOuter+"/24", "dev", "ike0")
	p.B.NS.Must(t, "ip", "addr", "add", GWBOuter+"/24", "dev", "ike0")
	for _, g := range []*GW{p.A, p.B} {
		g.Charon = StartDaemon(t, g.NS, Daemon{
			Name: g.Name + " charon", Args: []string{Charon},
			Env:   []string{"STRONGSWAN_CONF=" + g.conf()},
			Binds: []Bind{{Src: g.run(), Dst: "/run"}},
			Log:   filepath.Join(g.Dir, "charon.out"),
		})
	}
	for _, g := range []*GW{p.A, p.B} {
		Poll(t, SwanTimeout, g.Name+" charon answering on "+g.vici(), func() (bool, string) {
			out, err := g.Swanctl(context.Background(), "--stats")
			return err == nil, out
		}, g.Logs()...)
		ctx, cancel := context.WithTimeout(context.Background(), SwanTimeout)
		out, err := g.Swanctl(ctx, "--load-all", "--noprompt", "--file", filepath.Join(g.Dir, "swanctl", "swanctl.conf"))
		cancel()
		if err != nil || !strings.Contains(out, "loaded connection 'site'") {
			t.Fatalf("lab: %s: swanctl --load-all: %v\n%s", g.Name, err, out)
		}
	}
	return p
}

// LAN gives ns a protected network: a veth name whose other end
// (name+"p") stays in ns, up without an address, so the addresses are
// connected routes as on a real interface.
func LAN(t testing.TB, ns *NS, name string, addrs ...string) {
	t.Helper()
	ns.Must(t, "ip", "link", "add", name, "type", "veth", "peer", "name", name+"p")
	for _, a := range addrs {
		ns.Must(t, "ip", "addr", "add", a, "dev", name)
	}
	ns.Must(t, "ip", "link", "set", name, "up")
	ns.Must(t, "ip", "link", "set", name+"p", "up")
}

func (g *GW) conf() string { return filepath.Join(g.Dir, "strongswan.conf") }
func (g *GW) run() string  { return filepath.Join(g.Dir, "run") }
func (g *GW) vici() string { return filepath.Join(g.run(), "charon.vici") }

// Logs are the gateway's log files, for failure messages.
func (g *GW) Logs() []string { return g.logs }

// Logs are both gateways' log files.
func (p *SwanPair) Logs() []string {
	return append(append(append([]string{}, p.A.Logs()...), p.B.Logs()...), p.extras...)
}

// writeConfig writes strongswan.conf and swanctl/ of a gateway.
func (g *GW) writeConfig(t testing.TB) {
	t.Helper()
	// swanctl --load-all --file X also reads the credential directories
	// beside X: they exist, empty.
	for _, d := range []string{"run", "swanctl/conf.d", "swanctl/x509", "swanctl/x509ca", "swanctl/x509ocsp", "swanctl/x509aa",
		"swanctl/x509ac", "swanctl/x509crl", "swanctl/pubkey", "swanctl/private", "swanctl/rsa", "swanctl/ecdsa",
		"swanctl/bliss", "swanctl/pkcs8", "swanctl/pkcs12"} {
		if err := os.MkdirAll(filepath.Join(g.Dir, d), 0o755); err != nil {
			t.Fatalf("lab: %v", err)
		}
	}
	conf := fmt.Sprintf(`charon {
    # ESP in userspace: kernel-libipsec before kernel-netlink. The plugin
    # routes each SA's remote subnets into its TUN device ipsec0 (table
    # 220) itself, whatever install_routes says.
    load_modular = no
    load = random nonce openssl aes des sha1 sha2 md5 hmac gmp kdf pem pkcs1 pkcs8 x509 pubkey kernel-libipsec kernel-netlink socket-default vici
    retransmit_tries = 2
    retransmit_timeout = 1.0
    filelog {
        main {
            path = %s
            time_format = %%b %%e %%T
            append = no
            flush_line = yes
            default = 1
            ike = 2
            cfg = 2
            chd = 2
        }
    }
    syslog {
        daemon {
            default = -1
        }
    }
}
swanctl {
    load = random nonce openssl aes sha1 sha2 hmac gmp pem pkcs1 pkcs8 x509 pubkey
}
`, filepath.Join(g.Dir, "charon.log"))
	peerID := map[string]string{"gw-a": "gw-b", "gw-b": "gw-a"}[g.LocalID]
	conn := fmt.Sprintf(`# %s: IKEv2 PSK tunnel to %s
connections {
    site {
        version = 2
        local_addrs = %s
        remote_addrs = %s
        proposals = %s
        local {
            auth = psk
            id = %s
        }
        remote {
            auth = psk
            id = %s
        }
        children {
            net {
                local_ts = %s
                remote_ts = %s
                esp_proposals = %s
            }
        }
    }
}
secrets {
    ike-site {
        id-a = gw-a
        id-b = gw-b
        secret = "%s"
    }
}
`, g.Name, g.Peer, g.Outer, g.Peer, g.Conn.IKE, g.LocalID, peerID,
		strings.Join(g.Conn.LocalTS, ", "), strings.Join(g.Conn.RemoteTS, ", "), g.Conn.ESP, g.Conn.PSK)
	files := map[string]string{
		"strongswan.conf":                    conf,
		"swanctl/swanctl.conf":               "# strongSwan configuration file (see swanctl.conf(5))\ninclude conf.d/*.conf\n",
		"swanctl/conf.d/" + g.Name + ".conf": conn,
		"ipsec.conf":                         "", // what /etc/ipsec.conf reads as: no legacy configuration
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(g.Dir, name), []byte(text), 0o644); err != nil {
			t.Fatalf("lab: %v", err)
		}
	}
}

// Swanctl runs swanctl against the gateway's charon, from the test's own
// namespace (the vici socket is a unix socket, reachable from anywhere).
func (g *GW) Swanctl(ctx context.Context, cmd string, args ...string) (string, error) {
	// --uri is an option of the command: it goes after it
	all := append([]string{cmd, "--uri", "unix://" + g.vici()}, args...)
	c := exec.CommandContext(ctx, "swanctl", all...)
	c.Env = append(os.Environ(), "STRONGSWAN_CONF="+g.conf())
	out, err := c.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: swanctl %s: %w\n%s", g.Name, strings.Join(all, " "), err, out)
	}
	return string(out), nil
}

// Initiate asks the gateway to bring up child "net" (and the IKE SA it
// needs) and returns swanctl's output and whether it succeeded.
func (g *GW) Initiate(t testing.TB) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), SwanTimeout)
	defer cancel()
	out, err := g.Swanctl(ctx, "--initiate", "--child", "net", "--timeout", "15")
	return out, err == nil
}

// SAs reads the gateway's SAs as nettui does: `swanctl --list-sas`
// through the swanctl parser. text is the output.
func (g *GW) SAs(t testing.TB) (ipsec netmodel.IPsec, text string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), SwanTimeout)
	defer cancel()
	text, err := g.Swanctl(ctx, "--list-sas")
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	d := &netmodel.Device{Name: g.Name, Platform: netmodel.Linux}
	e := parse.Lookup(netmodel.Linux, parse.CapSwanctlSAs)
	if err := e.Apply(strings.NewReader(text), d, "swanctl-list-sas", ""); err != nil {
		t.Fatalf("lab: %s: reading swanctl --list-sas: %v\n%s", g.Name, err, text)
	}
	return d.IPsec, text
}

// WaitSAs polls until the gateway lists an established IKE SA and, when
// child is set, an installed child SA.
func (g *GW) WaitSAs(t testing.TB, child bool) netmodel.IPsec {
	t.Helper()
	var ip netmodel.IPsec
	Poll(t, SwanTimeout, fmt.Sprintf("%s: IKE SA established, child SA installed: %v", g.Name, child), func() (bool, string) {
		var text string
		ip, text = g.SAs(t)
		ok := len(ip.IKESAs) == 1 && ip.IKESAs[0].Up
		if child {
			ok = ok && len(ip.ChildSAs) == 1
		}
		return ok, text
	}, g.Logs()...)
	return ip
}

// Ping sends count echo requests from the gateway's first LAN address to
// dst and reports whether all were answered.
func (g *GW) Ping(t testing.TB, dst string, count int) (bool, string) {
	t.Helper()
	return Ping(t, g.NS, strings.SplitN(g.Conn.LANs[0], "/", 2)[0], dst, count)
}

// Ping sends count echo requests from src (an address of ns) to dst, 0.1 s
// apart, and reports whether all were answered, with ping's output.
func Ping(t testing.TB, ns *NS, src, dst string, count int) (bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	out, err := ns.Run(ctx, "ping", "-n", "-q", "-c", fmt.Sprint(count), "-i", "0.1", "-W", "2", "-I", src, dst)
	return err == nil && strings.Contains(out, fmt.Sprintf("%d received", count)), out
}

// FrontDevice is the gateway as nettui reaches it: its commands run in its
// namespace with its run directory over /run (charon's vici socket, FRR's
// vty sockets), its swanctl directory over /etc/swanctl and an empty
// /etc/ipsec.conf.
func (g *GW) FrontDevice() FrontDevice {
	binds := []Bind{{Src: g.run(), Dst: "/run"}, {Src: filepath.Join(g.Dir, "swanctl"), Dst: "/etc/swanctl"}}
	if st, err := os.Stat("/etc/ipsec.conf"); err == nil && st.Mode().IsRegular() {
		binds = append(binds, Bind{Src: filepath.Join(g.Dir, "ipsec.conf"), Dst: "/etc/ipsec.conf"})
	}
	return FrontDevice{Name: g.Name, NS: g.NS, Env: []string{"STRONGSWAN_CONF=" + g.conf()}, Binds: binds}
}

// Front starts the front sshd for both gateways.
func (p *SwanPair) Front(t testing.TB) *Frontend {
	t.Helper()
	// /etc/swanctl must exist to be mounted over.
	if _, err := os.Stat("/etc/swanctl"); err != nil {
		t.Fatalf("lab: /etc/swanctl: %v (Debian package strongswan-swanctl)", err)
	}
	return Front(t, []FrontDevice{p.A.FrontDevice(), p.B.FrontDevice()})
}
