"""``/api/v1/docs``: a self-contained, browsable page rendered from the OpenAPI document.

No Swagger UI or ReDoc bundle: the machine serving it may have no internet,
and the spec itself (``/api/v1/openapi.json``) is what tools consume.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template_string

bp = Blueprint("docs", __name__, url_prefix="/api/v1")

# A separate stylesheet, not an inline <style>: the Content-Security-Policy allows no inline style.
STYLE = """body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222 }
.op { border: 1px solid #ddd; border-radius: 6px; margin: .6rem 0; padding: .2rem .8rem }
.op summary { cursor: pointer; padding: .4rem 0 }
.m { display: inline-block; width: 4.5rem; font-weight: 700; font-family: monospace }
.get { color: #1565c0 } .post { color: #2e7d32 } .patch { color: #ef6c00 }
code, pre { background: #f5f5f5; border-radius: 4px; padding: .1rem .3rem }
pre { padding: .6rem; overflow-x: auto } table { border-collapse: collapse }
td, th { text-align: left; padding: .2rem .8rem .2rem 0; vertical-align: top }
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ info.title }} API</title>
<link rel="stylesheet" href="docs.css"></head><body>
<h1>{{ info.title }} API <small>v{{ info.version }}</small></h1>
<p>{{ info.description }} Machine-readable: <a href="openapi.json">openapi.json</a>.</p>
{% for path, item in paths %}{% for method, op in item.items() if method != "parameters" %}
<details class="op"><summary><span class="m {{ method }}">{{ method.upper() }}</span>
<code>{{ path }}</code> {{ op.summary or "" }}</summary>
{% if op.description %}<p>{{ op.description }}</p>{% endif %}
{% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>schema</th></tr>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code>{% if p.required %} *{% endif %}
</td><td>{{ p["in"] }}</td><td><code>{{ p.schema | tojson }}</code></td></tr>{% endfor %}
</table>{% endif %}
{% if op.requestBody %}<p>Body: <code>{{ op.requestBody.content["application/json"].schema
  | tojson }}</code></p>{% endif %}
<p>Responses: {% for code, r in op.responses.items() %}<code>{{ code }}</code>
{{ r.description or r["$ref"] or "" }}{% if not loop.last %}, {% endif %}{% endfor %}</p>
</details>{% endfor %}{% endfor %}
<h2>Schemas</h2>
{% for name, schema in schemas %}<details class="op"><summary><code>{{ name }}</code>
</summary><pre>{{ schema }}</pre></details>{% endfor %}
</body></html>
"""


@bp.route("/docs")
def docs():
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    schemas = spec.get("components", {}).get("schemas", {})
    return render_template_string(
        PAGE,
        info=spec["info"],
        paths=sorted(spec["paths"].items()),
        schemas=[(name, json.dumps(s, indent=2)) for name, s in sorted(schemas.items())],
    )


@bp.route("/docs.css")
def docs_css() -> Response:
    return current_app.response_class(STYLE, mimetype="text/css")
