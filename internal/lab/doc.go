// Package lab runs real network software in network namespaces for tests,
// reaches it through nettui's own SSH collection, and captures what goes
// over its links: every headline verdict is checked against real
// implementations. The tests start and tear down everything themselves;
// only processes the test started are signalled (by their PID), and every
// namespace it created is deleted.
//
// Everything here needs root (namespaces, veths, mounts, packet sockets).
// Require skips a test on a machine without root, printing why; as root a
// missing program is a failure naming the Debian package (CI runs the lab
// as root and installs them).
//
// # Namespaces and links
//
//	lab.Require(t, "ovs-vswitchd", "/usr/sbin/sshd")
//	a := lab.Netns(t, "ntlosw1")  // "ntlosw1-3f0c": lo up, IPv6 off; deleted at the end
//	b := lab.Netns(t, "ntlosw2")
//	lab.Veth(t, a, "a1", b, "b1") // both ends up
//	out, err := a.Run(ctx, "ip", "-j", "link") // inside a; err holds the output
//	a.Must(t, "ip", "addr", "add", "10.0.0.1/24", "dev", "a1")
//	a.Do(func() error { ... })    // on a thread switched into a (packet sockets)
//
// Names start with "ntl" and a letter of their user: "ntlo" Open vSwitch,
// "ntlb" Linux bridge, "ntls" strongSwan, "ntlf" FRR. A random suffix keeps
// tests and test processes running at the same time apart.
//
// # Daemons
//
//	p := lab.Start(t, ns, logPath, "ovsdb-server", "--pidfile", ...)
//	p := lab.StartDaemon(t, ns, lab.Daemon{Args: ..., Env: []string{"OVS_RUNDIR=" + dir},
//		Binds: []lab.Bind{{Src: runDir, Dst: "/run"}}, Log: logPath})
//	lab.Poll(t, 20*time.Second, "ovs-vswitchd answering", func() (bool, string) {
//		out, err := ...
//		return err == nil, out
//	}, logPath)
//
// A daemon runs in the foreground as the test's child (ip netns exec and
// sh -c 'mount ... && exec DAEMON' keep its PID); at the end it gets
// SIGTERM, then SIGKILL, and is always waited for. One that exits early
// fails the test with its log. A daemon that can only detach itself is
// taken in charge by its pidfile with Adopt. Tests never sleep to
// synchronise: Poll checks a state until a deadline and, on timeout, fails
// printing what it saw last and the daemons' logs.
//
// # Reaching devices the way nettui does
//
//	f := lab.Front(t, []lab.FrontDevice{
//		{Name: "sw1", NS: a, Env: []string{"OVS_RUNDIR=" + dir1}},
//		{Name: "gw1", NS: g, Env: []string{"STRONGSWAN_CONF=" + conf},
//			Binds: []lab.Bind{{Src: swanctlDir, Dst: "/etc/swanctl"}}},
//	})
//	b := f.Collect(t, lab.Site{Name: "x", Links: [][2]string{{"sw1:a1", "sw2:b1"}},
//		Expect: map[string]string{"stp_root": "sw1"}})
//	b.AddCapture(t, c)             // captures/NAME.pcapng, decoded into b.Snapshot
//	lab.ExpectFindings(t, "x", b.Snapshot, []string{"RULE-ID\tsubject", ...})
//	b.Write(t, dir)                // a bundle on disk (regression fixtures)
//
// Front starts one real OpenSSH sshd on 127.0.0.1 (internal/sshlab) with a
// port per device; the port's forced command runs the command it was sent
// through /bin/sh inside the device's namespace, with the device's
// environment and bind mounts (in the command's private mount namespace).
// HideHost gives a device empty stand-ins for the lab machine's own
// service state (/etc/swanctl, /etc/ipsec.conf, the default sockets of
// charon, Open vSwitch and FRR), so it answers as a host without them.
// Collect runs collectors/collect.Run on the inventory of those ports: the
// platform catalog's allow-listed commands only, host keys checked
// against known_hosts, outputs redacted as they arrive. It fails the test
// when a device is not fully collected or when an output is not
// recognised or does not parse (Problems). LoadBundle loads a bundle the
// way `nettui diagnose` does, captures included; Findings and
// ExpectFindings compare "RULE-ID<TAB>subject" sets.
//
// # Captures
//
//	c := lab.StartCapture(t, ns, lab.CaptureSpec{Name: "sw1-bond0", Device: "sw1",
//		Interface: "bond0", Ifaces: []string{"a1", "a2"}, Filter: "ether proto 0x8809 or vlan"})
//	... c.Summaries() (decoded frames, for Poll) ...
//	c.Stop(t)                      // the pcapng at c.Path(), frames in time order
//
// A capture is probes/capture's live AF_PACKET source opened inside the
// namespace, on one or several interfaces (a bond's members) into one
// pcapng file.
//
// # Scenario helpers
//
// OVS / OVSPair (ovs.go): Open vSwitch instances with the userspace
// datapath, ovsdb-server and ovs-vswitchd in the foreground, all state in
// a directory that is the instance's OVS_RUNDIR, so the plain commands of
// the catalog (`ovs-vsctl show`, `ovs-appctl lacp/show`) reach that
// instance. LinuxBridge (bridge.go): a kernel bridge with STP in a
// namespace. NewSwanPair (swan.go): two strongSwan gateways (charon with
// kernel-libipsec, its own strongswan.conf, vici socket and run directory
// bind-mounted over the compiled-in one) joined by a veth, with LAN to add
// protected networks and Ping to send traffic through the tunnel.
// StartFRR (frr.go): zebra and staticd in a namespace with their own vty
// socket directory, reached by `vtysh -c` through the front.
//
// # Fixtures
//
// With NETTUI_LAB_RECORD=1 the scenario tests save their bundles under
// fixtures/lab/ (see its README); without it nothing under fixtures/ is
// written.
package lab
