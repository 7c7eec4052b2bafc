# bash completion for etrace: options, option arguments (-f, -B, files), and probe names for -l and inside
# -e programs (from `etrace -l PATTERN`, which needs root to read tracefs; nothing is offered otherwise).
# Installed as share/bash-completion/completions/etrace.

_etrace_probes()
{
	# $1: the word so far, possibly "provider:cat:ev"; prints matching probe names
	local cur=$1 providers="BEGIN END begin end tracepoint: rawtracepoint: profile: interval: software: kprobe: kretprobe: uprobe: uretprobe: usdt: fentry: fexit: hardware: watchpoint: iter: self:"
	if [[ $cur != *:* ]]; then
		compgen -W "$providers" -- "$cur"
		return
	fi
	etrace -l "${cur}*" 2>/dev/null | head -n 2000
}

_etrace()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n : || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
	fi

	case $prev in
	-f)
		COMPREPLY=($(compgen -W "text json" -- "$cur"))
		return
		;;
	-B)
		COMPREPLY=($(compgen -W "line full none" -- "$cur"))
		return
		;;
	-o | --output | --emit-elf | --emit-llvm | --include | --traceable-functions)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-I | --debuginfo)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-d | --debug)
		COMPREPLY=($(compgen -W "all ast codegen codegen-opt libbpf verifier" -- "$cur"))
		return
		;;
	--mode)
		COMPREPLY=($(compgen -W "format codegen compiler-bench bench test" -- "$cur"))
		return
		;;
	--no-feature)
		COMPREPLY=($(compgen -W "kprobe_multi uprobe_multi kprobe_session" -- "$cur"))
		return
		;;
	--probe-filter | --aot)
		return # a regular expression / a file name: nothing to offer
		;;
	-p | --pid | --dwarf-pid)
		COMPREPLY=($(compgen -W "$(ps -e -o pid= 2>/dev/null)" -- "$cur"))
		return
		;;
	--metrics)
		return # [ADDR:]PORT: nothing to offer
		;;
	-c | --cmd)
		COMPREPLY=($(compgen -c -- "$cur"))
		return
		;;
	-l | --list)
		COMPREPLY=($(_etrace_probes "$cur"))
		declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
		return
		;;
	-e)
		# the program is one word; complete the probe it starts with
		COMPREPLY=($(_etrace_probes "$cur"))
		declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-e -o -q -v -p -c -l -i -f -B -h -V -I -d -k -b --help --version --list
			--verbose --quiet --pid --cmd --output --unsafe --no-warnings --warnings --include --debuginfo
			--traceable-functions --usdt-file-activation --no-feature --mode --test --bench --probe-filter
			--fmt --dry-run --verify-llvm-ir --debug --btf --dump-ast --emit-elf --emit-llvm --info --stats
			--metrics --aot --dwarf-pid" -- "$cur"))
		return
	fi
	# a script file (examples are .et; bpftrace scripts .bt)
	COMPREPLY=($(compgen -f -X '!*.@(et|bt)' -- "$cur") $(compgen -d -- "$cur"))
}
complete -F _etrace etrace
