"""the 'form' verdict (right, but not in the requested form) and the instructor's credit for it

Revision ID: 0021_form_verdict
Revises: 0020_lti_and_jobs
Create Date: 2026-12-02 01:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021_form_verdict'
down_revision = '0020_lti_and_jobs'
branch_labels = None
depends_on = None

BEFORE = ('correct', 'incorrect', 'invalid', 'timeout')
AFTER = ('correct', 'incorrect', 'form', 'invalid', 'timeout')
# (table, the verdict type's name): the CHECK constraint is ck_<table>_<name>.
VERDICT_COLUMNS = (('practice_submissions', 'verdict'), ('submissions', 'submission_verdict'))


def _verdicts(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def _retype(values):
    for table, name in VERDICT_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('verdict', existing_type=sa.String(length=20),
                                  type_=_verdicts(values, name), existing_nullable=False)


def upgrade():
    _retype(AFTER)
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_credit', sa.Float(), server_default='0',
                                      nullable=False))
        batch_op.create_check_constraint(op.f('ck_assignments_form_credit_range'),
                                         'form_credit >= 0 AND form_credit <= 1')


def downgrade():
    # A 'form' verdict was an attempt that was not right: it becomes 'incorrect'.
    for table, _name in VERDICT_COLUMNS:
        op.execute(sa.text(f"UPDATE {table} SET verdict = 'incorrect' WHERE verdict = 'form'"))
    _retype(BEFORE)
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_assignments_form_credit_range'), type_='check')
        batch_op.drop_column('form_credit')
