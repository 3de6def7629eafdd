// Starts loading the cache line holding `address` (for reading) without waiting for it.
static inline void kestrel_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
