#!/usr/bin/env bash
# Quick start: build Buurtbalie and start the kiosk on its built-in demo
# programme. On a machine with no display it starts a virtual one (Xvfb)
# and tells you how to look at it. Without a printer of its own (--printer,
# a config file's "printer =", or a "buurtbalie" queue in the system's
# CUPS) it sets up one that prints slips as PDF files, and says where.
# Extra arguments go to the kiosk, e.g. --windowed or --data DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/dev/lib.sh
need_go
# shellcheck disable=SC2086 # a list of package names, split on purpose
need_packages $BUILD_PACKAGES $SPEECH_PACKAGES

bin="${XDG_CACHE_HOME:-$HOME/.cache}/buurtbalie/buurtbalie"
mkdir -p "$(dirname "$bin")"
echo "Building $bin" >&2
go build -tags "$KIOSK_TAGS" -o "$bin" ./cmd/buurtbalie

if [ -z "${DISPLAY:-}" ]; then
	need_packages xvfb imagemagick
	export DISPLAY=:99
	if [ ! -e /tmp/.X11-unix/X99 ]; then
		Xvfb :99 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
		for _ in $(seq 50); do [ -e /tmp/.X11-unix/X99 ] && break; sleep 0.1; done
	fi
	echo "No display here: the kiosk runs on the virtual display :99." >&2
	echo "Take a look with: DISPLAY=:99 import -window root /tmp/kiosk.png" >&2
fi
# With no printer of its own the kiosk would end every question on the
# "no slip" screen: print to a PDF printer instead, as a house would print
# on paper.
if ! printer_configured "$@"; then
	need_pdf_printer
	set -- --printer "$PDF_PRINTER_URI" "$@"
	echo "No printer is set up: slips print as PDF files into $SLIPS_DIR (printer $PDF_PRINTER_URI)." >&2
fi
echo "Starting the kiosk (Ctrl+C stops it)." >&2
exec "$bin" "$@"
