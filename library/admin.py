from django.contrib import admin

from .models import KnowledgeProduct, ProductComment, ProductVersion


class ReadOnlyMixin:
    """Products change only through the library's services (authorization, audit, decisions)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProductVersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ProductVersion
    fields = ("number", "stored_file", "note", "uploaded_by", "uploaded_at", "extraction")
    readonly_fields = fields
    extra = 0


class ProductCommentInline(ReadOnlyMixin, admin.TabularInline):
    model = ProductComment
    fields = ("author", "body", "created_at")
    readonly_fields = fields
    extra = 0


@admin.register(KnowledgeProduct)
class KnowledgeProductAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "lead_agency", "year", "status", "audience")
    list_filter = ("kind", "status", "audience", "year")
    search_fields = ("title",)
    exclude = ("file_text",)
    inlines = [ProductVersionInline, ProductCommentInline]
