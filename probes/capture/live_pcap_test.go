//go:build pcap && cgo && linux

package capture

import (
	"errors"
	"io"
	"testing"
	"time"
)

// openPcap starts a libpcap capture with filter on the capture end of the
// pair.
func (l *vethLab) openPcap(t *testing.T, filter string) *PcapSource {
	t.Helper()
	var src *PcapSource
	err := inNetns(l.capNS, func() (err error) {
		src, err = OpenPcap(l.capIf, filter, 0)
		return err
	})
	if err != nil {
		t.Fatalf("OpenPcap(%s, %q): %v", l.capIf, filter, err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// TestPcapCaptureNetns: the libpcap build captures on a veth in a namespace
// the test creates, applies the tcpdump filter itself, keeps VLAN tags and
// stops promptly on Close.
func TestPcapCaptureNetns(t *testing.T) {
	lab := newVethLab(t)
	peer := []byte{192, 0, 2, 1}

	t.Run("vlan 10", func(t *testing.T) {
		src := lab.openPcap(t, "vlan 10")
		c := collect(src)
		lab.sendFrames(t,
			testUDP4(t, filterMacA, peer, 1000, 53, 0),
			testLACPDU(t, filterMacA, 7, 0),
			testUDP4(t, filterMacA, peer, 1000, 1020, 20),
			testUDP4(t, filterMacA, peer, 1000, 1010, 10))
		c.waitFor(t, "VLAN 10 UDP frame", isUDP(1010))
		time.Sleep(300 * time.Millisecond) // anything else would have arrived by now
		c.stop(t)
		got := c.summaries()
		if len(got) != 1 || got[0].VLANCount != 1 || got[0].VLANs[0] != 10 || got[0].Iface != lab.capIf {
			t.Errorf("with the vlan 10 filter got %v; want the one VLAN 10 frame", got)
		}
	})

	t.Run("lacp", func(t *testing.T) {
		src := lab.openPcap(t, "ether proto 0x8809")
		c := collect(src)
		lab.sendFrames(t, testUDP4(t, filterMacA, peer, 1000, 53, 0), testLACPDU(t, filterMacA, 8, 0))
		c.waitFor(t, "LACPDU", isLACP(8))
		time.Sleep(300 * time.Millisecond)
		c.stop(t)
		if got := c.summaries(); len(got) != 1 || !isLACP(8)(got[0]) {
			t.Errorf("with the LACP filter got %v; want the one LACPDU", got)
		}
	})

	t.Run("bad filter", func(t *testing.T) {
		err := inNetns(lab.capNS, func() error {
			s, err := OpenPcap(lab.capIf, "vlan and and", 0)
			if err == nil {
				s.Close()
			}
			return err
		})
		var fe *FilterError
		if !errors.As(err, &fe) || fe.Filter != "vlan and and" {
			t.Errorf("bad filter: %v; want a FilterError", err)
		}
	})

	t.Run("close unblocks next", func(t *testing.T) {
		src := lab.openPcap(t, "ether proto 0x88b5")
		done := make(chan error, 1)
		go func() {
			for {
				if _, _, err := src.Next(); err != nil {
					done <- err
					return
				}
			}
		}()
		time.Sleep(200 * time.Millisecond)
		src.Close()
		select {
		case err := <-done:
			if err != io.EOF {
				t.Errorf("Next after Close: %v; want io.EOF", err)
			}
		case <-time.After(time.Second):
			t.Fatal("a blocked Next did not return within 1 s of Close")
		}
	})
}
