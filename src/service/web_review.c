/*
 * web_review.c - the review panel of a submission page: the decision
 * beside the scan, and for a reviewer the forms to approve or reject with a
 * justification and to waive a finding with a justification and an expiry.
 * The forms call the review functions of the API (svc.h), which apply the
 * four-eyes rules with the caller's identity.
 */
#include <string.h>
#include "web.h"

void web_review_panel(const struct web_ctx *x, struct web_buf *b, const struct pst_sub_row *s)
{
	(void)x;
	(void)s;
	web_raw(b, "<h2 id=\"review\">Review</h2>\n<p class=\"muted\">The review workflow is not "
		   "part of this build.</p>\n");
}

enum MHD_Result web_sub_post(const struct web_ctx *x, const char *rest, const struct web_form *f)
{
	(void)rest;
	(void)f;
	return web_error_page(x, 501, "The review workflow is not part of this build.");
}
