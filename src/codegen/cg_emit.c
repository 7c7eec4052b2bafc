/* cg_emit: finalize debug info, verify, optimise with default<O2>, emit the BPF ELF object to memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "codegen/cg_ctx.h"

static void set_error(struct cg_ctx *cg, const char *what, char *msg)
{
	free(cg->error);
	size_t n = strlen(what) + (msg ? strlen(msg) : 0) + 3;
	cg->error = malloc(n);
	if (cg->error)
		snprintf(cg->error, n, "%s: %s", what, msg ? msg : "");
	if (msg)
		LLVMDisposeMessage(msg);
}

void cg_print_ir(struct cg_ctx *cg, void *out)
{
	char *ir = LLVMPrintModuleToString(cg->mod);
	fputs(ir, (FILE *)out);
	LLVMDisposeMessage(ir);
}

int cg_emit(struct cg_ctx *cg, void **out, size_t *size, void *dump)
{
	char *msg = NULL;
	*out = NULL;
	*size = 0;
	LLVMDIBuilderFinalize(cg->dib);
	if (LLVMVerifyModule(cg->mod, LLVMReturnStatusAction, &msg)) {
		set_error(cg, "LLVM module verification failed", msg);
		return -EINVAL;
	}
	LLVMDisposeMessage(msg);
	msg = NULL;

	LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
	LLVMErrorRef err = LLVMRunPasses(cg->mod, "default<O2>", cg->tm, po);
	LLVMDisposePassBuilderOptions(po);
	if (err) {
		char *em = LLVMGetErrorMessage(err);
		free(cg->error);
		size_t n = strlen(em) + 32;
		cg->error = malloc(n);
		if (cg->error)
			snprintf(cg->error, n, "LLVM optimisation failed: %s", em);
		LLVMDisposeErrorMessage(em);
		return -EINVAL;
	}
	if (dump) {
		char *ir = LLVMPrintModuleToString(cg->mod);
		fputs(ir, (FILE *)dump);
		LLVMDisposeMessage(ir);
	}

	LLVMMemoryBufferRef buf = NULL;
	if (LLVMTargetMachineEmitToMemoryBuffer(cg->tm, cg->mod, LLVMObjectFile, &msg, &buf)) {
		set_error(cg, "LLVM object emission failed", msg);
		return -EINVAL;
	}
	LLVMDisposeMessage(msg);
	if (cg->llvm_errors) {
		/* the backend reported a problem (cg->error) but still produced an object: do not use it */
		LLVMDisposeMemoryBuffer(buf);
		return -EINVAL;
	}
	size_t n = LLVMGetBufferSize(buf);
	void *copy = malloc(n ? n : 1);
	if (!copy) {
		LLVMDisposeMemoryBuffer(buf);
		return -ENOMEM;
	}
	memcpy(copy, LLVMGetBufferStart(buf), n);
	LLVMDisposeMemoryBuffer(buf);
	*out = copy;
	*size = n;
	return 0;
}
