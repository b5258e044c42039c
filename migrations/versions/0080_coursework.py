"""extensions, grade overrides and their audit log, try-as-student attempts, and an
assignment's choice to hide its templates from practice

Revision ID: 0080_coursework
Revises: 0070_multipart_answers
Create Date: 2026-12-02 01:20:00

"""
from alembic import op
import sqlalchemy as sa



revision = '0080_coursework'
down_revision = '0070_multipart_answers'
branch_labels = None
depends_on = None

VERDICTS = ('correct', 'incorrect', 'form', 'invalid', 'timeout')


def _owner_columns():
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('student_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
    ]


def _owner_constraints(table, item_ondelete='CASCADE'):
    return [
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name=op.f(f'fk_{table}_assignment_id_assignments'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['student_id'], ['users.id'],
                                name=op.f(f'fk_{table}_student_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['assignment_items.id'],
                                name=op.f(f'fk_{table}_item_id_assignment_items'),
                                ondelete=item_ondelete),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def _owner_indexes(table):
    for column in ('assignment_id', 'student_id'):
        op.create_index(op.f(f'ix_{table}_{column}'), table, [column], unique=False)


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hide_from_practice', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('legacy_seeds', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    # The assignments made before the seed spaces keep the variants their students were given
    # and graded on: they derive seeds as before, stored negated (-1 - s), which the bank
    # draws as every seed was drawn then (app/bank/spaces.py: legacy seeds).
    op.execute("UPDATE assignments SET legacy_seeds = true")
    op.execute("UPDATE submissions SET seed = -1 - seed WHERE seed >= 0")

    op.create_table(
        'extensions', *_owner_columns(),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('extra_attempts', sa.Integer(), nullable=False),
        sa.CheckConstraint('extra_attempts >= 0',
                           name=op.f('ck_extensions_extra_attempts_nonnegative')),
        *_owner_constraints('extensions'))
    _owner_indexes('extensions')

    op.create_table(
        'grade_overrides', *_owner_columns(),
        sa.Column('points', sa.Float(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.CheckConstraint('points >= 0',
                           name=op.f('ck_grade_overrides_override_points_nonnegative')),
        *_owner_constraints('grade_overrides'))
    _owner_indexes('grade_overrides')

    op.create_table(
        'grade_audit', *_owner_columns(),
        sa.Column('item_position', sa.Integer(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('field', sa.String(length=32), nullable=False),
        sa.Column('old_value', sa.String(length=64), nullable=False),
        sa.Column('new_value', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_grade_audit_actor_id_users'), ondelete='SET NULL'),
        *_owner_constraints('grade_audit', item_ondelete='SET NULL'))
    _owner_indexes('grade_audit')

    op.create_table(
        'sandbox_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('attempt_number', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answer_text', sa.Text(), nullable=False),
        sa.Column('verdict', sa.Enum(*VERDICTS, name='sandbox_verdict', native_enum=False,
                                     create_constraint=True, length=20), nullable=False),
        sa.Column('late_days', sa.Integer(), nullable=False),
        sa.Column('points_awarded', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['assignment_items.id'],
                                name=op.f('fk_sandbox_attempts_item_id_assignment_items'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_sandbox_attempts_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sandbox_attempts')))
    op.create_index(op.f('ix_sandbox_attempts_item_id'), 'sandbox_attempts', ['item_id'])
    op.create_index(op.f('ix_sandbox_attempts_user_id'), 'sandbox_attempts', ['user_id'])


def downgrade():
    op.drop_table('sandbox_attempts')
    op.drop_table('grade_audit')
    op.drop_table('grade_overrides')
    op.drop_table('extensions')
    op.execute("UPDATE submissions SET seed = -1 - seed WHERE seed < 0")
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('legacy_seeds')
        batch_op.drop_column('hide_from_practice')
