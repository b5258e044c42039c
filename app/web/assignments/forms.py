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
    SelectChoice(SolutionReveal.AFTER_MISS.value, _l("After a wrong attempt")),
    SelectChoice(SolutionReveal.AFTER_DUE.value, _l("After the due date")),
    SelectChoice(SolutionReveal.NEVER.value, _l("Never")),
]
PERCENT = [Optional(), NumberRange(min=0, max=100, message=_l("Between 0 and 100."))]


class SettingsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    instructions = TextAreaField(_l("Instructions"), validators=[Length(max=20_000)])
    open_at = StringField(_l("Opens"), validators=[DataRequired()],
                          render_kw={"type": "datetime-local"})
    due_at = StringField(_l("Due"), validators=[DataRequired()], render_kw={"type": "datetime-local"})
    accept_late = BooleanField(_l("Accept late work"))
    late_penalty_per_day = FloatField(_l("Late penalty per day (%)"), default=0, validators=PERCENT)
    late_penalty_cap = FloatField(_l("Late penalty cap (%)"), default=0, validators=PERCENT)
    attempts_allowed = IntegerField(
        _l("Attempts per item (empty for unlimited)"),
        validators=[Optional(), NumberRange(min=1, max=1000)])
    wrong_attempt_penalty = FloatField(_l("Penalty per wrong attempt (%)"), default=0,
                                       validators=PERCENT)
    solution_reveal = SelectField(_l("Show the worked solution"), choices=REVEAL_CHOICES,
                                  default=SolutionReveal.AFTER_DUE.value)
    form_credit = FloatField(_l("Credit for a right answer not in the requested form (%)"),
                             default=0, validators=PERCENT)
    follow_through = BooleanField(_l("Follow-through in multi-part problems"), default=True)
    hide_from_practice = BooleanField(_l("Hide its problems from practice while it is open"))
    submit = SubmitField(_l("Save"))


class ItemForm(FlaskForm):
    template_id = SelectField(_l("Problem"), validators=[DataRequired()], choices=[])
    points = FloatField(_l("Points"), default=1, validators=[NumberRange(min=0, max=1000)])
    submit = SubmitField(_l("Add item"))


class PointsForm(FlaskForm):
    points = FloatField(_l("Points"), validators=[NumberRange(min=0, max=1000)])
    submit = SubmitField(_l("Set"))
