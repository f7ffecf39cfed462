/* SPDX-License-Identifier: MIT */
/* color: colours from text (the public cor_color_parse) and from 0xRRGGBB numbers. */
#ifndef COR_COLOR_H
#define COR_COLOR_H

#include <stdint.h>

#include "corridor.h"

/* Returns: the colour 0xRRGGBB with alpha `alpha` (0..1). */
cor_color_t cor__color_rgb(uint32_t rgb, double alpha);

#endif
