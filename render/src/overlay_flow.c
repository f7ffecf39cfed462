/* SPDX-License-Identifier: MIT */
/* overlay_flow: the flows of a drawing pass on the page. Where the heads of a bundle arrive,
 * the strands share one head sized to the bundle's width, split into slices that continue each
 * strand to the common tip: every flow keeps its own piece of arrowhead and no two touch but at
 * the tip. Every casing of a unit is drawn under every line and head; labels stand beside the
 * middle of the unit. The layout itself is overlay_bundle.c's; this file draws only flows. */
#include "overlay_flow.h"

#include <math.h>
#include <stdlib.h>

#include "overlay_band.h"
#include "overlay_bundle.h"
#include "overlay_draw.h"
#include "overlay_head.h"
#include "util.h"

#define SHARED_BARB   0.35 /* a shared head's barbs reach this share of the bundle's width */
#define SHARED_LEN    1.5  /* its length over its half-width */
#define SHARED_MAX    0.3  /* at most this share of the base's length */
#define SHARED_NECK   0.5  /* strands flare into their slices over this share of its length */
#define SLICE_OVERLAP 0.4  /* a strand reaches this far into its slice, so no seam shows, pt */
#define ROW_GAP       0.5  /* between stacked flow labels, pt */

/* Projects the visible flows' places, in declaration order, skipping (and counting) flows with
 * a place that cannot be projected. Returns: COR_OK; COR_ERR_NOMEM. */
static cor_status_t collect_flows(cor__ov_pass_t *p, cor__ov_flow_t **out, size_t *nout)
{
    cor__ov_flow_t *fl = NULL;
    size_t n = 0, cap = 0;
    double max = cor__overlays_max_flow(p->o);
    for (size_t i = 0; i < p->o->n; i++) {
        const cor__overlay_t *ov = &p->o->items[i];
        if (ov->kind != COR__OV_FLOW || ov->band || !cor__overlay_drawn(p->o, i))
            continue;
        if (!cor__grow((void **)&fl, &cap, n + 1, sizeof *fl)) {
            cor__overlay_bundle_free(fl, n, NULL, 0);
            return cor__overlay_nomem(p->err);
        }
        cor__ov_flow_t *f = &fl[n];
        *f = (cor__ov_flow_t){.ov = ov, .w = cor__overlay_flow_width(p->o, ov, max)};
        bool ok = ov->nplaces >= 2;
        for (size_t k = 0; ok && k < ov->nplaces; k++) {
            cor__pt_t q;
            ok = cor__overlay_project(p, &ov->places[k], &q);
            if (ok && !cor__polyline_push(&f->pts, q.x, q.y)) {
                cor__overlay_bundle_free(fl, n + 1, NULL, 0);
                return cor__overlay_nomem(p->err);
            }
        }
        if (ok && cor__polyline_dist(f->pts.p[0], f->pts.p[f->pts.n - 1]) >= COR__OV_SAME_PLACE) {
            n++;
        } else {
            cor__polyline_free(&f->pts);
            p->skipped++;
        }
    }
    *out = fl;
    *nout = n;
    return COR_OK;
}

/* A bundle's shared head at end e: the tip where the base meets the end's clearance, the
 * middle of the back edge a head's length before it, and the neck, where the strands end and
 * flare out to their slices of the back edge; with the base's right-hand normals there. */
typedef struct shared {
    cor__pt_t tip, back, nr, neck, nr_neck;
    double half, len;
    double sneck; /* the neck's arc length along the base */
} shared_t;

static void shared_head(const cor__ov_unit_t *u, int e, shared_t *h)
{
    const cor__polyline_t *b = &u->base;
    h->half = u->width / 2 + fmax(1.5, SHARED_BARB * u->width);
    h->len =
        fmax(COR__HEAD_MIN_LEN, fmin(SHARED_LEN * h->half, SHARED_MAX * cor__polyline_length(b)));
    double tip = cor__polyline_clear(b, u->r[e], e == 1), dir = e == 1 ? -1.0 : 1.0;
    double sback = tip + dir * h->len, neck = SHARED_NECK * h->len;
    h->sneck = sback + dir * neck;
    cor__pt_t t;
    h->tip = cor__polyline_at(b, tip, NULL);
    h->back = cor__polyline_at(b, sback, &t);
    h->nr = (cor__pt_t){-t.y, t.x};
    h->neck = cor__polyline_at(b, h->sneck, &t);
    h->nr_neck = (cor__pt_t){-t.y, t.x};
}

/* The whole shared head, for its outline: from the outer strands' edges at the neck out to
 * the barbs and the tip (5 corners). */
static void shared_outline(const cor__ov_unit_t *u, const shared_t *h, double q[10])
{
    const cor__pt_t p[5] = {
        {h->neck.x - h->nr_neck.x * u->width / 2, h->neck.y - h->nr_neck.y * u->width / 2},
        {h->back.x - h->nr.x * h->half, h->back.y - h->nr.y * h->half},
        h->tip,
        {h->back.x + h->nr.x * h->half, h->back.y + h->nr.y * h->half},
        {h->neck.x + h->nr_neck.x * u->width / 2, h->neck.y + h->nr_neck.y * u->width / 2}};
    for (int i = 0; i < 5; i++)
        q[2 * i] = p[i].x, q[2 * i + 1] = p[i].y;
}

/* A flow's slice of a shared head (5 corners): its strand's span across the bundle at the neck,
 * flaring to its share of the back edge (the bundle's partition scaled to the head's width),
 * narrowing to the tip. Neighbouring slices share no point but the tip. */
static void shared_slice(const cor__ov_unit_t *u, const shared_t *h, const cor__ov_flow_t *f,
                         double q[10])
{
    double k = h->half / (u->width / 2), lo = f->offset - f->w / 2, hi = f->offset + f->w / 2;
    const cor__pt_t p[5] = {{h->neck.x + h->nr_neck.x * lo, h->neck.y + h->nr_neck.y * lo},
                            {h->back.x + h->nr.x * lo * k, h->back.y + h->nr.y * lo * k},
                            h->tip,
                            {h->back.x + h->nr.x * hi * k, h->back.y + h->nr.y * hi * k},
                            {h->neck.x + h->nr_neck.x * hi, h->neck.y + h->nr_neck.y * hi}};
    for (int i = 0; i < 5; i++)
        q[2 * i] = p[i].x, q[2 * i + 1] = p[i].y;
}

/* Returns: the arc length along `s` (a strand, sample for sample like the base b) of the point
 * that lies at arc length x along b. */
static double strand_length_at(const cor__polyline_t *b, const cor__polyline_t *s, double x)
{
    double sb = 0.0, ss = 0.0;
    for (size_t k = 1; k < b->n && k < s->n; k++) {
        double db = cor__polyline_dist(b->p[k - 1], b->p[k]),
               ds = cor__polyline_dist(s->p[k - 1], s->p[k]);
        if (sb + db >= x && db > 0.0)
            return ss + ds * (x - sb) / db;
        sb += db;
        ss += ds;
    }
    return ss;
}

/* What a flow draws: its line, and its head or slice of a shared head. */
typedef struct piece {
    cor__polyline_t body;
    int head; /* corners: 0 for none, 3 for a swept head, 5 for a slice of a shared head */
    double h[10];
} piece_t;

/* Builds a flow's piece: its strand trimmed at each end to the place's clearance (to the back
 * of a shared head, where there is one), and its head. Returns: false on exhaustion. */
static bool flow_piece(const cor__ov_unit_t *u, const cor__ov_flow_t *f, const shared_t sh[2],
                       piece_t *pc)
{
    cor__polyline_t s = {0};
    double hw, len, t[2];
    bool ok = cor__overlay_bundle_strand(u, f, &s),
         rev = f->reversed; /* s runs in the flow's direction */
    pc->head = 0;
    if (!ok || s.n < 2) {
        cor__polyline_free(&s);
        return ok;
    }
    if (rev)
        cor__polyline_reverse(&s); /* the unit's direction, sample for sample like the base */
    for (int e = 0; e < 2; e++) {
        if (u->split[e])
            t[e] =
                strand_length_at(&u->base, &s, sh[e].sneck + (e ? SLICE_OVERLAP : -SLICE_OVERLAP));
        else
            t[e] = cor__polyline_clear(&s, u->r[e], e == 1);
    }
    int he = rev ? 0 : 1; /* the end the head is at */
    cor__overlay_head_size(f->w, &hw, &len);
    if (u->split[he]) {
        shared_slice(u, &sh[he], f, pc->h);
        pc->head = 5;
    } else if (f->ov->arrow != COR__ARROW_NONE && t[1] - t[0] > len + 1.0) {
        double tip = t[he], from = he ? tip - len : tip + len;
        cor__look_t lk = f->ov->look;
        lk.width = f->w;
        double stop = cor__overlay_head_place(&s, tip, from, &lk, pc->h);
        t[he] += he ? -stop : stop;
        pc->head = 3;
    }
    ok = t[1] <= t[0] || cor__polyline_slice(&s, t[0], t[1], &pc->body);
    cor__polyline_free(&s);
    return ok;
}

/* Draws a unit: every casing (the shared heads' outlines among them) under every line and
 * head, so strands side by side do not cut into each other. */
static void draw_unit(cor__ov_pass_t *p, const cor__ov_unit_t *u, size_t ui,
                      const cor__ov_flow_t *fl, size_t nf, const piece_t *pc, const shared_t sh[2])
{
    for (int pass = 0; pass < 2; pass++) {
        bool casing = pass == 0;
        for (size_t i = 0; i < nf; i++) {
            if (fl[i].unit != ui)
                continue;
            cor__look_t lk = fl[i].ov->look;
            lk.width = fl[i].w;
            cor__overlay_stroke(p->cr, &pc[i].body, &lk, casing);
            if (pc[i].head)
                cor__overlay_head_paint(p->cr, pc[i].h, pc[i].head, pc[i].head == 3, &lk, casing);
        }
        for (int e = 0; casing && e < 2; e++) {
            double q[10];
            const cor__ov_flow_t *first = NULL;
            for (size_t i = 0; !first && i < nf; i++)
                first = fl[i].unit == ui ? &fl[i] : NULL;
            if (!u->split[e] || !first)
                continue;
            shared_outline(u, &sh[e], q);
            cor__overlay_head_paint(p->cr, q, 5, false, &first->ov->look, true);
        }
    }
}

/* The unit's lines and heads as obstacles to labels (lines free near their places). */
static void unit_obstacles(cor__ov_pass_t *p, size_t ui, const cor__ov_flow_t *fl, size_t nf,
                           const piece_t *pc)
{
    for (size_t i = 0; p->lb && i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        double ch = cor__overlay_casing_half(&fl[i].ov->look);
        cor__pt_t ends[2] = {fl[i].pts.p[0], fl[i].pts.p[fl[i].pts.n - 1]};
        cor__overlay_obstacles_along(p->lb, fl[i].ov, &pc[i].body, fl[i].w / 2 + ch, ends, 2);
        if (pc[i].head)
            cor__overlay_obstacle_pts(p->lb, fl[i].ov, pc[i].h, (size_t)pc[i].head, ch);
    }
}

/* The label of a unit with one labelled flow: anchors at several places along the curve, the
 * middle first, on the side it bulges to and then on the other, for the labeler to try in turn. */
static cor_status_t lone_flow_label(cor__ov_pass_t *p, const cor__ov_unit_t *u,
                                    const cor__ov_flow_t *fl, size_t nf, size_t ui, double side,
                                    double edge, double width, double height)
{
    static const double at[] = {0.5, 0.6, 0.4, 0.7, 0.3, 0.8};
    double xs[2 * COR__ARRAY_LEN(at)], ys[2 * COR__ARRAY_LEN(at)],
        len = cor__polyline_length(&u->base);
    size_t n = 0, i = 0;
    while (i < nf && (fl[i].unit != ui || !fl[i].ov->label))
        i++;
    if (i == nf)
        return COR_OK;
    for (size_t k = 0; k < COR__ARRAY_LEN(at); k++) {
        for (int s = 0; s < 2; s++) { /* the side it bulges to, then the other */
            double sd = s ? -side : side;
            cor__pt_t t, m = cor__polyline_at(&u->base, len * at[k], &t),
                         nrm = {-t.y * sd, t.x * sd};
            double d =
                edge + COR__OV_LABEL_GAP + fabs(nrm.x) * width / 2 + fabs(nrm.y) * height / 2;
            xs[n] = m.x + nrm.x * d, ys[n++] = m.y + nrm.y * d;
        }
    }
    char *text = NULL;
    cor_status_t st = cor__overlay_label_text(fl[i].ov, &text, p->err);
    if (st != COR_OK || !text)
        return st;
    cor__text_style_t ts = cor__overlay_label_style(fl[i].ov, fl[i].ov->look.stroke);
    st = cor__labeler_add_area_at(p->lb, text, xs, ys, n, &ts, fl[i].ov->priority, p->err);
    free(text);
    return st;
}

/* How a unit's labels stand: the side of the unit they go to, how far its strands reach
 * towards it, the column's width and height, and how many flows are labelled. */
typedef struct column {
    double side, edge, width, height;
    size_t labelled;
} column_t;

/* Measures the labels of unit ui's flows into c, whose side is set. Returns: COR_OK;
 * COR_ERR_NOMEM. */
static cor_status_t column_measure(cor__ov_pass_t *p, size_t ui, const cor__ov_flow_t *fl,
                                   size_t nf, column_t *c)
{
    c->edge = c->width = 0.0;
    c->height = -ROW_GAP;
    c->labelled = 0;
    for (size_t i = 0; i < nf; i++) {
        if (fl[i].unit != ui)
            continue;
        double reach = fl[i].offset * c->side + fl[i].w / 2;
        c->edge = fmax(c->edge, reach + cor__overlay_casing_half(&fl[i].ov->look));
        char *text = NULL;
        cor_status_t st = cor__overlay_label_text(fl[i].ov, &text, p->err);
        if (st != COR_OK)
            return st;
        if (text) {
            c->labelled++;
            cor__text_style_t ts = cor__overlay_label_style(fl[i].ov, fl[i].ov->look.stroke);
            double tw, th;
            cor__text_measure(text, &ts, &tw, &th);
            c->width = fmax(c->width, tw);
            c->height += th + ROW_GAP;
        }
        free(text);
    }
    return COR_OK;
}

/* Stacks the labels of unit ui's flows from the top of the column centred at x, from y down. */
static cor_status_t column_stack(cor__ov_pass_t *p, size_t ui, const cor__ov_flow_t *fl, size_t nf,
                                 double x, double y)
{
    cor_status_t st = COR_OK;
    for (size_t i = 0; st == COR_OK && i < nf; i++) {
        char *text = NULL;
        if (fl[i].unit != ui || (st = cor__overlay_label_text(fl[i].ov, &text, p->err)) != COR_OK ||
            !text)
            continue;
        cor__text_style_t ts = cor__overlay_label_style(fl[i].ov, fl[i].ov->look.stroke);
        double tw, th;
        cor__text_measure(text, &ts, &tw, &th);
        st = cor__labeler_add_area(p->lb, text, x, y + th / 2, &ts, fl[i].ov->priority, p->err);
        y += th + ROW_GAP;
        free(text);
    }
    return st;
}

/* A unit's labels: horizontal, stacked in declaration order (the order of the strands from the
 * top of the page), in a column beside the middle of the unit on the side it bulges to. */
static cor_status_t unit_labels(cor__ov_pass_t *p, const cor__ov_unit_t *u, size_t ui,
                                const cor__ov_flow_t *fl, size_t nf)
{
    cor__pt_t t, mid = cor__polyline_at(&u->base, cor__polyline_length(&u->base) / 2, &t);
    cor__pt_t nr = {-t.y, t.x}, chord = {(u->a.x + u->b.x) / 2, (u->a.y + u->b.y) / 2};
    column_t c = {0};
    c.side = (mid.x - chord.x) * nr.x + (mid.y - chord.y) * nr.y < -1e-6 ? -1.0 : 1.0;
    cor__pt_t n = {c.side * nr.x, c.side * nr.y};
    cor_status_t st = column_measure(p, ui, fl, nf, &c);
    if (st != COR_OK || !(c.height > 0.0))
        return st;
    if (c.labelled == 1) /* a lone label may slide along its flow and change sides */
        return lone_flow_label(p, u, fl, nf, ui, c.side, c.edge, c.width, c.height);
    double d = c.edge + COR__OV_LABEL_GAP + fabs(n.x) * c.width / 2 + fabs(n.y) * c.height / 2;
    return column_stack(p, ui, fl, nf, mid.x + n.x * d, mid.y + n.y * d - c.height / 2);
}

/* Builds and draws every unit's strands. Returns: COR_OK; COR_ERR_NOMEM. */
static cor_status_t draw_units(cor__ov_pass_t *p, const cor__ov_unit_t *un, size_t nu,
                               const cor__ov_flow_t *fl, size_t nf)
{
    piece_t *pc = cor__calloc(nf, sizeof *pc);
    cor_status_t st = pc ? COR_OK : cor__overlay_nomem(p->err);
    for (size_t ui = 0; st == COR_OK && ui < nu; ui++) {
        shared_t sh[2];
        for (int e = 0; e < 2; e++)
            if (un[ui].split[e])
                shared_head(&un[ui], e, &sh[e]);
        for (size_t i = 0; st == COR_OK && i < nf; i++)
            if (fl[i].unit == ui && !flow_piece(&un[ui], &fl[i], sh, &pc[i]))
                st = cor__overlay_nomem(p->err);
        if (st == COR_OK) {
            draw_unit(p, &un[ui], ui, fl, nf, pc, sh);
            unit_obstacles(p, ui, fl, nf, pc);
        }
    }
    for (size_t i = 0; pc && i < nf; i++)
        cor__polyline_free(&pc[i].body);
    free(pc);
    return st;
}

cor_status_t cor__overlays_draw_flows(cor__ov_pass_t *p)
{
    cor__ov_flow_t *fl = NULL;
    cor__ov_unit_t *un = NULL;
    size_t nf = 0, nu = 0;
    cor_status_t st = cor__overlays_draw_bands(p);
    if (st == COR_OK)
        st = collect_flows(p, &fl, &nf);
    if (st != COR_OK || nf == 0)
        goto done;
    if (!(un = cor__calloc(nf, sizeof *un))) {
        st = cor__overlay_nomem(p->err);
        goto done;
    }
    cor__overlay_bundle_group(fl, nf, un, &nu);
    for (size_t i = 0; i < nu; i++) {
        un[i].r[0] = cor__overlay_end_clear(p, un[i].a);
        un[i].r[1] = cor__overlay_end_clear(p, un[i].b);
    }
    if (cor__overlay_bundle_layout(un, nu, fl, nf) != COR_OK) {
        st = cor__overlay_nomem(p->err);
        goto done;
    }
    st = draw_units(p, un, nu, fl, nf);
    for (size_t i = 0; st == COR_OK && p->lb && i < nu; i++)
        st = unit_labels(p, &un[i], i, fl, nf);
done:
    cor__overlay_bundle_free(fl, nf, un, nu);
    return st;
}
