"""course_templates, course_template_versions: problems written in the browser, versioned;
assignment_item_sources: the bank file's hash an item was added from

Revision ID: 0060_course_templates
Revises: 0050_formula_editor
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0060_course_templates'
down_revision = '0050_formula_editor'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('latest_number', sa.Integer(), nullable=False),
    sa.Column('shared', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_templates_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_templates')),
    sa.UniqueConstraint('course_id', 'slug', name=op.f('uq_course_templates_course_id_slug'))
    )
    with op.batch_alter_table('course_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_templates_course_id'), ['course_id'], unique=False)
    op.create_table('course_template_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_course_template_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['course_templates.id'], name=op.f('fk_course_template_versions_template_id_course_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_template_versions')),
    sa.UniqueConstraint('template_id', 'number', name=op.f('uq_course_template_versions_template_id_number'))
    )
    with op.batch_alter_table('course_template_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_template_versions_template_id'), ['template_id'], unique=False)
    op.create_table('assignment_item_sources',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['assignment_items.id'], name=op.f('fk_assignment_item_sources_item_id_assignment_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_assignment_item_sources'))
    )


def downgrade():
    op.drop_table('assignment_item_sources')
    with op.batch_alter_table('course_template_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_template_versions_template_id'))
    op.drop_table('course_template_versions')
    with op.batch_alter_table('course_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_templates_course_id'))
    op.drop_table('course_templates')
