"""The library's background job and file checks (core.jobs, core.files).

After each upload, `library.extract_text` reads the text of a PDF with pypdf into the version
(and into the product's search text when the version is the current one), so the library's
search and the portal's /search/ find words inside the file.
"""

import logging

from django.utils.translation import gettext_lazy as _

from core.files import register_download_check
from core.jobs import register_job_kind

from .services import EXTRACT_JOB, FILE_KIND

logger = logging.getLogger(__name__)

# Enough for any brief or paper; a pathological file is cut short, not read for minutes.
MAX_PAGES = 300


def extract_pdf_text(handle, *, max_pages=MAX_PAGES, limit=None):
    """The text of a PDF's pages, in order (pypdf); NUL characters removed for PostgreSQL."""
    from pypdf import PdfReader

    from .models import FILE_TEXT_LIMIT

    limit = limit or FILE_TEXT_LIMIT
    reader = PdfReader(handle)
    if reader.is_encrypted:
        # An owner-password-only PDF opens with an empty user password; anything else is unread.
        reader.decrypt("")
    parts, size = [], 0
    for page in reader.pages[:max_pages]:
        text = (page.extract_text() or "").replace("\x00", "")
        parts.append(text)
        size += len(text)
        if size >= limit:
            break
    return "\n".join(parts).strip()[:limit]


def extract_text(job, report_progress):
    """Job: read the text of an uploaded version's file."""
    from .models import ProductVersion
    from .services import version_text_store

    version = (
        ProductVersion.objects.select_related("stored_file")
        .filter(pk=job.params.get("version_id"))
        .first()
    )
    if version is None:
        return None  # the product was deleted meanwhile: nothing to read
    stored = version.stored_file
    if stored.content_type != "application/pdf":
        version_text_store(
            version_id=version.pk, text="", extraction=ProductVersion.Extraction.NOT_APPLICABLE
        )
        return None
    report_progress(10, _("Reading the PDF"))
    try:
        with stored.file.open("rb") as handle:
            text = extract_pdf_text(handle)
    except Exception:
        logger.warning("Could not read the text of library version %s", version.pk, exc_info=True)
        version_text_store(
            version_id=version.pk, text="", extraction=ProductVersion.Extraction.FAILED
        )
        return None
    version_text_store(version_id=version.pk, text=text, extraction=ProductVersion.Extraction.DONE)
    report_progress(100, _("Text extracted"))
    return None


def may_download_version(user, stored_file):
    """Whoever may open the product downloads its current file; earlier ones, its editors."""
    from .models import KnowledgeProduct, ProductVersion
    from .permissions import can_see_old_versions

    version = (
        ProductVersion.objects.filter(stored_file=stored_file)
        .select_related("product")
        .filter(product__in=KnowledgeProduct.objects.visible_to(user))
        .first()
    )
    if version is None:
        return False
    if can_see_old_versions(user, version.product):
        return True
    newest = version.product.versions.order_by("-number").values_list("pk", flat=True).first()
    return newest == version.pk


def register():
    register_job_kind(
        EXTRACT_JOB, extract_text, label=_("Text of a knowledge product"), notify=False
    )
    register_download_check(FILE_KIND, may_download_version)
