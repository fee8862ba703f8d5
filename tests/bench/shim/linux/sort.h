#ifndef _SHIM_LINUX_SORT_H
#define _SHIM_LINUX_SORT_H
#include <stdlib.h>
static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *), void *swap_fn)
{
	(void)swap_fn;
	qsort(base, num, size, cmp);
}
#endif
