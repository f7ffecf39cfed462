/* SPDX-License-Identifier: MIT */
/* svg_layers: cuts cairo's SVG drawing into named layers at the marks the renderer drew, puts
 * corridor's text in a layer of its own and fixes cairo's surface id (a counter of the process)
 * so repeated renders give the same bytes. It reads only what cairo writes: tags without '>'
 * inside attribute values, one <g id="surfaceN"> holding the page. No cairo calls, no map. */
#include "svg_layers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INKSCAPE_NS " xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\""
#define MAX_OPEN    64 /* elements open at a mark that can be closed and opened again */

typedef struct cut {
    cor__buf_t *out;
    const char *open[MAX_OPEN]; /* start tags open inside the page group, outermost first */
    size_t open_len[MAX_OPEN];
    size_t nopen;
    bool in_layer;
    cor__buf_t ids; /* ids given so far, '\n'-separated, to keep them unique */
} cut_t;

static const char *find(const char *from, const char *end, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = from; p && p + n <= end; p++)
        if (memcmp(p, s, n) == 0)
            return p;
    return NULL;
}

static size_t count(const char *from, const char *end, const char *s)
{
    size_t n = 0;
    for (const char *p = find(from, end, s); p; p = find(p + strlen(s), end, s))
        n++;
    return n;
}

/* Appends an id made from a layer's name: letters, digits, '-' and '_', starting with a letter,
 * made unique with a number. */
static bool put_id(cut_t *c, const char *name)
{
    char id[80];
    size_t n = 0;
    if (!isalpha((unsigned char)name[0]))
        n = (size_t)snprintf(id, sizeof id, "layer-");
    for (const char *p = name; *p && n < 60; p++)
        id[n++] = isalnum((unsigned char)*p) || *p == '-' || *p == '_' ? *p : '-';
    id[n] = '\0';
    char probe[96];
    snprintf(probe, sizeof probe, "\n%s\n", id);
    for (int k = 2; c->ids.data && strstr(c->ids.data, probe); k++)
        snprintf(probe, sizeof probe, "\n%s-%d\n", id, k);
    probe[strlen(probe) - 1] = '\0';
    bool ok = cor__buf_puts(c->out, probe + 1) && cor__buf_puts(&c->ids, probe) &&
              cor__buf_puts(&c->ids, "\n");
    return ok;
}

/* Appends `s` escaped for an XML attribute value. */
static bool put_attr(cor__buf_t *b, const char *s)
{
    bool ok = true;
    for (; *s && ok; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '"' ? "&quot;" : NULL;
        ok = e ? cor__buf_puts(b, e) : cor__buf_append(b, s, 1);
    }
    return ok;
}

/* Opens the layer `name`, first closing the elements open at this point and the layer before,
 * then opening those elements again inside the new layer. */
static bool start_layer(cut_t *c, const char *name)
{
    bool ok = true;
    for (size_t i = c->nopen; i-- > 0 && ok;)
        ok = cor__buf_puts(c->out, "</g>");
    if (ok && c->in_layer)
        ok = cor__buf_puts(c->out, "</g>\n");
    ok = ok && cor__buf_puts(c->out, "<g id=\"") && put_id(c, name) &&
         cor__buf_puts(c->out, "\" inkscape:groupmode=\"layer\" inkscape:label=\"") &&
         put_attr(c->out, name) && cor__buf_puts(c->out, "\">\n");
    for (size_t i = 0; i < c->nopen && ok; i++)
        ok = cor__buf_append(c->out, c->open[i], c->open_len[i]);
    c->in_layer = true;
    return ok;
}

/* Copies the page group's content [p, end) to the output, starting a layer at each mark.
 * Only <g> elements nest in what cairo writes there; anything else is copied as it is. */
static bool cut_body(cut_t *c, const char *p, const char *end, const char *mark, char *const *names)
{
    size_t lm = strlen(mark), k = 0;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt)
            return cor__buf_append(c->out, p, (size_t)(end - p));
        if (!cor__buf_append(c->out, p, (size_t)(lt - p)))
            return false;
        const char *gt = memchr(lt, '>', (size_t)(end - lt));
        if (!gt)
            return false;
        size_t n = (size_t)(gt + 1 - lt);
        if (n == lm && memcmp(lt, mark, lm) == 0) {
            if (!start_layer(c, names[k++]))
                return false;
        } else {
            if (strncmp(lt, "<g", 2) == 0 && gt[-1] != '/' && c->nopen < MAX_OPEN) {
                c->open[c->nopen] = lt;
                c->open_len[c->nopen++] = n;
            } else if (strncmp(lt, "</g>", 4) == 0 && c->nopen > 0) {
                c->nopen--;
            }
            if (!cor__buf_append(c->out, lt, n))
                return false;
        }
        p = gt + 1;
    }
    return true;
}

/* The page group: its start tag's id digits [*id, *id_end) and its content [*body, *body_end). */
static bool page_group(const char *doc, const char *end, const char **id, const char **id_end,
                       const char **body, const char **body_end)
{
    static const char open[] = "<g id=\"surface";
    const char *g = find(doc, end, open), *close = NULL;
    if (!g)
        return false;
    *id = g + sizeof open - 1;
    for (*id_end = *id; *id_end < end && isdigit((unsigned char)**id_end); (*id_end)++)
        ;
    const char *gt = memchr(*id_end, '>', (size_t)(end - *id_end));
    for (const char *p = find(g, end, "</g>"); p; p = find(p + 4, end, "</g>"))
        close = p; /* cairo's page group closes last: nothing follows it but </svg> */
    if (!gt || !close || close < gt)
        return false;
    *body = gt + 1;
    *body_end = close;
    return true;
}

cor_status_t cor__svg_layers(const char *doc, size_t len, const char *tail, size_t tail_len,
                             const char *mark, char *const *names, size_t nnames, cor__buf_t *out,
                             cor_error_t *err)
{
    const char *end = doc + len, *root = find(doc, end, "<svg"), *id, *id_end, *body, *body_end;
    if (!root || !page_group(doc, end, &id, &id_end, &body, &body_end))
        return cor__fail(err, COR_ERR_RENDER, "cairo wrote an SVG without its page group");
    bool layered = nnames > 0 && mark && count(body, body_end, mark) == nnames;
    cut_t c = {.out = out};
    bool ok = cor__buf_append(out, doc, (size_t)(root + 4 - doc)) &&
              (!layered || cor__buf_puts(out, INKSCAPE_NS)) &&
              cor__buf_append(out, root + 4, (size_t)(id - root - 4)) && cor__buf_puts(out, "1") &&
              cor__buf_append(out, id_end, (size_t)(body - id_end));
    if (ok && layered)
        ok = cut_body(&c, body, body_end, mark, names) &&
             (!c.in_layer || cor__buf_puts(out, "</g>\n"));
    else if (ok)
        ok = cor__buf_append(out, body, (size_t)(body_end - body));
    /* after the page group, the text goes just before the final </svg> */
    const char *close = find(body_end, end, "</svg>");
    if (!close)
        close = end;
    ok = ok && cor__buf_append(out, body_end, (size_t)(close - body_end));
    if (ok && tail_len && layered)
        ok = cor__buf_puts(out, "<g id=\"text\" inkscape:groupmode=\"layer\" "
                                "inkscape:label=\"Text\">\n") &&
             cor__buf_append(out, tail, tail_len) && cor__buf_puts(out, "</g>\n");
    else if (ok && tail_len)
        ok = cor__buf_append(out, tail, tail_len);
    ok = ok && cor__buf_append(out, close, (size_t)(end - close));
    cor__buf_free(&c.ids);
    if (!ok)
        return cor__fail(err, COR_ERR_NOMEM, "out of memory while writing the SVG's layers");
    return COR_OK;
}
