-- Political prisoners released by Belarus in 2025 and taken out of the country, as flows from
-- Minsk (they came from prisons across Belarus; Minsk stands for their origin). Widths follow
-- the number of people. Every fact is listed with its source in SOURCES.md beside this file.

local red = "#b2182b"

local function wave(to, people, date, extra)
  local f = {
    from = "Minsk", to = to, value = people,
    stroke = red, opacity = 0.88, casing = "#ffffff", casing_width = 1,
    label = people .. " · " .. date,
  }
  for k, v in pairs(extra or {}) do f[k] = v end
  if f.label == false then f.label = nil end
  flow(f)
end

-- To Lithuania: four waves, the last on 13 December with Ales Bialiatski. They arc south of
-- the rail line to Vilnius so the blocked potash route stays visible; the short bundle leaves no
-- room for four labels, so the callout at Vilnius lists the waves with their dates and counts.
local south = { bend = -0.3, label = false }
wave("Vilnius", 3, "12 Feb 2025", south)
wave("Vilnius", 14, "21 Jun 2025", south)
wave("Vilnius", 52, "11 Sep 2025", south)
wave("Vilnius", 9, "13 Dec 2025", {
  bend = -0.3, label = false,
  legend = "Released political prisoners taken out of Belarus in 2025",
})

-- To Ukraine: 31 Ukrainian citizens on 22 November (their destination in Ukraine is not
-- reported: the flow ends at Kyiv, marked *), and 114 people by bus via Homyel to a hospital in
-- Chernihiv on 13 December.
wave("Kyiv", 31, "22 Nov 2025*", { bend = -0.12 })
wave("Chernihiv", 114, "13 Dec 2025", { via = { "Homyel" } })

callout {
  at = "Chernihiv", dx = 110, dy = 30,
  text = "13 Dec 2025: 114 to Ukraine, among them\nViktar Babaryka and Maria Kalesnikava",
}
callout {
  at = "Vilnius", dx = -150, dy = 52,
  text = "Taken to Lithuania in 2025:\n12 Feb: 3 · 21 Jun: 14 · 11 Sep: 52\n"
    .. "13 Dec: 9, among them Nobel\nlaureate Ales Bialiatski",
}
