from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.models.assignment import SolutionReveal

REVEAL_CHOICES = [
    SelectChoice(SolutionReveal.AFTER_MISS.value, "After a wrong attempt"),
    SelectChoice(SolutionReveal.AFTER_DUE.value, "After the due date"),
    SelectChoice(SolutionReveal.NEVER.value, "Never"),
]
PERCENT = [Optional(), NumberRange(min=0, max=100, message="Between 0 and 100.")]


class SettingsForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    instructions = TextAreaField("Instructions", validators=[Length(max=20_000)])
    open_at = StringField("Opens", validators=[DataRequired()],
                          render_kw={"type": "datetime-local"})
    due_at = StringField("Due", validators=[DataRequired()], render_kw={"type": "datetime-local"})
    accept_late = BooleanField("Accept late work")
    late_penalty_per_day = FloatField("Late penalty per day (%)", default=0, validators=PERCENT)
    late_penalty_cap = FloatField("Late penalty cap (%)", default=0, validators=PERCENT)
    attempts_allowed = IntegerField(
        "Attempts per item (empty for unlimited)",
        validators=[Optional(), NumberRange(min=1, max=1000)])
    wrong_attempt_penalty = FloatField("Penalty per wrong attempt (%)", default=0,
                                       validators=PERCENT)
    solution_reveal = SelectField("Show the worked solution", choices=REVEAL_CHOICES,
                                  default=SolutionReveal.AFTER_DUE.value)
    form_credit = FloatField("Credit for a right answer not in the requested form (%)",
                             default=0, validators=PERCENT)
    hide_from_practice = BooleanField(_l("Hide its problems from practice while it is open"))
    submit = SubmitField("Save")


class ItemForm(FlaskForm):
    template_id = SelectField("Problem", validators=[DataRequired()], choices=[])
    points = FloatField("Points", default=1, validators=[NumberRange(min=0, max=1000)])
    submit = SubmitField("Add item")


class PointsForm(FlaskForm):
    points = FloatField("Points", validators=[NumberRange(min=0, max=1000)])
    submit = SubmitField("Set")
