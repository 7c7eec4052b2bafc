/* parser.y: the etrace grammar (bison, pure, LALR(1), no conflicts) and parse_program() (see parse.h).
 *
 * Actions only call the ast_new_* constructors of ast.h. bison's YYLTYPE is turned into struct et_loc
 * here (L()) and goes no further. Syntax errors are worded by report_syntax_error() below: the
 * offending token's text, what was expected when that is short, and special messages for a probe with
 * no block, an unclosed bracket (naming the opener and its line) and an angle block whose last
 * statement lacks its `;`. Error recovery resynchronises at `;` and `}` inside blocks and at the next
 * top-level item, and reports at most one error per location.
 *
 * Build: `bison -d -o parser.c parser.y` gives parser.c and parser.h (the scanner includes parser.h);
 * compile with `-I src`. */

%code requires {
#include <stdbool.h>
#include <stdint.h>

#include "parser/ast.h"

struct lexer;
}

%code {
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lexer/lexer.h"
#include "parser/parse.h"
#include "parser/typenames.h"
#include "preproc/preproc.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"

int yylex(YYSTYPE *yylval, YYLTYPE *yylloc, void *scanner);
static void yyerror(YYLTYPE *loc, void *scanner, struct lexer *lx, struct ast_node **result, const char *msg);
static struct et_loc to_loc(const struct lexer *lx, YYLTYPE y);
static const char *type_words(struct lexer *lx, const char *a, const char *b);
static void type_dim(uint32_t *ndims, uint32_t *dims, uint32_t n);
static struct ast_typespec *typeof_spec(struct lexer *lx, struct et_loc loc, struct ast_node *of);
static struct ast_node *typeinfo_call(struct lexer *lx, struct et_loc loc, struct ast_node *of);
static struct et_loc to_loc2(const struct lexer *lx, YYLTYPE a, YYLTYPE b);

#define A (lx->ctx->arena)
#define L(y) to_loc(lx, (y))
#define L2(a, b) to_loc2(lx, (a), (b)) /* from a's start to b's end */
}

%define api.pure full
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%parse-param {void *scanner} {struct lexer *lx} {struct ast_node **result}
%lex-param {void *scanner}

%union {
	const char *str;
	struct { uint64_t value; bool is_unsigned; } num;
	struct { const char *bytes; uint32_t len; } string;
	struct ast_attach *attach;
	uint32_t pos;
	struct ast_node *node;
	struct ast_list *list;
	struct ast_typespec *ty;
	int op;
	/* ndims: the [ ] written (more than AST_MAX_DIMS: AST_MAX_DIMS + 1, an error); dims: N or 0 for [] */
	struct { uint32_t stars, ndims, dims[AST_MAX_DIMS]; } tsuf;
}

%token END 0 "end of input"
%token <str> IDENT "identifier" TYPE_NAME "type name" VAR "variable" MAP "map"
%token <str> PREPROC "preprocessor line" C_DEF "C definition"
%token <num> INT "integer"
%token <string> STRING "string"
%token <attach> ATTACH "attach point"
%token <pos> POSITIONAL "positional parameter"
%token POSITIONAL_COUNT "$#"
%token IF "if" ELSE "else" WHILE "while" FOR "for" UNROLL "unroll" BREAK "break" CONTINUE "continue"
%token RETURN "return" LET "let" SIZEOF "sizeof" OFFSETOF "offsetof" TYPEOF "typeof" TRUE "true"
%token FALSE "false" STRUCT "struct" UNION "union" ENUM "enum" CONFIG "config" IMPORT "import"
%token MACRO "macro" UNDERSCORE "_"
%token TYPEINFO "typeinfo"
%token PRED_START "'/'" PRED_END "closing '/'" ANGLE_OPEN "'<'" ANGLE_CLOSE "closing '>'"
%token ARROW "->" INC "++" DEC "--" SHL "<<" SHR ">>" LE "<=" GE ">=" EQ "==" NE "!=" LAND "&&" LOR "||"
%token ADD_ASSIGN "+=" SUB_ASSIGN "-=" MUL_ASSIGN "*=" DIV_ASSIGN "/=" MOD_ASSIGN "%="
%token AND_ASSIGN "&=" OR_ASSIGN "|=" XOR_ASSIGN "^=" SHL_ASSIGN "<<=" SHR_ASSIGN ">>=" DOTDOT ".."

%precedence NO_KEYS
/* `(typeof(x))e` is a cast: after `( typeof(x)`, ')' is shifted (the cast) rather than typeof(x)
 * reduced to an expression in parentheses */
%precedence TYPEOF_EXPR
%precedence ')'
%right '?' ':'
%left LOR
%left LAND
%left '|'
%left '^'
%left '&'
%left EQ NE
%left '<' '>' LE GE
%left SHL SHR
%left '+' '-'
%left '*' '/' '%'
%right UNARY INC DEC
%precedence '.' ARROW '['

%type <node> program items probe attach_list predicate block angle_block stmt simple compound if_stmt
%type <node> expr rhs block_expr if_expr lvalue record_fields offsetof_head type_arg config_items macro map_decl item
%type <list> stmt_list expr_list arg_list tuple_head macro_params param_list
%type <ty> typespec let_typeof
%type <str> type_base type_words tag field_name
%type <tsuf> type_suffix
%type <op> compound_op

%start program

%%

program
	: items                              { *result = $1; }
	;

items
	: %empty                             { $$ = ast_new_program(A, L(@$)); }
	| items item                         { $$ = $1; if ($2) ast_list_push(A, &$$->u.program.items, $2); }
	| items error                        { $$ = $1; }
	;

item
	: probe
	| PREPROC                            { $$ = ast_new_raw(A, AST_PREPROC, L(@1), $1); }
	| C_DEF                              { $$ = ast_new_raw(A, AST_C_DEF, L(@1), $1); }
	| CONFIG '=' '{' config_items '}'    { $$ = $4; $$->loc = L(@$); }
	| CONFIG '=' '{' config_items IDENT '=' expr '}'
	                                     { $$ = $4; ast_config_add(A, $$, $5, $7); $$->loc = L(@$); }
	| IMPORT STRING ';'                  { $$ = ast_new_import(A, L(@$), $2.bytes); }
	| map_decl
	| macro
	;

config_items
	: %empty                             { $$ = ast_new_config(A, L(@$)); }
	| config_items IDENT '=' expr ';'    { $$ = $1; ast_config_add(A, $$, $2, $4); }
	;

map_decl
	: LET MAP '=' IDENT '(' INT ')' ';'  { $$ = ast_new_map_decl(A, L(@$), $2, $4, $6.value); }
	| LET MAP '=' IDENT '(' ')' ';'      { $$ = ast_new_map_decl(A, L(@$), $2, $4, 0); }
	;

macro
	: MACRO IDENT '(' macro_params ')' block_expr
	                                     { $$ = ast_new_macro(A, L(@$), $2, $4, $6); }
	;

macro_params
	: %empty                             { $$ = ast_list_new(A); }
	| param_list
	;

param_list
	: VAR                                { $$ = ast_list_new(A); ast_list_push(A, $$, ast_new_name(A, AST_VAR, L(@1), $1)); }
	| MAP                                { $$ = ast_list_new(A); ast_list_push(A, $$, ast_new_map(A, L(@1), $1, NULL)); }
	| IDENT                              { $$ = ast_list_new(A); ast_list_push(A, $$, ast_new_name(A, AST_IDENT, L(@1), $1)); }
	| param_list ',' VAR                 { $$ = $1; ast_list_push(A, $$, ast_new_name(A, AST_VAR, L(@3), $3)); }
	| param_list ',' MAP                 { $$ = $1; ast_list_push(A, $$, ast_new_map(A, L(@3), $3, NULL)); }
	| param_list ',' IDENT               { $$ = $1; ast_list_push(A, $$, ast_new_name(A, AST_IDENT, L(@3), $3)); }
	;

probe
	: attach_list predicate block        { $$ = ast_probe_finish($1, L(@$), $2, $3, false); }
	| attach_list predicate angle_block  { $$ = ast_probe_finish($1, L(@$), $2, $3, true); }
	;

attach_list
	: ATTACH                             { $$ = ast_new_probe(A, L(@1)); ast_probe_add_attach(A, $$, $1); }
	| attach_list ',' ATTACH             { $$ = $1; ast_probe_add_attach(A, $$, $3); }
	;

predicate
	: %empty                             { $$ = NULL; }
	| PRED_START expr PRED_END           { $$ = $2; }
	;

block
	: '{' stmt_list '}'                  { $$ = ast_new_block(A, L(@$), $2); }
	| '{' stmt_list simple '}'           { ast_list_push(A, $2, $3); $$ = ast_new_block(A, L(@$), $2); }
	| '{' stmt_list error '}'            { $$ = ast_new_block(A, L(@$), $2); }
	;

angle_block
	: ANGLE_OPEN stmt_list ANGLE_CLOSE   { $$ = ast_new_block(A, L(@$), $2); }
	| ANGLE_OPEN stmt_list error ANGLE_CLOSE
	                                     { $$ = ast_new_block(A, L(@$), $2); }
	;

block_expr
	: '{' stmt_list '}'                  { $$ = ast_new_block_expr(A, L(@$), $2, NULL); }
	| '{' stmt_list simple '}'           { $$ = ast_new_block_expr(A, L(@$), $2, $3); }
	| '{' stmt_list error '}'            { $$ = ast_new_block_expr(A, L(@$), $2, NULL); }
	;

stmt_list
	: %empty                             { $$ = ast_list_new(A); }
	| stmt_list stmt                     { $$ = $1; ast_list_push(A, $$, $2); }
	| stmt_list ';'                      { $$ = $1; }
	| stmt_list error ';'                { $$ = $1; }
	;

stmt
	: simple ';'                         { $$ = $1; }
	| compound
	;

simple
	: expr                               { $$ = ast_new_expr_stmt(A, L(@$), $1); }
	| lvalue '=' rhs                     { $$ = ast_new_assign(A, L(@$), $1, AST_OP_NONE, $3); }
	| lvalue compound_op expr            { $$ = ast_new_assign(A, L(@$), $1, (enum ast_op)$2, $3); }
	| UNDERSCORE '=' rhs                 { $$ = ast_new_assign(A, L(@$), NULL, AST_OP_NONE, $3); }
	| LET VAR                            { $$ = ast_new_let(A, L(@$), $2, NULL, NULL); }
	| LET VAR ':' typespec               { $$ = ast_new_let(A, L(@$), $2, $4, NULL); }
	| LET VAR '=' rhs                    { $$ = ast_new_let(A, L(@$), $2, NULL, $4); }
	| LET VAR ':' typespec '=' rhs       { $$ = ast_new_let(A, L(@$), $2, $4, $6); }
	| LET VAR ':' let_typeof             { $$ = ast_new_let(A, L(@$), $2, $4, NULL); }
	| LET VAR ':' let_typeof '=' rhs     { $$ = ast_new_let(A, L(@$), $2, $4, $6); }
	| BREAK                              { $$ = ast_new(A, AST_BREAK, L(@$)); }
	| CONTINUE                           { $$ = ast_new(A, AST_CONTINUE, L(@$)); }
	| RETURN                             { $$ = ast_new_return(A, L(@$), NULL); }
	| RETURN expr                        { $$ = ast_new_return(A, L(@$), $2); }
	| IMPORT STRING                      { $$ = ast_new_import(A, L(@$), $2.bytes); }
	;

rhs
	: expr
	| block_expr
	| if_expr
	;

/* An if with a value (bpftrace's IfExpr), where a value is wanted: the right of `=`, a call argument.
 * A ternary whose branches are block expressions; the else is required, it gives the value otherwise. */
if_expr
	: IF expr block_expr ELSE block_expr { $$ = ast_new_if_expr(A, L(@$), $2, $3, $5); }
	| IF expr block_expr ELSE if_expr    { $$ = ast_new_if_expr(A, L(@$), $2, $3, $5); }
	;

lvalue
	: VAR                                { $$ = ast_new_name(A, AST_VAR, L(@$), $1); }
	| MAP                                { $$ = ast_new_map(A, L(@$), $1, NULL); }
	| MAP '[' expr_list ']'              { $$ = ast_new_map(A, L(@$), $1, $3); }
	;

compound_op
	: ADD_ASSIGN                         { $$ = AST_OP_ADD; }
	| SUB_ASSIGN                         { $$ = AST_OP_SUB; }
	| MUL_ASSIGN                         { $$ = AST_OP_MUL; }
	| DIV_ASSIGN                         { $$ = AST_OP_DIV; }
	| MOD_ASSIGN                         { $$ = AST_OP_MOD; }
	| AND_ASSIGN                         { $$ = AST_OP_BAND; }
	| OR_ASSIGN                          { $$ = AST_OP_BOR; }
	| XOR_ASSIGN                         { $$ = AST_OP_BXOR; }
	| SHL_ASSIGN                         { $$ = AST_OP_SHL; }
	| SHR_ASSIGN                         { $$ = AST_OP_SHR; }
	;

compound
	: if_stmt
	| WHILE expr block                   { $$ = ast_new_while(A, L(@$), $2, $3); }
	| FOR '(' VAR ':' MAP ')' block      { $$ = ast_new_for_map(A, L(@$), $3, ast_new_map(A, L(@5), $5, NULL), $7); }
	| FOR '(' VAR ':' expr DOTDOT expr ')' block
	                                     { $$ = ast_new_for_range(A, L(@$), $3, $5, $7, $9); }
	/* today's bpftrace also takes both loops without the parentheses: for $kv : @m { }, for $i : 0..$n { } */
	| FOR VAR ':' MAP block              { $$ = ast_new_for_map(A, L(@$), $2, ast_new_map(A, L(@4), $4, NULL), $5); }
	| FOR VAR ':' expr DOTDOT expr block { $$ = ast_new_for_range(A, L(@$), $2, $4, $6, $7); }
	| UNROLL '(' expr ')' block          { $$ = ast_new_unroll(A, L(@$), $3, $5); }
	| block
	;

if_stmt
	: IF expr block                      { $$ = ast_new_if(A, L(@$), $2, $3, NULL); }
	| IF expr block ELSE block           { $$ = ast_new_if(A, L(@$), $2, $3, $5); }
	| IF expr block ELSE if_stmt         { $$ = ast_new_if(A, L(@$), $2, $3, $5); }
	;

expr
	: INT                                { $$ = ast_new_int(A, L(@$), $1.value, $1.is_unsigned); }
	| STRING                             { $$ = ast_new_string(A, L(@$), $1.bytes, $1.len); }
	| TRUE                               { $$ = ast_new_bool(A, L(@$), true); }
	| FALSE                              { $$ = ast_new_bool(A, L(@$), false); }
	| IDENT                              { $$ = ast_new_name(A, AST_IDENT, L(@$), $1); }
	| IDENT '(' ')'                      { $$ = ast_new_call(A, L(@$), $1, NULL); }
	| IDENT '(' arg_list ')'             { $$ = ast_new_call(A, L(@$), $1, $3); }
	| VAR                                { $$ = ast_new_name(A, AST_VAR, L(@$), $1); }
	| POSITIONAL                         { $$ = ast_new_positional(A, L(@$), $1); }
	| POSITIONAL_COUNT                   { $$ = ast_new(A, AST_POSITIONAL_COUNT, L(@$)); }
	| MAP %prec NO_KEYS                  { $$ = ast_new_map(A, L(@$), $1, NULL); }
	| MAP '[' expr_list ']'              { $$ = ast_new_map(A, L(@$), $1, $3); }
	| '(' expr ')'                       { $$ = $2; }
	| '(' ')'                            { $$ = ast_new_tuple(A, L(@$), NULL); }
	| '(' tuple_head ')'                 { $$ = ast_new_tuple(A, L(@$), $2); }
	| '(' tuple_head expr ')'            { ast_list_push(A, $2, $3); $$ = ast_new_tuple(A, L(@$), $2); }
	| '(' record_fields ')'              { $$ = $2; $$->loc = L(@$); }
	| '(' record_fields ',' ')'          { $$ = $2; $$->loc = L(@$); }
	| SIZEOF '(' typespec ')'            { $$ = ast_new_typeq(A, AST_SIZEOF, L(@$), $3, NULL); }
	| SIZEOF '(' expr ')'                { $$ = ast_new_typeq(A, AST_SIZEOF, L(@$), NULL, $3); }
	/* typeinfo(T) / typeinfo(e): the call `typeinfo` of typeof(T) / typeof(e), as sema takes a type */
	| TYPEINFO '(' typespec ')'          { $$ = typeinfo_call(lx, L(@$), ast_new_typeq(A, AST_TYPEOF, L(@3), $3, NULL)); }
	| TYPEINFO '(' expr ')'              { $$ = typeinfo_call(lx, L(@$), ast_new_typeq(A, AST_TYPEOF, L(@3), NULL, $3)); }
	| TYPEOF '(' typespec ')' %prec TYPEOF_EXPR
	                                     { $$ = ast_new_typeq(A, AST_TYPEOF, L(@$), $3, NULL); }
	| TYPEOF '(' expr ')' %prec TYPEOF_EXPR
	                                     { $$ = ast_new_typeq(A, AST_TYPEOF, L(@$), NULL, $3); }
	| offsetof_head ')'                  { $$ = $1; $$->loc = L(@$); }
	| expr INC                           { $$ = ast_new_incdec(A, L(@$), AST_OP_INC, false, $1); }
	| expr DEC                           { $$ = ast_new_incdec(A, L(@$), AST_OP_DEC, false, $1); }
	| expr '.' field_name                { $$ = ast_new_field(A, L(@$), $1, $3, false); }
	| expr ARROW field_name              { $$ = ast_new_field(A, L(@$), $1, $3, true); }
	| expr '.' INT                       { $$ = ast_new_tuple_index(A, L(@$), $1, (uint32_t)$3.value); }
	| expr '[' expr ']'                  { $$ = ast_new_index(A, L(@$), $1, $3); }
	| INC expr %prec UNARY               { $$ = ast_new_incdec(A, L(@$), AST_OP_INC, true, $2); }
	| DEC expr %prec UNARY               { $$ = ast_new_incdec(A, L(@$), AST_OP_DEC, true, $2); }
	| '-' expr %prec UNARY               { $$ = ast_new_unary(A, L(@$), AST_OP_NEG, $2); }
	| '+' expr %prec UNARY               { $$ = ast_new_unary(A, L(@$), AST_OP_PLUS, $2); }
	| '!' expr %prec UNARY               { $$ = ast_new_unary(A, L(@$), AST_OP_NOT, $2); }
	| '~' expr %prec UNARY               { $$ = ast_new_unary(A, L(@$), AST_OP_BNOT, $2); }
	| '*' expr %prec UNARY               { $$ = ast_new_unary(A, L(@$), AST_OP_DEREF, $2); }
	| '&' expr %prec UNARY               { $$ = ast_new_unary(A, L(@$), AST_OP_ADDR, $2); }
	| '(' typespec ')' expr %prec UNARY  { $$ = ast_new_cast(A, L(@$), $2, $4); $$->u.cast.written = true; }
	| '(' TYPEOF '(' typespec ')' ')' expr %prec UNARY
	                                     { $$ = ast_new_cast(A, L(@$), typeof_spec(lx, L2(@2, @5),
	                                               ast_new_typeq(A, AST_TYPEOF, L2(@2, @5), $4, NULL)), $7);
	                                       $$->u.cast.written = true; }
	| '(' TYPEOF '(' expr ')' ')' expr %prec UNARY
	                                     { $$ = ast_new_cast(A, L(@$), typeof_spec(lx, L2(@2, @5),
	                                               ast_new_typeq(A, AST_TYPEOF, L2(@2, @5), NULL, $4)), $7);
	                                       $$->u.cast.written = true; }
	| expr '*' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_MUL, $1, $3); }
	| expr '/' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_DIV, $1, $3); }
	| expr '%' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_MOD, $1, $3); }
	| expr '+' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_ADD, $1, $3); }
	| expr '-' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_SUB, $1, $3); }
	| expr SHL expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_SHL, $1, $3); }
	| expr SHR expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_SHR, $1, $3); }
	| expr '<' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_LT, $1, $3); }
	| expr '>' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_GT, $1, $3); }
	| expr LE expr                       { $$ = ast_new_binary(A, L(@$), AST_OP_LE, $1, $3); }
	| expr GE expr                       { $$ = ast_new_binary(A, L(@$), AST_OP_GE, $1, $3); }
	| expr EQ expr                       { $$ = ast_new_binary(A, L(@$), AST_OP_EQ, $1, $3); }
	| expr NE expr                       { $$ = ast_new_binary(A, L(@$), AST_OP_NE, $1, $3); }
	| expr '&' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_BAND, $1, $3); }
	| expr '^' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_BXOR, $1, $3); }
	| expr '|' expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_BOR, $1, $3); }
	| expr LAND expr                     { $$ = ast_new_binary(A, L(@$), AST_OP_LAND, $1, $3); }
	| expr LOR expr                      { $$ = ast_new_binary(A, L(@$), AST_OP_LOR, $1, $3); }
	| expr '?' expr ':' expr             { $$ = ast_new_ternary(A, L(@$), $1, $3, $5); }
	| expr '?' ':' expr                  { $$ = ast_new_ternary(A, L(@$), $1, NULL, $4); }
	;

field_name
	: IDENT
	| TYPE_NAME
	;

expr_list
	: expr                               { $$ = ast_list_new(A); ast_list_push(A, $$, $1); }
	| if_expr                            { $$ = ast_list_new(A); ast_list_push(A, $$, $1); }
	| expr_list ',' expr                 { $$ = $1; ast_list_push(A, $$, $3); }
	| expr_list ',' if_expr              { $$ = $1; ast_list_push(A, $$, $3); }
	;

/* a call's arguments may also be block expressions: side_effects({ printf("hi") }) */
arg_list
	: rhs                                { $$ = ast_list_new(A); ast_list_push(A, $$, $1); }
	| arg_list ',' rhs                   { $$ = $1; ast_list_push(A, $$, $3); }
	| arg_list ',' type_arg              { $$ = $1; ast_list_push(A, $$, $3); }
	;

/* a struct or union type as an argument (container_of(p, struct x, member)): an AST_TYPEOF of it, the
 * type itself; sema refuses it where a value is expected */
type_arg
	: STRUCT tag                         { $$ = ast_new_typeq(A, AST_TYPEOF, L(@$),
	                                               ast_new_typespec(A, L(@$), type_words(lx, "struct", $2)), NULL); }
	| UNION tag                          { $$ = ast_new_typeq(A, AST_TYPEOF, L(@$),
	                                               ast_new_typespec(A, L(@$), type_words(lx, "union", $2)), NULL); }
	;

tuple_head
	: expr ','                           { $$ = ast_list_new(A); ast_list_push(A, $$, $1); }
	| tuple_head expr ','                { $$ = $1; ast_list_push(A, $$, $2); }
	;

record_fields
	: IDENT '=' expr                     { $$ = ast_new_record(A, L(@$)); ast_record_add(A, $$, $1, $3); }
	| record_fields ',' IDENT '=' expr   { $$ = $1; ast_record_add(A, $$, $3, $5); }
	;

offsetof_head
	: OFFSETOF '(' typespec ',' field_name
	                                     { $$ = ast_new_offsetof(A, L(@$), $3); ast_offsetof_add(A, $$, $5); }
	| offsetof_head '.' field_name       { $$ = $1; ast_offsetof_add(A, $$, $3); }
	;

/* `let $v: typeof(x)` */
let_typeof
	: TYPEOF '(' typespec ')'            { $$ = typeof_spec(lx, L(@$), ast_new_typeq(A, AST_TYPEOF, L(@$), $3, NULL)); }
	| TYPEOF '(' expr ')'                { $$ = typeof_spec(lx, L(@$), ast_new_typeq(A, AST_TYPEOF, L(@$), NULL, $3)); }
	;

typespec
	: type_base type_suffix              { $$ = ast_new_typespec(A, L(@$), $1);
	                                       $$->pointer = $2.stars;
	                                       $$->is_array = $2.ndims > 0;
	                                       $$->array_len = $2.dims[0];
	                                       $$->ndims = $2.ndims;
	                                       memcpy($$->dims, $2.dims, sizeof($$->dims)); }
	;

type_base
	: type_words
	| STRUCT tag                         { $$ = type_words(lx, "struct", $2); }
	| UNION tag                          { $$ = type_words(lx, "union", $2); }
	| ENUM tag                           { $$ = type_words(lx, "enum", $2); }
	;

type_words
	: TYPE_NAME
	| type_words TYPE_NAME               { $$ = type_words(lx, $1, $2); }
	;

tag
	: IDENT
	| TYPE_NAME
	;

type_suffix
	: %empty                             { memset(&$$, 0, sizeof($$)); }
	| type_suffix '*'                    { $$ = $1; $$.stars++; }
	| type_suffix '[' ']'                { $$ = $1; type_dim(&$$.ndims, $$.dims, 0); }
	| type_suffix '[' INT ']'            { $$ = $1; type_dim(&$$.ndims, $$.dims, $3.value > 0x7fffffff ? 0x7fffffff : (uint32_t)$3.value); }
	;

%%

static struct et_loc to_loc(const struct lexer *lx, YYLTYPE y)
{
	struct et_loc l;
	l.file = lx->file;
	l.line = (uint32_t)y.first_line;
	l.col = (uint32_t)y.first_column;
	l.end_line = (uint32_t)y.last_line;
	l.end_col = (uint32_t)y.last_column;
	return l;
}

static struct et_loc to_loc2(const struct lexer *lx, YYLTYPE a, YYLTYPE b)
{
	a.last_line = b.last_line;
	a.last_column = b.last_column;
	return to_loc(lx, a);
}

/* the type of a typeof(...) node, as written where a type goes */
static struct ast_typespec *typeof_spec(struct lexer *lx, struct et_loc loc, struct ast_node *of)
{
	struct ast_typespec *t = ast_new_typespec(lx->ctx->arena, loc, strtab_cstr(lx->ctx->strtab, "typeof"));

	t->of = of;
	return t;
}

/* typeinfo(x): a call whose one argument is typeof(x), the type sema describes */
static struct ast_node *typeinfo_call(struct lexer *lx, struct et_loc loc, struct ast_node *of)
{
	struct ast_list *args = ast_list_new(lx->ctx->arena);

	ast_list_push(lx->ctx->arena, args, of);
	return ast_new_call(lx->ctx->arena, loc, strtab_cstr(lx->ctx->strtab, "typeinfo"), args);
}

/* "unsigned" + "int" → interned "unsigned int" */
static const char *type_words(struct lexer *lx, const char *a, const char *b)
{
	const char *s = arena_printf(lx->ctx->arena, "%s %s", a, b);
	return strtab_cstr(lx->ctx->strtab, s);
}

/* One more [n] of a type (0 for []); past AST_MAX_DIMS only counted, for sema to refuse. */
static void type_dim(uint32_t *ndims, uint32_t *dims, uint32_t n)
{
	if (*ndims < AST_MAX_DIMS)
		dims[*ndims] = n;
	if (*ndims <= AST_MAX_DIMS)
		(*ndims)++;
}

/* ---- syntax error messages ---- */

static bool same_loc(struct et_loc a, struct et_loc b)
{
	return a.line == b.line && a.col == b.col;
}

/* A short, human form of the token at lx->tok: 'text', "end of input", string. */
static void token_text(const struct lexer *lx, yysymbol_kind_t sym, char *buf, size_t size)
{
	if (sym == YYSYMBOL_YYEOF) {
		snprintf(buf, size, "end of input");
		return;
	}
	if (sym == YYSYMBOL_STRING) {
		snprintf(buf, size, "string");
		return;
	}
	size_t n = lx->tok_len;
	const char *s = lx->text + lx->tok_off;
	if (lx->tok_off + n > lx->len)
		n = 0;
	const char *nl = memchr(s, '\n', n);
	if (nl)
		n = (size_t)(nl - s);
	if (n == 0) {
		snprintf(buf, size, "%s", yysymbol_name(sym));
		return;
	}
	if (n > 40)
		snprintf(buf, size, "'%.37s...'", s);
	else
		snprintf(buf, size, "'%.*s'", (int)n, s);
}

/* Display name of an expected token: descriptive names as they are ("identifier"), punctuation and
 * keywords quoted ('->', 'struct'). */
static void symbol_text(yysymbol_kind_t sym, char *buf, size_t size)
{
	static const char *const descriptive[] = {
		"identifier", "type name", "variable", "map", "preprocessor line", "C definition", "integer",
		"string", "attach point", "positional parameter", "end of input",
	};
	const char *name = yysymbol_name(sym);
	for (size_t i = 0; i < sizeof(descriptive) / sizeof(descriptive[0]); i++)
		if (strcmp(name, descriptive[i]) == 0) {
			snprintf(buf, size, "%s", name);
			return;
		}
	if (name[0] == '\'')
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "'%s'", name);
}

static bool sym_is(yysymbol_kind_t sym, const char *name)
{
	return strcmp(yysymbol_name(sym), name) == 0;
}

/* Operators that may follow a complete expression: left out when listing what was expected. */
static bool is_operator(yysymbol_kind_t sym)
{
	static const char *const ops[] = {
		"'+'", "'-'", "'*'", "'/'", "'%'", "'&'", "'|'", "'^'", "'<'", "'>'", "'?'", "'.'", "'['", "'('",
		"<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "->", "++", "--", "..",
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (sym_is(sym, ops[i]))
			return true;
	return false;
}

static char closer_of(char opener)
{
	return opener == '{' ? '}' : opener == '(' ? ')' : opener == '[' ? ']' : '>';
}

static int append_list(char *msg, size_t size, int n, const yysymbol_kind_t *syms, int count)
{
	n += snprintf(msg + n, size - (size_t)n, ", expected ");
	for (int i = 0; i < count && n < (int)size - 64; i++) {
		char e[64];
		symbol_text(syms[i], e, sizeof(e));
		n += snprintf(msg + n, size - (size_t)n, "%s%s", i == 0 ? "" : i == count - 1 ? " or " : ", ", e);
	}
	return n;
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, void *scanner, struct lexer *lx,
				 struct ast_node **result)
{
	(void)scanner;
	(void)result;
	struct diag_sink *d = lx->ctx->diag;
	yysymbol_kind_t tok = yypcontext_token(yyctx);
	struct et_loc loc = to_loc(lx, *yypcontext_location(yyctx));
	if (lx->fatal)
		return 0;
	if (lx->err_any && same_loc(lx->err_last, loc))
		return 0;
	/* what directly follows a lexical error, or an unterminated string, is not worth a message */
	if (loc.line == lx->lex_err_line || (lx->lex_err_line && lx->prev_end.end_line == lx->lex_err_line) ||
	    (tok == YYSYMBOL_YYEOF && lx->unterminated))
		return 0;
	lx->err_any = true;
	lx->err_last = loc;

	yysymbol_kind_t exp[64], structural[64];
	int nexp = yypcontext_expected_tokens(yyctx, exp, 64);
	int nstruct = 0;
	if (nexp < 0)
		nexp = 0;
	bool want_block = false, want_semi = false, want_expr = false, want_brace = false;
	for (int i = 0; i < nexp; i++) {
		if (exp[i] == YYSYMBOL_ANGLE_OPEN)
			want_block = true;
		if (sym_is(exp[i], "';'"))
			want_semi = true;
		if (sym_is(exp[i], "'{'"))
			want_brace = true;
		if (exp[i] == YYSYMBOL_INT)
			want_expr = true;
		if (!is_operator(exp[i]))
			structural[nstruct++] = exp[i];
	}
	char got[64];
	token_text(lx, tok, got, sizeof(got));
	/* the innermost opener still open before the offending token (which may itself be an opener) */
	uint32_t nopen = lx->nopen;
	if (nopen && same_loc(lx->open[nopen - 1].loc, loc))
		nopen--;
	const struct lex_open *o = nopen ? &lx->open[nopen - 1] : NULL;
	char tokc = sym_is(tok, "'}'") ? '}' : sym_is(tok, "')'") ? ')' : sym_is(tok, "']'") ? ']' : 0;

	/* an angle block whose last statement has no ';': the '>' was read as "greater than" */
	if (lx->body == LEX_BODY_ANGLE && lx->have_top_gt && lx->nopen > 0 && lx->open[0].ch == '<' &&
	    (tok == YYSYMBOL_YYEOF || tok == YYSYMBOL_ATTACH || loc.line > lx->top_gt.line || !want_expr)) {
		diag_error(d, lx->top_gt, "the last statement in a '< >' block needs a ';' before the closing '>'");
		diag_hint(d, "write '; >' to end the block; without the ';' this '>' is read as 'greater than'");
		return 0;
	}
	/* a predicate whose closing '/' has no block after it */
	if (lx->body == LEX_BODY_PRED && tok == YYSYMBOL_YYEOF) {
		diag_error(d, loc, "a probe needs a block: add '{ … }' after the predicate");
		return 0;
	}
	/* a probe without a block */
	if (want_block && tok != YYSYMBOL_PRED_START) {
		struct et_loc at = lx->last_attach;
		char first = lx->text[lx->first_attach_off];
		if (first == '@' || first == '$') {
			diag_error(d, lx->first_attach, "a statement outside of any probe");
			diag_hint(d, "statements go inside a probe's block, e.g. BEGIN { @x = 1; }");
			return 0;
		}
		if (tok != YYSYMBOL_YYEOF && tok != YYSYMBOL_ATTACH)
			at = loc;
		diag_error(d, at, "a probe needs a block: add '{ … }' after the attach point");
		if (tok == YYSYMBOL_ATTACH)
			diag_hint(d, "separate several attach points with ',' (found %s instead)", got);
		return 0;
	}
	/* end of input with something still open */
	if (tok == YYSYMBOL_YYEOF && o) {
		lx->ctx->incomplete = true;
		diag_error(d, o->loc, "%s at line %u is never closed", lexer_opener_name(o->ch), o->loc.line);
		if (o->ch == '<')
			diag_hint(d, "end the block with '; >'");
		else
			diag_hint(d, "add the matching '%c'", closer_of(o->ch));
		return 0;
	}
	if (tok == YYSYMBOL_ELSE) {
		diag_error(d, loc, "'else' without a matching 'if'");
		diag_hint(d, "'else' must follow the '}' of an if block");
		return 0;
	}
	if (want_semi && (sym_is(tok, "'='") || (tok >= YYSYMBOL_ADD_ASSIGN && tok <= YYSYMBOL_SHR_ASSIGN))) {
		diag_error(d, loc, "cannot assign to this expression");
		diag_hint(d, "only maps (@m, @m[k]) and variables ($x) can be assigned");
		return 0;
	}
	/* a closer: does it close anything? */
	if (tokc && !lx->close_matched) {
		uint32_t i = nopen;
		while (i > 0 && closer_of(lx->open[i - 1].ch) != tokc)
			i--;
		if (i == 0) {
			diag_error(d, loc, "unexpected %s", got);
			diag_hint(d, "no '%c' is open here: remove it", tokc == '}' ? '{' : tokc == ')' ? '(' : '[');
			return 0;
		}
	}

	/* the message: unexpected X[, expected Y] */
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "unexpected %s", got);
	bool want_closer = false;
	if (o && o->ch != '<' && o->ch != '{' && tokc != closer_of(o->ch)) {
		char closer[4] = { '\'', closer_of(o->ch), '\'', 0 };
		for (int i = 0; i < nexp; i++)
			if (sym_is(exp[i], closer))
				want_closer = true;
	}
	const char *hint = NULL;
	char hintbuf[256];
	bool want_type = false; /* after `let $v:`: the four ways to start a type, and typeof */
	for (int i = 0; i < nexp; i++)
		if (exp[i] == YYSYMBOL_TYPEOF && !want_expr)
			want_type = true;
	if (nexp > 0 && (nexp <= 4 || (want_type && nexp <= 5))) {
		append_list(msg, sizeof(msg), n, exp, nexp);
	} else if (want_closer) {
		snprintf(msg + n, sizeof(msg) - (size_t)n, ", expected '%c'", closer_of(o->ch));
		snprintf(hintbuf, sizeof(hintbuf), "to close %s at line %u", lexer_opener_name(o->ch), o->loc.line);
		hint = hintbuf;
	} else if (want_semi && !sym_is(tok, "';'")) {
		snprintf(msg + n, sizeof(msg) - (size_t)n, ", expected ';'");
		hint = "separate statements with ';'";
		bool line_start = loc.col == 1 || (lx->prev_end.col == 1 && lx->prev_end.line == loc.line);
		if (o && o->ch == '{' && line_start && o->loc.line < loc.line) {
			snprintf(hintbuf, sizeof(hintbuf), "'{' at line %u is still open: is a '}' missing?", o->loc.line);
			hint = hintbuf;
		}
	} else if (want_expr) {
		snprintf(msg + n, sizeof(msg) - (size_t)n, ", expected an expression");
	} else if (nstruct > 0 && nstruct <= 3) {
		append_list(msg, sizeof(msg), n, structural, nstruct);
		if (want_brace)
			hint = "the body of if, while, for and unroll is a block in '{ }'";
	}
	/* `(name)x` where name is no known type: a cast to a typedef etrace has not seen */
	if (lx->recent[2].kind == ')' && lx->recent[1].kind == IDENT && lx->recent[0].kind == '(') {
		snprintf(hintbuf, sizeof(hintbuf),
			 "if '%.*s' is a type, etrace does not know it: write 'struct %.*s', or define it in the script",
			 (int)(lx->recent[1].len > 40 ? 40 : lx->recent[1].len), lx->text + lx->recent[1].off,
			 (int)(lx->recent[1].len > 40 ? 40 : lx->recent[1].len), lx->text + lx->recent[1].off);
		hint = hintbuf;
	}
	if (!hint && strcmp(got, "'#'") == 0)
		hint = "preprocessor lines (#include, #define) must start at the beginning of a line";
	diag_error(d, loc, "%s", msg);
	if (hint)
		diag_hint(d, "%s", hint);
	return 0;
}

static void yyerror(YYLTYPE *loc, void *scanner, struct lexer *lx, struct ast_node **result, const char *msg)
{
	(void)scanner;
	(void)result;
	if (lx->fatal)
		return;
	if (strstr(msg, "exhausted")) {
		diag_error(lx->ctx->diag, to_loc(lx, *loc), "the program is nested too deeply");
		diag_hint(lx->ctx->diag, "split the expression or block into smaller ones");
		lx->fatal = true;
		return;
	}
	diag_error(lx->ctx->diag, to_loc(lx, *loc), "%s", msg);
}

/* ---- depth check: deep unary chains nest without brackets; cap them so passes may recurse ---- */

struct depth_item {
	struct ast_node *n;
	uint32_t depth;
};

struct depth_state {
	struct depth_item *stack;
	size_t count, cap;
	uint32_t depth;
	bool oom;
};

static void depth_push(struct ast_node *child, void *ctx)
{
	struct depth_state *s = ctx;
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct depth_item *p = realloc(s->stack, cap * sizeof(*p));
		if (!p) {
			s->oom = true;
			return;
		}
		s->stack = p;
		s->cap = cap;
	}
	s->stack[s->count].n = child;
	s->stack[s->count].depth = s->depth + 1;
	s->count++;
}

/* The first node (in no particular order) deeper than limit, or NULL. Iterative: no recursion. */
static struct ast_node *too_deep(struct ast_node *root, uint32_t limit)
{
	struct depth_state s = { 0 };
	struct ast_node *bad = NULL;
	s.depth = 0;
	depth_push(root, &s);
	while (s.count && !bad && !s.oom) {
		struct depth_item it = s.stack[--s.count];
		if (it.depth > limit) {
			bad = it.n;
			break;
		}
		s.depth = it.depth;
		ast_children(it.n, depth_push, &s);
	}
	free(s.stack);
	return bad;
}

struct ast_node *parse_program(struct parse_ctx *ctx, uint32_t file)
{
	size_t len;
	const char *text = source_text(ctx->sources, file, &len);
	if (!text) {
		errno = ENOENT;
		return NULL;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		/* the scanner would stop or cut names there; a script is text */
		struct et_loc l = { file, 1, 1, 1, 1 };
		for (const char *p = text; p < nul; p++) {
			l.col++;
			if (*p == '\n') {
				l.line++;
				l.col = 1;
			}
		}
		l.end_line = l.line;
		l.end_col = l.col;
		diag_error(ctx->diag, l, "the script contains a NUL byte");
		diag_hint(ctx->diag, "a script is text; write \\0 inside a string for a zero byte");
		errno = EINVAL;
		return NULL;
	}
	struct lexer lx;
	memset(&lx, 0, sizeof(lx));
	if (ctx->pp) {
		lx.pp = ctx->pp;
		text = pp_file(ctx->pp, file, text, len, &lx.pp_seq);
	}
	lx.ctx = ctx;
	lx.file = file;
	lx.text = text;
	lx.len = len;
	lx.types = typenames_new(ctx->arena);
	void *scanner = NULL;
	if (lexer_open(&lx, &scanner) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	struct ast_node *program = NULL;
	int rc = yyparse(scanner, &lx, &program);
	lexer_close(scanner);
	if (rc != 0 && !diag_has_errors(ctx->diag)) {
		struct et_loc l = { file, 1, 1, 1, 1 };
		diag_error(ctx->diag, l, "the program could not be parsed");
	}
	if (program) {
		/* depth counts AST levels: a probe and its block take 3 */
		struct ast_node *bad = too_deep(program, PARSE_MAX_DEPTH + 3);
		if (bad) {
			diag_error(ctx->diag, bad->loc, "the program is nested too deeply (more than %d levels)",
				   PARSE_MAX_DEPTH);
			diag_hint(ctx->diag, "split the expression or block into smaller ones");
			program = NULL;
		}
	}
	if (!program)
		errno = EINVAL;
	return program;
}
