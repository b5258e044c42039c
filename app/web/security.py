"""Response headers: a strict Content-Security-Policy is possible because no page uses
inline scripts or styles, or anything from another origin.

Also: HSTS whenever cookies are Secure (the site is HTTPS-only then, and a first plain-HTTP
request must not leak the cookie), and `Cache-Control: no-store` on every response to a
logged-in user and on password-reset pages, so gradebooks, exports and account pages are not
kept by the browser or a shared proxy for the next person at the computer.
"""

from flask import Flask, Response, current_app, g, request, session

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Only on pages that show the visual formula editor (app/web/formula_editor.py says why).
STYLE_ATTRIBUTES = "style-src 'self'; style-src-attr 'unsafe-inline'"
HSTS = "max-age=31536000; includeSubDomains"
PRIVATE_PREFIXES = ("/auth/reset/",)


def _private() -> bool:
    if request.endpoint == "static":
        return False
    return "_user_id" in session or request.path.startswith(PRIVATE_PREFIXES)


def _add_missing(response: Response, wanted: list[tuple[str, str]]) -> None:
    """Each header a view has not set itself, with the headers read once (not a scan each)."""
    present = {name.lower() for name, _value in response.headers.items()}
    for name, value in wanted:
        if name.lower() not in present:
            response.headers.add(name, value)


def register(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        # LTI-launched pages may be framed by their platform (set by app/web/lti/frames.py).
        ancestors = g.get("frame_ancestors")
        csp = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self' " +
                          " ".join(ancestors)) if ancestors else CSP
        if g.get("allow_style_attributes"):
            csp = csp.replace("style-src 'self'", STYLE_ATTRIBUTES)
        wanted = [("Content-Security-Policy", csp), ("X-Content-Type-Options", "nosniff"),
                  ("Referrer-Policy", "same-origin")]
        if not ancestors:
            wanted.append(("X-Frame-Options", "DENY"))
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            wanted.append(("Strict-Transport-Security", HSTS))
        _add_missing(response, wanted)
        if _private():
            response.headers["Cache-Control"] = "no-store"
            if "Vary" in response.headers:
                response.vary.add("Cookie")
            else:  # the common case, without parsing and re-writing an empty header
                response.headers["Vary"] = "Cookie"
        return response
