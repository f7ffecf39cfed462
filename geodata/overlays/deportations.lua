-- Political prisoners released by Belarus in 2025 and taken out of the country, as flows from
-- Minsk (they came from prisons across Belarus; Minsk stands for their origin). Widths follow
-- the number of people, on the map's one flow scale. Every fact is listed with its source in
-- SOURCES.md beside this file.

local deal = { line = "#b2182b", text = "#7d1120" }    -- the 13 Dec 2025 deal
local earlier = { line = "#e3795b", text = "#a03a1f", casing = 0.6 } -- the releases before it

local function wave(to, people, date, colour, extra)
  local f = {
    from = "Minsk", to = to, value = people,
    stroke = colour.line, label_color = colour.text, opacity = 0.9,
    casing = "#ffffff", casing_width = colour.casing or 1,
    label = people .. " · " .. date,
  }
  for k, v in pairs(extra or {}) do f[k] = v end
  if f.label == false then f.label = nil end
  flow(f)
end

-- The deal of 13 December: 114 people by bus via Homyel to a hospital in Chernihiv, and nine to
-- Lithuania (Ales Bialiatski among them).
wave("Chernihiv", 114, "13 Dec 2025", deal, {
  via = { "Homyel" },
  legend = "Released in the 13 Dec 2025 deal: 114 to Ukraine, 9 to Lithuania",
})

-- To Lithuania: four waves. The three before the deal run as one bundle of strands in the order
-- of their dates; the deal's nine take a wider arc of their own. Both arc south of the rail line
-- to Vilnius so the blocked potash route stays visible; the short bundle leaves no room for
-- labels, so the callout at Vilnius lists the waves with their dates and counts.
local south = { bend = -0.1, label = false }
wave("Vilnius", 3, "12 Feb 2025", earlier, {
  bend = -0.1, label = false,
  legend = "Released earlier in 2025",
})
wave("Vilnius", 14, "21 Jun 2025", earlier, south)
wave("Vilnius", 52, "11 Sep 2025", earlier, south)
wave("Vilnius", 9, "13 Dec 2025", deal, { bend = -0.55, label = false })

-- To Ukraine on 22 November: 31 Ukrainian citizens. Where in Ukraine they were taken was not
-- reported, so the flow stops at the Belarus–Ukraine border (on the line from Minsk to Kyiv; the
-- crossing point is not known either), and the callout at its end says so.
local border = { 29.70, 51.39 }
wave(border, 31, "22 Nov 2025", earlier, { bend = -0.12, label = false })
callout {
  at = border, dx = -78, dy = 30,
  text = "22 Nov 2025: 31 taken to Ukraine;\nwhere in Ukraine was not reported",
}

callout {
  at = "Chernihiv", dx = 125, dy = -22,
  text = "13 Dec 2025: 114 to Ukraine, among them\nViktar Babaryka and Maria Kalesnikava",
}
callout {
  at = "Vilnius", dx = -150, dy = 52,
  text = "Taken to Lithuania in 2025:\n12 Feb: 3 · 21 Jun: 14 · 11 Sep: 52\n"
    .. "13 Dec: 9, among them Nobel\nlaureate Ales Bialiatski",
}
