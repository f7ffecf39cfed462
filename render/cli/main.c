#include "corridor.h"
int main(void) { return 0; }
