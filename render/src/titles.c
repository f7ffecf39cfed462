/* SPDX-License-Identifier: MIT */
/* titles: the title block and the credits strip. The title wraps to a share of the page width
 * (the whole width when the layout squeezes it), the credits and date to the page width, the
 * date held together by no-break spaces. It must not place other pieces or know about the map's
 * view. */
#include "titles.h"

#include <math.h>
#include <stdlib.h>

#include "furniture_parts.h"
#include "util.h"

#define SUBTITLE_GAP 2.0
#define CREDITS_PAD  2.0  /* above and below the credits text */
#define TITLE_SHARE  0.42 /* the title block's text may take this share of the page width */
#define TITLE_MIN    150.0
#define TITLE_MAX    300.0
#define TITLE_NARROW 0.3 /* the share of the page width a title takes squeezed into a column */

#define MIDDOT "\xc2\xb7"
#define NBSP   "\xc2\xa0"

static bool build_title(cor__layout_t *l, const cor__furniture_t *f)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_TITLE];
    double k = l->k, pad = COR__FURNITURE_PAD * k, w1 = 0, h1 = 0, w2 = 0, h2 = 0;
    const char *subtitle = l->squeeze < 2 ? f->subtitle : NULL;
    if (!cor__fparts_has_text(f->title) && !cor__fparts_has_text(subtitle))
        return true;
    double maxw = fmin(fmax(TITLE_SHARE * l->width, TITLE_MIN * k), TITLE_MAX * k);
    if (l->squeeze == 1 || l->squeeze == 2)
        maxw = l->width;
    if (l->squeeze == 4) /* a narrow column, leaving the top right free */
        maxw = TITLE_NARROW * l->width;
    maxw = fmin(maxw, l->width - 2 * (COR__FURNITURE_MARGIN + COR__FURNITURE_PAD) * k);
    if (cor__fparts_has_text(f->title) &&
        !cor__fparts_wrap(l, &p->texts, f->title, COR__FTS_TITLE, pad, pad, maxw, &w1, &h1))
        return false;
    double gap = h1 > 0 && cor__fparts_has_text(subtitle) ? SUBTITLE_GAP * k : 0;
    if (cor__fparts_has_text(subtitle) &&
        !cor__fparts_wrap(l, &p->texts, subtitle, COR__FTS_SUBTITLE, pad, pad + h1 + gap, maxw, &w2,
                          &h2))
        return false;
    p->on = p->texts.n > 0;
    p->corner = COR__CORNER_TOP_LEFT;
    p->w = fmax(w1, w2) + 2 * pad;
    p->h = h1 + gap + h2 + 2 * pad;
    p->box = cor__fparts_box_xywh(COR__FURNITURE_MARGIN * k, COR__FURNITURE_MARGIN * k, p->w, p->h);
    return true;
}

/* The credits and the date, joined by a middle dot. The dot and the date are held together by
 * no-break spaces, so a wrapped line breaks before the dot. Returns: malloc'd text, "" when
 * both are missing; NULL on exhaustion. */
static char *credits_text(const cor__furniture_t *f)
{
    bool c = cor__fparts_has_text(f->credits), d = cor__fparts_has_text(f->date);
    cor__buf_t b = {0};
    bool ok = cor__buf_puts(&b, c ? f->credits : "") && cor__buf_puts(&b, c && d ? " " : "");
    if (ok && d)
        ok = cor__buf_puts(&b, c ? MIDDOT NBSP : "");
    for (const char *p = d ? f->date : ""; ok && *p; p++)
        ok = *p == ' ' ? cor__buf_puts(&b, NBSP) : cor__buf_append(&b, p, 1);
    if (!ok)
        cor__buf_free(&b);
    return ok ? b.data : NULL;
}

static bool build_credits(cor__layout_t *l, const cor__furniture_t *f)
{
    cor__fpiece_t *p = &l->parts[COR__FPART_CREDITS];
    double k = l->k, w = 0, h = 0;
    char *text = credits_text(f);
    if (!text)
        return false;
    bool ok = cor__fparts_wrap(l, &p->texts, text, COR__FTS_CREDITS, COR__FURNITURE_MARGIN * k,
                               CREDITS_PAD * k, l->width - 2 * COR__FURNITURE_MARGIN * k, &w, &h);
    free(text);
    if (!ok || p->texts.n == 0)
        return ok;
    p->on = true;
    p->corner = COR__CORNER_BOTTOM_LEFT;
    p->w = l->width;
    p->h = h + 2 * CREDITS_PAD * k;
    p->box = cor__fparts_box_xywh(0, l->height - p->h, p->w, p->h);
    return true;
}

bool cor__titles_build(cor__layout_t *l, const cor__furniture_t *f)
{
    return build_title(l, f) && build_credits(l, f);
}

void cor__titles_draw(const cor__layout_t *l, cairo_t *cr)
{
    const cor__fpiece_t *parts = l->parts;
    if (parts[COR__FPART_CREDITS].on)
        cor__fparts_panel(cr, parts[COR__FPART_CREDITS].box, true, l->k);
    if (parts[COR__FPART_TITLE].on)
        cor__fparts_panel(cr, parts[COR__FPART_TITLE].box, false, l->k);
}
