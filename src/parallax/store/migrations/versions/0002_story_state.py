"""Stories keep the open-story index's state: closed or open, last date and position, centroid, profile.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("last_seen", sa.Date(), nullable=True))
        batch.add_column(sa.Column("last_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("centroid", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("profile", sa.JSON(), nullable=True))
        batch.create_index(batch.f("ix_stories_closed"), ["closed"])


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_index(batch.f("ix_stories_closed"))
        for column in ("profile", "centroid", "last_seq", "last_seen", "closed"):
            batch.drop_column(column)
