// Package netmodel is the canonical schema every other package speaks: devices,
// vSwitches, port groups, switch ports, neighbours, links and findings, with the
// VLAN-set type and interface-name canonicalisation. It is a leaf package: the
// standard library only.
package netmodel
