"""users: active flag, session version and revoked session ids (revocable sessions)

Revision ID: 0010_session_version
Revises: 0004
Create Date: 2026-12-01 21:17:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_session_version'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('revoked_sessions', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('revoked_sessions')
        batch_op.drop_column('session_version')
        batch_op.drop_column('active')
