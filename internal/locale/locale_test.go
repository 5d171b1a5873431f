package locale_test

import (
	"testing"

	"buurtbalie/internal/locale"
)

func TestNoLanguage(t *testing.T) {
	tests := []struct {
		env        map[string]string
		wantLocale string
		wantNone   bool
	}{
		{map[string]string{}, "", true},
		{map[string]string{"LANG": "C"}, "C", true},
		{map[string]string{"LANG": "C.UTF-8"}, "C.UTF-8", true},
		{map[string]string{"LANG": "C.utf8"}, "C.utf8", true},
		{map[string]string{"LANG": "POSIX"}, "POSIX", true},
		{map[string]string{"LANG": "nl_NL.UTF-8"}, "nl_NL.UTF-8", false},
		{map[string]string{"LANG": "nl_NL.UTF-8", "LC_ALL": "C.UTF-8"}, "C.UTF-8", true},
		{map[string]string{"LANG": "C.UTF-8", "LC_MESSAGES": "tr_TR.UTF-8"}, "tr_TR.UTF-8", false},
		{map[string]string{"LANG": "Cy_GB"}, "Cy_GB", false},
	}
	for _, tt := range tests {
		locale, none := locale.NoLanguage(func(k string) string { return tt.env[k] })
		if locale != tt.wantLocale || none != tt.wantNone {
			t.Errorf("NoLanguage(%v) = %q, %v; want %q, %v", tt.env, locale, none, tt.wantLocale, tt.wantNone)
		}
	}
}
