"""The LTI endpoints platforms call, and the pages that continue a launch."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from app.cas.i18n import N_
from app.extensions import csrf, db
from app.models import Course, EnrolmentRole
from app.services.assignments import builder
from app.services.courses import membership
from app.services.errors import ServiceError
from app.services.lti import claims, deep_linking, identity, keys, landing, platforms
from app.services.lti import launch as launches
from app.services.lti.launch import LaunchRefused
from app.web.auth import session_guard
from app.web.lti import bp
from app.web.lti.frames import SESSION_KEY, STATE_COOKIE_PREFIX, clean_origins
from app.web.security import CSP

STATE_COOKIE_SECONDS = int(launches.STATE_LIFETIME.total_seconds())


def tool_urls() -> dict[str, str]:
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return platforms.tool_urls(base)


def _frameable_anywhere() -> None:
    # Refusals and the new-tab offer show inside whatever LMS framed the launch, which may be
    # one we do not know (that is what was refused); they hold no action to click-jack.
    g.frame_ancestors = ["*"]


def refused(error: LaunchRefused):
    db.session.rollback()
    _frameable_anywhere()
    current_app.logger.info("LTI launch refused (%s): %s", error.check, error.message)
    return render_template("lti/refused.html", error=error), error.status


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    params = {k: v for k, v in (request.values.items()) if isinstance(v, str)}
    try:
        start = launches.begin_login(params, tool_urls()["launch_url"])
    except LaunchRefused as error:
        return refused(error)
    db.session.commit()
    response = redirect(start.url, code=302)
    # Bound to this browser; SameSite=None so it comes back on the platform's cross-site
    # form_post, inside the LMS's iframe too.
    response.set_cookie(STATE_COOKIE_PREFIX + start.state, start.state,
                        max_age=STATE_COOKIE_SECONDS, path="/lti", secure=True,
                        httponly=True, samesite="None", partitioned=True)
    return response


def _origins(launch: launches.Launch) -> list[str]:
    platform = platforms.get(launch.platform_id)
    found = [platforms.origin(platform.issuer), platforms.origin(platform.auth_url)]
    if request.headers.get("Origin"):
        found.append(request.headers["Origin"])
    # The LMS's own pages may live on another host than its issuer (Canvas: the school's
    # host); the URLs it gives back to itself say where.
    presentation = launch.claim(claims.LAUNCH_PRESENTATION) or {}
    settings = launch.claim(claims.DEEP_LINKING_SETTINGS) or {}
    for holder, key in ((presentation, "return_url"), (settings, "deep_link_return_url")):
        if isinstance(holder, dict) and isinstance(holder.get(key), str):
            found.append(platforms.origin(holder[key]))
    return clean_origins(found)


def _start_session(launch: launches.Launch, user) -> None:
    # A fresh, revocable session like any login: nothing of a previous user's survives into
    # the LMS frame.
    if not session_guard.start(user):
        abort(403, N_("This account is deactivated, so the LMS cannot log it in."))
    session[SESSION_KEY] = {"platform": launch.platform_id, "origins": _origins(launch)}
    g.frame_ancestors = session[SESSION_KEY]["origins"]


@bp.route("/launch", methods=["POST"])
@bp.route("/deep-link", methods=["POST"])
@csrf.exempt
def launch():
    state = request.form.get("state", "")
    cookie = request.cookies.get(STATE_COOKIE_PREFIX + state) if state else None
    try:
        valid = launches.validate(request.form.get("id_token", ""), state, cookie)
        # The state and nonce stay consumed whatever happens next: a launch refused below
        # (say, an unlinked course) cannot be replayed once the reason goes away.
        db.session.commit()
        role = landing.check_role(valid)
        user = identity.user_for(valid.issuer, valid.sub, valid.claims, role)
        launch_id = launches.remember(valid, user.id)
        where = landing.land(valid, user, role)
    except LaunchRefused as error:
        if error.check == "state cookie":
            return _new_tab(state)
        return refused(error)
    db.session.commit()
    _start_session(valid, user)
    response = redirect(_destination(where, launch_id), code=303)
    response.delete_cookie(STATE_COOKIE_PREFIX + state, path="/lti", secure=True,
                           httponly=True, samesite="None", partitioned=True)
    return response


def _new_tab(state: str):
    """The browser blocked the state cookie inside the LMS frame: offer the same login in a
    new tab, where the cookie is first-party."""
    db.session.rollback()
    _frameable_anywhere()
    row = launches.login_state(state)
    again = url_for("lti.login") + ("?" + row.login_query if row and row.login_query else "")
    return render_template("lti/new_tab.html", login_url=again), 401


def _destination(where: landing.Landing, launch_id: int) -> str:
    if where.next == landing.Next.STUDENT_ASSIGNMENT:
        return url_for("coursework.assignment", course_id=where.course_id,
                       assignment_id=where.assignment_id)
    if where.next == landing.Next.INSTRUCTOR_ASSIGNMENT:
        return url_for("assignments.edit", course_id=where.course_id,
                       assignment_id=where.assignment_id)
    if where.next == landing.Next.LINK_COURSE:
        return url_for("lti.link_course", launch_id=launch_id)
    if where.next == landing.Next.DEEP_LINK:
        return url_for("lti.deep_link", launch_id=launch_id)
    return url_for("lti.place_assignment", launch_id=launch_id)


@bp.route("/jwks")
def jwks():
    keys.ensure_key()
    response = jsonify(keys.public_jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _recalled(launch_id: int) -> launches.Launch:
    found = launches.recall(launch_id, current_user.id)
    if found is None:
        abort(404, N_("This LMS launch has expired; open GradWork from the LMS again."))
    return found


@bp.route("/launches/<int:launch_id>/course", methods=["GET", "POST"])
@login_required
def link_course(launch_id: int):
    found = _recalled(launch_id)
    role = landing.check_role(found)
    if request.method == "POST":
        course = None
        if request.form.get("course_id"):
            try:
                course = membership.course_for_instructor(
                    request.form.get("course_id", type=int) or 0, current_user)
            except ServiceError:
                abort(404)
        try:
            landing.link_course(found, current_user, course)
            where = landing.land(found, current_user, role)
        except (ServiceError, LaunchRefused) as error:
            db.session.rollback()
            abort(409, str(error))
        db.session.commit()
        return redirect(_destination(where, launch_id), code=303)

    return render_template("lti/link_course.html", launch_id=launch_id,
                           title=landing.contexts.course_title(found.context),
                           courses=membership.courses_of(current_user,
                                                         EnrolmentRole.INSTRUCTOR))


def _linked_course(found: launches.Launch) -> Course:
    row = landing.contexts.find(found.platform_id, str(found.context.get("id")))
    if row is None:
        abort(404, N_("This LMS course is not linked to a GradWork course."))
    course = db.session.get(Course, row.course_id)
    if not membership.is_course_instructor(course, current_user):
        abort(403)
    return course


@bp.route("/launches/<int:launch_id>/deep-link", methods=["GET", "POST"])
@login_required
def deep_link(launch_id: int):
    found = _recalled(launch_id)
    if found.message_type != claims.DEEP_LINKING_REQUEST:
        abort(404)
    landing.check_role(found)
    course = _linked_course(found)
    settings = found.claim(claims.DEEP_LINKING_SETTINGS) or {}
    if request.method == "GET":
        return render_template("lti/deep_link.html", launch_id=launch_id, course=course,
                               assignments=builder.assignments_of(course),
                               accepts=deep_linking.accepts_links(settings))
    try:
        assignment = builder.get_assignment(course, request.form.get("assignment_id", 0,
                                                                     type=int))
    except ServiceError:
        abort(404)
    platform = platforms.get(found.platform_id)
    token = deep_linking.response_jwt(
        platform, found.deployment_id, settings,
        [deep_linking.content_item(assignment, tool_urls()["launch_url"])])
    db.session.commit()
    return_url = settings["deep_link_return_url"]
    response = current_app.make_response(render_template(
        "lti/deep_link_return.html", return_url=return_url, token=token,
        assignment=assignment))

    csp = CSP.replace("form-action 'self'",
                      f"form-action 'self' {' '.join(clean_origins([platforms.origin(return_url)]))}")
    if g.get("frame_ancestors"):
        csp = csp.replace("frame-ancestors 'none'",
                          "frame-ancestors 'self' " + " ".join(g.frame_ancestors))
    response.headers["Content-Security-Policy"] = csp
    return response


@bp.route("/launches/<int:launch_id>/assignment", methods=["GET", "POST"])
@login_required
def place_assignment(launch_id: int):
    found = _recalled(launch_id)
    if found.message_type != claims.RESOURCE_LINK_REQUEST:
        abort(404)
    if landing.check_role(found) != claims.LtiRole.INSTRUCTOR:
        abort(403)
    course = _linked_course(found)
    if request.method == "GET":
        return render_template("lti/place_assignment.html", launch_id=launch_id,
                               course=course, assignments=builder.assignments_of(course))
    try:
        assignment = builder.get_assignment(course, request.form.get("assignment_id", 0,
                                                                     type=int))
        landing.place(found, assignment)
    except (ServiceError, LaunchRefused):
        db.session.rollback()
        abort(404)
    db.session.commit()
    return redirect(url_for("assignments.edit", course_id=course.id,
                            assignment_id=assignment.id), code=303)
