# shellcheck shell=bash
# Shared by the quick-start scripts: install Debian packages only when
# missing, so running a script again is quick and changes nothing.
# Variables set here are read by the scripts that source it (SC2034).

# Packages Fyne needs to build (cgo, OpenGL and X11 headers).
# shellcheck disable=SC2034
BUILD_PACKAGES="gcc pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"

# What reading aloud runs on: espeak-ng speaks, aplay (alsa-utils) plays,
# ffmpeg converts recorded voices.
# shellcheck disable=SC2034
SPEECH_PACKAGES="espeak-ng alsa-utils ffmpeg"

# Build tags of the kiosk binary. no_emoji leaves out Fyne's 4 MB colour
# emoji font, which Fyne otherwise parses for every text style at start
# (7 MB of the kiosk's memory): no screen draws an emoji. Keep in step
# with kioskBuildTags in cmd/buurtbalie/xvfb_test.go.
# shellcheck disable=SC2034
KIOSK_TAGS="no_emoji"

need_packages() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "Installing Debian packages: ${missing[*]}" >&2
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo env LC_ALL=C.UTF-8 apt-get update -qq
	$sudo env LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

need_go() {
	if ! command -v go >/dev/null; then
		if [ -x /usr/local/go/bin/go ]; then
			export PATH="$PATH:/usr/local/go/bin"
		else
			echo "Go is not installed: install Go 1.26 from go.dev/dl into /usr/local/go, then run this again." >&2
			exit 1
		fi
	fi
}

# A printer for a try-out, so that a first question ends in a slip as a
# house sees it: a private cupsd on 127.0.0.1 with a cups-pdf queue that
# writes every slip as a PDF file, as the tests use (see
# internal/printer/cupstest). It lives under /var/tmp, not the home folder,
# because its filters run as the lp user and cups-pdf writes anonymous
# jobs as nobody, who cannot reach /root; and it needs root, as cups-pdf
# runs only as root. The system's CUPS, if any, is not touched. Started
# once and then reused; it keeps running when the kiosk stops. Tests set
# their own folders and queue name through the environment.
PDF_PRINTER_DIR="${PDF_PRINTER_DIR:-/var/tmp/buurtbalie-cups}"
PDF_PRINTER_QUEUE="${PDF_PRINTER_QUEUE:-buurtbalie-pdf}"
SLIPS_DIR="${SLIPS_DIR:-/var/tmp/buurtbalie-slips}"

# printer_configured tells whether the kiosk has a printer of its own:
# --printer among the kiosk's arguments, a "printer =" line in its config
# file, or the queue the kiosk prints to by default (buurtbalie, on the
# system's CUPS).
printer_configured() {
	local a c conf="" prev=""
	for a in "$@"; do
		case "$a" in
		-printer | --printer | -printer=* | --printer=*) return 0 ;;
		-config=* | --config=*) conf="${a#*=}" ;;
		esac
		case "$prev" in -config | --config) conf="$a" ;; esac
		prev="$a"
	done
	if [ -z "$conf" ]; then
		for c in "${XDG_CONFIG_HOME:-$HOME/.config}/buurtbalie/buurtbalie.conf" /etc/buurtbalie/buurtbalie.conf; do
			if [ -e "$c" ]; then
				conf="$c"
				break
			fi
		done
	fi
	if [ -n "$conf" ] && grep -Eq '^[[:space:]]*printer[[:space:]]*=' "$conf" 2>/dev/null; then
		return 0
	fi
	command -v lpstat >/dev/null && lpstat -h localhost:631 -p buurtbalie >/dev/null 2>&1
}

# need_pdf_printer starts the try-out printer unless it runs already, and
# sets PDF_PRINTER_URI to its queue.
need_pdf_printer() {
	need_packages cups printer-driver-cups-pdf
	local d="$PDF_PRINTER_DIR" sudo="" port=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	if [ -r "$d/port" ] && [ -r "$d/pid" ]; then
		port=$(cat "$d/port")
		if $sudo kill -0 "$(cat "$d/pid")" 2>/dev/null && lpstat -h "127.0.0.1:$port" -p "$PDF_PRINTER_QUEUE" >/dev/null 2>&1; then
			PDF_PRINTER_URI="ipp://127.0.0.1:$port/printers/$PDF_PRINTER_QUEUE"
			return 0
		fi
	fi
	$sudo mkdir -p "$d"/root "$d"/spool "$d"/tmp "$d"/cache "$d"/state "$d"/log "$d"/cups-pdf-spool "$SLIPS_DIR"
	$sudo chmod 0755 "$d" "$d"/root "$d"/state "$d"/log
	$sudo chmod 0710 "$d"/spool
	$sudo chmod 0770 "$d"/cache
	$sudo chmod 1777 "$d"/tmp "$d"/cups-pdf-spool "$SLIPS_DIR"
	$sudo tee "$d/cupsd.conf" >/dev/null <<-CONF
		# The quick start's printer (packaging/dev/lib.sh): loopback only.
		Listen 127.0.0.1:PORT
		Browsing No
		WebInterface No
		LogLevel warn
		DefaultAuthType None
		MaxJobs 0
		<Location />
		  Order allow,deny
		  Allow from 127.0.0.1
		</Location>
		<Policy default>
		  JobPrivateAccess default
		  JobPrivateValues default
		  SubscriptionPrivateAccess default
		  SubscriptionPrivateValues default
		  <Limit All>
		    Order deny,allow
		  </Limit>
		</Policy>
	CONF
	$sudo tee "$d/cups-files.conf" >/dev/null <<-CONF
		ServerRoot $d/root
		RequestRoot $d/spool
		TempDir $d/tmp
		CacheDir $d/cache
		StateDir $d/state
		ServerBin /usr/lib/cups
		DataDir /usr/share/cups
		Printcap $d/printcap
		AccessLog $d/log/access_log
		ErrorLog $d/log/error_log
		PageLog $d/log/page_log
	CONF
	# The cups-pdf backend reads its output folder only from /etc/cups.
	$sudo tee "/etc/cups/cups-pdf-$PDF_PRINTER_QUEUE.conf" >/dev/null <<-CONF
		# The quick start's printer (packaging/dev/lib.sh): slips as PDF files.
		Out $SLIPS_DIR
		AnonDirName $SLIPS_DIR
		Spool $d/cups-pdf-spool
		Log $d/log
		Grp root
		Label 2
		TitlePref 1
		UserUMask 0022
		AnonUMask 0022
	CONF
	# A free port is one where nothing answers, but another program can
	# take it before cupsd binds it; cupsd then ends, and the next free
	# port is tried.
	local up="" pid
	port=6309
	for _ in 1 2 3; do
		port=$((port + 1))
		while (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null; do port=$((port + 1)); done
		$sudo sed -i "s/^Listen .*/Listen 127.0.0.1:$port/" "$d/cupsd.conf"
		$sudo env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C TMPDIR="$d/tmp" \
			setsid /usr/sbin/cupsd -f -c "$d/cupsd.conf" -s "$d/cups-files.conf" </dev/null >"$d/log/cupsd.out" 2>&1 &
		pid=$!
		echo "$pid" | $sudo tee "$d/pid" >/dev/null
		echo "$port" | $sudo tee "$d/port" >/dev/null
		# cupsd takes a second or so to listen, and far longer on a
		# machine busy with other work (seen: over 10 s while the tests
		# ran): wait up to a minute, and stop waiting at once if it has
		# ended. lpstat -r exits 0 whether or not the scheduler answers,
		# so its sentence is what tells, in the C locale.
		for _ in $(seq 600); do
			# Ours, not a scheduler that took the port first: then
			# ours has ended.
			$sudo kill -0 "$pid" 2>/dev/null || break
			if LC_ALL=C lpstat -h "127.0.0.1:$port" -r 2>/dev/null | grep -qx "scheduler is running" &&
				$sudo kill -0 "$pid" 2>/dev/null; then
				up=yes
				break
			fi
			sleep 0.1
		done
		[ -z "$up" ] || break
		$sudo kill "$pid" 2>/dev/null || true
	done
	if [ -z "$up" ]; then
		cat "$d/log/cupsd.out" "$d/log/error_log" >&2 2>/dev/null || true
		echo "The try-out printer (cupsd on 127.0.0.1:$port) did not start; see $d/log." >&2
		return 1
	fi
	# lpadmin warns that PPD drivers are deprecated (cups-pdf has no other
	# kind): shown only when it fails.
	local out
	if ! out=$(lpadmin -h "127.0.0.1:$port" -p "$PDF_PRINTER_QUEUE" -E -v "cups-pdf:/$PDF_PRINTER_QUEUE" \
		-P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>&1); then
		echo "$out" >&2
		echo "The try-out printer did not start; see $d/log." >&2
		return 1
	fi
	# shellcheck disable=SC2034
	PDF_PRINTER_URI="ipp://127.0.0.1:$port/printers/$PDF_PRINTER_QUEUE"
}

# Fyne reads the language from LANG; "C" is no language and makes it
# complain.
export LANG="${LANG:-nl_NL.UTF-8}"
case "$LANG" in C|C.*|POSIX) export LANG=nl_NL.UTF-8 ;; esac
