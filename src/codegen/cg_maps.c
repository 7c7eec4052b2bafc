/* cg_maps: BTF-defined maps, .rodata and .bss globals and the license section.
 *
 * A BTF map is what clang makes of
 *     struct { __uint(type, T); __type(key, K); __type(value, V); __uint(max_entries, N); } name SEC(".maps");
 * The global is `{ptr, ptr, ptr, ptr}`, zero-initialised, external linkage (libbpf refuses static
 * maps), in ".maps", align 8, with a DIGlobalVariableExpression whose type is an anonymous struct of
 * four 64-bit pointer members: `type` and `max_entries` point to `int[T]` / `int[N]` (libbpf reads the
 * number from the array's element count), `key` and `value` point to the real types. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/cg_ctx.h"

/* pointer to int[n]: libbpf's __uint(name, n) */
static LLVMMetadataRef uint_encoding(struct cg_ctx *cg, uint32_t n)
{
	LLVMMetadataRef sub = LLVMDIBuilderGetOrCreateSubrange(cg->dib, 0, n);
	LLVMMetadataRef arr = LLVMDIBuilderCreateArrayType(cg->dib, (uint64_t)n * 32, 32, cg->di_int, &sub, 1);
	return LLVMDIBuilderCreatePointerType(cg->dib, arr, 64, 64, 0, "", 0);
}

static LLVMMetadataRef member(struct cg_ctx *cg, const char *name, unsigned idx, LLVMMetadataRef ty)
{
	return LLVMDIBuilderCreateMemberType(cg->dib, cg->di_cu, name, strlen(name), cg->di_file, 0, 64, 64,
					     (uint64_t)idx * 64, LLVMDIFlagZero, ty);
}

static void attach_global_debug(struct cg_ctx *cg, LLVMValueRef g, const char *name, LLVMMetadataRef ty)
{
	LLVMMetadataRef expr = LLVMDIBuilderCreateExpression(cg->dib, NULL, 0);
	LLVMMetadataRef gve = LLVMDIBuilderCreateGlobalVariableExpression(
	    cg->dib, cg->di_cu, name, strlen(name), "", 0, cg->di_file, 0, ty, 0, expr, NULL, 0);
	LLVMGlobalSetMetadata(g, LLVMGetMDKindIDInContext(cg->ctx, "dbg", 3), gve);
}

static unsigned map_members(LLVMMetadataRef key, LLVMMetadataRef value)
{
	return 2u + (key != NULL) + (value != NULL);
}

LLVMValueRef cg_map_global(struct cg_ctx *cg, const char *name, bool has_key_value)
{
	if (LLVMGetNamedGlobal(cg->mod, name)) {
		errno = EEXIST;
		return NULL;
	}
	/* one pointer per BTF member (a ring buffer has only type and max_entries) */
	LLVMTypeRef fields[4] = {cg->t_ptr, cg->t_ptr, cg->t_ptr, cg->t_ptr};
	LLVMTypeRef sty = LLVMStructTypeInContext(cg->ctx, fields, has_key_value ? 4 : 2, 0);
	LLVMValueRef g = LLVMAddGlobal(cg->mod, sty, name);
	LLVMSetInitializer(g, LLVMConstNull(sty));
	LLVMSetLinkage(g, LLVMExternalLinkage);
	LLVMSetSection(g, ".maps");
	LLVMSetAlignment(g, 8);
	return g;
}

void cg_map_btf(struct cg_ctx *cg, LLVMValueRef g, unsigned map_type, LLVMMetadataRef key, LLVMMetadataRef value,
		uint32_t max_entries)
{
	LLVMMetadataRef members[4];
	unsigned n = 0;
	size_t len;
	const char *name = LLVMGetValueName2(g, &len);
	members[n] = member(cg, "type", n, uint_encoding(cg, map_type));
	n++;
	if (key) {
		members[n] = member(cg, "key", n, LLVMDIBuilderCreatePointerType(cg->dib, key, 64, 64, 0, "", 0));
		n++;
	}
	if (value) {
		members[n] = member(cg, "value", n,
				    LLVMDIBuilderCreatePointerType(cg->dib, value, 64, 64, 0, "", 0));
		n++;
	}
	members[n] = member(cg, "max_entries", n, uint_encoding(cg, max_entries));
	n++;
	LLVMMetadataRef st = LLVMDIBuilderCreateStructType(cg->dib, cg->di_cu, "", 0, cg->di_file, 0,
							   (uint64_t)n * 64, 64, LLVMDIFlagZero, NULL, members, n, 0,
							   NULL, "", 0);
	attach_global_debug(cg, g, name, st);
}

LLVMValueRef cg_map_define(struct cg_ctx *cg, const char *name, unsigned map_type, LLVMMetadataRef key,
			   LLVMMetadataRef value, uint32_t max_entries)
{
	LLVMValueRef g = cg_map_global(cg, name, map_members(key, value) == 4);
	if (g)
		cg_map_btf(cg, g, map_type, key, value, max_entries);
	return g;
}

/* Every data global etrace defines is externally visible (libbpf finds it by name), 8-byte aligned and
 * described in BTF through its debug type. */
static LLVMValueRef data_global(struct cg_ctx *cg, const char *name, LLVMValueRef init, const char *section,
				bool constant, LLVMMetadataRef di_type)
{
	LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), name);
	LLVMSetInitializer(g, init);
	LLVMSetGlobalConstant(g, constant);
	LLVMSetLinkage(g, LLVMExternalLinkage);
	LLVMSetSection(g, section);
	LLVMSetAlignment(g, 8);
	attach_global_debug(cg, g, name, di_type);
	return g;
}

/* an array of n elements of elem_bits each, as debug info */
static LLVMMetadataRef di_array(struct cg_ctx *cg, LLVMMetadataRef elem, uint32_t elem_bits, uint32_t n)
{
	LLVMMetadataRef sub = LLVMDIBuilderGetOrCreateSubrange(cg->dib, 0, n);
	return LLVMDIBuilderCreateArrayType(cg->dib, (uint64_t)n * elem_bits, elem_bits, elem, &sub, 1);
}

LLVMValueRef cg_rodata_u64(struct cg_ctx *cg, const char *name)
{
	LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, name);
	if (g)
		return g;
	LLVMMetadataRef ty = LLVMDIBuilderCreateQualifiedType(cg->dib, 0x35 /* DW_TAG_volatile_type */, cg->di_u64);
	ty = LLVMDIBuilderCreateQualifiedType(cg->dib, 0x26 /* DW_TAG_const_type */, ty);
	return data_global(cg, name, cg_i64(cg, 0), ".rodata", true, ty);
}

LLVMValueRef cg_rodata_const(struct cg_ctx *cg, const char *name, uint64_t first, uint32_t size)
{
	LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, name);
	if (g)
		return g;
	uint32_t n = size < 8 ? 1 : (size + 7) / 8;
	LLVMValueRef *words = calloc(n, sizeof(*words));
	if (!words)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		words[i] = cg_i64(cg, i ? 0 : first);
	LLVMValueRef init = LLVMConstArray2(cg->t_i64, words, n);
	free(words);
	return data_global(cg, name, init, ".rodata", true, di_array(cg, cg->di_u64, 64, n));
}

LLVMValueRef cg_rodata_bytes(struct cg_ctx *cg, const char *name, const void *data, uint32_t size)
{
	LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, name);
	if (g)
		return g;
	LLVMValueRef init = LLVMConstStringInContext(cg->ctx, data, size, 1);
	return data_global(cg, name, init, ".rodata", true, di_array(cg, cg->di_char, 8, size));
}

LLVMValueRef cg_bss_counters(struct cg_ctx *cg, const char *name, uint32_t n)
{
	LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, name);
	if (g)
		return g;
	if (!n)
		n = 1;
	LLVMValueRef init = LLVMConstNull(LLVMArrayType2(cg->t_i64, n));
	return data_global(cg, name, init, ".bss", false, di_array(cg, cg->di_u64, 64, n));
}

void cg_counter_add(struct cg_ctx *cg, LLVMValueRef counters, uint32_t index, LLVMValueRef delta)
{
	/* the result is unused, so the backend emits one `lock *(u64 *)(rX + off) += rY` */
	LLVMBuildAtomicRMW(cg->b, LLVMAtomicRMWBinOpAdd, cg_gep(cg, counters, 8 * index), delta ? delta : cg_i64(cg, 1),
			   LLVMAtomicOrderingMonotonic, 0);
}

void cg_license(struct cg_ctx *cg, const char *license)
{
	size_t n = strlen(license) + 1;
	LLVMValueRef init = LLVMConstStringInContext2(cg->ctx, license, n - 1, 0);
	LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), "_license");
	LLVMSetInitializer(g, init);
	LLVMSetLinkage(g, LLVMExternalLinkage);
	LLVMSetSection(g, "license");
	LLVMSetAlignment(g, 1);
	LLVMMetadataRef sub = LLVMDIBuilderGetOrCreateSubrange(cg->dib, 0, (int64_t)n);
	LLVMMetadataRef ty = LLVMDIBuilderCreateArrayType(cg->dib, (uint64_t)n * 8, 8, cg->di_char, &sub, 1);
	attach_global_debug(cg, g, "_license", ty);
}
