-- The comparison map (comparison.lua) drawn from the regional extracts in geodata/ rather than
-- from the global Natural Earth files: the same view, styles and route, so that bench/run can
-- tell what reading the whole world costs over reading the extract cut for this region.
-- Run it with the repository as the data directory: --data-dir <repo>.

BENCH_SOURCES = {
  ocean = "sea",
  land = "land",
  admin1 = "regions",
  lakes = "lakes",
  rivers = "rivers",
  borders = "boundaries",
  places = "places",
}

include "comparison.lua"
