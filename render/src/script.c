/* STUB: replaced by the real module. */
#include "script.h"
#include <math.h>
#include "util.h"

const cor__script_limits_t cor__script_default_limits = {64u << 20, 200000000LL};
cor_status_t cor__script_new(const cor__script_limits_t *limits, cor__script_t **out,
                             cor_error_t *err)
{
    (void)limits; (void)out; (void)err; return COR_ERR_INTERNAL;
}

void cor__script_free(cor__script_t *sc)
{
    (void)sc; 
}

cor_status_t cor__script_run_style(cor__script_t *sc, const char *path, cor__style_t *style,
                                   cor_error_t *err)
{
    (void)sc; (void)path; (void)style; (void)err; return COR_ERR_INTERNAL;
}

cor_status_t cor__script_eval(void *ctx, const cor__prop_t *prop, const cor__feature_t *f,
                              cor__pval_t *out, cor_error_t *err)
{
    (void)ctx; (void)prop; (void)f; (void)out; (void)err; return COR_ERR_INTERNAL;
}
