-- The regional "map" row of bench/run: a map of the geodata/ extracts that corridor, MapServer
-- (peers/mapserver.map) and Mapnik (peers/mapnik.xml) all draw. Keep the three in step: the
-- same layers in the same order, the same colours and widths (in points), the same cities.
-- No title, legend or scale bar: the peers' configs draw none.

local water = "#a9cbe4"
local land = "#dedbd6"
local tint = { BY = "#f2c08e", LT = "#b9d89e", UA = "#f5e398" } -- Belarus, Lithuania, Ukraine

map {
  crs = "+proj=lcc +lat_1=47 +lat_2=55 +lat_0=51 +lon_0=28 +datum=WGS84",
  extent = { 19.5, 43.8, 41.5, 57.5 },
  size = "2400x1800",
  dpi = 300,
  background = water,
  legend = "none",
  scalebar = "none",
}

layer { source = "land", fill = land, stroke = false }

layer {
  source = "countries",
  fill = function(f) return tint[f.iso_a2] or land end,
  stroke = false,
}

layer { source = "regions", fill = false, stroke = "#9b968c", width = 0.3 }

layer { source = "lakes", fill = water, stroke = false }

layer { source = "rivers", stroke = "#4a8cc4", width = 0.5 }

layer { source = "sea", fill = water, stroke = "#6f95b3", width = 0.4 }

layer { source = "boundaries", stroke = "#3a3a3a", width = 1.2 }

layer {
  source = "places",
  filter = function(f) return f.pop_max > 250000 end,
  marker = "circle",
  size = 4,
  fill = "#1a1a1a",
  stroke = false,
  label = "{name}",
  label_size = 8,
  label_color = "#1a1a1a",
  halo = "#ffffff",
  halo_width = 1.2,
}
