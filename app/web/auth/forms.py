from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from app.services.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

_password_length = Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    submit = SubmitField(_l("Log in"))


class RegisterForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), _password_length])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[DataRequired(), EqualTo("password", _l("The passwords differ."))])
    submit = SubmitField(_l("Create account"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), _password_length])
    confirm = PasswordField(_l("Repeat new password"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The passwords differ."))])
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), _password_length])
    confirm = PasswordField(_l("Repeat new password"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The passwords differ."))])
    submit = SubmitField(_l("Set new password"))


class LogoutOthersForm(FlaskForm):
    submit = SubmitField(_l("Log out other sessions"))


class ApiKeyForm(FlaskForm):
    name = StringField(_l("Name of the tool"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Create key"))


class RevokeApiKeyForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))


class AnswerInputForm(FlaskForm):
    mode = RadioField(_l("How do you enter answers?"), validators=[DataRequired()], choices=[
        SelectChoice("text", _l("Text box: type the answer, for example σ(x)(1-σ(x))")),
        SelectChoice("editor",
                     _l("Formula editor: build the answer as it is written, with a math keyboard")),
    ])
    submit = SubmitField(_l("Save"))


class LanguageForm(FlaskForm):
    # Each language under its own name: a reader looks for theirs, whatever the page is in.
    # No "required" validator: "" (follow the browser) is a choice; a missing field is not one.
    language = RadioField(_l("Pages are shown in"), choices=[
        SelectChoice("", _l("The language my browser asks for")),
        SelectChoice("en", "English"),
        SelectChoice("zh_Hans", "简体中文"),
    ])
    submit = SubmitField(_l("Save"))
