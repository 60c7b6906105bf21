from django.contrib.postgres.search import SearchQueryField
from django.db import connection, models
from django.db.models import (
    Exists,
    FloatField,
    OuterRef,
    Q,
)
from django.db.models.expressions import RawSQL

from core.db import count_of
from core.search import Matches, StoredVector

# The matches a register search ranks at most: the newest ones (see `DecisionQuerySet.search`).
SEARCH_CANDIDATES = 200


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Decisions this person may see: members see opened ones, drafters also the drafts."""
        from members.roles import has_capability

        if not has_capability(user, "decisions.view_decisions"):
            return self.none()
        if has_capability(user, "decisions.draft_decisions") or has_capability(
            user, "decisions.manage_decisions"
        ):
            return self.all()
        return self.exclude(status="draft")

    def open(self):
        return self.filter(status="open")

    def due(self, now):
        """Open decisions whose deadline has come: the scheduler closes them."""
        return self.open().filter(deadline__isnull=False, deadline__lte=now)

    def awaiting_position_of(self, organisation_ids):
        """Open decisions on which one of these agencies is in the electorate without a position."""
        from .models import ElectorateMember, Position

        return self.open().filter(
            Exists(
                ElectorateMember.objects.filter(
                    decision=OuterRef("pk"), organisation_id__in=organisation_ids
                ).exclude(
                    Exists(
                        Position.objects.filter(
                            decision=OuterRef("decision"), organisation=OuterRef("organisation")
                        )
                    )
                )
            )
        )

    def with_tally(self):
        """Each decision's electorate size and count of each stance.

        Correlated counts, one index lookup each per decision shown, rather than joins of the
        electorate and the positions: those fan out to electorate x positions rows per decision
        and were aggregated for every decision before the page's LIMIT.
        """
        from .models import ElectorateMember, Position

        return self.annotate(
            electorate_count=count_of(ElectorateMember.objects.all(), field="decision"),
            concur_count=count_of(Position.objects.filter(stance="concur"), field="decision"),
            stand_aside_count=count_of(
                Position.objects.filter(stance="stand_aside"), field="decision"
            ),
            object_count=count_of(Position.objects.filter(stance="object"), field="decision"),
        )

    def search(self, query):
        """Reference, title, text and rationale; ranked full-text search on PostgreSQL.

        PostgreSQL reads the stored `search_vector` column and its GIN index (migration 0004):
        stemmed English, and every word as written for Arabic, names and references. Elsewhere
        (the SQLite embedded default) a plain `icontains` match.
        """
        query = (query or "").strip()[:200]
        if not query:
            return self
        if connection.vendor == "postgresql":
            tsquery = (
                "(websearch_to_tsquery('english'::regconfig, %s)"
                " || websearch_to_tsquery('simple'::regconfig, %s))"
            )
            table = self.model._meta.db_table
            # The stored column of whichever alias the table has (a subquery's, below).
            match = Matches(
                StoredVector(),
                RawSQL(tsquery, (query, query), output_field=SearchQueryField()),  # noqa: S611
            )
            # Ranking reads the vector of every match: a word in one decision of ten would rank
            # 30,000 of them at stress size. The newest SEARCH_CANDIDATES matches are ranked
            # instead (the GIN index finds a rare word's few, the register's index walks back
            # to a common word's latest), so a search costs the same however large the register.
            # The vector holds the reference too ('simple' keeps "UNNM-BH/2026/004" whole), so
            # one indexed condition answers; an OR with another column would not use it.
            candidates = (
                self.filter(match)
                .order_by("-year", "-sequence", "-pk")
                .values("pk")[:SEARCH_CANDIDATES]
            )
            # Constant SQL: the person's words travel only as parameters.
            return (
                self.filter(pk__in=candidates)
                .annotate(
                    search_rank=RawSQL(  # noqa: S611
                        # In double precision: a page's cursor carries the rank, and a real
                        # read back as text does not compare equal to itself.
                        f'ts_rank("{table}"."search_vector", {tsquery})::double precision',
                        (query, query),
                        output_field=FloatField(),
                    ),
                )
                .order_by("-search_rank", "-year", "-sequence", "-pk")
            )
        return self.filter(
            Q(title__icontains=query) | Q(text__icontains=query) | Q(reference__icontains=query)
        )


class PositionQuerySet(models.QuerySet):
    def objections(self):
        return self.filter(stance="object")
