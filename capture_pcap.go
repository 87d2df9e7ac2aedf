//go:build pcap && cgo

package main

import "github.com/nettui/nettui/probes/capture"

// With -tags pcap, local live captures go through libpcap.
func init() {
	openLocal = func(iface, filter string) (capture.Source, error) {
		src, err := capture.OpenPcap(iface, filter, 0)
		if err != nil {
			return nil, err
		}
		return src, nil
	}
}
