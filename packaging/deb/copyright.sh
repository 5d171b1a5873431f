#!/usr/bin/env bash
# Writes /usr/share/doc/PACKAGE/copyright (machine-readable, DEP-5) to
# stdout for one of our binaries: our own code, the fonts embedded in it
# (DejaVu Sans for the slips, Noto Sans Arabic and Ethiopic), if it embeds
# them, and every Go module linked into it with the text of its licence.
# The binary is static as far as Go goes, so the BSD and MIT licences of
# those modules ask for their notices to travel with it; generating the list
# from `go list -deps` keeps it right when a dependency comes or goes.
#
# Usage: packaging/deb/copyright.sh [CMD] > copyright   (from anywhere; needs go)
#   CMD is the command's folder, cmd/buurtbalie (the default) or
#   cmd/buurtbalie-district; the binary is /usr/bin/$(basename CMD).
set -euo pipefail
cd "$(dirname "$0")/../.."
cmd=./${1:-cmd/buurtbalie}
cmd=${cmd#./}
cmd=./${cmd%/}
[ -d "$cmd" ] || { echo "copyright.sh: no command $cmd" >&2; exit 1; }
bin=/usr/bin/$(basename "$cmd")
# The fonts are in the binary when it links the assets package. (Not
# grep -q: it would stop reading and fail go list's pipe.)
fonts=""
if go list -deps "$cmd" | grep -x buurtbalie/assets >/dev/null; then
	fonts=yes
fi

# indent turns plain text into a DEP-5 field body: one leading space, empty
# lines as " .", no trailing white space, tabs as spaces. A full copy of the
# Apache License 2.0 inside a file becomes a pointer to Debian's own copy,
# as Debian asks.
indent() {
	awk '
		/^[[:space:]]*Apache License[[:space:]]*$/ { held = $0; next }
		held != "" && /Version 2\.0, January 2004/ {
			held = ""; skipping = 1
			print "[The Apache License 2.0; on Debian systems its full text is in /usr/share/common-licenses/Apache-2.0.]"
			next
		}
		held != "" { print held; held = "" }
		skipping { if (/END OF TERMS AND CONDITIONS/) skipping = 0; next }
		{ print }
	' "$@" |
		sed -e 's/\r$//' -e 's/\t/    /g' -e 's/[[:space:]]*$//' -e 's/^$/./' -e 's/^/ /'
}

# licence_name guesses the SPDX-style short name of one licence file; the
# full text follows it in the paragraph anyway, so a guess that is too
# coarse loses nothing.
licence_name() {
	local f=$1
	if grep -q "Apache License" "$f" && grep -qi "Permission is hereby granted, free of charge" "$f"; then
		echo "Expat and Apache-2.0"
	elif grep -q "Apache License" "$f" && grep -q "Version 2.0" "$f"; then
		echo "Apache-2.0"
	elif grep -q "Mozilla Public License" "$f"; then
		echo "MPL-2.0"
	elif grep -qi "Redistribution and use" "$f"; then
		if grep -qiE "neither the name|names of its contributors|endorse or promote" "$f"; then
			echo "BSD-3-clause"
		else
			echo "BSD-2-clause"
		fi
	elif grep -qi "Permission is hereby granted, free of charge" "$f"; then
		echo "Expat"
	elif grep -qiE "Permission to use, copy, modify, and(/or)? distribute" "$f"; then
		echo "ISC"
	elif grep -qi "public domain" "$f"; then
		echo "public-domain"
	else
		echo "other"
	fi
}

if [ -n "$fonts" ]; then
	holds="the DejaVu Sans fonts (for the printed slips), Noto Sans Arabic and Noto Sans Ethiopic, and the Go modules listed below"
else
	holds="the Go modules listed below"
fi
echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
echo "Upstream-Name: Buurtbalie"
echo "Comment: $bin is a Go program. Besides our own code it holds $holds, each with its licence, as those licences ask of a binary distribution." |
	fold -s -w 76 | sed -e '2,$s/^/ /' -e 's/ *$//'
echo
cat <<'EOF'
Files: *
Copyright: 2026 The Buurtbalie authors
License: Buurtbalie
 The authors have not yet published Buurtbalie under a licence; until they
 do, all rights are reserved. The pictograms in assets/icons and the app
 icon were drawn for Buurtbalie and are under the same terms.

EOF

if [ -n "$fonts" ]; then
	# DejaVu: assets/fonts/LICENSE-DejaVu.txt is Debian's own DEP-5 file
	# for the fonts; its "Files: *" paragraph is the fonts' (the rest is
	# about Debian's packaging of them).
	awk -v RS= -v ORS='\n\n' '/^Files: \*\n/ { sub(/^Files: \*/, "Files: assets/fonts/DejaVu*"); print; exit }' \
		assets/fonts/LICENSE-DejaVu.txt | sed -e 's/[[:space:]]*$//'
	# Noto: assets/fonts/LICENSE-Noto.txt names the fonts and their
	# copyright on its first lines, then "License: OFL-1.1" and the text.
	noto=assets/fonts/LICENSE-Noto.txt
	echo "Files: assets/fonts/Noto*"
	echo "Copyright: $(sed -n 's/^Copyright \(.*\)\.$/\1/p' "$noto" | head -n 1)"
	echo "License: OFL-1.1"
	sed '1,/^License: OFL-1.1$/d' "$noto" | indent
	echo "Comment: $(head -n 1 "$noto")"
	echo
fi

# The Go toolchain's runtime and standard library are linked in too.
goroot=$(go env GOROOT)
{
	echo "Files: go/*"
	echo "Copyright: The Go Authors"
	echo "License: BSD-3-clause"
	indent "$goroot/LICENSE"
	echo "Comment: the Go runtime and standard library ($(go env GOVERSION)), compiled into $bin."
	echo
}

go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' "$cmd" |
	sort -u |
	while read -r path version dir; do
		[ -n "$dir" ] || { echo "copyright.sh: module $path is not in the module cache; run go mod download" >&2; exit 1; }
		mapfile -t files < <(find "$dir" -maxdepth 1 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' -o -iname 'notice*' -o -iname 'unlicense*' \) | sort)
		[ ${#files[@]} -gt 0 ] || { echo "copyright.sh: module $path has no licence file; look at it before shipping it" >&2; exit 1; }
		main=${files[0]}
		name=$(licence_name "$main")
		holders=$(grep -hiE '^[[:space:]]*(\(c\)|copyright)[[:space:]]+(\(c\)|©)?[[:space:]]*[0-9]' "${files[@]}" |
			sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | sort -u | head -n 8 || true)
		[ -n "$holders" ] || holders="The authors of $path"
		echo "Files: $path/*"
		echo "Copyright: $(echo "$holders" | head -n 1)"
		echo "$holders" | tail -n +2 | indent
		if [ "$name" = "Apache-2.0" ] && [ ${#files[@]} -eq 1 ]; then
			# The same text as Debian's common-licenses, which lintian
			# prefers to a copy.
			echo "License: Apache-2.0"
			echo " On Debian systems, the full text of the Apache License 2.0 is in"
			echo " /usr/share/common-licenses/Apache-2.0."
		else
			echo "License: $name"
			first=1
			for f in "${files[@]}"; do
				[ $first -eq 1 ] || printf ' .\n -- %s --\n .\n' "$(basename "$f")"
				first=0
				indent "$f"
			done
		fi
		echo "Comment: Go module $path $version, compiled into $bin."
		echo
	done
