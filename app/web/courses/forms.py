from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class CourseForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    timezone = StringField("Time zone", default="UTC", validators=[DataRequired(), Length(max=64)])
    submit = SubmitField("Create course")


class JoinForm(FlaskForm):
    code = StringField("Join code", validators=[DataRequired(), Length(max=32)])
    submit = SubmitField("Join")


class StudentForm(FlaskForm):
    email = EmailField("Student email", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Add student")


class InstructorForm(FlaskForm):
    email = EmailField("Co-instructor email", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Add instructor")


class RosterForm(FlaskForm):
    roster = FileField("Roster CSV", validators=[FileRequired()])
    submit = SubmitField("Upload roster")
