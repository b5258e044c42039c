from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.models import Role
from app.services.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

_ROLE_NAMES = {Role.STUDENT: _l("Student"), Role.INSTRUCTOR: _l("Instructor"),
               Role.ADMIN: _l("Admin")}


class CreateUserForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, _ROLE_NAMES[r]) for r in Role],
                       default=Role.INSTRUCTOR.value)
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)])
    submit = SubmitField(_l("Create user"))


class AccountActionForm(FlaskForm):
    """The CSRF-protected buttons of the user list (deactivate, reactivate, reset link)."""

    submit = SubmitField(_l("Go"))
