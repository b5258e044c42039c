"""Line items for links that arrived without one (a placement made in the LMS by hand rather
than by deep linking): find the link's line item in the context's container, or create it."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from app.extensions import db
from app.models.assignment import Assignment
from app.models.lti import LtiResourceLink
from app.services.lti import claims, service_client


def _with_query(url: str, extra: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(extra)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def find_or_create(link: LtiResourceLink) -> str:
    if not link.lineitems_url:
        raise service_client.ServiceFailed("the platform gave no line item for this link",
                                           retryable=False)
    platform = link.platform
    scopes = [claims.SCOPE_LINEITEM]
    listed = service_client.call(
        platform, "GET", _with_query(link.lineitems_url, {"resource_link_id":
                                                          link.resource_link_id}),
        scopes, accept=claims.LINEITEMS_MEDIA_TYPE).json()
    found = next((item for item in listed if isinstance(item, dict)
                  and item.get("resourceLinkId") == link.resource_link_id and item.get("id")),
                 None) if isinstance(listed, list) else None
    if found is None:
        assignment = db.session.get(Assignment, link.assignment_id)
        body = {"scoreMaximum": assignment.total_points, "label": assignment.title,
                "resourceLinkId": link.resource_link_id, "resourceId": str(assignment.id),
                "tag": "gradwork"}
        found = service_client.call(platform, "POST", link.lineitems_url, scopes,
                                    accept=claims.LINEITEM_MEDIA_TYPE, json_body=body,
                                    content_type=claims.LINEITEM_MEDIA_TYPE).json()
    link.lineitem_url = str(found["id"])[:1000]
    db.session.commit()
    return link.lineitem_url
