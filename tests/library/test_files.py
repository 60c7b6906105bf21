"""Versioned files: every upload is kept, the current one is downloaded, PDFs' text is read."""

import pytest
from django.urls import reverse

from core.models import StoredFile
from core.registry import search
from library import services
from library.jobs import extract_pdf_text
from library.models import KnowledgeProduct, ProductVersion

from .conftest import in_review, make_product, pdf_bytes, pdf_upload, published

pytestmark = pytest.mark.django_db


def _upload(
    product, by, name="brief.pdf", text="Domestic workers deserve a weekly rest day.", capture=None
):
    if capture is None:
        return services.version_upload(product=product, upload=pdf_upload(name, text), by=by)
    with capture(execute=True):
        return services.version_upload(product=product, upload=pdf_upload(name, text), by=by)


def test_each_upload_is_a_new_version_and_old_files_are_kept(lib):
    product = make_product(lib.focal)
    first = _upload(product, lib.focal, "brief-v1.pdf", "First draft text.")
    second = _upload(product, lib.focal, "brief-v2.pdf", "Second draft text.")
    assert (first.number, second.number) == (1, 2)
    assert StoredFile.objects.filter(kind="library.version").count() == 2
    first.stored_file.refresh_from_db()
    with first.stored_file.file.open("rb") as handle:
        assert handle.read() == pdf_bytes("First draft text.")
    assert product.versions.order_by("-number").first() == second


def test_the_same_file_twice_is_not_a_new_version(lib):
    product = make_product(lib.focal)
    _upload(product, lib.focal)
    with pytest.raises(services.DomainError):
        _upload(product, lib.focal)
    assert product.versions.count() == 1


def test_a_file_whose_content_does_not_match_is_refused(lib):
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = make_product(lib.focal)
    fake = SimpleUploadedFile("brief.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(services.DomainError):
        services.version_upload(product=product, upload=fake, by=lib.focal)
    assert not StoredFile.objects.exists()


def test_text_of_an_uploaded_pdf_is_extracted_for_search(lib, django_capture_on_commit_callbacks):
    product = make_product(lib.focal)
    version = _upload(
        product,
        lib.focal,
        text="Recruitment fees charged to workers must be abolished.",
        capture=django_capture_on_commit_callbacks,
    )
    version.refresh_from_db()
    product.refresh_from_db()
    assert version.extraction == ProductVersion.Extraction.DONE
    assert "Recruitment fees" in version.extracted_text
    assert product.file_text == version.extracted_text
    # Full-text search (PostgreSQL's stored vector) finds a word only inside the file, stemmed.
    found = KnowledgeProduct.objects.search("abolish recruitment").values_list("pk", flat=True)
    assert list(found) == [product.pk]


def test_a_newer_upload_replaces_the_search_text(lib, django_capture_on_commit_callbacks):
    product = make_product(lib.focal)
    _upload(
        product,
        lib.focal,
        "v1.pdf",
        "Shelters for victims.",
        capture=django_capture_on_commit_callbacks,
    )
    _upload(
        product,
        lib.focal,
        "v2.pdf",
        "Labour inspection.",
        capture=django_capture_on_commit_callbacks,
    )
    product.refresh_from_db()
    assert "inspection" in product.file_text and "Shelters" not in product.file_text
    assert not KnowledgeProduct.objects.search("shelters").exists()


def test_extract_pdf_text_reads_a_real_pdf():
    import io

    assert "weekly rest day" in extract_pdf_text(io.BytesIO(pdf_bytes()))


def test_non_pdf_files_are_kept_without_text(lib, django_capture_on_commit_callbacks):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    product = make_product(lib.focal)
    upload = SimpleUploadedFile("brief.docx", buffer.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        version = services.version_upload(product=product, upload=upload, by=lib.focal)
    version.refresh_from_db()
    assert version.extraction == ProductVersion.Extraction.NOT_APPLICABLE


def _download(client, user, version):
    client.force_login(user)
    return client.get(reverse("core:file_download", args=[version.stored_file.uuid]))


def test_guest_downloads_only_the_current_file_of_a_public_product(lib, client):
    product = make_product(lib.focal)
    old = _upload(product, lib.focal, "v1.pdf", "Old text.")
    _upload(product, lib.focal, "v2.pdf", "New text.")
    product = published(lib, product)
    current = product.versions.order_by("-number").first()
    assert current != old
    assert _download(client, lib.guest, current).status_code == 200
    assert _download(client, lib.guest, old).status_code == 404
    assert _download(client, lib.staff, old).status_code == 404
    assert _download(client, lib.focal, old).status_code == 200  # its authors keep the history
    assert _download(client, lib.secretariat, old).status_code == 200


def test_guest_cannot_download_what_is_not_public(lib, client):
    product = published(lib, audience="un_networks")
    current = product.versions.first()
    assert _download(client, lib.guest, current).status_code == 404
    assert _download(client, lib.staff, current).status_code == 200


def test_draft_files_stay_with_the_agency_and_managers(lib, client):
    product = make_product(lib.focal)
    version = _upload(product, lib.focal)
    assert _download(client, lib.staff, version).status_code == 404
    assert _download(client, lib.other_focal, version).status_code == 404
    assert _download(client, lib.admin, version).status_code == 404
    assert _download(client, lib.chair, version).status_code == 200


def test_search_provider_returns_only_what_the_person_may_open(
    lib, django_capture_on_commit_callbacks
):
    draft = make_product(lib.focal, title="Draft on recruitment")
    public = published(lib, make_product(lib.focal, title="Public brief on recruitment"))
    in_review(lib, make_product(lib.focal, title="Reviewed paper on recruitment"))

    def titles(user):
        return {
            result.title
            for provider, results in search(user, "recruitment")
            if provider.key == "library"
            for result in results
        }

    assert titles(lib.guest) == {public.title}
    assert titles(lib.staff) == {public.title, "Reviewed paper on recruitment"}
    assert titles(lib.focal) == {public.title, "Reviewed paper on recruitment", draft.title}
    assert titles(lib.admin) == set()
