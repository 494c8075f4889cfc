"""Signing in and out."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, session, url_for

from integrity.accounts import Throttled, authenticate
from web.access import sign_in, store
from web.forms import ActionForm, LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only paths on this site (no scheme, no host, no `//host`) are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("courses.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        if g.user is not None:
            return redirect(_safe_next(request.args.get("next")))
        form.next.data = request.args.get("next", "")
        return render_template("login.html", form=form)
    if not form.validate_on_submit():
        return render_template("login.html", form=form), 400
    try:
        user = authenticate(store(), form.login.data, form.password.data, request.remote_addr or "")
    except Throttled as err:
        return render_template("login.html", form=form, error=str(err).capitalize() + "."), 429
    if user is None:
        return render_template("login.html", form=form, error="Wrong login or password."), 401
    sign_in(user)
    return redirect(_safe_next(form.next.data))


@bp.route("/logout", methods=["POST"])
def logout():
    if ActionForm().validate_on_submit():
        session.clear()
    return redirect(url_for("auth.login"))
