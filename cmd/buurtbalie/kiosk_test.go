package main

import "testing"

// Only under systemd does "Kiosk herstarten" make sense: the kiosk reads
// that from the environment systemd gives a service.
func TestSupervised(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"INVOCATION_ID": "5f0e3c1c9a7b4e0f8c2d1a3b4c5d6e7f"}, true},
		{map[string]string{}, false},
		{map[string]string{"INVOCATION_ID": ""}, false},
	}
	for _, tt := range tests {
		if got := supervised(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("supervised(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
	if exitRestart == 0 || exitRestart == 1 || exitRestart == 2 {
		t.Errorf("exitRestart = %d, want a status of its own", exitRestart)
	}
}
