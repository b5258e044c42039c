from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from app.services.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

_password_length = Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    display_name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), _password_length])
    confirm = PasswordField("Repeat password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])
    submit = SubmitField("Create account")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), _password_length])
    confirm = PasswordField("Repeat new password",
                            validators=[DataRequired(), EqualTo("new_password", "The passwords differ.")])
    submit = SubmitField("Change password")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Send me a link")


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField("New password", validators=[DataRequired(), _password_length])
    confirm = PasswordField("Repeat new password",
                            validators=[DataRequired(), EqualTo("new_password", "The passwords differ.")])
    submit = SubmitField("Set new password")


class LogoutOthersForm(FlaskForm):
    submit = SubmitField("Log out other sessions")


class ApiKeyForm(FlaskForm):
    name = StringField("Name of the tool", validators=[DataRequired(), Length(max=100)])
    submit = SubmitField("Create key")


class RevokeApiKeyForm(FlaskForm):
    submit = SubmitField("Revoke")


class AnswerInputForm(FlaskForm):
    mode = RadioField("How do you enter answers?", validators=[DataRequired()], choices=[
        SelectChoice("text", "Text box: type the answer, for example σ(x)(1-σ(x))"),
        SelectChoice("editor",
                     "Formula editor: build the answer as it is written, with a math keyboard"),
    ])
    submit = SubmitField("Save")
