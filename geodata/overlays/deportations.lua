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
  flow(f)
end

-- To Lithuania: four waves, the last on 13 December with Ales Bialiatski.
wave("Vilnius", 3, "12 Feb 2025")
wave("Vilnius", 14, "21 Jun 2025")
wave("Vilnius", 52, "11 Sep 2025")
wave("Vilnius", 9, "13 Dec 2025", {
  legend = "Released political prisoners taken out of Belarus, 2025 (width: people)",
})

-- To Ukraine: 31 Ukrainian citizens on 22 November (their destination in Ukraine is not
-- reported: the flow ends at Kyiv, marked *), and 114 people by bus via Homyel to a hospital in
-- Chernihiv on 13 December.
wave("Kyiv", 31, "22 Nov 2025*")
wave("Chernihiv", 114, "13 Dec 2025", { via = { "Homyel" } })

callout {
  at = "Chernihiv", dx = 46, dy = -40,
  text = "13 Dec 2025: 114 to Ukraine, among them\nViktar Babaryka and Maria Kalesnikava",
}
callout {
  at = "Vilnius", dx = -96, dy = 26,
  text = "13 Dec 2025: 9 to Lithuania, among\nthem Nobel laureate Ales Bialiatski",
}
