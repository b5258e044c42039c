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


def register(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        # LTI-launched pages may be framed by their platform (set by app/web/lti/frames.py).
        ancestors = g.get("frame_ancestors")
        csp = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self' " +
                          " ".join(ancestors)) if ancestors else CSP
        if g.get("allow_style_attributes"):
            csp = csp.replace("style-src 'self'", STYLE_ATTRIBUTES)
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not ancestors:
            response.headers.setdefault("X-Frame-Options", "DENY")
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if _private():
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
