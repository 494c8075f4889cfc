"""The forms of the UI; Flask-WTF gives each a CSRF token, checked on every POST."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from wtforms import HiddenField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from integrity.reviews import MAX_NOTE, STATE_LABELS
from integrity.store import REVIEW_STATES

SLUG = Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", message="letters, digits, and . _ - only")
BATCH_TYPES = ["zip"]


class LoginForm(FlaskForm):
    login = StringField("Login", validators=[DataRequired(), Length(max=100)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])
    next = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes state (sign out, analyse again): only the CSRF token."""


class CourseForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired(), Length(max=40), SLUG])
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    term = StringField("Term", validators=[Optional(), Length(max=60)])


class AssignmentForm(FlaskForm):
    slug = StringField("Short name", validators=[DataRequired(), Length(max=60), SLUG])
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    deadline = StringField("Deadline", validators=[Optional(), Length(max=40)])


class RosterForm(FlaskForm):
    roster = FileField("Roster CSV", validators=[FileRequired(), FileAllowed(["csv"], "a .csv file")])


class UploadForm(FlaskForm):
    batch = FileField("Submissions", validators=[FileRequired(), FileAllowed(BATCH_TYPES, "a .zip file")])
    template = MultipleFileField("Starter code")
    references = MultipleFileField("Reference solutions")


class ReviewForm(FlaskForm):
    state = RadioField("Decision", choices=[SelectChoice(s, STATE_LABELS[s]) for s in REVIEW_STATES],
                       validators=[DataRequired(message="choose a decision")])
    note = TextAreaField("Note", validators=[Optional(), Length(max=MAX_NOTE)])
