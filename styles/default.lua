-- corridor's default map: Belarus, Lithuania and Ukraine, where Belarusian potash went and goes,
-- and where the political prisoners released in 2025 were sent.
-- Copy this file and change anything: every layer reads a shapefile in geodata/ by name, and
-- every property can be a function of the feature's attributes.

-- The three countries of the story, each with its own warm tint; neighbours stay grey.
local focus = {
  BY = "#f3e6c8", -- Belarus
  LT = "#e3ecd2", -- Lithuania
  UA = "#f6efc4", -- Ukraine (with Crimea: internationally recognised borders)
}
local neighbour = "#e6e3dc"
local water = "#c7dbe9"

map {
  -- A Lambert conformal conic fitted to the three countries (standard parallels at about one
  -- sixth and five sixths of their span in latitude, 44.4–56.5 N).
  crs = "+proj=lcc +lat_1=46.5 +lat_2=54.5 +lat_0=51 +lon_0=29 +datum=WGS84 +units=m +no_defs",
  extent = { 19.8, 44.0, 40.5, 60.2 }, -- Klaipėda to Luhansk, Crimea to St Petersburg
  -- what a page of another shape may not crop: the three countries' width and the whole span
  -- from Crimea to St Petersburg (a portrait page crops the margins east and west, no more)
  focus = { 20.9, 44.0, 40.2, 60.2 },
  size = "2400x1800",
  dpi = 300,
  background = water,
  title = "Potash, prisoners and borders",
  subtitle = "Belarus released 123 political prisoners on 13 Dec 2025 in a deal brokered by the "
    .. "United States, which announced that day that it lifts its sanctions on Belarusian potash. "
    .. "The potash still needs a sea port: Lithuania refuses the transit to Klaipėda.",
  credits = "Data: Natural Earth (public domain), borders as internationally recognised. "
    .. "Sources: Delfi/BNS, LRT, Reuters, PortNews, Interfax-Ukraine, Meduza, AP, Anadolu and the "
    .. "others in geodata/overlays/SOURCES.md, which names the source of every number. "
    .. "Routes are schematic.",
  date = "December 2025",
  graticule = true,
  scalebar = "bottom-left",
  legend = "auto", -- the corner that hides the least of the story (bottom right on 8x6 in)
  -- The locator: Europe in its equal-area projection, the three countries picked out.
  inset = {
    position = "top-right",
    crs = "EPSG:3035",
    extent = { -10, 34, 50, 66 },
    layers = { "europe_land", "countries", "europe_borders" },
    highlight_layer = "countries",
    highlight = { "BY", "LT", "UA" },
  },
  flow_max_width = 6,
  flow_unit = "people",
}

layer { source = "land", fill = neighbour, stroke = false }

layer {
  source = "countries",
  fill = function(f) return focus[f.iso_a2] or neighbour end,
  stroke = false,
}

-- Oblasts and voblasts of the three countries only: a hairline, so the eye stays on the story.
layer {
  source = "regions",
  filter = function(f) return focus[f.iso_a2] ~= nil end,
  fill = false,
  stroke = "#cbbf9f",
  width = 0.3,
}

layer { source = "lakes", fill = water, stroke = "#9fbfd6", width = 0.25 }

layer {
  source = "rivers",
  filter = function(f) return f.scalerank <= 8 end,
  stroke = "#8fb3cf",
  width = function(f) return f.scalerank <= 4 and 0.7 or 0.45 end,
  cap = "round",
  join = "round",
}

-- The coast, drawn from the sea so lakes and rivers sit inside it.
layer { source = "sea", fill = water, stroke = "#8fb0c8", width = 0.35 }

-- International borders: a white casing lifts them off the land tints.
layer {
  source = "boundaries",
  stroke = function(f)
    local story = focus[f.iso_a2_a] or focus[f.iso_a2_b]
    return story and "#5f594d" or "#8e887b"
  end,
  width = function(f) return (focus[f.iso_a2_a] or focus[f.iso_a2_b]) and 0.9 or 0.6 end,
  casing = "#ffffff",
  casing_width = 1.2,
  join = "round",
}

-- Cities: capitals ringed, large cities as dots; names in each country's own Latin spelling.
local function capital(f) return f.adm0cap == 1 end
layer {
  source = "places",
  filter = function(f)
    if capital(f) then return true end
    if focus[f.iso_a2] then return f.pop_max >= 150000 end
    return f.pop_max >= 700000
  end,
  marker = function(f) return capital(f) and "capital" or "circle" end,
  size = function(f)
    if capital(f) then return 7 end
    return f.pop_max >= 1000000 and 4.2 or 3.2
  end,
  fill = "#3b3631",
  -- a capital's ring is drawn in the stroke colour; other dots get a white edge
  stroke = function(f) return capital(f) and "#3b3631" or "#ffffff" end,
  width = function(f) return capital(f) and 0.9 or 0.6 end,
  label = "{name}",
  label_size = function(f)
    if capital(f) then return focus[f.iso_a2] and 8.5 or 7.5 end
    return f.pop_max >= 1000000 and 7.5 or 6.5
  end,
  label_font = function(f) return capital(f) and "bold" or "regular" end,
  label_color = function(f) return focus[f.iso_a2] and "#2b2622" or "#5c574f" end,
  -- the story's capitals before everything, other capitals before towns
  priority = function(f)
    if capital(f) and focus[f.iso_a2] then return 2e9 end
    return (capital(f) and 1e7 or 0) + f.pop_max
  end,
}

-- Country names: spaced capitals inside each country, the story's three larger.
layer {
  source = "countries",
  fill = false,
  stroke = false,
  label = "{name}",
  label_font = "caps",
  label_size = function(f)
    if f.iso_a2 == "LT" then return 7.5 end -- small, and busy with the potash route
    if f.iso_a2 == "BY" then return 9 end -- busy with the story's lines
    return focus[f.iso_a2] and 10.5 or 7.5
  end,
  label_color = function(f) return focus[f.iso_a2] and "#6b5d45" or "#8f897d" end,
  halo_width = 1.6,
  priority = function(f) return focus[f.iso_a2] and 1.2e9 or 1 end, -- the story's three above its overlays
}

-- Main rivers, named along their course.
layer {
  source = "rivers",
  filter = function(f) return f.scalerank <= 4 end,
  stroke = false,
  label = "{name}",
  label_font = "italic",
  label_size = 6,
  label_color = "#4a7aa5",
  priority = 2,
}

-- The story: where potash went and goes, and where the released prisoners were sent.
overlay "potash"
overlay "deportations"
