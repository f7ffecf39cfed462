-- The comparison map for corridor (../shared/bench/comparison-map.md): the one map that
-- corridor, MapServer (peers/comparison.map) and Mapnik (peers/comparison.xml) all draw from the
-- global Natural Earth 10m files that bench/run unpacks into build/cache/ne/. Keep the three in
-- step: the same layers in the same order, the same colours, widths in points, the same route.
-- comparison_extract.lua runs this file on the geodata/ extracts instead (BENCH_SOURCES).

local ne = "build/cache/ne/usr/share/"
local magics = ne .. "magics/10m/"
local gdl = ne .. "gnudatalanguage/resource/maps/high/"
local src = BENCH_SOURCES
  or {
    ocean = magics .. "ne_10m_ocean.shp",
    land = magics .. "ne_10m_land.shp",
    admin1 = gdl .. "ne_10m_admin_1_states_provinces.shp",
    lakes = gdl .. "ne_10m_lakes.shp",
    rivers = gdl .. "ne_10m_rivers_lake_centerlines.shp",
    borders = gdl .. "ne_10m_admin_0_boundary_lines_land.shp",
    places = magics .. "ne_10m_populated_places_simple.shp",
  }

local water = "#aacde6" -- 170 205 230
local tint = { BY = "#f4c88c", LT = "#b4daa0", UA = "#f6e696" } -- Belarus, Lithuania, Ukraine

map {
  crs = "+proj=lcc +lat_1=47 +lat_2=55 +lat_0=51 +lon_0=28 +datum=WGS84 +units=m +no_defs",
  -- W, S, E, N: its densely sampled edges project to x -780000..1260000, y -780000..750000
  extent = { 18.296400883, 43.984614574, 43.749462221, 56.819681548 },
  size = "2400x1800",
  dpi = 300,
  background = water,
  title = false,
  legend = false,
  scalebar = false,
  graticule = false,
  north_arrow = false,
  inset = false,
}

layer { source = src.ocean, fill = water, stroke = false }

layer { source = src.land, fill = "#f2efe9", stroke = false }

layer {
  source = src.admin1,
  fill = function(f) return tint[f.iso_a2] or "#dddddd" end,
  stroke = function(f) return tint[f.iso_a2] and "#787878" or "#969696" end,
  width = 0.3,
}

layer { source = src.lakes, fill = water, stroke = "#468cbe", width = 0.3 }

layer { source = src.rivers, stroke = "#468cbe", width = 0.6, cap = "round", join = "round" }

layer { source = src.borders, stroke = "#3c3c3c", width = 1.2, cap = "round", join = "round" }

-- Salihorsk, Minsk, Maladzyechna, Vilnius, Kaišiadorys, Radviliškis, Šiauliai, Klaipėda
route {
  { 27.54, 52.79 }, { 27.56, 53.90 }, { 26.85, 54.31 }, { 25.28, 54.69 },
  { 24.48, 54.86 }, { 23.54, 55.81 }, { 23.32, 55.93 }, { 21.13, 55.71 },
  stroke = "#d7191c",
  width = 2.5,
  casing = false,
  cap = "butt",
  join = "round",
  arrow = "end",
}

layer {
  source = src.places,
  filter = function(f) return f.pop_max > 200000 end,
  marker = "circle",
  size = 3,
  fill = "#141414",
  stroke = false,
  label = "{name}",
  label_size = 7,
  label_font = "Noto Sans",
  label_color = "#141414",
  halo = "#ffffff",
  halo_width = 1.5,
}
