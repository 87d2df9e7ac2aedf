package transport

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func testConfig(t *testing.T) (Config, string) {
	t.Helper()
	home, err := filepath.Abs("testdata/home")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SSH_AUTH_SOCK": "/run/agent.sock", "NETTUI_KH": "/tmp/kh"}
	return Config{
		UserConfigFile:   filepath.Join(home, ".ssh", "config"),
		SystemConfigFile: "testdata/system_config",
		Home:             home,
		LocalUser:        "eng",
		Getenv:           func(k string) string { return env[k] },
	}, home
}

// hop is the part of a Resolved compared for jump chains.
type hop struct {
	Name, HostName, User string
	Port                 int
}

func hops(r Resolved) []hop {
	var out []hop
	for _, j := range r.Jumps {
		if len(j.Jumps) != 0 {
			panic("nested jumps")
		}
		out = append(out, hop{j.Name, j.HostName, j.User, j.Port})
	}
	return out
}

func TestResolveHostBlock(t *testing.T) {
	t.Parallel()
	cfg, home := testConfig(t)
	r, err := Resolve(cfg, Target{Name: "sw1"})
	if err != nil {
		t.Fatal(err)
	}
	want := Resolved{
		Name: "sw1", HostName: "10.1.1.1", Port: 2222, User: "netops",
		IdentityFiles: []string{
			filepath.Join(home, ".ssh/id_netops"),
			filepath.Join(home, ".ssh/keys/10.1.1.1_netops_2222_eng"),
		},
		IdentitiesOnly: true, IdentityAgent: "/run/agent.sock",
		PubkeyAuthentication: true, PasswordAuthentication: true, KbdInteractiveAuth: true,
		NumberOfPasswordPrompts: 3,
		ConnectTimeout:          7 * time.Second, ServerAliveInterval: 15 * time.Second, ServerAliveCountMax: 4,
		KnownHostsFiles:       []string{"/etc/nettui-test/known_hosts"},
		GlobalKnownHostsFiles: []string{"/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"},
		StrictHostKeyChecking: "yes",
	}
	r.Warnings = nil // Match exec elsewhere in the file
	if d := cmp.Diff(want, r); d != "" {
		t.Errorf("Resolve(sw1) (-want +got):\n%s", d)
	}
	if got := r.KnownHostsName(); got != "[10.1.1.1]:2222" {
		t.Errorf("KnownHostsName = %q", got)
	}
}

func TestResolveInventoryOverrides(t *testing.T) {
	t.Parallel()
	cfg, home := testConfig(t)
	r, err := Resolve(cfg, Target{Name: "sw1", Host: "192.0.2.10", Port: 22, User: "inv"})
	if err != nil {
		t.Fatal(err)
	}
	if r.HostName != "192.0.2.10" || r.Port != 22 || r.User != "inv" {
		t.Errorf("got %s@%s:%d, want inv@192.0.2.10:22", r.User, r.HostName, r.Port)
	}
	// Tokens use the overriding values.
	if want := filepath.Join(home, ".ssh/keys/192.0.2.10_inv_22_eng"); r.IdentityFiles[1] != want {
		t.Errorf("IdentityFile = %q, want %q", r.IdentityFiles[1], want)
	}
	if r.ConnectTimeout != 7*time.Second {
		t.Errorf("config values not overridden must stay: ConnectTimeout = %s", r.ConnectTimeout)
	}
	if r.KnownHostsName() != "192.0.2.10" {
		t.Errorf("KnownHostsName = %q", r.KnownHostsName())
	}
}

func TestResolveTable(t *testing.T) {
	t.Parallel()
	cfg, home := testConfig(t)
	bastion := hop{"bastion", "bastion.example.net", "jumper", 2200}
	tests := []struct {
		name  string
		t     Target
		check func(t *testing.T, r Resolved)
	}{
		{"pattern with jump", Target{Name: "core-sw1"}, func(t *testing.T, r Resolved) {
			if r.User != "coreadm" || r.HostName != "core-sw1" || r.Port != 22 {
				t.Errorf("got %s", r)
			}
			if d := cmp.Diff([]hop{bastion}, hops(r)); d != "" {
				t.Errorf("jumps (-want +got):\n%s", d)
			}
			if r.Jumps[0].StrictHostKeyChecking != "accept-new" {
				t.Errorf("bastion StrictHostKeyChecking = %q", r.Jumps[0].StrictHostKeyChecking)
			}
		}},
		{"negated pattern", Target{Name: "core-lab1"}, func(t *testing.T, r Resolved) {
			if r.User != "labadm" || len(r.Jumps) != 0 {
				t.Errorf("got %s", r)
			}
		}},
		{"chain, hops resolved again", Target{Name: "dmz-fw1"}, func(t *testing.T, r Resolved) {
			want := []hop{
				bastion, // bastion2's own ProxyJump
				{"admin@bastion2:2022", "192.0.2.2", "admin", 2022},
				{"ssh://ops@edge.example.net:2023", "edge.example.net", "ops", 2023},
			}
			if d := cmp.Diff(want, hops(r)); d != "" {
				t.Errorf("jumps (-want +got):\n%s", d)
			}
			if !strings.Contains(r.String(), "via ops@edge.example.net:2023 via admin@192.0.2.2:2022") {
				t.Errorf("String() = %q", r.String())
			}
		}},
		{"pattern on address", Target{Name: "r9", Host: "10.20.3.4"}, func(t *testing.T, r Resolved) {
			if r.User != "subnetuser" || r.HostName != "10.20.3.4" {
				t.Errorf("got %s", r)
			}
			if d := cmp.Diff([]hop{bastion}, hops(r)); d != "" {
				t.Errorf("jumps (-want +got):\n%s", d)
			}
		}},
		{"inventory jump none", Target{Name: "r9", Host: "10.20.3.4", Jump: "none"}, func(t *testing.T, r Resolved) {
			if len(r.Jumps) != 0 {
				t.Errorf("jumps = %v", hops(r))
			}
		}},
		{"inventory jump", Target{Name: "x1", Jump: "u@j1:2201,j2"}, func(t *testing.T, r Resolved) {
			want := []hop{{"u@j1:2201", "j1", "u", 2201}, {"j2", "j2", "default-user", 22}}
			if d := cmp.Diff(want, hops(r)); d != "" {
				t.Errorf("jumps (-want +got):\n%s", d)
			}
		}},
		{"strict no not honoured", Target{Name: "legacy"}, func(t *testing.T, r Resolved) {
			if r.StrictHostKeyChecking != "yes" {
				t.Errorf("StrictHostKeyChecking = %q", r.StrictHostKeyChecking)
			}
			if !anyContains(r.Warnings, "not honoured") {
				t.Errorf("no warning: %q", r.Warnings)
			}
			if r.HostKeyAlgorithms != "+ssh-rsa" || r.KexAlgorithms != "+diffie-hellman-group14-sha1" {
				t.Errorf("algorithms %q %q", r.HostKeyAlgorithms, r.KexAlgorithms)
			}
		}},
		{"tokens", Target{Name: "tokens"}, func(t *testing.T, r Resolved) {
			if r.HostName != "tokens.mgmt.example.net" {
				t.Errorf("HostName = %q", r.HostName)
			}
			want := []string{filepath.Join(home, ".ssh/kh_tokens.mgmt.example.net"), "/tmp/kh/other"}
			if d := cmp.Diff(want, r.KnownHostsFiles); d != "" {
				t.Errorf("KnownHostsFiles (-want +got):\n%s", d)
			}
			if r.IdentityAgent != filepath.Join(home, ".ssh/agent.sock") {
				t.Errorf("IdentityAgent = %q", r.IdentityAgent)
			}
		}},
		{"agent none, batch", Target{Name: "noagent"}, func(t *testing.T, r Resolved) {
			if r.IdentityAgent != "" || !r.BatchMode || r.PasswordAuthentication {
				t.Errorf("agent %q batch %v password %v", r.IdentityAgent, r.BatchMode, r.PasswordAuthentication)
			}
		}},
		{"match host and user", Target{Name: "matched-1", User: "netops"}, func(t *testing.T, r Resolved) {
			if r.Port != 3333 {
				t.Errorf("Port = %d, want 3333", r.Port)
			}
		}},
		{"match user not met", Target{Name: "matched-1"}, func(t *testing.T, r Resolved) {
			if r.Port != 22 {
				t.Errorf("Port = %d, want 22", r.Port)
			}
		}},
		{"match exec ignored with warning", Target{Name: "anything"}, func(t *testing.T, r Resolved) {
			if r.Port != 22 {
				t.Errorf("Port = %d", r.Port)
			}
			if !anyContains(r.Warnings, "Match exec is not supported") {
				t.Errorf("warnings = %q", r.Warnings)
			}
		}},
		{"match originalhost", Target{Name: "m-1"}, func(t *testing.T, r Resolved) {
			if r.User != "matchuser" {
				t.Errorf("User = %q", r.User)
			}
		}},
		{"include", Target{Name: "site-a"}, func(t *testing.T, r Resolved) {
			if r.User != "siteuser" || r.Port != 8022 {
				t.Errorf("got %s", r)
			}
		}},
		{"user then system, first wins", Target{Name: "plain"}, func(t *testing.T, r Resolved) {
			if r.User != "default-user" || r.ConnectTimeout != 30*time.Second ||
				r.ServerAliveInterval != 60*time.Second || r.ServerAliveCountMax != 2 {
				t.Errorf("got user %q timeout %s alive %s/%d", r.User, r.ConnectTimeout, r.ServerAliveInterval, r.ServerAliveCountMax)
			}
			if !r.DefaultIdentities || r.IdentityFiles[0] != filepath.Join(home, ".ssh/id_ed25519") {
				t.Errorf("identities %q", r.IdentityFiles)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Resolve(cfg, tt.t)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	cfg, _ := testConfig(t)
	for _, tt := range []struct {
		t    Target
		want string
	}{
		{Target{Name: "loop-a"}, "more than 8 hops"},
		{Target{Name: "viacmd"}, "ProxyCommand is not supported"},
		{Target{}, "neither name nor host"},
		{Target{Name: "x", Jump: "u@"}, "bad host"},
		{Target{Name: "x", Jump: "h:99999"}, "bad port"},
		{Target{Name: "x", Port: 70000}, "bad port"},
	} {
		_, err := Resolve(cfg, tt.t)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Resolve(%+v) = %v, want error containing %q", tt.t, err, tt.want)
		}
	}
}

func TestResolveNoConfig(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	r, err := Resolve(Config{Home: home, LocalUser: "me", UserConfigFile: filepath.Join(home, "missing"), SystemConfigFile: None,
		Getenv: func(string) string { return "" }}, Target{Name: "sw9"})
	if err != nil {
		t.Fatal(err)
	}
	if r.User != "me" || r.HostName != "sw9" || r.Port != 22 || r.IdentityAgent != "" || r.StrictHostKeyChecking != "yes" {
		t.Errorf("got %+v", r)
	}
	if want := []string{filepath.Join(home, ".ssh/known_hosts"), filepath.Join(home, ".ssh/known_hosts2")}; !cmp.Equal(want, r.KnownHostsFiles) {
		t.Errorf("KnownHostsFiles = %q", r.KnownHostsFiles)
	}
}

func TestParseJumpSpec(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in         string
		user, host string
		port       int
		bad        bool
	}{
		{in: "bastion", host: "bastion"},
		{in: "u@bastion", user: "u", host: "bastion"},
		{in: "u@bastion:2222", user: "u", host: "bastion", port: 2222},
		{in: "ssh://u@b:22/", user: "u", host: "b", port: 22},
		{in: "[2001:db8::1]:2200", host: "2001:db8::1", port: 2200},
		{in: "[2001:db8::1]", host: "2001:db8::1"},
		{in: "2001:db8::1", host: "2001:db8::1"},
		{in: " spaced ", host: "spaced"},
		{in: "", bad: true},
		{in: "@h", bad: true},
		{in: "h:0", bad: true},
		{in: "h:x", bad: true},
		{in: "a b", bad: true},
	} {
		u, h, p, err := parseJumpSpec(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("parseJumpSpec(%q) err = %v, want bad=%v", tt.in, err, tt.bad)
			continue
		}
		if !tt.bad && (u != tt.user || h != tt.host || p != tt.port) {
			t.Errorf("parseJumpSpec(%q) = %q %q %d, want %q %q %d", tt.in, u, h, p, tt.user, tt.host, tt.port)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"*", "abc", true}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"10.20.*", "10.20.3.4", true}, {"10.20.*", "10.2.3.4", false}, {"*.example.net", "a.example.net", true},
		{"core-*", "core-", true}, {"**x", "abx", true}, {"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false},
	} {
		if got := globMatch(tt.p, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
	if !patternListMatch([]string{"*", "!bad"}, []string{"good"}) || patternListMatch([]string{"*", "!bad"}, []string{"x", "bad"}) {
		t.Error("negation: a negated match on any candidate must exclude the block")
	}
}

func TestSplitArgs(t *testing.T) {
	t.Parallel()
	got := splitArgs(`a "b c"  d""e ""`)
	if want := []string{"a", "b c", "de", ""}; !cmp.Equal(want, got) {
		t.Errorf("splitArgs = %q, want %q", got, want)
	}
}

func anyContains(l []string, s string) bool {
	for _, x := range l {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}
