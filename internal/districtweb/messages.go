package districtweb

import (
	"embed"

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
// with the district's own laid over them, in the district's languages
// only.
func Catalogue() (*catalogue.Catalogue, error) {
	return catalogue.LoadLayers("nl", catalogue.Layer{FS: assets.Messages, Dir: "i18n"}, catalogue.Layer{FS: messageFiles, Dir: "i18n"})
}
