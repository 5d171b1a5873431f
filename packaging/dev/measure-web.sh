#!/usr/bin/env bash
# Measures the volunteers' web app: 50 concurrent clients on loopback fetch
# the queue and slip pages 10,000 times from the real "buurtbalie serve";
# prints p50/p99 per page and the server's PSS every 1,000 requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/dev/lib.sh
need_go
need_packages $BUILD_PACKAGES
BUURTBALIE_MEASURE=1 go test -count=1 -timeout 20m -run '^TestMeasureWeb$' -v ./cmd/buurtbalie | grep -E 'page:|PSS|ok|FAIL|---'
