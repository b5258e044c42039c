"""Every launch is validated fully; each failure is a 4xx page naming the check, never a login."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests.lti.conftest import Flow, register
from tests.lti.platform import LTI, new_key


@pytest.fixture
def flow(app, client, people):
    register(app, people)
    return Flow(app, client, people)


def _refused(response, status: int, check: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    found = re.search(r'data-testid="lti-failed-check">([^<]+)<', body)
    assert found and found.group(1) == check, body


def _logged_out(client) -> None:
    assert client.get("/courses/").status_code == 302  # the login page, not a course list


def test_bad_signature_is_refused(flow, client):
    evil_pem, _ = new_key("platform-key-1")  # same kid, another key
    response, _ = flow.launch("teacher-1", hint="deep-link", key_pem=evil_pem)
    _refused(response, 401, "signature")
    _logged_out(client)


def test_unknown_kid_refetches_the_key_set_then_refuses(flow, client, people):
    evil_pem, _ = new_key("nobody-has-this")
    response, _ = flow.launch("teacher-1", hint="deep-link", key_pem=evil_pem,
                              kid="nobody-has-this")
    _refused(response, 401, "signature")


def test_rotated_platform_key_is_fetched_on_unknown_kid(flow, client, people):
    ok, _ = flow.launch("teacher-1", hint="deep-link")
    assert ok.status_code == 303
    client.post("/auth/logout")
    people.kid = "platform-key-2"
    people.private_pem, people.public_jwk = new_key(people.kid)
    from app.services.lti import platform_keys

    platform_keys.REFETCH_PAUSE, saved = 0.0, platform_keys.REFETCH_PAUSE
    try:
        again, _ = flow.launch("teacher-1", hint="deep-link")
    finally:
        platform_keys.REFETCH_PAUSE = saved
    assert again.status_code == 303


def test_expired_token_is_refused(flow, client):
    response, _ = flow.launch("teacher-1", hint="deep-link", exp_in=-300, iat_ago=900)
    _refused(response, 401, "exp")
    _logged_out(client)


def test_token_from_the_future_is_refused(flow):
    response, _ = flow.launch("teacher-1", hint="deep-link", iat_ago=-3600, exp_in=7200)
    _refused(response, 401, "iat")


def test_replayed_nonce_is_refused(flow, client):
    first, fields = flow.launch("teacher-1", hint="deep-link")
    assert first.status_code == 303
    client.post("/auth/logout")
    # The attacker has the whole form post and the browser's state cookie.
    client.set_cookie("gw_lti_state_" + fields["state"], fields["state"], path="/lti")
    replay = client.post("/lti/launch", data=fields)
    _refused(replay, 401, "nonce")
    _logged_out(client)


def test_nonce_not_issued_for_this_login_is_refused(flow):
    query = flow.login("teacher-1", "deep-link")
    fields = flow.lms.authorize(dict(query, nonce="made-up"), flow.lms.deep_linking_message())
    response = flow.client.post("/lti/launch", data=fields)
    _refused(response, 401, "nonce")


def test_wrong_audience_is_refused(flow, client):
    response, _ = flow.launch("teacher-1", hint="deep-link", aud="some-other-tool",
                              azp="some-other-tool")
    _refused(response, 401, "aud")
    _logged_out(client)


def test_several_audiences_need_our_azp(flow):
    response, _ = flow.launch("teacher-1", hint="deep-link",
                              aud=[flow.lms.client_id, "other"], azp="other")
    _refused(response, 401, "azp")


def test_unknown_deployment_is_refused(flow, client):
    response, _ = flow.launch("teacher-1", hint="deep-link",
                              **{LTI + "deployment_id": "not-registered"})
    _refused(response, 403, "deployment_id")
    _logged_out(client)


def test_wrong_issuer_is_refused(flow):
    response, _ = flow.launch("teacher-1", hint="deep-link", iss=flow.lms.url + "/other")
    _refused(response, 401, "iss")


def test_state_that_does_not_match_the_browser_is_refused(flow, client):
    query = flow.login("teacher-1", "deep-link")
    fields = flow.lms.authorize(query, flow.lms.deep_linking_message())
    client.set_cookie("gw_lti_state_" + fields["state"], "another-browsers-state", path="/lti")
    _refused(client.post("/lti/launch", data=fields), 401, "state")


def test_blocked_cookie_offers_a_new_tab(flow, client):
    query = flow.login("teacher-1", "deep-link")
    fields = flow.lms.authorize(query, flow.lms.deep_linking_message())
    client.delete_cookie("gw_lti_state_" + fields["state"], path="/lti")
    response = client.post("/lti/launch", data=fields)
    assert response.status_code == 401
    body = response.get_data(as_text=True)
    assert 'data-testid="lti-open-new-tab"' in body and 'target="_blank"' in body
    assert "login_hint=teacher-1" in body
    _logged_out(client)


def test_wrong_version_and_message_type_are_refused(flow):
    response, _ = flow.launch("teacher-1", hint="deep-link", **{LTI + "version": "1.1"})
    _refused(response, 400, "version")
    response, _ = flow.launch("teacher-1", hint="deep-link",
                              **{LTI + "message_type": "LtiSubmissionReviewRequest"})
    _refused(response, 400, "message_type")


def test_roles_outside_the_rule_are_refused(flow, people):
    people.add_member("guest-1", "Gus Guest",
                      ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"])
    response, _ = flow.launch("guest-1", hint="deep-link")
    _refused(response, 403, "roles")


def test_unknown_issuer_or_client_at_login(flow, client):
    params = flow.lms.login_params("teacher-1", flow.lms.tool["launch_url"])
    response = client.get("/lti/login?" + urlencode(dict(params, client_id="nope")))
    _refused(response, 403, "client_id")
    response = client.get("/lti/login?" + urlencode(dict(params, iss="https://x.example")))
    _refused(response, 403, "client_id")
    del params["client_id"]
    response = client.get("/lti/login?" + urlencode(dict(params, iss="https://x.example")))
    _refused(response, 403, "iss")


def test_garbage_token_is_a_clear_400(client, flow):
    query = flow.login("teacher-1", "deep-link")
    response = client.post("/lti/launch", data={"id_token": "not.a.jwt",
                                                "state": query["state"]})
    _refused(response, 400, "id_token")
    _refused(client.post("/lti/launch", data={}), 400, "id_token")
