package districtweb

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"testing/fstest" // a map of files; it imports nothing of package testing

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
)

// messageFiles are the district pages' own texts, one file per language
// the district's staff read: Dutch and English.
//
//go:embed i18n/*.json
var messageFiles embed.FS

// Catalogue returns the texts of the district's pages: the kiosk's web
// pages' (the layout, the login, the figures, the users and the log),
// with the district's own added over them, in the district's languages
// only.
func Catalogue() (*catalogue.Catalogue, error) {
	files, err := fs.Glob(messageFiles, "i18n/*.json")
	if err != nil {
		return nil, err
	}
	merged := fstest.MapFS{}
	for _, f := range files {
		kiosk, err := readMessages(assets.Messages, f)
		if err != nil {
			return nil, err
		}
		own, err := readMessages(messageFiles, f)
		if err != nil {
			return nil, err
		}
		for id, m := range own {
			kiosk[id] = m
		}
		b, err := json.Marshal(kiosk)
		if err != nil {
			return nil, err
		}
		merged[path.Join("i18n", path.Base(f))] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
	return catalogue.Load(merged, "i18n", "nl")
}

func readMessages(fsys fs.FS, name string) (map[string]json.RawMessage, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("messages %s: %w", name, err)
	}
	return m, nil
}
