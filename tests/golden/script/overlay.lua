-- What a user writes: a route between two named towns, a marker, and a flow.
route {
  "Kaunas", "Vilnius", "Minsk",
  stroke = "#1f5fa8", width = 2.5, casing = "#ffffff", casing_width = 1.2,
  arrow = "both", label = "A1 / M7", legend = "Road corridor",
}
marker { at = "Kaunas", symbol = "star", size = 11, fill = "#e0a100", label = "Start" }
flow { from = "Vilnius", to = "Siauliai", value = 40, label = "40 a day", legend = "Daily buses" }
