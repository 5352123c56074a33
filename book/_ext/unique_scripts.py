"""Sphinx extension that drops repeated script entries from every page.

With Jupyter Book 1.0.4, Sphinx 7.4, sphinx-thebe 0.3.1 and
sphinx-togglebutton 0.4.5, the inline configuration scripts of both
extensions are written twice into each page. The second
``const THEBE_JS_URL = ...`` declaration is a JavaScript syntax error, which
the browser reports on every page. Keeping the first copy of each entry
(same file, or same inline body, whether its file name is None or "") removes the error and changes nothing else.
"""


def _script_key(script):
    filename = getattr(script, "filename", script)
    attributes = getattr(script, "attributes", {}) or {}
    # An inline script has filename None or "", depending on who added it.
    return (str(filename or ""), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
