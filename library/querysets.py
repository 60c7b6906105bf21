from django.db import connection, models
from django.db.models import BooleanField, FloatField, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL

VIEW = "library.view_products"
MANAGE = "library.manage_products"
DRAFT = "library.draft_products"


class KnowledgeProductQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Products this person may open; anything else is a 404.

        Co-chairs and the secretariat see everything; a draft is also seen by the focal point
        and alternate of its lead agency; members read the rest. A guest stakeholder reads only
        what is published to the public. Everyone else reads nothing.
        """
        from members.roles import Role, has_capability, has_role, represented_organisation_ids

        from .rules import GUEST_AUDIENCES

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if has_capability(user, MANAGE):
            return self.all()
        if has_capability(user, VIEW):
            represented = represented_organisation_ids(user) if has_capability(user, DRAFT) else ()
            return self.filter(~Q(status="draft") | Q(lead_agency__in=list(represented)))
        if has_role(user, Role.GUEST):
            return self.filter(status="published", audience__in=GUEST_AUDIENCES)
        return self.none()

    def with_current_file(self):
        """The current (newest) version's stored file id and name, without a query per row."""
        from .models import ProductVersion

        newest = ProductVersion.objects.filter(product=OuterRef("pk")).order_by("-number")
        return self.annotate(
            current_file_uuid=Subquery(newest.values("stored_file__uuid")[:1]),
            current_file_name=Subquery(newest.values("stored_file__name")[:1]),
            current_version=Subquery(newest.values("number")[:1]),
        )

    def of_agency(self, organisation_id):
        """Led by the agency or contributed to by it."""
        from .models import KnowledgeProduct

        contributed = KnowledgeProduct.agencies.through.objects.filter(
            organisation_id=organisation_id
        ).values("knowledgeproduct_id")
        return self.filter(Q(lead_agency_id=organisation_id) | Q(pk__in=contributed))

    def search(self, query):
        """Title, summary and the text of the current file; full-text on PostgreSQL.

        PostgreSQL reads the stored `search_vector` column and its GIN index (migration 0002):
        stemmed English and every word as written (Arabic, names, acronyms). Elsewhere (the
        SQLite embedded default) a plain `icontains` match.
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
            # Constant SQL: the person's words travel only as parameters.
            return (
                self.annotate(
                    search_match=RawSQL(  # noqa: S611
                        f'"{table}"."search_vector" @@ {tsquery}',
                        (query, query),
                        output_field=BooleanField(),
                    ),
                    search_rank=RawSQL(  # noqa: S611
                        f'ts_rank("{table}"."search_vector", {tsquery})',
                        (query, query),
                        output_field=FloatField(),
                    ),
                )
                .filter(search_match=True)
                .order_by("-search_rank", "-year", "-pk")
            )
        return self.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(file_text__icontains=query)
        )
