#!/usr/bin/env bash
# Measures the kiosk under Xvfb: start to first frame, PSS after start and
# CPU over 60 s of idle, as medians of 5 runs (about 6 minutes).
# BUURTBALIE_MEASURE_RUNS and BUURTBALIE_MEASURE_IDLE (e.g. 20s) shorten it.
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/dev/lib.sh
need_go
need_packages $BUILD_PACKAGES xvfb x11-apps x11-xserver-utils imagemagick
BUURTBALIE_MEASURE=1 go test -count=1 -timeout 30m -run '^TestMeasureKiosk$' -v ./cmd/buurtbalie | grep -E 'run [0-9]+:|median|ok|FAIL|---'
