-- Belarusian potash and the sea: the rail route to Klaipėda, blocked by Lithuania since
-- 1 February 2022, and the detour to Russia's ports since then. Every fact below is listed with
-- its source in SOURCES.md beside this file. No source names the potash path station by
-- station, so both routes are drawn as schematic.

local potash = "#8c2d04"

-- The towns the blocked route passes, in order; each is named on the map. Radviliškis, between
-- Kėdainiai and Šiauliai on the main line, lies within 1 pt of the drawn line and 5 pt of
-- Šiauliai at 8 x 6 in: the line runs straight past it, unnamed.
local stations = {
  "Salihorsk", "Minsk", "Maladzyechna", "Gudogai", "Vilnius", "Kaišiadorys", "Kėdainiai",
  "Šiauliai", "Klaipėda",
}

local blocked = {
  status = "blocked",
  cut = "Gudogai", -- most transit to Klaipėda crossed at Gudogai–Kena
  schematic = true,
  stroke = potash, width = 2.2, casing = "#ffffff", casing_width = 1.4,
  arrow = "end",
  legend = "Potash by rail to Klaipėda: blocked since 1 Feb 2022",
}
for i, town in ipairs(stations) do blocked[i] = town end
route(blocked)

-- The detour leaves Salihorsk eastwards, clear of the blocked route's Salihorsk–Minsk leg (its
-- path through Belarus is not sourced: the bend is schematic).
route {
  "Salihorsk", { 28.6, 54.25 }, "Sankt-Peterburg",
  status = "operating",
  schematic = true,
  stroke = potash, width = 1.6, casing = "#ffffff", casing_width = 1.2, opacity = 0.85,
  dash = { 1.2, 2.2 }, cap = "round",
  arrow = "end",
  label = "3 Mt in 2022",
  legend = "Potash by rail to Russian ports since 2022",
}

-- Station dots for the towns between the ends (the capitals have their own symbols).
-- Their names go before the country names: the story needs them more.
for _, town in ipairs({ "Šiauliai", "Maladzyechna", "Kaišiadorys", "Kėdainiai" }) do
  marker {
    at = town, symbol = "circle", size = 3.4,
    fill = "#ffffff", stroke = potash, width = 0.9,
    label = town, label_size = 6, label_color = "#3b3631",
    priority = 1.25e9,
  }
end

marker {
  at = "Salihorsk", symbol = "mine", size = 10,
  fill = potash, stroke = "#ffffff", width = 0.8,
  label = "Salihorsk",
  legend = "Belaruskali potash mines",
  priority = 1.3e9,
}

marker {
  at = "Klaipėda", symbol = "port", size = 10,
  fill = potash, stroke = "#ffffff", width = 0.8,
  label = "Klaipėda",
  legend = "Sea port for potash",
  priority = 2.1e9,
}

callout {
  at = "Klaipėda", dx = -60, dy = 40,
  text = "Klaipėda port (BKT terminal):\nabout 11 Mt of potash a year\nuntil 2022",
}

marker {
  at = "Sankt-Peterburg", symbol = "port", size = 10,
  fill = potash, stroke = "#ffffff", width = 0.8,
  label = "Sankt-Peterburg ports",
}

callout {
  at = "Gudogai", dx = 150, dy = -62,
  text = "Gudogai border crossing:\nLithuania refuses the transit.\nThe US announced on 13 Dec 2025\n"
    .. "it lifts its potash sanctions (OFAC\nlicence 15 Dec); the EU's remain.",
}
