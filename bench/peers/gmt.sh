#!/usr/bin/env bash
# The benchmark map for GMT (classic mode): the same layers, order, colours and widths as
# bench/peer_map.lua, on an 8x6 in page written as a 2400x1800 PNG at 300 dpi.
# Usage: gmt.sh map|global DATA OUT.png MINX MINY MAXX MAXY
#   map:    DATA is the geodata folder; global: DATA is the admin-1 shapefile.
#   The box is in metres of the Lambert conic below (GMT's -R...+ue).
set -euo pipefail

if [ $# -ne 7 ]; then
  sed -n '2,6p' "$0" >&2
  exit 2
fi
scenario=$1
data=$(realpath -m "$2")
out=$(realpath -m "$3")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

R="-R$4/$6/$5/$7+ue"
J="-JL28/51/47/55/8i"
ps=map.ps
gmt set PS_MEDIA 8ix6i MAP_ORIGIN_X 0 MAP_ORIGIN_Y 0 PS_PAGE_ORIENTATION portrait \
  PS_CHAR_ENCODING ISO-8859-2 GMT_VERBOSE errors

case $scenario in
  map)
    gmt psbasemap "$R" "$J" -B+n+g#a9cbe4 -Ve -K >"$ps"
    gmt psxy "$data/land.shp" -R -J -G#dedbd6 -O -K >>"$ps"
    gmt psxy "$data/countries.shp" -R -J -aZ=iso_a2 -C"$here/gmt_countries.cpt" -G+z -O -K >>"$ps"
    gmt psxy "$data/regions.shp" -R -J -W0.3p,#9b968c -O -K >>"$ps"
    gmt psxy "$data/lakes.shp" -R -J -G#a9cbe4 -O -K >>"$ps"
    gmt psxy "$data/rivers.shp" -R -J -W0.5p,#4a8cc4 -O -K >>"$ps"
    gmt psxy "$data/sea.shp" -R -J -G#a9cbe4 -W0.4p,#6f95b3 -O -K >>"$ps"
    gmt psxy "$data/boundaries.shp" -R -J -W1.2p,#3a3a3a -O -K >>"$ps"
    # Cities over 250,000: x, y and the name as trailing text. GMT's PostScript text is 8-bit,
    # so the UTF-8 names go through Latin-2, the encoding set above.
    gmt convert "$data/places.shp" -a2=pop_max,name | gmt select -Z250001/- |
      gmt convert -o0,1,t | iconv -f UTF-8 -t ISO-8859-2//TRANSLIT >places.txt
    gmt psxy places.txt -R -J -Sc4p -G#1a1a1a -O -K >>"$ps"
    gmt pstext places.txt -R -J -F+f8p,Helvetica,#1a1a1a=~1.2p,white+jLM -D3p/0 -O >>"$ps"
    ;;
  global)
    gmt psbasemap "$R" "$J" -B+n+gwhite -Ve -K >"$ps"
    gmt psxy "$data" -R -J -G#e8e4d8 -W0.5p,#9a9282 -O >>"$ps"
    ;;
  *)
    echo "gmt.sh: unknown scenario '$scenario'" >&2
    exit 2
    ;;
esac
gmt psconvert "$ps" -Tg -E300 -Fmap
mv map.png "$out"
