#!/usr/bin/env bash
# Builds the Debian packages of Buurtbalie for plain Debian 12 PCs, from
# one build and one version: buurtbalie_<version>_amd64.deb, the kiosk, and
# buurtbalie-district_<version>_amd64.deb, the district server (its files
# are in packaging/district). Prints the paths of the two .debs on stdout,
# one a line, the kiosk's first.
#
# Usage: packaging/deb/build.sh [OUTDIR]
#   OUTDIR defaults to $OUT, else a new temporary folder; it may not be
#   inside the repository (the repository's top level stays as it is).
#
# It uses dpkg-deb itself, not nfpm: dpkg-deb is on every Debian machine
# already (nothing to download), the staged tree below is exactly what gets
# installed, and dpkg-shlibdeps and lintian are the tools Debian checks
# packages with anyway. --root-owner-group makes every file root:root
# without fakeroot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-${OUT:-}}
if [ -n "$out" ]; then
	out=$(realpath -m "$out") # relative to where it was called from
fi
cd "$repo"
. packaging/dev/lib.sh
need_go
# dpkg-dev: dpkg-buildflags (Debian's hardening flags for the C parts) and
# dpkg-shlibdeps (the library dependencies of the binary).
# shellcheck disable=SC2086 # a list of names
need_packages $BUILD_PACKAGES dpkg-dev
umask 022
# dpkg tools and perl want a locale that exists; LANG from lib.sh may not.
export LC_ALL=C.UTF-8

# The version lives in one place, packaging/deb/VERSION. "-1" is the
# Debian revision: raise it here (and in the changelog) only to rebuild the
# same version differently. Both packages come from the one source
# "buurtbalie", so they share packaging/deb/changelog, as Debian's binary
# packages of one source do.
upstream=$(tr -d '[:space:]' <"$here/VERSION")
version="$upstream-1"
if [ "$(dpkg-parsechangelog -l "$here/changelog" -S Version)" != "$version" ]; then
	echo "build.sh: packaging/deb/changelog does not start with version $version; add an entry for it" >&2
	exit 1
fi

if [ -z "$out" ]; then
	out=$(mktemp -d -t buurtbalie-deb.XXXXXX)
fi
case "$out/" in
"$repo"/*)
	echo "build.sh: $out is inside the repository; give a folder outside it" >&2
	exit 1
	;;
esac
mkdir -p "$out"

work=$(mktemp -d -t buurtbalie-stage.XXXXXX)
trap 'rm -rf "$work"' EXIT
district="$repo/packaging/district"

# Reproducible: the changelog's date for every timestamp.
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$here/changelog" -S Timestamp)
export SOURCE_DATE_EPOCH

# Debian's hardening for the C parts (GLFW) and a position-independent
# executable with full RELRO, as lintian expects of a Debian binary. The
# file-prefix map is left out: it names the folder built in, which would
# make Go's build cache miss in every fresh clone, and -trimpath and -s
# leave no paths in the binary anyway.
buildflags() {
	DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1" | sed 's/-f[a-z]*-prefix-map=[^ ]*//g'
}
# The kiosk.
root="$work/buurtbalie"
mkdir -p "$root/DEBIAN"
echo "Building /usr/bin/buurtbalie" >&2
CGO_ENABLED=1 CGO_CFLAGS="$(buildflags CFLAGS)" CGO_CPPFLAGS="$(buildflags CPPFLAGS)" CGO_LDFLAGS="$(buildflags LDFLAGS)" \
	go build -tags "$KIOSK_TAGS" -trimpath -buildvcs=false -buildmode=pie -ldflags=-s \
	-o "$root/usr/bin/buurtbalie" ./cmd/buurtbalie
# The C compiler's version notes are of no use in the package.
objcopy --remove-section=.comment "$root/usr/bin/buurtbalie"

# put SRC DEST MODE: one file into the staged tree of the package being
# built, $root.
put() {
	install -D -m "$3" "$1" "$root$2"
}
# docs PACKAGE: its copyright and the changelog.
docs() {
	bash "$here/copyright.sh" "cmd/$1" >"$work/copyright"
	put "$work/copyright" "/usr/share/doc/$1/copyright" 0644
	gzip -9n <"$here/changelog" >"$work/changelog.Debian.gz"
	put "$work/changelog.Debian.gz" "/usr/share/doc/$1/changelog.Debian.gz" 0644
}
put "$here/buurtbalie.conf" /etc/buurtbalie/buurtbalie.conf 0644
for unit in "$here"/systemd/*; do
	put "$unit" "/lib/systemd/system/$(basename "$unit")" 0644
done
put "$here/kiosk-xinit" /usr/lib/buurtbalie/kiosk-xinit 0755
put "$here/kiosk-session" /usr/lib/buurtbalie/kiosk-session 0755
put "$here/nl.buurtbalie.kiosk.desktop" /usr/share/applications/nl.buurtbalie.kiosk.desktop 0644
put assets/icon.png /usr/share/icons/hicolor/512x512/apps/nl.buurtbalie.kiosk.png 0644
put "$here/README.md" /usr/share/doc/buurtbalie/README.md 0644
put "$here/lintian/buurtbalie" /usr/share/lintian/overrides/buurtbalie 0644
docs buurtbalie
sed "s/@VERSION@/$upstream/" "$here/buurtbalie.1" | gzip -9n >"$work/buurtbalie.1.gz"
put "$work/buurtbalie.1.gz" /usr/share/man/man1/buurtbalie.1.gz 0644

# Library dependencies as dpkg-shlibdeps finds them (with the versions the
# binary needs), then the ones GLFW opens at run time and the programs the
# kiosk session runs.
mkdir -p "$work/debian"
printf 'Source: buurtbalie\n\nPackage: buurtbalie\nArchitecture: amd64\n' >"$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O -e buurtbalie/usr/bin/buurtbalie 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build.sh: dpkg-shlibdeps found no libraries" >&2; exit 1; }
depends=$shlibs
for p in libc6 libgl1 libx11-6 libxcursor1 libxrandr2 libxinerama1 libxi6 libxxf86vm1 \
	xserver-xorg-core xserver-xorg-input-libinput xinit xauth x11-xserver-utils \
	libpam-systemd cups-client adduser espeak-ng alsa-utils ffmpeg; do
	case ", $depends," in
	*", $p "* | *", $p,"*) ;;
	*) depends="$depends, $p" ;;
	esac
done

# finish PACKAGE FROM DEPENDS: the control archive of $root from FROM
# (the folder with DEBIAN/control.in and the maintainer scripts), then
# the .deb; prints its path.
finish() {
	local package=$1 from=$2 depends=$3
	sed -e "s/@VERSION@/$version/" \
		-e "s/@INSTALLED_SIZE@/$(du -sk --apparent-size "$root" | cut -f1)/" \
		-e "s/@DEPENDS@/$depends/" \
		"$from/DEBIAN/control.in" >"$root/DEBIAN/control"
	for script in postinst prerm postrm; do
		install -m 0755 "$from/DEBIAN/$script" "$root/DEBIAN/$script"
	done
	# Every file in /etc is a conffile: an admin's change survives upgrades.
	(cd "$root" && find etc -type f -printf '/%p\n' | sort) >"$root/DEBIAN/conffiles"
	chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles"

	(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
	chmod 0644 "$root/DEBIAN/md5sums"

	find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	local deb="$out/${package}_${version}_amd64.deb"
	dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
	echo "$deb"
}
finish buurtbalie "$here" "$depends"

# The district server: pure Go (pgx), so a static binary without cgo,
# which needs no library at all.
root="$work/buurtbalie-district"
mkdir -p "$root/DEBIAN"
echo "Building /usr/bin/buurtbalie-district" >&2
CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags=-s \
	-o "$root/usr/bin/buurtbalie-district" ./cmd/buurtbalie-district
put "$district/district.env" /etc/buurtbalie-district/district.env 0644
put "$district/buurtbalie-district.service" /lib/systemd/system/buurtbalie-district.service 0644
put "$district/README.md" /usr/share/doc/buurtbalie-district/README.md 0644
put "$district/lintian/buurtbalie-district" /usr/share/lintian/overrides/buurtbalie-district 0644
docs buurtbalie-district
sed "s/@VERSION@/$upstream/" "$district/buurtbalie-district.1" | gzip -9n >"$work/buurtbalie-district.1.gz"
put "$work/buurtbalie-district.1.gz" /usr/share/man/man1/buurtbalie-district.1.gz 0644
# adduser for postinst; nothing else: PostgreSQL may be on another
# machine, so it is only recommended.
finish buurtbalie-district "$district" adduser
