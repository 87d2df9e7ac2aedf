// Package capture reads packet captures (pcap and pcapng files, and pcap
// streams such as `tcpdump -U -w -` over SSH), decodes them with a
// zero-allocation gopacket DecodingLayerParser (Ethernet, 802.1Q/QinQ, ARP,
// IPv4/IPv6, UDP/TCP, ICMP, GRE, ESP, and this package's LACP, BPDU, IKE,
// CDP and LLDP layers) into compact Summaries, aggregates them in Stats
// (per interface/VLAN, LACP and BPDU per port, ESP per SPI and direction,
// IKE exchanges, top talkers, a ring of recent packets) and saves captures as
// pcapng.
package capture
