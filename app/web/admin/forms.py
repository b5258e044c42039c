from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.models import Role
from app.services.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class CreateUserForm(FlaskForm):
    display_name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=[SelectChoice(r.value, r.value.capitalize()) for r in Role],
                       default=Role.INSTRUCTOR.value)
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)])
    submit = SubmitField("Create user")


class AccountActionForm(FlaskForm):
    """The CSRF-protected buttons of the user list (deactivate, reactivate, reset link)."""

    submit = SubmitField("Go")
