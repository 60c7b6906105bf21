"""The first version of the Terms of Reference, from the text shipped with the app.

The data migration `0002_seed_first_version` creates it on `migrate`. A database emptied after
migrating (a test flush, a restore of the other tables only) has no version at all; the portal
then creates it again from the same file on first use rather than failing every page.
"""

from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction

SEED = Path(__file__).resolve().parent / "reference" / "terms-of-reference-bahrain.txt"
# The signed text states no approval date; the Network was launched at the UNCT in September
# 2020 (docs/TERMS.md). Keep in step with migrations/0002_seed_first_version.py.
EFFECTIVE_ON = date(2020, 9, 1)


def ensure_first_version():
    """Version 1, created from the reference text if the database holds no version yet."""
    from .models import TermsVersion

    if TermsVersion.objects.exists():
        return None
    try:
        with transaction.atomic():
            return TermsVersion.objects.create(
                number=1,
                text=SEED.read_text(encoding="utf-8"),
                effective_on=EFFECTIVE_ON,
                is_current=True,
            )
    except IntegrityError:
        # Created at the same moment by another request.
        return TermsVersion.objects.get(number=1)
