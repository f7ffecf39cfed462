/* STUB */
#include "util.h"
