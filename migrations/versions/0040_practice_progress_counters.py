"""practice progress counters and answered-variant markers, filled from the history

Revision ID: 0040
Revises: 0021_form_verdict
Create Date: 2026-12-01 23:00:00

Progress pages read counters kept with each counted first answer instead of every stored
submission. The upgrade fills them from the existing history with the rules the pages used
(only the first verdict on a variant counts, in submission order); topics come from the
problem bank's files (`topic:` of each template), as the pages grouped them.
"""
from pathlib import Path

from alembic import op
import sqlalchemy as sa
import yaml
from flask import current_app


revision = '0040'
down_revision = '0021_form_verdict'
branch_labels = None
depends_on = None

COUNTED = ('correct', 'incorrect', 'form')


def upgrade():
    op.create_table('practice_progress',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('template', 'topic', name='progress_scope', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('attempted', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('streak', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_progress_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'scope', 'key', name=op.f('pk_practice_progress'))
    )
    op.create_table('practice_answered_variants',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.String(length=100), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_answered_variants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'template_id', 'seed', name=op.f('pk_practice_answered_variants'))
    )
    _fill_from_history()


def downgrade():
    op.drop_table('practice_answered_variants')
    op.drop_table('practice_progress')


def _topics():
    """template id -> topic, read from the bank's files as the app reads them."""
    folder = Path(current_app.config.get('PROBLEMS_DIR') or '')
    topics = {}
    if not folder.is_dir():
        return topics
    for path in sorted(folder.iterdir()):
        if path.suffix not in {'.yaml', '.yml'} or not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding='utf-8'))
        except (OSError, UnicodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get('id'), str):
            topics.setdefault(data['id'], str(data.get('topic') or ''))
    return topics


def _fill_from_history():
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT user_id, template_id, seed, verdict FROM practice_submissions "
        "WHERE verdict IN ('correct', 'incorrect', 'form') ORDER BY user_id, id"))
    topics = _topics()
    seen, counters = set(), {}
    for user_id, template_id, seed, verdict in rows:
        if (user_id, template_id, seed) in seen:
            continue
        seen.add((user_id, template_id, seed))
        keys = [(user_id, 'template', template_id)]
        if template_id in topics:
            keys.append((user_id, 'topic', topics[template_id]))
        for key in keys:
            attempted, correct, streak = counters.get(key, (0, 0, 0))
            right = verdict == 'correct'
            counters[key] = (attempted + 1, correct + right, streak + 1 if right else 0)
    if seen:
        bind.execute(sa.text(
            "INSERT INTO practice_answered_variants (user_id, template_id, seed) "
            "VALUES (:user_id, :template_id, :seed)"),
            [{'user_id': u, 'template_id': t, 'seed': s} for u, t, s in seen])
    if counters:
        bind.execute(sa.text(
            "INSERT INTO practice_progress (user_id, scope, key, attempted, correct, streak) "
            "VALUES (:user_id, :scope, :key, :attempted, :correct, :streak)"),
            [{'user_id': u, 'scope': scope, 'key': key, 'attempted': a, 'correct': c,
              'streak': s} for (u, scope, key), (a, c, s) in counters.items()])
