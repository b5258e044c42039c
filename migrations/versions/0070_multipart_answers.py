"""per-part answers of multi-part problems

Revision ID: 0070_multipart_answers
Revises: 0060_course_templates
Create Date: 2026-12-02 01:40:00

One row per part of a graded multi-part answer, for assignment submissions and practice:
the part's text, verdict, reading, mistake, fingerprint, whether it was credited by
follow-through and its credit. The whole answer stays one row of its own table. And the
assignments' follow-through option (on by default, as the problems' own flag decides).
"""
from alembic import op
import sqlalchemy as sa


revision = '0070_multipart_answers'
down_revision = '0060_course_templates'
branch_labels = None
depends_on = None

VERDICTS = ('correct', 'incorrect', 'form', 'invalid', 'timeout')


def _columns(verdict_name):
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('part_id', sa.String(length=40), nullable=False),
        sa.Column('answer_text', sa.Text(), nullable=False),
        sa.Column('canonical', sa.Text(), nullable=True),
        sa.Column('mistake_kind', sa.String(length=64), nullable=True),
        sa.Column('mistake_message', sa.Text(), nullable=True),
        sa.Column('answer_fingerprint', sa.String(length=32), nullable=True),
        sa.Column('carried', sa.Boolean(), nullable=False),
        sa.Column('points', sa.Float(), nullable=False),
        sa.Column('credit', sa.Float(), nullable=False),
        sa.Column('verdict', sa.Enum(*VERDICTS, name=verdict_name, native_enum=False,
                                     length=20, create_constraint=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    ]


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_through', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    op.create_table(
        'submission_parts',
        sa.Column('submission_id', sa.Integer(), nullable=False),
        *_columns('submission_part_verdict'),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
        sa.UniqueConstraint('submission_id', 'position'),
    )
    op.create_index('ix_submission_parts_submission_id', 'submission_parts', ['submission_id'])
    op.create_table(
        'practice_submission_parts',
        sa.Column('practice_submission_id', sa.Integer(), nullable=False),
        *_columns('practice_part_verdict'),
        sa.ForeignKeyConstraint(['practice_submission_id'], ['practice_submissions.id'],
                                ondelete='CASCADE'),
        sa.UniqueConstraint('practice_submission_id', 'position'),
    )
    op.create_index('ix_practice_submission_parts_practice_submission_id',
                    'practice_submission_parts', ['practice_submission_id'])


def downgrade():
    op.drop_index('ix_practice_submission_parts_practice_submission_id',
                  table_name='practice_submission_parts')
    op.drop_table('practice_submission_parts')
    op.drop_index('ix_submission_parts_submission_id', table_name='submission_parts')
    op.drop_table('submission_parts')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('follow_through')
