#!/usr/bin/env bash
# Builds the Debian packages into a temporary folder and checks them, the
# kiosk's and the district server's: their control fields, that every file
# is there with the right owner and mode, the conffiles, the maintainer and
# session scripts (sh -n, shellcheck), the systemd units (systemd-analyze
# verify), lintian (no errors; for the district's no warnings either), that
# the default config names every setting, and that the packaged binaries
# run. Then, as root, it installs the district package on this machine,
# checks what it set up, takes it through packaging/district/README.md's
# steps on a private PostgreSQL when PostgreSQL is installed, and purges
# it. Says what is wrong and exits non-zero on any failure; can be run
# again at any time and leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
. packaging/dev/lib.sh
need_go
# openssl makes the district test's certificate.
need_packages lintian shellcheck openssl
# dpkg's and lintian's perl wants a locale that exists.
export LC_ALL=C.UTF-8

tmp=$(mktemp -d -t buurtbalie-deb-test.XXXXXX)
# What the district part sets up on this machine, undone by cleanup even
# when the script stops half way.
pg=""              # the private PostgreSQL's folder
server=""          # the district server's process id
installed=""       # set when this script installed buurtbalie-district
made_user=""       # set when its postinst made the user buurtbalie-district
cleanup() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	if [ -n "$pg" ]; then
		if [ -f "$pg/data/postmaster.pid" ]; then
			(cd "$pg" && runuser -u postgres -- "$pgbin/pg_ctl" -D "$pg/data" -m immediate -s stop) >/dev/null 2>&1 || true
		fi
		rm -rf "$pg"
	fi
	if [ -n "$installed" ] && dpkg-query -W -f='${Status}' buurtbalie-district 2>/dev/null | grep -qv '^unknown ok not-installed'; then
		env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 purge -y -qq buurtbalie-district >/dev/null 2>&1 || true
	fi
	if [ -n "$made_user" ]; then
		deluser --system --quiet buurtbalie-district >/dev/null 2>&1 || true
		delgroup --system --quiet buurtbalie-district >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
pgbin=/usr/lib/postgresql/15/bin
# The PATH of a service, for the commands the README has an admin run:
# whatever a developer has in /usr/local/bin stays out of it.
syspath=/usr/sbin:/usr/bin:/sbin:/bin
# What is in the repository's top level and packaging/ now, to show at the
# end that the build wrote nothing there.
listing() { (cd "$repo" && ls -A . packaging packaging/deb packaging/dev packaging/district); }
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
# try NAME COMMAND...: check, and say whether it passed, for a step the
# next ones build on; only in an if or before ||, as set -e would stop
# the script at a failure.
try() {
	local name=$1
	shift
	if "$@"; then
		pass "$name"
	else
		fail "$name"
		return 1
	fi
}

echo "== building the .debs" >&2
debs=$(bash packaging/deb/build.sh "$tmp/out")
# build.sh prints both paths, the kiosk's first.
deb=$(echo "$debs" | sed -n 1p)
ddeb=$(echo "$debs" | sed -n 2p)
version="$(tr -d '[:space:]' <packaging/deb/VERSION)-1"
if ! { [ "$(echo "$debs" | wc -l)" -eq 2 ] &&
	[ "$deb" = "$tmp/out/buurtbalie_${version}_amd64.deb" ] && [ -f "$deb" ] &&
	[ "$ddeb" = "$tmp/out/buurtbalie-district_${version}_amd64.deb" ] && [ -f "$ddeb" ]; }; then
	echo "deb-test: FAIL: build.sh should make two .debs and print their paths, buurtbalie_${version}_amd64.deb first; it printed:" >&2
	printf '  %s\n' "$debs" >&2
	exit 1
fi
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
dpkg-deb -e "$deb" "$tmp/DEBIAN"
droot="$tmp/district-root"
dpkg-deb -x "$ddeb" "$droot"
dpkg-deb -e "$ddeb" "$tmp/district-DEBIAN"

echo "== control fields (dpkg-deb --info)" >&2
dpkg-deb --info "$deb" >"$tmp/info"
# fields_ok DEB FIELD=VALUE...: the package's control has those fields
# with those values.
fields_ok() {
	local pkg=$1 ok=0 pair field want got
	shift
	for pair in "$@"; do
		field=${pair%%=*} want=${pair#*=}
		got=$(dpkg-deb -f "$pkg" "$field")
		[ "$got" = "$want" ] || {
			echo "  $field is \"$got\", want \"$want\"" >&2
			ok=1
		}
	done
	return $ok
}
control_ok() {
	local ok=0
	fields_ok "$deb" "Package=buurtbalie" "Version=$version" "Architecture=amd64" || ok=1
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
# contents_ok DEB WANT: DEB holds exactly the files in WANT, with their
# modes, all root:root.
contents_ok() {
	local ok=0 deb=$1 want=$2
	dpkg-deb --contents "$deb" >"$tmp/contents"
	# every entry root:root; directories 0755
	awk '$2 != "root/root" { print "  not root:root: " $0; bad = 1 }
	     /^d/ && $1 != "drwxr-xr-x" { print "  directory not 0755: " $0; bad = 1 }
	     /^[^-d]/ { print "  neither file nor directory: " $0; bad = 1 }
	     END { exit bad }' "$tmp/contents" >&2 || ok=1
	awk '/^-/ { print $6, $1 }' "$tmp/contents" | sort >"$tmp/got"
	if ! diff -u "$want" "$tmp/got" >"$tmp/diff"; then
		echo "  files or modes differ (- wanted, + in the package):" >&2
		sed -n 's/^\([-+]\.\)/  \1/p' "$tmp/diff" >&2
		ok=1
	fi
	return $ok
}
check "contents: $(wc -l <"$tmp/want") files, all root:root, 0755 programs and 0644 data" contents_ok "$deb" "$tmp/want"

echo "== control archive (dpkg-deb --ctrl-tarfile)" >&2
# ctrl_ok DEB CONTROL ROOT CONFFILE: the control archive of DEB (unpacked
# in CONTROL, its files in ROOT) has the maintainer scripts, control,
# conffiles listing exactly CONFFILE, and md5sums that match.
ctrl_ok() {
	local ok=0 f deb=$1 control=$2 root=$3 conffile=$4
	dpkg-deb --ctrl-tarfile "$deb" | tar -tvf - >"$tmp/ctrl"
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
	[ "$(cat "$control/conffiles" 2>/dev/null)" = "$conffile" ] || {
		echo "  conffiles should list exactly $conffile, not: $(cat "$control/conffiles" 2>/dev/null)" >&2
		ok=1
	}
	(cd "$root" && md5sum --quiet -c "$control/md5sums") >&2 || ok=1
	return $ok
}
check "control archive: maintainer scripts 0755, conffiles lists /etc/buurtbalie/buurtbalie.conf, md5sums match" \
	ctrl_ok "$deb" "$tmp/DEBIAN" "$root" /etc/buurtbalie/buurtbalie.conf

echo "== scripts (sh -n, shellcheck)" >&2
scripts=("$tmp/DEBIAN/postinst" "$tmp/DEBIAN/prerm" "$tmp/DEBIAN/postrm"
	"$root/usr/lib/buurtbalie/kiosk-xinit" "$root/usr/lib/buurtbalie/kiosk-session"
	"$tmp/district-DEBIAN/postinst" "$tmp/district-DEBIAN/prerm" "$tmp/district-DEBIAN/postrm")
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
check "sh -n: maintainer scripts of both packages, kiosk-xinit, kiosk-session" syntax_ok
if command -v shellcheck >/dev/null; then
	# The build and test scripts too; they source lib.sh by a path that
	# cannot be followed from here (SC1091).
	check "shellcheck: maintainer scripts of both packages, kiosk-xinit, kiosk-session" \
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
	# units_ok UNIT...: systemd-analyze verify finds nothing to say.
	units_ok() {
		# It reports unknown keys and bad values but exits 0 for them: any
		# word about our units is a failure.
		if ! systemd-analyze verify "$@" >"$tmp/verify" 2>&1; then
			sed 's/^/  /' "$tmp/verify" >&2
			return 1
		fi
		if grep buurtbalie "$tmp/verify" >"$tmp/verify.ours"; then
			sed 's/^/  /' "$tmp/verify.ours" >&2
			return 1
		fi
	}
	check "systemd-analyze verify: $(cd "$tmp/units" && echo *)" units_ok "$tmp/units"/*.service "$tmp/units"/*.timer
else
	echo "deb-test: note: systemd-analyze is not installed; the units were not verified" >&2
fi

echo "== lintian" >&2
# lintian_ok DEB LEVELS: no tags of LEVELS (lintian's --fail-on; notes
# are shown, not failed).
lintian_ok() {
	local rc=0
	lintian --fail-on "$2" --display-info "$1" >"$tmp/lintian" 2>&1 || rc=$?
	grep -v '^running with root privileges' "$tmp/lintian" | sed 's/^/  /' >&2
	echo "  lintian: $(grep -c '^E:' "$tmp/lintian") errors, $(grep -c '^W:' "$tmp/lintian") warnings, $(grep -c '^I:' "$tmp/lintian") notes" >&2
	return $rc
}
check "lintian --fail-on error: $(basename "$deb")" lintian_ok "$deb" error

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

echo "== the district package: control, files, scripts, unit, lintian" >&2
district_control_ok() {
	fields_ok "$ddeb" "Package=buurtbalie-district" "Source=buurtbalie" "Version=$version" "Architecture=amd64" \
		"Depends=adduser" "Recommends=postgresql"
}
check "district control: buurtbalie-district $version amd64 of source buurtbalie, Depends adduser, Recommends postgresql" district_control_ok
cat >"$tmp/district-want" <<'EOF'
./etc/buurtbalie-district/district.env -rw-r--r--
./lib/systemd/system/buurtbalie-district.service -rw-r--r--
./usr/bin/buurtbalie-district -rwxr-xr-x
./usr/share/doc/buurtbalie-district/README.md -rw-r--r--
./usr/share/doc/buurtbalie-district/changelog.Debian.gz -rw-r--r--
./usr/share/doc/buurtbalie-district/copyright -rw-r--r--
./usr/share/lintian/overrides/buurtbalie-district -rw-r--r--
./usr/share/man/man1/buurtbalie-district.1.gz -rw-r--r--
EOF
check "district contents: $(wc -l <"$tmp/district-want") files, all root:root, 0755 programs and 0644 data" \
	contents_ok "$ddeb" "$tmp/district-want"
check "district control archive: maintainer scripts 0755, conffiles lists /etc/buurtbalie-district/district.env, md5sums match" \
	ctrl_ok "$ddeb" "$tmp/district-DEBIAN" "$droot" /etc/buurtbalie-district/district.env
dunit="$droot/lib/systemd/system/buurtbalie-district.service"
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$tmp/district-units"
	sed "s|/usr/bin/buurtbalie-district|$droot/usr/bin/buurtbalie-district|g" "$dunit" >"$tmp/district-units/buurtbalie-district.service"
	# It also looks up the man page the unit's Documentation= names.
	MANPATH="$droot/usr/share/man" check "systemd-analyze verify: buurtbalie-district.service" \
		units_ok "$tmp/district-units/buurtbalie-district.service"
fi
# The unit fills the server's flags from district.env: every variable it
# names must be set there, and every flag must be one serve takes.
dbin="$droot/usr/bin/buurtbalie-district"
unit_env_ok() {
	local ok=0 exec v f
	exec=$(sed -n 's/^ExecStart=//p' "$dunit")
	"$dbin" serve -h >"$tmp/serve-flags" 2>&1 || true
	for v in $(echo "$exec" | grep -o '[$]{[A-Z_]*}' | tr -d '{}$'); do
		grep -Eq "^$v=" "$droot/etc/buurtbalie-district/district.env" || {
			echo "  the unit uses \${$v}, which district.env does not set" >&2
			ok=1
		}
	done
	grep -Eq '^BUURTBALIE_DISTRICT_DATABASE=' "$droot/etc/buurtbalie-district/district.env" || {
		echo "  district.env does not set BUURTBALIE_DISTRICT_DATABASE" >&2
		ok=1
	}
	for f in $(echo "$exec" | grep -o -- ' --[a-z-]*' | sed 's/^ --//'); do
		grep -Eq "^  -$f( |\$)" "$tmp/serve-flags" || {
			echo "  the unit passes --$f, which buurtbalie-district serve does not take" >&2
			ok=1
		}
	done
	return $ok
}
check "the district unit's flags are serve's, and district.env sets every variable they use" unit_env_ok
check "lintian --fail-on error,warning: $(basename "$ddeb")" lintian_ok "$ddeb" error,warning

echo "== the packaged district server" >&2
static_ok() {
	if readelf -lW "$dbin" | grep -q 'INTERP\|DYNAMIC'; then
		echo "  $(file -b "$dbin")" >&2
		return 1
	fi
}
check "buurtbalie-district is static" static_ok
dhelp_ok() {
	local rc=0
	"$dbin" serve -h >"$tmp/dhelp" 2>&1 || rc=$?
	if ! { [ $rc -eq 0 ] && grep -q -- '-database' "$tmp/dhelp" && grep -q -- '-tls-cert' "$tmp/dhelp"; }; then
		echo "  buurtbalie-district serve -h: exit status $rc:" >&2
		sed 's/^/  /' "$tmp/dhelp" >&2
		return 1
	fi
	# Without a command it shows the usage and fails.
	rc=0
	"$dbin" >"$tmp/dusage" 2>&1 || rc=$?
	if ! { [ $rc -eq 2 ] && grep -q 'house add NAME' "$tmp/dusage"; }; then
		echo "  buurtbalie-district without a command: exit status $rc:" >&2
		sed 's/^/  /' "$tmp/dusage" >&2
		return 1
	fi
}
check "buurtbalie-district serve -h; usage without a command" dhelp_ok

# The district package installed on this machine. Each step is a check;
# district_installed_checks runs them in order and stops at the first
# that leaves nothing to go on.
dinstall_ok() {
	installed=yes # from here on, cleanup purges it
	if ! env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y \
		--no-install-recommends "$ddeb" >"$tmp/apt-install" 2>&1; then
		sed 's/^/  /' "$tmp/apt-install" >&2
		return 1
	fi
	[ "$(dpkg-query -W -f='${Status} ${Version}' buurtbalie-district)" = "install ok installed $version" ] || {
		echo "  dpkg says: $(dpkg-query -W -f='${Status} ${Version}' buurtbalie-district)" >&2
		return 1
	}
}
dinstalled_ok() {
	local ok=0 home shell uid
	/usr/bin/buurtbalie-district serve -h >/dev/null 2>&1 || {
		echo "  /usr/bin/buurtbalie-district serve -h fails" >&2
		ok=1
	}
	# postinst says that it did not start the server, and where to read on.
	if ! { grep -q 'installed but not started' "$tmp/apt-install" &&
		grep -q '/usr/share/doc/buurtbalie-district/README.md' "$tmp/apt-install"; }; then
		echo "  postinst did not say what to do next; apt said:" >&2
		sed 's/^/  /' "$tmp/apt-install" >&2
		ok=1
	fi
	if ! getent passwd buurtbalie-district >"$tmp/passwd"; then
		echo "  no user buurtbalie-district" >&2
		ok=1
	else
		IFS=: read -r _ _ uid _ _ home shell <"$tmp/passwd"
		if ! { [ "$uid" -lt 1000 ] && [ "$home" = /nonexistent ] && [ "$shell" = /usr/sbin/nologin ] && [ ! -e "$home" ]; }; then
			echo "  buurtbalie-district should be a system user without home or shell: $(cat "$tmp/passwd")" >&2
			ok=1
		fi
		[ "$(id -gn buurtbalie-district)" = buurtbalie-district ] || {
			echo "  buurtbalie-district's group is $(id -gn buurtbalie-district)" >&2
			ok=1
		}
	fi
	[ "$(stat -c '%U:%G %a' /etc/buurtbalie-district/tls 2>&1)" = "root:buurtbalie-district 750" ] || {
		echo "  /etc/buurtbalie-district/tls: $(stat -c '%U:%G %a' /etc/buurtbalie-district/tls 2>&1), want root:buurtbalie-district 750" >&2
		ok=1
	}
	# Not enabled, not started: it has no database yet.
	if ls /etc/systemd/system/*.wants/buurtbalie-district.service >/dev/null 2>&1; then
		echo "  the unit is enabled: $(ls /etc/systemd/system/*.wants/buurtbalie-district.service)" >&2
		ok=1
	fi
	if [ -d /run/systemd/system ] && systemctl is-active --quiet buurtbalie-district.service; then
		echo "  the server was started" >&2
		ok=1
	fi
	return $ok
}

# The private PostgreSQL: PostgreSQL 15's own programs, as the postgres
# user, on a Unix socket in a folder of its own (no TCP port, so nothing
# to collide with), with Debian's default authentication for local
# connections, peer: a system user is let in as the role of its name.
pg_start_ok() {
	pg=$(mktemp -d -t buurtbalie-deb-test-pg.XXXXXX)
	chmod 0755 "$pg"
	install -d -o postgres -g postgres -m 0700 "$pg/data"
	install -d -o postgres -g postgres -m 0755 "$pg/run"
	if ! (cd "$pg" && runuser -u postgres -- "$pgbin/initdb" -D "$pg/data" -U postgres -A peer \
		--no-sync -E UTF8 --locale=C) >"$tmp/initdb.log" 2>&1; then
		sed 's/^/  /' "$tmp/initdb.log" >&2
		return 1
	fi
	if ! (cd "$pg" && runuser -u postgres -- "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/data/server.log" -w -t 60 -s \
		-o "-c listen_addresses='' -k $pg/run -c fsync=off -c full_page_writes=off" start) >"$tmp/pg_ctl.log" 2>&1; then
		cat "$tmp/pg_ctl.log" "$pg/data/server.log" 2>/dev/null | sed 's/^/  /' >&2
		return 1
	fi
}
# pgrun USER COMMAND...: a PostgreSQL client program as USER, on the
# private server.
pgrun() {
	local user=$1
	shift
	(cd "$pg" && runuser -u "$user" -- env PGHOST="$pg/run" "$@")
}
# The README's steps, on the private server: its role and database
# (step 2), its settings, a certificate (step 3), a house (step 5).
dsetup_ok() {
	local out
	if ! out=$(pgrun postgres "$pgbin/createuser" buurtbalie-district 2>&1 &&
		pgrun postgres "$pgbin/createdb" --owner buurtbalie-district buurtbalie_district 2>&1); then
		echo "  $out" >&2
		return 1
	fi
	# district.env as an admin edits it: this server's socket, a port of
	# its own choosing, a certificate for localhost.
	sed -i -e "s|host=/var/run/postgresql|host=$pg/run|" -e 's|^LISTEN=.*|LISTEN=127.0.0.1:0|' \
		/etc/buurtbalie-district/district.env
	grep -q "host=$pg/run\"\$" /etc/buurtbalie-district/district.env || {
		echo "  could not point district.env's database at $pg/run: $(grep ^BUURTBALIE_DISTRICT_DATABASE= /etc/buurtbalie-district/district.env)" >&2
		return 1
	}
	if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
		-addext subjectAltName=DNS:localhost -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >"$tmp/openssl.log" 2>&1; then
		sed 's/^/  /' "$tmp/openssl.log" >&2
		return 1
	fi
	install -m 0644 "$tmp/cert.pem" /etc/buurtbalie-district/tls/cert.pem
	install -m 0640 -g buurtbalie-district "$tmp/key.pem" /etc/buurtbalie-district/tls/key.pem
	# The README's shell function for the commands.
	local fn
	fn=$(grep '^district() {' packaging/district/README.md) || {
		echo "  packaging/district/README.md has no line \"district() { …\"" >&2
		return 1
	}
	eval "$fn"
	if ! PATH=$syspath district house add "Huis Test" >"$tmp/house-add" 2>&1; then
		sed 's/^/  /' "$tmp/house-add" >&2
		return 1
	fi
	code=$(sed -n 's/^Enrolment code for one kiosk of Huis Test: //p' "$tmp/house-add")
	[ -n "$code" ] || {
		echo "  house add printed no code:" >&2
		sed 's/^/  /' "$tmp/house-add" >&2
		return 1
	}
}
# The server as the unit runs it (its ExecStart, with systemd's ${VAR}
# as the shell's), and a kiosk joining it over HTTPS with the code: the
# packaged kiosk binary, trusting the test's certificate.
dserve_ok() {
	local exec i addr=""
	exec=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/buurtbalie-district.service | sed 's/\${\([A-Z_]*\)}/"$\1"/g')
	setpriv --reuid=buurtbalie-district --regid=buurtbalie-district --clear-groups -- \
		env -i PATH="$syspath" sh -c "set -a && . /etc/buurtbalie-district/district.env && exec $exec" \
		</dev/null >"$tmp/serve.log" 2>&1 &
	server=$!
	for i in $(seq 300); do
		addr=$(sed -n 's/.*msg="district server started" addr=\([^ ]*\) tls=true.*/\1/p' "$tmp/serve.log")
		[ -n "$addr" ] && break
		kill -0 "$server" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$addr" ] || {
		echo "  the server did not start with TLS within $((i / 10)) s:" >&2
		sed 's/^/  /' "$tmp/serve.log" >&2
		return 1
	}
	# A kiosk's database, made as any first command makes it.
	if ! "$bin" programme --config "$root/etc/buurtbalie/buurtbalie.conf" --data "$tmp/kiosk" \
		--date 2026-11-23 >"$tmp/join" 2>&1 ||
		! SSL_CERT_FILE=/etc/buurtbalie-district/tls/cert.pem "$bin" district join "https://localhost:${addr##*:}" "$code" \
			--config "$root/etc/buurtbalie/buurtbalie.conf" --data "$tmp/kiosk" >"$tmp/join" 2>&1; then
		echo "  the kiosk could not join:" >&2
		sed 's/^/  /' "$tmp/join" "$tmp/serve.log" >&2
		return 1
	fi
	PATH=$syspath district houses >"$tmp/houses" 2>&1
	grep -Eq '^Huis Test +1 ' "$tmp/houses" || {
		echo "  houses does not show Huis Test with one kiosk:" >&2
		sed 's/^/  /' "$tmp/houses" >&2
		return 1
	}
	# SIGTERM, as systemctl stop sends: it ends cleanly.
	kill -TERM "$server"
	local rc=0
	wait "$server" || rc=$?
	server=""
	[ $rc -eq 0 ] || {
		echo "  the server ended with status $rc on SIGTERM:" >&2
		sed 's/^/  /' "$tmp/serve.log" >&2
		return 1
	}
}
# The README's backup script, and its restore steps.
dbackup_ok() {
	awk '/<!-- packaging\/dev\/deb-test.sh runs the first sh block after this line/ { found = 1; next }
	     found && /^```sh$/ { inside = 1; next }
	     inside && /^```$/ { exit }
	     inside { print }' packaging/district/README.md >"$pg/backup"
	[ -s "$pg/backup" ] || {
		echo "  packaging/district/README.md has no backup script after its deb-test.sh mark" >&2
		return 1
	}
	chmod 0755 "$pg/backup"
	install -d -o buurtbalie-district -g buurtbalie-district -m 0750 "$pg/backups"
	if ! (cd "$pg" && PATH=$syspath runuser -u buurtbalie-district -- "$pg/backup" "$pg/backups") >"$tmp/backup.log" 2>&1; then
		sed 's/^/  /' "$tmp/backup.log" >&2
		return 1
	fi
	local dumps
	dumps=$(cd "$pg/backups" && echo *)
	case "$dumps" in
	district-[0-9]*-[0-9]*.dump) ;;
	*)
		echo "  the backup folder holds \"$dumps\", want one district-YYYYMMDD-HHMMSS.dump" >&2
		return 1
		;;
	esac
	local out
	if ! out=$(pgrun postgres "$pgbin/dropdb" buurtbalie_district 2>&1 &&
		pgrun postgres "$pgbin/createdb" --owner buurtbalie-district buurtbalie_district 2>&1 &&
		pgrun buurtbalie-district "$pgbin/pg_restore" --no-owner --exit-on-error --dbname=buurtbalie_district "$pg/backups/$dumps" 2>&1); then
		echo "  restore: $out" >&2
		return 1
	fi
	PATH=$syspath district houses >"$tmp/houses" 2>&1
	grep -Eq '^Huis Test +1 ' "$tmp/houses" || {
		echo "  after the restore, houses does not show Huis Test with one kiosk:" >&2
		sed 's/^/  /' "$tmp/houses" >&2
		return 1
	}
}
# Installing again (as an upgrade does) keeps the admin's settings and
# key, and neither enables nor starts the server nor repeats the message.
dreinstall_ok() {
	local before ok=0
	before=$(md5sum /etc/buurtbalie-district/district.env /etc/buurtbalie-district/tls/key.pem)
	if ! env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --reinstall \
		--no-install-recommends "$ddeb" >"$tmp/apt-reinstall" 2>&1; then
		sed 's/^/  /' "$tmp/apt-reinstall" >&2
		return 1
	fi
	[ "$(md5sum /etc/buurtbalie-district/district.env /etc/buurtbalie-district/tls/key.pem 2>&1)" = "$before" ] || {
		echo "  district.env or the key changed" >&2
		ok=1
	}
	[ "$(stat -c '%U:%G %a' /etc/buurtbalie-district/tls/key.pem)" = "root:buurtbalie-district 640" ] || {
		echo "  the key is now $(stat -c '%U:%G %a' /etc/buurtbalie-district/tls/key.pem)" >&2
		ok=1
	}
	if grep -q 'installed but not started' "$tmp/apt-reinstall"; then
		echo "  postinst repeated its first-install message" >&2
		ok=1
	fi
	if ls /etc/systemd/system/*.wants/buurtbalie-district.service >/dev/null 2>&1; then
		echo "  the unit is enabled now" >&2
		ok=1
	fi
	return $ok
}
dpurge_ok() {
	local ok=0 f
	if [ -f "$pg/data/postmaster.pid" ]; then
		(cd "$pg" && runuser -u postgres -- "$pgbin/pg_ctl" -D "$pg/data" -m fast -s stop) >/dev/null 2>&1 || true
	fi
	if ! env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 purge -y buurtbalie-district \
		>"$tmp/apt-purge" 2>&1; then
		sed 's/^/  /' "$tmp/apt-purge" >&2
		return 1
	fi
	installed=""
	if grep -i 'warning' "$tmp/apt-purge" >"$tmp/apt-purge.warnings"; then
		sed 's/^/  /' "$tmp/apt-purge.warnings" >&2
		ok=1
	fi
	if dpkg-query -W -f='${Status}' buurtbalie-district 2>/dev/null | grep -qv '^unknown ok not-installed'; then
		echo "  dpkg still knows it: $(dpkg-query -W -f='${Status}' buurtbalie-district)" >&2
		ok=1
	fi
	for f in /usr/bin/buurtbalie-district /lib/systemd/system/buurtbalie-district.service /etc/buurtbalie-district \
		/etc/systemd/system/buurtbalie-district.service /var/lib/systemd/deb-systemd-helper-enabled/buurtbalie-district.service.dsh-also \
		/var/lib/systemd/deb-systemd-helper-masked/buurtbalie-district.service; do
		if [ -e "$f" ] || [ -L "$f" ]; then
			echo "  purge left $f" >&2
			ok=1
		fi
	done
	# The user stays, as Debian does it and the README says.
	getent passwd buurtbalie-district >/dev/null || {
		echo "  purge removed the user buurtbalie-district" >&2
		ok=1
	}
	return $ok
}
district_installed_checks() {
	getent passwd buurtbalie-district >/dev/null || made_user=yes
	try "district: apt-get install ./$(basename "$ddeb")" dinstall_ok || return 0
	check "district: installed, says what to do, system user, tls folder root:buurtbalie-district 0750, not enabled or started" dinstalled_ok
	if command -v systemd-analyze >/dev/null; then
		check "district: systemd-analyze verify the installed unit" units_ok /lib/systemd/system/buurtbalie-district.service
	fi
	if [ -x "$pgbin/initdb" ] && getent passwd postgres >/dev/null; then
		if try "district: a private PostgreSQL 15 (peer authentication, own socket)" pg_start_ok &&
			try "district: README's role, database, settings, certificate; house add" dsetup_ok &&
			try "district: the unit's serve over HTTPS; the packaged kiosk joins with the code" dserve_ok; then
			check "district: README's backup script and restore steps" dbackup_ok
			check "district: installing again keeps district.env and the key, enables nothing" dreinstall_ok
		fi
	else
		echo "deb-test: note: PostgreSQL 15 is not installed; the district server was not tried on a database" >&2
	fi
	check "district: apt-get purge leaves nothing but the user" dpurge_ok
	if [ -n "$made_user" ]; then
		deluser --system --quiet buurtbalie-district >/dev/null 2>&1 || true
		delgroup --system --quiet buurtbalie-district >/dev/null 2>&1 || true
		made_user=""
	fi
}

# Installing it on this machine, as an admin would: root only, one run at
# a time (dpkg's lock is apt's; this lock keeps two runs of this script
# from installing and purging the same package under each other).
if [ "$(id -u)" -ne 0 ]; then
	echo "deb-test: note: not root, so buurtbalie-district was not installed and tried; run this as root for that" >&2
else
	exec 9>/run/lock/buurtbalie-deb-test.lock
	if ! flock -w 900 9; then
		fail "another deb-test.sh held /run/lock/buurtbalie-deb-test.lock for 15 minutes"
	elif dpkg-query -W -f='${Status}' buurtbalie-district 2>/dev/null | grep -qv '^unknown ok not-installed'; then
		fail "buurtbalie-district is installed on this machine already ($(dpkg-query -W -f='${Status} ${Version}' buurtbalie-district)); this test installs and purges it itself. Purge it (apt-get purge buurtbalie-district) and run the test again"
	else
		district_installed_checks
	fi
	exec 9>&-
fi

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
