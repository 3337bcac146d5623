/*
 * scripts.c - what a Perl, Python or Lua program (or a shell script) does,
 * read from its text: scripts on disk, and the sources and code objects
 * embedded in executables (src/unpack/embedded.c). Three behaviours of
 * worm and bot runtimes (issue 14, section 4):
 *
 *   script.competitor-kill     walks /proc/<pid>/exe and kills processes:
 *                              bots clearing a device of rivals
 *   script.hidden-payload-eval a hidden dot-file is read, decrypted and
 *                              handed to eval/exec/load
 *   script.remote-command      a network client that runs commands it is
 *                              given, with a hard-coded endpoint or a
 *                              signature check on what it receives (a
 *                              designed remote control: a signature
 *                              proves who commands, not that nobody can)
 *
 * The reading is lexical: comment lines are skipped, constructs are matched
 * as words. A code object (marshalled Python, precompiled Lua) carries no
 * source: its printable strings (names, constants) are read instead, so
 * calls it makes through names (os.system, kill) are seen, control flow is
 * not (docs/findings/script.md).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include "access.h"
#include "scripts_owned.h"

enum lang { L_SHELL, L_PERL, L_PYTHON, L_LUA, L_CODE, L_PYC };

static bool has_suffix(const char *p, const char *s)
{
	size_t a = strlen(p), b = strlen(s);
	return a >= b && strcmp(p + a - b, s) == 0;
}

/* The language a text file is written in, by its extension; -1 for none. */
static int ext_lang(const char *p)
{
	if (!p)
		return -1;
	if (has_suffix(p, ".pl") || has_suffix(p, ".pm"))
		return L_PERL;
	if (has_suffix(p, ".py"))
		return L_PYTHON;
	if (has_suffix(p, ".lua"))
		return L_LUA;
	if (has_suffix(p, ".pyc"))
		return L_PYC;
	if (has_suffix(p, ".luac"))
		return L_CODE;
	return -1;
}

/* The path inside its container; the target's own name when it is one. */
static const char *node_name(const struct pst_node *n)
{
	return n->path && strcmp(n->path, "/") != 0 ? n->path : n->location;
}

static int node_lang(const struct pst_node *n)
{
	const char *d = n->kind_detail;
	if (d && strstr(d, "python code object"))
		return L_PYC;
	if (d && strstr(d, "code object"))
		return L_CODE;
	if (n->kind == PST_KIND_SCRIPT && d) {
		if (strstr(d, "perl"))
			return L_PERL;
		if (strstr(d, "python"))
			return L_PYTHON;
		if (strstr(d, "lua"))
			return L_LUA;
	}
	if (n->kind == PST_KIND_SCRIPT)
		return ext_lang(node_name(n)) >= 0 ? ext_lang(node_name(n)) : L_SHELL;
	return ext_lang(node_name(n));
}

static bool wants(const void *st, const struct pst_node *n)
{
	(void)st;
	if (n->size == 0)
		return false;
	if (sc_dpkg_md5sums(n->path))
		return true;
	/* a zipapp's code is its members' */
	if (n->format && strcmp(n->format, "zipapp") == 0)
		return false;
	if (n->kind == PST_KIND_SCRIPT)
		return true;
	/* a module holding a PEM key is classified a key; a code object, data */
	return (n->kind == PST_KIND_TEXT || n->kind == PST_KIND_DATA || n->kind == PST_KIND_KEY) &&
	       ext_lang(node_name(n)) >= 0;
}

/* ---- the text read ---- */

/* Occurrences of a triple quote in the line. */
static unsigned triple_quotes(const uint8_t *p, size_t n)
{
	unsigned k = 0;
	size_t i;
	for (i = 0; i + 2 < n; i++)
		if ((p[i] == '"' || p[i] == '\'') && p[i + 1] == p[i] && p[i + 2] == p[i]) {
			k++;
			i += 2;
		}
	return k;
}

/* Documentation, not code: Perl's POD (from a line "=word" to "=cut"),
 * Python's docstrings (between triple quotes; a line holding a whole one
 * is skipped too). *in says whether the previous line left us inside. */
static bool doc_line(const uint8_t *p, size_t n, int lang, bool *in)
{
	if (lang == L_PERL) {
		if (n >= 2 && p[0] == '=' && isalpha(p[1])) {
			*in = !(n >= 4 && memcmp(p, "=cut", 4) == 0);
			return true;
		}
		return *in;
	}
	if (lang == L_PYTHON) {
		unsigned k = triple_quotes(p, n);
		bool was = *in;
		if (k & 1)
			*in = !*in;
		return was || k > 0;
	}
	return false;
}

/* A marshalled string at i (Python/marshal.c's type codes: short ASCII
 * 'z'/'Z' with a 1-byte length, 'a' 'A' 'u' 's' 't' with a 4-byte one);
 * its bytes in *s, *n; the bytes the string takes, 0 if none is there. */
static size_t marshal_string(struct pst_view v, size_t i, const uint8_t **s, size_t *n)
{
	uint8_t t = v.p[i] & 0x7f;
	size_t hdr, k;
	uint32_t len;
	if (t == 'z' || t == 'Z') {
		hdr = 2;
		if (i + 1 >= v.len)
			return 0;
		len = v.p[i + 1];
	} else if (t == 'a' || t == 'A' || t == 'u' || t == 's' || t == 't') {
		hdr = 5;
		if (!pst_view_le32(v, i + 1, &len) || len > 65536)
			return 0;
	} else {
		return 0;
	}
	*s = pst_view_at(v, i + hdr, len);
	if (!*s || len < 2)
		return 0;
	for (k = 0; k < len; k++)
		if (((*s)[k] < 0x20 && (*s)[k] != '\n' && (*s)[k] != '\t') || (*s)[k] >= 0x7f)
			return 0;
	*n = len;
	return hdr + len;
}

/* A marshalled code object's strings (names, constants), one a line. */
static char *marshal_strings(struct pst_view v, char *t)
{
	size_t i = 0, o = 0;
	while (i < v.len) {
		const uint8_t *s;
		size_t n = 0, took = marshal_string(v, i, &s, &n);
		if (!took) {
			i++;
			continue;
		}
		memcpy(t + o, s, n);
		o += n;
		t[o++] = '\n';
		i += took;
	}
	t[o] = 0;
	return t;
}

/* Source lines without comment lines, or a code object's strings of 3+
 * printable characters, one a line; NUL-terminated, malloc()ed. */
static char *read_text(struct pst_view v, int lang)
{
	char *t = pst_malloc(v.len + 2);
	size_t i = 0, o = 0;
	bool doc = false;
	if (!t)
		return NULL;
	if (lang == L_PYC)
		return marshal_strings(v, t);
	if (lang == L_CODE) {
		while (i < v.len) {
			size_t j = i;
			while (j < v.len && v.p[j] >= 0x20 && v.p[j] < 0x7f)
				j++;
			if (j - i >= 3) {
				memcpy(t + o, v.p + i, j - i);
				o += j - i;
				t[o++] = '\n';
			}
			i = j + 1;
		}
		t[o] = 0;
		return t;
	}
	while (i < v.len) {
		size_t j = i, k = i;
		bool skip;
		while (j < v.len && v.p[j] != '\n')
			j++;
		while (k < j && (v.p[k] == ' ' || v.p[k] == '\t'))
			k++;
		skip = doc_line(v.p + k, j - k, lang, &doc) || (k < j && v.p[k] == '#') ||
		       (lang == L_LUA && k + 1 < j && v.p[k] == '-' && v.p[k + 1] == '-');
		if (!skip) {
			for (; k < j; k++)
				t[o++] = v.p[k] ? (char)v.p[k] : ' ';
			t[o++] = '\n';
		}
		i = j + 1;
	}
	t[o] = 0;
	return t;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The first place w occurs as a word (no word character either side; a
 * w ending in a non-word character needs no right edge), or NULL. */
static const char *find_word(const char *t, const char *w)
{
	size_t n = strlen(w);
	const char *p = t;
	while ((p = strstr(p, w))) {
		bool left = p == t || !word_char(p[-1]);
		bool right = !word_char(w[n - 1]) || !word_char(p[n]);
		if (left && right)
			return p;
		p += n;
	}
	return NULL;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A call of fn whose first argument is not a string literal (a variable,
 * an expression: something computed). Returns fn's place or NULL. */
static const char *dynamic_call(const char *t, const char *fn)
{
	const char *p = t;
	while ((p = find_word(p, fn))) {
		const char *a = skip_space(p + strlen(fn));
		if (*a == '(')
			a = skip_space(a + 1);
		else if (*a != '$' && *a != '@' && !isalpha((unsigned char)*a))
			a = NULL; /* not a call: "system:", "exec =>", "eval {" */
		if (a && *a && *a != '"' && *a != '\'' && *a != ')' && *a != '{' && *a != '\n')
			return p;
		p += strlen(fn);
	}
	return NULL;
}

/* The first of ws that find() finds in t (its text in *which), or NULL. */
static const char *first_of(const char *t, const char *const *ws, const char **which,
			    const char *(*find)(const char *, const char *))
{
	size_t i;
	for (i = 0; ws[i]; i++) {
		const char *p = find(t, ws[i]);
		if (p) {
			if (which)
				*which = ws[i];
			return p;
		}
	}
	return NULL;
}

/* Any of the words; any of the functions called with a computed argument. */
static const char *any_word(const char *t, const char *const *ws, const char **which)
{
	return first_of(t, ws, which, find_word);
}

static const char *any_dynamic(const char *t, const char *const *fns, const char **which)
{
	return first_of(t, fns, which, dynamic_call);
}

/* ---- features ---- */

/* /proc/<pid>/exe read: "/proc/$pid/exe", glob("/proc/N/exe"),
 * os.path.join('/proc', pid, 'exe'). */
static bool reads_proc_exe(const char *t)
{
	const char *p = strstr(t, "/proc");
	if (!p)
		return false;
	return strstr(t, "/exe") || strstr(t, "'exe'") || strstr(t, "\"exe\"");
}

/* The processes are walked, not one looked up by name or pid file: a glob
 * or listing of /proc. */
static bool walks_proc(const char *t)
{
	static const char *const walk[] = { "/proc/*", "ls /proc", "listdir", "opendir",
		"readdir", "scandir", "lfs.dir", "glob", "iterdir", NULL };
	return strstr(t, "/proc") && any_word(t, walk, NULL);
}

/* A signal that ends a process (not a reload or probe: HUP, USR1, 0). */
static bool ending_signal(const char *a)
{
	static const char *const soft[] = { "HUP", "USR1", "USR2", "CONT", "STOP", "WINCH",
		"ALRM", NULL };
	char arg[48];
	size_t i, n = strcspn(a, "\n;");
	snprintf(arg, sizeof(arg), "%.*s", (int)(n < 47 ? n : 47), a);
	for (i = 0; soft[i]; i++)
		if (strstr(arg, soft[i]))
			return false;
	return strncmp(arg, "0,", 2) != 0 && strncmp(arg, "-0", 2) != 0 &&
	       strncmp(arg, "(0,", 3) != 0 && !strstr(arg, ", 0)");
}

/* A signal sent: kill 9, $pid / kill('KILL', ...) / os.kill(pid, 9) /
 * posix.kill / kill -9 (a shell's kill is a command, and the same word),
 * with a signal that ends the process. */
static const char *kills(const char *t)
{
	const char *p = t;
	while ((p = find_word(p, "kill"))) {
		const char *a = skip_space(p + 4);
		if ((*a == '(' || *a == '-' || *a == '\'' || *a == '"' || *a == '$' ||
		     isdigit((unsigned char)*a) || strncmp(a, "SIG", 3) == 0 ||
		     strncmp(a, "KILL", 4) == 0 || strncmp(a, "TERM", 4) == 0) && ending_signal(a))
			return p;
		p += 4;
	}
	return NULL;
}

/* A hidden file named in a string: "/.name" or a literal ".name" (not
 * "./", "../" or an extension like ".pm"). Copies the name into out. */
static bool hidden_file(const char *t, char *out, size_t outlen)
{
	const char *p;
	for (p = t; *p; p++) {
		const char *q = NULL;
		size_t n = 0;
		bool lit = false;
		if (p[0] == '/' && p[1] == '.' && isalpha((unsigned char)p[2]) &&
		    (p == t || (p[-1] != '.' && p[-1] != '\\')))
			q = p + 1;
		else if ((p[0] == '"' || p[0] == '\'' || p[0] == '\n') && p[1] == '.' &&
			 isalpha((unsigned char)p[2])) {
			q = p + 1;
			lit = true;
		}
		if (!q)
			continue;
		while (word_char(q[1 + n]) || q[1 + n] == '-')
			n++;
		/* ".pm", ".conf": an extension, not a file; '...'.format(: a
		 * method called on a literal, not a literal ".format" */
		if (n < 5 || q[1 + n] == '.' || q[1 + n] == '(' ||
		    (lit && q[1 + n] != (p[0] == '\n' ? '\n' : p[0])))
			continue;
		snprintf(out, outlen, ".%.*s", (int)n, q + 1);
		return true;
	}
	return false;
}

static const char *const decrypt_words[] = { "decrypt", "Decrypt", "DECRYPT", "decipher",
	"Crypt::CBC", "Crypt::Rijndael", "Crypt::RC4", "Crypt::Blowfish", "AES", "RC4", "xor",
	"Cipher", "unxor", "crypt_decode", NULL };
/* Code run from a computed value. */
static const char *const eval_fns[] = { "eval", "exec", "loadstring", "dofile",
	"marshal.loads", NULL };
/* Lua's load(chunk) and Perl's do $file also run code; elsewhere the words
 * mean other things (json.load, a shell's do). */
static const char *const eval_lua[] = { "load", NULL };
static const char *const eval_perl[] = { "do", NULL };
/* Commands run from a computed value. */
static const char *const run_fns[] = { "system", "exec", "qx", "popen", "os.system",
	"os.popen", "os.execute", "io.popen", "subprocess.call", "subprocess.run",
	"subprocess.Popen", "subprocess.check_output", "check_output", "pty.spawn", NULL };
/* A network client or server. */
static const char *const net_words[] = { "IO::Socket", "IO::Socket::INET", "use Socket",
	"socket.socket", "create_connection", "socket.tcp", "socket.connect", "LWP::UserAgent",
	"HTTP::Tiny", "urllib.request", "urlopen", "requests.get", "requests.post",
	"Net::HTTP", "/dev/tcp/", NULL };
/* Received data. */
static const char *const recv_words[] = { "recv", "sysread", "getline", "readline",
	"receive", "->content", ".read", "<$sock>", "<$s>", "<$c2>", "<$conn>", NULL };
/* Checks that a message was signed. */
static const char *const sig_words[] = { "ECDSA", "ecdsa", "Crypt::PK::ECC", "Crypt::PK::RSA",
	"verify_message", "verify_hash", "ed25519", "Ed25519", "VerifyingKey", NULL };

/* A hard-coded IPv4 address (not loopback); copied into out. */
static bool endpoint(const char *t, char *out, size_t outlen)
{
	const char *p;
	for (p = t; *p; p++) {
		unsigned a, b, c, d;
		int n = 0;
		if (!isdigit((unsigned char)*p) || (p > t && (isalnum((unsigned char)p[-1]) ||
							      p[-1] == '.')))
			continue;
		if (sscanf(p, "%3u.%3u.%3u.%3u%n", &a, &b, &c, &d, &n) == 4 && n >= 7 &&
		    a <= 255 && b <= 255 && c <= 255 && d <= 255 && a != 0 && a != 127 &&
		    !(a == 255 && b == 255)) {
			snprintf(out, outlen, "%u.%u.%u.%u", a, b, c, d);
			return true;
		}
	}
	return false;
}

/* ---- rules ---- */

/* Every script rule is high; one on a file under a test directory is held
 * back until the package database is read (scripts_owned.c). */
static void emit(const struct pst_file *f, const char *rule, const char *ev,
		 const char *fmt, ...) PST_PRINTF(4, 5);
static void emit_terms(const struct pst_file *f, const char *rule, const char *terms,
		       const char *ev, const char *msg)
{
	if (sc_test_path(f->node->path))
		sc_defer(f, rule, terms, ev, msg);
	else
		pst_finding_add(f->scan, f->node, rule, PST_SEV_HIGH, "capability", 0, ev, "%s",
				msg);
}

static void emit(const struct pst_file *f, const char *rule, const char *ev,
		 const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit_terms(f, rule, "", ev, msg);
}

static void competitor_kill(const struct pst_file *f, const char *t)
{
	const char *k = kills(t);
	if (!k || !reads_proc_exe(t) || !walks_proc(t))
		return;
	emit(f, "script.competitor-kill",
	     strstr(t, "(deleted)") ? "/proc/<pid>/exe, \"(deleted)\", kill" :
				      "/proc/<pid>/exe, kill",
	     "walks /proc/<pid>/exe and kills the processes it picks (as bots do to "
	     "rivals on a device they took)");
}

static void hidden_payload(const struct pst_file *f, const char *t, int lang)
{
	char name[64], ev[200];
	const char *fn = NULL, *dw = NULL;
	bool ev_ = any_dynamic(t, eval_fns, &fn) ||
		   (lang == L_LUA && any_dynamic(t, eval_lua, &fn)) ||
		   (lang == L_PERL && any_dynamic(t, eval_perl, &fn));
	if (!ev_ || !any_word(t, decrypt_words, &dw) ||
	    !hidden_file(t, name, sizeof(name)))
		return;
	snprintf(ev, sizeof(ev), "hidden file %s, %s, %s of the result", name, dw, fn);
	emit(f, "script.hidden-payload-eval", ev,
	     "reads a hidden file, decrypts it and runs what it holds as code: a payload "
	     "kept out of sight of a reader of the script");
}

/* Lines before a command is run within which what it runs was received. */
#define RECV_LINES 12

/* A receive among the RECV_LINES lines before at; its word in *which. */
static bool received_before(const char *t, const char *at, const char **which)
{
	const char *b = at;
	unsigned nl = 0;
	char *w;
	bool r;
	while (b > t && nl <= RECV_LINES)
		if (*--b == '\n')
			nl++;
	w = pst_strndup(b, (size_t)(at - b));
	if (!w)
		return false;
	r = any_word(w, recv_words, which) != NULL;
	free(w);
	return r;
}

/* A command run from a computed value shortly after something was
 * received; the run's name in *run, the receive's in *rcv. */
static bool runs_received(const char *t, const char **run, const char **rcv)
{
	size_t i;
	for (i = 0; run_fns[i]; i++) {
		const char *p = t;
		while ((p = dynamic_call(p, run_fns[i]))) {
			if (received_before(t, p, rcv)) {
				*run = run_fns[i];
				return true;
			}
			p += strlen(run_fns[i]);
		}
	}
	for (const char *p = t; (p = strstr(p, "`$")); p += 2)
		if (received_before(t, p, rcv)) {
			*run = "backticks";
			return true;
		}
	return false;
}

static void remote_command(const struct pst_file *f, const char *t)
{
	char ep[64], ev[200];
	const char *net = NULL, *rcv = NULL, *run = NULL, *sig = NULL;
	bool hard;
	if (!any_word(t, net_words, &net) || !runs_received(t, &run, &rcv))
		return;
	hard = endpoint(t, ep, sizeof(ep));
	any_word(t, sig_words, &sig);
	if (!hard && !sig)
		return; /* a network tool that runs computed commands: too common to tell */
	snprintf(ev, sizeof(ev), "%s, %s, then %s(computed)%s%s%s%s", net, rcv, run,
		 hard ? ", endpoint " : "", hard ? ep : "", sig ? ", signature check " : "",
		 sig ? sig : "");
	emit(f, "script.remote-command", ev, "runs commands received over the network from %s%s",
	     hard ? "a hard-coded endpoint" : "a peer",
	     sig ? " once their signature verifies: a remote control built in, whoever "
		   "holds the key" : "");
}

/* ---- code objects: names and constants, no call syntax ---- */

/* An IPv4 address that is a constant of its own (a line of the strings),
 * not one quoted in a docstring. */
static bool endpoint_constant(const char *t, char *out, size_t outlen)
{
	const char *line = t;
	while (*line) {
		size_t n = strcspn(line, "\n");
		char one[32];
		if (n >= 7 && n < sizeof(one)) {
			memcpy(one, line, n);
			one[n] = 0;
			if (strspn(one, "0123456789.:") == n && endpoint(one, out, outlen))
				return true;
		}
		line += n + (line[n] ? 1 : 0);
	}
	return false;
}

static const char *const code_eval[] = { "exec", "eval", "loads", "loadstring", "load", NULL };
static const char *const code_run[] = { "system", "popen", "check_output", "Popen",
	"getoutput", "getstatusoutput", "execute", "spawn", "execv", "execvp", NULL };
static const char *const code_net[] = { "socket", "create_connection", "urlopen", "tcp", NULL };
static const char *const code_recv[] = { "recv", "recvfrom", "recv_into", "receive",
	"makefile", "urlopen", NULL };

/* The same three behaviours from a code object's strings: each needs its
 * names together (the order of the calls is not known). */
static void code_rules(const struct pst_file *f, const char *t)
{
	char name[64], ep[64], ev[200], terms[240];
	const char *fn = NULL, *dw = NULL, *run = NULL, *net = NULL, *rcv = NULL, *sig = NULL;
	bool hard;
	if (find_word(t, "kill") && walks_proc(t) && (strstr(t, "/exe") || find_word(t, "exe")))
		emit_terms(f, "script.competitor-kill", "kill exe", "names /proc, exe and kill",
			   "code object that walks /proc/<pid>/exe and kills processes (as "
			   "bots do to rivals on a device they took)");
	if (any_word(t, code_eval, &fn) && any_word(t, decrypt_words, &dw) &&
	    hidden_file(t, name, sizeof(name))) {
		snprintf(ev, sizeof(ev), "hidden file %s, %s, %s", name, dw, fn);
		snprintf(terms, sizeof(terms), "%s %s %s", name, dw, fn);
		emit_terms(f, "script.hidden-payload-eval", terms, ev,
			   "code object that reads a hidden file, decrypts it and runs it as "
			   "code");
	}
	if (!any_word(t, code_net, &net) || !any_word(t, code_recv, &rcv) ||
	    !any_word(t, code_run, &run))
		return;
	hard = endpoint_constant(t, ep, sizeof(ep));
	any_word(t, sig_words, &sig);
	if (!hard && !sig)
		return;
	snprintf(ev, sizeof(ev), "names %s, %s, %s%s%s%s%s", net, rcv, run,
		 hard ? ", endpoint " : "", hard ? ep : "", sig ? ", signature check " : "",
		 sig ? sig : "");
	snprintf(terms, sizeof(terms), "%s %s %s %s %s", net, rcv, run, hard ? ep : "",
		 sig ? sig : "");
	emit_terms(f, "script.remote-command", terms, ev,
		   sig ? "code object that receives over the network and runs commands, "
			 "checking a signature on them: a remote control built in" :
			 "code object that receives over the network and runs commands");
}

/* Appends w to the space-separated list in out (len bytes) once. */
static void add_name(char *out, size_t len, const char *w)
{
	size_t o = strlen(out), n = strlen(w);
	const char *p = out;
	while ((p = strstr(p, w))) {
		if ((p == out || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
			return;
		p += n;
	}
	if (o + n + 2 < len)
		snprintf(out + o, len - o, "%s%s", o ? " " : "", w);
}

/* Attributes and dotted names of 5+ characters (".index"): a code object's
 * strings carry them bare, where the hidden-file reading can take one for
 * a dot-file name. */
static void add_dotted(char *out, size_t len, const char *t)
{
	const char *p;
	for (p = strchr(t, '.'); p; p = strchr(p + 1, '.')) {
		char one[64];
		size_t n = 0;
		while (n < sizeof(one) - 2 && word_char(p[1 + n]))
			n++;
		if (n >= 5 && isalpha((unsigned char)p[1])) {
			snprintf(one, sizeof(one), ".%.*s", (int)n, p + 1);
			add_name(out, len, one);
		}
	}
}

/* What a test source names that the code-object rules read: their words,
 * its IPv4 addresses and hidden file names. A .pyc beside it is lowered
 * only when everything its finding rests on is among these
 * (scripts_owned.c): a code object may not say more than its source. */
#define PST_NAMES_LEN 16384 /* a list cut short lowers less, never more */
static void source_names(const struct pst_file *f, const char *t)
{
	static const char *const *const vocab[] = { code_eval, code_run, code_net, code_recv,
		decrypt_words, sig_words };
	char *out = pst_malloc(PST_NAMES_LEN), one[64];
	const char *p;
	size_t i, j;
	if (!out)
		return;
	out[0] = 0;
	for (i = 0; i < sizeof(vocab) / sizeof(vocab[0]); i++)
		for (j = 0; vocab[i][j]; j++)
			if (find_word(t, vocab[i][j]))
				add_name(out, PST_NAMES_LEN, vocab[i][j]);
	if (find_word(t, "kill") && find_word(t, "exe"))
		add_name(out, PST_NAMES_LEN, "kill exe");
	for (p = t; endpoint(p, one, sizeof(one)) && (p = strstr(p, one)); p += strlen(one))
		add_name(out, PST_NAMES_LEN, one);
	for (p = t; hidden_file(p, one, sizeof(one)) && (p = strstr(p, one)); p += strlen(one))
		add_name(out, PST_NAMES_LEN, one);
	add_dotted(out, PST_NAMES_LEN, t);
	pst_fact_add(f->scan, f->node, "script.names", out);
	free(out);
}

static enum pst_err analyze(const void *st, const struct pst_file *f)
{
	int lang = node_lang(f->node);
	char *t;
	(void)st;
	if (sc_dpkg_md5sums(f->node->path)) {
		sc_record_md5sums(f);
		return PST_OK;
	}
	if (lang < 0)
		return PST_OK;
	/* wanted whatever its size, so that one too big to read is reported */
	if (f->data.len > PST_CAP_SCRIPT_BYTES) {
		pst_cap_hit(f->scan, f->node, "PST_CAP_SCRIPT_BYTES",
			    "script of %zu bytes not read by the script analyzer (at most %u)",
			    f->data.len, PST_CAP_SCRIPT_BYTES);
		return PST_OK;
	}
	if (sc_test_path(f->node->path))
		sc_record_file(f);
	t = read_text(f->data, lang);
	if (!t)
		return PST_ENOMEM;
	if (lang == L_PYTHON && sc_test_path(f->node->path))
		source_names(f, t);
	if (lang == L_CODE || lang == L_PYC) {
		code_rules(f, t);
	} else {
		competitor_kill(f, t);
		hidden_payload(f, t, lang);
		remote_command(f, t);
	}
	free(t);
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_scripts = {
	.name = "scripts",
	.wants = wants,
	.analyze = analyze,
	.finish = sc_finish,
};
