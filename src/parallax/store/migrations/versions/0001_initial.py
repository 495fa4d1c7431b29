"""The first schema: articles, stories, story members, reports and the parse/embedding cache.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_articles")),
        sa.UniqueConstraint("id", name=op.f("uq_articles_id")),
        sa.UniqueConstraint("canonical_url", name=op.f("uq_articles_canonical_url")),
    )
    op.create_index(op.f("ix_articles_published"), "articles", ["published"])
    op.create_index(op.f("ix_articles_text_hash"), "articles", ["text_hash"])
    op.create_table(
        "stories",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stories")),
        sa.UniqueConstraint("id", name=op.f("uq_stories_id")),
    )
    op.create_table(
        "story_members",
        sa.Column("article_key", sa.Integer(), nullable=False),
        sa.Column("story_key", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_key"],
            ["articles.key"],
            name=op.f("fk_story_members_article_key_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["story_key"],
            ["stories.key"],
            name=op.f("fk_story_members_story_key_stories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_key", name=op.f("pk_story_members")),
    )
    op.create_index(op.f("ix_story_members_story_key"), "story_members", ["story_key"])
    op.create_table(
        "reports",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("story_key", sa.Integer(), nullable=True),
        sa.Column("schema", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_key"], ["stories.key"], name=op.f("fk_reports_story_key_stories"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_reports")),
    )
    op.create_index(op.f("ix_reports_story_key"), "reports", ["story_key"])
    op.create_table(
        "report_articles",
        sa.Column("report_key", sa.Integer(), nullable=False),
        sa.Column("article_key", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_key"],
            ["articles.key"],
            name=op.f("fk_report_articles_article_key_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_key"],
            ["reports.key"],
            name=op.f("fk_report_articles_report_key_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_key", "article_key", name=op.f("pk_report_articles")),
    )
    op.create_index(op.f("ix_report_articles_article_key"), "report_articles", ["article_key"])
    op.create_table(
        "cache",
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("text_hash", "model", "kind", name=op.f("pk_cache")),
    )


def downgrade() -> None:
    op.drop_table("cache")
    op.drop_index(op.f("ix_report_articles_article_key"), table_name="report_articles")
    op.drop_table("report_articles")
    op.drop_index(op.f("ix_reports_story_key"), table_name="reports")
    op.drop_table("reports")
    op.drop_index(op.f("ix_story_members_story_key"), table_name="story_members")
    op.drop_table("story_members")
    op.drop_table("stories")
    op.drop_index(op.f("ix_articles_text_hash"), table_name="articles")
    op.drop_index(op.f("ix_articles_published"), table_name="articles")
    op.drop_table("articles")
