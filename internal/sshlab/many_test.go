package sshlab

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// TestManyDevices starts more devices than one sshd can listen for
// (OpenSSH's 16 listen sockets): the server runs several sshd processes
// with the same keys, and every port answers with its own fake device.
func TestManyDevices(t *testing.T) {
	var devs []Device
	for i := range maxListenPorts + 4 {
		name := fmt.Sprintf("sw%02d", i)
		devs = append(devs, NewDevice(t, DeviceSpec{Name: name, Outputs: map[string]string{"show hostname": name + "\n"}}))
	}
	srv := Start(t, Options{Devices: devs})
	if len(srv.procs) != 2 || !srv.Running() {
		t.Fatalf("%d sshd processes, running %v", len(srv.procs), srv.Running())
	}
	for _, name := range []string{"sw00", fmt.Sprintf("sw%02d", maxListenPorts+3)} {
		out, err := exec.Command("/usr/bin/ssh", "-F", "/dev/null", "-i", srv.ClientKeyFile(), "-o", "UserKnownHostsFile="+srv.KnownHostsFile(),
			"-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-p", fmt.Sprint(srv.Port(name)), srv.User()+"@127.0.0.1", "show hostname").CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != name {
			t.Errorf("%s: %v %q", name, err, out)
		}
	}
	srv.Stop()
	if srv.Running() {
		t.Error("still running after Stop")
	}
}
