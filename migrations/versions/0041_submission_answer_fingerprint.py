"""answer fingerprints on assignment submissions, for item analysis

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-01 23:30:00

The checker fingerprints each wrong answer when it grades it (equivalent answers to a
variant share the fingerprint), so item analysis groups answers with one query instead of
running the engine on every view. Rows graded before this have none; item analysis groups
those by how they were read, and `flask grades regrade` fingerprints them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_fingerprint', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('answer_fingerprint')
