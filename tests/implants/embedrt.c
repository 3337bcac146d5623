/* embedrt.c - the layout of a program that bundles an interpreter with the
 * scripts it runs (issue 14 §4 shape 4: a worm's static i386 Perl runtime).
 * A real static Perl takes long to build, so this imitates its layout
 * honestly: the script sources are NUL-terminated strings in .rodata (the
 * header made by tests/tools/embed_scripts.py) and the interpreter is
 * represented by the strings a stripped static perl (or Lua) keeps: API and
 * variable names in its messages. It interprets nothing and is never run.
 * -DLUA: a Lua host's strings instead of Perl's. */
#include <stdio.h>
#include <string.h>
#include "embedded.h"

#ifdef LUA
static const char *const runtime[] = { "lua_pcall", "luaL_loadbuffer", "LUA_PATH", "_LOADED",
	"stack traceback:", "luaopen_base", 0 };
#else
static const char *const runtime[] = { "perl_parse", "perl_construct", "Perl_newXS",
	"PerlIO::Layer", "XS_VERSION", "Can't locate %s in @INC", 0 };
#endif

int main(int argc, char **argv)
{
	size_t i, total = 0;
	for (i = 0; runtime[i]; i++)
		total += strlen(runtime[i]);
	for (i = 0; embedded_sources[i]; i++) {
		if (argc > 1 && strcmp(argv[1], embedded_names[i]) == 0)
			fputs(embedded_sources[i], stdout);
		total += strlen(embedded_sources[i]);
	}
	printf("%zu\n", total);
	return 0;
}
