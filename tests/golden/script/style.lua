-- A small base map for the script golden test: countries and cities of the region.
map {
  crs = "+proj=lcc +lat_1=53 +lat_2=56 +lat_0=54.5 +lon_0=25 +datum=WGS84 +units=m +no_defs",
  extent = { 20.5, 53.3, 28.5, 56.6 },
  background = "#cfe0ec",
}
layer { source = "countries", fill = "#efece4", stroke = "#8e887b", width = 0.6 }
layer {
  source = "places",
  filter = function(f) return f.pop_max >= 60000 end,
  marker = "circle", size = 3.5, fill = "#333333", stroke = "#ffffff", width = 0.5,
  label = "{name}", label_size = 7,
}
