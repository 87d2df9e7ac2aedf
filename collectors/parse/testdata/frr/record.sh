#!/bin/bash
# Records the FRR outputs under this directory from a real FRR (zebra,
# staticd and bgpd) in a network namespace this script creates.
#
#   ntlf-rec: eth0 10.9.0.1/30 (peer ntlf-rp 10.9.0.2), lan0 10.1.0.1/24,
#             up0 192.0.2.1/29 (its peer end in ntlf-rec itself, no host)
#
# staticd configuration (see STATICD below): statics that are installed (via
# a connected next hop, via an interface, recursive, ECMP, blackhole, with a
# distance), one whose next hop matches no route (10.3.0.0/24 via 10.9.9.9:
# configured, never installed), one whose next hop only a default route
# covers (10.7.0.0/24 via 198.18.0.1, with `ip nht resolve-via-default` off:
# also never installed), a default route, and a static in a VRF that does not
# exist. bgpd holds a neighbor with a password; zebra.conf has `password` and
# `enable password` lines, so `show running-config` shows FRR's secrets (they
# are redacted below before the files are saved, the way nettui saves them).
#
# usage: record.sh [outdir]   (root; default: this directory; run from the
#        repository, it also writes ../linux/ip-route/lab-frr-rt1.txt)
# needs: frr (Debian 12: 8.4.4), iproute2
set -eu
OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
LAB=$(mktemp -d /tmp/ntlf-rec.XXXXXX); chmod 755 "$LAB"   # the daemons run as user frr
D=$LAB/rt
NS=ntlf-rec PEER=ntlf-rp
PIDS=()
cleanup() {
    for f in "$D"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for n in $NS $PEER; do ip netns del $n 2>/dev/null; done
    rm -rf "$LAB"
}
trap cleanup EXIT
vty() { vtysh --vty_socket "$D" "$@"; }

mkdir -p "$D"
for n in $NS $PEER; do
    ip netns add $n
    ip -n $n link set lo up
    ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add eth0 netns $NS type veth peer name eth0 netns $PEER
ip -n $NS addr add 10.9.0.1/30 dev eth0; ip -n $NS link set eth0 up
ip -n $PEER addr add 10.9.0.2/30 dev eth0; ip -n $PEER link set eth0 up
ip -n $NS link add lan0 type veth peer name lan0p
ip -n $NS addr add 10.1.0.1/24 dev lan0; ip -n $NS link set lan0 up; ip -n $NS link set lan0p up
ip -n $NS link add up0 type veth peer name up0p
ip -n $NS addr add 192.0.2.1/29 dev up0; ip -n $NS link set up0 up; ip -n $NS link set up0p up
ip netns exec $NS sysctl -qw net.ipv4.ip_forward=1

cat > "$D/zebra.conf" <<'CONF'
hostname rt1
password nettui-vty-pw-1
enable password nettui-enable-pw-2
CONF
cat > "$D/staticd.conf" <<'CONF'
hostname rt1
ip route 0.0.0.0/0 192.0.2.6
ip route 10.2.0.0/24 10.9.0.2
ip route 10.2.1.0/24 eth0
ip route 10.2.2.0/24 10.2.0.5
ip route 10.2.3.0/24 10.9.0.2 250
ip route 10.2.4.0/24 10.9.0.2
ip route 10.2.4.0/24 192.0.2.2
ip route 10.3.0.0/24 10.9.9.9
ip route 10.7.0.0/24 198.18.0.1
ip route 198.51.100.0/24 blackhole
ip route 10.8.0.0/24 10.9.0.2 vrf blue
CONF
cat > "$D/bgpd.conf" <<'CONF'
hostname rt1
router bgp 65001
 bgp router-id 10.9.0.1
 neighbor 10.9.0.2 remote-as 65002
 neighbor 10.9.0.2 password nettui-bgp-pw-3
CONF
chown -R frr:frrvty "$D"; chmod 770 "$D"
for p in zebra staticd bgpd; do
    extra=""; [ $p = bgpd ] && extra="-p 0 -l 127.0.0.1"
    ip netns exec $NS /usr/lib/frr/$p -d -F traditional -P 0 $extra \
        -i "$D/$p.pid" -z "$D/zserv.api" --vty_socket "$D" -f "$D/$p.conf" --log "file:$D/$p.log"
done
ok=0
for i in $(seq 100); do
    # every installable static is in the RIB: 7 selected static routes
    [ "$(vty -c 'show ip route' 2>/dev/null | grep -c '^S>')" = 7 ] && { ok=1; break; }
    sleep 0.1
done
[ $ok = 1 ] || { echo "FRR did not come up" >&2; cat "$D"/*.log >&2; exit 1; }

# secrets: the redaction token nettui writes (REDACTED-L<len>-D<0|1>-<16 hex
# of HMAC-SHA-256 under the lab key>)
TOKEN_KEY=nettui-lab-redaction-key
redact() {
    local f=$1 s
    for s in nettui-vty-pw-1 nettui-enable-pw-2 nettui-bgp-pw-3; do
        h=$(printf %s "$s" | openssl dgst -sha256 -hmac "$TOKEN_KEY" | awk '{print substr($NF,1,16)}')
        S="$s" T="REDACTED-L${#s}-D0-$h" perl -pi -e 's/\Q$ENV{S}\E/$ENV{T}/g' "$f"
    done
}
save() {  # capability name command
    mkdir -p "$OUT/$1"
    vty -c "$3" > "$OUT/$1/$2.txt"
    redact "$OUT/$1/$2.txt"
}
save frr-show-ip-route lab-rt1 'show ip route'
save frr-show-ip-route lab-rt1-json 'show ip route json'
save frr-show-ip-route lab-rt1-vrf-all-json 'show ip route vrf all json'
save frr-show-running-config lab-rt1 'show running-config'
# not read by a parser: kept beside the fixtures as a reference (the
# resolution state of every next hop staticd asked zebra to track)
vty -c 'show ip nht' > "$OUT/lab-rt1.show-ip-nht.out"
# the kernel's view of the same routes, as a Linux ip-route fixture
if [ -d "$OUT/../linux/ip-route" ]; then
    ip -n $NS route show table all > "$OUT/../linux/ip-route/lab-frr-rt1.txt"
fi
{
    echo "recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ) on Linux $(uname -r)"
    vty -c 'show version' | head -1
} > "$OUT/VERSIONS.txt"
