-- Belarusian potash and the sea: the rail route to Klaipėda, blocked by Lithuania since
-- 1 February 2022, and the detour to Russia's ports since then. Every fact below is listed with
-- its source in SOURCES.md beside this file. No source names the potash path station by
-- station, so both routes are drawn as schematic.

local potash = "#8c2d04"

route {
  "Salihorsk", "Minsk", "Maladzyechna", "Gudogai", "Vilnius", "Kaišiadorys", "Kėdainiai",
  "Radviliškis", "Šiauliai", "Klaipėda",
  status = "blocked",
  cut = "Gudogai", -- most transit to Klaipėda crossed at Gudogai–Kena
  schematic = true,
  stroke = potash, width = 2.2, casing = "#ffffff", casing_width = 1.4,
  arrow = "end",
  label = "about 11 Mt a year until 1 Feb 2022",
  legend = "Potash by rail to Klaipėda: blocked since 1 Feb 2022",
}

route {
  "Salihorsk", "Minsk", "Saint Petersburg",
  status = "operating",
  schematic = true,
  stroke = potash, width = 1.6, casing = "#ffffff", casing_width = 1.2, opacity = 0.85,
  dash = { 1.2, 2.2 }, cap = "round",
  arrow = "end",
  label = "3 Mt in 2022",
  legend = "Potash by rail to Russian ports since 2022",
}

marker {
  at = "Salihorsk", symbol = "mine", size = 10,
  fill = potash, stroke = "#ffffff", width = 0.8,
  label = "Salihorsk: Belaruskali mines",
  legend = "Belaruskali potash mines",
}

marker {
  at = "Klaipėda", symbol = "port", size = 10,
  fill = potash, stroke = "#ffffff", width = 0.8,
  label = "BKT terminal",
  legend = "Sea port for potash",
}

marker {
  at = "Saint Petersburg", symbol = "port", size = 10,
  fill = potash, stroke = "#ffffff", width = 0.8,
  label = "Saint Petersburg ports",
}

callout {
  at = "Gudogai", dx = -150, dy = -40,
  text = "Lithuania refuses the transit.\nThe US lifted its potash sanctions\non 13 Dec 2025; the EU's remain.",
}
