"""Response headers: a strict Content-Security-Policy is possible because no page uses
inline scripts or styles, or anything from another origin."""

from flask import Flask, Response, g

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


def register(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        # LTI-launched pages may be framed by their platform (set by app/web/lti/frames.py).
        ancestors = g.get("frame_ancestors")
        csp = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self' " +
                          " ".join(ancestors)) if ancestors else CSP
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not ancestors:
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response
