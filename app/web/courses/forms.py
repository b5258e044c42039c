from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class CourseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    timezone = StringField(_l("Time zone"), default="UTC", validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Create course"))


class JoinForm(FlaskForm):
    code = StringField(_l("Join code"), validators=[DataRequired(), Length(max=32)])
    submit = SubmitField(_l("Join"))


class StudentForm(FlaskForm):
    email = EmailField(_l("Student email"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Add student"))


class InstructorForm(FlaskForm):
    email = EmailField(_l("Co-instructor email"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Add instructor"))


class RosterForm(FlaskForm):
    roster = FileField(_l("Roster CSV"), validators=[FileRequired()])
    submit = SubmitField(_l("Upload roster"))
