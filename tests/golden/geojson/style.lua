-- A small base map for the GeoJSON golden test.
map {
  crs = "+proj=lcc +lat_1=54 +lat_2=56 +lat_0=55 +lon_0=23.5 +datum=WGS84 +units=m +no_defs",
  extent = { 20.8, 54.2, 26.2, 56.4 },
  background = "#cfe0ec",
}
layer { source = "countries", fill = "#efece4", stroke = "#8e887b", width = 0.6 }
