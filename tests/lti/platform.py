"""A small LTI 1.3 platform built only from the IMS specifications (LTI Core 1.3, Deep Linking
2.0, AGS 2.0, NRPS 2.0, IMS Security Framework 1.0), with its own keys, for testing the tool
without a real LMS. It imports nothing from the app: what it knows of the tool is what an LMS
administrator pastes (client id, deployment id, the tool's URLs) and the tool's public JWKS.

Its HTTP side (JWKS, token endpoint, AGS line items and scores, NRPS members, and for the
browser test an authorization endpoint and a course page that frames the tool) runs on
loopback in a thread.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR = [ROLE + "Instructor", "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"]
LEARNER = [ROLE + "Learner", "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"]


def new_key(kid: str) -> tuple[str, dict]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return pem, public


@dataclass
class Member:
    sub: str
    name: str
    email: str
    roles: list[str]
    status: str = "Active"


@dataclass
class LineItem:
    id: int
    score_maximum: float
    label: str
    resource_link_id: str | None = None
    resource_id: str | None = None
    # userId -> the accepted score (the latest by timestamp)
    results: dict[str, dict] = field(default_factory=dict)
    posts: list[dict] = field(default_factory=list)   # every score POST received, in order
    accepted: int = 0                                  # POSTs that changed a result


@dataclass
class ResourceLink:
    id: str
    title: str
    url: str
    custom: dict
    line_item: LineItem | None


class Platform:
    """One LMS with one course (context) and its members."""

    def __init__(self, *, issuer_path: str = "/lms", client_id: str = "gradwork-client",
                 deployment_id: str = "deploy-1"):
        self.client_id, self.deployment_id = client_id, deployment_id
        self.kid = "platform-key-1"
        self.private_pem, self.public_jwk = new_key(self.kid)
        self.context = {"id": "ctx-101", "label": "DL101", "title": "Deep Learning 101",
                        "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]}
        self.members: dict[str, Member] = {}
        self.line_items: dict[int, LineItem] = {}
        self.links: dict[str, ResourceLink] = {}
        self.tokens: dict[str, set[str]] = {}
        self.seen_jti: set[str] = set()
        self.score_failures = 0        # answer the next N score POSTs with an error...
        self.score_failure_status = 503  # ...of this status
        self.score_gate: threading.Event | None = None  # hold score POSTs until set
        self.inflight = 0              # score POSTs received and being held
        self.token_requests = 0
        self.tool_jwks = None          # callable returning the tool's JWKS (its public URL)
        self.tool: dict[str, str] = {}  # the tool's URLs as from `lti tool-config`
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self.issuer = self.url + issuer_path
        # Where people see the LMS's pages (a browser test puts them on another site than
        # the tool); launch_presentation.return_url points there, as LMSs do.
        self.page_url = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # --- registration values (what an LMS shows its administrator) --------------------------

    @property
    def auth_url(self) -> str:
        return self.url + "/authorize"

    @property
    def token_url(self) -> str:
        return self.url + "/token"

    @property
    def jwks_url(self) -> str:
        return self.url + "/jwks"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_member(self, sub: str, name: str, roles: list[str], email: str | None = None) -> Member:
        member = Member(sub, name, email or f"{sub}@lms.example.org", roles)
        self.members[sub] = member
        return member

    # --- the OIDC launch --------------------------------------------------------------------

    def login_params(self, sub: str, target: str, message_hint: str = "") -> dict[str, str]:
        """Third-party initiated login (LTI Core 1.3 §5.1.1)."""
        params = {"iss": self.issuer, "login_hint": sub, "target_link_uri": target,
                  "client_id": self.client_id, "lti_deployment_id": self.deployment_id}
        if message_hint:
            params["lti_message_hint"] = message_hint
        return params

    def check_auth_request(self, query: dict[str, str]) -> None:
        expected = {"scope": "openid", "response_type": "id_token",
                    "response_mode": "form_post", "prompt": "none",
                    "client_id": self.client_id, "redirect_uri": self.tool["launch_url"]}
        for name, value in expected.items():
            if query.get(name) != value:
                raise AssertionError(f"auth request {name}={query.get(name)!r}, want {value!r}")
        for name in ("state", "nonce", "login_hint"):
            if not query.get(name):
                raise AssertionError(f"auth request without {name}")

    def claims_for(self, member: Member, message: dict) -> dict:
        body = {
            "sub": member.sub, "name": member.name, "email": member.email,
            "given_name": member.name.split()[0], "family_name": member.name.split()[-1],
            LTI + "roles": member.roles, LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id, LTI + "context": self.context,
            LTI + "tool_platform": {"guid": "platform-guid", "name": "Test LMS"},
            NRPS: {"context_memberships_url": f"{self.url}/contexts/{self.context['id']}/members",
                   "service_versions": ["2.0"]},
        }
        body.update(message)
        return body

    def resource_link_message(self, link_id: str) -> dict:
        link = self.links[link_id]
        message = {LTI + "message_type": "LtiResourceLinkRequest",
                   LTI + "target_link_uri": link.url,
                   LTI + "resource_link": {"id": link.id, "title": link.title},
                   LTI + "custom": link.custom,
                   LTI + "launch_presentation": {"document_target": "iframe",
                                                 "return_url": self.page_url + "/course"}}
        if link.line_item is not None:
            message[AGS] = {"scope": [SCOPE_SCORE, SCOPE_LINEITEM],
                            "lineitems": self.url + "/lineitems",
                            "lineitem": self.line_item_url(link.line_item)}
        return message

    def deep_linking_message(self) -> dict:
        return {LTI + "message_type": "LtiDeepLinkingRequest",
                LTI + "target_link_uri": self.tool["deep_link_url"],
                DL + "deep_linking_settings": {
                    "deep_link_return_url": self.page_url + "/deep-link-return",
                    "accept_types": ["ltiResourceLink"], "accept_presentation_document_targets":
                    ["iframe", "window"], "accept_multiple": False, "data": "dl-opaque-42"}}

    def sign(self, body: dict, *, key_pem: str | None = None, kid: str | None = None) -> str:
        return jwt.encode(body, key_pem or self.private_pem, algorithm="RS256",
                          headers={"kid": kid or self.kid})

    def id_token(self, query: dict[str, str], member: Member, message: dict, *,
                 aud: str | list[str] | None = None, exp_in: int = 300, iat_ago: int = 0,
                 key_pem: str | None = None, kid: str | None = None, **overrides) -> str:
        now = int(time.time())
        body = {"iss": self.issuer, "aud": aud if aud is not None else self.client_id,
                "azp": self.client_id, "iat": now - iat_ago, "exp": now + exp_in,
                "nonce": query["nonce"], **self.claims_for(member, message)}
        body.update(overrides)
        return self.sign(body, key_pem=key_pem, kid=kid)

    def authorize(self, query: dict[str, str], message: dict, **token_options) -> dict:
        """The platform's answer to the authentication request: the form_post fields."""
        self.check_auth_request(query)
        member = self.members[query["login_hint"]]
        return {"id_token": self.id_token(query, member, message, **token_options),
                "state": query["state"]}

    def message_for_hint(self, hint: str) -> dict:
        if hint == "deep-link":
            return self.deep_linking_message()
        return self.resource_link_message(hint)

    # --- deep linking response --------------------------------------------------------------

    def tool_key(self, token: str):
        keyset = jwt.PyJWKSet.from_dict(self.tool_jwks())
        kid = jwt.get_unverified_header(token).get("kid")
        return next(k for k in keyset.keys if k.key_id == kid)

    def accept_deep_link(self, token: str) -> list[ResourceLink]:
        body = jwt.decode(token, self.tool_key(token), algorithms=["RS256"],
                          audience=self.issuer, issuer=self.client_id)
        assert body[LTI + "message_type"] == "LtiDeepLinkingResponse"
        assert body[LTI + "version"] == "1.3.0"
        assert body[LTI + "deployment_id"] == self.deployment_id
        assert body[DL + "data"] == "dl-opaque-42"
        created = []
        for item in body[DL + "content_items"]:
            assert item["type"] == "ltiResourceLink"
            line = None
            if "lineItem" in item:
                line = LineItem(len(self.line_items) + 1, item["lineItem"]["scoreMaximum"],
                                item["lineItem"]["label"], resource_id=item["lineItem"].get(
                                    "resourceId"))
                self.line_items[line.id] = line
            link = ResourceLink(f"rl-{uuid.uuid4().hex[:8]}", item.get("title", ""),
                                item["url"], item.get("custom", {}), line)
            if line is not None:
                line.resource_link_id = link.id
            self.links[link.id] = link
            created.append(link)
        return created

    # --- services ---------------------------------------------------------------------------

    def line_item_url(self, line: LineItem) -> str:
        # Moodle-style: the line item URL carries a query string.
        return f"{self.url}/lineitems/{line.id}/lineitem?type_id={line.id}"

    def grant(self, form: dict[str, str]) -> tuple[int, dict]:
        """Client credentials grant with a JWT client assertion (IMS Security Framework)."""
        self.token_requests += 1
        if form.get("grant_type") != "client_credentials" or form.get(
                "client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return 400, {"error": "unsupported_grant_type"}
        assertion = form.get("client_assertion", "")
        try:
            body = jwt.decode(assertion, self.tool_key(assertion), algorithms=["RS256"],
                              audience=self.token_url, issuer=self.client_id)
        except (jwt.PyJWTError, StopIteration) as exc:
            return 401, {"error": "invalid_client", "error_description": str(exc)}
        if body.get("sub") != self.client_id or not body.get("jti"):
            return 401, {"error": "invalid_client", "error_description": "sub/jti"}
        with self.lock:
            if body["jti"] in self.seen_jti:
                return 401, {"error": "invalid_client", "error_description": "jti replayed"}
            self.seen_jti.add(body["jti"])
        granted = set(form.get("scope", "").split()) & {SCOPE_SCORE, SCOPE_LINEITEM, SCOPE_NRPS}
        token = secrets.token_urlsafe(16)
        self.tokens[token] = granted
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                     "scope": " ".join(sorted(granted))}

    def authorised(self, header: str | None, scope: str) -> bool:
        token = (header or "").removeprefix("Bearer ")
        return scope in self.tokens.get(token, set())

    def receive_score(self, line_id: int, body: dict) -> None:
        line = self.line_items[line_id]
        with self.lock:
            line.posts.append(body)
            current = line.results.get(body["userId"])
            # AGS 2.0: a score older than (or as old as) the one on record changes nothing.
            if current is None or body["timestamp"] > current["timestamp"]:
                line.results[body["userId"]] = body
                line.accepted += 1

    def members_page(self, offset: int, limit: int) -> tuple[list[dict], bool]:
        everyone = list(self.members.values())
        page = [{"user_id": m.sub, "name": m.name, "email": m.email, "roles": m.roles,
                 "status": m.status} for m in everyone[offset:offset + limit]]
        return page, offset + limit < len(everyone)


def _handler(platform: Platform):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body, content_type="application/json", headers=None):
            data = body if isinstance(body, bytes) else (
                body.encode() if isinstance(body, str) else json.dumps(body).encode())
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_GET(self):
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/jwks":
                return self._send(200, {"keys": [platform.public_jwk]})
            if parts.path == "/authorize":
                return self._authorize(query)
            if parts.path == "/course":
                return self._course_page(query)
            match = re.fullmatch(r"/contexts/([^/]+)/members", parts.path)
            if match:
                if not platform.authorised(self.headers.get("Authorization"), SCOPE_NRPS):
                    return self._send(401, {"error": "unauthorized"})
                offset, limit = int(query.get("offset", 0)), 2
                page, more = platform.members_page(offset, limit)
                headers = {}
                if more:
                    headers["Link"] = (f'<{platform.url}{parts.path}?offset={offset + limit}>; '
                                       'rel="next"')
                return self._send(200, {"id": platform.url + self.path,
                                        "context": platform.context, "members": page},
                                  "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
                                  headers)
            return self._send(404, {"error": "not found"})

        def do_POST(self):
            parts = urlsplit(self.path)
            if parts.path == "/token":
                form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
                status, body = platform.grant(form)
                return self._send(status, body)
            match = re.fullmatch(r"/lineitems/(\d+)/lineitem/scores", parts.path)
            if match:
                return self._score(int(match.group(1)), parts.query)
            if parts.path == "/deep-link-return":
                form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
                links = platform.accept_deep_link(form["JWT"])
                return self._send(200, "<p data-testid='lms-deep-link-done'>Added "
                                  + html.escape(links[0].title) + "</p>", "text/html")
            return self._send(404, {"error": "not found"})

        def _score(self, line_id: int, query: str):
            if query != f"type_id={line_id}":
                return self._send(404, {"error": "scores URL lost the line item's query"})
            if not platform.authorised(self.headers.get("Authorization"), SCOPE_SCORE):
                return self._send(401, {"error": "unauthorized"})
            if self.headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
                return self._send(415, {"error": "wrong media type"})
            body = json.loads(self._body())
            gate = platform.score_gate
            if gate is not None:
                # The LMS has the score but answers late: a tool killed meanwhile never
                # learns that it arrived.
                with platform.lock:
                    platform.inflight += 1
                gate.wait(30)
            with platform.lock:
                failing = platform.score_failures > 0
                if failing:
                    platform.score_failures -= 1
            if failing:
                return self._send(platform.score_failure_status,
                                  {"error": "LMS is down for maintenance"})
            platform.receive_score(line_id, body)
            return self._send(204, b"")

        def _authorize(self, query):
            """The browser side of the authentication response: an auto-posting form."""
            message = platform.message_for_hint(query.get("lti_message_hint", ""))
            fields = platform.authorize(query, message)
            inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
                             for k, v in fields.items())
            page = (f'<form id="f" method="post" action="{html.escape(query["redirect_uri"])}">'
                    f'{inputs}</form><script>document.getElementById("f").submit()</script>')
            return self._send(200, page, "text/html")

        def _course_page(self, query):
            """An LMS course page that shows the tool in an iframe, as LMSs do."""
            params = platform.login_params(query["user"], platform.tool["launch_url"],
                                           query["link"])
            src = platform.tool["login_url"] + "?" + urlencode(params)
            page = (f'<h1>LMS course</h1><iframe id="tool" title="GradWork" '
                    f'src="{html.escape(src)}" width="1000" height="700"></iframe>')
            return self._send(200, page, "text/html")

    return Handler
