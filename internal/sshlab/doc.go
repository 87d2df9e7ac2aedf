// Package sshlab starts real OpenSSH sshd processes on 127.0.0.1 for tests:
// every fake device gets its own port, whose sessions run the fake device
// program (package internal/fakedevice) through sshd's ForceCommand.
//
//	dev := sshlab.NewDevice(t, sshlab.DeviceSpec{
//		Name: "sw1", Platform: "ios",
//		Outputs: map[string]string{"show interfaces trunk": trunkText},
//	})
//	srv := sshlab.Start(t, sshlab.Options{Devices: []sshlab.Device{dev}})
//	// connect to srv.Addr("sw1") as srv.User() with srv.ClientKeyFile(),
//	// checking the host key against srv.KnownHostsFile().
//
// A server started with Options.Jump is a jump host (TCP forwarding on, no
// fake device). Servers are stopped, with every session process under
// them, when the test ends; Server.Stop does it earlier, to take a host
// down in the middle of a test.
//
// The package is for Linux (it reads /proc to find sshd's session
// processes). sshd must be installed at /usr/sbin/sshd (Debian: openssh-server); the
// tests of this package also use the OpenSSH client at /usr/bin/ssh. Tests
// normally run as root: sshd then needs its privilege separation directory
// /run/sshd, which Start creates.
package sshlab
