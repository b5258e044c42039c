"""one verdict vocabulary: assignment submissions say 'timeout' as practice does

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:00:00

Practice and assignment submissions had two names for "no verdict reached" ('timeout' and
'undecided'); both now use the checker's one Verdict. No recorded submission can hold it
(only counted verdicts are recorded), but any row that does is carried over.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _verdict(*values):
    return sa.Enum(*values, name='submission_verdict', native_enum=False,
                   create_constraint=True, length=20)


OLD = _verdict('correct', 'incorrect', 'invalid', 'undecided')
NEW = _verdict('correct', 'incorrect', 'invalid', 'timeout')


def _change(after, old_value, new_value):
    # The CHECK constraint goes first, so the rows can take the new value, and comes back with
    # the column's new type.
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_submissions_submission_verdict'), type_='check')
    op.execute(sa.text("UPDATE submissions SET verdict = :new WHERE verdict = :old")
               .bindparams(new=new_value, old=old_value))
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.alter_column('verdict', existing_type=sa.String(length=20), type_=after,
                              existing_nullable=False)


def upgrade():
    _change(NEW, 'undecided', 'timeout')


def downgrade():
    _change(OLD, 'timeout', 'undecided')
