package main

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2/app"
)

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

// The kiosk's app has no stop hook left for Fyne to queue as it quits
// (see noStopEvent): the hook is reached by name on Fyne's internal type,
// so a Fyne that renamed it fails here, not as a rare panic on SIGTERM.
func TestNoStopEvent(t *testing.T) {
	a := app.NewWithID(appID + ".test")
	if !noStopEvent(a) {
		t.Fatal("Fyne's lifecycle has no SetOnStoppedHookExecuted(func()) any more: see noStopEvent")
	}
	stopped := reflect.ValueOf(a.Lifecycle()).MethodByName("OnStopped")
	if !stopped.IsValid() {
		t.Fatal("Fyne's lifecycle has no OnStopped any more: see noStopEvent")
	}
	if hook := stopped.Call(nil)[0]; !hook.IsNil() {
		t.Error("Fyne would still queue a stop event as the kiosk quits")
	}
}
