"""The two HTML pages: the list of briefs, and a brief's preview with its download links.

Every value from the workspace is escaped; links are relative, so the pages work as well under
a reverse proxy's path prefix. The preview asks the server every 1.5 s whether the workspace's
fingerprint changed (the ETag of /api/briefs) and reloads itself when it did.
"""
from __future__ import annotations

from html import escape
from urllib.parse import quote

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
header{background:#1f2a44;color:#fff;padding:.8rem 1.5rem}
header a{color:#fff}
main{padding:1rem 1.5rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #ddd}
.downloads a{margin-right:1rem}
iframe{width:100%;height:80vh;border:1px solid #ccc;background:#fff}
.problems{background:#fff3f3;border:1px solid #d33;padding:.5rem 1rem}
"""

# Scripts only on these pages (inline, no external requests); the preview's frame runs none.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; font-src data:; connect-src 'self'; frame-src 'self'; "
       "base-uri 'none'; form-action 'none'")

RELOAD = """
<script>
(function(){
  var tag = null;
  function poll(){
    var headers = tag ? {'If-None-Match': tag} : {};
    fetch('%s', {cache: 'no-store', headers: headers}).then(function(r){
      var now = r.headers.get('ETag');
      if (tag && now && now !== tag) { location.reload(); return; }
      tag = now || tag;
      setTimeout(poll, 1500);
    }).catch(function(){ setTimeout(poll, 3000); });
  }
  poll();
})();
</script>
"""


def _page(title: str, body: str, script: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{body}{script}</body></html>\n")


def problems_html(error: str, problems: list[dict]) -> str:
    items = "".join(
        f"<li>{escape(p['path'] or '')}{':' + str(p['line']) if p['line'] else ''} "
        f"{escape(p['message'])}</li>" for p in problems)
    return f'<div class="problems" role="alert"><p>{escape(error)}</p><ul>{items}</ul></div>'


def index_page(rows: list[dict], problems: str = "") -> str:
    lines = "".join(
        f'<tr><td><a href="briefs/{quote(r["id"])}">{escape(r["title"])}</a></td>'
        f'<td>{escape(r["date"])}</td><td>{escape(r["template"])}</td>'
        f'<td>{escape(r["marking"])}</td><td class="downloads">'
        + "".join(f'<a href="briefs/{quote(r["id"])}.{f}">{f.upper()}</a>' for f in r["formats"])
        + "</td></tr>" for r in rows)
    table = ("<table><thead><tr><th scope=col>Title</th><th scope=col>Date</th>"
             "<th scope=col>Template</th><th scope=col>Marking</th>"
             f"<th scope=col>Download</th></tr></thead><tbody>{lines}</tbody></table>")
    body = (f"<header><h1>Briefs</h1></header><main>{problems}"
            f"{table if rows else '<p>No briefs in this workspace.</p>'}</main>")
    return _page("Briefs", body, RELOAD % "api/briefs")


def preview_page(row: dict, formats: list[str], query: str, preview: str | None,
                 problems: str = "") -> str:
    suffix = f"?{escape(query)}" if query else ""
    links = "".join(f'<a href="{quote(row["id"])}.{f}{suffix}" download>{f.upper()}</a>'
                    for f in formats)
    frame = ""
    if preview is not None:
        # sandbox without allow-scripts: the document is shown, nothing in it runs
        frame = (f'<iframe title="{escape(row["title"])}" sandbox="allow-popups '
                 f'allow-popups-to-escape-sandbox" srcdoc="{escape(preview, quote=True)}">'
                 "</iframe>")
    body = (f'<header><a href="..">All briefs</a><h1>{escape(row["title"])}</h1>'
            f'<p>{escape(row["date"])} · {escape(row["marking"])}</p></header>'
            f'<main><p class="downloads">Download: {links}</p>{problems}{frame}</main>')
    return _page(row["title"], body, RELOAD % "../api/briefs")
