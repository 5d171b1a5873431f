# Shared by the quick-start scripts: install Debian packages only when
# missing, so running a script again is quick and changes nothing.

# Packages Fyne needs to build (cgo, OpenGL and X11 headers).
BUILD_PACKAGES="gcc pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"

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

# Fyne reads the language from LANG; "C" is no language and makes it
# complain.
export LANG="${LANG:-nl_NL.UTF-8}"
case "$LANG" in C|C.*|POSIX) export LANG=nl_NL.UTF-8 ;; esac
