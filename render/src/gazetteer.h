/* SPDX-License-Identifier: MIT */
/* gazetteer: place names to coordinates, from the shipped places layer and geodata's own table
 * of points Natural Earth lacks (each with its source), plus any table a user adds. Names match
 * exactly, then without case and diacritics, then through aliases (Natural Earth's English
 * form, listed alternatives); an unknown name is an error that suggests the nearest names. */
#ifndef COR_GAZETTEER_H
#define COR_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>

#include "corridor.h"

typedef struct cor__gazetteer cor__gazetteer_t;

/* A resolved place. Strings are borrowed from the gazetteer and live until it is freed. */
typedef struct cor__place {
    const char *name;   /* the spelling the map uses, e.g. "Klaipėda" */
    const char *iso_a2; /* country, e.g. "LT"; "" when unknown */
    double lon, lat;
    double population;  /* 0 when unknown */
    const char *source; /* where the coordinates come from: the table's source column, else
                           "<table>.csv:<line>"; the shapefile's name ("places.shp") */
} cor__place_t;

/* An empty gazetteer. Returns: COR_OK and one to release with cor__gazetteer_free();
 * COR_ERR_NOMEM. */
cor_status_t cor__gazetteer_new(cor__gazetteer_t **out, cor_error_t *err);
/* Releases the gazetteer and every string places found in it point to. Accepts NULL. */
void cor__gazetteer_free(cor__gazetteer_t *g);

/* Adds the points of a places shapefile: its `name` field, `name_en` (and `nameascii`) as
 * aliases, iso_a2 (kept when two letters, else ""), pop_max, the point's coordinates (lon/lat;
 * the first point of a multipoint). Records without a name are skipped.
 * Returns: COR_OK; the source's errors (COR_ERR_IO naming the file when it cannot be opened);
 * COR_ERR_DATA when it is not a point layer, has no `name` field or a point is not lon/lat.
 * On error the gazetteer is left as it was. */
cor_status_t cor__gazetteer_add_shp(cor__gazetteer_t *g, const char *path, cor_error_t *err);

/* Adds a CSV table (RFC 4180, UTF-8) whose header names its columns, in any order and case:
 * name, lat, lon are required; aliases (separated by '|'), iso_a2, kind and source are
 * optional; other columns are ignored (kind too, for now). Every row must have the header's
 * number of fields, a name, lat and lon as finite decimal numbers within +-90 / +-180, and an
 * empty or two-letter iso_a2.
 * An entry overrides every entry of an earlier table (an earlier call) with the same folded
 * name and the same iso_a2: the old entry's name and aliases then lead to the new one, which
 * keeps the old population. Namesakes within one table are all kept.
 * Returns: COR_OK; COR_ERR_IO / COR_ERR_LIMIT when the file cannot be read (or exceeds 64 MiB);
 * COR_ERR_DATA "<file>:<line>: <what>", e.g. "places.csv:4: lat '95' is not a latitude".
 * On error the gazetteer is left as it was. */
cor_status_t cor__gazetteer_add_csv(cor__gazetteer_t *g, const char *path, cor_error_t *err);

/* Adds aliases to places already in the gazetteer from a CSV table with the columns name,
 * iso_a2 and aliases ('|'-separated; other columns, such as source, are ignored): each row's
 * place (its exact name in that country) becomes findable by every alias too, as an alias
 * (an exact name still wins over it). Returns: COR_OK; COR_ERR_IO / COR_ERR_LIMIT when the file
 * cannot be read; COR_ERR_DATA "<file>:<line>: no place 'X' in BY to give aliases to", or for a
 * table without those columns. On error the gazetteer is left as it was. */
cor_status_t cor__gazetteer_add_aliases(cor__gazetteer_t *g, const char *path, cor_error_t *err);

/* The shipped gazetteer: <data_dir>/geodata/places.shp, then places_extra.csv, then the
 * aliases of aliases.csv (Russian-derived and historic forms: Grodno finds Hrodna).
 * Returns: as cor__gazetteer_add_shp(), cor__gazetteer_add_csv(), cor__gazetteer_add_aliases(). */
cor_status_t cor__gazetteer_load_default(cor__gazetteer_t *g, const char *data_dir,
                                         cor_error_t *err);

/* Resolves a name, optionally qualified by a country code after the last comma: "Brest, BY"
 * (two letters, any case). Names compare by key: cor__fold()ed, Romanian ș/ț and Cyrillic
 * capitals folded too, apostrophes dropped, runs of spaces . - _ , ( ) / and dashes one space,
 * and the word "st" read as "saint". Among the entries whose name or alias has the query's key
 * (in the country, if given), an exact name beats a folded name, which beats an alias; then the
 * larger population wins; then the entry added later.
 * Returns: COR_OK and *out; COR_ERR_NOTFOUND "unknown place 'Klaipda' (did you mean
 * Klaipėda?)" with up to three names whose name or alias keys lie within max(1, n/3) edits
 * (optimal string alignment on code points; n the query key's length), nearest first, or
 * without suggestions "unknown place 'Xyzzy'"; for a qualified query suggestions carry their
 * country ("did you mean Brest, BY?"). *out is written only on success. */
cor_status_t cor__gazetteer_find(const cor__gazetteer_t *g, const char *name, cor__place_t *out,
                                 cor_error_t *err);

/* Returns: the number of places that can be found (overridden entries not counted). */
size_t cor__gazetteer_count(const cor__gazetteer_t *g);

#endif
