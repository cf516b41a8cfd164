#ifndef SESIOR_CZLIB_SHIM_H
#define SESIOR_CZLIB_SHIM_H
#include <zlib.h>
#endif
