"""The forms of the UI; Flask-WTF gives each a CSRF token, checked on every POST."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from integrity.disclosure.model import PURPOSES, TOOL_NAMES
from integrity.reviews import MAX_NOTE, STATE_LABELS
from integrity.store import REVIEW_STATES

SLUG = Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", message="letters, digits, and . _ - only")
BATCH_TYPES = ["zip"]
MAX_PROMPT = 20_000


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


class ToolForm(Form):
    """One declared tool (a sub-form: the page's CSRF token covers it)."""

    name = SelectField("Tool", choices=[SelectChoice("", "choose…")] + [SelectChoice(n, n) for n in TOOL_NAMES], validate_choice=False)
    other = StringField("Other tool", validators=[Optional(), Length(max=100)])
    version = StringField("Version or date", validators=[Optional(), Length(max=100)])
    purposes = SelectMultipleField("Used for", choices=[SelectChoice(p, p) for p in PURPOSES], validate_choice=False,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    files = StringField("Files or report sections", validators=[Optional(), Length(max=2000)])
    prompts = FieldList(TextAreaField("Prompt", validators=[Optional(), Length(max=MAX_PROMPT)]), min_entries=1,
                        max_entries=200)


class DisclosureForm(FlaskForm):
    used_ai = RadioField("Did you use AI tools?", choices=[
        SelectChoice("no", "I used no AI tool for this assignment"),
        SelectChoice("yes", "I used AI tools, as declared below")], validators=[Optional()])
    tools = FieldList(FormField(ToolForm), min_entries=1, max_entries=20)
    keep = SelectMultipleField("Chat exports kept", choices=[], validate_choice=False,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    upload = MultipleFileField("Chat exports")
    confirm = BooleanField("statement")
    signature = StringField("Your full name", validators=[Optional(), Length(max=200)])


class SurveyForm(FlaskForm):
    survey = FileField("Survey CSV", validators=[FileRequired(), FileAllowed(["csv"], "a .csv file")])


class ReferenceForm(FlaskForm):
    files = MultipleFileField("Solution", validators=[FileRequired()])
    name = StringField("Name", validators=[DataRequired(), Length(max=60), SLUG])
    tool = StringField("Tool and version", validators=[DataRequired(), Length(max=200)])
    prompt = TextAreaField("Prompt", validators=[DataRequired(), Length(max=MAX_PROMPT)])
