#!/bin/bash
# Records the real captures used by the probes/capture golden tests.
#
# Every capture comes from real software running in network namespaces this
# script creates (names prefixed "ncap-"); they are deleted again at the end and
# only daemons whose PIDs this script recorded are stopped.
#
#   ovs-lacp-a1.pcap, ovs-lacp-a2.pcap  Open vSwitch LACP bond (userspace datapath),
#                                      802.1Q trunk traffic on VLANs 10 and 20, then the
#                                      peer turns LACP off for 5 s and on again.
#   ovs-rstp.pcap                      Open vSwitch RSTP (802.1w) BPDUs, two-link loop.
#   ovs-stp.pcap                       Open vSwitch STP (802.1D) BPDUs, two-link loop.
#   bridge-stp.pcap                    Linux bridge kernel STP with a topology change.
#   ike-esp-good.pcap                  strongSwan IKEv2 PSK tunnel + ESP-in-UDP (NAT-T).
#   ike-proposal-mismatch.pcap         IKE_SA_INIT answered with NO_PROPOSAL_CHOSEN.
#   ike-ts-mismatch.pcap               IKE_AUTH answered with TS_UNACCEPTABLE (encrypted).
#   ike-no-answer.pcap                 IKE_SA_INIT requests to a peer without a daemon.
#
# usage: record.sh [outdir]      (root; default outdir: the directory of this script)
# needs: ovs-vswitchd/ovsdb-server, strongSwan charon + swanctl, tcpdump, iproute2
set -u
OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
LAB=${LAB:-/tmp/ncap-record.$$}
PIDS=()
NSS=()
mkdir -p "$LAB"

ns_add() { ip netns add "$1" && NSS+=("$1"); ip -n "$1" link set lo up
    ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; }
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for f in "$LAB"/*/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
    sleep 0.5
    for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null; done
    rm -rf "${LAB:?}"/ncap-* "${LAB:?}"/gw?
    NSS=(); PIDS=()
}
trap 'cleanup; rm -rf "$LAB"' EXIT
trap 'exit 1' INT TERM

wait_for() {  # timeout_s cmd...
    local t=$(( $1 * 5 )); shift
    while [ $t -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; t=$((t-1)); done
    return 1
}
# cap NS IFACE FILE FILTER: start tcpdump in the background (root-owned output)
cap() { ip netns exec "$1" tcpdump --immediate-mode -Z root -U -i "$2" -w "$3" "$4" 2>/dev/null & CAPS+=($!); PIDS+=($!); }
cap_stop() { sleep 0.5; kill "${CAPS[@]}" 2>/dev/null; wait "${CAPS[@]}" 2>/dev/null; CAPS=(); }
CAPS=()

# ---------- Open vSwitch ----------
vsctl()  { local sw=$1; shift; ovs-vsctl --timeout=10 --db=unix:$LAB/$sw/db.sock "$@"; }
appctl() { local sw=$1; shift; ovs-appctl --timeout=10 --target=$LAB/$sw/ovs-vswitchd.ctl "$@"; }
ovs_switch() {  # name (also the netns)
    local sw=$1 d=$LAB/$1
    mkdir -p "$d"; ns_add "$sw"
    ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
    ip netns exec "$sw" env OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d \
        ovsdb-server "$d/conf.db" --remote=punix:$d/db.sock --pidfile=$d/ovsdb-server.pid \
        --unixctl=$d/ovsdb-server.ctl --log-file=$d/ovsdb-server.log -vconsole:off --detach 2>/dev/null
    vsctl "$sw" --no-wait init
    ip netns exec "$sw" env OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d \
        ovs-vswitchd unix:$d/db.sock --pidfile=$d/ovs-vswitchd.pid --unixctl=$d/ovs-vswitchd.ctl \
        --log-file=$d/ovs-vswitchd.log -vconsole:off --detach 2>/dev/null
    vsctl "$sw" add-br br0 -- set bridge br0 datapath_type=netdev
    ip -n "$sw" link set br0 up
}
ovs_pair() {
    ovs_switch ncap-sw1; ovs_switch ncap-sw2
    ip link add a1 netns ncap-sw1 type veth peer name b1 netns ncap-sw2
    ip link add a2 netns ncap-sw1 type veth peer name b2 netns ncap-sw2
    for i in a1 a2; do ip -n ncap-sw1 link set $i up; done
    for i in b1 b2; do ip -n ncap-sw2 link set $i up; done
}
access_port() {  # sw name tag ip/len
    vsctl "$1" add-port br0 "$2" tag="$3" -- set interface "$2" type=internal
    ip -n "$1" link set "$2" up; ip -n "$1" addr add "$4" dev "$2"
}
host_port() {  # sw host tag ip/len
    ns_add "$2"
    ip link add eth0 netns "$2" type veth peer name "$2" netns "$1"
    ip -n "$2" link set eth0 up; ip -n "$2" addr add "$4" dev eth0
    ip -n "$1" link set "$2" up; vsctl "$1" add-port br0 "$2" tag="$3"
}

record_lacp() {
    ovs_pair
    vsctl ncap-sw1 add-bond br0 bond0 a1 a2 lacp=active bond_mode=balance-tcp trunks=10,20 \
        other_config:lacp-time=fast -- set bridge br0 other_config:hwaddr=02:00:00:00:00:01
    vsctl ncap-sw2 add-bond br0 bond0 b1 b2 lacp=active bond_mode=balance-tcp trunks=10,30 \
        other_config:lacp-time=fast -- set bridge br0 other_config:hwaddr=02:00:00:00:00:02
    access_port ncap-sw1 v10 10 10.0.10.1/24; access_port ncap-sw2 v10 10 10.0.10.2/24
    access_port ncap-sw1 v20 20 10.0.20.1/24; access_port ncap-sw2 v20 20 10.0.20.2/24
    cap ncap-sw1 a1 "$OUT/ovs-lacp-a1.pcap" 'ether proto 0x8809 or vlan'
    cap ncap-sw1 a2 "$OUT/ovs-lacp-a2.pcap" 'ether proto 0x8809 or vlan'
    sleep 1
    wait_for 20 sh -c "ovs-appctl --target=$LAB/ncap-sw1/ovs-vswitchd.ctl bond/show bond0 | grep -q 'lacp_status: negotiated'"
    ip netns exec ncap-sw1 ping -c3 -i0.3 -W1 10.0.10.2 >/dev/null   # VLAN 10: allowed on both trunks
    ip netns exec ncap-sw1 ping -c3 -i0.3 -W1 10.0.20.2 >/dev/null   # VLAN 20: not in sw2's trunk
    sleep 2
    vsctl ncap-sw2 set port bond0 lacp=off      # partner goes silent: sw1 expires it
    sleep 5
    vsctl ncap-sw2 set port bond0 lacp=active
    sleep 3
    cap_stop
    appctl ncap-sw1 lacp/show > "$LAB/lacp-show.txt" 2>&1
    cleanup
}

record_stp() {  # stp|rstp
    local mode=$1
    ovs_pair
    for sw in ncap-sw1 ncap-sw2; do vsctl $sw set bridge br0 ${mode}_enable=true; done
    vsctl ncap-sw1 set bridge br0 other_config:stp-priority=28672 other_config:rstp-priority=28672 \
        other_config:hwaddr=02:00:00:00:00:01
    vsctl ncap-sw2 set bridge br0 other_config:hwaddr=02:00:00:00:00:02
    vsctl ncap-sw1 add-port br0 a1 -- add-port br0 a2
    vsctl ncap-sw2 add-port br0 b1 -- add-port br0 b2
    host_port ncap-sw1 ncap-h1 10 10.0.10.1/24
    host_port ncap-sw2 ncap-h2 10 10.0.10.2/24
    cap ncap-sw1 a1 "$OUT/ovs-$mode.pcap" 'ether dst 01:80:c2:00:00:00'
    wait_for 60 ip netns exec ncap-h1 ping -c1 -W1 10.0.10.2
    sleep 3
    cap_stop
    cleanup
}

# ---------- Linux bridge STP ----------
record_bridge_stp() {
    local n p
    for n in ncap-lb1:4096:10.0.99.1/24 ncap-lb2:32768:10.0.99.2/24; do
        IFS=: read -r ns prio addr <<<"$n"
        ns_add "$ns"
        ip -n "$ns" link add br0 type bridge stp_state 1 priority "$prio" forward_delay 400 hello_time 200 max_age 2000
        ip -n "$ns" addr add "$addr" dev br0
    done
    ip link add p1 netns ncap-lb1 type veth peer name q1 netns ncap-lb2
    ip link add p2 netns ncap-lb1 type veth peer name q2 netns ncap-lb2
    for p in p1 p2; do ip -n ncap-lb1 link set $p master br0; ip -n ncap-lb1 link set $p up; done
    for p in q1 q2; do ip -n ncap-lb2 link set $p master br0; ip -n ncap-lb2 link set $p up; done
    cap ncap-lb2 q2 "$OUT/bridge-stp.pcap" 'ether dst 01:80:c2:00:00:00'
    ip -n ncap-lb1 link set br0 up; ip -n ncap-lb2 link set br0 up
    wait_for 20 sh -c "ip netns exec ncap-lb2 bridge link show | grep -q 'state blocking'"
    ip -n ncap-lb2 link set q1 down            # root port down: q2 takes over, topology change
    wait_for 20 sh -c "ip netns exec ncap-lb2 bridge link show | grep q2 | grep -q 'state forwarding'"
    sleep 3
    cap_stop
    cleanup
}

# ---------- strongSwan ----------
CHARON=/usr/lib/ipsec/charon
sw() { local gw=$1 cmd=$2; shift 2
    STRONGSWAN_CONF=$LAB/$gw/strongswan.conf swanctl "$cmd" --uri unix://$LAB/$gw/charon.vici "$@"; }
ike_conf() {  # gw local remote lid rid lts rts ikeprop espprop
    local d=$LAB/$1
    mkdir -p "$d/run"; (cd "$d" && mkdir -p x509 x509ca x509ocsp x509aa x509ac x509crl pubkey private rsa ecdsa bliss pkcs8 pkcs12)
    cat > "$d/strongswan.conf" <<EOF
charon {
    load_modular = no
    load = random nonce openssl aes sha1 sha2 hmac gmp kdf pem pkcs1 pkcs8 x509 pubkey kernel-libipsec kernel-netlink socket-default vici updown
    install_routes = yes
    retransmit_tries = 2
    retransmit_timeout = 1.0
    plugins { vici { socket = unix://$d/charon.vici } }
    filelog { main { path = $d/charon.log
        default = 1
        ike = 2 } }
    syslog { daemon { default = -1 } }
}
swanctl { load = random nonce openssl aes sha1 sha2 hmac gmp pem pkcs1 pkcs8 x509 pubkey }
EOF
    cat > "$d/swanctl.conf" <<EOF
connections { site {
    version = 2
    local_addrs = $2
    remote_addrs = $3
    proposals = $8
    rekey_time = 0
    dpd_delay = 0
    local { auth = psk
        id = $4 }
    remote { auth = psk
        id = $5 }
    children { net { local_ts = $6
        remote_ts = $7
        esp_proposals = $9
        rekey_time = 0 } }
} }
secrets { ike-site { id-a = gw-a
    id-b = gw-b
    secret = "nettui-capture-test-psk-0123456789" } }
EOF
}
ike_gw() {  # gw outer/len protected/len start_charon(0|1)
    local gw=$1 d=$LAB/$1
    ns_add "ncap-$gw"; ip -n "ncap-$gw" addr add "$3" dev lo
    [ "$4" = 1 ] || return 0
    ip netns exec "ncap-$gw" env STRONGSWAN_CONF=$d/strongswan.conf sh -c \
        "mount --bind $d/run /run && exec $CHARON" >"$d/charon.stdout" 2>&1 &
    PIDS+=($!)
}
record_ike() {  # name b_remote_ts b_ike_prop start_gwb(0|1)
    local name=$1
    ike_conf gwa 172.31.0.1 172.31.0.2 gw-a gw-b 10.1.0.0/24 10.2.0.0/24 aes128-sha256-modp2048 aes128-sha256
    ike_conf gwb 172.31.0.2 172.31.0.1 gw-b gw-a 10.2.0.0/24 "$2" "$3" aes128-sha256
    ike_gw gwa 172.31.0.1/24 10.1.0.1/24 1
    ike_gw gwb 172.31.0.2/24 10.2.0.1/24 "$4"
    ip link add ike0 netns ncap-gwa type veth peer name ike0 netns ncap-gwb
    ip -n ncap-gwa addr add 172.31.0.1/24 dev ike0; ip -n ncap-gwa link set ike0 up
    ip -n ncap-gwb addr add 172.31.0.2/24 dev ike0; ip -n ncap-gwb link set ike0 up
    local gws=gwa; [ "$4" = 1 ] && gws="gwa gwb"
    for gw in $gws; do
        wait_for 10 sw $gw --stats || { echo "charon $gw did not start" >&2; return 1; }
        sw $gw --load-all --file "$LAB/$gw/swanctl.conf" --noprompt >/dev/null 2>&1
    done
    cap ncap-gwa ike0 "$OUT/$name.pcap" 'udp port 500 or udp port 4500 or ip proto 50'
    sleep 1
    sw gwa --initiate --child net --timeout 10 >"$LAB/$name.initiate.txt" 2>&1
    [ "$name" = ike-esp-good ] && ip netns exec ncap-gwa ping -c3 -i0.3 -I 10.1.0.1 10.2.0.1 >/dev/null
    cap_stop
    cleanup
}

record_lacp
record_stp rstp
record_stp stp
record_bridge_stp
record_ike ike-esp-good          10.1.0.0/24 aes128-sha256-modp2048 1
record_ike ike-ts-mismatch       10.1.1.0/24 aes128-sha256-modp2048 1
record_ike ike-proposal-mismatch 10.1.0.0/24 aes256-sha384-ecp384   1
record_ike ike-no-answer         10.1.0.0/24 aes128-sha256-modp2048 0

{
    echo "recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ) on Linux $(uname -r)"
    ovs-vswitchd --version | head -1
    $CHARON --version 2>&1 | head -1
    tcpdump --version 2>&1 | head -2
    ip -V
} > "$OUT/VERSIONS.txt"
for f in "$OUT"/*.pcap; do printf '%s: %s packets\n' "$(basename "$f")" "$(tcpdump -nn -r "$f" 2>/dev/null | wc -l)"; done
