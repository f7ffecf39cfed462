/* SPDX-License-Identifier: MIT */
/* gazetteer: place names to coordinates. Entries come from point shapefiles and CSV tables; each
 * is findable under its name and aliases through a key (case and diacritics folded, punctuation
 * as spaces, "st" as "saint"), held in one array sorted once per table and searched by bisection.
 * A later table overrides an earlier table's entry of the same name and country. Unknown names
 * get suggestions by edit distance. Nothing here projects, draws or prints. */
#include "gazetteer.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "files.h"
#include "source_shp.h"
#include "suggest.h"
#include "utf8.h"
#include "util.h"

#define CSV_MAX     (64 * 1024 * 1024) /* bytes in a place table */
#define SUGGEST_MAX 3
#define KEY_CP_MAX  COR__SUGGEST_CP_MAX /* code points of a key compared when suggesting */
#define NONE        SIZE_MAX

typedef struct entry {
    const char *name, *iso_a2, *source, *key; /* in the arena; key is the name's */
    double lon, lat, population;
    size_t table;       /* the add_* call that brought it, from 0 */
    size_t replaced_by; /* the entry of a later table overriding it, or NONE */
} entry_t;

/* One way to find an entry: the key of its name or of one of its aliases. */
typedef struct gkey {
    const char *key;
    size_t entry;
    bool alias;
} gkey_t;

struct cor__gazetteer {
    cor__arena_t arena;
    entry_t *entries;
    size_t nentries, cap_entries;
    gkey_t *keys;
    size_t nkeys, cap_keys;
    size_t nsorted; /* keys[0..nsorted) are sorted: the index lookups search */
    size_t ntables, nlive;
};

/* A place as a source reads it; strings are borrowed and copied by add_entry. */
typedef struct row {
    const char *name, *iso_a2, *source;
    double lon, lat, population;
} row_t;

/* A parsed query: "Brest, BY" is the name "Brest" in country "BY". */
typedef struct query {
    char *text; /* the whole query, trimmed, for messages */
    char *name; /* the name part, trimmed */
    char *key;
    char iso[3]; /* "" when not qualified */
} query_t;

static cor_status_t nomem(cor_error_t *err)
{
    return cor__fail(err, COR_ERR_NOMEM, "gazetteer: out of memory");
}

/* ---- keys ---- */

/* Decodes one code point at *p and advances. Tolerates bad UTF-8 without passing a NUL. */
static bool put_cp(cor__buf_t *b, unsigned c)
{
    static const unsigned char lead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
    unsigned char u[4];
    size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    for (size_t i = n - 1; i > 0; i--, c >>= 6)
        u[i] = (unsigned char)(0x80 | (c & 0x3F));
    u[0] = (unsigned char)(lead[n] | c);
    return cor__buf_append(b, u, n);
}

enum { CP_SEP = -1, CP_DROP = -2 };

/* What a code point of a cor__fold()ed name becomes in a key: a word separator (spaces, dots,
 * hyphens, dashes, brackets), nothing (apostrophes), or a letter. It also folds what cor__fold
 * leaves alone: Romanian comma-below s and t, Cyrillic capitals, and ё as е. */
static long key_cp(unsigned c)
{
    if (c != 0 && c < 0x80 && strchr(" \t.-_,()/", (int)c))
        return CP_SEP;
    if (c == 0xA0 || (c >= 0x2010 && c <= 0x2015))
        return CP_SEP;
    if (c == '\'' || c == '`' || c == 0xB4 || c == 0x2BC || c == 0x2018 || c == 0x2019)
        return CP_DROP;
    if (c >= 0x218 && c <= 0x21B)
        return c < 0x21A ? 's' : 't';
    if (c >= 0x410 && c <= 0x42F)
        return (long)c + 0x20;
    if (c == 0x401 || c == 0x451)
        return 0x435;
    if (c >= 0x400 && c <= 0x40F)
        return (long)c + 0x50;
    return c == 0x490 ? 0x491 : (long)c;
}

/* Ends the word that starts at `word` in b: a word "st" becomes "saint". */
static bool end_word(cor__buf_t *b, size_t word)
{
    if (b->len - word != 2 || memcmp(b->data + word, "st", 2) != 0)
        return true;
    b->len = word;
    return cor__buf_puts(b, "saint");
}

/* The key a name is matched by: "St. Petersburg", "SAINT-PETERSBURG" -> "saint petersburg".
 * Returns: malloc'd key ("" when the name has nothing but punctuation), NULL on exhaustion. */
static char *name_key(const char *name)
{
    char *folded = cor__fold(name);
    cor__buf_t b = {0};
    size_t word = 0;
    bool ok = folded != NULL, in_word = false;
    for (const char *p = folded; ok && *p;) {
        long c = key_cp(cor__utf8_next(&p));
        if (c == CP_SEP && in_word)
            ok = end_word(&b, word);
        if (c < 0) {
            in_word = in_word && c == CP_DROP;
            continue;
        }
        if (!in_word && b.len > 0)
            ok = cor__buf_append(&b, " ", 1);
        if (!in_word)
            word = b.len, in_word = true;
        ok = ok && put_cp(&b, (unsigned)c);
    }
    if (ok && in_word)
        ok = end_word(&b, word);
    free(folded);
    if (!ok)
        cor__buf_free(&b);
    return ok ? (b.data ? b.data : cor__strdup("")) : NULL;
}

/* ---- the index ---- */

static int gkey_cmp(const void *a, const void *b)
{
    const gkey_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

/* Returns: the first sorted key not less than `key`. */
static size_t lower_bound(const cor__gazetteer_t *g, const char *key)
{
    size_t lo = 0, hi = g->nsorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g->keys[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Returns: the entry that stands for e now, following overrides by later tables. */
static size_t live(const cor__gazetteer_t *g, size_t e)
{
    while (g->entries[e].replaced_by != NONE)
        e = g->entries[e].replaced_by;
    return e;
}

static cor_status_t push_key(cor__gazetteer_t *g, const char *key, size_t e, bool alias,
                             cor_error_t *err)
{
    if (!cor__grow((void **)&g->keys, &g->cap_keys, g->nkeys + 1, sizeof *g->keys))
        return nomem(err);
    g->keys[g->nkeys++] = (gkey_t){.key = key, .entry = e, .alias = alias};
    return COR_OK;
}

/* Appends an entry of the table being read, findable by its name.
 * Returns: COR_OK with its index in *out, or NONE when the name has nothing to match by;
 * COR_ERR_NOMEM. */
static cor_status_t add_entry(cor__gazetteer_t *g, const row_t *r, size_t *out, cor_error_t *err)
{
    char *key = name_key(r->name);
    entry_t e = {.lon = r->lon,
                 .lat = r->lat,
                 .population = r->population,
                 .table = g->ntables,
                 .replaced_by = NONE};
    cor_status_t st = COR_OK;
    *out = NONE;
    if (!key || !cor__grow((void **)&g->entries, &g->cap_entries, g->nentries + 1, sizeof e)) {
        st = nomem(err);
        goto done;
    }
    if (key[0] == '\0')
        goto done;
    e.name = cor__arena_strdup(&g->arena, r->name);
    e.iso_a2 = cor__arena_strdup(&g->arena, r->iso_a2);
    e.source = cor__arena_strdup(&g->arena, r->source);
    e.key = cor__arena_strdup(&g->arena, key);
    if (!(e.name && e.iso_a2 && e.source && e.key))
        st = nomem(err);
    if (st == COR_OK && (st = push_key(g, e.key, g->nentries, false, err)) == COR_OK) {
        g->entries[g->nentries] = e;
        *out = g->nentries++;
    }
done:
    free(key);
    return st;
}

/* Makes entry e (the last one added) findable by `alias` too, unless it already is. */
static cor_status_t add_alias(cor__gazetteer_t *g, size_t e, const char *alias, cor_error_t *err)
{
    char *key = alias ? name_key(alias) : NULL;
    cor_status_t st = COR_OK;
    if (alias && !key)
        return nomem(err);
    bool known = !key || key[0] == '\0';
    for (size_t i = g->nkeys; !known && i > 0 && g->keys[i - 1].entry == e; i--)
        known = strcmp(g->keys[i - 1].key, key) == 0;
    if (!known) {
        const char *copy = cor__arena_strdup(&g->arena, key);
        st = copy ? push_key(g, copy, e, true, err) : nomem(err);
    }
    free(key);
    return st;
}

/* Entry e of the table just read overrides every live entry of an earlier table that has the
 * same name key and country. The overridden entry's keys lead to e; e keeps its population
 * when it has none of its own. */
static void override_earlier(cor__gazetteer_t *g, size_t e)
{
    entry_t *n = &g->entries[e];
    for (size_t i = lower_bound(g, n->key); i < g->nsorted; i++) {
        const gkey_t *k = &g->keys[i];
        entry_t *o = &g->entries[k->entry];
        if (strcmp(k->key, n->key) != 0)
            break;
        if (k->alias || o->replaced_by != NONE || o->table >= n->table ||
            strcmp(o->iso_a2, n->iso_a2) != 0)
            continue;
        o->replaced_by = e;
        if (n->population == 0)
            n->population = o->population;
        g->nlive--;
    }
}

/* Ends a table read without error: overrides apply and the index is sorted again. */
static void commit_table(cor__gazetteer_t *g, size_t first)
{
    g->nlive += g->nentries - first;
    for (size_t e = first; e < g->nentries; e++)
        override_earlier(g, e);
    qsort(g->keys, g->nkeys, sizeof *g->keys, gkey_cmp);
    g->nsorted = g->nkeys;
    g->ntables++;
}

/* Forgets what a failed table read added (its strings stay in the arena until the end). */
static void rollback_table(cor__gazetteer_t *g, size_t nentries, size_t nkeys)
{
    g->nentries = nentries;
    g->nkeys = nkeys;
}

/* ---- shared by the readers ---- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Returns: buf holding `text` in upper case when it is two ASCII letters, else NULL. */
static const char *country_code(const char *text, char buf[3])
{
    for (int i = 0; i < 2; i++) {
        char c = text ? text[i] : '\0';
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return NULL;
        buf[i] = (char)(c & ~0x20);
    }
    buf[2] = '\0';
    return text[2] == '\0' ? buf : NULL;
}

static bool is_lonlat(double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && fabs(lon) <= 180 && fabs(lat) <= 90;
}

/* ---- shapefiles ---- */

typedef struct shp_load {
    cor__gazetteer_t *g;
    const char *path, *source;
} shp_load_t;

static const char *attr_text(const cor__feature_t *f, const char *field)
{
    const cor__attr_t *a = cor__feature_get(f, field);
    return a && a->type == COR__ATTR_STRING && a->str && a->str[0] ? a->str : NULL;
}

static double attr_number(const cor__feature_t *f, const char *field)
{
    const cor__attr_t *a = cor__feature_get(f, field);
    return a && a->type == COR__ATTR_NUMBER && isfinite(a->num) && a->num > 0 ? a->num : 0;
}

/* One place of the layer. Features without a name or a point are skipped. */
static cor_status_t shp_place(const cor__feature_t *f, void *ud, cor_error_t *err)
{
    shp_load_t *L = ud;
    char iso[3];
    size_t e;
    const char *name = attr_text(f, "name"), *cc = country_code(attr_text(f, "iso_a2"), iso);
    if (!name || !f->geom || f->geom->kind != COR__GEOM_POINT || f->geom->npoints == 0)
        return COR_OK;
    row_t r = {.name = name,
               .iso_a2 = cc ? cc : "",
               .source = L->source,
               .lon = f->geom->x[0],
               .lat = f->geom->y[0],
               .population = attr_number(f, "pop_max")};
    if (!is_lonlat(r.lon, r.lat))
        return cor__fail(err, COR_ERR_DATA, "%s: record %ld: (%g, %g) is not longitude/latitude",
                         L->path, f->id, r.lon, r.lat);
    cor_status_t st = add_entry(L->g, &r, &e, err);
    if (st == COR_OK && e != NONE)
        st = add_alias(L->g, e, attr_text(f, "name_en"), err);
    if (st == COR_OK && e != NONE)
        st = add_alias(L->g, e, attr_text(f, "nameascii"), err);
    return st;
}

static cor_status_t check_layer(const cor__shp_t *shp, const char *path, cor_error_t *err)
{
    if (cor__shp_kind(shp) != COR__GEOM_POINT)
        return cor__fail(err, COR_ERR_DATA, "%s: a %s layer, not points", path,
                         cor__shp_type_name(shp));
    for (size_t i = 0; i < cor__shp_nfields(shp); i++)
        if (cor__strcasecmp(cor__shp_field(shp, i)->name, "name") == 0)
            return COR_OK;
    return cor__fail(err, COR_ERR_DATA, "%s: no 'name' field", path);
}

cor_status_t cor__gazetteer_add_shp(cor__gazetteer_t *g, const char *path, cor_error_t *err)
{
    cor__shp_t *shp = NULL;
    size_t n0 = g->nentries, k0 = g->nkeys;
    shp_load_t L = {.g = g, .path = path, .source = base_name(path)};
    cor_status_t st = cor__shp_open(path, &shp, err);
    if (st != COR_OK || (st = check_layer(shp, path, err)) != COR_OK)
        goto fail;
    if ((st = cor__shp_each(shp, NULL, shp_place, &L, err)) != COR_OK)
        goto fail;
    commit_table(g, n0);
    cor__shp_close(shp);
    return COR_OK;
fail:
    rollback_table(g, n0, k0);
    cor__shp_close(shp);
    return st;
}

/* ---- CSV tables ---- */

enum column { COL_NAME, COL_ALIASES, COL_ISO, COL_LAT, COL_LON, COL_KIND, COL_SOURCE, NCOLS };
static const char *const COLUMN_NAMES[NCOLS] = {"name", "aliases", "iso_a2", "lat",
                                                "lon",  "kind",    "source"};

typedef struct csv_load {
    cor__gazetteer_t *g;
    const char *path;
    bool have_header;
    size_t ncols;
    size_t col[NCOLS]; /* the field of each column, NONE when the table lacks it */
    locale_t c_numeric;
} csv_load_t;

/* Trims spaces and tabs in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    s[n] = '\0';
    return s;
}

/* The trimmed field of column c; "" when the table has no such column. */
static const char *column(const csv_load_t *L, char **fields, enum column c)
{
    return L->col[c] == NONE ? "" : trim(fields[L->col[c]]);
}

static cor_status_t csv_header(csv_load_t *L, char **fields, size_t n, long line, cor_error_t *err)
{
    static const enum column required[] = {COL_NAME, COL_LAT, COL_LON};
    for (size_t i = 0; i < n; i++) {
        const char *f = trim(fields[i]);
        for (int c = 0; c < NCOLS; c++) {
            if (cor__strcasecmp(f, COLUMN_NAMES[c]) != 0)
                continue;
            if (L->col[c] != NONE)
                return cor__fail(err, COR_ERR_DATA, "%s:%ld: column '%s' appears twice", L->path,
                                 line, COLUMN_NAMES[c]);
            L->col[c] = i;
        }
    }
    for (size_t i = 0; i < COR__ARRAY_LEN(required); i++)
        if (L->col[required[i]] == NONE)
            return cor__fail(err, COR_ERR_DATA, "%s:%ld: no '%s' column in the header", L->path,
                             line, COLUMN_NAMES[required[i]]);
    L->ncols = n;
    L->have_header = true;
    return COR_OK;
}

/* A coordinate: a finite decimal number (C locale) within +-limit. */
static cor_status_t csv_coord(const csv_load_t *L, long line, const char *text, const char *what,
                              double limit, const char *kind, double *out, cor_error_t *err)
{
    char *end = NULL;
    double v = NAN;
    if (!text[0])
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: missing %s", L->path, line, what);
    if (strspn(text, "0123456789+-.eE") == strlen(text)) {
        locale_t old = uselocale(L->c_numeric);
        v = strtod(text, &end);
        uselocale(old);
    }
    if (!end || end == text || *end || !isfinite(v))
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: %s '%s' is not a number", L->path, line, what,
                         text);
    if (fabs(v) > limit)
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: %s '%s' is not a %s", L->path, line, what,
                         text, kind);
    *out = v;
    return COR_OK;
}

/* Adds every '|'-separated alias of the aliases field (split in place), if there is one. */
static cor_status_t csv_aliases(const csv_load_t *L, char **fields, size_t e, cor_error_t *err)
{
    cor__gazetteer_t *g = L->g;
    char *list = L->col[COL_ALIASES] == NONE ? NULL : fields[L->col[COL_ALIASES]];
    cor_status_t st = COR_OK;
    while (st == COR_OK && list) {
        char *bar = strchr(list, '|');
        if (bar)
            *bar = '\0';
        st = add_alias(g, e, trim(list), err);
        list = bar ? bar + 1 : NULL;
    }
    return st;
}

/* Reads the row's fields into r, checking each. `iso` holds the country code. */
static cor_status_t csv_row_values(const csv_load_t *L, char **fields, long line, row_t *r,
                                   char iso[3], cor_error_t *err)
{
    const char *cc = column(L, fields, COL_ISO);
    cor_status_t st = COR_OK;
    r->name = column(L, fields, COL_NAME);
    r->iso_a2 = cc[0] ? country_code(cc, iso) : "";
    if (!r->name[0])
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: empty name", L->path, line);
    if ((st = csv_coord(L, line, column(L, fields, COL_LAT), "lat", 90, "latitude", &r->lat,
                        err)) != COR_OK ||
        (st = csv_coord(L, line, column(L, fields, COL_LON), "lon", 180, "longitude", &r->lon,
                        err)) != COR_OK)
        return st;
    if (!r->iso_a2)
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: iso_a2 '%s' is not a two-letter code", L->path,
                         line, cc);
    return COR_OK;
}

static cor_status_t csv_place(const csv_load_t *L, char **fields, size_t n, long line,
                              cor_error_t *err)
{
    char iso[3], *source = NULL;
    row_t r = {0};
    size_t e = NONE;
    if (n != L->ncols)
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: %zu fields where the header has %zu", L->path,
                         line, n, L->ncols);
    cor_status_t st = csv_row_values(L, fields, line, &r, iso, err);
    if (st != COR_OK)
        return st;
    r.source = column(L, fields, COL_SOURCE);
    if (!r.source[0] && !(r.source = source = cor__asprintf("%s:%ld", base_name(L->path), line)))
        return nomem(err);
    st = add_entry(L->g, &r, &e, err);
    if (st == COR_OK && e == NONE)
        st = cor__fail(err, COR_ERR_DATA, "%s:%ld: name '%s' has no letters to match", L->path,
                       line, r.name);
    if (st == COR_OK)
        st = csv_aliases(L, fields, e, err);
    free(source);
    return st;
}

static cor_status_t csv_row(char **fields, size_t n, long line, void *ud, cor_error_t *err)
{
    csv_load_t *L = ud;
    return L->have_header ? csv_place(L, fields, n, line, err)
                          : csv_header(L, fields, n, line, err);
}

cor_status_t cor__gazetteer_add_csv(cor__gazetteer_t *g, const char *path, cor_error_t *err)
{
    char *text = NULL;
    size_t len = 0, n0 = g->nentries, k0 = g->nkeys;
    csv_load_t L = {.g = g, .path = path};
    for (int c = 0; c < NCOLS; c++)
        L.col[c] = NONE;
    cor_status_t st = cor__read_file(path, CSV_MAX, &text, &len, err);
    if (st != COR_OK)
        goto fail;
    L.c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (L.c_numeric == (locale_t)0) {
        st = nomem(err);
        goto fail;
    }
    if ((st = cor__csv_parse(text, len, path, csv_row, &L, err)) != COR_OK)
        goto fail;
    if (!L.have_header) {
        st = cor__fail(err, COR_ERR_DATA, "%s: empty table, no header line", path);
        goto fail;
    }
    commit_table(g, n0);
    freelocale(L.c_numeric);
    free(text);
    return COR_OK;
fail:
    rollback_table(g, n0, k0);
    if (L.c_numeric != (locale_t)0)
        freelocale(L.c_numeric);
    free(text);
    return st;
}

/* ---- alias tables ---- */

typedef struct alias_load {
    cor__gazetteer_t *g;
    const char *path;
    size_t col_name, col_iso, col_aliases, ncols;
    bool have_header;
} alias_load_t;

/* The live entry named exactly `name` in country `iso`. Returns: its index, or NONE. */
static size_t find_named(const cor__gazetteer_t *g, const char *name, const char *iso)
{
    char *key = name_key(name);
    size_t found = NONE;
    for (size_t i = key ? lower_bound(g, key) : g->nsorted;
         i < g->nsorted && strcmp(g->keys[i].key, key) == 0 && found == NONE; i++) {
        const entry_t *e = &g->entries[live(g, g->keys[i].entry)];
        if (!g->keys[i].alias && strcmp(e->name, name) == 0 && strcmp(e->iso_a2, iso) == 0)
            found = live(g, g->keys[i].entry);
    }
    free(key);
    return found;
}

static cor_status_t alias_header(alias_load_t *L, char **fields, size_t n, cor_error_t *err)
{
    L->col_name = L->col_iso = L->col_aliases = NONE;
    for (size_t i = 0; i < n; i++) {
        const char *f = trim(fields[i]);
        if (cor__strcasecmp(f, "name") == 0)
            L->col_name = i;
        else if (cor__strcasecmp(f, "iso_a2") == 0)
            L->col_iso = i;
        else if (cor__strcasecmp(f, "aliases") == 0)
            L->col_aliases = i;
    }
    if (L->col_name == NONE || L->col_iso == NONE || L->col_aliases == NONE)
        return cor__fail(err, COR_ERR_DATA,
                         "%s:1: an alias table needs the columns name, iso_a2 and aliases",
                         L->path);
    L->ncols = n;
    L->have_header = true;
    return COR_OK;
}

/* One row: the place `name` in `iso_a2` (which must exist) is findable by each alias too. */
static cor_status_t alias_row(char **fields, size_t n, long line, void *ud, cor_error_t *err)
{
    alias_load_t *L = ud;
    char iso[3];
    if (!L->have_header)
        return alias_header(L, fields, n, err);
    if (n != L->ncols)
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: %zu fields where the header has %zu", L->path,
                         line, n, L->ncols);
    const char *name = trim(fields[L->col_name]), *cc = country_code(trim(fields[L->col_iso]), iso);
    size_t e = cc ? find_named(L->g, name, cc) : NONE;
    if (e == NONE)
        return cor__fail(err, COR_ERR_DATA, "%s:%ld: no place '%s' in %s to give aliases to",
                         L->path, line, name, cc ? cc : "(no country)");
    cor_status_t st = COR_OK;
    for (char *list = fields[L->col_aliases]; st == COR_OK && list;) {
        char *bar = strchr(list, '|');
        if (bar)
            *bar = '\0';
        const char *alias = trim(list);
        char *key = name_key(alias);
        const char *copy = key && *key ? cor__arena_strdup(&L->g->arena, key) : NULL;
        st = !key || (*key && !copy) ? nomem(err) : copy ? push_key(L->g, copy, e, true, err) : st;
        free(key);
        list = bar ? bar + 1 : NULL;
    }
    return st;
}

cor_status_t cor__gazetteer_add_aliases(cor__gazetteer_t *g, const char *path, cor_error_t *err)
{
    char *text = NULL;
    size_t len = 0, k0 = g->nkeys;
    alias_load_t L = {.g = g, .path = path};
    cor_status_t st = cor__read_file(path, CSV_MAX, &text, &len, err);
    if (st == COR_OK)
        st = cor__csv_parse(text, len, path, alias_row, &L, err);
    free(text);
    if (st != COR_OK) {
        g->nkeys = k0;
        return st;
    }
    qsort(g->keys, g->nkeys, sizeof *g->keys, gkey_cmp);
    g->nsorted = g->nkeys;
    return COR_OK;
}

cor_status_t cor__gazetteer_load_default(cor__gazetteer_t *g, const char *data_dir,
                                         cor_error_t *err)
{
    char *shp = cor__path_join(data_dir, "geodata/places.shp");
    char *csv = cor__path_join(data_dir, "geodata/places_extra.csv");
    char *aliases = cor__path_join(data_dir, "geodata/aliases.csv");
    cor_status_t st = shp && csv && aliases ? COR_OK : nomem(err);
    if (st == COR_OK)
        st = cor__gazetteer_add_shp(g, shp, err);
    if (st == COR_OK)
        st = cor__gazetteer_add_csv(g, csv, err);
    if (st == COR_OK && cor__is_file(aliases)) /* a data directory of an older layout has none */
        st = cor__gazetteer_add_aliases(g, aliases, err);
    free(aliases);
    free(csv);
    free(shp);
    return st;
}

/* ---- lookups ---- */

static void query_free(query_t *q)
{
    free(q->text);
    free(q->name);
    free(q->key);
}

/* Splits "Brest, BY" into name and country; a part after the last comma counts as a country
 * only when it is two ASCII letters. Returns: false on exhaustion. */
static bool query_parse(const char *s, query_t *q)
{
    char *comma;
    q->text = cor__strdup(s);
    if (!q->text)
        return false;
    char *t = trim(q->text);
    memmove(q->text, t, strlen(t) + 1);
    q->name = cor__strdup(q->text);
    if (!q->name)
        return false;
    if ((comma = strrchr(q->name, ',')) && country_code(trim(comma + 1), q->iso)) {
        *comma = '\0';
        trim(q->name);
    } else {
        q->iso[0] = '\0';
        strcpy(q->name, q->text);
    }
    q->key = name_key(q->name);
    return q->key != NULL;
}

/* How well key i matches: 0 the exact name, 1 the name's key, 2 an alias's key. */
static int match_tier(const cor__gazetteer_t *g, size_t i, size_t e, const query_t *q)
{
    if (strcmp(g->entries[e].name, q->name) == 0)
        return 0;
    return g->keys[i].alias ? 2 : 1;
}

/* Returns: whether entry a at tier ta ranks before b at tier tb: better tier, then larger
 * population, then the later entry. */
static bool match_before(const cor__gazetteer_t *g, size_t a, int ta, size_t b, int tb)
{
    if (ta != tb)
        return ta < tb;
    if (g->entries[a].population != g->entries[b].population)
        return g->entries[a].population > g->entries[b].population;
    return a > b;
}

/* Returns: the best entry whose key equals the query's (in its country), or NONE. */
static size_t best_match(const cor__gazetteer_t *g, const query_t *q)
{
    size_t best = NONE;
    int best_tier = 3;
    for (size_t i = lower_bound(g, q->key); i < g->nsorted; i++) {
        if (strcmp(g->keys[i].key, q->key) != 0)
            break;
        size_t e = live(g, g->keys[i].entry);
        if (q->iso[0] && strcmp(g->entries[e].iso_a2, q->iso) != 0)
            continue;
        int tier = match_tier(g, i, e, q);
        if (best == NONE || match_before(g, e, tier, best, best_tier))
            best = e, best_tier = tier;
    }
    return best;
}

/* ---- suggestions ---- */

typedef struct suggestion {
    size_t entry, dist;
} suggestion_t;

/* Decodes a key into code points. Returns: their number, or NONE when more than KEY_CP_MAX. */
static size_t key_cps(const char *key, uint32_t *out)
{
    size_t n = 0;
    while (*key) {
        if (n == KEY_CP_MAX)
            return NONE;
        out[n++] = cor__utf8_next(&key);
    }
    return n;
}

/* Suggestions for a qualified query are shown with their country: "Brest, BY". */
static bool same_shown(const cor__gazetteer_t *g, const query_t *q, size_t a, size_t b)
{
    const entry_t *x = &g->entries[a], *y = &g->entries[b];
    return strcmp(x->name, y->name) == 0 && (!q->iso[0] || strcmp(x->iso_a2, y->iso_a2) == 0);
}

/* Ranks suggestions: nearer, then (for a qualified query) in the asked-for country, then
 * larger, then later. */
static bool suggest_before(const cor__gazetteer_t *g, const query_t *q, suggestion_t a,
                           suggestion_t b)
{
    if (a.dist != b.dist)
        return a.dist < b.dist;
    bool ia = strcmp(g->entries[a.entry].iso_a2, q->iso) == 0;
    bool ib = strcmp(g->entries[b.entry].iso_a2, q->iso) == 0;
    if (q->iso[0] && ia != ib)
        return ia;
    return match_before(g, a.entry, 0, b.entry, 0);
}

/* Puts s into the ranked list of at most SUGGEST_MAX, one per name shown. */
static void offer(const cor__gazetteer_t *g, const query_t *q, suggestion_t *list, size_t *n,
                  suggestion_t s)
{
    size_t i = 0, at = 0;
    while (i < *n && !same_shown(g, q, list[i].entry, s.entry))
        i++;
    if (i < *n && !suggest_before(g, q, s, list[i]))
        return;
    if (i < *n) {
        memmove(list + i, list + i + 1, (*n - i - 1) * sizeof *list);
        (*n)--;
    }
    while (at < *n && !suggest_before(g, q, s, list[at]))
        at++;
    if (at == SUGGEST_MAX)
        return;
    size_t keep = *n < SUGGEST_MAX ? *n : SUGGEST_MAX - 1;
    memmove(list + at + 1, list + at, (keep - at) * sizeof *list);
    list[at] = s;
    *n = keep + 1;
}

/* Fills list with the entries whose name or alias keys lie within a third of the query's length
 * (at least one) in edits of the query's key. A third plus one would offer "Lida" for "Klaipda".
 * Returns: how many, at most SUGGEST_MAX. */
static size_t suggest(const cor__gazetteer_t *g, const query_t *q, suggestion_t *list)
{
    uint32_t a[KEY_CP_MAX], b[KEY_CP_MAX];
    size_t n = 0, la = key_cps(q->key, a);
    if (la == NONE)
        return 0;
    size_t limit = la / 3 > 1 ? la / 3 : 1;
    for (size_t i = 0; i < g->nsorted; i++) {
        size_t lb = key_cps(g->keys[i].key, b);
        if (lb == NONE || (lb > la ? lb - la : la - lb) > limit)
            continue;
        size_t d = cor__edit_distance_cp(a, la, b, lb);
        if (d <= limit)
            offer(g, q, list, &n, (suggestion_t){live(g, g->keys[i].entry), d});
    }
    return n;
}

static cor_status_t not_found(const cor__gazetteer_t *g, const query_t *q, cor_error_t *err)
{
    suggestion_t list[SUGGEST_MAX];
    size_t n = suggest(g, q, list);
    cor__buf_t msg = {0};
    bool ok = cor__buf_printf(&msg, "unknown place '%s'", q->text);
    for (size_t i = 0; ok && i < n; i++) {
        const entry_t *e = &g->entries[list[i].entry];
        const char *sep = i == 0 ? " (did you mean " : (i + 1 < n && !q->iso[0]) ? ", " : " or ";
        ok = cor__buf_printf(&msg, "%s%s", sep, e->name) &&
             (!q->iso[0] || !e->iso_a2[0] || cor__buf_printf(&msg, ", %s", e->iso_a2));
    }
    if (ok && n > 0)
        ok = cor__buf_puts(&msg, "?)");
    cor_status_t st = ok ? cor__fail(err, COR_ERR_NOTFOUND, "%s", msg.data) : nomem(err);
    cor__buf_free(&msg);
    return st;
}

cor_status_t cor__gazetteer_find(const cor__gazetteer_t *g, const char *name, cor__place_t *out,
                                 cor_error_t *err)
{
    query_t q = {0};
    cor_status_t st = COR_OK;
    if (!name || !cor__utf8_valid(name, strlen(name)))
        return cor__fail(err, COR_ERR_NOTFOUND, "a place name is not UTF-8 text");
    if (!query_parse(name, &q)) {
        st = nomem(err);
        goto done;
    }
    if (!q.key[0]) {
        st = cor__fail(err, COR_ERR_NOTFOUND, "no place name in '%s'", q.text);
        goto done;
    }
    size_t e = best_match(g, &q);
    if (e == NONE) {
        st = not_found(g, &q, err);
        goto done;
    }
    const entry_t *p = &g->entries[e];
    *out = (cor__place_t){.name = p->name,
                          .iso_a2 = p->iso_a2,
                          .lon = p->lon,
                          .lat = p->lat,
                          .population = p->population,
                          .source = p->source};
done:
    query_free(&q);
    return st;
}

/* ---- lifetime ---- */

cor_status_t cor__gazetteer_new(cor__gazetteer_t **out, cor_error_t *err)
{
    cor__gazetteer_t *g = cor__calloc(1, sizeof *g);
    if (!g)
        return nomem(err);
    *out = g;
    return COR_OK;
}

void cor__gazetteer_free(cor__gazetteer_t *g)
{
    if (!g)
        return;
    cor__arena_free(&g->arena);
    free(g->entries);
    free(g->keys);
    free(g);
}

size_t cor__gazetteer_count(const cor__gazetteer_t *g)
{
    return g ? g->nlive : 0;
}
