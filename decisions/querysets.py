from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q


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
        return self.annotate(
            electorate_count=Count("electorate", distinct=True),
            concur_count=Count("positions", filter=Q(positions__stance="concur"), distinct=True),
            stand_aside_count=Count(
                "positions", filter=Q(positions__stance="stand_aside"), distinct=True
            ),
            object_count=Count("positions", filter=Q(positions__stance="object"), distinct=True),
        )

    def search(self, query):
        """Title, text and reference: PostgreSQL full-text search, a plain match elsewhere."""
        query = (query or "").strip()
        if not query:
            return self
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("title", weight="A") + SearchVector("text", "rationale")
            return self.annotate(search=vector).filter(
                Q(search=SearchQuery(query, search_type="websearch"))
                | Q(reference__icontains=query)
            )
        return self.filter(
            Q(title__icontains=query) | Q(text__icontains=query) | Q(reference__icontains=query)
        )


class PositionQuerySet(models.QuerySet):
    def objections(self):
        return self.filter(stance="object")
