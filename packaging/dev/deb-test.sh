#!/usr/bin/env bash
# Builds the Debian package into a temporary folder and checks it: its
# control fields, that every file is there with the right owner and mode,
# the conffiles, the maintainer and session scripts (sh -n, shellcheck),
# the systemd units (systemd-analyze verify), lintian (no errors), that
# the default config names every setting, and that the packaged binary
# runs. Says what is wrong and exits non-zero on any failure; can be run
# again at any time and leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
. packaging/dev/lib.sh
need_go
need_packages lintian shellcheck
# dpkg's and lintian's perl wants a locale that exists.
export LC_ALL=C.UTF-8

tmp=$(mktemp -d -t buurtbalie-deb-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# What is in the repository's top level and packaging/ now, to show at the
# end that the build wrote nothing there.
listing() { (cd "$repo" && ls -A . packaging packaging/deb packaging/dev); }
listing >"$tmp/listing.before"
passed=0
failed=0
pass() {
	echo "deb-test: ok: $*" >&2
	passed=$((passed + 1))
}
fail() {
	echo "deb-test: FAIL: $*" >&2
	failed=$((failed + 1))
}
# check NAME COMMAND...: one check, passed when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

echo "== building the .deb" >&2
deb=$(bash packaging/deb/build.sh "$tmp/out")
[ -f "$deb" ] || {
	echo "deb-test: FAIL: build.sh made no .deb" >&2
	exit 1
}
version="$(tr -d '[:space:]' <packaging/deb/VERSION)-1"
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$tmp/DEBIAN"

echo "== control fields (dpkg-deb --info)" >&2
dpkg-deb --info "$deb" >"$tmp/info"
control_ok() {
	local ok=0 field want got
	for pair in "Package=buurtbalie" "Version=$version" "Architecture=amd64"; do
		field=${pair%%=*} want=${pair#*=}
		got=$(dpkg-deb -f "$deb" "$field")
		[ "$got" = "$want" ] || {
			echo "  $field is \"$got\", want \"$want\"" >&2
			ok=1
		}
	done
	local depends
	depends=$(dpkg-deb -f "$deb" Depends)
	for p in libc6 libgl1 libx11-6 libxcursor1 libxrandr2 libxinerama1 libxi6 libxxf86vm1 \
		xserver-xorg-core xserver-xorg-input-libinput xinit xauth x11-xserver-utils \
		libpam-systemd cups-client adduser; do
		case ", $depends," in
		*", $p "* | *", $p,"*) ;;
		*)
			echo "  Depends lacks $p: $depends" >&2
			ok=1
			;;
		esac
	done
	[ "$(dpkg-deb -f "$deb" Recommends)" = "cups" ] || {
		echo "  Recommends is \"$(dpkg-deb -f "$deb" Recommends)\", want \"cups\"" >&2
		ok=1
	}
	return $ok
}
check "control: buurtbalie $version amd64 with its Depends and Recommends" control_ok

echo "== files, owners and modes (dpkg-deb --contents)" >&2
# path and mode of every file the package must hold, and nothing else
cat >"$tmp/want" <<'EOF'
./etc/buurtbalie/buurtbalie.conf -rw-r--r--
./lib/systemd/system/buurtbalie-backup.service -rw-r--r--
./lib/systemd/system/buurtbalie-backup.timer -rw-r--r--
./lib/systemd/system/buurtbalie-kiosk.service -rw-r--r--
./lib/systemd/system/buurtbalie-purge.service -rw-r--r--
./lib/systemd/system/buurtbalie-purge.timer -rw-r--r--
./usr/bin/buurtbalie -rwxr-xr-x
./usr/lib/buurtbalie/kiosk-session -rwxr-xr-x
./usr/lib/buurtbalie/kiosk-xinit -rwxr-xr-x
./usr/share/applications/nl.buurtbalie.kiosk.desktop -rw-r--r--
./usr/share/doc/buurtbalie/README.md -rw-r--r--
./usr/share/doc/buurtbalie/changelog.Debian.gz -rw-r--r--
./usr/share/doc/buurtbalie/copyright -rw-r--r--
./usr/share/icons/hicolor/512x512/apps/nl.buurtbalie.kiosk.png -rw-r--r--
./usr/share/lintian/overrides/buurtbalie -rw-r--r--
./usr/share/man/man1/buurtbalie.1.gz -rw-r--r--
EOF
dpkg-deb --contents "$deb" >"$tmp/contents"
contents_ok() {
	local ok=0
	# every entry root:root; directories 0755
	awk '$2 != "root/root" { print "  not root:root: " $0; bad = 1 }
	     /^d/ && $1 != "drwxr-xr-x" { print "  directory not 0755: " $0; bad = 1 }
	     /^[^-d]/ { print "  neither file nor directory: " $0; bad = 1 }
	     END { exit bad }' "$tmp/contents" >&2 || ok=1
	awk '/^-/ { print $6, $1 }' "$tmp/contents" | sort >"$tmp/got"
	if ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		echo "  files or modes differ (- wanted, + in the package):" >&2
		sed -n 's/^\([-+]\.\)/  \1/p' "$tmp/diff" >&2
		ok=1
	fi
	return $ok
}
check "contents: $(wc -l <"$tmp/want") files, all root:root, 0755 programs and 0644 data" contents_ok

echo "== control archive (dpkg-deb --ctrl-tarfile)" >&2
dpkg-deb --ctrl-tarfile "$deb" | tar -tvf - >"$tmp/ctrl"
ctrl_ok() {
	local ok=0 f
	for f in postinst prerm postrm; do
		grep -Eq "^-rwxr-xr-x root/root .* \./$f\$" "$tmp/ctrl" || {
			echo "  ./$f is missing or not 0755 root:root" >&2
			ok=1
		}
	done
	for f in control conffiles md5sums; do
		grep -Eq "^-rw-r--r-- root/root .* \./$f\$" "$tmp/ctrl" || {
			echo "  ./$f is missing or not 0644 root:root" >&2
			ok=1
		}
	done
	[ "$(cat "$tmp/DEBIAN/conffiles" 2>/dev/null)" = /etc/buurtbalie/buurtbalie.conf ] || {
		echo "  conffiles should list exactly /etc/buurtbalie/buurtbalie.conf, not: $(cat "$tmp/DEBIAN/conffiles" 2>/dev/null)" >&2
		ok=1
	}
	(cd "$root" && md5sum --quiet -c "$tmp/DEBIAN/md5sums") >&2 || ok=1
	return $ok
}
check "control archive: maintainer scripts 0755, conffiles lists /etc/buurtbalie/buurtbalie.conf, md5sums match" ctrl_ok

echo "== scripts (sh -n, shellcheck)" >&2
scripts=("$tmp/DEBIAN/postinst" "$tmp/DEBIAN/prerm" "$tmp/DEBIAN/postrm"
	"$root/usr/lib/buurtbalie/kiosk-xinit" "$root/usr/lib/buurtbalie/kiosk-session")
syntax_ok() {
	local ok=0 s
	for s in "${scripts[@]}"; do
		head -n 1 "$s" | grep -qx '#!/bin/sh' || {
			echo "  $(basename "$s") does not start with #!/bin/sh" >&2
			ok=1
		}
		sh -n "$s" || ok=1
	done
	return $ok
}
check "sh -n: maintainer scripts, kiosk-xinit, kiosk-session" syntax_ok
if command -v shellcheck >/dev/null; then
	# The build and test scripts too; they source lib.sh by a path that
	# cannot be followed from here (SC1091).
	check "shellcheck: maintainer scripts, kiosk-xinit, kiosk-session" \
		shellcheck -s sh "${scripts[@]}"
	check "shellcheck: packaging/deb/*.sh, packaging/dev/deb-test.sh" \
		shellcheck -e SC1091 packaging/deb/build.sh packaging/deb/copyright.sh packaging/dev/deb-test.sh
else
	echo "deb-test: note: shellcheck is not installed; only sh -n checked the scripts" >&2
fi

echo "== systemd units (systemd-analyze verify)" >&2
if command -v systemd-analyze >/dev/null; then
	# verify wants the programs the units run to exist, so it reads copies
	# that point into the unpacked package.
	mkdir -p "$tmp/units"
	for u in "$root"/lib/systemd/system/*; do
		sed -e "s|/usr/bin/buurtbalie|$root/usr/bin/buurtbalie|g" \
			-e "s|/usr/lib/buurtbalie/|$root/usr/lib/buurtbalie/|g" "$u" >"$tmp/units/$(basename "$u")"
	done
	units_ok() {
		# It reports unknown keys and bad values but exits 0 for them: any
		# word about our units is a failure.
		if ! (cd "$tmp/units" && systemd-analyze verify ./*.service ./*.timer) >"$tmp/verify" 2>&1; then
			sed 's/^/  /' "$tmp/verify" >&2
			return 1
		fi
		if grep buurtbalie "$tmp/verify" >"$tmp/verify.ours"; then
			sed 's/^/  /' "$tmp/verify.ours" >&2
			return 1
		fi
	}
	check "systemd-analyze verify: $(cd "$tmp/units" && echo *)" units_ok
else
	echo "deb-test: note: systemd-analyze is not installed; the units were not verified" >&2
fi

echo "== lintian" >&2
lintian_ok() {
	local rc=0
	lintian --fail-on error --display-info "$deb" >"$tmp/lintian" 2>&1 || rc=$?
	grep -v '^running with root privileges' "$tmp/lintian" | sed 's/^/  /' >&2
	echo "  lintian: $(grep -c '^E:' "$tmp/lintian") errors, $(grep -c '^W:' "$tmp/lintian") warnings, $(grep -c '^I:' "$tmp/lintian") notes" >&2
	return $rc
}
check "lintian --fail-on error" lintian_ok

echo "== the packaged binary" >&2
bin="$root/usr/bin/buurtbalie"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
libs_ok() {
	if ldd "$bin" | grep 'not found'; then return 1; fi
}
check "ldd: every library the binary needs is installed" libs_ok
help_ok() {
	"$bin" --help >"$tmp/help" 2>&1 && grep -q -- '-data' "$tmp/help"
}
check "buurtbalie --help" help_ok
programme_ok() {
	"$bin" programme --config "$root/etc/buurtbalie/buurtbalie.conf" --data "$tmp/data" \
		--date 2026-11-23 --json >"$tmp/programme.json" 2>"$tmp/programme.err" || {
		sed 's/^/  /' "$tmp/programme.err" >&2
		return 1
	}
	grep -q '"title"' "$tmp/programme.json" || {
		echo "  no activities in: $(head -c 300 "$tmp/programme.json")" >&2
		return 1
	}
}
check "buurtbalie programme --date 2026-11-23 --json, with the packaged config" programme_ok

# Every setting of the commands the kiosk and the timers run must be in the
# default config, with its default, so an admin finds it there. Flags that
# only make sense for one run are not settings.
per_run="config date json out at size name role password-stdin to dry-run trust-clock lang"
settings_ok() {
	local ok=0 cmd name
	for cmd in kiosk serve print-test programme backup purge; do
		if [ "$cmd" = kiosk ]; then
			"$bin" --help >"$tmp/flags" 2>&1 || continue
		else
			"$bin" "$cmd" --help >"$tmp/flags" 2>&1 || continue
		fi
		while read -r name; do
			case " $per_run " in *" $name "*) continue ;; esac
			grep -Eq "^#? ?$name =( |$)" "$root/etc/buurtbalie/buurtbalie.conf" || {
				echo "  the setting \"$name\" (buurtbalie $cmd) is not in packaging/deb/buurtbalie.conf; add it with its default, or to per_run in this script if it is no setting" >&2
				ok=1
			}
		done < <(sed -n 's/^  -\([a-z][a-z0-9-]*\).*/\1/p' "$tmp/flags")
	done
	return $ok
}
check "buurtbalie.conf names every setting" settings_ok

fyne_ok() {
	local ok=0 toml=cmd/buurtbalie/FyneApp.toml
	grep -q '^ID = "nl.buurtbalie.kiosk"$' $toml || {
		echo "  $toml: ID is not nl.buurtbalie.kiosk, the desktop file's and icon's name" >&2
		ok=1
	}
	grep -q "^Version = \"${version%-*}\"\$" $toml || {
		echo "  $toml: Version is not ${version%-*}, as in packaging/deb/VERSION" >&2
		ok=1
	}
	local icon
	icon=$(sed -n 's/^Icon = "\(.*\)"$/\1/p' $toml)
	if [ -z "$icon" ] || ! cmp -s "cmd/buurtbalie/$icon" "$root/usr/share/icons/hicolor/512x512/apps/nl.buurtbalie.kiosk.png"; then
		echo "  $toml: Icon \"$icon\" is not the packaged icon" >&2
		ok=1
	fi
	return $ok
}
check "FyneApp.toml: the package's ID, version and icon" fyne_ok

# The build wrote to $tmp only: nothing new in the repository.
untouched_ok() {
	listing >"$tmp/listing.after"
	if ! diff "$tmp/listing.before" "$tmp/listing.after" >"$tmp/listing.diff"; then
		echo "  the build left files in the repository:" >&2
		sed 's/^/  /' "$tmp/listing.diff" >&2
		return 1
	fi
}
check "the build left nothing in the repository" untouched_ok

echo "deb-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
