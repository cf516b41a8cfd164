#ifndef SESIOR_CHIREDIS_SHIM_H
#define SESIOR_CHIREDIS_SHIM_H
#include <hiredis.h>
#include <read.h>
#include <async.h>
#endif
