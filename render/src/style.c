/* STUB: replaced by the real module. */
#include "style.h"
#include <math.h>
#include "util.h"

bool cor__marker_parse(const char *name, cor__marker_t *out)
{
    (void)name; (void)out; return false;
}

const char *cor__marker_name(cor__marker_t m)
{
    (void)m; return NULL;
}

const char *cor__prop_name(cor__prop_id_t id)
{
    (void)id; return NULL;
}

bool cor__prop_lookup(const char *key, cor__prop_id_t *out)
{
    (void)key; (void)out; return false;
}

void cor__pval_clear(cor__pval_t *v)
{
    (void)v; 
}

cor__layer_style_t *cor__style_add_layer(cor__style_t *s)
{
    (void)s; return NULL;
}

void cor__style_clear(cor__style_t *s)
{
    (void)s; 
}

void cor__style_sort(cor__style_t *s)
{
    (void)s; 
}

void cor__look_default(cor__geom_kind_t kind, int variant, cor__look_t *look)
{
    (void)kind; (void)variant; (void)look; 
}

cor_status_t cor__style_resolve(const cor__layer_style_t *ls, const cor__look_t *base,
                                const cor__feature_t *f, cor__prop_eval_fn eval, void *ctx,
                                cor__look_t *look, bool *visible, cor_error_t *err)
{
    (void)ls; (void)base; (void)f; (void)eval; (void)ctx; (void)look; (void)visible; (void)err; return COR_ERR_INTERNAL;
}

cor_status_t cor__style_value(const cor__layer_style_t *ls, cor__prop_id_t id,
                              const cor__feature_t *f, cor__prop_eval_fn eval, void *ctx,
                              cor__pval_t *out, cor_error_t *err)
{
    (void)ls; (void)id; (void)f; (void)eval; (void)ctx; (void)out; (void)err; return COR_ERR_INTERNAL;
}

char *cor__style_expand(const char *tmpl, const cor__feature_t *f)
{
    (void)tmpl; (void)f; return NULL;
}
