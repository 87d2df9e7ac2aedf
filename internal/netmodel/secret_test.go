package netmodel

import "testing"

func TestSecretTokenRoundTrip(t *testing.T) {
	s := Secret{Length: 12, Dictionary: true, Hash: "3fa9c1d27b44e0aa"}
	tok := SecretToken(s)
	got, ok := ParseSecretToken(`pre-shared-key ascii-text "` + tok + `";`)
	if !ok || got != s {
		t.Fatalf("ParseSecretToken(%q) = %+v %v", tok, got, ok)
	}
	if _, ok := ParseSecretToken("REDACTED-L1-D2-xyz"); ok {
		t.Fatal("malformed token accepted")
	}
}

func TestIsDictionaryWord(t *testing.T) {
	for w, want := range map[string]bool{"cisco123": true, "Cisco123!": true, "juniper": true, "password": true, "x9#Kq2!vLr8@Tz4p": false, "": false} {
		if IsDictionaryWord(w) != want {
			t.Errorf("IsDictionaryWord(%q) != %v", w, want)
		}
	}
}
