#!/usr/bin/env bash
# Installs what the tests need and runs every test: formatting, vet, the
# unit and UI tests (Fyne's test driver), the real binary under Xvfb, and
# each benchmark once so none of them rots.
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/dev/lib.sh
need_go
# Xvfb, xwd and import for the real window; a real cupsd with a
# PDF-writing printer, pdftoppm/pdftotext and zbarimg for the slips;
# headless Chromium and chromedriver for the web pages, with DejaVu Sans
# (the font the phone-layout tests measure in: the widest usual sans); xdotool to tap
# the real window and tesseract to read it back; loop devices, ext4 and
# mount for the power-cut and read-only disk tests; espeak-ng, aplay and
# ffmpeg for reading aloud and recorded voices; PostgreSQL for the
# district server, which the tests start privately on loopback (pgtest).
need_packages $BUILD_PACKAGES $SPEECH_PACKAGES xvfb x11-apps x11-xserver-utils imagemagick \
	cups cups-client printer-driver-cups-pdf poppler-utils zbar-tools \
	chromium chromium-driver lintian shellcheck dpkg-dev \
	xdotool tesseract-ocr tesseract-ocr-nld e2fsprogs mount fonts-dejavu-core \
	postgresql

echo "== gofmt" >&2
unformatted=$(gofmt -l cmd internal ui assets)
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi

echo "== go vet" >&2
go vet ./...

echo "== staticcheck" >&2
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "== go test" >&2
go test -count=1 -timeout 20m ./...

echo "== the Debian package" >&2
bash packaging/dev/deb-test.sh

echo "== benchmarks, once each" >&2
go test -count=1 -run '^$' -bench . -benchtime 1x ./... >/dev/null
echo "All tests passed." >&2
