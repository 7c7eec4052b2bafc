/* types: etrace's value types, shared by sema (inference), codegen (BPF layout) and the runtime
 * (decoding and printing bytes read from maps and the ring buffer).
 * A type describes bytes in BPF memory: `size` is the number of bytes a value occupies in a map key,
 * map value, ring buffer record or on the BPF stack; integers are little-endian; aggregate types lay
 * their fields out at `fields[i].offset`.
 * Memory: types are allocated in an arena (the compile arena during compilation; et_program's own
 * arena for the types the runtime keeps). Interned-free: compare with type_equal(), not ==.
 * Failure: constructors cannot fail (the arena aborts when memory runs out). */
#ifndef ET_TYPES_H
#define ET_TYPES_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct arena;

enum et_type_kind {
	ET_NONE,      /* unknown (not inferred yet, or after an error) */
	ET_VOID,      /* statements, functions returning nothing */
	ET_INT,       /* size 1, 2, 4 or 8; is_signed. An enum ("enum x" in name) lists its enumerators in
	               * fields[]: name, value = offset | (uint64)bit_offset << 32 (printed by name) */
	ET_BOOL,      /* size 1 */
	ET_STRING,    /* size = capacity in bytes including the NUL (e.g. comm: 16) */
	ET_BUFFER,    /* buf(): { u32 len; u8 data[size - 4] } */
	ET_TUPLE,     /* fields[] without names */
	ET_RECORD,    /* fields[] with names */
	ET_POINTER,   /* 8 bytes; elem = pointee (NULL for void *); space = where it points */
	ET_STRUCT,    /* struct/union from BTF or a C definition: name, fields, size */
	ET_ARRAY,     /* elem[count] */
	ET_KSTACK,    /* u64 stack id */
	ET_USTACK,    /* { u64 stack id; u64 pid } */
	ET_KSYM,      /* u64 kernel address, printed as a symbol */
	ET_USYM,      /* { u64 address; u64 pid }, printed as a symbol */
	ET_INET,      /* ntop(): { u64 af; u8 addr[16] } */
	ET_PROBE,     /* u64 probe index, printed as the probe's full name */
	ET_USERNAME,  /* u64 uid printed as a user name */
	ET_TIMESTAMP, /* strftime(): { u64 format; u64 boot-clock nsecs }; format indexes
	               * et_program.strftime_formats (strftime(3) formats plus %f: usecs), so that one map
	               * or variable may hold values of different formats, as bpftrace's strftime_t */
	ET_CGROUP_PATH, /* cgroup_path(): { u64 filter; u64 cgroup id }, printed as the cgroup's paths;
	                 * filter indexes et_program.cgroup_filters (bpftrace's cgroup_path_t) */
	/* aggregations: only ever the value type of a map (see the layouts below) */
	ET_AGG_COUNT, /* u64 per CPU, summed when printed */
	ET_AGG_SUM,   /* i64/u64 per CPU (is_signed), summed */
	ET_AGG_MIN,   /* { i64 value; u64 is_set } per CPU, min of the set CPUs */
	ET_AGG_MAX,   /* { i64 value; u64 is_set } per CPU, max of the set CPUs */
	ET_AGG_AVG,   /* { i64 count; i64 total } per CPU; printed total / count (truncated) */
	ET_AGG_STATS, /* same layout as AVG; printed count, average, total */
	ET_AGG_HIST,  /* u64 slots[ET_HIST_SLOTS] per CPU, see below */
	ET_AGG_LHIST, /* u64 slots[lhist_slots(min,max,step)] per CPU, see below */
	ET_AGG_TSERIES, /* { i64 value; i64 meta; u64 epoch } per CPU, one element per (key, bucket): see below */
};

/* hist() slots: 0 = negative values "(..., 0)", 1 = [0], 2 = [1], and for k >= 2 slot k+1 holds
 * [2^(k-1), 2^k); 2^63 .. 2^64-1 lands in slot 65. */
#define ET_HIST_SLOTS 66
/* hist(n, k) (0 <= k <= 5, bpftrace's): 2^k slots to each power of two. Slot 0 = negative values,
 * slot v + 1 for v < 2^(k+1) (one value each), then, with l = floor(log2 v) and s = l - k, slot
 * ((s + 1) << k) + ((v >> s) & (2^k - 1)) + 1. k = 0 is the layout above. */
#define ET_HIST_MAX_K 5
static inline uint32_t hist_slots(uint32_t k)
{
	return ((65 - k) << k) + 1;
}
/* lhist(v, min, max, step) slots: 0 = v < min, 1 + (v - min) / step for min <= v < max, last = v >= max. */
static inline uint32_t lhist_slots(int64_t min, int64_t max, int64_t step)
{
	return (uint32_t)((max - min) / step) + 2;
}

/* tseries(v, interval, count[, agg]) (bpftrace's): a ring of ts_count buckets per key. The BPF map's key
 * is the script's key (a keyless map: u64 0) padded to 8 bytes, then the u64 bucket epoch % ts_count, where
 * epoch = TAI nanoseconds / ts_interval. The value is { value, meta, epoch } per CPU; meta is the time of
 * the last write (no agg: the newest CPU's value wins), the count of values (avg), 1 once set (min, max),
 * unused (sum). A bucket whose epoch is not the current one is reset before the write (with an agg). */
enum et_tseries_agg { ET_TS_LAST, ET_TS_AVG, ET_TS_MAX, ET_TS_MIN, ET_TS_SUM };
#define ET_TSERIES_VALUE_SIZE 24
#define ET_TSERIES_MAX_INTERVALS 1000000
/* tseries_bucket_off(key) (below): where the bucket number starts in a tseries map's BPF key, whose
 * script key type is key (NULL: keyless). */

/* The address space a pointer points into, decided by where the pointer came from, never by the probe
 * as a whole: kernel for pointers typed from kernel BTF (unless tagged __user), curtask, kptr(), and
 * pointers read out of kernel memory; user for __user-tagged BTF pointers, syscalls:* tracepoint
 * arguments, uptr(), and pointers read out of user memory (or cast from a uprobe's arguments).
 * ET_AS_NONE: nothing says; codegen then asks the probe (cg_addr_space). bpftrace's AddrSpace. */
enum et_addr_space {
	ET_AS_NONE,
	ET_AS_KERNEL,
	ET_AS_USER,
};

struct et_field {
	const char *name; /* NULL in tuples */
	struct et_type *type;
	uint32_t offset;  /* bytes from the start of the aggregate */
	uint32_t bit_offset, bit_size; /* bitfields (BTF); bit_size 0 = not a bitfield */
};

struct et_type {
	enum et_type_kind kind;
	uint32_t size;         /* bytes, see the header comment */
	bool is_signed;        /* INT, AGG_SUM */
	bool sign_flexible;    /* INT: a non-negative literal's type, whose sign follows the other side
	                        * when the types of one slot are unified (bpftrace's IsSignFlexible);
	                        * AGG_SUM/MIN/MAX: the same of their argument */
	enum et_addr_space space; /* POINTER: the memory it points into */
	const char *name;      /* STRUCT: "struct task_struct"; INT: the C name it came from, if any */
	struct et_type *elem;  /* POINTER, ARRAY */
	uint32_t count;        /* ARRAY */
	uint32_t nfields;      /* TUPLE, RECORD, STRUCT */
	struct et_field *fields;
	int64_t lh_min, lh_max, lh_step; /* AGG_LHIST */
	uint32_t hist_k;       /* AGG_HIST: k of hist(n, k) (slots: hist_slots(k)) */
	uint64_t ts_interval;  /* AGG_TSERIES: nanoseconds per bucket; is_signed: the values' sign */
	uint32_t ts_count;     /* AGG_TSERIES: buckets kept per key */
	enum et_tseries_agg ts_agg; /* AGG_TSERIES */
	uint32_t btf_id;       /* STRUCT/POINTER from kernel BTF, 0 otherwise */
};

struct et_type *type_new(struct arena *a, enum et_type_kind kind, uint32_t size);
struct et_type *type_int(struct arena *a, uint32_t size, bool is_signed);
struct et_type *type_string(struct arena *a, uint32_t capacity);
/* A tuple of the given element types, laid out like a C struct of them, as bpftrace lays tuples out:
 * each field at the next multiple of its alignment (type_align), the size rounded up to the largest
 * field alignment. ((int8, int16, int32) is 8 bytes, (int8, string[4]) 5.) */
struct et_type *type_tuple(struct arena *a, struct et_type **elems, uint32_t n);
/* Recompute the field offsets and the size of a TUPLE or RECORD in place with the rule above (after a
 * field's type changed size). */
void type_tuple_layout(struct et_type *t);
/* Alignment of a value of type t inside a tuple (bpftrace's GetInTupleAlignment): 1 for byte arrays
 * (strings, buffers, usym, inet), the largest field alignment for tuples, records and structs, the
 * element's for arrays, else 1 or 2 for sizes 1 and 2, 4 up to 4 bytes, 8 above. */
uint32_t type_align(const struct et_type *t);
/* Place struct member f (its type set) that starts `bits` bits into its struct and is `bit_size` bits
 * wide (0: not a bitfield): offset in bytes; a bitfield's offset is the first byte of the storage unit
 * (its type's size, aligned to it) that holds its bits, or its first byte when the bits straddle such a
 * unit, and bit_offset counts from there. Shared by the BTF and DWARF readers. */
void type_field_place(struct et_field *f, uint32_t bits, uint32_t bit_size);
struct et_type *type_copy(struct arena *dst, const struct et_type *t); /* deep copy */

bool type_equal(const struct et_type *a, const struct et_type *b);
bool type_is_aggregation(const struct et_type *t);
bool type_is_integer(const struct et_type *t); /* INT, BOOL */
/* How bpftrace names the type in messages: "uint64", "string[16]", "(int64, string[16])", "count". */
void type_format(const struct et_type *t, char *buf, size_t len);

static inline uint32_t tseries_bucket_off(const struct et_type *key)
{
	return key ? (key->size + 7) & ~7u : 8;
}

#endif
