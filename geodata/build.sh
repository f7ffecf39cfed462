#!/usr/bin/env bash
# Rebuild corridor's shipped Natural Earth extracts (geodata/*.shp) from
# Debian packages, without installing those packages.
#
#   bash geodata/build.sh [--out DIR] [DEB_DIR]
#
# DEB_DIR  a directory that already holds the three .deb files; when it is
#          missing or lacks one, the script runs `apt-get download`.
# --out    write the layers to DIR instead of geodata/ (to compare two runs).
#
# GDAL (ogr2ogr, ogrinfo) is a tool of this script only. If it is missing
# the script installs Debian's gdal-bin. corridor itself never links GDAL.
# See geodata/SOURCES.md for what each layer is and what the script changes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out_dir=$here
deb_dir=

while [ $# -gt 0 ]; do
    case $1 in
        --out) out_dir=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "build.sh: unknown option $1" >&2; exit 2 ;;
        *) deb_dir=$1; shift ;;
    esac
done
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)

# The region every layer is clipped to: the Baltic, St Petersburg, Belarus,
# Ukraine and the Black Sea coast.
XMIN=5 YMIN=42 XMAX=53 YMAX=65
BOX="BuildMbr($XMIN,$YMIN,$XMAX,$YMAX,4326)"
# The .dbf header holds a "last update" date; pin it so reruns are
# byte-identical. SOURCE_DATE_EPOCH overrides it, as usual.
DBF_DATE=2019-12-25
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    DBF_DATE=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
fi
PACKAGES=(libgnudatalanguage0 libmagics++-data qgis-common)
LAYERS=(countries regions land sea lakes rivers boundaries places europe_land europe_borders)

say() { printf 'build.sh: %s\n' "$*"; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

# --- tools -----------------------------------------------------------------
if ! command -v ogr2ogr >/dev/null || ! command -v ogrinfo >/dev/null; then
    say "ogr2ogr not found: installing gdal-bin (a build tool only)"
    apt-get install -y gdal-bin || { apt-get update && apt-get install -y gdal-bin; }
fi
say "using $(ogrinfo --version)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corridor-geodata.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- the three Debian packages ----------------------------------------------
mkdir -p "$tmp/debs" "$tmp/x"
# apt-get download fetches as the _apt user where it can write the directory.
chmod 755 "$tmp"
if id _apt >/dev/null 2>&1; then chown _apt "$tmp/debs"; fi
for pkg in "${PACKAGES[@]}"; do
    found=
    if [ -n "$deb_dir" ]; then
        for f in "$deb_dir/${pkg}"_*.deb; do
            [ -f "$f" ] && found=$f
        done
    fi
    if [ -z "$found" ]; then
        say "downloading $pkg"
        # apt-get download writes into the current directory.
        if ! (cd "$tmp/debs" && apt-get download "$pkg"); then
            apt-get update
            (cd "$tmp/debs" && apt-get download "$pkg")
        fi
        for f in "$tmp/debs/${pkg}"_*.deb; do
            [ -f "$f" ] && found=$f
        done
    fi
    [ -n "$found" ] || die "no .deb for $pkg"
    say "$pkg $(dpkg-deb -f "$found" Version) <- $(basename "$found")"
    dpkg -x "$found" "$tmp/x"
done

gdl=$tmp/x/usr/share/gnudatalanguage/resource/maps/high
mag=$tmp/x/usr/share/magics/10m
mag110=$tmp/x/usr/share/magics/110m
gpkg_src=$tmp/x/usr/share/qgis/resources/data/world_map.gpkg
for f in "$gdl/ne_10m_admin_1_states_provinces.shp" \
         "$gdl/ne_10m_admin_0_boundary_lines_land.shp" \
         "$gdl/ne_10m_lakes.shp" \
         "$mag/ne_10m_land.shp" "$mag/ne_10m_ocean.shp" \
         "$mag/ne_10m_rivers_lake_centerlines.shp" \
         "$mag/ne_10m_populated_places_simple.shp" "$gpkg_src" \
         "$mag110/ne_110m_land.shp" "$mag110/ne_110m_admin_0_boundary_lines_land.shp"; do
    [ -f "$f" ] || die "missing in the packages: ${f#"$tmp/x/"}"
done

# --- helpers ----------------------------------------------------------------
W=$tmp/work.gpkg

# q SQL: run a one-column query on the work GeoPackage; print one value a line.
q() {
    ogr2ogr -f CSV /vsistdout/ "$W" -sql "$1" -lco SEPARATOR=TAB -lco STRING_QUOTING=IF_NEEDED |
        tail -n +2 | sed 's/^"\(.*\)"$/\1/'
}
# one SQL: a single value.
one() { q "$1" | head -n 1; }
# sql_to LAYER GEOMTYPE SQL: make LAYER in the work GeoPackage from SQL on it.
sql_to() {
    ogr2ogr -f GPKG -update "$W" "$W" -nln "$1" -nlt "$2" -sql "$3"
}
# import LAYER SRC [ogr2ogr options...]: copy the part of SRC that touches the
# region into the work GeoPackage.
import() {
    local layer=$1 src=$2; shift 2
    ogr2ogr -f GPKG -update "$W" "$src" -nln "$layer" -a_srs EPSG:4326 \
        -spat "$XMIN" "$YMIN" "$XMAX" "$YMAX" "$@"
}
# clip GEOM DIM: GEOM cut to the region, keeping only parts of dimension DIM
# (2 lines, 3 polygons), as a multi-geometry.
clip() { printf 'ST_Multi(CollectionExtract(ST_Intersection(%s, %s), %s))' "$1" "$BOX" "$2"; }

# --- import the sources ------------------------------------------------------
# Encodings: the admin-1, boundary and lakes .dbf files are UTF-8 but carry no
# code page mark (GDAL would read them as ISO-8859-1); the populated places
# and rivers .dbf files are Windows-1252 and say "ANSI", which GDAL would read
# as ISO-8859-1 and so lose characters such as Š (0x8A).
ogr2ogr -f GPKG "$W" "$gdl/ne_10m_admin_1_states_provinces.shp" -oo ENCODING=UTF-8 \
    -nln adm1_src -nlt PROMOTE_TO_MULTI -a_srs EPSG:4326 -spat "$XMIN" "$YMIN" "$XMAX" "$YMAX"
import bnd_src "$gdl/ne_10m_admin_0_boundary_lines_land.shp" -oo ENCODING=UTF-8 -nlt PROMOTE_TO_MULTI
import lakes_src "$gdl/ne_10m_lakes.shp" -oo ENCODING=UTF-8 -nlt PROMOTE_TO_MULTI
import land_src "$mag/ne_10m_land.shp" -oo ENCODING=UTF-8 -nlt PROMOTE_TO_MULTI
import sea_src "$mag/ne_10m_ocean.shp" -oo ENCODING=UTF-8 -nlt PROMOTE_TO_MULTI
import rivers_src "$mag/ne_10m_rivers_lake_centerlines.shp" -oo ENCODING=CP1252 -nlt PROMOTE_TO_MULTI
import places_src "$mag/ne_10m_populated_places_simple.shp" -oo ENCODING=CP1252
ogr2ogr -f GPKG -update "$W" "$gpkg_src" -nln ctry_attr -nlt NONE \
    -sql 'SELECT iso_a2, NAME AS name, ISO_A3 AS iso_a3 FROM countries'
ogr2ogr -f GPKG -update "$W" "$here/names.csv" -nln place_names
ogr2ogr -f GPKG -update "$W" "$here/region_names.csv" -nln region_names
ogr2ogr -f GPKG -update "$W" "$here/river_names.csv" -nln river_names

for t in place_names region_names; do
    dup=$(one "SELECT count(*) FROM (SELECT ne_name, iso_a2 FROM $t GROUP BY 1, 2 HAVING count(*) > 1)")
    [ "$dup" = 0 ] || die "$t: $dup duplicate (ne_name, iso_a2) keys"
done
[ "$(one 'SELECT count(*) FROM adm1_src WHERE NOT ST_IsValid(geom)')" = 0 ] ||
    die "invalid admin-1 polygons in the source"

# --- regions: admin-1, Crimea and Sevastopol back to Ukraine -----------------
# Natural Earth gives the admin-1 units "Crimea" and "Sevastopol" iso_a2 RU.
# Internationally they are Ukraine. NE's code is not kept in a field of its
# own: for these two units it would still say Russia.
crimea_src=$(one "SELECT count(*) FROM adm1_src WHERE iso_a2 = 'RU' AND name IN ('Crimea', 'Sevastopol')")
[ "$crimea_src" = 2 ] || die "expected the 2 admin-1 units Crimea and Sevastopol coded RU, found $crimea_src"
sql_to adm1 MULTIPOLYGON "
    SELECT CASE WHEN iso_a2 = 'RU' AND name IN ('Crimea', 'Sevastopol') THEN 'UA' ELSE iso_a2 END AS iso_a2,
           name, scalerank, $(clip geom 3) AS geom
    FROM adm1_src WHERE ST_Intersects(geom, $BOX)"
say "regions: Crimea and Sevastopol reassigned from RU to UA"
odd=$(q "SELECT iso_a2 || ' ' || group_concat(name, '/') AS v FROM adm1 WHERE iso_a2 NOT GLOB '[A-Z][A-Z]' GROUP BY iso_a2")
[ -z "$odd" ] || die "admin-1 units with no country code in the region: $odd"
sql_to regions MULTIPOLYGON "
    SELECT a.iso_a2, coalesce(n.name, a.name) AS name, a.name AS name_en, a.scalerank, a.geom
    FROM adm1 a LEFT JOIN region_names n ON n.ne_name = a.name AND n.iso_a2 = a.iso_a2
    ORDER BY a.iso_a2, a.name"
q "SELECT ne_name || ' (' || iso_a2 || ')' AS v FROM region_names n
   WHERE NOT EXISTS (SELECT 1 FROM adm1 a WHERE a.name = n.ne_name AND a.iso_a2 = n.iso_a2)" |
    while read -r r; do say "warning: region_names.csv row matches no region: $r"; done

# --- countries: admin-1 dissolved by country, attributes from QGIS ----------
sql_to ctry_geom MULTIPOLYGON "
    SELECT iso_a2, ST_Multi(ST_Union(geom)) AS geom FROM adm1 GROUP BY iso_a2"
bad=$(one 'SELECT count(*) FROM ctry_geom WHERE NOT ST_IsValid(geom)')
if [ "$bad" != 0 ]; then
    say "repairing $bad dissolved country polygons with MakeValid"
    sql_to ctry_valid MULTIPOLYGON "SELECT iso_a2, ST_Multi(CollectionExtract(MakeValid(geom), 3)) AS geom FROM ctry_geom"
    ctry=ctry_valid
else
    ctry=ctry_geom
fi
missing=$(q "SELECT g.iso_a2 FROM $ctry g WHERE (SELECT count(*) FROM ctry_attr a WHERE a.iso_a2 = g.iso_a2) <> 1")
[ -z "$missing" ] || die "no unique QGIS country row for: $missing"
# Kosovo has no ISO 3166 alpha-3 code; NE writes -99, which becomes NULL here.
sql_to countries MULTIPOLYGON "
    SELECT g.iso_a2, nullif(a.iso_a3, '-99') AS iso_a3, a.name, g.geom
    FROM $ctry g JOIN ctry_attr a ON a.iso_a2 = g.iso_a2 ORDER BY g.iso_a2"
# Gaps or overlaps between admin-1 units would make the dissolved area differ
# from the sum of the parts.
q "SELECT s.iso_a2 || ' ' || (ST_Area(c.geom) - s.a) AS v FROM
     (SELECT iso_a2, sum(ST_Area(geom)) AS a FROM adm1 GROUP BY iso_a2) s
     JOIN countries c ON c.iso_a2 = s.iso_a2 WHERE abs(ST_Area(c.geom) - s.a) > 1e-6" |
    while read -r r; do say "warning: dissolve changed the area of $r square degrees"; done

# --- boundaries: international land boundary lines -------------------------
sql_to bnd MULTILINESTRING "SELECT fid + 0 AS ne_fid, $(clip geom 2) AS geom FROM bnd_src WHERE ST_Intersects(geom, $BOX)"
# Which countries lie at a line's midpoint; an international boundary has two.
# Where the midpoint is in water (lagoons), take the countries along the line.
sql_to bnd_mid NONE "
    SELECT b.ne_fid, c.iso_a2 FROM bnd b JOIN countries c
    ON ST_Intersects(c.geom, ST_Buffer(ST_Line_Interpolate_Point(ST_GeometryN(b.geom, 1), 0.5), 0.0001))"
sql_to bnd_side NONE "
    SELECT ne_fid, iso_a2 FROM bnd_mid
    UNION
    SELECT b.ne_fid, c.iso_a2 FROM bnd b JOIN countries c ON ST_Distance(c.geom, b.geom) < 0.001
    WHERE NOT EXISTS (SELECT 1 FROM bnd_mid m WHERE m.ne_fid = b.ne_fid)"
# A line with only one country at its midpoint runs inside that country. In
# NE 4.1 that is the Perekop line between Crimea and Kherson oblast, drawn
# because NE counts Crimea as Russia; with Crimea in Ukraine it must go.
q "SELECT b.ne_fid || ' ' || s.iso_a2 || ' ' || round(ST_MinX(b.geom), 2) || ',' || round(ST_MinY(b.geom), 2)
          || ' - ' || round(ST_MaxX(b.geom), 2) || ',' || round(ST_MaxY(b.geom), 2) AS v
   FROM bnd b JOIN bnd_side s ON s.ne_fid = b.ne_fid
   WHERE (SELECT count(*) FROM bnd_side t WHERE t.ne_fid = b.ne_fid) = 1 ORDER BY b.ne_fid" |
    while read -r r; do say "boundaries: removed line inside one country: NE line $r"; done
sql_to boundaries MULTILINESTRING "
    SELECT (SELECT min(iso_a2) FROM bnd_side s WHERE s.ne_fid = b.ne_fid) AS iso_a2_a,
           (SELECT max(iso_a2) FROM bnd_side s WHERE s.ne_fid = b.ne_fid) AS iso_a2_b,
           b.geom
    FROM bnd b WHERE (SELECT count(*) FROM bnd_side s WHERE s.ne_fid = b.ne_fid) <> 1
    ORDER BY iso_a2_a, iso_a2_b, b.ne_fid"
for pair in RU-UA BY-LT BY-UA BY-PL LT-PL BY-RU; do
    n=$(one "SELECT count(*) FROM boundaries WHERE iso_a2_a || '-' || iso_a2_b = '$pair'")
    [ "$n" -ge 1 ] || die "boundaries: the $pair border is missing"
done

# --- physical layers ---------------------------------------------------------
sql_to land MULTIPOLYGON "SELECT featurecla, CAST(scalerank AS INTEGER) AS scalerank, $(clip geom 3) AS geom
    FROM land_src WHERE ST_Intersects(geom, $BOX) ORDER BY fid"
sql_to sea MULTIPOLYGON "SELECT featurecla, CAST(scalerank AS INTEGER) AS scalerank, $(clip geom 3) AS geom
    FROM sea_src WHERE ST_Intersects(geom, $BOX) ORDER BY fid"
# The lakes file in libgnudatalanguage0 keeps no attribute but a running FID.
# Each lake's area is computed instead (km², in the equal-area ETRS89-LAEA
# projection, EPSG:3035) so that styles can leave out small lakes.
sql_to lakes_clip MULTIPOLYGON "SELECT fid + 0 AS src, $(clip geom 3) AS geom
    FROM lakes_src WHERE ST_Intersects(geom, $BOX)"
ogr2ogr -f GPKG -update "$W" "$W" -nln lakes_laea -t_srs EPSG:3035 -sql 'SELECT src, geom FROM lakes_clip'
sql_to lakes MULTIPOLYGON "SELECT CAST(round(ST_Area(a.geom) / 1e6, 1) AS REAL) AS area_km2, c.geom
    FROM lakes_clip c JOIN lakes_laea a ON a.src = c.src ORDER BY c.src"
# Rivers come from libmagics++-data: the same NE layer in libgnudatalanguage0
# lost its name and scalerank fields. Some NE river names lost letters on
# their way into that file; river_names.csv restores them.
sql_to rivers MULTILINESTRING "SELECT coalesce(n.name, r.name) AS name, r.name AS name_en,
        CAST(r.scalerank AS INTEGER) AS scalerank, r.featurecla, $(clip r.geom 2) AS geom
    FROM rivers_src r LEFT JOIN river_names n ON n.ne_name = r.name
    WHERE ST_Intersects(r.geom, $BOX) ORDER BY r.fid"
q "SELECT ne_name AS v FROM river_names n WHERE NOT EXISTS (SELECT 1 FROM rivers r WHERE r.name_en = n.ne_name)" |
    while read -r r; do say "warning: river_names.csv row matches no river: $r"; done
q "SELECT DISTINCT name AS v FROM rivers WHERE name GLOB '*[?]*'" |
    while read -r r; do say "warning: river name with a lost character: $r"; done

# --- the locator inset: Europe at 1:110m ---------------------------------------
# A small map of Europe locates the main map. NE's 110m boundary lines draw no
# line around Crimea (checked below), so they need no correction.
EUBOX="BuildMbr(-12,33,60,72,4326)"
for src in land admin_0_boundary_lines_land; do
    ogr2ogr -f GPKG -update "$W" "$mag110/ne_110m_$src.shp" -nln "eu_${src}_src" -a_srs EPSG:4326 \
        -oo ENCODING=UTF-8 -nlt PROMOTE_TO_MULTI -spat -12 33 60 72
done
sql_to europe_land MULTIPOLYGON "SELECT ST_Multi(CollectionExtract(ST_Intersection(geom, $EUBOX), 3)) AS geom
    FROM eu_land_src WHERE ST_Intersects(geom, $EUBOX) ORDER BY fid"
sql_to europe_borders MULTILINESTRING "SELECT ST_Multi(CollectionExtract(ST_Intersection(geom, $EUBOX), 2)) AS geom
    FROM eu_admin_0_boundary_lines_land_src WHERE ST_Intersects(geom, $EUBOX) ORDER BY fid"
[ "$(one "SELECT count(*) FROM europe_borders WHERE ST_Intersects(geom, BuildMbr(32, 44, 37, 46.3, 4326))")" = 0 ] ||
    die "europe_borders: a line crosses Crimea"

# --- places ------------------------------------------------------------------
# Places in Crimea or Sevastopol (by position, not by the NE codes) are Ukraine;
# Kosovo's places carry iso_a2 -99 in NE, XK in the country layers.
sql_to places_fixed POINT "
    SELECT p.*, CASE WHEN c.fid IS NOT NULL THEN 'UA' WHEN p.adm0_a3 = 'KOS' THEN 'XK' ELSE p.iso_a2 END AS iso_fix,
           c.fid IS NOT NULL AS in_crimea
    FROM places_src p LEFT JOIN
         (SELECT 1 AS fid, ST_Union(geom) AS g FROM adm1_src WHERE iso_a2 = 'RU' AND name IN ('Crimea', 'Sevastopol')) c
         ON ST_Distance(c.g, p.geom) < 0.02"
say "places: $(one 'SELECT count(*) FROM places_fixed WHERE in_crimea') in Crimea or Sevastopol set to Ukraine" \
    "($(one "SELECT count(*) FROM places_fixed WHERE in_crimea AND iso_a2 <> 'UA'") were coded otherwise in NE)"
sql_to places POINT "
    SELECT coalesce(n.name, p.name) AS name, p.name AS name_en,
           CASE WHEN p.in_crimea THEN 'Ukraine' ELSE p.adm0name END AS adm0name,
           p.iso_fix AS iso_a2, p.iso_a2 AS ne_iso_a2,
           CASE WHEN p.in_crimea THEN 'UKR' ELSE p.adm0_a3 END AS adm0_a3,
           p.featurecla, CAST(p.scalerank AS INTEGER) AS scalerank, CAST(p.labelrank AS INTEGER) AS labelrank,
           CAST(p.natscale AS INTEGER) AS natscale, CAST(p.pop_max AS INTEGER) AS pop_max,
           CAST(p.pop_min AS INTEGER) AS pop_min, CAST(p.adm0cap AS INTEGER) AS adm0cap,
           CAST(p.worldcity AS INTEGER) AS worldcity, CAST(p.megacity AS INTEGER) AS megacity,
           CAST(p.latitude AS REAL) AS latitude, CAST(p.longitude AS REAL) AS longitude, p.geom
    FROM places_fixed p LEFT JOIN place_names n ON n.ne_name = p.name AND n.iso_a2 = p.iso_fix
    ORDER BY p.iso_fix, p.name, p.fid"
q "SELECT ne_name || ' (' || iso_a2 || ')' AS v FROM place_names n
   WHERE NOT EXISTS (SELECT 1 FROM places p WHERE p.name_en = n.ne_name AND p.iso_a2 = n.iso_a2)" |
    while read -r r; do say "warning: names.csv row matches no place: $r"; done
q "SELECT p.name || ' (' || p.iso_a2 || ' in ' || group_concat(c.iso_a2) || ')' AS v FROM places p JOIN countries c
   ON ST_Intersects(c.geom, p.geom) GROUP BY p.fid HAVING sum(c.iso_a2 = p.iso_a2) = 0" |
    while read -r r; do say "note: place lies in another country's polygon: $r"; done

# --- checks on the work copy ------------------------------------------------
in_country() { # LON LAT ISO: 1 if the point lies in that country's polygon
    one "SELECT count(*) FROM countries WHERE iso_a2 = '$3' AND ST_Intersects(geom, MakePoint($1, $2, 4326))"
}
while read -r city lon lat; do
    [ "$(in_country "$lon" "$lat" UA)" = 1 ] || die "$city is not inside Ukraine"
    [ "$(in_country "$lon" "$lat" RU)" = 0 ] || die "$city is inside Russia"
    say "check: $city ($lon E, $lat N) lies in Ukraine, not in Russia"
done <<'EOF'
Simferopol 34.10 44.95
Sevastopol 33.52 44.60
Kerch 36.47 45.36
EOF
[ "$(one "SELECT count(*) FROM places WHERE name_en IN ('Simferopol', 'Sevastapol', 'Kerch') AND iso_a2 = 'UA' AND adm0_a3 = 'UKR'")" = 3 ] ||
    die "Crimean places are not all Ukraine"
for t in countries regions land sea lakes; do
    [ "$(one "SELECT count(*) FROM $t WHERE geom IS NULL OR NOT ST_IsValid(geom)")" = 0 ] || die "$t: invalid or empty polygons"
done
# No feature in Crimea keeps a field that attributes it to Russia: not the
# regions, not the places (whose ne_iso_a2 is NE's code before the fixes).
russian="IN ('RU', 'RUS', 'Russia')"
left=$(one "SELECT count(*) FROM regions WHERE name_en IN ('Crimea', 'Sevastopol')
    AND (iso_a2 $russian OR name $russian OR name_en $russian)")
[ "$left" = 0 ] || die "regions: $left Crimean units keep a field that says Russia"
left=$(one "SELECT count(*) FROM places p JOIN regions r ON r.name_en IN ('Crimea', 'Sevastopol')
    AND ST_Distance(r.geom, p.geom) < 0.02 WHERE p.iso_a2 $russian OR p.ne_iso_a2 $russian
    OR p.adm0name $russian OR p.adm0_a3 $russian")
[ "$left" = 0 ] || die "places: $left places in Crimea keep a field that says Russia"
say "check: no region or place in Crimea keeps a field that says Russia"

# --- write the shapefiles -----------------------------------------------------
stage=$tmp/out
mkdir -p "$stage"
for layer in "${LAYERS[@]}"; do
    ogr2ogr -f 'ESRI Shapefile' "$stage/$layer.shp" "$W" "$layer" -a_srs EPSG:4326 \
        -lco ENCODING=UTF-8 -lco RESIZE=YES -lco "DBF_DATE_LAST_UPDATE=$DBF_DATE" -lco SPATIAL_INDEX=NO
    rm -f "$stage/$layer.qix" "$stage/$layer.sbn" "$stage/$layer.sbx"
    printf 'UTF-8' > "$stage/$layer.cpg"
done
# Reading back: every string is valid UTF-8.
for layer in "${LAYERS[@]}"; do
    ogr2ogr -f CSV /vsistdout/ "$stage/$layer.shp" | iconv -f UTF-8 -t UTF-8 >/dev/null ||
        die "$layer: attributes are not valid UTF-8"
done
# places_extra.csv is read by corridor's gazetteer as it is; check its shape.
awk -F, 'NR == 1 && $0 != "name,aliases,iso_a2,lat,lon,kind,source" { print "bad header"; exit 1 }
         NR > 1 && (NF != 7 || $4 !~ /^-?[0-9.]+$/ || $5 !~ /^-?[0-9.]+$/) { print "bad line " NR; exit 1 }' \
    "$here/places_extra.csv" || die "places_extra.csv is malformed"

for layer in "${LAYERS[@]}"; do
    rm -f "$out_dir/$layer".{shp,shx,dbf,prj,cpg,qix}
    cp "$stage/$layer".{shp,shx,dbf,prj,cpg} "$out_dir/"
done

say "made in ${out_dir}:"
for layer in "${LAYERS[@]}"; do
    n=$(ogrinfo -ro -so "$out_dir/$layer.shp" "$layer" | sed -n 's/^Feature Count: //p')
    fields=$(ogrinfo -ro -so "$out_dir/$layer.shp" "$layer" | sed -n 's/^\([a-z0-9_]*\): .*/\1/p' | paste -sd, -)
    size=$(du -ck "$out_dir/$layer".{shp,shx,dbf,prj,cpg} | tail -n 1 | cut -f 1)
    printf '  %-11s %5s features %6s KiB  %s\n' "$layer" "$n" "$size" "$fields"
done
