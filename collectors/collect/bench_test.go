package collect

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nettui/nettui/collectors/platform"
	"github.com/nettui/nettui/internal/fakedevice"
	"github.com/nettui/nettui/internal/netmodel"
	"github.com/nettui/nettui/internal/sshlab"
)

// benchDevices is the site size of BenchmarkCollectSite: 200 by default,
// NETTUI_BENCH_DEVICES to change it (the CI smoke run uses a small site).
func benchDevices(b *testing.B) int {
	if s := os.Getenv("NETTUI_BENCH_DEVICES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("NETTUI_BENCH_DEVICES=%q", s)
		}
		return n
	}
	return 200
}

// BenchmarkCollectSite collects N fake IOS devices × 10 commands, each
// answered after 50 ms, through one real sshd on loopback, 16 devices at a
// time. It reports the wall time against the ideal (commands sequential per
// device, devices parallel at the limit: ceil(N/16) × 10 × 50 ms) and, in
// the same run, against OpenSSH's ssh run once per command by xargs -P16.
func BenchmarkCollectSite(b *testing.B) {
	const (
		perCmd      = 50 * time.Millisecond
		concurrency = 16
		commands    = 10
	)
	n := benchDevices(b)
	def, err := platform.Get(netmodel.IOS)
	if err != nil {
		b.Fatal(err)
	}
	var caps, lines []string
	for _, c := range def.Commands {
		if len(caps) == commands {
			break
		}
		if c.PerObject() {
			continue
		}
		caps = append(caps, c.Capability)
		lines = append(lines, c.Command)
	}
	out := readFixture(b, "../../fixtures/demo/devices/acc-stack1/show-interfaces-trunk.txt")
	specs := make([]sshlab.DeviceSpec, n)
	platforms := map[string]netmodel.Platform{}
	for i := range specs {
		name := fmt.Sprintf("sw%03d", i+1)
		outs := map[string]string{}
		for _, l := range lines {
			outs[l] = out
		}
		specs[i] = sshlab.DeviceSpec{Name: name, Platform: "ios", Outputs: outs,
			Faults: fakedevice.Faults{Fault: fakedevice.Fault{Delay: fakedevice.Duration(perCmd)}}}
		platforms[name] = netmodel.IOS
	}
	site := startLabSite(b, specs, platforms, nil, nil)
	ideal := time.Duration(math.Ceil(float64(n)/concurrency)) * commands * perCmd
	// The same site answering at once: what sshd and the fake devices cost
	// on this machine's cores, which the ideal leaves out.
	fast := make([]sshlab.DeviceSpec, n)
	for i := range specs {
		fast[i] = specs[i]
		fast[i].Faults = fakedevice.Faults{}
	}
	floorSite := startLabSite(b, fast, platforms, nil, nil)

	o := site.options()
	o.Concurrency = concurrency
	o.Capabilities = caps
	b.ReportAllocs()
	b.ResetTimer()
	var wall time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := Run(context.Background(), site.inv, o)
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		for _, d := range res.Meta.Devices {
			if d.Status != netmodel.StatusOK || len(d.Commands) != commands {
				b.Fatalf("%s: %s %s (%d commands)", d.Name, d.Status, d.Error, len(d.Commands))
			}
		}
	}
	b.StopTimer()
	wall /= time.Duration(b.N)
	fo := floorSite.options()
	fo.Concurrency, fo.Capabilities = concurrency, caps
	start := time.Now()
	if _, err := Run(context.Background(), floorSite.inv, fo); err != nil {
		b.Fatal(err)
	}
	floor := time.Since(start)

	// The same collection with OpenSSH: one ssh per command, 16 at a time.
	var args bytes.Buffer
	for _, s := range specs {
		for _, l := range lines {
			fmt.Fprintf(&args, "%d\x00%s\x00", site.srv.Port(s.Name), l)
		}
	}
	script := fmt.Sprintf(`exec ssh -F %s -o BatchMode=yes -p "$1" 127.0.0.1 "$2" > /dev/null`, site.sshConfig)
	cmd := exec.Command("xargs", "-0", "-P", strconv.Itoa(concurrency), "-n", "2", "sh", "-c", script, "ssh-one")
	cmd.Stdin = &args
	cmd.Dir = filepath.Dir(site.sshConfig)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start = time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("OpenSSH loop: %v\n%s", err, stderr.String())
	}
	openssh := time.Since(start)

	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(ideal.Seconds(), "ideal-s")
	b.ReportMetric(wall.Seconds()/ideal.Seconds(), "x-ideal")
	b.ReportMetric(floor.Seconds(), "no-delay-s")
	b.ReportMetric(openssh.Seconds(), "openssh-s")
	b.ReportMetric(openssh.Seconds()/wall.Seconds(), "x-faster-than-openssh")
}
