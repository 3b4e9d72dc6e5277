"""`briefgen serve`: briefs built on demand over HTTP (Starlette, served by uvicorn).

app.py holds the routes, pool.py the warm worker processes that render, worker.py what runs in
them, cache.py the workspace's fingerprint and the cache of rendered files, pages.py the HTML
pages and http.py the JSON errors, the token check and the request log. The command line
(cli.py) imports this package only for `serve`: `build` never loads Starlette or uvicorn.
"""
