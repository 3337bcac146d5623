/*
 * html.c - one self-contained HTML file (no network, no external assets):
 * the JSON report with its inventory is embedded as data, and a small script
 * draws the verdict banner, coverage, the applied waivers, charts (findings by
 * severity and category, file kinds) as inline SVG, a findings table (worst
 * first, then by location, as the text report) that filters by severity,
 * category and text with the evidence of each finding, the verdict's reasons
 * in the banner,
 * and a browsable file tree. Tested in headless Chromium
 * (tests/e2e/report_html.sh).
 */
#include <string.h>
#include "report/report.h"

const char pst_html_style[] =
	"<style>\n"
	":root{--pass:#1a7f37;--review:#9a6700;--fail:#cf222e;--line:#d0d7de;--mute:#57606a}\n"
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2328;background:#f6f8fa}\n"
	"main{max-width:1200px;margin:0 auto;padding:16px}\n"
	"#banner{color:#fff;padding:18px 24px;border-radius:8px;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}\n"
	"#banner.pass{background:var(--pass)}#banner.review{background:var(--review)}#banner.fail{background:var(--fail)}\n"
	"#verdict{font-size:28px;font-weight:700;text-transform:uppercase;letter-spacing:.05em}\n"
	"#reasons{flex-basis:100%;font-size:13px}#reasons ul{margin:4px 0 0;padding-left:20px}#reasons b{text-transform:uppercase}\n"
	"#banner .meta{opacity:.9;font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}\n"
	"section{background:#fff;border:1px solid var(--line);border-radius:8px;margin:16px 0;padding:12px 16px}\n"
	"h2{font-size:16px;margin:0 0 8px}\n"
	".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px}\n"
	".stat{border:1px solid var(--line);border-radius:6px;padding:6px 10px}.stat b{display:block;font-size:20px}\n"
	".stat.bad b{color:var(--fail)}\n"
	".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}\n"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}\n"
	"td.loc,td.ev,.mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}\n"
	".sev{font-weight:600;border-radius:10px;padding:1px 8px;color:#fff;font-size:12px}\n"
	".sev-critical{background:#82071e}.sev-high{background:#cf222e}.sev-medium{background:#bc4c00}.sev-low{background:#0969da}.sev-info{background:#6e7781}\n"
	".waived{opacity:.6}.tag{font-size:11px;border:1px solid var(--line);border-radius:8px;padding:0 6px;margin-left:4px}\n"
	".filters{display:flex;gap:8px;margin-bottom:8px;flex-wrap:wrap}.filters input{flex:1;min-width:200px}\n"
	"input,select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:6px}\n"
	"details{margin-left:14px}summary{cursor:pointer}.file{margin-left:28px}.hit{color:var(--fail);font-weight:600}\n"
	".muted{color:var(--mute)}\n"
	"</style>\n";

static const char script[] =
	"<script>\n"
	"'use strict';\n"
	"const D=JSON.parse(document.getElementById('data').textContent);\n"
	"const SEV=['critical','high','medium','low','info'];\n"
	"const SEVC={critical:'#82071e',high:'#cf222e',medium:'#bc4c00',low:'#0969da',info:'#6e7781'};\n"
	"const $=(id)=>document.getElementById(id);\n"
	"function el(tag,attrs,...kids){const e=document.createElement(tag);for(const k in (attrs||{})){"
	"if(k==='class')e.className=attrs[k];else if(k==='text')e.textContent=attrs[k];else e.setAttribute(k,attrs[k]);}"
	"for(const c of kids){if(c!=null)e.append(c);}return e;}\n"
	"function human(b){if(b>=1e9)return (b/1e9).toFixed(1)+' GB';if(b>=1e6)return (b/1e6).toFixed(1)+' MB';"
	"if(b>=1e3)return (b/1e3).toFixed(1)+' kB';return b+' B';}\n"
	"function svgBars(id,title,pairs,colorOf){const W=460,row=22,pad=150,H=Math.max(1,pairs.length)*row+30;"
	"const max=Math.max(1,...pairs.map(p=>p[1]));const ns='http://www.w3.org/2000/svg';"
	"const svg=document.createElementNS(ns,'svg');svg.setAttribute('viewBox','0 0 '+W+' '+H);"
	"svg.setAttribute('width','100%');svg.setAttribute('role','img');svg.setAttribute('aria-label',title);"
	"const t=document.createElementNS(ns,'text');t.setAttribute('x',0);t.setAttribute('y',14);"
	"t.setAttribute('font-weight','600');t.textContent=title;svg.append(t);"
	"if(!pairs.length){const n=document.createElementNS(ns,'text');n.setAttribute('x',0);n.setAttribute('y',40);"
	"n.textContent='none';svg.append(n);}"
	"pairs.forEach((p,i)=>{const y=24+i*row;const l=document.createElementNS(ns,'text');l.setAttribute('x',0);"
	"l.setAttribute('y',y+14);l.setAttribute('font-size','12');l.textContent=p[0];svg.append(l);"
	"const r=document.createElementNS(ns,'rect');r.setAttribute('x',pad);r.setAttribute('y',y+2);"
	"r.setAttribute('height',row-6);r.setAttribute('width',Math.max(2,(W-pad-50)*p[1]/max));"
	"r.setAttribute('fill',colorOf(p[0]));r.setAttribute('class','bar');r.setAttribute('data-label',p[0]);"
	"r.setAttribute('data-value',p[1]);svg.append(r);"
	"const v=document.createElementNS(ns,'text');v.setAttribute('x',pad+4+(W-pad-50)*p[1]/max);"
	"v.setAttribute('y',y+14);v.setAttribute('font-size','12');v.textContent=p[1];svg.append(v);});"
	"$(id).append(svg);}\n"
	"function count(list,key){const m=new Map();for(const x of list){m.set(key(x),(m.get(key(x))||0)+1);}return m;}\n"
	/* banner, coverage, waivers */
	"$('banner').className=D.verdict;$('verdict').textContent=D.verdict;\n"
	"$('target').textContent=D.target.name+' \\u00b7 '+human(D.target.size)+(D.target.sha256?' \\u00b7 sha256 '+D.target.sha256:'')"
	"+(D.target.root?' \\u00b7 judged as root '+D.target.root+' ('+D.target.root_from+')':'');\n"
	"$('policy').textContent='policy '+D.policy.name+' \\u00b7 postern '+D.tool.version;\n"
	"const C=D.coverage;for(const [k,label,bad] of [['files','files'],['containers','containers'],['bytes_unpacked','unpacked'],"
	"['incomplete','incomplete',1],['encrypted','encrypted',1],['limits_hit','limits hit',1],['unexplained_bytes','unexplained bytes',1],['unidentified','unidentified',1],['partial','partly analysed',1]]){"
	"const v=k==='bytes_unpacked'?human(C[k]):C[k];$('coverage').append(el('div',{class:'stat'+(bad&&C[k]?' bad':'')},el('b',{text:String(v)}),label));}\n"
	"if(D.policy.waivers.length){for(const w of D.policy.waivers){$('waivers').append(el('li',{},el('span',{class:'mono',text:w.rule+' at '+w.location}),"
	"' until '+w.expires+' ('+w.matched+' finding'+(w.matched===1?'':'s')+'): '+w.justification));}}"
	"else{$('waivers').append(el('li',{class:'muted',text:'none applied'}));}\n"
	/* charts */
	/* Worst first and unwaived before waived, as the text report; Array.sort
	 * is stable, so the JSON's order (location, offset, rule) breaks ties. */
	"const RANK={critical:0,high:1,medium:2,low:3,info:4};\n"
	"const F=[...D.findings].sort((a,b)=>(!!a.waiver-!!b.waiver)||RANK[a.severity]-RANK[b.severity]);const live=F.filter(f=>!f.waiver);\n"
	/* The verdict's reasons, read as src/policy/verdict.c decides: the
	 * unwaived findings at or above the threshold the verdict came from, and
	 * the coverage gap when the policy's coverage rule set the verdict. */
	"const atOrAbove=(f,t)=>t!=='none'&&RANK[f.severity]<=RANK[t];\n"
	"const gapRules=['coverage.unexplained','coverage.unidentified'];\n"
	"const gap=C.incomplete||C.limits_hit||C.encrypted||((C.unexplained_bytes||C.unidentified)&&live.some(f=>gapRules.includes(f.rule)))"
	"||(C.partial&&live.some(f=>f.rule==='analyze.partial'||f.rule==='analyze.budget'));\n"
	"function reasons(){const v=D.verdict,P=D.policy,ul=$('reasons-list');"
	"if(v==='pass'){$('reasons-head').textContent='pass: no unwaived finding at or above '+(P.review==='none'?'any threshold':P.review)+' and no coverage gap';return;}"
	"const why=live.filter(f=>atOrAbove(f,v==='fail'?P.fail:P.review));"
	"$('reasons-head').textContent=v+' because of '+why.length+' finding'+(why.length===1?'':'s')+' at or above '+(v==='fail'?P.fail:P.review)"
	"+(gap&&P.coverage===v?' and a coverage gap':'')+':';"
	"for(const f of why.slice(0,5))ul.append(el('li',{class:'mono'},el('b',{text:f.severity}),' '+f.rule+' at '+f.location));"
	"if(why.length>5)ul.append(el('li',{text:'and '+(why.length-5)+' more (below)'}));"
	"if(gap&&P.coverage===v){const parts=[['incomplete','incomplete'],['limits_hit','limits hit'],['encrypted','encrypted'],"
	"['unexplained_bytes','unexplained bytes'],['unidentified','unidentified'],['partial','partly analysed']].filter(p=>C[p[0]]).map(p=>C[p[0]]+' '+p[1]);"
	"ul.append(el('li',{class:'coverage-gap',text:'coverage gap: '+parts.join(', ')+' (policy coverage: '+P.coverage+')'}));}}\n"
	"reasons();\n"
	"const bySev=count(live,f=>f.severity);svgBars('chart-severity','Findings by severity',SEV.filter(s=>bySev.get(s)).map(s=>[s,bySev.get(s)]),s=>SEVC[s]);\n"
	"const byCat=count(live,f=>f.category);svgBars('chart-category','Findings by category',[...byCat].sort((a,b)=>b[1]-a[1]||a[0].localeCompare(b[0])),()=>'#8250df');\n"
	"svgBars('chart-kinds','Files by kind',Object.entries(C.kinds).sort((a,b)=>b[1]-a[1]),()=>'#0969da');\n"
	/* findings table */
	"const tbody=$('findings').querySelector('tbody');const cats=[...new Set(F.map(f=>f.category))].sort();\n"
	"for(const c of cats)$('filter-category').append(el('option',{value:c,text:c}));\n"
	"F.forEach((f,i)=>{const ev=el('td',{class:'ev'});if(f.evidence)ev.append(el('div',{text:f.evidence}));"
	"if(f.waiver)ev.append(el('div',{class:'muted',text:'waived until '+f.waiver.expires+': '+f.waiver.justification}));"
	"const tr=el('tr',{'data-severity':f.severity,'data-category':f.category,class:f.waiver?'waived':''},"
	"el('td',{},el('span',{class:'sev sev-'+f.severity,text:f.severity}),f.waiver?el('span',{class:'tag',text:'waived'}):null),"
	"el('td',{class:'mono',text:f.rule}),el('td',{text:f.category}),el('td',{class:'loc',text:f.location+(f.offset?' +0x'+f.offset.toString(16):'')}),"
	"el('td',{text:f.message}),ev);tr.dataset.text=(f.rule+' '+f.category+' '+f.location+' '+f.message+' '+(f.evidence||'')).toLowerCase();tbody.append(tr);});\n"
	"function applyFilter(){const s=$('filter-severity').value,c=$('filter-category').value,q=$('filter-text').value.trim().toLowerCase();"
	"let n=0;for(const tr of tbody.rows){const ok=(!s||tr.dataset.severity===s)&&(!c||tr.dataset.category===c)&&(!q||tr.dataset.text.includes(q));"
	"tr.style.display=ok?'':'none';if(ok)n++;}$('shown-count').textContent=n+' of '+F.length+' findings shown';}\n"
	"for(const id of ['filter-severity','filter-category'])$(id).addEventListener('change',applyFilter);\n"
	"$('filter-text').addEventListener('input',applyFilter);applyFilter();\n"
	/* file tree */
	"const hits=count(F,f=>f.location);const root={kids:new Map()};\n"
	"for(const n of (D.inventory||[])){const parts=n.location.split('!');let cur=root;"
	"parts.forEach((p,i)=>{const segs=p.startsWith('/')?p.split('/').filter(Boolean).map(x=>'/'+x):[p+'!'];"
	"for(const s of segs){if(!cur.kids.has(s))cur.kids.set(s,{kids:new Map()});cur=cur.kids.get(s);}});cur.node=n;}\n"
	"function hitsUnder(t){let h=t.node?(hits.get(t.node.location)||0):0;for(const k of t.kids.values())h+=hitsUnder(k);t.hits=h;return h;}\n"
	"hitsUnder(root);\n"
	"function label(name,t){const s=el('span',{},el('span',{class:'mono',text:name}));if(t.node){s.append(' ',el('span',{class:'muted',"
	"text:t.node.kind+(t.node.detail?' ('+t.node.detail+')':'')+(t.node.size!=null?' \\u00b7 '+human(t.node.size):'')+(t.node.sha256?' \\u00b7 '+t.node.sha256.slice(0,12):'')}));}"
	"if(t.hits)s.append(' ',el('span',{class:'hit',text:t.hits+' finding'+(t.hits===1?'':'s')}));return s;}\n"
	"function draw(parent,t,depth){for(const [name,k] of [...t.kids].sort((a,b)=>a[0].localeCompare(b[0]))){"
	"if(k.kids.size){const d=el('details',{},el('summary',{},label(name,k)));if(depth<2||k.hits)d.open=true;draw(d,k,depth+1);parent.append(d);}"
	"else parent.append(el('div',{class:'file'},label(name,k)));}}\n"
	"if(D.inventory)draw($('tree'),root,0);else $('tree').append(el('p',{class:'muted',text:'no inventory'}));\n"
	"document.body.dataset.ready='1';\n"
	"</script>\n";

/* Appends text with the five HTML specials escaped. */
static void html_text(struct pst_str *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': pst_str_puts(o, "&lt;"); break;
		case '>': pst_str_puts(o, "&gt;"); break;
		case '&': pst_str_puts(o, "&amp;"); break;
		case '"': pst_str_puts(o, "&quot;"); break;
		case '\'': pst_str_puts(o, "&#39;"); break;
		default: pst_str_putc(o, *s);
		}
	}
}

/* JSON inside <script>: "<" only occurs in strings, where \u003c means the
 * same, so no "</script>" or "<!--" in the data can end the element. */
static void embed_json(struct pst_str *o, const struct pst_str *json)
{
	size_t i, start = 0;
	for (i = 0; i < json->len; i++) {
		if (json->p[i] == '<') {
			pst_str_add(o, json->p + start, i - start);
			pst_str_puts(o, "\\u003c");
			start = i + 1;
		}
	}
	pst_str_add(o, json->p + start, json->len - start);
}

enum pst_err pst_write_html(const struct pst_scan *s, const struct pst_report_opts *ro,
			    struct pst_str *o)
{
	struct pst_report_opts jo = { .inventory = true, .no_run = ro ? ro->no_run : false };
	struct pst_str json;
	enum pst_err e;

	pst_str_init(&json, (size_t)1 << 33);
	e = pst_write_json(s, &jo, &json);
	if (e == PST_OK && json.err)
		e = PST_ENOMEM;
	if (e) {
		pst_str_free(&json);
		return e;
	}
	pst_str_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			"style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
			"<title>postern: ");
	html_text(o, pst_verdict_str(s->verdict));
	pst_str_puts(o, " \xe2\x80\x94 ");
	html_text(o, s->root->seg);
	pst_str_puts(o, "</title>\n");
	pst_str_puts(o, pst_html_style);
	pst_str_puts(o, "</head><body><main>\n"
			"<div id=\"banner\"><span id=\"verdict\"></span><span id=\"target\" class=\"meta\"></span>"
			"<span id=\"policy\" class=\"meta\"></span>"
			"<div id=\"reasons\"><span id=\"reasons-head\"></span><ul id=\"reasons-list\"></ul></div></div>\n"
			"<section><h2>Coverage</h2><div id=\"coverage\" class=\"grid\"></div></section>\n"
			"<section><h2>Waivers applied</h2><ul id=\"waivers\"></ul></section>\n"
			"<section><h2>Charts</h2><div class=\"charts\"><div id=\"chart-severity\"></div>"
			"<div id=\"chart-category\"></div><div id=\"chart-kinds\"></div></div></section>\n"
			"<section><h2>Findings</h2><div class=\"filters\">"
			"<select id=\"filter-severity\" aria-label=\"severity\"><option value=\"\">all severities</option>"
			"<option>critical</option><option>high</option><option>medium</option><option>low</option>"
			"<option>info</option></select>"
			"<select id=\"filter-category\" aria-label=\"category\"><option value=\"\">all categories</option></select>"
			"<input id=\"filter-text\" type=\"search\" placeholder=\"filter by rule, location, message, evidence\">"
			"<span id=\"shown-count\" class=\"muted\"></span></div>\n"
			"<table id=\"findings\"><thead><tr><th>severity</th><th>rule</th><th>category</th>"
			"<th>location</th><th>message</th><th>evidence</th></tr></thead><tbody></tbody></table></section>\n"
			"<section><h2>Files</h2><div id=\"tree\"></div></section>\n"
			"</main>\n<script type=\"application/json\" id=\"data\">");
	embed_json(o, &json);
	pst_str_free(&json);
	pst_str_puts(o, "</script>\n");
	pst_str_puts(o, script);
	pst_str_puts(o, "</body></html>\n");
	return o->err ? PST_ENOMEM : PST_OK;
}
